"""困难职工档案: the category the figures suggest (against the 低保 standard of the member's federation
or the nearest one above it), overrides with a reason, 初审 → 终审 by another person → 复核, and
closing with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from federation.models import FederationYear
from members.choices import (
    CaseStatus,
    ChangeType,
    HardshipCategory,
    HardshipCause,
    ReviewKind,
)
from members.models import CaseReview, HardshipCase, HouseholdMember
from members.services import (
    hardship_case_close,
    hardship_case_open,
    hardship_case_review,
    hardship_case_update_figures,
    member_status_change,
    min_living_standard,
)
from tests.support.factories import FederationYearFactory, MemberFactory, UserFactory

OPENED = dt.date(2025, 2, 1)
# A household of three: 18 000 a year is 500 a month per head (deep hardship against a standard of
# 800), 36 000 is 1 000 (relative), 72 000 is 2 000 (none).
DEEP = {"household_size": 3, "annual_household_income": Decimal("18000")}
RELATIVE = {"household_size": 3, "annual_household_income": Decimal("36000")}
COMFORTABLE = {"household_size": 3, "annual_household_income": Decimal("72000")}


def error_fields(excinfo) -> set:
    return set(excinfo.value.message_dict)


@pytest.fixture
def standard_2025(county):
    """The county keeps the standard; the township of union_a has none of its own."""
    return FederationYearFactory(federation=county, year=2025, min_living_standard=Decimal("800"))


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, joined_on=dt.date(2018, 6, 1))


def open_case(member, by, **kwargs):
    kwargs.setdefault("opened_on", OPENED)
    kwargs.setdefault("primary_cause", HardshipCause.SERIOUS_ILLNESS)
    for name, value in DEEP.items():
        kwargs.setdefault(name, value)
    return hardship_case_open(member=member, by=by, **kwargs)


@pytest.fixture
def case(standard_2025, member_a, cadre_a):
    return open_case(member_a, cadre_a)


# --- opening ---------------------------------------------------------------------------------------


def test_hardship_case_open_takes_the_suggested_category(standard_2025, member_a, union_a, cadre_a):
    case = open_case(
        member_a,
        cadre_a,
        household_size=3,
        annual_household_income=Decimal("42000"),
        rigid_medical=Decimal("6000"),  # (42 000 − 6 000) / 12 / 3 = 1 000
        secondary_causes=[HardshipCause.SCHOOLING],
        description="妻子患病，孩子上学",
    )

    assert (case.category, case.suggested_category) == (HardshipCategory.RELATIVE, HardshipCategory.RELATIVE)
    assert case.monthly_income_per_head == Decimal("1000.00")
    assert (case.union, case.created_by, case.status) == (union_a, cadre_a, CaseStatus.OPEN)
    assert case.history.get().history_user == cadre_a


def test_the_standard_of_the_nearest_federation_above_is_used(member_a, cadre_a, county, township):
    FederationYearFactory(federation=county, year=2025, min_living_standard=Decimal("500"))
    FederationYearFactory(federation=township, year=2025, min_living_standard=Decimal("800"))

    assert min_living_standard(member_a.union.federation, 2025) == Decimal("800")
    # 500 a month per head: deep against the township's 800, only relative against the county's 500.
    assert open_case(member_a, cadre_a).suggested_category == HardshipCategory.DEEP


def test_a_federation_year_without_a_standard_is_passed_over(member_a, county, township):
    FederationYearFactory(federation=county, year=2025, min_living_standard=Decimal("700"))
    FederationYearFactory(federation=township, year=2025, min_living_standard=None)

    assert min_living_standard(member_a.union.federation, 2025) == Decimal("700")


def test_a_standard_of_another_year_or_another_tree_is_not_used(member_a, county, other_county):
    FederationYearFactory(federation=county, year=2024, min_living_standard=Decimal("700"))
    FederationYearFactory(federation=other_county, year=2025, min_living_standard=Decimal("900"))

    assert min_living_standard(member_a.union.federation, 2025) is None


def test_without_a_standard_a_category_must_be_chosen(member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a)
    assert error_fields(excinfo) == {"category"}
    assert "低保标准" in excinfo.value.message_dict["category"][0]

    case = open_case(member_a, cadre_a, category=HardshipCategory.RELATIVE)
    assert (case.category, case.suggested_category) == (HardshipCategory.RELATIVE, "")


def test_accident_costs_above_80_percent_of_income_suggest_accident(standard_2025, member_a, cadre_a):
    case = open_case(member_a, cadre_a, **COMFORTABLE, accident_costs=Decimal("60000"))
    assert case.category == HardshipCategory.ACCIDENT


def test_choosing_another_category_than_suggested_needs_a_reason(standard_2025, member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a, category=HardshipCategory.RELATIVE)
    assert error_fields(excinfo) == {"category_override_reason"}
    assert "深度困难职工" in excinfo.value.message_dict["category_override_reason"][0]

    case = open_case(
        member_a, cadre_a, category=HardshipCategory.RELATIVE, category_override_reason="有稳定的亲属资助"
    )
    assert (case.category, case.suggested_category) == (HardshipCategory.RELATIVE, HardshipCategory.DEEP)
    assert case.category_override_reason == "有稳定的亲属资助"


def test_figures_that_point_to_no_hardship_need_a_chosen_category_and_a_reason(
    standard_2025, member_a, cadre_a
):
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a, **COMFORTABLE)
    assert error_fields(excinfo) == {"category"}

    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a, **COMFORTABLE, category=HardshipCategory.RELATIVE)
    assert error_fields(excinfo) == {"category_override_reason"}

    case = open_case(
        member_a,
        cadre_a,
        **COMFORTABLE,
        category=HardshipCategory.RELATIVE,
        category_override_reason="收入不稳定，下月起停发",
    )
    assert (case.category, case.suggested_category) == (HardshipCategory.RELATIVE, "")


def test_hardship_case_open_creates_the_household(standard_2025, member_a, cadre_a):
    case = open_case(
        member_a,
        cadre_a,
        household=[
            {
                "name": "李秀英",
                "relation": "配偶",
                "annual_income": Decimal("6000"),
                "health_status": "serious",
            },
            {"name": "王小明", "relation": "子女", "school_or_work": "县第一中学"},
        ],
    )

    assert list(case.household.values_list("name", "relation")) == [("李秀英", "配偶"), ("王小明", "子女")]
    assert HouseholdMember.objects.first().history.get().history_user == cadre_a


def test_the_household_cannot_outnumber_the_household_size(standard_2025, member_a, cadre_a):
    household = [{"name": "李秀英", "relation": "配偶"}, {"name": "王小明", "relation": "子女"}]
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a, household_size=2, household=household)
    assert error_fields(excinfo) == {"household"}
    assert not HardshipCase.objects.exists()

    assert open_case(member_a, cadre_a, household_size=3, household=household).household.count() == 2


def test_an_invalid_household_row_is_reported_by_its_position(standard_2025, member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a, household=[{"name": "李秀英", "relation": "配偶"}, {"relation": "子女"}])
    assert error_fields(excinfo) == {"household"}
    assert excinfo.value.message_dict["household"][0].startswith("第2位家庭成员")
    assert not HardshipCase.objects.exists()


def test_hardship_case_open_refuses_a_member_who_has_left(standard_2025, member_a, cadre_a):
    member_status_change(member=member_a, change_type=ChangeType.DEATH, changed_on=OPENED, by=cadre_a)

    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a)
    assert error_fields(excinfo) == {"member"}


def test_a_member_has_one_open_case_at_a_time(case, member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a)
    assert error_fields(excinfo) == {"member"}

    hardship_case_close(case=case, status=CaseStatus.RESOLVED, closed_on=OPENED, reason="再就业", by=cadre_a)
    assert open_case(member_a, cadre_a).status == CaseStatus.OPEN


def test_hardship_case_open_turns_a_lost_race_into_a_validation_error(
    standard_2025, member_a, cadre_a, monkeypatch
):
    original_full_clean = HardshipCase.full_clean

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        original_full_clean(self, *args, **kwargs)
        monkeypatch.setattr(HardshipCase, "full_clean", original_full_clean)
        HardshipCase.objects.create(member=member_a, category="deep", primary_cause="other", opened_on=OPENED)

    monkeypatch.setattr(HardshipCase, "full_clean", full_clean_then_lose_the_race)

    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a)
    assert error_fields(excinfo) == {"member"}


def test_hardship_case_open_refuses_a_date_before_joining_or_in_the_future(standard_2025, member_a, cadre_a):
    for day in (dt.date(2018, 5, 31), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as excinfo:
            open_case(member_a, cadre_a, opened_on=day)
        assert error_fields(excinfo) == {"opened_on"}


def test_secondary_causes_follow_the_official_list(standard_2025, member_a, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        open_case(member_a, cadre_a, secondary_causes=[HardshipCause.SERIOUS_ILLNESS])  # same as primary
    assert error_fields(excinfo) == {"secondary_causes"}


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ("cadre_a", True),
        ("township_staff", True),
        ("county_staff", True),
        ("cadre_b", False),
        ("county_chair", False),
        ("outside_staff", False),
    ],
)
def test_only_those_who_keep_the_members_union_open_a_case(request, standard_2025, member_a, user, allowed):
    user = request.getfixturevalue(user)
    if allowed:
        assert open_case(member_a, user).created_by == user
    else:
        with pytest.raises(PermissionDenied):
            open_case(member_a, user)
        assert not HardshipCase.objects.exists()


# --- reviews ---------------------------------------------------------------------------------------


def test_initial_then_final_review_by_another_person(case, cadre_a, township_staff):
    initial = hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=cadre_a)
    final = hardship_case_review(
        case=case, kind=ReviewKind.FINAL, reviewed_on=dt.date(2025, 2, 10), by=township_staff, notes="同意"
    )

    case.refresh_from_db()
    assert (case.initial_reviewed_on, case.initial_reviewed_by) == (OPENED, cadre_a)
    assert (case.final_reviewed_on, case.final_reviewed_by) == (dt.date(2025, 2, 10), township_staff)
    assert case.last_reviewed_on == dt.date(2025, 2, 10)
    assert (initial.reviewed_by, final.reviewed_by, final.notes) == (cadre_a, township_staff, "同意")
    assert final.history.get().history_user == township_staff
    assert case.history.first().history_user == township_staff


def test_the_initial_reviewer_cannot_also_give_the_final_review(case, cadre_a):
    hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=cadre_a)

    with pytest.raises(ValidationError, match="初审人以外"):
        hardship_case_review(case=case, kind=ReviewKind.FINAL, reviewed_on=OPENED, by=cadre_a)
    case.refresh_from_db()
    assert case.final_reviewed_on is None


def test_a_colleague_in_the_same_union_may_give_the_final_review(case, cadre_a, union_a):
    colleague = UserFactory(union=union_a)
    hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=cadre_a)

    hardship_case_review(case=case, kind=ReviewKind.FINAL, reviewed_on=OPENED, by=colleague)
    assert case.final_reviewed_by == colleague


def test_the_final_review_needs_an_initial_review_first(case, township_staff):
    with pytest.raises(ValidationError, match="先完成初审"):
        hardship_case_review(case=case, kind=ReviewKind.FINAL, reviewed_on=OPENED, by=township_staff)


def test_each_case_has_one_initial_and_one_final_review(case, cadre_a, township_staff):
    hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=cadre_a)
    with pytest.raises(ValidationError, match="已经初审"):
        hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=township_staff)

    hardship_case_review(case=case, kind=ReviewKind.FINAL, reviewed_on=OPENED, by=township_staff)
    with pytest.raises(ValidationError, match="已经终审"):
        hardship_case_review(case=case, kind=ReviewKind.FINAL, reviewed_on=OPENED, by=township_staff)


def test_the_yearly_review_comes_after_the_final_review(case, cadre_a, township_staff):
    hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=cadre_a)
    with pytest.raises(ValidationError, match="终审后"):
        hardship_case_review(case=case, kind=ReviewKind.ANNUAL, reviewed_on=OPENED, by=cadre_a)

    hardship_case_review(case=case, kind=ReviewKind.FINAL, reviewed_on=OPENED, by=township_staff)
    hardship_case_review(case=case, kind=ReviewKind.ANNUAL, reviewed_on=dt.date(2026, 1, 15), by=cadre_a)
    case.refresh_from_db()
    assert case.last_reviewed_on == dt.date(2026, 1, 15)
    assert case.final_reviewed_on == OPENED
    assert list(case.reviews.values_list("kind", flat=True)) == ["initial", "final", "annual"]


def test_a_review_cannot_predate_the_case_or_the_last_review(case, cadre_a, township_staff):
    with pytest.raises(ValidationError) as excinfo:
        hardship_case_review(
            case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED - dt.timedelta(days=1), by=cadre_a
        )
    assert error_fields(excinfo) == {"reviewed_on"}

    hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=dt.date(2025, 2, 5), by=cadre_a)
    with pytest.raises(ValidationError) as excinfo:
        hardship_case_review(
            case=case, kind=ReviewKind.FINAL, reviewed_on=dt.date(2025, 2, 4), by=township_staff
        )
    assert error_fields(excinfo) == {"reviewed_on"}


def test_a_review_cannot_lie_in_the_future(case, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        hardship_case_review(
            case=case,
            kind=ReviewKind.INITIAL,
            reviewed_on=timezone.localdate() + dt.timedelta(days=1),
            by=cadre_a,
        )
    assert error_fields(excinfo) == {"reviewed_on"}


def test_a_closed_case_is_not_reviewed(case, cadre_a):
    hardship_case_close(case=case, status=CaseStatus.EXITED, closed_on=OPENED, reason="调离", by=cadre_a)

    with pytest.raises(ValidationError, match="已结档"):
        hardship_case_review(case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=cadre_a)
    assert not CaseReview.objects.exists()


@pytest.mark.parametrize("user", ["cadre_b", "county_chair", "outside_staff"])
def test_only_those_who_keep_the_cases_union_review_it(request, case, user):
    with pytest.raises(PermissionDenied):
        hardship_case_review(
            case=case, kind=ReviewKind.INITIAL, reviewed_on=OPENED, by=request.getfixturevalue(user)
        )


# --- updating the figures --------------------------------------------------------------------------


@pytest.fixture
def standard_this_year(county):
    year, _ = FederationYear.objects.update_or_create(
        federation=county, year=timezone.localdate().year, defaults={"min_living_standard": Decimal("800")}
    )
    return year


def test_updating_the_figures_suggests_again_and_keeps_a_category_that_still_fits(
    standard_this_year, case, cadre_a
):
    updated = hardship_case_update_figures(case=case, by=cadre_a, annual_household_income=Decimal("12000"))

    assert updated.suggested_category == HardshipCategory.DEEP
    assert updated.category == HardshipCategory.DEEP
    assert updated.monthly_income_per_head == Decimal("333.33")
    assert updated.history.first().history_user == cadre_a


def test_figures_that_change_the_suggestion_need_a_new_category_or_a_reason(
    standard_this_year, case, cadre_a
):
    with pytest.raises(ValidationError) as excinfo:
        hardship_case_update_figures(case=case, by=cadre_a, **RELATIVE)
    assert error_fields(excinfo) == {"category_override_reason"}
    case.refresh_from_db()
    assert case.annual_household_income == DEEP["annual_household_income"]

    updated = hardship_case_update_figures(
        case=case, by=cadre_a, category=HardshipCategory.RELATIVE, **RELATIVE
    )
    assert (updated.category, updated.suggested_category) == (
        HardshipCategory.RELATIVE,
        HardshipCategory.RELATIVE,
    )


def test_an_earlier_override_reason_stands_while_nothing_it_was_about_changes(
    standard_2025, standard_this_year, member_a, cadre_a
):
    case = open_case(
        member_a, cadre_a, category=HardshipCategory.RELATIVE, category_override_reason="有亲属资助"
    )

    updated = hardship_case_update_figures(case=case, by=cadre_a, description="补充说明")
    assert (updated.category, updated.category_override_reason) == (HardshipCategory.RELATIVE, "有亲属资助")

    with pytest.raises(ValidationError) as excinfo:
        hardship_case_update_figures(case=case, by=cadre_a, accident_costs=Decimal("20000"), **COMFORTABLE)
    assert error_fields(excinfo) == {"category_override_reason"}


def test_the_figures_of_a_closed_case_are_not_updated(standard_this_year, case, cadre_a):
    hardship_case_close(case=case, status=CaseStatus.RESOLVED, closed_on=OPENED, reason="再就业", by=cadre_a)

    with pytest.raises(ValidationError, match="已结档"):
        hardship_case_update_figures(case=case, by=cadre_a, description="更新")


def test_only_those_who_keep_the_cases_union_update_it(standard_this_year, case, cadre_b, township_staff):
    with pytest.raises(PermissionDenied):
        hardship_case_update_figures(case=case, by=cadre_b, description="更新")
    assert (
        hardship_case_update_figures(case=case, by=township_staff, description="更新").description == "更新"
    )


def test_updating_refuses_fields_that_are_not_figures(standard_this_year, case, cadre_a):
    with pytest.raises(TypeError):
        hardship_case_update_figures(case=case, by=cadre_a, status=CaseStatus.RESOLVED)


# --- closing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [CaseStatus.RESOLVED, CaseStatus.EXITED])
def test_closing_a_case_sets_status_date_and_reason(case, cadre_a, status):
    hardship_case_close(
        case=case, status=status, closed_on=dt.date(2025, 12, 1), reason="子女已就业", by=cadre_a
    )

    case.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason) == (status, dt.date(2025, 12, 1), "子女已就业")
    assert case.history.first().history_user == cadre_a


def test_closing_needs_a_reason(case, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        hardship_case_close(case=case, status=CaseStatus.RESOLVED, closed_on=OPENED, reason=" ", by=cadre_a)
    assert error_fields(excinfo) == {"reason"}


def test_closing_needs_a_closing_status(case, cadre_a):
    with pytest.raises(ValidationError) as excinfo:
        hardship_case_close(case=case, status=CaseStatus.OPEN, closed_on=OPENED, reason="无", by=cadre_a)
    assert error_fields(excinfo) == {"status"}


def test_closing_cannot_predate_opening_or_lie_in_the_future(case, cadre_a):
    for day in (OPENED - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as excinfo:
            hardship_case_close(
                case=case, status=CaseStatus.RESOLVED, closed_on=day, reason="脱困", by=cadre_a
            )
        assert error_fields(excinfo) == {"closed_on"}

    hardship_case_close(case=case, status=CaseStatus.RESOLVED, closed_on=OPENED, reason="脱困", by=cadre_a)
    assert case.status == CaseStatus.RESOLVED


def test_a_closed_case_cannot_be_closed_again(case, cadre_a):
    hardship_case_close(case=case, status=CaseStatus.RESOLVED, closed_on=OPENED, reason="脱困", by=cadre_a)

    with pytest.raises(ValidationError, match="已结档"):
        hardship_case_close(case=case, status=CaseStatus.EXITED, closed_on=OPENED, reason="调离", by=cadre_a)


@pytest.mark.parametrize("user", ["cadre_b", "county_chair", "outside_staff"])
def test_only_those_who_keep_the_cases_union_close_it(request, case, user):
    with pytest.raises(PermissionDenied):
        hardship_case_close(
            case=case,
            status=CaseStatus.RESOLVED,
            closed_on=OPENED,
            reason="脱困",
            by=request.getfixturevalue(user),
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
