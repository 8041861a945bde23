"""The machinery of the indicator catalogue: the scope and period an indicator is computed for, and
the Indicator entry itself.

An indicator is computed for a federation *and every federation below it* (its subtree) and a year.
Each indicator names the set of records it counts (`records`, used for the drill-down list and for the
written definition) and how the figure is aggregated over them. Indicators over the same set of records
are computed together in one aggregate query, so the number of queries for the whole catalogue is fixed,
whatever the number of unions or members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Q

from federation.models import Federation


@dataclass(frozen=True)
class Scope:
    """A federation and its subtree."""

    federation: Federation

    @property
    def path(self) -> str:
        return self.federation.path

    def federation_q(self, lookup: str) -> Q:
        """Records whose federation (reached through `lookup`) lies in the subtree."""
        return Q(**{f"{lookup}__path__startswith": self.path})

    def union_q(self, lookup: str = "union") -> Q:
        """Records whose union (reached through `lookup`, "pk" for the union itself) lies in the subtree."""
        prefix = "" if lookup == "pk" else f"{lookup}__"
        return Q(**{f"{prefix}federation__path__startswith": self.path})


@dataclass(frozen=True)
class Period:
    """A calendar year: its first and last day."""

    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def previous(self) -> Period:
        return Period(self.year - 1)

    def date_q(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": self.start, f"{lookup}__lte": self.end})


RecordsFn = Callable[[Scope, Period], models.QuerySet]


@dataclass(frozen=True)
class Indicator:
    """One named figure of the annual summary.

    `records(scope, period)` is the queryset of the records the figure counts (the drill-down list);
    `aggregate` turns that queryset into the figure (Count, Sum, …). A derived indicator (a rate) has
    `derive` instead, computed from other figures of the same year.
    """

    key: str
    label: str
    unit: str
    section: str
    definition: str
    records: RecordsFn | None = None
    aggregate: models.Expression | Callable[[Scope], models.Expression] | None = None
    derive: Callable[[dict], Decimal | None] | None = None
    core: bool = False
    staff_only: bool = False
    depends_on: tuple[str, ...] = field(default=())

    @property
    def is_derived(self) -> bool:
        return self.derive is not None

    def aggregate_for(self, scope: Scope) -> models.Expression:
        return self.aggregate(scope) if callable(self.aggregate) else self.aggregate


def rate(numerator: str, denominator: str) -> Callable[[dict], Decimal | None]:
    """numerator / denominator in %, one decimal; None when the denominator is missing or zero."""

    def compute(values: dict) -> Decimal | None:
        top, bottom = values.get(numerator), values.get(denominator)
        if top is None or not bottom:
            return None
        return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"))

    return compute
