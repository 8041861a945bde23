"""The 建档 and 新增帮扶 forms' layout (issue 12, finding 10): hidden fields take no grid cell, the
optional household rows show no required star, and more than three household members can be added
(the page adds rows; the server checks however many come)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from members.models import HardshipCase
from tests.members.test_hardship_views import _open_data
from tests.support.factories import MemberFactory


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="张三", joined_on=dt.date(2020, 1, 1))


def household(n: int) -> dict:
    data = {"household-TOTAL_FORMS": str(n)}
    for i in range(n):
        data.update(
            {
                f"household-{i}-name": f"家人{i + 1}",
                f"household-{i}-relation": "子女",
                f"household-{i}-annual_income": "0",
                f"household-{i}-health_status": "healthy",
            }
        )
    return data


@pytest.mark.parametrize("url", ["hardship:create", "hardship:aid-create"])
def test_hidden_fields_leave_no_empty_cell_in_the_grid(client, cadre_a, member_a, url):
    client.force_login(cadre_a)

    page = client.get(reverse(url), {"member": member_a.pk}).content.decode()

    assert 'type="hidden" name="member"' in page
    assert not re.search(r'<div class="field[^"]*">\s*<input type="hidden"', page)


def test_household_rows_show_no_required_star_and_offer_one_more_row(client, cadre_a, member_a):
    client.force_login(cadre_a)

    page = client.get(reverse("hardship:create"), {"member": member_a.pk}).content.decode()

    rows = page[page.index('data-formset="household"') : page.index("data-formset-add")]
    assert "姓名" in rows and 'class="req"' not in rows
    assert "household-__prefix__-name" in rows  # the row the page copies for 再添加一位家庭成员
    assert "再添加一位家庭成员" in page


def test_five_household_members_are_kept(client, cadre_a, member_a):
    client.force_login(cadre_a)

    client.post(reverse("hardship:create"), _open_data(member_a, household_size="6", **household(5)))

    case = HardshipCase.objects.get(member=member_a)
    assert sorted(p.name for p in case.household.all()) == [f"家人{i}" for i in range(1, 6)]


def test_more_household_rows_than_allowed_are_refused_at_the_top(client, cadre_a, member_a):
    client.force_login(cadre_a)

    response = client.post(
        reverse("hardship:create"), _open_data(member_a, household_size="30", **household(30))
    )

    page = response.content.decode()
    assert not HardshipCase.objects.exists()
    summary = page[page.index("error-summary") : page.index("</div>", page.index("error-summary"))]
    assert "29" in summary
