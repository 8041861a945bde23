"""A grassroots union's own summary in Chromium (issue 15, "Done when"): the union's cadre opens
年度工作总结 from the dashboard, sees the union's summary, writes the opening and finalises it (已定稿 ·
第1版); federation staff then see it finalised on the federation's summary index — and quote a passage
of it into the federation's draft. The union's summary and
edit pages pass axe at desktop and phone width."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import SummaryDraft, SummaryVersion
from tests.browser.test_summary_finalise import accepting_confirms
from tests.support.factories import AidRecordFactory, MemberFactory, UnionYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPENING = "一年来，在公司党委和街道工会联合会的领导下，我会团结带领广大职工建功立业。"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def this_year() -> int:
    """The dashboard's year: the year of today (reports.dashboard.dashboard_for)."""
    return timezone.localdate().year


@pytest.fixture
def records(union_a):
    """A union with employees, members old and new, and an aid record — in the dashboard's year."""
    year = this_year()
    UnionYearFactory(union=union_a, year=year, employees=40, women_employees=20)
    for i in range(3):
        MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1), gender="F" if i else "M")
    member = MemberFactory(union=union_a, joined_on=dt.date(year, 1, 2))
    AidRecordFactory(member=member, kind="festival", amount=Decimal("800.00"), aid_on=dt.date(year, 1, 20))
    return union_a


def test_the_cadre_writes_and_finalises_and_staff_see_it_finalised_on_the_index(
    sign_in, records, cadre_a, county_staff
):
    year = this_year()
    title = f"甲公司工会委员会{year}年工作总结"

    # The cadre opens 年度工作总结 from the dashboard: the union's own summary of the dashboard's year.
    cadre = accepting_confirms(sign_in(cadre_a))
    cadre.locator("#union-summary-link").click()
    expect(cadre.locator("h1.title")).to_have_text(title)
    expect(cadre.locator("#summary-state")).to_contain_text("草稿 · 未定稿")
    expect(cadre.locator("article.summary")).to_contain_text("组织建设和会员")

    # The opening, written and saved, comes first.
    cadre.get_by_role("link", name="编辑文字部分").click()
    expect(cadre.get_by_role("heading", level=1)).to_contain_text(f"编辑文字部分：{title}")
    cadre.get_by_label("开篇段落").fill(OPENING)
    expect(cadre.locator("#summary-preview")).to_contain_text(OPENING)
    cadre.get_by_role("button", name="保存").click()
    expect(cadre.locator("h1.title")).to_have_text(title)
    expect(cadre.locator("article.summary > p").first).to_have_text(OPENING)
    draft = SummaryDraft.objects.get()
    assert (draft.union_id, draft.opening_text) == (records.pk, OPENING)

    # 定稿, after the question confirm.js asks; the job's page leads back to the summary.
    cadre.locator("#summary-state").get_by_role("button", name="定稿").click()
    expect(cadre.get_by_text(f"{year}年工作总结已定稿（第1版）")).to_be_visible(timeout=60_000)
    cadre.get_by_role("link", name="查看结果").click()
    expect(cadre.locator("#summary-state")).to_contain_text("已定稿 · 第1版")
    expect(cadre.get_by_role("link", name="编辑文字部分")).to_have_count(0)
    version = SummaryVersion.objects.get()
    assert (version.union_id, version.federation_id, version.number) == (records.pk, records.federation_id, 1)

    # Federation staff see the union among those that finalised, and open its summary from there.
    staff = sign_in(county_staff)
    staff.goto("/reports/")
    expect(staff.locator(f"#unions-finalised-{year}")).to_contain_text(f"{year}年工作总结：1个基层工会已定稿")
    listed = staff.locator("#unions-finalised-list li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(title)
    expect(listed).to_contain_text("已定稿 · 第1版")
    listed.get_by_role("link", name=title).click()
    expect(staff.locator("h1.title")).to_have_text(title)
    expect(staff.locator("#summary-state")).to_contain_text("已定稿 · 第1版")
    expect(staff.locator("article.summary > p").first).to_have_text(OPENING)
    # Staff read it; the union's cadre alone writes and finalises it.
    expect(staff.get_by_role("link", name="编辑文字部分")).to_have_count(0)
    expect(staff.locator("#summary-state").get_by_role("button")).to_have_count(0)


def test_staff_quote_a_passage_of_a_finalised_union_summary_into_the_federations_draft(
    sign_in, records, cadre_a, county_staff, county
):
    """Issue 15 part 3: the federation's edit page has a section 引用基层工会总结 listing the passages
    of finalised union summaries in scope, each with a button 引用 that puts its text, with the union
    named, into the field chosen."""
    from reports.services import summary_finalise

    year = this_year()
    SummaryDraft.objects.create(union=records, federation=records.federation, year=year, opening_text=OPENING)
    summary_finalise(union=records, year=year, by=cadre_a)

    staff = sign_in(county_staff)
    staff.goto(f"/reports/{county.pk}/{year}/edit/")
    quotes = staff.get_by_role("region", name="引用基层工会总结")
    expect(quotes.locator("article", has_text=OPENING).get_by_role("heading")).to_contain_text(
        "甲公司工会委员会"
    )
    passage = quotes.locator("li", has_text=OPENING)
    # The field the passage goes into, then 引用.
    passage.get_by_label("引用到").select_option(label="开篇段落")
    passage.get_by_role("button", name="引用").click()
    # The field's value (not its text content) holds the passage, the union named with it.
    expect(staff.get_by_label("开篇段落")).to_have_value(re.compile(re.escape(OPENING)))
    assert "甲公司工会委员会" in staff.get_by_label("开篇段落").input_value()
    expect(staff.locator("#summary-preview")).to_contain_text(OPENING)

    staff.get_by_role("button", name="保存").click()
    expect(staff.locator("h1.title")).to_have_text(f"测试县总工会{year}年工作总结")
    expect(staff.locator("article.summary")).to_contain_text(OPENING)
    federation_draft = SummaryDraft.objects.get(federation=county, union__isnull=True)
    assert OPENING in federation_draft.opening_text and "甲公司工会委员会" in federation_draft.opening_text


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
def test_the_unions_summary_and_edit_pages_have_no_axe_violation(sign_in, records, cadre_a, width):
    from tests.browser.test_accessibility import AXE, assert_pages_pass

    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make setup-test installs it)")
    page = sign_in(cadre_a, bypass_csp=True, viewport=WIDTHS[width])
    summary = f"/reports/union/{records.pk}/{this_year()}/"
    assert_pages_pass(page, {"总结": summary, "编辑": f"{summary}edit/", "上半年编辑": f"{summary}h1/edit/"})


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
def test_the_federations_edit_page_with_passages_to_quote_has_no_axe_violation(
    sign_in, records, cadre_a, county_staff, county, width
):
    from reports.services import summary_finalise
    from tests.browser.test_accessibility import AXE, assert_pages_pass

    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make setup-test installs it)")
    year = this_year()
    SummaryDraft.objects.create(union=records, federation=records.federation, year=year, opening_text=OPENING)
    summary_finalise(union=records, year=year, by=cadre_a)
    page = sign_in(county_staff, bypass_csp=True, viewport=WIDTHS[width])
    assert_pages_pass(page, {"联合会编辑（含引用）": f"/reports/{county.pk}/{year}/edit/"})
