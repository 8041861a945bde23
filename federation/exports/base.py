"""Every staff list exports what the user sees to .xlsx or .csv (DESIGN.md "Import and export").

A list view builds its scoped, filtered queryset once; with `?format=xlsx` (or `csv`) in the query
string it hands that queryset to the list's exporter instead of to the paginator, so the page and the
file cannot disagree about filters or scope.

An exporter (pretix style) is a small class per list: it declares its columns — Chinese header, width,
number format — and yields one row per record, reading the queryset once with `.iterator()` and only
the columns it needs. `download_response()` turns any exporter into a file written to a temporary
file, which FileResponse then streams: memory stays bounded whatever the number of rows. ID and phone
numbers are masked (federation.identifiers) unless the user may see them in full
(scoping.can_see_full_identifiers), exactly as on the list pages.

The workbook is written by XlsxWriter in constant-memory mode (bench/exports.py measures it beside
openpyxl's write-only mode, which it replaced for being slower at every size). A sheet holds at most
SHEET_ROW_LIMIT rows under its header — Excel opens no more — so a longer list goes on over sheets
会员名单(1), 会员名单(2)…, each with the header, widths and filter of the first. The CSV file has the
same columns, cleaned the same way (federation.exports.cells), in UTF-8 with a BOM, by which Excel
knows it is not in the local code page.

Each list registers a builder, exporter(user, query string), under a key (federation.exports.registry;
the lists are declared with federation.lists.StaffList) that its view passes to `jobs.export_response()`:
above settings.EXPORT_INLINE_MAX_ROWS rows the file is written by an export job in the background
(federation.exports.jobs), which calls the same builder again for the same user and format.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from federation import scoping
from federation.exports.cells import SheetCell, csv_row, put, sheet_title
from federation.exports.workbook import xlsx_writer
from federation.identifiers import mask_id_number, mask_phone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMAT_PARAMETER = "format"
XLSX = "xlsx"
CSV = "csv"
CONTENT_TYPES = {XLSX: XLSX_CONTENT_TYPE, CSV: CSV_CONTENT_TYPE}
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# An export job may also hold a PDF or a Word document (the summary rendered on a worker); no list
# exports one.
JOB_CONTENT_TYPES = {**CONTENT_TYPES, "pdf": "application/pdf", "docx": DOCX_CONTENT_TYPE}
CHUNK_SIZE = 2000
# Excel opens 1 048 576 rows of a sheet: the header and this many records.
SHEET_ROW_LIMIT = 1_048_575

# Number formats: ID and phone numbers stay text (a number loses digits past 15 and its leading
# zeros), dates are dates, money has two decimals.
TEXT = "@"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
MONEY = "#,##0.00"
INTEGER = "#,##0"

HEADER_STYLE = {"bold": True, "pattern": 1, "bg_color": "#DDE4EE"}


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    number_format: str | None = None


class ListExporter:
    """One list's export. Subclasses set `title` (the sheet's name and the file's), `columns`, the
    `related` and `fields` the rows read, and `row()`. `format` is XLSX or CSV."""

    title: str = ""
    columns: Sequence[Column] = ()
    related: Sequence[str] = ()
    fields: Sequence[str] = ()
    format: str = XLSX

    def __init__(self, queryset: QuerySet, *, user, format: str = XLSX) -> None:
        self.queryset = queryset
        self.format = format if format in CONTENT_TYPES else XLSX
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
        return f"{self.title}-{timezone.localdate():%Y%m%d}.{self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


def export_format(query: QueryDict) -> str:
    """The format a list's query string asks for (`?format=csv`), XLSX when it names none we write."""
    asked = query.get(FORMAT_PARAMETER)
    return asked if asked in CONTENT_TYPES else XLSX


def wants_export(request: HttpRequest) -> bool:
    """Does this list request ask for an export (`?format=xlsx` or `?format=csv`) rather than the page?"""
    return request.GET.get(FORMAT_PARAMETER) in CONTENT_TYPES


def content_type_of(file_name: str) -> str:
    """The content type of an export file, by the extension of its name."""
    return JOB_CONTENT_TYPES.get(file_name.rpartition(".")[2].lower(), XLSX_CONTENT_TYPE)


def write_file(exporter: ListExporter, file, progress: Callable[[int], None] | None = None) -> int:
    """Write the export in its format to the binary `file`. Returns the number of records written;
    `progress`, if given, is told the count every CHUNK_SIZE rows."""
    if exporter.format == CSV:
        return write_csv(exporter, file, progress)
    return write_xlsx(exporter, file, progress)


