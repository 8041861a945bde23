"""The .xlsx template of each import, built from the spec's columns (so the template and the import
can never disagree): Chinese headers, a dropdown for every enumeration and yes/no column, text format
for ID, phone and credit-code columns, dates as yyyy-mm-dd, one example row, a frozen header, and a
填写说明 sheet that lists every column, whether it is required, its allowed values and notes.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from federation.exports.cells import put, safe_row, sheet_title
from federation.imports.cells import Column, DateColumn, YesNoColumn
from federation.imports.engine import ImportSpec
from federation.imports.reader import INSTRUCTIONS_SHEET

# Rows of the data sheet the dropdowns and formats cover.
TEMPLATE_ROWS = 5000
# Excel refuses an inline list (“a,b,c”) longer than 255 characters, and Chinese Excel counts a
# Chinese character as two: such lists go to a hidden sheet of choices instead.
INLINE_LIST_LIMIT = 255
CHOICES_SHEET = "可选值"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")


def _width(column: Column) -> int:
    longest = max([len(column.header) * 2 + 2, len(str(column.example or "")) + 2, 10])
    if isinstance(column, DateColumn):
        longest = max(longest, 12)
    if column.field == "id_number" or column.number_format == "@":
        longest = max(longest, 20)
    return min(longest, 40)


def _dbcs_length(text: str) -> int:
    return sum(1 if ord(char) < 128 else 2 for char in text)


def _allowed_text(column: Column) -> str:
    choices = column.choices_for_template()
    if choices:
        return "、".join(choices)
    if isinstance(column, DateColumn):
        return _("日期，如 2024-03-01")
    return ""


def build_template(spec_class: type[ImportSpec]) -> bytes:
    """The template of `spec_class` as .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(spec_class.title) or _("数据")
    columns = spec_class.columns
    choices_sheet = None
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = put(sheet.cell(row=1, column=index), column.header)
        cell.font = REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[letter].width = _width(column)
        example = column.example
        example_cell = put(sheet.cell(row=2, column=index), example if example != "" else None)
        example_cell.number_format = column.number_format
        # Formats for the rows people will fill, so that an ID typed in stays text.
        for row in range(3, 3 + 200):
            sheet.cell(row=row, column=index).number_format = column.number_format
        choices = column.choices_for_template()
        if choices:
            inline = ",".join(choices)
            if _dbcs_length(inline) + 2 <= INLINE_LIST_LIMIT:
                formula = f'"{inline}"'
            else:
                if choices_sheet is None:
                    choices_sheet = workbook.create_sheet(sheet_title(CHOICES_SHEET))
                    choices_sheet.sheet_state = "hidden"
                put(choices_sheet.cell(row=1, column=index), column.header)
                for offset, choice in enumerate(choices, start=2):
                    put(choices_sheet.cell(row=offset, column=index), choice)
                formula = f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=not column.required or isinstance(column, YesNoColumn),
                showErrorMessage=True,
                errorTitle=_("不是可选的值"),
                error=_("请从下拉列表中选择。"),
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    _instructions(workbook, spec_class)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(workbook: Workbook, spec_class: type[ImportSpec]) -> None:
    sheet = workbook.create_sheet(sheet_title(INSTRUCTIONS_SHEET), 1)
    sheet.append(safe_row(sheet, [_("%(title)s导入模板 填写说明") % {"title": spec_class.title}]))
    sheet["A1"].font = Font(bold=True, size=13)
    for line in (
        _("1. 请在第一个工作表中填写，每人（每条记录）一行；第2行是示例，请删除或改写。"),
        _("2. 按表头文字识别各列，列的顺序可以调整；不认识的列会被忽略。红色表头为必填列。"),
        _("3. 身份证号、手机号码等请保持“文本”格式；日期写成 2024-03-01。不要使用公式和合并单元格。"),
        _("4. 上传后先检查全部数据并预览，确认后才写入；有任何错误时不会写入任何数据。"),
    ):
        sheet.append(safe_row(sheet, [line]))
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append(safe_row(sheet, [_("列名"), _("是否必填"), _("可填写的值"), _("示例"), _("说明")]))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in spec_class.columns:
        example = column.example
        if isinstance(example, dt.date):
            example = example.isoformat()
        aliases = ""
        if column.aliases:
            aliases = _("表头也可写作：%(names)s。") % {"names": "、".join(column.aliases)}
        sheet.append(
            safe_row(
                sheet,
                [
                    column.header,
                    _("必填") if column.required else _("选填"),
                    _allowed_text(column),
                    str(example or ""),
                    " ".join(part for part in (str(column.note or ""), aliases) if part),
                ],
            )
        )
    for letter, width in zip("ABCDE", (16, 10, 60, 22, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
