"""How a summary names its period: the annual summary (年度工作总结) or the half-year one (上半年工作总结).

    wording_of(period, year) -> PeriodWording

The generated sentences (reports.summary.narrative) are written for a year — 「全年」, 「比上年」,
「与上年持平」, 「本年度」, 「截至年底」, 「2026年，我会…」. For the half-year summary they are reworded
here, in one place, word for word (PeriodWording.reword): 「上半年」, 「比上年同期」, 「与上年同期持平」,
「截至6月30日」, 「下半年，我会…」. Staff text is never reworded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from federation.scope import HalfYear, Period, period_for
from reports.summary.dates import as_of_text
from reports.summary.figures import Figure, Paragraph


@dataclass(frozen=True)
class PeriodWording:
    period: Period | HalfYear

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def is_half(self) -> bool:
        return isinstance(self.period, HalfYear)

    @property
    def name(self) -> str:
        """2025年 / 2025年上半年 — what the title and the headings call the period."""
        return f"{self.year}年上半年" if self.is_half else f"{self.year}年"

    @property
    def previous_name(self) -> str:
        """What the comparison column is called: 2024年 / 2024年上半年."""
        return f"{self.year - 1}年上半年" if self.is_half else f"{self.year - 1}年"

    @property
    def title_suffix(self) -> str:
        return f"{self.name}工作总结"

    @property
    def plan_heading(self) -> str:
        return "下半年工作计划" if self.is_half else f"{self.year + 1}年工作计划"

    @property
    def signoff_years(self) -> tuple[int, int]:
        """A year's summary is signed off in December or early the next year; a half-year's in its year."""
        return (self.year, self.year) if self.is_half else (self.year, self.year + 1)

    def as_of(self, today: dt.date | None = None) -> str:
        """截至6月30日 for a half-year that has ended; while it runs, the day the figures are from."""
        today = today or timezone.localdate()
        if not self.is_half:
            return as_of_text(self.year, today)
        if today > self.period.end:
            return f"截至{self.period.end.month}月{self.period.end.day}日"
        return as_of_text(self.year, today)

    def replacements(self, today: dt.date | None = None) -> list[tuple[re.Pattern, str]]:
        """The words of the annual text (as patterns) and what the half-year's says instead."""
        if not self.is_half:
            return []
        words = [
            (re.escape(f"{self.year + 1}年，我会将重点做好以下工作"), "下半年，我会将重点做好以下工作"),
            (re.escape(f"{self.year}年，"), f"{self.year}年上半年，"),
            (re.escape(as_of_text(self.year, today)), self.as_of(today)),
            ("(比|与|较)上年(?!同期)", r"\1上年同期"),
            ("本年度", "上半年"),
            ("全年", "上半年"),
        ]
        return [(re.compile(pattern), new) for pattern, new in words]

    def definition(self, text: str) -> str:
        """An indicator's written definition (catalogue.py, written for a year) for the period: a
        half-year's stock is on 30 June, its flows within the half."""
        if not self.is_half:
            return text
        for old, new in (("12月31日", "6月30日"), ("年末", "6月末"), ("年底", "6月末"), ("本年度", "上半年")):
            text = text.replace(old, new)
        return text

    def reword_text(self, text: str, today: dt.date | None = None) -> str:
        """A generated caption or heading in the period's words (unchanged for a year)."""
        return _replaced(text, self.replacements(today))

    def reword(self, paragraphs: list[Paragraph], today: dt.date | None = None) -> list[Paragraph]:
        """The generated paragraphs in the period's words (unchanged for a year)."""
        replacements = self.replacements(today)
        if not replacements:
            return paragraphs
        for paragraph in paragraphs:
            paragraph.parts = [self._figure(_replaced(part, replacements)) for part in paragraph.parts]
        return paragraphs

    def _figure(self, part):
        """A figure's tooltip (its indicator's written definition) in the period's words too."""
        if isinstance(part, Figure) and part.title:
            return dataclasses.replace(part, title=self.definition(part.title))
        return part


def _replaced(part, replacements: list[tuple[re.Pattern, str]]):
    if not isinstance(part, str):
        return part  # a figure or a bold lead: its own text is a number or a heading
    for pattern, new in replacements:
        part = pattern.sub(new, part)
    return part


def wording_of(period: Period | HalfYear | None, year: int) -> PeriodWording:
    return PeriodWording(period if period is not None else period_for(year))


def summary_args(federation_id: int, year: int, kind: str = Period.kind, *more) -> list:
    """The URL arguments of a summary's page: the annual summary's have no period, the half-year's
    have "h1" after the year (reports.urls)."""
    return [federation_id, year, *([] if kind == Period.kind else [kind]), *more]
