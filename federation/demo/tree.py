"""The federation tree of each tier, and the yearly figures (FederationYear) of every federation.

S: one street federation (街道工会联合会), as in the reference summaries.
M: a county federation (县总工会) with towns, streets, parks and industry federations below it, and
   村(社区) federations under some towns and streets.
L: a city federation with ten counties and districts shaped like M, and city-level federations.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from federation.demo.names import person_name
from federation.demo.places import (
    CITY,
    CITY_SHORT,
    COMMUNITY_STEMS,
    COUNTIES,
    PARK_NAMES,
    STREET_STEMS,
    TOWN_STEMS,
    VILLAGE_STEMS,
    Place,
)
from federation.demo.tiers import Calendar, day_between, write
from federation.models import Federation, FederationYear

Level = Federation.Level

# How many unions a federation of each kind holds, relative to a town's.
UNION_WEIGHT = {
    "city": 2.0,
    "county": 3.0,
    "town": 4.0,
    "street": 5.0,
    "park": 8.0,
    "industry": 2.0,
    "community": 1.0,
    "street_root": 1.0,
}
# Industry federations of a county (and of the city): name and the industry of their unions.
COUNTY_INDUSTRIES = (("建筑行业", "E"), ("快递物流行业", "G"))
CITY_INDUSTRIES = (("交通运输行业", "G"), ("餐饮住宿行业", "H"))


@dataclass(eq=False)  # compared by identity: a plan holds its whole subtree
class FederationPlan:
    """A federation being built, with what the other generators need to know about it."""

    obj: Federation
    kind: str
    place: Place
    standard_base: int  # 当地城市低保标准 in FIRST_YEAR, 元/月
    industry: str = ""
    union_count: int = 0
    unions: list = field(default_factory=list)  # UnionPlans, filled by demo.unions

    @property
    def pk(self) -> int:
        return self.obj.pk

    def min_living_standard(self, year: int) -> Decimal:
        """The local standard rises by about 30 元 a year."""
        return Decimal(self.standard_base + 30 * (year - 2021)).quantize(Decimal("0.01"))


class TreeBuilder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.plans: list[FederationPlan] = []

    def _create(self, *, name, short, level, parent, kind, place, base, industry="") -> FederationPlan:
        rng = self.rng
        established = day_between(rng, dt.date(1985, 1, 1), dt.date(2012, 12, 31))
        if kind in ("community", "park", "industry"):
            established = day_between(rng, dt.date(2008, 1, 1), dt.date(2019, 12, 31))
        obj = Federation(
            name=name,
            short_name=short,
            level=level,
            parent=parent.obj if parent else None,
            address=place.address(rng),
            chair_name=person_name(rng, rng.choice("MMF"), rng.randint(1966, 1985)),
            contact_phone=f"0523-{rng.randint(8000_0000, 8899_9999)}",
            established_on=established,
        )
        obj.save()  # save() computes the materialised path, so one at a time
        plan = FederationPlan(obj=obj, kind=kind, place=place, standard_base=base, industry=industry)
        self.plans.append(plan)
        return plan

    def street(self) -> None:
        county, code, _kind = COUNTIES[0]
        place = Place(county, code, "东城街道")
        self._create(
            name=f"{county}东城街道工会联合会",
            short="东城街道工会联合会",
            level=Level.TOWNSHIP,
            parent=None,
            kind="street_root",
            place=place,
            base=700,
        )

    def county(self, index: int, parent: FederationPlan | None = None) -> FederationPlan:
        rng = self.rng
        county, code, kind = COUNTIES[index]
        base = 700 + 15 * index
        root = self._create(
            name=f"{CITY}{county}总工会" if parent else f"{county}总工会",
            short=f"{county}总工会",
            level=Level.COUNTY,
            parent=parent,
            kind="county",
            place=Place(county, code),
            base=base,
        )
        towns = [f"{stem}镇" for stem in rng.sample(TOWN_STEMS, 6 if kind == "区" else 9)]
        streets = [f"{stem}街道" for stem in rng.sample(STREET_STEMS, 8 if kind == "区" else 5)]
        for town in towns + streets:
            place = Place(county, code, town)
            plan = self._create(
                name=f"{county}{town}工会联合会",
                short=f"{town}工会联合会",
                level=Level.TOWNSHIP,
                parent=root,
                kind="street" if town.endswith("街道") else "town",
                place=place,
                base=base,
            )
            if rng.random() < 0.5:
                stems = COMMUNITY_STEMS if town.endswith("街道") else VILLAGE_STEMS + COMMUNITY_STEMS[:4]
                for stem in rng.sample(stems, rng.randint(2, 4)):
                    unit = f"{stem}村" if stem in VILLAGE_STEMS else f"{stem}社区"
                    self._create(
                        name=f"{county}{town}{unit}工会联合会",
                        short=f"{unit}工会联合会",
                        level=Level.COMMUNITY,
                        parent=plan,
                        kind="community",
                        place=Place(county, code, town, unit),
                        base=base,
                    )
        for park in PARK_NAMES[: 1 if kind == "区" else 2]:
            short = f"{county[:-1]}{park}"
            self._create(
                name=f"{short}工会联合会",
                short=f"{park}工会联合会",
                level=Level.PARK,
                parent=root,
                kind="park",
                place=Place(county, code, park),
                base=base,
            )
        for trade, industry in COUNTY_INDUSTRIES:
            self._create(
                name=f"{county}{trade}工会联合会",
                short=f"{trade}工会联合会",
                level=Level.INDUSTRY,
                parent=root,
                kind="industry",
                place=Place(county, code),
                base=base,
                industry=industry,
            )
        return root

    def city(self) -> None:
        county, code, _kind = COUNTIES[1]
        root = self._create(
            name=f"{CITY}总工会",
            short="市总工会",
            level=Level.COUNTY,  # the model has no city level; a city federation sits at the top
            parent=None,
            kind="city",
            place=Place(county, code),
            base=730,
        )
        for index in range(len(COUNTIES)):
            self.county(index, parent=root)
        self._create(
            name=f"{CITY}高新技术产业开发区工会联合会",
            short="高新区工会联合会",
            level=Level.PARK,
            parent=root,
            kind="park",
            place=Place(county, code, f"{CITY_SHORT}高新区"),
            base=730,
        )
        for trade, industry in CITY_INDUSTRIES:
            self._create(
                name=f"{CITY}{trade}工会联合会",
                short=f"{trade}工会联合会",
                level=Level.INDUSTRY,
                parent=root,
                kind="industry",
                place=Place(county, code),
                base=730,
                industry=industry,
            )


def build_tree(rng: random.Random, shape: str) -> list[FederationPlan]:
    builder = TreeBuilder(rng)
    if shape == "street":
        builder.street()
    elif shape == "county":
        builder.county(0)
    else:
        builder.city()
    return builder.plans


def write_federation_years(rng: random.Random, plans: list[FederationPlan], cal: Calendar) -> int:
    """年度基本情况 of every federation and year, from the unions directly below it: more employers
    should have a union than have one (建会率 climbing from about 80 % towards 95 %), the jurisdiction
    has more employees than the unions report, and the local 低保 standard rises every year."""
    rows = []
    for plan in plans:
        coverage = rng.uniform(0.78, 0.88)
        for year in cal.years:
            end = cal.year_end(year)
            live = [u for u in plan.unions if u.exists_on(end)]
            covered = sum(u.obj.covered_employers for u in live)
            employees = sum(u.employees.get(year, 0) for u in live)
            rate = min(coverage + 0.02 * (year - 2021), 0.96)
            should = math.ceil(covered / rate) + rng.randint(0, 3) if covered else rng.randint(0, 2)
            rows.append(
                FederationYear(
                    federation=plan.obj,
                    year=year,
                    employers_should_unionise=should,
                    employees_in_jurisdiction=math.ceil(employees / rng.uniform(0.82, 0.92))
                    if employees
                    else None,
                    min_living_standard=plan.min_living_standard(year),
                    # The federation's own staff (统计年报): one full-time per 40 unions below it, at
                    # least one; the part-time are its committee's members. No draw of `rng`: the
                    # other figures of a seed stay as they were.
                    own_full_time_staff=max(1, len(live) // 40),
                    own_part_time_staff=3 + len(live) % 5,
                    notes="辖区单位数据来源：市场监管部门登记信息及年度工会统计年报。"
                    if year == 2026
                    else "",
                )
            )
    write(FederationYear, rows)
    return len(rows)
