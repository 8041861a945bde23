"""The tables of the annual summary: the small tables supporting the text of a section, and the
statistics appendix (every indicator with both years; every union, or — above
settings.SUMMARY_PDF_UNION_LIMIT — one row per subordinate federation).

Cells are text or Figures (which the HTML page links to the records behind them). A column of amounts
says its unit in its header (「金额（万元）」, federation.numbers.column_unit) and its cells are bare
numbers in that unit (money_cell) — the same Table objects make the HTML, the PDF and the DOCX tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from federation.models import Federation
from federation.numbers import column_unit, money_cell
from reports.indicators import SECTIONS, Catalogue, federation_rows
from reports.summary.figures import Facts, Figure, appendix_change, count_text, value_text

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


# --- The tables of the sections --------------------------------------------------------------------


def _cell(facts: Facts, breakdown: str, row: dict, measure: str, *, money: str | None = None) -> Cell:
    """A breakdown figure, or a dash where the row has none; `money` is the unit of a money column."""
    value = row[measure]
    if not value:
        return "—"
    return facts.row_fig(breakdown, row, measure, money_cell(value, money) if money else None)


def _total(facts: Facts, key: str, *, money: str | None = None) -> Cell:
    value = facts.now(key)
    if not value:
        return "—"
    return facts.fig(key, money_cell(value, money) if money else None)


def _money_unit(facts: Facts, total_key: str, rows: list[dict], measure: str) -> str:
    """The unit of a money column: the one its total (its largest amount) reads in."""
    return column_unit([facts.now(total_key), *(row[measure] for row in rows)])


def section_tables(key: str, facts: Facts) -> list[Table]:
    """The tables of one section of the work review (none where the section has no records)."""
    if key == "organisation" and (rows := facts.rows("unions_by_group")):
        return [
            Table(
                "基层工会分类情况",
                ["单位类型", "基层工会（个）", "覆盖单位（家）"],
                [
                    [
                        row["labels"][0],
                        _cell(facts, "unions_by_group", row, "count"),
                        _cell(facts, "unions_by_group", row, "employers"),
                    ]
                    for row in rows
                ],
                numeric={1, 2},
                total=["合计", _total(facts, "unions"), _total(facts, "employers_covered")],
            )
        ]
    if key == "rights" and (rows := facts.rows("contracts_by_kind")):
        return [
            Table(
                "本年度集体合同签订情况",
                ["合同类别", "签订形式", "份数", "覆盖职工（人）"],
                [
                    [
                        row["labels"][0],
                        row["labels"][1],
                        _cell(facts, "contracts_by_kind", row, "count"),
                        _cell(facts, "contracts_by_kind", row, "employees"),
                    ]
                    for row in rows
                ],
                numeric={2, 3},
                total=["合计", "", _total(facts, "contracts_signed"), ""],
            )
        ]
    if key == "help" and (rows := facts.rows("aid_by_kind")):
        unit = _money_unit(facts, "aid_amount", rows, "amount")
        return [
            Table(
                "本年度帮扶情况",
                ["帮扶类型", "人次", "人数", f"金额（{unit}）", "助学学生（人）"],
                [
                    [
                        row["labels"][0],
                        _cell(facts, "aid_by_kind", row, "count"),
                        _cell(facts, "aid_by_kind", row, "people"),
                        _cell(facts, "aid_by_kind", row, "amount", money=unit),
                        _cell(facts, "aid_by_kind", row, "students"),
                    ]
                    for row in rows
                ],
                numeric={1, 2, 3, 4},
                total=[
                    "合计",
                    _total(facts, "aid_count"),
                    _total(facts, "aid_people"),
                    _total(facts, "aid_amount", money=unit),
                    _total(facts, "school_students"),
                ],
            )
        ]
    if key == "activities" and (rows := facts.rows("activities_by_category")):
        unit = _money_unit(facts, "activity_spending", rows, "spending")
        return [
            Table(
                "本年度职工活动情况",
                ["活动类别", "场次", "参与人次", "受益人数", f"经费（{unit}）"],
                [
                    [
                        row["labels"][0],
                        _cell(facts, "activities_by_category", row, "count"),
                        _cell(facts, "activities_by_category", row, "participants"),
                        _cell(facts, "activities_by_category", row, "beneficiaries"),
                        _cell(facts, "activities_by_category", row, "spending", money=unit),
                    ]
                    for row in rows
                ],
                numeric={1, 2, 3, 4},
                total=[
                    "合计",
                    _total(facts, "activities"),
                    _total(facts, "activity_participants"),
                    _total(facts, "activity_beneficiaries"),
                    _total(facts, "activity_spending", money=unit),
                ],
            )
        ]
    return []


# --- Appendix --------------------------------------------------------------------------------------


def indicator_groups(catalogue: Catalogue) -> list[IndicatorGroup]:
    facts = Facts(catalogue)
    groups: dict[str, IndicatorGroup] = {}
    for indicator in catalogue.indicators:
        if indicator.staff_only:
            continue
        group = groups.setdefault(indicator.section, IndicatorGroup(str(SECTIONS[indicator.section]), []))
        current, previous = catalogue.current.get(indicator.key), catalogue.previous.get(indicator.key)
        kind, definition = facts.kind_of(indicator.key), str(indicator.definition)
        value: Cell = value_text(indicator, current)
        if current is not None:
            value = Figure(value, indicator.key, kind, title=definition)
        before: Cell = value_text(indicator, previous)
        if previous is not None:
            before = Figure(before, indicator.key, kind, title=definition, previous=True)
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


def union_table(rows: list[dict]) -> Table:
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
        note="" if rows else "辖区暂无基层工会。",
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


def appendix_table(federation: Federation, rows: list[dict]) -> tuple[Table, bool]:
    """The appendix of the summary and whether it lists every union: one row per union up to
    settings.SUMMARY_PDF_UNION_LIMIT, else one row per federation directly below."""
    per_union = len(rows) <= settings.SUMMARY_PDF_UNION_LIMIT
    return (union_table(rows) if per_union else federation_table(federation, rows)), per_union


def federation_table(federation: Federation, rows: list[dict]) -> Table:
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
