"""Batch actions: a union approves the transfers waiting on it in one step, and 节日慰问 is recorded
for members picked from the member list in one step — every record or none, with a Chinese message
naming the member that stopped it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services
from members.choices import AidKind, TransferStatus
from members.models import AidRecord, MembershipTransfer
from tests.support.factories import MemberFactory

JOINED = dt.date(2018, 6, 1)


@pytest.fixture
def three_requests(union_a, union_b, cadre_b):
    """Three members of union A asked for by union B: A's turn to approve (转出审批)."""
    members = [MemberFactory(union=union_a, joined_on=JOINED, name=n) for n in ("甲一", "甲二", "甲三")]
    return [services.transfer_request(member=m, to_union=union_b, by=cadre_b) for m in members]


def _statuses(transfers):
    return [MembershipTransfer.objects.get(pk=t.pk).status for t in transfers]


def test_a_cadre_sees_the_transfers_waiting_on_their_union_and_approves_them_at_once(
    client, cadre_a, three_requests
):
    client.force_login(cadre_a)
    url = reverse("members:transfer-batch")
    page = client.get(url)
    assert {t.member.name for t in page.context["page"]} == {"甲一", "甲二", "甲三"}

    chosen = [three_requests[0].pk, three_requests[2].pk]
    response = client.post(url, {"transfer": chosen}, follow=True)

    assert "已同意2项会籍转接。" in response.content.decode()
    assert _statuses(three_requests) == [
        TransferStatus.APPROVED,
        TransferStatus.REQUESTED,
        TransferStatus.APPROVED,
    ]


def test_the_receiving_union_accepts_the_approved_ones_in_one_step(client, cadre_a, cadre_b, three_requests):
    services.transfers_approve_many(transfers=three_requests, by=cadre_a)
    client.force_login(cadre_b)
    response = client.post(reverse("members:transfer-batch"), {"transfer": [t.pk for t in three_requests]})
    assert response.status_code == 302
    assert set(_statuses(three_requests)) == {TransferStatus.ACCEPTED}


def test_a_transfer_not_waiting_on_the_user_stops_the_whole_batch(client, cadre_b, three_requests):
    """Union B asked for them: it is A's turn, so B's batch approves nothing."""
    client.force_login(cadre_b)
    assert not list(client.get(reverse("members:transfer-batch")).context["page"])
    response = client.post(
        reverse("members:transfer-batch"), {"transfer": [t.pk for t in three_requests]}, follow=True
    )
    assert "所选的转接中有已被办理或不归您办理的" in response.content.decode()
    assert set(_statuses(three_requests)) == {TransferStatus.REQUESTED}


def test_one_refused_transfer_leaves_every_other_one_as_it_was(cadre_a, cadre_b, three_requests):
    stale = MembershipTransfer.objects.get(pk=three_requests[1].pk)
    services.transfer_cancel(transfer=three_requests[1], by=cadre_b)  # withdrawn meanwhile
    with pytest.raises(ValidationError) as excinfo:
        services.transfers_approve_many(transfers=[three_requests[0], stale, three_requests[2]], by=cadre_a)
    assert excinfo.value.messages == ["甲二：该转接当前状态为“已撤销”，不能办理此操作。"]
    assert _statuses(three_requests) == [
        TransferStatus.REQUESTED,
        TransferStatus.CANCELLED,
        TransferStatus.REQUESTED,
    ]


@pytest.mark.parametrize("ticked", [[], ["x"], ["999999"]])
def test_a_batch_of_nothing_or_of_tampered_numbers_changes_nothing(client, cadre_a, three_requests, ticked):
    client.force_login(cadre_a)
    response = client.post(reverse("members:transfer-batch"), {"transfer": ticked}, follow=True)
    assert response.status_code == 200
    assert set(_statuses(three_requests)) == {TransferStatus.REQUESTED}


def test_the_chair_reads_the_batch_page_but_cannot_approve(client, county_chair, three_requests):
    client.force_login(county_chair)
    assert client.get(reverse("members:transfer-batch")).status_code == 200
    response = client.post(reverse("members:transfer-batch"), {"transfer": [three_requests[0].pk]})
    assert response.status_code == 403


