"""Computing the catalogue: every indicator for year Y and Y−1, the breakdowns, the five-year
membership trend, and the per-union and per-federation tables.

Indicators over the same record set share one aggregate query, so the number of queries is fixed by
the catalogue, never by the number of unions or members.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import NotSupportedError, connection
from django.db.models import Count, DateField, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear

from federation.models import Federation
from federation.scope import HalfYear, period_for
from members.choices import ChangeType, Gender
from members.models import MembershipChange, MembershipFlow
from reports.indicators import records as r
from reports.indicators.base import AnyScope, Indicator, Period, Scope
from reports.indicators.breakdowns import BREAKDOWNS, statistical_group_expression
from reports.indicators.catalogue import INDICATORS
from reports.indicators.catalogue import _stock as member_stock
from reports.indicators.highlights import compute_highlights
from unions.choices import StatisticalGroup, UnionType
from unions.models import Election, GrassrootsUnion, add_years
from unions.scope import UnionScope

MONEY_UNIT = "元"


def employers_should_unionise(scope: AnyScope, period: Period) -> int | None:
    """The federation's own 应建会单位数 for the year; where it has none, the sum over the federations
    directly below it (each by the same rule). None when nobody reported one."""
    nodes = list(Federation.objects.filter(scope.federation_q("self")).values("pk", "parent_id"))
    reported = dict(
        r.federation_years(scope, period).values_list("federation_id", "employers_should_unionise")
    )
    children = defaultdict(list)
    for node in nodes:
        children[node["parent_id"]].append(node["pk"])

    def value(pk: int) -> int | None:
        own = reported.get(pk)
        if own is not None:
            return own
        below = [v for v in (value(child) for child in children[pk]) if v is not None]
        return sum(below) if below else None

    return value(scope.federation.pk)


class TermEnds(Func):
    """The day a term of `years` years that began on `day` runs out — add_years() in PostgreSQL (a date
    plus whole years; 29 February + 1 year is 28 February there too)."""

    output_field = DateField()
    arity = 2  # (day, years)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("TermEnds is computed in PostgreSQL only")

    def as_postgresql(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.source_expressions[0])
        years, years_params = compiler.compile(self.source_expressions[1])
        return f"(({day}) + make_interval(years => ({years})::integer))::date", (*day_params, *years_params)


def unions_overdue(scope: AnyScope, period: Period) -> int:
    """Unions active at year end whose term, counted from their last election on or before 31 Dec
    (or from 建会日期), had run out by then."""
    # The last election of each union, looked up per union (one probe of the index
    # election_of_union_on each) in the one query.
    last = Election.objects.filter(union=OuterRef("pk"), held_on__lte=period.end).order_by("-held_on", "-pk")
    unions = r.unions_active_at_end(scope, period).order_by()
    if connection.vendor == "postgresql":
        # The term's end worked out in the database, and the unions counted there: one row back.
        ends = last.annotate(ends=TermEnds("held_on", "term_years")).values("ends")[:1]
        due = Coalesce(Subquery(ends), TermEnds("established_on", "term_years"), output_field=DateField())
        return unions.annotate(due=due).filter(due__lte=period.end).count()
    rows = unions.annotate(
        elected_on=Subquery(last.values("held_on")[:1]),
        elected_for=Subquery(last.values("term_years")[:1]),
    ).values_list("established_on", "term_years", "elected_on", "elected_for")
    overdue = 0
    for established_on, term_years, elected_on, elected_for in rows:
        started, years = (elected_on, elected_for) if elected_on is not None else (established_on, term_years)
        overdue += add_years(started, years) <= period.end
    return overdue


CUSTOM = {
    "employers_should_unionise": employers_should_unionise,
    "unions_overdue": unions_overdue,
}


def _normalise(indicator: Indicator, value):
    if indicator.unit == MONEY_UNIT and indicator.aggregate is not None:
        return Decimal(value or 0).quantize(Decimal("0.01"))
    if value is None and indicator.aggregate is not None and indicator.key != "average_wage_increase":
        return 0
    if isinstance(value, Decimal) and indicator.key == "average_wage_increase":
        return value.quantize(Decimal("0.1"))
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal("0.1"))
    return value


# The membership figures kept in the membership flow (members.models.MembershipFlow), by indicator key.
STOCK_KEYS = ("members", "women_members", "migrant_members", "cadre_members")
FLOW_KEYS = (*STOCK_KEYS, "new_members", "transferred_in", "members_left")


def membership_by_year(
    scope: AnyScope, period: Period, years: int = 5, *, transfers: bool = True
) -> dict[int, dict[str, int]]:
    """The membership figures (FLOW_KEYS) of each of the last `years` years, in two queries: the
    membership flow of the subtree's unions grouped by year (a few hundred rows summed up in Python),
    and the transfers between two unions of the subtree in the last two years (the catalogue's Y and
    Y−1), which the flow of each union cannot tell apart from transfers across its border — asked
    only when `transfers` (the dashboard shows neither figure).

    The same figures as the indicators' own definitions over MembershipChange (catalogue.py), which
    tests/members/test_membership_flow.py checks after every kind of write.
    """
    first = period.year - years + 1
    rows = (
        MembershipFlow.objects.filter(scope.union_q("union"), year__lte=period.year)
        .values("year")
        .order_by()
        .annotate(
            net=Sum("net"),
            women=Sum("women_net"),
            migrant=Sum("migrant_net"),
            cadre=Sum("cadre_net"),
            arrivals=Sum("arrivals"),
            joins=Sum("joins"),
        )
    )
    # The stock for every year; the year's flows (new, transferred in, left) for Y and Y−1 only.
    flow_from = max(first, period.year - 1)
    figures = {
        year: dict.fromkeys(FLOW_KEYS if year >= flow_from else STOCK_KEYS, 0)
        for year in range(first, period.year + 1)
    }
    for row in rows:
        for year in range(max(row["year"], first), period.year + 1):
            stock = figures[year]
            stock["members"] += row["net"]
            stock["women_members"] += row["women"]
            stock["migrant_members"] += row["migrant"]
            stock["cadre_members"] += row["cadre"]
        if row["year"] >= flow_from:
            year_figures = figures[row["year"]]
            departures = row["arrivals"] - row["net"]
            year_figures["new_members"] = row["joins"]
            year_figures["transferred_in"] = row["arrivals"] - row["joins"]
            year_figures["members_left"] = departures
    if not transfers:
        for year in range(flow_from, period.year + 1):
            del figures[year]["transferred_in"], figures[year]["members_left"]
        return figures
    # Both sides as semi-joins on the subtree's unions (both sides merely named for the whole tree),
    # and COUNT(*): the partial index change_between_unions answers it without the table.
    if scope.is_everything:
        sides = scope.union_q("union")
    else:
        unions = GrassrootsUnion.objects.filter(scope.union_q("pk")).values("pk")
        sides = Q(union__in=unions, counterpart_union__in=unions)
    inside = (
        MembershipChange.objects.filter(
            sides,
            counterpart_union__isnull=False,
            change_type__in=[ChangeType.TRANSFER_IN, ChangeType.TRANSFER_OUT],
            changed_on__gte=Period(flow_from).start,
            changed_on__lte=period.end,
        )
        .annotate(year=ExtractYear("changed_on"))
        .values("year", "change_type")
        .order_by()
        .annotate(n=Count("*"))
    )
    for row in inside:
        key = "transferred_in" if row["change_type"] == ChangeType.TRANSFER_IN else "members_left"
        figures[row["year"]][key] -= row["n"]
    return figures


def compute_values(
    scope: AnyScope, period: Period, indicators: list[Indicator] = INDICATORS, *, known: dict | None = None
) -> dict:
    """Every indicator's figure for one year. `known` holds figures already computed elsewhere; the
    membership figures come from the membership flow (membership_by_year)."""
    known = dict(known or {})
    wanted = {i.key for i in indicators if i.key in FLOW_KEYS and i.key not in known}
    # The membership flow is kept per calendar year: a half-year's membership figures are the
    # indicators' own aggregates over the membership changes (catalogue.py), like any other set.
    if wanted and isinstance(period, Period):
        transfers = bool(wanted & {"transferred_in", "members_left"})
        known.update(membership_by_year(scope, period, years=1, transfers=transfers)[period.year])
    groups: dict = defaultdict(dict)  # record set → {key: aggregate}: one query per record set
    for indicator in indicators:
        if indicator.key in known:
            continue
        if indicator.computed_with is not None:
            records, aggregate = indicator.computed_with
            groups[records][indicator.key] = aggregate
        elif indicator.records is not None and indicator.aggregate is not None:
            groups[indicator.records][indicator.key] = indicator.aggregate_for(scope)
    values: dict = dict(known)
    for records, aggregates in groups.items():
        values.update(records(scope, period).aggregate(**aggregates))
    for indicator in indicators:
        if indicator.key in CUSTOM:
            values[indicator.key] = CUSTOM[indicator.key](scope, period)
    for indicator in indicators:
        values[indicator.key] = _normalise(indicator, values.get(indicator.key))
    for indicator in indicators:
        if indicator.derive is not None:
            values[indicator.key] = indicator.derive(values)
    return values


@dataclass
class Catalogue:
    """The computed catalogue of one federation subtree (or one union) and year."""

    federation: Federation
    year: int
    current: dict
    previous: dict
    breakdowns: dict[str, list[dict]]
    trend: list[tuple[int, int]]
    indicators: list[Indicator] = field(default_factory=lambda: INDICATORS)
    # The named highlights of the year (reports.indicators.highlights), by rule.
    highlights: dict[str, list[dict]] = field(default_factory=dict)
    kind: str = Period.kind  # the period: "year" (the calendar year) or "h1" (its first half)
    # The union whose own catalogue this is (reports.indicators.union); None for a federation's.
    union: GrassrootsUnion | None = None

    @property
    def period(self) -> Period | HalfYear:
        return period_for(self.year, self.kind)

    def entries(self, *, core_only: bool = False, section: str | None = None) -> list[dict]:
        return [
            {"indicator": i, "value": self.current.get(i.key), "previous": self.previous.get(i.key)}
            for i in self.indicators
            if (not core_only or i.core) and (section is None or i.section == section)
        ]

    def __getitem__(self, key: str):
        return self.current[key]


def members_on_day_by_year(scope: AnyScope, period: HalfYear, years: int = 5) -> list[tuple[int, int]]:
    """The members on the last day of the same half of each of the last `years` years (30 June), in
    one aggregate query over the membership changes — the half-year summary's trend."""
    first = period.year - years + 1
    ends = {year: period_for(year, period.kind).end for year in range(first, period.year + 1)}
    figures = r.membership_changes_to_end(scope, period).aggregate(
        **{
            f"y{year}": Count("pk", filter=Q(change_type__in=r.ARRIVALS, changed_on__lte=end))
            - Count("pk", filter=Q(change_type__in=r.DEPARTURES, changed_on__lte=end))
            for year, end in ends.items()
        }
    )
    return [(year, figures[f"y{year}"] or 0) for year in ends]


