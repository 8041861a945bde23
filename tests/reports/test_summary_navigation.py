"""No dead ends around the summary (issue 12, finding 4; issue 15): a union cadre, who sees no
federation, is offered their union's own summary — from the navigation and the dashboard; the summary leads
to the next year as to the previous one; a summary of the year still running dates its figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from federation.years import last_valid_year
from reports.summary.dates import as_of_text
from tests.support.factories import MemberFactory

D = dt.date


def content_of(client, user, address) -> str:
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_a_union_cadre_is_offered_the_unions_own_summary(client, cadre_a, union_a):
    content = content_of(client, cadre_a, reverse("dashboard"))
    assert f'href="{reverse("reports:index")}"' in content  # 年度总结 in the navigation
    year = timezone.localdate().year
    assert f'href="{reverse("reports:union-summary", args=[union_a.pk, year])}"' in content
    assert "没有可查看" not in content


@pytest.mark.parametrize("user_fixture", ["county_staff", "county_chair"])
def test_federation_roles_are_offered_the_summary(request, client, user_fixture):
    content = content_of(client, request.getfixturevalue(user_fixture), reverse("dashboard"))
    assert f'href="{reverse("reports:index")}"' in content


def test_a_union_cadre_who_opens_the_summary_index_is_offered_the_unions_own(client, cadre_a, union_a):
    content = content_of(client, cadre_a, reverse("reports:index"))
    assert "没有可查看" not in content
    assert "甲公司工会委员会近年工作总结" in content
    year = timezone.localdate().year
    assert f'href="{reverse("reports:union-summary", args=[union_a.pk, year])}"' in content
    assert f'href="{reverse("reports:union-summary", args=[union_a.pk, year, "h1"])}"' in content


def test_the_summary_links_to_the_year_before_and_the_year_after(client, county_staff, township):
    year = 2024
    content = content_of(client, county_staff, reverse("reports:summary", args=[township.pk, year]))
    assert f'href="{reverse("reports:summary", args=[township.pk, 2023])}" rel="prev">← 2023年' in content
    assert f'href="{reverse("reports:summary", args=[township.pk, 2025])}" rel="next">2025年 →' in content


def test_the_last_year_allowed_has_no_link_forward(client, county_staff, township):
    last = last_valid_year()
    content = content_of(client, county_staff, reverse("reports:summary", args=[township.pk, last]))
    assert 'rel="next"' not in content
    assert f"{last + 1}年 →" not in content


def test_the_first_year_allowed_has_no_link_back(client, county_staff, township):
    content = content_of(client, county_staff, reverse("reports:summary", args=[township.pk, 2000]))
    assert 'rel="prev"' not in content


@pytest.mark.parametrize(
    ("year", "text"),
    [(2025, "截至年底"), (2026, "截至12月3日"), (2027, "截至2026年12月3日")],
)
def test_a_year_still_running_dates_its_figures(year, text):
    assert as_of_text(year, today=D(2026, 12, 3)) == text


def test_the_summary_of_the_current_year_says_the_day_its_figures_are_from(
    client, county_staff, township, union_a
):
    MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    today = timezone.localdate()
    content = content_of(client, county_staff, reverse("reports:summary", args=[township.pk, today.year]))
    assert f"截至{today.month}月{today.day}日" in content
    assert "截至年底" not in content
    past = content_of(client, county_staff, reverse("reports:summary", args=[township.pk, today.year - 1]))
    assert "截至年底" in past
