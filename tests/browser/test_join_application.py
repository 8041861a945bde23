"""Issue 14's "done when": federation staff print a join poster; a worker's phone (390 px, no
account) opens its link, has one invalid ID number refused with the right message, applies and gets
a receipt; the union's cadre approves on the 工作台; the applicant's status page shows the electronic
member card, whose QR code opens a verification page saying 有效会员 — and 非有效会员 once the member
has left; the year's 新发展会员数 counts the approval."""

import datetime as dt
import re

import pytest
import segno
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from federation.identifiers import make_resident_id
from members.choices import ChangeType
from members.models import JoinApplication, Member
from members.services import member_status_change
from reports.indicators.compute import compute_catalogue
from tests.browser.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _qr_path(svg_html: str) -> str:
    return re.search(r'd="([^"]+)"', svg_html).group(1)


def test_a_worker_applies_from_a_phone_and_gets_a_member_card_that_verifies(
    browser, live_server, sign_in, township_staff, township, cadre_a, union_a
):
    cache.clear()  # the public pages' throttle counts in the cache
    year = timezone.localdate().year
    new_members_before = compute_catalogue(township, year).current["new_members"]

    # Federation staff create a join link for the union and print its poster.
    staff = sign_in(township_staff)
    staff.get_by_role("link", name="入会二维码").click()
    staff.fill("input[name=union_text]", union_a.name)
    staff.fill("input[name=note]", "食堂门口")
    staff.get_by_role("button", name="生成二维码").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("扫码申请加入工会")
    expect(staff.locator(".join-poster-union")).to_have_text(union_a.name)
    expect(staff.get_by_role("button", name="打印")).to_be_visible()
    join_url = staff.locator("#poster-url").inner_text().strip()
    poster_svg = staff.locator("#poster-qr").inner_html()
    assert _qr_path(poster_svg) == _qr_path(segno.make(join_url, error="m").svg_inline(scale=8))
    staff.emulate_media(media="print")
    assert staff.pdf(prefer_css_page_size=True)[:4] == b"%PDF"

    # A phone, without an account, opens the poster's link.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    phone.goto(join_url)
    expect(phone.locator(".join-union")).to_have_text(union_a.name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    id_number = make_resident_id("320102", dt.date(1994, 6, 18), 35, "F")
    wrong = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    phone.fill("input[name=name]", "郑小红")
    phone.fill("input[name=id_number]", wrong)
    message = f"身份证号校验位错误（应为{id_number[17]}），请核对号码。"
    expect(phone.locator("#id_number_check")).to_have_text(message)  # as it is typed
    phone.fill("input[name=mobile]", "13712345678")
    phone.select_option("select[name=education]", label="高中")
    phone.fill("input[name=job]", "质检员")
    phone.check("input[name=is_migrant_worker]")
    phone.check("input[name=consent]")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.locator(".error-summary")).to_contain_text(message)  # and by the server
    assert not JoinApplication.objects.exists()

    phone.fill("input[name=id_number]", id_number)
    expect(phone.locator("#id_number_check")).to_have_text("身份证号格式和校验位正确。")
    expect(phone.locator("#derived-gender")).to_have_text("女")
    expect(phone.locator("#derived-birth")).to_have_text("1994-06-18")
    if not phone.is_checked("input[name=consent]"):
        phone.check("input[name=consent]")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("入会申请进度")
    receipt = phone.locator("#receipt").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
    expect(phone.locator("#application-status")).to_have_text("待审核")
    status_url = phone.url

    # The union's cadre approves it on the 工作台.
    cadre = sign_in(cadre_a)
    todo = cadre.locator("#todo-applications")
    expect(todo).to_contain_text("待审核入会申请")
    expect(todo).to_contain_text("郑小红")
    todo.get_by_role("button", name="通过郑小红的入会申请").click()
    expect(cadre.locator(".messages")).to_contain_text("已通过“郑小红”的入会申请")
    expect(cadre.locator("#todo-applications")).to_have_count(0)
    member = Member.objects.get(name="郑小红")
    assert member.joined_on == timezone.localdate() and member.member_number

    # The status page shows the card; its QR code opens the verification page.
    phone.goto(status_url)
    expect(phone.locator("#application-status")).to_have_text("已通过")
    card = phone.locator(".member-card")
    expect(card).to_contain_text("电子会员证")
    expect(card).to_contain_text(member.member_number)
    expect(card).to_contain_text(union_a.name)
    verify_url = phone.locator("#card-verify").get_attribute("href")
    qr_svg = phone.locator("#card-verify").inner_html()
    assert _qr_path(qr_svg) == _qr_path(segno.make(verify_url, error="m").svg_inline(scale=4))
    phone.locator("#card-verify").click()
    expect(phone.locator("#verdict")).to_have_text("有效会员")
    expect(phone.locator("main")).to_contain_text("郑*红")
    assert id_number not in phone.content() and "郑小红" not in phone.content()

    # The member leaves: the same card no longer verifies.
    member_status_change(
        member=member,
        change_type=ChangeType.WITHDRAW,
        changed_on=timezone.localdate(),
        by=cadre_a,
        reason="personal",
    )
    phone.reload()
    expect(phone.locator("#verdict")).to_have_text("非有效会员")
    context.close()

    # The year's 新发展会员数 counts the approval.
    assert compute_catalogue(township, year).current["new_members"] == new_members_before + 1
