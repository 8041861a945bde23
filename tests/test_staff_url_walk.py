"""Every staff URL × role × tenant (STYLE.md, from pretix): anonymous users are sent to the login
page, another scope's record is a 404, a reader asking for a write page a 403, a POST-only URL
answers a GET with 405, and everything else in one's own scope opens.

The URL patterns come from the resolver, and ROUTES says for each URL name how to build its
arguments from the records of one side of the world: a URL without an entry fails
test_every_staff_url_is_in_the_walk, so that no new page escapes the walk. To add one, add a line to
ROUTES (and, if it needs a record the world lacks, a record to `side_records`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.views.static import serve
from PIL import Image

from federation.identifiers import make_resident_id
from federation.models import ExportJob, FederationYear, ImportBatch, User
from members.models import CaseDocument, JoinApplication, JoinLink, MembershipTransfer
from reports.indicators.breakdowns import BREAKDOWNS
from reports.models import SummaryVersion
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    UserFactory,
)
from unions.activities.models import ActivityPhoto
from unions.models import UnionHonour

YEAR = 2025

# Not staff pages: the admin, the sign-in pages and (in DEBUG) the media files.
SKIPPED_NAMESPACES = {"admin"}
# The public 入会申请 pages (no account: a join link's form, its status page, the card's verification)
# are not staff pages: tests/members/test_join_application_views.py covers them.
SKIPPED_NAMESPACES |= {"join"}
SKIPPED_NAMES = {"login", "logout", "password_change", "password_change_done"}


@dataclass(frozen=True)
class Route:
    """How to reach one URL and what each role may do there.

    kwargs: the URL's arguments from one side's records (None: a URL without arguments);
    write: a page or action that changes records — the chair (a reader) gets a 403;
    post_only: a GET is answered with 405;
    federation_page: about a federation — a union cadre sees none (404);
    forbidden: roles refused (403) inside their own scope although they may write elsewhere;
    tenant_free: the arguments name no tenant's record (a template's kind), so there is no other
    tenant's URL to refuse;
    own_job: about an export job, which is its creator's alone: each role opens one it made itself
    (side["export"] is replaced by it) and gets a 404 for the other side's;
    starts_job: the page queues a job (the summary's PDF, workbook) and sends its user to the job's
    page (302) where others would see the page itself (200).
    """

    kwargs: Callable[[dict], dict] | None = None
    write: bool = False
    post_only: bool = False
    federation_page: bool = False
    forbidden: frozenset[str] = frozenset()
    tenant_free: bool = False
    own_job: bool = False
    starts_job: bool = False


def pk(record: str, name: str = "pk") -> Callable[[dict], dict]:
    return lambda side: {name: side[record].pk}


def union_and(record: str, name: str) -> Callable[[dict], dict]:
    return lambda side: {"pk": side["union"].pk, name: side[record].pk}


def federation_and(record: str, name: str) -> Callable[[dict], dict]:
    return lambda side: {"pk": side["federation"].pk, name: side[record].pk}


def summary(**extra) -> Callable[[dict], dict]:
    return lambda side: {"federation_id": side["federation"].pk, "year": YEAR, **extra}


def union_summary(**extra) -> Callable[[dict], dict]:
    """A union's own summary (issue 15): read by everyone who sees the union, written by its cadre."""
    return lambda side: {"union_id": side["union"].pk, "year": YEAR, **extra}


READ = Route()
CREATE = Route(write=True)
POST_ACTION = Route(post_only=True, write=True)
CADRE = frozenset({"cadre_a"})
STAFF = frozenset({"county_staff", "township_staff", "outside_staff"})

ROUTES: dict[str, Route] = {
    "dashboard": READ,
    # federations
    "federations:list": Route(federation_page=True),
    "federations:detail": Route(pk("federation"), federation_page=True),
    "federations:edit": Route(pk("federation"), write=True, federation_page=True),
    "federations:year-create": Route(pk("federation"), write=True, federation_page=True),
    "federations:year-edit": Route(
        federation_and("federation_year", "year_pk"), write=True, federation_page=True
    ),
    # unions and contracts
    "unions:list": READ,
    "unions:lookup": READ,
    "unions:year-sheet": Route(forbidden=CADRE),
    "unions:create": Route(write=True, forbidden=CADRE),
    "unions:detail": Route(pk("union")),
    "unions:edit": Route(pk("union"), write=True),
    "unions:print": Route(pk("union")),
    "unions:election": Route(pk("union"), post_only=True, write=True),
    "unions:dissolve": Route(pk("union"), post_only=True, write=True, forbidden=CADRE),
    "unions:merge": Route(pk("union"), post_only=True, write=True, forbidden=CADRE),
    "unions:year-create": Route(pk("union"), write=True),
    "unions:year-edit": Route(union_and("union_year", "year_pk"), write=True),
    "unions:honour-create": Route(pk("union"), write=True),
    "unions:contract-list": READ,
    "unions:contract-create": CREATE,
    "unions:contract-detail": Route(pk("contract")),
    "unions:contract-edit": Route(pk("contract"), write=True),
    "unions:contract-scan": Route(pk("contract")),
    "unions:contract-scan-upload": Route(pk("contract"), post_only=True, write=True),
    # members and transfers
    "members:list": READ,
    "members:create": CREATE,
    "members:detail": Route(pk("member")),
    "members:edit": Route(pk("member"), write=True),
    "members:print": Route(pk("member")),
    # A form page of its own (issue 12): a refused submission re-renders at its URL, a reload opens it.
    "members:leave": Route(pk("member"), write=True),
    "members:reveal": Route(pk("member"), post_only=True),
    "members:transfer-request": Route(pk("member"), write=True),
    "members:transfer-batch": READ,
    "members:transfer-approve": Route(pk("transfer"), post_only=True, write=True),
    "members:transfer-accept": Route(pk("transfer"), post_only=True, write=True),
    "members:transfer-refuse": Route(pk("transfer"), write=True),
    # hardship cases and aid
    "hardship:list": READ,
    "hardship:create": CREATE,
    "hardship:detail": Route(pk("case")),
    "hardship:edit": Route(pk("case"), write=True),
    "hardship:print": Route(pk("case")),
    "hardship:document-upload": Route(pk("case"), post_only=True, write=True),
    "hardship:document": Route(pk("document")),
    "hardship:document-delete": Route(pk("document"), post_only=True, write=True),
    "hardship:review": Route(pk("case"), post_only=True, write=True),
    "hardship:close": Route(pk("case"), post_only=True, write=True),
    "hardship:aid-list": READ,
    "hardship:aid-create": CREATE,
    "hardship:aid-festival": CREATE,
    "hardship:aid-detail": Route(pk("aid")),
    "hardship:aid-edit": Route(pk("aid"), write=True),
    # 入会申请 and join links
    "applications:list": READ,
    "applications:detail": Route(pk("application")),
    "applications:approve": Route(pk("application"), post_only=True, write=True),
    "applications:reject": Route(pk("application"), post_only=True, write=True),
    "applications:approve-many": Route(post_only=True, write=True),
    "applications:links": READ,
    "applications:link-create": Route(post_only=True, write=True),
    "applications:poster": Route(pk("join_link")),
    "applications:link-revoke": Route(pk("join_link"), post_only=True, write=True),
    # activities
    "activities:list": READ,
    "activities:create": CREATE,
    "activities:detail": Route(pk("activity")),
    "activities:edit": Route(pk("activity"), write=True),
    "activities:photo": Route(lambda side: {"photo_pk": side["photo"].pk}),
    "activities:photo-upload": Route(pk("activity"), post_only=True, write=True),
    "activities:photo-delete": Route(
        lambda side: {"pk": side["activity"].pk, "photo_pk": side["photo"].pk}, post_only=True, write=True
    ),
    # imports
    "imports:list": READ,
    "imports:start": CREATE,
    "imports:template": Route(lambda side: {"kind": "members"}, tenant_free=True),
    "imports:detail": Route(pk("batch")),
    "imports:status": Route(pk("batch")),
    "imports:error-report": Route(pk("batch")),
    "imports:confirm": Route(pk("batch"), post_only=True, write=True),
    "imports:cancel": Route(pk("batch"), post_only=True, write=True),
    "exports:detail": Route(pk("export"), own_job=True),
    "exports:status": Route(pk("export"), own_job=True),
    "exports:download": Route(pk("export"), own_job=True),
    # the annual summary
    "reports:index": READ,
    "reports:summary": Route(summary(), federation_page=True),
    "reports:summary-pdf": Route(summary(), federation_page=True, starts_job=True),
    "reports:summary-docx": Route(summary(), federation_page=True, starts_job=True),
    "reports:summary-edit": Route(summary(), write=True, federation_page=True),
    # The editor's preview: the edit form's permission; it saves nothing.
    "reports:summary-preview": Route(summary(), post_only=True, write=True, federation_page=True),
    "reports:drill": Route(summary(key="members"), federation_page=True),
    "reports:drill-breakdown": Route(summary(key=BREAKDOWNS[0].key), federation_page=True),
    "reports:summary-xlsx": Route(summary(), federation_page=True, starts_job=True),
    # Finalising is the chair's (not a write a reader is refused): staff get a 403.
    "reports:summary-finalise": Route(summary(), post_only=True, federation_page=True, forbidden=STAFF),
    "reports:summary-reopen": Route(summary(), post_only=True, federation_page=True, forbidden=STAFF),
    "reports:summary-versions": Route(summary(), federation_page=True),
    "reports:version-pdf": Route(summary(number=1), federation_page=True),
    "reports:version-xlsx": Route(summary(number=1), federation_page=True),
    "reports:version-docx": Route(summary(number=1), federation_page=True),
    # the union statistical return
    # A union's own summary: its cadre writes and finalises it; federation staff and the chair read it.
    "reports:union-summary": Route(union_summary()),
    "reports:union-summary-pdf": Route(union_summary(), starts_job=True),
    "reports:union-summary-docx": Route(union_summary(), starts_job=True),
    "reports:union-summary-xlsx": Route(union_summary(), starts_job=True),
    "reports:union-summary-edit": Route(union_summary(), write=True, forbidden=STAFF),
    "reports:union-summary-preview": Route(union_summary(), post_only=True, write=True, forbidden=STAFF),
    "reports:union-drill": Route(union_summary(key="members")),
    "reports:union-drill-breakdown": Route(union_summary(key=BREAKDOWNS[0].key)),
    "reports:union-summary-finalise": Route(union_summary(), post_only=True, write=True, forbidden=STAFF),
    "reports:union-summary-reopen": Route(union_summary(), post_only=True, write=True, forbidden=STAFF),
    "reports:union-summary-versions": Route(union_summary()),
    "reports:union-version-pdf": Route(union_summary(number=1)),
    "reports:union-version-xlsx": Route(union_summary(number=1)),
    "reports:union-version-docx": Route(union_summary(number=1)),
    "reports:statistics-index": READ,
    "reports:statistics": Route(summary(), federation_page=True),
    "reports:statistics-xlsx": Route(summary(), federation_page=True),
}

# Each role's own side of the world and another tenant's (None: an administrator sees everything).
ROLES: dict[str, tuple[str, str | None]] = {
    "admin_user": ("a", None),
    "county_staff": ("a", "outside"),
    "county_chair": ("a", "outside"),
    "township_staff": ("a", "outside"),
    "cadre_a": ("a", "b"),
    "outside_staff": ("outside", "a"),
}


def staff_url_names() -> set[str]:
    """Every named URL of the staff apps, "namespace:name", from the resolver."""
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern):
                if pattern.callback is serve:
                    continue  # media files in DEBUG (the URLconf may load before tests turn DEBUG off)
                if pattern.name is None:
                    names.add(f"{prefix}<unnamed {pattern.pattern}>")  # cannot be mapped: fails the walk
                elif pattern.name not in SKIPPED_NAMES:
                    names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_staff_url_is_in_the_walk():
    names = staff_url_names()
    assert sorted(names - ROUTES.keys()) == [], "add these URLs to ROUTES in tests/test_staff_url_walk.py"
    assert sorted(ROUTES.keys() - names) == [], "these ROUTES entries name no URL any more"


