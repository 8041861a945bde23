"""A cadre approves every transfer waiting on the union in one step, and records 节日慰问 for the
members ticked on the member list in one step."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from members import services
from members.choices import AidKind, TransferStatus
from members.models import AidRecord, MembershipTransfer
from tests.support.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cadre_ticks_all_waiting_transfers_and_approves_them(sign_in, cadre_a, cadre_b, union_a, union_b):
    for name in ("转一", "转二", "转三"):
        member = MemberFactory(union=union_a, name=name, joined_on=dt.date(2019, 1, 1))
        services.transfer_request(member=member, to_union=union_b, by=cadre_b)
    page = sign_in(cadre_a)
    page.goto("/members/")
    page.get_by_role("link", name="待办会籍转接").click()

    page.get_by_label("全选本页").check()
    expect(page.get_by_label("选择转二")).to_be_checked()
    page.get_by_role("button", name="同意所选").click()

    expect(page.get_by_role("status")).to_contain_text("已同意3项会籍转接。")
    expect(page.get_by_text("目前没有等待您办理的会籍转接。")).to_be_visible()
    assert set(MembershipTransfer.objects.values_list("status", flat=True)) == {TransferStatus.APPROVED}


def test_a_cadre_records_festival_aid_for_members_ticked_on_the_filtered_list(sign_in, cadre_a, union_a):
    for name in ("慰问甲", "慰问乙", "其他丙"):
        MemberFactory(union=union_a, name=name, joined_on=dt.date(2019, 1, 1))
    page = sign_in(cadre_a)
    page.goto("/members/")
    page.get_by_label("姓名/身份证号/会员证号").fill("慰问")
    page.get_by_role("button", name="查询").click()
    page.get_by_label("全选本页").check()
    page.get_by_role("button", name="为所选会员登记节日慰问").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("已选2人")
    page.get_by_label("金额(元)").fill("500")
    page.get_by_role("button", name="登记节日慰问").click()

    expect(page.get_by_role("status")).to_contain_text("已为2名会员登记节日慰问(送温暖)。")
    names = sorted(AidRecord.objects.filter(kind=AidKind.FESTIVAL).values_list("member__name", flat=True))
    assert names == ["慰问乙", "慰问甲"]
