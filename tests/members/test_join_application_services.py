"""入会申请 services: join links, the application (no oracle), review through member_join with the
union's member numbers, batch approval, the deletion of old applications, and the member card token."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from federation.identifiers import make_resident_id
from members.applications.selectors import applications_to_review, findings_for
from members.choices import ChangeType, MembershipStatus
from members.models import ApplicationStatus, JoinApplication, JoinLink, Member, MembershipChange
from members.models.applications import mask_name
from members.services import member_status_change
from members.services.applications import (
    join_application_approve,
    join_application_reject,
    join_application_submit,
    join_applications_approve_many,
    join_applications_purge,
    join_link_create,
    join_link_for_token,
    join_link_revoke,
    join_link_token,
    member_card_token,
    member_for_card_token,
    member_number_next,
    normalise_receipt,
)
from tests.support.factories import MemberFactory
from unions.choices import UnionStatus

BORN = dt.date(1992, 3, 14)


def answers(sequence=1, **overrides):
    return {
        "name": "赵小明",
        "id_number": make_resident_id("110105", BORN, 2 * sequence + 1, "M"),
        "ethnicity": "01",
        "education": "college",
        "political_status": "masses",
        "mobile": "13812345678",
        "employer": "甲公司",
        "job": "装配工",
        "is_migrant_worker": True,
    } | overrides


@pytest.fixture
def link_a(union_a, cadre_a):
    return join_link_create(union=union_a, by=cadre_a)


def apply(link, sequence=1, **overrides):
    return join_application_submit(link=link, consented=True, **answers(sequence, **overrides))


# --- links --------------------------------------------------------------------------------------------


def test_cadre_creates_a_link_for_own_union_and_its_signed_token_finds_it(union_a, cadre_a):
    link = join_link_create(union=union_a, by=cadre_a)
    token = join_link_token(link)
    assert token != link.key and token.startswith(link.key)
    assert join_link_for_token(token) == link
    assert link.history.get().history_user == cadre_a


def test_a_key_without_its_signature_or_with_a_forged_one_finds_nothing(link_a):
    assert join_link_for_token(link_a.key) is None
    assert join_link_for_token(f"{link_a.key}:forged") is None
    assert join_link_for_token("\x00") is None


def test_cadre_cannot_create_a_link_for_another_union(union_b, cadre_a):
    with pytest.raises(PermissionDenied):
        join_link_create(union=union_b, by=cadre_a)


def test_federation_staff_create_links_for_unions_in_scope_only(union_b, outside_union, county_staff):
    assert join_link_create(union=union_b, by=county_staff).union == union_b
    with pytest.raises(PermissionDenied):
        join_link_create(union=outside_union, by=county_staff)


def test_the_chair_creates_no_link(union_a, county_chair):
    with pytest.raises(PermissionDenied):
        join_link_create(union=union_a, by=county_chair)


def test_a_link_may_not_expire_in_the_past(union_a, cadre_a):
    with pytest.raises(ValidationError) as refused:
        join_link_create(union=union_a, by=cadre_a, expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert "expires_on" in refused.value.message_dict


def test_revoked_or_expired_links_take_no_application(link_a, union_a, cadre_a):
    join_link_revoke(link=link_a, by=cadre_a)
    link_a.refresh_from_db()
    with pytest.raises(ValidationError, match="已停用或已过期"):
        apply(link_a)
    expiring = join_link_create(union=union_a, by=cadre_a, expires_on=timezone.localdate())
    JoinLink.objects.filter(pk=expiring.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    expiring.refresh_from_db()
    with pytest.raises(ValidationError, match="已停用或已过期"):
        apply(expiring)
    assert not JoinApplication.objects.exists()


# --- the application ----------------------------------------------------------------------------------


def test_an_application_derives_gender_and_birth_date_and_gets_a_receipt(link_a, union_a):
    application = apply(link_a, id_number=make_resident_id("110105", BORN, 2, "F").lower())
    assert application.union == union_a
    assert application.birth_date == BORN and application.gender == "F"
    assert application.id_number.endswith(application.id_number[-1].upper())
    assert normalise_receipt(application.receipt.lower().replace("-", " ")) == application.receipt
    assert application.status == ApplicationStatus.PENDING


def test_an_application_with_a_wrong_check_digit_is_refused_on_the_id_number(link_a):
    good = answers()["id_number"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        apply(link_a, id_number=bad)
    assert "校验位错误" in refused.value.message_dict["id_number"][0]


def test_an_application_needs_consent(link_a):
    with pytest.raises(ValidationError) as refused:
        join_application_submit(link=link_a, consented=False, **answers())
    assert "consent" in refused.value.message_dict


def test_an_id_already_a_member_anywhere_is_accepted_for_review_like_any_other(link_a, outside_union):
    """No oracle: the application of a live member elsewhere looks exactly like a stranger's."""
    MemberFactory(union=outside_union, id_number=answers(7)["id_number"], birth_date=BORN)
    known = apply(link_a, 7)
    unknown = apply(link_a, 9)
    assert known.status == unknown.status == ApplicationStatus.PENDING
    assert len(known.receipt) == len(unknown.receipt)


