"""What a figure or a filtered list is taken over: a federation with every federation below it (Scope)
and a calendar year (Period). The tree is stored as materialised paths (Federation.path, "/1/4/9/"):
a federation lies in a subtree when its path starts with the subtree's — the one test for it is
`within_path`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from federation.models import Federation


def within_path(lookup: str, path: str) -> Q:
    """Records whose federation (reached through `lookup`; "self" for a Federation itself) lies in the
    subtree whose root has `path`."""
    field = "path" if lookup == "self" else f"{lookup}__path"
    return Q(**{f"{field}__startswith": path})


@dataclass(frozen=True)
class Scope:
    """A federation and its subtree."""

    federation: Federation

    @property
    def path(self) -> str:
        return self.federation.path

    def federation_q(self, lookup: str) -> Q:
        """Records whose federation (reached through `lookup`, "self" for the federation itself) lies in
        the subtree."""
        return within_path(lookup, self.path)

    def union_q(self, lookup: str = "union") -> Q:
        """Records whose union (reached through `lookup`, "pk" for the union itself) lies in the subtree."""
        prefix = "" if lookup == "pk" else f"{lookup}__"
        return within_path(f"{prefix}federation", self.path)


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
