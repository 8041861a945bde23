"""Figures that seemed to disagree (issue 12, finding 8): each says what it counts — the member list
whether it holds departed members, a federation how many of its unions are still 正常, the aid list
which years it sums, in the money format of the 工作台 and the summary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from federation.numbers import money_parts
from reports.summary.figures import money_parts as summary_money_parts
from tests.support.factories import AidRecordFactory, MemberFactory, UnionFactory


def test_the_member_list_says_its_total_includes_departed_members(client, cadre_a, union_a):
    MemberFactory(union=union_a, name="在册甲")
    MemberFactory(union=union_a, name="退会乙", status="withdrawn", left_on=dt.date(2025, 1, 1))
    client.force_login(cadre_a)

    everyone = client.get(reverse("members:list")).content.decode()
    live = client.get(reverse("members:list"), {"status": "active"}).content.decode()

    assert "共2人（含已离会）" in everyone
    assert "共1人（会籍状态：在册）" in live


def test_a_federation_says_how_many_of_its_unions_are_still_active(client, township_staff, township, union_a):
    UnionFactory(federation=township, status="dissolved", status_changed_on=dt.date(2024, 6, 30))
    client.force_login(township_staff)

    page = client.get(reverse("federations:detail", args=[township.pk])).content.decode()

    assert "直属基层工会2个（其中正常1个）" in page


def test_the_aid_total_is_printed_as_money_and_says_which_years_it_adds(client, cadre_a, union_a):
    member = MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1))
    AidRecordFactory(member=member, aid_on=dt.date(2024, 1, 20), amount=Decimal("20000.00"))
    AidRecordFactory(member=member, aid_on=dt.date(2025, 1, 20), amount=Decimal("4550.00"))
    client.force_login(cadre_a)

    every_year = client.get(reverse("hardship:aid-list")).content.decode()
    one_year = client.get(reverse("hardship:aid-list"), {"year": "2025"}).content.decode()

    assert '2.46<span class="unit">万元</span>' in every_year
    assert "金额合计（全部年度）" in every_year
    assert '4,550<span class="unit">元</span>' in one_year
    assert "2025年金额合计" in one_year


@pytest.mark.parametrize("amount", [None, 0, "0.5", "9999.99", "10000", "24550", "1234567.89", "100000000"])
def test_the_staff_pages_print_money_as_the_summary_does(amount):
    assert money_parts(amount) == summary_money_parts(amount)
