"""The indicator catalogue of the annual summary (DESIGN.md, "The annual summary").

Each entry: key, Chinese label (the core labels exactly as DESIGN.md's table), unit, section, the
written definition shown to users, and its computation over one of the record sets in records.py.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from members.choices import AidKind, CaseStatus, ChangeType, Gender
from reports.indicators import records as r
from reports.indicators.base import Indicator, rate
from unions.choices import ENTERPRISE_NATURES, NON_PUBLIC_NATURES, ContractKind

ORGANISATION = "organisation"
MEMBERSHIP = "membership"
RIGHTS = "rights"
HELP = "help"
ACTIVITIES = "activities"
HONOURS = "honours"

SECTIONS = {
    ORGANISATION: _("组织建设"),
    MEMBERSHIP: _("会员发展"),
    RIGHTS: _("维权与集体合同"),
    HELP: _("困难职工帮扶"),
    ACTIVITIES: _("活动与技能"),
    HONOURS: _("评先评优"),
}

ARRIVAL = Q(change_type__in=r.ARRIVALS)
DEPARTURE = Q(change_type__in=r.DEPARTURES)


def _stock(extra: Q | None = None) -> Count:
    """Members at year end: arrivals less departures up to 31 Dec (see records.membership_changes_to_end)."""
    extra = extra or Q()
    return Count("pk", filter=ARRIVAL & extra) - Count("pk", filter=DEPARTURE & extra)


def _inside(scope) -> Q:
    """A change whose counterpart (the other side of a transfer) is a union of the subtree."""
    return Q(counterpart_union__isnull=False) & r.counterpart_inside_q(scope)


def _transfer_across(scope, change_type: str) -> Q:
    """A transfer of this type whose other side lies outside the subtree (or outside the deployment)."""
    return Q(change_type=change_type) & ~_inside(scope)


def members_left_q(scope) -> Q:
    """The departures 减少会员数 counts: 退会, 除名, 去世, and 转出 to a union outside the subtree —
    every departure but a 转出 inside it (so written, the departures of a year are read from the index
    membership_change_type_on alone)."""
    return DEPARTURE & ~(Q(change_type=ChangeType.TRANSFER_OUT) & _inside(scope))


def _flag(field: str) -> Count:
    return Count("pk", filter=Q(**{field: True}))


def _aid(kind: str | None = None, measure: str = "count"):
    flt = Q(kind=kind) if kind else Q()
    if measure == "count":
        return Count("pk", filter=flt)
    return Sum(measure, filter=flt)


I = Indicator  # noqa: E741 — a short name keeps the table readable

INDICATORS: list[Indicator] = [
    # --- 组织建设 ---
    I(
        "unions",
        _("基层工会数"),
        _("个"),
        ORGANISATION,
        _("年末状态为“正常”的基层工会：建会日期不晚于12月31日，且在该日尚未撤销或合并。"),
        r.unions_active_at_end,
        Count("pk"),
        core=True,
    ),
    I(
        "unions_new",
        _("新建基层工会数"),
        _("个"),
        ORGANISATION,
        _("建会日期在本年度内的基层工会。"),
        r.unions_established_in,
        Count("pk"),
        core=True,
    ),
    I(
        "unions_closed",
        _("撤销、合并基层工会数"),
        _("个"),
        ORGANISATION,
        _("撤销或合并日期在本年度内的基层工会。"),
        r.unions_closed_in,
        Count("pk"),
    ),
    I(
        "employers_covered",
        _("覆盖单位数"),
        _("家"),
        ORGANISATION,
        _("基层工会数所计工会覆盖的单位：独立基层工会计1家，联合基层工会计其覆盖的单位数。"),
        r.unions_active_at_end,
        Sum("covered_employers"),
        core=True,
    ),
    I(
        "employers_should_unionise",
        _("应建会单位数"),
        _("家"),
        ORGANISATION,
        _("年度基本情况中填报的辖区应建会单位数；本联合会未填报时，合计下级联合会的填报数。"),
    ),
    I(
        "unionisation_rate",
        _("建会率"),
        "%",
        ORGANISATION,
        _("覆盖单位数 ÷ 应建会单位数 × 100%，保留一位小数。"),
        derive=rate("employers_covered", "employers_should_unionise"),
        core=True,
    ),
    I(
        "joint_unions",
        _("联合基层工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常的基层工会中，类型为联合基层工会的。"),
        r.unions_active_at_end,
        Count("pk", filter=Q(union_type="joint")),
    ),
    I(
        "non_public_unions",
        _("非公企业工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常的基层工会中，单位性质为私营、个体、港澳台商投资、外商投资或其他内资的。"),
        r.unions_active_at_end,
        Count("pk", filter=Q(employer_nature__in=NON_PUBLIC_NATURES)),
    ),
    I(
        "full_time_chairs",
        _("专职工会主席数"),
        _("人"),
        ORGANISATION,
        _("年末正常的基层工会中，配备专职主席的工会数（按当前登记）。"),
        r.unions_active_at_end,
        _flag("full_time_chair"),
    ),
    I(
        "full_time_staff",
        _("专职工会工作人员数"),
        _("人"),
        ORGANISATION,
        _("年末正常的基层工会登记的专职工会工作人员之和（按当前登记）。"),
        r.unions_active_at_end,
        Sum("full_time_staff"),
    ),
    I(
        "part_time_staff",
        _("兼职工会工作人员数"),
        _("人"),
        ORGANISATION,
        _("年末正常的基层工会登记的兼职工会工作人员之和（按当前登记）。"),
        r.unions_active_at_end,
        Sum("part_time_staff"),
    ),
    I(
        "unions_elected",
        _("换届选举工会数"),
        _("个"),
        ORGANISATION,
        _("本年度内举行换届选举的基层工会（一个工会多次选举只计一次）。"),
        r.elections_in,
        Count("union", distinct=True),
        core=True,
    ),
    I(
        "unions_overdue",
        _("到期未换届工会数"),
        _("个"),
        ORGANISATION,
        _(
            "年末正常的基层工会中，至12月31日本届任期（自最近一次换届选举，无选举记录的自建会日期起算）已满而未换届的。"
        ),
    ),
    I(
        "unions_women_committee",
        _("建立女职工委员会的工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常且建立女职工委员会的基层工会（按当前登记）。"),
        r.unions_active_at_end,
        _flag("has_women_committee"),
    ),
    I(
        "unions_audit_committee",
        _("建立经费审查委员会的工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常且建立经费审查委员会的基层工会（按当前登记）。"),
        r.unions_active_at_end,
        _flag("has_audit_committee"),
    ),
    I(
        "unions_labour_supervision",
        _("建立劳动法律监督组织的工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常且建立劳动法律监督组织的基层工会（按当前登记）。"),
        r.unions_active_at_end,
        _flag("has_labour_supervision"),
    ),
    I(
        "unions_mediation",
        _("建立劳动争议调解委员会的工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常且建立劳动争议调解委员会的基层工会（按当前登记）。"),
        r.unions_active_at_end,
        _flag("has_mediation_committee"),
    ),
    I(
        "unions_workers_congress",
        _("建立职代会制度的工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常且建立职工代表大会制度的基层工会（按当前登记）。"),
        r.unions_active_at_end,
        _flag("has_workers_congress"),
    ),
    I(
        "unions_open_affairs",
        _("实行厂务公开的工会数"),
        _("个"),
        ORGANISATION,
        _("年末正常且实行厂务公开的基层工会（按当前登记）。"),
        r.unions_active_at_end,
        _flag("has_open_affairs"),
    ),
    # --- 会员发展 ---
    I(
        "employees",
        _("职工总数"),
        _("人"),
        MEMBERSHIP,
        _("基层工会数所计工会本年度“年度职工情况”中职工人数之和。"),
        r.union_years_of_active_unions,
        Sum("employees"),
        core=True,
    ),
    I(
        "women_employees",
        _("女职工数"),
        _("人"),
        MEMBERSHIP,
        _("同上工会本年度女职工人数之和。"),
        r.union_years_of_active_unions,
        Sum("women_employees"),
        core=True,
    ),
    I(
        "migrant_employees",
        _("农民工人数"),
        _("人"),
        MEMBERSHIP,
        _("同上工会本年度农民工人数之和。"),
        r.union_years_of_active_unions,
        Sum("migrant_employees"),
    ),
    I(
        "members",
        _("会员总数"),
        _("人"),
        MEMBERSHIP,
        _(
            "12月31日会籍为“在册”或“保留会籍”的会员：截至该日各工会的入会、转入人数减去转出、退会、除名、去世人数。"
        ),
        r.membership_changes_to_end,
        _stock(),
        core=True,
    ),
    I(
        "women_members",
        _("女会员数"),
        _("人"),
        MEMBERSHIP,
        _("会员总数中的女性会员。"),
        r.membership_changes_to_end,
        _stock(Q(member__gender=Gender.FEMALE)),
        core=True,
    ),
    I(
        "migrant_members",
        _("农民工会员数"),
        _("人"),
        MEMBERSHIP,
        _("会员总数中的农民工会员。"),
        r.membership_changes_to_end,
        _stock(Q(member__is_migrant_worker=True)),
        core=True,
    ),
    I(
        "cadre_members",
        _("工会干部数"),
        _("人"),
        MEMBERSHIP,
        _("会员总数中标记为工会干部的会员。"),
        r.membership_changes_to_end,
        _stock(Q(member__is_cadre=True)),
    ),
    I(
        "new_members",
        _("新发展会员数"),
        _("人"),
        MEMBERSHIP,
        _("本年度内的“入会”记录（按入会日期，而非录入日期）。"),
        r.membership_changes_in,
        Count("pk", filter=Q(change_type=ChangeType.JOIN)),
        core=True,
    ),
    I(
        "transferred_in",
        _("转入会员数"),
        _("人"),
        MEMBERSHIP,
        _("本年度内从本联合会（含下级）以外转入的会员；在本联合会范围内的工会之间转接的不计。"),
        r.membership_changes_in,
        lambda scope: Count("pk", filter=_transfer_across(scope, ChangeType.TRANSFER_IN)),
    ),
    I(
        "members_left",
        _("减少会员数"),
        _("人"),
        MEMBERSHIP,
        _("本年度内退会、除名、去世及转出到本联合会（含下级）以外的会员。"),
        r.membership_changes_in,
        lambda scope: Count("pk", filter=members_left_q(scope)),
    ),
    I(
        "membership_rate",
        _("入会率"),
        "%",
        MEMBERSHIP,
        _("会员总数 ÷ 职工总数 × 100%，保留一位小数。"),
        derive=rate("members", "employees"),
        core=True,
    ),
    # --- 维权与集体合同 ---
    I(
        "contracts_signed",
        _("集体合同签订数"),
        _("份"),
        RIGHTS,
        _("本联合会（含下级）及其基层工会在本年度内签订的集体合同（含专项合同、区域性和行业性合同）。"),
        r.contracts_signed_in,
        Count("pk"),
        core=True,
    ),
    I(
        "wage_contracts_signed",
        _("工资专项集体合同签订数"),
        _("份"),
        RIGHTS,
        _("本年度内签订的工资专项集体合同。"),
        r.contracts_signed_in,
        Count("pk", filter=Q(kind=ContractKind.WAGE)),
        core=True,
    ),
    I(
        "women_contracts_signed",
        _("女职工权益保护专项集体合同签订数"),
        _("份"),
        RIGHTS,
        _("本年度内签订的女职工权益保护专项集体合同。"),
        r.contracts_signed_in,
        Count("pk", filter=Q(kind=ContractKind.WOMEN)),
    ),
    I(
        "average_wage_increase",
        _("工资专项合同平均工资增幅"),
        "%",
        RIGHTS,
        _("本年度签订、约定了工资增幅的工资专项集体合同的增幅平均值。"),
        r.contracts_signed_in,
        Avg("wage_increase_pct", filter=Q(kind=ContractKind.WAGE)),
    ),
    I(
        "contracts_in_force",
        _("有效集体合同数"),
        _("份"),
        RIGHTS,
        _("12月31日在期限内、已签订且未终止的集体合同。"),
        r.contracts_in_force_at_end,
        Count("pk"),
    ),
    I(
        "covered_unions",
        _("集体合同覆盖基层工会数"),
        _("个"),
        RIGHTS,
        _(
            "年末正常的基层工会中，被12月31日有效的集体合同（本单位合同或区域性、行业性合同）覆盖的，每个工会只计一次。"
        ),
        r.covered_unions_at_end,
        Count("pk"),
        core=True,
    ),
    I(
        "covered_employees",
        _("集体合同覆盖职工数"),
        _("人"),
        RIGHTS,
        _("上述被覆盖工会本年度职工人数之和。"),
        r.union_years_of_covered_unions,
        Sum("employees"),
        core=True,
        # Summed in the covered unions' own query (their year's figures joined to each), not a second
        # query that finds the covered unions again.
        computed_with=(r.covered_unions_at_end, Sum("year_figures__employees")),
    ),
    I(
        "enterprise_unions",
        _("企业基层工会数"),
        _("个"),
        RIGHTS,
        _("年末正常的基层工会中，单位性质属于企业（内资、港澳台资、外资）的。"),
        r.unions_active_at_end,
        Count("pk", filter=Q(employer_nature__in=ENTERPRISE_NATURES)),
    ),
    I(
        "covered_enterprise_unions",
        _("集体合同覆盖企业工会数"),
        _("个"),
        RIGHTS,
        _("集体合同覆盖基层工会中的企业工会。"),
        r.covered_unions_at_end,
        Count("pk", filter=Q(employer_nature__in=ENTERPRISE_NATURES)),
    ),
    I(
        "contract_rate",
        _("集体合同签订率"),
        "%",
        RIGHTS,
        _("集体合同覆盖企业工会数 ÷ 企业基层工会数 × 100%，保留一位小数。"),
        derive=rate("covered_enterprise_unions", "enterprise_unions"),
        core=True,
    ),
    I(
        "contracts_expiring",
        _("下一年到期集体合同数"),
        _("份"),
        RIGHTS,
        _("12月31日有效、期限在下一年度内届满的集体合同。"),
        r.contracts_expiring_next_year,
        Count("pk"),
    ),
    # --- 困难职工帮扶 ---
    I(
        "cases_open",
        _("困难职工在档数"),
        _("户"),
        HELP,
        _("12月31日状态为“在档”的困难职工档案：建档日期不晚于该日，且在该日尚未结档。"),
        r.cases_open_at_end,
        Count("pk"),
        core=True,
    ),
    I(
        "cases_opened",
        _("新建档困难职工数"),
        _("户"),
        HELP,
        _("建档日期在本年度内的困难职工档案。"),
        r.cases_opened_in,
        Count("pk"),
    ),
    I(
        "cases_resolved",
        _("解困脱困数"),
        _("户"),
        HELP,
        _("本年度内以“已解困脱困”结档的档案。"),
        r.cases_closed_in,
        Count("pk", filter=Q(status=CaseStatus.RESOLVED)),
        core=True,
    ),
    I(
        "cases_exited",
        _("退出档案数"),
        _("户"),
        HELP,
        _("本年度内以“已退出”结档的档案。"),
        r.cases_closed_in,
        Count("pk", filter=Q(status=CaseStatus.EXITED)),
    ),
    I(
        "cases_overdue_review",
        _("超过12个月未复核档案数"),
        _("户"),
        HELP,
        _("年末在档、建档满12个月，且12个月内没有初审、终审或复核记录的档案。"),
        r.cases_overdue_for_review,
        Count("pk"),
    ),
    I(
        "aid_amount",
        _("帮扶金额"),
        _("元"),
        HELP,
        _("本年度内各类帮扶记录的金额之和（不含实物折价）。"),
        r.aid_in,
        _aid(measure="amount"),
        core=True,
    ),
    I("aid_count", _("帮扶人次"), _("人次"), HELP, _("本年度内的帮扶记录数。"), r.aid_in, _aid(), core=True),
    I(
        "aid_people",
        _("帮扶人数"),
        _("人"),
        HELP,
        _("本年度内得到帮扶的会员（同一人多次只计一次）。"),
        r.aid_in,
        Count("member", distinct=True),
    ),
    I(
        "aid_goods_value",
        _("实物折价"),
        _("元"),
        HELP,
        _("本年度内帮扶记录中实物的折价之和。"),
        r.aid_in,
        _aid(measure="goods_value"),
    ),
    I(
        "school_students",
        _("金秋助学人数"),
        _("人"),
        HELP,
        _("本年度内助学（金秋助学）帮扶记录的助学学生数之和。"),
        r.aid_in,
        _aid(AidKind.EDUCATION, "students_helped"),
        core=True,
    ),
    I(
        "school_amount",
        _("金秋助学金额"),
        _("元"),
        HELP,
        _("本年度内助学（金秋助学）帮扶的金额之和。"),
        r.aid_in,
        _aid(AidKind.EDUCATION, "amount"),
        core=True,
    ),
    I(
        "festival_visits",
        _("送温暖慰问人次"),
        _("人次"),
        HELP,
        _("本年度内节日慰问（送温暖）帮扶记录数。"),
        r.aid_in,
        _aid(AidKind.FESTIVAL),
        core=True,
    ),
    I(
        "festival_amount",
        _("送温暖慰问金额"),
        _("元"),
        HELP,
        _("本年度内节日慰问（送温暖）帮扶的金额之和。"),
        r.aid_in,
        _aid(AidKind.FESTIVAL, "amount"),
        core=True,
    ),
    # --- 活动与技能 ---
    I(
        "activities",
        _("活动场次"),
        _("场"),
        ACTIVITIES,
        _("本联合会（含下级）及其基层工会主办、开始日期在本年度内的活动。"),
        r.activities_in,
        Count("pk"),
        core=True,
    ),
    I(
        "activity_participants",
        _("活动参与人次"),
        _("人次"),
        ACTIVITIES,
        _("上述活动的参与人次之和。"),
        r.activities_in,
        Sum("participants"),
        core=True,
    ),
    I(
        "activity_beneficiaries",
        _("活动受益人数"),
        _("人"),
        ACTIVITIES,
        _("上述活动的受益人数之和。"),
        r.activities_in,
        Sum("beneficiaries"),
    ),
    I(
        "activity_spending",
        _("活动经费支出"),
        _("元"),
        ACTIVITIES,
        _("上述活动的经费支出之和。"),
        r.activities_in,
        Sum("spending"),
    ),
    # --- 评先评优 ---
    I(
        "union_honours",
        _("工会集体荣誉数"),
        _("项"),
        HONOURS,
        _("本联合会（含下级）的基层工会在本年度获得的荣誉。"),
        r.union_honours_in,
        Count("pk"),
    ),
    I(
        "member_honours",
        _("会员个人荣誉数"),
        _("项"),
        HONOURS,
        _("本联合会（含下级）基层工会的会员在本年度获得的荣誉。"),
        r.member_honours_in,
        Count("pk"),
    ),
]

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}
CORE_KEYS: list[str] = [indicator.key for indicator in INDICATORS if indicator.core]
