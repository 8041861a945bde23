"""Fuzz: hypothesis drives every staff form (the create and edit pages of members, unions, contracts,
hardship cases, aid, activities, federations, the import start form, the narrative) and every list's
query parameters with long strings, control characters, emoji, HTML- and SQL-looking text, huge and
negative numbers and far-off dates, as each role. Never an HTTP 500 (the test client re-raises a
view's exception), nothing stored with a control character, every echo escaped in the HTML, and no
export of a fuzzed list holds a formula.

Kept fast and repeatable for `make test` and CI: few examples per page, derandomized, no deadline.
"""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
)
from tests.support.forms import form_data
from tests.support.nul import refusing_nul_like_postgresql

FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARKERS = ('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>')
SPECIAL = [
    *MARKERS,
    "' OR 1=1 --",
    "'; DROP TABLE members_member; --",
    "%' OR name LIKE '%",
    "\x00",
    "张\x00三",
    "王\x1b小\x07明\x01",
    "第一行\r\n第二行\t\x0b",
    "😀👨‍👩‍👧‍👦🀄",
    "ＡＢＣ１２３　全角",
    '=HYPERLINK("http://x"&A1,"点我")',
    "+1-1",
    "@SUM(A1:A9)",
    "字" * 6000,
    "a" * 300,
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "3.14159265358979323846",
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    "10000-01-01",
    "-2025-01-01",
    "",
    " ",
    "\u3000",
    "\u202eevil",
]
NASTY = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=40), st.integers().map(str))

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PROJECT_APPS = ("federation", "unions", "members", "reports")


@pytest.fixture(autouse=True)
def _database_refuses_nul_like_postgresql(db):
    with refusing_nul_like_postgresql():
        yield


