"""A model's refusal of a field the form does not show is an error above the form, never an HTTP 500
(`'UnionEditForm' has no field named 'term_started_on'`) — on every model form, the admin's too."""

import datetime as dt

from django import forms
from django.urls import reverse

from federation.service_errors import add_service_errors
from tests.support.forms import form_data
from unions.forms import UnionEditForm
from unions.models import GrassrootsUnion

MESSAGE = "任期开始日期不能早于建会日期。"


def test_editing_a_union_founded_after_its_term_began_shows_the_error_above_the_form(
    client, county_staff, union_a
):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(term_started_on=dt.date(2020, 1, 1))
    client.force_login(county_staff)
    url = reverse("unions:edit", args=[union_a.pk])
    data = form_data(client.get(url).context["form"])

    response = client.post(url, {**data, "established_on": "2021-06-01"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [f"本届任期开始日期：{MESSAGE}"]
    assert MESSAGE in response.content.decode()
    union_a.refresh_from_db()
    assert union_a.established_on != dt.date(2021, 6, 1)


def test_any_model_form_lacking_the_field_shows_the_models_error_above_it(union_a):
    union_a.term_started_on = dt.date(2020, 1, 1)

    class NameAndDateOnly(forms.ModelForm):
        class Meta:
            model = GrassrootsUnion
            fields = ["name", "established_on"]

    form = NameAndDateOnly({"name": "甲", "established_on": "2021-06-01"}, instance=union_a)

    assert not form.is_valid()
    assert form.non_field_errors() == [f"本届任期开始日期：{MESSAGE}"]


def test_the_admin_shows_it_above_the_form_too(client, admin_user, union_a):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(term_started_on=dt.date(2020, 1, 1))
    client.force_login(admin_user)
    url = reverse("admin:unions_grassrootsunion_change", args=[union_a.pk])
    form = client.get(url).context["adminform"].form
    assert "term_started_on" in form.fields  # the admin shows it: beside the field
    response = client.post(url, {**form_data(form), "established_on": "2021-06-01"})
    assert response.status_code == 200


def test_a_service_error_for_a_field_not_on_the_form_is_named_above_it(union_a):
    form = UnionEditForm({}, instance=union_a, full_identifiers=True)
    form.is_valid()
    add_service_errors(form, forms.ValidationError({"term_started_on": MESSAGE, "name": "重名。"}))
    assert f"本届任期开始日期：{MESSAGE}" in form.non_field_errors()
    assert "重名。" in form.errors["name"]
