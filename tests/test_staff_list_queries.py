"""Every staff list costs a fixed number of queries on any page — the first, a numbered one, one
reached by keyset, the last — whether it holds a few records or more than it counts (the limits are
made small here, so that a handful of records is a "long" list). The numbers are pinned: a list that
starts counting or sorting per row again fails here."""

import datetime as dt
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from federation.lists import paging
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
)


def _members(union, n):
    MemberFactory.create_batch(n, union=union)


def _unions(union, n):
    UnionFactory.create_batch(n, federation=union.federation)


def _contracts(union, n):
    for i in range(n):
        ContractFactory(union=union, signed_on=dt.date(2024, 1, 1) + dt.timedelta(days=i % 3))


def _cases(union, n):
    for _ in range(n):
        HardshipCaseFactory(member=MemberFactory(union=union))


def _aid(union, n):
    member = MemberFactory(union=union)
    for i in range(n):
        AidRecordFactory(member=member, aid_on=dt.date(2025, 1, 1) + dt.timedelta(days=i))


def _activities(union, n):
    ActivityFactory.create_batch(n, union=union)


# (list, how to add n records, the most queries any page of it may cost)
LISTS = [
    ("members:list", _members, 8),
    ("unions:list", _unions, 9),
    ("unions:contract-list", _contracts, 8),
    ("hardship:list", _cases, 9),
    ("hardship:aid-list", _aid, 10),
    ("activities:list", _activities, 8),
]


def _pages(client, url):
    """The queries of the first, second, a keyset, and the last page (as many of them as there are)."""
    first = client.get(url).context["page"]
    queries = ["", "page=2", "page=last"]
    if first.next_query:
        second = client.get(url, parse_qs(first.next_query)).context["page"]
        if second.next_query:
            queries.append(second.next_query)
    return queries


@pytest.mark.parametrize(("view", "add", "most"), LISTS)
def test_a_list_costs_the_same_queries_on_every_page_short_or_long(
    client, county_staff, union_a, view, add, most, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    monkeypatch.setattr(paging, "NUMBERED_PAGES", 1)
    client.force_login(county_staff)
    url = reverse(view)
    counts = {}
    for size, n in (("short", 3), ("long", 9)):
        add(union_a, n)
        for query in _pages(client, url):
            with django_assert_max_num_queries(most) as captured:
                response = client.get(url, parse_qs(query))
            assert response.status_code == 200
            assert response.context["page"].object_list
            counts[size, query[:6]] = len(captured.captured_queries)
    # A long list pays one query for its keyset links, and nothing that grows with the list.
    assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_the_import_list_is_paged_like_the_others(client, county_staff, django_assert_max_num_queries):
    client.force_login(county_staff)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("imports:list"))
    assert response.status_code == 200
    assert "共0次" in response.content.decode()


def test_the_aid_list_sums_what_it_counts_and_asks_to_filter_past_that(
    client, county_staff, union_a, monkeypatch
):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    client.force_login(county_staff)
    _aid(union_a, 3)
    response = client.get(reverse("hardship:aid-list"))
    assert response.context["totals"]["amount"] == 1500
    assert "共3条" in response.content.decode()
    _aid(union_a, 1)
    response = client.get(reverse("hardship:aid-list"))
    content = response.content.decode()
    assert response.context["totals"] is None
    assert "超过3条" in content and "筛选后查看合计" in content
