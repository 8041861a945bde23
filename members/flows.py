"""Keeping the membership flow (members.models.MembershipFlow) in step with the records.

Every write that adds, removes or moves a MembershipChange, or changes a fact of a member the summary
counts by (gender, 农民工, 工会干部), tells this module what it did, in the same transaction:

    FlowDeltas().changes(entries).save()            new changes (the services, the roster import)
    record_member_facts(before, after)              facts of members changed (profile, admin, import)
    rebuild_flows()                                 everything again from the base tables

A delta is added to the stored row (INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n): adding is
commutative, so two transactions writing the same union and year need no lock beyond that row's, and
the rows are written in one sorted statement so that two such transactions never wait on each other
in opposite order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractYear

from members.choices import ChangeType, Gender
from members.models import Member, MembershipChange, MembershipFlow

# The changes that bring a member into a union and those that take one out; 保留会籍 does neither.
ARRIVALS = (ChangeType.JOIN, ChangeType.TRANSFER_IN)
DEPARTURES = (ChangeType.TRANSFER_OUT, ChangeType.WITHDRAW, ChangeType.EXPEL, ChangeType.DEATH)
COUNTED = (*ARRIVALS, *DEPARTURES)

# The member facts the flow is kept by, and the column each one feeds.
FACT_FIELDS = ("gender", "is_migrant_worker", "is_cadre")
COLUMNS = ("net", "women_net", "migrant_net", "cadre_net", "arrivals", "joins")


@dataclass(frozen=True)
class Facts:
    """What the flow needs to know of a member."""

    woman: bool
    migrant: bool
    cadre: bool

    @classmethod
    def of(cls, member: Member | Mapping) -> Facts:
        get = member.get if isinstance(member, Mapping) else lambda name: getattr(member, name)
        return cls(get("gender") == Gender.FEMALE, bool(get("is_migrant_worker")), bool(get("is_cadre")))


class FlowDeltas:
    """The changes a write makes to the flow, summed per union and year, then saved at once."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(COLUMNS))

    def add(self, *, union_id: int, changed_on: dt.date, change_type: str, facts: Facts, sign: int = 1):
        if change_type not in COUNTED:
            return self
        arrival = change_type in ARRIVALS
        step = sign if arrival else -sign
        row = self.rows[(union_id, changed_on.year)]
        row[0] += step
        row[1] += step if facts.woman else 0
        row[2] += step if facts.migrant else 0
        row[3] += step if facts.cadre else 0
        row[4] += sign if arrival else 0
        row[5] += sign if change_type == ChangeType.JOIN else 0
        return self

    def changes(self, entries: Iterable[MembershipChange], sign: int = 1) -> FlowDeltas:
        """Saved MembershipChange objects whose `member` is loaded (the services have it in hand)."""
        for entry in entries:
            self.add(
                union_id=entry.union_id,
                changed_on=entry.changed_on,
                change_type=entry.change_type,
                facts=Facts.of(entry.member),
                sign=sign,
            )
        return self

    def save(self) -> None:
        rows = sorted((key, values) for key, values in self.rows.items() if any(values))
        if not rows:
            return
        table = connection.ops.quote_name(MembershipFlow._meta.db_table)
        columns = ", ".join(COLUMNS)
        placeholders = ", ".join(["(" + ", ".join(["%s"] * (2 + len(COLUMNS))) + ")"] * len(rows))
        updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
        params = [value for (union_id, year), values in rows for value in (union_id, year, *values)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (union_id, year, {columns}) VALUES {placeholders} "
                f"ON CONFLICT (union_id, year) DO UPDATE SET {updates}",
                params,
            )
        self.rows.clear()


def record_changes(entries: Iterable[MembershipChange]) -> None:
    """New membership changes (saved, with their member loaded) — the services' one call."""
    FlowDeltas().changes(entries).save()


def record_member_facts(before: Mapping[int, Facts], after: Mapping[int, Facts]) -> None:
    """Members whose facts went from `before` to `after` (by member pk): their changes move from the
    old facts' columns to the new ones. Costs one query when any fact changed, none otherwise."""
    changed = [pk for pk, facts in after.items() if pk in before and before[pk] != facts]
    if not changed:
        return
    deltas = FlowDeltas()
    entries = MembershipChange.objects.filter(member_id__in=changed, change_type__in=COUNTED).values_list(
        "member_id", "union_id", "changed_on", "change_type"
    )
    for member_id, union_id, changed_on, change_type in entries.iterator():
        for facts, sign in ((before[member_id], -1), (after[member_id], 1)):
            deltas.add(
                union_id=union_id, changed_on=changed_on, change_type=change_type, facts=facts, sign=sign
            )
    deltas.save()


def facts_by_pk(members: Iterable[Member]) -> dict[int, Facts]:
    return {member.pk: Facts.of(member) for member in members}


# --- From the base tables ---------------------------------------------------------------------------


def _signed(condition: Q | None = None) -> Sum:
    """+1 for an arrival, −1 for a departure, of the changes that meet `condition`."""
    extra = condition or Q()
    return Sum(
        Case(
            When(Q(change_type__in=ARRIVALS) & extra, then=Value(1)),
            When(Q(change_type__in=DEPARTURES) & extra, then=Value(-1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def flows_from_changes(changes: models.QuerySet) -> models.QuerySet:
    """The flow rows of these changes, computed in the database: (union_id, year, *COLUMNS)."""
    return (
        changes.filter(change_type__in=COUNTED)
        .annotate(flow_year=ExtractYear("changed_on"))
        .values("union_id", "flow_year")
        .order_by()
        .annotate(
            flow_net=_signed(),
            flow_women_net=_signed(Q(member__gender=Gender.FEMALE)),
            flow_migrant_net=_signed(Q(member__is_migrant_worker=True)),
            flow_cadre_net=_signed(Q(member__is_cadre=True)),
            flow_arrivals=Count("pk", filter=Q(change_type__in=ARRIVALS)),
            flow_joins=Count("pk", filter=Q(change_type=ChangeType.JOIN)),
        )
        .values_list("union_id", "flow_year", *(f"flow_{c}" for c in COLUMNS))
    )


@transaction.atomic
def rebuild_flows(change_model=MembershipChange, flow_model=MembershipFlow) -> int:
    """Every flow row again from MembershipChange and Member, in one INSERT … SELECT; the number of
    rows. Writers wait meanwhile (the table is locked on PostgreSQL), so none of their deltas is lost
    or counted twice. The models may be a migration's historical ones."""
    table = connection.ops.quote_name(flow_model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        sql, params = flows_from_changes(change_model.objects.all()).query.sql_with_params()
        cursor.execute(f"INSERT INTO {table} (union_id, year, {', '.join(COLUMNS)}) {sql}", params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")  # the planner's statistics of the new rows
    return flow_model.objects.count()


def flows_differ_from_changes() -> list[tuple]:
    """The (union, year) rows where the stored flow and the base tables disagree (none, normally) —
    what `rebuild_aggregates --check` reports."""
    fresh = {(row[0], row[1]): tuple(row[2:]) for row in flows_from_changes(MembershipChange.objects.all())}
    stored = {
        (row[0], row[1]): tuple(row[2:])
        for row in MembershipFlow.objects.values_list("union_id", "year", *COLUMNS)
    }
    zero = (0,) * len(COLUMNS)
    keys = sorted(set(fresh) | set(stored))
    return [
        (key, stored.get(key, zero), fresh.get(key, zero))
        for key in keys
        if stored.get(key, zero) != fresh.get(key, zero)
    ]
