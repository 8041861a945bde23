"""The union, contract and activity lists: what each shows and how it exports (federation.lists)."""

from django.utils import timezone

from federation.lists.staff_list import StaffList
from unions.activities.exports import ActivityExporter
from unions.activities.forms import ActivityFilter
from unions.activities.models import Activity
from unions.exports import ContractExporter, UnionExporter
from unions.filters import ContractFilter, UnionFilter
from unions.models import CollectiveContract, GrassrootsUnion
from unions.selectors import with_election_flags, with_expiring_flag

UNIONS = StaffList(
    key="unions",
    model=GrassrootsUnion,
    related=("federation",),
    filterset_class=UnionFilter,
    exporter_class=UnionExporter,
    refine=lambda unions: with_election_flags(unions, timezone.localdate()),
    template="unions/union_list.html",
)

CONTRACTS = StaffList(
    key="contracts",
    model=CollectiveContract,
    related=("union", "federation"),
    filterset_class=ContractFilter,
    exporter_class=ContractExporter,
    refine=lambda contracts: with_expiring_flag(contracts, timezone.localdate()),
    template="unions/contract_list.html",
)

ACTIVITIES = StaffList(
    key="activities",
    model=Activity,
    related=("union", "federation"),
    filterset_class=ActivityFilter,
    exporter_class=ActivityExporter,
    template="unions/activities/activity_list.html",
)
