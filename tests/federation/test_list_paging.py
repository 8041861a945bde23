"""Staff lists past COUNT_LIMIT records: not counted, paged by keyset, every page reachable forwards
and backwards with the same answers as the full order, for a fixed number of queries."""

import datetime as dt
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from federation import scoping
from federation.lists import paging
from members.models import Member
from tests.support.factories import ContractFactory, MemberFactory
from unions.choices import ContractStatus
from unions.models import CollectiveContract


@pytest.fixture
def small_limits(monkeypatch):
    """Lists of a handful of records behave as a city's: 2 rows a page, counted up to 4, 2 numbered pages."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 4)
    monkeypatch.setattr(paging, "NUMBERED_PAGES", 2)


def _walk(client, url, start, link):
    """Follow the page's `link` ("next_query" or "previous_query") from `start` to the end; the pages'
    rows in the order visited."""
    pages = []
    query = start
    while True:
        response = client.get(url, parse_qs(query))
        assert response.status_code == 200
        page = response.context["page"]
        pages.append(list(page.object_list))
        query = getattr(page, link)
        if not query:
            return pages
        assert len(pages) < 50, "the links go round in circles"


def test_a_long_list_is_walked_forwards_and_backwards_in_its_order(
    client, county_staff, union_a, small_limits
):
    for name in ["王五", "张三", "李四", "张三", "赵六", "钱七", "孙八", "周九", "吴十"]:
        MemberFactory(union=union_a, name=name)
    expected = list(Member.objects.order_by("name", "pk"))
    client.force_login(county_staff)
    url = reverse("members:list")

    forwards = _walk(client, url, "", "next_query")
    assert [m for page in forwards for m in page] == expected
    assert all(len(page) == 2 for page in forwards[:-1])

    backwards = _walk(client, url, "page=last", "previous_query")
    seen = [m for page in reversed(backwards) for m in page]
    # Walking back from the last page ends on the whole first page, which may repeat a row or two.
    assert seen[:2] == expected[:2] and seen[-2:] == expected[-2:]
    assert set(seen) == set(expected)
    for page in backwards:
        start = expected.index(page[0])
        assert expected[start : start + len(page)] == page


def test_a_long_list_says_more_than_the_limit_instead_of_counting(
    client, county_staff, union_a, small_limits
):
    MemberFactory.create_batch(4, union=union_a)
    client.force_login(county_staff)
    response = client.get(reverse("members:list"))
    assert not response.context["page"].count_capped
    assert "共4人" in response.content.decode()
    MemberFactory(union=union_a)
    response = client.get(reverse("members:list"))
    assert response.context["page"].count_capped
    assert "超过4人" in response.content.decode()


def test_the_order_with_empty_dates_is_followed_wherever_the_database_puts_them(
    client, county_staff, union_a, small_limits
):
    for day in [
        dt.date(2024, 1, 5),
        None,
        dt.date(2025, 2, 1),
        None,
        dt.date(2024, 1, 5),
        dt.date(2023, 7, 1),
    ]:
        if day is None:
            ContractFactory(union=union_a, signed_on=None, status=ContractStatus.NEGOTIATING)
        else:
            ContractFactory(union=union_a, signed_on=day)
    expected = list(scoping.visible(county_staff, CollectiveContract).order_by("-signed_on", "-id"))
    client.force_login(county_staff)
    url = reverse("unions:contract-list")
    forwards = _walk(client, url, "", "next_query")
    assert [c.pk for page in forwards for c in page] == [c.pk for c in expected]
    backwards = _walk(client, url, "page=last", "previous_query")
    for page in backwards:
        start = [c.pk for c in expected].index(page[0].pk)
        assert [c.pk for c in expected[start : start + len(page)]] == [c.pk for c in page]


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=-3", "page=99999", "after=forged", "before=x%00y", "after=" + "A" * 500],
)
def test_a_bad_page_link_opens_a_page_never_an_error(client, county_staff, union_a, small_limits, query):
    MemberFactory.create_batch(7, union=union_a)
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), parse_qs(query))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


def test_a_link_made_for_another_order_opens_the_first_page(client, county_staff, union_a, small_limits):
    for day in range(7):
        MemberFactory(union=union_a, joined_on=dt.date(2018, 6, 1) + dt.timedelta(days=7 - day))
    client.force_login(county_staff)
    url = reverse("members:list")
    by_name = parse_qs(client.get(url, {"page": "2"}).context["page"].next_query)
    assert "after" in by_name
    by_date = client.get(url, {"sort": "joined_on", **by_name}).context["page"]
    assert list(by_date.object_list) == list(Member.objects.order_by("joined_on", "pk")[:2])


def test_every_page_of_a_long_list_costs_the_same_queries(
    client, county_staff, union_a, small_limits, django_assert_max_num_queries
):
    MemberFactory.create_batch(11, union=union_a)
    client.force_login(county_staff)
    url = reverse("members:list")
    second = client.get(url, {"page": "2"}).context["page"]
    middle = client.get(url, parse_qs(second.next_query)).context["page"]
    queries = ["", "page=2", second.next_query, middle.next_query, middle.previous_query, "page=last"]
    counts = []
    for query in queries:
        with django_assert_max_num_queries(9) as captured:
            assert client.get(url, parse_qs(query)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1, counts
