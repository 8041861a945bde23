"""The bulk writes of the imports (federation.imports.bulk): records derived by the database from
others carry the values and history rows a service would give them, whatever their keys."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from federation.imports import bulk
from members.choices import ChangeType
from members.models import MembershipChange
from tests.support.factories import MemberFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL statement")


def test_consecutive_keys_are_found_as_a_range_any_others_as_an_array():
    assert bulk._pks_condition("id", [7, 8, 9]) == ("id BETWEEN %s AND %s", [7, 9])
    assert bulk._pks_condition("id", [7, 9, 10]) == ("id = ANY(%s)", [[7, 9, 10]])
    # As many keys as the range holds, but not in order: not taken for the range.
    assert bulk._pks_condition("id", [9, 8, 7]) == ("id = ANY(%s)", [[9, 8, 7]])
    assert bulk._pks_condition("id", [8, 7, 9]) == ("id = ANY(%s)", [[8, 7, 9]])


@postgresql_only
@pytest.mark.parametrize("consecutive", [True, False])
def test_derived_records_and_their_history_are_those_of_the_source_rows(union_a, cadre_a, consecutive):
    first, skipped, last = MemberFactory.create_batch(3, union=union_a, join_entry=False)
    members = [first, skipped, last] if consecutive else [first, last]
    now = timezone.now()

    bulk.derive_with_history(
        MembershipChange,
        source=type(first),
        pks=[m.pk for m in members],
        columns={
            "member_id": ("s.id", []),
            "union_id": ("s.union_id", []),
            "change_type": ("%s", [ChangeType.JOIN]),
            "changed_on": ("s.joined_on", []),
            "recorded_by_id": ("%s", [cadre_a.pk]),
            "created_at": ("%s", [now]),
            "updated_at": ("%s", [now]),
        },
        user=cadre_a,
        when=now,
    )

    entries = MembershipChange.objects.order_by("member_id")
    assert [(e.member_id, e.changed_on, e.reason, e.notes, e.transfer_id) for e in entries] == [
        (m.pk, m.joined_on, "", "", None) for m in members
    ]
    for entry in entries:
        record = entry.history.get()
        assert (record.history_type, record.history_user, record.history_date) == ("+", cadre_a, now)
        own = [f.attname for f in MembershipChange._meta.concrete_fields]
        assert {f: getattr(record, f) for f in own} == {f: getattr(entry, f) for f in own}


@postgresql_only
@pytest.mark.parametrize(
    "given, missing",
    [
        ({}, "created_at"),  # auto_now_add: set by save(), not a default
        ({"created_at": ("now()", []), "updated_at": ("now()", [])}, "changed_on"),  # no default
    ],
)
def test_a_field_without_a_constant_default_must_be_given(union_a, cadre_a, given, missing):
    member = MemberFactory(union=union_a, join_entry=False)
    with pytest.raises(ValueError, match=missing):
        bulk.derive_with_history(
            MembershipChange,
            source=type(member),
            pks=[member.pk],
            columns={"member_id": ("s.id", []), "union_id": ("s.union_id", []), **given},
            user=cadre_a,
            when=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
    assert not MembershipChange.objects.exists()
