"""The annual work summary (年度工作总结) of a federation and year, as a document structure that the
HTML page, the PDF (and anyone else) render: title, opening, numbered sections with generated text,
staff narrative, tables and charts, 存在问题, 工作计划, sign-off, and the statistics appendix.

    build_summary(federation, year, *, draft=None, catalogue=None) -> SummaryDocument

Everything here is computed from the records (reports.indicators); staff write only the narrative
(reports.models.SummaryDraft). The staff-only data-quality figures are never part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from federation.models import Federation
from reports import charts, narrative
from reports.chinese_dates import date_in_chinese, ordinal_in_chinese
from reports.figures import (
    Facts,
    Figure,
    Paragraph,
    appendix_change,
    count_text,
    money_text,
    text_paragraphs,
    value_text,
)
from reports.indicators import INDICATORS, SECTIONS, Catalogue, compute_catalogue, federation_rows, union_rows
from reports.models import SummaryDraft

Cell = str | Figure


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    total: list[Cell] | None = None
    note: str = ""
    number: int = 0
    widths: list[int] | None = None  # column widths in %, for the wide appendix tables


@dataclass
class Chart:
    key: str
    caption: str
    svg: str
    number: int = 0


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
class IndicatorRow:
    key: str
    label: str
    definition: str
    value: Cell
    previous: Cell
    change: str


@dataclass
class IndicatorGroup:
    title: str
    rows: list[IndicatorRow]


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
    appendix_table: Table
    per_union: bool  # the appendix lists every union (else one row per subordinate federation)
    catalogue: Catalogue
    draft: SummaryDraft | None = None

    @property
    def signoff_date_text(self) -> str:
        return date_in_chinese(self.signoff_date)

    @property
    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]

    @property
    def file_stem(self) -> str:
        return self.title


# Sections of the work review: key, heading, writer, draft field, shown when empty.
WORK_SECTIONS = [
    ("organisation", "组织建设和会员发展", narrative.organisation, "organisation_text", True),
    ("rights", "维权和集体合同", narrative.rights, "rights_text", True),
    ("help", "困难职工帮扶", narrative.help_section, "help_text", True),
    ("activities", "职工活动和技能提升", narrative.activities, "activities_text", True),
    ("honours", "评先评优", narrative.honours, "honours_text", False),
    ("own_work", "联合会自身建设", narrative.own_work, "own_work_text", False),
]


def _has_records(paragraphs: list[Paragraph]) -> bool:
    """False for the one sentence a section without records says (「本年度暂无…记录。」) — which is
    left out when staff wrote something for the section."""
    return not (len(paragraphs) == 1 and "暂无" in str(paragraphs[0]))


def build_summary(
    federation: Federation,
    year: int,
    *,
    draft: SummaryDraft | None = None,
    catalogue: Catalogue | None = None,
) -> SummaryDocument:
    if draft is None:
        draft = SummaryDraft.objects.filter(federation=federation, year=year).first()
    if catalogue is None:
        catalogue = compute_catalogue(federation, year)
    facts = Facts(catalogue)

    def staff_text(name: str) -> list[Paragraph]:
        return text_paragraphs(getattr(draft, name, "") if draft else "")

    sections: list[Section] = []
    for key, title, writer, draft_field, always in WORK_SECTIONS:
        generated = writer(facts)
        written = staff_text(draft_field)
        if written and not _has_records(generated):
            generated = []
        if not generated and not written and not always:
            continue
        section = Section(key, title, generated, written)
        _add_tables_and_charts(section, facts)
        sections.append(section)

    problems_text = staff_text("problems_text")
    sections.append(
        Section(
            "problems",
            "存在问题",
            [] if problems_text else narrative.problems(facts),
            problems_text,
            is_default_text=not problems_text,
        )
    )
    plan_text = staff_text("plan_text")
    sections.append(
        Section(
            "plan",
            f"{year + 1}年工作计划",
            [] if plan_text else narrative.plan(facts, year + 1),
            plan_text,
            is_default_text=not plan_text,
        )
    )
    for i, section in enumerate(sections, start=1):
        section.number = ordinal_in_chinese(i)
    for i, table in enumerate((t for s in sections for t in s.tables), start=1):
        table.number = i
    for i, chart in enumerate((c for s in sections for c in s.charts), start=1):
        chart.number = i

    opening = narrative.opening(facts, federation.name) + staff_text("opening_text")
    rows = union_rows(federation, year)
    per_union = len(rows) <= settings.SUMMARY_PDF_UNION_LIMIT
    return SummaryDocument(
        federation=federation,
        year=year,
        title=f"{federation.name}{year}年工作总结",
        opening=opening,
        sections=sections,
        signoff_name=federation.name,
        signoff_date=(draft.signoff_date if draft and draft.signoff_date else timezone.localdate()),
        indicator_groups=_indicator_groups(catalogue),
        appendix_table=_union_table(rows) if per_union else _federation_table(federation, rows),
        per_union=per_union,
        catalogue=catalogue,
        draft=draft,
    )


# --- Tables and charts of the sections -------------------------------------------------------------


def _add_tables_and_charts(section: Section, facts: Facts) -> None:
    c = facts.catalogue
    if section.key == "organisation":
        rows = facts.rows("unions_by_group")
        if rows:
            section.tables.append(
                Table(
                    "基层工会分类情况",
                    ["单位类型", "基层工会（个）", "覆盖单位（家）"],
                    [
                        [
                            row["labels"][0],
                            facts.row_fig("unions_by_group", row, "count"),
                            facts.row_fig("unions_by_group", row, "employers"),
                        ]
                        for row in rows
                    ],
                    numeric={1, 2},
                    total=["合计", facts.fig("unions"), facts.fig("employers_covered")],
                )
            )
        svg = charts.members_trend_chart(c.trend)
        if svg:
            section.charts.append(Chart("members-trend", "近五年会员人数变化", svg))
    elif section.key == "rights":
        rows = facts.rows("contracts_by_kind")
        if rows:
            section.tables.append(
                Table(
                    "本年度集体合同签订情况",
                    ["合同类别", "签订形式", "份数", "覆盖职工（人）"],
                    [
                        [
                            row["labels"][0],
                            row["labels"][1],
                            facts.row_fig("contracts_by_kind", row, "count"),
                            facts.row_fig("contracts_by_kind", row, "employees") if row["employees"] else "—",
                        ]
                        for row in rows
                    ],
                    numeric={2, 3},
                    total=["合计", "", facts.fig("contracts_signed"), ""],
                )
            )
    elif section.key == "help":
        rows = facts.rows("aid_by_kind")
        if rows:
            section.tables.append(
                Table(
                    "本年度帮扶情况",
                    ["帮扶类型", "人次", "人数", "金额", "助学学生（人）"],
                    [
                        [
                            row["labels"][0],
                            facts.row_fig("aid_by_kind", row, "count"),
                            facts.row_fig("aid_by_kind", row, "people"),
                            facts.row_fig("aid_by_kind", row, "amount", money_text(row["amount"]))
                            if row["amount"]
                            else "—",
                            facts.row_fig("aid_by_kind", row, "students") if row["students"] else "—",
                        ]
                        for row in rows
                    ],
                    numeric={1, 2, 3, 4},
                    total=[
                        "合计",
                        facts.fig("aid_count"),
                        facts.fig("aid_people"),
                        facts.fig("aid_amount", money_text(facts.now("aid_amount"))),
                        facts.fig("school_students") if facts.now("school_students") else "—",
                    ],
                )
            )
        svg = charts.aid_by_kind_chart(rows)
        if svg:
            section.charts.append(Chart("aid-by-kind", "各类帮扶金额", svg))
    elif section.key == "activities":
        rows = facts.rows("activities_by_category")
        if rows:
            section.tables.append(
                Table(
                    "本年度职工活动情况",
                    ["活动类别", "场次", "参与人次", "受益人数", "经费"],
                    [
                        [
                            row["labels"][0],
                            facts.row_fig("activities_by_category", row, "count"),
                            facts.row_fig("activities_by_category", row, "participants")
                            if row["participants"]
                            else "—",
                            facts.row_fig("activities_by_category", row, "beneficiaries")
                            if row["beneficiaries"]
                            else "—",
                            facts.row_fig(
                                "activities_by_category",
                                row,
                                "spending",
                                money_text(row["spending"]),
                            )
                            if row["spending"]
                            else "—",
                        ]
                        for row in rows
                    ],
                    numeric={1, 2, 3, 4},
                    total=[
                        "合计",
                        facts.fig("activities"),
                        facts.fig("activity_participants"),
                        facts.fig("activity_beneficiaries"),
                        facts.fig("activity_spending", money_text(facts.now("activity_spending"))),
                    ],
                )
            )
        svg = charts.activities_by_category_chart(rows)
        if svg:
            section.charts.append(Chart("activities-by-category", "各类职工活动场次", svg))


# --- Appendix --------------------------------------------------------------------------------------


def _indicator_groups(catalogue: Catalogue) -> list[IndicatorGroup]:
    facts = Facts(catalogue)
    groups: dict[str, IndicatorGroup] = {}
    for indicator in INDICATORS:
        if indicator.staff_only:
            continue
        group = groups.setdefault(indicator.section, IndicatorGroup(str(SECTIONS[indicator.section]), []))
        current, previous = catalogue.current.get(indicator.key), catalogue.previous.get(indicator.key)
        value: Cell = value_text(indicator, current)
        if current is not None:
            value = Figure(
                value, indicator.key, facts.fig(indicator.key).kind, title=str(indicator.definition)
            )
        before: Cell = value_text(indicator, previous)
        if previous is not None:
            before = Figure(
                before,
                indicator.key,
                facts.fig(indicator.key).kind,
                title=str(indicator.definition),
                previous=True,
            )
        group.rows.append(
            IndicatorRow(
                indicator.key,
                str(indicator.label),
                str(indicator.definition),
                value,
                before,
                appendix_change(indicator, current, previous),
            )
        )
    return list(groups.values())


# Short names of the statistical groups for the narrow column of the per-union table.
GROUP_SHORT = {
    "enterprise_domestic": "内资企业",
    "enterprise_hmt": "港澳台资企业",
    "enterprise_foreign": "外资企业",
    "institution": "事业单位",
    "organ": "机关",
    "social_organisation": "社会组织",
    "community": "村(社区)等",
}
UNION_COLUMNS = [
    "序号",
    "工会名称",
    "单位类型",
    "类型",
    "职工",
    "女职工",
    "会员",
    "女会员",
    "农民工会员",
    "新发展会员",
    "集体合同覆盖",
]
UNION_FIGURES = ["employees", "women_employees", "members", "women_members", "migrant_members", "new_members"]


def _union_table(rows: list[dict]) -> Table:
    body = [
        [
            str(i),
            row["name"],
            GROUP_SHORT.get(row["group"], row["group_label"]),
            row["type_label"].replace("基层工会", ""),
            *[count_text(row[k]) for k in UNION_FIGURES],
            "是" if row["covered"] else "否",
        ]
        for i, row in enumerate(rows, start=1)
    ]
    total = ["", "合计", "", "", *[count_text(sum(row[k] for row in rows)) for k in UNION_FIGURES], ""]
    return Table(
        "基层工会基本情况",
        UNION_COLUMNS,
        body,
        numeric={0, 4, 5, 6, 7, 8, 9},
        total=total if rows else None,
        note="" if rows else "截至年底辖区暂无基层工会。",
        number=2,
        widths=[5, 29, 11, 6, 7, 7, 7, 7, 7, 7, 7],
    )


FEDERATION_COLUMNS = [
    "序号",
    "联合会",
    "基层工会",
    "职工",
    "女职工",
    "会员",
    "女会员",
    "农民工会员",
    "新发展会员",
    "集体合同覆盖工会",
]


def _federation_table(federation: Federation, rows: list[dict]) -> Table:
    sums = federation_rows(federation, rows)
    body = []
    for i, entry in enumerate(sums, start=1):
        owner = entry["federation"]
        name = owner.name if owner.pk != federation.pk else f"{owner.name}（直属基层工会）"
        body.append(
            [
                str(i),
                name,
                count_text(entry["unions"]),
                *[count_text(entry[k]) for k in UNION_FIGURES],
                count_text(entry["covered_unions"]),
            ]
        )
    return Table(
        "各联合会基层工会汇总",
        FEDERATION_COLUMNS,
        body,
        numeric=set(range(0, 10)) - {1},
        total=[
            "",
            "合计",
            count_text(len(rows)),
            *[count_text(sum(row[k] for row in rows)) for k in UNION_FIGURES],
            count_text(sum(1 for row in rows if row["covered"])),
        ],
        note=(
            f"辖区共有基层工会{count_text(len(rows))}个，超过PDF逐个列出的上限"
            f"（{count_text(settings.SUMMARY_PDF_UNION_LIMIT)}个），此处按下级联合会汇总；"
            "各基层工会的明细见本总结的Excel统计表。"
        ),
        number=2,
        widths=[5, 25, 8, 9, 8, 9, 8, 8, 9, 11],
    )
