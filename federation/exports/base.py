"""Every staff list exports what the user sees to .xlsx (DESIGN.md "Import and export").

A list view builds its scoped, filtered queryset once; with `?format=xlsx` in the query string it hands
that queryset to the list's exporter instead of to the paginator, so the page and the file cannot
disagree about filters or scope.

An exporter (pretix style) is a small class per list: it declares its columns — Chinese header, width,
number format — and yields one row per record, reading the queryset once with `.iterator()` and only
the columns it needs. `xlsx_response()` turns any exporter into a workbook written in openpyxl's
write-only mode to a temporary file, which FileResponse then streams: memory stays bounded whatever
the number of rows. ID and phone numbers are masked (federation.identifiers) unless the user may see
them in full (scoping.can_see_full_identifiers), exactly as on the list pages.

Each list registers a builder, exporter(user, query string), under a key (federation.exports.registry;
the lists are declared with federation.lists.StaffList) that its view passes to `jobs.export_response()`:
above settings.EXPORT_INLINE_MAX_ROWS rows the workbook is written by an export job in the background
(federation.exports.jobs), which calls the same builder again for the same user.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from federation import scoping
from federation.exports.cells import put, safe_value, sheet_title
from federation.exports.workbook import write_only_workbook
from federation.identifiers import mask_id_number, mask_phone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_PARAMETER = "format"
XLSX = "xlsx"
CHUNK_SIZE = 2000

# Number formats: ID and phone numbers stay text (a number loses digits past 15 and its leading
# zeros), dates are dates, money has two decimals.
TEXT = "@"
DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
INTEGER = "#,##0"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    number_format: str | None = None


class ListExporter:
    """One list's export. Subclasses set `title` (the sheet's name and the file's), `columns`, the
    `related` and `fields` the rows read, and `row()`."""

    title: str = ""
    columns: Sequence[Column] = ()
    related: Sequence[str] = ()
    fields: Sequence[str] = ()

    def __init__(self, queryset: QuerySet, *, user) -> None:
        self.queryset = queryset
        self.full_identifiers = scoping.can_see_full_identifiers(user)
        self._labels: dict[tuple, dict] = {}
        self._yes_no = {True: gettext("是"), False: gettext("否")}

    def records(self) -> Iterator[Model]:
        queryset = self.queryset
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.fields:
            queryset = queryset.only(*self.fields)
        return queryset.iterator(chunk_size=CHUNK_SIZE)

    def rows(self) -> Iterator[Sequence]:
        for record in self.records():
            yield self.row(record)

    def row(self, record) -> Sequence:
        raise NotImplementedError

    def label(self, record: Model, field_name: str) -> str:
        """The display label of a choice field, as get_FOO_display() gives it, from a table built once
        per export rather than once per cell."""
        key = (type(record), field_name)
        labels = self._labels.get(key)
        if labels is None:
            field = record._meta.get_field(field_name)
            labels = self._labels[key] = {value: str(label) for value, label in field.flatchoices}
        value = getattr(record, field_name)
        return labels.get(value, value)

    def yes_no(self, value: bool) -> str:
        return self._yes_no[bool(value)]

    def id_number(self, value: str) -> str:
        return value if self.full_identifiers else mask_id_number(value)

    def phone(self, value: str) -> str:
        return value if self.full_identifiers else mask_phone(value)

    def filename(self) -> str:
        return f"{self.title}-{timezone.localdate():%Y%m%d}.xlsx"


def wants_xlsx(request: HttpRequest) -> bool:
    """Does this list request ask for the export (`?format=xlsx`) rather than the page?"""
    return request.GET.get(FORMAT_PARAMETER) == XLSX


def write_xlsx(exporter: ListExporter, file, progress: Callable[[int], None] | None = None) -> int:
    """Write the exporter's rows to `file` as one sheet: a bold, frozen header row with an autofilter,
    the declared widths and number formats. Returns the number of data rows written; `progress`, if
    given, is told the count every CHUNK_SIZE rows. openpyxl's temporary file goes, however it ends."""
    with write_only_workbook() as workbook:
        return _write_sheet(workbook, exporter, file, progress)


def _write_sheet(workbook, exporter: ListExporter, file, progress: Callable[[int], None] | None) -> int:
    sheet = workbook.create_sheet(title=sheet_title(exporter.title))
    columns = exporter.columns
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    header = []
    for column in columns:
        cell = put(WriteOnlyCell(sheet), str(column.header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)

    # A write-only sheet serialises each row as it is appended, so one styled cell per column is
    # reused from row to row: styling a fresh cell for each of 100 000 × 10 values would cost more
    # than writing them.
    styled = [_column_cell(sheet, column) for column in columns]
    count = 0
    for values in exporter.rows():
        sheet.append(_cells(sheet, styled, values))
        count += 1
        if progress and count % CHUNK_SIZE == 0:
            progress(count)

    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(file)
    return count


def _column_cell(sheet, column: Column) -> WriteOnlyCell | None:
    if not column.number_format:
        return None
    cell = WriteOnlyCell(sheet)
    cell.number_format = column.number_format
    return cell


def _cells(sheet, styled: list[WriteOnlyCell | None], values: Iterable) -> list:
    row = []
    for cell, value in zip(styled, values, strict=True):
        if value is None or value == "":
            row.append(None)
        elif cell is None:
            row.append(safe_value(sheet, value))
        else:
            row.append(put(cell, value))
    return row


def xlsx_response(exporter: ListExporter) -> FileResponse:
    """The export as an attachment named in Chinese (`会员名单-20261121.xlsx`; Django writes the RFC 5987
    `filename*`). The workbook goes to a temporary file first, deleted once the response is closed."""
    file = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(exporter, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=exporter.filename(), content_type=XLSX_CONTENT_TYPE
    )