# --- the world ----------------------------------------------------------------------------------------


def _png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


def side_records(union, federation, finaliser) -> dict:
    """One of everything a staff URL can name, all kept by `union` (or its `federation`)."""
    partner = UnionFactory(federation=union.federation)
    member = MemberFactory(union=union)
    moving = MemberFactory(union=union)
    contract = ContractFactory(union=union)
    contract.scan.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"))
    activity = ActivityFactory(union=union)
    case = HardshipCaseFactory(member=member)
    UnionHonour.objects.create(union=union, title="model_home", level="county", year=YEAR)
    join_link = JoinLink.objects.create(union=union, key=f"walk-{union.pk}")
    return {
        "join_link": join_link,
        "application": JoinApplication.objects.create(
            link=join_link,
            union=union,
            receipt=f"WALK-{union.pk:04d}-0000",
            name="申请人",
            id_number=make_resident_id("110105", dt.date(1990, 1, 1), union.pk, "M"),
            gender="M",
            birth_date=dt.date(1990, 1, 1),
            mobile="13800000000",
            employer="单位",
            consented_at=timezone.now(),
        ),
        "union": union,
        "federation": federation,
        "member": member,
        "transfer": MembershipTransfer.objects.create(
            member=moving, from_union=union, to_union=partner, requested_on=dt.date(2025, 3, 1)
        ),
        "case": case,
        "document": CaseDocument.objects.create(
            case=case, kind="income", file=ContentFile(b"%PDF-1.4 proof", name="proof.pdf")
        ),
        "aid": AidRecordFactory(member=member),
        "union_year": UnionYearFactory(union=union, year=YEAR),
        "federation_year": FederationYear.objects.create(federation=federation, year=YEAR),
        "contract": contract,
        "activity": activity,
        "photo": ActivityPhoto.objects.create(activity=activity, image=_png()),
        "batch": ImportBatch.objects.create(
            kind=ImportBatch.Kind.MEMBERS,
            status=ImportBatch.Status.READY,
            union=union,
            federation=union.federation,
            file_name="花名册.xlsx",
            sha256="0" * 64,
        ),
        "export": _export_job(UserFactory(role=User.Role.FEDERATION_STAFF, federation=federation)),
        "union_version": _version(union.federation, finaliser, union=union),
        "version": _version(federation, finaliser),
    }


