"""Aid records (帮扶记录): what a hardship case receives while it is open — 送温暖 before the Spring
Festival, 生活/医疗救助, 金秋助学 in August and September, 就业帮扶, 法律援助 — and festival visits to
ordinary members, which make up the rest of the tier's aid."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from federation.demo.tiers import (
    MID_AUTUMN,
    SPRING_FESTIVAL,
    Calendar,
    add_days,
    day_between,
    money,
    new,
    share,
    weights,
)
from members.choices import AidKind, HardshipCategory, HardshipCause, HealthStatus
from members.demo.members import Person
from members.models import AidRecord

Kind, Cat, Cause = AidKind, HardshipCategory, HardshipCause
FUND = {
    Kind.FESTIVAL: weights("upper_union 55 own_funds 30 donation 8 enterprise 7"),
    Kind.EDUCATION: weights("upper_union 60 donation 25 own_funds 10 enterprise 5"),
    Kind.MEDICAL: weights("upper_union 50 own_funds 30 donation 15 enterprise 5"),
    "other": weights("own_funds 50 upper_union 30 enterprise 15 donation 5"),
    "visit": weights("own_funds 60 enterprise 30 upper_union 10"),
}
# The chance a case gets each kind of aid in a year (when it applies to the case).
CASE_AID_CHANCE = (
    (Kind.FESTIVAL, 0.85),
    (Kind.LIVING, 0.35),
    (Kind.MEDICAL, 0.5),
    (Kind.EDUCATION, 0.8),
    (Kind.EMPLOYMENT, 0.4),
    (Kind.LEGAL, 0.04),
    (Kind.OTHER, 0.06),
)
CASE_AID_PER_YEAR = 1.35  # aid records per case-year at factor 1 (measured; see AidBuilder.case_aid)


class AidBuilder:
    def __init__(
        self, rng: random.Random, cal: Calendar, *, per_member: float, visit_share: float, case_factor: float
    ):
        self.rng, self.cal = rng, cal
        self.per_member = per_member  # the tier's aid records per live member
        self.visit_share = visit_share  # the least share of them given as festival visits
        self.case_factor = case_factor  # how much more (or less) often than usual cases get aid

    def _aid(self, person: Person, kind: str, year: int) -> dict | None:
        """One aid of `kind` for a case in `year` (date, amounts, notes), or None where the case
        would not get that kind."""
        rng, case = self.rng, person.case
        between = day_between
        if kind == Kind.FESTIVAL:
            deep = case.category == Cat.DEEP
            return dict(
                aid_on=add_days(SPRING_FESTIVAL[year], -rng.randint(3, 25)),
                notes="春节送温暖慰问",
                amount=money(rng, 800, 2000, 100) if deep else money(rng, 500, 1200, 100),
                goods_description="大米、食用油",
                goods_value=money(rng, 150, 300, 10),
            )
        if kind == Kind.LIVING:
            return dict(
                aid_on=between(rng, dt.date(year, 3, 1), dt.date(year, 12, 20)),
                amount=money(rng, 1000, 5000, 100),
            )
        if kind == Kind.MEDICAL and case.health_status in (HealthStatus.SERIOUS, HealthStatus.DISABLED):
            return dict(
                aid_on=between(rng, dt.date(year, 1, 1), dt.date(year, 12, 20)),
                amount=money(rng, 2000, 20000, 500),
                notes="大病医疗救助",
            )
        if kind == Kind.EDUCATION and case._students:
            return dict(
                aid_on=between(rng, dt.date(year, 8, 10), dt.date(year, 9, 25)),
                notes="金秋助学",
                amount=money(rng, 1000, 3000, 500) * case._students,
                students_helped=case._students,
            )
        if kind == Kind.EMPLOYMENT and case.primary_cause in (Cause.LAID_OFF, Cause.ABLE_UNEMPLOYED):
            return dict(
                aid_on=between(rng, dt.date(year, 3, 1), dt.date(year, 11, 30)),
                goods_description="推荐就业岗位并承担职业技能培训费",
                goods_value=money(rng, 300, 1500, 100),
            )
        if kind == Kind.LEGAL:
            return dict(
                aid_on=between(rng, dt.date(year, 1, 1), dt.date(year, 12, 20)),
                goods_description="工会法律援助律师代理劳动争议仲裁",
                goods_value=money(rng, 1500, 3000, 100),
            )
        if kind == Kind.OTHER:
            return dict(
                aid_on=add_days(MID_AUTUMN[year], -rng.randint(1, 10)),
                goods_description="中秋慰问月饼、水果",
                goods_value=money(rng, 100, 300, 10),
            )
        return None

    def _record(self, person: Person, kind: str, fields: dict) -> AidRecord:
        union = person.union
        return new(
            AidRecord,
            member_id=person.m.pk,
            hardship_case_id=person.case.pk,
            union_id=union.pk,
            kind=kind,
            fund_source=FUND.get(kind, FUND["other"])(self.rng),
            handled_by=union.chair[0],
            **fields,
        )

    def case_aid(self, person: Person) -> list[AidRecord]:
        """What a case receives year by year while it is open."""
        case, rng = person.case, self.rng
        end = case.closed_on or self.cal.today
        records = []
        for year in range(case.opened_on.year, end.year + 1):
            for kind, chance in CASE_AID_CHANCE:
                if rng.random() < chance * self.case_factor:
                    fields = self._aid(person, kind, year)
                    if fields and case.opened_on <= fields["aid_on"] <= end:
                        records.append(self._record(person, kind, fields))
        return records

    def one(self, people: list[Person], kind: str) -> AidRecord | None:
        """One aid of `kind` to one of these cases — for a demo that must show every kind."""
        for person in self.rng.sample(people, len(people)):
            case = person.case
            end = case.closed_on or self.cal.today
            for year in range(case.opened_on.year, end.year + 1):
                fields = self._aid(person, kind, year)
                if fields and case.opened_on <= fields["aid_on"] <= end:
                    return self._record(person, kind, fields)
        return None

    def visits(self, people: list[Person], count: int) -> list[AidRecord]:
        """送温暖 to ordinary members: `count` visits before the Spring Festivals (a tenth at 中秋),
        shared among the unions by their size."""
        rng, today = self.rng, self.cal.today
        by_union: dict = {}
        for p in people:
            if p.union is p.first_union and p.case is None:
                by_union.setdefault(p.union.pk, []).append(p)
        slots = [(members, year) for members in by_union.values() for year in self.cal.years]
        records = []
        for (members, year), n in zip(slots, share(count, [len(m) for m, _y in slots]), strict=True):
            union = members[0].union
            for _ in range(n):
                autumn = rng.random() < 0.1
                base = MID_AUTUMN[year] if autumn else SPRING_FESTIVAL[year]
                day = add_days(base, -rng.randint(1, 10 if autumn else 25))
                if day > today:
                    continue
                for _try in range(6):  # someone who was a member that day
                    m = rng.choice(members).m
                    if m.joined_on <= day and not (m.left_on and m.left_on <= day):
                        break
                else:
                    continue
                cash = rng.random() < 0.6
                goods = ("月饼、水果",) if autumn else ("大米、食用油", "米面油慰问品")
                records.append(
                    new(
                        AidRecord,
                        member_id=m.pk,
                        union_id=union.pk,
                        aid_on=day,
                        kind=Kind.FESTIVAL,
                        amount=money(rng, 200, 500, 50) if cash else Decimal("0.00"),
                        goods_description="" if cash else rng.choice(goods),
                        goods_value=Decimal("0.00") if cash else money(rng, 150, 300, 10),
                        fund_source=FUND["visit"](rng),
                        handled_by=union.chair[0],
                        notes="中秋节慰问"
                        if autumn
                        else rng.choice(("春节慰问一线职工", "慰问节日坚守岗位职工", "慰问生病住院职工")),
                    )
                )
        return records
