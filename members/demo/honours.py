"""Honours (荣誉/评先): 职工之家 titles for unions, medals and titles for members, at every level
from 乡镇街道 to 全国 — the higher the level, the rarer."""

from __future__ import annotations

import random

from federation.demo.places import CITY, PROVINCE, Place
from federation.demo.tiers import Calendar, Weighted, ensure_each, write
from members.demo.members import Person
from members.models import MemberHonour
from unions.choices import HonourLevel, HonourTitle
from unions.demo.unions import UnionPlan
from unions.models import UnionHonour

T, L = HonourTitle, HonourLevel
UNION_TITLES = Weighted({T.QUALIFIED_HOME: 35, T.ADVANCED_HOME: 30, T.MODEL_HOME: 20, T.OTHER: 15})
MEMBER_TITLES = Weighted(
    {
        T.EXCELLENT_ACTIVIST: 30,
        T.ADVANCED_WORKER: 14,
        T.MAY_DAY_MEDAL: 10,
        T.MODEL_WORKER: 6,
        T.EXCELLENT_CADRE: 8,
        T.OTHER: 15,
    }
)
CADRE_TITLES = Weighted({T.EXCELLENT_CADRE: 60, T.EXCELLENT_ACTIVIST: 30, T.MAY_DAY_MEDAL: 10})
LEVELS = {
    T.MODEL_HOME: Weighted({L.NATIONAL: 3, L.PROVINCIAL: 12, L.CITY: 35, L.COUNTY: 50}),
    T.ADVANCED_HOME: Weighted({L.CITY: 20, L.COUNTY: 50, L.TOWNSHIP: 30}),
    T.QUALIFIED_HOME: Weighted({L.COUNTY: 40, L.TOWNSHIP: 60}),
    T.MAY_DAY_MEDAL: Weighted({L.NATIONAL: 2, L.PROVINCIAL: 10, L.CITY: 40, L.COUNTY: 48}),
    T.MODEL_WORKER: Weighted({L.NATIONAL: 1, L.PROVINCIAL: 9, L.CITY: 40, L.COUNTY: 50}),
    T.ADVANCED_WORKER: Weighted({L.PROVINCIAL: 5, L.CITY: 35, L.COUNTY: 60}),
    T.EXCELLENT_CADRE: Weighted({L.CITY: 15, L.COUNTY: 45, L.TOWNSHIP: 40}),
    T.EXCELLENT_ACTIVIST: Weighted({L.CITY: 15, L.COUNTY: 45, L.TOWNSHIP: 40}),
    T.OTHER: Weighted({L.NATIONAL: 2, L.PROVINCIAL: 10, L.CITY: 30, L.COUNTY: 40, L.TOWNSHIP: 18}),
}
UNION_OTHER = ("五一劳动奖状", "工人先锋号", "模范职工小家", "职工书屋示范点", "安康杯竞赛优胜单位")
MEMBER_OTHER = ("岗位能手", "技术标兵", "巾帼建功标兵", "最美职工", "青年岗位能手")
# Members' honours a year: about 2 in 1 000 members.
MEMBER_RATE = 0.002


def awarded_by(level: str, place: Place) -> str:
    if level == L.NATIONAL:
        return "中华全国总工会"
    if level == L.PROVINCIAL:
        return f"{PROVINCE}总工会"
    if level == L.CITY:
        return f"{CITY}总工会"
    if level == L.TOWNSHIP and place.town:
        return f"{place.county}{place.town}工会联合会"
    return f"{place.county}总工会"


def _fixup(rng: random.Random, other_titles):
    def fix(honour) -> None:
        honour.title_other = rng.choice(other_titles) if honour.title == T.OTHER else ""
        honour.awarded_by = awarded_by(honour.level, honour._place)

    return fix


def union_honours(rng: random.Random, cal: Calendar, unions: list[UnionPlan], *, show_all: bool) -> int:
    rows = []
    for plan in unions:
        rate = 0.07 if plan.size >= 200 else 0.03
        for year in cal.years:
            if plan.exists_on(cal.year_end(year)) and rng.random() < rate:
                title = UNION_TITLES(rng)
                level = LEVELS[title](rng)
                honour = UnionHonour(
                    union_id=plan.pk,
                    title=title,
                    level=level,
                    year=year,
                    title_other=rng.choice(UNION_OTHER) if title == T.OTHER else "",
                    awarded_by=awarded_by(level, plan.fed.place),
                )
                honour._place = plan.fed.place
                rows.append(honour)
    if show_all:
        fix = _fixup(rng, UNION_OTHER)
        ensure_each(rng, rows, "title", UNION_TITLES.values, fixup=fix)
        ensure_each(rng, rows, "level", L.values, fixup=fix)
    write(UnionHonour, rows)
    return len(rows)


def member_honours(rng: random.Random, cal: Calendar, people: list[Person], *, show_all: bool) -> int:
    rows = []
    years = list(cal.years)
    count = int(len(people) * len(years) * MEMBER_RATE + rng.random())
    for _ in range(count):
        person = rng.choice(people)
        m = person.m
        first = max(m.joined_on.year, years[0])
        last = min((m.left_on.year - 1) if m.left_on else years[-1], years[-1])
        if first > last:
            continue
        year = rng.randint(first, last)
        title = CADRE_TITLES(rng) if m.is_cadre else MEMBER_TITLES(rng)
        level = LEVELS[title](rng)
        place = person.union.fed.place
        honour = MemberHonour(
            member_id=m.pk,
            title=title,
            level=level,
            year=year,
            title_other=rng.choice(MEMBER_OTHER) if title == T.OTHER else "",
            awarded_by=awarded_by(level, place),
        )
        honour._place = place
        rows.append(honour)
    if show_all:
        fix = _fixup(rng, MEMBER_OTHER)
        ensure_each(
            rng,
            rows,
            "title",
            [t for t in T.values if t not in UNION_TITLES.values or t == T.OTHER],
            fixup=fix,
        )
        ensure_each(rng, rows, "level", L.values, fixup=fix)
    write(MemberHonour, rows)
    return len(rows)
