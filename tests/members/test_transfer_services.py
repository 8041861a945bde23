"""会籍转接: either side opens, the 转出 union approves, the 转入 union accepts; the member moves with
both history entries in one transaction and loses nothing; one open transfer per member."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from members.choices import CaseStatus, ChangeType, MembershipStatus, TransferStatus
from members.models import MemberHonour, MembershipTransfer
from members.services import (
    member_status_change,
    transfer_accept,
    transfer_approve,
    transfer_cancel,
    transfer_refuse,
    transfer_request,
)
from tests.support.factories import HardshipCaseFactory, MemberFactory, UnionFactory, UserFactory
from unions.choices import HonourLevel, HonourTitle, UnionStatus

REQUESTED = dt.date(2025, 3, 1)
APPROVED = dt.date(2025, 3, 5)
ACCEPTED = dt.date(2025, 3, 10)


def error_fields(excinfo) -> set:
    return set(excinfo.value.message_dict)


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, joined_on=dt.date(2018, 6, 1))


@pytest.fixture
def requested(member_a, union_b, cadre_a):
    return transfer_request(
        member=member_a, to_union=union_b, by=cadre_a, reason="调动工作", requested_on=REQUESTED
    )


@pytest.fixture
def approved(requested, cadre_a):
    return transfer_approve(transfer=requested, by=cadre_a, on=APPROVED)


# --- request ---------------------------------------------------------------------------------------


def test_transfer_request_by_the_leaving_union_opens_a_request(member_a, union_a, union_b, cadre_a):
    transfer = transfer_request(member=member_a, to_union=union_b, by=cadre_a, requested_on=REQUESTED)

    assert (transfer.status, transfer.from_union, transfer.to_union) == (
        TransferStatus.REQUESTED,
        union_a,
        union_b,
    )
    assert (transfer.requested_on, transfer.requested_by) == (REQUESTED, cadre_a)
    assert transfer.history.get().history_user == cadre_a


def test_transfer_request_by_the_receiving_union_opens_a_request(member_a, union_b, cadre_b):
    transfer = transfer_request(member=member_a, to_union=union_b, by=cadre_b, requested_on=REQUESTED)
    assert transfer.requested_by == cadre_b


@pytest.mark.parametrize("user", ["county_chair", "outside_staff"])
def test_transfer_request_is_refused_to_those_who_act_for_neither_side(request, member_a, union_b, user):
    with pytest.raises(PermissionDenied):
        transfer_request(member=member_a, to_union=union_b, by=request.getfixturevalue(user))
    assert not MembershipTransfer.objects.exists()


def test_a_cadre_cannot_request_a_transfer_between_two_other_unions(member_a, union_b, community):
    third = UnionFactory(federation=community)
    cadre_of_third = UserFactory(union=third)

    with pytest.raises(PermissionDenied):
        transfer_request(member=member_a, to_union=union_b, by=cadre_of_third)


def test_transfer_request_is_dated_today_by_default(member_a, union_b, cadre_a):
    transfer = transfer_request(member=member_a, to_union=union_b, by=cadre_a)
    assert transfer.requested_on == timezone.localdate()


def test_transfer_request_refuses_a_future_date(member_a, union_b, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        transfer_request(
            member=member_a,
            to_union=union_b,
            by=cadre_a,
            requested_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert error_fields(excinfo) == {"requested_on"}


def test_transfer_request_refuses_a_date_before_joining(member_a, union_b, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        transfer_request(member=member_a, to_union=union_b, by=cadre_a, requested_on=dt.date(2018, 5, 31))
    assert error_fields(excinfo) == {"requested_on"}


def test_transfer_request_refuses_a_member_who_has_left(member_a, union_b, cadre_a):
    member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=REQUESTED, by=cadre_a)

    with pytest.raises(ValidationError) as excinfo:
        transfer_request(member=member_a, to_union=union_b, by=cadre_a)
    assert error_fields(excinfo) == {"member"}


def test_transfer_request_accepts_a_reserved_member(member_a, union_b, cadre_a):
    member_status_change(member=member_a, change_type=ChangeType.RESERVE, changed_on=REQUESTED, by=cadre_a)

    assert transfer_request(member=member_a, to_union=union_b, by=cadre_a).is_open


def test_transfer_request_refuses_the_members_own_union(member_a, union_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        transfer_request(member=member_a, to_union=union_a, by=cadre_a)
    assert error_fields(excinfo) == {"to_union"}


def test_transfer_request_refuses_a_dissolved_union(member_a, union_b, cadre_a):
    union_b.status = UnionStatus.MERGED
    union_b.status_changed_on = dt.date(2024, 12, 31)
    union_b.save()

    with pytest.raises(ValidationError) as excinfo:
        transfer_request(member=member_a, to_union=union_b, by=cadre_a)
    assert error_fields(excinfo) == {"to_union"}


def test_a_second_open_transfer_for_one_member_is_refused(requested, member_a, outside_union, outside_staff):
    with pytest.raises(ValidationError) as excinfo:
        transfer_request(member=member_a, to_union=outside_union, by=outside_staff)
    assert error_fields(excinfo) == {"member"}
    assert MembershipTransfer.objects.count() == 1


def test_a_new_transfer_may_be_opened_once_the_last_one_is_closed(requested, member_a, union_b, cadre_a):
    transfer_cancel(transfer=requested, by=cadre_a)

    again = transfer_request(member=member_a, to_union=union_b, by=cadre_a)
    assert again.is_open


def test_transfer_request_turns_a_lost_race_on_the_open_transfer_constraint_into_a_validation_error(
    member_a, union_b, cadre_a, outside_union, monkeypatch
):
    original_full_clean = MembershipTransfer.full_clean

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        original_full_clean(self, *args, **kwargs)
        monkeypatch.setattr(MembershipTransfer, "full_clean", original_full_clean)
        MembershipTransfer.objects.create(
            member=member_a, from_union=member_a.union, to_union=outside_union, requested_on=REQUESTED
        )

    monkeypatch.setattr(MembershipTransfer, "full_clean", full_clean_then_lose_the_race)

    with pytest.raises(ValidationError) as excinfo:
        transfer_request(member=member_a, to_union=union_b, by=cadre_a)
    assert error_fields(excinfo) == {"member"}


def run_concurrently(*calls):
    results = [None] * len(calls)
    start = threading.Barrier(len(calls), timeout=10)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transfer_requests_for_one_member_let_exactly_one_win(
    member_a, union_b, cadre_a, outside_union, admin_user, monkeypatch
):
    # Whoever gets the member's lock first holds it a while, so that the other request is sure to
    # arrive while the first is still open.
    original_full_clean = MembershipTransfer.full_clean

    def full_clean_slowly(self, *args, **kwargs):
        original_full_clean(self, *args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(MembershipTransfer, "full_clean", full_clean_slowly)

    results = run_concurrently(
        lambda: transfer_request(member=member_a, to_union=union_b, by=cadre_a),
        lambda: transfer_request(member=member_a, to_union=outside_union, by=admin_user),
    )

    winners = [r for r in results if isinstance(r, MembershipTransfer)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert set(losers[0].message_dict) == {"member"}
    assert MembershipTransfer.objects.count() == 1


# --- approve ---------------------------------------------------------------------------------------


def test_transfer_approve_by_the_leaving_union_moves_it_to_approved(requested, cadre_a):
    transfer_approve(transfer=requested, by=cadre_a, on=APPROVED)

    requested.refresh_from_db()
    assert (requested.status, requested.approved_on, requested.approved_by) == (
        TransferStatus.APPROVED,
        APPROVED,
        cadre_a,
    )
    assert requested.history.first().history_user == cadre_a


def test_a_federation_officer_above_the_leaving_union_may_approve(requested, township_staff):
    transfer_approve(transfer=requested, by=township_staff, on=APPROVED)
    assert requested.status == TransferStatus.APPROVED


@pytest.mark.parametrize("user", ["cadre_b", "county_chair", "outside_staff"])
def test_cadre_of_another_union_cannot_approve_transfer(request, requested, user):
    """Only the union the member leaves approves — not the receiving union, not the chair."""
    with pytest.raises(PermissionDenied):
        transfer_approve(transfer=requested, by=request.getfixturevalue(user), on=APPROVED)
    requested.refresh_from_db()
    assert requested.status == TransferStatus.REQUESTED


def test_an_approved_transfer_cannot_be_approved_again(approved, cadre_a):
    with pytest.raises(ValidationError, match="待转入接收"):
        transfer_approve(transfer=approved, by=cadre_a, on=APPROVED)


def test_transfer_approve_refuses_a_date_before_the_request(requested, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        transfer_approve(transfer=requested, by=cadre_a, on=REQUESTED - dt.timedelta(days=1))
    assert error_fields(excinfo) == {"on"}

    transfer_approve(transfer=requested, by=cadre_a, on=REQUESTED)
    assert requested.status == TransferStatus.APPROVED


# --- accept ----------------------------------------------------------------------------------------


def test_transfer_accept_moves_member_and_writes_both_entries(approved, member_a, union_a, union_b, cadre_b):
    transfer_accept(transfer=approved, by=cadre_b, on=ACCEPTED)

    member_a.refresh_from_db()
    approved.refresh_from_db()
    assert member_a.union == union_b
    assert member_a.status == MembershipStatus.ACTIVE
    assert member_a.left_on is None
    assert (approved.status, approved.accepted_on, approved.accepted_by) == (
        TransferStatus.ACCEPTED,
        ACCEPTED,
        cadre_b,
    )
    out, into = member_a.changes.filter(transfer=approved).order_by("id")
    assert (out.change_type, out.union, out.counterpart_union, out.changed_on, out.recorded_by) == (
        ChangeType.TRANSFER_OUT,
        union_a,
        union_b,
        ACCEPTED,
        cadre_b,
    )
    assert (into.change_type, into.union, into.counterpart_union, into.changed_on, into.recorded_by) == (
        ChangeType.TRANSFER_IN,
        union_b,
        union_a,
        ACCEPTED,
        cadre_b,
    )


def test_transfer_accept_loses_nothing_about_the_member(approved, member_a, cadre_b):
    MemberHonour.objects.create(
        member=member_a, title=HonourTitle.MODEL_WORKER, level=HonourLevel.COUNTY, year=2024
    )
    before = {f.name: getattr(member_a, f.name) for f in member_a._meta.concrete_fields}

    transfer_accept(transfer=approved, by=cadre_b, on=ACCEPTED)

    member_a.refresh_from_db()
    after = {f.name: getattr(member_a, f.name) for f in member_a._meta.concrete_fields}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"union", "updated_at"}
    assert member_a.honours.count() == 1
    assert member_a.changes.first().change_type == ChangeType.JOIN


def test_transfer_accept_records_the_acting_user_in_the_members_history(approved, member_a, cadre_b, union_b):
    transfer_accept(transfer=approved, by=cadre_b, on=ACCEPTED)

    latest = member_a.history.first()
    assert (latest.union_id, latest.history_user) == (union_b.pk, cadre_b)


def test_a_reserved_member_stays_reserved_after_the_transfer(member_a, cadre_a, union_b, cadre_b):
    member_status_change(member=member_a, change_type=ChangeType.RESERVE, changed_on=REQUESTED, by=cadre_a)
    transfer = transfer_request(member=member_a, to_union=union_b, by=cadre_a, requested_on=REQUESTED)
    transfer_approve(transfer=transfer, by=cadre_a, on=APPROVED)

    transfer_accept(transfer=transfer, by=cadre_b, on=ACCEPTED)

    member_a.refresh_from_db()
    assert (member_a.union, member_a.status) == (union_b, MembershipStatus.RESERVED)


@pytest.mark.parametrize("user", ["cadre_a", "county_chair", "outside_staff"])
def test_only_the_receiving_union_can_accept(request, approved, member_a, union_a, user):
    with pytest.raises(PermissionDenied):
        transfer_accept(transfer=approved, by=request.getfixturevalue(user), on=ACCEPTED)

    member_a.refresh_from_db()
    assert member_a.union == union_a
    assert member_a.changes.count() == 1


def test_a_federation_officer_above_the_receiving_union_may_accept(
    approved, member_a, township_staff, union_b
):
    transfer_accept(transfer=approved, by=township_staff, on=ACCEPTED)
    member_a.refresh_from_db()
    assert member_a.union == union_b


def test_a_transfer_cannot_be_accepted_before_it_is_approved(requested, cadre_b, member_a, union_a):
    with pytest.raises(ValidationError, match="待转出审批"):
        transfer_accept(transfer=requested, by=cadre_b, on=ACCEPTED)
    member_a.refresh_from_db()
    assert member_a.union == union_a


def test_transfer_accept_refuses_a_date_before_the_approval(approved, cadre_b):
    with pytest.raises(ValidationError) as excinfo:
        transfer_accept(transfer=approved, by=cadre_b, on=APPROVED - dt.timedelta(days=1))
    assert error_fields(excinfo) == {"on"}


def test_transfer_accept_refuses_when_the_receiving_union_was_dissolved_meanwhile(approved, union_b, cadre_b):
    union_b.status = UnionStatus.DISSOLVED
    union_b.status_changed_on = APPROVED
    union_b.save()

    with pytest.raises(ValidationError, match="撤销或合并"):
        transfer_accept(transfer=approved, by=cadre_b, on=ACCEPTED)


def test_the_open_hardship_case_moves_with_the_member_and_closed_ones_stay(
    approved, member_a, union_a, union_b, cadre_b
):
    closed = HardshipCaseFactory(member=member_a, opened_on=dt.date(2020, 1, 1))
    closed.status, closed.closed_on, closed.close_reason = CaseStatus.RESOLVED, dt.date(2021, 1, 1), "脱困"
    closed.save()
    open_case = HardshipCaseFactory(member=member_a, opened_on=dt.date(2024, 1, 1))

    transfer_accept(transfer=approved, by=cadre_b, on=ACCEPTED)

    open_case.refresh_from_db()
    closed.refresh_from_db()
    assert (open_case.union, open_case.status) == (union_b, CaseStatus.OPEN)
    assert open_case.history.first().history_user == cadre_b
    assert closed.union == union_a


# --- refuse ----------------------------------------------------------------------------------------


def test_the_leaving_union_refuses_a_request_awaiting_approval(requested, cadre_a):
    transfer_refuse(transfer=requested, by=cadre_a, reason="尚有未结事项")

    requested.refresh_from_db()
    assert (requested.status, requested.closed_by, requested.closing_reason) == (
        TransferStatus.REFUSED,
        cadre_a,
        "尚有未结事项",
    )


def test_the_receiving_union_cannot_refuse_before_it_is_its_turn(requested, cadre_b):
    with pytest.raises(PermissionDenied):
        transfer_refuse(transfer=requested, by=cadre_b, reason="不接收")
    assert requested.is_open


def test_the_receiving_union_refuses_an_approved_transfer(approved, cadre_b):
    transfer_refuse(transfer=approved, by=cadre_b, reason="本单位无此职工")
    assert approved.status == TransferStatus.REFUSED


def test_the_leaving_union_cannot_refuse_once_it_has_approved(approved, cadre_a):
    with pytest.raises(PermissionDenied):
        transfer_refuse(transfer=approved, by=cadre_a, reason="反悔")
    approved.refresh_from_db()
    assert approved.status == TransferStatus.APPROVED


@pytest.mark.parametrize("reason", ["", "   "])
def test_refusing_needs_a_reason(requested, cadre_a, reason):
    with pytest.raises(ValidationError) as excinfo:
        transfer_refuse(transfer=requested, by=cadre_a, reason=reason)
    assert error_fields(excinfo) == {"reason"}
    requested.refresh_from_db()
    assert requested.status == TransferStatus.REQUESTED


def test_a_closed_transfer_cannot_be_refused(requested, cadre_a):
    transfer_cancel(transfer=requested, by=cadre_a)

    with pytest.raises(ValidationError, match="已办结"):
        transfer_refuse(transfer=requested, by=cadre_a, reason="重复")


def test_county_chair_cannot_refuse(requested, county_chair):
    with pytest.raises(PermissionDenied):
        transfer_refuse(transfer=requested, by=county_chair, reason="不同意")


# --- cancel ----------------------------------------------------------------------------------------


def test_the_requesting_side_cancels_an_open_transfer(approved, cadre_a):
    transfer_cancel(transfer=approved, by=cadre_a, reason="本人放弃")

    approved.refresh_from_db()
    assert (approved.status, approved.closed_by, approved.closing_reason) == (
        TransferStatus.CANCELLED,
        cadre_a,
        "本人放弃",
    )
    assert approved.history.first().history_user == cadre_a


def test_the_other_side_cannot_cancel(requested, cadre_b):
    with pytest.raises(PermissionDenied):
        transfer_cancel(transfer=requested, by=cadre_b)
    assert requested.is_open


def test_a_request_opened_by_the_receiving_side_is_cancelled_by_that_side(
    member_a, union_b, cadre_a, cadre_b
):
    transfer = transfer_request(member=member_a, to_union=union_b, by=cadre_b, requested_on=REQUESTED)

    with pytest.raises(PermissionDenied):
        transfer_cancel(transfer=transfer, by=cadre_a)
    transfer_cancel(transfer=transfer, by=cadre_b)
    assert transfer.status == TransferStatus.CANCELLED


def test_a_colleague_on_the_requesting_side_may_cancel(requested, township_staff):
    transfer_cancel(transfer=requested, by=township_staff)
    assert requested.status == TransferStatus.CANCELLED


def test_a_request_opened_by_an_officer_above_both_sides_may_be_cancelled_by_either(
    member_a, union_b, township_staff, cadre_b
):
    transfer = transfer_request(member=member_a, to_union=union_b, by=township_staff, requested_on=REQUESTED)

    transfer_cancel(transfer=transfer, by=cadre_b)
    assert transfer.status == TransferStatus.CANCELLED


def test_a_finished_transfer_cannot_be_cancelled(approved, cadre_a, cadre_b):
    transfer_accept(transfer=approved, by=cadre_b, on=ACCEPTED)

    with pytest.raises(ValidationError, match="已办结"):
        transfer_cancel(transfer=approved, by=cadre_a)
    approved.refresh_from_db()
    assert approved.status == TransferStatus.ACCEPTED
