"""A grassroots union's own catalogue: the federation's indicators taken over one union (UnionScope),
less those that count unions of a tree — 基层工会数, 建会率, the unions with a 职代会 and the like, which
for one union are a yes or a no the union's own summary says in words (reports.summary.union_narrative).
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from federation.scope import Period
from reports.indicators.catalogue import INDICATORS
from reports.indicators.compute import Catalogue, catalogue_of
from unions.models import GrassrootsUnion
from unions.scope import UnionScope

# Figures about a tree of unions: no figure of one union's own.
COUNTS_OF_UNIONS = frozenset(
    {
        "unions",
        "unions_new",
        "unions_closed",
        "employers_should_unionise",
        "unionisation_rate",
        "joint_unions",
        "non_public_unions",
        "full_time_chairs",
        "unions_elected",
        "unions_overdue",
        "unions_women_committee",
        "unions_audit_committee",
        "unions_labour_supervision",
        "unions_mediation",
        "unions_workers_congress",
        "unions_open_affairs",
        "covered_unions",
        "enterprise_unions",
        "covered_enterprise_unions",
        "contract_rate",
    }
)

# The definitions that speak of a subtree (「基层工会数所计工会」, 「本联合会（含下级）」), as they read of
# one union: the same rule, counted over the union's own records.
UNION_DEFINITIONS = {
    "employers_covered": _("本工会覆盖的单位：独立基层工会计1家，联合基层工会计其覆盖的单位数。"),
    "full_time_staff": _("本工会登记的专职工会工作人员（按当前登记）。"),
    "part_time_staff": _("本工会登记的兼职工会工作人员（按当前登记）。"),
    "employees": _("本工会本年度“年度职工情况”中的职工人数。"),
    "women_employees": _("本工会本年度“年度职工情况”中的女职工人数。"),
    "migrant_employees": _("本工会本年度“年度职工情况”中的农民工人数。"),
    "members": _(
        "12月31日会籍为“在册”或“保留会籍”的本工会会员：截至该日本工会的入会、转入人数减去转出、退会、除名、去世人数。"
    ),
    "transferred_in": _("本年度内从其他工会转入本工会的会员。"),
    "members_left": _("本年度内退会、除名、去世及转出到其他工会的会员。"),
    "contracts_signed": _("本工会在本年度内签订的集体合同（含专项合同）。"),
    "covered_employees": _(
        "年末本工会有有效集体合同（本单位的，或覆盖本单位的区域性、行业性合同）时，本年度的职工人数。"
    ),
    "activities": _("本工会主办、开始日期在本年度内的活动。"),
    "union_honours": _("本工会在本年度获得的荣誉。"),
    "member_honours": _("本工会会员在本年度获得的荣誉。"),
}

UNION_INDICATORS = [
    replace(indicator, definition=UNION_DEFINITIONS[indicator.key])
    if indicator.key in UNION_DEFINITIONS
    else indicator
    for indicator in INDICATORS
    if indicator.key not in COUNTS_OF_UNIONS
]
UNION_BY_KEY = {indicator.key: indicator for indicator in UNION_INDICATORS}


def compute_union_catalogue(union: GrassrootsUnion, year: int, kind: str = Period.kind) -> Catalogue:
    """The catalogue of one union for the year or its first half (`kind`)."""
    return catalogue_of(UnionScope(union), year, kind, UNION_INDICATORS)