def assert_nothing_stored_uncleaned() -> None:
    """No text column of the project's tables (their histories included) holds a control character."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        text_fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        for name in text_fields:
            if model._meta.app_label == "federation" and model.__name__ in ("ImportBatch", "ExportJob"):
                continue  # the machinery's own records, not staff input
            values = model._default_manager.values_list(name, flat=True)
            dirty = [v for v in values if v and CONTROL.search(v)]
            assert dirty == [], f"{model.__name__}.{name}: {dirty[:3]!r}"


def assert_escaped(response) -> None:
    content = response.content.decode(errors="replace") if not response.streaming else ""
    for marker in MARKERS:
        assert marker not in content


def page_form(response) -> forms.BaseForm | None:
    for context in response.context or []:
        for key, value in context.flatten().items():
            if "form" in key and isinstance(value, forms.BaseForm):
                return value
    return None


@pytest.fixture
def records(union_a, county):
    member = MemberFactory(union=union_a, name="李四")
    case = HardshipCaseFactory(member=member)
    return {
        "member": member,
        "contract": ContractFactory(union=union_a),
        "case": case,
        "aid": AidRecordFactory(member=member, aid_on=dt.date(2025, 3, 1)),
        "activity": ActivityFactory(union=union_a),
        "union": union_a,
        "federation": county,
    }


FORM_PAGES = [
    ("members:create", None),
    ("members:edit", "member"),
    ("unions:create", None),
    ("unions:edit", "union"),
    ("unions:contract-create", None),
    ("unions:contract-edit", "contract"),
    ("hardship:create", None),
    ("hardship:edit", "case"),
    ("hardship:aid-create", None),
    ("hardship:aid-edit", "aid"),
    ("activities:create", None),
    ("activities:edit", "activity"),
    ("federations:edit", "federation"),
    ("federations:year-create", "federation"),
    ("unions:year-create", "union"),
    ("unions:honour-create", "union"),
    ("unions:election", "union"),
    ("members:transfer-request", "member"),
    ("imports:start", None),
]
# The chair may change nothing but the summary: a few examples show its 403s hold.
ROLES = {"county_staff": 6, "cadre_a": 6, "county_chair": 2}


@pytest.mark.parametrize(("url_name", "record"), FORM_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_staff_form_takes_any_input_without_an_error_page(
    client, request, records, role, url_name, record
):
    client.force_login(request.getfixturevalue(role))
    url = reverse(url_name, args=[records[record].pk] if record else [])
    page = client.get(url)
    form = page_form(page) if page.status_code == 200 else None
    base = form_data(form) if form is not None else {}
    names = sorted({*base, *(form.fields if form is not None else ())}) or ["name"]

    @settings(FUZZ, max_examples=ROLES[role])
    @given(data=st.data())
    def post(data):
        fuzzed = dict(base)
        for name in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
            fuzzed[name] = data.draw(NASTY)
        response = client.post(url, fuzzed)
        assert response.status_code in (200, 302, 400, 403, 404)
        assert_escaped(response)

    post()
    assert_nothing_stored_uncleaned()


def test_the_narrative_form_takes_any_input(client, county_staff, county):
    client.force_login(county_staff)
    url = reverse("reports:summary-edit", args=[county.pk, 2025])
    names = [*page_form(client.get(url)).fields]

    @FUZZ
    @given(values=st.dictionaries(st.sampled_from(names), NASTY, min_size=1, max_size=4))
    def post(values):
        response = client.post(url, values)
        assert response.status_code in (200, 302)
        assert_escaped(response)

    post()
    assert_nothing_stored_uncleaned()


settings_for_public = settings(FUZZ, max_examples=12)


def test_the_public_join_form_takes_any_input(client, settings, union_a, cadre_a):
    """入会申请 from a phone, without an account (issue 14): the same nasty values in every field
    of the public form — and in the receipt code of the status lookup — never make an error page."""
    from django.core.cache import cache

    from members.services.applications import join_link_create, join_link_token

    settings.JOIN_SUBMITS_PER_ADDRESS = settings.JOIN_SUBMITS_PER_LINK = 10_000
    settings.JOIN_LOOKUPS_PER_ADDRESS = 10_000
    cache.clear()
    url = reverse("join:form", args=[join_link_token(join_link_create(union=union_a, by=cadre_a))])
    base = {
        "name": "周晓明",
        "id_number": "11010519491231002X",
        "ethnicity": "01",
        "political_status": "masses",
        "mobile": "13912345678",
        "employer": "甲公司",
        "consent": "on",
    }
    names = [*page_form(client.get(url)).fields]

    @settings_for_public
    @given(values=st.dictionaries(st.sampled_from(names), NASTY, min_size=1, max_size=4), code=NASTY)
    @example(values={"id_number": "\x00", "consent": "\x00"}, code="\x00")
    def post(values, code):
        response = client.post(url, {**base, **values})
        assert response.status_code in (200, 302)
        assert_escaped(response)
        lookup = client.get(reverse("join:lookup"), {"code": code})
        assert lookup.status_code in (200, 302)
        assert_escaped(lookup)

    post()
    assert_nothing_stored_uncleaned()
    cache.clear()


LISTS = [
    "members:list",
    "unions:list",
    "unions:contract-list",
    "hardship:list",
    "hardship:aid-list",
    "activities:list",
    "federations:list",
    "imports:list",
]
EXTRA_PARAMETERS = ["page", "sort", "q", "union_text", "year", "within", "per_page"]


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("role", ["county_staff", "cadre_a"])
def test_every_list_takes_any_query_without_an_error_page(client, request, records, role, url_name):
    client.force_login(request.getfixturevalue(role))
    url = reverse(url_name)
    page = client.get(url)
    filterset = (page.context or {}).get("filter")
    names = sorted({*(filterset.form.fields if filterset is not None else ()), *EXTRA_PARAMETERS})

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(names), NASTY, min_size=1, max_size=4))
    @example(query={"union_text": "\x00", "union": "", "q": "甲\x00"})  # a 500 on PostgreSQL once
    @example(query={"year": "99999999999999999999", "page": "-1", "sort": "\x00"})
    def get(query):
        response = client.get(url, query)
        assert response.status_code in (200, 302, 404)
        assert_escaped(response)

    get()


@pytest.mark.parametrize("url_name", ["members:list", "hardship:aid-list", "activities:list", "unions:list"])
def test_a_fuzzed_list_exports_without_a_formula(client, county_staff, records, url_name):
    client.force_login(county_staff)

    @FUZZ
    @given(q=NASTY)
    def export(q):
        response = client.get(reverse(url_name), {"q": q, "format": "xlsx"})
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)

    export()


def test_the_union_lookup_takes_any_query(client, county_staff, cadre_a, union_a):
    @FUZZ
    @given(q=NASTY, purpose=st.sampled_from(["filter", "records", "transfer", "x\x00"]))
    @example(q="\x00", purpose="filter")  # a 500 on PostgreSQL once
    def lookup(q, purpose):
        for user in (county_staff, cadre_a):
            client.force_login(user)
            response = client.get(reverse("unions:lookup"), {"q": q, "purpose": purpose})
            # A transfer's lookup names the member whose transfer it is: without one, 404.
            assert response.status_code == (404 if purpose == "transfer" else 200)

    lookup()
