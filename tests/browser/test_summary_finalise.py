"""定稿 as people see it (issue 12, finding 2): the chair finalises from the summary page and sees
已定稿 · 第1版; staff can no longer edit the text; 下载PDF gives the finalised file, whatever the
records do afterwards; the chair reopens and the summary is a draft again. And the summary is
readable on a 390-px phone (finding 10)."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from federation.models import FederationYear
from reports.models import SummaryDraft, SummaryVersion
from tests.support.factories import AidRecordFactory, MemberFactory, UnionYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


@pytest.fixture
def records(county, township, union_a, union_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    FederationYear.objects.create(federation=county, year=YEAR, employers_should_unionise=5)
    for union in (union_a, union_b):
        UnionYearFactory(union=union, year=YEAR, employees=20)
    for i in range(3):
        MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1), gender="F" if i else "M")
    member = MemberFactory(union=union_b, joined_on=dt.date(YEAR, 3, 1))
    AidRecordFactory(member=member, kind="festival", amount=Decimal("800.00"), aid_on=dt.date(YEAR, 1, 20))
    SummaryDraft.objects.create(federation=county, year=YEAR, problems_text="基层工会经费不足。")
    return county


def accepting_confirms(page):
    """confirm.js asks before 定稿 and 重新打开; Playwright would dismiss the question."""
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def stored_pdf() -> bytes:
    version = SummaryVersion.objects.get(reopened_at__isnull=True)
    with version.pdf.storage.open(version.pdf.name, "rb") as handle:
        return handle.read()


def test_chair_finalises_staff_cannot_edit_downloads_are_the_version_and_the_chair_reopens(
    sign_in, records, county_chair, county_staff, union_a, tmp_path
):
    summary = f"/reports/{records.pk}/{YEAR}/"

    # The chair finalises from the summary page, told what it freezes.
    chair = accepting_confirms(sign_in(county_chair))
    chair.goto(summary)
    state = chair.locator("#summary-state")
    expect(state).to_contain_text("草稿 · 未定稿")
    expect(state).to_contain_text("定稿将固定：全部统计数字、各部分文字、PDF和Excel文件")
    state.get_by_role("button", name="定稿").click()
    expect(chair.get_by_text("2025年工作总结已定稿（第1版）")).to_be_visible(timeout=60_000)
    chair.get_by_role("link", name="查看结果").click()
    expect(chair.locator("#summary-state")).to_contain_text("已定稿 · 第1版")
    expect(chair.locator(".draft-banner")).to_contain_text("草稿")

    # Staff: no editing while finalised — neither the button nor the page itself.
    staff = sign_in(county_staff)
    staff.goto(summary)
    expect(staff.locator("#summary-state")).to_contain_text("已定稿 · 第1版")
    expect(staff.get_by_role("link", name="编辑文字部分")).to_have_count(0)
    staff.goto(f"{summary}edit/")
    expect(staff.locator("#narrative-locked")).to_contain_text("文字部分已锁定")
    expect(staff.get_by_role("button", name="保存")).to_have_count(0)

    # The records change; 下载PDF still gives the finalised file, byte for byte.
    MemberFactory(union=union_a, joined_on=dt.date(YEAR, 9, 1))
    staff.goto(summary)
    expect(staff.locator("#summary-state")).to_contain_text("项指标与定稿版本不同")
    with staff.expect_download() as download_info:
        staff.get_by_role("link", name="下载PDF（第1版）").click()
    download = download_info.value
    assert "第1版" in download.suggested_filename
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == stored_pdf()

    # The chair reopens; the summary is a draft again and staff may edit it.
    chair.goto(summary)
    chair.locator("#summary-state").get_by_role("button", name="重新打开").click()
    expect(chair.locator(".messages")).to_contain_text("第1版已重新打开")
    expect(chair.locator("#summary-state")).to_contain_text("草稿 · 未定稿")
    expect(chair.locator("#summary-state")).to_contain_text("第1版已于")
    staff.goto(summary)
    expect(staff.get_by_role("link", name="编辑文字部分")).to_be_visible()


def test_the_versions_page_is_styled_without_a_hash_column_and_leads_back(sign_in, records, county_chair):
    chair = accepting_confirms(sign_in(county_chair))
    chair.goto(f"/reports/{records.pk}/{YEAR}/versions/")
    headers = chair.locator("table.versions thead th").all_inner_texts()
    assert headers == ["版本", "定稿人", "定稿时间", "状态", "下载"]
    chair.get_by_role("link", name="← 返回测试县总工会2025年工作总结").click()
    expect(chair.locator("h1.title")).to_have_text("测试县总工会2025年工作总结")


def test_the_summary_is_readable_on_a_phone(sign_in, records, county_staff):
    page = sign_in(county_staff)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/reports/{records.pk}/{YEAR}/")
    expect(page.locator("h1.title")).to_be_visible()
    layout = page.evaluate(
        """() => ({
            pageWidth: document.documentElement.scrollWidth,
            textWidth: document.querySelector('.summary p').getBoundingClientRect().width,
            height: document.documentElement.scrollHeight,
            tablesInBox: [...document.querySelectorAll('.summary table.data')].every(
                (table) => table.closest('.table-block').getBoundingClientRect().right <= 390),
            chartsFit: [...document.querySelectorAll('.summary figure.chart svg')].every(
                (svg) => svg.getBoundingClientRect().width <= 390),
        })"""
    )
    assert layout["pageWidth"] <= 390, layout  # nothing makes the page itself scroll sideways
    assert layout["textWidth"] >= 300, layout  # a readable column, not 180 px
    assert layout["tablesInBox"] and layout["chartsFit"], layout
    assert layout["height"] < 20_000, layout
