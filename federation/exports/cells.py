"""Safe at the exit: the one way a value is put in a cell of any workbook the ledger writes — the summary
workbook (reports.summary.xlsx), the import templates (federation.imports.template) and the year sheet
(unions.imports.year_sheet) through `put` (openpyxl), the list exports and their background jobs
(federation.exports.base, a streaming writer that takes plain values) through `plain_value` — and in
a field of a list's CSV export through `csv_field`.

- Text stays text. A value that begins with `=`, `+`, `-`, `@`, a tab or a CR is what a spreadsheet
  reads as a formula (OWASP "CSV injection"): a member named `=HYPERLINK("http://…"&A1,"点我")` would be
  a live link in the federation's file. In a workbook such a value is written as a string cell with
  Excel's quote prefix, the mark Excel itself gives text typed after an apostrophe — so it is shown as
  typed and stays text when someone edits the cell. In a CSV file, which has no cell types, it gets
  the apostrophe itself (OWASP's advice), which Excel shows.
- Characters a workbook cannot hold (openpyxl refuses the C0 controls but tab and line breaks) are
  dropped, so that a record stored with one before the forms cleaned their input (legacy data, a
  restored backup) still exports instead of failing the whole file. Text longer than Excel's cell limit
  is cut at it.

`put(cell, value)` takes an openpyxl cell (a worksheet's cell or a WriteOnlyCell), which may be reused
from row to row.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on the characters of one cell.
EXCEL_CELL_LIMIT = 32767
# What a sheet's name may not hold, and its length.
SHEET_TITLE_REFUSED = re.compile(r"[\\*?:/\[\]]")
SHEET_TITLE_LIMIT = 31
# Text made of digits alone (ASCII: str.isdigit() also takes ² and ①).
DIGITS = re.compile(r"[0-9]+")


def text_value(value: str) -> str:
    """`value` as a workbook can hold it: no illegal character, no longer than a cell. Text of printable
    characters alone (nearly all of it; the illegal ones are control characters) skips the search."""
    if not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= EXCEL_CELL_LIMIT else value[:EXCEL_CELL_LIMIT]


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def put(cell, value):
    """Put `value` in `cell` (an openpyxl cell or WriteOnlyCell, or a SheetCell, possibly one reused
    from row to row) safely, and return the cell. Every workbook writer sets its values through this
    function."""
    if isinstance(value, Promise):
        value = str(value)
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


def plain_value(value):
    """`value` as the list exports' streaming writer (federation.exports.base) takes it: text cleaned as
    `put` cleans it, numbers as floats, an aware time in local time, nothing for None or "". That writer
    writes every string as a string (never as a formula or a link), and gives every text column's cells
    Excel's quote prefix by the column's format — what `put` gives a formula-like text one by one."""
    if value.__class__ is str:  # the common case first
        return text_value(value) if value else None
    if value is None:
        return None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return text_value(value) if value else None
    if isinstance(value, bool | dt.date):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    return plain_value(str(value))


def csv_field(value, *, text: bool = False) -> str:
    """`value` as a field of a CSV export, cleaned as a cell's text is. Text that looks like a formula
    gets an apostrophe in front. In a `text` column (ID, phone and member numbers) digits alone are
    written as ="…", the one form in which Excel opening a CSV keeps them as text: read as a number, an
    ID number loses its last three digits and a member number its leading zeros."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = text_value(value)
        if is_formula_like(value):
            return "'" + value
        if text and DIGITS.fullmatch(value):
            return f'="{value}"'
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_field(str(value), text=text)


def csv_row(values, text_columns) -> list[str]:
    """A CSV line's fields for `values`, `text_columns` telling for each whether it is a text column."""
    return [csv_field(value, text=text) for value, text in zip(values, text_columns, strict=True)]


def safe_value(sheet, value):
    """What to append to a write-only openpyxl `sheet` for `value`: the value itself when it is
    harmless (the cheapest), otherwise a cell holding it as text."""
    if isinstance(value, str) and (
        is_formula_like(value) or ILLEGAL_CHARACTERS_RE.search(value) or len(value) > EXCEL_CELL_LIMIT
    ):
        return put(WriteOnlyCell(sheet), value)
    return value


def safe_row(sheet, values) -> list:
    """A row of values (and cells, left as they are) ready for an openpyxl `sheet.append`."""
    return [value if hasattr(value, "data_type") else safe_value(sheet, value) for value in values]


def sheet_title(text: str, *, suffix: str = "") -> str:
    """`text` as a sheet's name: Excel refuses \\ * ? : / [ ] in it (帮扶/慰问 → 帮扶、慰问) and more than
    31 characters — `suffix` (a part's number) included, cutting the text rather than the suffix."""
    return SHEET_TITLE_REFUSED.sub("、", text_value(str(text)))[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
