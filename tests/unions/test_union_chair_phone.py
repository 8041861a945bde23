"""The union chair's phone is a person's number: on the union page and its edit form it is masked
like a member's (138****5678) unless the user holds 可查看完整身份证号和手机号."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from federation.identifiers import mask_phone
from federation.models import User
from tests.support.forms import form_data

PHONE = "13912345678"


@pytest.fixture
def chaired(union_a):
    union_a.chair_phone = PHONE
    union_a.save()
    return union_a


def _with_full_identifiers(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    return User.objects.get(pk=user.pk)


def test_union_page_masks_the_chair_phone_without_the_permission(client, cadre_a, chaired):
    client.force_login(cadre_a)
    text = client.get(reverse("unions:detail", args=[chaired.pk])).text
    assert PHONE not in text
    assert mask_phone(PHONE) in text


def test_union_page_shows_the_chair_phone_with_the_permission(client, cadre_a, chaired):
    client.force_login(_with_full_identifiers(cadre_a))
    assert PHONE in client.get(reverse("unions:detail", args=[chaired.pk])).text


def test_union_edit_form_holds_no_full_chair_phone_and_left_empty_keeps_it(client, cadre_a, chaired):
    client.force_login(cadre_a)
    edit = reverse("unions:edit", args=[chaired.pk])
    response = client.get(edit)
    assert PHONE not in response.text
    assert mask_phone(PHONE) in response.text
    data = form_data(response.context["form"], address="新地址")
    assert client.post(edit, data).status_code == 302
    chaired.refresh_from_db()
    assert (chaired.chair_phone, chaired.address) == (PHONE, "新地址")


def test_union_edit_form_takes_a_new_chair_phone(client, cadre_a, chaired):
    client.force_login(cadre_a)
    edit = reverse("unions:edit", args=[chaired.pk])
    data = form_data(client.get(edit).context["form"], chair_phone="13600001111")
    assert client.post(edit, data).status_code == 302
    chaired.refresh_from_db()
    assert chaired.chair_phone == "13600001111"


def test_union_edit_form_shows_the_chair_phone_with_the_permission(client, cadre_a, chaired):
    client.force_login(_with_full_identifiers(cadre_a))
    assert PHONE in client.get(reverse("unions:edit", args=[chaired.pk])).text
