"""The form in which staff write the narrative parts of a summary (a year's or a half-year's)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import SummaryDraft
from reports.summary.periods import wording_of

HELP = {
    "opening_text": _("写在自动生成的概述之前：上级领导、指导思想、总体思路等。留空时只有自动生成的概述。"),
    "organisation_text": _("接在“组织建设和会员”部分的统计文字之后，写工作亮点和做法。"),
    "problems_text": _("已按台账数据生成初稿，可直接修改；不作修改时随台账数据自动更新。"),
    "plan_text": _("已按台账数据生成初稿，可直接修改；不作修改时随台账数据自动更新。"),
    "signoff_date": _("留空时使用生成当天的日期。"),
}

# The greyed hint in the empty opening field: what such a paragraph says, never inserted.
OPENING_HINT = _(
    "例：一年来，在区总工会和街道党工委的坚强领导下，我会坚持以习近平新时代中国特色社会主义思想为指导，"
    "深入贯彻落实党的二十大精神，紧紧围绕中心、服务大局，团结动员广大职工建功立业。"
)

# A union's own summary: its fifth section is 荣誉, and it has no 联合会自身建设.
UNION_LABELS = {
    "organisation_text": _("组织建设和会员（补充）"),
    "honours_text": _("荣誉（补充）"),
}
UNION_OPENING_HINT = _(
    "例：一年来，在公司党委和上级工会的领导下，公司工会紧紧围绕企业生产经营中心工作，"
    "认真履行维护职工合法权益的基本职责，团结带领广大职工为企业发展贡献力量。"
)

# The fields prefilled with the generated text (存在问题, 工作计划): a starting point staff may edit.
PREFILLED = ("problems_text", "plan_text")


def same_text(a: str, b: str) -> bool:
    """The same paragraphs, whatever the blank lines and the spaces around them."""

    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    return lines(a) == lines(b)


class SummaryDraftForm(forms.ModelForm):
    class Meta:
        model = SummaryDraft
        fields = [*SummaryDraft.NARRATIVE_FIELDS, "signoff_date"]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 5}) for name in SummaryDraft.NARRATIVE_FIELDS},
            "signoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = HELP

    def __init__(
        self,
        *args,
        year: int,
        period=None,
        defaults: dict[str, str] | None = None,
        union: bool = False,
        **kwargs,
    ):
        """`period` (federation.scope: Period or HalfYear) sets the labels and the sign-off's years;
        `defaults` are the generated 存在问题 and 工作计划, shown in their fields while staff have
        written none — saved unchanged they are not kept (the generated text stays live), so the
        document never holds them twice. `union`: the form of a union's own summary (its sections)."""
        super().__init__(*args, **kwargs)
        if union:
            del self.fields["own_work_text"]
            for name, label in UNION_LABELS.items():
                self.fields[name].label = label
        self.year = year
        self.wording = wording_of(period, year)
        self.defaults = defaults or {}
        self.fields["opening_text"].label = _("开篇段落")
        self.fields["opening_text"].widget.attrs["placeholder"] = (
            UNION_OPENING_HINT if union else OPENING_HINT
        )
        self.fields["plan_text"].label = self.wording.plan_heading
        for name in PREFILLED:
            if self.defaults.get(name) and not getattr(self.instance, name):
                self.initial[name] = self.defaults[name]
                self.fields[name].widget.attrs["data-generated"] = "1"

    def lock(self) -> None:
        """Show the text but let nothing be changed (a finalised year). Read-only rather than disabled:
        the text stays selectable, and a refused save still shows what was typed."""
        for field in self.fields.values():
            field.widget.attrs["readonly"] = True

    def _unless_generated(self, name: str) -> str:
        text = self.cleaned_data.get(name) or ""
        return "" if self.defaults.get(name) and same_text(text, self.defaults[name]) else text

    def clean_problems_text(self) -> str:
        return self._unless_generated("problems_text")

    def clean_plan_text(self) -> str:
        return self._unless_generated("plan_text")

    def clean_signoff_date(self) -> dt.date | None:
        day = self.cleaned_data.get("signoff_date")
        first, last = self.wording.signoff_years
        if day and not (first <= day.year <= last):
            if first == last:
                raise forms.ValidationError(_("落款日期应在%(year)s年内。"), params={"year": first})
            raise forms.ValidationError(
                _("落款日期应在%(year)s年或%(next)s年内。"), params={"year": first, "next": last}
            )
        return day
