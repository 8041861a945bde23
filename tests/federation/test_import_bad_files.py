"""Every bad file people upload gets a clear Chinese message and changes nothing — in each of the
formats an office saves: .xlsx, .xls and .ods.

Each case goes the way a real upload goes — batches.batch_create, then batch_validate — with a small
roster spec defined here (姓名, 身份证号, 入会日期, 手机号码), and checks the message and that no member
was written. Files are built in the test (tests/support/xlsx_files.py) and, for .xls and .ods,
converted from them by LibreOffice once per session (tests/support/office_formats.py); the
password-protected workbooks are fixtures made once (password 1234, tests/fixtures/README.md).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl.chart import BarChart, Reference

from federation.identifiers import (
    FEMALE,
    MALE,
    make_resident_id,
    resident_id_birth_date,
    resident_id_gender,
)
from federation.imports import batches, engine, registry
from federation.imports.cells import DateColumn, IdNumberColumn, MobileColumn, NameColumn
from federation.imports.reader import ImportFileError, read_first_sheet
from federation.models import ImportBatch
from members.models import Member
from tests.support.office_formats import convert_all
from tests.support.roster_workbooks import HEADERS as ROSTER_HEADERS
from tests.support.roster_workbooks import person
from tests.support.xlsx_files import (
    JPEG_BYTES,
    PNG_BYTES,
    SHEET_PART,
    ole2_xls_bytes,
    pdf_bytes,
    replace_part,
    with_cached_values,
    with_last_row,
    without_cached_values,
    workbook_bytes,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADERS = ["姓名", "身份证号", "入会日期", "手机号码"]
ID_1 = make_resident_id("110105", dt.date(1990, 3, 7), 1, MALE)
ID_2 = make_resident_id("110105", dt.date(1988, 11, 20), 2, FEMALE)


class MiniRosterSpec(engine.ImportSpec):
    """A roster cut down to four columns, for these tests only: a new ID is a new member of the
    union, an ID on file is left unchanged."""

    kind = ImportBatch.Kind.MEMBERS
    title = "测试花名册"
    key = "id_number"
    columns = [
        NameColumn("姓名", "name", required=True),
        IdNumberColumn("身份证号", "id_number", required=True),
        DateColumn("入会日期", "joined_on", required=True),
        MobileColumn("手机号码", "mobile", aliases=("手机",)),
    ]

    def __init__(self, *, user, union=None, **scope):
        super().__init__(user=user, union=union, **scope)
        self.union = union

    def plan_batch(self, rows):
        on_file = set(
            Member.objects.filter(id_number__in=[r.values["id_number"] for r in rows]).values_list(
                "id_number", flat=True
            )
        )
        for row in rows:
            row.action = engine.UNCHANGED if row.values["id_number"] in on_file else engine.CREATE

    def write(self, rows):
        Member.objects.bulk_create(
            Member(
                union=self.union,
                gender=resident_id_gender(row.values["id_number"]),
                birth_date=resident_id_birth_date(row.values["id_number"]),
                **row.values,
            )
            for row in rows
            if row.action == engine.CREATE
        )


@pytest.fixture
def mini_spec(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(registry.SPECS, ImportBatch.Kind.MEMBERS, MiniRosterSpec)


@pytest.fixture
def upload(mini_spec, union_a, cadre_a):
    """Upload bytes as cadre_a into union_a and validate them; returns the batch after validation."""

    def run(data: bytes, file_name: str = "花名册.xlsx") -> ImportBatch:
        batch = batches.batch_create(
            kind=ImportBatch.Kind.MEMBERS,
            file=io.BytesIO(data),
            file_name=file_name,
            by=cadre_a,
            union=union_a,
        )
        batches.batch_validate(batch)
        batch.refresh_from_db()
        return batch

    return run


def refused(upload, data: bytes, file_name: str = "花名册.xlsx") -> str:
    """Upload a file that must be refused as a whole: the batch failed, its file is gone, no member
    was written. Returns the message."""
    before = Member.objects.count()
    batch = upload(data, file_name)
    assert batch.status == ImportBatch.Status.FAILED
    assert not batch.file
    assert Member.objects.count() == before
    return batch.message


def roster(*rows: list) -> bytes:
    return workbook_bytes([HEADERS, *rows])


GOOD_ROW = ["张三", ID_1, "2020-01-01", "13800138000"]


# -- not an xlsx --


def test_an_xls_without_any_worksheet_is_refused_as_having_no_sheet(upload):
    message = refused(upload, ole2_xls_bytes(), "花名册.xls")
    assert "没有可见的工作表" in message


def test_a_csv_renamed_to_xlsx_is_refused_as_not_an_excel_file(upload):
    csv = f"姓名,身份证号,入会日期\n张三,{ID_1},2020-01-01\n".encode("gbk")
    assert "CSV" in refused(upload, csv)


def test_a_pdf_is_refused_as_a_pdf(upload):
    assert "这是 PDF 文件" in refused(upload, pdf_bytes(), "花名册.pdf")


@pytest.mark.parametrize("data", [PNG_BYTES, JPEG_BYTES], ids=["png", "jpeg"])
def test_an_image_is_refused_as_an_image(upload, data):
    assert "这是图片文件" in refused(upload, data, "拍照.xlsx")


def test_a_zero_byte_file_is_refused_as_empty(upload):
    assert "文件是空的" in refused(upload, b"")


def test_a_word_document_is_refused_as_not_a_workbook(upload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel（.xlsx）工作簿" in refused(upload, buffer.getvalue())


# -- corrupt and protected --


def test_a_truncated_xlsx_is_refused_as_damaged(upload):
    data = roster(GOOD_ROW)
    assert "文件已损坏" in refused(upload, data[: len(data) // 2])


def test_an_xlsx_whose_sheet_data_is_corrupted_is_refused_as_damaged(upload):
    data = bytearray(roster(*[GOOD_ROW] * 50))
    # Flip bytes in the middle of the sheet's compressed data: the zip opens, inflating it fails.
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + info.compress_size // 2, start + info.compress_size // 2 + 40):
        data[offset] ^= 0x5A
    assert "文件已损坏" in refused(upload, bytes(data))


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_a_password_protected_workbook_is_refused_with_a_request_to_remove_the_password(upload, suffix):
    """The three fixtures (password 1234) are made as tests/fixtures/README.md says."""
    data = (FIXTURES / f"encrypted_roster{suffix}").read_bytes()
    message = refused(upload, data, f"花名册{suffix}")
    assert message.startswith("文件已加密") and "设置了打开密码" in message and "取消密码" in message


# -- empty and shapeless --


def test_an_empty_workbook_is_refused_as_empty(upload):
    assert "是空的，没有表头和数据" in refused(upload, workbook_bytes([]))


def test_a_sheet_with_only_blank_cells_is_refused_as_empty(upload):
    assert "是空的" in refused(upload, workbook_bytes([[None, "  "], ["　", None]]))


def test_a_sheet_with_only_headers_is_refused_as_having_no_data(upload):
    assert "只有表头，没有数据行" in refused(upload, roster())


def test_a_missing_required_column_is_named_in_the_message(upload):
    data = workbook_bytes([["姓名", "入会日期"], ["张三", "2020-01-01"]])
    message = refused(upload, data)
    assert "缺少必填的列：身份证号" in message


def test_merged_cells_in_the_data_are_refused_with_their_range(upload):
    def merge(_workbook, sheet):
        sheet.merge_cells("C2:C3")

    data = workbook_bytes([HEADERS, GOOD_ROW, ["李四", ID_2, None, None]], setup=merge)
    assert "合并单元格：C2:C3" in refused(upload, data)


def test_merged_cells_in_a_title_row_above_the_headers_are_accepted(upload):
    def merge(_workbook, sheet):
        sheet.merge_cells("A1:D1")

    data = workbook_bytes([["某某公司工会会员花名册"], HEADERS, GOOD_ROW], setup=merge)
    batch = upload(data)
    assert batch.status == ImportBatch.Status.READY
    assert batch.rows_created == 1


# -- formulas --


def formula_roster() -> bytes:
    return roster(GOOD_ROW, ["李四", ID_2, "=C2", "13900139000"])


def test_a_formula_without_a_cached_value_is_refused_with_its_cell(upload):
    assert "以下单元格是公式：C3" in refused(upload, without_cached_values(formula_roster()))


def test_a_formula_with_a_cached_value_is_refused_too(upload):
    data = with_cached_values(formula_roster(), "43831")
    assert "以下单元格是公式：C3" in refused(upload, data)
    assert "选择性粘贴" in refused(upload, data)


# -- the sheet that is read --


def test_a_chart_sheet_placed_first_is_passed_over_for_the_first_worksheet(upload):
    def chart_first(workbook, sheet):
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
        chartsheet = workbook.create_chartsheet("图表", 0)
        chartsheet.add_chart(chart)

    batch = upload(workbook_bytes([HEADERS, GOOD_ROW], setup=chart_first))
    assert batch.status == ImportBatch.Status.READY
    assert batch.report["sheet"] == "花名册"


def test_a_hidden_first_sheet_is_passed_over_for_the_first_visible_one(upload):
    def hidden_first(workbook, sheet):
        lists = workbook.create_sheet("选项", 0)
        lists.append(["男", "女"])
        lists.sheet_state = "hidden"
        workbook.active = 1

    batch = upload(workbook_bytes([HEADERS, GOOD_ROW], setup=hidden_first))
    assert batch.status == ImportBatch.Status.READY
    assert batch.report["sheet"] == "花名册"


def test_a_workbook_with_only_a_chart_sheet_visible_is_refused(upload):
    def hide_data(workbook, sheet):
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
        workbook.create_chartsheet("图表", 0).add_chart(chart)
        sheet.sheet_state = "hidden"

    assert "没有可见的工作表" in refused(upload, workbook_bytes([HEADERS, GOOD_ROW], setup=hide_data))


def test_a_second_worksheet_is_named_in_a_notice_and_not_imported(upload):
    def second(workbook, _sheet):
        workbook.create_sheet("说明").append(["填表说明"])

    batch = upload(workbook_bytes([HEADERS, GOOD_ROW], setup=second))
    assert batch.status == ImportBatch.Status.READY
    assert any("只导入了第一个工作表“花名册”" in notice for notice in batch.report["notices"])


def test_headers_with_spaces_line_breaks_and_asterisks_are_matched(upload):
    headers = [" 姓 名* ", "身份证号\n（必填）".replace("（必填）", ""), "*入会　日期", "手机\r\n号码"]
    batch = upload(workbook_bytes([headers, GOOD_ROW]))
    assert batch.status == ImportBatch.Status.READY
    assert batch.rows_created == 1


def test_a_title_row_above_the_headers_is_skipped(upload):
    data = workbook_bytes([["某某公司工会会员花名册（2024年）"], [], HEADERS, GOOD_ROW])
    batch = upload(data)
    assert batch.status == ImportBatch.Status.READY
    assert batch.rows_created == 1
    assert batch.report["problems"] == []


def test_unknown_columns_are_ignored_with_a_notice(upload):
    batch = upload(workbook_bytes([[*HEADERS, "备注"], [*GOOD_ROW, "无"]]))
    assert batch.status == ImportBatch.Status.READY
    assert any("备注" in notice and "已忽略" in notice for notice in batch.report["notices"])


# -- size --


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(mini_spec, settings, union_a, cadre_a):
    settings.UPLOAD_MAX_MB = 1
    data = roster(GOOD_ROW) + b"\0" * (1024 * 1024)
    with pytest.raises(Exception) as caught:
        batches.batch_create(
            kind=ImportBatch.Kind.MEMBERS,
            file=io.BytesIO(data),
            file_name="大.xlsx",
            by=cadre_a,
            union=union_a,
        )
    assert "超过上限1 MB" in " ".join(caught.value.messages)
    assert ImportBatch.objects.count() == 0
    assert Member.objects.count() == 0


def test_a_stored_file_over_a_lowered_size_limit_is_refused_when_validated(
    mini_spec, settings, union_a, cadre_a
):
    batch = batches.batch_create(
        kind=ImportBatch.Kind.MEMBERS,
        file=io.BytesIO(roster(GOOD_ROW)),
        file_name="花名册.xlsx",
        by=cadre_a,
        union=union_a,
    )
    settings.UPLOAD_MAX_MB = 0
    batches.batch_validate(batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "超过上限0 MB" in batch.message
    assert Member.objects.count() == 0


# -- a million rows --


def test_a_sheet_that_runs_to_row_1048576_is_refused_quickly_without_loading_it(upload):
    data = with_last_row(roster(GOOD_ROW))
    started = time.perf_counter()
    tracemalloc.start()
    message = refused(upload, data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert "用到了Excel的最后一行（第1,048,576行）" in message
    assert "删除数据下方的所有行" in message
    # calamine alone needs about 3 s and 500 MB (outside tracemalloc's view) to load such a sheet;
    # the scan refuses it before calamine opens it.
    assert elapsed < 2
    assert peak < 20 * 1024 * 1024


def test_a_sheet_longer_than_the_import_limit_is_refused_with_both_numbers(upload, settings):
    settings.IMPORT_MAX_ROWS = 100
    data = with_last_row(roster(GOOD_ROW), 500, dimension="A1:D500")
    message = refused(upload, data)
    assert "有500行，超过一次导入的上限100行" in message


def test_a_sheet_whose_dimension_claims_a_million_rows_but_holds_two_is_read(upload):
    data = replace_part(
        roster(GOOD_ROW),
        SHEET_PART,
        lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:O1048576"/>', xml),
    )
    batch = upload(data)
    assert batch.status == ImportBatch.Status.READY
    assert batch.rows_created == 1


# -- rows and cells --


def test_an_id_number_stored_as_a_number_is_refused_by_row_and_column(upload):
    assert ID_1[-1] != "X"
    batch = upload(roster(["张三", float(ID_1), "2020-01-01", None]))
    assert batch.status == ImportBatch.Status.INVALID
    (problem,) = batch.report["problems"]
    assert problem["row"] == 2
    assert problem["column"] == "身份证号（B列）"
    assert "存成了数字" in problem["message"] and "文本" in problem["message"]
    assert Member.objects.count() == 0


def test_an_ambiguous_text_date_is_refused_and_unambiguous_ones_accepted(upload):
    batch = upload(roster(["张三", ID_1, "03/04/2024", None], ["李四", ID_2, "2024年3月4日", None]))
    assert batch.status == ImportBatch.Status.INVALID
    (problem,) = batch.report["problems"]
    assert (problem["row"], problem["column"]) == (2, "入会日期（C列）")
    assert "无法确定是几月几日" in problem["message"]
    assert Member.objects.count() == 0


def test_dates_as_text_and_as_excel_serial_numbers_are_both_imported(upload, union_a):
    batch = upload(roster(["张三", ID_1, 45352, None], ["李四", ID_2, "2024/3/1", None]))
    assert batch.status == ImportBatch.Status.READY
    batches.batch_commit(batch=batch, by=batch.created_by)
    joined = set(Member.objects.filter(union=union_a).values_list("joined_on", flat=True))
    assert [str(d) for d in joined] == ["2024-03-01"]


def test_spaces_and_full_width_characters_are_normalised_before_saving(upload, union_a):
    full_width_id = ID_1.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    batch = upload(
        roster(["　张　三 ", f" {full_width_id}　", " ２０２０－０１－０１ ", "１３８ ００１３ ８０００"])
    )
    assert batch.status == ImportBatch.Status.READY, batch.report
    batches.batch_commit(batch=batch, by=batch.created_by)
    member = Member.objects.get(union=union_a)
    assert (member.name, member.id_number, str(member.joined_on)) == ("张三", ID_1, "2020-01-01")
    assert member.mobile == "13800138000"


def test_identical_rows_are_imported_once_with_a_notice(upload):
    batch = upload(roster(GOOD_ROW, GOOD_ROW, GOOD_ROW))
    assert batch.status == ImportBatch.Status.READY
    assert batch.rows_total == 1
    assert any("2行与前面的行完全相同" in notice for notice in batch.report["notices"])


def test_the_same_id_twice_with_different_values_is_a_conflict_and_nothing_is_written(upload):
    batch = upload(roster(GOOD_ROW, ["张叁", ID_1, "2021-05-01", None]))
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.conflicts == 2
    assert {p["row"] for p in batch.report["problems"]} == {2, 3}
    with pytest.raises(Exception, match="不能确认导入"):
        batches.batch_commit(batch=batch, by=batch.created_by)
    assert Member.objects.count() == 0


def test_reading_a_good_roster_directly_gives_padded_rows_with_their_excel_numbers(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(
        workbook_bytes([["标题"], HEADERS, ["张三", ID_1], [], ["李四", ID_2, "2020-01-01", "1"]])
    )
    sheet = read_first_sheet(path, frozenset(HEADERS))
    assert sheet.headers == HEADERS
    assert [(n, v) for n, v in sheet.rows] == [
        (3, ["张三", ID_1, "", ""]),
        (5, ["李四", ID_2, "2020-01-01", "1"]),
    ]


def test_the_reader_refuses_a_path_that_is_not_a_workbook_with_an_import_file_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"hello")
    with pytest.raises(ImportFileError, match="CSV"):
        read_first_sheet(path)


# -- the same files through the real roster spec (members.imports.roster.MemberRosterSpec) --


@pytest.fixture
def roster_upload(settings, tmp_path, union_a, cadre_a):
    settings.MEDIA_ROOT = tmp_path

    def run(data: bytes) -> ImportBatch:
        batch = batches.batch_create(
            kind=ImportBatch.Kind.MEMBERS,
            file=io.BytesIO(data),
            file_name="花名册.xlsx",
            by=cadre_a,
            union=union_a,
        )
        batches.batch_validate(batch)
        batch.refresh_from_db()
        return batch

    return run


def full_roster(*people: dict, setup=None) -> bytes:
    return workbook_bytes(
        [ROSTER_HEADERS, *[[p.get(h) for h in ROSTER_HEADERS] for p in people]], setup=setup
    )


def test_a_roster_with_a_million_row_sheet_is_refused_by_the_real_spec(roster_upload):
    batch = roster_upload(with_last_row(full_roster(person(1))))
    assert batch.status == ImportBatch.Status.FAILED
    assert "第1,048,576行" in batch.message
    assert Member.objects.count() == 0


def test_a_roster_with_merged_cells_or_formulas_is_refused_by_the_real_spec(roster_upload):
    def merge(_workbook, sheet):
        sheet.merge_cells("H2:H3")

    merged = roster_upload(full_roster(person(1), person(2), setup=merge))
    assert merged.status == ImportBatch.Status.FAILED
    assert "合并单元格：H2:H3" in merged.message
    formula = roster_upload(full_roster(person(1), person(2, 入会日期="=L2")))
    assert formula.status == ImportBatch.Status.FAILED
    assert "以下单元格是公式：L3" in formula.message
    assert Member.objects.count() == 0


def test_a_roster_with_an_id_number_stored_as_a_number_names_its_cell_and_writes_nothing(roster_upload):
    someone = person(1)
    assert not someone["身份证号"].endswith("X")
    batch = roster_upload(full_roster(person(2), {**someone, "身份证号": float(someone["身份证号"])}))
    assert batch.status == ImportBatch.Status.INVALID
    (problem,) = batch.report["problems"]
    assert (problem["row"], problem["column"]) == (3, "身份证号（E列）")
    assert "存成了数字" in problem["message"]
    assert Member.objects.count() == 0


def test_a_roster_with_full_width_text_and_serial_dates_imports_clean_values(roster_upload, union_a, cadre_a):
    someone = person(1)
    full_width_id = someone["身份证号"].translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    batch = roster_upload(
        full_roster({**someone, "姓名": "　王五 ", "身份证号": full_width_id, "入会日期": 43952})
    )
    assert batch.status == ImportBatch.Status.READY, batch.report
    batches.batch_commit(batch=batch, by=cadre_a)
    member = Member.objects.get(union=union_a)
    assert (member.name, member.id_number, member.joined_on) == (
        "王五",
        someone["身份证号"],
        dt.date(2020, 5, 1),
    )


# -- the same checks for .xls and .ods, as LibreOffice saves them (tests/support/office_formats.py) --


def _merge(cells: str):
    def merge(_workbook, sheet):
        sheet.merge_cells(cells)

    return merge


def _hide_first(workbook, sheet):
    sheet.sheet_state = "hidden"
    visible = workbook.create_sheet("名单")
    for row in ([*HEADERS], GOOD_ROW):
        visible.append(row)


OFFICE_WORKBOOKS = {
    "good": lambda: roster(GOOD_ROW, ["李四", ID_2, dt.date(2021, 5, 1), "13900139000"]),
    "merged": lambda: workbook_bytes([HEADERS, GOOD_ROW, ["李四", ID_2, None, None]], setup=_merge("C2:C3")),
    "merged_title": lambda: workbook_bytes(
        [["某某公司工会会员花名册"], HEADERS, GOOD_ROW], setup=_merge("A1:D1")
    ),
    "formula": lambda: formula_roster(),
    "id_as_number": lambda: roster(["张三", float(ID_1), "2020-01-01", None]),
    "only_headers": lambda: roster(),
    "empty": lambda: workbook_bytes([]),
    "hidden_first": lambda: workbook_bytes([["旧数据"], ["无关"]], setup=_hide_first),
}
OFFICE = ["xls", "ods"]


@pytest.fixture(scope="session")
def office(tmp_path_factory):
    """{(name, "xls"|"ods"): bytes}: OFFICE_WORKBOOKS saved by LibreOffice in the two formats."""
    return convert_all(
        {name: make() for name, make in OFFICE_WORKBOOKS.items()}, tmp_path_factory.mktemp("office")
    )


@pytest.mark.parametrize("fmt", OFFICE)
def test_an_xls_or_ods_roster_imports_like_the_xlsx_with_its_dates_and_id_numbers_as_text(
    upload, office, fmt, union_a
):
    data = office[("good", fmt)]
    assert data.startswith(b"\xd0\xcf\x11\xe0" if fmt == "xls" else b"PK\x03\x04")

    batch = upload(data, f"花名册.{fmt}")

    assert batch.status == ImportBatch.Status.READY, (batch.message, batch.report)
    assert batch.rows_created == 2
    assert batch.report["notices"] == []
    assert batch.file.name.endswith(f".{fmt}")
    batches.batch_commit(batch=batch, by=batch.created_by)
    members = dict(Member.objects.filter(union=union_a).values_list("id_number", "joined_on"))
    assert members == {ID_1: dt.date(2020, 1, 1), ID_2: dt.date(2021, 5, 1)}


@pytest.mark.parametrize("fmt", OFFICE)
@pytest.mark.parametrize(
    ("workbook", "message"),
    [
        ("merged", "数据区域有合并单元格：C2:C3"),
        ("formula", "以下单元格是公式：C3"),
        ("only_headers", "只有表头，没有数据行"),
        ("empty", "是空的，没有表头和数据"),
    ],
)
def test_an_xls_or_ods_is_refused_for_what_an_xlsx_is_refused_for(upload, office, fmt, workbook, message):
    """Merged cells in the data (calamine reports none for .ods: read from its content.xml),
    formulas (found in the .xls's FORMULA records and the .ods's table:formula), no data."""
    assert message in refused(upload, office[(workbook, fmt)], f"花名册.{fmt}")


@pytest.mark.parametrize("fmt", OFFICE)
def test_merged_cells_in_a_title_row_of_an_xls_or_ods_are_accepted(upload, office, fmt):
    batch = upload(office[("merged_title", fmt)], f"花名册.{fmt}")
    assert batch.status == ImportBatch.Status.READY, batch.message
    assert batch.rows_created == 1


@pytest.mark.parametrize("fmt", OFFICE)
def test_an_id_number_stored_as_a_number_in_an_xls_or_ods_is_refused_by_row_and_column(upload, office, fmt):
    """An 18-digit number is 1.1e17 in the file: its last digits are gone, and the message says so."""
    batch = upload(office[("id_as_number", fmt)], f"花名册.{fmt}")
    assert batch.status == ImportBatch.Status.INVALID
    (problem,) = batch.report["problems"]
    assert (problem["row"], problem["column"]) == (2, "身份证号（B列）")
    assert "存成了数字" in problem["message"]
    assert Member.objects.count() == 0


@pytest.mark.parametrize("fmt", OFFICE)
def test_a_hidden_first_sheet_of_an_xls_or_ods_is_passed_over(upload, office, fmt):
    batch = upload(office[("hidden_first", fmt)], f"花名册.{fmt}")
    assert batch.status == ImportBatch.Status.READY, batch.message
    assert batch.report["sheet"] == "名单"


@pytest.mark.parametrize("fmt", OFFICE)
def test_a_zero_byte_xls_or_ods_is_refused_as_empty(upload, fmt):
    assert "文件是空的" in refused(upload, b"", f"花名册.{fmt}")


@pytest.mark.parametrize("fmt", OFFICE)
def test_a_truncated_xls_or_ods_is_refused_as_damaged(upload, office, fmt):
    data = office[("good", fmt)]
    assert "文件已损坏" in refused(upload, data[: len(data) // 2], f"花名册.{fmt}")


def test_an_xls_whose_workbook_stream_is_garbled_is_refused_as_damaged(upload, office):
    data = bytearray(office[("good", "xls")])
    for offset in range(len(data) // 2, len(data) // 2 + 600):
        data[offset] ^= 0x5A
    assert "文件已损坏" in refused(upload, bytes(data), "花名册.xls")


@pytest.mark.parametrize(
    ("content", "name", "label"),
    [
        ("xls", "花名册.ods", "Excel 97-2003 工作簿（.xls）"),
        ("ods", "花名册.xls", "OpenDocument 电子表格（.ods）"),
        ("xls", "花名册.xlsx", "Excel 97-2003 工作簿（.xls）"),
        ("xlsx", "花名册.xls", "Excel 工作簿（.xlsx）"),
    ],
)
def test_a_renamed_workbook_is_read_by_its_content_with_a_notice(upload, office, content, name, label):
    data = roster(GOOD_ROW) if content == "xlsx" else office[("good", content)]

    batch = upload(data, name)

    assert batch.status == ImportBatch.Status.READY, batch.message
    (notice,) = batch.report["notices"]
    assert (
        f"文件名是“.{name.rsplit('.', 1)[1]}”" in notice and label in notice and "已按实际格式读取" in notice
    )


def test_a_workbook_with_another_extension_is_read_by_its_content_with_a_notice(upload, office):
    batch = upload(office[("good", "ods")], "花名册.et")
    assert batch.status == ImportBatch.Status.READY, batch.message
    assert "扩展名不是 .xlsx、.xls 或 .ods" in batch.report["notices"][0]


def test_a_text_document_renamed_ods_is_refused_as_not_a_spreadsheet(upload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "不是 Excel（.xlsx）工作簿或 .ods 电子表格" in refused(upload, buffer.getvalue(), "花名册.ods")


def test_a_word_97_document_renamed_xls_is_refused_as_not_a_spreadsheet(upload):
    word = ole2_xls_bytes().replace("Workbook".encode("utf-16-le"), "WordDocu".encode("utf-16-le"))
    assert "可能是 Word 文档" in refused(upload, word, "花名册.xls")


# python-calamine panics on some damaged .xls (pyo3's PanicException, a BaseException: caught as
# damage); one damaged DIMENSIONS record made it ask for 857 GB, which aborted the process — refused
# before calamine now (reader._check_xls). 2 000 random damages of a small .xls: none got through.
@pytest.mark.parametrize("fmt", ["xlsx", *OFFICE])
def test_a_workbook_damaged_anywhere_is_read_or_refused_with_a_message_never_an_error(office, fmt, tmp_path):
    """Bytes flipped at random places: the reader either reads the file or raises ImportFileError."""
    source = OFFICE_WORKBOOKS["good"]() if fmt == "xlsx" else office[("good", fmt)]
    rng = random.Random(14)
    outcomes = set()
    for attempt in range(60):
        data = bytearray(source)
        for _flip in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)
        path = tmp_path / f"{attempt}.{fmt}"
        path.write_bytes(bytes(data))
        try:
            read_first_sheet(path, frozenset(HEADERS), path.name)
            outcomes.add("read")
        except ImportFileError as exc:
            assert str(exc)
            outcomes.add("refused")
    assert "refused" in outcomes
