"""帮扶记录: given by the member's union, filed under the member's open hardship case (festival
visits only when asked), with amounts that cannot be negative and students for 助学."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.choices import AidKind, CaseStatus, ChangeType, FundSource
from members.models import AidRecord
from members.services import (
    aid_record_create,
    member_status_change,
    transfer_accept,
    transfer_approve,
    transfer_request,
)
from tests.support.factories import HardshipCaseFactory, MemberFactory

AID_ON = dt.date(2025, 6, 1)


def error_fields(excinfo) -> set:
    return set(excinfo.value.message_dict)


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, joined_on=dt.date(2018, 6, 1))


@pytest.fixture
def open_case(member_a):
    return HardshipCaseFactory(member=member_a, opened_on=dt.date(2025, 2, 1))


def test_aid_record_create_files_the_aid_under_the_members_union(member_a, union_a, cadre_a):
    record = aid_record_create(
        member=member_a,
        by=cadre_a,
        aid_on=AID_ON,
        kind=AidKind.LIVING,
        amount=Decimal("800.00"),
        fund_source=FundSource.UPPER_UNION,
        handled_by="李会计",
    )

    assert (record.union, record.recorded_by, record.amount, record.fund_source) == (
        union_a,
        cadre_a,
        Decimal("800.00"),
        FundSource.UPPER_UNION,
    )
    assert record.history.get().history_user == cadre_a


@pytest.mark.parametrize("kind", [AidKind.LIVING, AidKind.MEDICAL, AidKind.LEGAL, AidKind.OTHER])
def test_aid_is_filed_under_the_members_open_case(open_case, member_a, cadre_a, kind):
    record = aid_record_create(member=member_a, by=cadre_a, aid_on=AID_ON, kind=kind, amount=Decimal("500"))
    assert record.hardship_case == open_case


def test_a_festival_visit_is_not_filed_under_the_case_unless_asked(open_case, member_a, cadre_a):
    visit = aid_record_create(
        member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.FESTIVAL, amount=Decimal("300")
    )
    assert visit.hardship_case is None

    asked = aid_record_create(
        member=member_a,
        by=cadre_a,
        aid_on=AID_ON,
        kind=AidKind.FESTIVAL,
        amount=Decimal("300"),
        hardship_case=open_case,
    )
    assert asked.hardship_case == open_case


def test_aid_before_the_case_was_opened_is_not_filed_under_it(open_case, member_a, cadre_a):
    record = aid_record_create(
        member=member_a, by=cadre_a, aid_on=dt.date(2025, 1, 20), kind=AidKind.LIVING, amount=Decimal("500")
    )
    assert record.hardship_case is None

    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a,
            by=cadre_a,
            aid_on=dt.date(2025, 1, 20),
            kind=AidKind.LIVING,
            amount=Decimal("500"),
            hardship_case=open_case,
        )
    assert error_fields(excinfo) == {"aid_on"}


def test_a_closed_case_is_not_picked_up_but_past_aid_within_it_may_be_filed(member_a, cadre_a):
    closed = HardshipCaseFactory(
        member=member_a,
        opened_on=dt.date(2024, 1, 1),
        status=CaseStatus.RESOLVED,
        closed_on=dt.date(2024, 12, 31),
        close_reason="脱困",
    )

    assert (
        aid_record_create(
            member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.LIVING, amount=Decimal("500")
        ).hardship_case
        is None
    )
    late = aid_record_create(
        member=member_a,
        by=cadre_a,
        aid_on=dt.date(2024, 6, 1),
        kind=AidKind.LIVING,
        amount=Decimal("500"),
        hardship_case=closed,
    )
    assert late.hardship_case == closed
    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a,
            by=cadre_a,
            aid_on=AID_ON,
            kind=AidKind.LIVING,
            amount=Decimal("500"),
            hardship_case=closed,
        )
    assert error_fields(excinfo) == {"aid_on"}


def test_the_case_of_another_member_is_refused(member_a, union_a, cadre_a):
    someone_elses = HardshipCaseFactory(member=MemberFactory(union=union_a), opened_on=dt.date(2025, 1, 1))

    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a,
            by=cadre_a,
            aid_on=AID_ON,
            kind=AidKind.LIVING,
            amount=Decimal("500"),
            hardship_case=someone_elses,
        )
    assert error_fields(excinfo) == {"hardship_case"}


@pytest.mark.parametrize("field", ["amount", "goods_value"])
def test_amounts_cannot_be_negative(member_a, cadre_a, field):
    values = {"amount": Decimal("100"), "goods_value": Decimal("0"), field: Decimal("-1")}
    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.FESTIVAL, **values)
    assert field in error_fields(excinfo)
    assert not AidRecord.objects.exists()


def test_aid_in_kind_only_is_accepted_but_aid_of_nothing_is_not(member_a, cadre_a):
    goods = aid_record_create(
        member=member_a,
        by=cadre_a,
        aid_on=AID_ON,
        kind=AidKind.FESTIVAL,
        amount=Decimal("0"),
        goods_description="米、油",
        goods_value=Decimal("200"),
    )
    assert goods.amount == Decimal("0")

    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.FESTIVAL, amount=Decimal("0")
        )
    assert error_fields(excinfo) == {"amount"}


def test_school_aid_needs_the_number_of_students(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.EDUCATION, amount=Decimal("2000")
        )
    assert error_fields(excinfo) == {"students_helped"}

    record = aid_record_create(
        member=member_a,
        by=cadre_a,
        aid_on=AID_ON,
        kind=AidKind.EDUCATION,
        amount=Decimal("2000"),
        students_helped=1,
    )
    assert record.students_helped == 1


def test_aid_must_fall_within_the_membership(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a, by=cadre_a, aid_on=dt.date(2018, 5, 31), kind=AidKind.LIVING, amount=Decimal("1")
        )
    assert error_fields(excinfo) == {"aid_on"}

    member_status_change(
        member=member_a, change_type=ChangeType.DEATH, changed_on=dt.date(2025, 7, 1), by=cadre_a
    )
    late_entry = aid_record_create(
        member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.LIVING, amount=Decimal("1")
    )
    assert late_entry.aid_on == AID_ON
    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a, by=cadre_a, aid_on=dt.date(2025, 7, 2), kind=AidKind.LIVING, amount=Decimal("1")
        )
    assert error_fields(excinfo) == {"aid_on"}


def test_aid_cannot_be_dated_in_the_future(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        aid_record_create(
            member=member_a,
            by=cadre_a,
            aid_on=timezone.localdate() + dt.timedelta(days=1),
            kind=AidKind.LIVING,
            amount=Decimal("1"),
        )
    assert error_fields(excinfo) == {"aid_on"}


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ("cadre_a", True),
        ("township_staff", True),
        ("county_staff", True),
        ("cadre_b", False),
        ("county_chair", False),
        ("outside_staff", False),
    ],
)
def test_only_those_who_keep_the_members_union_record_aid(request, member_a, user, allowed):
    user = request.getfixturevalue(user)
    if allowed:
        record = aid_record_create(
            member=member_a, by=user, aid_on=AID_ON, kind=AidKind.LIVING, amount=Decimal("1")
        )
        assert record.recorded_by == user
    else:
        with pytest.raises(PermissionDenied):
            aid_record_create(
                member=member_a, by=user, aid_on=AID_ON, kind=AidKind.LIVING, amount=Decimal("1")
            )
        assert not AidRecord.objects.exists()


def test_aid_after_a_transfer_is_given_by_the_new_union_even_from_a_stale_member(
    member_a, cadre_a, union_b, cadre_b
):
    transfer = transfer_request(member=member_a, to_union=union_b, by=cadre_a, requested_on=AID_ON)
    transfer_approve(transfer=transfer, by=cadre_a, on=AID_ON)
    transfer_accept(transfer=transfer, by=cadre_b, on=AID_ON)

    with pytest.raises(PermissionDenied):
        aid_record_create(
            member=member_a, by=cadre_a, aid_on=AID_ON, kind=AidKind.LIVING, amount=Decimal("1")
        )
    record = aid_record_create(
        member=member_a, by=cadre_b, aid_on=AID_ON, kind=AidKind.LIVING, amount=Decimal("1")
    )
    assert record.union == union_b
