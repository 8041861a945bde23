"""The statistical return as a workbook laid out like the survey's tables (基层工会调查表):

- 「调查表汇总」: the rows with 行次, unit, this year, last year, where the figure comes from and how many
  unions filled an input — the form a federation copies into the survey's tool;
- 「逻辑检查」: every problem the logic checks found, with the record's address in the ledger;
- 「各联合会汇总」: one row per federation of the subtree (its own unions and those below it);
- 「基层工会」: one row per union active on 30 September, each row of the return a column;
- 「指标说明」: each row's definition and source.

Written in openpyxl's write-only mode (bounded memory for a city's 20 000 unions); every value goes
through federation.exports.cells.put, every sheet's name through sheet_title.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from federation.exports.cells import put, sheet_title
from federation.exports.workbook import write_only_workbook
from reports.statistics import StatisticalReturn
from reports.statistics.checks import full_label
from reports.statistics.figures import Line
from reports.statistics.rows import INPUT, LINE_NUMBER, RECORDS, ROWS, ReturnRow

INTEGER = "#,##0"
MONEY = "#,##0.00"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TITLE_FONT = Font(bold=True, size=12)
INDENT = "\u3000"  # a full-width space per level of 其中


def period_text(statistical_return: StatisticalReturn) -> str:
    period = statistical_return.period
    return _("%(y)s年统计年度（%(start)s至%(end)s）") % {
        "y": period.year,
        "start": f"{period.start.year}年{period.start.month}月{period.start.day}日",
        "end": f"{period.end.year}年{period.end.month}月{period.end.day}日",
    }


def filled_text(row: ReturnRow, line: Line) -> str:
    """How many of the unions (federations) in the line filled an input row."""
    if row.source == INPUT:
        return _("%(n)s/%(of)s个工会填报") % {"n": line.filled.get(row.key, 0), "of": line.of}
    if row.source != RECORDS:
        return _("%(n)s个联合会填报") % {"n": line.filled.get(row.key, 0)}
    return ""


class Sheet:
    def __init__(self, workbook, title: str, widths: Iterable[float], *, freeze: str | None = None):
        self.sheet = workbook.create_sheet(title=sheet_title(title))
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            self.sheet.freeze_panes = freeze

    def cell(self, value, *, number_format: str | None = None, font=None, fill=None) -> WriteOnlyCell:
        cell = put(WriteOnlyCell(self.sheet), value)
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        return cell

    def title(self, text: str) -> None:
        self.sheet.append([self.cell(text, font=TITLE_FONT)])

    def header(self, texts: Iterable[str]) -> None:
        self.sheet.append([self.cell(str(t), font=HEADER_FONT, fill=HEADER_FILL) for t in texts])

    def row(self, values: Iterable, formats: Iterable[str | None] | None = None) -> None:
        formats = list(formats) if formats is not None else []
        cells = []
        for index, value in enumerate(values):
            fmt = formats[index] if index < len(formats) else None
            cells.append(self.cell(value, number_format=fmt if value is not None else None))
        self.sheet.append(cells)


def _format(row: ReturnRow) -> str:
    return MONEY if row.is_money else INTEGER


def _summary_sheet(workbook, statistical_return: StatisticalReturn) -> None:
    sheet = Sheet(workbook, _("调查表汇总"), [44, 8, 6, 16, 16, 14, 18], freeze="A5")
    sheet.title(_("基层工会调查表（汇总）"))
    sheet.row([_("填报单位：%(name)s") % {"name": statistical_return.federation.name}])
    sheet.row([period_text(statistical_return)])
    sheet.header(
        [_("指标名称"), _("计量单位"), _("行次"), _("本年"), _("上年"), _("数据来源"), _("填报情况")]
    )
    total, previous = statistical_return.figures.total, statistical_return.previous.total
    for row in ROWS:
        number = _format(row)
        sheet.row(
            [
                INDENT * row.indent + str(row.label),
                str(row.unit),
                LINE_NUMBER[row.key],
                total.get(row.key),
                previous.get(row.key),
                row.source_label,
                filled_text(row, total),
            ],
            [None, None, None, number, number],
        )


def _checks_sheet(workbook, statistical_return: StatisticalReturn) -> None:
    sheet = Sheet(workbook, _("逻辑检查"), [8, 22, 36, 60, 36], freeze="A3")
    errors = len(statistical_return.errors)
    if statistical_return.problems:
        sheet.title(
            _("逻辑检查：错误%(e)s条，需核实或缺报%(o)s条")
            % {"e": errors, "o": len(statistical_return.problems) - errors}
        )
    else:
        sheet.title(_("逻辑检查：全部通过"))
    sheet.header([_("类别"), _("规则"), _("工会或联合会"), _("说明"), _("台账中的记录")])
    for problem in statistical_return.problems:
        sheet.row([problem.severity_label, problem.rule, problem.subject, problem.message, problem.url])


def _lines_sheet(workbook, title: str, lines: list[Line], first: list[str], leading) -> None:
    headers = [*first, *(full_label(row) + f"（{row.unit}）" for row in ROWS)]
    sheet = Sheet(
        workbook,
        title,
        [10] * (len(first) - 1) + [36] + [12] * len(ROWS),
        freeze=f"{get_column_letter(len(first) + 1)}2",
    )
    sheet.header(headers)
    formats = [None] * len(first) + [_format(row) for row in ROWS]
    for line in lines:
        sheet.row([*leading(line), *(line.get(row.key) for row in ROWS)], formats)


def _definitions_sheet(workbook) -> None:
    sheet = Sheet(workbook, _("指标说明"), [6, 40, 8, 14, 90], freeze="A2")
    sheet.header([_("行次"), _("指标名称"), _("计量单位"), _("数据来源"), _("定义")])
    for row in ROWS:
        sheet.row(
            [LINE_NUMBER[row.key], full_label(row), str(row.unit), row.source_label, str(row.definition)]
        )


def render_return_xlsx(statistical_return: StatisticalReturn) -> bytes:
    with write_only_workbook() as workbook:
        _summary_sheet(workbook, statistical_return)
        _checks_sheet(workbook, statistical_return)
        _lines_sheet(
            workbook,
            _("各联合会汇总"),
            statistical_return.figures.federations,
            [_("系统编号"), _("联合会")],
            lambda line: [line.federation_id, INDENT * line.depth + line.name],
        )
        _lines_sheet(
            workbook,
            _("基层工会"),
            statistical_return.figures.unions,
            [_("系统编号"), _("工会名称")],
            lambda line: [line.union_id, line.name],
        )
        _definitions_sheet(workbook)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def return_file_name(statistical_return: StatisticalReturn) -> str:
    return f"{statistical_return.federation.name}-{statistical_return.period.year}年工会统计年报.xlsx"
