"""Where a figure of the annual summary opens a staff list, filtered, instead of the reports'
own drill-down list.

A figure links to a staff list only where the list's filters hold exactly the records the figure
counts (or sums): the federation's subtree (`within`), the year, the state on 31 December for sets
defined by stored dates (a union active, a case open, a contract in force), and the category of a
breakdown row. The rest keep the reports drill-down (reports.summary.drilldown): the member stock and its
parts (reconstructed from the membership history), the union and contract sets that need an
aggregate the lists cannot filter on (non-public, enterprise, flags, covered unions), membership
changes, elections and honours (no staff list), and distinct counts (people helped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from members.choices import AidKind, CaseStatus
from reports.summary.figures import BREAKDOWN, INDICATOR, Figure
from unions.choices import ContractKind, UnionType

UNIONS, CONTRACTS, CASES, AID, ACTIVITIES = (
    "unions:list",
    "unions:contract-list",
    "hardship:list",
    "hardship:aid-list",
    "activities:list",
)


@dataclass(frozen=True)
class StaffList:
    """A staff list and how the year enters its query: as a year (`year_param`) or as 31 December
    (`day_param`); `fixed` are further filters of the set."""

    url_name: str
    year_param: str | None = None
    day_param: str | None = None
    fixed: dict[str, str] = field(default_factory=dict)

    def query(self, federation_id: int, year: int) -> list[tuple[str, str]]:
        query = [("within", str(federation_id))]
        if self.year_param:
            query.append((self.year_param, str(year)))
        if self.day_param:
            query.append((self.day_param, f"{year}-12-31"))
        return query + [(name, str(value)) for name, value in self.fixed.items()]


UNIONS_AT_END = StaffList(UNIONS, day_param="active_on")
CONTRACTS_SIGNED = StaffList(CONTRACTS, year_param="signed_year")
CASES_OPEN = StaffList(CASES, day_param="open_on")
AID_IN = StaffList(AID, year_param="year")
ACTIVITIES_IN = StaffList(ACTIVITIES, year_param="year")

INDICATOR_LISTS: dict[str, StaffList] = {
    "unions": UNIONS_AT_END,
    "employers_covered": UNIONS_AT_END,
    "full_time_staff": UNIONS_AT_END,
    "part_time_staff": UNIONS_AT_END,
    "joint_unions": StaffList(UNIONS, day_param="active_on", fixed={"union_type": UnionType.JOINT}),
    "contracts_signed": CONTRACTS_SIGNED,
    "wage_contracts_signed": StaffList(CONTRACTS, "signed_year", fixed={"kind": ContractKind.WAGE}),
    "women_contracts_signed": StaffList(CONTRACTS, "signed_year", fixed={"kind": ContractKind.WOMEN}),
    "contracts_in_force": StaffList(CONTRACTS, day_param="in_force_on"),
    "cases_open": CASES_OPEN,
    "cases_opened": StaffList(CASES, year_param="opened_year"),
    "cases_resolved": StaffList(CASES, year_param="closed_year", fixed={"status": CaseStatus.RESOLVED}),
    "cases_exited": StaffList(CASES, year_param="closed_year", fixed={"status": CaseStatus.EXITED}),
    "aid_amount": AID_IN,
    "aid_count": AID_IN,
    "aid_goods_value": AID_IN,
    "school_students": StaffList(AID, year_param="year", fixed={"kind": AidKind.EDUCATION}),
    "school_amount": StaffList(AID, year_param="year", fixed={"kind": AidKind.EDUCATION}),
    "festival_visits": StaffList(AID, year_param="year", fixed={"kind": AidKind.FESTIVAL}),
    "festival_amount": StaffList(AID, year_param="year", fixed={"kind": AidKind.FESTIVAL}),
    "activities": ACTIVITIES_IN,
    "activity_participants": ACTIVITIES_IN,
    "activity_beneficiaries": ACTIVITIES_IN,
    "activity_spending": ACTIVITIES_IN,
}

# A breakdown row: its list, and the list's parameter for each grouping field of the row.
BREAKDOWN_LISTS: dict[str, tuple[StaffList, dict[str, str]]] = {
    "unions_by_type": (UNIONS_AT_END, {"union_type": "union_type"}),
    "contracts_by_kind": (CONTRACTS_SIGNED, {"kind": "kind", "scope": "scope"}),
    "cases_by_category": (CASES_OPEN, {"category": "category"}),
    "cases_by_cause": (CASES_OPEN, {"primary_cause": "primary_cause"}),
    "aid_by_kind": (AID_IN, {"kind": "kind"}),
    "activities_by_category": (ACTIVITIES_IN, {"category": "category"}),
}


def staff_list_url(figure: Figure, federation_id: int, year: int) -> str | None:
    """The filtered staff list of this figure (of `year`, or the year before for a previous-year
    figure), or None where the reports drill-down stays."""
    year = year - 1 if figure.previous else year
    if figure.kind == INDICATOR and figure.key in INDICATOR_LISTS:
        staff_list = INDICATOR_LISTS[figure.key]
        query = staff_list.query(federation_id, year)
    elif figure.kind == BREAKDOWN and figure.key in BREAKDOWN_LISTS:
        staff_list, params = BREAKDOWN_LISTS[figure.key]
        if any(name not in params for name, _value in figure.group):
            return None
        query = staff_list.query(federation_id, year)
        query += [(params[name], str(value)) for name, value in figure.group]
    else:
        return None
    return f"{reverse(staff_list.url_name)}?{urlencode(query)}"
