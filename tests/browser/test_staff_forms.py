"""What a clerk sees on the staff forms (issue 12): a refused transfer shows its errors at the top and
stays at its address, a new member needs only the ID number for 出生日期 and 性别, a hardship file
takes more than three household members, and on a 390-px phone the header keeps who is signed in."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from federation.identifiers import make_resident_id
from members.models import HardshipCase, Member
from tests.support.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_refused_transfer_shows_the_banner_at_the_top_and_a_reload_shows_the_same_form(
    sign_in, cadre_a, union_a
):
    member = MemberFactory(union=union_a, name="钱转会")
    page = sign_in(cadre_a)
    page.goto(f"/members/{member.pk}/")

    page.get_by_role("combobox", name="转入工会").fill("没有这个工会")
    page.get_by_role("button", name="提交申请").click()

    url = page.url
    assert url.endswith(f"/members/{member.pk}/transfer/")
    summary = page.get_by_role("alert").filter(has_text="未能提交转会申请")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < page.get_by_role("combobox", name="转入工会").bounding_box()["y"]
    # The summary's link takes the person to the field, which says it is invalid and why.
    summary.get_by_role("link").first.click()
    field = page.get_by_role("combobox", name="转入工会")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#" + field.get_attribute("aria-describedby").split()[0])).to_contain_text("找不到")

    page.reload()  # Chromium sends the POST again: the same page, not 「HTTP ERROR 405」
    expect(page.get_by_role("heading", name="为“钱转会”申请转会")).to_be_visible()
    page.goto(url)  # opening the address itself
    expect(page.get_by_role("heading", name="为“钱转会”申请转会")).to_be_visible()
    expect(page.get_by_role("button", name="提交申请")).to_be_visible()


def test_a_new_member_with_only_the_id_number_gets_birth_date_and_gender(sign_in, cadre_a, union_a):
    id_number = make_resident_id("110105", dt.date(1991, 8, 23), 3, "M")
    assert id_number.endswith("X")  # typed with the X button: the digit keypad has no X
    page = sign_in(cadre_a)
    page.goto("/members/new/")

    page.fill("input[name=name]", "赵身份")
    page.locator("input[name=id_number]").press_sequentially(id_number[:17])
    page.get_by_role("button", name="输入校验码X").click()
    expect(page.locator("input[name=id_number]")).to_have_value(id_number)
    # Filled as the number is typed …
    expect(page.locator("input[name=birth_date]")).to_have_value("1991-08-23")
    expect(page.locator("select[name=gender]")).to_have_value("M")
    expect(page.locator("input[name=id_number]")).to_have_attribute("inputmode", "numeric")
    page.fill("input[name=joined_on]", "2025-03-01")
    page.get_by_role("button", name="登记入会").click()

    expect(page.locator(".messages")).to_contain_text("已登记会员“赵身份”入会")
    member = Member.objects.get(name="赵身份")
    assert (member.birth_date, member.gender) == (dt.date(1991, 8, 23), "M")


def test_the_server_fills_birth_date_and_gender_without_the_script(browser, live_server, cadre_a, union_a):
    from tests.browser.conftest import PASSWORD

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", cadre_a.username)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto("/members/new/")
        page.fill("input[name=union_text]", union_a.name)
        page.fill("input[name=name]", "钱无脚本")
        page.fill("input[name=id_number]", make_resident_id("110105", dt.date(1979, 2, 3), 8, "F"))
        page.fill("input[name=joined_on]", "2025-03-01")
        page.get_by_role("button", name="登记入会").click()
        expect(page.locator(".messages")).to_contain_text("已登记会员“钱无脚本”入会")
    finally:
        context.close()
    member = Member.objects.get(name="钱无脚本")
    assert (member.birth_date, member.gender) == (dt.date(1979, 2, 3), "F")


def test_a_wrong_check_digit_is_shown_at_the_top_on_the_first_submit(sign_in, cadre_a, union_a):
    id_number = make_resident_id("110105", dt.date(1991, 8, 23), 7, "M")
    wrong = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    page = sign_in(cadre_a)
    page.goto("/members/new/")
    page.fill("input[name=name]", "错校验")
    page.fill("input[name=id_number]", wrong)
    page.evaluate("document.querySelector('input[name=birth_date]').value = ''")
    page.get_by_role("button", name="登记入会").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("校验位错误")
    expect(page.locator("input[name=id_number]")).to_have_attribute("aria-invalid", "true")


def test_a_hardship_file_takes_more_than_three_household_members(sign_in, cadre_a, union_a):
    member = MemberFactory(union=union_a, name="孙困难", joined_on=dt.date(2020, 1, 1))
    page = sign_in(cadre_a)
    page.goto(f"/hardship/new/?member={member.pk}")
    page.select_option("select[name=primary_cause]", "serious_illness")
    page.select_option("select[name=category]", "relative")  # no 低保 standard here to suggest one
    page.fill("input[name=household_size]", "6")
    page.fill("input[name=annual_household_income]", "20000")
    expect(page.locator("fieldset.household-row")).to_have_count(3)
    expect(page.locator("fieldset.household-row .req")).to_have_count(0)
    page.get_by_role("button", name="再添加一位家庭成员").click()
    page.get_by_role("button", name="再添加一位家庭成员").click()
    expect(page.locator("fieldset.household-row")).to_have_count(5)
    for i in range(5):
        page.fill(f"input[name=household-{i}-name]", f"家人{i + 1}")
        page.fill(f"input[name=household-{i}-relation]", "子女")
    page.get_by_role("button", name="建档").click()

    expect(page.locator(".messages")).to_contain_text("已为“孙困难”建立困难职工档案")
    case = HardshipCase.objects.get(member=member)
    assert case.household.count() == 5


def test_on_a_phone_the_header_shows_who_is_signed_in_and_folds_the_navigation(sign_in, cadre_a, union_a):
    cadre_a.first_name, cadre_a.last_name = "干事", "李"
    cadre_a.save()
    MemberFactory(union=union_a, name="周卡片")
    page = sign_in(cadre_a)
    page.set_viewport_size(PHONE)
    page.goto("/members/")

    who = page.locator(".site-user .who")
    expect(who).to_be_visible()
    expect(who).to_contain_text(cadre_a.get_full_name())
    box = who.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Nothing in the header runs off the screen.
    assert page.evaluate("document.querySelector('.site-header').scrollWidth") <= PHONE["width"]

    nav = page.get_by_role("navigation", name="主导航")
    menu = page.get_by_role("button", name="菜单")
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="困难帮扶")).to_be_visible()
    for link in nav.get_by_role("link").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], link.text_content()

    # The list is a stack of cards, each cell under its column's name, with no sideways scroll.
    card = page.locator("table.list tbody tr", has_text="周卡片")
    expect(card.locator('td[data-label="性别"]')).to_have_text("男")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
