"""The invariants of the model layer: what full_clean() refuses (with a clear Chinese message on the
right field) and what the database refuses when clean() is skipped (bulk loads, QuerySet.update).

Every rule is shown twice: a record that keeps it is accepted, one that breaks it is refused.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from federation.identifiers import make_resident_id
from federation.models import FederationYear, User
from members.choices import Gender, IdType, MembershipStatus, TransferStatus
from members.models import Member, MembershipTransfer
from tests.support.factories import (
    ActivityFactory,
    ContractFactory,
    FederationYearFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)
from unions.choices import ContractScope, UnionStatus, UnionType
from unions.models import CollectiveContract, GrassrootsUnion, UnionYear

PUBLISHED_ID = "11010519491231002X"  # GB 11643 example: born 1949-12-31, female


def errors_of(record) -> dict[str, list[str]]:
    """full_clean()'s errors by field, or {} when the record is valid."""
    try:
        record.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def assert_db_refuses(action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def new_member(union, **kwargs) -> Member:
    """An unsaved member whose ID number agrees with its birth date and gender."""
    fields = {
        "union": union,
        "name": "王小梅",
        "gender": Gender.FEMALE,
        "birth_date": dt.date(1949, 12, 31),
        "id_number": PUBLISHED_ID,
        "joined_on": dt.date(2010, 5, 1),
    }
    fields.update(kwargs)
    return Member(**fields)


# --- Member: ID number, birth date, gender ------------------------------------------------------


def test_member_whose_birth_date_and_gender_agree_with_the_id_is_accepted(union_a):
    assert errors_of(new_member(union_a)) == {}


def test_member_whose_birth_date_disagrees_with_the_id_is_refused(union_a):
    errors = errors_of(new_member(union_a, birth_date=dt.date(1949, 12, 30)))
    assert list(errors) == ["birth_date"]
    assert "出生日期与身份证号不一致" in errors["birth_date"][0]
    assert "1949-12-31" in errors["birth_date"][0]


def test_member_whose_gender_disagrees_with_the_id_is_refused(union_a):
    errors = errors_of(new_member(union_a, gender=Gender.MALE))
    assert list(errors) == ["gender"]
    assert "性别与身份证号不一致" in errors["gender"][0]
    assert "女" in errors["gender"][0]


def test_male_member_with_odd_17th_digit_is_accepted(union_a):
    number = make_resident_id("110105", dt.date(1980, 7, 1), 1, "M")
    member = new_member(union_a, id_number=number, gender=Gender.MALE, birth_date=dt.date(1980, 7, 1))
    assert errors_of(member) == {}


def test_member_with_a_wrong_check_digit_is_refused_on_the_id_number(union_a):
    errors = errors_of(new_member(union_a, id_number="110105194912310021"))
    assert "校验位" in errors["id_number"][0]


def test_member_id_with_lowercase_x_and_spaces_is_stored_normalised(union_a):
    member = new_member(union_a, id_number=" 110105 19491231 002x")
    member.full_clean()
    assert member.id_number == PUBLISHED_ID


@pytest.mark.parametrize("id_type", [t for t in IdType.values if t != IdType.RESIDENT_ID])
def test_other_id_types_are_not_checked_as_resident_ids(union_a, id_type):
    # A passport number has no check digit and says nothing about birth date or gender.
    member = new_member(union_a, id_type=id_type, id_number=" E12345678 ", gender=Gender.MALE)
    assert errors_of(member) == {}
    assert member.id_number == "E12345678"
    # The same number declared as a resident ID is refused.
    assert "id_number" in errors_of(new_member(union_a, id_number="E12345678"))


def test_member_needs_an_id_number(union_a):
    assert "id_number" in errors_of(new_member(union_a, id_number=""))


# --- mobile numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [("13800138000", "13800138000"), ("+86 138 0013 8000", "13800138000"), ("", "")],
)
def test_member_mobile_is_accepted_and_normalised(union_a, typed, stored):
    member = new_member(union_a, mobile=typed)
    assert errors_of(member) == {}
    assert member.mobile == stored


