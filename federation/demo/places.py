"""Places and organisations: a fictional city (江州市) of Jiangsu with its counties, towns, streets,
parks and villages, and the names of the employers whose unions the demo keeps.

江州市 and its counties do not exist; the area codes are shaped like Jiangsu's (32xxxx) under a city
code that is not in use, so ID numbers and credit codes look right without pointing at real places.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PROVINCE = "江苏省"
CITY = "江州市"
CITY_SHORT = "江州"
CITY_CODE = "321400"

# (name, area code, kind): the county of tiers S and M comes first.
COUNTIES = (
    ("青溪县", "321422", "县"),
    ("临江区", "321402", "区"),
    ("东湖区", "321403", "区"),
    ("西山区", "321404", "区"),
    ("松陵区", "321405", "区"),
    ("南屏县", "321423", "县"),
    ("北塘县", "321424", "县"),
    ("河阳县", "321425", "县"),
    ("桃源县", "321426", "县"),
    ("云台市", "321481", "市"),
)

TOWN_STEMS = (
    "城关 临河 白沙 石桥 青龙 金湖 桃园 新塘 柳营 双河 马桥 横山 梅林 黄墩 朱庄 高桥 东港 南塘 北渚 长乐 "
    "安平 三里 河口 五里 孙家 王集 李庄 杨湾 陈集 周巷 花园 龙潭 凤凰 仙女 大港 古城 汤泉 永丰 新丰 沙溪"
).split()
STREET_STEMS = "东城 西城 南湖 北关 人民 文昌 滨江 开元 新华 凤鸣 锦绣 城南 城北 湖滨 迎宾 龙山".split()
PARK_NAMES = ("经济开发区", "高新技术产业园区", "现代物流园区", "化工新材料产业园", "农业科技园区")
COMMUNITY_STEMS = (
    "东湖 西园 幸福 和平 新村 阳光 花园 长青 翠苑 锦江 丽景 康乐 明珠 春晖 金桥 福田 紫荆 兰亭 "
    "江畔 青园 育才 民主 振兴 朝阳"
).split()
VILLAGE_STEMS = (
    "红旗 光明 胜利 团结 联合 丰收 前进 新民 兴隆 永安 建设 向阳 和睦 富强 跃进 东风 金星 "
    "双桥 三合 四新 五星 六合 七里 八一 九龙"
).split()
ROADS = (
    "人民路 解放路 建设路 中山路 长江路 黄河路 工业大道 兴业路 振兴路 开发大道 创业路 科技路 文化路 "
    "新华路 和平路 青年路 滨江路 湖滨路 迎宾大道 富民路 环城路 学府路 光明路 幸福路 纬一路 经二路"
).split()


@dataclass(frozen=True)
class Place:
    """Where a federation or employer is: county, and town/street/park, and village/community."""

    county: str
    code: str
    town: str = ""
    community: str = ""

    @property
    def area(self) -> str:
        """行政区划 as the union form has it."""
        return f"{CITY}{self.county}{self.town}{self.community}"

    def address(self, rng: random.Random) -> str:
        return f"{self.county}{self.town}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


# --- Employers ----------------------------------------------------------------------------------

BRAND_CHARS = (
    "恒信华泰宏达瑞祥鑫源晨光远航新科东方金盛嘉和丰隆兴旺永安天成德昌明润博越美佳益康鼎汇中通力凯宇"
    "创欣荣利顺众福海杰伟亿豪峰宝晟万鸿锦联升腾飞云昊耀正"
)
FOREIGN_BRANDS = "德克 维斯特 诺瓦 凯勒 莱茵 贝克 阿斯特 普瑞 奥森 卡尔 米勒 施耐 海格 罗兰 爱普 泰科".split()
INDUSTRY_WORDS = {
    "A": "农业发展 生态农业 水产养殖 苗木 粮油种植 畜牧",
    "B": "矿业 石材 砂石",
    "C": "机械制造 精密机械 电子 纺织 服饰 化工 新材料 塑业 五金 食品 包装 家具 汽车零部件 光电 "
    "医疗器械 不锈钢制品 电器 印务 环保设备 智能装备 电缆 制药",
    "D": "热电 燃气 新能源 供水",
    "E": "建设工程 建筑安装 装饰工程 市政工程 路桥工程",
    "F": "商贸 贸易 超市 百货 医药连锁 农资",
    "G": "物流 运输 快递 仓储 客运",
    "H": "餐饮管理 酒店 大酒店 餐饮",
    "I": "信息技术 网络科技 软件 数据科技 科技",
    "J": "小额贷款 保险代理 融资担保",
    "K": "房地产开发 物业管理 置业",
    "L": "人力资源 企业管理咨询 广告 劳务 会展服务",
    "M": "检测 工程设计 技术服务 生物科技",
    "N": "环境工程 园林绿化 水务 环卫服务",
    "O": "家政服务 汽车维修 洗涤 美容美发",
    "P": "教育咨询 培训",
    "Q": "医院 养老服务 康复",
    "R": "文化传媒 影视 体育健身 旅游开发",
    "S": "社会服务",
}
INDIVIDUAL_TRADES = {
    "E": "装修队 水电安装部",
    "H": "面馆 饭店 小吃店",
    "O": "汽修店 理发店 家电维修部",
    "F": "五金店 便利店 建材商行",
}

COUNTY_DEPARTMENTS = (
    "人力资源和社会保障局 财政局 教育局 卫生健康委员会 公安局 市场监督管理局 自然资源和规划局 "
    "住房和城乡建设局 交通运输局 农业农村局 商务局 文化广电和旅游局 民政局 司法局 审计局 统计局 "
    "应急管理局 生态环境局 水利局 发展和改革委员会 人民法院 人民检察院 税务局 医疗保障局"
).split()
SOCIAL_GROUPS = (
    "个体劳动者协会 建筑业协会 餐饮行业协会 工商业联合会 慈善总会 红十字会 科学技术协会 残疾人联合会".split()
)


class EmployerNames:
    """Hands out employer names that are unique in the deployment, for a nature and an industry."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make, tries: int = 30) -> str | None:
        for _ in range(tries):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        return None

    def _brand(self) -> str:
        first, second = self.rng.sample(BRAND_CHARS, 2)
        return first + second

    def company(self, place: Place, industry: str, form: str) -> tuple[str, str]:
        """(employer name, name without the place prefix): 江州市恒信科技有限公司 / 恒信科技有限公司."""
        rng = self.rng
        words = INDUSTRY_WORDS.get(industry, "科技").split()
        prefix = rng.choice((f"{CITY}", f"{CITY}", CITY_SHORT, place.county, place.county))

        def make():
            return f"{prefix}{self._brand()}{rng.choice(words)}{form}"

        for _ in range(4):
            name = self._unique(make)
            if name:
                return name, name[len(prefix) :]
            prefix = f"{place.county}{place.town}"
        raise RuntimeError("ran out of employer names")

    def foreign(self, place: Place, industry: str) -> tuple[str, str]:
        words = INDUSTRY_WORDS.get(industry, "科技").split()

        def make():
            return f"{self.rng.choice(FOREIGN_BRANDS)}{self.rng.choice(words)}（{CITY_SHORT}）有限公司"

        name = self._unique(make)
        if name is None:
            return self.company(place, industry, "有限公司")
        return name, name

    def individual(self, place: Place, industry: str, surname: str) -> tuple[str, str]:
        trades = INDIVIDUAL_TRADES.get(industry, INDIVIDUAL_TRADES["O"]).split()

        def make():
            return f"{place.county}{place.town}{surname}记{self.rng.choice(trades)}"

        name = self._unique(make) or self.company(place, industry, "商行")[0]
        return name, name[len(place.county) :]

    def from_pool(self, candidates: list[str]) -> str | None:
        """The first unused name of a shuffled pool (an organ, a school, a hospital), or None."""
        pool = [name for name in candidates if name not in self.used]
        if not pool:
            return None
        name = self.rng.choice(pool)
        self.used.add(name)
        return name


