"""The membership flow (members.models.MembershipFlow) is a stored sum of MembershipChange and the
member facts: after every kind of write it equals the same figures computed from the base tables —
per union and year, and as the catalogue's membership figures of every federation of the tree."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from federation.identifiers import make_resident_id
from federation.models import Federation
from members.choices import ChangeType, Gender
from members.flows import flows_differ_from_changes, rebuild_flows
from members.models import Member, MembershipChange, MembershipFlow
from members.services import (
    member_join,
    member_status_change,
    member_update,
    transfer_accept,
    transfer_approve,
    transfer_request,
)
from reports.indicators import union_rows
from reports.indicators.base import Period, Scope
from reports.indicators.catalogue import BY_KEY
from reports.indicators.compute import FLOW_KEYS, compute_values
from tests.support.factories import UnionFactory
from tests.support.import_sheets import import_file, import_files_in_tmp  # noqa: F401 — autouse
from tests.support.import_sheets import problems_of as problems
from tests.support.roster_workbooks import person as roster_person
from tests.support.roster_workbooks import write_roster
from unions.closing import union_dissolve, union_merge

Y = 2025
D = dt.date


def person(n: int, gender: str = Gender.MALE, **fields) -> dict:
    born = D(1980, 1, 1) + dt.timedelta(days=n * 41)
    return {
        "name": f"流量{n}",
        "gender": gender,
        "birth_date": born,
        "id_number": make_resident_id("110105", born, n, gender),
        **fields,
    }


def fresh_from_records(scope: Scope, period: Period) -> dict:
    """The membership figures by the indicators' own definitions over MembershipChange and Member."""
    values = {}
    for key in FLOW_KEYS:
        indicator = BY_KEY[key]
        aggregate = indicator.records(scope, period).aggregate(v=indicator.aggregate_for(scope))
        values[key] = aggregate["v"] or 0
    return values


def union_figures_from_records(federation: Federation, year: int) -> dict:
    """Each union's members at year end, women, migrant workers and those who joined (入会) in the
    year, counted member by member from the history."""
    figures: dict = {}
    for union_id in {row["pk"] for row in union_rows(federation, year)}:
        changes = MembershipChange.objects.filter(union_id=union_id, changed_on__lte=D(year, 12, 31))
        row = dict.fromkeys(("members", "women_members", "migrant_members", "new_members"), 0)
        for change in changes.select_related("member"):
            sign = {ChangeType.JOIN: 1, ChangeType.TRANSFER_IN: 1, ChangeType.RESERVE: 0}.get(
                change.change_type, -1
            )
            row["members"] += sign
            row["women_members"] += sign if change.member.gender == Gender.FEMALE else 0
            row["migrant_members"] += sign if change.member.is_migrant_worker else 0
            if change.change_type == ChangeType.JOIN and change.changed_on.year == year:
                row["new_members"] += 1
        figures[union_id] = row
    return figures


def assert_flow_matches_records() -> None:
    assert flows_differ_from_changes() == []
    for federation in Federation.objects.all():
        scope = Scope(federation)
        for year in (Y - 1, Y):
            indicators = [BY_KEY[key] for key in FLOW_KEYS]
            shown = compute_values(scope, Period(year), indicators)
            assert {key: shown[key] for key in FLOW_KEYS} == fresh_from_records(scope, Period(year)), (
                federation,
                year,
            )
        rows = {
            row["pk"]: {k: row[k] for k in ("members", "women_members", "migrant_members", "new_members")}
            for row in union_rows(federation, Y)
        }
        assert rows == union_figures_from_records(federation, Y), federation


@pytest.fixture
def joined(union_a, union_b, admin_user):
    """Members joined through the service, in two unions of the tree, over two years."""
    members = [
        member_join(union=union_a, by=admin_user, joined_on=D(Y - 1, 3, 1), **person(1)),
        member_join(union=union_a, by=admin_user, joined_on=D(Y - 1, 4, 1), **person(2, Gender.FEMALE)),
        member_join(
            union=union_a, by=admin_user, joined_on=D(Y, 2, 1), **person(3, Gender.FEMALE, is_cadre=True)
        ),
        member_join(union=union_b, by=admin_user, joined_on=D(Y, 2, 1), **person(4, is_migrant_worker=True)),
        member_join(union=union_b, by=admin_user, joined_on=D(Y - 1, 5, 1), **person(5)),
    ]
    assert_flow_matches_records()
    return members


def _transfer(member, to_union, by, on):
    transfer = transfer_request(member=member, to_union=to_union, by=by, requested_on=on)
    transfer_approve(transfer=transfer, by=by, on=on)
    transfer_accept(transfer=transfer, by=by, on=on)


def test_joining_keeps_the_flow(joined):
    assert MembershipFlow.objects.filter(year=Y).count() == 2


@pytest.mark.parametrize(
    "change_type", [ChangeType.WITHDRAW, ChangeType.EXPEL, ChangeType.DEATH, ChangeType.TRANSFER_OUT]
)
def test_leaving_keeps_the_flow(joined, admin_user, change_type):
    reason = "personal" if change_type == ChangeType.WITHDRAW else ""
    if change_type == ChangeType.EXPEL:
        reason = "crime"
    member_status_change(
        member=joined[1], change_type=change_type, changed_on=D(Y, 6, 1), by=admin_user, reason=reason
    )
    assert_flow_matches_records()


