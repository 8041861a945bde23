"""The member pages: scoped lists and details, joining, leaving, transfers and full numbers."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from federation.identifiers import make_resident_id
from members.models import Member, MembershipTransfer
from tests.support.factories import MemberFactory


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="张三", mobile="13800138000")


@pytest.fixture
def member_b(union_b):
    return MemberFactory(union=union_b, name="李四")


def test_cadre_lists_only_their_unions_members(client, cadre_a, member_a, member_b):
    client.force_login(cadre_a)
    content = client.get(reverse("members:list")).content.decode()
    assert "张三" in content and "李四" not in content


def test_staff_of_another_union_gets_404(client, cadre_a, member_b):
    client.force_login(cadre_a)
    assert client.get(reverse("members:detail", args=[member_b.pk])).status_code == 404
    assert client.post(reverse("members:leave", args=[member_b.pk]), {}).status_code == 404


def test_outside_federation_staff_gets_404(client, outside_staff, member_a):
    client.force_login(outside_staff)
    assert client.get(reverse("members:detail", args=[member_a.pk])).status_code == 404


def test_search_finds_by_name_exact_id_and_member_number(client, county_staff, member_a, member_b):
    Member.objects.filter(pk=member_b.pk).update(member_number="HY-0042")
    client.force_login(county_staff)
    url = reverse("members:list")
    assert list(client.get(url, {"q": "张"}).context["page"].object_list) == [member_a]
    assert list(client.get(url, {"q": member_a.id_number}).context["page"].object_list) == [member_a]
    assert list(client.get(url, {"q": member_a.id_number[:10]}).context["page"].object_list) == []
    assert list(client.get(url, {"q": "HY-0042"}).context["page"].object_list) == [member_b]


def test_filters_narrow_the_list(client, county_staff, member_a, member_b, union_b):
    client.force_login(county_staff)
    page = client.get(
        reverse("members:list"), {"union": union_b.pk, "is_cadre": "false", "sort": "-name"}
    ).context["page"]
    assert list(page.object_list) == [member_b]


def test_empty_list_says_what_to_do(client, cadre_a):
    client.force_login(cadre_a)
    assert "新增第一位会员" in client.get(reverse("members:list")).content.decode()


def test_identifiers_are_masked_without_the_permission(client, cadre_a, member_a):
    client.force_login(cadre_a)
    content = client.get(reverse("members:detail", args=[member_a.pk])).content.decode()
    assert member_a.masked_id_number in content and member_a.id_number not in content
    assert "13800138000" not in content
    assert client.post(reverse("members:reveal", args=[member_a.pk])).status_code == 403


def test_reveal_shows_full_numbers_and_is_logged(client, cadre_a, member_a):
    cadre_a.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    client.force_login(cadre_a)
    response = client.post(reverse("members:reveal", args=[member_a.pk]), follow=True)
    content = response.content.decode()
    assert member_a.id_number in content and "13800138000" in content
    entry = member_a.history.latest()
    assert entry.history_change_reason == "显示完整号码"
    assert entry.history_user == cadre_a


def test_cadre_adds_a_member(client, cadre_a, union_a):
    client.force_login(cadre_a)
    born = dt.date(1990, 5, 17)
    response = client.post(
        reverse("members:create"),
        {
            "union": union_a.pk,
            "name": "王五",
            "gender": "F",
            "id_type": "resident_id",
            "id_number": make_resident_id("110105", born, 2, "F"),
            "birth_date": "1990-05-17",
            "ethnicity": "01",
            "joined_on": "2025-03-01",
            "political_status": "masses",
            "employment_status": "on_duty",
            "skill_grade": "none",
        },
        follow=True,
    )
    member = Member.objects.get(name="王五")
    assert member.union == union_a
    assert member.changes.get().change_type == "join"
    assert "已登记会员“王五”入会" in response.content.decode()


def test_join_errors_are_shown_beside_the_field(client, cadre_a, union_a, member_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("members:create"),
        {
            "union": union_a.pk,
            "name": "重复",
            "gender": member_a.gender,
            "id_type": "resident_id",
            "id_number": member_a.id_number,
            "birth_date": member_a.birth_date.isoformat(),
            "ethnicity": "01",
            "joined_on": "2025-03-01",
            "political_status": "masses",
            "employment_status": "on_duty",
            "skill_grade": "none",
        },
    )
    assert response.status_code == 200
    assert "同一人只能有一个有效会籍" in str(response.context["form"].errors["id_number"])


def test_member_leaves_through_the_service(client, cadre_a, member_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("members:leave", args=[member_a.pk]),
        {"change_type": "withdraw", "changed_on": "2025-06-01", "reason": "personal"},
    )
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.status == "withdrawn"


def test_leaving_without_required_reason_shows_the_error(client, cadre_a, member_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("members:leave", args=[member_a.pk]), {"change_type": "withdraw", "changed_on": "2025-06-01"}
    )
    assert response.status_code == 400
    member_a.refresh_from_db()
    assert member_a.status == "active"


def test_chair_cannot_change_a_member(client, county_chair, member_a):
    client.force_login(county_chair)
    response = client.post(
        reverse("members:leave", args=[member_a.pk]), {"change_type": "death", "changed_on": "2025-06-01"}
    )
    assert response.status_code == 403
    assert client.get(reverse("members:create")).status_code == 403


def test_transfer_by_three_users(client, township_staff, cadre_a, cadre_b, member_a, union_a, union_b):
    client.force_login(township_staff)
    client.post(
        reverse("members:transfer-request", args=[member_a.pk]), {"to_union": union_b.pk, "reason": "调动"}
    )
    transfer = MembershipTransfer.objects.get(member=member_a)
    assert transfer.status == "requested"

    client.force_login(cadre_b)  # the receiving side may not approve for the sending side
    assert client.post(reverse("members:transfer-approve", args=[transfer.pk])).status_code == 403

    client.force_login(cadre_a)
    assert "同意转出" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("members:transfer-approve", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.status == "approved"

    client.force_login(cadre_b)
    assert "接收转入" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("members:transfer-accept", args=[transfer.pk]))
    member_a.refresh_from_db()
    assert member_a.union == union_b
    assert list(member_a.changes.values_list("change_type", flat=True).order_by("pk")) == [
        "join",
        "transfer_out",
        "transfer_in",
    ]


def test_transfer_refused_with_reason(client, township_staff, cadre_a, member_a, union_b):
    client.force_login(township_staff)
    client.post(reverse("members:transfer-request", args=[member_a.pk]), {"to_union": union_b.pk})
    transfer = MembershipTransfer.objects.get(member=member_a)
    client.force_login(cadre_a)
    client.post(reverse("members:transfer-refuse", args=[transfer.pk]), {"reason": "本人不同意"})
    transfer.refresh_from_db()
    assert transfer.status == "refused"


@pytest.mark.parametrize("view", ["members:list", "members:detail"])
def test_query_count_does_not_grow_with_members(
    client, county_staff, union_a, view, django_assert_max_num_queries
):
    client.force_login(county_staff)

    def url():
        return reverse(view) if view == "members:list" else reverse(view, args=[Member.objects.first().pk])

    MemberFactory.create_batch(3, union=union_a)
    with django_assert_max_num_queries(20) as few:
        client.get(url())
    MemberFactory.create_batch(27, union=union_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url())


def test_member_page_leads_to_recording_aid_and_opening_a_case(client, cadre_a, union_a):
    from tests.support.factories import MemberFactory

    member = MemberFactory(union=union_a)
    client.force_login(cadre_a)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert f"{reverse('hardship:aid-create')}?member={member.pk}" in page
    assert f"{reverse('hardship:create')}?member={member.pk}" in page


def test_a_union_cadre_is_not_offered_the_federation_subtree_filter(client, cadre_a, county_staff):
    client.force_login(cadre_a)
    cadre_page = client.get(reverse("hardship:aid-list")).content.decode()
    client.force_login(county_staff)
    staff_page = client.get(reverse("hardship:aid-list")).content.decode()

    assert 'type="hidden" name="within"' in cadre_page
    assert 'type="hidden" name="within"' not in staff_page and 'name="within"' in staff_page
