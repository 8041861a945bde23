"""Builds a demo tier, phase by phase, each phase in its own transaction.

Members and everything that hangs on them (history, transfers, UnionYear, hardship cases, aid,
honours) are generated and written a group of federations at a time, so that memory stays bounded
at city scale: only the unions' plans are kept from one group to the next.
"""

from __future__ import annotations

import datetime as dt
import resource
import time
from collections.abc import Callable

from django.db import connection, transaction

from federation.demo.tiers import TIERS, Calendar, ensure_each, rng_for, write
from federation.demo.tree import FederationPlan, build_tree, write_federation_years
from members.choices import Education, EmploymentStatus, MembershipStatus, PoliticalStatus, SkillGrade
from members.demo.aid import CASE_AID_PER_YEAR, AidBuilder
from members.demo.applications import build_join_applications
from members.demo.help import CaseBuilder, write_help
from members.demo.honours import member_honours, union_honours
from members.demo.members import Person, PersonFactory
from members.demo.membership import Timelines, union_years, write_timelines
from members.flows import rebuild_flows
from members.models import Member
from reports.demo.reset import cadre_union, create_accounts
from unions.demo.activities import build_activities
from unions.demo.contracts import build_contracts
from unions.demo.unions import UnionPlan, plan_unions, write_unions

CHUNK_PEOPLE = 25_000
LIVE_SHARE = 0.86  # of the people who ever joined an active union, the share still there today
OPEN_TRANSFERS = 0.0015  # transfers waiting for approval or acceptance, per live member
# Of the tier's aid records, the share at least given as festival visits to members without a case.
VISIT_SHARE = 0.3
CASE_YEARS = 3.3  # calendar years a case spans on average (measured)
EVERY_VALUE = (
    ("political_status", PoliticalStatus.values),
    ("education", Education.values),
    ("skill_grade", SkillGrade.values),
    ("employment_status", EmploymentStatus.values),
)


class Progress:
    def __init__(self, out: Callable[[str], None]):
        self.out = out
        self.started = time.monotonic()
        self.last = self.started

    def done(self, what: str) -> None:
        now = time.monotonic()
        self.out(f"{what}（{now - self.last:.1f} 秒）")
        self.last = now

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def _chunks(feds: list[FederationPlan]) -> list[list[UnionPlan]]:
    """Whole federations together (a merged union's members go to a union of its own federation),
    about CHUNK_PEOPLE people a group."""
    chunks, current, people = [], [], 0
    for fed in feds:
        current.extend(fed.unions)
        people += sum(u.size for u in fed.unions)
        if people >= CHUNK_PEOPLE:
            chunks.append(current)
            current, people = [], 0
    if current:
        chunks.append(current)
    return chunks


class MemberPhase:
    """Generates and writes one group of unions' members with everything that hangs on them."""

    def __init__(self, seed: int, tier, cal: Calendar, staff, cadre):
        self.cal = cal
        self.rng = rng_for(seed, "members")
        self.people = PersonFactory(self.rng, cal)
        self.timelines = Timelines(rng_for(seed, "membership"), cal, staff=staff)
        self.cases = CaseBuilder(
            rng_for(seed, "help"), cal, per_member=tier.cases / tier.members, staff=staff, cadre=cadre
        )
        self.aid = AidBuilder(
            rng_for(seed, "aid"),
            cal,
            per_member=tier.aid / tier.members,
            visit_share=VISIT_SHARE,
            # Cases get most of the aid, up to 1.3 times the usual rate; festival visits make up the rest.
            case_factor=min(
                1.3, (1 - VISIT_SHARE) * tier.aid / (tier.cases * CASE_YEARS * CASE_AID_PER_YEAR)
            ),
        )
        self.honours_rng = rng_for(seed, "member-honours")

    def run(self, chunk: list[UnionPlan], *, first: bool) -> dict[str, int]:
        people: list[Person] = []
        for union in chunk:
            count = union.size if not union.active else round(union.size / LIVE_SHARE)
            people.append(self.people.person(union, chair=union.chair))
            people.extend(self.people.person(union) for _ in range(max(0, count - 1)))
        self.timelines.plan(people, chunk)
        transfers, changes = self.timelines.apply(people)
        live = sum(1 for p in people if p.live)
        requests = self.timelines.open_requests(people, max(3 if first else 0, round(live * OPEN_TRANSFERS)))
        if first:  # the demo shows every category of the 会员实名信息采集表 at least once
            members = [p.m for p in people if p.m.status == MembershipStatus.ACTIVE and not p.chair]
            for field, values in EVERY_VALUE:
                ensure_each(self.rng, members, field, values, keep=3)
        write(Member, [p.m for p in people])
        n_transfers, n_changes = write_timelines(transfers + requests, changes)
        union_years(self.rng, self.cal, chunk, people)
        counts = write_help(self.cases, self.aid, people, first=first)
        counts["honours"] = member_honours(self.honours_rng, self.cal, people, show_all=first)
        counts.update(people=len(people), live=live, transfers=n_transfers, changes=n_changes)
        return counts


