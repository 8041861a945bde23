"""Breakdowns of the summary: the same record sets as the indicators, grouped by an official category
(unions by statistical group, aid by kind, activities by category, …). One GROUP BY query each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from members.choices import AidKind, ChangeReason, ChangeType, HardshipCategory, HardshipCause
from reports.indicators import catalogue as c
from reports.indicators import records as r
from reports.indicators.base import AnyScope, Period, RecordsFn, Scope
from unions.activities.models import Activity
from unions.choices import (
    STATISTICAL_GROUP_OF_NATURE,
    ContractKind,
    ContractScope,
    HonourLevel,
    HonourTitle,
    StatisticalGroup,
    UnionType,
)


def statistical_group_expression() -> Case:
    """单位性质 → 统计分组, in the database."""
    whens = []
    for group in StatisticalGroup:
        natures = [n for n, g in STATISTICAL_GROUP_OF_NATURE.items() if g == group]
        if natures:
            whens.append(When(employer_nature__in=natures, then=Value(group.value)))
    return Case(*whens, default=Value(StatisticalGroup.COMMUNITY.value), output_field=CharField())


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    aggregate: object


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str
    section: str
    records: RecordsFn
    group_by: tuple[str, ...]
    labels: tuple[dict, ...]
    measures: tuple[Measure, ...]
    annotate: dict | None = None
    extra_filter: Q | Callable[[Scope], Q] | None = None

    def filter_for(self, scope: AnyScope) -> Q | None:
        """The breakdown's narrowing of its record set (some depend on the subtree)."""
        return self.extra_filter(scope) if callable(self.extra_filter) else self.extra_filter

    def records_for(self, scope: AnyScope, period: Period):
        """Exactly the records the breakdown's rows count (the drill-down of a row narrows these)."""
        qs = self.records(scope, period)
        narrowing = self.filter_for(scope)
        if narrowing is not None:
            qs = qs.filter(narrowing)
        if self.annotate:
            qs = qs.annotate(**self.annotate)
        return qs

    def rows(self, scope: AnyScope, period: Period) -> list[dict]:
        """One row per group that has any records, in the official order of the categories."""
        qs = self.records_for(scope, period)
        found = {
            tuple(row[g] for g in self.group_by): row
            for row in qs.order_by()
            .values(*self.group_by)
            .annotate(**{m.key: m.aggregate for m in self.measures})
        }
        order = {
            g: {value: i for i, value in enumerate(labels)}
            for g, labels in zip(self.group_by, self.labels, strict=True)
        }
        result = []
        for key in sorted(
            found, key=lambda k: tuple(order[g].get(v, 999) for g, v in zip(self.group_by, k, strict=True))
        ):
            row = found[key]
            result.append(
                {
                    "keys": key,
                    "labels": [
                        str(labels.get(v, v or "—")) for labels, v in zip(self.labels, key, strict=True)
                    ],
                    **{m.key: row[m.key] or 0 for m in self.measures},
                }
            )
        return result


def _choices(choices) -> dict:
    return dict(choices.choices) if hasattr(choices, "choices") else dict(choices)


COUNT = Measure("count", _("数量"), _("个"), Count("pk"))

BREAKDOWNS: list[Breakdown] = [
    Breakdown(
        "unions_by_group",
        _("基层工会按单位类型分组"),
        c.ORGANISATION,
        r.unions_active_at_end,
        ("group",),
        (_choices(StatisticalGroup),),
        (
            Measure("count", _("工会数"), _("个"), Count("pk")),
            Measure("employers", _("覆盖单位数"), _("家"), Sum("covered_employers")),
        ),
        annotate={"group": statistical_group_expression()},
    ),
    Breakdown(
        "unions_by_type",
        _("基层工会按类型"),
        c.ORGANISATION,
        r.unions_active_at_end,
        ("union_type",),
        (_choices(UnionType),),
        (
            Measure("count", _("工会数"), _("个"), Count("pk")),
            Measure("employers", _("覆盖单位数"), _("家"), Sum("covered_employers")),
        ),
    ),
    Breakdown(
        "union_honours",
        _("工会集体荣誉"),
        c.HONOURS,
        r.union_honours_in,
        ("title", "level"),
        (_choices(HonourTitle), _choices(HonourLevel)),
        (Measure("count", _("项数"), _("项"), Count("pk")),),
    ),
    Breakdown(
        "members_left_by_type",
        _("减少会员按类型和原因"),
        c.MEMBERSHIP,
        r.membership_changes_in,
        ("change_type", "reason"),
        (_choices(ChangeType), _choices(ChangeReason)),
        (Measure("count", _("人数"), _("人"), Count("pk")),),
        # The departures 减少会员数 counts: a transfer between two unions of the subtree is none.
        extra_filter=c.members_left_q,
    ),
    Breakdown(
        "contracts_by_kind",
        _("集体合同签订情况"),
        c.RIGHTS,
        r.contracts_signed_in,
        ("kind", "scope"),
        (_choices(ContractKind), _choices(ContractScope)),
        (
            Measure("count", _("份数"), _("份"), Count("pk")),
            Measure("employees", _("覆盖职工"), _("人"), Sum("covered_employees")),
        ),
    ),
    Breakdown(
        "cases_by_category",
        _("在档困难职工按类别"),
        c.HELP,
        r.cases_open_at_end,
        ("category",),
        (_choices(HardshipCategory),),
        (Measure("count", _("户数"), _("户"), Count("pk")),),
    ),
    Breakdown(
        "cases_by_cause",
        _("在档困难职工按主要致困原因"),
        c.HELP,
        r.cases_open_at_end,
        ("primary_cause",),
        (_choices(HardshipCause),),
        (Measure("count", _("户数"), _("户"), Count("pk")),),
    ),
    Breakdown(
        "aid_by_kind",
        _("帮扶按类型"),
        c.HELP,
        r.aid_in,
        ("kind",),
        (_choices(AidKind),),
        (
            Measure("count", _("人次"), _("人次"), Count("pk")),
            Measure("people", _("人数"), _("人"), Count("member", distinct=True)),
            Measure("amount", _("金额"), _("元"), Sum("amount")),
            Measure("students", _("助学学生"), _("人"), Sum("students_helped")),
        ),
    ),
    Breakdown(
        "activities_by_category",
        _("活动按类别"),
        c.ACTIVITIES,
        r.activities_in,
        ("category",),
        (_choices(Activity.Category),),
        (
            Measure("count", _("场次"), _("场"), Count("pk")),
            Measure("participants", _("参与人次"), _("人次"), Sum("participants")),
            Measure("beneficiaries", _("受益人数"), _("人"), Sum("beneficiaries")),
            Measure("spending", _("经费"), _("元"), Sum("spending")),
        ),
    ),
    Breakdown(
        "member_honours",
        _("会员个人荣誉"),
        c.HONOURS,
        r.member_honours_in,
        ("title", "level"),
        (_choices(HonourTitle), _choices(HonourLevel)),
        (Measure("count", _("项数"), _("项"), Count("pk")),),
    ),
]

BREAKDOWN_BY_KEY = {b.key: b for b in BREAKDOWNS}
