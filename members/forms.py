"""Forms of the member pages. They parse input only; members.services validates and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import mask_phone, normalise_resident_id, validate_resident_id
from federation.input_hints import hint_inputs
from federation.masked_forms import HiddenNumbersFormMixin
from members.choices import ChangeReason, ChangeType, IdType
from members.models import MEMBER_FIELDS, PROFILE_FIELDS, Member
from members.services.membership import STATUS_CHANGES
from members.services.transfers import transfer_destinations
from unions.lookup import RecordUnionField, UnionLookupField, active_unions
from unions.models import GrassrootsUnion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IDENTITY_HELP = _("居民身份证可不填，按身份证号确定；填写时须与身份证号一致。")


def _active_unions(queryset):
    return active_unions(queryset).select_related("federation").order_by("name")


class MemberJoinForm(forms.ModelForm):
    """新增会员: the fields of the 会员实名信息采集表; member_join does the checks."""

    class Meta:
        model = Member
        fields = ["union", "joined_on", *MEMBER_FIELDS]
        field_order = None
        widgets = {"birth_date": DATE, "joined_on": DATE}
        field_classes = {"union": RecordUnionField}

    # The 采集表's order, with the joining date before the member number.
    field_order = [
        "union",
        *MEMBER_FIELDS[: MEMBER_FIELDS.index("member_number")],
        "joined_on",
        *MEMBER_FIELDS[MEMBER_FIELDS.index("member_number") :],
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unions = _active_unions(scoping.owned(user, GrassrootsUnion))
        self.fields["union"].queryset = unions
        self.fields["joined_on"].initial = timezone.localdate()
        if user.union_id:
            self.fields["union"].initial = user.union_id
        # What a 居民身份证 number says is not asked again: member_join fills 出生日期 and 性别 from it
        # (as the roster import does) and checks them against it when they are given.
        for name in ("birth_date", "gender"):
            self.fields[name].required = False
            self.fields[name].help_text = IDENTITY_HELP
        hint_inputs(self)
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        id_type, number = data.get("id_type"), data.get("id_number")
        if id_type == IdType.RESIDENT_ID:
            if number:
                # The number is checked now, with whatever else is wrong, not after the other fields pass.
                try:
                    validate_resident_id(number)
                except ValidationError as exc:
                    self.add_error("id_number", exc)
                    return data
                data["id_number"] = normalise_resident_id(number)
        elif id_type:
            if not data.get("birth_date") and "birth_date" not in self.errors:
                self.add_error("birth_date", _("证件不是居民身份证时，请填写出生日期。"))
            if not data.get("gender") and "gender" not in self.errors:
                self.add_error("gender", _("证件不是居民身份证时，请选择性别。"))
        return data

    def _post_clean(self):
        # No model validation here: member_join runs full_clean and maps errors back to the fields.
        pass


class MemberProfileForm(HiddenNumbersFormMixin, forms.ModelForm):
    """编辑资料. Someone who may not see full phone numbers gets the mobile field empty: leaving it
    empty keeps the number on record, typing one replaces it."""

    hidden_numbers = {"mobile": mask_phone}

    class Meta:
        model = Member
        fields = PROFILE_FIELDS

    def changes(self) -> dict:
        """The fields to hand to member_update (a hidden number left empty is not one of them)."""
        data = dict(self.cleaned_data)
        for name in self.kept_hidden:
            if data.get(name) == getattr(self.instance, name):
                data.pop(name)
        return data

    def _post_clean(self):
        # No model validation here (it would change the instance): member_update runs full_clean
        # on the locked row and the view puts its errors back beside the fields.
        pass


# 转出 here is the official change type for a member who moves to a union this ledger does not keep
# (another city, a union outside the deployment); a move between two unions of the ledger is a
# 会籍转接 (申请转会), which writes 转出 and 转入 itself once both sides agree (DESIGN.md). The choice
# says so, so that 离会 is not a second, unexplained way to transfer.
LEAVE_CHOICE_LABELS = {
    ChangeType.TRANSFER_OUT: _("转出（转到本系统以外的工会）"),
}


class MemberLeaveForm(forms.Form):
    """会员离会 (and 保留会籍): one MembershipChange through member_status_change."""

    change_type = forms.ChoiceField(
        label=_("变化类型"),
        choices=[(c.value, LEAVE_CHOICE_LABELS.get(c, c.label)) for c in ChangeType if c in STATUS_CHANGES],
        help_text=_("转到本系统内的其他基层工会，请使用“申请转会”，不在此办理。"),
    )
    changed_on = forms.DateField(label=_("变化日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("原因"),
        choices=[("", "—"), *ChangeReason.choices],
        required=False,
        help_text=_("退会、除名须填写原因。"),
    )
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)


class TransferRequestForm(forms.Form):
    to_union = UnionLookupField(GrassrootsUnion.objects.none(), label=_("转入工会"), purpose="transfer")
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_union"].queryset = (
            transfer_destinations(user, member).select_related("federation").order_by("name")
        )
        self.fields["to_union"].set_lookup_params(member=member.pk)


class TransferRefuseForm(forms.Form):
    reason = forms.CharField(label=_("拒绝原因"), max_length=200)
