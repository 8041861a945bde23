"""The union list import (基层工会名单): matching, the model's rules per row, scoping, UnionYear figures,
all-or-nothing, idempotence, the import_unions command, and query counts constant in rows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from federation.identifiers import make_credit_code
from federation.imports import engine
from federation.imports.batches import batch_commit
from federation.models import ImportBatch
from members.imports.aid import AidListSpec
from tests.support.factories import UnionFactory, UnionYearFactory
from tests.support.import_sheets import (
    import_file,
    import_files_in_tmp,  # noqa: F401 — autouse
    problems_of,
    sheet_writer,
    validate,
)
from unions.imports.union_list import UnionListSpec, UnionYearSpec
from unions.models import GrassrootsUnion, UnionYear

HEADERS = [
    "工会名称",
    "单位名称",
    "统一社会信用代码",
    "基层工会类型",
    "覆盖单位数",
    "单位性质",
    "经济类型",
    "行业",
    "单位地址",
    "建会日期",
    "工会主席",
    "联系电话",
    "职工人数",
    "女职工人数",
    "农民工人数",
]
KIND = ImportBatch.Kind.UNIONS


def code(n: int) -> str:
    return make_credit_code("9", "1", "320102", f"{n:08d}Y")


def union_row(n: int, **changes) -> list:
    values = {
        "工会名称": f"导入{n}公司工会委员会",
        "单位名称": f"导入{n}公司",
        "统一社会信用代码": code(n),
        "基层工会类型": "独立基层工会",
        "覆盖单位数": 1,
        "单位性质": "私营",
        "经济类型": "私营",
        "行业": "制造业",
        "单位地址": "某路1号",
        "建会日期": "2016-04-01",
        "工会主席": "李明",
        "联系电话": "13800138000",
        "职工人数": 100,
        "女职工人数": 40,
        "农民工人数": 20,
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


@pytest.fixture
def sheet(tmp_path):
    return sheet_writer(tmp_path, HEADERS)


def test_import_creates_unions_with_their_year_figures_and_history(sheet, township, township_staff):
    path = sheet(
        [union_row(1), union_row(2, 工会名称="乙方工会", 职工人数=None, 女职工人数=None, 农民工人数=None)]
    )

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert outcome.counts[engine.CREATE] == 2
    union = GrassrootsUnion.objects.get(credit_code=code(1))
    assert union.federation == township
    assert union.chair_phone == "13800138000"
    assert union.industry == "C"
    assert union.election_due_on == dt.date(2021, 4, 1)  # computed as save() computes it
    assert union.history.get().history_user == township_staff
    year = UnionYear.objects.get(union=union)
    assert (year.year, year.employees, year.women_employees, year.migrant_employees) == (2025, 100, 40, 20)
    assert year.history.get().history_user == township_staff
    assert not UnionYear.objects.filter(union__credit_code=code(2)).exists()


def test_reimporting_the_same_list_leaves_everything_unchanged(sheet, township, township_staff):
    path = sheet([union_row(1), union_row(2, 统一社会信用代码="")])
    import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)
    history_before = GrassrootsUnion.history.count()

    _batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township, year=2025)

    assert outcome.counts[engine.UNCHANGED] == 2
    assert outcome.counts[engine.CREATE] == outcome.counts[engine.UPDATE] == 0
    assert GrassrootsUnion.objects.count() == 2
    assert GrassrootsUnion.history.count() == history_before


def test_existing_union_is_matched_by_credit_code_and_its_changed_fields_updated(
    sheet, township, township_staff
):
    union = UnionFactory(
        federation=township, credit_code=code(1), name="旧名称工会", established_on=dt.date(2016, 4, 1)
    )
    UnionYearFactory(union=union, year=2025, employees=80)

    _batch, outcome = import_file(
        sheet([union_row(1)]), kind=KIND, by=township_staff, federation=township, year=2025
    )

    assert outcome.counts[engine.UPDATE] == 1
    assert "name" in outcome.rows[0].changed_fields and "employees" in outcome.rows[0].changed_fields
    union.refresh_from_db()
    assert union.name == "导入1公司工会委员会"
    assert union.history.first().history_user == township_staff
    assert UnionYear.objects.get(union=union, year=2025).employees == 100


def test_union_without_credit_code_is_matched_by_federation_and_name(sheet, township, township_staff):
    union = UnionFactory(federation=township, credit_code=None, name="导入1公司工会委员会")

    import_file(sheet([union_row(1, 单位名称="新单位名")]), kind=KIND, by=township_staff, federation=township)

    union.refresh_from_db()
    assert union.employer_name == "新单位名"
    assert union.credit_code == code(1)  # filled in
    assert GrassrootsUnion.objects.count() == 1


def test_blank_cells_leave_the_fields_of_a_union_on_file_as_they_are(sheet, township, township_staff):
    union = UnionFactory(federation=township, credit_code=code(1), address="老地址", chair_name="王五")

    import_file(
        sheet([union_row(1, 单位地址="", 工会主席="")]), kind=KIND, by=township_staff, federation=township
    )

    union.refresh_from_db()
    assert (union.address, union.chair_name) == ("老地址", "王五")


def test_import_leaves_the_chair_and_term_of_a_union_on_file_to_elections(sheet, township, township_staff):
    union = UnionFactory(federation=township, credit_code=code(1), chair_name="王五", term_years=3)
    headers = [*HEADERS, "任期(年)"]

    import_file(
        sheet([[*union_row(1), "5年"]], headers=headers), kind=KIND, by=township_staff, federation=township
    )

    union.refresh_from_db()
    assert (union.chair_name, union.term_years) == ("王五", 3)
    assert union.employer_name == "导入1公司"


def test_union_of_another_federation_is_a_conflict(sheet, township, township_staff, other_county):
    UnionFactory(federation=other_county, credit_code=code(1))

    batch, outcome = validate(sheet([union_row(1)]), kind=KIND, by=township_staff, federation=township)

    assert batch.status == ImportBatch.Status.INVALID
    assert outcome.rows[0].conflict
    assert "管辖范围以外" in outcome.rows[0].conflict


def test_subordinate_federation_may_be_named_and_one_outside_scope_may_not(
    sheet, county, township, community, other_county, county_staff
):
    headers = ["所属联合会", *HEADERS]
    path = sheet(
        [
            [community.name, *union_row(1)],
            [other_county.name, *union_row(2)],
            ["", *union_row(3)],
        ],
        headers=headers,
    )

    _batch, outcome = validate(path, kind=KIND, by=county_staff, federation=township)

    assert [row.action for row in outcome.rows] == [engine.CREATE, engine.REJECT, engine.CREATE]
    assert outcome.rows[1].errors[0][0] == "所属联合会"
    assert "不是" in outcome.rows[1].errors[0][1]


def test_model_rules_apply_per_row_on_the_right_column(sheet, township, township_staff):
    path = sheet(
        [
            union_row(1, 覆盖单位数=3),  # an independent union covers one employer
            union_row(2, 基层工会类型="联合基层工会", 覆盖单位数=5),
            union_row(3, 联系电话="0571-8888"),
            union_row(4, 女职工人数=150),
            union_row(5, 单位性质="外星企业"),
            union_row(6, 建会日期="去年"),
        ]
    )

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township)

    by_row = {number: (column, message) for number, column, message in problems_of(outcome)}
    assert by_row[2] == ("覆盖单位数", "独立基层工会的覆盖单位数应为1。")
    assert 3 not in by_row
    assert by_row[4][0].startswith("联系电话")
    assert by_row[5] == ("女职工人数", "女职工人数不能超过职工人数。")
    assert by_row[6][0].startswith("单位性质")
    assert by_row[7][0].startswith("建会日期")


def test_women_without_employees_is_an_error_on_employees(sheet, township, township_staff):
    _batch, outcome = validate(
        sheet([union_row(1, 职工人数=None)]), kind=KIND, by=township_staff, federation=township
    )

    assert problems_of(outcome)[0][1] == "职工人数"


def test_a_file_with_one_bad_row_writes_nothing(sheet, township, township_staff):
    path = sheet([union_row(1), union_row(2), union_row(3, 覆盖单位数=2)])

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township)

    assert batch.status == ImportBatch.Status.INVALID
    assert outcome.counts[engine.CREATE] == 2 and outcome.counts[engine.REJECT] == 1
    assert not GrassrootsUnion.objects.exists()
    assert not UnionYear.objects.exists()


def test_same_name_twice_without_credit_code_is_a_conflict(sheet, township, township_staff):
    path = sheet([union_row(1, 统一社会信用代码=""), union_row(1, 统一社会信用代码="", 单位地址="别处")])

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township)

    assert outcome.rows[1].conflict and "第2行" in outcome.rows[1].conflict


def test_two_rows_reaching_the_same_union_on_file_are_a_conflict(sheet, township, township_staff):
    UnionFactory(federation=township, credit_code=code(1), name="导入1公司工会委员会")
    path = sheet([union_row(1), union_row(1, 统一社会信用代码="", 单位地址="别处")])

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township)

    assert outcome.counts["conflicts"] == 2


def test_an_identical_row_without_credit_code_is_taken_once(sheet, township, township_staff):
    path = sheet([union_row(1, 统一社会信用代码=""), union_row(1, 统一社会信用代码="")])

    import_file(path, kind=KIND, by=township_staff, federation=township)

    assert GrassrootsUnion.objects.count() == 1


def test_the_same_credit_code_with_different_values_is_a_conflict(sheet, township, township_staff):
    path = sheet([union_row(1), union_row(1, 单位地址="别处")])

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township)

    assert outcome.counts["conflicts"] == 2


def test_the_chair_may_not_import(sheet, county, county_chair):
    with pytest.raises(Exception, match="无权"):
        validate(sheet([union_row(1)]), kind=KIND, by=county_chair, federation=county)


def test_year_defaults_to_the_current_year(township, township_staff):
    assert UnionListSpec(user=township_staff, federation=township).year == timezone.localdate().year


def test_validation_queries_do_not_grow_with_rows(
    sheet, township, township_staff, django_assert_max_num_queries
):
    for n in range(0, 200, 10):  # some rows match unions on file, with figures on file
        UnionYearFactory(union=UnionFactory(federation=township, credit_code=code(n)), year=2025)

    def validate_rows(n: int):
        spec = UnionListSpec(user=township_staff, federation=township, year=2025)
        return engine.validate_file(spec, sheet([union_row(i) for i in range(n)], name=f"n{n}.xlsx"))

    with django_assert_max_num_queries(6) as small:
        assert validate_rows(20).may_commit
    with django_assert_max_num_queries(len(small)):
        assert validate_rows(200).may_commit


# -- the command --


def test_command_imports_the_file(sheet, township, admin_user, capsys):
    call_command("import_unions", str(sheet([union_row(1)])), "--federation", township.name, "--year", "2024")

    assert UnionYear.objects.get().year == 2024
    assert "新增1" in capsys.readouterr().out


def test_command_dry_run_writes_nothing(sheet, township, admin_user, capsys):
    call_command("import_unions", str(sheet([union_row(1)])), "--federation", township.name, "--dry-run")

    assert not GrassrootsUnion.objects.exists()
    assert "未写入任何数据" in capsys.readouterr().out
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED


def test_command_prints_errors_by_row_and_column_and_fails(sheet, township, admin_user, capsys):
    with pytest.raises(CommandError, match="文件有错误"):
        call_command("import_unions", str(sheet([union_row(1, 覆盖单位数=2)])), "--federation", township.name)

    assert "第2行 覆盖单位数：独立基层工会的覆盖单位数应为1。" in capsys.readouterr().err
    assert not GrassrootsUnion.objects.exists()


def test_command_refuses_an_unknown_federation_in_chinese(sheet, admin_user):
    with pytest.raises(CommandError, match="找不到工会联合会“不存在的联合会”"):
        call_command("import_unions", str(sheet([union_row(1)])), "--federation", "不存在的联合会")


def test_command_exits_with_status_1_on_errors(sheet, township, admin_user, capsys):
    from django.core.management import ManagementUtility

    path = sheet([union_row(1, 覆盖单位数=2)])
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_unions", str(path), "--federation", township.name]).execute()

    assert exited.value.code == 1
    assert "第2行" in capsys.readouterr().err


@pytest.mark.parametrize("spec", [UnionListSpec, UnionYearSpec, AidListSpec])
def test_every_column_has_an_example_that_cleans_and_a_note(spec):
    for column in spec.columns:
        column.clean(column.example)
        assert str(column.note)


def test_an_older_union_list_preview_confirmed_after_a_newer_import_is_rechecked_not_applied(
    sheet, township, township_staff
):
    import_file(sheet([union_row(1)]), kind=KIND, by=township_staff, federation=township)
    older, _ = validate(
        sheet([union_row(1, 单位地址="旧址1号")]), kind=KIND, by=township_staff, federation=township
    )
    newer, _ = validate(
        sheet([union_row(1, 单位地址="新址9号")]), kind=KIND, by=township_staff, federation=township
    )
    batch_commit(batch=newer, by=township_staff)

    with pytest.raises(ValidationError, match="重新检查"):
        batch_commit(batch=older, by=township_staff)

    older.refresh_from_db()
    assert older.status == ImportBatch.Status.READY
    assert GrassrootsUnion.objects.get(credit_code=code(1)).address == "新址9号"
