"""Who sees and changes what: every role against records inside and outside its scope, for every model
that federation/scoping.py knows.

The tree of the standing fixtures, with one union at each level:

    测试县总工会 (county)            county_union      county_staff, county_chair
      测试街道工会联合会 (township)   union_a           township_staff, cadre_a
        测试社区工会联合会 (community) union_b          cadre_b   (two levels below the county)
    邻县总工会 (other_county)        outside_union     outside_staff

Each test builds one record of the model at every level and asserts the exact set a user gets, so
that dropping any rule (a role, an anchor, the subtree match, the active check) makes a test fail.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.files.base import ContentFile
from django.http import Http404

from federation import scoping
from federation.models import ChangeMark, Federation, FederationYear, ImportBatch, User
from members.choices import ReviewKind, TransferStatus
from members.models import (
    AidRecord,
    CaseDocument,
    CaseReview,
    HardshipCase,
    HouseholdMember,
    JoinApplication,
    JoinLink,
    Member,
    MemberHonour,
    MembershipChange,
    MembershipFlow,
    MembershipTransfer,
)
from members.services.transfers import transfer_destinations
from reports.models import StoredFigures, SummaryDraft, SummaryVersion
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    ElectionFactory,
    FederationFactory,
    FederationYearFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    UserFactory,
)
from unions.activities.models import Activity, ActivityPhoto
from unions.choices import ContractScope, HonourLevel, HonourTitle
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear

ALL_LEVELS = {"county", "township", "community", "outside"}
COUNTY_TREE = {"county", "township", "community"}


# --- One record of a model, belonging to a given union ---------------------------------------------


def _transfer_out_of(union: GrassrootsUnion, to_union: GrassrootsUnion) -> MembershipTransfer:
    return MembershipTransfer.objects.create(
        member=MemberFactory(union=union),
        from_union=union,
        to_union=to_union,
        requested_on=dt.date(2025, 6, 1),
    )


def build(model, union: GrassrootsUnion, elsewhere: GrassrootsUnion):
    """A record of `model` that belongs to `union` (to its federation, for federation records).
    `elsewhere` is a union nobody in the tests is bound to, for records that name two unions."""
    builders = {
        Federation: lambda: union.federation,
        FederationYear: lambda: FederationYearFactory(federation=union.federation),
        GrassrootsUnion: lambda: union,
        UnionYear: lambda: UnionYearFactory(union=union),
        Election: lambda: ElectionFactory(union=union),
        UnionHonour: lambda: UnionHonour.objects.create(
            union=union, title=HonourTitle.MODEL_HOME, level=HonourLevel.COUNTY, year=2025
        ),
        CollectiveContract: lambda: ContractFactory(union=union),
        Member: lambda: MemberFactory(union=union),
        MemberHonour: lambda: MemberHonour.objects.create(
            member=MemberFactory(union=union),
            title=HonourTitle.MAY_DAY_MEDAL,
            level=HonourLevel.CITY,
            year=2025,
        ),
        MembershipChange: lambda: MemberFactory(union=union).changes.get(),
        MembershipFlow: lambda: MembershipFlow.objects.get(
            union=union, year=MemberFactory(union=union).joined_on.year
        ),
        MembershipTransfer: lambda: _transfer_out_of(union, elsewhere),
        HardshipCase: lambda: HardshipCaseFactory(member=MemberFactory(union=union)),
        HouseholdMember: lambda: HouseholdMember.objects.create(
            case=HardshipCaseFactory(member=MemberFactory(union=union)), name="李小红", relation="女儿"
        ),
        CaseReview: lambda: CaseReview.objects.create(
            case=HardshipCaseFactory(member=MemberFactory(union=union)),
            kind=ReviewKind.INITIAL,
            reviewed_on=dt.date(2025, 2, 10),
        ),
        CaseDocument: lambda: CaseDocument.objects.create(
            case=HardshipCaseFactory(member=MemberFactory(union=union)), kind="income", file="hardship/p.pdf"
        ),
        AidRecord: lambda: AidRecordFactory(member=MemberFactory(union=union)),
        Activity: lambda: ActivityFactory(union=union),
        ActivityPhoto: lambda: ActivityPhoto.objects.create(
            activity=ActivityFactory(union=union), image="activities/photo.jpg"
        ),
        ImportBatch: lambda: ImportBatch.objects.create(
            kind=ImportBatch.Kind.MEMBERS,
            union=union,
            federation=union.federation,
            file_name="花名册.xlsx",
            sha256="0" * 64,
        ),
        SummaryDraft: lambda: SummaryDraft.objects.get_or_create(federation=union.federation, year=2025)[0],
        SummaryVersion: lambda: SummaryVersion.objects.get_or_create(
            federation=union.federation,
            year=2025,
            number=1,
            defaults={
                "indicators": {},
                "pdf": ContentFile(b"%PDF", name="v.pdf"),
                "xlsx": ContentFile(b"PK", name="v.xlsx"),
                "pdf_sha256": "0" * 64,
                "finalised_by": UserFactory(role=User.Role.ADMIN),
            },
        )[0],
        StoredFigures: lambda: StoredFigures.objects.get_or_create(
            federation=union.federation,
            year=2025,
            defaults={"data": {}, "computed_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        )[0],
        ChangeMark: lambda: ChangeMark.objects.create(federation=union.federation),
        JoinLink: lambda: _join_link(union),
        JoinApplication: lambda: JoinApplication.objects.create(
            link=_join_link(union),
            union=union,
            receipt=f"R{JoinApplication.objects.count() + 1:08d}",
            name="王小明",
            id_number="110101199003070011",
            gender="M",
            birth_date=dt.date(1990, 3, 7),
            mobile="13800138000",
            employer="江州市某某有限公司",
            consented_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        ),
    }
    return builders[model]()


def _join_link(union: GrassrootsUnion) -> JoinLink:
    return JoinLink.objects.create(union=union, key=f"k{JoinLink.objects.count() + 1}", created_by=None)


# The models anchored in the tree (an ExportJob is its creator's: tests/federation/test_export_jobs.py).
ALL_MODELS = [m for m in scoping.scoped_models() if scoping.VISIBILITY[m._meta.label]]
FEDERATION_MODELS = [Federation, FederationYear, SummaryDraft, SummaryVersion, StoredFigures, ChangeMark]
UNION_MODELS = [m for m in ALL_MODELS if m not in FEDERATION_MODELS]


def _id(model) -> str:
    return model.__name__


@pytest.fixture
def county_union(county):
    return UnionFactory(federation=county, name="县直丁公司工会委员会")


@pytest.fixture
def nowhere_union(db):
    return UnionFactory(federation=FederationFactory(name="无人县总工会"), name="无人公司工会委员会")


@pytest.fixture
def unions_by_level(county_union, union_a, union_b, outside_union):
    return {"county": county_union, "township": union_a, "community": union_b, "outside": outside_union}


@pytest.fixture
def records_of(unions_by_level, nowhere_union):
    """records_of(Model) → {level: a record of Model at that level}."""

    def make(model):
        return {level: build(model, union, nowhere_union) for level, union in unions_by_level.items()}

    return make


def levels_visible(user, model, records) -> set[str]:
    visible = scoping.visible(user, model)
    return {level for level, record in records.items() if visible.filter(pk=record.pk).exists()}


def levels_changeable(user, records) -> set[str]:
    return {level for level, record in records.items() if scoping.can_change(user, record)}


# --- Every model has a rule -----------------------------------------------------------------------


def test_every_domain_model_has_a_visibility_rule():
    domain_models = {
        model
        for app in ("federation", "unions", "members", "reports")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical") and model is not User
    }
    assert domain_models == set(scoping.scoped_models())


def test_ownership_differs_from_visibility_only_for_collective_contracts():
    differing = {m for m in scoping.VISIBILITY if scoping.OWNERSHIP[m] != scoping.VISIBILITY[m]}
    assert differing == {CollectiveContract._meta.label}


# --- visible(): each role against records at every level -----------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_administrator_sees_records_at_every_level(model, admin_user, records_of):
    assert levels_visible(admin_user, model, records_of(model)) == ALL_LEVELS


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_administrator_role_without_superuser_flag_sees_every_level(model, records_of):
    administrator = UserFactory(role=User.Role.ADMIN)
    assert levels_visible(administrator, model, records_of(model)) == ALL_LEVELS


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_county_staff_sees_its_tree_down_to_two_levels_below_but_not_the_next_county(
    model, county_staff, records_of
):
    assert levels_visible(county_staff, model, records_of(model)) == COUNTY_TREE


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_township_staff_sees_its_township_and_the_community_below_but_not_the_county_above(
    model, township_staff, records_of
):
    assert levels_visible(township_staff, model, records_of(model)) == {"township", "community"}


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_chair_sees_the_same_records_as_the_staff_of_its_federation(model, county_chair, records_of):
    assert levels_visible(county_chair, model, records_of(model)) == COUNTY_TREE


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_staff_of_another_county_sees_only_its_own_county(model, outside_staff, records_of):
    assert levels_visible(outside_staff, model, records_of(model)) == {"outside"}


@pytest.mark.parametrize("model", UNION_MODELS, ids=_id)
def test_union_cadre_sees_only_its_own_unions_records(model, cadre_a, records_of):
    assert levels_visible(cadre_a, model, records_of(model)) == {"township"}


@pytest.mark.parametrize("model", UNION_MODELS, ids=_id)
def test_cadre_of_a_union_two_levels_down_sees_only_that_union(model, cadre_b, records_of):
    assert levels_visible(cadre_b, model, records_of(model)) == {"community"}


@pytest.mark.parametrize("model", FEDERATION_MODELS, ids=_id)
def test_union_cadre_sees_no_federation_records_not_even_its_own_federations(model, cadre_a, records_of):
    assert levels_visible(cadre_a, model, records_of(model)) == set()


def test_cadre_a_does_not_see_union_b_or_its_members(cadre_a, union_b):
    member_b = MemberFactory(union=union_b)
    assert union_b not in scoping.visible(cadre_a, GrassrootsUnion)
    assert member_b not in scoping.visible(cadre_a, Member)


def test_county_staff_sees_members_of_union_b_two_levels_down(county_staff, union_b):
    member_b = MemberFactory(union=union_b)
    assert list(scoping.visible(county_staff, Member)) == [member_b]


def test_township_staff_sees_union_b_in_the_community_below(township_staff, union_a, union_b):
    assert set(scoping.visible(township_staff, GrassrootsUnion)) == {union_a, union_b}


def test_federations_visible_to_staff_are_its_subtree(township_staff, county, township, community):
    assert set(scoping.federations_visible_to(township_staff)) == {township, community}


UNBOUND_ACCOUNTS = {
    "staff_without_federation": {"role": User.Role.FEDERATION_STAFF},
    "chair_without_federation": {"role": User.Role.CHAIR},
    "cadre_without_union": {"role": User.Role.UNION_CADRE},
}


@pytest.mark.parametrize("account", UNBOUND_ACCOUNTS)
@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_account_bound_to_no_federation_or_union_sees_nothing(model, account, records_of):
    user = UserFactory(is_staff=True, **UNBOUND_ACCOUNTS[account])
    assert levels_visible(user, model, records_of(model)) == set()


def test_staff_bound_to_a_union_but_not_a_federation_sees_nothing(union_a):
    """The role decides which binding counts: a union binding gives federation staff nothing."""
    user = UserFactory(role=User.Role.FEDERATION_STAFF, union=union_a)
    assert not scoping.visible(user, GrassrootsUnion).exists()


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_inactive_user_sees_nothing(model, county, records_of):
    user = UserFactory(role=User.Role.FEDERATION_STAFF, federation=county, is_active=False)
    assert levels_visible(user, model, records_of(model)) == set()


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_inactive_superuser_sees_nothing(model, records_of):
    user = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_active=False)
    assert levels_visible(user, model, records_of(model)) == set()


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_anonymous_user_sees_nothing(model, records_of):
    assert levels_visible(AnonymousUser(), model, records_of(model)) == set()


def test_visible_narrows_a_given_queryset_rather_than_replacing_it(county_staff, union_a, union_b):
    member_a = MemberFactory(union=union_a, name="张三")
    MemberFactory(union=union_b, name="李四")
    MemberFactory(union=union_a, name="王五")
    narrowed = scoping.visible(county_staff, Member, Member.objects.filter(name="张三"))
    assert list(narrowed) == [member_a]


# --- Records that reach the tree two ways ---------------------------------------------------------


@pytest.fixture
def regional_contract(county, union_a):
    """A regional contract signed by the county federation, covering union_a in the township."""
    contract = ContractFactory(union=None, federation=county, scope=ContractScope.REGIONAL)
    contract.covered_unions.add(union_a)
    return contract


def test_cadre_sees_a_regional_contract_covering_its_union_but_cannot_change_it(cadre_a, regional_contract):
    assert scoping.can_view(cadre_a, regional_contract)
    assert not scoping.can_change(cadre_a, regional_contract)


def test_cadre_of_an_uncovered_union_does_not_see_a_regional_contract(cadre_b, regional_contract):
    assert not scoping.can_view(cadre_b, regional_contract)


def test_staff_below_the_signing_federation_sees_a_regional_contract_covering_its_union_but_cannot_change_it(
    township_staff, regional_contract
):
    assert scoping.can_view(township_staff, regional_contract)
    assert not scoping.can_change(township_staff, regional_contract)


def test_staff_of_the_signing_federation_may_change_its_regional_contract(county_staff, regional_contract):
    assert scoping.can_change(county_staff, regional_contract)


def test_regional_contract_seen_through_a_covered_union_outside_the_signers_tree(outside_union, county):
    """A sectoral contract may cover a union of another county; that county's staff see it."""
    contract = ContractFactory(union=None, federation=county, scope=ContractScope.SECTORAL)
    contract.covered_unions.add(outside_union)
    outside = UserFactory(role=User.Role.FEDERATION_STAFF, federation=outside_union.federation)
    assert scoping.can_view(outside, contract)
    assert not scoping.can_change(outside, contract)