def catalogue_of(
    scope: AnyScope, year: int, kind: str = Period.kind, indicators: list[Indicator] = INDICATORS
) -> Catalogue:
    """The catalogue of a federation's subtree (Scope) or of one union (UnionScope) for the year or
    its first half: the same indicators, record sets, breakdowns and highlights whoever it is of."""
    period = period_for(year, kind)
    union = scope.union if isinstance(scope, UnionScope) else None
    if isinstance(period, HalfYear):
        return Catalogue(
            federation=scope.federation,
            year=year,
            current=compute_values(scope, period, indicators),
            previous=compute_values(scope, period.previous(), indicators),
            breakdowns={b.key: b.rows(scope, period) for b in BREAKDOWNS},
            trend=members_on_day_by_year(scope, period),
            indicators=indicators,
            highlights=compute_highlights(scope, period),
            kind=kind,
            union=union,
        )
    membership = membership_by_year(scope, period)
    return Catalogue(
        federation=scope.federation,
        year=year,
        current=compute_values(scope, period, indicators, known=membership[year]),
        previous=compute_values(scope, period.previous(), indicators, known=membership[year - 1]),
        breakdowns={b.key: b.rows(scope, period) for b in BREAKDOWNS},
        trend=[(y, figures["members"]) for y, figures in sorted(membership.items())],
        indicators=indicators,
        highlights=compute_highlights(scope, period),
        union=union,
    )