def test_reserving_a_membership_changes_no_figure(joined, admin_user):
    member_status_change(
        member=joined[0], change_type=ChangeType.RESERVE, changed_on=D(Y, 6, 1), by=admin_user
    )
    assert_flow_matches_records()


def test_a_transfer_within_the_federation_keeps_the_flow(joined, union_b, admin_user):
    _transfer(joined[1], union_b, admin_user, D(Y, 7, 1))
    assert_flow_matches_records()


def test_a_transfer_to_another_federation_and_back_keeps_the_flow(joined, outside_union, union_a, admin_user):
    _transfer(joined[2], outside_union, admin_user, D(Y, 7, 1))
    assert_flow_matches_records()
    _transfer(joined[2], union_a, admin_user, D(Y, 9, 1))
    assert_flow_matches_records()


def test_member_facts_changed_in_the_profile_move_the_members_history(joined, union_b, admin_user):
    _transfer(joined[0], union_b, admin_user, D(Y, 7, 1))
    member_update(member=joined[0], by=admin_user, is_migrant_worker=True, is_cadre=True)
    assert_flow_matches_records()
    member_update(member=joined[3], by=admin_user, is_migrant_worker=False)
    assert_flow_matches_records()


def test_an_administrators_gender_correction_moves_the_members_history(joined, admin_user):
    member = Member.objects.get(pk=joined[2].pk)
    member.gender = Gender.MALE
    member.id_number = make_resident_id("110105", member.birth_date, 3, Gender.MALE)
    request = RequestFactory().post("/")
    request.user = admin_user
    admin.site._registry[Member].save_model(request, member, None, True)
    assert Member.objects.get(pk=member.pk).gender == Gender.MALE
    assert_flow_matches_records()


def test_a_roster_import_keeps_the_flow(joined, tmp_path, union_a, admin_user, cadre_a):
    created = write_roster(tmp_path / "new.xlsx", [roster_person(n) for n in range(10, 16)])
    batch, _outcome = import_file(created, kind="members", by=cadre_a, union=union_a)
    assert batch.status == "committed", _outcome and problems(_outcome)
    assert_flow_matches_records()
    # The same people again, now migrant workers and cadres: the import updates their facts.
    changed = [
        roster_person(n, 是否农民工会员=("是" if n % 2 else "否"), 是否工会干部="是") for n in range(10, 16)
    ]
    batch, _outcome = import_file(
        write_roster(tmp_path / "changed.xlsx", changed), kind="members", by=cadre_a, union=union_a
    )
    assert batch.status == "committed"
    assert Member.objects.filter(is_cadre=True, union=union_a).count() == 7
    assert_flow_matches_records()


def test_a_merged_union_moves_its_members_flow(joined, union_a, township, admin_user):
    into = UnionFactory(federation=township, name="合并后的工会", established_on=D(2010, 1, 1))
    union_merge(union=union_a, into=into, on=D(Y, 8, 1), by=admin_user)
    assert_flow_matches_records()


def test_a_dissolved_union_keeps_its_history_in_the_flow(joined, union_b, admin_user):
    for member in Member.objects.filter(union=union_b):
        member_status_change(
            member=member,
            change_type=ChangeType.WITHDRAW,
            changed_on=D(Y, 6, 1),
            by=admin_user,
            reason="personal",
        )
    union_dissolve(union=union_b, on=D(Y, 9, 1), by=admin_user)
    assert_flow_matches_records()


def test_correcting_a_changes_reason_or_notes_leaves_the_flow_alone(joined, admin_user):
    # The admin edits only these two fields of a change, and deletes none.
    entry = MembershipChange.objects.filter(member=joined[0]).get()
    model_admin = admin.site._registry[MembershipChange]
    request = RequestFactory().post("/")
    request.user = admin_user
    assert set(model_admin.get_readonly_fields(request, entry)) >= {
        "union",
        "change_type",
        "changed_on",
        "member",
    }
    assert not model_admin.has_delete_permission(request, entry)
    entry.notes = "补记"
    model_admin.save_model(request, entry, None, True)
    assert_flow_matches_records()


def test_the_command_rebuilds_a_flow_that_drifted(joined):
    MembershipFlow.objects.filter(year=Y).update(net=99)
    with pytest.raises(CommandError):
        call_command("rebuild_aggregates", "--check")
    call_command("rebuild_aggregates")
    call_command("rebuild_aggregates", "--check")
    assert_flow_matches_records()


def test_rebuilding_gives_the_rows_the_services_kept(joined, union_b, admin_user):
    _transfer(joined[1], union_b, admin_user, D(Y, 7, 1))
    kept = sorted(
        MembershipFlow.objects.values_list("union_id", "year", "net", "women_net", "arrivals", "joins")
    )
    rebuild_flows()
    assert (
        sorted(
            MembershipFlow.objects.values_list("union_id", "year", "net", "women_net", "arrivals", "joins")
        )
        == kept
    )
