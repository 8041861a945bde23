"""People: Chinese names (surnames weighted by how common they are, given names by gender and the
decade of birth), ethnicities, mobile numbers and where migrant workers come from."""

from __future__ import annotations

import random
import re

from federation.demo.tiers import Weighted

# The hundred most common surnames with their approximate share (%) of the population, then a few
# compound surnames.
_SURNAME_SHARES = (
    "王7.25 李7.19 张6.83 刘5.38 陈4.53 杨3.08 黄2.24 赵2.23 吴2.05 周1.93 徐1.57 孙1.53 马1.46 "
    "朱1.37 胡1.32 郭1.22 何1.18 高1.07 林1.06 罗1.05 郑0.99 梁0.98 谢0.82 宋0.79 唐0.78 许0.74 "
    "韩0.73 冯0.71 邓0.70 曹0.68 彭0.66 曾0.65 肖0.64 田0.63 董0.62 袁0.59 潘0.58 于0.57 蒋0.56 "
    "蔡0.55 余0.54 杜0.53 叶0.52 程0.51 苏0.50 魏0.49 吕0.48 丁0.47 任0.46 沈0.45 姚0.44 卢0.43 "
    "姜0.42 崔0.41 钟0.40 谭0.39 陆0.38 汪0.37 范0.36 金0.35 石0.34 廖0.33 贾0.32 夏0.31 韦0.30 "
    "付0.29 方0.28 白0.27 邹0.26 孟0.25 熊0.24 秦0.23 邱0.22 江0.21 尹0.20 薛0.19 闫0.18 段0.17 "
    "雷0.16 侯0.15 龙0.14 史0.13 陶0.12 黎0.11 贺0.10 顾0.10 毛0.10 郝0.09 龚0.09 邵0.09 万0.08 "
    "钱0.08 严0.08 覃0.07 武0.07 戴0.07 莫0.06 孔0.06 向0.06 汤0.06 欧阳0.02 司马0.005 诸葛0.003 "
    "上官0.003 "
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
SURNAMES = Weighted({name: float(share) for name, share in re.findall(r"(\D+?)([\d.]+)\s", _SURNAME_SHARES)})

# Given names as people of each generation were named: whole names that were common, and characters
# that parents combined.
_GIVEN = {
    ("M", "old"): (
        "建国 建华 建军 国强 国庆 志强 志刚 卫东 卫国 红兵 永强 德明 新民 海军 金山 福生 宝林 "
        "长青 振华 春生 明 勇 军 刚 平 斌 华 林 忠 强",
        "建国华军强志刚卫东红永德明新海金福宝林长青振春生平忠荣庆光祥荣富贵",
    ),
    ("F", "old"): (
        "秀英 桂英 秀兰 玉兰 桂兰 淑珍 丽华 秀珍 红梅 美玲 凤英 玉梅 小红 金凤 素芳 爱华 "
        "丽 红 霞 燕 萍 芳 英 梅",
        "秀英桂兰玉珍淑丽华红梅美玲凤素芳爱霞燕萍琴芬彩云月",
    ),
    ("M", "mid"): (
        "伟 磊 涛 斌 鹏 超 勇 杰 俊 辉 海涛 志伟 建伟 晓东 晓明 春雷 文斌 振华 小龙 永刚 "
        "国华 立新 卫华 剑 锋 亮 波 雷",
        "伟磊涛斌鹏超勇杰俊辉海志建晓东明春雷文振小龙永刚剑锋亮波军峰云飞",
    ),
    ("F", "mid"): (
        "丽 娟 敏 静 燕 艳 丽娟 晓燕 海燕 春燕 丽萍 晓丽 雪梅 小燕 彩霞 丽丽 婷 芳芳 静静 "
        "红霞 晓红 美华 玉婷 慧",
        "丽娟敏静燕艳晓海春萍雪梅彩霞婷芳红美玉慧琳晶洁颖莉蓉",
    ),
    ("M", "young"): (
        "浩 宇 鑫 磊 帅 凯 杰 鹏 子豪 浩然 宇航 俊杰 嘉豪 天宇 梓轩 一鸣 博文 志豪 明轩 "
        "晨阳 宇轩 子轩 皓 睿 晨",
        "浩宇鑫帅凯杰鹏子豪然航俊嘉天梓轩一鸣博文志明晨阳皓睿泽铭逸哲昊宸",
    ),
    ("F", "young"): (
        "婷 倩 雪 颖 佳 欣怡 梦婷 雨欣 思雨 佳怡 诗涵 梓涵 雨涵 可欣 婉清 心怡 晓雯 梦瑶 嘉怡 悦 璐 瑶",
        "婷倩雪颖佳欣怡梦雨思诗涵梓可婉清心晓雯瑶嘉悦璐琪萱馨妍",
    ),
}
_GIVEN_WHOLE = {key: whole.split() for key, (whole, _chars) in _GIVEN.items()}
_GIVEN_CHARS = {key: chars for key, (_whole, chars) in _GIVEN.items()}


def _generation(birth_year: int) -> str:
    if birth_year < 1976:
        return "old"
    if birth_year < 1990:
        return "mid"
    return "young"


def given_name(rng: random.Random, gender: str, birth_year: int) -> str:
    key = (gender, _generation(birth_year))
    if rng.random() < 0.45:
        return rng.choice(_GIVEN_WHOLE[key])
    chars = _GIVEN_CHARS[key]
    if rng.random() < 0.1:
        return rng.choice(chars)
    first, second = rng.choice(chars), rng.choice(chars)
    while second == first:
        second = rng.choice(chars)
    return first + second


def person_name(rng: random.Random, gender: str, birth_year: int) -> str:
    surname = SURNAMES(rng)
    given = given_name(rng, gender, birth_year)
    if len(surname) == 2 and len(given) == 1 and rng.random() < 0.5:
        given += rng.choice(_GIVEN_CHARS[(gender, _generation(birth_year))])
    return surname + given


def surname_of(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


# Where migrant workers (农民工) come from: real county codes, so that their ID numbers and household
# registration agree.
MIGRANT_SOURCES = (
    ("411625", "河南省周口市郸城县", 18),
    ("411425", "河南省商丘市虞城县", 12),
    ("341221", "安徽省阜阳市临泉县", 18),
    ("341322", "安徽省宿州市萧县", 8),
    ("511322", "四川省南充市营山县", 10),
    ("361128", "江西省上饶市鄱阳县", 8),
    ("371721", "山东省菏泽市曹县", 8),
    ("520526", "贵州省毕节市威宁彝族回族苗族自治县", 7),
    ("430521", "湖南省邵阳市邵东县", 6),
    ("620522", "甘肃省天水市秦安县", 5),
)
WEINING = "520526"
MIGRANT_SOURCE = Weighted({(code, place): weight for code, place, weight in MIGRANT_SOURCES})

_MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 "
    "176 177 180 181 182 183 184 185 186 187 188 189 191 198 199"
).split()


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


# Jobs by industry letter (GB/T 4754 门类), with a fallback for offices.
JOBS = {
    "C": "操作工 装配工 质检员 电工 焊工 机修工 数控车工 仓库管理员 车间主任 班组长 技术员 工艺工程师 "
    "设备工程师 采购员 销售经理 会计 出纳 人事专员 行政文员 叉车司机",
    "E": "施工员 钢筋工 木工 架子工 电焊工 安全员 质量员 项目经理 资料员 预算员 测量员",
    "F": "营业员 收银员 理货员 店长 采购员 配送员 客服专员 会计",
    "G": "货车司机 快递员 分拣员 调度员 仓库管理员 客运驾驶员 安全员",
    "H": "厨师 面点师 服务员 前台接待 客房服务员 餐厅经理 采购员",
    "I": "软件工程师 测试工程师 运维工程师 产品经理 网络工程师 客服专员",
    "J": "柜员 客户经理 信贷员 风险管理员 会计 理财经理",
    "K": "物业管理员 保安员 保洁员 维修工 置业顾问 工程主管",
    "L": "人力资源专员 劳务派遣员 招聘专员 业务员 文员",
    "P": "教师 班主任 教务员 保育员 校医 后勤管理员",
    "Q": "护士 医生 药剂师 检验师 护士长 收费员 护工",
    "S": "科员 办事员 副科长 科长 综合管理员 网格员 社区工作者",
}
OFFICE_JOBS = "会计 出纳 行政文员 办公室主任 业务员 技术员 管理人员 驾驶员 保安员 保洁员"


def job(rng: random.Random, industry: str) -> str:
    return rng.choice(JOBS.get(industry, OFFICE_JOBS).split())