def write_xlsx(exporter: ListExporter, file, progress: Callable[[int], None] | None = None) -> int:
    """Write the exporter's rows to `file` as a workbook: on each sheet a bold, frozen header row with an
    autofilter, the declared widths and number formats, and at most SHEET_ROW_LIMIT records. The
    writer's temporary files go, however it ends."""
    with xlsx_writer(file) as workbook:
        return _SheetsWriter(workbook, exporter).write(progress)


class _SheetsWriter:
    """The sheets of one list's workbook, begun one after another as the rows fill them."""

    def __init__(self, workbook, exporter: ListExporter) -> None:
        self.workbook = workbook
        self.exporter = exporter
        self.columns = exporter.columns
        # One format per number format, each also with the quote prefix (federation.exports.cells).
        self.formats: dict[tuple[str | None, bool, bool], object] = {}
        self.sheets: list[tuple[object, int]] = []  # (sheet, its records)

    def _format(self, number_format: str | None, *, quoted: bool, header: bool = False):
        key = (number_format, quoted, header)
        found = self.formats.get(key)
        if found is None and (number_format or quoted or header):
            properties: dict[str, object] = dict(HEADER_STYLE) if header else {}
            if number_format:
                properties["num_format"] = number_format
            if quoted:
                properties["quote_prefix"] = True
            found = self.formats[key] = self.workbook.add_format(properties)
        return found

    def _cells(self, sheet, *, header: bool = False) -> list[SheetCell]:
        date, datetime = self._format(DATE, quoted=False), self._format(DATETIME, quoted=False)
        return [
            SheetCell(
                sheet,
                index,
                format=self._format(None if header else column.number_format, quoted=False, header=header),
                quoted_format=self._format(
                    None if header else column.number_format, quoted=True, header=header
                ),
                date_format=date,
                datetime_format=datetime,
            )
            for index, column in enumerate(self.columns)
        ]

    def _begin_sheet(self):
        number = len(self.sheets) + 1
        title = self.exporter.title
        if number == 2:
            # The list did not fit one sheet: the first becomes part (1).
            self.sheets[0][0].name = sheet_title(title, suffix="(1)")
        sheet = self.workbook.add_worksheet(sheet_title(title, suffix=f"({number})" if number > 1 else ""))
        for index, column in enumerate(self.columns):
            sheet.set_column(index, index, column.width)
        sheet.freeze_panes(1, 0)
        for cell, column in zip(self._cells(sheet, header=True), self.columns, strict=True):
            put(cell, str(column.header))
        self.sheets.append((sheet, 0))
        return sheet

    def write(self, progress: Callable[[int], None] | None) -> int:
        limit = SHEET_ROW_LIMIT
        sheet = self._begin_sheet()
        cells = self._cells(sheet)
        row = count = 0
        for values in self.exporter.rows():
            if row == limit:
                self.sheets[-1] = (sheet, row)
                sheet = self._begin_sheet()
                cells = self._cells(sheet)
                row = 0
            row += 1
            for cell, value in zip(cells, values, strict=True):
                cell.row = row
                put(cell, value)
            count += 1
            if progress and count % CHUNK_SIZE == 0:
                progress(count)
        self.sheets[-1] = (sheet, row)
        last_column = max(len(self.columns), 1) - 1
        for each, rows in self.sheets:
            each.autofilter(0, 0, rows, last_column)
        return count


def write_csv(exporter: ListExporter, file, progress: Callable[[int], None] | None = None) -> int:
    """Write the exporter's rows to the binary `file` as CSV: a header line, one line per record, UTF-8
    with a BOM, CRLF line ends (as Excel writes them), each field through cells.csv_field."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text)
        columns = exporter.columns
        writer.writerow(csv_row([str(column.header) for column in columns], [False] * len(columns)))
        as_text = [column.number_format == TEXT for column in columns]
        count = 0
        for values in exporter.rows():
            writer.writerow(csv_row(values, as_text))
            count += 1
            if progress and count % CHUNK_SIZE == 0:
                progress(count)
        text.flush()
    finally:
        text.detach()  # the caller's file stays open
    return count


def download_response(exporter: ListExporter) -> FileResponse:
    """The export as an attachment named in Chinese (`会员名单-20261121.xlsx`; Django writes the RFC 5987
    `filename*`). The file is written to a temporary file first, deleted once the response is closed."""
    file = tempfile.TemporaryFile(suffix=f".{exporter.format}")
    try:
        write_file(exporter, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=exporter.filename(), content_type=exporter.content_type
    )
