"""What a figure or a filtered list is taken over: a federation with every federation below it (Scope)
and a calendar year (Period) or its first half (HalfYear). The tree is stored as materialised paths
(Federation.path, "/1/4/9/"): a federation lies in a subtree when its path starts with the
subtree's — the one test for it is `within_path`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet

from federation.models import Federation


def within_path(lookup: str, path: str) -> Q:
    """Records whose federation (reached through `lookup`; "self" for a Federation itself) lies in the
    subtree whose root has `path`."""
    field = "path" if lookup == "self" else f"{lookup}__path"
    return Q(**{f"{field}__startswith": path})


def other_roots(pk) -> QuerySet[Federation]:
    """The roots of the tree other than federation `pk` (a pk or an OuterRef): none means that
    federation's subtree is everything."""
    return Federation.objects.filter(parent__isnull=True).exclude(pk=pk)


# Every record: not Q(), which would vanish from an OR.
EVERYTHING = Q(pk__isnull=False)
# No record (a primary key is never null): what a union's scope holds of a federation's own records.
NOTHING = Q(pk__isnull=True)


@dataclass(frozen=True)
class Scope:
    """A federation and its subtree.

    The subtree of the only root of the tree (a city federation whose ledger holds nothing else) is
    everything: its conditions then name no path — a figure over a city's 2.8 million membership
    changes is a plain aggregate, not one joined to the tree row by row."""

    federation: Federation

    @property
    def path(self) -> str:
        return self.federation.path

    @cached_property
    def is_everything(self) -> bool:
        """Is the subtree the whole tree (the federation is its only root)?"""
        if self.federation.parent_id is not None or self.federation.pk is None:
            return False
        return not other_roots(self.federation.pk).exists()

    def federation_q(self, lookup: str) -> Q:
        """Records whose federation (reached through `lookup`, "self" for the federation itself) lies in
        the subtree."""
        if self.is_everything:
            return EVERYTHING if lookup == "self" else Q(**{f"{lookup}__isnull": False})
        return within_path(lookup, self.path)

    def union_q(self, lookup: str = "union") -> Q:
        """Records whose union (reached through `lookup`, "pk" for the union itself) lies in the subtree."""
        if self.is_everything:
            return EVERYTHING if lookup == "pk" else Q(**{f"{lookup}__isnull": False})
        prefix = "" if lookup == "pk" else f"{lookup}__"
        return within_path(f"{prefix}federation", self.path)


class DateSpan:
    """What the periods below share: records dated within the span, first and last day included."""

    @property
    def start(self) -> dt.date:
        raise NotImplementedError

    @property
    def end(self) -> dt.date:
        raise NotImplementedError

    def date_q(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": self.start, f"{lookup}__lte": self.end})


@dataclass(frozen=True)
class Period(DateSpan):
    """A calendar year: its first and last day."""

    year: int
    kind = "year"  # what the summary's URLs and stored rows call it (not a field)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def previous(self) -> Period:
        return Period(self.year - 1)


@dataclass(frozen=True)
class StatisticalYear(DateSpan):
    """The statistical year Y of the national union statistical survey (全国工会统计年报): 1 October of
    Y−1 to 30 September of Y. It answers what Period answers (start, end, year, date_q, previous), so
    the record sets of reports.indicators.records take it in Period's place; `year` is Y, the year whose
    yearly figures (UnionYear, FederationYear) the return reads."""

    year: int
    kind = "statistical"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, 10, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 9, 30)

    def previous(self) -> StatisticalYear:
        return StatisticalYear(self.year - 1)


@dataclass(frozen=True)
class HalfYear(DateSpan):
    """The first half of calendar year Y (上半年): 1 January to 30 June, compared with the same half of
    Y−1. It answers what Period answers, so the catalogue and its record sets take it in Period's
    place; the figures of a yearly input (UnionYear, FederationYear, an honour's year) are year Y's."""

    year: int
    kind = "h1"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30)

    def previous(self) -> HalfYear:
        return HalfYear(self.year - 1)


# The periods a summary is written for, by kind.
SUMMARY_PERIODS: dict[str, type[Period] | type[HalfYear]] = {Period.kind: Period, HalfYear.kind: HalfYear}


def period_for(year: int, kind: str = Period.kind) -> Period | HalfYear:
    """The summary period of this kind ("year", "h1") and year; KeyError for another kind."""
    return SUMMARY_PERIODS[kind](year)
