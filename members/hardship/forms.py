"""Forms of the hardship-case and aid pages. They parse input only; members.services validates and
writes, and its errors come back beside the fields they name."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import normalise_resident_id
from federation.input_hints import hint_inputs
from federation.text import TEXT_LIMIT
from members.choices import LIVE_STATUSES, AidKind, CaseStatus, HardshipCategory, HardshipCause, ReviewKind
from members.models import AidRecord, CaseDocument, HardshipCase, HouseholdMember, Member
from members.services.hardship import CLOSING_STATUSES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The figures of a case, as opened and as updated.
FIGURE_FIELDS = [
    "primary_cause",
    "secondary_causes",
    "category",
    "category_override_reason",
    "household_size",
    "annual_household_income",
    "rigid_medical",
    "rigid_schooling",
    "accident_costs",
    "health_status",
    "disability_grade",
    "housing",
    "description",
]


def secondary_causes_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("次要致困原因"),
        choices=HardshipCause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("最多选择3项。"),
    )


class MemberChoice(forms.Form):
    """Who the record is about: a member passed from another page (?member=<id>), or one found by
    the exact ID number among the live members of the user's own unions — never a list of everyone."""

    member = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("会员身份证号"),
        max_length=30,
        required=False,
        help_text=_("请输入完整的身份证号，在本人管理的工会的在册会员中查找。"),
    )

    def setup_member(self, user) -> None:
        self.user = user
        hint_inputs(self)
        self.fields["member"].queryset = scoping.owned(user, Member).select_related("union")

    def clean(self):
        data = super().clean()
        if data.get("member") is None and "member" not in self.errors:
            number = normalise_resident_id(data.get("id_number") or "")
            if not number:
                self.add_error("id_number", _("请填写会员的身份证号。"))
            else:
                found = (
                    scoping.owned(self.user, Member)
                    .filter(id_number=number, status__in=LIVE_STATUSES)
                    .select_related("union")
                    .first()
                )
                if found is None:
                    self.add_error("id_number", _("在您管理的工会中找不到该身份证号的在册会员。"))
                data["member"] = found
        return data


