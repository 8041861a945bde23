"""错误报告: an import preview's problems as a workbook to work through beside the file — one line per
bad row, its Excel row number, the columns at fault and every message, in the order of the file.

It is built from the batch's report (the problems the preview lists, at most MAX_LISTED_PROBLEMS),
not from the file, which is gone once a batch is found invalid: so it holds no member's data beyond
the row numbers and the messages, like the preview itself. Every value goes through the one cell
writer (federation.exports.cells.put)."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from federation.exports.cells import put, sheet_title
from federation.imports.engine import MAX_LISTED_PROBLEMS
from federation.models import ImportBatch

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def bad_rows(problems: list[dict]) -> list[tuple[int, list[str], list[str]]]:
    """(row, columns, messages) of each bad row, in the order of the file; a conflict (a clash with a
    record on file or another row) is a message of its row with no column."""
    rows: dict[int, tuple[list[str], list[str]]] = {}
    for problem in problems:
        columns, messages = rows.setdefault(int(problem.get("row") or 0), ([], []))
        column = problem.get("column") or ""
        if column and column not in columns:
            columns.append(column)
        prefix = f"{column}：" if column else (_("冲突：") if problem.get("conflict") else "")
        messages.append(prefix + str(problem.get("message") or ""))
    return [(row, columns, messages) for row, (columns, messages) in sorted(rows.items())]


def error_report(batch: ImportBatch) -> bytes:
    """The workbook of `batch`'s problems as .xlsx bytes."""
    problems = (batch.report or {}).get("problems", [])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("错误报告"))
    headers = (_("行号"), _("出错的列"), _("问题说明"))
    for index, (header, width) in enumerate(zip(headers, (8, 24, 80), strict=True), start=1):
        cell = put(sheet.cell(row=1, column=index), header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions["ABC"[index - 1]].width = width
    sheet.freeze_panes = "A2"
    line = 1
    for line, (row, columns, messages) in enumerate(bad_rows(problems), start=2):
        put(sheet.cell(row=line, column=1), row)
        put(sheet.cell(row=line, column=2), "、".join(columns)).alignment = WRAP
        put(sheet.cell(row=line, column=3), "\n".join(messages)).alignment = WRAP
    if len(problems) >= MAX_LISTED_PROBLEMS:
        note = _("只列出前%(n)s个问题；请修改后重新上传，检查会列出其余的问题。") % {"n": MAX_LISTED_PROBLEMS}
        put(sheet.cell(row=line + 2, column=1), note)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def error_report_name(batch: ImportBatch) -> str:
    return _("%(name)s-错误报告.xlsx") % {"name": PurePath(batch.file_name or "").stem or _("导入")}
