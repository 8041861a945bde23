"""member_join and member_status_change: one live membership per person, one history entry per
change, nothing deleted, and only those who keep the union's records may write them."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from federation.identifiers import make_resident_id
from members.choices import CaseStatus, ChangeReason, ChangeType, MembershipStatus
from members.models import Member, MembershipChange
from members.services import member_join, member_status_change, transfer_request
from tests.support.factories import HardshipCaseFactory, MemberFactory
from unions.choices import UnionStatus

JOINED = dt.date(2020, 4, 1)


def person(sequence=1, **overrides):
    born = overrides.pop("birth_date", dt.date(1988, 5, 17))
    gender = overrides.pop("gender", "M")
    fields = {
        "name": "王建军",
        "gender": gender,
        "birth_date": born,
        "id_number": make_resident_id("110105", born, sequence, gender),
    }
    return {**fields, **overrides}


def error_fields(excinfo) -> set:
    return set(excinfo.value.message_dict)


@pytest.fixture
def member_a(union_a, cadre_a):
    return member_join(union=union_a, by=cadre_a, joined_on=JOINED, **person())


# --- joining ---------------------------------------------------------------------------------------


def test_member_join_creates_live_member_with_join_entry_dated_joined_on(union_a, cadre_a):
    member = member_join(union=union_a, by=cadre_a, joined_on=JOINED, **person(mobile="138 0013 8000"))

    assert member.status == MembershipStatus.ACTIVE
    assert member.union == union_a
    assert member.mobile == "13800138000"  # normalised by the model's clean
    entry = member.changes.get()
    assert (entry.change_type, entry.changed_on, entry.union, entry.recorded_by) == (
        ChangeType.JOIN,
        JOINED,
        union_a,
        cadre_a,
    )


def test_member_join_records_the_acting_user_in_history(union_a, cadre_a):
    member = member_join(union=union_a, by=cadre_a, joined_on=JOINED, **person())

    assert member.history.get().history_user == cadre_a
    assert member.changes.get().history.get().history_user == cadre_a


def test_member_join_refuses_id_number_already_live_in_another_union(member_a, union_b, cadre_b):
    with pytest.raises(ValidationError) as excinfo:
        member_join(union=union_b, by=cadre_b, joined_on=JOINED, **person(name="王建君"))

    assert error_fields(excinfo) == {"id_number"}
    assert "有效会籍" in excinfo.value.message_dict["id_number"][0]
    assert Member.objects.count() == 1


def test_member_join_refuses_id_number_of_a_reserved_member(member_a, cadre_a, union_b, cadre_b):
    member_status_change(member=member_a, change_type=ChangeType.RESERVE, changed_on=JOINED, by=cadre_a)

    with pytest.raises(ValidationError) as excinfo:
        member_join(union=union_b, by=cadre_b, joined_on=JOINED, **person())
    assert error_fields(excinfo) == {"id_number"}


def test_member_join_accepts_id_number_of_a_member_who_has_left(member_a, cadre_a, union_b, cadre_b):
    member_status_change(
        member=member_a,
        change_type=ChangeType.WITHDRAW,
        changed_on=JOINED,
        by=cadre_a,
        reason=ChangeReason.LABOUR_RELATION,
    )

    again = member_join(union=union_b, by=cadre_b, joined_on=dt.date(2021, 1, 5), **person())

    assert again.pk != member_a.pk
    assert Member.objects.filter(id_number=again.id_number).count() == 2


def test_member_join_turns_a_lost_race_on_the_id_constraint_into_a_validation_error(
    union_a, cadre_a, union_b, monkeypatch
):
    """Another request inserts the same person after this one validated: the database constraint
    catches it, and the caller gets the same ValidationError as if the check had seen it."""
    original_full_clean = Member.full_clean

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        original_full_clean(self, *args, **kwargs)
        monkeypatch.setattr(Member, "full_clean", original_full_clean)
        MemberFactory(union=union_b, id_number=self.id_number, birth_date=self.birth_date)

    monkeypatch.setattr(Member, "full_clean", full_clean_then_lose_the_race)

    with pytest.raises(ValidationError) as excinfo:
        member_join(union=union_a, by=cadre_a, joined_on=JOINED, **person())
    assert error_fields(excinfo) == {"id_number"}
    # (The competing row was inserted inside this call's transaction, so it is rolled back too.)
    assert not Member.objects.filter(union=union_a).exists()


def run_concurrently(*calls):
    """Run each call in its own thread (each with its own database connection); return what each
    returned or raised."""
    results = [None] * len(calls)

    def run(index, call):
        try:
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
def test_two_concurrent_joins_with_one_id_number_let_exactly_one_win(
    union_a, cadre_a, union_b, cadre_b, monkeypatch
):
    # Hold both requests until each has passed validation, so that both really reach the INSERT.
    both_validated = threading.Barrier(2, timeout=10)
    original_full_clean = Member.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        original_full_clean(self, *args, **kwargs)
        both_validated.wait()

    monkeypatch.setattr(Member, "full_clean", full_clean_then_wait)

    results = run_concurrently(
        lambda: member_join(union=union_a, by=cadre_a, joined_on=JOINED, **person()),
        lambda: member_join(union=union_b, by=cadre_b, joined_on=JOINED, **person()),
    )

    winners = [r for r in results if isinstance(r, Member)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert set(losers[0].message_dict) == {"id_number"}
    assert Member.objects.count() == 1
    assert MembershipChange.objects.count() == 1


def test_member_join_refuses_a_wrong_id_check_digit(union_a, cadre_a):
    fields = person()
    fields["id_number"] = fields["id_number"][:17] + ("0" if fields["id_number"][17] != "0" else "1")

    with pytest.raises(ValidationError) as excinfo:
        member_join(union=union_a, by=cadre_a, joined_on=JOINED, **fields)
    assert "id_number" in excinfo.value.message_dict


def test_member_join_refuses_a_future_date_but_accepts_today(union_a, cadre_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        member_join(union=union_a, by=cadre_a, joined_on=today + dt.timedelta(days=1), **person())
    assert error_fields(excinfo) == {"joined_on"}

    assert member_join(union=union_a, by=cadre_a, joined_on=today, **person()).joined_on == today


def test_member_join_refuses_a_dissolved_union(union_a, cadre_a):
    union_a.status = UnionStatus.DISSOLVED
    union_a.status_changed_on = dt.date(2024, 1, 1)
    union_a.save()

    with pytest.raises(ValidationError) as excinfo:
        member_join(union=union_a, by=cadre_a, joined_on=JOINED, **person())
    assert error_fields(excinfo) == {"union"}


def test_member_join_refuses_fields_it_does_not_know(union_a, cadre_a):
    with pytest.raises(TypeError):
        member_join(union=union_a, by=cadre_a, joined_on=JOINED, status="withdrawn", **person())


@pytest.mark.parametrize(
    ("user", "union", "allowed"),
    [
        ("cadre_a", "union_a", True),
        ("cadre_a", "union_b", False),
        ("cadre_b", "union_b", True),
        ("township_staff", "union_b", True),  # two levels down
        ("county_staff", "union_a", True),
        ("admin_user", "outside_union", True),
        ("county_chair", "union_a", False),  # the chair reads, does not write
        ("outside_staff", "union_a", False),
    ],
)
def test_member_join_is_allowed_only_to_those_who_keep_the_unions_records(request, user, union, allowed):
    user, union = request.getfixturevalue(user), request.getfixturevalue(union)

    if allowed:
        assert member_join(union=union, by=user, joined_on=JOINED, **person()).union == union
    else:
        with pytest.raises(PermissionDenied):
            member_join(union=union, by=user, joined_on=JOINED, **person())
        assert not Member.objects.exists()


# --- status changes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change_type", "reason", "status", "leaves"),
    [
        (ChangeType.RESERVE, ChangeReason.LAID_OFF, MembershipStatus.RESERVED, False),
        (ChangeType.WITHDRAW, ChangeReason.PERSONAL, MembershipStatus.WITHDRAWN, True),
        (ChangeType.EXPEL, ChangeReason.CRIME, MembershipStatus.EXPELLED, True),
        (ChangeType.DEATH, "", MembershipStatus.DECEASED, True),
        (ChangeType.TRANSFER_OUT, ChangeReason.LABOUR_RELATION, MembershipStatus.TRANSFERRED_OUT, True),
    ],
)
def test_status_change_writes_one_entry_and_sets_the_status_it_leads_to(
    member_a, cadre_a, union_a, change_type, reason, status, leaves
):
    on = dt.date(2024, 3, 8)
    entry = member_status_change(
        member=member_a, change_type=change_type, changed_on=on, by=cadre_a, reason=reason, notes="备注"
    )

    member_a.refresh_from_db()
    assert member_a.status == status
    assert member_a.left_on == (on if leaves else None)
    assert (entry.change_type, entry.changed_on, entry.union, entry.reason, entry.recorded_by) == (
        change_type,
        on,
        union_a,
        reason,
        cadre_a,
    )
    assert member_a.changes.count() == 2  # 入会 and this one; nothing deleted
    assert Member.objects.filter(pk=member_a.pk).exists()


def test_status_change_updates_the_callers_member_object(member_a, cadre_a):
    member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=JOINED, by=cadre_a)

    assert member_a.status == MembershipStatus.DECEASED
    assert member_a.left_on == JOINED


def test_status_change_records_the_acting_user_in_history(member_a, township_staff):
    member_status_change(
        member=member_a, change_type=ChangeType.DEATH, changed_on=dt.date(2024, 3, 8), by=township_staff
    )

    latest = member_a.history.first()
    assert latest.status == MembershipStatus.DECEASED
    assert latest.history_user == township_staff


@pytest.mark.parametrize("change_type", [ChangeType.JOIN, ChangeType.TRANSFER_IN])
def test_status_change_refuses_joining_changes(member_a, cadre_a, change_type):
    with pytest.raises(ValidationError) as excinfo:
        member_status_change(member=member_a, change_type=change_type, changed_on=JOINED, by=cadre_a)
    assert error_fields(excinfo) == {"change_type"}


def test_status_change_refuses_a_member_who_has_left(member_a, cadre_a):
    member_status_change(
        member=member_a, change_type=ChangeType.WITHDRAW, changed_on=JOINED, by=cadre_a, reason="personal"
    )

    with pytest.raises(ValidationError, match="已退会"):
        member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=JOINED, by=cadre_a)
    assert member_a.changes.count() == 2


@pytest.mark.parametrize(
    ("change_type", "reason", "status"),
    [
        (ChangeType.DEATH, "", MembershipStatus.DECEASED),
        (ChangeType.EXPEL, ChangeReason.CRIME, MembershipStatus.EXPELLED),
        (ChangeType.WITHDRAW, ChangeReason.PERSONAL, MembershipStatus.WITHDRAWN),
    ],
)
def test_a_reserved_member_can_still_leave(member_a, cadre_a, change_type, reason, status):
    member_status_change(member=member_a, change_type=ChangeType.RESERVE, changed_on=JOINED, by=cadre_a)

    member_status_change(
        member=member_a, change_type=change_type, changed_on=dt.date(2023, 1, 1), by=cadre_a, reason=reason
    )
    assert member_a.status == status


def test_a_reserved_member_cannot_be_reserved_again(member_a, cadre_a):
    member_status_change(member=member_a, change_type=ChangeType.RESERVE, changed_on=JOINED, by=cadre_a)

    with pytest.raises(ValidationError) as excinfo:
        member_status_change(member=member_a, change_type=ChangeType.RESERVE, changed_on=JOINED, by=cadre_a)
    assert error_fields(excinfo) == {"change_type"}


def test_status_change_refuses_a_date_before_joining_but_accepts_the_joining_day(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        member_status_change(
            member=member_a,
            change_type=ChangeType.DEATH,
            changed_on=JOINED - dt.timedelta(days=1),
            by=cadre_a,
        )
    assert error_fields(excinfo) == {"changed_on"}

    member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=JOINED, by=cadre_a)
    assert member_a.status == MembershipStatus.DECEASED


def test_status_change_refuses_a_date_before_joining_even_without_a_join_entry(union_a, cadre_a):
    """Members loaded before the history was kept have no 入会 entry; joined_on still bounds them."""
    member = MemberFactory(union=union_a, joined_on=JOINED, join_entry=False)

    with pytest.raises(ValidationError) as excinfo:
        member_status_change(
            member=member,
            change_type=ChangeType.RESERVE,
            changed_on=JOINED - dt.timedelta(days=1),
            by=cadre_a,
        )
    assert error_fields(excinfo) == {"changed_on"}


def test_status_change_refuses_a_date_before_the_latest_change(member_a, cadre_a):
    member_status_change(
        member=member_a, change_type=ChangeType.RESERVE, changed_on=dt.date(2023, 6, 1), by=cadre_a
    )

    with pytest.raises(ValidationError) as excinfo:
        member_status_change(
            member=member_a, change_type=ChangeType.DEATH, changed_on=dt.date(2023, 5, 31), by=cadre_a
        )
    assert error_fields(excinfo) == {"changed_on"}


def test_status_change_refuses_a_future_date(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        member_status_change(
            member=member_a,
            change_type=ChangeType.DEATH,
            changed_on=timezone.localdate() + dt.timedelta(days=1),
            by=cadre_a,
        )
    assert error_fields(excinfo) == {"changed_on"}


@pytest.mark.parametrize("change_type", [ChangeType.WITHDRAW, ChangeType.EXPEL])
def test_withdrawal_and_expulsion_need_a_reason(member_a, cadre_a, change_type):
    with pytest.raises(ValidationError) as excinfo:
        member_status_change(member=member_a, change_type=change_type, changed_on=JOINED, by=cadre_a)
    assert error_fields(excinfo) == {"reason"}

    member_status_change(
        member=member_a, change_type=change_type, changed_on=JOINED, by=cadre_a, reason=ChangeReason.OTHER
    )
    assert not member_a.is_live


def test_death_needs_no_reason(member_a, cadre_a):
    member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=JOINED, by=cadre_a)
    assert member_a.status == MembershipStatus.DECEASED


@pytest.mark.parametrize(
    ("reason", "wrong", "right"),
    [
        (ChangeReason.CRIME, ChangeType.WITHDRAW, ChangeType.EXPEL),
        (ChangeReason.PERSONAL, ChangeType.EXPEL, ChangeType.WITHDRAW),
    ],
)
def test_a_reason_that_belongs_to_one_change_is_refused_for_another(member_a, cadre_a, reason, wrong, right):
    with pytest.raises(ValidationError) as excinfo:
        member_status_change(member=member_a, change_type=wrong, changed_on=JOINED, by=cadre_a, reason=reason)
    assert error_fields(excinfo) == {"reason"}

    member_status_change(member=member_a, change_type=right, changed_on=JOINED, by=cadre_a, reason=reason)


def test_status_change_refuses_a_reason_outside_the_official_list(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        member_status_change(
            member=member_a, change_type=ChangeType.WITHDRAW, changed_on=JOINED, by=cadre_a, reason="bored"
        )
    assert error_fields(excinfo) == {"reason"}


def test_leaving_is_refused_while_a_transfer_is_open_but_reserving_is_not(member_a, cadre_a, union_b):
    transfer_request(member=member_a, to_union=union_b, by=cadre_a, requested_on=dt.date(2024, 1, 2))

    with pytest.raises(ValidationError, match="转接"):
        member_status_change(
            member=member_a, change_type=ChangeType.DEATH, changed_on=dt.date(2024, 2, 1), by=cadre_a
        )

    member_status_change(
        member=member_a, change_type=ChangeType.RESERVE, changed_on=dt.date(2024, 2, 1), by=cadre_a
    )
    assert member_a.status == MembershipStatus.RESERVED


def test_leaving_closes_the_open_hardship_case_as_exited(member_a, cadre_a):
    case = HardshipCaseFactory(member=member_a, opened_on=dt.date(2024, 1, 1))

    member_status_change(
        member=member_a, change_type=ChangeType.DEATH, changed_on=dt.date(2024, 9, 1), by=cadre_a
    )

    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.EXITED, dt.date(2024, 9, 1))
    assert "去世" in case.close_reason
    assert case.history.first().history_user == cadre_a


def test_reserving_keeps_the_hardship_case_open(member_a, cadre_a):
    case = HardshipCaseFactory(member=member_a, opened_on=dt.date(2024, 1, 1))

    member_status_change(
        member=member_a, change_type=ChangeType.RESERVE, changed_on=dt.date(2024, 9, 1), by=cadre_a
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_leaving_before_the_open_case_was_opened_is_refused(member_a, cadre_a):
    HardshipCaseFactory(member=member_a, opened_on=dt.date(2024, 1, 1))

    with pytest.raises(ValidationError) as excinfo:
        member_status_change(
            member=member_a, change_type=ChangeType.DEATH, changed_on=dt.date(2023, 12, 31), by=cadre_a
        )
    assert error_fields(excinfo) == {"changed_on"}
    member_a.refresh_from_db()
    assert member_a.is_live


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ("cadre_a", True),
        ("township_staff", True),
        ("admin_user", True),
        ("cadre_b", False),
        ("county_chair", False),
        ("outside_staff", False),
    ],
)
def test_status_change_is_allowed_only_to_those_who_keep_the_members_union(request, member_a, user, allowed):
    user = request.getfixturevalue(user)

    if allowed:
        member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=JOINED, by=user)
        assert member_a.status == MembershipStatus.DECEASED
    else:
        with pytest.raises(PermissionDenied):
            member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=JOINED, by=user)
        member_a.refresh_from_db()
        assert member_a.status == MembershipStatus.ACTIVE
        assert member_a.changes.count() == 1
