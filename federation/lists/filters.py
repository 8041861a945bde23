"""Filters shared by the staff lists, so that the annual summary's figures can open them filtered
(reports.summary.staff_links): a federation's subtree, a calendar year, the state on a given day.

The subtree and the periods are those of the summary's record sets (reports.indicators: Scope,
Period and the *_on_q rules), so a list filtered this way holds exactly the records a figure counts.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.models import Federation
from federation.scope import Period, Scope
from federation.years import valid_year

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The choice of a yes/no filter: 全部 (no filter), 是, 否.
YES_NO = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])


def _visible_federations(request):
    if request is None:
        return Federation.objects.none()
    return scoping.visible(request.user, Federation).order_by("path")


class WithinFilter(django_filters.ModelChoiceFilter):
    """Records of a federation and every federation below it (a record reached through a union of
    the subtree, or — `federation` given — through a federation of the subtree)."""

    def __init__(self, *, union: str | None = "union", federation: str | None = None, **kwargs):
        kwargs.setdefault("label", _("联合会（含下级）"))
        kwargs.setdefault("queryset", _visible_federations)
        kwargs.setdefault("empty_label", _("全部"))
        super().__init__(**kwargs)
        self.union_lookup, self.federation_lookup = union, federation

    @property
    def field(self):
        field = super().field
        request = self.get_request()
        if request is not None and not scoping.sees_federations(request.user):
            # A union cadre sees no federation: a choice of “全部” only would be noise.
            field.widget = forms.HiddenInput()
        return field

    def filter(self, qs, value):
        if not value:
            return qs
        scope, q = Scope(value), Q(pk__in=[])
        if self.union_lookup:
            q |= scope.union_q(self.union_lookup)
        if self.federation_lookup:
            q |= scope.federation_q(self.federation_lookup)
        return qs.filter(q)


class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field (a range, which keeps the field's index usable), optionally
    with a condition of the record set it belongs to."""

    def __init__(self, *, date_field: str, condition: Q | None = None, **kwargs):
        super().__init__(**kwargs)
        self.date_field, self.condition = date_field, condition

    def filter(self, qs, value):
        if value in (None, "") or not valid_year(int(value)):
            return qs
        qs = qs.filter(Period(int(value)).date_q(self.date_field))
        return qs.filter(self.condition) if self.condition is not None else qs


class OnDayFilter(django_filters.DateFilter):
    """The records in a state on a given day (a union active, a case open, a contract in force)."""

    def __init__(self, *, rule: Callable, **kwargs):
        kwargs.setdefault("widget", DATE)
        super().__init__(**kwargs)
        self.rule = rule

    def filter(self, qs, value):
        return qs.filter(self.rule(value)) if value else qs


class TodayFilter(django_filters.BooleanFilter):
    """是 keeps the records a rule of today holds for (a contract expiring, a case overdue for review),
    否 the others — the rule the dashboard's to-do asks too."""

    def __init__(self, *, rule: Callable, **kwargs):
        kwargs.setdefault("widget", YES_NO)
        super().__init__(**kwargs)
        self.rule = rule

    def filter(self, qs, value):
        if value is None:
            return qs
        q = self.rule(timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)
