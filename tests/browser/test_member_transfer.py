"""A member moves between two unions: requested, approved by the union they leave, accepted by the
union they join — three people, each in their own browser."""

import pytest
from playwright.sync_api import expect

from members.models import MembershipTransfer
from tests.support.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_is_transferred_by_three_users(sign_in, township_staff, cadre_a, cadre_b, union_a, union_b):
    member = MemberFactory(union=union_a, name="钱转会")

    # Federation staff over both unions request it (the receiving cadre cannot open the member's page:
    # another union's member is a 404 to them).
    staff = sign_in(township_staff)
    staff.goto(f"/members/{member.pk}/")
    # The destination is chosen in the union search field, by keyboard.
    staff.get_by_role("combobox", name="转入工会").fill("乙公司")
    expect(staff.get_by_role("option", name="乙公司工会委员会")).to_be_visible()
    staff.keyboard.press("ArrowDown")
    staff.keyboard.press("Enter")
    expect(staff.locator("input[name=to_union]")).to_have_value(str(union_b.pk))
    expect(staff.locator("input[name=to_union_text]")).to_have_value("乙公司工会委员会")
    staff.fill("input[name=reason]", "工作调动")
    staff.get_by_role("button", name="提交申请").click()
    expect(staff.locator(".messages")).to_contain_text("已提交转会申请")
    expect(staff.locator("#transfers + .table-wrap")).to_contain_text("乙公司工会委员会")

    # The cadre of the union the member leaves agrees from the 工作台.
    leaving = sign_in(cadre_a)
    leaving.locator("#todo-transfers li", has_text="钱转会").get_by_role("button", name="同意转出").click()
    expect(leaving.locator(".messages")).to_contain_text("已同意转出")

    # The cadre of the union the member joins takes them in from the 工作台.
    receiving = sign_in(cadre_b)
    todo = receiving.locator("#todo-transfers li", has_text="钱转会")
    todo.get_by_role("button", name="接收转入").click()
    expect(receiving.locator(".messages")).to_contain_text("已接收转入")

    receiving.goto(f"/members/{member.pk}/")
    expect(receiving.locator("dl.facts")).to_contain_text("乙公司工会委员会")

    transfer = MembershipTransfer.objects.get(member=member)
    assert (transfer.requested_by, transfer.approved_by, transfer.accepted_by) == (
        township_staff,
        cadre_a,
        cadre_b,
    )