# --- 批量节日慰问 ------------------------------------------------------------------------------


@pytest.fixture
def picked(union_a):
    return [MemberFactory(union=union_a, joined_on=JOINED, name=n) for n in ("王一", "王二", "王三")]


def _festival(client, members, **data):
    return client.post(
        reverse("hardship:aid-festival"),
        {
            "members": [m.pk for m in members],
            "aid_on": "2025-01-20",
            "amount": "300",
            "fund_source": "own_funds",
            **data,
        },
        follow=True,
    )


def test_members_ticked_on_the_member_list_open_the_festival_form(client, cadre_a, picked):
    client.force_login(cadre_a)
    listing = client.get(reverse("members:list")).content.decode()
    assert 'form="festival-pick"' in listing and 'action="/hardship/aid/festival/"' in listing
    response = client.get(reverse("hardship:aid-festival"), {"members": [picked[0].pk, picked[2].pk]})
    assert [m.name for m in response.context["chosen"]] == ["王一", "王三"]
    assert "已选2人" in response.content.decode()


def test_festival_aid_is_recorded_for_every_member_picked_in_one_step(client, cadre_a, picked):
    client.force_login(cadre_a)
    response = _festival(client, picked, goods_description="米、油")
    assert "已为3名会员登记节日慰问(送温暖)。" in response.content.decode()
    records = AidRecord.objects.order_by("member__name")
    assert [(r.member.name, r.kind, r.amount, r.aid_on) for r in records] == [
        (m.name, AidKind.FESTIVAL, 300, dt.date(2025, 1, 20)) for m in sorted(picked, key=lambda m: m.name)
    ]
    assert {r.recorded_by for r in records} == {cadre_a}
    assert all(r.hardship_case is None and r.goods_description == "米、油" for r in records)


def test_one_member_who_cannot_receive_it_stops_the_whole_batch_with_a_chinese_message(
    client, cadre_a, picked
):
    late = MemberFactory(union=picked[0].union, joined_on=dt.date(2025, 6, 1), name="王晚")
    client.force_login(cadre_a)
    response = _festival(client, [*picked, late])
    content = response.content.decode()
    assert "王晚：发放日期不在该会员的会籍期间内。" in content
    assert "本次慰问一条也未登记" in content
    assert not AidRecord.objects.exists()


def test_a_member_of_another_union_cannot_be_slipped_into_the_batch(client, cadre_a, picked, union_b):
    stranger = MemberFactory(union=union_b, joined_on=JOINED)
    client.force_login(cadre_a)
    response = _festival(client, [*picked, stranger])
    assert response.status_code == 200
    assert response.context["form"].errors["members"]
    assert not AidRecord.objects.exists()


@pytest.mark.parametrize("members", [[], ["abc"], ["-1"]])
def test_festival_form_with_no_or_bad_members_is_refused_without_an_error_page(client, cadre_a, members):
    client.force_login(cadre_a)
    assert client.get(reverse("hardship:aid-festival"), {"members": members}).status_code == 200
    response = client.post(reverse("hardship:aid-festival"), {"members": members, "aid_on": "2025-01-20"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AidRecord.objects.exists()


def test_festival_aid_with_neither_money_nor_goods_is_refused(client, cadre_a, picked):
    client.force_login(cadre_a)
    response = _festival(client, picked, amount="")
    assert response.context["form"].non_field_errors()
    assert not AidRecord.objects.exists()


def test_a_departed_member_gets_no_festival_aid_after_leaving(cadre_a, picked):
    services.member_status_change(
        member=picked[0], by=cadre_a, change_type="death", changed_on=dt.date(2024, 12, 31)
    )
    with pytest.raises(ValidationError, match="王一"):
        services.aid_festival_record_many(members=picked, by=cadre_a, aid_on=dt.date(2025, 1, 20), amount=100)
    assert not AidRecord.objects.exists()
