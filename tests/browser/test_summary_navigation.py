"""Around the summary without dead ends (issue 12, findings 4 and 11; issue 15): a union cadre finds
the union's own summary; the summary goes forward a year as well as back; from a figure
to its records, from a record's name to its page, and the list out to Excel."""

import datetime as dt

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.support.factories import MemberFactory, UnionYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def test_a_union_cadre_finds_the_unions_own_summary_from_the_navigation(sign_in, cadre_a, union_a):
    page = sign_in(cadre_a)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年度总结").click()
    expect(page.locator("#no-federation")).to_have_count(0)
    page.get_by_role("link", name=f"{YEAR}年工作总结", exact=True).click()
    expect(page.locator("h1.title")).to_have_text(f"甲公司工会委员会{YEAR}年工作总结")


def test_staff_go_a_year_forward_open_a_figures_records_a_members_page_and_export_the_list(
    sign_in, county_staff, township, union_a, tmp_path
):
    UnionYearFactory(union=union_a, year=YEAR, employees=20)
    MemberFactory(union=union_a, name="钱多多", joined_on=dt.date(2020, 1, 1))
    page = sign_in(county_staff)
    page.goto(f"/reports/{township.pk}/{YEAR - 1}/")
    page.get_by_role("link", name=f"{YEAR}年 →").click()
    expect(page.locator("h1.title")).to_have_text(f"测试街道工会联合会{YEAR}年工作总结")

    page.locator(f'a.fig[href="/reports/{township.pk}/{YEAR}/drill/members/"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("会员总数")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出Excel").click()
    saved = tmp_path / "members.xlsx"
    download_info.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["姓名", "钱多多"]

    page.get_by_role("link", name="钱多多").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("钱多多")
