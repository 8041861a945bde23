"""Print views: 会员登记表, 工会组织信息采集表 and 一户一档 — each an A4 sheet of the record, found
through the user's scope, with full ID numbers only where the detail page shows them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from members.choices import AidKind
from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="李登记", mobile="13800138000", member_number="HY-0001")


@pytest.fixture
def case_a(member_a):
    case = HardshipCaseFactory(member=member_a, description="患病住院")
    AidRecordFactory(member=member_a, hardship_case=case, aid_on=dt.date(2025, 2, 10), amount=Decimal("1200"))
    AidRecordFactory(
        member=member_a,
        hardship_case=case,
        aid_on=dt.date(2025, 6, 1),
        kind=AidKind.MEDICAL,
        amount=Decimal("3000"),
    )
    AidRecordFactory(member=member_a, aid_on=dt.date(2024, 1, 20))  # festival aid outside the case
    return case


def test_the_member_registration_form_prints_the_member_and_masks_the_numbers(client, cadre_a, member_a):
    client.force_login(cadre_a)
    detail = client.get(reverse("members:detail", args=[member_a.pk])).content.decode()
    assert reverse("members:print", args=[member_a.pk]) in detail

    response = client.get(reverse("members:print", args=[member_a.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "工会会员登记表" in content and "李登记" in content and "HY-0001" in content
    assert "甲公司工会委员会" in content
    assert member_a.masked_id_number in content and member_a.id_number not in content
    assert "13800138000" not in content
    assert "css/print.css" in content


def test_a_revealed_member_prints_with_full_numbers(client, cadre_a, member_a):
    cadre_a.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    client.force_login(cadre_a)
    client.post(reverse("members:reveal", args=[member_a.pk]))
    content = client.get(reverse("members:print", args=[member_a.pk])).content.decode()
    assert member_a.id_number in content and "13800138000" in content


def test_the_union_information_sheet_prints_the_union(client, cadre_a, union_a, member_a):
    client.force_login(cadre_a)
    assert (
        reverse("unions:print", args=[union_a.pk])
        in client.get(reverse("unions:detail", args=[union_a.pk])).content.decode()
    )
    response = client.get(reverse("unions:print", args=[union_a.pk]))
    content = response.content.decode()
    assert "工会组织信息采集表" in content and union_a.name in content and union_a.employer_name in content
    assert response.context["member_count"] == 1


def test_the_hardship_file_prints_the_case_with_its_aid_history_and_total(client, cadre_a, case_a):
    client.force_login(cadre_a)
    assert (
        reverse("hardship:print", args=[case_a.pk])
        in client.get(reverse("hardship:detail", args=[case_a.pk])).content.decode()
    )
    response = client.get(reverse("hardship:print", args=[case_a.pk]))
    content = response.content.decode()
    assert "一户一档" in content and "患病住院" in content
    assert [a.aid_on for a in response.context["aid_records"]] == [dt.date(2025, 2, 10), dt.date(2025, 6, 1)]
    assert "合计2次" in content and "4200.00" in content


@pytest.mark.parametrize("view", ["members:print", "unions:print", "hardship:print"])
def test_another_tenants_record_does_not_print(client, outside_staff, case_a, view):
    client.force_login(outside_staff)
    pk = {"members:print": case_a.member_id, "unions:print": case_a.union_id, "hardship:print": case_a.pk}
    assert client.get(reverse(view, args=[pk[view]])).status_code == 404


def test_the_chair_prints_what_the_chair_reads(client, county_chair, case_a):
    client.force_login(county_chair)
    assert client.get(reverse("hardship:print", args=[case_a.pk])).status_code == 200
