"""Confirming a preview writes only what the preview showed: when the records it was checked against
changed since (another import of the same union, an edit), the batch is checked again and the new
preview shown, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from federation.imports import batches
from federation.models import ImportBatch
from members.choices import MembershipStatus
from members.imports.roster import MemberRosterSpec
from members.models import Member
from tests.support.factories import MemberFactory
from tests.support.roster_workbooks import person, write_roster

# The queries of confirming a roster import whatever its size (31 on PostgreSQL for 3 rows and for 40;
# 31 and 32 on SQLite, whose bulk inserts split at its parameter limit): the batch, the watched
# records, one set query for the rows to plan again, the writes in bulk and their history — none per
# row.
COMMIT_QUERIES = 32


def _checked(path, union, user) -> ImportBatch:
    with open(path, "rb") as handle:
        batch = batches.batch_create(kind="members", file=handle, file_name=path.name, by=user, union=union)
    batches.batch_validate(batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    return batch


def test_confirming_an_older_preview_after_a_later_import_rechecks_instead_of_writing(
    client, tmp_path, union_a, cadre_a
):
    member = MemberFactory(union=union_a, id_number=person(1)["身份证号"], job="仓管员", join_entry=False)
    older = _checked(write_roster(tmp_path / "old.xlsx", [person(1, 工作岗位="操作工")]), union_a, cadre_a)
    newer = _checked(write_roster(tmp_path / "new.xlsx", [person(1, 工作岗位="班组长")]), union_a, cadre_a)
    batches.batch_commit(batch=newer, by=cadre_a)
    member.refresh_from_db()
    assert member.job == "班组长"

    client.force_login(cadre_a)
    client.post(reverse("imports:confirm", args=[older.pk]))
    page = client.get(reverse("imports:detail", args=[older.pk]))

    member.refresh_from_db()
    assert member.job == "班组长"  # the later import's change stands
    older.refresh_from_db()
    assert older.status == ImportBatch.Status.READY
    assert older.committed_at is None
    assert "已按现在的数据重新检查，未写入任何数据" in page.text
    assert "确认导入" in page.text  # the new preview, to be confirmed again
    assert older.rows_updated == 1  # the new check: 班组长 → 操作工, shown before anything is written

    client.post(reverse("imports:confirm", args=[older.pk]))  # confirmed again, knowingly
    older.refresh_from_db()
    member.refresh_from_db()
    assert older.status == ImportBatch.Status.COMMITTED
    assert member.job == "操作工"


def test_an_edit_of_a_member_of_the_union_after_the_check_also_rechecks(tmp_path, union_a, cadre_a):
    batch = _checked(write_roster(tmp_path / "r.xlsx", [person(1), person(2)]), union_a, cadre_a)
    MemberFactory(union=union_a)  # someone joined through the staff pages meanwhile

    with pytest.raises(ValidationError, match="重新检查"):
        batches.batch_commit(batch=batch, by=cadre_a)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    assert Member.objects.filter(union=union_a).count() == 1


def test_a_change_elsewhere_does_not_hold_up_the_confirmation(tmp_path, union_a, union_b, cadre_a):
    batch = _checked(write_roster(tmp_path / "r.xlsx", [person(1)]), union_a, cadre_a)
    MemberFactory(union=union_b)

    batches.batch_commit(batch=batch, by=cadre_a)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


# -- what the commit checks again: only what can have changed since the preview --


def test_a_member_with_the_same_id_added_elsewhere_after_the_check_is_caught_at_the_commit(
    tmp_path, union_a, union_b, cadre_a
):
    batch = _checked(write_roster(tmp_path / "r.xlsx", [person(1), person(2), person(3)]), union_a, cadre_a)
    # Between the preview and the confirmation, person 2 joins another union (the staff pages).
    MemberFactory(union=union_b, id_number=person(2)["身份证号"])

    with pytest.raises(ValidationError, match="出现了错误或冲突"):
        batches.batch_commit(batch=batch, by=cadre_a)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert [(p["row"], p["conflict"]) for p in batch.report["problems"]] == [(3, True)]
    assert "在册会员" in batch.report["problems"][0]["message"]
    assert not Member.objects.filter(union=union_a).exists()  # nothing written, no one twice
    assert Member.objects.filter(id_number=person(2)["身份证号"]).count() == 1


def test_a_former_member_elsewhere_is_no_reason_to_plan_again(
    tmp_path, union_a, union_b, cadre_a, monkeypatch
):
    """Only a live membership clashes: someone who left another union after the check changes nothing."""
    left = MemberFactory(
        union=union_b, id_number=person(1)["身份证号"], status=MembershipStatus.WITHDRAWN, join_entry=False
    )
    assert not left.is_live
    batch = _checked(write_roster(tmp_path / "r.xlsx", [person(1)]), union_a, cadre_a)
    monkeypatch.setattr(MemberRosterSpec, "plan_batch", _no_planning)

    batches.batch_commit(batch=batch, by=cadre_a)

    assert Member.objects.filter(union=union_a, id_number=person(1)["身份证号"]).exists()


def _no_planning(self, rows):
    raise AssertionError(f"{len(rows)} rows planned again at the commit")


@pytest.mark.parametrize("size", [3, 40])
def test_when_nothing_changed_the_commit_plans_no_row_again_in_a_fixed_number_of_queries(
    tmp_path, union_a, cadre_a, monkeypatch, django_assert_max_num_queries, size
):
    MemberFactory(union=union_a, id_number=person(1)["身份证号"], job="仓管员", join_entry=False)
    rows = [
        person(1, 工作岗位="班组长"),
        *[person(n) for n in range(2, size + 1)],
    ]  # one update, the rest new
    batch = _checked(write_roster(tmp_path / "r.xlsx", rows), union_a, cadre_a)
    monkeypatch.setattr(MemberRosterSpec, "plan_batch", _no_planning)

    # The same number of queries for 3 rows and for 40: none per row.
    with django_assert_max_num_queries(COMMIT_QUERIES):
        batches.batch_commit(batch=batch, by=cadre_a)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.rows_created, batch.rows_updated) == (size - 1, 1)
    assert Member.objects.filter(union=union_a).count() == size
    assert Member.objects.get(id_number=person(1)["身份证号"]).job == "班组长"


def test_only_the_row_whose_person_became_a_member_elsewhere_is_planned_again(
    tmp_path, union_a, union_b, cadre_a, monkeypatch
):
    batch = _checked(write_roster(tmp_path / "r.xlsx", [person(n) for n in range(1, 6)]), union_a, cadre_a)
    MemberFactory(union=union_b, id_number=person(4)["身份证号"])  # joins another union meanwhile
    planned_again = []
    plan_batch = MemberRosterSpec.plan_batch

    def counted(self, rows):
        planned_again.extend(row.number for row in rows)
        return plan_batch(self, rows)

    monkeypatch.setattr(MemberRosterSpec, "plan_batch", counted)

    with pytest.raises(ValidationError, match="预览之后数据有了变化"):
        batches.batch_commit(batch=batch, by=cadre_a)

    assert planned_again == [5]  # row 5 of the sheet holds person 4; the other four are not checked again
    batch.refresh_from_db()
    assert [p["row"] for p in batch.report["problems"]] == [5]
    assert not Member.objects.filter(union=union_a).exists()
