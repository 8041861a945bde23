"""The statistics workbook of the annual summary (年度工作总结统计表).

Sheets: 「主要指标」 (every indicator: label, value for Y, value for Y−1, unit, definition), one sheet per
section of the catalogue with its indicators and breakdown tables, and 「基层工会」 — one row per union,
laid out like the 工会统计年报 基层工会 table, so that a federation can fill its statistical return from it.

The workbook is written in openpyxl's write-only mode: rows are streamed to the file as they are
appended, so a city federation's 20 000 unions cost a bounded amount of memory.

Number formats, the same everywhere: counts '#,##0', money (元) '#,##0.00', rates as the number of
percent with one decimal ('0.0'; the unit column or the header says %).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from federation.exports.cells import put, sheet_title, text_value
from federation.exports.workbook import write_only_workbook
from federation.models import Federation
from federation.scope import HalfYear, Period
from reports import subjects
from reports.indicators import SECTIONS, Catalogue, union_rows
from reports.indicators.breakdowns import BREAKDOWNS, Breakdown
from reports.indicators.catalogue import MEMBERSHIP
from reports.summary.periods import PeriodWording
from unions.choices import EmployerNature
from unions.models import GrassrootsUnion

INTEGER = "#,##0"
MONEY = "#,##0.00"
RATE = "0.0"

MONEY_UNIT = "元"
RATE_UNIT = "%"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TITLE_FONT = Font(bold=True, size=12)

# The column heading of each grouping field of a breakdown.
GROUP_HEADINGS = {
    "group": gettext_lazy("单位类型"),
    "union_type": gettext_lazy("基层工会类型"),
    "title": gettext_lazy("荣誉称号"),
    "level": gettext_lazy("级别"),
    "change_type": gettext_lazy("减少类型"),
    "reason": gettext_lazy("原因"),
    "kind": gettext_lazy("类型"),
    "scope": gettext_lazy("签订形式"),
    "category": gettext_lazy("类别"),
    "primary_cause": gettext_lazy("主要致困原因"),
}


def number_format(unit: str) -> str:
    unit = str(unit)
    if unit == MONEY_UNIT:
        return MONEY
    if unit == RATE_UNIT:
        return RATE
    return INTEGER


class SheetWriter:
    """Appends styled rows to one write-only sheet. Column widths and the frozen header must be set
    before the first row is written, which is why they are given here."""

    def __init__(self, workbook: Workbook, title: str, widths: Iterable[float], *, freeze: str = "A2"):
        self.sheet = workbook.create_sheet(title=sheet_title(title))
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = freeze
        self._styled: dict[tuple, WriteOnlyCell] = {}

    def _cell(self, column: int, value, *, fmt: str | None = None, font: Font | None = None, fill=None):
        """A styled cell for this column. A write-only sheet serialises each row as it is appended, so
        one cell per column and style is reused from row to row: building and styling a fresh cell for
        each of a city's 360 000 values would cost more than writing them."""
        if value is None:
            return None
        if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
            fmt = None
        key = (column, fmt, font, fill)
        cell = self._styled.get(key)
        if cell is None:
            cell = self._styled[key] = WriteOnlyCell(self.sheet)
            if fmt:
                cell.number_format = fmt
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
        return put(cell, value)

    def header(self, labels: Iterable[str]) -> None:
        self.sheet.append(
            [self._cell(i, str(label), font=HEADER_FONT, fill=HEADER_FILL) for i, label in enumerate(labels)]
        )

    def title(self, text: str) -> None:
        self.sheet.append([self._cell(0, str(text), font=TITLE_FONT)])

    def row(self, values: Iterable, formats: Iterable[str | None] = (), *, bold: bool = False) -> None:
        formats = list(formats)
        font = HEADER_FONT if bold else None
        self.sheet.append(
            [
                self._cell(i, value, fmt=formats[i] if i < len(formats) else None, font=font)
                for i, value in enumerate(values)
            ]
        )

    def blank(self) -> None:
        self.sheet.append([])