@pytest.mark.parametrize("typed", ["12345678901", "1380013800", "1380013800a", "138001380001"])
def test_member_mobile_that_is_not_a_mainland_mobile_is_refused(union_a, typed):
    errors = errors_of(new_member(union_a, mobile=typed))
    assert list(errors) == ["mobile"]
    assert "手机号码" in errors["mobile"][0]


@pytest.mark.parametrize(
    "typed, stored",
    [("13912345678", "13912345678"), ("+86 139 1234 5678", "13912345678"), ("", "")],
)
def test_union_chair_phone_is_accepted_and_normalised(township, typed, stored):
    union = UnionFactory.build(federation=township, chair_phone=typed)
    assert errors_of(union) == {}
    assert union.chair_phone == stored


@pytest.mark.parametrize("typed", ["12345678901", "1391234567", "139abc45678"])
def test_union_chair_phone_that_is_not_a_mobile_is_refused(township, typed):
    errors = errors_of(UnionFactory.build(federation=township, chair_phone=typed))
    assert list(errors) == ["chair_phone"]


# --- Member: the order of dates -----------------------------------------------------------------


def test_member_may_join_on_or_after_birth_but_not_before(union_a):
    assert errors_of(new_member(union_a, joined_on=dt.date(1949, 12, 31))) == {}
    errors = errors_of(new_member(union_a, joined_on=dt.date(1949, 12, 30)))
    assert errors["joined_on"] == ["入会日期不能早于出生日期。"]


def test_member_may_leave_on_or_after_joining_but_not_before(union_a):
    member = new_member(union_a, status=MembershipStatus.WITHDRAWN, left_on=dt.date(2010, 5, 1))
    assert errors_of(member) == {}
    member.left_on = dt.date(2010, 4, 30)
    assert "离会日期不能早于入会日期。" in errors_of(member)["joined_on"]


def test_database_refuses_member_who_joined_before_birth(union_a):
    member = MemberFactory(union=union_a)
    Member.objects.filter(pk=member.pk).update(joined_on=member.birth_date)  # the same day is fine
    assert_db_refuses(
        lambda: Member.objects.filter(pk=member.pk).update(joined_on=member.birth_date - dt.timedelta(days=1))
    )


def test_database_refuses_member_who_left_before_joining(union_a):
    member = MemberFactory(union=union_a, joined_on=dt.date(2018, 6, 1))
    Member.objects.filter(pk=member.pk).update(status="withdrawn", left_on=dt.date(2018, 6, 1))
    assert_db_refuses(lambda: Member.objects.filter(pk=member.pk).update(left_on=dt.date(2018, 5, 31)))


# --- Member: one live membership per ID across the deployment -----------------------------------


@pytest.mark.parametrize("live_status", [MembershipStatus.ACTIVE, MembershipStatus.RESERVED])
def test_person_with_a_live_membership_cannot_join_another_union(union_a, outside_union, live_status):
    new_member(union_a, status=live_status).save()
    second = new_member(outside_union)
    errors = errors_of(second)
    assert list(errors) == ["id_number"]
    assert "同一人只能有一个有效会籍" in errors["id_number"][0]


@pytest.mark.parametrize("live_status", [MembershipStatus.ACTIVE, MembershipStatus.RESERVED])
def test_database_refuses_a_second_live_membership_for_the_same_id(union_a, outside_union, live_status):
    new_member(union_a, status=live_status).save()
    assert_db_refuses(lambda: new_member(outside_union).save())
    assert_db_refuses(lambda: Member.objects.bulk_create([new_member(outside_union)]))
    assert_db_refuses(
        lambda: Member.objects.bulk_create([new_member(union_a, name="甲"), new_member(union_a, name="乙")])
    )


