"""Grassroots unions (基层工会) with the fields of the 工会组织信息采集表, and the plan of how many
members each will have. What kind of employer each is comes from demo.employers; a few unions were
dissolved (已撤销) or merged into another (已合并) since 2021."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from federation.demo.names import mobile, person_name
from federation.demo.tiers import Calendar, add_days, day_between, share, write
from federation.demo.tree import UNION_WEIGHT, FederationPlan
from unions.choices import ENTERPRISE_NATURES, EmployerNature, UnionStatus, UnionType
from unions.demo.elections import plan_elections
from unions.demo.employers import (
    ECONOMIC_TYPE,
    FORCED,
    MIGRANT_SHARE,
    NATURE_MIX,
    PUBLIC_NATURES,
    WOMEN_SHARE,
    Employers,
)
from unions.models import Election, GrassrootsUnion, add_years

JOINT_SHARE = {"town": 0.1, "street": 0.12, "street_root": 0.12, "community": 0.15, "park": 0.05}


@dataclass(eq=False)  # compared by identity
class UnionPlan:
    obj: GrassrootsUnion
    fed: FederationPlan
    size: int  # members it has today (or had when it closed)
    chair: tuple  # (name, gender, birth year)
    women_share: float
    migrant_share: float
    absorber: UnionPlan | None = None  # the union a merged one went into
    elections: list = field(default_factory=list)
    employees: dict = field(default_factory=dict)  # year -> 职工人数, filled by demo.membership
    women: dict = field(default_factory=dict)

    @property
    def pk(self) -> int:
        return self.obj.pk

    @property
    def active(self) -> bool:
        return self.obj.status == UnionStatus.ACTIVE

    @property
    def closed_on(self) -> dt.date | None:
        return self.obj.status_changed_on

    def exists_on(self, day: dt.date) -> bool:
        return self.obj.established_on <= day and (self.active or day < self.obj.status_changed_on)

    @property
    def is_enterprise(self) -> bool:
        return self.obj.employer_nature in ENTERPRISE_NATURES


def _established(rng: random.Random, cal: Calendar, nature: str) -> dt.date:
    if nature in PUBLIC_NATURES:
        return day_between(rng, dt.date(1980, 1, 1), dt.date(2015, 12, 31))
    if rng.random() < 0.15:  # about 2.5 % of unions founded each year
        return day_between(rng, dt.date(2021, 1, 1), add_days(cal.today, -20))
    # Older unions, more of them founded in recent years.
    return day_between(rng, dt.date(1996 + int(rng.triangular(0, 24, 20)), 1, 1), dt.date(2020, 12, 31))


def _union(rng: random.Random, cal: Calendar, employers: Employers, fed: FederationPlan, forced: list):
    """A union and its size before scaling to the tier. `forced` lists the natures (and a joint
    union) that the first unions must have, so that even tier S shows every category."""
    union_type, covered = UnionType.INDEPENDENT, 1
    if forced and forced[0] != "joint":
        nature, industry = forced.pop(0)
        employer, name, nature, industry = employers.name(fed, nature, industry)
    elif fed.kind in JOINT_SHARE and (forced or rng.random() < JOINT_SHARE[fed.kind]):
        forced.clear()
        union_type = UnionType.JOINT
        employer, name, covered, industry = employers.joint(fed)
        nature = EmployerNature.PRIVATE if rng.random() < 0.75 else EmployerNature.OTHER_ORGANISATION
    else:
        nature = NATURE_MIX[fed.kind](rng)
        employer, name, nature, industry = employers.name(fed, nature, employers.industry(fed, nature))
    established = _established(rng, cal, nature)
    chair_gender = "F" if rng.random() < 0.3 else "M"
    chair_name = person_name(rng, chair_gender, rng.randint(1966, 1990))
    joint = union_type == UnionType.JOINT
    obj = GrassrootsUnion(
        federation=fed.obj,
        name=name,
        employer_name=employer,
        credit_code=None if joint else employers.credit_code(nature, fed.place, established),
        union_type=union_type,
        covered_employers=covered,
        employer_nature=nature,
        economic_type=ECONOMIC_TYPE[nature],
        industry=industry,
        area=fed.place.area,
        address=fed.place.address(rng),
        established_on=established,
        chair_name=chair_name,
        chair_phone=mobile(rng),
        term_years=5 if rng.random() < 0.65 else 3,
    )
    plan = UnionPlan(
        obj=obj,
        fed=fed,
        size=0,
        chair=(chair_name, chair_gender, rng.randint(1966, 1990)),
        # The trade's share of women, drawn towards the 45 % of the whole workforce.
        women_share=min(0.85, max(0.1, rng.gauss(0.6 * WOMEN_SHARE.get(industry, 0.45) + 0.18, 0.06))),
        migrant_share=0.0
        if nature in PUBLIC_NATURES
        else min(0.9, max(0.0, rng.gauss(MIGRANT_SHARE.get(industry, 0.2), 0.1))),
    )
    return plan, employers.raw_size(nature, industry, fed, covered if joint else 0)


def plan_unions(rng: random.Random, cal: Calendar, feds: list[FederationPlan], total: int, members: int):
    """`total` unions shared among the federations by kind, sized so that the active ones have
    `members` members today."""
    employers = Employers(rng)
    forced = [*FORCED, "joint"]
    plans, raw = [], []
    for fed, count in zip(feds, share(total, [UNION_WEIGHT[f.kind] for f in feds]), strict=True):
        for _ in range(count):
            plan, size = _union(rng, cal, employers, fed, forced)
            fed.unions.append(plan)
            plans.append(plan)
            raw.append(size)
    _close_some(rng, cal, feds)
    # Members of a merged union moved to its host, and some of a dissolved one's to other unions.
    moved = {UnionStatus.ACTIVE: 1.0, UnionStatus.MERGED: 1.0, UnionStatus.DISSOLVED: 0.15}
    factor = members / (sum(r * moved[p.obj.status] for p, r in zip(plans, raw, strict=True)) or 1)
    for plan, size in zip(plans, raw, strict=True):
        plan.size = max(3, round(size * factor))
        _staff_and_flags(rng, plan.obj, plan.size)
    for plan in plans:
        plan_elections(rng, cal, plan)
    # However few unions there are, one is overdue for 换届 and one is due within 90 days.
    settled = [p for p in plans if p.active and p.obj.established_on < add_years(cal.today, -6)]
    active = [p.obj for p in plans if p.active]
    if settled and not any(u.election_due_on < cal.today for u in active):
        plan_elections(rng, cal, rng.choice(settled), draw=0.0)
    if settled and not any(cal.today <= u.election_due_on <= add_days(cal.today, 90) for u in active):
        plan_elections(rng, cal, rng.choice(settled), draw=0.1)
    return plans


def _close_some(rng: random.Random, cal: Calendar, feds: list[FederationPlan]) -> None:
    """About 3 % of unions dissolved (已撤销) and 1.5 % merged (已合并) since 2021 — at least one each."""
    candidates = [
        u
        for f in feds
        for u in f.unions
        if u.is_enterprise
        and u.obj.established_on < add_days(cal.today, -500)
        and u.obj.union_type == UnionType.INDEPENDENT
    ]
    rng.shuffle(candidates)
    dissolve = max(1, round(len(candidates) * 0.03))
    merge = max(1, round(len(candidates) * 0.015))
    closing = candidates[: dissolve + merge]
    closing_ids = {id(plan) for plan in closing}
    for plan in closing:
        union = plan.obj
        first = max(add_years(union.established_on, 1), dt.date(2021, 1, 1))
        union.status_changed_on = day_between(rng, first, add_days(cal.today, -30))
        union.status = UnionStatus.DISSOLVED
        if merge > 0:
            hosts = [
                u
                for u in plan.fed.unions
                if u is not plan
                and u.is_enterprise
                and u.obj.established_on < union.status_changed_on
                and u.obj.status == UnionStatus.ACTIVE
                and id(u) not in closing_ids
            ]
            if hosts:
                plan.absorber = rng.choice(hosts)
                union.status = UnionStatus.MERGED
                merge -= 1


def _staff_and_flags(rng: random.Random, union: GrassrootsUnion, size: int) -> None:
    union.full_time_chair = rng.random() < (0.7 if size >= 500 else 0.3 if size >= 200 else 0.03)
    union.full_time_staff = rng.randint(1, 2 + size // 400) if union.full_time_chair else 0
    union.part_time_staff = min(25, rng.randint(1, 3 + size // 60))
    big = size >= 100
    union.has_women_committee = rng.random() < (0.92 if size >= 25 else 0.35)
    union.has_mediation_committee = rng.random() < (0.75 if big else 0.25)
    union.has_audit_committee = rng.random() < 0.85
    union.has_labour_supervision = rng.random() < (0.7 if big else 0.4)
    union.has_workers_congress = rng.random() < (0.92 if big else 0.55)
    union.has_open_affairs = rng.random() < (0.9 if big else 0.5)


def write_unions(plans: list[UnionPlan]) -> tuple[int, int]:
    write(GrassrootsUnion, [p.obj for p in plans])
    elections = [e for p in plans for e in p.elections]
    for plan in plans:
        for election in plan.elections:
            election.union_id = plan.obj.pk
    write(Election, elections)
    for plan in plans:
        plan.elections = []  # written; at city scale they are worth the memory
    return len(plans), len(elections)