def test_contract_covering_several_visible_unions_is_listed_once(county_staff, regional_contract, union_b):
    regional_contract.covered_unions.add(union_b)
    assert list(scoping.visible(county_staff, CollectiveContract)) == [regional_contract]


def test_covered_unions_are_asked_without_a_distinct_over_the_scope(
    township_staff, regional_contract, union_b
):
    # DISTINCT over a city's contracts sorted all 131 000 joined rows before the first page.
    regional_contract.covered_unions.add(union_b)
    visible = scoping.visible(township_staff, CollectiveContract)
    assert "DISTINCT" not in str(visible.query).upper()
    assert list(visible) == [regional_contract]
    assert visible.count() == 1


@pytest.mark.parametrize("direction", ["from", "to"])
def test_cadre_sees_and_may_act_on_a_transfer_from_or_to_its_union(
    direction, cadre_a, union_a, nowhere_union
):
    if direction == "from":
        transfer = _transfer_out_of(union_a, nowhere_union)
    else:
        transfer = _transfer_out_of(nowhere_union, union_a)
    assert scoping.can_view(cadre_a, transfer)
    assert scoping.can_change(cadre_a, transfer)


def test_cadre_does_not_see_a_transfer_between_two_other_unions(cadre_a, union_b, outside_union):
    transfer = _transfer_out_of(union_b, outside_union)
    assert not scoping.can_view(cadre_a, transfer)