# --- findings -----------------------------------------------------------------------------------------


def test_findings_name_the_other_union_only_within_the_reviewers_scope(
    link_a, union_a, union_b, outside_union, cadre_a, township_staff, django_assert_max_num_queries
):
    MemberFactory(union=union_b, id_number=answers(3)["id_number"], birth_date=BORN)
    MemberFactory(union=outside_union, id_number=answers(4)["id_number"], birth_date=BORN)
    MemberFactory(union=union_a, id_number=answers(5)["id_number"], birth_date=BORN)
    in_b, outside, here, twice = apply(link_a, 3), apply(link_a, 4), apply(link_a, 5), apply(link_a, 6)
    apply(link_a, 6)
    apps = [in_b, outside, here, twice]
    with django_assert_max_num_queries(3):
        for_cadre = findings_for(cadre_a, apps)
    for_staff = findings_for(township_staff, apps)
    assert [f.text for f in for_cadre[in_b.pk]] == ["已是其他工会的在册会员，请联系上级工会联合会核实"]
    assert "乙公司工会委员会" in for_staff[in_b.pk][0].text
    assert "外县" not in for_staff[outside.pk][0].text
    assert for_cadre[here.pk][0].text == "已是本会在册会员"
    assert [f.text for f in for_cadre[twice.pk]] == ["同一身份证号另有1份待审核申请"]


# --- review ---------------------------------------------------------------------------------------------


def test_approval_joins_through_member_join_dated_today_with_the_next_member_number(link_a, union_a, cadre_a):
    MemberFactory(union=union_a, member_number="GH2024-0041")
    MemberFactory(union=union_a, member_number="GH2024-0099")
    MemberFactory(union=union_a, member_number="GH2024-0100")
    application = apply(link_a)
    member = join_application_approve(application=application, by=cadre_a)
    assert member.status == MembershipStatus.ACTIVE and member.union == union_a
    assert member.member_number == "GH2024-0101"
    assert member.joined_on == timezone.localdate()
    assert member.is_migrant_worker and member.job == "装配工" and member.birth_date == BORN
    entry = MembershipChange.objects.get(member=member)
    assert entry.change_type == ChangeType.JOIN and entry.changed_on == timezone.localdate()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.member == member
    assert application.decided_by == cadre_a
    assert [h.history_change_reason for h in application.history.order_by("history_id")] == [
        "提交入会申请",
        "审核通过，入会",
    ]


def test_a_union_without_numbers_starts_its_own_series(union_a):
    assert member_number_next(union_a) == f"{union_a.pk:06d}0001"
    MemberFactory(union=union_a, member_number="无编号")
    assert member_number_next(union_a) == f"{union_a.pk:06d}0001"


