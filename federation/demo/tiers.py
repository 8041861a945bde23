"""The demo tiers of DESIGN.md ("Scale the product is built for"), the fixed calendar the demo lives
in, and the small helpers every generator module shares (seeded randomness, dates, batched writes).

The demo does not read the wall clock: "today" is DEMO_TODAY unless the command is told otherwise,
so that the same seed gives the same records on any day. History starts in FIRST_YEAR.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

DEMO_TODAY = dt.date(2026, 11, 15)
FIRST_YEAR = 2021
BATCH_SIZE = 5000

# 春节 (the 送温暖 visits happen in the weeks before it) and 中秋 of every year the demo covers.
SPRING_FESTIVAL = {
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}
MID_AUTUMN = {
    2019: dt.date(2019, 9, 13),
    2020: dt.date(2020, 10, 1),
    2021: dt.date(2021, 9, 21),
    2022: dt.date(2022, 9, 10),
    2023: dt.date(2023, 9, 29),
    2024: dt.date(2024, 9, 17),
    2025: dt.date(2025, 10, 6),
    2026: dt.date(2026, 9, 25),
    2027: dt.date(2027, 9, 15),
    2028: dt.date(2028, 10, 3),
    2029: dt.date(2029, 9, 22),
    2030: dt.date(2030, 9, 12),
}
# --today may move the demo within these years (the festival dates above are known for them).
LATEST_TODAY = dt.date(2030, 12, 31)


@dataclass(frozen=True)
class Tier:
    """Approximate targets for live records (DESIGN.md table); `shape` is the federation tree."""

    code: str
    shape: str  # "street" | "county" | "city"
    unions: int
    members: int
    cases: int
    aid: int
    contracts: int
    activities: int


TIERS = {
    "s": Tier("s", "street", 50, 2_000, 50, 300, 50, 100),
    "m": Tier("m", "county", 2_000, 200_000, 5_000, 50_000, 3_000, 10_000),
    "l": Tier("l", "city", 20_000, 2_000_000, 50_000, 500_000, 30_000, 100_000),
}


@dataclass
class Calendar:
    """The demo's today and the years it keeps figures for."""

    today: dt.date

    @property
    def years(self) -> range:
        return range(FIRST_YEAR, self.today.year + 1)

    def year_end(self, year: int) -> dt.date:
        """31 December, or today for the current year."""
        return min(dt.date(year, 12, 31), self.today)


def rng_for(seed: int, phase: str) -> random.Random:
    """One independent, reproducible stream per phase, so that changing one generator does not
    reshuffle the records of the others."""
    return random.Random(f"union-ledger-demo:{seed}:{phase}")


class Weighted:
    """A categorical distribution to draw from many times (cumulative weights computed once)."""

    def __init__(self, weighted: dict):
        self.values = list(weighted)
        self.weights = list(weighted.values())
        total = 0.0
        self.cum = []
        for weight in weighted.values():
            total += weight
            self.cum.append(total)

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]

    def as_dict(self) -> dict:
        """{value: weight} again, for tables that are shares rather than distributions."""
        return dict(zip(self.values, self.weights, strict=True))


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A uniformly chosen day in [first, last] (first when the range is empty)."""
    span = (last - first).days
    return first if span <= 0 else first + dt.timedelta(days=rng.randint(0, span))


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def money(rng: random.Random, low: int, high: int, step: int = 10) -> Decimal:
    """A round amount in 元, as handed out in practice (multiples of `step`)."""
    return Decimal(rng.randrange(low, high + 1, step)).quantize(Decimal("0.01"))


_DEFAULTS: dict = {}


def new(model: type[models.Model], **values) -> models.Model:
    """A model instance for bulk writing, made without Model.__init__ (which costs more than the
    rest of the generator together at county scale). `values` are keyed by attname (union_id)."""
    if model not in _DEFAULTS:
        fixed, called = {}, []
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                called.append((f.attname, f.default))
            else:
                fixed[f.attname] = f.get_default()
        _DEFAULTS[model] = (fixed, called)
    fixed, called = _DEFAULTS[model]
    obj = model.__new__(model)
    obj._state = models.base.ModelState()
    obj.__dict__.update(fixed)
    for attname, default in called:
        obj.__dict__[attname] = default()
    obj.__dict__.update(values)
    return obj


def write(model: type[models.Model], objs: list, batch_size: int = BATCH_SIZE) -> list:
    """Insert the objects and give them their primary keys: COPY on PostgreSQL (five to ten times
    faster than bulk_create for hundreds of thousands of rows), bulk_create in batches elsewhere."""
    if not objs:
        return objs
    if connection.vendor == "postgresql" and len(objs) >= 1000:
        _copy(model, objs)
    else:
        model.objects.bulk_create(objs, batch_size=batch_size)
    return objs


def _copy(model: type[models.Model], objs: list) -> None:
    from psycopg import sql
    from psycopg.types.json import Jsonb

    meta = model._meta
    now = timezone.now()
    columns, getters = [meta.pk.column], []
    for f in meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            getters.append(lambda obj, name=f.attname: now)
        elif isinstance(f, models.JSONField):
            getters.append(lambda obj, name=f.attname: Jsonb(getattr(obj, name)))
        elif isinstance(f, models.FileField):
            getters.append(lambda obj, name=f.attname: str(getattr(obj, name) or ""))
        else:
            getters.append(f.attname)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with cursor.cursor.copy(statement) as copy:
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
                d = obj.__dict__
                copy.write_row([pk, *[d[g] if isinstance(g, str) else g(obj) for g in getters]])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def share(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainders), summing to total."""
    whole = sum(weights) or 1
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[:rest]:
        counts[i] += 1
    return counts


def ensure_each(rng: random.Random, objs: list, attr: str, values, *, keep: int = 1, fixup=None) -> None:
    """Make every value appear at least once among `objs` (a demo should show every category), by
    re-labelling objects of values that occur more than `keep` times. `fixup(obj)` restores whatever
    the new value implies."""
    if not objs:
        return
    counts: dict = {}
    for obj in objs:
        counts[getattr(obj, attr)] = counts.get(getattr(obj, attr), 0) + 1
    for value in values:
        if counts.get(value):
            continue
        donors = [o for o in objs if counts.get(getattr(o, attr), 0) > keep]
        if not donors:
            return
        obj = rng.choice(donors)
        counts[getattr(obj, attr)] -= 1
        setattr(obj, attr, value)
        counts[value] = 1
        if fixup:
            fixup(obj)


def weights(text: str) -> Weighted:
    """A distribution written compactly: "C 38 F 12" is {"C": 38, "F": 12}."""
    items = text.split()
    return Weighted({key: float(weight) for key, weight in zip(items[::2], items[1::2], strict=True)})
