"""Confirming a preview of a union list, a fill sheet of yearly figures or an aid list writes the plan
the preview showed, kept with the batch: only the rows whose plan may have changed since are planned
again (counted here by wrapping plan_batch), and a change that now fails a row refuses the batch with
nothing written — as the roster does (test_import_recheck)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from federation.imports.batches import batch_commit
from federation.models import ImportBatch
from members.choices import MembershipStatus
from members.imports.aid import AidListSpec
from members.models import AidRecord
from tests.support.factories import AidRecordFactory, MemberFactory, UnionFactory, UnionYearFactory
from tests.support.import_sheets import (
    import_files_in_tmp,  # noqa: F401 — autouse
    validate,
    write_sheet,
)
from tests.unions.test_union_import import HEADERS as UNION_HEADERS
from tests.unions.test_union_import import code, union_row
from unions.imports.union_list import UnionListSpec, UnionYearSpec
from unions.models import GrassrootsUnion, UnionYear

CHANGED = "预览之后数据有了变化"  # a row planned again now fails: nothing written
RECHECKED = "重新检查"  # the records the check watched changed: checked again, nothing written


def _checked(path, *, kind, by, planned=None, **scope) -> ImportBatch:
    """The file checked and ready to confirm; the rows planned again are counted from here on."""
    batch, outcome = validate(path, kind=kind, by=by, **scope)
    assert outcome is not None and outcome.may_commit, outcome and outcome.problems()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    if planned is not None:
        planned.restart()
    return batch


def _union_list(tmp_path, rows, by, federation, planned=None, headers=None) -> ImportBatch:
    path = write_sheet(tmp_path / "u.xlsx", headers or UNION_HEADERS, rows)
    return _checked(
        path, kind=ImportBatch.Kind.UNIONS, by=by, federation=federation, year=2025, planned=planned
    )


def _fill_sheet(tmp_path, rows, by, federation, planned=None) -> ImportBatch:
    path = write_sheet(tmp_path / "y.xlsx", YEAR_HEADERS, rows)
    return _checked(
        path, kind=ImportBatch.Kind.UNION_YEARS, by=by, federation=federation, year=2025, planned=planned
    )


def _aid_list(tmp_path, rows, by, federation, planned=None) -> ImportBatch:
    path = write_sheet(tmp_path / "a.xlsx", AID_HEADERS, rows)
    return _checked(path, kind=ImportBatch.Kind.AID, by=by, federation=federation, planned=planned)


class Planned(dict):
    """The sheet rows each spec plans again at the commit, per spec class."""

    def restart(self) -> None:
        for numbers in self.values():
            numbers.clear()


@pytest.fixture
def planned_again(monkeypatch) -> Planned:
    """The sheet rows each spec plans again (counted by wrapping plan_batch), per spec class."""
    seen = Planned({UnionListSpec: [], UnionYearSpec: [], AidListSpec: []})
    for spec, numbers in seen.items():
        original = spec.plan_batch

        def counted(self, rows, original=original, numbers=numbers):
            numbers.extend(row.number for row in rows)
            return original(self, rows)

        monkeypatch.setattr(spec, "plan_batch", counted)
    return seen


# -- 基层工会名单 --


def test_a_union_list_whose_records_did_not_change_is_written_without_planning_a_row_again(
    tmp_path, township, township_staff, union_a, outside_union, planned_again
):
    own = {"工会名称": union_a.name, "统一社会信用代码": union_a.credit_code}
    rows = [union_row(1), union_row(2), union_row(3, **own)]
    batch = _union_list(tmp_path, rows, township_staff, township, planned=planned_again)
    UnionFactory(federation=outside_union.federation)  # a change outside the federation's subtree

    batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionListSpec] == []
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.rows_created, batch.rows_updated) == (2, 1)
    assert GrassrootsUnion.objects.get(credit_code=code(2)).federation == township
    assert UnionYear.objects.get(union__credit_code=code(1), year=2025).employees == 100
    assert UnionYear.objects.get(union=union_a, year=2025).women_employees == 40


def test_a_credit_code_registered_outside_the_subtree_after_the_check_refuses_the_union_list(
    tmp_path, township, township_staff, other_county, planned_again
):
    batch = _union_list(
        tmp_path, [union_row(n) for n in (1, 2, 3)], township_staff, township, planned=planned_again
    )
    UnionFactory(federation=other_county, credit_code=code(2))  # out of the staff's reach

    with pytest.raises(ValidationError, match=CHANGED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionListSpec] == [3]  # sheet row 3 holds union 2; the others are not planned again
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert [(p["row"], p["conflict"]) for p in batch.report["problems"]] == [(3, True)]
    assert not GrassrootsUnion.objects.filter(federation=township).exists()
    assert not UnionYear.objects.exists()


def test_a_federation_renamed_after_the_check_refuses_the_rows_that_name_it(
    tmp_path, township, community, township_staff, planned_again
):
    headers = [*UNION_HEADERS, "所属联合会"]
    rows = [[*union_row(1), community.name], [*union_row(2), ""]]
    batch = _union_list(tmp_path, rows, township_staff, township, planned=planned_again, headers=headers)
    community.name = "测试社区工会联合会（新）"
    community.save()

    with pytest.raises(ValidationError, match=CHANGED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionListSpec] == [2]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert [p["row"] for p in batch.report["problems"]] == [2]
    assert not GrassrootsUnion.objects.exists()


def test_a_row_planned_again_that_now_repeats_a_row_kept_as_planned_is_a_conflict(
    tmp_path, township, community, township_staff, planned_again
):
    """Row 2 names the community, row 3 nothing (the township): two unions of the same name. Then the
    names change hands, and row 2 now names the township — the same new union as row 3."""
    headers = [*UNION_HEADERS, "所属联合会"]
    same = {"统一社会信用代码": "", "工会名称": "同名公司工会委员会"}
    rows = [[*union_row(1, **same), community.name], [*union_row(2, **same), ""]]
    batch = _union_list(tmp_path, rows, township_staff, township, planned=planned_again, headers=headers)
    old_name = community.name
    community.name = "测试社区工会联合会（新）"
    community.save()
    township.name = old_name
    township.save()

    with pytest.raises(ValidationError, match=CHANGED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionListSpec] == [2]
    batch.refresh_from_db()
    assert sorted(p["row"] for p in batch.report["problems"]) == [2, 3]
    assert not GrassrootsUnion.objects.exists()


def test_a_union_of_the_list_edited_after_the_check_rechecks_the_whole_list(
    tmp_path, township, township_staff, union_a, planned_again
):
    """Its union is among the records the plan was made against: checked again and shown again."""
    rows = [union_row(1), union_row(2, 工会名称=union_a.name, 统一社会信用代码=union_a.credit_code)]
    batch = _union_list(tmp_path, rows, township_staff, township, planned=planned_again)
    union_a.address = "刚改的地址"
    union_a.save()

    with pytest.raises(ValidationError, match=RECHECKED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionListSpec] == [2, 3]
    union_a.refresh_from_db()
    assert union_a.address == "刚改的地址"
    assert not GrassrootsUnion.objects.filter(credit_code=code(1)).exists()


# -- 年度职工情况 --

YEAR_HEADERS = ["系统编号", "年度", "职工人数", "女职工人数"]


def test_a_fill_sheet_whose_records_did_not_change_is_written_without_planning_a_row_again(
    tmp_path, township, township_staff, union_a, union_b, outside_union, planned_again
):
    UnionYearFactory(union=union_a, year=2025, employees=200, women_employees=80, migrant_employees=10)
    rows = [[union_a.pk, 2025, 210, 80], [union_b.pk, 2025, 60, 30]]
    batch = _fill_sheet(tmp_path, rows, township_staff, township, planned=planned_again)
    UnionYearFactory(union=outside_union, year=2025)  # a change outside the federation's subtree

    batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionYearSpec] == []
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.rows_created, batch.rows_updated) == (1, 1)
    assert UnionYear.objects.get(union=union_a, year=2025).employees == 210
    assert UnionYear.objects.get(union=union_b, year=2025).women_employees == 30


def test_a_union_moved_out_of_scope_after_the_check_refuses_the_fill_sheet(
    tmp_path, township, township_staff, union_a, union_b, other_county, planned_again
):
    rows = [[union_a.pk, 2025, 210, 80], [union_b.pk, 2025, 60, 30]]
    batch = _fill_sheet(tmp_path, rows, township_staff, township, planned=planned_again)
    union_b.federation = other_county
    union_b.save()

    with pytest.raises(ValidationError, match=RECHECKED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[UnionYearSpec] == [2, 3]  # the unions of the subtree are watched: every row again
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert [p["row"] for p in batch.report["problems"]] == [3]
    assert not UnionYear.objects.exists()


def test_figures_recorded_for_the_union_and_year_after_the_check_are_not_overwritten_unseen(
    tmp_path, township, township_staff, union_a, planned_again
):
    batch = _fill_sheet(tmp_path, [[union_a.pk, 2025, 210, 80]], township_staff, township)
    UnionYearFactory(union=union_a, year=2025, employees=205, women_employees=81, migrant_employees=0)

    with pytest.raises(ValidationError, match=RECHECKED):
        batch_commit(batch=batch, by=township_staff)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY  # the new preview: 更新 205 → 210
    assert batch.rows_updated == 1
    assert UnionYear.objects.get(union=union_a, year=2025).employees == 205


# -- 帮扶/慰问发放名单 --

AID_HEADERS = ["身份证号", "姓名", "帮扶类型", "金额", "发放日期"]


def _aid_row(member, amount=500) -> list:
    return [member.id_number, member.name, "节日慰问(送温暖)", amount, "2025-01-20"]


@pytest.fixture
def members(union_a, union_b):
    return [
        MemberFactory(union=union_a, name="赵一", joined_on=dt.date(2020, 1, 1)),
        MemberFactory(union=union_b, name="钱二", joined_on=dt.date(2020, 1, 1)),
    ]


def test_an_aid_list_whose_records_did_not_change_is_written_without_planning_a_row_again(
    tmp_path, township, township_staff, county_staff, outside_union, members, planned_again
):
    batch = _aid_list(
        tmp_path, [_aid_row(m) for m in members], township_staff, township, planned=planned_again
    )
    AidRecordFactory(member=MemberFactory(union=outside_union))  # a change outside the subtree

    batch_commit(batch=batch, by=county_staff)  # confirmed by a colleague above

    assert planned_again[AidListSpec] == []
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    records = AidRecord.objects.filter(member__in=members)
    assert records.count() == 2
    assert {r.recorded_by for r in records} == {county_staff}  # whoever confirms records the aid
    assert {r.union for r in records} == {m.union for m in members}


def test_aid_recorded_elsewhere_for_a_member_after_the_check_refuses_the_aid_list(
    tmp_path, township, township_staff, outside_union, members, planned_again
):
    batch = _aid_list(
        tmp_path, [_aid_row(m) for m in members], township_staff, township, planned=planned_again
    )
    # The same payment, another amount, kept by the union the member came from (outside the scope).
    AidRecordFactory(member=members[0], union=outside_union, amount=Decimal("300.00"))

    with pytest.raises(ValidationError, match=CHANGED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[AidListSpec] == [2]  # only the row of that member is planned again
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert [(p["row"], p["conflict"]) for p in batch.report["problems"]] == [(2, True)]
    assert not AidRecord.objects.filter(union__federation__in=[township]).exists()
    assert AidRecord.objects.count() == 1


def test_a_member_who_left_after_the_check_refuses_the_aid_list(
    tmp_path, township, township_staff, members, planned_again
):
    batch = _aid_list(
        tmp_path, [_aid_row(m) for m in members], township_staff, township, planned=planned_again
    )
    left = members[1]
    left.status, left.left_on = MembershipStatus.WITHDRAWN, dt.date(2025, 1, 1)
    left.save()

    with pytest.raises(ValidationError, match=RECHECKED):
        batch_commit(batch=batch, by=township_staff)

    assert planned_again[AidListSpec] == [2, 3]  # the members of the scope are watched: every row again
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert [p["row"] for p in batch.report["problems"]] == [3]
    assert not AidRecord.objects.exists()
