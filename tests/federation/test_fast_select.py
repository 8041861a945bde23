"""FastSelect writes the same <select> as Django's Select (which renders each option through a
template: 40-90 ms a page for a city's 400 federations in the list filters)."""

import pytest
from django import forms
from django.test.html import parse_html

from federation.lists.fast_select import FastSelect, fast_selects

CHOICES = [
    ("", "全部"),
    ("1", "江州市总工会"),
    ("2", '<b>"引号"</b> & 符号'),
    ("组", [("3", "甲"), ("4", "乙")]),
]


@pytest.mark.parametrize("value", [None, "", "1", "2", "4", "99"])
def test_fast_select_writes_what_select_writes(value):
    attrs = {"id": "id_f", "class": "wide", "aria-describedby": "help"}
    expected = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)
    written = FastSelect(choices=CHOICES).render("f", value, attrs=attrs)
    assert parse_html(written) == parse_html(expected)


def test_every_plain_select_of_a_form_is_swapped_and_renders_the_same(db):
    from federation.models import Federation
    from tests.support.factories import FederationFactory

    FederationFactory(name="市总工会")
    FederationFactory(name="县总工会")

    class Filters(forms.Form):
        federation = forms.ModelChoiceField(Federation.objects.order_by("name"), required=False)
        kind = forms.ChoiceField(choices=CHOICES[:3], required=False)
        flag = forms.BooleanField(required=False)
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    data = {"federation": str(Federation.objects.get(name="县总工会").pk), "kind": "2"}
    expected = str(Filters(data))
    form = fast_selects(Filters(data))
    assert type(form.fields["federation"].widget) is FastSelect
    assert type(form.fields["kind"].widget) is FastSelect
    assert type(form.fields["hidden"].widget) is forms.HiddenInput
    assert parse_html(str(form)) == parse_html(expected)
