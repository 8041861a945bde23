"""A grassroots union's own catalogue: the federation's indicators taken over one union (UnionScope),
less those that count unions of a tree — 基层工会数, 建会率, the unions with a 职代会 and the like, which
for one union are a yes or a no the union's own summary says in words (reports.summary.union_narrative).
"""

from __future__ import annotations

from federation.scope import Period, UnionScope
from reports.indicators.catalogue import INDICATORS
from reports.indicators.compute import Catalogue, catalogue_of
from unions.models import GrassrootsUnion

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

UNION_INDICATORS = [indicator for indicator in INDICATORS if indicator.key not in COUNTS_OF_UNIONS]


def compute_union_catalogue(union: GrassrootsUnion, year: int, kind: str = Period.kind) -> Catalogue:
    """The catalogue of one union for the year or its first half (`kind`)."""
    return catalogue_of(UnionScope(union), year, kind, UNION_INDICATORS)
