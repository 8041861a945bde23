"""One aid record: its page, and 修改 through aid_record_update under the rules of
aid_record_create (the member, the union and the case stay)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.choices import CaseStatus
from members.services import aid_record_update
from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="张三", joined_on=dt.date(2020, 1, 1))


@pytest.fixture
def aid_a(member_a):
    return AidRecordFactory(member=member_a, amount=Decimal("500"))


def _figures(**extra):
    data = {
        "aid_on": dt.date(2025, 2, 1),
        "kind": "festival",
        "amount": Decimal("600"),
        "fund_source": "own_funds",
    }
    data.update(extra)
    return data


# ---- the service ----


def test_an_update_saves_the_new_figures_with_the_user_in_history(aid_a, cadre_a):
    aid_record_update(record=aid_a, by=cadre_a, handled_by="李会计", **_figures())
    aid_a.refresh_from_db()
    assert (aid_a.aid_on, aid_a.amount, aid_a.handled_by) == (dt.date(2025, 2, 1), Decimal("600"), "李会计")
    assert aid_a.history.first().history_user == cadre_a


@pytest.mark.parametrize(
    "aid_on, message",
    [
        (dt.date(2019, 12, 31), "会籍期间"),
        (timezone.localdate() + dt.timedelta(days=1), "晚于今天"),
    ],
)
def test_the_date_must_lie_within_the_membership_and_not_in_the_future(aid_a, cadre_a, aid_on, message):
    with pytest.raises(ValidationError, match=message):
        aid_record_update(record=aid_a, by=cadre_a, **_figures(aid_on=aid_on))
    aid_a.refresh_from_db()
    assert aid_a.amount == Decimal("500")


def test_the_date_must_lie_within_the_case_the_record_is_filed_under(member_a, cadre_a):
    case = HardshipCaseFactory(
        member=member_a,
        opened_on=dt.date(2024, 1, 1),
        status=CaseStatus.RESOLVED,
        closed_on=dt.date(2024, 12, 31),
    )
    record = AidRecordFactory(member=member_a, hardship_case=case, kind="living", aid_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="在档期间"):
        aid_record_update(record=record, by=cadre_a, **_figures(kind="living", aid_on=dt.date(2025, 2, 1)))


def test_negative_amounts_and_an_education_aid_without_students_are_refused(aid_a, cadre_a):
    with pytest.raises(ValidationError) as exc:
        aid_record_update(record=aid_a, by=cadre_a, **_figures(amount=Decimal("-1")))
    assert "amount" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        aid_record_update(record=aid_a, by=cadre_a, **_figures(kind="education"))
    assert "students_helped" in exc.value.error_dict


def test_the_member_and_the_union_cannot_be_changed(aid_a, cadre_a, union_b):
    with pytest.raises(TypeError):
        aid_record_update(record=aid_a, by=cadre_a, union=union_b, **_figures())


def test_another_union_and_the_chair_may_not_update(aid_a, cadre_b, county_chair):
    for user in (cadre_b, county_chair):
        with pytest.raises(PermissionDenied):
            aid_record_update(record=aid_a, by=user, **_figures())


# ---- the pages ----


def test_the_list_and_the_case_page_link_to_the_record(client, member_a, cadre_a):
    case = HardshipCaseFactory(member=member_a)
    record = AidRecordFactory(member=member_a, hardship_case=case, kind="living", aid_on=dt.date(2025, 3, 1))
    client.force_login(cadre_a)
    url = reverse("hardship:aid-detail", args=[record.pk])
    assert url in client.get(reverse("hardship:aid-list")).content.decode()
    assert url in client.get(reverse("hardship:detail", args=[case.pk])).content.decode()


def test_the_detail_page_masks_the_id_number_and_offers_edit_to_the_union(
    client, aid_a, cadre_a, county_chair
):
    client.force_login(cadre_a)
    page = client.get(reverse("hardship:aid-detail", args=[aid_a.pk])).content.decode()
    assert aid_a.member.masked_id_number in page
    assert aid_a.member.id_number not in page
    assert reverse("hardship:aid-edit", args=[aid_a.pk]) in page
    client.force_login(county_chair)
    page = client.get(reverse("hardship:aid-detail", args=[aid_a.pk])).content.decode()
    assert reverse("hardship:aid-edit", args=[aid_a.pk]) not in page


def test_editing_from_the_page_saves_and_returns_to_the_record(client, aid_a, cadre_a):
    client.force_login(cadre_a)
    url = reverse("hardship:aid-edit", args=[aid_a.pk])
    data = {
        "aid_on": "2025-02-01",
        "kind": "festival",
        "amount": "",
        "goods_value": "200",
        "fund_source": "own_funds",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("hardship:aid-detail", args=[aid_a.pk])
    aid_a.refresh_from_db()
    assert (aid_a.amount, aid_a.goods_value) == (Decimal("0"), Decimal("200"))


def test_a_refused_edit_shows_the_reason_beside_the_field(client, aid_a, cadre_a):
    client.force_login(cadre_a)
    data = {"aid_on": "2010-01-01", "kind": "festival", "amount": "100", "fund_source": "own_funds"}
    response = client.post(reverse("hardship:aid-edit", args=[aid_a.pk]), data)
    assert response.status_code == 200
    assert "发放日期不在该会员的会籍期间内。" in response.context["form"].errors["aid_on"]
    aid_a.refresh_from_db()
    assert aid_a.amount == Decimal("500")


@pytest.mark.parametrize("name", ["hardship:aid-detail", "hardship:aid-edit"])
def test_another_scope_gets_a_404(client, aid_a, cadre_b, outside_staff, name):
    for user in (cadre_b, outside_staff):
        client.force_login(user)
        assert client.get(reverse(name, args=[aid_a.pk])).status_code == 404


def test_the_chair_reads_the_record_and_gets_a_403_on_edit(client, aid_a, county_chair):
    client.force_login(county_chair)
    assert client.get(reverse("hardship:aid-detail", args=[aid_a.pk])).status_code == 200
    assert client.post(reverse("hardship:aid-edit", args=[aid_a.pk]), {"amount": "1"}).status_code == 403


def test_the_detail_and_edit_pages_take_a_fixed_number_of_queries(
    client, member_a, cadre_a, django_assert_max_num_queries
):
    case = HardshipCaseFactory(member=member_a)
    record = AidRecordFactory(member=member_a, hardship_case=case, kind="living", aid_on=dt.date(2025, 3, 1))
    client.force_login(cadre_a)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("hardship:aid-detail", args=[record.pk])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("hardship:aid-edit", args=[record.pk])).status_code == 200
