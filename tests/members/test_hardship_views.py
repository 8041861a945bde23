"""The hardship-case pages: scoped list and detail, 建档 with household rows, reviews and closing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import CaseReview, HardshipCase
from tests.support.factories import HardshipCaseFactory, MemberFactory, UserFactory


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="张三", joined_on=dt.date(2020, 1, 1))


@pytest.fixture
def case_a(member_a):
    return HardshipCaseFactory(member=member_a, opened_on=dt.date(2025, 2, 1))


@pytest.fixture
def case_b(union_b):
    return HardshipCaseFactory(member=MemberFactory(union=union_b, name="李四"))


def _open_data(chosen, **extra):
    data = {
        "member": chosen.pk,
        "opened_on": "2025-03-01",
        "primary_cause": "serious_illness",
        "category": "relative",  # no 低保 standard in these tests: the system suggests none
        "category_override_reason": "",
        "household_size": "3",
        "annual_household_income": "20000",
        "rigid_medical": "0",
        "rigid_schooling": "0",
        "accident_costs": "0",
        "health_status": "serious",
        "disability_grade": "none",
        "housing": "own",
        "description": "",
        "household-TOTAL_FORMS": "3",
        "household-INITIAL_FORMS": "0",
        "household-MIN_NUM_FORMS": "0",
        "household-MAX_NUM_FORMS": "29",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("role", "list_shows", "detail_status"),
    [
        ("county_staff", True, 200),
        ("county_chair", True, 200),
        ("cadre_a", True, 200),
        ("cadre_b", False, 404),
        ("outside_staff", False, 404),
    ],
)
def test_case_pages_follow_the_scope(client, request, case_a, role, list_shows, detail_status):
    client.force_login(request.getfixturevalue(role))
    content = client.get(reverse("hardship:list")).content.decode()
    assert ("张三" in content) is list_shows
    assert client.get(reverse("hardship:detail", args=[case_a.pk])).status_code == detail_status


def test_staff_of_another_union_gets_404_on_actions(client, cadre_b, case_a):
    client.force_login(cadre_b)
    review = {"kind": "initial", "reviewed_on": "2025-03-01"}
    assert client.post(reverse("hardship:review", args=[case_a.pk]), review).status_code == 404
    close = {"status": "exited", "closed_on": "2025-03-01", "reason": "x"}
    assert client.post(reverse("hardship:close", args=[case_a.pk]), close).status_code == 404


def test_chair_reads_but_cannot_write(client, county_chair, case_a, member_a):
    client.force_login(county_chair)
    assert client.get(reverse("hardship:create")).status_code == 403
    assert client.post(reverse("hardship:create"), _open_data(member_a)).status_code == 403
    review = {"kind": "initial", "reviewed_on": "2025-03-01"}
    assert client.post(reverse("hardship:review", args=[case_a.pk]), review).status_code == 403
    assert not CaseReview.objects.exists()


def test_list_masks_id_numbers_and_finds_by_exact_id(client, county_staff, case_a, case_b, member_a):
    client.force_login(county_staff)
    response = client.get(reverse("hardship:list"))
    content = response.content.decode()
    assert member_a.masked_id_number in content and member_a.id_number not in content
    url = reverse("hardship:list")
    assert list(client.get(url, {"q": member_a.id_number}).context["page"].object_list) == [case_a]
    assert list(client.get(url, {"q": member_a.id_number[:10]}).context["page"].object_list) == []
    assert list(client.get(url, {"q": "李"}).context["page"].object_list) == [case_b]


def test_overdue_filter_lists_cases_not_reviewed_for_a_year(client, county_staff, case_a, union_b):
    fresh = HardshipCaseFactory(member=MemberFactory(union=union_b), opened_on=timezone.localdate())
    client.force_login(county_staff)
    url = reverse("hardship:list")
    overdue = client.get(url, {"overdue": "true"}).context["page"].object_list
    assert case_a in overdue and fresh not in overdue


def test_cadre_opens_a_case_with_household(client, cadre_a, member_a):
    client.force_login(cadre_a)
    data = _open_data(
        member_a,
        **{
            "household-0-name": "张小三",
            "household-0-relation": "子女",
            "household-0-annual_income": "0",
            "household-0-health_status": "healthy",
        },
    )
    response = client.post(reverse("hardship:create"), data, follow=True)
    case = HardshipCase.objects.get(member=member_a)
    assert case.created_by == cadre_a
    assert [p.name for p in case.household.all()] == ["张小三"]
    assert "已为“张三”建立困难职工档案" in response.content.decode()


def test_open_finds_the_member_by_exact_id_number(client, cadre_a, member_a):
    client.force_login(cadre_a)
    data = _open_data(member_a, member="", id_number=member_a.id_number)
    assert client.post(reverse("hardship:create"), data).status_code == 302
    assert HardshipCase.objects.filter(member=member_a).exists()


def test_open_cannot_reach_a_member_of_another_union(client, cadre_b, member_a):
    client.force_login(cadre_b)
    by_number = _open_data(member_a, member="", id_number=member_a.id_number)
    response = client.post(reverse("hardship:create"), by_number)
    assert response.status_code == 200
    assert "找不到" in str(response.context["form"].errors["id_number"])
    response = client.post(reverse("hardship:create"), _open_data(member_a))
    assert "member" in response.context["form"].errors
    assert not HardshipCase.objects.exists()


def test_open_errors_are_shown_beside_the_field(client, cadre_a, member_a):
    client.force_login(cadre_a)
    response = client.post(reverse("hardship:create"), _open_data(member_a, category=""))
    assert response.status_code == 200
    assert "低保标准" in str(response.context["form"].errors["category"])
    assert not HardshipCase.objects.exists()


def test_reviews_and_close_go_through_the_service(client, cadre_a, union_a, case_a):
    colleague = UserFactory(username="cadre_a2", role="union_cadre", union=union_a)
    client.force_login(cadre_a)
    url = reverse("hardship:review", args=[case_a.pk])
    response = client.post(url, {"kind": "initial", "reviewed_on": "2025-03-01"}, follow=True)
    assert "已记录初审" in response.content.decode()
    response = client.post(url, {"kind": "final", "reviewed_on": "2025-03-02"})
    assert response.status_code == 400
    assert "初审人以外" in str(response.context["review_form"].errors["kind"])
    client.force_login(colleague)
    client.post(url, {"kind": "final", "reviewed_on": "2025-03-02"})
    case_a.refresh_from_db()
    assert case_a.final_reviewed_by == colleague
    client.post(
        reverse("hardship:close", args=[case_a.pk]),
        {"status": "resolved", "closed_on": "2025-06-01", "reason": "已就业"},
    )
    case_a.refresh_from_db()
    assert case_a.status == "resolved" and case_a.close_reason == "已就业"


def test_close_without_reason_shows_the_error(client, cadre_a, case_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("hardship:close", args=[case_a.pk]), {"status": "exited", "closed_on": "2025-06-01"}
    )
    assert response.status_code == 400
    case_a.refresh_from_db()
    assert case_a.status == "open"


def test_detail_shows_suggestion_override_and_aid_link(client, cadre_a, member_a):
    case = HardshipCaseFactory(
        member=member_a, suggested_category="relative", category="deep", category_override_reason="重病"
    )
    client.force_login(cadre_a)
    content = client.get(reverse("hardship:detail", args=[case.pk])).content.decode()
    assert "相对困难职工" in content and "深度困难职工" in content and "重病" in content
    assert f"?hardship_case={case.pk}" in content and "登记帮扶" in content


@pytest.mark.parametrize("view", ["hardship:list", "hardship:detail"])
def test_query_count_does_not_grow_with_cases(
    client, county_staff, union_a, view, django_assert_max_num_queries
):
    from members.models import AidRecord, HouseholdMember

    client.force_login(county_staff)

    def add(n):
        for _ in range(n):
            case = HardshipCaseFactory(
                member=MemberFactory(union=union_a), annual_household_income=Decimal(1)
            )
            HouseholdMember.objects.create(case=HardshipCase.objects.first(), name="家属", relation="配偶")
            AidRecord.objects.create(
                member=case.member,
                union=union_a,
                hardship_case=case,
                aid_on=dt.date(2025, 3, 1),
                kind="living",
                amount=Decimal(100),
            )

    def url():
        if view == "hardship:list":
            return reverse(view)
        return reverse(view, args=[HardshipCase.objects.first().pk])

    add(3)
    with django_assert_max_num_queries(25) as few:
        client.get(url())
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url())


def _figures_data(**extra):
    data = {
        "primary_cause": "serious_illness",
        "category": "relative",
        "category_override_reason": "",
        "household_size": "4",
        "annual_household_income": "30000",
        "rigid_medical": "0",
        "rigid_schooling": "0",
        "accident_costs": "0",
        "health_status": "serious",
        "disability_grade": "none",
        "housing": "own",
        "description": "",
    }
    data.update(extra)
    return data


def test_cadre_updates_the_figures_through_the_service(client, cadre_a, case_a):
    client.force_login(cadre_a)
    assert client.get(reverse("hardship:edit", args=[case_a.pk])).status_code == 200
    response = client.post(reverse("hardship:edit", args=[case_a.pk]), _figures_data(), follow=True)
    case_a.refresh_from_db()
    assert case_a.household_size == 4 and case_a.monthly_income_per_head == Decimal("625.00")
    assert "档案数据已更新" in response.content.decode()


def test_figures_edit_scope_and_chair(client, cadre_b, county_chair, case_a):
    client.force_login(cadre_b)
    assert client.post(reverse("hardship:edit", args=[case_a.pk]), _figures_data()).status_code == 404
    client.force_login(county_chair)
    assert client.post(reverse("hardship:edit", args=[case_a.pk]), _figures_data()).status_code == 403
    case_a.refresh_from_db()
    assert case_a.household_size == 3


PAGES = [
    ("hardship:list", False),
    ("hardship:detail", True),
    ("hardship:edit", True),
    ("hardship:create", False),
    ("hardship:aid-list", False),
    ("hardship:aid-create", False),
]
EXPECTED = {
    # role: (list/detail pages of union_a's case, write pages of it, create pages)
    "county_staff": (200, 200, 200),
    "county_chair": (200, 403, 403),
    "cadre_a": (200, 200, 200),
    "outside_staff": (404, 404, 200),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize(("view", "takes_case"), PAGES)
def test_every_page_by_role(client, request, case_a, role, view, takes_case):
    """Another scope's case is a 404; the chair reads but gets 403 on every write page."""
    client.force_login(request.getfixturevalue(role))
    read, write, create = EXPECTED[role]
    if takes_case:
        expected = write if view == "hardship:edit" else read
        response = client.get(reverse(view, args=[case_a.pk]))
    else:
        expected = create if view.endswith("create") else 200
        response = client.get(reverse(view))
    assert response.status_code == expected
