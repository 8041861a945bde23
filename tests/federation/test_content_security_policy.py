"""The Content-Security-Policy (django-csp), enforced on every answer: scripts only from our own
files, no inline script or event handler in any template, inline styles only with the request's
nonce (the summary's charts)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.support.factories import MemberFactory, UnionYearFactory
from tests.test_staff_url_walk import ROUTES, _url, world  # noqa: F401 — `world` is a fixture

ROOT = Path(settings.BASE_DIR)


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def assert_enforced(response):
    directives = policy(response)
    assert directives, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["style-src"] + directives["default-src"]
    assert "Content-Security-Policy-Report-Only" not in response.headers


def test_every_staff_page_carries_the_policy(client, world):  # noqa: F811
    users, sides = world
    client.force_login(users["county_staff"])
    for name, route in sorted(ROUTES.items()):
        assert_enforced(client.get(_url(name, route, sides["a"])))


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/logout/", "/no-such-page/", "/admin/", "/admin/login/"]
)
def test_the_sign_in_error_and_admin_pages_carry_the_policy(client, db, url):
    assert_enforced(client.get(url))


def test_the_admin_signed_in_carries_the_policy(admin_client):
    assert_enforced(admin_client.get(reverse("admin:index")))


def test_the_500_page_carries_the_policy(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.federation.test_error_pages"
    assert_enforced(client.get("/test-boom/"))


TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html", "*/*/templates/**/*.html")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)


def test_the_templates_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in TEMPLATES}
    assert {"templates/base.html", "reports/templates/reports/_summary.html"} <= names
    assert any("unions/templates/unions/activities/" in n for n in names)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_has_an_inline_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text, re.I) if "src=" not in tag]
    handlers = re.findall(r"<[^>]*\son[a-z]+\s*=", text, re.I)
    javascript_urls = re.findall(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", text, re.I)
    assert (inline_scripts, handlers, javascript_urls) == ([], [], [])


def test_the_summary_charts_style_carries_the_nonce_of_the_header(client, county_staff, union_a):
    for year in (2024, 2025):
        UnionYearFactory(union=union_a, year=year, employees=10)
    MemberFactory(union=union_a)
    client.force_login(county_staff)
    response = client.get(reverse("reports:summary", args=[union_a.federation.parent_id, 2025]))
    assert response.status_code == 200
    styles = re.findall(r"<style\b[^>]*>", response.text)
    assert styles, "the summary page shows no chart"
    nonces = [n.strip("'").removeprefix("nonce-") for n in policy(response)["style-src"] if "nonce-" in n]
    assert len(nonces) == 1
    assert all(f'nonce="{nonces[0]}"' in tag for tag in styles)