def test_staff_sees_a_transfer_arriving_from_another_county(township_staff, union_b, outside_union):
    transfer = _transfer_out_of(outside_union, union_b)
    assert scoping.can_view(township_staff, transfer)


@pytest.mark.parametrize("model", [Activity, ActivityPhoto], ids=_id)
def test_federation_organised_activity_is_seen_by_that_subtree_not_by_its_union_cadres(
    model, township, county_staff, township_staff, outside_staff, cadre_a
):
    activity = ActivityFactory(union=None, federation=township)
    record = (
        activity
        if model is Activity
        else ActivityPhoto.objects.create(activity=activity, image="activities/photo.jpg")
    )
    assert scoping.can_view(county_staff, record)
    assert scoping.can_view(township_staff, record)
    assert scoping.can_change(township_staff, record)
    assert not scoping.can_view(outside_staff, record)
    assert not scoping.can_view(cadre_a, record)


def test_hardship_case_stays_with_the_union_that_opened_it(cadre_a, cadre_b, union_a, union_b):
    """Cases are scoped by the union that opened the case, not by where the member is now."""
    case = HardshipCaseFactory(member=MemberFactory(union=union_a))
    Member.objects.filter(pk=case.member_id).update(union=union_b)
    assert scoping.can_view(cadre_a, case)
    assert not scoping.can_view(cadre_b, case)


