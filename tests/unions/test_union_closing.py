"""撤销 and 合并 of a grassroots union: explicit actions of the federation above, through
unions.closing, never a raw edit of the status."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.choices import CaseStatus, ChangeType, MembershipStatus, TransferStatus
from members.models import MembershipChange, MembershipTransfer
from reports.indicators import compute_catalogue, union_rows
from tests.support.factories import HardshipCaseFactory, MemberFactory, UnionFactory
from unions.choices import UnionStatus
from unions.closing import union_dissolve, union_merge
from unions.forms import UnionCreateForm, UnionEditForm

ON = dt.date(2025, 6, 30)


@pytest.fixture
def union_c(township):
    return UnionFactory(federation=township, name="丁公司工会委员会")


def login(client, user):
    client.force_login(user)
    return client


# ---- the rules ----


def test_dissolving_an_empty_union_sets_its_status_and_date_with_the_user_in_history(union_a, township_staff):
    union_dissolve(union=union_a, on=ON, by=township_staff, reason="企业注销")
    union_a.refresh_from_db()
    assert union_a.status == UnionStatus.DISSOLVED
    assert union_a.status_changed_on == ON
    last = union_a.history.first()
    assert last.history_user == township_staff
    assert "企业注销" in last.history_change_reason


def test_dissolving_is_refused_while_the_union_has_live_members(union_a, township_staff):
    MemberFactory(union=union_a)
    reserved = MemberFactory(union=union_a)
    reserved.status = MembershipStatus.RESERVED
    reserved.save()
    with pytest.raises(ValidationError) as exc:
        union_dissolve(union=union_a, on=ON, by=township_staff)
    assert "2名会员" in str(exc.value)
    assert "合并" in str(exc.value)
    union_a.refresh_from_db()
    assert union_a.status == UnionStatus.ACTIVE


def test_dissolving_is_refused_while_a_transfer_into_the_union_is_open(union_a, union_b, township_staff):
    member = MemberFactory(union=union_b)
    MembershipTransfer.objects.create(member=member, from_union=union_b, to_union=union_a, requested_on=ON)
    with pytest.raises(ValidationError, match="转接"):
        union_dissolve(union=union_a, on=ON, by=township_staff)


def test_dissolving_is_refused_while_a_hardship_case_is_open(union_a, township_staff):
    case = HardshipCaseFactory(member=MemberFactory(union=union_a))
    case.member.status = MembershipStatus.WITHDRAWN
    case.member.left_on = ON
    case.member.save()
    with pytest.raises(ValidationError, match="困难职工档案"):
        union_dissolve(union=union_a, on=ON, by=township_staff)


@pytest.mark.parametrize(
    "on, message",
    [(timezone.localdate() + dt.timedelta(days=1), "晚于今天"), (dt.date(2015, 2, 28), "早于建会日期")],
)
def test_closing_date_may_be_neither_in_the_future_nor_before_the_union_was_founded(
    union_a, township_staff, on, message
):
    with pytest.raises(ValidationError, match=message):
        union_dissolve(union=union_a, on=on, by=township_staff)


def test_a_union_cadre_and_the_chair_may_not_close_a_union(union_a, cadre_a, county_chair):
    for user in (cadre_a, county_chair):
        with pytest.raises(PermissionDenied):
            union_dissolve(union=union_a, on=ON, by=user)


def test_a_union_already_dissolved_cannot_be_closed_again(union_a, union_c, township_staff):
    union_dissolve(union=union_a, on=ON, by=township_staff)
    with pytest.raises(ValidationError, match="已撤销"):
        union_merge(union=union_a, into=union_c, on=ON, by=township_staff)


def test_merging_moves_every_live_member_with_a_pair_of_transfer_entries(union_a, union_c, township_staff):
    active = MemberFactory(union=union_a)
    reserved = MemberFactory(union=union_a)
    reserved.status = MembershipStatus.RESERVED
    reserved.save()
    gone = MemberFactory(union=union_a)
    gone.status, gone.left_on = MembershipStatus.WITHDRAWN, dt.date(2020, 1, 1)
    gone.save()

    assert union_merge(union=union_a, into=union_c, on=ON, by=township_staff) == 2

    union_a.refresh_from_db()
    assert (union_a.status, union_a.status_changed_on) == (UnionStatus.MERGED, ON)
    for member, status in ((active, MembershipStatus.ACTIVE), (reserved, MembershipStatus.RESERVED)):
        member.refresh_from_db()
        assert (member.union, member.status) == (union_c, status)
        entries = MembershipChange.objects.filter(member=member, changed_on=ON).order_by("pk")
        assert [(e.union, e.counterpart_union, e.change_type, e.recorded_by) for e in entries] == [
            (union_a, union_c, ChangeType.TRANSFER_OUT, township_staff),
            (union_c, union_a, ChangeType.TRANSFER_IN, township_staff),
        ]
        assert member.history.first().history_user == township_staff
    gone.refresh_from_db()
    assert gone.union == union_a


def test_merging_moves_open_hardship_cases_with_their_members(union_a, union_c, township_staff):
    member = MemberFactory(union=union_a)
    open_case = HardshipCaseFactory(member=member)
    closed = HardshipCaseFactory(
        member=member,
        status=CaseStatus.RESOLVED,
        opened_on=dt.date(2023, 1, 1),
        closed_on=dt.date(2024, 1, 1),
    )
    union_merge(union=union_a, into=union_c, on=ON, by=township_staff)
    open_case.refresh_from_db()
    closed.refresh_from_db()
    assert open_case.union == union_c
    assert closed.union == union_a


def test_merging_is_refused_while_a_member_has_an_open_transfer(union_a, union_b, union_c, township_staff):
    member = MemberFactory(union=union_a)
    MembershipTransfer.objects.create(
        member=member, from_union=union_a, to_union=union_b, requested_on=ON, status=TransferStatus.APPROVED
    )
    with pytest.raises(ValidationError, match="转接"):
        union_merge(union=union_a, into=union_c, on=ON, by=township_staff)
    member.refresh_from_db()
    assert member.union == union_a
    assert not MembershipChange.objects.filter(change_type=ChangeType.TRANSFER_OUT).exists()


def test_merging_is_refused_into_itself_a_closed_union_or_one_the_user_does_not_keep(
    union_a, union_c, outside_union, township_staff
):
    for into, message in ((union_a, "本工会自身"), (outside_union, "无权")):
        with pytest.raises(ValidationError, match=message):
            union_merge(union=union_a, into=into, on=ON, by=township_staff)
    union_dissolve(union=union_c, on=ON, by=township_staff)
    with pytest.raises(ValidationError, match="状态正常"):
        union_merge(union=union_a, into=union_c, on=ON, by=township_staff)


def test_merging_cannot_predate_a_members_last_change(union_a, union_c, township_staff):
    MemberFactory(union=union_a, joined_on=dt.date(2025, 8, 1))
    with pytest.raises(ValidationError, match="最近一次会籍变化"):
        union_merge(union=union_a, into=union_c, on=ON, by=township_staff)


def test_merging_cannot_predate_a_members_joining_without_a_join_entry(union_a, union_c, township_staff):
    MemberFactory(union=union_a, joined_on=dt.date(2025, 8, 1), join_entry=False)
    with pytest.raises(ValidationError, match="入会日期"):
        union_merge(union=union_a, into=union_c, on=ON, by=township_staff)


def test_a_merge_counts_like_an_internal_transfer_in_the_summary(township, union_a, union_c, township_staff):
    MemberFactory.create_batch(3, union=union_a)
    MemberFactory.create_batch(2, union=union_c)
    union_merge(union=union_a, into=union_c, on=ON, by=township_staff)

    figures = compute_catalogue(township, ON.year).current
    assert figures["members"] == 5
    assert figures["new_members"] == 0
    assert figures["transferred_in"] == 0
    assert figures["members_left"] == 0
    assert figures["unions_closed"] == 1
    rows = {row["pk"]: row for row in union_rows(township, ON.year)}
    assert rows[union_c.pk]["members"] == 5
    assert union_a.pk not in rows  # merged during the year: no longer counted at year end


def test_union_forms_do_not_expose_the_status():
    for form in (UnionEditForm, UnionCreateForm):
        assert "status" not in form.base_fields
        assert "status_changed_on" not in form.base_fields


# ---- the pages ----


def test_federation_staff_see_the_closing_actions_and_a_cadre_does_not(
    client, union_a, township_staff, cadre_a
):
    page = login(client, township_staff).get(reverse("unions:detail", args=[union_a.pk]))
    assert reverse("unions:merge", args=[union_a.pk]) in page.content.decode()
    page = login(client, cadre_a).get(reverse("unions:detail", args=[union_a.pk]))
    assert reverse("unions:merge", args=[union_a.pk]) not in page.content.decode()


def test_merging_from_the_union_page_redirects_to_the_union_merged_into(
    client, union_a, union_c, township_staff
):
    MemberFactory(union=union_a)
    response = login(client, township_staff).post(
        reverse("unions:merge", args=[union_a.pk]), {"into": union_c.pk, "on": "2025-06-30"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("unions:detail", args=[union_c.pk])
    assert union_c.members.count() == 1


def test_dissolving_a_union_with_members_shows_what_to_do_first(client, union_a, township_staff):
    MemberFactory(union=union_a)
    response = login(client, township_staff).post(
        reverse("unions:dissolve", args=[union_a.pk]), {"on": "2025-06-30"}
    )
    assert response.status_code == 400
    assert "请先为会员办理转接或离会" in response.content.decode()
    union_a.refresh_from_db()
    assert union_a.status == UnionStatus.ACTIVE


def test_a_bad_date_is_shown_beside_the_field(client, union_a, township_staff):
    response = login(client, township_staff).post(
        reverse("unions:dissolve", args=[union_a.pk]), {"on": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "早于建会日期" in response.content.decode()


@pytest.mark.parametrize("name", ["unions:dissolve", "unions:merge"])
def test_closing_another_scopes_union_is_a_404(client, name, outside_union, union_c, township_staff):
    response = login(client, township_staff).post(
        reverse(name, args=[outside_union.pk]), {"on": "2025-06-30", "into": union_c.pk}
    )
    assert response.status_code == 404
    outside_union.refresh_from_db()
    assert outside_union.status == UnionStatus.ACTIVE


@pytest.mark.parametrize("user_fixture", ["county_chair", "cadre_a"])
@pytest.mark.parametrize("name", ["unions:dissolve", "unions:merge"])
def test_the_chair_and_the_unions_own_cadre_get_a_403(client, request, user_fixture, name, union_a, union_c):
    user = request.getfixturevalue(user_fixture)
    response = login(client, user).post(
        reverse(name, args=[union_a.pk]), {"on": "2025-06-30", "into": union_c.pk}
    )
    assert response.status_code == 403
    union_a.refresh_from_db()
    assert union_a.status == UnionStatus.ACTIVE


def test_the_merge_form_searches_for_the_target_instead_of_listing_every_union(
    client, county_staff, township, union_a
):
    # Regression: a <select> of every union kept (2,000 at tier M: 155 KB) on each union page.
    others = [UnionFactory(federation=township, name=f"合并候选{n}公司工会委员会") for n in range(30)]
    client.force_login(county_staff)

    page = client.get(reverse("unions:detail", args=[union_a.pk])).content.decode()

    assert 'name="into_text"' in page
    assert not any(other.name in page for other in others)
