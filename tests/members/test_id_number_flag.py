"""Member.id_number_valid: every writer of a member's ID number keeps it, so that the 工作台's
身份证号无效 check reads a flag through a small index instead of computing every check digit."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as global_apps
from django.db.models import Q

from federation.identifiers import make_resident_id, resident_id_invalid_q, resident_id_well_formed
from members.choices import IdType
from members.imports.roster import MemberRosterSpec
from members.models import Member
from members.models.membership import member_id_number_valid
from members.services.membership import member_join
from tests.members.test_member_import import import_file
from tests.support.factories import MemberFactory
from tests.support.roster_workbooks import roster

GOOD = make_resident_id("110105", dt.date(1985, 3, 4), 12, "M")
BAD = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")


def _flag(member) -> bool:
    return Member.objects.values_list("id_number_valid", flat=True).get(pk=member.pk)


@pytest.mark.parametrize(
    "value",
    [GOOD, BAD, "", "11010519850304001", GOOD.lower(), "0" + GOOD[1:], "A" * 18, GOOD[:17] + "X", GOOD + "1"],
)
def test_the_python_rule_is_the_databases_rule(db, union_a, value):
    member = MemberFactory(union=union_a)
    Member.objects.filter(pk=member.pk).update(id_number=value, id_number_valid=True)
    invalid_in_sql = Member.objects.filter(Q(pk=member.pk) & resident_id_invalid_q("id_number")).exists()
    assert resident_id_well_formed(value) is not invalid_in_sql


def test_a_member_who_joins_through_the_service_is_valid(db, union_a, cadre_a):
    member = member_join(
        union=union_a, by=cadre_a, joined_on=dt.date(2020, 1, 1), name="王五", gender="M",
        birth_date=dt.date(1985, 3, 4), id_number=GOOD,
    )  # fmt: skip
    assert _flag(member) is True


def test_saving_a_member_computes_the_flag_also_with_update_fields(db, union_a):
    member = MemberFactory(union=union_a)
    assert _flag(member) is True
    member.id_number = BAD
    member.save(update_fields=["id_number"])
    assert _flag(member) is False
    member.id_number = GOOD
    member.save()
    assert _flag(member) is True


def test_another_kind_of_id_has_no_check_digit_to_fail(db, union_a):
    member = MemberFactory(union=union_a, id_type=IdType.PASSPORT, id_number="E12345678")
    assert _flag(member) is True


def test_bulk_create_sets_the_flag(db, union_a):
    Member.objects.bulk_create(
        [
            Member(union=union_a, name="甲", gender="M", birth_date=dt.date(1985, 3, 4), id_number=GOOD,
                   joined_on=dt.date(2020, 1, 1)),
            Member(union=union_a, name="乙", gender="M", birth_date=dt.date(1985, 3, 4), id_number=BAD,
                   joined_on=dt.date(2020, 1, 1)),
        ]
    )  # fmt: skip
    assert Member.objects.get(name="甲").id_number_valid is True
    assert Member.objects.get(name="乙").id_number_valid is False


def test_bulk_update_of_the_number_updates_the_flag(db, union_a):
    member = MemberFactory(union=union_a)
    member.id_number = BAD
    Member.objects.bulk_update([member], ["id_number"])
    assert _flag(member) is False


def test_update_of_the_number_updates_the_flag_even_when_the_filter_named_the_old_number(db, union_a):
    member = MemberFactory(union=union_a)
    Member.objects.filter(id_number=member.id_number).update(id_number=BAD)
    assert _flag(member) is False
    Member.objects.filter(id_number=BAD).update(id_type=IdType.PASSPORT)
    assert _flag(member) is True


def test_a_roster_import_writes_the_flag_of_every_new_member(tmp_path, union_a, cadre_a):
    import_file(roster(tmp_path / "r.xlsx", 5), union_a, cadre_a)
    assert Member.objects.filter(union=union_a).count() == 5
    assert set(Member.objects.filter(union=union_a).values_list("id_number_valid", flat=True)) == {True}


def test_the_roster_rows_carry_the_flag_past_member_save(union_a, cadre_a):
    # On PostgreSQL the rows go in by COPY, which no model method sees: the row must say it.
    spec = MemberRosterSpec(user=cadre_a, union=union_a)
    row = spec._new_member(
        {"name": "丙", "id_number": GOOD, "gender": "M", "birth_date": dt.date(1985, 3, 4),
         "joined_on": dt.date(2020, 1, 1)},
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    assert row["id_number_valid"] is True


def test_the_migration_marks_only_the_invalid_numbers(db, union_a):
    good, bad, passport = MemberFactory.create_batch(3, union=union_a)
    Member.objects.filter(pk=bad.pk).update(id_number=BAD)
    Member.objects.filter(pk=passport.pk).update(id_type=IdType.PASSPORT, id_number="E1")
    Member.objects.update(id_number_valid=True)  # as the column is added
    migration = importlib.import_module("members.migrations.0004_member_search_indexes")
    migration.mark_invalid_numbers(global_apps, None)
    assert (_flag(good), _flag(bad), _flag(passport)) == (True, False, True)


def test_member_id_number_valid_follows_the_kind_of_id():
    assert member_id_number_valid(IdType.RESIDENT_ID, GOOD)
    assert not member_id_number_valid(IdType.RESIDENT_ID, BAD)
    assert member_id_number_valid(IdType.PASSPORT, "anything")


def test_the_dashboard_reads_the_flag_not_every_check_digit(client, cadre_a, union_a):
    from django.urls import reverse

    flagged = MemberFactory(union=union_a, name="待核对")
    MemberFactory(union=union_a, name="号码正确")
    # The flag alone decides (a number may have been found wrong by a writer the check cannot see).
    Member.objects.filter(pk=flagged.pk).update(id_number_valid=False)
    client.force_login(cadre_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert "身份证号无效的会员" in content
    assert "待核对" in content and "号码正确" not in content