@pytest.mark.parametrize(
    "ended_status",
    [
        MembershipStatus.WITHDRAWN,
        MembershipStatus.TRANSFERRED_OUT,
        MembershipStatus.DECEASED,
        MembershipStatus.EXPELLED,
    ],
)
def test_person_whose_earlier_membership_ended_may_join_again(union_a, outside_union, ended_status):
    new_member(union_a, status=ended_status, left_on=dt.date(2015, 1, 1)).save()
    again = new_member(outside_union, joined_on=dt.date(2020, 1, 1))
    assert errors_of(again) == {}
    again.save()
    # ... but only once: a third live membership is refused again.
    assert "id_number" in errors_of(new_member(union_a))
    assert_db_refuses(lambda: new_member(union_a).save())


def test_form_without_the_status_field_still_refuses_a_second_live_membership(union_a, outside_union):
    # Admin and staff forms leave out `status` (not editable); the rule depends on it all the same,
    # so it must be checked rather than skipped and left to fail in the database.
    new_member(union_a).save()
    MemberForm = modelform_factory(
        Member, fields=["union", "name", "gender", "birth_date", "id_type", "id_number", "joined_on"]
    )
    data = {
        "union": outside_union.pk,
        "name": "王小梅",
        "gender": Gender.FEMALE,
        "birth_date": "1949-12-31",
        "id_type": IdType.RESIDENT_ID,
        "id_number": "11010519491231002x",
        "joined_on": "2020-01-01",
    }
    form = MemberForm(data)
    assert not form.is_valid()
    assert form.errors["id_number"] == ["该证件号码已是在册会员，同一人只能有一个有效会籍。"]
    Member.objects.update(status=MembershipStatus.WITHDRAWN, left_on=dt.date(2019, 12, 31))
    form = MemberForm(data)
    assert form.is_valid(), form.errors
    assert form.save().id_number == PUBLISHED_ID


def test_live_member_being_edited_does_not_conflict_with_itself(union_a):
    member = new_member(union_a)
    member.save()
    member.job = "车间主任"
    assert errors_of(member) == {}


def test_different_id_numbers_may_both_be_live(union_a):
    new_member(union_a).save()
    other_id = make_resident_id("110105", dt.date(1949, 12, 31), 4, "F")
    assert errors_of(new_member(union_a, id_number=other_id)) == {}


# --- Membership transfers -----------------------------------------------------------------------


def new_transfer(member, to_union, **kwargs) -> MembershipTransfer:
    return MembershipTransfer(
        member=member,
        from_union=member.union,
        to_union=to_union,
        requested_on=dt.date(2025, 3, 1),
        requested_by=kwargs.pop("requested_by", None),
        **kwargs,
    )


def test_transfer_between_two_unions_is_accepted_and_to_the_same_union_is_refused(union_a, union_b, cadre_a):
    member = MemberFactory(union=union_a)
    assert errors_of(new_transfer(member, union_b, requested_by=cadre_a)) == {}
    errors = errors_of(new_transfer(member, union_a, requested_by=cadre_a))
    assert errors["to_union"] == ["转入工会不能与转出工会相同。"]


def test_database_refuses_a_transfer_to_the_union_the_member_is_in(union_a, union_b):
    member = MemberFactory(union=union_a)
    new_transfer(member, union_b).save()
    assert_db_refuses(lambda: new_transfer(member, union_a, status=TransferStatus.CANCELLED).save())


@pytest.mark.parametrize("open_status", [TransferStatus.REQUESTED, TransferStatus.APPROVED])
def test_member_has_at_most_one_open_transfer(union_a, union_b, outside_union, cadre_a, open_status):
    member = MemberFactory(union=union_a)
    new_transfer(member, union_b, status=open_status).save()
    errors = errors_of(new_transfer(member, outside_union, requested_by=cadre_a))
    assert errors == {"member": ["该会员已有一个未完成的转接申请。"]}
    assert_db_refuses(lambda: new_transfer(member, outside_union).save())


