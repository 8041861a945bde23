"""Inserting many new records, with their history rows, as fast as the database allows.

The records come as plain rows, {attname: value} (no model instances: building 200 000 of them
took a quarter of a 100 000-row roster import); a field a row leaves out gets the model's default,
as `Model(**row)` would give it, and the caller sets created_at/updated_at. On PostgreSQL the rows go
through COPY (about ten times faster than bulk_create), their primary keys taken from the table's
sequence first, so that related rows can name them; their history rows (type "+", by `user` at
`when`) are copied from the new rows by the database itself (INSERT … SELECT), so every history row
holds exactly the values of its record. Elsewhere (SQLite) it is django-simple-history's
bulk_create_with_history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from django.db import connection, models
from django.db.models.lookups import In
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
_NO_DEFAULT = object()


class Rows(Protocol):
    """Rows {attname: value} that say how many they are and can be read once: a list, or rows made
    as they are read (members.imports.roster), which COPY sends as they come."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[dict]: ...


class AnyOf(In):
    """`field IN (values)` as `field = ANY(%s)` on PostgreSQL: one array parameter instead of one
    per value (a 2000-value IN list costs twice as much to send and plan). Elsewhere a plain IN.
    Use as `Model.objects.filter(AnyOf(F("field"), values))`."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        # The sequence is looked up once, not once per key (six times slower).
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        return [row[0] for row in cursor.fetchall()]


def _row_maker(fields: list[models.Field]):
    """A function from (pk, row dict) to the row of database values of the pk and `fields`, with
    each field's default where the row leaves it out (a callable default is called per row)."""
    steps = []
    for field in fields:
        # A field without a default has NOT_PROVIDED there — a class, callable, but no default to call.
        default = _NO_DEFAULT if field.has_default() and callable(field.default) else field.get_default()
        plain = field.get_internal_type() in PLAIN_TYPES
        steps.append((field, field.attname, default, plain))
    if all(plain and default is not _NO_DEFAULT for _f, _a, default, plain in steps):
        pairs = [(attname, default) for _f, attname, default, _p in steps]
        return lambda pk, row: [pk, *[row.get(attname, default) for attname, default in pairs]]

    def make(pk, row):
        values = [pk]
        for field, attname, default, plain in steps:
            value = (
                row[attname]
                if attname in row
                else (field.get_default() if default is _NO_DEFAULT else default)
            )
            values.append(value if plain else field.get_db_prep_save(value, connection))
        return values

    return make


def _pks_condition(column: str, pks: list[int]) -> tuple[str, list]:
    """`column` among `pks`, as SQL and its parameters: a range when the keys are consecutive (keys
    reserved together from the sequence usually are), an array otherwise."""
    if pks and pks == list(range(pks[0], pks[0] + len(pks))):
        return f"{column} BETWEEN %s AND %s", [pks[0], pks[-1]]
    return f"{column} = ANY(%s)", [pks]


def _copy(table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _copy_history(model: type[models.Model], pks: list[int], *, user, when) -> None:
    """One history row of type "+" for each record in `pks`, copied from the record by the database."""
    history = model.history.model
    own = {f.attname: f.column for f in model._meta.concrete_fields}
    tracked = [f for f in history._meta.concrete_fields if f.attname in own]
    quote = connection.ops.quote_name
    target = ", ".join(quote(f.column) for f in tracked)
    source = ", ".join(quote(own[f.attname]) for f in tracked)
    pk = quote(model._meta.pk.column)
    among, among_params = _pks_condition(pk, pks)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({target}, history_date, history_change_reason,"
        f" history_type, history_user_id) SELECT {source}, %s, NULL, '+', %s"
        f" FROM {quote(model._meta.db_table)} WHERE {among} ORDER BY {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, user.pk, *among_params])


def derive_with_history(
    model: type[models.Model],
    *,
    source: type[models.Model],
    pks: list[int],
    columns: dict[str, tuple[str, list]],
    user,
    when,
) -> None:
    """On PostgreSQL: insert one record of `model` for each record of `source` in `pks`, and one
    history row each (type "+", by `user` at `when`), in one statement, the database deriving both
    from the source rows — nothing is built in Python nor read back. `columns` gives, for each
    attname, an SQL expression over the source row (its columns as `s.column`) and its parameters;
    an attname left out takes the field's default, which must be a constant (ValueError otherwise:
    created_at/updated_at, set by save() elsewhere, are given here)."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names, expressions, params = [], [], []
    for field in fields:
        if field.attname in columns:
            expression, values = columns[field.attname]
        else:
            default = field.get_default()
            computed = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if computed or (field.has_default() and callable(field.default)):
                raise ValueError(f"{field.attname}: its value is computed per record; give it in `columns`")
            if default is None and not field.null:
                raise ValueError(f"{field.attname}: it has no default; give it in `columns`")
            expression, values = "%s", [field.get_db_prep_save(default, connection)]
        names.append(quote(field.column))
        expressions.append(expression)
        params += values
    history = model.history.model
    own = {f.attname: f.column for f in model._meta.concrete_fields}
    tracked = [f for f in history._meta.concrete_fields if f.attname in own]
    returned = ", ".join(quote(own[f.attname]) for f in tracked)
    target = ", ".join(quote(f.column) for f in tracked)
    pk = quote(source._meta.pk.column)
    among, among_params = _pks_condition(f"s.{pk}", pks)
    sql = (
        f"WITH new AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)})"
        f" SELECT {', '.join(expressions)} FROM {quote(source._meta.db_table)} s"
        f" WHERE {among} ORDER BY s.{pk} RETURNING {returned})"
        f" INSERT INTO {quote(history._meta.db_table)} ({target}, history_date,"
        f" history_change_reason, history_type, history_user_id)"
        f" SELECT {returned}, %s, NULL, '+', %s FROM new"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *among_params, when, user.pk])


def create_with_history(model: type[models.Model], rows: Rows, *, user, when) -> list | None:
    """Insert new records given as rows {attname: value} (created_at/updated_at set) and one history
    row each; `rows` is read once. Returns their primary keys in the order of `rows`, or None on a
    backend that returns no keys."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        bulk_create_with_history(objs, model, batch_size=BATCH, default_user=user, default_date=when)
        return None if objs[0].pk is None else [obj.pk for obj in objs]
    pks = _reserve_ids(model, len(rows))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    make = _row_maker(fields)
    columns = [model._meta.pk.column, *(f.column for f in fields)]
    _copy(model._meta.db_table, columns, map(make, pks, rows))
    _copy_history(model, pks, user=user, when=when)
    return pks