def test_approving_a_live_member_of_another_union_is_refused_and_nothing_changes(
    link_a, union_b, cadre_a, township_staff
):
    MemberFactory(union=union_b, id_number=answers(3)["id_number"], birth_date=BORN)
    application = apply(link_a, 3)
    with pytest.raises(ValidationError) as refused:
        join_application_approve(application=application, by=cadre_a)
    assert "其他工会" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        join_application_approve(application=application, by=township_staff)
    assert "乙公司工会委员会" in str(refused.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_another_unions_cadre_and_the_chair_may_not_review(link_a, cadre_b, county_chair):
    application = apply(link_a)
    for user in (cadre_b, county_chair):
        with pytest.raises(PermissionDenied):
            join_application_approve(application=application, by=user)
        with pytest.raises(PermissionDenied):
            join_application_reject(application=application, by=user, reason="不符合条件")
    assert applications_to_review(cadre_b).count() == 0
    assert applications_to_review(county_chair).count() == 0


def test_rejection_needs_a_reason_and_decides_once(link_a, cadre_a):
    application = apply(link_a)
    with pytest.raises(ValidationError):
        join_application_reject(application=application, by=cadre_a, reason="  ")
    join_application_reject(application=application, by=cadre_a, reason="非本单位职工")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.reject_reason == "非本单位职工"
    with pytest.raises(ValidationError, match="已审核"):
        join_application_approve(application=application, by=cadre_a)


def test_batch_approval_is_all_or_none_and_names_the_refused_applicant(link_a, union_b, cadre_a):
    first, second = apply(link_a, 1), apply(link_a, 2, name="钱二")
    MemberFactory(union=union_b, id_number=answers(3)["id_number"], birth_date=BORN)
    refused = apply(link_a, 3, name="孙三")
    with pytest.raises(ValidationError, match="孙三"):
        join_applications_approve_many(applications=[first, second, refused], by=cadre_a)
    assert not Member.objects.filter(name__in=["赵小明", "钱二"]).exists()
    members = join_applications_approve_many(applications=[first, second], by=cadre_a)
    assert len({m.member_number for m in members}) == 2


# --- deletion -------------------------------------------------------------------------------------------


def test_rejected_and_stale_applications_go_after_90_days_with_their_history(link_a, cadre_a):
    rejected, stale, fresh, approved = (apply(link_a, n) for n in (1, 2, 3, 4))
    join_application_reject(application=rejected, by=cadre_a, reason="重复申请")
    join_application_approve(application=approved, by=cadre_a)
    long_ago = timezone.now() - dt.timedelta(days=91)
    JoinApplication.objects.filter(pk=rejected.pk).update(decided_at=long_ago)
    JoinApplication.objects.filter(pk__in=[stale.pk, approved.pk]).update(created_at=long_ago)
    JoinApplication.objects.filter(pk=approved.pk).update(decided_at=long_ago)
    assert join_applications_purge() == 2
    assert set(JoinApplication.objects.values_list("pk", flat=True)) == {fresh.pk, approved.pk}
    assert not JoinApplication.history.filter(id__in=[rejected.pk, stale.pk]).exists()
    assert not JoinApplication.history.filter(id_number=answers(2)["id_number"]).exists()


def test_the_periodic_task_and_the_command_purge(link_a, settings):
    from django.core.management import call_command

    from members.tasks import join_applications_purge as task

    stale, later = apply(link_a, 1), apply(link_a, 2)
    JoinApplication.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=100))
    task.delay()
    assert list(JoinApplication.objects.all()) == [later]
    JoinApplication.objects.filter(pk=later.pk).update(created_at=timezone.now() - dt.timedelta(days=100))
    call_command("purge_join_applications", stdout=io.StringIO())
    assert not JoinApplication.objects.exists()
    assert any(
        entry["task"] == "members.join_applications_purge" for entry in settings.PERIODIC_TASKS.values()
    )


# --- member card ------------------------------------------------------------------------------------------


def test_the_card_token_is_signed_and_finds_the_member(link_a, cadre_a):
    member = join_application_approve(application=apply(link_a), by=cadre_a)
    token = member_card_token(member)
    assert member_for_card_token(token) == member
    assert member_for_card_token(str(member.pk)) is None
    assert member_for_card_token(token[:-2] + "xx") is None
    member_status_change(
        member=member,
        change_type=ChangeType.WITHDRAW,
        changed_on=timezone.localdate(),
        by=cadre_a,
        reason="personal",
    )
    assert not member_for_card_token(token).is_live


@pytest.mark.parametrize(
    ("name", "masked"), [("张三明", "张*明"), ("李四", "李*"), ("欧阳小锋", "欧**锋"), ("王", "王")]
)
def test_names_are_masked_keeping_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_a_dissolved_union_takes_no_more_applications(link_a, union_a):
    union_a.status = UnionStatus.DISSOLVED
    union_a.status_changed_on = timezone.localdate()
    union_a.save()
    link_a.refresh_from_db()
    with pytest.raises(ValidationError):
        apply(link_a)
