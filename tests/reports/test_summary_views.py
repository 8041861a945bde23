"""The summary's pages: who may read, download and edit it (404 across scopes, 403 for a missing
permission inside one's own), the draft form, the drill-down lists behind the figures, and a bounded
number of queries whatever the size of the federation."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from federation.models import FederationYear, User
from reports.indicators import compute_catalogue
from reports.models import SummaryDraft
from tests.support.factories import (
    AidRecordFactory,
    ContractFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    UserFactory,
)
from tests.support.jobs import job_download

Y = 2025
D = dt.date


def summary_url(federation, year=Y, name="summary"):
    return reverse(f"reports:{name}", args=[federation.pk, year])


def drill_url(federation, key, year=Y):
    return reverse("reports:drill", args=[federation.pk, year, key])


def listed_count(response) -> int:
    return int(re.search(r"共 <strong>(\d+)</strong> 条记录", response.content.decode()).group(1))


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def records(township, union_a, union_b):
    """A little of everything in the township (union_a) and the community below it (union_b)."""
    FederationYear.objects.create(federation=township, year=Y, employers_should_unionise=5)
    for union in (union_a, union_b):
        UnionYearFactory(union=union, year=Y, employees=20)
    for i in range(3):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1), gender="F" if i else "M")
    MemberFactory(union=union_b, joined_on=D(Y, 3, 1), gender="F")
    ContractFactory(union=union_a, kind="wage", signed_on=D(Y, 2, 1))
    ContractFactory(union=union_b, kind="comprehensive", signed_on=D(Y, 4, 1))
    member = union_a.members.first()
    AidRecordFactory(member=member, kind="festival", amount=Decimal("800.00"))
    AidRecordFactory(member=member, kind="medical", amount=Decimal("5000.00"))
    return township


# --- Who may read the summary ----------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["county_staff", "county_chair", "township_staff", "admin_user"])
def test_staff_and_chair_of_the_federation_or_above_read_its_summary(request, client, user_fixture, records):
    response = login(client, request.getfixturevalue(user_fixture)).get(summary_url(records))
    assert response.status_code == 200
    content = response.content.decode()
    assert "测试街道工会联合会2025年工作总结" in content
    assert '<html lang="zh-CN">' in content
    assert "下载PDF" in content


@pytest.mark.parametrize("user_fixture", ["outside_staff", "cadre_a"])
def test_staff_of_another_county_and_union_cadres_get_404(request, client, user_fixture, records):
    response = login(client, request.getfixturevalue(user_fixture)).get(summary_url(records))
    assert response.status_code == 404


def test_staff_of_a_township_get_404_for_the_county_above(client, township_staff, county):
    assert login(client, township_staff).get(summary_url(county)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, township):
    response = client.get(summary_url(township))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]  # settings.LOGIN_URL: the staff login page


def test_a_missing_federation_and_a_year_out_of_range_are_404(client, county_staff, county):
    login(client, county_staff)
    assert client.get(reverse("reports:summary", args=[999999, Y])).status_code == 404
    assert client.get(summary_url(county, 1990)).status_code == 404
    assert client.get(summary_url(county, dt.date.today().year + 5)).status_code == 404


def test_every_figure_links_to_its_records_and_rates_to_their_definition(client, county_staff, records):
    content = login(client, county_staff).get(summary_url(records)).content.decode()
    base = summary_url(records) + "drill/"
    # 基层工会数 opens the staff union list, filtered; the member stock keeps the reports list.
    assert f'href="/unions/?within={records.pk}&amp;active_on={Y}-12-31"' in content
    assert f'href="{base}members/"' in content
    assert 'href="#def-unionisation_rate"' in content
    assert 'id="def-unionisation_rate"' in content
    assert 'title="年末状态为' in content  # the definition as tooltip


def test_the_index_offers_only_federations_in_scope(client, township_staff, township, county, other_county):
    content = login(client, township_staff).get(reverse("reports:index")).content.decode()
    assert "测试街道工会联合会" in content
    assert "测试县总工会" not in content
    assert "邻县总工会" not in content


def test_the_index_sends_the_choice_to_the_summary(client, township_staff, township):
    response = login(client, township_staff).get(
        reverse("reports:index"), {"federation": township.pk, "year": Y}
    )
    assert response.status_code == 302
    assert response["Location"] == summary_url(township)


def test_the_index_refuses_a_federation_out_of_scope(client, township_staff, other_county):
    response = login(client, township_staff).get(
        reverse("reports:index"), {"federation": other_county.pk, "year": Y}
    )
    assert response.status_code == 404


def test_the_excel_button_links_to_the_workbook(client, county_staff, township):
    url = reverse("reports:summary-xlsx", args=[township.pk, Y])
    content = login(client, county_staff).get(summary_url(township)).content.decode()
    assert f'href="{url}"' in content
    assert "下载Excel" in content


# --- PDF -------------------------------------------------------------------------------------------


def test_the_pdf_is_an_attachment_named_after_the_summary(client, county_chair, records):
    login(client, county_chair)
    response = job_download(client, client.get(summary_url(records, name="summary-pdf")))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 5987: 测试街道工会联合会2025年工作总结.pdf, percent-encoded UTF-8 (the job's download, as
    # every export job's file)
    assert "filename*=utf-8''%E6%B5%8B%E8%AF%95" in disposition
    assert "2025%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.pdf" in disposition


def test_the_pdf_of_another_scope_is_404(client, outside_staff, records):
    assert login(client, outside_staff).get(summary_url(records, name="summary-pdf")).status_code == 404


# --- The draft form --------------------------------------------------------------------------------


def test_staff_write_the_narrative_and_it_appears_in_the_summary(client, township_staff, records):
    login(client, township_staff)
    url = summary_url(records, name="summary-edit")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation_text": "开展“建会攻坚月”活动，走访企业30家。",
            "problems_text": "工会经费收缴不够及时。",
            "signoff_date": "2025-12-20",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == summary_url(records)
    content = response.content.decode()
    assert "已保存2025年工作总结的文字部分。" in content
    assert "开展“建会攻坚月”活动，走访企业30家。" in content
    assert "二〇二五年十二月二十日" in content
    draft = SummaryDraft.objects.get(federation=records, year=Y)
    assert draft.updated_by == township_staff
    assert draft.problems_text == "工会经费收缴不够及时。"


def test_editing_an_existing_draft_updates_it(client, county_staff, township):
    SummaryDraft.objects.create(federation=township, year=Y, plan_text="旧计划。")
    login(client, county_staff).post(summary_url(township, name="summary-edit"), {"plan_text": "新计划。"})
    draft = SummaryDraft.objects.get(federation=township, year=Y)
    assert draft.plan_text == "新计划。"
    assert draft.updated_by == county_staff


def test_a_sign_off_date_outside_the_year_is_refused(client, county_staff, township):
    response = login(client, county_staff).post(
        summary_url(township, name="summary-edit"), {"signoff_date": "2020-01-01"}
    )
    assert response.status_code == 200
    assert "落款日期应在2025年或2026年内。" in response.content.decode()
    assert not SummaryDraft.objects.exists()


def test_the_chair_may_read_but_not_edit_the_narrative(client, county_chair, township):
    login(client, county_chair)
    assert "编辑文字部分" not in client.get(summary_url(township)).content.decode()
    assert client.get(summary_url(township, name="summary-edit")).status_code == 403
    assert client.post(summary_url(township, name="summary-edit"), {"plan_text": "x"}).status_code == 403
    assert not SummaryDraft.objects.exists()


@pytest.mark.parametrize("user_fixture", ["outside_staff", "cadre_a"])
def test_the_draft_of_another_scope_is_404(request, client, user_fixture, township):
    login(client, request.getfixturevalue(user_fixture))
    assert client.get(summary_url(township, name="summary-edit")).status_code == 404
    assert client.post(summary_url(township, name="summary-edit"), {"plan_text": "x"}).status_code == 404


def test_staff_see_the_edit_button(client, county_staff, township):
    content = login(client, county_staff).get(summary_url(township)).content.decode()
    assert summary_url(township, name="summary-edit") in content


# --- Drill-down ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["unions", "members", "women_members", "new_members", "contracts_signed", "wage_contracts_signed"]
)
def test_the_drill_down_lists_exactly_what_the_figure_counts(client, county_staff, records, key):
    figure = compute_catalogue(records, Y).current[key]
    assert figure  # the fixture has some of each
    response = login(client, county_staff).get(drill_url(records, key))
    assert response.status_code == 200
    assert listed_count(response) == figure


def test_a_breakdown_figure_lists_its_row(client, county_staff, records):
    url = reverse("reports:drill-breakdown", args=[records.pk, Y, "aid_by_kind"])
    response = login(client, county_staff).get(url, {"kind": "festival"})
    assert listed_count(response) == 1
    assert "节日慰问(送温暖)" in response.content.decode()


def test_a_rate_shows_its_definition_instead_of_a_list(client, county_staff, records):
    response = login(client, county_staff).get(drill_url(records, "unionisation_rate"))
    assert response.status_code == 200
    assert "覆盖单位数 ÷ 应建会单位数" in response.content.decode()


def test_the_drill_down_masks_id_numbers_without_the_permission(client, county_staff, records, union_a):
    content = login(client, county_staff).get(drill_url(records, "members")).content.decode()
    assert len(re.findall(r"\d{6}\*{8}[\dX]{4}", content)) == 4
    for member in union_a.members.all():
        assert member.id_number not in content


def test_the_drill_down_shows_full_id_numbers_to_those_allowed(client, admin_user, records, union_a):
    member = union_a.members.first()
    content = login(client, admin_user).get(drill_url(records, "members")).content.decode()
    assert member.id_number in content


def test_the_drill_down_is_narrowed_to_what_the_user_may_see(client, township_staff, county, records):
    # The county's figure covers the township; its staff may not open the county's lists at all.
    assert login(client, township_staff).get(drill_url(county, "members")).status_code == 404


def test_an_unknown_indicator_is_404(client, county_staff, township):
    assert login(client, county_staff).get(drill_url(township, "no_such_figure")).status_code == 404


def test_the_drill_down_paginates(client, county_staff, township, union_a):
    for _ in range(55):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    login(client, county_staff)
    first = client.get(drill_url(township, "members"))
    assert listed_count(first) == 55
    assert "第1页，共2页" in first.content.decode()
    second = client.get(drill_url(township, "members"), {"page": 2})
    assert len(re.findall(r"<tr><td>", second.content.decode())) == 5


def test_a_long_member_drill_down_takes_its_count_from_the_figure_and_pages_by_keyset(
    client, county_staff, township, union_a, monkeypatch
):
    """A city's member stock (2 million) is neither counted nor skipped through with OFFSET: the count
    is the stored figure, the order the member index (name, id), the pages go by keyset."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from federation.lists import paging
    from reports.summary import drilldown
    from reports.views import summary

    for n in range(55):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1), name=f"会员{n:02d}")
    monkeypatch.setattr(paging, "COUNT_LIMIT", 20)
    monkeypatch.setattr(summary, "LONG_LIST", 20)
    monkeypatch.setattr(drilldown, "LONG_LIST", 20)
    login(client, county_staff)
    client.get(reverse("reports:summary", args=[township.pk, Y]))  # the figures, stored
    with CaptureQueriesContext(connection) as queries:
        first = client.get(drill_url(township, "members")).content.decode()
    assert "共 <strong>55</strong> 条记录" in first
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    names = re.findall(r'<tr><td><a href="[^"]+">(会员\d\d)</a></td>', first)  # names link to members
    assert names == [f"会员{n:02d}" for n in range(50)]
    following = re.search(r'href="\?([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(drill_url(township, "members") + "?" + following).content.decode()
    later = re.findall(r'<tr><td><a href="[^"]+">(会员\d\d)</a></td>', second)
    assert later == [f"会员{n:02d}" for n in range(50, 55)]


# --- Query counts ----------------------------------------------------------------------------------

# The catalogue costs a fixed number of aggregate queries for each of the two years, plus the
# breakdowns, the trend and the per-union table (~70); the page adds session, user, federation, draft.
# 81 before the named highlights (reports.indicators.highlights): nine rules, one query each.
SUMMARY_QUERY_BOUND = 90  # 80 + 9, and one for the year's last finalised version (已定稿 · 第N版)


def _add_unions(federation, n):
    for _ in range(n):
        union = UnionFactory(federation=federation)
        UnionYearFactory(union=union, year=Y)
        MemberFactory(union=union, joined_on=D(2021, 1, 1))
        ContractFactory(union=union, signed_on=D(Y, 1, 10))


@pytest.mark.parametrize("unions", [2, 30])
def test_the_summary_page_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, county_staff, township, community, unions
):
    _add_unions(township, unions // 2)
    _add_unions(community, unions - unions // 2)
    login(client, county_staff)
    with django_assert_max_num_queries(SUMMARY_QUERY_BOUND):
        response = client.get(summary_url(township))
    assert response.status_code == 200


def test_the_drill_down_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, county_staff, township
):
    _add_unions(township, 20)
    login(client, county_staff)
    with django_assert_max_num_queries(8):
        assert client.get(drill_url(township, "contracts_signed")).status_code == 200


def test_a_user_without_a_federation_sees_an_empty_index(client, db):
    user = UserFactory(role=User.Role.UNION_CADRE)
    content = login(client, user).get(reverse("reports:index")).content.decode()
    assert "没有可查看的工会联合会" in content