def build(*, scale: str, seed: int, today: dt.date, out: Callable[[str], None]) -> float:
    """Build tier `scale`; report each phase through `out`; return the seconds it took."""
    tier = TIERS[scale]
    cal = Calendar(today)
    progress = Progress(out)

    with transaction.atomic():
        feds = build_tree(rng_for(seed, "tree"), tier.shape)
        unions = plan_unions(rng_for(seed, "unions"), cal, feds, tier.unions, tier.members)
        n_unions, n_elections = write_unions(unions)
        staff, _chair, cadre = create_accounts(seed, feds[0].obj, cadre_union(unions))
        n_honours = union_honours(rng_for(seed, "union-honours"), cal, unions, show_all=True)
    progress.done(
        f"工会联合会 {len(feds)} 个，基层工会 {n_unions} 个，换届选举 {n_elections} 条，"
        f"工会荣誉 {n_honours} 条，演示账号 3 个"
    )

    phase = MemberPhase(seed, tier, cal, staff, cadre)
    chunks = _chunks(feds)
    totals: dict[str, int] = {}
    for index, chunk in enumerate(chunks):
        with transaction.atomic():
            counts = phase.run(chunk, first=index == 0)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if len(chunks) > 1:
            progress.done(f"会员 第{index + 1}/{len(chunks)}组：{counts['people']} 人")
    progress.done(
        f"会员 {totals['people']} 人（会籍变化 {totals['changes']} 条，转接 {totals['transfers']} 条），"
        f"困难职工档案 {totals['cases']} 份，帮扶记录 {totals['aid']} 条"
    )
    # The demo writes its members and their history in bulk, not through members.services: its
    # membership flow is computed once from what it wrote.
    n = rebuild_flows()
    progress.done(f"会员增减流量 {n} 条")

    with transaction.atomic():
        n_contracts, n_links = build_contracts(rng_for(seed, "contracts"), cal, feds, unions, tier.contracts)
    progress.done(f"集体合同 {n_contracts} 份（覆盖关系 {n_links} 条）")

    with transaction.atomic():
        n = build_activities(rng_for(seed, "activities"), cal, feds, unions, tier.activities)
    progress.done(f"活动 {n} 场")

    with transaction.atomic():
        n_links, n = build_join_applications(rng_for(seed, "join-applications"), cadre)
    progress.done(f"入会申请链接 {n_links} 个，待审核入会申请 {n} 份")

    with transaction.atomic():
        n = write_federation_years(rng_for(seed, "federation-years"), feds, cal)
    progress.done(f"年度基本情况 {n} 条")
    if connection.vendor == "postgresql":
        # Statistics for the planner: without them (autovacuum off, or not yet run after millions of
        # rows) PostgreSQL guesses one row per table and picks nested loops that take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        progress.done("统计信息已更新（ANALYZE）")
    return progress.elapsed


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row_counts() -> list[tuple[str, int, str]]:
    """(model, rows, detail) for the table the command prints at the end."""
    from django.db.models import Count, Q

    from federation.models import Federation, FederationYear, User
    from members.choices import LIVE_STATUSES, CaseStatus, TransferStatus
    from members.models import (
        AidRecord,
        CaseReview,
        HardshipCase,
        HouseholdMember,
        MemberHonour,
        MembershipChange,
        MembershipTransfer,
    )
    from unions.activities.models import Activity
    from unions.choices import UnionStatus
    from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear

    members = Member.objects.aggregate(
        total=Count("id"), live=Count("id", filter=Q(status__in=LIVE_STATUSES))
    )
    unions = GrassrootsUnion.objects.aggregate(
        total=Count("id"), active=Count("id", filter=Q(status=UnionStatus.ACTIVE))
    )
    cases = HardshipCase.objects.aggregate(
        total=Count("id"), open=Count("id", filter=Q(status=CaseStatus.OPEN))
    )
    transfers = MembershipTransfer.objects.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=[TransferStatus.REQUESTED, TransferStatus.APPROVED])),
    )
    links = CollectiveContract.covered_unions.through.objects.count()
    return [
        ("Federation", Federation.objects.count(), ""),
        ("FederationYear", FederationYear.objects.count(), ""),
        ("GrassrootsUnion", unions["total"], f"正常 {unions['active']}"),
        ("UnionYear", UnionYear.objects.count(), ""),
        ("Election", Election.objects.count(), ""),
        ("UnionHonour", UnionHonour.objects.count(), ""),
        ("CollectiveContract", CollectiveContract.objects.count(), f"覆盖关系 {links}"),
        ("Member", members["total"], f"在册/保留会籍 {members['live']}"),
        ("MembershipChange", MembershipChange.objects.count(), ""),
        ("MembershipTransfer", transfers["total"], f"未完成 {transfers['open']}"),
        ("MemberHonour", MemberHonour.objects.count(), ""),
        ("HardshipCase", cases["total"], f"在档 {cases['open']}"),
        ("HouseholdMember", HouseholdMember.objects.count(), ""),
        ("CaseReview", CaseReview.objects.count(), ""),
        ("AidRecord", AidRecord.objects.count(), ""),
        ("Activity", Activity.objects.count(), ""),
        ("User", User.objects.count(), ""),
    ]
