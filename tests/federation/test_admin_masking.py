"""Full ID and phone numbers in the admin: every page of every registered model — changelists,
search results, change pages with their inlines, history lists and historical versions — shows
them masked to an account without 可查看完整身份证号和手机号, whatever else it may view or change."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from federation.identifiers import make_resident_id, mask_id_number, mask_phone
from federation.models import User
from members.models import HouseholdMember
from tests.support.factories import ContractFactory, HardshipCaseFactory, MemberFactory

MEMBER_MOBILE = "13812345678"
CHAIR_PHONE = "13911112222"
FEDERATION_PHONE = "13733334444"
STAFF_PHONE = "13655556666"
APPLICANT_MOBILE = "13577778888"


@pytest.fixture
def people(township, union_a, township_staff):
    member = MemberFactory(union=union_a, mobile=MEMBER_MOBILE)
    member.mobile = "13800001111"  # a history entry holding an older number too
    member.save()
    union_a.chair_phone = CHAIR_PHONE
    union_a.save()
    township.contact_phone = FEDERATION_PHONE
    township.save()
    case = HardshipCaseFactory(member=member)
    HouseholdMember.objects.create(case=case, name="李小红", relation="女儿")
    ContractFactory(union=union_a)
    township_staff.phone = STAFF_PHONE
    township_staff.save()
    # An 入会申请 (issue 14) holds an ID number and a mobile too.
    from members.services.applications import join_application_submit, join_link_create

    applicant_id = make_resident_id("110105", dt.date(1991, 2, 3), 41, "M")
    join_application_submit(
        link=join_link_create(union=union_a, by=township_staff),
        consented=True,
        name="申请人甲",
        id_number=applicant_id,
        mobile=APPLICANT_MOBILE,
        employer="甲公司",
    )
    return {
        "id_number": member.id_number,
        "member_name": member.name,
        "numbers": [
            member.id_number,
            MEMBER_MOBILE,
            "13800001111",
            CHAIR_PHONE,
            FEDERATION_PHONE,
            applicant_id,
            APPLICANT_MOBILE,
        ],
    }


def _staff_who_may_view_and_change_everything(user: User, *, full: bool) -> User:
    user.is_staff = True
    user.save()
    perms = Permission.objects.filter(codename__regex=r"^(view|change)_")
    if not full:
        perms = perms.exclude(codename="view_full_identifiers")
    user.user_permissions.add(*perms)
    if full:
        user.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    return User.objects.get(pk=user.pk)


def _admin_pages(client, model) -> list[str]:
    """Every page of one model's admin the client may open, with the history versions."""
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = reverse(f"{prefix}_changelist")
    pages = [changelist]
    response = client.get(changelist)
    if response.status_code != 200:
        return []
    for obj in response.context["cl"].result_list:
        pages.append(reverse(f"{prefix}_change", args=[obj.pk]))
        try:
            history = reverse(f"{prefix}_history", args=[obj.pk])
        except NoReverseMatch:
            continue
        pages.append(history)
        for version in getattr(obj, "history", model.objects.none()).all()[:3]:
            try:
                pages.append(reverse(f"{prefix}_simple_history", args=[obj.pk, version.history_id]))
            except NoReverseMatch:
                pass
    return pages


def _pages_of_every_model(client, people) -> dict[str, str]:
    texts = {}
    for model in admin.site._registry:
        for page in _admin_pages(client, model):
            response = client.get(page)
            assert response.status_code in (200, 403), page
            texts[page] = response.text
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(changelist, {"q": people["member_name"]})
        if response.status_code == 200:
            texts[f"{changelist}?q=…"] = response.text
    return texts


def test_no_admin_page_shows_a_full_id_or_phone_number_without_the_permission(client, township_staff, people):
    client.force_login(_staff_who_may_view_and_change_everything(township_staff, full=False))
    texts = _pages_of_every_model(client, people)
    assert len(texts) > 30
    leaks = [(page, n) for page, text in texts.items() for n in people["numbers"] if n in text]
    assert leaks == [], leaks
    member_page = next(t for p, t in texts.items() if "/members/member/" in p and p.endswith("/change/"))
    assert mask_id_number(people["id_number"]) in member_page
    union_page = next(t for p, t in texts.items() if "/grassrootsunion/" in p and p.endswith("/change/"))
    assert mask_phone(CHAIR_PHONE) in union_page


def test_an_account_with_the_permission_sees_the_numbers_in_the_admin(client, township_staff, people):
    client.force_login(_staff_who_may_view_and_change_everything(township_staff, full=True))
    texts = _pages_of_every_model(client, people)
    everything = "\n".join(texts.values())
    for number in (people["id_number"], MEMBER_MOBILE, CHAIR_PHONE, FEDERATION_PHONE):
        assert number in everything
