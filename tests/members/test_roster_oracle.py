"""A conflict with a live member is told by scope: a union the user sees is named (the user can
arrange the transfer); a union outside the user's scope is not, nor its federation — the user learns
only that the person is a member elsewhere and to ask the federation above. Otherwise a roster of
20 000 ID numbers would tell a cadre of one federation where each person of another is a member."""

import pytest
from django.core.exceptions import ValidationError

from federation.imports import engine
from members.imports.roster import MemberRosterSpec
from members.services.membership import member_join
from tests.support.factories import MemberFactory
from tests.support.roster_workbooks import person, write_roster

ELSEWHERE = "该身份证号已是其他工会的在册会员，请联系上级工会联合会核实。"


def _conflict(tmp_path, *, user, union) -> str:
    outcome = engine.validate_file(
        MemberRosterSpec(user=user, union=union), write_roster(tmp_path / "r.xlsx", [person(1)])
    )
    (row,) = outcome.rows
    return row.conflict


def test_roster_conflict_outside_the_users_scope_names_neither_union_nor_federation(
    tmp_path, union_a, outside_union, cadre_a
):
    MemberFactory(union=outside_union, id_number=person(1)["身份证号"], join_entry=False)
    conflict = _conflict(tmp_path, user=cadre_a, union=union_a)
    assert conflict == ELSEWHERE
    assert outside_union.name not in conflict
    assert outside_union.federation.name not in conflict


def test_roster_conflict_with_a_sibling_union_a_cadre_does_not_keep_is_not_named(
    tmp_path, union_a, union_b, cadre_a
):
    MemberFactory(union=union_b, id_number=person(1)["身份证号"], join_entry=False)
    conflict = _conflict(tmp_path, user=cadre_a, union=union_a)
    assert conflict == ELSEWHERE
    assert union_b.name not in conflict


def test_roster_conflict_inside_the_users_scope_names_the_union(tmp_path, union_a, union_b, county_staff):
    MemberFactory(union=union_b, id_number=person(1)["身份证号"], join_entry=False)
    conflict = _conflict(tmp_path, user=county_staff, union=union_a)
    assert f"“{union_b.name}”的在册会员" in conflict
    assert "会籍转接" in conflict


def _join_error(user, union, id_number) -> str:
    with pytest.raises(ValidationError) as caught:
        member_join(
            union=union,
            by=user,
            joined_on=person(1)["入会日期"],
            name="重复的人",
            gender="M" if person(1)["性别"] == "男" else "F",
            birth_date=person(1)["出生日期"],
            id_number=id_number,
        )
    return " ".join(caught.value.message_dict["id_number"])


def test_joining_someone_live_outside_scope_does_not_name_where(union_a, outside_union, cadre_a):
    existing = MemberFactory(union=outside_union)
    message = _join_error(cadre_a, union_a, existing.id_number)
    assert "其他工会的在册会员" in message and "上级工会联合会" in message
    assert outside_union.name not in message
    assert outside_union.federation.name not in message


def test_joining_someone_live_inside_scope_names_the_union(union_a, union_b, county_staff):
    existing = MemberFactory(union=union_b)
    message = _join_error(county_staff, union_a, existing.id_number)
    assert f"“{union_b.name}”的在册会员" in message
