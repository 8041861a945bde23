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

The workbook is written by rustpy-xlsxwriter (Python's binding of rust_xlsxwriter, the Rust port of
XlsxWriter by the same author) streaming each sheet in constant memory: bench/exports.py measures it
beside openpyxl's write-only mode and XlsxWriter's constant-memory mode, which it replaced for being
several times faster at every size. A sheet holds at most
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
from rustpy_xlsxwriter import Format

from federation import scoping
from federation.exports.cells import csv_row, plain_value, sheet_title
from federation.exports.workbook import streaming_workbook
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

HEADER_FILL = "#DDE4EE"


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
    counted: int | None = None

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

    def total(self) -> int:
        """How many records the export holds (the workbook's sheets are planned from it): the count its
        caller made already (`counted`: the inline export and the export job count the list first),
        otherwise one COUNT query."""
        if self.counted is None:
            self.counted = self.queryset.count()
        return self.counted

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
    """Write the exporter's rows to the binary `file` as a workbook: on each sheet a bold, frozen header
    row with an autofilter, the declared widths and number formats, and at most SHEET_ROW_LIMIT
    records — as many sheets as the records need, counted first (one COUNT query). The writer's files
    go, however it ends."""
    total = exporter.total()
    sheets = max(1, -(-total // SHEET_ROW_LIMIT))
    columns = exporter.columns
    keys = _header_keys(columns)
    rows = iter(exporter.rows())
    written = [0]

    def records(limit: int) -> Iterator[dict]:
        # Every value through the one cell writer (cells.plain_value); the records of a sheet are
        # drawn from the one stream of rows, sheet after sheet, as the writer asks for them.
        for done in range(limit):
            values = next(rows, None)
            if values is None:
                if done == 0:
                    # With no record the writer writes no header either: an empty record brings it.
                    yield dict.fromkeys(keys)
                return
            yield dict(zip(keys, map(plain_value, values), strict=True))
            written[0] += 1
            if progress and written[0] % CHUNK_SIZE == 0:
                progress(written[0])

    with streaming_workbook(file) as workbook:
        workbook.freeze(row=1)
        for number in range(1, sheets + 1):
            suffix = f"({number})" if sheets > 1 else ""
            workbook.sheet(
                sheet_title(exporter.title, suffix=suffix),
                records(SHEET_ROW_LIMIT),
                header_format=_header_format(),
                column_formats=[_column_format(column) for column in columns],
                column_widths=[column.width for column in columns],
                autofilter=True,
            )
    if next(rows, None) is not None:
        # More records than counted (written meanwhile) and no room left on the last sheet.
        raise ExportOverflow(gettext("导出期间名单有变动，请重新导出。"))
    return written[0]


class ExportOverflow(RuntimeError):
    """The list grew past its sheets while it was written."""


def _header_keys(columns: Sequence[Column]) -> list[str]:
    """The header texts, which name each record's values for the writer: cleaned, and made distinct
    (a repeated header gets a trailing space, which nobody sees)."""
    keys: list[str] = []
    for column in columns:
        key = plain_value(str(column.header)) or " "
        while key in keys:
            key += " "
        keys.append(key)
    return keys


def _header_format() -> Format:
    return Format().set_bold().set_background_color(HEADER_FILL)


def _column_format(column: Column) -> Format:
    """A column's cell format: its number format, and Excel's quote prefix on every text column — the
    mark of text typed after an apostrophe, which keeps a value such as `=HYPERLINK(…)` text when
    someone edits the cell (federation.exports.cells)."""
    cell_format = Format()
    if column.number_format:
        cell_format.set_num_format(column.number_format)
    if column.number_format in (None, TEXT):
        cell_format.set_quote_prefix()
    return cell_format


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