def compute_catalogue(federation: Federation, year: int, kind: str = Period.kind) -> Catalogue:
    """The catalogue of a federation and every federation below it."""
    return catalogue_of(Scope(federation), year, kind)


# --- The per-union and per-federation tables (appendix; 工会统计年报 基层工会) -----------------------


UNION_TABLE_COLUMNS = [
    ("employees", "职工人数"),
    ("women_employees", "女职工"),
    ("migrant_employees", "农民工"),
    ("members", "会员人数"),
    ("women_members", "女会员"),
    ("migrant_members", "农民工会员"),
    ("new_members", "新发展会员"),
    ("covered", "集体合同覆盖"),
    ("open_cases", "在档困难职工"),
    ("aid_amount", "帮扶金额"),
]


def _stock_by_union(scope: AnyScope, period) -> dict[int, dict]:
    """Members at the period's end and those who joined (入会; a transfer is not a new member) in it,
    per union — the union's own summary gives the same figures: from the membership
    flow for a calendar year, from the membership changes for a half-year."""
    if isinstance(period, Period):
        rows = (
            MembershipFlow.objects.filter(scope.union_q("union"), year__lte=period.year)
            .values("union")
            .order_by()
            .annotate(
                members=Sum("net"),
                women_members=Sum("women_net"),
                migrant_members=Sum("migrant_net"),
                new_members=Sum("joins", filter=Q(year=period.year)),
            )
        )
    else:
        rows = (
            r.membership_changes_to_end(scope, period)
            .values("union")
            .order_by()
            .annotate(
                members=member_stock(),
                women_members=member_stock(Q(member__gender=Gender.FEMALE)),
                migrant_members=member_stock(Q(member__is_migrant_worker=True)),
                new_members=Count("pk", filter=Q(change_type=ChangeType.JOIN, changed_on__gte=period.start)),
            )
        )
    return {row["union"]: row for row in rows}


