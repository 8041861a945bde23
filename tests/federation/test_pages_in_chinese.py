"""The staff pages leave no English of the libraries behind (issue 12, finding 3): every list's 排序
reads 「姓名（降序）」, not 「姓名 (descending)」 (django-filter ships its Chinese as zh_CN, which Django
never reads), and an action's address opened again — a reload after a failed 申请转会 or 离会 — gets
the Chinese 405 page with a way back, not Chrome's 「HTTP ERROR 405」."""

import re

import pytest
from django.urls import reverse

from tests.support.factories import HardshipCaseFactory, MemberFactory

SORTED_LISTS = [
    "members:list",
    "unions:list",
    "unions:contract-list",
    "activities:list",
    "hardship:list",
    "hardship:aid-list",
]


@pytest.mark.parametrize("url_name", SORTED_LISTS)
def test_every_lists_sort_order_is_labelled_in_chinese(client, county_staff, url_name):
    client.force_login(county_staff)
    page = client.get(reverse(url_name)).text
    select = re.search(r'<select name="sort".*?</select>', page, flags=re.S)
    assert select, "the list has a 排序 choice"
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))
    descending = [label for label in labels if label.endswith("（降序）")]
    assert descending, labels
    assert "descending" not in page


def test_the_member_lists_name_order_reads_as_a_clerk_would_say_it(client, county_staff):
    client.force_login(county_staff)
    page = client.get(reverse("members:list")).text
    assert '<option value="-name">姓名（降序）</option>' in page


def test_reloading_an_action_gets_the_chinese_405_page_with_a_way_back(client, cadre_a, union_a):
    """(申请转会 and 离会 are pages of their own now: reloading them shows their form again.)"""
    case = HardshipCaseFactory(member=MemberFactory(union=union_a))
    client.force_login(cadre_a)
    response = client.get(reverse("hardship:close", args=[case.pk]))
    assert response.status_code == 405
    assert "不支持的操作方式（405）" in response.text
    assert f'href="{reverse("hardship:detail", args=[case.pk])}"' in response.text
    assert "返回操作所在的页面" in response.text


def test_an_action_whose_parent_is_no_page_links_to_the_nearest_page_above(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get(reverse("members:transfer-approve", args=[1]))
    assert response.status_code == 405
    assert f'href="{reverse("members:list")}"' in response.text
