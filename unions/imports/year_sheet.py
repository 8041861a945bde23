"""The UnionYear fill sheet (年度职工情况填报表): the unions in a federation's scope for a year, with the
figures on file, for the federation to fill in Excel and import back
(unions.imports.union_list.UnionYearSpec).

The sheet is protected without a password so that the identifying columns are not changed by
accident; only the figure cells of each row are unlocked, and highlighted: the three employee figures
and the statistical return's inputs (职代会, 董事会 / 监事会, 经费 and 会费 — UnionYear.SURVEY_FIELDS).
It is written in openpyxl's write-only mode, so a large federation's sheet costs bounded memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from federation.exports.cells import put, safe_row, sheet_title
from federation.exports.workbook import write_only_workbook
from unions.imports.union_years import FIGURE_FIELDS, SURVEY_FIELDS, UnionYearSpec
from unions.models import GrassrootsUnion, UnionYear

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FILL_ME = PatternFill("solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)
WIDTHS = {"A": 10, "B": 36, "C": 22, "D": 8}
FILLED_FIELDS = (*FIGURE_FIELDS, *SURVEY_FIELDS)
FIRST_FILLED_COLUMN = 5  # E
YES_NO_FIELDS = frozenset({"has_board", "has_supervisory_board"})
MONEY_FIELDS = frozenset({"funds_remitted", "dues_collected"})


def _column_of(field: str) -> str:
    return get_column_letter(FIRST_FILLED_COLUMN + FILLED_FIELDS.index(field))


def _shown(field: str, value):
    """A value on file as the sheet shows it: 是 / 否 for the yes-no inputs."""
    if field in YES_NO_FIELDS and value is not None:
        return _("是") if value else _("否")
    return value


def year_sheet_headers() -> list[str]:
    return [column.header for column in UnionYearSpec.columns]


def figures_on_file(unions: Iterable[GrassrootsUnion], year: int) -> dict[int, UnionYear]:
    return {y.union_id: y for y in UnionYear.objects.filter(union__in=unions, year=year)}


def year_sheet_workbook(unions, year: int) -> bytes:
    """The .xlsx of the fill sheet for `unions` (a scoped queryset) and `year`, as bytes."""
    with write_only_workbook() as workbook:
        return _fill_sheet(workbook, unions, year)


def _fill_sheet(workbook, unions, year: int) -> bytes:
    figures = figures_on_file(unions, year)
    sheet = workbook.create_sheet(sheet_title(_("年度职工情况")))
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    for field in FILLED_FIELDS:
        sheet.column_dimensions[_column_of(field)].width = 14
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people widen columns; that is harmless
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    validation = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("人数"),
        error=_("请填写不小于0的整数。"),
    )
    sheet.data_validations.append(validation)
    yes_no = DataValidation(
        type="list",
        formula1='"是,否"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("是/否"),
        error=_("请填“是”或“否”。"),
    )
    sheet.data_validations.append(yes_no)
    money = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("金额"),
        error=_("请填写不小于0的金额（元）。"),
    )
    sheet.data_validations.append(money)

    header = []
    for text in year_sheet_headers():
        cell = put(WriteOnlyCell(sheet), text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    row_number = 1
    for union in unions.iterator(chunk_size=2000):
        row_number += 1
        on_file = figures.get(union.pk)
        id_cell = put(WriteOnlyCell(sheet), union.pk)
        code_cell = put(WriteOnlyCell(sheet), union.credit_code or "")
        code_cell.number_format = "@"
        cells = [id_cell, put(WriteOnlyCell(sheet), union.name), code_cell, put(WriteOnlyCell(sheet), year)]
        for field in FILLED_FIELDS:
            cell = put(WriteOnlyCell(sheet), _shown(field, getattr(on_file, field) if on_file else None))
            cell.protection, cell.fill = UNLOCKED, FILL_ME
            cell.number_format = (
                "#,##0.00" if field in MONEY_FIELDS else ("@" if field in YES_NO_FIELDS else "0")
            )
            cells.append(cell)
        sheet.append(cells)
    if row_number > 1:
        for field in FILLED_FIELDS:
            column = _column_of(field)
            kind = yes_no if field in YES_NO_FIELDS else money if field in MONEY_FIELDS else validation
            kind.add(f"{column}2:{column}{row_number}")

    notes = workbook.create_sheet(sheet_title(_("填写说明")))
    for line in (
        _("说明"),
        _("只填写黄色的列（职工人数、女职工人数、农民工人数和统计年报数据）；其他列请勿修改。"),
        _("女职工人数、农民工人数不能超过职工人数。职工人数不填的工会不作改动。"),
        _(
            "统计年报数据（职代会职工代表、董事会、监事会、职工董事、职工监事、工会经费拨缴、会费收缴）"
            "不填表示未填报；“其中女”的人数不能超过总人数，金额以元为单位、不能为负数。"
        ),
        _("填好后在系统的导入页面选择“年度职工情况”上传，系统按系统编号对应到工会。"),
        _("工作表设置了无密码保护，仅为防止误改；如需排序，可在“审阅”中撤销保护。"),
    ):
        notes.append(safe_row(notes, [line]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
