"""People are shown by their names, not their account names: whoever recorded, reviewed, opened or
imported something (登记人, 审核人, 建档人, 导入人…) reads as 马霞, not demo_cadre (issue 12, finding 9)."""

import datetime as dt

import pytest
from django.urls import reverse

from federation.models import ImportBatch, User
from members.choices import ChangeType
from members.models import CaseReview
from tests.support.factories import (
    AidRecordFactory,
    ElectionFactory,
    HardshipCaseFactory,
    MemberFactory,
    UserFactory,
    membership_change,
)

NAME = "马霞"
USERNAME = "clerk_maxia"


@pytest.fixture
def clerk(union_a):
    return UserFactory(username=USERNAME, first_name=NAME, role=User.Role.UNION_CADRE, union=union_a)


def test_a_chinese_full_name_is_family_name_first_without_a_space():
    assert User(username="x", last_name="张", first_name="三").display_name == "张三"
    assert User(username="x", first_name=NAME).display_name == NAME
    assert User(username="x", first_name="Li", last_name="Wang").display_name == "Li Wang"


def test_an_account_without_a_name_is_shown_by_its_username():
    assert User(username="demo_staff").display_name == "demo_staff"
    assert str(User(username="demo_staff", first_name=" ")) == "demo_staff"


def test_a_user_reads_as_their_name_wherever_it_is_printed(clerk):
    assert str(clerk) == NAME


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_the_recorder_of_an_aid_record_is_shown_by_name(client, clerk, cadre_a, union_a):
    record = AidRecordFactory(member=MemberFactory(union=union_a), recorded_by=clerk)
    client.force_login(cadre_a)
    text = _page(client, reverse("hardship:aid-detail", args=[record.pk]))
    assert NAME in text
    assert USERNAME not in text


def test_the_opener_and_reviewers_of_a_hardship_case_are_shown_by_name(client, clerk, cadre_a, union_a):
    case = HardshipCaseFactory(
        member=MemberFactory(union=union_a),
        created_by=clerk,
        initial_reviewed_by=clerk,
        initial_reviewed_on=dt.date(2025, 2, 3),
    )
    CaseReview.objects.create(case=case, kind="initial", reviewed_on=dt.date(2025, 2, 3), reviewed_by=clerk)
    client.force_login(cadre_a)
    text = _page(client, reverse("hardship:detail", args=[case.pk]))
    assert text.count(NAME) >= 3
    assert USERNAME not in text


def test_the_recorder_of_a_membership_change_and_an_election_is_shown_by_name(
    client, clerk, cadre_a, union_a
):
    member = MemberFactory(union=union_a)
    membership_change(
        member=member,
        union=union_a,
        change_type=ChangeType.JOIN,
        changed_on=member.joined_on,
        recorded_by=clerk,
    )
    ElectionFactory(union=union_a, recorded_by=clerk)
    client.force_login(cadre_a)
    member_page = _page(client, reverse("members:detail", args=[member.pk]))
    union_page = _page(client, reverse("unions:detail", args=[union_a.pk]))
    for text in (member_page, union_page):
        assert NAME in text
        assert USERNAME not in text


def test_the_importer_is_shown_by_name_in_the_import_list_and_record(client, clerk, union_a):
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MEMBERS, union=union_a, created_by=clerk, file_name="花名册.xlsx"
    )
    client.force_login(clerk)
    for url in (reverse("imports:list"), reverse("imports:detail", args=[batch.pk])):
        text = _page(client, url)
        assert NAME in text
        assert USERNAME not in text


def test_the_signed_in_person_is_named_in_the_header(client, clerk):
    client.force_login(clerk)
    text = _page(client, reverse("dashboard"))
    assert f'<span class="who">{NAME}' in text
