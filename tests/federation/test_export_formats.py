"""A list export a city can open: sheets of at most what Excel opens (会员名单(1), (2)…, each with the
header, widths, frozen row and filter), and CSV beside XLSX — the same columns, cleaned the same way,
in UTF-8 with a BOM — for every list, inline or from a background job."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from federation.exports import base
from federation.exports.base import Column, ListExporter, write_csv, write_xlsx
from federation.models import ExportJob
from tests.support.factories import MemberFactory

BOM = b"\xef\xbb\xbf"
FORMULA = '=HYPERLINK("http://x"&A1,"点我")'
LISTS = [
    "federations:list",
    "unions:list",
    "unions:contract-list",
    "members:list",
    "hardship:list",
    "hardship:aid-list",
    "activities:list",
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


@pytest.fixture
def five_members(union_a):
    return [
        MemberFactory(union=union_a, name=f"职工{n}", joined_on=dt.date(2020, 1, n + 1)) for n in range(5)
    ]


# --- sheets of at most what Excel opens -----------------------------------------------------------------


def test_a_list_longer_than_a_sheet_goes_on_over_numbered_sheets_each_with_its_header(
    client, county_staff, five_members, monkeypatch
):
    monkeypatch.setattr(base, "SHEET_ROW_LIMIT", 2)
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(body(response)))

    assert book.sheetnames == ["会员名单(1)", "会员名单(2)", "会员名单(3)"]
    names = []
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert rows[0][:3] == ["姓名", "性别", "证件号码"]
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        assert 22 <= sheet.column_dimensions["C"].width < 23
        assert sheet["F2"].number_format == "yyyy-mm-dd"
        assert sheet.auto_filter.ref == f"A1:J{len(rows)}"
        names += [row[0] for row in rows[1:]]
    assert [len(list(sheet.rows)) - 1 for sheet in book.worksheets] == [2, 2, 1]
    assert sorted(names) == sorted(m.name for m in five_members)


def test_a_list_that_fills_its_sheet_exactly_has_one_sheet_under_the_lists_name(
    client, county_staff, five_members, monkeypatch
):
    monkeypatch.setattr(base, "SHEET_ROW_LIMIT", 5)
    client.force_login(county_staff)
    book = openpyxl.load_workbook(io.BytesIO(body(client.get(reverse("members:list"), {"format": "xlsx"}))))
    assert book.sheetnames == ["会员名单"]
    assert book.active.max_row == 6


class LongTitle(ListExporter):
    title = "很长的名单" * 8
    columns = (Column("姓名"),)

    def __init__(self, count: int) -> None:
        self.counted = count

    def rows(self):
        for n in range(self.counted):
            yield (f"职工{n}",)


def test_a_long_title_is_cut_so_that_each_sheets_number_stays(monkeypatch):
    monkeypatch.setattr(base, "SHEET_ROW_LIMIT", 1)
    out = io.BytesIO()
    assert write_xlsx(LongTitle(12), out) == 12
    names = openpyxl.load_workbook(out).sheetnames
    assert len(names) == 12 and len(set(names)) == 12
    assert all(len(name) <= 31 for name in names)
    assert names[0].endswith("(1)") and names[11].endswith("(12)")


def test_an_empty_list_is_a_sheet_with_its_header_alone(client, county_staff):
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    assert sheet.max_row == 1 and sheet["A1"].value == "姓名"
    # The writer brings the header with one empty record, which the filter's range takes in.
    assert sheet.auto_filter.ref in ("A1:J1", "A1:J2")


# --- CSV ---------------------------------------------------------------------------------------------------


def test_member_csv_has_a_bom_the_same_columns_and_one_line_per_member(client, county_staff, five_members):
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(".csv")
    data = body(response)
    assert b"\r\n" in data  # Excel's own line end
    rows = csv_rows(data)
    xlsx = openpyxl.load_workbook(
        io.BytesIO(body(client.get(reverse("members:list"), {"format": "xlsx"})))
    ).active
    assert rows[0] == [cell.value for cell in xlsx[1]]
    assert len(rows) == 6
    first = next(row for row in rows if row[0] == "职工0")
    assert first[5] == "2020-01-01"
    assert "*" in first[2]  # masked for a user without the permission


def test_member_csv_applies_the_lists_filters(client, county_staff, five_members, union_b):
    MemberFactory(union=union_b, name="乙的会员")
    client.force_login(county_staff)
    rows = csv_rows(body(client.get(reverse("members:list"), {"format": "csv", "q": "乙的"})))
    assert [row[0] for row in rows[1:]] == ["乙的会员"]


def test_csv_keeps_full_id_numbers_as_text_for_excel(client, county_staff, union_a):
    county_staff.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    member = MemberFactory(union=union_a, name="张三", mobile="13800138000")
    client.force_login(county_staff)
    row = csv_rows(body(client.get(reverse("members:list"), {"format": "csv"})))[1]
    id_number = member.id_number
    expected = f'="{id_number}"' if id_number.isdigit() else id_number
    assert row[2] == expected
    assert row[3] == '="13800138000"'


@pytest.mark.parametrize(
    ("value", "text", "field"),
    [
        (FORMULA, False, "'" + FORMULA),
        ("+86 138", False, "'+86 138"),
        ("-2+3", False, "'-2+3"),
        ("@SUM(A1)", False, "'@SUM(A1)"),
        ("\tx", False, "'\tx"),
        ("王\x1b小\x01明", False, "王小明"),
        ("0012", True, '="0012"'),
        ("0012", False, "0012"),
        ("11010119900307123X", True, "11010119900307123X"),
        ("１２３", True, "１２３"),
        (dt.date(2026, 1, 2), False, "2026-01-02"),
        (None, False, ""),
        (12, False, "12"),
    ],
)
def test_csv_field_cleans_and_guards_as_a_cell_does(value, text, field):
    from federation.exports.cells import csv_field

    assert csv_field(value, text=text) == field


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_exports_csv_with_the_same_header_as_its_workbook(client, county_staff, url_name):
    client.force_login(county_staff)
    rows = csv_rows(body(client.get(reverse(url_name), {"format": "csv"})))
    xlsx = openpyxl.load_workbook(io.BytesIO(body(client.get(reverse(url_name), {"format": "xlsx"})))).active
    assert rows[0] == [cell.value for cell in xlsx[1]]


def test_an_unknown_format_shows_the_list_page(client, county_staff):
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_page_links_to_both_formats(client, county_staff, url_name):
    client.force_login(county_staff)
    content = client.get(reverse(url_name), {"q": "甲"}).content.decode()
    if url_name == "federations:list":
        assert 'href="?format=csv"' in content
    else:
        assert 'href="?q=%E7%94%B2&amp;format=csv"' in content
    assert "导出CSV" in content and "导出Excel" in content


class Failing(ListExporter):
    title = "会员名单"
    columns = (Column("姓名"),)

    def __init__(self) -> None:
        pass

    def rows(self):
        yield ("张三",)
        raise RuntimeError("the database went away")


def test_a_failing_csv_export_leaves_the_callers_file_usable():
    with io.BytesIO() as out:
        with pytest.raises(RuntimeError):
            write_csv(Failing(), out)
        assert not out.closed
        assert out.getvalue().startswith(BOM + "姓名".encode())


# --- background jobs ----------------------------------------------------------------------------------


@pytest.fixture
def jobs_inline(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 1


def test_a_background_csv_export_writes_csv_and_downloads_as_csv(
    client, county_staff, five_members, jobs_inline
):
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "csv", "q": "职工"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:detail", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.file_name.endswith(".csv")
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(body(download))
    assert len(rows) == 6 and rows[0][0] == "姓名"


def test_the_same_list_asked_for_in_both_formats_is_two_jobs_and_each_is_reused(
    client, county_staff, five_members, jobs_inline
):
    client.force_login(county_staff)
    for _ in range(2):
        client.get(reverse("members:list"), {"format": "xlsx"})
        client.get(reverse("members:list"), {"format": "csv"})
    jobs = ExportJob.objects.order_by("pk")
    assert [job.file_name.rpartition(".")[2] for job in jobs] == ["xlsx", "csv"]
    xlsx_job = jobs[0]
    assert xlsx_job.query == ""  # the default format is not stored: jobs of an earlier version match
    download = client.get(reverse("exports:download", args=[xlsx_job.pk]))
    assert download["Content-Type"] == base.XLSX_CONTENT_TYPE
    assert openpyxl.load_workbook(io.BytesIO(body(download))).active.max_row == 6


# --- one writer, the same queries ---------------------------------------------------------------------


def _some_records(union_a):
    from tests.support.factories import (
        ActivityFactory,
        AidRecordFactory,
        ContractFactory,
        HardshipCaseFactory,
    )

    for n in range(3):
        MemberFactory(union=union_a, name=f"职工{n}")
        ContractFactory(union=union_a)
        HardshipCaseFactory(member__union=union_a)
        AidRecordFactory(member__union=union_a)
        ActivityFactory(union=union_a)


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_writes_each_cell_and_csv_line_through_the_one_writer(
    client, county_staff, union_a, url_name, monkeypatch
):
    """Every value of every row goes through cells.plain_value (XLSX) or cells.csv_row (CSV), nothing
    around them (with tests/test_workbooks_safe.py, which finds no other writing call in the code)."""
    from federation.exports import cells

    _some_records(union_a)
    put_calls, csv_calls = [], []
    monkeypatch.setattr(
        base, "plain_value", lambda value: put_calls.append(value) or cells.plain_value(value)
    )
    monkeypatch.setattr(
        base, "csv_row", lambda values, text: csv_calls.append(values) or cells.csv_row(values, text)
    )
    client.force_login(county_staff)
    sheet = openpyxl.load_workbook(io.BytesIO(body(client.get(reverse(url_name), {"format": "xlsx"})))).active
    rows = csv_rows(body(client.get(reverse(url_name), {"format": "csv"})))

    assert sheet.max_row == len(rows) > 1
    assert len(put_calls) == sheet.max_row * sheet.max_column
    assert len(csv_calls) == len(rows)


@pytest.mark.parametrize("url_name", LISTS)
def test_a_csv_export_runs_the_queries_of_the_workbook(client, county_staff, union_a, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _some_records(union_a)
    client.force_login(county_staff)
    counts = {}
    for format in ("xlsx", "csv"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name), {"format": format}).status_code == 200
        counts[format] = len(captured.captured_queries)
    # The workbook plans its sheets from the number of records, which a list exported in the request
    # alone (the federations) has not counted before.
    assert counts["xlsx"] == counts["csv"] + (1 if url_name == "federations:list" else 0)


def test_a_workbook_of_ordinary_size_is_a_plain_zip_without_zip64_records(client, county_staff, five_members):
    """ZIP64 is allowed for a sheet past 2 GiB, and written for it alone: XlsxWriter warns that Excel may
    ask to repair a small file with ZIP64 records."""
    client.force_login(county_staff)
    data = body(client.get(reverse("members:list"), {"format": "xlsx"}))
    assert data.startswith(b"PK\x03\x04")
    assert b"PK\x06\x06" not in data and b"PK\x06\x07" not in data  # ZIP64 end record and locator
