"""manage.py demo_data: tier S is built once for the module and checked the way a careful reviewer
would — every record valid, every history consistent, every category present, the same seed giving
the same people."""

import datetime as dt
import hashlib
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max
from django.test import override_settings

from federation.demo.tiers import DEMO_TODAY, TIERS
from federation.models import Federation, FederationYear, User
from members.choices import (
    LEAVING_CHANGES,
    LIVE_STATUSES,
    STATUS_AFTER_CHANGE,
    AidKind,
    CaseStatus,
    ChangeType,
    Education,
    EmploymentStatus,
    FundSource,
    HardshipCategory,
    HardshipCause,
    HukouType,
    MembershipStatus,
    PoliticalStatus,
    SkillGrade,
    TransferStatus,
)
from members.models import (
    AidRecord,
    CaseReview,
    HardshipCase,
    HouseholdMember,
    Member,
    MemberHonour,
    MembershipChange,
    MembershipTransfer,
)
from members.models.hardship import suggest_category
from reports.demo.reset import DEMO_PASSWORD
from unions.activities.models import Activity
from unions.choices import (
    ContractKind,
    ContractScope,
    ContractStatus,
    EconomicType,
    EmployerNature,
    HonourLevel,
    HonourTitle,
    Industry,
    UnionStatus,
    UnionType,
)
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def build_demo(*extra: str) -> str:
    out = io.StringIO()
    with FAST_HASHER:
        call_command("demo_data", "--scale", "s", *extra, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Tier S, seed 1, built once; rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = build_demo("--seed", "1")
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def ledger(demo, db):
    return demo


def member_digest(count: int = 200) -> str:
    rows = Member.objects.order_by("id").values_list("name", "id_number", "birth_date", "joined_on", "status")
    return hashlib.sha256(repr(list(rows[:count])).encode()).hexdigest()


def test_counts_are_near_the_tier_s_targets(ledger):
    tier = TIERS["s"]
    assert Federation.objects.count() == 1
    assert GrassrootsUnion.objects.count() == tier.unions
    live = Member.objects.filter(status__in=LIVE_STATUSES).count()
    assert 0.9 * tier.members <= live <= 1.1 * tier.members
    assert 0.7 * tier.cases <= HardshipCase.objects.count() <= 1.3 * tier.cases
    assert 0.75 * tier.aid <= AidRecord.objects.count() <= 1.25 * tier.aid
    assert 0.8 * tier.contracts <= CollectiveContract.objects.count() <= 1.25 * tier.contracts
    assert Activity.objects.count() == tier.activities


def test_output_names_the_accounts_and_the_row_counts(ledger):
    assert "demo_staff、demo_chair、demo_cadre" in ledger
    assert DEMO_PASSWORD in ledger
    assert "Member" in ledger and "AidRecord" in ledger
    assert all(line.startswith("[demo_data]") for line in ledger.splitlines())


def test_same_seed_gives_the_same_people_and_another_seed_does_not(ledger):
    first = member_digest()
    build_demo("--seed", "1", "--flush")
    assert member_digest() == first
    build_demo("--seed", "2", "--flush")
    assert member_digest() != first


def test_refuses_to_build_over_existing_data(ledger):
    with pytest.raises(CommandError, match="--flush"):
        build_demo()
    assert "不再生成" in build_demo("--if-empty")
    assert GrassrootsUnion.objects.count() == TIERS["s"].unions


CHECKED_MODELS = [
    *(GrassrootsUnion, Member, HardshipCase, AidRecord, CollectiveContract, Activity, Election, UnionYear),
    *(MembershipTransfer, MembershipChange, HouseholdMember, CaseReview, UnionHonour, MemberHonour),
    FederationYear,
]


@pytest.mark.parametrize("model", CHECKED_MODELS)
def test_every_record_passes_full_clean(ledger, model):
    objects = list(model.objects.order_by("pk"))
    assert objects
    # Every union, case and contract; of the larger tables a sample spread over all unions.
    objects = objects[:: max(1, len(objects) // 100)]
    for obj in objects:
        obj.full_clean()


def test_every_member_has_a_join_entry_dated_joined_on(ledger):
    joins = dict(
        MembershipChange.objects.filter(change_type=ChangeType.JOIN).values_list("member_id", "changed_on")
    )
    members = dict(Member.objects.values_list("id", "joined_on"))
    assert joins == members


def test_status_is_the_result_of_the_last_change(ledger):
    last = {}
    for member_id, change_type, changed_on in MembershipChange.objects.order_by(
        "changed_on", "id"
    ).values_list("member_id", "change_type", "changed_on"):
        last[member_id] = (change_type, changed_on)
    for member in Member.objects.only("status", "left_on", "joined_on"):
        change_type, changed_on = last[member.id]
        assert member.status == STATUS_AFTER_CHANGE[change_type]
        if change_type in LEAVING_CHANGES:
            assert member.left_on == changed_on
        else:
            assert member.left_on is None
    statuses = set(Member.objects.values_list("status", flat=True))
    assert statuses == set(MembershipStatus.values)


def test_leaving_entries_carry_reasons_and_transfers_write_both_entries(ledger):
    assert not MembershipChange.objects.filter(
        change_type__in=[ChangeType.WITHDRAW, ChangeType.EXPEL], reason=""
    ).exists()
    accepted = MembershipTransfer.objects.filter(status=TransferStatus.ACCEPTED)
    assert accepted.count() >= 10
    for transfer in accepted:
        kinds = sorted(transfer.changes.values_list("change_type", flat=True))
        assert kinds == [ChangeType.TRANSFER_IN, ChangeType.TRANSFER_OUT]
        assert transfer.member.union_id == transfer.to_union_id or transfer.member.status not in LIVE_STATUSES
    assert set(MembershipTransfer.objects.values_list("status", flat=True)) >= {
        TransferStatus.REQUESTED,
        TransferStatus.APPROVED,
        TransferStatus.ACCEPTED,
    }


def test_id_numbers_are_unique_among_live_members(ledger):
    live = Member.objects.filter(status__in=LIVE_STATUSES).values_list("id_number", flat=True)
    assert len(live) == len(set(live))


def test_genders_and_ethnicities_are_plausible(ledger):
    genders = Counter(Member.objects.values_list("gender", flat=True))
    assert 0.35 <= genders["F"] / sum(genders.values()) <= 0.55  # ~45 %, but a few big unions weigh in S
    ethnicities = Counter(Member.objects.values_list("ethnicity", flat=True))
    assert 0.93 <= ethnicities["01"] / sum(ethnicities.values()) < 1


def test_every_official_category_appears(ledger):
    def values(model, field):
        return set(model.objects.values_list(field, flat=True).distinct())

    assert values(GrassrootsUnion, "employer_nature") == set(EmployerNature.values)
    assert values(GrassrootsUnion, "economic_type") == set(EconomicType.values)
    assert values(GrassrootsUnion, "industry") == set(Industry.values)
    assert values(GrassrootsUnion, "union_type") == set(UnionType.values)
    assert values(GrassrootsUnion, "status") == set(UnionStatus.values)
    assert values(Member, "education") == set(Education.values)
    assert values(Member, "political_status") == set(PoliticalStatus.values)
    assert values(Member, "employment_status") == set(EmploymentStatus.values)
    assert values(Member, "skill_grade") == set(SkillGrade.values)
    assert values(Member, "hukou_type") == set(HukouType.values)
    assert values(MembershipChange, "change_type") == set(ChangeType.values)
    assert values(UnionHonour, "title") | values(MemberHonour, "title") == set(HonourTitle.values)
    assert values(UnionHonour, "level") == set(HonourLevel.values)
    assert values(MemberHonour, "level") == set(HonourLevel.values)
    assert values(CollectiveContract, "kind") == set(ContractKind.values)
    assert values(CollectiveContract, "scope") == set(ContractScope.values)
    assert values(CollectiveContract, "status") == set(ContractStatus.values)
    assert values(HardshipCase, "category") == set(HardshipCategory.values)
    assert values(HardshipCase, "primary_cause") == set(HardshipCause.values)
    assert values(HardshipCase, "status") == set(CaseStatus.values)
    assert values(AidRecord, "kind") == set(AidKind.values)
    assert values(AidRecord, "fund_source") == set(FundSource.values)
    assert values(Activity, "category") == set(Activity.Category.values)


def test_unions_have_history_and_yearly_figures(ledger):
    years = range(2021, DEMO_TODAY.year + 1)
    for union in GrassrootsUnion.objects.all():
        rows = {y.year: y for y in union.years.all()}
        last = union.status_changed_on.year if union.status_changed_on else DEMO_TODAY.year
        assert set(rows) == {y for y in years if union.established_on.year <= y <= last}
        if union.status == UnionStatus.ACTIVE:
            live = union.members.filter(status__in=LIVE_STATUSES).count()
            assert rows[DEMO_TODAY.year].employees >= live
        latest = union.elections.order_by("-held_on").first()
        assert latest.held_on == union.term_started_on and latest.term_years == union.term_years
        assert union.election_due_on == union.compute_election_due_on()
    active = GrassrootsUnion.objects.filter(status=UnionStatus.ACTIVE)
    assert active.filter(election_due_on__lt=DEMO_TODAY).exists()
    assert active.filter(election_due_on__range=(DEMO_TODAY, DEMO_TODAY + dt.timedelta(days=90))).exists()
    assert GrassrootsUnion.objects.filter(union_type=UnionType.JOINT, covered_employers__gt=1).exists()
    assert len({e.held_on.year for e in Election.objects.all()}) >= 5
    for fy in FederationYear.objects.all():
        unions = GrassrootsUnion.objects.filter(federation=fy.federation, established_on__year__lte=fy.year)
        assert fy.employers_should_unionise > unions.filter(status=UnionStatus.ACTIVE).count()
        assert 700 <= fy.min_living_standard <= 1000


def test_hardship_cases_agree_with_their_figures_and_reviews(ledger):
    standards = {(fy.federation_id, fy.year): fy.min_living_standard for fy in FederationYear.objects.all()}
    for case in HardshipCase.objects.select_related("union"):
        suggested = suggest_category(
            annual_income=case.annual_household_income,
            rigid_expenses=case.rigid_expenses,
            household_size=case.household_size,
            accident_costs=case.accident_costs,
            min_living_standard=standards[(case.union.federation_id, case.opened_on.year)],
        )
        assert case.suggested_category == suggested
        assert case.category == suggested or case.category_override_reason
        assert case.monthly_income_per_head == case.compute_income_per_head()
        reviews = case.reviews.aggregate(last=Max("reviewed_on"))
        assert case.last_reviewed_on == reviews["last"]
        assert {r.kind for r in case.reviews.all()} >= {"initial", "final"}
        assert (
            case.household.count() == case.household_size - 1 or case.household.count() < case.household_size
        )
    stale = HardshipCase.objects.filter(
        status=CaseStatus.OPEN, last_reviewed_on__lt=DEMO_TODAY - dt.timedelta(days=365)
    )
    assert stale.exists()


def test_aid_follows_the_calendar(ledger):
    years = set(AidRecord.objects.values_list("aid_on__year", flat=True))
    assert set(range(2021, DEMO_TODAY.year + 1)) <= years
    for aid in AidRecord.objects.filter(kind=AidKind.EDUCATION):
        assert aid.aid_on.month in (8, 9) and aid.students_helped >= 1
    festival = AidRecord.objects.filter(kind=AidKind.FESTIVAL)
    assert festival.filter(hardship_case__isnull=True).exists()
    assert festival.filter(aid_on__month__in=(1, 2)).count() > festival.count() / 2


def test_regional_contracts_cover_unions_that_also_have_their_own(ledger):
    regional = CollectiveContract.objects.exclude(scope=ContractScope.SINGLE)
    assert all(c.federation_id and not c.union_id for c in regional)
    covered = set(regional.values_list("covered_unions", flat=True)) - {None}
    own = set(
        CollectiveContract.objects.filter(scope=ContractScope.SINGLE).values_list("union_id", flat=True)
    )
    assert len(covered) >= 10 and covered & own


def test_demo_accounts_have_their_roles(ledger):
    root = Federation.objects.get(parent=None)
    staff, chair, cadre = (
        User.objects.get(username=name) for name in ("demo_staff", "demo_chair", "demo_cadre")
    )
    assert (staff.role, staff.federation) == (User.Role.FEDERATION_STAFF, root)
    assert (chair.role, chair.federation) == (User.Role.CHAIR, root)
    assert cadre.role == User.Role.UNION_CADRE and cadre.union.status == UnionStatus.ACTIVE
    with FAST_HASHER:
        assert cadre.check_password(DEMO_PASSWORD)


def test_nothing_happened_after_the_demo_today(ledger):
    dated = [
        (Member, "joined_on"), (Member, "left_on"), (MembershipChange, "changed_on"),
        (MembershipTransfer, "requested_on"), (MembershipTransfer, "approved_on"),
        (HardshipCase, "opened_on"), (HardshipCase, "closed_on"), (CaseReview, "reviewed_on"),
        (AidRecord, "aid_on"), (Election, "held_on"),
        (GrassrootsUnion, "established_on"), (GrassrootsUnion, "status_changed_on"),
        (CollectiveContract, "signed_on"), (CollectiveContract, "filed_on"), (Activity, "starts_on"),
    ]  # fmt: skip
    for model, field in dated:
        latest = model.objects.aggregate(latest=Max(field))["latest"]
        assert latest and latest <= DEMO_TODAY, (model, field, latest)


def test_activities_are_organised_by_federations_and_unions(ledger):
    assert Activity.objects.filter(federation__isnull=False).exists()
    assert (
        Activity.objects.filter(union__isnull=False).count()
        > Activity.objects.filter(union__isnull=True).count()
    )
    assert {a.starts_on.year for a in Activity.objects.all()} == set(range(2021, DEMO_TODAY.year + 1))


def test_every_demo_member_carries_the_flag_of_its_valid_id_number(ledger):
    # The demo writes members by COPY, past Member.save: its rows must carry the flag themselves, or
    # the 工作台 would list every demo member as 身份证号无效.
    assert Member.objects.exists()
    assert not Member.objects.filter(id_number_valid=False).exists()


def test_the_demo_cadre_has_a_join_link_and_applications_to_review(ledger):
    from federation.models import User
    from members.applications.selectors import applications_to_review, findings_for
    from members.models import JoinLink

    cadre = User.objects.get(username="demo_cadre")
    assert JoinLink.objects.filter(union=cadre.union, revoked_at__isnull=True).exists()
    waiting = list(applications_to_review(cadre))
    assert len(waiting) == 5
    found = {f.text for notes in findings_for(cadre, waiting).values() for f in notes}
    assert "已是其他工会的在册会员，请联系上级工会联合会核实" in found or any("已是“" in t for t in found)
    assert "同一身份证号另有1份待审核申请" in found
