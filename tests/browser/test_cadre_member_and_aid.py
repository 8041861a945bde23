"""A union cadre adds a member through the 新增会员 form, finds them in the member list and records a
节日慰问 (festival-visit aid) for them."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from federation.identifiers import make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_adds_a_member_finds_them_and_records_a_festival_visit(sign_in, cadre_a, union_a):
    page = sign_in(cadre_a)
    page.get_by_role("link", name="新增会员").first.click()
    expect(page.get_by_role("heading", name="新增会员")).to_be_visible()

    born = dt.date(1990, 5, 17)
    id_number = make_resident_id("110105", born, 2, "F")
    expect(page.locator("input[name=union]")).to_have_value(str(union_a.pk))
    expect(page.locator("input[name=union_text]")).to_have_value("甲公司工会委员会")
    page.fill("input[name=name]", "王小五")
    page.select_option("select[name=gender]", "F")
    page.select_option("select[name=id_type]", "resident_id")
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=birth_date]", born.isoformat())
    page.fill("input[name=joined_on]", "2025-03-01")
    page.get_by_role("button", name="登记入会").click()

    expect(page.locator(".messages")).to_contain_text("已登记会员“王小五”入会")
    expect(page.locator("dl.facts")).to_contain_text("甲公司工会委员会")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="会员").click()
    row = page.locator("table.list tbody tr", has_text="王小五")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("甲公司工会委员会")
    expect(row).to_contain_text("2025-03-01")

    page.goto("/hardship/aid/")
    page.get_by_role("link", name="新增帮扶").first.click()
    page.fill("input[name=id_number]", id_number)
    expect(page.locator("select[name=kind]")).to_have_value("festival")
    page.fill("input[name=aid_on]", "2025-09-30")
    page.fill("input[name=amount]", "500")
    page.get_by_role("button", name="登记帮扶").click()

    expect(page.locator(".messages")).to_contain_text("已为“王小五”登记节日慰问")
    aid = page.locator("table.list tbody tr", has_text="王小五")
    expect(aid).to_contain_text("2025-09-30")
    expect(aid).to_contain_text("节日慰问")
