"""Every year a URL or a form takes is checked against the one valid range (federation.years): a far-off
year is a 404 page or a Chinese message beside the field, never an HTTP 500 and never stored."""

import pytest
from django.urls import reverse

from federation.federations.forms import FederationYearForm
from federation.years import FIRST_YEAR, last_valid_year
from unions.forms import UnionHonourForm, UnionYearForm

FAR = [0, FIRST_YEAR - 1, 9999, 32767]


@pytest.mark.parametrize(
    ("name", "extra", "method"),
    [
        ("reports:summary", [], "get"),
        ("reports:summary-pdf", [], "get"),
        ("reports:summary-docx", [], "get"),
        ("reports:summary-edit", [], "get"),
        ("reports:summary-xlsx", [], "get"),
        ("reports:summary-versions", [], "get"),
        ("reports:summary-finalise", [], "post"),
        ("reports:summary-reopen", [], "post"),
        ("reports:drill", ["members"], "get"),
    ],
)
@pytest.mark.parametrize("year", [9999, last_valid_year() + 1])
def test_every_year_url_of_the_summary_refuses_a_year_out_of_range(
    client, county_chair, county, name, extra, method, year
):
    client.force_login(county_chair)
    response = getattr(client, method)(reverse(name, args=[county.pk, year, *extra]))
    assert response.status_code == 404


def test_the_summary_chooser_refuses_a_year_out_of_range(client, county_staff, county):
    client.force_login(county_staff)
    response = client.get(reverse("reports:index"), {"federation": county.pk, "year": 9999})
    assert response.status_code == 404


@pytest.mark.parametrize("year", FAR)
def test_the_year_forms_refuse_a_year_out_of_range(county, union_a, year):
    forms = [
        UnionYearForm({"year": year, "employees": 1}, union=union_a),
        UnionHonourForm(
            {"year": year, "title": "other", "title_other": "x", "level": "county"}, union=union_a
        ),
        FederationYearForm({"year": year}, federation=county),
    ]
    for form in forms:
        assert not form.is_valid()
        assert "year" in form.errors, type(form).__name__


def test_the_year_forms_accept_the_range(county, union_a):
    for year in (FIRST_YEAR, last_valid_year()):
        assert "year" not in UnionYearForm({"year": year, "employees": 1}, union=union_a).errors


@pytest.mark.parametrize(
    ("url_name", "param"),
    [
        ("activities:list", "year"),
        ("hardship:aid-list", "year"),
        ("hardship:list", "opened_year"),
        ("unions:contract-list", "signed_year"),
        ("unions:year-sheet", "year"),
    ],
)
@pytest.mark.parametrize("year", ["9999", "-5", "1e30", "99999999999999999999"])
def test_a_list_given_a_far_off_year_answers(client, county_staff, url_name, param, year):
    client.force_login(county_staff)
    assert client.get(reverse(url_name), {param: year}).status_code in (200, 302)