@pytest.mark.parametrize(
    "closed_status", [TransferStatus.ACCEPTED, TransferStatus.REFUSED, TransferStatus.CANCELLED]
)
def test_closed_transfer_does_not_block_a_new_one(union_a, union_b, outside_union, cadre_a, closed_status):
    member = MemberFactory(union=union_a)
    new_transfer(member, union_b, status=closed_status).save()
    again = new_transfer(member, outside_union, requested_by=cadre_a)
    assert errors_of(again) == {}
    again.save()


# --- GrassrootsUnion ----------------------------------------------------------------------------


def test_union_with_a_valid_credit_code_is_accepted_and_the_code_normalised(township):
    union = UnionFactory.build(federation=township, credit_code="91350100m000100y43")
    assert errors_of(union) == {}
    assert union.credit_code == "91350100M000100Y43"


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "校验位"),
        ("91350100M000I00Y43", "不使用 I、O、Z、S、V"),
        ("91350100M000100Y4", "18位"),
    ],
)
def test_union_with_an_invalid_credit_code_is_refused(township, code, message):
    errors = errors_of(UnionFactory.build(federation=township, credit_code=code))
    assert list(errors) == ["credit_code"]
    assert message in errors["credit_code"][0]


def test_two_unions_cannot_share_a_credit_code(township, community):
    UnionFactory(federation=township, credit_code="91350100M000100Y43")
    errors = errors_of(UnionFactory.build(federation=community, credit_code="91350100M000100Y43"))
    assert errors["credit_code"] == ["该统一社会信用代码已登记在另一个基层工会。"]
    assert_db_refuses(lambda: UnionFactory(federation=community, credit_code="91350100M000100Y43"))


def test_unions_without_a_credit_code_may_be_many_and_store_null(township):
    first = UnionFactory(federation=township, credit_code="")
    second = UnionFactory.build(federation=township, credit_code="")
    assert errors_of(second) == {}
    second.save()
    third = UnionFactory(federation=township, credit_code=None)
    assert (
        GrassrootsUnion.objects.filter(pk__in=[first.pk, second.pk, third.pk], credit_code=None).count() == 3
    )


@pytest.mark.parametrize("status", [UnionStatus.DISSOLVED, UnionStatus.MERGED])
def test_dissolved_or_merged_union_needs_the_date(township, status):
    union = UnionFactory(federation=township, established_on=dt.date(2015, 3, 1))
    union.status = status
    assert "status_changed_on" in errors_of(union)
    assert_db_refuses(lambda: GrassrootsUnion.objects.filter(pk=union.pk).update(status=status))
    union.status_changed_on = dt.date(2024, 6, 30)
    assert errors_of(union) == {}
    union.save()


def test_active_union_needs_no_status_date(township):
    assert errors_of(UnionFactory.build(federation=township, status=UnionStatus.ACTIVE)) == {}


def test_union_cannot_close_before_it_was_established(township):
    union = UnionFactory.build(
        federation=township,
        established_on=dt.date(2015, 3, 1),
        status=UnionStatus.DISSOLVED,
        status_changed_on=dt.date(2015, 2, 28),
    )
    assert errors_of(union)["status_changed_on"] == ["撤销/合并日期不能早于建会日期。"]
    union.status_changed_on = dt.date(2015, 3, 1)
    assert errors_of(union) == {}


def test_union_term_cannot_start_before_it_was_established(township):
    union = UnionFactory.build(
        federation=township, established_on=dt.date(2015, 3, 1), term_started_on=dt.date(2015, 2, 28)
    )
    assert errors_of(union)["term_started_on"] == ["任期开始日期不能早于建会日期。"]
    union.term_started_on = dt.date(2015, 3, 1)
    assert errors_of(union) == {}


def test_independent_union_covers_exactly_one_employer(township):
    union = UnionFactory.build(federation=township, union_type=UnionType.INDEPENDENT, covered_employers=3)
    assert errors_of(union)["covered_employers"] == ["独立基层工会的覆盖单位数应为1。"]
    union.covered_employers = 1
    assert errors_of(union) == {}
    union.save()
    assert_db_refuses(lambda: GrassrootsUnion.objects.filter(pk=union.pk).update(covered_employers=3))