# --- can_view / can_change ------------------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_administrator_may_change_every_record(model, admin_user, records_of):
    assert levels_changeable(admin_user, records_of(model)) == ALL_LEVELS


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_federation_staff_may_change_records_of_its_subtree_only(model, township_staff, records_of):
    assert levels_changeable(township_staff, records_of(model)) == {"township", "community"}


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_chair_may_read_but_not_change_records_in_its_scope(model, county_chair, records_of):
    records = records_of(model)
    assert scoping.can_view(county_chair, records["community"])
    assert levels_changeable(county_chair, records) == set()


@pytest.mark.parametrize("model", UNION_MODELS, ids=_id)
def test_union_cadre_may_change_its_own_unions_records_but_not_another_unions(model, cadre_a, records_of):
    records = records_of(model)
    assert scoping.can_view(cadre_a, records["township"])
    assert not scoping.can_view(cadre_a, records["community"])
    assert levels_changeable(cadre_a, records) == {"township"}


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_inactive_anonymous_and_unbound_users_may_change_nothing(model, county, records_of):
    records = records_of(model)
    for user in (
        UserFactory(role=User.Role.FEDERATION_STAFF, federation=county, is_active=False),
        UserFactory(role=User.Role.ADMIN, is_superuser=True, is_active=False),
        UserFactory(role=User.Role.FEDERATION_STAFF),
        AnonymousUser(),
    ):
        assert levels_changeable(user, records) == set(), user


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("admin_user", True),
        ("county_staff", True),
        ("cadre_a", True),
        ("county_chair", False),
    ],
)
def test_may_write_is_refused_to_the_chair_only(request, user_fixture, expected):
    assert scoping.may_write(request.getfixturevalue(user_fixture)) is expected


