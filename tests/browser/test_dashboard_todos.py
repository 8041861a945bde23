"""Federation staff open the 工作台 and see what waits on them."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members import services
from tests.support.factories import MemberFactory
from unions.models import GrassrootsUnion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_federation_staff_see_an_overdue_election_and_a_transfer_waiting_on_them(
    sign_in, township_staff, cadre_b, union_a, union_b
):
    today = timezone.localdate()
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(election_due_on=today - dt.timedelta(days=3))
    GrassrootsUnion.objects.filter(pk=union_b.pk).update(election_due_on=today + dt.timedelta(days=900))
    member = MemberFactory(union=union_a, name="赵待转")
    services.transfer_request(member=member, to_union=union_b, by=cadre_b, reason="调动")

    page = sign_in(township_staff)

    elections = page.locator("#todo-elections")
    expect(elections).to_contain_text("甲公司工会委员会")
    expect(elections).to_contain_text("已逾期")
    expect(elections).not_to_contain_text("乙公司工会委员会")

    transfers = page.locator("#todo-transfers")
    expect(transfers).to_contain_text("赵待转")
    expect(transfers).to_contain_text("甲公司工会委员会 → 乙公司工会委员会")
    expect(transfers.get_by_role("button", name="同意转出")).to_be_visible()
