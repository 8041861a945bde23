"""Rules that several pages share, each written once: a contract about to expire, a 换届 due, a case
overdue for review, whose turn it is on a transfer, who sees federations, the valid years, the member
and narrative field lists. Each test asks every place that shows the rule for the same answer."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.urls import reverse
from django.utils import timezone

from federation import scoping
from federation.imports.forms import ImportStartForm
from federation.models import User
from federation.years import FIRST_YEAR, last_valid_year, valid_year
from members.forms import MemberJoinForm, MemberProfileForm
from members.models import IDENTITY_FIELDS, MEMBER_FIELDS, PROFILE_FIELDS, MembershipTransfer
from members.selectors import transfers_awaiting_q
from reports.forms import SummaryDraftForm
from reports.management.commands.annual_summary import parse_year
from reports.models import SummaryDraft
from reports.services import frozen_narrative
from reports.summary.document import build_summary
from tests.support.factories import ContractFactory, HardshipCaseFactory, MemberFactory, UserFactory
from tests.support.jobs import job_download
from unions.models import GrassrootsUnion
from unions.selectors import DUE_WITHIN

ROOT = Path(__file__).resolve().parent.parent


def _today() -> dt.date:
    return timezone.localdate()


def _page(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


# --- A contract about to expire (unions.selectors.contract_expiring_q) -------------------------------


@pytest.mark.parametrize(
    "status,expiring",
    [
        ("signed", True),
        ("effective", True),
        ("expired", True),  # binding until its end date (CONTRACT_BINDING_STATUSES)
        ("negotiating", False),
        ("terminated", False),
    ],
)
def test_a_contract_ending_within_due_within_is_expiring_everywhere_only_while_it_binds(
    client, cadre_a, union_a, status, expiring
):
    contract = ContractFactory(
        union=union_a,
        title="将到期的合同",
        status=status,
        signed_on=dt.date(2024, 1, 1),
        starts_on=dt.date(2024, 1, 1),
        ends_on=_today() + dt.timedelta(days=30),
    )
    client.force_login(cadre_a)
    filtered = client.get(reverse("unions:contract-list"), {"expiring": "true"}).context["page"]
    assert (contract in filtered.object_list) is expiring
    assert ("即将到期" in _page(client, "unions:contract-list")) is expiring
    assert ("将到期的合同" in _page(client, "dashboard")) is expiring


def test_a_contract_ending_past_due_within_is_not_expiring(client, cadre_a, union_a):
    ContractFactory(union=union_a, title="远期合同", ends_on=_today() + DUE_WITHIN + dt.timedelta(days=1))
    client.force_login(cadre_a)
    assert not client.get(reverse("unions:contract-list"), {"expiring": "true"}).context["page"].object_list
    assert "即将到期" not in _page(client, "unions:contract-list")
    assert "远期合同" not in _page(client, "dashboard")


# --- A 换届 due (unions.selectors.election_due_q) -------------------------------------------------------


def test_an_active_union_due_within_due_within_is_flagged_on_the_list_its_page_and_the_dashboard(
    client, township_staff, union_a
):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(election_due_on=_today() + DUE_WITHIN)
    client.force_login(township_staff)
    assert 'title="90天内到期"' in _page(client, "unions:list")
    assert "90天内到期" in _page(client, "unions:detail", union_a.pk)
    assert "甲公司工会委员会" in _page(client, "dashboard")


def test_an_overdue_election_is_said_overdue_on_the_list_its_page_and_the_dashboard(
    client, township_staff, union_a
):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(election_due_on=_today() - dt.timedelta(days=1))
    client.force_login(township_staff)
    for page in (
        _page(client, "unions:list"),
        _page(client, "unions:detail", union_a.pk),
        _page(client, "dashboard"),
    ):
        assert "已逾期" in page


def test_a_dissolved_union_is_not_flagged_for_election_anywhere(client, township_staff, union_a):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(
        status="dissolved",
        status_changed_on=_today() - dt.timedelta(days=10),
        election_due_on=_today() - dt.timedelta(days=3),
    )
    client.force_login(township_staff)
    assert "已逾期" not in _page(client, "unions:list", status="dissolved")
    assert "已逾期" not in _page(client, "unions:detail", union_a.pk)
    assert "甲公司工会委员会" not in _page(client, "dashboard")


# --- A case overdue for review (members.selectors.case_overdue_for_review_q) ---------------------------


def test_a_case_overdue_for_review_is_the_same_on_the_list_and_the_dashboard(client, cadre_a, union_a):
    overdue = HardshipCaseFactory(
        member=MemberFactory(union=union_a, name="久未复核"), opened_on=_today() - dt.timedelta(days=366)
    )
    reviewed = HardshipCaseFactory(
        member=MemberFactory(union=union_a, name="刚复核"), opened_on=_today() - dt.timedelta(days=800)
    )
    type(reviewed).objects.filter(pk=reviewed.pk).update(last_reviewed_on=_today() - dt.timedelta(days=30))
    HardshipCaseFactory(
        member=MemberFactory(union=union_a, name="新建档"), opened_on=_today() - dt.timedelta(days=30)
    )
    client.force_login(cadre_a)
    listed = client.get(reverse("hardship:list"), {"overdue": "true"}).context["page"].object_list
    assert list(listed) == [overdue]
    dashboard = _page(client, "dashboard")
    assert "久未复核" in dashboard
    assert "刚复核" not in dashboard and "新建档" not in dashboard


# --- Whose turn it is on a transfer (MembershipTransfer.TURN) ------------------------------------------


@pytest.mark.parametrize(
    "status,side",
    [("requested", "from"), ("approved", "to"), ("accepted", None), ("refused", None), ("cancelled", None)],
)
def test_the_turn_of_a_transfer_is_one_answer_for_one_transfer_and_for_a_query(
    union_a, union_b, status, side
):
    transfer = MembershipTransfer.objects.create(
        member=MemberFactory(union=union_a),
        from_union=union_a,
        to_union=union_b,
        status=status,
        requested_on=_today(),
    )
    expected = {"from": union_a, "to": union_b, None: None}[side]
    assert transfer.awaiting_union == expected
    assert transfer.awaits_approval is (side == "from")
    for union in (union_a, union_b):
        awaiting = MembershipTransfer.objects.filter(
            transfers_awaiting_q(GrassrootsUnion.objects.filter(pk=union.pk))
        )
        assert awaiting.exists() is (union == expected)


def test_the_member_page_and_the_dashboard_offer_the_decision_to_the_union_whose_turn_it_is(
    client, cadre_a, cadre_b, union_a, union_b
):
    member = MemberFactory(union=union_a)
    transfer = MembershipTransfer.objects.create(
        member=member, from_union=union_a, to_union=union_b, status="requested", requested_on=_today()
    )
    approve = reverse("members:transfer-approve", args=[transfer.pk])
    client.force_login(cadre_a)
    assert approve in _page(client, "members:detail", member.pk)
    assert approve in _page(client, "dashboard")
    client.force_login(cadre_b)
    assert approve not in _page(client, "dashboard")

    MembershipTransfer.objects.filter(pk=transfer.pk).update(status="approved")
    accept = reverse("members:transfer-accept", args=[transfer.pk])
    client.force_login(cadre_a)
    assert "接收转入" not in _page(client, "members:detail", member.pk)
    assert accept not in _page(client, "dashboard")
    client.force_login(cadre_b)
    assert accept in _page(client, "dashboard")


# --- Who sees federations (federation.scoping.sees_federations) ----------------------------------------


@pytest.mark.parametrize(
    "user_fixture,sees",
    [("admin_user", True), ("county_staff", True), ("county_chair", True), ("cadre_a", False)],
)
def test_who_sees_federations_is_one_answer_for_the_menu_the_list_and_the_year_sheet(
    client, request, user_fixture, sees
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    assert scoping.sees_federations(user) is sees
    assert (f'href="{reverse("federations:list")}"' in _page(client, "dashboard")) is sees
    assert client.get(reverse("federations:list")).status_code == (200 if sees else 404)
    assert client.get(reverse("unions:year-sheet")).status_code == (200 if sees else 403)


def test_federation_staff_bound_to_no_federation_sees_no_federation(client, db):
    unbound = UserFactory(role=User.Role.FEDERATION_STAFF, federation=None)
    client.force_login(unbound)
    assert not scoping.sees_federations(unbound)
    assert f'href="{reverse("federations:list")}"' not in _page(client, "dashboard")
    assert client.get(reverse("federations:list")).status_code == 404


# --- The valid years (federation.years) ------------------------------------------------------------------


def test_valid_years_run_from_the_first_year_to_next_year():
    assert valid_year(FIRST_YEAR) and not valid_year(FIRST_YEAR - 1)
    assert last_valid_year() == _today().year + 1
    assert valid_year(last_valid_year()) and not valid_year(last_valid_year() + 1)


@pytest.mark.parametrize(
    "name", ["summary", "summary-pdf", "summary-docx", "summary-xlsx", "summary-versions"]
)
@pytest.mark.parametrize("year", [1990, FIRST_YEAR - 1, _today().year + 2])
def test_a_summary_of_a_year_out_of_range_is_404_as_a_page_and_as_a_file(
    client, county_staff, county, name, year
):
    client.force_login(county_staff)
    assert client.get(reverse(f"reports:{name}", args=[county.pk, year])).status_code == 404


def test_the_first_valid_year_is_served_as_a_page_and_as_a_file(client, county_staff, county):
    client.force_login(county_staff)
    assert client.get(reverse("reports:summary", args=[county.pk, FIRST_YEAR])).status_code == 200
    workbook = job_download(client, client.get(reverse("reports:summary-xlsx", args=[county.pk, FIRST_YEAR])))
    assert workbook.status_code == 200


def test_the_command_and_the_import_form_take_the_same_years(county_staff):
    assert parse_year(str(FIRST_YEAR)) == FIRST_YEAR
    assert parse_year(str(last_valid_year())) == last_valid_year()
    for year in (FIRST_YEAR - 1, last_valid_year() + 1):
        with pytest.raises(CommandError):
            parse_year(str(year))
        form = ImportStartForm({"kind": "union_years", "year": year}, user=county_staff)
        assert "year" in form.errors
    for year in (FIRST_YEAR, last_valid_year()):
        form = ImportStartForm({"kind": "union_years", "year": year}, user=county_staff)
        assert "year" not in form.errors


# --- The member and narrative field lists ---------------------------------------------------------------


def test_the_member_forms_offer_the_member_fields_in_one_order(county_staff, union_a):
    join = list(MemberJoinForm(user=county_staff).fields)
    assert [f for f in join if f not in ("union", "joined_on")] == list(MEMBER_FIELDS)
    assert join.index("joined_on") == join.index("member_number") - 1
    profile = MemberProfileForm(instance=MemberFactory(union=union_a), full_identifiers=True)
    assert list(profile.fields) == list(PROFILE_FIELDS)
    assert set(MEMBER_FIELDS) - set(PROFILE_FIELDS) == set(IDENTITY_FIELDS)


def test_every_narrative_field_is_written_in_the_form_kept_in_a_version_and_printed(township):
    assert list(SummaryDraftForm(year=2025).fields) == [*SummaryDraft.NARRATIVE_FIELDS, "signoff_date"]
    draft = SummaryDraft.objects.create(
        federation=township, year=2025, **{f: f"写在{f}里的话。" for f in SummaryDraft.NARRATIVE_FIELDS}
    )
    assert set(frozen_narrative(draft)) == {*SummaryDraft.NARRATIVE_FIELDS, "signoff_date"}
    summary = build_summary(township, 2025, draft=draft)
    printed = [str(p) for p in summary.opening]
    printed += [str(p) for section in summary.sections for p in section.narrative]
    for field in SummaryDraft.NARRATIVE_FIELDS:
        assert f"写在{field}里的话。" in printed


# --- Layers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,higher",
    [
        ("unions/selectors.py", ("members", "reports")),
        ("unions/filters.py", ("members", "reports")),
        ("members/selectors.py", ("reports",)),
        ("members/hardship/filters.py", ("reports",)),
        ("members/filters.py", ("reports",)),
    ],
)
def test_the_selectors_and_filters_import_no_higher_layer(path, higher):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.split(".")[0] in higher]