def test_may_write_is_refused_to_inactive_and_anonymous_users(county):
    assert not scoping.may_write(AnonymousUser())
    assert not scoping.may_write(
        UserFactory(role=User.Role.FEDERATION_STAFF, federation=county, is_active=False)
    )


def test_cadre_may_act_for_its_own_union_only(cadre_a, union_a, union_b):
    assert scoping.can_act_for_union(cadre_a, union_a)
    assert not scoping.can_act_for_union(cadre_a, union_b)


def test_staff_may_act_for_federations_below_it_but_not_above(township_staff, county, township, community):
    assert scoping.can_act_for_federation(township_staff, community)
    assert scoping.can_act_for_federation(township_staff, township)
    assert not scoping.can_act_for_federation(township_staff, county)


def test_chair_may_not_act_for_a_union_it_can_see(county_chair, union_b):
    assert scoping.can_view(county_chair, union_b)
    assert not scoping.can_act_for_union(county_chair, union_b)


# --- Full identifiers -----------------------------------------------------------------------------


def _with_full_identifier_permission(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


def test_superuser_sees_full_identifiers(admin_user):
    assert scoping.can_see_full_identifiers(admin_user)


@pytest.mark.parametrize("user_fixture", ["county_staff", "county_chair", "township_staff", "cadre_a"])
def test_staff_without_the_permission_sees_identifiers_masked(request, user_fixture):
    assert not scoping.can_see_full_identifiers(request.getfixturevalue(user_fixture))


def test_administrator_role_alone_does_not_show_full_identifiers(db):
    assert not scoping.can_see_full_identifiers(UserFactory(role=User.Role.ADMIN))


@pytest.mark.parametrize("user_fixture", ["county_staff", "cadre_a"])
def test_the_granted_permission_shows_full_identifiers(request, user_fixture):
    user = _with_full_identifier_permission(request.getfixturevalue(user_fixture))
    assert scoping.can_see_full_identifiers(user)


def test_permission_granted_through_a_group_shows_full_identifiers(county_staff):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="身份信息查看")
    group.permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    county_staff.groups.add(group)
    assert scoping.can_see_full_identifiers(User.objects.get(pk=county_staff.pk))


def test_inactive_user_with_the_permission_sees_identifiers_masked(county_staff):
    user = _with_full_identifier_permission(county_staff)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not scoping.can_see_full_identifiers(User.objects.get(pk=user.pk))
    inactive_superuser = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_active=False)
    assert not scoping.can_see_full_identifiers(inactive_superuser)


