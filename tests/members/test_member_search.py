"""The member list's search box reads what was typed: an ID number or a member number is matched
exactly, Chinese characters are the start of a name (and, within one union, any part of it) — each
served by an index, so that a city's search costs what a union's does."""

import pytest
from django.urls import reverse

from members.filters import member_search_q
from members.models import Member
from tests.support.factories import MemberFactory


@pytest.fixture
def people(union_a, union_b):
    return {
        "zhang_san": MemberFactory(union=union_a, name="张三", member_number="32142200000001"),
        "zhang_sanfeng": MemberFactory(union=union_b, name="张三丰"),
        "li_zhang": MemberFactory(union=union_a, name="李张"),
        "wang": MemberFactory(union=union_b, name="王小明", member_number="HY-0042"),
        "latin": MemberFactory(union=union_b, name="Anna Schmidt"),
    }


def _found(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("members:list"), query)
    assert response.status_code == 200
    return {m.name for m in response.context["page"].object_list}


def test_an_id_number_finds_its_member_exactly_also_typed_full_width_or_lower_case(
    client, county_staff, people
):
    number = people["wang"].id_number
    assert _found(client, county_staff, q=number) == {"王小明"}
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert _found(client, county_staff, q=full_width) == {"王小明"}
    assert _found(client, county_staff, q=number[:12]) == set()


def test_a_member_number_finds_its_member_exactly(client, county_staff, people):
    assert _found(client, county_staff, q="HY-0042") == {"王小明"}
    assert _found(client, county_staff, q="32142200000001") == {"张三"}
    assert _found(client, county_staff, q="HY-004") == set()


def test_a_name_finds_the_names_that_start_with_it_across_a_federation(client, county_staff, people):
    assert _found(client, county_staff, q="张") == {"张三", "张三丰"}
    assert _found(client, county_staff, q="张三丰") == {"张三丰"}
    assert _found(client, county_staff, q=" 张三 ") == {"张三", "张三丰"}
    assert _found(client, county_staff, q="Anna") == {"Anna Schmidt"}


def test_a_name_inside_another_is_found_within_one_union(client, county_staff, cadre_a, union_a, people):
    # Across a federation a character inside a name would mean reading every name of the city.
    assert _found(client, county_staff, q="小明") == set()
    assert _found(client, county_staff, q="张", union=union_a.pk) == {"张三", "李张"}
    assert _found(client, cadre_a, q="张") == {"张三", "李张"}


def test_a_name_prefix_is_exact_about_what_follows(db, union_a):
    # The range a prefix reads must end where the prefix does: "张" + the next character is not "张".
    MemberFactory(union=union_a, name="张")
    MemberFactory(union=union_a, name=chr(ord("张") + 1) + "某")
    MemberFactory(union=union_a, name="张" + chr(0x10FFFF - 1))
    assert set(Member.objects.filter(member_search_q("张")).values_list("name", flat=True)) == {
        "张",
        "张" + chr(0x10FFFF - 1),
    }


def test_the_empty_result_explains_how_to_search(client, county_staff, people):
    client.force_login(county_staff)
    content = client.get(reverse("members:list"), {"q": "赵"}).content.decode()
    assert "没有符合条件的会员" in content


@pytest.mark.parametrize("query", ["张", "李张", "HY-0042", "110105198503040012", "Anna"])
def test_a_search_costs_the_same_queries_whatever_was_typed(
    client, county_staff, people, query, django_assert_max_num_queries
):
    from members.filters import names_sort_by_code_point

    names_sort_by_code_point()  # asked once per process
    client.force_login(county_staff)
    with django_assert_max_num_queries(8):
        client.get(reverse("members:list"), {"q": query})
