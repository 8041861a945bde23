"""The dashboard and the summary page show stored figures (reports.indicators.stored), which must never
be silently stale: after every kind of write the figures shown equal a fresh computation, because the
write marked them out of date in its own transaction (federation.freshness, reports.freshness)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from federation import freshness
from federation.identifiers import make_resident_id
from federation.models import ChangeMark, Federation, FederationYear
from members.choices import AidKind, CaseStatus, ChangeType, Gender, HardshipCategory, HardshipCause
from members.models import Member
from members.services import (
    aid_record_create,
    hardship_case_close,
    hardship_case_open,
    hardship_case_review,
    member_join,
    member_status_change,
    member_update,
    transfer_accept,
    transfer_approve,
    transfer_request,
)
from reports.indicators import stored
from reports.indicators.compute import compute_catalogue, union_rows
from reports.models import StoredFigures
from reports.summary.tables import appendix_table
from tests.support.factories import ActivityFactory, ContractFactory, UnionFactory, UnionYearFactory
from tests.support.import_sheets import import_file, import_files_in_tmp  # noqa: F401 — autouse
from tests.support.roster_workbooks import person as roster_person
from tests.support.roster_workbooks import write_roster
from unions.closing import union_dissolve
from unions.models import UnionHonour
from unions.services import election_record

Y = 2025
D = dt.date


def person(n: int, gender: str = Gender.MALE, **fields) -> dict:
    born = D(1981, 1, 1) + dt.timedelta(days=n * 37)
    return {
        "name": f"存数{n}",
        "gender": gender,
        "birth_date": born,
        "id_number": make_resident_id("110105", born, n, gender),
        **fields,
    }


def fresh(federation: Federation, year: int) -> dict:
    catalogue = compute_catalogue(federation, year)
    table, per_union = appendix_table(federation, union_rows(federation, year))
    return {
        "current": catalogue.current,
        "previous": catalogue.previous,
        "breakdowns": catalogue.breakdowns,
        "trend": catalogue.trend,
        "appendix": (table.rows, table.total, per_union),
    }


def shown(federation: Federation, year: int) -> dict:
    figures = stored.figures_for(federation, year)
    assert figures.fresh
    table, per_union = figures.appendix_table()
    catalogue = figures.catalogue
    return {
        "current": catalogue.current,
        "previous": catalogue.previous,
        "breakdowns": catalogue.breakdowns,
        "trend": catalogue.trend,
        "appendix": (table.rows, table.total, per_union),
    }


@pytest.fixture
def ledger(county, township, community, union_a, union_b, admin_user):
    """Members in two unions of the tree, and the figures of every federation stored."""
    members = [
        member_join(union=union_a, by=admin_user, joined_on=D(Y - 1, 3, 1), **person(1)),
        member_join(union=union_a, by=admin_user, joined_on=D(Y, 4, 1), **person(2, Gender.FEMALE)),
        member_join(union=union_b, by=admin_user, joined_on=D(Y, 2, 1), **person(3, is_migrant_worker=True)),
        member_join(union=union_b, by=admin_user, joined_on=D(Y - 1, 5, 1), **person(4)),
    ]
    federations = [county, township, community]
    for federation in federations:
        stored.refresh(federation, Y)
        stored.refresh(federation, Y - 1)
    assert not ChangeMark.objects.exists()
    return {"members": members, "federations": federations, "a": union_a, "b": union_b, "by": admin_user}


def _transfer(ledger):
    member, by = ledger["members"][0], ledger["by"]
    transfer = transfer_request(member=member, to_union=ledger["b"], by=by, requested_on=D(Y, 6, 1))
    transfer_approve(transfer=transfer, by=by, on=D(Y, 6, 1))
    transfer_accept(transfer=transfer, by=by, on=D(Y, 6, 2))


def _import_roster(ledger, tmp_path):
    path = write_roster(tmp_path / "roster.xlsx", [roster_person(90)])
    batch, _outcome = import_file(path, kind="members", by=ledger["by"], union=ledger["a"])
    assert batch.status == batch.Status.COMMITTED, batch.message


def _open_case(ledger):
    return hardship_case_open(
        member=ledger["members"][1],
        by=ledger["by"],
        opened_on=D(Y, 5, 1),
        primary_cause=HardshipCause.SERIOUS_ILLNESS,
        category=HardshipCategory.RELATIVE,
        household_size=3,
        annual_household_income=Decimal("30000"),
    )


def _review_case(ledger):
    case = _open_case(ledger)
    ChangeMark.objects.all().delete()  # only the review's own mark counts below
    for federation in ledger["federations"]:
        stored.refresh(federation, Y)
    hardship_case_review(case=case, kind="initial", reviewed_on=D(Y, 5, 10), by=ledger["by"])


def _close_case(ledger):
    case = _open_case(ledger)
    for federation in ledger["federations"]:
        stored.refresh(federation, Y)
    hardship_case_close(
        case=case, status=CaseStatus.RESOLVED, closed_on=D(Y, 9, 1), by=ledger["by"], reason="已脱困"
    )


def _admin_edit_member(ledger):
    member = ledger["members"][2]
    model_admin = admin.site._registry[Member]
    request = RequestFactory().post("/")
    request.user = ledger["by"]
    member.gender = Gender.FEMALE
    model_admin.save_model(request, member, form=None, change=True)


def _dissolve(ledger):
    union = UnionFactory(
        federation=ledger["federations"][1], name="待撤销工会", established_on=D(Y - 3, 1, 1)
    )
    for federation in ledger["federations"]:
        stored.refresh(federation, Y)
    union_dissolve(union=union, on=D(Y, 10, 1), by=ledger["by"], reason="企业关闭")


def _rename_federation(ledger):
    federation = Federation.objects.get(pk=ledger["federations"][2].pk)
    federation.name = "测试社区工会联合会（更名）"
    federation.save()


WRITES = {
    "join": lambda ledger: member_join(
        union=ledger["b"], by=ledger["by"], joined_on=D(Y, 8, 1), **person(20, Gender.FEMALE)
    ),
    "leave": lambda ledger: member_status_change(
        member=ledger["members"][3],
        change_type=ChangeType.WITHDRAW,
        changed_on=D(Y, 7, 1),
        by=ledger["by"],
        reason="personal",
    ),
    "profile": lambda ledger: member_update(member=ledger["members"][0], by=ledger["by"], is_cadre=True),
    "transfer": _transfer,
    "admin edit": _admin_edit_member,
    "union created": lambda ledger: UnionFactory(
        federation=ledger["federations"][2], name="新建工会", established_on=D(Y, 3, 1)
    ),
    "union dissolved": _dissolve,
    "union year": lambda ledger: UnionYearFactory(union=ledger["a"], year=Y, employees=321),
    "election": lambda ledger: election_record(
        union=ledger["a"], held_on=D(Y, 4, 1), chair_name="新主席", term_years=5, by=ledger["by"]
    ),
    "union honour": lambda ledger: UnionHonour.objects.create(
        union=ledger["b"], title="model_home", level="city", year=Y
    ),
    "contract": lambda ledger: ContractFactory(union=ledger["a"], signed_on=D(Y, 3, 1)),
    "contract covers unions": lambda ledger: ContractFactory(
        union=None, federation=ledger["federations"][1], scope="regional", signed_on=D(Y, 3, 1)
    ).covered_unions.add(ledger["b"]),
    "hardship case": _open_case,
    "case review": _review_case,
    "case closed": _close_case,
    "aid": lambda ledger: aid_record_create(
        member=ledger["members"][0],
        by=ledger["by"],
        aid_on=D(Y, 9, 9),
        kind=AidKind.FESTIVAL,
        amount=Decimal("800"),
    ),
    "activity": lambda ledger: ActivityFactory(union=ledger["b"], federation=None, starts_on=D(Y, 5, 1)),
    "federation year": lambda ledger: FederationYear.objects.create(
        federation=ledger["federations"][1], year=Y, employers_should_unionise=77
    ),
    "federation renamed": _rename_federation,
}


@pytest.mark.parametrize("kind", WRITES)
def test_every_kind_of_write_marks_the_stored_figures_and_the_page_shows_fresh_ones(ledger, kind, tmp_path):
    before = {f.pk: shown(f, Y) for f in ledger["federations"]}
    WRITES[kind](ledger)
    county = ledger["federations"][0]
    # The write marked the top of the tree (and so the stored figures are out of date, not shown as fresh).
    assert freshness.is_marked(county.pk), kind
    for federation in ledger["federations"]:
        assert shown(federation, Y) == fresh(federation, Y), (kind, federation.name)
    # The county's figures changed for every write that changes a figure; the rest at least stayed right.
    after = shown(county, Y)
    if kind not in ("federation renamed", "admin edit", "case review"):
        assert after != before[county.pk], kind


def test_importing_a_roster_marks_the_stored_figures(ledger, tmp_path):
    county = ledger["federations"][0]
    before = shown(county, Y)
    _import_roster(ledger, tmp_path)
    assert freshness.is_marked(county.pk)
    after = shown(county, Y)
    assert after == fresh(county, Y)
    assert after["current"]["members"] == before["current"]["members"] + 1


def test_a_write_during_the_computation_leaves_the_figures_marked(ledger, monkeypatch):
    """The marks a computation did not read (a write that committed while it ran) survive it."""
    county = ledger["federations"][0]
    member_join(union=ledger["a"], by=ledger["by"], joined_on=D(Y, 8, 1), **person(30))
    compute = stored._compute

    def compute_while_another_write_commits(federation, year, kind):
        data = compute(federation, year, kind)
        member_join(union=ledger["a"], by=ledger["by"], joined_on=D(Y, 8, 2), **person(31))
        return data

    monkeypatch.setattr(stored, "_compute", compute_while_another_write_commits)
    stored.refresh(county, Y)
    assert freshness.is_marked(county.pk)
    monkeypatch.setattr(stored, "_compute", compute)
    assert shown(county, Y) == fresh(county, Y)


def test_a_refresh_leaves_the_other_years_out_of_date(ledger):
    county = ledger["federations"][0]
    member_status_change(
        member=ledger["members"][0],
        change_type=ChangeType.WITHDRAW,
        changed_on=D(Y - 1, 12, 1),
        by=ledger["by"],
        reason="personal",
    )
    stored.refresh(county, Y)
    assert StoredFigures.objects.get(federation=county, year=Y - 1).stale
    assert shown(county, Y - 1) == fresh(county, Y - 1)


def test_with_a_queue_the_page_shows_the_stored_figures_labelled_and_queues_a_refresh(
    ledger, client, county_staff, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(stored, "_queue", lambda federation, year, kind: queued.append((federation.pk, year)))
    county = ledger["federations"][0]
    client.force_login(county_staff)
    page = client.get(reverse("reports:summary", args=[county.pk, Y])).content.decode()
    assert "已包含全部录入" in page and not queued
    member_join(union=ledger["a"], by=ledger["by"], joined_on=D(Y, 8, 1), **person(40))
    page = client.get(reverse("reports:summary", args=[county.pk, Y])).content.decode()
    assert "正在重新计算" in page
    assert queued == [(county.pk, Y)]
    # The worker's task computes them; the page then shows them as fresh again.
    from reports import tasks

    tasks.refresh_figures.apply(args=(county.pk, Y))
    page = client.get(reverse("reports:summary", args=[county.pk, Y])).content.decode()
    assert "已包含全部录入" in page
    assert stored.figures_for(county, Y).catalogue.current == compute_catalogue(county, Y).current


def test_beat_refreshes_what_writes_made_out_of_date(ledger, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    member_join(union=ledger["a"], by=ledger["by"], joined_on=D(Y, 8, 1), **person(50))
    # Union A's federation and the county above it, year Y (Y−1 is out of date too, but is refreshed when
    # a page asks for it); the community's figures were not marked.
    assert stored.refresh_due() == 2
    assert not ChangeMark.objects.exists()
    assert stored.figures_for(ledger["federations"][0], Y).fresh


def test_stored_values_keep_their_types():
    value = {"a": Decimal("1.50"), "b": (1, "x"), "c": [D(2025, 1, 2)], "d": {3, 4}, "e": None}
    assert stored.unpack(stored.pack(value)) == value


def test_the_only_roots_figures_are_the_same_without_the_path_conditions(ledger, monkeypatch):
    """A root with no other root beside it covers everything: its figures are computed without joining
    the tree (Scope.is_everything) — and equal the figures computed through the paths."""
    from federation.scope import Scope

    county = ledger["federations"][0]
    ContractFactory(union=None, federation=ledger["federations"][1], scope="regional", signed_on=D(Y, 3, 1))
    ActivityFactory(union=None, federation=county, starts_on=D(Y, 5, 1))
    ActivityFactory(union=ledger["b"], federation=None, starts_on=D(Y, 6, 1))
    assert Scope(county).is_everything
    assert not Scope(ledger["federations"][1]).is_everything
    fast = fresh(county, Y)
    monkeypatch.setattr(Scope, "is_everything", property(lambda self: False))
    assert fresh(county, Y) == fast


def test_a_second_root_makes_the_first_no_longer_everything(ledger, other_county):
    from federation.scope import Scope

    assert not Scope(ledger["federations"][0]).is_everything
