"""The form of 编辑会员资料: the ordinary fields only; members.services.member_update validates and saves."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import PROFILE_FIELDS, Member


class MemberProfileForm(forms.ModelForm):
    """编辑资料. Someone who may not see full phone numbers gets the mobile field empty: leaving it
    empty keeps the number on record, typing one replaces it."""

    class Meta:
        model = Member
        fields = PROFILE_FIELDS

    def __init__(self, *args, full_identifiers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.keeps_hidden_mobile = not full_identifiers and bool(self.instance.mobile)
        if self.keeps_hidden_mobile:
            self.initial["mobile"] = ""
            self.fields["mobile"].help_text = _("当前号码%(masked)s；留空则不修改。") % {
                "masked": self.instance.masked_mobile
            }

    def changes(self) -> dict:
        """The fields to hand to member_update."""
        data = dict(self.cleaned_data)
        if self.keeps_hidden_mobile and not data.get("mobile"):
            data.pop("mobile")
        return data

    def _post_clean(self):
        # No model validation here (it would change the instance): member_update runs full_clean
        # on the locked row and the view puts its errors back beside the fields.
        pass
