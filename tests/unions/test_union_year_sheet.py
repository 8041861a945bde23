"""The UnionYear fill sheet (年度职工情况填报表): downloaded with the figures on file, filled in Excel,
imported back."""

import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from federation.imports import engine
from federation.models import ImportBatch
from tests.support.factories import UnionFactory, UnionYearFactory
from tests.support.import_sheets import (
    import_file,
    import_files_in_tmp,  # noqa: F401 — autouse
    problems_of,
    validate,
    write_sheet,
)
from unions.choices import UnionStatus
from unions.models import UnionYear

KIND = ImportBatch.Kind.UNION_YEARS
URL = reverse("unions:year-sheet")


def download(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def sheet_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_sheet_lists_the_unions_in_scope_with_the_figures_on_file(
    client, township_staff, union_a, union_b, outside_union
):
    UnionYearFactory(union=union_a, year=2025, employees=200, women_employees=80, migrant_employees=10)
    UnionYearFactory(union=union_b, year=2024, employees=50)  # another year: not shown

    response = download(client, township_staff, year=2025)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][:7] == (
        "系统编号",
        "工会名称",
        "统一社会信用代码",
        "年度",
        "职工人数",
        "女职工人数",
        "农民工人数",
    )
    assert (union_a.pk, union_a.name, union_a.credit_code, 2025, 200, 80, 10) in [r[:7] for r in rows]
    assert (union_b.pk, union_b.name, union_b.credit_code, 2025, None, None, None) in [r[:7] for r in rows]
    assert all(row[0] != outside_union.pk for row in rows)


def test_only_the_figure_cells_are_unlocked(client, township_staff, union_a):
    workbook = load_workbook(io.BytesIO(download(client, township_staff, year=2025).content))
    sheet = workbook.worksheets[0]

    assert sheet.protection.sheet
    assert sheet["B2"].protection.locked
    assert not sheet["E2"].protection.locked and not sheet["G2"].protection.locked


def test_sheet_applies_the_list_filters_and_leaves_out_closed_unions(
    client, county_staff, union_a, union_b, township
):
    UnionFactory(federation=township, status=UnionStatus.DISSOLVED, status_changed_on="2024-01-01")

    rows = sheet_rows(download(client, county_staff, year=2025, federation=union_b.federation_id))

    assert [row[0] for row in rows[1:]] == [union_b.pk]


def test_chair_may_download_the_sheet_and_a_cadre_may_not(client, county_chair, cadre_a, union_a):
    assert download(client, county_chair).status_code == 200
    assert download(client, cadre_a).status_code == 403


def test_sheet_download_queries_are_constant(client, township_staff, township, django_assert_max_num_queries):
    for _n in range(30):
        UnionYearFactory(union=UnionFactory(federation=township), year=2025)
    client.force_login(township_staff)

    with django_assert_max_num_queries(8):
        assert client.get(URL, {"year": 2025}).status_code == 200


def test_union_list_links_to_the_sheet(client, township_staff, union_a):
    client.force_login(township_staff)

    assert URL.encode() in client.get(reverse("unions:list")).content