def test_joint_union_covers_several_employers_but_at_least_one(township):
    union = UnionFactory(federation=township, union_type=UnionType.JOINT, covered_employers=12)
    assert errors_of(union) == {}
    union.covered_employers = 0
    assert "covered_employers" in errors_of(union)


@pytest.mark.parametrize(
    "established, term_started, term_years, due",
    [
        (dt.date(2015, 3, 1), None, 5, dt.date(2020, 3, 1)),  # no election yet: from 建会日期
        (dt.date(2015, 3, 1), dt.date(2021, 6, 15), 5, dt.date(2026, 6, 15)),
        (dt.date(2015, 3, 1), dt.date(2021, 6, 15), 3, dt.date(2024, 6, 15)),
        (dt.date(2016, 2, 29), None, 5, dt.date(2021, 2, 28)),  # no 29 February in 2021
        (dt.date(2015, 3, 1), dt.date(2020, 2, 29), 3, dt.date(2023, 2, 28)),
    ],
)
def test_election_is_due_a_term_after_the_term_began(township, established, term_started, term_years, due):
    union = UnionFactory(
        federation=township, established_on=established, term_started_on=term_started, term_years=term_years
    )
    union.refresh_from_db()
    assert union.election_due_on == due


def test_election_due_date_follows_a_new_term(township):
    union = UnionFactory(federation=township, established_on=dt.date(2015, 3, 1))
    union.term_started_on = dt.date(2025, 5, 1)
    union.term_years = 3
    union.save()
    union.refresh_from_db()
    assert union.election_due_on == dt.date(2028, 5, 1)


# --- UnionYear and FederationYear ---------------------------------------------------------------


@pytest.mark.parametrize(
    "women, migrants, bad_field",
    [(100, 100, None), (0, 0, None), (101, 0, "women_employees"), (0, 101, "migrant_employees")],
)
def test_women_and_migrant_employees_are_part_of_the_employees(union_a, women, migrants, bad_field):
    year = UnionYear(
        union=union_a, year=2025, employees=100, women_employees=women, migrant_employees=migrants
    )
    errors = errors_of(year)
    if bad_field is None:
        assert errors == {}
        year.save()
    else:
        assert list(errors) == [bad_field]
        assert "不能超过职工人数" in errors[bad_field][0]
        assert_db_refuses(year.save)


def test_union_has_one_figure_per_year(union_a, union_b):
    UnionYearFactory(union=union_a, year=2025)
    assert errors_of(UnionYearFactory.build(union=union_a, year=2024)) == {}
    assert errors_of(UnionYearFactory.build(union=union_b, year=2025)) == {}
    assert "__all__" in errors_of(UnionYearFactory.build(union=union_a, year=2025))
    assert_db_refuses(lambda: UnionYearFactory(union=union_a, year=2025))


def test_federation_has_one_figure_per_year(county, township):
    FederationYearFactory(federation=county, year=2025)
    assert errors_of(FederationYear(federation=county, year=2024)) == {}
    assert errors_of(FederationYear(federation=township, year=2025)) == {}
    assert "__all__" in errors_of(FederationYear(federation=county, year=2025))
    assert_db_refuses(lambda: FederationYearFactory(federation=county, year=2025))


def test_minimum_living_standard_cannot_be_negative(county):
    assert errors_of(FederationYear(federation=county, year=2025, min_living_standard=Decimal("0"))) == {}
    errors = errors_of(FederationYear(federation=county, year=2025, min_living_standard=Decimal("-1")))
    assert "min_living_standard" in errors


# --- Collective contracts -----------------------------------------------------------------------


def test_contract_must_end_after_it_starts(union_a):
    contract = ContractFactory.build(
        union=union_a, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 2)
    )
    assert errors_of(contract) == {}
    contract.ends_on = dt.date(2025, 1, 1)
    assert errors_of(contract)["ends_on"] == ["合同期限结束日期必须晚于开始日期。"]
    contract.ends_on = dt.date(2024, 12, 31)
    assert "ends_on" in errors_of(contract)


