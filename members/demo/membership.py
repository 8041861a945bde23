"""What happened to members after they joined: leaving (退会, 除名, 去世, 转出 out of the deployment),
保留会籍, transfers between unions (会籍转接, with both history entries), open transfer requests —
and, from those timelines, each union's employees by year (UnionYear).

Every member's status is the result of its MembershipChange entries, written in date order.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from federation.demo.tiers import Calendar, Weighted, add_days, day_between, new, write
from members.choices import (
    STATUS_AFTER_CHANGE,
    ChangeReason,
    ChangeType,
    EmploymentStatus,
    MembershipStatus,
    TransferStatus,
)
from members.demo.members import Person
from members.models import MembershipChange, MembershipTransfer
from unions.choices import UnionStatus
from unions.demo.survey import survey_inputs
from unions.demo.unions import UnionPlan
from unions.models import UnionYear

CT, R = ChangeType, ChangeReason
LEAVE_KIND = Weighted({CT.WITHDRAW: 45, CT.TRANSFER_OUT: 43, CT.EXPEL: 4, CT.DEATH: 8})
LEAVE_REASON = {
    CT.WITHDRAW: Weighted(
        {R.PERSONAL: 45, R.LABOUR_RELATION: 35, R.UNEMPLOYED: 10, R.LAID_OFF: 5, R.OTHER: 5}
    ),
    CT.TRANSFER_OUT: Weighted({R.LABOUR_RELATION: 85, R.BANKRUPTCY: 5, R.OTHER: 10}),
    CT.EXPEL: Weighted({R.CRIME: 60, R.OTHER: 40}),
}
NOTES = {
    (CT.TRANSFER_OUT, R.LABOUR_RELATION): ("调往外地工作，会籍转往当地工会", "解除劳动合同后赴外地就业"),
    (CT.TRANSFER_OUT, R.OTHER): ("随家属迁居外省",),
    (CT.EXPEL, R.OTHER): ("连续六个月不缴纳会费、不参加工会组织生活，经教育拒不改正",),
    (CT.DEATH, ""): ("因病去世", "因病医治无效去世", "意外身故"),
    (CT.RESERVE, R.OTHER): ("长期病休，保留会籍",),
}
RESERVE_REASON = Weighted({R.LAID_OFF: 45, R.UNEMPLOYED: 35, R.BANKRUPTCY: 10, R.OTHER: 10})
TRANSFER_REASONS = ("工作调动", "劳动关系变化，入职新单位", "本人申请，随岗位调整转入")
RESERVED_EMPLOYMENT = {R.LAID_OFF: EmploymentStatus.LAID_OFF, R.OTHER: EmploymentStatus.SICK_LEAVE}
HISTORY_START = dt.date(2021, 1, 1)


class Timelines:
    def __init__(self, rng: random.Random, cal: Calendar, *, staff=None):
        self.rng = rng
        self.cal = cal
        self.staff_id = staff.pk if staff else None  # who requested, approved and accepted transfers

    def _after_joining(self, person: Person, min_days: int, first: dt.date | None = None) -> dt.date | None:
        start = max(add_days(person.m.joined_on, min_days), first or HISTORY_START)
        end = add_days(self.cal.today, -1)
        if person.first_union.closed_on:
            end = min(end, add_days(person.first_union.closed_on, -1))
        return day_between(self.rng, start, end) if start <= end else None

    def _destination(self, plans: list[UnionPlan], home: UnionPlan, day: dt.date) -> UnionPlan | None:
        rng = self.rng
        nearby = home.fed.unions if rng.random() < 0.5 else plans
        for _ in range(8):
            union = rng.choice(nearby)
            if union is not home and union.active and union.obj.established_on < day:
                return union
        return None

    def plan(self, people: list[Person], plans: list[UnionPlan]) -> None:
        """Give some people one event after joining, then settle everyone still in a union that closed."""
        rng = self.rng
        for person in people:
            if person.chair or person.events:
                continue
            # Those who joined before the ledger began had more years in which to leave.
            draw = rng.random() / (1.0 if person.m.joined_on < HISTORY_START else 0.5)
            if draw < 0.15:
                day = self._after_joining(person, 60)
                if day:
                    kind = LEAVE_KIND(rng)
                    reason = LEAVE_REASON[kind](rng) if kind in LEAVE_REASON else ""
                    person.events.append((day, kind, reason, None, ""))
            elif draw < 0.18:
                day = self._after_joining(person, 120)
                to = day and self._destination(plans, person.first_union, day)
                if to:
                    person.events.append(
                        (day, CT.TRANSFER_OUT, R.LABOUR_RELATION, to, rng.choice(TRANSFER_REASONS))
                    )
            elif draw < 0.195:
                day = self._after_joining(person, 180)
                if day:
                    person.events.append((day, CT.RESERVE, RESERVE_REASON(rng), None, ""))
        for person in people:
            union = person.first_union
            if union.closed_on and not any(e[1] != CT.RESERVE for e in person.events):
                person.events.append(self._closing_event(person, union, plans))

    def _closing_event(self, person: Person, union: UnionPlan, plans: list[UnionPlan]) -> tuple:
        day, rng = union.closed_on, self.rng
        if union.obj.status == UnionStatus.MERGED:
            return (day, CT.TRANSFER_OUT, R.LABOUR_RELATION, union.absorber, "单位合并，会员整体转入")
        draw = rng.random()
        to = self._destination(plans, union, day) if draw < 0.15 else None
        if to:
            return (day, CT.TRANSFER_OUT, R.BANKRUPTCY, to, "原单位注销，入职新单位后转入")
        if draw < 0.45:
            return (day, CT.TRANSFER_OUT, R.BANKRUPTCY, None, "原单位注销，会籍转往新就业地工会")
        return (day, CT.WITHDRAW, R.BANKRUPTCY if rng.random() < 0.7 else R.LABOUR_RELATION, None, "")

    def apply(self, people: list[Person]) -> tuple[list, list]:
        """Set status, left_on and the current union from the events; return the transfers and the
        changes, each with its person (and transfer), to be given their keys when written."""
        transfers, changes = [], []

        def change(person, transfer=None, **fields):
            changes.append((person, transfer, new(MembershipChange, **fields)))

        for person in people:
            m = person.m
            change(person, union_id=person.first_union.pk, change_type=CT.JOIN, changed_on=m.joined_on)
            for day, kind, reason, to, notes in sorted(person.events, key=lambda e: e[0]):
                here = person.union
                if to is not None:  # 会籍转接: both entries on the day the new union accepts
                    transfer = self._transfer(person, here, to, day, notes)
                    transfers.append((person, transfer))
                    change(person, transfer, union_id=here.pk, change_type=CT.TRANSFER_OUT, changed_on=day,
                           reason=reason, counterpart_union_id=to.pk)  # fmt: skip
                    change(person, transfer, union_id=to.pk, change_type=CT.TRANSFER_IN, changed_on=day,
                           counterpart_union_id=here.pk)  # fmt: skip
                    person.union, m.union_id, m.status = to, to.pk, MembershipStatus.ACTIVE
                    if m.employment_status in (EmploymentStatus.LAID_OFF, EmploymentStatus.UNEMPLOYED):
                        m.employment_status = EmploymentStatus.ON_DUTY
                    continue
                notes = notes or self.rng.choice(NOTES.get((kind, reason), ("",)))
                change(person, union_id=here.pk, change_type=kind, changed_on=day, reason=reason, notes=notes)
                m.status = STATUS_AFTER_CHANGE[kind]
                if kind == CT.RESERVE:
                    m.employment_status = RESERVED_EMPLOYMENT.get(reason, EmploymentStatus.UNEMPLOYED)
                else:
                    m.left_on = day
        return transfers, changes

    def _transfer(self, person: Person, here: UnionPlan, to: UnionPlan, day: dt.date, reason: str):
        rng = self.rng
        requested = max(add_days(day, -rng.randint(3, 25)), person.m.joined_on)
        approved = min(day, add_days(requested, rng.randint(1, 7)))
        return new(
            MembershipTransfer,
            from_union_id=here.pk,
            to_union_id=to.pk,
            status=TransferStatus.ACCEPTED,
            reason=reason,
            requested_on=requested,
            requested_by_id=self.staff_id,
            approved_on=approved,
            approved_by_id=self.staff_id,
            accepted_on=day,
            accepted_by_id=self.staff_id,
        )

    def open_requests(self, people: list[Person], count: int) -> list:
        """A handful of transfers still waiting (待转出审批 / 待转入接收), and a few refused or cancelled."""
        rng, today = self.rng, self.cal.today
        candidates = [
            p
            for p in people
            if p.m.status == MembershipStatus.ACTIVE and not p.events and p.union.active and not p.m.is_cadre
        ]
        requests = []
        for person in rng.sample(candidates, min(count + count // 3, len(candidates))):
            to = self._destination([u for u in person.union.fed.unions if u.active], person.union, today)
            if to is None:
                continue
            requested = day_between(rng, add_days(today, -40), add_days(today, -1))
            transfer = new(
                MembershipTransfer,
                from_union_id=person.union.pk,
                to_union_id=to.pk,
                reason=rng.choice(TRANSFER_REASONS),
                requested_on=requested,
                requested_by_id=self.staff_id,
            )
            if len(requests) >= count:  # the rest were turned down or withdrawn earlier
                transfer.requested_on = day_between(
                    rng, max(person.m.joined_on, dt.date(2022, 1, 1)), add_days(today, -60)
                )
                if rng.random() < 0.5:
                    transfer.status = TransferStatus.REFUSED
                    transfer.closing_reason = "经核实，该会员与本单位尚未建立劳动关系"
                    transfer.closed_by_id = self.staff_id
                else:
                    transfer.status = TransferStatus.CANCELLED
                    transfer.closing_reason = "本人撤回转接申请"
                    transfer.closed_by_id = self.staff_id
            elif len(requests) % 2:  # every other one already approved by the union it leaves
                transfer.status = TransferStatus.APPROVED
                transfer.approved_on = day_between(rng, add_days(requested, 1), today)
                transfer.approved_by_id = self.staff_id
            requests.append((person, transfer))
        return requests


def write_timelines(transfers: list, changes: list) -> tuple[int, int]:
    for person, transfer in transfers:
        transfer.member_id = person.m.pk
    write(MembershipTransfer, [t for _p, t in transfers])
    for person, transfer, change in changes:
        change.member_id = person.m.pk
        change.transfer_id = transfer.pk if transfer else None
    write(MembershipChange, [c for _p, _t, c in changes])
    return len(transfers), len(changes)


def union_years(rng: random.Random, cal: Calendar, plans: list[UnionPlan], people: list[Person]) -> list:
    """UnionYear of every union for every year it existed: employees at least the live members on the
    last day of the year (or of its life) and on 30 September (the end of the statistical year, whose
    return checks members against employees), women and migrant workers within the total."""
    refs, septembers = {}, {}
    for plan in plans:
        years, ends = {}, {}
        for year in cal.years:
            day = cal.year_end(year)
            if plan.closed_on and plan.closed_on <= day:
                day = add_days(plan.closed_on, -1)
            if plan.obj.established_on <= day and day.year == year:
                years[year] = day
            september = dt.date(year, 9, 30)
            if plan.obj.established_on <= september and not (plan.closed_on and plan.closed_on <= september):
                ends[year] = september
        refs[plan.pk], septembers[plan.pk] = years, ends
    in_september: dict[tuple, int] = {}
    counts: dict[tuple, list] = {}
    for person in people:
        m = person.m
        segments, start, union = [], m.joined_on, person.first_union
        for day, kind, _reason, to, _notes in sorted(person.events, key=lambda e: e[0]):
            if to is not None:
                segments.append((union, start, day))
                union, start = to, day
            elif kind != CT.RESERVE:
                segments.append((union, start, day))
                union = None
                break
        if union is not None:
            segments.append((union, start, None))
        for union, start, end in segments:
            for year, day in refs[union.pk].items():
                if start <= day and (end is None or end > day):
                    row = counts.setdefault((union.pk, year), [0, 0, 0])
                    row[0] += 1
                    row[1] += m.gender == "F"
                    row[2] += m.is_migrant_worker
            for year, day in septembers[union.pk].items():
                if start <= day and (end is None or end > day):
                    in_september[(union.pk, year)] = in_september.get((union.pk, year), 0) + 1
    rows = []
    for plan in plans:
        rate = rng.uniform(0.82, 0.97)
        for year in refs[plan.pk]:
            live, women, migrants = counts.get((plan.pk, year), (0, 0, 0))
            employees = max(
                live + rng.randint(0, 2), math.ceil(live / min(0.99, rate + 0.004 * (year - 2021)))
            )
            employees = max(employees, 3, in_september.get((plan.pk, year), 0))
            women_employees = min(employees, max(women, round(employees * plan.women_share)))
            migrant_employees = min(employees, max(migrants, round(employees * plan.migrant_share)))
            plan.employees[year] = employees
            plan.women[year] = women_employees
            rows.append(
                new(
                    UnionYear,
                    union_id=plan.pk,
                    year=year,
                    employees=employees,
                    women_employees=women_employees,
                    migrant_employees=migrant_employees,
                    **survey_inputs(plan.obj, year, employees, live, plan.women_share),
                )
            )
    write(UnionYear, rows)
    return rows
