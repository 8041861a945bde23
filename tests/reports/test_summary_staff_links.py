"""The annual summary's figures open the staff lists, filtered: following a link from the summary
page, the list holds exactly the records the figure counts (hand-built data with the traps — year
boundaries, records of the federation above and of another county, a union dissolved after the year
end, cases closed after it, a contract still in negotiation)."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.indicators import compute_catalogue
from reports.indicators.base import Period, Scope
from reports.indicators.breakdowns import BREAKDOWN_BY_KEY
from reports.summary.figures import BREAKDOWN, Figure
from reports.summary.staff_links import staff_list_url
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
)
from unions.activities.models import Activity

Y = 2025
D = dt.date


@pytest.fixture
def hand_built(county, township, community, union_a, union_b, outside_union):
    """Records of the township's subtree in 2025, and the ones around it that must stay out."""
    UnionFactory(federation=township, union_type="joint", covered_employers=4)
    UnionFactory(federation=community, status="dissolved", status_changed_on=D(Y + 1, 3, 1))  # open at end
    UnionFactory(federation=community, status="dissolved", status_changed_on=D(Y, 6, 1))  # gone by then
    UnionFactory(federation=township, established_on=D(Y + 1, 1, 5))  # not yet
    UnionFactory(federation=county)  # above the township

    ContractFactory(union=union_a, kind="wage", signed_on=D(Y, 2, 1), starts_on=D(Y, 3, 1))
    ContractFactory(union=union_b, kind="women", signed_on=D(Y, 5, 1), starts_on=D(Y, 5, 1))
    ContractFactory(union=union_b, kind="wage", status="negotiating", signed_on=D(Y, 6, 1))
    ContractFactory(union=union_a, signed_on=D(Y - 3, 1, 1), starts_on=D(Y - 3, 1, 1), ends_on=D(Y, 12, 30))
    ContractFactory(union=outside_union, kind="wage", signed_on=D(Y, 2, 1))

    members = [MemberFactory(union=union, joined_on=D(2020, 1, 1)) for union in (union_a, union_b) * 3]
    HardshipCaseFactory(member=members[0], opened_on=D(Y - 1, 4, 1), category="deep")
    HardshipCaseFactory(member=members[1], opened_on=D(Y, 4, 1), primary_cause="laid_off")
    HardshipCaseFactory(member=members[2], opened_on=D(Y - 1, 1, 1), status="resolved", closed_on=D(Y, 9, 1))
    HardshipCaseFactory(
        member=members[3], opened_on=D(Y - 1, 1, 1), status="exited", closed_on=D(Y + 1, 2, 1)
    )
    HardshipCaseFactory(member=members[4], opened_on=D(Y + 1, 1, 2))
    HardshipCaseFactory(member=MemberFactory(union=outside_union), opened_on=D(Y, 4, 1))

    AidRecordFactory(member=members[0], kind="festival", aid_on=D(Y, 1, 20), amount=Decimal("800"))
    AidRecordFactory(member=members[1], kind="festival", aid_on=D(Y, 12, 31), amount=Decimal("600"))
    AidRecordFactory(member=members[1], kind="education", aid_on=D(Y, 8, 20), students_helped=2)
    AidRecordFactory(member=members[2], kind="medical", aid_on=D(Y, 3, 1), amount=Decimal("5000"))
    AidRecordFactory(member=members[3], kind="festival", aid_on=D(Y + 1, 1, 1))
    AidRecordFactory(member=MemberFactory(union=outside_union), kind="festival", aid_on=D(Y, 2, 1))

    ActivityFactory(union=union_a, starts_on=D(Y, 5, 1), participants=30)
    ActivityFactory(
        union=None, federation=community, starts_on=D(Y, 10, 1), category=Activity.Category.SKILL_TRAINING
    )
    ActivityFactory(union=None, federation=county, starts_on=D(Y, 6, 1))  # above the township
    ActivityFactory(union=union_b, starts_on=D(Y - 1, 12, 31))
    ActivityFactory(union=outside_union, starts_on=D(Y, 6, 1))
    return township


def summary_links(client, federation) -> set[str]:
    content = client.get(reverse("reports:summary", args=[federation.pk, Y])).content.decode()
    return {html.unescape(href) for href in re.findall(r'<a class="fig" href="([^"]+)"', content)}


def follow(client, url):
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["filter"].form
    assert not form.errors, form.errors
    return response


