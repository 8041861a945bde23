"""factory_boy factories that keep related records consistent (a member's ID number agrees with its
birth date and gender; a case's union is its member's union)."""

import datetime as dt
from decimal import Decimal

import factory

from federation.identifiers import make_credit_code, make_resident_id
from federation.models import Federation, FederationYear, User
from members.choices import AidKind, Gender, HardshipCategory, HardshipCause
from members.flows import record_changes
from members.models import AidRecord, HardshipCase, Member, MembershipChange
from unions.activities.models import Activity
from unions.choices import ContractKind, ContractScope, EmployerNature
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionYear


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation

    name = factory.Sequence(lambda n: f"测试街道工会联合会{n}")
    level = Federation.Level.TOWNSHIP


class FederationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FederationYear

    federation = factory.SubFactory(FederationFactory)
    year = 2025
    employers_should_unionise = 60
    min_living_standard = Decimal("800.00")


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrassrootsUnion

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"测试{n}有限公司工会委员会")
    employer_name = factory.Sequence(lambda n: f"测试{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code("9", "1", "110105", f"{n:08d}X"))
    employer_nature = EmployerNature.PRIVATE
    established_on = dt.date(2015, 3, 1)


class UnionYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionYear

    union = factory.SubFactory(UnionFactory)
    year = 2025
    employees = 100
    women_employees = factory.LazyAttribute(lambda y: y.employees * 2 // 5)
    migrant_employees = factory.LazyAttribute(lambda y: y.employees // 5)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")
    role = User.Role.UNION_CADRE

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def _resident_id(member) -> str:
    return make_resident_id("110105", member.birth_date, member._sequence, member.gender)


class MemberFactory(factory.django.DjangoModelFactory):
    """A live member. Use members.services.member_join where the 入会 entry matters."""

    class Meta:
        model = Member
        exclude = ["_sequence"]
        skip_postgeneration_save = True

    _sequence = factory.Sequence(lambda n: n)
    union = factory.SubFactory(UnionFactory)
    name = factory.Sequence(lambda n: f"会员{n}")
    gender = Gender.MALE
    birth_date = factory.Sequence(lambda n: dt.date(1970, 1, 1) + dt.timedelta(days=n * 37 % 12000))
    id_number = factory.LazyAttribute(_resident_id)
    joined_on = dt.date(2018, 6, 1)

    @factory.post_generation
    def join_entry(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            membership_change(member=obj, union=obj.union, change_type="join", changed_on=obj.joined_on)


def membership_change(**fields) -> MembershipChange:
    """A MembershipChange written as a test's history needs it, kept in the membership flow as the
    services keep it (members.flows)."""
    entry = MembershipChange.objects.create(**fields)
    record_changes([entry])
    return entry


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    union = factory.SubFactory(UnionFactory)
    held_on = dt.date(2025, 5, 1)
    chair_name = "张建国"
    term_years = 5


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveContract

    kind = ContractKind.COMPREHENSIVE
    scope = ContractScope.SINGLE
    union = factory.SubFactory(UnionFactory)
    title = factory.Sequence(lambda n: f"集体合同{n}")
    signed_on = dt.date(2025, 3, 1)
    starts_on = dt.date(2025, 3, 1)
    ends_on = dt.date(2028, 2, 28)
    covered_employees = 100


class HardshipCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HardshipCase

    member = factory.SubFactory(MemberFactory)
    union = factory.LazyAttribute(lambda case: case.member.union)
    category = HardshipCategory.RELATIVE
    primary_cause = HardshipCause.SERIOUS_ILLNESS
    household_size = 3
    annual_household_income = Decimal("36000")
    opened_on = dt.date(2025, 2, 1)


class AidRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidRecord

    member = factory.SubFactory(MemberFactory)
    union = factory.LazyAttribute(lambda aid: aid.member.union)
    aid_on = dt.date(2025, 1, 20)
    kind = AidKind.FESTIVAL
    amount = Decimal("500.00")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    union = factory.SubFactory(UnionFactory)
    title = factory.Sequence(lambda n: f"职工活动{n}")
    category = Activity.Category.CULTURE_SPORTS
    starts_on = dt.date(2025, 5, 1)
    participants = 50
