"""Help for workers in hardship (帮扶): hardship cases (困难职工档案) with their household, 初审/终审
and yearly 复核 reviews, and closing (解困脱困 or 退出); the aid they receive is demo.aid.

A case's figures are drawn for the category it should fall in, against the local 低保 standard of
its federation in the year it was opened, so that members.models.suggest_category() agrees with it;
a few cases carry a category the staff chose over the suggestion, with the reason.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from federation.demo.names import given_name, person_name, surname_of
from federation.demo.tiers import Calendar, Weighted, add_days, day_between, money, new, weights, write
from members.choices import (
    AidKind,
    CaseStatus,
    DisabilityGrade,
    HardshipCategory,
    HardshipCause,
    HealthStatus,
    MembershipStatus,
    ReviewKind,
)
from members.demo.aid import AidBuilder
from members.demo.members import Person
from members.models import AidRecord, CaseReview, HardshipCase, HouseholdMember
from members.models.hardship import monthly_income_per_head, suggest_category

Cat, Cause = HardshipCategory, HardshipCause
CATEGORY = weights("deep 35 relative 50 accident 15")
CAUSES = {
    Cat.DEEP: weights(
        "no_work_capacity 20 serious_illness 30 laid_off 20 able_unemployed 10 no_social_insurance 5 "
        "schooling 10 other 5"
    ),
    Cat.RELATIVE: weights(
        "schooling 30 serious_illness 20 insurance_shortfall 15 laid_off 15 no_social_insurance 8 "
        "able_unemployed 7 other 5"
    ),
    Cat.ACCIDENT: weights("accident 45 serious_illness 35 natural_disaster 20"),
}
# The first cases of a demo show every cause and category once.
FORCED = [
    tuple(pair.split(":"))
    for pair in (
        "deep:no_work_capacity relative:able_unemployed deep:laid_off relative:no_social_insurance "
        "relative:insurance_shortfall accident:serious_illness accident:natural_disaster accident:accident "
        "relative:schooling deep:other"
    ).split()
]
OVERRIDE_REASON = {
    Cat.DEEP: "经入户走访核实，家庭实际刚性支出远高于申报，按深度困难职工管理",
    Cat.RELATIVE: "家庭已纳入政府低保并享受其他救助，按相对困难职工管理",
}
HOUSING = weights("own 55 public_rental 15 rented 22 relatives 6 none 2")
HOUSEHOLD_SIZE = Weighted({1: 8, 2: 20, 3: 40, 4: 22, 5: 8, 6: 2})
PER_HEAD = {Cat.DEEP: (0.35, 0.95), Cat.RELATIVE: (1.05, 1.9), Cat.ACCIDENT: (2.1, 3.5)}
CAUSE_TEXT = {
    Cause.NO_WORK_CAPACITY: "本人因病致残，基本丧失劳动能力",
    Cause.ABLE_UNEMPLOYED: "配偶有劳动能力但长期未能就业",
    Cause.LAID_OFF: "本人所在岗位裁撤后待岗，收入大幅减少",
    Cause.NO_SOCIAL_INSURANCE: "配偶长期灵活就业，未参加社会保险",
    Cause.INSURANCE_SHORTFALL: "家人医疗费用报销比例低，社保待遇不到位",
    Cause.SERIOUS_ILLNESS: "家庭成员患重大疾病，长期治疗",
    Cause.NATURAL_DISASTER: "住房在暴雨洪涝中严重受损",
    Cause.ACCIDENT: "本人在交通事故中受伤，治疗费用高",
    Cause.SCHOOLING: "子女上学费用负担重",
    Cause.OTHER: "单亲家庭，独自抚养子女",
}
SCHOOLS = ("{county}实验小学", "{county}第二中学", "{county}中等专业学校", "江州职业技术学院", "江州大学")
ADULT_WORK = ("务农", "灵活就业", "个体经营", "物业保洁员", "超市营业员", "无业", "退休")
LEDGER_START = dt.date(2021, 1, 4)
CLOSE_REASONS = {
    CaseStatus.RESOLVED: (
        "家庭收入稳定增长，经复核已解困脱困",
        "本人实现再就业，家庭月人均收入超过低保标准2倍",
        "子女毕业参加工作，家庭收入明显改善",
    ),
    CaseStatus.EXITED: (
        "经复核不再符合建档条件",
        "本人申请退出困难职工档案",
        "家庭成员享受其他救助政策，退出工会帮扶",
    ),
}
HEALTH_OF_CAUSE = {Cause.SERIOUS_ILLNESS: HealthStatus.SERIOUS, Cause.NO_WORK_CAPACITY: HealthStatus.DISABLED}


class CaseBuilder:
    def __init__(self, rng: random.Random, cal: Calendar, *, per_member: float, staff=None, cadre=None):
        self.rng, self.cal = rng, cal
        self.cases_per_member = per_member
        self.staff, self.cadre = staff, cadre
        self.staff_id = staff.pk if staff else None
        self.forced = list(FORCED)
        self.stale_made = False

    def cases(self, people: list[Person]) -> list[Person]:
        rng, today = self.rng, self.cal.today
        eligible = [
            p
            for p in people
            if p.live
            and p.union is p.first_union
            and p.union.active
            and p.m.joined_on < add_days(today, -200)
        ]
        # Exactly this group's share of the tier's cases, drawn by weight without replacement
        # (Efraimidis–Spirakis: the largest u ** (1 / weight) win).
        count = min(len(eligible), round(self.cases_per_member * sum(1 for p in people if p.live)))
        keys = [rng.random() ** (1 / self._weight(p)) for p in eligible]
        top = sorted(range(len(eligible)), key=keys.__getitem__, reverse=True)[:count]
        chosen = [eligible[i] for i in sorted(top)]
        for person in chosen:
            person.case = self._case(person)
        return chosen

    def _first_day(self, p: Person) -> dt.date:
        """The first day a case could be opened: the ledger began in 2021, and a member who was
        put on 保留会籍 usually fell into hardship then."""
        first = max(add_days(p.m.joined_on, 90), LEDGER_START)
        reserve = [e[0] for e in p.events if e[1] == "reserve"]
        return max(first, reserve[0]) if reserve else first

    def _weight(self, p: Person) -> float:
        # Hardship strikes at a steady rate a year: the longer a member could have had a case, the
        # likelier one is.
        years = max(0.1, (self.cal.today - self._first_day(p)).days / 365)
        weight = years * (6.0 if p.m.status == MembershipStatus.RESERVED else 1.0)
        if p.m.is_migrant_worker:
            weight *= 1.5
        if p.m.employment_status == "sick_leave":
            weight *= 4
        return weight

    def _case(self, person: Person) -> HardshipCase:
        rng, m, today = self.rng, person.m, self.cal.today
        if self.forced:
            category, cause = self.forced.pop(0)
        else:
            category = CATEGORY(rng)
            cause = CAUSES[category](rng)
            if m.status == MembershipStatus.RESERVED and category != Cat.ACCIDENT:
                cause = Cause.LAID_OFF
        first = self._first_day(person)
        if first == LEDGER_START and rng.random() < 0.25:
            # The cases already on paper were entered when the ledger was set up.
            opened = day_between(rng, LEDGER_START, dt.date(2021, 3, 31))
        else:
            opened = day_between(rng, first, add_days(today, -20))
        standard = person.union.fed.min_living_standard(opened.year)
        size = HOUSEHOLD_SIZE(rng)
        spouse = size > 1 and rng.random() < 0.85
        students = rng.randint(1, 2) if cause == Cause.SCHOOLING else int(size >= 3 and rng.random() < 0.35)
        students = min(students, size - 1 - spouse)  # children at school live in the household
        ill = cause in (Cause.SERIOUS_ILLNESS, Cause.NO_WORK_CAPACITY, Cause.ACCIDENT)
        medical = money(rng, 8000, 60000, 100) if ill else money(rng, 0, 3000, 100)
        schooling = money(rng, 2000, 12000, 100) * students if students else Decimal("0.00")
        low, high = PER_HEAD[category]
        per_head = Decimal(rng.uniform(low, high)) * standard
        income = (per_head * 12 * size + medical + schooling).quantize(Decimal("1")) + Decimal("0.00")
        accident = Decimal("0.00")
        if category == Cat.ACCIDENT:
            accident = (income * Decimal(rng.uniform(0.9, 2.0))).quantize(Decimal("100")) + Decimal("0.00")
        suggested = (
            suggest_category(
                annual_income=income,
                rigid_expenses=medical + schooling,
                household_size=size,
                accident_costs=accident,
                min_living_standard=standard,
            )
            or ""
        )
        chosen, override = suggested or category, ""
        if suggested in (Cat.DEEP, Cat.RELATIVE) and rng.random() < 0.04:
            # Staff sometimes know better than the figures; the reason is kept.
            chosen = Cat.DEEP if suggested == Cat.RELATIVE else Cat.RELATIVE
            override = OVERRIDE_REASON[chosen]
        health = HEALTH_OF_CAUSE.get(cause) or (
            HealthStatus.CHRONIC if rng.random() < 0.3 else HealthStatus.HEALTHY
        )
        disability = DisabilityGrade.NONE
        if health == HealthStatus.DISABLED:
            disability = rng.choice(DisabilityGrade.values[1:])
        secondary = rng.sample([c for c in Cause.values if c != cause], rng.choice((0, 1, 1, 2, 3)))
        age = today.year - m.birth_date.year
        case = new(
            HardshipCase,
            member_id=m.pk,
            union_id=person.union.pk,
            category=chosen,
            suggested_category=suggested,
            category_override_reason=override,
            primary_cause=cause,
            secondary_causes=secondary,
            health_status=health,
            disability_grade=disability,
            housing=HOUSING(rng),
            household_size=size,
            annual_household_income=income,
            rigid_medical=medical,
            rigid_schooling=schooling,
            accident_costs=accident,
            opened_on=opened,
            created_by_id=self.staff_id,
            description=f"{m.name}，{age}岁，{m.job}。{CAUSE_TEXT[cause]}。家庭{size}口人，家庭年收入约{int(income)}元。",
        )
        case.monthly_income_per_head = monthly_income_per_head(
            annual_income=income, rigid_expenses=medical + schooling, household_size=size
        )
        case._students = students
        case._household = self._household(person, size, spouse, students, income)
        case._reviews = self._reviews(case, person)
        return case

    def _household(self, person: Person, size: int, spouse: bool, students: int, income: Decimal) -> list:
        """家庭成员 besides the member: spouse, children at school, then parents or grown children."""
        rng, m = self.rng, person.m
        county = person.union.fed.place.county
        surname = surname_of(m.name)
        rows, others = [], size - 1
        born = m.birth_date.year
        earners = 1 + spouse
        share = (income / earners).quantize(Decimal("1"))
        if spouse:
            rows.append(
                new(
                    HouseholdMember,
                    name=person_name(rng, "F" if m.gender == "M" else "M", born),
                    relation="配偶",
                    annual_income=share,
                    school_or_work=rng.choice(ADULT_WORK),
                )
            )
        for i in range(others - spouse):
            if i < students:
                gender = rng.choice("MF")
                rows.append(
                    new(
                        HouseholdMember,
                        name=surname + given_name(rng, gender, 2008),
                        relation="儿子" if gender == "M" else "女儿",
                        school_or_work=rng.choice(SCHOOLS).format(county=county),
                    )
                )
            else:
                relation = rng.choice(("父亲", "母亲", "儿子", "女儿"))
                older = relation in ("父亲", "母亲")
                gender = "M" if relation in ("父亲", "儿子") else "F"
                name = (
                    person_name(rng, "F", born - 28)
                    if relation == "母亲"
                    else surname + given_name(rng, gender, born - 28 if older else born + 25)
                )
                rows.append(
                    new(
                        HouseholdMember,
                        name=name,
                        relation=relation,
                        health_status=HealthStatus.CHRONIC
                        if older and rng.random() < 0.5
                        else HealthStatus.HEALTHY,
                        school_or_work="退休" if older else rng.choice(ADULT_WORK),
                    )
                )
        return rows

    def _reviews(self, case: HardshipCase, person: Person) -> list:
        rng, today = self.rng, self.cal.today
        initial = add_days(case.opened_on, rng.randint(0, 5))
        final = min(add_days(initial, rng.randint(5, 25)), today)
        cadre_id = self.cadre.pk if self.cadre and self.cadre.union_id == person.union.pk else None
        reviews = [
            new(
                CaseReview,
                kind=ReviewKind.INITIAL,
                reviewed_on=initial,
                reviewed_by_id=cadre_id,
                notes="经入户走访核实，家庭情况属实，同意建档。",
            ),
            new(
                CaseReview,
                kind=ReviewKind.FINAL,
                reviewed_on=final,
                reviewed_by_id=self.staff_id,
                notes="经联合会审核，同意纳入困难职工档案管理。",
            ),
        ]
        case.initial_reviewed_on, case.initial_reviewed_by_id = initial, cadre_id
        case.final_reviewed_on, case.final_reviewed_by_id = final, self.staff_id
        # The longer a case has been open, the likelier it has been closed: about 7 % a year are lifted
        # out of hardship (解困脱困), 3 % leave for other reasons.
        draw, years = rng.random(), (today - final).days / 365
        end = today
        if draw < min(0.35, 0.07 * years) and years > 1.1:
            case.status = CaseStatus.RESOLVED
        elif draw < min(0.45, 0.1 * years) and years > 0.55:
            case.status = CaseStatus.EXITED
        if case.status != CaseStatus.OPEN:
            case.close_reason = rng.choice(CLOSE_REASONS[case.status])
            case.closed_on = day_between(rng, add_days(final, 180), add_days(today, -1))
            end = case.closed_on
        # About one open case in eight has gone more than a year without its 复核 (at least one does).
        stale = (
            case.status == CaseStatus.OPEN
            and (today - final).days > 400
            and (rng.random() < 0.12 or not self.stale_made)
        )
        self.stale_made = self.stale_made or stale
        day = add_days(final, rng.randint(330, 400))
        while day < end:
            if stale and day > add_days(today, -365 - rng.randint(10, 150)):
                break
            reviews.append(
                new(
                    CaseReview,
                    kind=ReviewKind.ANNUAL,
                    reviewed_on=day,
                    reviewed_by_id=self.staff_id,
                    notes=rng.choice(
                        (
                            "年度复核，家庭情况无明显变化，继续在档帮扶。",
                            "回访了解生活和就医情况，困难依然存在。",
                        )
                    ),
                )
            )
            day = add_days(day, rng.randint(330, 400))
        if case.closed_on:
            reviews.append(
                new(
                    CaseReview,
                    kind=ReviewKind.ANNUAL,
                    reviewed_on=case.closed_on,
                    reviewed_by_id=self.staff_id,
                    notes=f"复核结论：{case.close_reason}。",
                )
            )
        if case.status == CaseStatus.OPEN and not stale and (today - reviews[-1].reviewed_on).days > 330:
            reviews.append(
                new(
                    CaseReview,
                    kind=ReviewKind.ANNUAL,
                    reviewed_on=add_days(today, -rng.randint(5, 60)),
                    reviewed_by_id=self.staff_id,
                    notes="年度复核，继续在档帮扶。",
                )
            )
        case.last_reviewed_on = max(r.reviewed_on for r in reviews)
        return reviews

    # --- Aid -------------------------------------------------------------------------------------


def write_help(cases: CaseBuilder, aid: AidBuilder, people: list[Person], *, first: bool = False) -> dict:
    """Cases of this group of people, their household and reviews, and the group's aid records."""
    chosen = cases.cases(people)
    for person in chosen:
        person.case.member_id = person.m.pk
    write(HardshipCase, [p.case for p in chosen])
    household, reviews, records = [], [], []
    for person in chosen:
        case = person.case
        for row in case._household:
            row.case_id = case.pk
            household.append(row)
        for review in case._reviews:
            review.case_id = case.pk
            reviews.append(review)
        records.extend(aid.case_aid(person))
    # This group's share of the tier's aid records: cases get theirs, up to what leaves room for the
    # festival visits to ordinary members, which make up the rest.
    target = round(aid.per_member * sum(1 for p in people if p.live))
    room = target - round(aid.visit_share * target)
    if len(records) > room:
        keep = sorted(aid.rng.sample(range(len(records)), room))
        records = [records[i] for i in keep]
    if first:  # the demo shows every kind of aid
        for kind in AidKind.values:
            if chosen and not any(r.kind == kind for r in records):
                record = aid.one(chosen, kind)
                records.extend([record] if record else [])
    records.extend(aid.visits(people, target - len(records)))
    write(HouseholdMember, household)
    write(CaseReview, reviews)
    write(AidRecord, records)
    return {"cases": len(chosen), "household": len(household), "reviews": len(reviews), "aid": len(records)}
