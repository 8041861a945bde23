"""Inserting many new records, with their history rows, as fast as the database allows.

On PostgreSQL the rows go through COPY (about ten times faster than bulk_create, whose per-value
preparation dominated a 100 000-row roster import); the primary keys are taken from the table's
sequence first, so that related rows and history rows can name them. Elsewhere (SQLite) it is
django-simple-history's bulk_create_with_history. Either way the rows are the ones `save()` would
have written: every concrete field of the objects, and a history row of type "+" by `user` at `when`.
"""

from __future__ import annotations

from django.db import connection, models
from simple_history.utils import bulk_create_with_history

BATCH = 2000
# Field types whose Python value COPY takes as it is; any other goes through get_db_prep_save.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _values(fields: list[models.Field]):
    """A function from an object to its row of database values for `fields`."""
    attnames = [f.attname for f in fields]
    if all(f.get_internal_type() in PLAIN_TYPES for f in fields):
        return lambda obj: [getattr(obj, a) for a in attnames]
    return lambda obj: [
        getattr(obj, f.attname)
        if f.get_internal_type() in PLAIN_TYPES
        else f.get_db_prep_save(getattr(obj, f.attname), connection)
        for f in fields
    ]


def _copy(table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def create_with_history(
    model: type[models.Model], objs: list[models.Model], *, user, when
) -> list[models.Model]:
    """Insert `objs` (new, unsaved; their created_at/updated_at already set) and one history row
    each. Returns the objects with their primary keys set."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return bulk_create_with_history(objs, model, batch_size=BATCH, default_user=user, default_date=when)
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    values = _values(fields)
    _copy(model._meta.db_table, [f.column for f in fields], (values(o) for o in objs))

    history = model.history.model
    own = {f.attname for f in fields}
    tracked = [f for f in history._meta.concrete_fields if f.attname in own]
    values = _values(tracked)
    extra = {
        "history_date": when,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user.pk,
    }
    columns = [f.column for f in tracked] + list(extra)
    tail = list(extra.values())
    _copy(history._meta.db_table, columns, (values(o) + tail for o in objs))
    return objs
