"""The work summary of a federation and year (年度工作总结) or half-year (上半年工作总结), as a document
structure that the HTML page, the PDF, the Word document (and anyone else) render: title, the staff's
opening then the generated overview, numbered sections with generated text then staff narrative,
tables and charts, 存在问题, 工作计划, sign-off, and the statistics appendix.

    build_summary(federation, year, *, kind="year", draft=None, catalogue=None) -> SummaryDocument

Everything here is computed from the records (reports.indicators); staff write only the narrative
(reports.models.SummaryDraft). The staff-only data-quality figures are never part of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from federation.models import Federation
from federation.scope import period_for
from reports import subjects
from reports.indicators import Catalogue, union_rows
from reports.models import SummaryDraft, SummaryPeriod
from reports.summary import charts, narrative, union_narrative
from reports.summary.dates import date_in_chinese, ordinal_in_chinese
from reports.summary.figures import Facts, Paragraph, text_paragraphs
from reports.summary.periods import PeriodWording
from reports.summary.tables import (
    IndicatorGroup,
    Table,
    appendix_table,
    indicator_groups,
    section_tables,
)
from unions.models import GrassrootsUnion


@dataclass
class Chart:
    key: str
    caption: str
    svg: str
    number: int = 0
    drawing: charts.BarChart | None = None  # what the SVG shows: the Word document draws it as PNG


@dataclass
class Section:
    key: str
    title: str
    generated: list[Paragraph]
    narrative: list[Paragraph]
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    number: str = ""
    is_default_text: bool = False  # generated because staff wrote nothing (存在问题, 工作计划)

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}" if self.number else self.title


@dataclass
class SummaryDocument:
    federation: Federation
    year: int
    title: str
    opening: list[Paragraph]
    sections: list[Section]
    signoff_name: str
    signoff_date: dt.date
    indicator_groups: list[IndicatorGroup]
    appendix_table: Table | None  # none in a union's own summary
    per_union: bool  # the appendix lists every union (else one row per subordinate federation)
    catalogue: Catalogue
    union_rows: list[dict] = field(default_factory=list)  # the per-union figures, also the workbook's
    draft: SummaryDraft | None = None
    kind: str = SummaryPeriod.YEAR
    union: GrassrootsUnion | None = None  # a union's own summary (issue 15)

    @property
    def subject(self) -> Federation | GrassrootsUnion:
        """Whose summary (reports.subjects): the union's own, or the federation's."""
        return self.union if self.union is not None else self.federation

    @property
    def wording(self) -> PeriodWording:
        return PeriodWording(period_for(self.year, self.kind))

    @property
    def signoff_date_text(self) -> str:
        return date_in_chinese(self.signoff_date)

    @property
    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]

    @property
    def file_stem(self) -> str:
        return self.title


@dataclass(frozen=True)
class Writers:
    """What writes the generated text of one kind of summary (reports.summary.narrative for a
    federation's, reports.summary.union_narrative for a union's own)."""

    # The sections of the work review: key, heading, writer, draft field, shown when empty.
    sections: list[tuple[str, str, Callable[[Facts], list[Paragraph]], str, bool]]
    opening: Callable[[Facts, str], list[Paragraph]]
    problems: Callable[[Facts], list[Paragraph]]
    plan: Callable[[Facts, int], list[Paragraph]]


FEDERATION_WRITERS = Writers(
    sections=[
        ("organisation", "组织建设和会员发展", narrative.organisation, "organisation_text", True),
        ("rights", "维权和集体合同", narrative.rights, "rights_text", True),
        ("help", "困难职工帮扶", narrative.help_section, "help_text", True),
        ("activities", "职工活动和技能提升", narrative.activities, "activities_text", True),
        ("honours", "评先评优", narrative.honours, "honours_text", False),
        ("own_work", "联合会自身建设", narrative.own_work, "own_work_text", False),
    ],
    opening=narrative.opening,
    problems=narrative.problems,
    plan=narrative.plan,
)
# A grassroots union's own summary: the sections its records can fill, each left out without records
# (the structure the grassroots unions' summaries in ../shared/reference/ share).
UNION_WRITERS = Writers(
    sections=[
        ("organisation", "组织建设和会员", union_narrative.organisation, "organisation_text", False),
        ("rights", "维权和集体合同", union_narrative.rights, "rights_text", False),
        ("help", "困难职工帮扶", union_narrative.help_section, "help_text", False),
        ("activities", "职工活动和技能提升", union_narrative.activities, "activities_text", False),
        ("honours", "荣誉", union_narrative.honours, "honours_text", False),
    ],
    opening=lambda facts, _name: union_narrative.opening(facts),
    problems=union_narrative.problems,
    plan=union_narrative.plan,
)
# The federation's sections (kept by name for those who list them).
WORK_SECTIONS = FEDERATION_WRITERS.sections


def _has_records(paragraphs: list[Paragraph]) -> bool:
    """False for the one sentence a section without records says (「本年度暂无…记录。」) — which is
    left out when staff wrote something for the section."""
    return not (len(paragraphs) == 1 and "暂无" in str(paragraphs[0]))


def build_summary(
    subject: Federation | GrassrootsUnion,
    year: int,
    *,
    kind: str = SummaryPeriod.YEAR,
    draft: SummaryDraft | None = None,
    catalogue: Catalogue | None = None,
    appendix: tuple[Table, bool] | None = None,
) -> SummaryDocument:
    """The document of the year or half-year (`kind`) from the records — a federation's, or a union's
    own (`subject` a GrassrootsUnion); `catalogue` and `appendix` (its table and whether it lists
    every union) when they are known already — the page reads them stored
    (reports.indicators.stored), and then the per-union rows are not computed at all."""
    union = subject if isinstance(subject, GrassrootsUnion) else None
    if draft is None:
        draft = SummaryDraft.objects.filter(**subjects.rows_of(subject), year=year, period=kind).first()
    if catalogue is None:
        catalogue = subjects.catalogue_of(subject, year, kind)
    facts = Facts(catalogue)
    wording = PeriodWording(period_for(year, kind))
    writers = UNION_WRITERS if union is not None else FEDERATION_WRITERS

    def staff_text(name: str) -> list[Paragraph]:
        return text_paragraphs(getattr(draft, name, "") if draft else "")

    sections: list[Section] = []
    for key, title, writer, draft_field, always in writers.sections:
        generated = wording.reword(writer(facts))
        written = staff_text(draft_field)
        if written and not _has_records(generated):
            generated = []
        if not generated and not written and not always:
            continue
        sections.append(
            Section(
                key,
                title,
                generated,
                written,
                # A union's own summary has no table of the kinds of unions.
                [] if union is not None and key == "organisation" else section_tables(key, facts),
                section_charts(key, facts, wording),
            )
        )

    problems_text = staff_text("problems_text")
    sections.append(
        Section(
            "problems",
            "存在问题",
            [] if problems_text else wording.reword(writers.problems(facts)),
            problems_text,
            is_default_text=not problems_text,
        )
    )
    plan_text = staff_text("plan_text")
    sections.append(
        Section(
            "plan",
            wording.plan_heading,
            [] if plan_text else wording.reword(writers.plan(facts, year + 1)),
            plan_text,
            is_default_text=not plan_text,
        )
    )
    for i, section in enumerate(sections, start=1):
        section.number = ordinal_in_chinese(i)
    for i, table in enumerate((t for s in sections for t in s.tables), start=1):
        table.number = i
        table.caption = wording.reword_text(table.caption)  # 「本年度集体合同签订情况」 of a half-year
    for i, chart in enumerate((c for s in sections for c in s.charts), start=1):
        chart.number = i

    # The staff's opening (leadership, guiding thought) comes first, as a reader expects it; the
    # generated overview follows and ends with 「现将…工作情况总结如下。」, which leads into section 一.
    opening = staff_text("opening_text") + wording.reword(writers.opening(facts, subject.name))
    federation = union.federation if union is not None else subject
    assert isinstance(federation, Federation)
    rows: list[dict] = []
    table: Table | None = None
    per_union = False
    if union is None:
        rows = union_rows(federation, year, kind) if appendix is None else []
        table, per_union = appendix_table(federation, rows) if appendix is None else appendix
    return SummaryDocument(
        federation=federation,
        year=year,
        title=f"{subject.name}{wording.title_suffix}",
        opening=opening,
        sections=sections,
        signoff_name=subject.name,
        signoff_date=(draft.signoff_date if draft and draft.signoff_date else timezone.localdate()),
        indicator_groups=_worded_groups(indicator_groups(catalogue), wording),
        appendix_table=table,
        per_union=per_union,
        catalogue=catalogue,
        union_rows=rows,
        draft=draft,
        kind=kind,
        union=union,
    )


def _worded_groups(groups: list[IndicatorGroup], wording: PeriodWording) -> list[IndicatorGroup]:
    """The appendix's definitions in the period's words (a half-year's stock is on 30 June)."""
    for group in groups:
        for row in group.rows:
            row.definition = wording.definition(row.definition)
    return groups


def generated_defaults(document: SummaryDocument) -> dict[str, str]:
    """The generated 存在问题 and 工作计划 of a document built without staff text for them, as the
    plain text the edit form starts from (one paragraph a line)."""
    fields = {"problems": "problems_text", "plan": "plan_text"}
    return {
        fields[section.key]: "\n".join(p.text for p in section.generated)
        for section in document.sections
        if section.key in fields and section.is_default_text
    }


# --- Charts of the sections -----------------------------------------------------------------------


def section_charts(key: str, facts: Facts, wording: PeriodWording | None = None) -> list[Chart]:
    """The charts of one section (none where there is nothing to draw)."""
    drawn = []
    if key == "organisation":
        # A half-year's trend compares the members on 30 June of each year.
        half = wording is not None and wording.is_half
        caption = "近五年6月末会员人数变化" if half else "近五年会员人数变化"
        trend = charts.members_trend_chart(facts.catalogue.trend, on="6月末" if half else "年末")
        drawn.append(("members-trend", caption, trend))
    elif key == "help":
        drawn.append(("aid-by-kind", "各类帮扶金额", charts.aid_by_kind_chart(facts.rows("aid_by_kind"))))
    elif key == "activities":
        drawing = charts.activities_by_category_chart(facts.rows("activities_by_category"))
        drawn.append(("activities-by-category", "各类职工活动场次", drawing))
    return [
        Chart(name, caption, charts.svg(drawing), drawing=drawing)
        for name, caption, drawing in drawn
        if drawing
    ]