def test_filled_sheet_imports_back_and_a_reimport_changes_nothing(
    client, tmp_path, township, township_staff, union_a, union_b
):
    UnionYearFactory(union=union_a, year=2025, employees=200, women_employees=80, migrant_employees=10)
    workbook = load_workbook(io.BytesIO(download(client, township_staff, year=2025).content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == union_b.pk:
            row[4].value, row[5].value, row[6].value = 60, 30, 5
        if row[0].value == union_a.pk:
            row[4].value = 210
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert (outcome.counts[engine.CREATE], outcome.counts[engine.UPDATE]) == (1, 1)
    assert UnionYear.objects.get(union=union_a, year=2025).employees == 210
    created = UnionYear.objects.get(union=union_b, year=2025)
    assert (created.employees, created.women_employees, created.migrant_employees) == (60, 30, 5)
    assert created.history.get().history_user == township_staff

    _batch, again = import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)
    assert again.counts[engine.UNCHANGED] == 2
    assert UnionYear.history.count() == 3


def test_union_outside_scope_is_an_error_on_its_row(
    tmp_path, township, township_staff, union_a, outside_union
):
    headers = ["系统编号", "统一社会信用代码", "年度", "职工人数"]
    path = write_sheet(
        tmp_path / "y.xlsx",
        headers,
        [
            [outside_union.pk, "", 2025, 10],
            ["", outside_union.credit_code, 2025, 10],
            ["", union_a.credit_code, 2025, 10],
        ],
    )

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert batch.status == ImportBatch.Status.INVALID
    assert [p[:2] for p in problems_of(outcome)] == [(2, "系统编号"), (3, "统一社会信用代码")]
    assert not UnionYear.objects.exists()  # the good row was not written either


def test_parts_above_the_total_are_refused(tmp_path, township, township_staff, union_a):
    path = write_sheet(tmp_path / "y.xlsx", ["系统编号", "职工人数", "农民工人数"], [[union_a.pk, 10, 11]])

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert problems_of(outcome) == [(2, "农民工人数", "农民工人数不能超过职工人数。")]


def test_the_same_union_twice_with_different_figures_is_a_conflict(
    tmp_path, township, township_staff, union_a
):
    path = write_sheet(tmp_path / "y.xlsx", ["系统编号", "职工人数"], [[union_a.pk, 10], [union_a.pk, 12]])

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert outcome.rows[1].conflict


def test_import_validation_queries_do_not_grow_with_rows(
    tmp_path, township, township_staff, django_assert_max_num_queries
):
    unions = [UnionFactory(federation=township) for _n in range(200)]
    from unions.imports.union_list import UnionYearSpec

    def validate_rows(n: int):
        path = write_sheet(tmp_path / f"{n}.xlsx", ["系统编号", "职工人数"], [[u.pk, 10] for u in unions[:n]])
        return engine.validate_file(UnionYearSpec(user=township_staff, federation=township, year=2025), path)

    with django_assert_max_num_queries(5) as small:
        assert validate_rows(20).may_commit
    with django_assert_max_num_queries(len(small)):
        assert validate_rows(200).may_commit


def test_anonymous_is_sent_to_log_in_and_a_bad_year_falls_back_to_this_year(client, township_staff, union_a):
    assert client.get(URL).status_code == 302

    rows = sheet_rows(download(client, township_staff, year="abc"))

    assert rows[1][3] == timezone.localdate().year


def test_cadre_sees_no_sheet_link_on_the_union_list(client, cadre_a):
    client.force_login(cadre_a)

    assert URL.encode() not in client.get(reverse("unions:list")).content


# -- the statistical return's inputs (基层工会调查表) --

SURVEY_HEADERS = [
    "职代会职工代表人数",
    "其中女职工代表",
    "建立董事会",
    "职工董事人数",
    "其中女职工董事",
    "建立监事会",
    "职工监事人数",
    "其中女职工监事",
    "工会经费拨缴(元)",
    "会费收缴(元)",
]


def test_sheet_carries_the_statistical_return_inputs_unlocked_with_those_on_file(
    client, township_staff, union_a
):
    UnionYearFactory(
        union=union_a,
        year=2025,
        employees=200,
        congress_delegates=40,
        congress_delegates_women=15,
        has_board=True,
        worker_directors=2,
        funds_remitted=Decimal("48000.00"),
    )
    workbook = load_workbook(io.BytesIO(download(client, township_staff, year=2025).content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))

    assert list(rows[0][7:]) == SURVEY_HEADERS
    assert rows[1][7:] == (40, 15, "是", 2, None, None, None, None, 48000, None)
    assert not sheet["H2"].protection.locked and not sheet["Q2"].protection.locked


def test_statistical_return_inputs_import_back_and_blank_means_not_filled(
    client, tmp_path, township, township_staff, union_a
):
    UnionYearFactory(union=union_a, year=2025, employees=200, worker_supervisors=3)
    path = write_sheet(
        tmp_path / "y.xlsx",
        ["系统编号", "职工人数", *SURVEY_HEADERS],
        [[union_a.pk, 200, 35, 12, "否", 0, "", "是", "", "", "48,000.50", 3600]],
    )

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert batch.status == ImportBatch.Status.COMMITTED, problems_of(outcome)
    year = UnionYear.objects.get(union=union_a, year=2025)
    assert (year.congress_delegates, year.congress_delegates_women) == (35, 12)
    assert (year.has_board, year.worker_directors, year.worker_directors_women) == (False, 0, None)
    assert (year.has_supervisory_board, year.worker_supervisors) == (True, None)
    assert (year.funds_remitted, year.dues_collected) == (Decimal("48000.50"), Decimal("3600.00"))


def test_statistical_return_inputs_are_checked_with_chinese_messages(
    tmp_path, township, township_staff, union_a
):
    headers = ["系统编号", "职工人数", *SURVEY_HEADERS]
    path = write_sheet(
        tmp_path / "y.xlsx",
        headers,
        [
            [union_a.pk, 100, 10, 11, "", "", "", "", "", "", "", ""],
            [union_a.pk + 1, 100, "", "", "否", 2, "", "", "", "", "", ""],
            [union_a.pk + 2, 100, "", "", "", "", "", "", 1, 2, "", ""],
            [union_a.pk + 3, 100, "", "", "", "", "", "", "", "", -5, ""],
            [union_a.pk + 4, 100, -1, "", "也许", "", "", "", "", "", "", ""],
            [union_a.pk + 5, "", 30, "", "", "", "", "", "", "", "", ""],
        ],
    )

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township, year=2025)

    problems = problems_of(outcome)
    assert (2, "其中女职工代表", "女职工代表人数不能超过职代会职工代表人数。") in problems
    assert (3, "职工董事人数", "未建立董事会的单位不应有职工董事。") in problems
    assert (4, "其中女职工监事", "女职工监事人数不能超过职工监事人数。") in problems
    assert (5, "工会经费拨缴(元)（K列）", "金额不能为负数。") in problems
    assert (6, "职代会职工代表人数（C列）", "不能小于0。") in problems
    assert (6, "建立董事会（E列）", "请填“是”或“否”。") in problems
    assert (7, "职工人数", "填写了统计年报数据时，请填写职工人数。") in problems
    assert not UnionYear.objects.exists()


def test_year_form_keeps_the_statistical_return_inputs_and_refuses_parts_above_totals(
    client, township_staff, union_a
):
    client.force_login(township_staff)
    url = reverse("unions:year-create", args=[union_a.pk])
    data = {"year": 2025, "employees": 100, "women_employees": 40, "migrant_employees": 0}

    refused = client.post(url, {**data, "worker_directors": 1, "worker_directors_women": 2})
    assert refused.status_code == 200
    assert "女职工董事人数不能超过职工董事人数。" in refused.content.decode()
    negative = client.post(url, {**data, "dues_collected": "-1"})
    assert negative.status_code == 200 and not UnionYear.objects.exists()

    saved = client.post(url, {**data, "has_board": "true", "worker_directors": 1, "dues_collected": "3600"})
    assert saved.status_code == 302
    year = UnionYear.objects.get(union=union_a, year=2025)
    assert (year.has_board, year.worker_directors, year.dues_collected) == (True, 1, Decimal("3600"))
    assert year.congress_delegates is None
