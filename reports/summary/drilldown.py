"""The drill-down of the annual summary: the records behind a figure.

An indicator's list is its record set (`Indicator.records`) narrowed by the filter of its aggregate
(工资专项 of the contracts signed, 女会员 of the members…), so the list holds exactly what the figure
counts; a distinct count (unions that held an election, people helped) lists the distinct unions or
members. The member stock (会员总数 and its parts) lists the members at year end
(records.members_at_end). A breakdown row lists the breakdown's records with that row's values.
The caller narrows every list further to what the user may see (federation.scoping).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Aggregate, Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import reverse

from federation import scoping
from federation.exports.base import DATE, INTEGER, MONEY, TEXT
from federation.identifiers import mask_id_number
from federation.lists.paging import COUNT_LIMIT
from members.choices import Gender
from members.models import AidRecord, HardshipCase, Member, MemberHonour, MembershipChange
from reports.indicators import AnyScope, Indicator, Period
from reports.indicators import records as r
from reports.indicators.breakdowns import Breakdown
from reports.indicators.compute import membership_by_year
from unions.activities.models import Activity
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear

MEMBER_STOCK = {
    "members": Q(),
    "women_members": Q(gender=Gender.FEMALE),
    "migrant_members": Q(is_migrant_worker=True),
    "cadre_members": Q(is_cadre=True),
}


def is_drillable(indicator: Indicator) -> bool:
    return indicator.key in MEMBER_STOCK or (indicator.records is not None and not indicator.is_derived)


def indicator_records(
    indicator: Indicator, scope: AnyScope, period: Period, *, expected: int | None = None
) -> QuerySet:
    """Exactly the records the indicator's figure counts. `expected` is the figure, where known: a
    member stock of more than LONG_LIST members is read without the narrowing filter (see
    records.members_at_end)."""
    if indicator.key in MEMBER_STOCK:
        # Listed with the union they belonged to on 31 Dec, which may not be their union today.
        year_end_union = GrassrootsUnion.objects.filter(pk=OuterRef("arrival_union")).values("name")[:1]
        if expected is None and isinstance(period, Period):  # from the membership flow (one small query)
            expected = membership_by_year(scope, period, years=1, transfers=False)[period.year]["members"]
        elif expected is None:  # a half-year's: the figure's own aggregate over the changes
            expected = indicator.records(scope, period).aggregate(n=indicator.aggregate_for(scope))["n"] or 0
        if expected > LONG_LIST:  # a city's: read in the order of the member index, by keyset
            members = r.members_at_end(scope, period)
        else:  # a county's or a township's: the members worked out from their histories
            at_end = r.members_at_end_by_history(scope, period)
            by_union: dict[int, list[int]] = {}
            for member_pk, union_pk in at_end.items():
                by_union.setdefault(union_pk, []).append(member_pk)
            # Their union on 31 Dec is known already: written into the query, not asked of it per row.
            arrival_union = Case(
                *(When(pk__in=pks, then=Value(union_pk)) for union_pk, pks in by_union.items()),
                default=Value(None),
                output_field=IntegerField(),
            )
            members = Member.objects.filter(pk__in=list(at_end)).annotate(arrival_union=arrival_union)
        return members.filter(MEMBER_STOCK[indicator.key]).annotate(
            year_end_union_name=Subquery(year_end_union)
        )
    queryset = indicator.records(scope, period)
    aggregate = indicator.aggregate_for(scope)
    if isinstance(aggregate, Aggregate):
        if aggregate.filter is not None:
            queryset = queryset.filter(aggregate.filter)
        source = aggregate.get_source_expressions()[0]
        if aggregate.distinct and isinstance(source, F):
            # Count("union", distinct=True): the figure counts unions, so list the unions.
            related = queryset.model._meta.get_field(source.name).related_model
            queryset = related._default_manager.filter(pk__in=queryset.values(source.name))
    return queryset


def breakdown_records(breakdown: Breakdown, scope: AnyScope, period: Period, values: dict) -> QuerySet:
    """The records of one row (or of the rows sharing the given values) of a breakdown."""
    queryset = breakdown.records_for(scope, period)
    return queryset.filter(**{name: values[name] for name in breakdown.group_by if name in values})


# --- How each kind of record is listed -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a drill-down list. `value(record, full_identifiers)` is the typed value (text, a
    number, a date, None) — the page shows it through `shown()`, the export writes it as it is, in
    `number_format` (federation.exports.base)."""

    label: str
    value: Callable  # (record, full_identifiers: bool) -> str | int | Decimal | date | None
    numeric: bool = False
    number_format: str | None = None
    width: float = 14


