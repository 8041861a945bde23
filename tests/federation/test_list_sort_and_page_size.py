"""The staff lists' column headers sort them (a second click reverses), a person chooses 20, 50 or 100
rows a page and jumps to a page by number — within the numbered pages of a list too long to count —
for the same queries as before."""

import re
from urllib.parse import parse_qs

import pytest
from django.template import Context, Template
from django.urls import reverse

from federation.lists import paging
from members.filters import MemberFilter
from members.models import Member
from tests.support.factories import MemberFactory

NAMES = ["王五", "张三", "李四", "赵六", "钱七", "孙八", "周九", "吴十"]


def _header_link(html: str, label: str) -> str:
    """The href of the sortable header reading `label`."""
    match = re.search(r'<a class="sort" href="\?([^"]*)"[^>]*>' + label, html)
    assert match, f"no sortable header {label}"
    return match.group(1).replace("&amp;", "&")


@pytest.fixture
def eight_members(union_a):
    return [MemberFactory(union=union_a, name=name) for name in NAMES]


def test_a_header_sorts_the_list_and_a_second_click_reverses_it(client, county_staff, eight_members):
    client.force_login(county_staff)
    url = reverse("members:list")

    first = client.get(url).content.decode()
    ascending = client.get(url, parse_qs(_header_link(first, "姓名")))
    names = [m.name for m in ascending.context["page"]]
    assert names == sorted(NAMES)
    assert 'aria-sort="ascending"' in ascending.content.decode()

    descending = client.get(url, parse_qs(_header_link(ascending.content.decode(), "姓名")))
    assert [m.name for m in descending.context["page"]] == sorted(NAMES, reverse=True)
    assert 'aria-sort="descending"' in descending.content.decode()


def test_a_header_keeps_the_search_and_page_size_and_starts_at_the_first_page(
    client, county_staff, union_a, eight_members
):
    client.force_login(county_staff)
    response = client.get(
        reverse("members:list"), {"status": "active", "per_page": "20", "page": "2", "sort": "-name"}
    )
    query = parse_qs(_header_link(response.content.decode(), "入会日期"))
    assert query == {"status": ["active"], "per_page": ["20"], "sort": ["joined_on"]}


@pytest.mark.parametrize(
    ("view", "labels"),
    [
        ("members:list", ["姓名", "基层工会", "入会日期", "会员证号"]),
        ("unions:list", ["工会名称", "所属联合会", "建会日期", "应换届日期"]),
        ("unions:contract-list", ["合同名称", "签订日期", "期限结束"]),
        ("hardship:list", ["姓名", "月人均收入", "建档日期", "最近复核"]),
        ("hardship:aid-list", ["发放日期", "姓名", "金额"]),
        ("activities:list", ["活动名称", "开始日期", "参与人次"]),
    ],
)
def test_every_list_sorts_by_its_headers(client, county_staff, union_a, view, labels):
    from tests.test_staff_list_queries import LISTS

    add = {name: add for name, add, _ in LISTS}[view]
    add(union_a, 3)
    client.force_login(county_staff)
    html = client.get(reverse(view)).content.decode()
    for label in labels:
        response = client.get(reverse(view), parse_qs(_header_link(html, label)))
        assert response.status_code == 200
        assert 'aria-sort="ascending"' in response.content.decode()


def test_a_header_for_a_column_the_filter_cannot_sort_is_a_mistake_caught_at_once(rf, county_staff):
    request = rf.get("/members/")
    request.user = county_staff
    template = Template('{% load staff_lists %}{% sort_header "mobile" "手机号码" %}')
    filterset = MemberFilter({}, queryset=Member.objects.none(), request=request)
    with pytest.raises(Exception, match="mobile"):
        template.render(Context({"request": request, "filter": filterset}))


