"""Search and filters of the union and contract lists (django-filter), over querysets already scoped."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import normalise_credit_code
from federation.lists.filters import OnDayFilter, TodayFilter, WithinFilter, YearFilter
from federation.models import Federation
from federation.text import SEARCH_LIMIT
from unions.choices import (
    ContractKind,
    ContractScope,
    ContractStatus,
    EmployerNature,
    Industry,
    UnionStatus,
    UnionType,
)
from unions.models import CollectiveContract, GrassrootsUnion
from unions.selectors import contract_expiring_q, contract_in_force_on_q, union_active_on_q


def _user_federations(request):
    if request is None:
        return Federation.objects.none()
    return scoping.visible(request.user, Federation).order_by("path")


class UnionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_LIMIT, label=_("工会名称/统一社会信用代码"), method="search"
    )
    federation = django_filters.ModelChoiceFilter(
        label=_("所属联合会"), queryset=_user_federations, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=UnionStatus.choices, empty_label=_("全部"))
    union_type = django_filters.ChoiceFilter(
        label=_("基层工会类型"), choices=UnionType.choices, empty_label=_("全部")
    )
    employer_nature = django_filters.ChoiceFilter(
        label=_("单位性质"), choices=EmployerNature.choices, empty_label=_("全部")
    )
    industry = django_filters.ChoiceFilter(label=_("行业"), choices=Industry.choices, empty_label=_("全部"))
    within = WithinFilter(union="pk")
    active_on = OnDayFilter(label=_("某日正常"), rule=union_active_on_q)
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("federation__name", "federation"),
            ("established_on", "established_on"),
            ("election_due_on", "election_due_on"),
        ),
        field_labels={
            "name": _("工会名称"),
            "federation__name": _("所属联合会"),
            "established_on": _("建会日期"),
            "election_due_on": _("应换届日期"),
        },
    )

    class Meta:
        model = GrassrootsUnion
        fields = [
            "q",
            "federation",
            "status",
            "union_type",
            "employer_nature",
            "industry",
            "within",
            "active_on",
        ]

    def search(self, queryset, name, value):
        """Name contains the text; a credit code must match exactly (an indexed lookup, no scan)."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code=normalise_credit_code(value)))


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_LIMIT, label=_("合同名称"), field_name="title", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(
        label=_("合同类别"), choices=ContractKind.choices, empty_label=_("全部")
    )
    scope = django_filters.ChoiceFilter(
        label=_("签订形式"), choices=ContractScope.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ContractStatus.choices, empty_label=_("全部")
    )
    expiring = TodayFilter(label=_("90天内到期"), rule=contract_expiring_q)
    within = WithinFilter(union="union", federation="federation")
    signed_year = YearFilter(
        label=_("签订年度"), date_field="signed_on", condition=~Q(status=ContractStatus.NEGOTIATING)
    )
    in_force_on = OnDayFilter(label=_("某日有效"), rule=contract_in_force_on_q)
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("title", "title"), ("signed_on", "signed_on"), ("ends_on", "ends_on")),
        field_labels={"title": _("合同名称"), "signed_on": _("签订日期"), "ends_on": _("期限结束")},
    )

    class Meta:
        model = CollectiveContract
        fields = ["q", "kind", "scope", "status", "expiring", "within", "signed_year", "in_force_on"]
