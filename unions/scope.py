"""One grassroots union as what a figure is taken over (beside federation.scope.Scope, a federation's
subtree): the scope of a union's own summary (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from federation.models import Federation
from federation.scope import NOTHING
from unions.models import GrassrootsUnion


@dataclass(frozen=True)
class UnionScope:
    """One grassroots union: what a union's own summary (reports.subjects) is taken over.

    It answers what Scope answers, so the record sets of reports.indicators.records take it in Scope's
    place: `union_q` is this union, and the records a federation keeps itself (its own activities and
    contracts, its yearly figures) are none of it. A transfer to any other union is a departure here,
    as it is in the per-union table of a federation's summary."""

    union: GrassrootsUnion

    @property
    def federation(self) -> Federation:
        """The federation the union belongs to (directly)."""
        return self.union.federation

    is_everything = False

    def federation_q(self, lookup: str) -> Q:
        return NOTHING

    def union_q(self, lookup: str = "union") -> Q:
        return Q(pk=self.union.pk) if lookup == "pk" else Q(**{lookup: self.union.pk})
