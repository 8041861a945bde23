"""Hardship cases (困难职工档案) and aid records (帮扶记录): the arithmetic behind the suggested category,
the rules on causes and overrides, and the amounts that can never be negative."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from members.choices import AidKind, CaseStatus, HardshipCategory, HardshipCause
from members.models import AidRecord, HardshipCase
from members.models.hardship import monthly_income_per_head, suggest_category, validate_secondary_causes
from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory

D = Decimal
STANDARD = D("800.00")  # 当地城市低保标准, 元/月


def errors_of(record) -> dict[str, list[str]]:
    try:
        record.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def assert_db_refuses(action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def suggestion(*, income, size=1, medical="0", schooling="0", accident="0", standard=STANDARD):
    return suggest_category(
        annual_income=D(income),
        rigid_expenses=D(medical) + D(schooling),
        household_size=size,
        accident_costs=D(accident),
        min_living_standard=standard,
    )


# --- monthly income per head --------------------------------------------------------------------


@pytest.mark.parametrize(
    "income, expenses, size, per_head",
    [
        ("36000", "0", 3, "1000.00"),
        ("36000", "7200", 4, "600.00"),  # (36000 − 7200) / 12 / 4
        ("10000", "0", 3, "277.78"),  # 277.777… rounded to the cent
        ("10000", "0", 6, "138.89"),  # 138.888…
        ("0.06", "0", 1, "0.01"),  # exactly half a cent rounds up, not to even
        ("0.18", "0", 1, "0.02"),  # 0.015 → 0.02
        ("1000", "2200", 1, "-100.00"),  # expenses above income: below zero, not hidden
        ("0", "0", 5, "0.00"),
    ],
)
def test_monthly_income_per_head_is_income_less_rigid_expenses_over_12_months_and_household(
    income, expenses, size, per_head
):
    result = monthly_income_per_head(annual_income=D(income), rigid_expenses=D(expenses), household_size=size)
    assert result == D(per_head)
    assert result.as_tuple().exponent == -2


def test_case_stores_its_monthly_income_per_head_from_medical_and_schooling_expenses(db):
    case = HardshipCaseFactory(
        household_size=4,
        annual_household_income=D("50000"),
        rigid_medical=D("12000"),
        rigid_schooling=D("5000"),
    )
    case.refresh_from_db()
    assert case.monthly_income_per_head == D("687.50")  # 33000 / 12 / 4
    case.rigid_schooling = D("0")
    case.save()
    case.refresh_from_db()
    assert case.monthly_income_per_head == D("791.67")  # 38000 / 48


# --- suggested category -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "income, expected",
    [
        ("0", HardshipCategory.DEEP),
        ("9599.88", HardshipCategory.DEEP),  # 799.99 a month: below the standard
        ("9600", HardshipCategory.RELATIVE),  # exactly the standard: not below it
        ("19199.88", HardshipCategory.RELATIVE),  # 1599.99: below twice the standard
        ("19200", None),  # exactly twice the standard
        ("50000", None),
    ],
)
def test_income_category_changes_exactly_at_the_standard_and_at_twice_the_standard(income, expected):
    assert suggestion(income=income) == expected


def test_income_test_uses_income_per_head_after_rigid_expenses():
    # 36000 a year for three people is 1000 a month each: relatively poor with an 800 standard.
    assert suggestion(income="36000", size=3) == HardshipCategory.RELATIVE
    assert suggestion(income="60000", size=3) is None  # 1666.67
    # Medical and schooling costs come off first: (60000 − 24000 − 7200) / 36 = 800.
    assert suggestion(income="60000", size=3, medical="24000", schooling="7200") == HardshipCategory.RELATIVE
    assert suggestion(income="60000", size=3, medical="24000", schooling="7236") == HardshipCategory.DEEP


@pytest.mark.parametrize(
    "accident, expected",
    [
        ("0", None),
        ("79999.99", None),
        ("80000", None),  # exactly 80 % of the annual income does not exceed it
        ("80000.01", HardshipCategory.ACCIDENT),
        ("200000", HardshipCategory.ACCIDENT),
    ],
)
def test_accident_category_needs_costs_above_80_percent_of_income(accident, expected):
    assert suggestion(income="100000", size=2, accident=accident) == expected


def test_income_categories_come_before_the_accident_category():
    assert suggestion(income="9000", accident="100000") == HardshipCategory.DEEP
    assert suggestion(income="12000", accident="100000") == HardshipCategory.RELATIVE


@pytest.mark.parametrize(
    "income, accident, expected",
    [
        ("0", "0", None),  # no income at all, yet without a standard no income category
        ("6000", "0", None),
        ("6000", "4800", None),
        ("6000", "4800.01", HardshipCategory.ACCIDENT),
        ("0", "1", HardshipCategory.ACCIDENT),
    ],
)
def test_without_a_local_standard_only_the_accident_rule_applies(income, accident, expected):
    assert suggestion(income=income, accident=accident, standard=None) == expected


def test_without_a_local_standard_even_expenses_above_income_suggest_no_income_category():
    assert suggestion(income="1000", medical="5000", standard=None) is None
    assert suggestion(income="1000", medical="5000") == HardshipCategory.DEEP


# --- causes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "causes",
    [
        [],
        [HardshipCause.SCHOOLING],
        [HardshipCause.SCHOOLING, HardshipCause.LAID_OFF, HardshipCause.OTHER],
    ],
)
def test_up_to_three_secondary_causes_from_the_official_list_are_accepted(causes):
    validate_secondary_causes(causes)


@pytest.mark.parametrize(
    "causes, message",
    [
        (
            [HardshipCause.SCHOOLING, HardshipCause.LAID_OFF, HardshipCause.OTHER, HardshipCause.ACCIDENT],
            "最多选择3项",
        ),
        (["gambling"], "不在官方列表"),
        (["子女上学"], "不在官方列表"),  # the label, not the stored value
        ([HardshipCause.SCHOOLING, HardshipCause.SCHOOLING], "不能重复"),
        ("schooling", "格式不正确"),
        ([{"cause": "schooling"}], "不在官方列表"),
        ([None], "不在官方列表"),
    ],
)
def test_secondary_causes_outside_the_rules_are_refused(causes, message):
    with pytest.raises(ValidationError) as exc_info:
        validate_secondary_causes(causes)
    assert message in " ".join(exc_info.value.messages)


def test_case_secondary_causes_may_not_repeat_the_primary_cause(db):
    case = HardshipCaseFactory.build(
        member=MemberFactory(),
        primary_cause=HardshipCause.SERIOUS_ILLNESS,
        secondary_causes=[HardshipCause.SCHOOLING],
    )
    assert errors_of(case) == {}
    case.secondary_causes = [HardshipCause.SCHOOLING, HardshipCause.SERIOUS_ILLNESS]
    assert errors_of(case)["secondary_causes"] == ["次要致困原因不能与主要致困原因相同。"]


def test_case_with_causes_that_are_not_a_list_gets_only_the_format_message(db):
    # A string is not a list of causes: "illness" is not "in" it as a substring of "serious_illness".
    case = HardshipCaseFactory.build(
        member=MemberFactory(), primary_cause=HardshipCause.ACCIDENT, secondary_causes="accident"
    )
    assert errors_of(case) == {"secondary_causes": ["次要致困原因格式不正确。"]}


def test_case_with_four_secondary_causes_is_refused_on_that_field(db):
    case = HardshipCaseFactory.build(
        member=MemberFactory(),
        secondary_causes=[
            HardshipCause.SCHOOLING,
            HardshipCause.LAID_OFF,
            HardshipCause.OTHER,
            HardshipCause.ACCIDENT,
        ],
    )
    assert errors_of(case)["secondary_causes"] == ["次要致困原因最多选择3项。"]


# --- category override --------------------------------------------------------------------------


def test_category_as_suggested_needs_no_reason(db):
    case = HardshipCaseFactory.build(
        member=MemberFactory(), category=HardshipCategory.DEEP, suggested_category=HardshipCategory.DEEP
    )
    assert errors_of(case) == {}


@pytest.mark.parametrize("reason", ["", "   "])
def test_category_other_than_the_suggestion_needs_a_reason(db, reason):
    case = HardshipCaseFactory.build(
        member=MemberFactory(),
        category=HardshipCategory.ACCIDENT,
        suggested_category=HardshipCategory.RELATIVE,
        category_override_reason=reason,
    )
    assert errors_of(case)["category_override_reason"] == ["所选类别与系统建议不一致，请填写调整理由。"]
    case.category_override_reason = "家中突发火灾，收入数字尚未反映"
    assert errors_of(case) == {}


def test_category_without_a_suggestion_needs_no_reason(db):
    case = HardshipCaseFactory.build(
        member=MemberFactory(), category=HardshipCategory.ACCIDENT, suggested_category=""
    )
    assert errors_of(case) == {}


# --- money fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["annual_household_income", "rigid_medical", "rigid_schooling", "accident_costs"]
)
def test_case_amounts_cannot_be_negative(db, field):
    case = HardshipCaseFactory.build(member=MemberFactory(), **{field: D("0")})
    assert errors_of(case) == {}
    setattr(case, field, D("-0.01"))
    assert list(errors_of(case)) == [field]
    assert_db_refuses(case.save)


def test_household_has_at_least_one_person(db):
    case = HardshipCaseFactory.build(member=MemberFactory(), household_size=1)
    assert errors_of(case) == {}
    case.household_size = 0
    assert "household_size" in errors_of(case)


def test_database_refuses_a_case_closed_before_it_was_opened(db):
    case = HardshipCaseFactory(opened_on=dt.date(2025, 2, 1))
    HardshipCase.objects.filter(pk=case.pk).update(status=CaseStatus.RESOLVED, closed_on=dt.date(2025, 2, 1))
    assert_db_refuses(lambda: HardshipCase.objects.filter(pk=case.pk).update(closed_on=dt.date(2025, 1, 31)))


# --- one open case per member -------------------------------------------------------------------


def test_member_has_at_most_one_open_case(db):
    first = HardshipCaseFactory()
    second = HardshipCaseFactory.build(member=first.member)
    assert errors_of(second) == {"member": ["该会员已有在档的困难职工档案。"]}
    assert_db_refuses(second.save)
    assert errors_of(HardshipCaseFactory.build(member=MemberFactory())) == {}


@pytest.mark.parametrize("closed_status", [CaseStatus.RESOLVED, CaseStatus.EXITED])
def test_closed_case_does_not_block_a_new_one(db, closed_status):
    first = HardshipCaseFactory()
    HardshipCase.objects.filter(pk=first.pk).update(status=closed_status, closed_on=dt.date(2025, 6, 1))
    again = HardshipCaseFactory.build(member=first.member, opened_on=dt.date(2025, 9, 1))
    assert errors_of(again) == {}
    again.save()


def test_form_without_the_status_field_still_refuses_a_second_open_case(db):
    first = HardshipCaseFactory()
    CaseForm = modelform_factory(
        HardshipCase,
        fields=["member", "union", "category", "primary_cause", "household_size", "opened_on"],
    )
    data = {
        "member": first.member.pk,
        "union": first.union.pk,
        "category": HardshipCategory.RELATIVE,
        "primary_cause": HardshipCause.LAID_OFF,
        "household_size": 2,
        "opened_on": "2025-06-01",
        "secondary_causes": "[]",
    }
    form = CaseForm(data)
    assert not form.is_valid()
    assert form.errors["member"] == ["该会员已有在档的困难职工档案。"]
    data["member"] = MemberFactory(union=first.union).pk
    assert CaseForm(data).is_valid()


# --- aid records --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, goods_value, ok",
    [
        ("500.00", "0", True),
        ("0", "200.00", True),  # goods in kind only: a festival parcel
        ("300.00", "200.00", True),
        ("0", "0", False),
    ],
)
def test_aid_needs_an_amount_or_goods_value(db, amount, goods_value, ok):
    aid = AidRecordFactory.build(member=MemberFactory(), amount=D(amount), goods_value=D(goods_value))
    aid.union = aid.member.union
    errors = errors_of(aid)
    if ok:
        assert errors == {}
    else:
        assert errors == {"amount": ["请填写金额或实物折价。"]}


@pytest.mark.parametrize("field", ["amount", "goods_value"])
def test_aid_amounts_cannot_be_negative(db, field):
    aid = AidRecordFactory.build(member=MemberFactory(), amount=D("100"), goods_value=D("0"))
    aid.union = aid.member.union
    setattr(aid, field, D("0.01") if field == "goods_value" else D("100"))
    assert errors_of(aid) == {}
    setattr(aid, field, D("-0.01"))
    assert field in errors_of(aid)
    assert_db_refuses(aid.save)


def test_education_aid_needs_the_number_of_students(db):
    aid = AidRecordFactory.build(member=MemberFactory(), kind=AidKind.EDUCATION, students_helped=0)
    aid.union = aid.member.union
    assert errors_of(aid) == {"students_helped": ["助学帮扶请填写助学学生数。"]}
    aid.students_helped = 2
    assert errors_of(aid) == {}


def test_only_education_aid_counts_students(db):
    aid = AidRecordFactory.build(member=MemberFactory(), kind=AidKind.FESTIVAL, students_helped=1)
    aid.union = aid.member.union
    assert errors_of(aid) == {"students_helped": ["只有助学帮扶填写助学学生数。"]}
    aid.students_helped = 0
    assert errors_of(aid) == {}


def test_aid_against_a_case_must_be_for_that_cases_member(db):
    case = HardshipCaseFactory()
    aid = AidRecordFactory.build(member=case.member, union=case.union, hardship_case=case)
    assert errors_of(aid) == {}
    aid.member = MemberFactory(union=case.union)
    assert errors_of(aid) == {"hardship_case": ["所选档案不属于该会员。"]}


def test_aid_takes_the_union_of_its_member_when_none_is_given(db):
    member = MemberFactory()
    aid = AidRecord(member=member, aid_on=dt.date(2025, 1, 20), kind=AidKind.FESTIVAL, amount=D("300"))
    aid.save()
    assert aid.union_id == member.union_id