def listed(response) -> int:
    return response.context["page"].paginator.count


INDICATOR_COUNTS = [
    "unions",
    "joint_unions",
    "contracts_signed",
    "wage_contracts_signed",
    "women_contracts_signed",
    "contracts_in_force",
    "cases_open",
    "cases_opened",
    "cases_resolved",
    "aid_count",
    "festival_visits",
    "activities",
]


@pytest.mark.parametrize("key", INDICATOR_COUNTS)
def test_a_counted_figure_opens_the_staff_list_with_exactly_its_records(
    client, county_staff, hand_built, key
):
    client.force_login(county_staff)
    url = staff_list_url(Figure(text="", key=key), hand_built.pk, Y)
    figure = compute_catalogue(hand_built, Y).current[key]
    response = follow(client, url)
    assert listed(response) == figure
    assert figure > 0  # the data makes every one of these figures non-trivial


def test_the_summary_page_links_its_figures_to_the_staff_lists(client, county_staff, hand_built):
    client.force_login(county_staff)
    links = summary_links(client, hand_built)
    for key in ("unions", "contracts_signed", "cases_open", "aid_count", "activities"):
        assert staff_list_url(Figure(text="", key=key), hand_built.pk, Y) in links
    # The member stock is computed from the membership history: it keeps the reports list.
    assert reverse("reports:drill", args=[hand_built.pk, Y, "members"]) in links


def test_every_staff_link_on_the_summary_page_lists_what_its_figure_counts(client, county_staff, hand_built):
    """Whatever the page links to a staff list, that list opens cleanly, filtered by the subtree."""
    client.force_login(county_staff)
    staff_links = [link for link in summary_links(client, hand_built) if "/reports/" not in link]
    assert len(staff_links) >= 10
    for link in staff_links:
        assert f"within={hand_built.pk}" in link
        follow(client, link)


def test_money_figures_open_the_records_they_sum(client, county_staff, hand_built):
    client.force_login(county_staff)
    figures = compute_catalogue(hand_built, Y).current
    for key, field in (
        ("aid_amount", "amount"),
        ("festival_amount", "amount"),
        ("school_students", "students_helped"),
    ):
        response = follow(client, staff_list_url(Figure(text="", key=key), hand_built.pk, Y))
        total = sum(getattr(record, field) or 0 for record in response.context["page"].object_list)
        assert total == figures[key]


def test_last_year_s_figure_opens_last_year_s_list(client, county_staff, hand_built):
    client.force_login(county_staff)
    url = staff_list_url(Figure(text="", key="activities", previous=True), hand_built.pk, Y)
    assert "year=2024" in url
    assert listed(follow(client, url)) == compute_catalogue(hand_built, Y).previous["activities"] == 1


@pytest.mark.parametrize(
    ("key", "group"),
    [
        ("aid_by_kind", {"kind": "festival"}),
        ("cases_by_category", {"category": "deep"}),
        ("cases_by_cause", {"primary_cause": "laid_off"}),
        ("activities_by_category", {"category": Activity.Category.SKILL_TRAINING}),
        ("unions_by_type", {"union_type": "joint"}),
        ("contracts_by_kind", {"kind": "wage", "scope": "single"}),
    ],
)
def test_a_breakdown_row_opens_the_staff_list_of_that_row(client, county_staff, hand_built, key, group):
    client.force_login(county_staff)
    breakdown = BREAKDOWN_BY_KEY[key]
    wanted = tuple(group[name] for name in breakdown.group_by)
    row = next(r for r in breakdown.rows(Scope(hand_built), Period(Y)) if r["keys"] == wanted)
    figure = Figure(text="", key=key, kind=BREAKDOWN, group=tuple(group.items()))
    assert listed(follow(client, staff_list_url(figure, hand_built.pk, Y))) == row["count"] > 0


def test_a_figure_of_the_county_lists_the_county_s_records_and_nothing_of_another(
    client, county_staff, hand_built, county
):
    client.force_login(county_staff)
    url = staff_list_url(Figure(text="", key="activities"), county.pk, Y)
    assert listed(follow(client, url)) == compute_catalogue(county, Y).current["activities"] == 3


def test_the_subtree_filter_offers_only_federations_in_scope(client, township_staff, hand_built, county):
    client.force_login(township_staff)
    response = client.get(reverse("hardship:aid-list"), {"within": county.pk, "year": Y})
    assert response.context["filter"].form.errors["within"]
