"""The statistics workbook of the annual summary, read back with openpyxl: labels in column A, this
year in B and last year in C, one sheet per section with its breakdowns, one row per union on
「基层工会», number formats, and bounded memory and queries for large federations."""

import dataclasses
import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest

from federation.models import FederationYear
from reports.indicators import BY_KEY, CORE_KEYS, INDICATORS, SECTIONS, compute_catalogue
from reports.summary.xlsx import render_summary_xlsx
from tests.support.factories import (
    AidRecordFactory,
    ContractFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)

Y = 2025
D = dt.date

# DESIGN.md, "The annual summary": the core labels, in the order of its table.
DESIGN_CORE_LABELS = [
    "基层工会数",
    "新建基层工会数",
    "覆盖单位数",
    "建会率",
    "职工总数",
    "女职工数",
    "会员总数",
    "女会员数",
    "农民工会员数",
    "新发展会员数",
    "入会率",
    "换届选举工会数",
    "集体合同签订数",
    "工资专项集体合同签订数",
    "集体合同覆盖基层工会数",
    "集体合同覆盖职工数",
    "集体合同签订率",
    "困难职工在档数",
    "解困脱困数",
    "帮扶金额",
    "帮扶人次",
    "金秋助学人数",
    "金秋助学金额",
    "送温暖慰问人次",
    "送温暖慰问金额",
    "活动场次",
    "活动参与人次",
]


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_by_label(sheet) -> dict:
    """Column A label → the row's cells, for the indicator table at the top of a sheet."""
    found = {}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value is None:
            break  # the indicator table ends at the first blank row
        found[row[0].value] = row
    return found


@pytest.fixture
def federation_with_records(township):
    """Two unions this year (one new), one of them last year too; members, aid and a contract."""
    old = UnionFactory(federation=township, name="老厂工会委员会", established_on=D(2010, 1, 1))
    new = UnionFactory(
        federation=township,
        name="新厂工会委员会",
        established_on=D(Y, 4, 1),
        union_type="joint",
        covered_employers=3,
    )
    UnionFactory(federation=township, name="已撤销工会", status="dissolved", status_changed_on=D(Y, 2, 1))
    UnionYearFactory(union=old, year=Y, employees=1200)
    UnionYearFactory(union=new, year=Y, employees=30)
    FederationYear.objects.create(federation=township, year=Y, employers_should_unionise=12)
    for _ in range(3):
        MemberFactory(union=old, joined_on=D(2020, 1, 1))
    member = MemberFactory(union=new, joined_on=D(Y, 5, 1))
    AidRecordFactory(member=member, kind="festival", amount=Decimal("1234.50"), aid_on=D(Y, 1, 20))
    AidRecordFactory(
        member=member, kind="education", amount=Decimal("2000"), students_helped=2, aid_on=D(Y, 8, 25)
    )
    ContractFactory(union=old, signed_on=D(Y, 3, 1), starts_on=D(Y, 3, 1), ends_on=D(Y + 2, 2, 28))
    return township


def test_main_sheet_gives_label_this_year_and_last_year(federation_with_records):
    book = workbook(render_summary_xlsx(federation_with_records, Y))
    sheet = book["主要指标"]
    assert [c.value for c in sheet[1]][:3] == ["指标", f"{Y}年", f"{Y - 1}年"]
    rows = rows_by_label(sheet)
    assert rows["基层工会数"][1].value == 2
    assert rows["基层工会数"][2].value == 2  # the old one and the one dissolved in Y
    assert rows["新建基层工会数"][1].value == 1
    assert rows["覆盖单位数"][1].value == 4
    assert rows["建会率"][1].value == pytest.approx(33.3)
    assert rows["建会率"][2].value is None  # no 应建会单位数 for last year: empty, not 0
    assert rows["会员总数"][1].value == 4
    assert rows["会员总数"][2].value == 3
    assert rows["职工总数"][1].value == 1230
    assert rows["帮扶金额"][1].value == pytest.approx(3234.5)
    assert rows["金秋助学人数"][1].value == 2
    assert rows["集体合同签订数"][1].value == 1


def test_main_sheet_carries_every_core_label_exactly_as_the_design(federation_with_records):
    sheet = workbook(render_summary_xlsx(federation_with_records, Y))["主要指标"]
    labels = list(rows_by_label(sheet))
    assert set(DESIGN_CORE_LABELS) <= set(labels)
    assert {str(BY_KEY[key].label) for key in CORE_KEYS} == set(DESIGN_CORE_LABELS)
    assert len(labels) == len([i for i in INDICATORS if not i.staff_only])


def test_numbers_are_formatted_by_unit(federation_with_records):
    sheet = workbook(render_summary_xlsx(federation_with_records, Y))["主要指标"]
    rows = rows_by_label(sheet)
    assert rows["会员总数"][1].number_format == "#,##0"
    assert rows["帮扶金额"][1].number_format == "#,##0.00"
    assert rows["帮扶金额"][2].number_format == "#,##0.00"
    assert rows["建会率"][1].number_format == "0.0"
    assert rows["建会率"][3].value == "%"
    assert sheet.freeze_panes == "A2"
    assert sheet[1][0].font.b
    assert sheet.column_dimensions["A"].width >= 20


