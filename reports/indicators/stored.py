"""The summary's figures of a federation, year and period (the year, or its first half: `kind`),
computed ahead of the pages that show them.

The dashboard and the summary page of a city federation would otherwise compute the whole catalogue
(and the per-union appendix) over 2 million members on every visit. They read StoredFigures instead:
the catalogue and the appendix table, as computed at `computed_at`. Stored figures are never silently
stale (federation.freshness):

- every write the figures count marks its federations in its own transaction (reports.freshness);
- figures are fresh when their federation has no mark and the row is not `stale`;
- `refresh()` reads the marks, computes, stores and deletes the marks it read, in one transaction; the
  other years of that federation become `stale` (the same marks spoke for them);
- out-of-date figures are recomputed on the queue (reports.tasks.refresh_figures: queued by the page
  that found them out of date, and every minute by beat for what was shown lately) — meanwhile the
  page shows them with the time they were computed and says that newer figures are on their way. With
  no broker (make run, the tests) the page computes them at once.

    figures_for(federation, year, kind="year") -> Figures     what a page shows
    refresh(federation, year, kind="year") -> Figures         compute now and store
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

from federation import freshness
from federation.models import Federation
from federation.scope import Period
from reports.indicators.compute import Catalogue, compute_catalogue, union_rows
from reports.models import StoredFigures
from reports.summary.tables import Table, appendix_table

# --- Packing the figures into JSON and back, types kept (Decimal stays Decimal, tuple stays tuple) ---


def pack(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$t": [pack(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"$s": sorted(pack(v) for v in value)}
    if isinstance(value, list):
        return [pack(v) for v in value]
    if isinstance(value, dict):
        return {str(k): pack(v) for k, v in value.items()}
    raise TypeError(f"cannot store {type(value).__name__}")


def unpack(value: Any) -> Any:
    if isinstance(value, list):
        return [unpack(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "$d":
            return Decimal(inner)
        if tag == "$dt":
            return dt.datetime.fromisoformat(inner)
        if tag == "$date":
            return dt.date.fromisoformat(inner)
        if tag == "$t":
            return tuple(unpack(v) for v in inner)
        if tag == "$s":
            return {unpack(v) for v in inner}
    return {k: unpack(v) for k, v in value.items()}


# --- What is stored --------------------------------------------------------------------------------


@dataclass
class Figures:
    """A federation's figures for a year as a page shows them."""

    catalogue: Catalogue
    appendix: dict  # the appendix table's fields (reports.summary.tables.Table) and "per_union"
    computed_at: dt.datetime
    fresh: bool
    seconds: float = 0.0

    def appendix_table(self) -> tuple[Table, bool]:
        """The appendix as build_summary takes it: (the table, whether it lists every union)."""
        table = dict(self.appendix)
        per_union = table.pop("per_union")
        return Table(**table), per_union


CATALOGUE_FIELDS = ("current", "previous", "breakdowns", "trend", "highlights")
# Fields a row stored before they existed lacks: such a row is out of date (_complete), and read as
# empty meanwhile.
LATER_FIELDS: dict[str, Any] = {"highlights": {}}


def _complete(row: StoredFigures) -> bool:
    """Whether the row holds every field of the catalogue (one stored before a field existed is out
    of date, however fresh its marks say it is)."""
    return all(name in row.data.get("catalogue", {}) for name in CATALOGUE_FIELDS)


def _compute(federation: Federation, year: int, kind: str) -> dict:
    catalogue = compute_catalogue(federation, year, kind)
    table, per_union = appendix_table(federation, union_rows(federation, year, kind))
    return {
        "catalogue": {name: pack(getattr(catalogue, name)) for name in CATALOGUE_FIELDS},
        "appendix": {**{f.name: pack(getattr(table, f.name)) for f in fields(table)}, "per_union": per_union},
    }


def _figures(federation: Federation, row: StoredFigures, *, fresh: bool) -> Figures:
    data = row.data
    catalogue = Catalogue(
        federation=federation,
        year=row.year,
        kind=row.period,
        **{
            name: unpack(data["catalogue"][name]) if name in data["catalogue"] else LATER_FIELDS[name]
            for name in CATALOGUE_FIELDS
        },
    )
    return Figures(
        catalogue=catalogue,
        appendix=unpack(data["appendix"]),
        computed_at=row.computed_at,
        fresh=fresh,
        seconds=row.seconds,
    )


def refresh(federation: Federation, year: int, kind: str = Period.kind) -> Figures:
    """Compute the figures now and store them; the marks seen before computing are consumed."""
    marks = freshness.pending(federation.pk)
    started = time.perf_counter()
    data = _compute(federation, year, kind)
    seconds = time.perf_counter() - started
    now = timezone.now()
    with transaction.atomic():
        values = {"data": data, "computed_at": now, "seconds": seconds, "stale": False}
        try:
            with transaction.atomic():
                row, _ = StoredFigures.objects.update_or_create(
                    federation=federation, year=year, period=kind, defaults=values
                )
        except IntegrityError:  # another server stored the same year at the same moment
            row = StoredFigures.objects.get(federation=federation, year=year, period=kind)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        if marks:
            # The same marks spoke for the federation's other years and periods: out of date now.
            StoredFigures.objects.filter(federation=federation).exclude(pk=row.pk).update(stale=True)
            freshness.consume(marks)
    return _figures(federation, row, fresh=True)


REFRESH_LOCK_SECONDS = 120  # one queued refresh per federation and year within this time


def _queue(federation: Federation, year: int, kind: str) -> None:
    from reports import tasks

    # One queued refresh per federation, year and period at a time (a page visited by many meanwhile).
    if cache.add(f"stored-figures:{federation.pk}:{year}:{kind}", 1, timeout=REFRESH_LOCK_SECONDS):
        tasks.refresh_figures.apply_async(args=(federation.pk, year, kind))


def figures_for(federation: Federation, year: int, kind: str = Period.kind) -> Figures:
    """The figures to show: stored and fresh; else computed now when there is no queue (or nothing is
    stored yet); else the stored ones, labelled with their time, while the queue recomputes them."""
    row = StoredFigures.objects.filter(federation=federation, year=year, period=kind).first()
    fresh = row is not None and not row.stale and _complete(row) and not freshness.is_marked(federation.pk)
    if fresh:
        return _figures(federation, row, fresh=True)
    if row is None or settings.CELERY_TASK_ALWAYS_EAGER:
        return refresh(federation, year, kind)
    _queue(federation, year, kind)
    return _figures(federation, row, fresh=False)


def fresh_figures(federation: Federation, year: int, kind: str = Period.kind) -> Figures | None:
    """The stored figures when they are fresh; None otherwise (nothing is computed)."""
    row = StoredFigures.objects.filter(federation=federation, year=year, period=kind, stale=False).first()
    if row is None or not _complete(row) or freshness.is_marked(federation.pk):
        return None
    return _figures(federation, row, fresh=True)


def refresh_due() -> int:
    """Recompute the stored figures of this year and last that are out of date (what beat runs every
    minute; older years are recomputed when a page asks for them); returns how many."""
    marked = freshness.marked_federations()
    due = StoredFigures.objects.filter(year__gte=timezone.localdate().year - 1)
    due = due.filter(stale=True) | due.filter(federation_id__in=marked)
    count = 0
    for row in due.select_related("federation").order_by("-year"):
        refresh(row.federation, row.year, row.period)
        count += 1
    return count
