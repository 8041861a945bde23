"""The aid distribution list import (帮扶/慰问发放名单): each row an AidRecord of a live member in scope,
under the rules of aid_record_create; idempotent; all or nothing; the import_aid command."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from federation.imports import engine
from federation.models import ImportBatch
from members.choices import AidKind, MembershipStatus
from members.imports.aid import AidListSpec
from members.models import AidRecord
from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory
from tests.support.import_sheets import (
    import_file,
    import_files_in_tmp,  # noqa: F401 — autouse
    problems_of,
    sheet_writer,
    validate,
)

HEADERS = ["身份证号", "姓名", "帮扶类型", "金额", "发放日期", "助学学生数", "资金来源", "备注"]
KIND = ImportBatch.Kind.AID


def aid_row(member, **changes) -> list:
    values = {
        "身份证号": member.id_number,
        "姓名": member.name,
        "帮扶类型": "节日慰问(送温暖)",
        "金额": 500,
        "发放日期": "2025-01-20",
        "助学学生数": None,
        "资金来源": "上级工会",
        "备注": "春节送温暖",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


@pytest.fixture
def sheet(tmp_path):
    return sheet_writer(tmp_path, HEADERS)


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="赵一")


@pytest.fixture
def member_b(union_b):
    return MemberFactory(union=union_b, name="钱二")


def test_list_becomes_aid_records_with_history(sheet, township, township_staff, member_a, member_b):
    path = sheet([aid_row(member_a), aid_row(member_b, 金额="300.50", 资金来源="")])

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert outcome.counts[engine.CREATE] == 2
    record = AidRecord.objects.get(member=member_b)
    assert (record.amount, record.union, record.kind) == (Decimal("300.50"), member_b.union, AidKind.FESTIVAL)
    assert record.fund_source == "own_funds"
    assert record.recorded_by == township_staff
    assert record.history.get().history_user == township_staff


def test_aid_is_filed_under_the_open_case_but_festival_visits_are_not(
    sheet, township, township_staff, member_a
):
    case = HardshipCaseFactory(member=member_a, opened_on=dt.date(2024, 12, 1))
    path = sheet([aid_row(member_a), aid_row(member_a, 帮扶类型="生活救助", 金额=1000)])

    import_file(path, kind=KIND, by=township_staff, federation=township)

    assert AidRecord.objects.get(kind=AidKind.FESTIVAL).hardship_case is None
    assert AidRecord.objects.get(kind=AidKind.LIVING).hardship_case == case


def test_reimporting_the_same_list_adds_nothing(sheet, township, township_staff, member_a, member_b):
    path = sheet([aid_row(member_a), aid_row(member_b)])
    import_file(path, kind=KIND, by=township_staff, federation=township)

    _batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township)

    assert outcome.counts[engine.UNCHANGED] == 2
    assert AidRecord.objects.count() == 2


def test_aid_on_file_with_another_amount_is_a_conflict(sheet, township, township_staff, member_a):
    AidRecordFactory(member=member_a, aid_on=dt.date(2025, 1, 20), amount=Decimal("200"))

    _batch, outcome = validate(sheet([aid_row(member_a)]), kind=KIND, by=township_staff, federation=township)

    assert "200.00元" in outcome.rows[0].conflict


def test_id_outside_scope_is_a_row_error(sheet, township, township_staff, member_a, outside_union):
    outsider = MemberFactory(union=outside_union)
    former = MemberFactory(
        union=member_a.union, status=MembershipStatus.WITHDRAWN, left_on=dt.date(2024, 1, 1)
    )
    path = sheet([aid_row(member_a), aid_row(outsider), aid_row(former)])

    batch, outcome = import_file(path, kind=KIND, by=township_staff, federation=township)

    assert batch.status == ImportBatch.Status.INVALID
    problems = problems_of(outcome)
    assert [p[:2] for p in problems] == [(3, "身份证号"), (4, "身份证号")]
    assert "不是您管辖范围内的在册会员" in problems[0][2]
    assert outsider.id_number not in problems[0][2]  # masked
    assert not AidRecord.objects.exists()  # all or nothing


def test_cadre_imports_only_for_their_own_union(sheet, union_a, cadre_a, member_a, member_b):
    _batch, outcome = validate(
        sheet([aid_row(member_a), aid_row(member_b)]), kind=KIND, by=cadre_a, union=union_a
    )

    assert [row.action for row in outcome.rows] == [engine.CREATE, engine.REJECT]


def test_name_must_match_the_member(sheet, township, township_staff, member_a):
    _batch, outcome = validate(
        sheet([aid_row(member_a, 姓名="赵壹")]), kind=KIND, by=township_staff, federation=township
    )

    assert problems_of(outcome) == [(2, "姓名", "姓名“赵壹”与该身份证号登记的会员姓名“赵一”不一致。")]


def test_rules_of_aid_record_create_apply_per_row(sheet, township, township_staff, member_a):
    HardshipCaseFactory(member=member_a, opened_on=dt.date(2025, 1, 1))
    path = sheet(
        [
            aid_row(member_a, 发放日期="2010-01-01"),  # before joining
            aid_row(member_a, 帮扶类型="助学(金秋助学)", 发放日期="2025-02-01"),  # no students
            aid_row(member_a, 帮扶类型="医疗救助", 助学学生数=1, 发放日期="2025-02-02"),
            aid_row(member_a, 金额=-5, 发放日期="2025-02-03"),
            aid_row(member_a, 金额=0, 发放日期="2025-02-04"),
            aid_row(member_a, 发放日期="2999-01-01"),
            aid_row(member_a, 帮扶类型="助学", 助学学生数=2, 发放日期="2025-02-05"),  # fine
        ]
    )

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township)

    by_row = {row: (column, message) for row, column, message in problems_of(outcome)}
    assert by_row[2] == ("发放日期", "发放日期不在该会员的会籍期间内。")
    assert by_row[3] == ("助学学生数", "助学帮扶请填写助学学生数。")
    assert by_row[4] == ("助学学生数", "只有助学帮扶填写助学学生数。")
    assert by_row[5][0].startswith("金额")
    assert by_row[6] == ("金额", "请填写金额或实物折价。")
    assert by_row[7] == ("发放日期", "日期不能晚于今天。")
    assert 8 not in by_row


def test_same_person_kind_and_date_twice_in_the_file_is_a_conflict(sheet, township, township_staff, member_a):
    path = sheet([aid_row(member_a), aid_row(member_a, 金额=600)])

    _batch, outcome = validate(path, kind=KIND, by=township_staff, federation=township)

    assert outcome.counts["conflicts"] == 2
    assert "第3行" in outcome.rows[0].conflict


def test_validation_queries_do_not_grow_with_rows(
    sheet, township, township_staff, union_a, django_assert_max_num_queries
):
    members = [MemberFactory(union=union_a) for _n in range(200)]
    for member in members[::10]:
        HardshipCaseFactory(member=member, opened_on=dt.date(2024, 1, 1))

    def validate_rows(n: int):
        rows = [aid_row(m, 帮扶类型="生活救助") for m in members[:n]]
        spec = AidListSpec(user=township_staff, federation=township)
        return engine.validate_file(spec, sheet(rows, name=f"{n}.xlsx"))

    with django_assert_max_num_queries(6) as small:
        assert validate_rows(20).may_commit
    with django_assert_max_num_queries(len(small)):
        assert validate_rows(200).may_commit


def test_command_imports_and_dry_run_writes_nothing(sheet, township, admin_user, member_a, capsys):
    path = sheet([aid_row(member_a)])

    call_command("import_aid", str(path), "--federation", township.name, "--dry-run")
    assert not AidRecord.objects.exists()

    call_command("import_aid", str(path), "--federation", township.name)
    assert AidRecord.objects.count() == 1
    assert "导入完成" in capsys.readouterr().out


def test_command_reports_errors_and_unknown_federation(sheet, township, admin_user, member_a, capsys):
    with pytest.raises(CommandError, match="文件有错误"):
        call_command(
            "import_aid", str(sheet([aid_row(member_a, 姓名="别人")])), "--federation", township.name
        )
    assert "第2行 姓名：" in capsys.readouterr().err

    with pytest.raises(CommandError, match="找不到工会联合会“无此联合会”"):
        call_command("import_aid", str(sheet([aid_row(member_a)])), "--federation", "无此联合会")
    assert not AidRecord.objects.exists()