def test_staff_only_indicators_are_not_in_the_workbook(federation_with_records):
    hidden = dataclasses.replace(
        BY_KEY["members"], key="invalid_ids", label="身份证号无效会员数", staff_only=True
    )
    catalogue = compute_catalogue(federation_with_records, Y)
    catalogue.indicators = [*catalogue.indicators, hidden]
    book = workbook(render_summary_xlsx(federation_with_records, Y, catalogue=catalogue))
    for sheet in book:
        assert all(cell.value != "身份证号无效会员数" for row in sheet.iter_rows() for cell in row)


def test_each_section_has_a_sheet_with_its_indicators_and_breakdown_tables(federation_with_records):
    book = workbook(render_summary_xlsx(federation_with_records, Y))
    assert book.sheetnames == ["主要指标", *[str(label) for label in SECTIONS.values()], "基层工会"]
    help_sheet = book["困难职工帮扶"]
    labels = rows_by_label(help_sheet)
    assert "帮扶金额" in labels and "基层工会数" not in labels
    values = [[c.value for c in row] for row in help_sheet.iter_rows()]
    title = next(i for i, row in enumerate(values) if row[0] == f"帮扶按类型（{Y}年）")
    assert values[title + 1][:3] == ["类型", "人次（人次）", "人数（人）"]
    by_kind = {row[0]: row for row in values[title + 2 : title + 5]}
    assert by_kind["节日慰问(送温暖)"][3] == pytest.approx(1234.5)
    assert by_kind["助学(金秋助学)"][4] == 2
    assert by_kind["合计"][3] == pytest.approx(3234.5)
    organisation = [[c.value for c in row] for row in book["组织建设"].iter_rows()]
    assert [f"基层工会按单位类型分组（{Y}年）"] == [
        row[0] for row in organisation if row[0] == f"基层工会按单位类型分组（{Y}年）"
    ]


def test_union_sheet_has_one_row_per_union_laid_out_like_the_statistical_return(federation_with_records):
    sheet = workbook(render_summary_xlsx(federation_with_records, Y))["基层工会"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    for heading in (
        "工会名称",
        "单位名称",
        "统一社会信用代码",
        "所属联合会",
        "单位性质",
        "基层工会类型",
        "覆盖单位数",
        "职工人数",
        "女职工",
        "农民工",
        "会员人数",
        "女会员",
        "农民工会员",
        "新发展会员",
        "集体合同覆盖",
        "在档困难职工",
        "帮扶金额（元）",
    ):
        assert heading in header
    body = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:-1]}
    assert set(body) == {"老厂工会委员会", "新厂工会委员会"}  # the dissolved union is not listed
    assert body["老厂工会委员会"]["集体合同覆盖"] == "是"
    assert body["新厂工会委员会"]["集体合同覆盖"] == "否"
    assert body["新厂工会委员会"]["基层工会类型"] == "联合基层工会"
    assert body["新厂工会委员会"]["覆盖单位数"] == 3
    assert body["老厂工会委员会"]["职工人数"] == 1200
    assert body["新厂工会委员会"]["新发展会员"] == 1
    assert len(body["老厂工会委员会"]["统一社会信用代码"]) == 18
    total = dict(zip(header, rows[-1], strict=True))
    assert total["工会名称"] == "合计（2个）"
    assert total["会员人数"] == 4
    money = sheet.cell(row=2, column=header.index("帮扶金额（元）") + 1)
    assert money.number_format == "#,##0.00"
    assert sheet.freeze_panes == "B2"


def test_union_sheet_lists_every_union_even_above_the_pdf_limit(township):
    for _ in range(450):
        UnionFactory(federation=township)
    sheet = workbook(render_summary_xlsx(township, Y))["基层工会"]
    assert sheet.max_row == 1 + 450 + 1  # header, unions, total


def _synthetic_union_rows(count: int):
    for n in range(count):
        yield {
            "name": f"测试{n}有限公司工会委员会",
            "employer_name": f"测试{n}有限公司",
            "credit_code": "91110105000000000X",
            "federation__name": "测试街道工会联合会",
            "employer_nature": "private",
            "group_label": "企业(内资)",
            "type_label": "独立基层工会",
            "covered_employers": 1,
            "employees": 120,
            "women_employees": 50,
            "migrant_employees": 20,
            "members": 110,
            "women_members": 45,
            "migrant_members": 18,
            "new_members": 5,
            "covered": n % 2 == 0,
            "open_cases": 1,
            "aid_amount": Decimal("1500.00"),
        }


def test_memory_does_not_grow_with_the_number_of_unions(township):
    catalogue = compute_catalogue(township, Y)
    tracemalloc.start()
    try:
        data = render_summary_xlsx(township, Y, catalogue=catalogue, rows=_synthetic_union_rows(2_000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A workbook held in memory needs about 11 MB for these 2 000 × 18 cells (and ten times that for a
    # city's 20 000 unions); streamed row by row, the peak is openpyxl's buffers, about 2 MB.
    assert peak < 5 * 1024 * 1024
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["基层工会"]
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 2_002


@pytest.mark.parametrize("size", [2, 20])
def test_workbook_costs_a_fixed_number_of_queries(township, size, django_assert_max_num_queries):
    for _ in range(size):
        union = UnionFactory(federation=township)
        UnionYearFactory(union=union, year=Y)
        AidRecordFactory(member=MemberFactory(union=union), aid_on=D(Y, 2, 1))
    with django_assert_max_num_queries(70):
        render_summary_xlsx(township, Y)
    catalogue = compute_catalogue(township, Y)
    with django_assert_max_num_queries(10):
        render_summary_xlsx(township, Y, catalogue=catalogue)