class HardshipCaseOpenForm(MemberChoice, forms.ModelForm):
    """建档: the member, the figures and the category (empty = take the system's suggestion)."""

    category = forms.ChoiceField(
        label=_("困难类别"),
        choices=[("", _("按系统建议")), *HardshipCategory.choices],
        required=False,
        help_text=_("留空则采用系统根据收入测算的建议类别；与建议不一致时须填写调整理由。"),
    )
    secondary_causes = secondary_causes_field()

    class Meta:
        model = HardshipCase
        fields = ["opened_on", *FIGURE_FIELDS]
        widgets = {"opened_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    field_order = ["member", "id_number", *Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_member(user)
        self.fields["opened_on"].initial = timezone.localdate()
        self.order_fields(self.field_order)

    def _post_clean(self):
        # No model validation here: hardship_case_open runs full_clean and its errors come back.
        pass

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("id_number", None)
        data["category"] = data.get("category") or None
        return data


class HardshipCaseFiguresForm(forms.ModelForm):
    """更新档案数据: the figures of an open case; the category is suggested again from them."""

    secondary_causes = secondary_causes_field()

    class Meta:
        model = HardshipCase
        fields = FIGURE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "category": _("保存后系统按本年低保标准重新测算建议类别；与建议不一致时须填写调整理由。")
        }

    def _post_clean(self):
        # hardship_case_update_figures validates the case and maps its errors back to the fields.
        pass


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["name", "relation", "annual_income", "health_status", "school_or_work"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank row must stay unchanged, so no field carries a default; the model's apply.
        for name in ("annual_income", "health_status"):
            self.fields[name].initial = None
            self.fields[name].required = False

    def _post_clean(self):
        pass


HouseholdFormSet = forms.formset_factory(HouseholdMemberForm, extra=3, max_num=29, validate_max=True)


def household_rows(formset) -> list[dict]:
    """The filled-in rows of the household formset (blank extra rows are left out)."""
    return [
        {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data
    ]


class CaseReviewForm(forms.Form):
    """初审 / 终审 / 复核(回访) through hardship_case_review."""

    kind = forms.ChoiceField(label=_("审核类型"), choices=ReviewKind.choices)
    reviewed_on = forms.DateField(label=_("审核日期"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("审核意见"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: HardshipCase | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and not self.is_bound:
            if not case.initial_reviewed_on:
                self.fields["kind"].initial = ReviewKind.INITIAL
            elif not case.final_reviewed_on:
                self.fields["kind"].initial = ReviewKind.FINAL
            else:
                self.fields["kind"].initial = ReviewKind.ANNUAL


class CaseCloseForm(forms.Form):
    """结档 through hardship_case_close."""

    status = forms.ChoiceField(
        label=_("结档类型"), choices=[(c.value, c.label) for c in CaseStatus if c in CLOSING_STATUSES]
    )
    closed_on = forms.DateField(label=_("结档日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("结档原因"), max_length=200)


AID_FIELDS = [
    "aid_on",
    "kind",
    "amount",
    "goods_description",
    "goods_value",
    "students_helped",
    "fund_source",
    "handled_by",
    "notes",
]
AID_FIGURES = ("amount", "goods_value", "students_helped")


def optional_aid_figures(form) -> None:
    """Amount, goods value and students may be left empty (as 0): the model asks for what is needed."""
    for name in AID_FIGURES:
        form.fields[name].required = False


def aid_figures(data: dict) -> dict:
    for name in AID_FIGURES:
        data[name] = data.get(name) or 0
    return data


class AidRecordForm(MemberChoice, forms.ModelForm):
    """新增帮扶 through aid_record_create. 节日慰问 is the default kind: it is the most frequent."""

    hardship_case = forms.ModelChoiceField(
        queryset=HardshipCase.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = AidRecord
        fields = AID_FIELDS
        widgets = {"aid_on": DATE}

    field_order = ["member", "hardship_case", "id_number", *Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_member(user)
        self.fields["hardship_case"].queryset = scoping.owned(user, HardshipCase)
        self.fields["aid_on"].initial = timezone.localdate()
        self.fields["kind"].initial = AidKind.FESTIVAL
        optional_aid_figures(self)
        self.order_fields(self.field_order)

    def clean(self):
        case = self.cleaned_data.get("hardship_case")
        if case is not None and self.cleaned_data.get("member") is None:
            self.cleaned_data["member"] = case.member
        return super().clean()

    def _post_clean(self):
        pass

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("id_number", None)
        return aid_figures(data)


class AidRecordEditForm(forms.ModelForm):
    """修改帮扶记录 through aid_record_update: the member, the union and the case stay."""

    class Meta:
        model = AidRecord
        fields = AID_FIELDS
        widgets = {"aid_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        optional_aid_figures(self)

    def _post_clean(self):
        pass  # aid_record_update validates against the membership and the case

    def service_arguments(self) -> dict:
        return aid_figures(dict(self.cleaned_data))


class FestivalAidForm(forms.ModelForm):
    """批量节日慰问: the members picked from the member list (among those the user keeps) and the one
    date, amount or goods and fund source they all receive."""

    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), widget=forms.MultipleHiddenInput, label=_("会员")
    )

    class Meta:
        model = AidRecord
        fields = [
            "aid_on",
            "amount",
            "goods_description",
            "goods_value",
            "fund_source",
            "handled_by",
            "notes",
        ]
        widgets = {"aid_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = scoping.owned(user, Member).select_related("union")
        self.fields["members"].error_messages["required"] = _("请先在会员列表中勾选要慰问的会员。")
        self.fields["aid_on"].initial = timezone.localdate()
        for name in ("amount", "goods_value"):
            self.fields[name].required = False

    def _post_clean(self):
        pass  # aid_festival_record_many validates each record

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        members = data.pop("members")
        data["amount"] = data.get("amount") or 0
        data["goods_value"] = data.get("goods_value") or 0
        return {"members": list(members.order_by("name", "pk")), **data}


class CaseDocumentForm(forms.ModelForm):
    """上传证明材料: the file is checked by its content (federation.uploads.content.ScanFormField)."""

    class Meta:
        model = CaseDocument
        fields = ["kind", "file", "description"]

    def _post_clean(self):
        pass  # case_document_add validates the record
