"""The member list's search and filters (django-filter), over a queryset already scoped."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.identifiers import normalise_resident_id
from federation.lists.filters import YES_NO
from federation.text import SEARCH_LIMIT
from members.choices import Gender, MembershipStatus
from members.models import Member
from unions.lookup import UnionLookupFilter


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=SEARCH_LIMIT, label=_("姓名/身份证号/会员证号"), method="search")
    union = UnionLookupFilter(label=_("基层工会"))
    status = django_filters.ChoiceFilter(
        label=_("会籍状态"), choices=MembershipStatus.choices, empty_label=_("全部")
    )
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices, empty_label=_("全部"))
    is_migrant_worker = django_filters.BooleanFilter(label=_("农民工会员"), widget=YES_NO)
    is_cadre = django_filters.BooleanFilter(label=_("工会干部"), widget=YES_NO)
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("joined_on", "joined_on"),
            ("union__name", "union"),
            ("member_number", "member_number"),
        ),
        field_labels={
            "name": _("姓名"),
            "joined_on": _("入会日期"),
            "union__name": _("基层工会"),
            "member_number": _("会员证号"),
        },
    )

    class Meta:
        model = Member
        fields = ["q", "union", "status", "gender", "is_migrant_worker", "is_cadre"]

    def search(self, queryset, name, value):
        """Name contains the text; an ID number or a member number must match exactly (an exact
        lookup on an indexed column, never a scan for a partial number)."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(id_number=normalise_resident_id(value)) | Q(member_number=value)
        )