def test_anonymous_user_sees_identifiers_masked():
    assert not scoping.can_see_full_identifiers(AnonymousUser())


# --- The annual summary ---------------------------------------------------------------------------


def test_chair_may_finalise_the_summary_of_its_federation_and_those_below(county_chair, county, community):
    assert scoping.can_finalise_summary(county_chair, county)
    assert scoping.can_finalise_summary(county_chair, community)


def test_chair_may_not_finalise_the_summary_of_another_county(county_chair, other_county):
    assert not scoping.can_finalise_summary(county_chair, other_county)


def test_chair_of_a_township_may_not_finalise_the_county_summary(county, township):
    chair = UserFactory(role=User.Role.CHAIR, federation=township)
    assert scoping.can_finalise_summary(chair, township)
    assert not scoping.can_finalise_summary(chair, county)


@pytest.mark.parametrize("user_fixture", ["county_staff", "township_staff", "cadre_a"])
def test_only_the_chair_finalises_a_summary_staff_and_cadres_do_not(request, user_fixture, township):
    assert not scoping.can_finalise_summary(request.getfixturevalue(user_fixture), township)


def test_administrator_may_finalise_and_edit_any_summary(admin_user, other_county):
    assert scoping.can_finalise_summary(admin_user, other_county)
    assert scoping.can_edit_summary_draft(admin_user, other_county)


def test_inactive_chair_may_neither_finalise_nor_edit(county):
    chair = UserFactory(role=User.Role.CHAIR, federation=county, is_active=False)
    assert not scoping.can_finalise_summary(chair, county)
    assert not scoping.can_edit_summary_draft(chair, county)


def test_anonymous_user_may_neither_finalise_nor_edit_a_summary(county):
    assert not scoping.can_finalise_summary(AnonymousUser(), county)
    assert not scoping.can_edit_summary_draft(AnonymousUser(), county)


def test_staff_may_edit_the_draft_of_a_federation_in_scope_but_the_chair_only_reads_it(
    county_staff, county_chair, township
):
    assert scoping.can_edit_summary_draft(county_staff, township)
    assert not scoping.can_edit_summary_draft(county_chair, township)


def test_staff_may_not_edit_the_draft_of_the_federation_above_or_beside(township_staff, county, other_county):
    assert not scoping.can_edit_summary_draft(township_staff, county)
    assert not scoping.can_edit_summary_draft(township_staff, other_county)


def test_union_cadre_may_not_edit_a_summary_draft(cadre_a, township):
    assert not scoping.can_edit_summary_draft(cadre_a, township)


# --- One 404 for "missing" and "not yours" --------------------------------------------------------


def test_get_visible_or_404_returns_a_record_in_scope(cadre_a, union_a):
    member = MemberFactory(union=union_a)
    assert scoping.get_visible_or_404(cadre_a, Member, pk=member.pk) == member


@pytest.mark.parametrize("model", UNION_MODELS, ids=_id)
def test_get_visible_or_404_gives_404_for_another_scopes_record(model, cadre_a, records_of):
    records = records_of(model)
    assert scoping.get_visible_or_404(cadre_a, model, pk=records["township"].pk) == records["township"]
    with pytest.raises(Http404):
        scoping.get_visible_or_404(cadre_a, model, pk=records["community"].pk)


def test_get_visible_or_404_gives_the_same_404_for_a_missing_record(township_staff, outside_union):
    with pytest.raises(Http404):
        scoping.get_visible_or_404(township_staff, GrassrootsUnion, pk=outside_union.pk)
    with pytest.raises(Http404):
        scoping.get_visible_or_404(township_staff, GrassrootsUnion, pk=outside_union.pk + 1000)


def test_get_visible_or_404_gives_404_for_a_malformed_pk(township_staff):
    with pytest.raises(Http404):
        scoping.get_visible_or_404(township_staff, GrassrootsUnion, pk="not-a-number")


def test_get_visible_or_404_finds_a_contract_covering_two_visible_unions_once(
    county_staff, regional_contract, union_b
):
    regional_contract.covered_unions.add(union_b)
    assert scoping.get_visible_or_404(county_staff, CollectiveContract, pk=regional_contract.pk)


