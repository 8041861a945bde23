"""The federation pages: the tree in scope, one federation with its 年度基本情况, and the forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from federation.models import FederationYear
from tests.support.factories import FederationFactory, FederationYearFactory, UnionFactory

ROLES = ["county_staff", "county_chair", "cadre_a", "outside_staff", "admin_user"]

# Everyone of the county's tree reads the township; a cadre sees no federation records; another
# county's staff get the same 404 as for a missing id.
READ = {"county_staff": 200, "county_chair": 200, "cadre_a": 404, "outside_staff": 404, "admin_user": 200}
# The chair reads only (403 on the forms).
WRITE = {"county_staff": 200, "county_chair": 403, "cadre_a": 404, "outside_staff": 404, "admin_user": 200}


def _login(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_federation_detail_by_role(client, request, role, township):
    _login(client, request, role)
    assert client.get(reverse("federations:detail", args=[township.pk])).status_code == READ[role]


@pytest.mark.parametrize("role", ROLES)
def test_year_create_page_by_role(client, request, role, township):
    _login(client, request, role)
    assert client.get(reverse("federations:year-create", args=[township.pk])).status_code == WRITE[role]


@pytest.mark.parametrize("role", ROLES)
def test_year_edit_page_by_role(client, request, role, township):
    year = FederationYearFactory(federation=township)
    _login(client, request, role)
    url = reverse("federations:year-edit", args=[township.pk, year.pk])
    assert client.get(url).status_code == WRITE[role]


@pytest.mark.parametrize("role", ROLES)
def test_year_create_post_by_role(client, request, role, township):
    _login(client, request, role)
    response = client.post(reverse("federations:year-create", args=[township.pk]), {"year": "2024"})
    assert response.status_code == {**WRITE, "county_staff": 302, "admin_user": 302}[role]
    assert FederationYear.objects.filter(federation=township).exists() == (response.status_code == 302)


def test_cadre_gets_404_on_the_list(client, cadre_a):
    client.force_login(cadre_a)
    assert client.get(reverse("federations:list")).status_code == 404


def test_list_shows_the_subtree_in_tree_order_with_union_counts(
    client, county_staff, county, township, community, other_county, union_a, union_b
):
    UnionFactory(federation=township)
    client.force_login(county_staff)
    response = client.get(reverse("federations:list"))
    federations = list(response.context["federations"])
    assert federations == [county, township, community]
    assert [f.union_count for f in federations] == [0, 2, 1]
    assert "邻县总工会" not in response.content.decode()


def test_township_staff_do_not_see_the_county_above(client, township_staff, county, township, community):
    client.force_login(township_staff)
    assert list(client.get(reverse("federations:list")).context["federations"]) == [township, community]
    assert client.get(reverse("federations:detail", args=[county.pk])).status_code == 404


def test_detail_shows_children_years_and_links(client, county_staff, county, township, community):
    FederationYearFactory(federation=township, year=2024, employers_should_unionise=42)
    client.force_login(county_staff)
    response = client.get(reverse("federations:detail", args=[township.pk]))
    assert list(response.context["children"]) == [community]
    assert [y.year for y in response.context["years"]] == [2024]
    body = response.content.decode()
    assert f"{reverse('unions:list')}?federation={township.pk}" in body
    assert reverse("reports:summary", args=[township.pk, 2024]) in body
    assert reverse("federations:year-edit", args=[township.pk, response.context["years"][0].pk]) in body


def test_chair_sees_no_edit_links(client, county_chair, township):
    year = FederationYearFactory(federation=township)
    client.force_login(county_chair)
    body = client.get(reverse("federations:detail", args=[township.pk])).content.decode()
    assert reverse("federations:year-edit", args=[township.pk, year.pk]) not in body
    assert reverse("federations:year-create", args=[township.pk]) not in body


def test_staff_record_a_year_with_history_user(client, county_staff, township):
    client.force_login(county_staff)
    response = client.post(
        reverse("federations:year-create", args=[township.pk]),
        {
            "year": "2025",
            "employers_should_unionise": "60",
            "employees_in_jurisdiction": "12000",
            "min_living_standard": "780.50",
            "notes": "统计局口径",
        },
        follow=True,
    )
    year = FederationYear.objects.get(federation=township, year=2025)
    assert year.min_living_standard == Decimal("780.50")
    assert year.history.first().history_user == county_staff
    assert "已保存2025年度基本情况" in response.content.decode()


def test_duplicate_year_is_an_error_beside_the_year(client, county_staff, township):
    FederationYearFactory(federation=township, year=2025)
    client.force_login(county_staff)
    response = client.post(reverse("federations:year-create", args=[township.pk]), {"year": "2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["该年度的基本情况已填写，请修改原有记录。"]
    assert FederationYear.objects.filter(federation=township).count() == 1


def test_editing_a_year_keeps_its_own_year(client, county_staff, township):
    year = FederationYearFactory(federation=township, year=2025)
    client.force_login(county_staff)
    response = client.post(
        reverse("federations:year-edit", args=[township.pk, year.pk]),
        {"year": "2025", "employers_should_unionise": "70"},
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.employers_should_unionise == 70


def test_year_of_another_federation_is_404_under_this_one(client, county_staff, township, community):
    other = FederationYearFactory(federation=community)
    client.force_login(county_staff)
    assert client.get(reverse("federations:year-edit", args=[township.pk, other.pk])).status_code == 404


def test_negative_figures_are_refused_beside_the_field(client, county_staff, township):
    client.force_login(county_staff)
    response = client.post(
        reverse("federations:year-create", args=[township.pk]), {"year": "2025", "min_living_standard": "-1"}
    )
    assert "min_living_standard" in response.context["form"].errors


def test_nav_shows_federations_to_federation_roles_only(client, county_chair, cadre_a):
    client.force_login(county_chair)
    assert reverse("federations:list") in client.get(reverse("dashboard")).content.decode()
    client.force_login(cadre_a)
    assert reverse("federations:list") not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("view", ["federations:list", "federations:detail"])
def test_query_count_does_not_grow_with_rows(
    client, county_staff, county, township, view, django_assert_max_num_queries
):
    client.force_login(county_staff)
    url = reverse(view) if view == "federations:list" else reverse(view, args=[county.pk])

    def add(n, start):
        for i in range(n):
            child = FederationFactory(parent=county)
            UnionFactory(federation=child)
            FederationYearFactory(federation=county, year=2000 + start + i)

    add(3, 0)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    add(20, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
