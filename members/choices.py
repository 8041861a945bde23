"""The official categories of the 会员实名信息采集表, of 会籍变化 and of 困难职工档案."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


# The 56 nationalities in the order of GB 3304, then 其他. The stored value is the GB 3304 code.
_ETHNIC_NAMES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 "
    "布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 "
    "水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 "
    "羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 "
    "京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 "
).split()
ETHNICITY_CHOICES = [(f"{i:02d}", name) for i, name in enumerate(_ETHNIC_NAMES, start=1)] + [("97", "其他")]
HAN = "01"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
    PASSPORT = "passport", _("护照")
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中专(技校)")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR_HIGH = "junior_high", _("初中")
    PRIMARY = "primary", _("小学及以下")


class PoliticalStatus(models.TextChoices):
    """政治面貌, the 13 official values."""

    CPC_MEMBER = "cpc_member", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL_MEMBER = "cyl_member", _("共青团员")
    RCCK = "rcck", _("民革党员")
    CDL = "cdl", _("民盟盟员")
    CNDCA = "cndca", _("民建会员")
    CAPD = "capd", _("民进会员")
    CPWDP = "cpwdp", _("农工党党员")
    CZGP = "czgp", _("致公党党员")
    JIUSAN = "jiusan", _("九三学社社员")
    TDSGL = "tdsgl", _("台盟盟员")
    NON_PARTISAN = "non_partisan", _("无党派人士")
    MASSES = "masses", _("群众")


class EmploymentStatus(models.TextChoices):
    ON_DUTY = "on_duty", _("在岗")
    LAID_OFF = "laid_off", _("待(下)岗")
    UNEMPLOYED = "unemployed", _("失业")
    RETIRED = "retired", _("退休")
    RESIGNED = "resigned", _("退职")
    EARLY_RETIRED = "early_retired", _("退养(内退)")
    SICK_LEAVE = "sick_leave", _("病休")
    OTHER = "other", _("其他")


class SkillGrade(models.TextChoices):
    NONE = "none", _("无")
    LEVEL_1 = "level_1", _("职业资格一级(高级技师)")
    LEVEL_2 = "level_2", _("职业资格二级(技师)")
    LEVEL_3 = "level_3", _("职业资格三级(高级工)")
    LEVEL_4 = "level_4", _("职业资格四级(中级工)")
    LEVEL_5 = "level_5", _("职业资格五级(初级工)")


class HukouType(models.TextChoices):
    AGRICULTURAL = "agricultural", _("农业")
    NON_AGRICULTURAL = "non_agricultural", _("非农业")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    RESERVED = "reserved", _("保留会籍")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    WITHDRAWN = "withdrawn", _("已退会")
    EXPELLED = "expelled", _("已除名")
    DECEASED = "deceased", _("已去世")


# 保留会籍 is still a membership: it counts among members and holds the ID number.
LIVE_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.RESERVED)


class ChangeType(models.TextChoices):
    """会籍变化类型."""

    JOIN = "join", _("入会")
    TRANSFER_IN = "transfer_in", _("转入")
    RESERVE = "reserve", _("保留")
    TRANSFER_OUT = "transfer_out", _("转出")
    EXPEL = "expel", _("除名")
    WITHDRAW = "withdraw", _("退会")
    DEATH = "death", _("去世")


# The status each change leaves the member in, and the changes that end a live membership.
STATUS_AFTER_CHANGE: dict[str, str] = {
    ChangeType.JOIN: MembershipStatus.ACTIVE,
    ChangeType.TRANSFER_IN: MembershipStatus.ACTIVE,
    ChangeType.RESERVE: MembershipStatus.RESERVED,
    ChangeType.TRANSFER_OUT: MembershipStatus.TRANSFERRED_OUT,
    ChangeType.EXPEL: MembershipStatus.EXPELLED,
    ChangeType.WITHDRAW: MembershipStatus.WITHDRAWN,
    ChangeType.DEATH: MembershipStatus.DECEASED,
}
LEAVING_CHANGES = (
    ChangeType.TRANSFER_OUT,
    ChangeType.EXPEL,
    ChangeType.WITHDRAW,
    ChangeType.DEATH,
)


class ChangeReason(models.TextChoices):
    LABOUR_RELATION = "labour_relation", _("劳动(工作)关系变化")
    LAID_OFF = "laid_off", _("下岗待岗")
    UNEMPLOYED = "unemployed", _("失业")
    BANKRUPTCY = "bankruptcy", _("企业破产")
    PERSONAL = "personal", _("个人要求退会")
    CRIME = "crime", _("因犯罪开除")
    OTHER = "other", _("其他")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待转出审批")
    APPROVED = "approved", _("待转入接收")
    ACCEPTED = "accepted", _("已完成")
    REFUSED = "refused", _("已拒绝")
    CANCELLED = "cancelled", _("已撤销")


OPEN_TRANSFER_STATUSES = (TransferStatus.REQUESTED, TransferStatus.APPROVED)


class HardshipCategory(models.TextChoices):
    DEEP = "deep", _("深度困难职工")
    RELATIVE = "relative", _("相对困难职工")
    ACCIDENT = "accident", _("意外致困职工")


class HardshipCause(models.TextChoices):
    NO_WORK_CAPACITY = "no_work_capacity", _("无劳动能力")
    ABLE_UNEMPLOYED = "able_unemployed", _("有能力未就业")
    LAID_OFF = "laid_off", _("下岗失业")
    NO_SOCIAL_INSURANCE = "no_social_insurance", _("未参加社保")
    INSURANCE_SHORTFALL = "insurance_shortfall", _("社保待遇不到位")
    SERIOUS_ILLNESS = "serious_illness", _("患重特大疾病")
    NATURAL_DISASTER = "natural_disaster", _("自然灾害")
    ACCIDENT = "accident", _("意外事故")
    SCHOOLING = "schooling", _("子女上学")
    OTHER = "other", _("其他")


class HealthStatus(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("慢性病")
    SERIOUS = "serious", _("重特大疾病")
    DISABLED = "disabled", _("残疾")


class DisabilityGrade(models.TextChoices):
    NONE = "none", _("无")
    GRADE_1 = "grade_1", _("一级")
    GRADE_2 = "grade_2", _("二级")
    GRADE_3 = "grade_3", _("三级")
    GRADE_4 = "grade_4", _("四级")


class Housing(models.TextChoices):
    OWN = "own", _("自有住房")
    PUBLIC_RENTAL = "public_rental", _("公租房/廉租房")
    RENTED = "rented", _("租住私房")
    RELATIVES = "relatives", _("借住亲友")
    NONE = "none", _("无固定住所")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("在档")
    RESOLVED = "resolved", _("已解困脱困")
    EXITED = "exited", _("已退出")


class ReviewKind(models.TextChoices):
    INITIAL = "initial", _("初审")
    FINAL = "final", _("终审")
    ANNUAL = "annual", _("复核/回访")


class AidKind(models.TextChoices):
    LIVING = "living", _("生活救助")
    MEDICAL = "medical", _("医疗救助")
    EDUCATION = "education", _("助学(金秋助学)")
    EMPLOYMENT = "employment", _("就业帮扶")
    LEGAL = "legal", _("法律援助")
    FESTIVAL = "festival", _("节日慰问(送温暖)")
    OTHER = "other", _("其他")


class FundSource(models.TextChoices):
    UPPER_UNION = "upper_union", _("上级工会")
    OWN_FUNDS = "own_funds", _("本级经费")
    DONATION = "donation", _("社会捐助")
    ENTERPRISE = "enterprise", _("企业")


class CaseDocumentKind(models.TextChoices):
    """证明材料 of a hardship case."""

    INCOME = "income", _("收入证明")
    ILLNESS = "illness", _("疾病诊断或医疗费用证明")
    DISABILITY = "disability", _("残疾证明")
    PUBLICITY = "publicity", _("公示记录")
    OTHER = "other", _("其他材料")
