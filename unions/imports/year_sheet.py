"""The UnionYear fill sheet (年度职工情况填报表): the unions in a federation's scope for a year, with the
figures on file, for the federation to fill in Excel and import back
(unions.imports.union_list.UnionYearSpec).

The sheet is protected without a password so that the identifying columns are not changed by
accident; only the three figure cells of each row are unlocked, and highlighted. It is written in
openpyxl's write-only mode, so a large federation's sheet costs bounded memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from federation.exports.cells import put, safe_row, sheet_title
from federation.exports.workbook import write_only_workbook
from unions.imports.union_years import FIGURE_FIELDS, UnionYearSpec
from unions.models import GrassrootsUnion, UnionYear

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FILL_ME = PatternFill("solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)
WIDTHS = {"A": 10, "B": 36, "C": 22, "D": 8, "E": 12, "F": 12, "G": 12}


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
        for field in FIGURE_FIELDS:
            cell = put(WriteOnlyCell(sheet), getattr(on_file, field) if on_file else None)
            cell.protection, cell.fill, cell.number_format = UNLOCKED, FILL_ME, "0"
            cells.append(cell)
        sheet.append(cells)
    if row_number > 1:
        validation.add(f"E2:G{row_number}")

    notes = workbook.create_sheet(sheet_title(_("填写说明")))
    for line in (
        _("说明"),
        _("只填写黄色的三列（职工人数、女职工人数、农民工人数），填整数；其他列请勿修改。"),
        _("女职工人数、农民工人数不能超过职工人数。职工人数不填的工会不作改动。"),
        _("填好后在系统的导入页面选择“年度职工情况”上传，系统按系统编号对应到工会。"),
        _("工作表设置了无密码保护，仅为防止误改；如需排序，可在“审阅”中撤销保护。"),
    ):
        notes.append(safe_row(notes, [line]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
