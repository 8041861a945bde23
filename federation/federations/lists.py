"""The federation list: the tree in the user's scope, shown whole (no filters, no pages), and its export."""

from django.db.models import Count, QuerySet

from federation.federations.exports import FederationExporter
from federation.lists.staff_list import StaffList
from federation.models import Federation


def _with_union_counts(federations: QuerySet) -> QuerySet:
    return federations.annotate(union_count=Count("unions")).order_by("path")


FEDERATIONS = StaffList(
    key="federations",
    model=Federation,
    related=("parent",),
    refine=_with_union_counts,
    exporter_class=FederationExporter,
    template="federation/federations/federation_list.html",
    # A few hundred rows at most: written inline, without counting them first.
    background=False,
)
