"""The machinery of the indicator catalogue: the Indicator entry itself, computed for a Scope and a
Period (federation.scope).

An indicator is computed for a federation *and every federation below it* (its subtree) and a year.
Each indicator names the set of records it counts (`records`, used for the drill-down list and for the
written definition) and how the figure is aggregated over them. Indicators over the same set of records
are computed together in one aggregate query, so the number of queries for the whole catalogue is fixed,
whatever the number of unions or members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from federation.scope import Period, Scope
from unions.scope import UnionScope

__all__ = ["AnyScope", "Indicator", "Period", "RecordsFn", "Scope", "rate"]


# What a figure is taken over: a federation's subtree or one union.
AnyScope = Scope | UnionScope

RecordsFn = Callable[[AnyScope, Period], models.QuerySet]


@dataclass(frozen=True)
class Indicator:
    """One named figure of the annual summary.

    `records(scope, period)` is the queryset of the records the figure counts (the drill-down list);
    `aggregate` turns that queryset into the figure (Count, Sum, …). A derived indicator (a rate) has
    `derive` instead, computed from other figures of the same year.

    `computed_with` (a record set and an aggregate over it) gives the same figure from a record set the
    catalogue queries anyway, so that the figure costs no query of its own; the drill-down and the
    definition keep `records`. tests/reports/test_indicator_definitions.py checks both ways agree.
    """

    key: str
    label: str
    unit: str
    section: str
    definition: str
    records: RecordsFn | None = None
    aggregate: models.Expression | Callable[[AnyScope], models.Expression] | None = None
    derive: Callable[[dict], Decimal | None] | None = None
    core: bool = False
    staff_only: bool = False
    depends_on: tuple[str, ...] = field(default=())
    computed_with: tuple[RecordsFn, models.Expression] | None = None

    @property
    def is_derived(self) -> bool:
        return self.derive is not None

    def aggregate_for(self, scope: AnyScope) -> models.Expression:
        return self.aggregate(scope) if callable(self.aggregate) else self.aggregate


def rate(numerator: str, denominator: str) -> Callable[[dict], Decimal | None]:
    """numerator / denominator in %, one decimal; None when the denominator is missing or zero."""

    def compute(values: dict) -> Decimal | None:
        top, bottom = values.get(numerator), values.get(denominator)
        if top is None or not bottom:
            return None
        return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"))

    return compute
