"""编辑 a federation's own details outside the admin: staff of that federation or above; its place in
the tree stays with the administrator."""

import datetime as dt

import pytest
from django.urls import reverse

FIELDS = {
    "name": "测试街道总工会",
    "short_name": "测试街道",
    "chair_name": "王芳",
    "contact_phone": "0571-88880000",
    "address": "测试路1号",
    "established_on": "2001-05-01",
}


def edit_url(federation):
    return reverse("federations:edit", args=[federation.pk])


@pytest.mark.parametrize("user_fixture", ["township_staff", "county_staff", "admin_user"])
def test_staff_of_the_federation_or_above_save_its_details_with_themselves_in_history(
    client, request, township, county, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    assert client.get(edit_url(township)).status_code == 200
    response = client.post(edit_url(township), FIELDS)
    assert response.status_code == 302
    township.refresh_from_db()
    assert (township.name, township.chair_name, township.contact_phone) == (
        "测试街道总工会",
        "王芳",
        "0571-88880000",
    )
    assert township.established_on == dt.date(2001, 5, 1)
    assert township.parent == county  # the tree is untouched
    assert township.history.first().history_user == user


def test_the_form_offers_no_field_of_the_tree(client, township, township_staff):
    client.force_login(township_staff)
    form = client.get(edit_url(township)).context["form"]
    assert not {"parent", "level", "path"} & set(form.fields)


def test_the_detail_page_links_to_the_edit_page_only_for_those_who_may_edit(
    client, township, township_staff, county_chair
):
    client.force_login(township_staff)
    assert (
        edit_url(township) in client.get(reverse("federations:detail", args=[township.pk])).content.decode()
    )
    client.force_login(county_chair)
    assert (
        edit_url(township)
        not in client.get(reverse("federations:detail", args=[township.pk])).content.decode()
    )


def test_staff_below_cannot_edit_the_federation_above(client, county, township_staff):
    client.force_login(township_staff)
    assert client.get(edit_url(county)).status_code == 404


def test_the_chair_gets_a_403_and_another_scope_a_404_with_nothing_changed(
    client, township, county_chair, outside_staff, cadre_a
):
    for user, status in ((county_chair, 403), (outside_staff, 404), (cadre_a, 404)):
        client.force_login(user)
        assert client.post(edit_url(township), FIELDS).status_code == status
    township.refresh_from_db()
    assert township.name == "测试街道工会联合会"


def test_a_duplicate_name_or_a_future_date_is_shown_beside_the_field(
    client, township, county, township_staff
):
    client.force_login(township_staff)
    response = client.post(
        edit_url(township), {**FIELDS, "name": county.name, "established_on": "2999-01-01"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors
    assert "成立日期不能晚于今天。" in errors["established_on"]
    township.refresh_from_db()
    assert township.name == "测试街道工会联合会"


def test_the_edit_page_takes_a_fixed_number_of_queries(
    client, township, township_staff, django_assert_max_num_queries
):
    client.force_login(township_staff)
    with django_assert_max_num_queries(8):
        assert client.get(edit_url(township)).status_code == 200
