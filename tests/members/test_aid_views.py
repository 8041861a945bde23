"""The aid pages: a scoped list with totals, and 新增帮扶 through aid_record_create."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import AidRecord
from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="张三", joined_on=dt.date(2020, 1, 1))


@pytest.fixture
def aid_a(member_a):
    return AidRecordFactory(member=member_a, amount=Decimal("500"))


@pytest.fixture
def aid_b(union_b):
    return AidRecordFactory(member=MemberFactory(union=union_b, name="李四"), amount=Decimal("300"))


def _aid_data(**extra):
    data = {"aid_on": "2025-01-20", "kind": "festival", "amount": "400", "fund_source": "own_funds"}
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("role", "shown", "total"),
    [
        ("county_staff", {"张三", "李四"}, Decimal("800")),
        ("county_chair", {"张三", "李四"}, Decimal("800")),
        ("cadre_a", {"张三"}, Decimal("500")),
        ("outside_staff", set(), None),
    ],
)
def test_aid_list_follows_the_scope_with_totals(client, request, aid_a, aid_b, role, shown, total):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("hardship:aid-list"))
    assert {a.member.name for a in response.context["page"].object_list} == shown
    assert response.context["totals"]["amount"] == total


def test_filters_and_search_narrow_the_totals(client, county_staff, aid_a, aid_b, member_a):
    AidRecordFactory(member=member_a, kind="medical", amount=Decimal("1000"), aid_on=dt.date(2024, 5, 1))
    client.force_login(county_staff)
    url = reverse("hardship:aid-list")
    response = client.get(url, {"year": "2025", "kind": "festival"})
    assert response.context["totals"]["amount"] == Decimal("800")
    response = client.get(url, {"q": member_a.id_number})
    assert response.context["totals"]["amount"] == Decimal("1500")
    assert member_a.masked_id_number in response.content.decode()


def test_cadre_records_a_festival_visit_for_any_live_member(client, cadre_a, member_a):
    client.force_login(cadre_a)
    page = client.get(reverse("hardship:aid-create"), {"member": member_a.pk}).content.decode()
    assert "张三" in page
    response = client.post(reverse("hardship:aid-create"), _aid_data(member=member_a.pk), follow=True)
    record = AidRecord.objects.get(member=member_a)
    assert record.kind == "festival" and record.hardship_case is None and record.recorded_by == cadre_a
    assert "已为“张三”登记节日慰问(送温暖)" in response.content.decode()


def test_aid_by_exact_id_number(client, cadre_a, member_a):
    client.force_login(cadre_a)
    client.post(reverse("hardship:aid-create"), _aid_data(id_number=member_a.id_number))
    assert AidRecord.objects.filter(member=member_a).exists()


def test_aid_from_the_case_page_is_filed_under_the_case(client, cadre_a, member_a):
    case = HardshipCaseFactory(member=member_a, opened_on=dt.date(2025, 1, 1))
    client.force_login(cadre_a)
    response = client.post(
        reverse("hardship:aid-create"), _aid_data(hardship_case=case.pk, kind="living", amount="800")
    )
    assert response.status_code == 302 and response.url == reverse("hardship:detail", args=[case.pk])
    assert AidRecord.objects.get().hardship_case == case


def test_aid_errors_are_shown_beside_the_field(client, cadre_a, member_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("hardship:aid-create"), _aid_data(member=member_a.pk, amount="", goods_value="")
    )
    assert response.status_code == 200
    assert "请填写金额或实物折价" in str(response.context["form"].errors["amount"])
    response = client.post(reverse("hardship:aid-create"), _aid_data(member=member_a.pk, aid_on="2019-01-01"))
    assert "会籍期间" in str(response.context["form"].errors["aid_on"])
    assert not AidRecord.objects.exists()


def test_other_union_member_cannot_be_chosen(client, cadre_b, member_a):
    client.force_login(cadre_b)
    response = client.post(reverse("hardship:aid-create"), _aid_data(member=member_a.pk))
    assert response.status_code == 200 and "member" in response.context["form"].errors
    response = client.post(reverse("hardship:aid-create"), _aid_data(id_number=member_a.id_number))
    assert "id_number" in response.context["form"].errors
    assert not AidRecord.objects.exists()


def test_chair_cannot_record_aid(client, county_chair, member_a):
    client.force_login(county_chair)
    assert client.get(reverse("hardship:aid-create")).status_code == 403
    assert client.post(reverse("hardship:aid-create"), _aid_data(member=member_a.pk)).status_code == 403


def test_empty_list_says_what_to_do(client, cadre_a):
    client.force_login(cadre_a)
    assert "登记第一条帮扶" in client.get(reverse("hardship:aid-list")).content.decode()


def test_aid_list_query_count_does_not_grow(client, county_staff, union_a, django_assert_max_num_queries):
    client.force_login(county_staff)
    AidRecordFactory.create_batch(3, member=MemberFactory(union=union_a))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("hardship:aid-list"))
    for _ in range(27):
        AidRecordFactory(member=MemberFactory(union=union_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("hardship:aid-list"))
