"""The official categories of the 工会组织信息采集表 and the statistical groups derived from them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnionType(models.TextChoices):
    INDEPENDENT = "independent", _("独立基层工会")
    JOINT = "joint", _("联合基层工会")


class EmployerNature(models.TextChoices):
    """单位性质."""

    STATE_OWNED = "state_owned", _("国有企业")
    COLLECTIVE = "collective", _("集体企业")
    JOINT_STOCK_COOP = "joint_stock_coop", _("股份合作")
    JOINT_OPERATION = "joint_operation", _("联营")
    STATE_SOLE_LLC = "state_sole_llc", _("国有独资公司")
    OTHER_LLC = "other_llc", _("其他有限责任公司")
    STATE_CONTROLLED = "state_controlled", _("国有控股")
    OTHER_JOINT_STOCK = "other_joint_stock", _("其他股份有限")
    PRIVATE = "private", _("私营")
    OTHER_DOMESTIC = "other_domestic", _("其他内资")
    HMT_INVESTED = "hmt_invested", _("港澳台商投资")
    FOREIGN_INVESTED = "foreign_invested", _("外商投资")
    FUNDED_INSTITUTION = "funded_institution", _("财政拨款事业单位")
    OTHER_INSTITUTION = "other_institution", _("其他事业单位")
    GOVERNMENT_ORGAN = "government_organ", _("机关")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体经济组织")
    SOCIAL_GROUP = "social_group", _("社会团体")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("民办非企业")
    FOUNDATION = "foundation", _("基金会")
    OTHER_ORGANISATION = "other_organisation", _("其他组织")


class StatisticalGroup(models.TextChoices):
    """The groups of the 工会统计年报, derived from 单位性质."""

    ENTERPRISE_DOMESTIC = "enterprise_domestic", _("企业(内资)")
    ENTERPRISE_HMT = "enterprise_hmt", _("企业(港澳台资)")
    ENTERPRISE_FOREIGN = "enterprise_foreign", _("企业(外资)")
    INSTITUTION = "institution", _("事业单位")
    ORGAN = "organ", _("机关")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    COMMUNITY = "community", _("村(社区)及其他")


STATISTICAL_GROUP_OF_NATURE: dict[str, str] = {
    EmployerNature.STATE_OWNED: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.COLLECTIVE: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.JOINT_STOCK_COOP: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.JOINT_OPERATION: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.STATE_SOLE_LLC: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.OTHER_LLC: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.STATE_CONTROLLED: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.OTHER_JOINT_STOCK: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.PRIVATE: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.OTHER_DOMESTIC: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.INDIVIDUAL_BUSINESS: StatisticalGroup.ENTERPRISE_DOMESTIC,
    EmployerNature.HMT_INVESTED: StatisticalGroup.ENTERPRISE_HMT,
    EmployerNature.FOREIGN_INVESTED: StatisticalGroup.ENTERPRISE_FOREIGN,
    EmployerNature.FUNDED_INSTITUTION: StatisticalGroup.INSTITUTION,
    EmployerNature.OTHER_INSTITUTION: StatisticalGroup.INSTITUTION,
    EmployerNature.GOVERNMENT_ORGAN: StatisticalGroup.ORGAN,
    EmployerNature.SOCIAL_GROUP: StatisticalGroup.SOCIAL_ORGANISATION,
    EmployerNature.PRIVATE_NON_ENTERPRISE: StatisticalGroup.SOCIAL_ORGANISATION,
    EmployerNature.FOUNDATION: StatisticalGroup.SOCIAL_ORGANISATION,
    EmployerNature.OTHER_ORGANISATION: StatisticalGroup.COMMUNITY,
}

ENTERPRISE_GROUPS = frozenset(
    {
        StatisticalGroup.ENTERPRISE_DOMESTIC,
        StatisticalGroup.ENTERPRISE_HMT,
        StatisticalGroup.ENTERPRISE_FOREIGN,
    }
)
ENTERPRISE_NATURES = frozenset(
    nature for nature, group in STATISTICAL_GROUP_OF_NATURE.items() if group in ENTERPRISE_GROUPS
)

# 非公有制企业: enterprises in neither state nor collective ownership.
NON_PUBLIC_NATURES = frozenset(
    {
        EmployerNature.PRIVATE,
        EmployerNature.INDIVIDUAL_BUSINESS,
        EmployerNature.HMT_INVESTED,
        EmployerNature.FOREIGN_INVESTED,
        EmployerNature.OTHER_DOMESTIC,
    }
)


class EconomicType(models.TextChoices):
    """经济类型."""

    STATE = "state", _("国有")
    COLLECTIVE = "collective", _("集体")
    PRIVATE = "private", _("私营")
    INDIVIDUAL = "individual", _("个体")
    JOINT = "joint", _("联营")
    JOINT_STOCK = "joint_stock", _("股份制")
    FOREIGN = "foreign", _("外商")
    HMT = "hmt", _("港澳台")
    OTHER = "other", _("其他")


class Industry(models.TextChoices):
    """国民经济行业分类 门类 A–T (GB/T 4754-2017)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741 — the official letter
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class UnionStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    DISSOLVED = "dissolved", _("已撤销")
    MERGED = "merged", _("已合并")


class HonourTitle(models.TextChoices):
    MODEL_HOME = "model_home", _("模范职工之家")
    ADVANCED_HOME = "advanced_home", _("先进职工之家")
    QUALIFIED_HOME = "qualified_home", _("合格职工之家")
    MAY_DAY_MEDAL = "may_day_medal", _("五一劳动奖章")
    MODEL_WORKER = "model_worker", _("劳动模范")
    ADVANCED_WORKER = "advanced_worker", _("先进工作者")
    EXCELLENT_CADRE = "excellent_cadre", _("优秀工会工作者")
    EXCELLENT_ACTIVIST = "excellent_activist", _("优秀工会积极分子")
    OTHER = "other", _("其他")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县区")
    TOWNSHIP = "township", _("乡镇街道")


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合性集体合同")
    WAGE = "wage", _("工资专项集体合同")
    WOMEN = "women", _("女职工权益保护专项集体合同")
    SAFETY = "safety", _("劳动安全卫生专项集体合同")
    OTHER_SPECIAL = "other_special", _("其他专项")


class ContractScope(models.TextChoices):
    SINGLE = "single", _("单独签订")
    REGIONAL = "regional", _("区域性")
    SECTORAL = "sectoral", _("行业性")


class ContractStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("协商中")
    SIGNED = "signed", _("已签订")
    EFFECTIVE = "effective", _("已备案生效")
    EXPIRED = "expired", _("已到期")
    TERMINATED = "terminated", _("已终止")


# A contract binds from signature until its end date unless it was terminated early.
CONTRACT_BINDING_STATUSES = frozenset(
    {ContractStatus.SIGNED, ContractStatus.EFFECTIVE, ContractStatus.EXPIRED}
)