# --- Indicators and breakdowns --------------------------------------------------------------------


def _printable_indicators(catalogue: Catalogue, section: str | None = None):
    """The catalogue's indicators (a union's own catalogue has fewer) readers see."""
    return [i for i in catalogue.indicators if not i.staff_only and (section is None or i.section == section)]


def _write_indicators(writer: SheetWriter, catalogue: Catalogue, section: str | None = None) -> None:
    # A figure that cannot be computed (a rate without its denominator) stays an empty cell rather
    # than a misleading 0.
    wording = PeriodWording(catalogue.period)
    writer.header([_("指标"), wording.name, wording.previous_name, _("单位"), _("定义")])
    for indicator in _printable_indicators(catalogue, section):
        fmt = number_format(indicator.unit)
        writer.row(
            [
                str(indicator.label),
                catalogue.current.get(indicator.key),
                catalogue.previous.get(indicator.key),
                str(indicator.unit),
                str(indicator.definition),
            ],
            [None, fmt, fmt],
        )


def _write_breakdown(writer: SheetWriter, breakdown: Breakdown, rows: list[dict], name: str) -> None:
    writer.blank()
    writer.title(f"{breakdown.label}（{name}）")
    groups = [GROUP_HEADINGS.get(g, _("分类")) for g in breakdown.group_by]
    measures = [f"{m.label}（{m.unit}）" for m in breakdown.measures]
    writer.header(groups + measures)
    formats = [None] * len(groups) + [number_format(m.unit) for m in breakdown.measures]
    if not rows:
        writer.row([_("（无）")])
        return
    totals = dict.fromkeys((m.key for m in breakdown.measures), 0)
    for row in rows:
        writer.row(list(row["labels"]) + [row[m.key] for m in breakdown.measures], formats)
        for m in breakdown.measures:
            totals[m.key] += row[m.key] or 0
    # A count of distinct people does not add up across groups; leave it out of the total.
    total = [totals[m.key] if m.key != "people" else None for m in breakdown.measures]
    writer.row([_("合计")] + [None] * (len(groups) - 1) + total, formats, bold=True)


def _write_trend(writer: SheetWriter, catalogue: Catalogue) -> None:
    writer.blank()
    writer.title(_("近五年会员数"))
    on_day = _("6月末会员数（人）") if catalogue.kind == HalfYear.kind else _("年末会员数（人）")
    writer.header([_("年度"), on_day])
    for year, members in catalogue.trend:
        writer.row([f"{year}年", members], [None, INTEGER])


# --- The per-union table (工会统计年报 基层工会) ------------------------------------------------------

UNION_COLUMNS: list[tuple[str, object, float, str | None]] = [
    # (key in union_rows, heading, width, number format)
    ("name", gettext_lazy("工会名称"), 34, None),
    ("employer_name", gettext_lazy("单位名称"), 30, None),
    ("credit_code", gettext_lazy("统一社会信用代码"), 22, None),
    ("federation__name", gettext_lazy("所属联合会"), 24, None),
    ("nature_label", gettext_lazy("单位性质"), 16, None),
    ("group_label", gettext_lazy("单位类型分组"), 16, None),
    ("type_label", gettext_lazy("基层工会类型"), 14, None),
    ("covered_employers", gettext_lazy("覆盖单位数"), 11, INTEGER),
    ("employees", gettext_lazy("职工人数"), 11, INTEGER),
    ("women_employees", gettext_lazy("女职工"), 10, INTEGER),
    ("migrant_employees", gettext_lazy("农民工"), 10, INTEGER),
    ("members", gettext_lazy("会员人数"), 11, INTEGER),
    ("women_members", gettext_lazy("女会员"), 10, INTEGER),
    ("migrant_members", gettext_lazy("农民工会员"), 11, INTEGER),
    ("new_members", gettext_lazy("新发展会员"), 11, INTEGER),
    ("covered_label", gettext_lazy("集体合同覆盖"), 12, None),
    ("open_cases", gettext_lazy("在档困难职工"), 12, INTEGER),
    ("aid_amount", gettext_lazy("帮扶金额（元）"), 15, MONEY),
]
UNION_TOTALS = [key for key, _heading, _width, fmt in UNION_COLUMNS if fmt is not None]


