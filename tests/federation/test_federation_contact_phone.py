"""A federation's contact phone (its chair's, often a mobile) is masked on the federation page and
its edit form unless the user holds 可查看完整身份证号和手机号."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from federation.identifiers import mask_phone
from federation.models import User
from tests.support.forms import form_data

PHONE = "13912345678"


@pytest.fixture
def phoned(township):
    township.contact_phone = PHONE
    township.save()
    return township


def test_federation_page_masks_the_contact_phone_without_the_permission(client, county_staff, phoned):
    client.force_login(county_staff)
    text = client.get(reverse("federations:detail", args=[phoned.pk])).text
    assert PHONE not in text
    assert mask_phone(PHONE) in text


def test_federation_page_shows_the_contact_phone_with_the_permission(client, county_staff, phoned):
    county_staff.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    client.force_login(User.objects.get(pk=county_staff.pk))
    assert PHONE in client.get(reverse("federations:detail", args=[phoned.pk])).text


def test_federation_edit_form_holds_no_full_phone_and_left_empty_keeps_it(client, county_staff, phoned):
    client.force_login(county_staff)
    edit = reverse("federations:edit", args=[phoned.pk])
    response = client.get(edit)
    assert PHONE not in response.text
    data = form_data(response.context["form"], address="新地址")
    assert client.post(edit, data).status_code == 302
    phoned.refresh_from_db()
    assert (phoned.contact_phone, phoned.address) == (PHONE, "新地址")
