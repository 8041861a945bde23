"""The member, hardship-case and aid lists: what each shows and how it exports (federation.lists)."""

from django.db.models import Count, QuerySet, Sum

from federation.lists.staff_list import StaffList
from federation.numbers import money_parts
from members.exports import AidRecordExporter, HardshipCaseExporter, MemberExporter, MemberRosterExporter
from members.filters import MemberFilter
from members.hardship.filters import AidRecordFilter, HardshipCaseFilter
from members.models import AidRecord, HardshipCase, Member


def aid_totals(records: QuerySet) -> dict:
    """The count and sums of the whole filtered aid list, in one aggregate (the count is the
    paginator's too), with each sum as the dashboard and the summary print money ((number, unit):
    thousands separators, 万元 from ten thousand up), so that the same sum reads the same everywhere."""
    totals = records.order_by().aggregate(count=Count("pk"), amount=Sum("amount"), goods=Sum("goods_value"))
    totals["amount_shown"] = money_parts(totals["amount"])
    totals["goods_shown"] = money_parts(totals["goods"])
    return totals


def members_by_name(members: QuerySet) -> QuerySet:
    """The member list's own order: by name (then pk), which the index member_name_id serves, so that
    any page of a city's 2.36 M members is read from the index, not sorted (Member's default order
    goes through the federation path and the union name, which no index can serve). Within one union —
    a union cadre's list, or a union chosen — it is the order the list always had."""
    return members.order_by("name", "pk")


MEMBERS = StaffList(
    key="members",
    model=Member,
    related=("union",),
    refine=members_by_name,
    filterset_class=MemberFilter,
    exporter_class=MemberExporter,
    template="members/member_list.html",
)

# The member list exported as a roster that imports back unchanged (`?format=xlsx&layout=roster`).
MEMBER_ROSTER = StaffList(
    key="members-roster",
    model=Member,
    refine=members_by_name,
    filterset_class=MemberFilter,
    exporter_class=MemberRosterExporter,
)
ROSTER_LAYOUT = "roster"

HARDSHIP_CASES = StaffList(
    key="hardship-cases",
    model=HardshipCase,
    related=("member", "union"),
    filterset_class=HardshipCaseFilter,
    exporter_class=HardshipCaseExporter,
    template="members/hardship/case_list.html",
)

AID_RECORDS = StaffList(
    key="aid-records",
    model=AidRecord,
    related=("member", "union"),
    filterset_class=AidRecordFilter,
    exporter_class=AidRecordExporter,
    template="members/aid/aid_list.html",
    totals=aid_totals,
)
