"""The union pages: scoped list and detail, create and edit, 换届选举 and the yearly figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import (
    ContractFactory,
    ElectionFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)
from unions.models import GrassrootsUnion, UnionYear

ROLES = ["county_staff", "county_chair", "cadre_a", "outside_staff"]


def _login(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


# Who reads union_a's pages: everyone in its tree; the outsider gets the same 404 as for a missing id.
READ = {"county_staff": 200, "county_chair": 200, "cadre_a": 200, "outside_staff": 404}
# Who changes union_a: its federation's staff and its own cadre; the chair reads only (403).
WRITE = {"county_staff": 200, "county_chair": 403, "cadre_a": 200, "outside_staff": 404}


@pytest.mark.parametrize("role", ROLES)
def test_union_detail_by_role(client, request, role, union_a):
    _login(client, request, role)
    assert client.get(reverse("unions:detail", args=[union_a.pk])).status_code == READ[role]


@pytest.mark.parametrize("view", ["unions:edit", "unions:year-create"])
@pytest.mark.parametrize("role", ROLES)
def test_union_write_pages_by_role(client, request, role, view, union_a):
    _login(client, request, role)
    assert client.get(reverse(view, args=[union_a.pk])).status_code == WRITE[role]


@pytest.mark.parametrize("role", ROLES)
def test_union_year_edit_by_role(client, request, role, union_a):
    year = UnionYearFactory(union=union_a)
    _login(client, request, role)
    assert client.get(reverse("unions:year-edit", args=[union_a.pk, year.pk])).status_code == WRITE[role]


@pytest.mark.parametrize(
    "role,status", [("county_staff", 200), ("county_chair", 403), ("cadre_a", 403), ("outside_staff", 200)]
)
def test_only_federation_staff_create_unions(client, request, role, status):
    _login(client, request, role)
    assert client.get(reverse("unions:create")).status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_election_action_by_role(client, request, role, union_a):
    _login(client, request, role)
    response = client.post(
        reverse("unions:election", args=[union_a.pk]),
        {"held_on": "2025-05-01", "chair_name": "赵六", "term_years": "5"},
    )
    expected = {"county_staff": 302, "county_chair": 403, "cadre_a": 302, "outside_staff": 404}[role]
    assert response.status_code == expected


def test_cadre_lists_only_their_own_union(client, cadre_a, union_a, union_b, outside_union):
    client.force_login(cadre_a)
    assert list(client.get(reverse("unions:list")).context["page"].object_list) == [union_a]


def test_staff_of_another_union_gets_404(client, cadre_a, union_b):
    client.force_login(cadre_a)
    assert client.get(reverse("unions:detail", args=[union_b.pk])).status_code == 404
    assert client.get(reverse("unions:edit", args=[union_b.pk])).status_code == 404


def test_county_staff_list_the_whole_subtree(client, county_staff, union_a, union_b, outside_union):
    client.force_login(county_staff)
    page = client.get(reverse("unions:list")).context["page"]
    assert set(page.object_list) == {union_a, union_b}


def test_search_by_name_and_exact_credit_code(client, county_staff, union_a, union_b):
    client.force_login(county_staff)
    url = reverse("unions:list")
    assert list(client.get(url, {"q": "甲公司"}).context["page"].object_list) == [union_a]
    assert list(client.get(url, {"q": union_b.credit_code.lower()}).context["page"].object_list) == [union_b]
    assert list(client.get(url, {"q": union_b.credit_code[:8]}).context["page"].object_list) == []


def test_filters_narrow_the_list(client, county_staff, community, union_a, union_b):
    GrassrootsUnion.objects.filter(pk=union_b.pk).update(industry="C")
    client.force_login(county_staff)
    url = reverse("unions:list")
    assert list(client.get(url, {"federation": community.pk}).context["page"].object_list) == [union_b]
    assert list(client.get(url, {"industry": "C", "sort": "-name"}).context["page"].object_list) == [union_b]
    assert list(client.get(url, {"status": "dissolved"}).context["page"].object_list) == []


def test_federation_filter_offers_only_the_users_scope(client, cadre_a, county_staff, other_county, county):
    client.force_login(county_staff)
    choices = client.get(reverse("unions:list")).context["filter"].form.fields["federation"].queryset
    assert county in choices and other_county not in choices


def test_due_election_is_highlighted(client, county_staff, union_a, union_b):
    today = timezone.localdate()
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(election_due_on=today - dt.timedelta(days=3))
    GrassrootsUnion.objects.filter(pk=union_b.pk).update(election_due_on=today + dt.timedelta(days=400))
    client.force_login(county_staff)
    content = client.get(reverse("unions:list")).content.decode()
    assert content.count('class="tag warn"') == 1 and "已逾期" in content


def test_empty_list_says_what_to_do(client, county_staff):
    client.force_login(county_staff)
    assert "新建第一个基层工会" in client.get(reverse("unions:list")).content.decode()


def test_detail_shows_figures_elections_and_member_link(client, cadre_a, union_a):
    UnionYearFactory(union=union_a, year=2024, employees=321)
    ElectionFactory(union=union_a, chair_name="钱七")
    MemberFactory.create_batch(2, union=union_a)
    client.force_login(cadre_a)
    content = client.get(reverse("unions:detail", args=[union_a.pk])).content.decode()
    assert "321" in content and "钱七" in content
    assert f"{reverse('members:list')}?union={union_a.pk}" in content and "会员2人" in content


def _union_data(federation, **extra):
    return {
        "federation": federation.pk,
        "name": "新丁公司工会委员会",
        "employer_name": "新丁公司",
        "union_type": "independent",
        "covered_employers": "1",
        "employer_nature": "private",
        "established_on": "2024-01-10",
        "term_years": "5",
        "full_time_staff": "0",
        "part_time_staff": "1",
        **extra,
    }


def test_county_staff_create_a_union(client, county_staff, township):
    client.force_login(county_staff)
    response = client.post(reverse("unions:create"), _union_data(township), follow=True)
    union = GrassrootsUnion.objects.get(name="新丁公司工会委员会")
    assert union.federation == township
    assert union.election_due_on == dt.date(2029, 1, 10)
    assert "已新建基层工会" in response.content.decode()


def test_create_cannot_use_a_federation_outside_scope(client, county_staff, other_county):
    client.force_login(county_staff)
    response = client.post(reverse("unions:create"), _union_data(other_county))
    assert response.status_code == 200
    assert "federation" in response.context["form"].errors
    assert not GrassrootsUnion.objects.filter(name="新丁公司工会委员会").exists()


def test_create_errors_are_shown_beside_the_field(client, county_staff, township):
    client.force_login(county_staff)
    response = client.post(
        reverse("unions:create"), _union_data(township, covered_employers="3", credit_code="123")
    )
    errors = response.context["form"].errors
    assert "独立基层工会的覆盖单位数应为1" in str(errors["covered_employers"])
    assert "credit_code" in errors


def test_cadre_edits_their_own_union(client, cadre_a, union_a):
    client.force_login(cadre_a)
    data = {k: v for k, v in _union_data(union_a.federation).items() if k not in ("federation", "term_years")}
    data["address"] = "幸福路1号"
    response = client.post(reverse("unions:edit", args=[union_a.pk]), data)
    assert response.status_code == 302
    union_a.refresh_from_db()
    assert union_a.address == "幸福路1号" and union_a.federation.name == "测试街道工会联合会"


def test_election_starts_a_new_term(client, cadre_a, union_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("unions:election", args=[union_a.pk]),
        {"held_on": "2025-05-01", "chair_name": "赵六", "term_years": "3"},
        follow=True,
    )
    union_a.refresh_from_db()
    assert union_a.chair_name == "赵六" and union_a.election_due_on == dt.date(2028, 5, 1)
    assert union_a.elections.get().recorded_by == cadre_a
    assert "已登记换届选举" in response.content.decode()


def test_election_errors_are_shown_beside_the_field(client, cadre_a, union_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("unions:election", args=[union_a.pk]),
        {"held_on": "2010-01-01", "chair_name": "赵六", "term_years": "5"},
    )
    assert response.status_code == 400
    assert "选举日期不能早于建会日期" in str(response.context["election_form"].errors["held_on"])
    assert not union_a.elections.exists()


def test_union_year_is_added_and_edited(client, cadre_a, union_a):
    client.force_login(cadre_a)
    data = {"year": "2024", "employees": "100", "women_employees": "40", "migrant_employees": "10"}
    assert client.post(reverse("unions:year-create", args=[union_a.pk]), data).status_code == 302
    year = UnionYear.objects.get(union=union_a, year=2024)
    data["employees"] = "120"
    client.post(reverse("unions:year-edit", args=[union_a.pk, year.pk]), data)
    year.refresh_from_db()
    assert year.employees == 120


def test_union_year_rules_are_shown(client, cadre_a, union_a):
    UnionYearFactory(union=union_a, year=2024)
    client.force_login(cadre_a)
    response = client.post(
        reverse("unions:year-create", args=[union_a.pk]),
        {"year": "2024", "employees": "10", "women_employees": "40", "migrant_employees": "0"},
    )
    errors = response.context["form"].errors
    assert "该年度的职工情况已填写" in str(errors["year"])
    assert "女职工人数不能超过职工人数" in str(errors["women_employees"])


def test_year_of_another_union_is_a_404(client, cadre_a, union_a, union_b):
    other = UnionYearFactory(union=union_b)
    client.force_login(cadre_a)
    assert client.get(reverse("unions:year-edit", args=[union_a.pk, other.pk])).status_code == 404


@pytest.mark.parametrize("view", ["unions:list", "unions:detail"])
def test_query_count_does_not_grow_with_rows(
    client, county_staff, township, union_a, view, django_assert_max_num_queries
):
    client.force_login(county_staff)

    def url():
        return reverse(view) if view == "unions:list" else reverse(view, args=[union_a.pk])

    def add(n, start):
        for i in range(n):
            UnionFactory(federation=township)
            UnionYearFactory(union=union_a, year=1990 + start + i)
            ElectionFactory(union=union_a, held_on=dt.date(2000, 1, 1) + dt.timedelta(days=start + i))

    add(3, 0)
    with django_assert_max_num_queries(20) as few:
        client.get(url())
    add(27, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url())


@pytest.mark.parametrize("role", ROLES)
def test_honour_form_by_role(client, request, role, union_a):
    _login(client, request, role)
    assert client.get(reverse("unions:honour-create", args=[union_a.pk])).status_code == WRITE[role]


def test_honour_is_recorded_and_other_needs_a_title(client, cadre_a, union_a):
    client.force_login(cadre_a)
    url = reverse("unions:honour-create", args=[union_a.pk])
    response = client.post(url, {"title": "other", "level": "county", "year": "2024"})
    assert "请填写具体称号" in str(response.context["form"].errors["title_other"])
    client.post(url, {"title": "model_home", "level": "city", "year": "2024"})
    assert union_a.honours.get().title == "model_home"
    assert "模范职工之家" in client.get(reverse("unions:detail", args=[union_a.pk])).content.decode()


def test_detail_lists_each_contract_binding_the_union_once(client, cadre_a, township, union_a, union_b):
    """Its own contracts and the regional ones covering it, each once — also a contract that names the
    union both as its party and among its covered unions (an OR across the coverage join listed it
    once per covered union) — and no contract of another union."""
    own = ContractFactory(union=union_a, title="甲公司综合性集体合同")
    both = ContractFactory(union=union_a, title="甲公司工资专项集体合同")
    both.covered_unions.set([union_a, union_b])
    regional = ContractFactory(union=None, federation=township, scope="regional", title="街道区域性集体合同")
    regional.covered_unions.set([union_a, union_b])
    ContractFactory(union=union_b, title="乙公司综合性集体合同")
    client.force_login(cadre_a)
    listed = client.get(reverse("unions:detail", args=[union_a.pk])).context["contracts"]
    assert sorted(c.pk for c in listed) == sorted([own.pk, both.pk, regional.pk])