def test_database_refuses_a_contract_ending_when_or_before_it_starts(union_a):
    contract = ContractFactory(union=union_a, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2027, 12, 31))
    for ends_on in (dt.date(2025, 1, 1), dt.date(2024, 12, 31)):
        assert_db_refuses(
            lambda ends_on=ends_on: CollectiveContract.objects.filter(pk=contract.pk).update(ends_on=ends_on)
        )


def test_single_contract_needs_its_union(union_a, township):
    contract = ContractFactory.build(scope=ContractScope.SINGLE, union=union_a)
    assert errors_of(contract) == {}
    contract.union = None
    assert errors_of(contract)["union"] == ["单独签订的集体合同须指定签订工会。"]
    assert_db_refuses(contract.save)


@pytest.mark.parametrize("scope", [ContractScope.REGIONAL, ContractScope.SECTORAL])
def test_regional_or_sectoral_contract_needs_the_signing_federation(township, scope):
    contract = ContractFactory.build(scope=scope, union=None, federation=township)
    assert errors_of(contract) == {}
    contract.save()
    contract.federation = None
    assert errors_of(contract)["federation"] == ["区域性、行业性集体合同须指定签订联合会。"]
    assert_db_refuses(lambda: CollectiveContract.objects.filter(pk=contract.pk).update(federation=None))


# --- Activities ---------------------------------------------------------------------------------


def test_activity_may_end_on_or_after_the_day_it_starts_but_not_before(union_a):
    activity = ActivityFactory.build(
        union=union_a, starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 5, 1)
    )
    assert errors_of(activity) == {}
    activity.ends_on = dt.date(2025, 4, 30)
    assert errors_of(activity)["ends_on"] == ["结束日期不能早于开始日期。"]
    assert_db_refuses(activity.save)


def test_activity_has_exactly_one_organiser(union_a, township):
    assert errors_of(ActivityFactory.build(union=union_a, federation=None)) == {}
    assert errors_of(ActivityFactory.build(union=None, federation=township)) == {}
    for union, federation in ((union_a, township), (None, None)):
        activity = ActivityFactory.build(union=union, federation=federation)
        errors = errors_of(activity)
        assert errors == {"__all__": ["主办方须为一个联合会或一个基层工会（二者选一）。"]}
        assert_db_refuses(activity.save)


def test_activity_spending_cannot_be_negative(union_a):
    activity = ActivityFactory.build(union=union_a, spending=Decimal("0"))
    assert errors_of(activity) == {}
    activity.spending = Decimal("-0.01")
    assert list(errors_of(activity)) == ["spending"]
    assert_db_refuses(activity.save)


def test_activity_participants_cannot_be_negative(union_a):
    activity = ActivityFactory.build(union=union_a, participants=-1)
    assert "participants" in errors_of(activity)


# --- Users --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [User.Role.FEDERATION_STAFF, User.Role.CHAIR])
def test_federation_staff_and_chair_need_a_federation(county, role):
    user = User(username="someone", role=role)
    assert errors_of(user)["federation"] == ["联合会工作人员和主席必须指定所属联合会。"]
    user.federation = county
    user.set_unusable_password()
    assert errors_of(user) == {}


def test_union_cadre_needs_a_union(union_a):
    user = User(username="someone", role=User.Role.UNION_CADRE)
    user.set_unusable_password()
    assert errors_of(user)["union"] == ["基层工会干事必须指定所属基层工会。"]
    user.union = union_a
    assert errors_of(user) == {}


def test_administrator_needs_neither_federation_nor_union(db):
    user = User(username="root", role=User.Role.ADMIN)
    user.set_unusable_password()
    assert errors_of(user) == {}


def test_user_phone_is_normalised(union_a):
    user = User(username="someone", role=User.Role.UNION_CADRE, union=union_a, phone="+86 138 0013 8000")
    user.set_unusable_password()
    user.full_clean()
    assert user.phone == "13800138000"