def _version(federation, finaliser, union=None) -> SummaryVersion:
    """Version 1 of the year's summary of a federation, or of one of its unions."""
    return SummaryVersion.objects.create(
        federation=federation,
        union=union,
        year=YEAR,
        number=1,
        indicators={},
        pdf=ContentFile(b"%PDF-1.4 version", name="v.pdf"),
        xlsx=ContentFile(b"PK", name="v.xlsx"),
        docx=ContentFile(b"PK", name="v.docx"),
        pdf_sha256="0" * 64,
        finalised_by=finaliser,
    )


def _export_job(user) -> ExportJob:
    job = ExportJob.objects.create(
        kind="members.views.member_export",
        title="会员名单",
        file_name="会员名单.xlsx",
        created_by=user,
        status=ExportJob.Status.DONE,
    )
    job.file.save("export.xlsx", ContentFile(b"PK"))
    return job


@pytest.fixture
def world(
    settings,
    tmp_path,
    monkeypatch,
    request,
    union_a,
    union_b,
    outside_union,
    township,
    community,
    other_county,
):
    settings.MEDIA_ROOT = tmp_path
    # The walk is about who may open what; typesetting the PDF (seconds each) is tested elsewhere.
    monkeypatch.setattr("reports.jobs.render_summary_pdf", lambda document: b"%PDF-1.4 walk")
    monkeypatch.setattr("reports.jobs.render_summary_docx", lambda document: b"PK walk")
    users = {name: request.getfixturevalue(name) for name in ROLES}
    # Revealing a full number is a permission, not a scope: with it, only the scope decides.
    reveal = Permission.objects.get(codename="view_full_identifiers")
    for user in users.values():
        user.user_permissions.add(reveal)
    chair = users["county_chair"]
    sides = {
        "a": side_records(union_a, township, chair),
        "b": side_records(union_b, community, chair),
        "outside": side_records(outside_union, other_county, chair),
    }
    return users, sides


