"""The drill-down of the annual summary: the records behind a figure.

An indicator's list is its record set (`Indicator.records`) narrowed by the filter of its aggregate
(工资专项 of the contracts signed, 女会员 of the members…), so the list holds exactly what the figure
counts; a distinct count (unions that held an election, people helped) lists the distinct unions or
members. The member stock (会员总数 and its parts) lists the members at year end
(records.members_at_end). A breakdown row lists the breakdown's records with that row's values.
The caller narrows every list further to what the user may see (federation.scoping).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Aggregate, F, OuterRef, Q, QuerySet, Subquery

from federation.identifiers import mask_id_number
from federation.lists.paging import COUNT_LIMIT
from members.choices import Gender
from members.models import AidRecord, HardshipCase, Member, MemberHonour, MembershipChange
from reports.indicators import Indicator, Period, Scope
from reports.indicators import records as r
from reports.indicators.breakdowns import Breakdown
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
    indicator: Indicator, scope: Scope, period: Period, *, expected: int | None = None
) -> QuerySet:
    """Exactly the records the indicator's figure counts. `expected` is the figure, where known: a
    member stock of more than LONG_LIST members is read without the narrowing filter (see
    records.members_at_end)."""
    if indicator.key in MEMBER_STOCK:
        # Listed with the union they belonged to on 31 Dec, which may not be their union today.
        year_end_union = GrassrootsUnion.objects.filter(pk=OuterRef("arrival_union")).values("name")[:1]
        narrow = expected is None or expected <= LONG_LIST
        return (
            r.members_at_end(scope, period, narrow=narrow)
            .filter(MEMBER_STOCK[indicator.key])
            .annotate(year_end_union_name=Subquery(year_end_union))
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


def breakdown_records(breakdown: Breakdown, scope: Scope, period: Period, values: dict) -> QuerySet:
    """The records of one row (or of the rows sharing the given values) of a breakdown."""
    queryset = breakdown.records(scope, period)
    if breakdown.extra_filter is not None:
        queryset = queryset.filter(breakdown.extra_filter)
    if breakdown.annotate:
        queryset = queryset.annotate(**breakdown.annotate)
    return queryset.filter(**{name: values[name] for name in breakdown.group_by if name in values})


# --- How each kind of record is listed -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable  # (record, full_identifiers: bool) -> str
    numeric: bool = False


def _id(member: Member, full: bool) -> str:
    return member.id_number if full else mask_id_number(member.id_number)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


def _union_name(record, full: bool = False) -> str:
    return record.union.name if record.union_id else ""


def _organiser(record, full: bool = False) -> str:
    return record.union.name if record.union_id else (record.federation.name if record.federation_id else "")


LISTS: dict[type, tuple[tuple[str, ...], tuple[str, ...], list[Column]]] = {
    # model: (select_related, order_by, columns)
    GrassrootsUnion: (
        ("federation",),
        ("federation__path", "name", "pk"),
        [
            Column("工会名称", lambda o, full: o.name),
            Column("单位名称", lambda o, full: o.employer_name),
            Column("所属联合会", lambda o, full: o.federation.name),
            Column("单位性质", lambda o, full: o.get_employer_nature_display()),
            Column("类型", lambda o, full: o.get_union_type_display()),
            Column("建会日期", lambda o, full: _date(o.established_on)),
            Column("状态", lambda o, full: o.get_status_display()),
        ],
    ),
    UnionYear: (
        ("union",),
        ("union__name", "pk"),
        [
            Column("工会名称", lambda o, full: o.union.name),
            Column("年度", lambda o, full: str(o.year)),
            Column("职工人数", lambda o, full: f"{o.employees:,}", True),
            Column("女职工", lambda o, full: f"{o.women_employees:,}", True),
            Column("农民工", lambda o, full: f"{o.migrant_employees:,}", True),
        ],
    ),
    Member: (
        ("union",),
        ("union__name", "name", "pk"),
        [
            Column("姓名", lambda o, full: o.name),
            Column("性别", lambda o, full: o.get_gender_display()),
            Column("证件号码", _id),
            Column("所在工会", lambda o, full: getattr(o, "year_end_union_name", None) or o.union.name),
            Column("入会日期", lambda o, full: _date(o.joined_on)),
            Column("现会籍状态", lambda o, full: o.get_status_display()),
        ],
    ),
    MembershipChange: (
        ("member", "union"),
        ("changed_on", "pk"),
        [
            Column("姓名", lambda o, full: o.member.name),
            Column("证件号码", lambda o, full: _id(o.member, full)),
            Column("工会", lambda o, full: o.union.name),
            Column("变化类型", lambda o, full: o.get_change_type_display()),
            Column("日期", lambda o, full: _date(o.changed_on)),
            Column("原因", lambda o, full: o.get_reason_display()),
        ],
    ),
    Election: (
        ("union",),
        ("held_on", "pk"),
        [
            Column("工会名称", lambda o, full: o.union.name),
            Column("选举日期", lambda o, full: _date(o.held_on)),
            Column("新任主席", lambda o, full: o.chair_name),
            Column("任期(年)", lambda o, full: str(o.term_years), True),
        ],
    ),
    UnionHonour: (
        ("union",),
        ("pk",),
        [
            Column("工会名称", lambda o, full: o.union.name),
            Column("荣誉称号", lambda o, full: o.title_other or o.get_title_display()),
            Column("级别", lambda o, full: o.get_level_display()),
            Column("年度", lambda o, full: str(o.year)),
            Column("授予单位", lambda o, full: o.awarded_by),
        ],
    ),
    MemberHonour: (
        ("member", "member__union"),
        ("pk",),
        [
            Column("姓名", lambda o, full: o.member.name),
            Column("所在工会", lambda o, full: o.member.union.name),
            Column("荣誉称号", lambda o, full: o.title_other or o.get_title_display()),
            Column("级别", lambda o, full: o.get_level_display()),
            Column("年度", lambda o, full: str(o.year)),
        ],
    ),
    CollectiveContract: (
        ("union", "federation"),
        ("signed_on", "pk"),
        [
            Column("合同名称", lambda o, full: o.title),
            Column("类别", lambda o, full: o.get_kind_display()),
            Column("签订形式", lambda o, full: o.get_scope_display()),
            Column("签订方", _organiser),
            Column("签订日期", lambda o, full: _date(o.signed_on)),
            Column("期限", lambda o, full: f"{_date(o.starts_on)} 至 {_date(o.ends_on)}"),
            Column("覆盖职工", lambda o, full: f"{o.covered_employees:,}", True),
            Column("状态", lambda o, full: o.get_status_display()),
        ],
    ),
    HardshipCase: (
        ("member", "union"),
        ("opened_on", "pk"),
        [
            Column("姓名", lambda o, full: o.member.name),
            Column("证件号码", lambda o, full: _id(o.member, full)),
            Column("所在工会", _union_name),
            Column("困难类别", lambda o, full: o.get_category_display()),
            Column("主要致困原因", lambda o, full: o.get_primary_cause_display()),
            Column("建档日期", lambda o, full: _date(o.opened_on)),
            Column("最近复核", lambda o, full: _date(o.last_reviewed_on)),
            Column("状态", lambda o, full: o.get_status_display()),
        ],
    ),
    AidRecord: (
        ("member", "union"),
        ("aid_on", "pk"),
        [
            Column("姓名", lambda o, full: o.member.name),
            Column("证件号码", lambda o, full: _id(o.member, full)),
            Column("所在工会", _union_name),
            Column("发放日期", lambda o, full: _date(o.aid_on)),
            Column("帮扶类型", lambda o, full: o.get_kind_display()),
            Column("金额(元)", lambda o, full: _money(o.amount), True),
            Column("助学学生", lambda o, full: str(o.students_helped or ""), True),
        ],
    ),
    Activity: (
        ("union", "federation"),
        ("starts_on", "pk"),
        [
            Column("活动名称", lambda o, full: o.title),
            Column("类别", lambda o, full: o.get_category_display()),
            Column("主办方", _organiser),
            Column("开始日期", lambda o, full: _date(o.starts_on)),
            Column("参与人次", lambda o, full: f"{o.participants:,}", True),
            Column("受益人数", lambda o, full: f"{o.beneficiaries:,}", True),
            Column("经费(元)", lambda o, full: _money(o.spending), True),
        ],
    ),
}


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