def union_rows(federation: Federation, year: int, kind: str = Period.kind) -> list[dict]:
    """One row per union active at the period's end in the subtree, with its own figures — the figures
    of the union's own summary (reports.indicators.union): a member who moved between two of these
    unions is a member of the second here, and new to neither (转入, not 新发展会员)."""
    scope, period = Scope(federation), period_for(year, kind)
    unions = list(
        r.unions_active_at_end(scope, period)
        .annotate(group=statistical_group_expression())
        .order_by("federation__path", "name")
        .values(
            "pk",
            "name",
            "employer_name",
            "credit_code",
            "union_type",
            "covered_employers",
            "employer_nature",
            "established_on",
            "chair_name",
            "group",
            "federation_id",
            "federation__name",
            "federation__path",
        )
    )
    years = {
        row["union_id"]: row
        for row in r.union_years_of_active_unions(scope, period).values(
            "union_id", "employees", "women_employees", "migrant_employees"
        )
    }
    stock = _stock_by_union(scope, period)
    covered = set(r.covered_unions_at_end(scope, period).values_list("pk", flat=True))
    cases = dict(
        r.cases_open_at_end(scope, period)
        .values("union")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("union", "n")
    )
    aid = dict(
        r.aid_in(scope, period).values("union").order_by().annotate(s=Sum("amount")).values_list("union", "s")
    )
    group_labels = dict(StatisticalGroup.choices)
    type_labels = dict(UnionType.choices)
    rows = []
    for union in unions:
        pk = union["pk"]
        figures = years.get(pk, {})
        members = stock.get(pk, {})
        rows.append(
            {
                **union,
                "group_label": str(group_labels.get(union["group"], "")),
                "type_label": str(type_labels.get(union["union_type"], "")),
                "has_year_figures": pk in years,
                "employees": figures.get("employees", 0),
                "women_employees": figures.get("women_employees", 0),
                "migrant_employees": figures.get("migrant_employees", 0),
                "members": members.get("members", 0),
                "women_members": members.get("women_members", 0),
                "migrant_members": members.get("migrant_members", 0),
                "new_members": members.get("new_members") or 0,
                "covered": pk in covered,
                "open_cases": cases.get(pk, 0),
                "aid_amount": aid.get(pk) or Decimal("0.00"),
            }
        )
    return rows


def federation_rows(federation: Federation, union_table: list[dict]) -> list[dict]:
    """The per-union rows summed per federation directly below `federation` (and one row for the
    unions directly under it) — the appendix of a federation too large for a per-union table."""
    children = {
        f"{federation.path}{child.pk}/": child
        for child in Federation.objects.filter(parent=federation).order_by("name")
    }
    sums: dict = {}
    for row in union_table:
        head = next((p for p in children if row["federation__path"].startswith(p)), None)
        owner = children[head] if head else federation
        entry = sums.setdefault(
            owner.pk,
            {
                "federation": owner,
                "unions": 0,
                "covered_unions": 0,
                **{k: 0 for k, _ in UNION_TABLE_COLUMNS if k != "covered"},
            },
        )
        entry["unions"] += 1
        entry["covered_unions"] += 1 if row["covered"] else 0
        for key, _label in UNION_TABLE_COLUMNS:
            if key != "covered":
                entry[key] += row[key]
    ordered = [sums[c.pk] for c in children.values() if c.pk in sums]
    if federation.pk in sums:
        ordered.insert(0, sums[federation.pk])
    return ordered
