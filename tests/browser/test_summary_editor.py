"""The summary's editor in Chromium: the opening typed in its field appears in the preview beside the
form, before the generated overview, without saving and without a Content-Security-Policy violation;
and the half-year summary opens from the summary index."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reports.models import SummaryDraft
from tests.browser.test_content_security_policy import watch
from tests.support.factories import ContractFactory, MemberFactory, UnionYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025
OPENING = "一年来，在县总工会的坚强领导下，我会团结动员广大职工建功立业。"


@pytest.fixture
def records(township, union_a):
    UnionYearFactory(union=union_a, year=YEAR, employees=20)
    MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1))
    MemberFactory(union=union_a, joined_on=dt.date(YEAR, 3, 1))
    ContractFactory(union=union_a, kind="wage", signed_on=dt.date(YEAR, 2, 1))
    return township


def test_the_opening_typed_appears_before_the_overview_in_the_preview(sign_in, township_staff, records):
    page = sign_in(township_staff)
    console = watch(page)
    page.goto(f"/reports/{records.pk}/{YEAR}/edit/")
    preview = page.locator("#summary-preview")
    # The preview is there from the start; the sample opening is a hint, not text.
    expect(preview).to_contain_text("现将全年工作情况总结如下。")
    opening = page.get_by_label("开篇段落")
    expect(opening).to_have_value("")
    assert opening.get_attribute("placeholder").startswith("例：")
    # The generated 存在问题 is the field's starting point.
    expect(page.get_by_label("存在问题")).not_to_have_value("")

    opening.fill(OPENING)
    expect(preview).to_contain_text(OPENING)
    paragraphs = preview.locator("article.summary > p").all_inner_texts()
    assert paragraphs[0] == OPENING
    assert paragraphs[1].endswith("现将全年工作情况总结如下。")
    expect(page.locator("#preview-status")).to_contain_text("预览已更新")
    assert not SummaryDraft.objects.exists()  # previewing saves nothing
    assert page.evaluate("window.__cspViolations || []") == [] and console == []

    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1.title")).to_have_text(f"测试街道工会联合会{YEAR}年工作总结")
    first = page.locator("article.summary > p").first
    expect(first).to_have_text(OPENING)


def test_the_half_year_summary_opens_from_the_index(sign_in, township_staff, records):
    page = sign_in(township_staff)
    page.goto("/reports/")
    page.get_by_role("link", name=f"{YEAR}年上半年工作总结").click()
    expect(page.locator("h1.title")).to_have_text(f"测试街道工会联合会{YEAR}年上半年工作总结")
    expect(page.locator("article.summary > p").first).to_contain_text("现将上半年工作情况总结如下。")
    page.get_by_role("link", name=f"{YEAR}年工作总结").first.click()
    expect(page.locator("h1.title")).to_have_text(f"测试街道工会联合会{YEAR}年工作总结")


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_the_editor_with_its_preview_has_no_axe_violation(sign_in, township_staff, records, width):
    from tests.browser.test_accessibility import AXE, axe_violations

    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make setup-test installs it)")
    page = sign_in(township_staff, bypass_csp=True, viewport={"width": width, "height": 900})
    page.goto(f"/reports/{records.pk}/{YEAR}/h1/edit/")
    expect(page.locator("#summary-preview")).to_contain_text("现将上半年工作情况总结如下。")
    assert axe_violations(page) == []
