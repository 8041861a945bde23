"""The member roster import: columns by header, create / update / unchanged / conflict, all or nothing,
idempotence, the same result as member_join, constant queries, the template and the command."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from federation.imports import batches, engine
from federation.imports.template import build_template
from federation.models import ImportBatch
from members.choices import ChangeType, MembershipStatus
from members.imports.roster import MemberRosterSpec
from members.models import Member, MembershipChange
from members.services.membership import member_join, member_status_change
from tests.support.factories import MemberFactory
from tests.support.roster_workbooks import HEADERS, person, roster, write_roster
from unions.choices import UnionStatus


def validate(path, union, user):
    return engine.validate_file(MemberRosterSpec(user=user, union=union), path)


def import_file(path, union, user) -> ImportBatch:
    with open(path, "rb") as handle:
        batch = batches.batch_create(kind="members", file=handle, file_name=path.name, by=user, union=union)
    batches.batch_validate(batch)
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.READY:
        batch = batches.batch_commit(batch=batch, by=user)
    return batch


def test_a_roster_creates_members_with_their_join_entries(tmp_path, union_a, cadre_a):
    batch = import_file(roster(tmp_path / "r.xlsx", 5), union_a, cadre_a)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.rows_created == 5
    assert Member.objects.filter(union=union_a, status=MembershipStatus.ACTIVE).count() == 5
    assert MembershipChange.objects.filter(union=union_a, change_type=ChangeType.JOIN).count() == 5
    assert not batch.file


def test_columns_are_matched_by_header_text_in_any_order_and_unknown_ones_are_ignored(
    tmp_path, union_a, cadre_a
):
    headers = ["备注", *reversed(HEADERS)]
    path = write_roster(tmp_path / "r.xlsx", [person(1, 备注="随便写"), person(2)], headers)

    outcome = validate(path, union_a, cadre_a)

    assert outcome.counts[engine.CREATE] == 2
    assert any("备注" in notice and "忽略" in notice for notice in outcome.notices)
    assert outcome.rows[0].values["name"] == "职工1"


def test_aliases_and_short_spellings_are_accepted(tmp_path, union_a, cadre_a):
    row = person(1, 民族="汉", 学历="本科", 政治面貌="党员")
    row["手机"] = row.pop("手机号码")
    row["身份证号码"] = row.pop("身份证号")
    path = write_roster(tmp_path / "r.xlsx", [row])

    outcome = validate(path, union_a, cadre_a)

    values = outcome.rows[0].values
    assert outcome.may_commit, outcome.problems()
    assert (values["ethnicity"], values["education"], values["political_status"]) == (
        "01",
        "bachelor",
        "cpc_member",
    )
    assert values["mobile"] == "13800000001"


def test_gender_and_birth_date_come_from_the_id_number_when_blank(tmp_path, union_a, cadre_a):
    path = write_roster(tmp_path / "r.xlsx", [person(3, 性别=None, 出生日期=None)])

    import_file(path, union_a, cadre_a)

    member = Member.objects.get()
    expected = person(3)
    assert member.gender == "M"
    assert member.birth_date == expected["出生日期"]


def test_a_gender_or_birth_date_that_disagrees_with_the_id_is_an_error_on_its_column(
    tmp_path, union_a, cadre_a
):
    path = write_roster(tmp_path / "r.xlsx", [person(3, 性别="女", 出生日期=dt.date(1999, 1, 1))])

    problems = validate(path, union_a, cadre_a).problems()

    assert {p["column"] for p in problems} == {"性别", "出生日期"}
    assert all(p["row"] == 2 for p in problems)


def test_a_missing_required_column_refuses_the_whole_file(tmp_path, union_a, cadre_a):
    headers = [h for h in HEADERS if h != "入会日期"]
    path = write_roster(tmp_path / "r.xlsx", [person(1)], headers)
    with open(path, "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )

    batches.batch_validate(batch)

    assert batch.status == ImportBatch.Status.FAILED
    assert "入会日期" in batch.message


def test_a_file_with_one_bad_row_writes_nothing(tmp_path, union_a, cadre_a):
    rows = [person(n) for n in range(4)] + [person(9, 入会日期="明年")]
    batch = import_file(write_roster(tmp_path / "r.xlsx", rows), union_a, cadre_a)

    assert batch.status == ImportBatch.Status.INVALID
    assert batch.rows_rejected == 1
    assert batch.report["problems"][0]["row"] == 6
    assert batch.report["problems"][0]["column"].startswith("入会日期")
    assert not Member.objects.exists()
    with pytest.raises(Exception, match="不能确认导入"):
        batches.batch_commit(batch=batch, by=cadre_a)


def test_a_join_date_in_the_future_is_refused(tmp_path, union_a, cadre_a):
    path = write_roster(
        tmp_path / "r.xlsx", [person(1, 入会日期=timezone.localdate() + dt.timedelta(days=3))]
    )

    problems = validate(path, union_a, cadre_a).problems()

    assert problems[0]["column"] == "入会日期"


def test_existing_members_are_updated_or_left_unchanged_and_others_of_another_union_conflict(
    tmp_path, union_a, union_b, township_staff
):
    # union_b is within the township's staff's scope, so the conflict names it (see test_roster_oracle).
    cadre_a = township_staff
    same = MemberFactory(union=union_a, id_number=person(1)["身份证号"], name="职工1", join_entry=False)
    import_file(write_roster(tmp_path / "first.xlsx", [person(2)]), union_a, cadre_a)
    elsewhere = MemberFactory(union=union_b, id_number=person(3)["身份证号"], join_entry=False)
    rows = [person(1), person(2), person(3), person(4)]
    rows[1]["工作岗位"] = "班组长"

    outcome = validate(write_roster(tmp_path / "r.xlsx", rows), union_a, cadre_a)

    counts = outcome.counts
    assert (counts["create"], counts["update"], counts["unchanged"], counts["conflicts"]) == (1, 2, 0, 1)
    by_row = {row.number: row for row in outcome.rows}
    assert "job" in by_row[3].changed_fields
    assert by_row[2].target == same.pk
    assert f"“{union_b.name}”的在册会员" in by_row[4].conflict
    assert "会籍转接" in by_row[4].conflict
    elsewhere.refresh_from_db()
    assert elsewhere.union == union_b


def test_the_same_id_twice_in_the_file_is_a_conflict_on_both_rows(tmp_path, union_a, cadre_a):
    rows = [person(1), person(2), person(1, 姓名="别人")]

    outcome = validate(write_roster(tmp_path / "r.xlsx", rows), union_a, cadre_a)

    conflicts = {p["row"] for p in outcome.problems() if p["conflict"]}
    assert conflicts == {2, 4}
    assert not outcome.may_commit


def test_a_former_member_rejoins_as_a_new_membership(tmp_path, union_a, cadre_a):
    first = member_join(union=union_a, by=cadre_a, joined_on=dt.date(2019, 1, 1), **_fields(person(1)))
    member_status_change(
        member=first,
        change_type=ChangeType.WITHDRAW,
        changed_on=dt.date(2020, 1, 1),
        by=cadre_a,
        reason="personal",
    )

    batch = import_file(write_roster(tmp_path / "r.xlsx", [person(1)]), union_a, cadre_a)

    assert batch.rows_created == 1
    assert Member.objects.filter(id_number=first.id_number).count() == 2


def test_reimporting_the_same_file_changes_nothing(tmp_path, union_a, cadre_a):
    path = roster(tmp_path / "r.xlsx", 20)
    import_file(path, union_a, cadre_a)
    history_rows = Member.history.count() + MembershipChange.history.count()

    batch = import_file(path, union_a, cadre_a)

    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 0, 20)
    assert Member.history.count() + MembershipChange.history.count() == history_rows
    assert Member.objects.count() == 20


def test_an_update_writes_the_changed_fields_with_history_by_the_importer(tmp_path, union_a, cadre_a):
    import_file(write_roster(tmp_path / "a.xlsx", [person(1)]), union_a, cadre_a)

    batch = import_file(
        write_roster(tmp_path / "b.xlsx", [person(1, 工作岗位="班组长", 入会日期=dt.date(2021, 1, 1))]),
        union_a,
        cadre_a,
    )

    member = Member.objects.get()
    assert batch.rows_updated == 1
    assert member.job == "班组长"
    assert member.joined_on == dt.date(2020, 5, 1)  # the join date of a member on file is kept
    assert any("入会日期不会被修改" in n for n in batch.report["notices"])
    latest = member.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == cadre_a


def test_a_blank_cell_leaves_the_members_value_as_it_is(tmp_path, union_a, cadre_a):
    import_file(write_roster(tmp_path / "a.xlsx", [person(1)]), union_a, cadre_a)

    outcome = validate(
        write_roster(tmp_path / "b.xlsx", [person(1, 手机号码=None, 是否工会干部=None)]), union_a, cadre_a
    )

    assert outcome.counts["unchanged"] == 1


def _fields(row: dict) -> dict:
    return {
        "name": row["姓名"],
        "gender": "M" if row["性别"] == "男" else "F",
        "birth_date": row["出生日期"],
        "id_number": row["身份证号"],
        "education": "bachelor",
        "mobile": row["手机号码"],
        "hukou_type": "non_agricultural",
        "member_number": row["会员证号"],
        "job": row["工作岗位"],
    }


def test_an_imported_member_equals_one_made_by_member_join(tmp_path, union_a, cadre_a):
    joined = member_join(union=union_a, by=cadre_a, joined_on=dt.date(2020, 5, 1), **_fields(person(1)))
    import_file(write_roster(tmp_path / "r.xlsx", [person(3)]), union_a, cadre_a)
    imported = Member.objects.exclude(pk=joined.pk).get()

    skip = {"id", "created_at", "updated_at", "name", "id_number", "birth_date", "mobile", "member_number"}
    fields = [f.attname for f in Member._meta.concrete_fields if f.attname not in skip]
    assert {f: getattr(imported, f) for f in fields} == {f: getattr(joined, f) for f in fields}
    change_fields = (
        "union_id",
        "change_type",
        "changed_on",
        "reason",
        "counterpart_union_id",
        "transfer_id",
        "notes",
        "recorded_by_id",
    )
    imported_change, joined_change = imported.changes.get(), joined.changes.get()
    assert [getattr(imported_change, f) for f in change_fields] == [
        getattr(joined_change, f) for f in change_fields
    ]
    for obj in (imported, imported_change):
        record = obj.history.get()
        assert (record.history_type, record.history_user) == ("+", cadre_a)
        own = [f.attname for f in type(obj)._meta.concrete_fields]
        assert {f: getattr(record, f) for f in own} == {f: getattr(obj, f) for f in own}


def test_a_union_that_is_no_longer_active_takes_no_roster(tmp_path, union_a, cadre_a):
    union_a.status, union_a.status_changed_on = UnionStatus.DISSOLVED, dt.date(2024, 1, 1)
    union_a.save()

    batch = import_file(roster(tmp_path / "r.xlsx", 2), union_a, cadre_a)

    assert batch.status == ImportBatch.Status.FAILED
    assert "不能导入会员" in batch.message


def test_validation_queries_do_not_grow_with_the_rows(
    tmp_path, union_a, cadre_a, django_assert_max_num_queries
):
    small, big = roster(tmp_path / "s.xlsx", 50), roster(tmp_path / "b.xlsx", 500, start=1000)
    MemberFactory(union=union_a, id_number=person(1)["身份证号"], join_entry=False)
    MemberFactory(union=union_a, id_number=person(1001)["身份证号"], join_entry=False)

    with django_assert_max_num_queries(3):
        validate(small, union_a, cadre_a)
    with django_assert_max_num_queries(3):
        validate(big, union_a, cadre_a)


def test_the_template_has_the_headers_dropdowns_formats_and_instructions():
    workbook = load_workbook(BytesIO(build_template(MemberRosterSpec)))

    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:15] == HEADERS
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation}
    letter = {h: chr(65 + i) for i, h in enumerate(headers)}
    assert lists[letter["性别"]] == '"男,女"'
    assert lists[letter["是否工会干部"]] == '"是,否"'
    assert "可选值" in lists[letter["民族"]]  # 57 nationalities: longer than Excel's 255 characters
    assert workbook["可选值"].sheet_state == "hidden"
    assert sheet.cell(row=2, column=headers.index("身份证号") + 1).number_format == "@"
    assert sheet.cell(row=2, column=headers.index("入会日期") + 1).number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2"
    instructions = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
    assert "身份证号" in instructions and "是否工会干部" in instructions


def test_the_downloaded_template_imports_once_its_example_row_is_replaced(tmp_path, union_a, cadre_a):
    workbook = load_workbook(BytesIO(build_template(MemberRosterSpec)))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for header, value in person(7).items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    batch = import_file(path, union_a, cadre_a)

    assert batch.status == ImportBatch.Status.COMMITTED, batch.report
    assert Member.objects.get().name == "职工7"
    # The template's own instructions sheet is not reported as a sheet left out.
    assert batch.report["notices"] == []


def test_the_example_row_of_the_template_is_itself_valid(tmp_path, union_a, cadre_a):
    # Left untouched the example row is skipped (tests/federation/test_import_example_row.py); with
    # another name it is one person, written exactly the way the template shows.
    workbook = load_workbook(BytesIO(build_template(MemberRosterSpec)))
    sheet = workbook.worksheets[0]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("姓名") + 1, value="张三丰")
    path = tmp_path / "template.xlsx"
    workbook.save(path)

    outcome = validate(path, union_a, cadre_a)

    assert outcome.may_commit, outcome.problems()
    assert outcome.counts[engine.CREATE] == 1


def test_the_command_dry_run_writes_nothing(tmp_path, union_a, admin_user, capsys):
    call_command("import_members", str(roster(tmp_path / "r.xlsx", 3)), "--union", union_a.name, "--dry-run")

    assert "试运行" in capsys.readouterr().out
    assert not Member.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED


def test_the_command_imports_as_the_given_user(tmp_path, union_a, cadre_a, capsys):
    call_command(
        "import_members", str(roster(tmp_path / "r.xlsx", 3)), "--union", union_a.name, "--user", "cadre_a"
    )

    assert "导入完成" in capsys.readouterr().out
    assert Member.objects.filter(union=union_a).count() == 3
    assert Member.history.first().history_user == cadre_a


def test_the_command_prints_errors_by_row_and_column_and_fails(tmp_path, union_a, admin_user, capsys):
    path = write_roster(tmp_path / "r.xlsx", [person(1), person(2, 手机号码="12345")])

    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_members", str(path), "--union", union_a.name)

    assert "第3行 手机号码" in capsys.readouterr().err
    assert not Member.objects.exists()


def test_the_command_refuses_an_unknown_or_ambiguous_union(tmp_path, union_a, admin_user):
    from tests.support.factories import UnionFactory

    path = roster(tmp_path / "r.xlsx", 1)
    with pytest.raises(CommandError, match="找不到名为"):
        call_command("import_members", str(path), "--union", "没有这个工会")
    UnionFactory(federation=union_a.federation, name=union_a.name)
    with pytest.raises(CommandError, match="有多个基层工会名为"):
        call_command("import_members", str(path), "--union", union_a.name)
    assert not ImportBatch.objects.exists()


def test_spaces_put_inside_a_chinese_name_to_line_it_up_are_removed(tmp_path, union_a, cadre_a):
    path = write_roster(tmp_path / "r.xlsx", [person(1, 姓名="张　三")])

    batch = import_file(path, union_a, cadre_a)

    assert batch.status == ImportBatch.Status.COMMITTED, batch.report
    assert Member.objects.get().name == "张三"
