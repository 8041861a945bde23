"""换届选举: recording an election starts the new term — chair, term length, term start, and the date
the next election falls due."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from unions.choices import UnionStatus
from unions.models import Election
from unions.services import election_record

HELD = dt.date(2025, 5, 20)


def error_fields(excinfo) -> set:
    return set(excinfo.value.message_dict)


def test_election_record_starts_a_new_term(union_a, cadre_a):
    assert union_a.election_due_on == dt.date(2020, 3, 1)  # five years after establishment, overdue

    election = election_record(
        union=union_a, held_on=HELD, chair_name="  刘志强 ", term_years=3, by=cadre_a, notes="差额选举"
    )

    union_a.refresh_from_db()
    assert (union_a.chair_name, union_a.term_years, union_a.term_started_on) == ("刘志强", 3, HELD)
    assert union_a.election_due_on == dt.date(2028, 5, 20)
    assert (
        election.union,
        election.chair_name,
        election.term_years,
        election.recorded_by,
        election.notes,
    ) == (
        union_a,
        "刘志强",
        3,
        cadre_a,
        "差额选举",
    )


def test_election_record_updates_the_callers_union_object(union_a, cadre_a):
    election_record(union=union_a, held_on=HELD, chair_name="刘志强", term_years=5, by=cadre_a)
    assert union_a.election_due_on == dt.date(2030, 5, 20)


def test_election_record_records_the_acting_user_in_history(union_a, cadre_a):
    election = election_record(union=union_a, held_on=HELD, chair_name="刘志强", term_years=5, by=cadre_a)

    assert election.history.get().history_user == cadre_a
    latest = union_a.history.first()
    assert (latest.chair_name, latest.history_user) == ("刘志强", cadre_a)


def test_an_election_on_the_day_the_union_was_established_is_accepted(union_a, cadre_a):
    election_record(
        union=union_a, held_on=union_a.established_on, chair_name="刘志强", term_years=5, by=cadre_a
    )
    union_a.refresh_from_db()
    assert union_a.term_started_on == union_a.established_on


def test_an_election_before_the_union_was_established_is_refused(union_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        election_record(
            union=union_a,
            held_on=union_a.established_on - dt.timedelta(days=1),
            chair_name="刘志强",
            term_years=5,
            by=cadre_a,
        )
    assert error_fields(excinfo) == {"held_on"}
    assert not Election.objects.exists()


def test_an_election_in_the_future_is_refused_but_today_is_accepted(union_a, cadre_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        election_record(
            union=union_a, held_on=today + dt.timedelta(days=1), chair_name="刘志强", term_years=5, by=cadre_a
        )
    assert error_fields(excinfo) == {"held_on"}

    election_record(union=union_a, held_on=today, chair_name="刘志强", term_years=5, by=cadre_a)


def test_an_election_before_the_current_term_began_is_refused(union_a, cadre_a):
    election_record(union=union_a, held_on=HELD, chair_name="刘志强", term_years=5, by=cadre_a)

    with pytest.raises(ValidationError) as excinfo:
        election_record(
            union=union_a, held_on=HELD - dt.timedelta(days=1), chair_name="赵敏", term_years=5, by=cadre_a
        )
    assert error_fields(excinfo) == {"held_on"}
    union_a.refresh_from_db()
    assert (union_a.chair_name, union_a.term_started_on) == ("刘志强", HELD)


def test_a_later_election_starts_another_term(union_a, cadre_a):
    election_record(union=union_a, held_on=dt.date(2020, 3, 1), chair_name="刘志强", term_years=5, by=cadre_a)
    election_record(union=union_a, held_on=HELD, chair_name="赵敏", term_years=3, by=cadre_a)

    union_a.refresh_from_db()
    assert (union_a.chair_name, union_a.election_due_on) == ("赵敏", dt.date(2028, 5, 20))
    assert union_a.elections.count() == 2


def test_the_same_election_cannot_be_recorded_twice(union_a, cadre_a):
    election_record(union=union_a, held_on=HELD, chair_name="刘志强", term_years=5, by=cadre_a)

    with pytest.raises(ValidationError) as excinfo:
        election_record(union=union_a, held_on=HELD, chair_name="刘志强", term_years=5, by=cadre_a)
    assert error_fields(excinfo) == {"held_on"}
    assert union_a.elections.count() == 1


@pytest.mark.parametrize(
    ("chair_name", "term_years", "field"), [(" ", 5, "chair_name"), ("刘志强", 4, "term_years")]
)
def test_an_election_needs_a_chair_and_a_term_of_three_or_five_years(
    union_a, cadre_a, chair_name, term_years, field
):
    with pytest.raises(ValidationError) as excinfo:
        election_record(union=union_a, held_on=HELD, chair_name=chair_name, term_years=term_years, by=cadre_a)
    assert error_fields(excinfo) == {field}
    union_a.refresh_from_db()
    assert union_a.term_started_on is None


def test_a_dissolved_union_holds_no_election(union_a, cadre_a):
    union_a.status = UnionStatus.DISSOLVED
    union_a.status_changed_on = dt.date(2024, 1, 1)
    union_a.save()

    with pytest.raises(ValidationError, match="撤销或合并"):
        election_record(union=union_a, held_on=HELD, chair_name="刘志强", term_years=5, by=cadre_a)


@pytest.mark.parametrize(
    ("user", "union", "allowed"),
    [
        ("cadre_a", "union_a", True),
        ("cadre_a", "union_b", False),
        ("township_staff", "union_b", True),
        ("county_staff", "union_b", True),
        ("admin_user", "outside_union", True),
        ("county_chair", "union_a", False),
        ("outside_staff", "union_a", False),
    ],
)
def test_only_those_who_keep_the_unions_records_record_its_election(request, user, union, allowed):
    user, union = request.getfixturevalue(user), request.getfixturevalue(union)
    if allowed:
        assert (
            election_record(union=union, held_on=HELD, chair_name="刘志强", term_years=5, by=user).union
            == union
        )
    else:
        with pytest.raises(PermissionDenied):
            election_record(union=union, held_on=HELD, chair_name="刘志强", term_years=5, by=user)
        assert not Election.objects.exists()
