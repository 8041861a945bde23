"""Search and filters of the hardship-case and aid lists (django-filter), over scoped querysets."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.lists.filters import OnDayFilter, TodayFilter, WithinFilter, YearFilter
from federation.models import User
from federation.text import SEARCH_LIMIT
from federation.years import valid_year
from members.choices import AidKind, CaseStatus, FundSource, HardshipCategory, HardshipCause
from members.filters import member_search_q
from members.models import AidRecord, HardshipCase, Member
from members.selectors import case_open_on_q, case_overdue_for_review_q
from unions.lookup import UnionLookupFilter


def search_member(queryset, value: str, *, within_one_union: bool = False):
    """The records of the members the member list's search finds for `value` (members.filters.
    member_search_q: an exact ID number, the start of a name — any part of it within one union),
    asked as a set of members that an index finds, not as a name read for every record."""
    if not value.strip():
        return queryset
    found = Member.objects.filter(member_search_q(value, within_one_union=within_one_union))
    return queryset.filter(member__in=found.values("pk"))


def _within_one_union(filterset) -> bool:
    user = getattr(filterset.request, "user", None)
    if user is not None and getattr(user, "role", None) == User.Role.UNION_CADRE:
        return True
    return bool(filterset.form.is_valid() and filterset.form.cleaned_data.get("union"))


class HardshipCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=SEARCH_LIMIT, label=_("姓名/身份证号"), method="search")
    union = UnionLookupFilter(label=_("建档工会"))
    category = django_filters.ChoiceFilter(
        label=_("困难类别"), choices=HardshipCategory.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("档案状态"), choices=CaseStatus.choices, empty_label=_("全部")
    )
    primary_cause = django_filters.ChoiceFilter(
        label=_("主要致困原因"), choices=HardshipCause.choices, empty_label=_("全部")
    )
    overdue = TodayFilter(label=_("12个月未复核"), rule=case_overdue_for_review_q)
    within = WithinFilter()
    open_on = OnDayFilter(label=_("某日在档"), rule=case_open_on_q)
    opened_year = YearFilter(label=_("建档年度"), date_field="opened_on")
    closed_year = YearFilter(
        label=_("结档年度"), date_field="closed_on", condition=~Q(status=CaseStatus.OPEN)
    )
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("opened_on", "opened_on"),
            ("last_reviewed_on", "last_reviewed_on"),
            ("member__name", "name"),
            ("monthly_income_per_head", "income"),
        ),
        field_labels={
            "opened_on": _("建档日期"),
            "last_reviewed_on": _("最近复核日期"),
            "member__name": _("姓名"),
            "monthly_income_per_head": _("月人均收入"),
        },
    )

    class Meta:
        model = HardshipCase
        fields = [
            "q",
            "union",
            "category",
            "status",
            "primary_cause",
            "overdue",
            "within",
            "open_on",
            "opened_year",
            "closed_year",
        ]

    def search(self, queryset, name, value):
        return search_member(queryset, value, within_one_union=_within_one_union(self))


class AidRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=SEARCH_LIMIT, label=_("姓名/身份证号"), method="search")
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year")
    union = UnionLookupFilter(label=_("发放工会"))
    kind = django_filters.ChoiceFilter(label=_("帮扶类型"), choices=AidKind.choices, empty_label=_("全部"))
    fund_source = django_filters.ChoiceFilter(
        label=_("资金来源"), choices=FundSource.choices, empty_label=_("全部")
    )
    within = WithinFilter()
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("aid_on", "aid_on"), ("amount", "amount"), ("member__name", "name")),
        field_labels={"aid_on": _("发放日期"), "amount": _("金额"), "member__name": _("姓名")},
    )

    class Meta:
        model = AidRecord
        fields = ["q", "year", "union", "kind", "fund_source", "within"]

    def search(self, queryset, name, value):
        return search_member(queryset, value, within_one_union=_within_one_union(self))

    def filter_year(self, queryset, name, value):
        # A date range, not __year: it keeps the (aid_on, kind) index usable.
        if not value or not valid_year(int(value)):
            return queryset
        year = int(value)
        return queryset.filter(aid_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