def shown(value) -> str:
    """A value as the page prints it: thousands separators, money with two decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _id(member: Member, full: bool) -> str:
    return member.id_number if full else mask_id_number(member.id_number)


def _union_name(record, full: bool = False) -> str:
    return record.union.name if record.union_id else ""


def _organiser(record, full: bool = False) -> str:
    return record.union.name if record.union_id else (record.federation.name if record.federation_id else "")


def _term(start, end) -> str:
    return f"{shown(start)} 至 {shown(end)}"


def _date_column(label: str, value: Callable) -> Column:
    return Column(label, value, number_format=DATE, width=12)


def _count_column(label: str, value: Callable) -> Column:
    return Column(label, value, numeric=True, number_format=INTEGER, width=10)


def _money_column(label: str, value: Callable) -> Column:
    return Column(label, value, numeric=True, number_format=MONEY, width=12)


ID_COLUMN = Column("证件号码", lambda o, full: _id(o.member, full), number_format=TEXT, width=21)

LISTS: dict[type, tuple[tuple[str, ...], tuple[str, ...], list[Column]]] = {
    # model: (select_related, order_by, columns)
    GrassrootsUnion: (
        ("federation",),
        ("federation__path", "name", "pk"),
        [
            Column("工会名称", lambda o, full: o.name, width=28),
            Column("单位名称", lambda o, full: o.employer_name, width=28),
            Column("所属联合会", lambda o, full: o.federation.name, width=20),
            Column("单位性质", lambda o, full: o.get_employer_nature_display()),
            Column("类型", lambda o, full: o.get_union_type_display()),
            _date_column("建会日期", lambda o, full: o.established_on),
            Column("状态", lambda o, full: o.get_status_display()),
        ],
    ),
    UnionYear: (
        ("union",),
        ("union__name", "pk"),
        [
            Column("工会名称", lambda o, full: o.union.name, width=28),
            Column("年度", lambda o, full: str(o.year), width=8),
            _count_column("职工人数", lambda o, full: o.employees),
            _count_column("女职工", lambda o, full: o.women_employees),
            _count_column("农民工", lambda o, full: o.migrant_employees),
        ],
    ),
    Member: (
        ("union",),
        ("union__name", "name", "pk"),
        [
            Column("姓名", lambda o, full: o.name, width=10),
            Column("性别", lambda o, full: o.get_gender_display(), width=6),
            Column("证件号码", _id, number_format=TEXT, width=21),
            Column(
                "所在工会",
                lambda o, full: getattr(o, "year_end_union_name", None) or o.union.name,
                width=28,
            ),
            _date_column("入会日期", lambda o, full: o.joined_on),
            Column("现会籍状态", lambda o, full: o.get_status_display()),
        ],
    ),
    MembershipChange: (
        ("member", "union"),
        ("changed_on", "pk"),
        [
            Column("姓名", lambda o, full: o.member.name, width=10),
            ID_COLUMN,
            Column("工会", lambda o, full: o.union.name, width=28),
            Column("变化类型", lambda o, full: o.get_change_type_display()),
            _date_column("日期", lambda o, full: o.changed_on),
            Column("原因", lambda o, full: o.get_reason_display()),
        ],
    ),
    Election: (
        ("union",),
        ("held_on", "pk"),
        [
            Column("工会名称", lambda o, full: o.union.name, width=28),
            _date_column("选举日期", lambda o, full: o.held_on),
            Column("新任主席", lambda o, full: o.chair_name),
            _count_column("任期(年)", lambda o, full: o.term_years),
        ],
    ),
    UnionHonour: (
        ("union",),
        ("pk",),
        [
            Column("工会名称", lambda o, full: o.union.name, width=28),
            Column("荣誉称号", lambda o, full: o.title_other or o.get_title_display(), width=24),
            Column("级别", lambda o, full: o.get_level_display()),
            Column("年度", lambda o, full: str(o.year), width=8),
            Column("授予单位", lambda o, full: o.awarded_by, width=20),
        ],
    ),
    MemberHonour: (
        ("member", "member__union"),
        ("pk",),
        [
            Column("姓名", lambda o, full: o.member.name, width=10),
            Column("所在工会", lambda o, full: o.member.union.name, width=28),
            Column("荣誉称号", lambda o, full: o.title_other or o.get_title_display(), width=24),
            Column("级别", lambda o, full: o.get_level_display()),
            Column("年度", lambda o, full: str(o.year), width=8),
        ],
    ),
    CollectiveContract: (
        ("union", "federation"),
        ("signed_on", "pk"),
        [
            Column("合同名称", lambda o, full: o.title, width=28),
            Column("类别", lambda o, full: o.get_kind_display()),
            Column("签订形式", lambda o, full: o.get_scope_display()),
            Column("签订方", _organiser, width=28),
            _date_column("签订日期", lambda o, full: o.signed_on),
            Column("期限", lambda o, full: _term(o.starts_on, o.ends_on), width=24),
            _count_column("覆盖职工", lambda o, full: o.covered_employees),
            Column("状态", lambda o, full: o.get_status_display()),
        ],
    ),
    HardshipCase: (
        ("member", "union"),
        ("opened_on", "pk"),
        [
            Column("姓名", lambda o, full: o.member.name, width=10),
            ID_COLUMN,
            Column("所在工会", _union_name, width=28),
            Column("困难类别", lambda o, full: o.get_category_display()),
            Column("主要致困原因", lambda o, full: o.get_primary_cause_display()),
            _date_column("建档日期", lambda o, full: o.opened_on),
            _date_column("最近复核", lambda o, full: o.last_reviewed_on),
            Column("状态", lambda o, full: o.get_status_display()),
        ],
    ),
    AidRecord: (
        ("member", "union"),
        ("aid_on", "pk"),
        [
            Column("姓名", lambda o, full: o.member.name, width=10),
            ID_COLUMN,
            Column("所在工会", _union_name, width=28),
            _date_column("发放日期", lambda o, full: o.aid_on),
            Column("帮扶类型", lambda o, full: o.get_kind_display()),
            _money_column("金额(元)", lambda o, full: o.amount),
            _count_column("助学学生", lambda o, full: o.students_helped or None),
        ],
    ),
    Activity: (
        ("union", "federation"),
        ("starts_on", "pk"),
        [
            Column("活动名称", lambda o, full: o.title, width=28),
            Column("类别", lambda o, full: o.get_category_display()),
            Column("主办方", _organiser, width=28),
            _date_column("开始日期", lambda o, full: o.starts_on),
            _count_column("参与人次", lambda o, full: o.participants),
            _count_column("受益人数", lambda o, full: o.beneficiaries),
            _money_column("经费(元)", lambda o, full: o.spending),
        ],
    ),
}

# The page each kind of record opens from its first column (its name): the URL's name, the primary key
# it takes, and — where that page shows another record than the one listed (a change or an aid payment
# opens its member) — the model to check the user may see, since a member may since have moved out of
# the user's scope. The listed records themselves are already narrowed to what the user may see.
LINKS: dict[type, tuple[str, Callable, type | None]] = {
    GrassrootsUnion: ("unions:detail", lambda o: o.pk, None),
    UnionYear: ("unions:detail", lambda o: o.union_id, None),
    Member: ("members:detail", lambda o: o.pk, None),
    MembershipChange: ("members:detail", lambda o: o.member_id, Member),
    Election: ("unions:detail", lambda o: o.union_id, None),
    UnionHonour: ("unions:detail", lambda o: o.union_id, None),
    MemberHonour: ("members:detail", lambda o: o.member_id, None),
    CollectiveContract: ("unions:contract-detail", lambda o: o.pk, None),
    HardshipCase: ("hardship:detail", lambda o: o.pk, None),
    AidRecord: ("members:detail", lambda o: o.member_id, Member),
    Activity: ("activities:detail", lambda o: o.pk, None),
}


def page_rows(user, records, columns: list[Column]) -> list[list[tuple[str, bool, str]]]:
    """The rows of one page: (text, numeric, link) per cell, the first cell linking to the record's
    page where the user may open it. One query more, for the page's rows, where the linked record is
    another than the listed one."""
    records = list(records)
    full = scoping.can_see_full_identifiers(user)
    url_name, linked_pk, checked = LINKS[type(records[0])] if records else ("", None, None)
    openable = None
    if checked is not None:
        pks = {linked_pk(record) for record in records}
        openable = set(scoping.visible(user, checked).filter(pk__in=pks).values_list("pk", flat=True))
    rows = []
    for record in records:
        pk = linked_pk(record)
        link = reverse(url_name, args=[pk]) if openable is None or pk in openable else ""
        cells = [(shown(column.value(record, full)), column.numeric, "") for column in columns]
        cells[0] = (cells[0][0], cells[0][1], link)
        rows.append(cells)
    return rows


# Past this many records a list is paged by keyset (federation.lists.paging), in the order of an index.
LONG_LIST = COUNT_LIMIT
LONG_ORDER = {Member: ("name", "pk")}  # the member index (name, id): a city's 2 million members by name


def listing(queryset: QuerySet, *, long: bool = False) -> tuple[QuerySet, list[Column]]:
    """The queryset ready for a page of the list (joined, ordered) and the columns to show; a long
    list in an order an index serves."""
    related, order, columns = LISTS[queryset.model]
    if long:
        order = LONG_ORDER.get(queryset.model, order)
    return queryset.select_related(*related).order_by(*order), columns
