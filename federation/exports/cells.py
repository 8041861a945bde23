"""Safe at the exit: the one way a value is put in a cell of any workbook the ledger writes — the list
exports and their background jobs (federation.exports.base), the summary workbook
(reports.summary.xlsx), the import templates (federation.imports.template) and the year sheet
(unions.imports.year_sheet).

- Text stays text. A value that begins with `=`, `+`, `-`, `@`, a tab or a CR is what a spreadsheet
  reads as a formula (OWASP "CSV injection"): a member named `=HYPERLINK("http://…"&A1,"点我")` would be
  a live link in the federation's file. Such a value is written as a string cell (data type 's') with
  Excel's quote prefix, the mark Excel itself gives text typed after an apostrophe — so it is shown as
  typed and stays text when someone edits the cell.
- Characters a workbook cannot hold (openpyxl refuses the C0 controls but tab and line breaks) are
  dropped, so that a record stored with one before the forms cleaned their input (legacy data, a
  restored backup) still exports instead of failing the whole file. Text longer than Excel's cell limit
  is cut at it.
"""

from __future__ import annotations

import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on the characters of one cell.
EXCEL_CELL_LIMIT = 32767
# What a sheet's name may not hold, and its length.
SHEET_TITLE_REFUSED = re.compile(r"[\\*?:/\[\]]")
SHEET_TITLE_LIMIT = 31


def text_value(value: str) -> str:
    """`value` as a workbook can hold it: no illegal character, no longer than a cell."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_LIMIT]


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def put(cell, value):
    """Put `value` in `cell` (a worksheet's cell or a WriteOnlyCell, possibly one reused from row to
    row) safely, and return the cell. Every workbook writer sets its values through this function."""
    if isinstance(value, str):
        value = text_value(value)
        cell.value = value
        risky = is_formula_like(value)
        if risky:
            cell.data_type = "s"
        if risky or cell.quotePrefix:
            cell.quotePrefix = risky
    else:
        cell.value = value
        if cell.quotePrefix:
            cell.quotePrefix = False
    return cell


def safe_value(sheet, value):
    """What to append to a write-only `sheet` for `value`: the value itself when it is harmless (the
    cheapest), otherwise a cell holding it as text."""
    if isinstance(value, str) and (
        is_formula_like(value) or ILLEGAL_CHARACTERS_RE.search(value) or len(value) > EXCEL_CELL_LIMIT
    ):
        return put(WriteOnlyCell(sheet), value)
    return value


def safe_row(sheet, values) -> list:
    """A row of values (and cells, left as they are) ready for `sheet.append`."""
    return [value if hasattr(value, "data_type") else safe_value(sheet, value) for value in values]


def sheet_title(text: str) -> str:
    """`text` as a sheet's name: Excel refuses \\ * ? : / [ ] in it (帮扶/慰问 → 帮扶、慰问) and more than
    31 characters."""
    return SHEET_TITLE_REFUSED.sub("、", text_value(str(text)))[:SHEET_TITLE_LIMIT]
