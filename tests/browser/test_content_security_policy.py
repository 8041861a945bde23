"""Chromium opens the main pages under the enforced Content-Security-Policy and reports no violation:
no script, style or request of ours is blocked."""

import pytest
from django.urls import reverse

from tests.support.factories import (
    ActivityFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionYearFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts (Playwright injects it past the policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


def watch(page) -> list[str]:
    """Console messages about the policy, from now on."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.context.add_init_script(RECORD_VIOLATIONS)
    return seen


def open_and_check(page, url: str, console: list[str]) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return [f"{url}: {v}" for v in page.evaluate("window.__cspViolations || []")] + [
        f"{url}: {c}" for c in console
    ]


def test_the_main_pages_open_without_a_policy_violation(
    browser, live_server, sign_in, county_staff, admin_user, union_a
):
    for year in (2024, 2025):
        UnionYearFactory(union=union_a, year=year, employees=10)
    member = MemberFactory(union=union_a, name="钱守规")
    case = HardshipCaseFactory(member=member)
    activity = ActivityFactory(union=union_a)
    county = union_a.federation.parent

    # The sign-in page, before anyone signs in.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    anonymous = context.new_page()
    violations = open_and_check(anonymous, "/accounts/login/", watch(anonymous))
    context.close()

    page = sign_in(county_staff)
    console = watch(page)
    urls = [
        reverse("dashboard"),
        reverse("members:list"),
        reverse("members:detail", args=[member.pk]),
        reverse("unions:list"),
        reverse("unions:detail", args=[union_a.pk]),
        reverse("unions:contract-list"),
        reverse("federations:list"),
        reverse("hardship:list"),
        reverse("hardship:detail", args=[case.pk]),
        reverse("activities:list"),
        reverse("activities:detail", args=[activity.pk]),
        reverse("imports:list"),
        reverse("imports:start"),
        reverse("reports:index"),
        reverse("reports:summary", args=[county.pk, 2025]),
        reverse("password_change"),
    ]
    for url in urls:
        violations += open_and_check(page, url, console)
        console.clear()
    # The summary's charts are drawn with their own (nonce-carrying) style.
    page.goto(reverse("reports:summary", args=[county.pk, 2025]))
    assert page.locator("figure.chart svg").count() > 0

    # The union search field fetches its options (connect-src).
    page.goto(reverse("members:list"))
    lookup = page.locator(".union-lookup input[type=text]").first
    if lookup.count():
        lookup.fill("甲公司")
        page.wait_for_timeout(600)
        violations += [f"lookup: {v}" for v in page.evaluate("window.__cspViolations")] + console

    admin = sign_in(admin_user)
    admin_console = watch(admin)
    for url in (
        reverse("admin:index"),
        reverse("admin:members_member_changelist"),
        reverse("admin:members_member_change", args=[member.pk]),
    ):
        violations += open_and_check(admin, url, admin_console)
        admin_console.clear()

    assert violations == []
