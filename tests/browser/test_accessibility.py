"""An accessibility pass (issue 12): axe-core, run in the page through Playwright, finds no violation
on the main pages, for each role that sees them, at desktop and phone width, a form showing its errors
and a finalised summary included. The issue asks for no serious or critical one; the pages have none of
any impact (the last, minor, were table headers with no text), and this keeps it so.

axe-core comes from the npm registry at the version tests/browser/axe pins; `make setup-test` installs
it into var/node (never committed)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.services import summary_finalise
from tests.support.ledger_scene import ledger_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "var/node/node_modules/axe-core/axe.min.js"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def scene(county, township, union_a, union_b):
    return ledger_scene(county=county, union_a=union_a, union_b=union_b)


def axe_violations(page) -> list[str]:
    """The violations axe finds on the page, one line each with its impact and where it is."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in result["violations"]
    ]


def assert_pages_pass(page, pages: dict[str, str]):
    found = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, (name, url, response.status)
        if violations := axe_violations(page):
            found[f"{name} {url}"] = violations
    assert not found, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def signed_in(request, sign_in, browser):
    """Signed in at the width, with the page's Content-Security-Policy set aside for the test's own
    script (axe), which the policy rightly refuses as an inline script."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make setup-test installs it)")
    return lambda user: sign_in(user, bypass_csp=True, viewport=WIDTHS[request.param])


def test_axe_reports_a_field_without_a_label(signed_in, live_server, cadre_a):
    """The harness itself: an unlabelled field is a critical violation it reports."""
    page = signed_in(cadre_a)
    page.set_content('<html lang="zh-Hans"><main><h1>表</h1><input type="text"></main></html>')
    assert any(line.startswith("label (critical)") for line in axe_violations(page))


def test_a_form_showing_its_errors_has_no_axe_violation(signed_in, scene, cadre_a):
    page = signed_in(cadre_a)
    page.goto("/members/new/")
    page.get_by_role("button", name="登记入会").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert not axe_violations(page)


def test_a_finalised_summary_has_no_axe_violation(signed_in, scene, county_chair):
    summary_finalise(federation=scene.county, year=scene.year, by=county_chair)
    pages = scene.pages(federation_pages=True)
    assert_pages_pass(signed_in(county_chair), {name: pages[name] for name in ("总结", "版本", "年度总结")})


def test_a_union_cadres_main_pages_have_no_axe_violation(signed_in, scene, cadre_a):
    assert_pages_pass(signed_in(cadre_a), scene.pages(federation_pages=False))


def test_federation_staffs_main_pages_have_no_axe_violation(signed_in, scene, county_staff):
    assert_pages_pass(signed_in(county_staff), scene.pages(federation_pages=True))


def test_a_chairs_main_pages_have_no_axe_violation(signed_in, scene, county_chair):
    pages = scene.pages(federation_pages=True)
    for form in ("新增会员", "导入"):  # a chair reads and finalises; records are the staff's to add
        del pages[form]
    assert_pages_pass(signed_in(county_chair), pages)


def test_an_administrators_main_pages_have_no_axe_violation(signed_in, scene, admin_user):
    pages = scene.pages(federation_pages=True)
    assert_pages_pass(signed_in(admin_user), pages)


def test_the_join_pages_have_no_axe_violation(signed_in, browser, live_server, cadre_a, union_a):
    """入会申请 (issue 14): the public form (showing an error), the status page with the member card and
    the card's verification page on a phone without an account; the review, the links and the poster
    for the cadre."""
    from django.core.cache import cache

    from federation.identifiers import make_resident_id
    from members.services.applications import (
        join_application_approve,
        join_application_submit,
        join_link_create,
        join_link_token,
        member_card_token,
    )

    cache.clear()
    link = join_link_create(union=union_a, by=cadre_a)
    fields = {"name": "林小芳", "mobile": "13612345678", "employer": "甲公司"}
    waiting = join_application_submit(
        link=link, consented=True, id_number=make_resident_id("110105", _born(), 21, "F"), **fields
    )
    approved = join_application_submit(
        link=link, consented=True, id_number=make_resident_id("110105", _born(), 23, "F"), **fields
    )
    member = join_application_approve(application=approved, by=cadre_a)

    page = signed_in(cadre_a)
    assert_pages_pass(
        page,
        {
            "入会申请": "/applications/",
            "入会申请详情": f"/applications/{waiting.pk}/",
            "入会二维码": "/applications/links/",
            "入会二维码海报": f"/applications/links/{link.pk}/poster/",
        },
    )
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=WIDTHS["phone"])
    try:
        phone = context.new_page()
        assert_pages_pass(
            phone,
            {
                "入会申请表": f"/join/{join_link_token(link)}/",
                "申请进度（会员证）": f"/join/status/{approved.receipt}/",
                "会员身份验证": f"/join/card/{member_card_token(member)}/",
                "查询申请进度": "/join/status/",
            },
        )
        phone.goto(f"/join/{join_link_token(link)}/")
        phone.get_by_role("button", name="提交申请").click()
        expect(phone.locator(".error-summary")).to_be_visible()
        assert axe_violations(phone) == []
    finally:
        context.close()


def _born():
    import datetime as dt

    return dt.date(1993, 4, 5)
