"""A clerk sorts the member list by a column header, reverses it, chooses 20 rows a page and jumps
to a page by its number."""

import pytest
from playwright.sync_api import expect

from tests.support.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_sort_the_member_list_by_a_header_and_page_through_it(sign_in, county_staff, union_a):
    for i in range(45):
        MemberFactory(union=union_a, name=f"张{chr(0x4E00 + i)}", member_number=f"M{i:03}")
    page = sign_in(county_staff)
    page.goto("/members/")
    rows = page.locator("table.list tbody tr")

    page.get_by_role("link", name="会员证号").click()
    expect(page.get_by_role("columnheader", name="会员证号")).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_contain_text("M000")
    page.get_by_role("link", name="会员证号").click()
    expect(page.get_by_role("columnheader", name="会员证号")).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("M044")

    page.get_by_label("每页条数").select_option("20")
    page.get_by_role("button", name="确定").click()
    expect(rows).to_have_count(20)
    expect(page.locator("nav.pagination")).to_contain_text("第1页，共3页")

    page.get_by_label("跳至页码").fill("3")
    page.get_by_role("button", name="跳转").click()
    expect(page.locator("nav.pagination")).to_contain_text("第3页，共3页")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("M004")  # still sorted backwards by 会员证号
