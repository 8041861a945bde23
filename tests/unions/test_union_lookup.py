"""The union search field: the JSON endpoint stays inside the user's scope, the field resolves an id,
an exact name or a credit code (without JavaScript too), and a chosen union renders back by name."""

import datetime as dt

import pytest
from django.urls import reverse

from members.models import MembershipTransfer
from tests.support.factories import ContractFactory, MemberFactory, UnionFactory
from unions.choices import UnionStatus
from unions.lookup import MAX_RESULTS
from unions.models import CollectiveContract


def lookup(client, **params):
    response = client.get(reverse("unions:lookup"), params)
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_lookup_never_returns_a_union_outside_the_users_scope(
    client, county_staff, union_a, union_b, outside_union
):
    client.force_login(county_staff)
    assert lookup(client, q="公司工会") == ["乙公司工会委员会", "甲公司工会委员会"]
    assert lookup(client, q="外县丙") == []
    assert lookup(client, q=outside_union.credit_code) == []


def test_a_union_cadre_finds_only_their_own_union(client, cadre_a, union_a, union_b):
    client.force_login(cadre_a)
    assert lookup(client, q="") == ["甲公司工会委员会"]
    assert lookup(client, q="乙公司") == []


def test_lookup_finds_a_union_by_its_exact_credit_code_and_names_its_federation(
    client, county_staff, union_b
):
    client.force_login(county_staff)
    rows = client.get(reverse("unions:lookup"), {"q": union_b.credit_code.lower()}).json()["results"]
    assert rows == [{"id": union_b.pk, "name": "乙公司工会委员会", "federation": "测试社区工会联合会"}]


def test_lookup_returns_at_most_twenty_unions(client, county_staff, township):
    UnionFactory.create_batch(MAX_RESULTS + 5, federation=township)
    client.force_login(county_staff)
    assert len(lookup(client, q="有限公司")) == MAX_RESULTS


def test_lookup_needs_a_signed_in_user(client, union_a):
    response = client.get(reverse("unions:lookup"), {"q": "甲"})
    assert response.status_code == 302


def test_transfer_lookup_offers_the_active_unions_of_the_member_s_tree(
    client, cadre_a, union_a, union_b, outside_union, township
):
    UnionFactory(
        federation=township,
        name="已撤销公司工会",
        status=UnionStatus.DISSOLVED,
        status_changed_on=dt.date(2024, 1, 1),
    )
    member = MemberFactory(union=union_a)
    client.force_login(cadre_a)
    names = lookup(client, purpose="transfer", member=member.pk, q="公司")
    assert names == ["乙公司工会委员会"]


def test_transfer_lookup_for_a_member_outside_the_scope_is_a_404(client, cadre_b, union_a):
    member = MemberFactory(union=union_a)
    client.force_login(cadre_b)
    response = client.get(reverse("unions:lookup"), {"purpose": "transfer", "member": member.pk})
    assert response.status_code == 404


def test_member_list_filters_by_a_typed_union_name_without_javascript(client, county_staff, union_a, union_b):
    MemberFactory(union=union_a, name="张三")
    MemberFactory(union=union_b, name="李四")
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"union": "", "union_text": "乙公司工会委员会"})
    assert [m.name for m in response.context["page"].object_list] == ["李四"]
    # The union renders back with its id, so paging keeps the filter.
    assert f'name="union" value="{union_b.pk}"' in response.content.decode()


def test_member_list_linked_by_union_id_shows_the_union_name(client, county_staff, union_a):
    MemberFactory(union=union_a, name="张三")
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"union": union_a.pk})
    html = response.content.decode()
    assert 'value="甲公司工会委员会"' in html
    assert '<select name="union"' not in html
    assert response.context["page"].paginator.count == 1


def test_a_typed_name_that_matches_no_union_is_a_clear_error(client, county_staff, union_a):
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"union_text": "不存在的工会"})
    assert "找不到名为“不存在的工会”的基层工会" in response.content.decode()


def test_a_name_shared_by_two_unions_asks_for_the_credit_code(client, county_staff, township, community):
    UnionFactory(federation=township, name="同名工会")
    twin = UnionFactory(federation=community, name="同名工会")
    MemberFactory(union=twin, name="王五")
    client.force_login(county_staff)
    ambiguous = client.get(reverse("members:list"), {"union_text": "同名工会"})
    assert "有多个基层工会名为“同名工会”" in ambiguous.content.decode()
    by_code = client.get(reverse("members:list"), {"union_text": twin.credit_code})
    assert [m.name for m in by_code.context["page"].object_list] == ["王五"]