def _write_unions(workbook: Workbook, rows: Iterable[dict]) -> None:
    writer = SheetWriter(workbook, _("基层工会"), [w for _k, _h, w, _f in UNION_COLUMNS], freeze="B2")
    writer.header([heading for _k, heading, _w, _f in UNION_COLUMNS])
    formats = [fmt for _k, _h, _w, fmt in UNION_COLUMNS]
    natures = {value: str(label) for value, label in EmployerNature.choices}
    yes, no = _("是"), _("否")
    totals = dict.fromkeys(UNION_TOTALS, 0)
    count = 0
    covered = 0
    for row in rows:
        count += 1
        covered += 1 if row["covered"] else 0
        row = {
            **row,
            "nature_label": natures.get(row["employer_nature"], row["employer_nature"]),
            "covered_label": yes if row["covered"] else no,
        }
        writer.row([row[key] for key, _h, _w, _f in UNION_COLUMNS], formats)
        for key in UNION_TOTALS:
            totals[key] += row[key] or 0
    total_row = []
    for key, _h, _w, _f in UNION_COLUMNS:
        if key == "name":
            total_row.append(_("合计（%(count)s个）") % {"count": f"{count:,}"})
        elif key == "covered_label":
            total_row.append(_("%(covered)s个覆盖") % {"covered": f"{covered:,}"})
        else:
            total_row.append(totals.get(key))
    writer.row(total_row, formats, bold=True)


# --- The workbook -------------------------------------------------------------------------------------


def render_summary_xlsx(
    subject: Federation | GrassrootsUnion,
    year: int,
    *,
    kind: str = Period.kind,
    catalogue: Catalogue | None = None,
    rows: Iterable[dict] | None = None,
) -> bytes:
    """The statistics workbook of a federation's summary of `year` (or its first half: `kind`), or of
    a union's own (`subject` a GrassrootsUnion: no per-union sheet), as .xlsx bytes. `catalogue` and
    `rows` (the per-union table) may be passed in when the caller has already computed them."""
    union = subjects.is_union(subject)
    if catalogue is None:
        catalogue = subjects.catalogue_of(subject, year, kind)
    if rows is None:
        rows = () if isinstance(subject, GrassrootsUnion) else union_rows(subject, year, kind)
    with write_only_workbook() as workbook:
        return _write_workbook(workbook, subject.name, catalogue, rows, per_union=not union)


def _write_workbook(
    workbook: Workbook, name: str, catalogue: Catalogue, rows: Iterable[dict], *, per_union: bool = True
) -> bytes:
    wording = PeriodWording(catalogue.period)
    workbook.properties.title = text_value(
        _("%(name)s%(period)s工作总结统计表") % {"name": name, "period": wording.name}
    )
    workbook.properties.creator = _("工会台账")

    indicator_widths = [34, 14, 14, 8, 80]
    _write_indicators(SheetWriter(workbook, _("主要指标"), indicator_widths), catalogue)

    breakdown_rows = catalogue.breakdowns
    for section, label in SECTIONS.items():
        writer = SheetWriter(workbook, str(label), indicator_widths)
        _write_indicators(writer, catalogue, section)
        for breakdown in BREAKDOWNS:
            if breakdown.section == section:
                _write_breakdown(writer, breakdown, breakdown_rows.get(breakdown.key, []), wording.name)
        if section == MEMBERSHIP:
            _write_trend(writer, catalogue)

    if per_union:
        _write_unions(workbook, rows)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
