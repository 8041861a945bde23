"""The UnionYear fill sheet (年度职工情况填报表): downloaded with the figures on file, filled in Excel,
imported back."""

import io

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
    assert rows[0] == (
        "系统编号",
        "工会名称",
        "统一社会信用代码",
        "年度",
        "职工人数",
        "女职工人数",
        "农民工人数",
    )
    assert (union_a.pk, union_a.name, union_a.credit_code, 2025, 200, 80, 10) in rows
    assert (union_b.pk, union_b.name, union_b.credit_code, 2025, None, None, None) in rows
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