def test_a_person_chooses_twenty_rows_a_page_and_the_links_keep_it(client, county_staff, union_a):
    MemberFactory.create_batch(45, union=union_a)
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"per_page": "20"})
    page = response.context["page"]
    assert len(page) == 20 and page.num_pages == 3
    html = response.content.decode()
    assert 'href="?per_page=20&amp;page=2"' in html
    assert '<option value="20" selected>' in html

    third = client.get(reverse("members:list"), {"per_page": "20", "page": "3"}).context["page"]
    assert len(third) == 5


@pytest.mark.parametrize("size", ["7", "1000", "abc", "-20", ""])
def test_a_page_size_not_offered_shows_the_usual_size(client, county_staff, union_a, size):
    MemberFactory.create_batch(55, union=union_a)
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"per_page": size})
    assert response.status_code == 200
    assert len(response.context["page"]) == paging.PAGE_SIZE


def test_choosing_a_page_size_is_not_a_search(rf):
    assert not paging.is_filtered(rf.get("/members/", {"per_page": "100", "page": "2"}))
    assert paging.is_filtered(rf.get("/members/", {"per_page": "100", "q": "张"}))


def test_jump_to_page_keeps_the_search_sort_and_size(client, county_staff, union_a):
    MemberFactory.create_batch(45, union=union_a)
    client.force_login(county_staff)
    html = client.get(reverse("members:list"), {"sort": "-name", "per_page": "20"}).content.decode()
    jump = re.search(r'<form method="get" class="page-jump">(.*?)</form>', html, re.S).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', jump))
    assert hidden == {"sort": "-name", "per_page": "20"}
    assert 'max="3"' in jump

    response = client.get(reverse("members:list"), {**hidden, "page": "3"})
    assert response.context["page"].number == 3


def test_a_list_on_one_page_offers_no_jump(client, county_staff, union_a):
    MemberFactory.create_batch(25, union=union_a)
    client.force_login(county_staff)
    html = client.get(reverse("members:list")).content.decode()
    assert 'class="page-size"' in html
    assert 'class="page-jump"' not in html


@pytest.fixture
def small_limits(monkeypatch):
    """2 rows a page by default, counted up to 5, 2 numbered pages: 4 rows reached by number."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    monkeypatch.setattr(paging, "NUMBERED_PAGES", 2)
    monkeypatch.setattr(paging, "PAGE_SIZE_CHOICES", (1, 2, 4))


def test_a_long_list_jumps_only_within_its_numbered_pages_whatever_the_size(
    client, county_staff, union_a, small_limits
):
    for name in NAMES * 2:
        MemberFactory(union=union_a, name=name)
    expected = list(Member.objects.order_by("name", "pk"))
    client.force_login(county_staff)
    url = reverse("members:list")

    page = client.get(url, {"per_page": "1", "page": "4"}).context["page"]
    assert page.count_capped and page.jump_max == 4  # the same 4 rows by number, one a page
    assert list(page) == expected[3:4]
    past = client.get(url, {"per_page": "1", "page": "99"}).context["page"]
    assert past.number == 4 and list(past) == expected[3:4]
    # Past the numbered pages the list goes on by keyset, in pages of the size chosen.
    following = client.get(url, {"per_page": "1", **parse_qs(past.next_query)}).context["page"]
    assert following.number is None and list(following) == expected[4:5]

    wide = client.get(url, {"per_page": "4", "page": "9"}).context["page"]
    assert wide.jump_max == 1 and list(wide) == expected[:4]
    after = client.get(url, {"per_page": "4", **parse_qs(wide.next_query)}).context["page"]
    assert list(after) == expected[4:8]


def test_page_size_and_sort_cost_no_more_queries(
    client, county_staff, union_a, small_limits, django_assert_max_num_queries
):
    MemberFactory.create_batch(9, union=union_a)
    client.force_login(county_staff)
    url = reverse("members:list")
    for query in ({}, {"per_page": "4", "sort": "-joined_on"}, {"per_page": "1", "page": "2"}):
        with django_assert_max_num_queries(8):
            assert client.get(url, query).status_code == 200
