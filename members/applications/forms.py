"""Forms of 入会申请: the public application (short, on a phone), the review's reject reason, and a
join link's expiry. They parse input only; members.services.applications checks and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import normalise_resident_id, validate_mobile, validate_resident_id
from federation.input_hints import hint_inputs
from members.choices import ETHNICITY_CHOICES, HAN, Education, PoliticalStatus
from unions.lookup import RecordUnionField, active_unions
from unions.models import GrassrootsUnion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The honeypot: a field people never see (hidden by CSS, skipped by the keyboard and screen readers),
# that form-filling robots fill in.
HONEYPOT = "website"


class JoinApplicationForm(forms.Form):
    """入会申请表: what a worker can answer of the 会员实名信息采集表. 性别 and 出生日期 are not asked:
    the ID number says them (shown as it is typed, stored from the number)."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        help_text=_("18位居民身份证号码，最后一位可能是X。性别和出生日期按身份证号自动填写。"),
    )
    ethnicity = forms.ChoiceField(label=_("民族"), choices=ETHNICITY_CHOICES, initial=HAN)
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    political_status = forms.ChoiceField(
        label=_("政治面貌"), choices=PoliticalStatus.choices, initial=PoliticalStatus.MASSES
    )
    mobile = forms.CharField(label=_("手机号码"), max_length=20, help_text=_("工会审核时可能与您电话联系。"))
    employer = forms.CharField(label=_("工作单位"), max_length=150)
    job = forms.CharField(label=_("工作岗位"), max_length=100, required=False)
    is_migrant_worker = forms.BooleanField(label=_("我是农民工（农业户籍、在城镇务工）"), required=False)
    consent = forms.BooleanField(
        label=_("我已阅读上述个人信息处理说明，同意工会为办理入会处理我的个人信息。"),
        error_messages={"required": _("请阅读并同意个人信息处理说明后再提交。")},
    )
    website = forms.CharField(label=_("请勿填写此项"), required=False, max_length=200)

    def __init__(self, *args, employer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].initial = employer
        hint_inputs(self)
        # The worker types their own number and phone: the browser may offer what it knows of them.
        self.fields["mobile"].widget.attrs["autocomplete"] = "tel"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["id_number"].widget.attrs.update(
            {
                "data-check-id": "",
                "aria-describedby": "id_number_check id_id_number_helptext",
            }
        )
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_id_number(self) -> str:
        number = normalise_resident_id(self.cleaned_data["id_number"])
        validate_resident_id(number)
        return number

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"]
        validate_mobile(value)
        return value

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop(HONEYPOT, None)
        data.pop("consent", None)
        return data


class JoinLinkForm(forms.Form):
    union = RecordUnionField(GrassrootsUnion.objects.none(), label=_("基层工会"))
    expires_on = forms.DateField(
        label=_("有效期至"), required=False, widget=DATE, help_text=_("不填则长期有效，直到停用。")
    )
    note = forms.CharField(
        label=_("备注"), max_length=100, required=False, help_text=_("例如张贴地点，仅工作人员可见。")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unions = (
            active_unions(scoping.owned(user, GrassrootsUnion)).select_related("federation").order_by("name")
        )
        self.fields["union"].queryset = unions
        if user.union_id:
            self.fields["union"].initial = user.union_id


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("未通过原因"),
        max_length=200,
        help_text=_("申请人凭回执码查询时会看到这段文字，请写明原因，不要写其他人的信息。"),
    )


def receipt_lookup_error() -> ValidationError:
    return ValidationError(_("没有找到该回执码的申请，请核对后再试。"))