def institution_pool(place: Place, industry: str) -> list[str]:
    """事业单位 of a county, or of a town or street (schools, a health centre), by industry."""
    c, t = place.county, place.town
    if t:
        town = {
            "P": [f"{c}{t}中心小学", f"{c}{t}中心幼儿园", f"{c}{t}初级中学", f"{c}{t}成人文化技术学校"],
            "Q": [f"{c}{t}卫生院" if t.endswith(("镇", "乡")) else f"{c}{t}社区卫生服务中心"],
            "A": [f"{c}{t}农业综合服务中心"],
            "N": [f"{c}{t}环境卫生所"],
            "R": [f"{c}{t}文化站"],
        }
        return town.get(industry) or town["P"]
    ordinal = "一二三四五六七八九"
    pools = {
        "P": [f"{c}第{n}中学" for n in ordinal]
        + [f"{c}实验小学", f"{c}职业教育中心", f"{c}实验幼儿园", f"{c}高级中学"],
        "Q": [f"{c}人民医院", f"{c}中医院", f"{c}妇幼保健院", f"{c}疾病预防控制中心", f"{c}第二人民医院"],
        "N": [f"{c}园林管理处", f"{c}水利工程管理处", f"{c}环境卫生管理处", f"{c}城市排水管理处"],
        "R": [f"{c}图书馆", f"{c}文化馆", f"{c}融媒体中心", f"{c}体育中心"],
        "M": [f"{c}农业技术推广中心", f"{c}检验检测中心", f"{c}气象局"],
        "A": [f"{c}畜牧兽医站", f"{c}国有林场"],
    }
    return pools.get(industry, pools["P"])


def organ_pool(place: Place) -> list[str]:
    """机关: the county's departments, or the town's government and its stations."""
    c, t = place.county, place.town
    if t:
        seat = f"{c}{t}人民政府" if t.endswith(("镇", "乡")) else f"{c}{t}办事处"
        return [seat, f"{c}公安局{t}派出所", f"{c}{t}司法所", f"{c}{t}财政所"]
    return [f"{c}{d}" for d in COUNTY_DEPARTMENTS] + [f"中共{c}委员会组织部", f"中共{c}委员会宣传部"]