def snapshot() -> dict[str, int]:
    """How many rows every model of the project holds (history included): a refused request adds,
    changes (a history row) or removes none. Accounts are left out: signing in records last_login."""
    return {
        model._meta.label: model._default_manager.count()
        for label in ("federation", "unions", "members", "reports")
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in ("federation.User", "federation.HistoricalUser")
    }


def expected_for_own_scope(name: str, route: Route, role: str) -> int:
    if route.post_only:
        return 405
    if route.federation_page and role == "cadre_a":
        return 404
    if role in route.forbidden or (route.write and role == "county_chair"):
        return 403
    return 302 if route.starts_job else 200


def _url(name: str, route: Route, side: dict) -> str:
    return reverse(name, kwargs=route.kwargs(side) if route.kwargs else None)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_role_gets_the_right_answer_on_its_own_and_another_tenants_records(client, world, name):
    users, sides = world
    route = ROUTES[name]
    own_url = _url(name, route, sides["a"])
    wrong = []

    response = client.get(own_url)
    if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
        wrong.append(("anonymous", own_url, response.status_code))

    for role, (own, other) in ROLES.items():
        client.force_login(users[role])
        own_side = {**sides[own], "export": _export_job(users[role])} if route.own_job else sides[own]
        url = _url(name, route, own_side)
        status = client.get(url).status_code
        if status != expected_for_own_scope(name, route, role):
            wrong.append((role, url, status))
        if other and route.kwargs and not route.tenant_free:
            url = _url(name, route, sides[other])
            status = client.get(url).status_code
            if status != (405 if route.post_only else 404):
                wrong.append((role, url, status))
    assert wrong == []


WRITES = sorted(name for name, route in ROUTES.items() if route.write)
TENANT_POSTS = sorted(
    name
    for name, route in ROUTES.items()
    if route.kwargs and not route.tenant_free and (route.write or route.post_only)
)


@pytest.mark.parametrize("name", WRITES)
def test_the_chair_posting_to_a_write_url_gets_403_and_nothing_changes(client, world, name):
    users, sides = world
    client.force_login(users["county_chair"])
    before = snapshot()
    assert client.post(_url(name, ROUTES[name], sides["a"])).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", TENANT_POSTS)
def test_posting_to_another_tenants_record_is_a_404_and_nothing_changes(
    client, world, name, django_capture_on_commit_callbacks
):
    users, sides = world
    before = snapshot()
    wrong = []
    for role, (_own, other) in ROLES.items():
        if other is None:
            continue
        client.force_login(users[role])
        url = _url(name, ROUTES[name], sides[other])
        with django_capture_on_commit_callbacks(execute=True):
            status = client.post(url).status_code
        if status != 404:
            wrong.append((role, url, status))
    assert wrong == []
    assert snapshot() == before
    assert sides["a"]["photo"].image.storage.exists(sides["a"]["photo"].image.name)