def test_an_id_outside_the_scope_is_refused_even_with_a_matching_name(client, cadre_a, union_a, union_b):
    client.force_login(cadre_a)
    response = client.get(reverse("hardship:aid-list"), {"union": union_b.pk, "union_text": union_b.name})
    assert response.context["filter"].form.errors["union"]


def test_typing_over_a_chosen_union_without_javascript_follows_the_text(
    client, county_staff, union_a, union_b
):
    MemberFactory(union=union_b, name="李四")
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"union": union_a.pk, "union_text": "乙公司工会委员会"})
    assert [m.name for m in response.context["page"].object_list] == ["李四"]


@pytest.mark.parametrize("typed", ["乙公司工会委员会", None])
def test_transfer_request_takes_a_typed_union_name_or_an_id(client, cadre_a, union_a, union_b, typed):
    member = MemberFactory(union=union_a)
    client.force_login(cadre_a)
    data = {"to_union": "" if typed else union_b.pk, "reason": "调动"}
    if typed:
        data["to_union_text"] = typed
    client.post(reverse("members:transfer-request", args=[member.pk]), data)
    assert MembershipTransfer.objects.get(member=member).to_union == union_b


def test_transfer_to_an_unknown_union_name_shows_the_error_beside_the_field(client, cadre_a, union_a):
    member = MemberFactory(union=union_a)
    client.force_login(cadre_a)
    response = client.post(
        reverse("members:transfer-request", args=[member.pk]), {"to_union": "", "to_union_text": "无此工会"}
    )
    assert "找不到名为“无此工会”的基层工会" in response.content.decode()
    assert not MembershipTransfer.objects.filter(member=member).exists()


def test_member_detail_offers_the_transfer_search_for_this_member(client, cadre_a, union_a):
    member = MemberFactory(union=union_a)
    client.force_login(cadre_a)
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert f"purpose=transfer&amp;member={member.pk}" in html
    assert '<select name="to_union"' not in html


# --- several unions: the unions a regional contract covers ------------------------------------------


def _regional(federation, **extra):
    return {
        "title": "区域性合同",
        "kind": "comprehensive",
        "scope": "regional",
        "federation": federation.pk,
        "signed_on": "2025-03-01",
        "starts_on": "2025-03-01",
        "ends_on": "2028-02-28",
        "covered_employees": "100",
        "status": "signed",
        **extra,
    }


def test_covered_unions_are_typed_by_name_or_credit_code_without_javascript(
    client, township_staff, township, union_a, union_b
):
    client.force_login(township_staff)
    typed = f"甲公司工会委员会；{union_b.credit_code}"
    response = client.post(reverse("unions:contract-create"), _regional(township, covered_unions_text=typed))
    assert response.status_code == 302
    contract = CollectiveContract.objects.get(title="区域性合同")
    assert set(contract.covered_unions.all()) == {union_a, union_b}


def test_a_covered_union_outside_the_scope_is_refused_by_name_and_by_id(
    client, township_staff, township, union_a, outside_union
):
    client.force_login(township_staff)
    by_name = client.post(
        reverse("unions:contract-create"), _regional(township, covered_unions_text=outside_union.name)
    )
    assert "找不到名为“外县丙公司工会委员会”的基层工会" in by_name.content.decode()
    by_id = client.post(
        reverse("unions:contract-create"), _regional(township, covered_unions=[outside_union.pk])
    )
    assert by_id.context["form"].errors["covered_unions"]
    assert not CollectiveContract.objects.filter(title="区域性合同").exists()


def test_the_contract_form_shows_the_covered_unions_as_ticked_boxes_not_a_list_of_all(
    client, township_staff, township, union_a, union_b
):
    contract = ContractFactory(union=None, federation=township, scope="regional")
    contract.covered_unions.set([union_b])
    client.force_login(township_staff)
    html = client.get(reverse("unions:contract-edit", args=[contract.pk])).content.decode()
    assert f'name="covered_unions" value="{union_b.pk}" checked' in html
    assert '<select name="covered_unions"' not in html
    assert "甲公司工会委员会" not in html  # not offered until searched for
