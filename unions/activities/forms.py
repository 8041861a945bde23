"""Forms of the activity pages: the organiser is one federation or one union the user keeps."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.lists.filters import WithinFilter
from federation.models import Federation
from federation.text import SEARCH_LIMIT
from federation.uploads.content import PhotosFormField
from federation.years import valid_year
from unions.activities.models import Activity, ActivityPhoto
from unions.lookup import RecordUnionField, UnionLookupFilter
from unions.models import GrassrootsUnion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _visible_federations(request):
    if request is None:
        return Federation.objects.none()
    return scoping.visible(request.user, Federation).order_by("path")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "category",
            "federation",
            "union",
            "starts_on",
            "ends_on",
            "place",
            "participants",
            "beneficiaries",
            "spending",
            "summary",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"federation": _("主办方为联合会时选择；与主办基层工会二者选一。")}
        field_classes = {"union": RecordUnionField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = scoping.owned(user, Federation).order_by("path")
        self.fields["union"].queryset = (
            scoping.owned(user, GrassrootsUnion).select_related("federation").order_by("name")
        )
        if not self.instance.pk and user.union_id:
            self.fields["union"].initial = user.union_id
        if not self.fields["federation"].queryset.exists():
            del self.fields["federation"]

    def clean(self):
        data = super().clean()
        federation, union = data.get("federation"), data.get("union")
        if bool(federation) == bool(union):
            raise forms.ValidationError(_("主办方须为一个联合会或一个基层工会（二者选一）。"))
        return data


class ActivityPhotoForm(forms.Form):
    """上传照片: one or several photos at once (each checked and re-encoded by
    federation.uploads.content), all with the same caption."""

    image = PhotosFormField(label=_("照片"), help_text=_("可一次选择多张。"))
    caption = forms.CharField(
        label=ActivityPhoto._meta.get_field("caption").verbose_name, max_length=200, required=False
    )


class ActivityFilter(django_filters.FilterSet):
    """The activity list's search and filters, over a queryset already scoped."""

    q = django_filters.CharFilter(
        max_length=SEARCH_LIMIT, label=_("活动名称"), field_name="title", lookup_expr="icontains"
    )
    category = django_filters.ChoiceFilter(
        label=_("活动类别"), choices=Activity.Category.choices, empty_label=_("全部")
    )
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year")
    federation = django_filters.ModelChoiceFilter(
        label=_("主办联合会"), queryset=_visible_federations, empty_label=_("全部")
    )
    union = UnionLookupFilter(label=_("主办基层工会"))
    within = WithinFilter(union="union", federation="federation")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("starts_on", "starts_on"), ("participants", "participants"), ("title", "title")),
        field_labels={"starts_on": _("开始日期"), "participants": _("参与人次"), "title": _("活动名称")},
    )

    class Meta:
        model = Activity
        fields = ["q", "category", "year", "federation", "union", "within"]

    def filter_year(self, queryset, name, value):
        if not value or not valid_year(int(value)):
            return queryset
        year = int(value)
        return queryset.filter(starts_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
