"""Forms of the member pages. They parse input only; members.services validates and writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import mask_phone
from federation.masked_forms import HiddenNumbersFormMixin
from members.choices import ChangeReason, ChangeType
from members.models import MEMBER_FIELDS, PROFILE_FIELDS, Member
from members.services.membership import STATUS_CHANGES
from members.services.transfers import transfer_destinations
from unions.lookup import RecordUnionField, UnionLookupField, active_unions
from unions.models import GrassrootsUnion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        self.order_fields(self.field_order)

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


class MemberLeaveForm(forms.Form):
    """会员离会 (and 保留会籍): one MembershipChange through member_status_change."""

    change_type = forms.ChoiceField(
        label=_("变化类型"), choices=[(c.value, c.label) for c in ChangeType if c in STATUS_CHANGES]
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
