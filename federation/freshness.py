"""Which stored figures a write has made out of date.

Figures computed ahead of time (reports' stored catalogue) must never be silently stale. So every write
to a record those figures count inserts, in the write's own transaction, one ChangeMark for each
federation whose figures it can change — the federation of the record's union or organiser and every
federation above it (their paths are prefixes of its path). A mark is only an INSERT: writers never wait
for each other on it, and it commits or rolls back with the write.

A recomputation reads the marks of its federation first, computes, stores its figures and deletes
exactly the marks it read: a write that commits while it runs leaves its mark behind, so the figures
stay marked out of date until a computation that has seen the write. Figures are fresh when their
federation has no mark.

    mark(federations)       the federations (a queryset of pks, or pks) and every one above them
    mark_scope(f, union)    a bulk write in a federation's subtree or in one union (the imports)
    mark_all()              every federation (a federation moved in the tree, a bulk rebuild)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from federation.models import ChangeMark, Federation


def _ids_sql(federations: QuerySet | Iterable[int]) -> tuple[str, list]:
    if isinstance(federations, QuerySet):
        sql, params = federations.query.sql_with_params()
        return sql, list(params)
    ids = sorted({int(pk) for pk in federations if pk is not None})
    if not ids:
        return "", []
    return ", ".join(["%s"] * len(ids)), ids


def mark(federations: QuerySet | Iterable[int]) -> None:
    """One statement: a mark for each of `federations` (a queryset of federation pks, or pks) and for
    every federation above them."""
    inner, params = _ids_sql(federations)
    if not inner:
        return
    marks, tree = ChangeMark._meta.db_table, Federation._meta.db_table
    sql = (
        f"INSERT INTO {marks} (federation_id, created_at) "
        f"SELECT above.id, %s FROM {tree} above WHERE EXISTS ("
        f"SELECT 1 FROM {tree} below WHERE below.id IN ({inner}) AND below.path LIKE above.path || '%%')"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *params])


def mark_scope(federation: Federation | None, union=None) -> None:
    """What a bulk write in a scope can change: a federation's whole subtree (and above it), or one
    union's federation (and above it)."""
    if federation is not None:
        mark(Federation.objects.filter(path__startswith=federation.path).values("pk"))
    elif union is not None:
        mark([union.federation_id])


def mark_all() -> None:
    marks, tree = ChangeMark._meta.db_table, Federation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {marks} (federation_id, created_at) SELECT id, %s FROM {tree}", [timezone.now()]
        )


def pending(federation_id: int) -> list[int]:
    """The marks of one federation that this transaction can see."""
    return list(ChangeMark.objects.filter(federation_id=federation_id).values_list("pk", flat=True))


def is_marked(federation_id: int) -> bool:
    return ChangeMark.objects.filter(federation_id=federation_id).exists()


def consume(marks: list[int]) -> None:
    """Delete the marks a computation has read (never one it has not: see the module's text)."""
    for start in range(0, len(marks), 1000):
        ChangeMark.objects.filter(pk__in=marks[start : start + 1000]).delete()


def marked_federations() -> list[int]:
    return list(ChangeMark.objects.values_list("federation_id", flat=True).distinct())
