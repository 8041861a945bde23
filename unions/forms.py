"""Forms of the union and contract pages. Choices of unions and federations come from
federation.scoping; the models' clean() gives the rules and their Chinese messages."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import mask_phone
from federation.input_hints import hint_inputs
from federation.masked_forms import HiddenNumbersFormMixin
from federation.models import Federation
from federation.text import TEXT_LIMIT
from federation.uploads.content import ScanFormField
from federation.years import validate_year
from unions.choices import ContractScope, UnionStatus
from unions.lookup import RecordUnionField
from unions.models import (
    TERM_YEARS_CHOICES,
    CollectiveContract,
    GrassrootsUnion,
    UnionHonour,
    UnionYear,
)
from unions.multi_lookup import UnionMultiLookupField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The fields of the 工会组织信息采集表 kept by hand. The chair and the term change only through
# 换届选举 (election_record), the status never by a raw edit, the federation never after creation.
UNION_FIELDS = [
    "name",
    "employer_name",
    "credit_code",
    "union_type",
    "covered_employers",
    "employer_nature",
    "economic_type",
    "industry",
    "area",
    "address",
    "established_on",
    "chair_phone",
    "full_time_chair",
    "full_time_staff",
    "part_time_staff",
    "has_women_committee",
    "has_mediation_committee",
    "has_audit_committee",
    "has_labour_supervision",
    "has_workers_congress",
    "has_open_affairs",
]
UNION_CREATE_FIELDS = [
    "federation",
    *UNION_FIELDS[:11],
    "chair_name",
    *UNION_FIELDS[11:],
    "term_years",
    "term_started_on",
]


class UnionEditForm(HiddenNumbersFormMixin, forms.ModelForm):
    hidden_numbers = {"chair_phone": mask_phone}

    class Meta:
        model = GrassrootsUnion
        fields = UNION_FIELDS
        widgets = {"established_on": DATE}


class UnionCreateForm(forms.ModelForm):
    """新建基层工会: under a federation the user keeps."""

    class Meta:
        model = GrassrootsUnion
        fields = UNION_CREATE_FIELDS
        widgets = {"established_on": DATE, "term_started_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = scoping.owned(user, Federation).order_by("path")
        hint_inputs(self)


class UnionYearForm(forms.ModelForm):
    """年度职工情况 of one union."""

    class Meta:
        model = UnionYear
        fields = ["year", "employees", "women_employees", "migrant_employees", *UnionYear.SURVEY_FIELDS]

    def __init__(self, *args, union: GrassrootsUnion, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.union = union
        self.fields["year"].validators.append(validate_year)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year - 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = UnionYear.objects.filter(union=self.instance.union, year=year).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("该年度的职工情况已填写，请修改原有记录。"))
        return year


class UnionHonourForm(forms.ModelForm):
    """工会荣誉 of one union; the model asks for the title when it is “其他”."""

    class Meta:
        model = UnionHonour
        fields = ["title", "title_other", "level", "year", "awarded_by"]

    def __init__(self, *args, union: GrassrootsUnion, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.union = union
        self.fields["year"].validators.append(validate_year)
        self.fields["year"].initial = timezone.localdate().year


class ElectionForm(forms.Form):
    """换届选举: election_record checks the date against the union and its term."""

    held_on = forms.DateField(label=_("选举日期"), widget=DATE, initial=timezone.localdate)
    chair_name = forms.CharField(label=_("新任主席"), max_length=50)
    term_years = forms.TypedChoiceField(
        label=_("任期(年)"), choices=TERM_YEARS_CHOICES, coerce=int, initial=5
    )
    notes = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=TEXT_LIMIT
    )


class ScanForm(forms.Form):
    """上传合同扫描件 — from the contract's page."""

    # Checked by its content (federation.uploads.content), as the contract form's scan field is.
    scan = ScanFormField(label=_("合同扫描件"))


class ContractForm(forms.ModelForm):
    """集体合同: a single contract names a union the user keeps; a regional or sectoral one a federation
    the user keeps and the unions it covers."""

    class Meta:
        model = CollectiveContract
        fields = [
            "title",
            "kind",
            "scope",
            "union",
            "federation",
            "covered_unions",
            "signed_on",
            "starts_on",
            "ends_on",
            "covered_employees",
            "wage_increase_pct",
            "filed_on",
            "status",
            "scan",
        ]
        widgets = {
            "signed_on": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "filed_on": DATE,
        }
        field_classes = {"union": RecordUnionField, "covered_unions": UnionMultiLookupField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # New contracts go to active unions; one already kept for a union since closed stays valid.
        active = Q(status=UnionStatus.ACTIVE)
        if self.instance.pk:
            active |= Q(pk=self.instance.union_id) | Q(pk__in=self.instance.covered_unions.all())
        unions = scoping.owned(user, GrassrootsUnion).filter(active).order_by("name")
        self.fields["union"].queryset = unions
        self.fields["covered_unions"].queryset = unions
        self.fields["federation"].queryset = scoping.owned(user, Federation).order_by("path")
        if not self.instance.pk and user.union_id:
            self.fields["union"].initial = user.union_id

    def clean(self):
        cleaned = super().clean()
        # Only the party that matches the form of signing is kept.
        if cleaned.get("scope") == ContractScope.SINGLE:
            cleaned["federation"] = None
            cleaned["covered_unions"] = []
        elif cleaned.get("scope"):
            cleaned["union"] = None
        return cleaned


class UnionDissolveForm(forms.Form):
    """撤销 through union_dissolve, which says what must be settled first."""

    on = forms.DateField(label=_("撤销日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("撤销原因"), max_length=90, required=False)


class UnionMergeForm(forms.Form):
    """合并 through union_merge: into another active union the user keeps."""

    into = RecordUnionField(GrassrootsUnion.objects.none(), label=_("合并到"))
    on = forms.DateField(label=_("合并日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, union: GrassrootsUnion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            scoping.owned(user, GrassrootsUnion)
            .filter(status=UnionStatus.ACTIVE)
            .exclude(pk=union.pk)
            .order_by("name")
        )
        self.fields["into"].help_text = _("本工会的全部会员及其在档困难职工档案将转入所选工会。")
