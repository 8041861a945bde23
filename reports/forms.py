"""The form in which staff write the narrative parts of a year's summary."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import SummaryDraft

HELP = {
    "opening_text": _("接在自动生成的开篇段落之后。"),
    "organisation_text": _("接在“组织建设和会员发展”的统计文字之后，写工作亮点和做法。"),
    "problems_text": _("留空时，按台账数据自动生成（如到期未换届、入会率偏低等）。"),
    "plan_text": _("留空时，按台账数据自动生成下一年工作计划。"),
    "signoff_date": _("留空时使用生成当天的日期。"),
}


class SummaryDraftForm(forms.ModelForm):
    class Meta:
        model = SummaryDraft
        fields = [*SummaryDraft.NARRATIVE_FIELDS, "signoff_date"]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 5}) for name in SummaryDraft.NARRATIVE_FIELDS},
            "signoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = HELP

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["plan_text"].label = _("%(year)s年工作计划") % {"year": year + 1}

    def lock(self) -> None:
        """Show the text but let nothing be changed (a finalised year). Read-only rather than disabled:
        the text stays selectable, and a refused save still shows what was typed."""
        for field in self.fields.values():
            field.widget.attrs["readonly"] = True

    def clean_signoff_date(self) -> dt.date | None:
        day = self.cleaned_data.get("signoff_date")
        # A summary of year Y is signed off in Y (December) or early in Y+1.
        if day and not (self.year <= day.year <= self.year + 1):
            raise forms.ValidationError(
                _("落款日期应在%(year)s年或%(next)s年内。"), params={"year": self.year, "next": self.year + 1}
            )
        return day
