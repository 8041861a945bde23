"""The Django admin: every page opens, changelists cost a fixed number of queries, staff see their
subtree only, identifiers are masked, nothing is deleted, and writes with rules go through services."""

import datetime as dt
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from federation.identifiers import make_resident_id, mask_id_number, mask_phone
from federation.models import ExportJob, Federation, ImportBatch, User
from members.choices import ChangeType, HardshipCategory, HardshipCause, MembershipStatus, ReviewKind
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
    MembershipTransfer,
)
from reports.models import SummaryDraft, SummaryVersion
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    ElectionFactory,
    FederationYearFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)
from unions.activities.models import Activity, ActivityPhoto
from unions.choices import ContractScope, HonourLevel, HonourTitle, UnionStatus
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _label(item) -> str:
    return item[0]._meta.label


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def grant(user: User, *codenames: str) -> User:
    """Give `user` staff access and these permissions; a fresh object, as permissions are cached."""
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


def inline_management(response) -> dict:
    """The management-form fields of every inline on an add or change page, with no rows."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


@pytest.fixture
def one_of_everything(admin_user, county, township, community, union_a, union_b):
    """At least one record of every registered model."""
    member = MemberFactory(union=union_a, mobile="13812345678")
    case = HardshipCaseFactory(member=member)
    regional = ContractFactory(union=None, federation=county, scope=ContractScope.REGIONAL)
    regional.covered_unions.add(union_a, union_b)
    activity = ActivityFactory(union=None, federation=township)
    records = {
        Federation: county,
        GrassrootsUnion: union_a,
        Member: member,
        HardshipCase: case,
        User: admin_user,
        Group: Group.objects.create(name="联合会工作人员"),
        Activity: activity,
        ActivityPhoto: ActivityPhoto.objects.create(activity=activity, image="activities/1/photo.jpg"),
        MembershipChange: member.changes.get(),
        MembershipTransfer: MembershipTransfer.objects.create(
            member=member, from_union=union_a, to_union=union_b, requested_on=dt.date(2025, 6, 1)
        ),
        MemberHonour: MemberHonour.objects.create(
            member=member, title=HonourTitle.MAY_DAY_MEDAL, level=HonourLevel.CITY, year=2025
        ),
        HouseholdMember: HouseholdMember.objects.create(case=case, name="李小红", relation="女儿"),
        CaseDocument: CaseDocument.objects.create(
            case=case, kind="income", file=ContentFile(b"%PDF-1.4 proof", name="proof.pdf")
        ),
        CaseReview: CaseReview.objects.create(
            case=case, kind=ReviewKind.INITIAL, reviewed_on=dt.date(2025, 2, 10)
        ),
        AidRecord: AidRecordFactory(member=member, hardship_case=case),
        UnionHonour: UnionHonour.objects.create(
            union=union_a, title=HonourTitle.MODEL_HOME, level=HonourLevel.COUNTY, year=2025
        ),
    }
    for obj in (
        FederationYearFactory(federation=township),
        UnionYearFactory(union=union_a),
        ElectionFactory(union=union_a),
        ContractFactory(union=union_a),
    ):
        records[type(obj)] = obj
    # 入会申请 (issue 14): a join link and an application sent through it.
    from members.services.applications import join_application_submit, join_link_create

    records[JoinLink] = join_link_create(union=union_a, by=admin_user, note="测试")
    records[JoinApplication] = join_application_submit(
        link=records[JoinLink],
        consented=True,
        name="测试申请人",
        id_number=make_resident_id("110105", dt.date(1990, 1, 1), 11, "M"),
        mobile="13900001111",
        employer="测试单位",
    )
    records[SummaryDraft] = SummaryDraft.objects.create(federation=township, year=2025, plan_text="计划")
    records[SummaryVersion] = SummaryVersion.objects.create(
        federation=township,
        year=2025,
        number=1,
        indicators={},
        pdf=ContentFile(b"%PDF", name="v.pdf"),
        xlsx=ContentFile(b"PK", name="v.xlsx"),
        pdf_sha256="0" * 64,
        finalised_by=admin_user,
    )
    records[ImportBatch] = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MEMBERS,
        union=union_a,
        federation=township,
        created_by=admin_user,
        file_name="测试花名册.xlsx",
        sha256="0" * 64,
    )
    records[ExportJob] = ExportJob.objects.create(
        kind="members.views.member_export", title="会员名单", file_name="会员名单.xlsx", created_by=admin_user
    )
    # Login throttling (django-axes): its records, which the admin shows to unlock an account.
    where = {"username": "county_staff", "ip_address": "10.1.1.1", "user_agent": "测试", "path_info": "/"}
    records[AccessAttempt] = AccessAttempt.objects.create(
        **where, http_accept="*/*", get_data="", post_data="", failures_since_start=5
    )
    records[AccessFailureLog] = AccessFailureLog.objects.create(**where, http_accept="*/*", locked_out=True)
    records[AccessLog] = AccessLog.objects.create(**where, http_accept="*/*")
    return records


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


# --- Every page opens ------------------------------------------------------------------------------


def test_every_domain_model_is_registered():
    from federation.models import ChangeMark
    from federation.scoping import scoped_models
    from members.models import MembershipFlow
    from reports.models import StoredFigures

    # Derived tables are kept by the services and rebuilt by manage.py rebuild_aggregates (or recomputed
    # from the records: the stored figures and their change marks): nobody edits them by hand, so the
    # admin has no page for them.
    derived = {MembershipFlow, StoredFigures, ChangeMark}
    assert set(scoped_models()) - derived | {User} <= set(admin.site._registry)
    assert not derived & set(admin.site._registry)


@pytest.mark.parametrize("item", REGISTERED, ids=_label)
def test_superuser_opens_changelist_add_change_and_history_pages(item, admin_client_, one_of_everything):
    model, model_admin = item
    obj = one_of_everything[model]
    assert admin_client_.get(url(model, "changelist")).status_code == 200
    assert admin_client_.get(url(model, "changelist"), {"q": "测试"}).status_code == 200
    expected_add = 200 if model_admin.has_add_permission(_request_for(admin_client_)) else 403
    assert admin_client_.get(url(model, "add")).status_code == expected_add
    assert admin_client_.get(url(model, "change", obj.pk)).status_code == 200
    if hasattr(model_admin, "history_form_view"):
        assert admin_client_.get(url(model, "history", obj.pk)).status_code == 200


WITH_FEDERATION_FILTER = [
    item
    for item in REGISTERED
    if any(getattr(f, "parameter_name", None) == "federation" for f in item[1].list_filter)
]


@pytest.mark.parametrize("item", WITH_FEDERATION_FILTER, ids=_label)
def test_federation_filter_of_every_changelist_lists_the_records_of_the_subtree(
    item, admin_client_, one_of_everything, township, other_county
):
    model = item[0]
    in_township = admin_client_.get(url(model, "changelist"), {"federation": township.pk})
    assert in_township.status_code == 200  # an invalid lookup would redirect with ?e=1
    assert one_of_everything[model] in in_township.context["cl"].result_list
    elsewhere = admin_client_.get(url(model, "changelist"), {"federation": other_county.pk})
    assert not elsewhere.context["cl"].result_list


def _request_for(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


# --- Changelists cost a fixed number of queries ---------------------------------------------------


def _changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


# Session, user, the federation filter's choices, the page's COUNT, the page; for aid also the date
# hierarchy's range and dates. No unfiltered COUNT(*) (show_full_result_count = False), and no query
# per row.
CHANGELIST_QUERIES = {Member: 5, AidRecord: 7}


@pytest.mark.parametrize("model", [Member, AidRecord], ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(
    model, admin_client_, union_a, union_b, django_assert_max_num_queries
):
    AidRecordFactory(member=MemberFactory(union=union_a))
    with_one_row = _changelist_queries(admin_client_, model)
    for i in range(29):
        AidRecordFactory(member=MemberFactory(union=union_a if i % 2 else union_b))
    with django_assert_max_num_queries(CHANGELIST_QUERIES[model]):
        response = admin_client_.get(url(model, "changelist"))
    assert len(response.context["cl"].result_list) == 30
    assert with_one_row == CHANGELIST_QUERIES[model]


@pytest.mark.parametrize("model", [Member, AidRecord], ids=lambda m: m.__name__)
def test_scoped_changelist_query_count_does_not_grow_with_rows(
    model, client, township_staff, union_a, union_b
):
    staff = grant(township_staff, "view_member", "view_aidrecord")
    client.force_login(staff)
    AidRecordFactory(member=MemberFactory(union=union_a))
    with_one_row = _changelist_queries(client, model)
    for _ in range(29):
        AidRecordFactory(member=MemberFactory(union=union_b))
    assert _changelist_queries(client, model) == with_one_row


# --- Staff see their subtree only -----------------------------------------------------------------


@pytest.fixture
def members_everywhere(county, union_a, union_b, outside_union):
    county_union = UnionFactory(federation=county, name="县直丁公司工会委员会")
    return {
        "county": MemberFactory(union=county_union, name="县直会员"),
        "township": MemberFactory(union=union_a, name="甲会员"),
        "community": MemberFactory(union=union_b, name="乙会员"),
        "outside": MemberFactory(union=outside_union, name="外县会员"),
    }


def test_staff_member_sees_only_its_subtrees_members_in_the_changelist(
    client, township_staff, members_everywhere
):
    client.force_login(grant(township_staff, "view_member"))
    response = client.get(url(Member, "changelist"))
    listed = set(response.context["cl"].result_list)
    assert listed == {members_everywhere["township"], members_everywhere["community"]}


def test_staff_member_cannot_open_a_member_outside_its_subtree(client, township_staff, members_everywhere):
    client.force_login(grant(township_staff, "view_member", "change_member"))
    outside = members_everywhere["outside"]
    # The admin answers "does not exist" for a record outside the queryset.
    assert client.get(url(Member, "change", outside.pk)).status_code == 302
    assert client.get(url(Member, "history", outside.pk)).status_code == 403
    history_id = outside.history.first().history_id
    assert client.get(url(Member, "simple_history", outside.pk, history_id)).status_code == 403


def test_federation_filter_narrows_the_changelist_to_a_subtree(admin_client_, members_everywhere, township):
    response = admin_client_.get(url(Member, "changelist"), {"federation": township.pk})
    assert set(response.context["cl"].result_list) == {
        members_everywhere["township"],
        members_everywhere["community"],
    }


def test_federation_filter_offers_only_the_federations_the_user_sees(
    client, township_staff, members_everywhere
):
    client.force_login(grant(township_staff, "view_member"))
    response = client.get(url(Member, "changelist"))
    assert "测试社区工会联合会" in response.text
    assert "邻县总工会" not in response.text
    assert "测试县总工会" not in response.text


def test_staff_cannot_add_a_member_to_a_union_outside_its_subtree(client, township_staff, outside_union):
    client.force_login(grant(township_staff, "view_member", "add_member"))
    response = client.post(url(Member, "add"), _member_form(outside_union) | _inline_data(client, Member))
    assert response.status_code == 200
    assert "union" in response.context["adminform"].form.errors
    assert not Member.objects.exists()


def test_chair_reads_a_member_but_cannot_change_it(client, county_chair, members_everywhere):
    chair = grant(county_chair, "view_member", "change_member", "add_member")
    client.force_login(chair)
    member = members_everywhere["community"]
    response = client.get(url(Member, "change", member.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(url(Member, "change", member.pk), {"name": "改名"}).status_code == 403
    assert client.get(url(Member, "add")).status_code == 403


def test_cadre_cannot_change_a_regional_contract_covering_its_union(client, cadre_a, county, union_a):
    contract = ContractFactory(union=None, federation=county, scope=ContractScope.REGIONAL)
    contract.covered_unions.add(union_a)
    client.force_login(grant(cadre_a, "view_collectivecontract", "change_collectivecontract"))
    response = client.get(url(CollectiveContract, "change", contract.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_staff_cannot_start_a_new_federation_tree(client, township_staff):
    client.force_login(grant(township_staff, "view_federation", "add_federation"))
    response = client.post(
        url(Federation, "add"),
        {"name": "新联合会", "level": Federation.Level.COMMUNITY, "parent": ""}
        | _inline_data(client, Federation),
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors


def test_staff_may_add_a_federation_below_its_own(client, township_staff, township):
    client.force_login(grant(township_staff, "view_federation", "add_federation"))
    response = client.post(
        url(Federation, "add"),
        {"name": "新社区联合会", "level": Federation.Level.COMMUNITY, "parent": township.pk}
        | _inline_data(client, Federation),
    )
    assert response.status_code == 302
    assert Federation.objects.get(name="新社区联合会").path.startswith(township.path)


def test_staff_cannot_move_its_own_federation_but_may_move_one_below(
    client, township_staff, township, community
):
    client.force_login(grant(township_staff, "view_federation", "change_federation"))
    own = client.get(url(Federation, "change", township.pk)).context["adminform"].form
    below = client.get(url(Federation, "change", community.pk)).context["adminform"].form
    assert "parent" not in own.fields
    assert "parent" in below.fields


def test_bulk_delete_refuses_a_contract_the_user_only_sees(client, township_staff, county, union_a):
    regional = ContractFactory(union=None, federation=county, scope=ContractScope.REGIONAL)
    regional.covered_unions.add(union_a)
    own = ContractFactory(union=union_a)
    client.force_login(grant(township_staff, "view_collectivecontract", "delete_collectivecontract"))
    changelist = url(CollectiveContract, "changelist")
    action = {"action": "delete_selected", "post": "yes"}
    assert client.post(changelist, action | {"_selected_action": [regional.pk, own.pk]}).status_code == 403
    assert CollectiveContract.objects.count() == 2
    assert client.post(changelist, action | {"_selected_action": [own.pk]}).status_code == 302
    assert list(CollectiveContract.objects.all()) == [regional]


def test_only_administrators_manage_accounts(client, township_staff):
    client.force_login(grant(township_staff, "view_user", "change_user"))
    assert client.get(url(User, "changelist")).status_code == 403


# --- Identifiers ----------------------------------------------------------------------------------


def test_changelist_masks_id_numbers_and_phones_without_the_permission(client, township_staff, union_a):
    member = MemberFactory(union=union_a, mobile="13812345678")
    client.force_login(grant(township_staff, "view_member"))
    response = client.get(url(Member, "changelist"))
    assert mask_id_number(member.id_number) in response.text
    assert member.id_number not in response.text
    assert mask_phone(member.mobile) in response.text
    assert member.mobile not in response.text


def test_change_page_and_history_mask_identifiers_without_the_permission(client, township_staff, union_a):
    member = MemberFactory(union=union_a, mobile="13812345678")
    member.mobile = "13987654321"
    member.save()
    client.force_login(grant(township_staff, "view_member", "change_member"))
    change_page = client.get(url(Member, "change", member.pk))
    history_page = client.get(url(Member, "history", member.pk))
    for response in (change_page, history_page):
        assert member.id_number not in response.text
        assert "13987654321" not in response.text
        assert "13812345678" not in response.text
    assert mask_phone("13987654321") in history_page.text


def test_the_permission_shows_full_identifiers_in_the_changelist(client, township_staff, union_a):
    member = MemberFactory(union=union_a, mobile="13812345678")
    client.force_login(grant(township_staff, "view_member", "view_full_identifiers"))
    response = client.get(url(Member, "changelist"))
    assert member.id_number in response.text
    assert member.mobile in response.text


def test_full_identifier_permission_is_grantable_on_the_user_page(admin_client_, township_staff):
    response = admin_client_.get(url(User, "change", township_staff.pk))
    permission = Permission.objects.get(codename="view_full_identifiers")
    choices = response.context["adminform"].form.fields["user_permissions"].queryset
    assert permission in choices
    assert "可查看完整身份证号和手机号" in response.text


def test_user_admin_keeps_role_federation_union_and_phone(admin_client_, township):
    response = admin_client_.get(url(User, "add"))
    data = {
        "username": "new_staff",
        "usable_password": "true",
        "password1": "a-long-pass-phrase-9",
        "password2": "a-long-pass-phrase-9",
        "role": User.Role.FEDERATION_STAFF,
        "federation": township.pk,
        "phone": "13812345678",
    } | inline_management(response)
    assert admin_client_.post(url(User, "add"), data).status_code == 302
    user = User.objects.get(username="new_staff")
    assert (user.role, user.federation, user.phone) == (User.Role.FEDERATION_STAFF, township, "13812345678")


# --- Nothing is lost ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [Member, MembershipChange, MembershipTransfer, HardshipCase, CaseReview, AidRecord],
    ids=lambda m: m.__name__,
)
def test_records_that_must_not_be_lost_cannot_be_deleted_even_by_a_superuser(
    model, admin_client_, one_of_everything
):
    obj = one_of_everything[model]
    assert admin_client_.get(url(model, "delete", obj.pk)).status_code == 403
    assert "delete_selected" not in admin.site._registry[model].get_actions(_request_for(admin_client_))


def test_service_only_fields_are_read_only(admin_client_, one_of_everything):
    member_form = (
        admin_client_.get(url(Member, "change", one_of_everything[Member].pk)).context["adminform"].form
    )
    assert not {"status", "left_on", "union", "joined_on"} & set(member_form.fields)
    case_form = (
        admin_client_.get(url(HardshipCase, "change", one_of_everything[HardshipCase].pk))
        .context["adminform"]
        .form
    )
    assert not {"status", "closed_on", "last_reviewed_on", "final_reviewed_by"} & set(case_form.fields)
    transfer = one_of_everything[MembershipTransfer]
    assert (
        not admin_client_.get(url(MembershipTransfer, "change", transfer.pk)).context["adminform"].form.fields
    )


def test_history_cannot_be_reverted(admin_client_, union_a):
    member = MemberFactory(union=union_a)
    history_id = member.history.first().history_id
    assert admin_client_.post(url(Member, "simple_history", member.pk, history_id), {}).status_code == 403


# --- Writes through services ---------------------------------------------------------------------


def _member_form(union, **overrides) -> dict:
    from federation.identifiers import make_resident_id

    data = {
        "union": union.pk,
        "name": "王小明",
        "gender": "M",
        "ethnicity": "01",
        "birth_date": "1990-05-17",
        "id_type": "resident_id",
        "id_number": make_resident_id("110105", dt.date(1990, 5, 17), 123, "M"),
        "political_status": "masses",
        "employment_status": "on_duty",
        "skill_grade": "none",
        "mobile": "13812345678",
        "joined_on": "2024-03-01",
    }
    return data | overrides


def _inline_data(client, model) -> dict:
    return inline_management(client.get(url(model, "add")))


def test_member_added_in_the_admin_gets_its_join_entry(admin_client_, admin_user, union_a):
    response = admin_client_.post(
        url(Member, "add"), _member_form(union_a) | _inline_data(admin_client_, Member)
    )
    assert response.status_code == 302
    member = Member.objects.get(name="王小明")
    entry = member.changes.get()
    assert (entry.change_type, entry.changed_on, entry.union, entry.recorded_by) == (
        ChangeType.JOIN,
        dt.date(2024, 3, 1),
        union_a,
        admin_user,
    )
    assert member.status == MembershipStatus.ACTIVE
    assert member.history.first().history_user == admin_user


def test_staff_adds_a_member_to_a_union_two_levels_down(client, county_staff, union_b):
    client.force_login(grant(county_staff, "view_member", "add_member"))
    response = client.post(url(Member, "add"), _member_form(union_b) | _inline_data(client, Member))
    assert response.status_code == 302
    assert Member.objects.get().changes.get().recorded_by == county_staff


def test_member_add_shows_the_services_refusal_on_the_form(admin_client_, union_a):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = admin_client_.post(
        url(Member, "add"), _member_form(union_a, joined_on=tomorrow) | _inline_data(admin_client_, Member)
    )
    assert response.status_code == 200
    assert "joined_on" in response.context["adminform"].form.errors
    assert not Member.objects.exists()


def test_member_add_refuses_a_dissolved_union(admin_client_, township):
    dissolved = UnionFactory(
        federation=township, status=UnionStatus.DISSOLVED, status_changed_on=dt.date(2024, 1, 1)
    )
    response = admin_client_.post(
        url(Member, "add"), _member_form(dissolved) | _inline_data(admin_client_, Member)
    )
    assert response.status_code == 200
    assert "union" in response.context["adminform"].form.errors
    assert not Member.objects.exists()


def test_member_add_refuses_a_person_who_is_already_a_live_member(admin_client_, union_a, union_b):
    existing = MemberFactory(union=union_b)
    response = admin_client_.post(
        url(Member, "add"),
        _member_form(
            union_a,
            id_number=existing.id_number,
            birth_date=existing.birth_date.isoformat(),
            gender=existing.gender,
        )
        | _inline_data(admin_client_, Member),
    )
    assert response.status_code == 200
    assert "id_number" in response.context["adminform"].form.errors
    assert Member.objects.count() == 1


def test_election_recorded_in_the_admin_starts_a_new_term(admin_client_, union_a):
    response = admin_client_.post(
        url(Election, "add"),
        {"union": union_a.pk, "held_on": "2025-04-30", "chair_name": "赵新", "term_years": 3, "notes": ""},
    )
    assert response.status_code == 302
    union_a.refresh_from_db()
    assert (union_a.chair_name, union_a.term_started_on, union_a.election_due_on) == (
        "赵新",
        dt.date(2025, 4, 30),
        dt.date(2028, 4, 30),
    )


def test_hardship_case_opened_in_the_admin_takes_the_suggested_category(
    admin_client_, admin_user, union_a, township
):
    FederationYearFactory(federation=township, year=2025, min_living_standard=Decimal("800"))
    member = MemberFactory(union=union_a)
    data = {
        "member": member.pk,
        "opened_on": "2025-03-01",
        "category": "",
        "category_override_reason": "",
        "primary_cause": HardshipCause.SERIOUS_ILLNESS,
        "health_status": "healthy",
        "disability_grade": "none",
        "housing": "own",
        "household_size": 3,
        "annual_household_income": "18000",
        "rigid_medical": "0",
        "rigid_schooling": "0",
        "accident_costs": "0",
        "description": "",
    } | _inline_data(admin_client_, HardshipCase)
    response = admin_client_.post(url(HardshipCase, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = HardshipCase.objects.get()
    # 18 000 / 12 / 3 = 500 元 a head a month, below the 800 元 standard.
    assert (case.category, case.suggested_category, case.created_by) == (
        HardshipCategory.DEEP,
        HardshipCategory.DEEP,
        admin_user,
    )


def test_aid_recorded_in_the_admin_belongs_to_the_members_union(admin_client_, admin_user, union_a):
    member = MemberFactory(union=union_a)
    response = admin_client_.post(
        url(AidRecord, "add"),
        {
            "member": member.pk,
            "aid_on": "2025-01-20",
            "kind": "festival",
            "amount": "500",
            "goods_value": "0",
            "students_helped": "0",
            "fund_source": "own_funds",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    aid = AidRecord.objects.get()
    assert (aid.union, aid.recorded_by) == (union_a, admin_user)


def test_an_existing_unions_status_is_not_edited_in_the_admin(admin_client_, union_a):
    # 撤销/合并 go through unions.closing, which check the union's members first.
    page = admin_client_.get(url(GrassrootsUnion, "change", union_a.pk))

    assert 'name="status"' not in page.content.decode()
    assert 'name="status_changed_on"' not in page.content.decode()
    assert 'name="status"' in admin_client_.get(url(GrassrootsUnion, "add")).content.decode()