def test_get_changeable_or_404_refuses_the_chair_what_it_may_read(county_chair, union_b):
    member = MemberFactory(union=union_b)
    assert scoping.get_visible_or_404(county_chair, Member, pk=member.pk) == member
    with pytest.raises(Http404):
        scoping.get_changeable_or_404(county_chair, Member, pk=member.pk)


def test_get_changeable_or_404_refuses_a_cadre_a_covering_regional_contract(cadre_a, regional_contract):
    with pytest.raises(Http404):
        scoping.get_changeable_or_404(cadre_a, CollectiveContract, pk=regional_contract.pk)


def test_get_changeable_or_404_returns_a_record_the_user_keeps(cadre_a, union_a):
    transfer = _transfer_out_of(union_a, UnionFactory())
    assert transfer.status == TransferStatus.REQUESTED
    assert scoping.get_changeable_or_404(cadre_a, MembershipTransfer, pk=transfer.pk) == transfer


def test_transfer_destinations_span_the_members_tree_but_not_another_tree(
    cadre_a, union_a, union_b, outside_union
):
    member = MemberFactory(union=union_a)
    destinations = set(transfer_destinations(cadre_a, member))
    assert union_b in destinations
    assert union_a not in destinations
    assert outside_union not in destinations


def test_receiving_side_may_only_name_its_own_unions_as_destination(cadre_b, union_a, union_b):
    member = MemberFactory(union=union_a)
    assert set(transfer_destinations(cadre_b, member)) == {union_b}


def test_get_writable_or_404_is_404_across_scopes_403_for_a_reader_and_404_for_a_record_kept_by_others(
    county_staff, county_chair, cadre_b, outside_staff, community, union_b
):
    from django.core.exceptions import PermissionDenied

    member = MemberFactory(union=union_b)
    assert scoping.get_writable_or_404(county_staff, Member, pk=member.pk) == member
    with pytest.raises(Http404):
        scoping.get_writable_or_404(outside_staff, Member, pk=member.pk)
    with pytest.raises(PermissionDenied):
        scoping.get_writable_or_404(county_chair, Member, pk=member.pk)
    regional = ContractFactory(scope=ContractScope.REGIONAL, union=None, federation=community)
    regional.covered_unions.add(union_b)
    with pytest.raises(Http404):
        scoping.get_writable_or_404(cadre_b, CollectiveContract, pk=regional.pk)


def test_only_administrators_and_federation_roles_see_federations(
    admin_user, county_staff, county_chair, cadre_a
):
    assert scoping.sees_federations(admin_user)
    assert scoping.sees_federations(county_staff)
    assert scoping.sees_federations(county_chair)
    assert not scoping.sees_federations(cadre_a)
    assert not scoping.sees_federations(AnonymousUser())


# --- The only root's staff see everything, without joining the tree -------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=_id)
def test_the_only_roots_staff_see_what_the_paths_give(model, county, township, community, monkeypatch):
    """Staff of the tree's only root (a city federation) are scoped by "anchored at all" instead of
    by path (no join of a city's millions of rows to the tree): the same records either way."""
    union_a = UnionFactory(federation=township)
    union_b = UnionFactory(federation=community)
    county_union = UnionFactory(federation=county)
    records = {
        "a": build(model, union_a, county_union),
        "b": build(model, union_b, union_a),
        "county": build(model, county_union, union_b),
    }
    staff = UserFactory(role=User.Role.FEDERATION_STAFF, federation=county)
    assert scoping._federation_scope(staff)[1] is True
    fast = {level for level, r in records.items() if scoping.visible(staff, model).filter(pk=r.pk).exists()}
    by_path = UserFactory(role=User.Role.FEDERATION_STAFF, federation=county)
    vars(by_path)["_scope_path"] = (county.path, False)
    slow = {level for level, r in records.items() if scoping.visible(by_path, model).filter(pk=r.pk).exists()}
    assert fast == slow == {"a", "b", "county"}
    assert scoping.visible(staff, model).count() == scoping.visible(by_path, model).count()


def test_a_second_root_keeps_the_paths(county, other_county):
    staff = UserFactory(role=User.Role.FEDERATION_STAFF, federation=county)
    assert scoping._federation_scope(staff) == (county.path, False)
