"""Members (会员) with the fields of the 会员实名信息采集表: who they are (name, ID number agreeing
with birth date and gender, ethnicity, education, …) and when they joined.

What happened to them afterwards — leaving, 保留会籍, transfers — is demo.membership.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib

from federation.demo.names import (
    MIGRANT_SOURCE,
    WEINING,
    job,
    mobile,
    person_name,
)
from federation.demo.places import CITY, COUNTIES, PROVINCE
from federation.demo.tiers import Calendar, Weighted, add_days, day_between, new, weights
from federation.identifiers import make_resident_id
from members.choices import (
    ETHNICITY_CHOICES,
    EmploymentStatus,
    HukouType,
    IdType,
    MembershipStatus,
    PoliticalStatus,
)
from members.models import Member
from members.models.membership import member_id_number_valid
from unions.demo.employers import PUBLIC_NATURES
from unions.demo.unions import UnionPlan

Pol = PoliticalStatus
EDUCATION = {
    "public": weights(
        "doctorate 1 master 12 bachelor 55 college 22 secondary_vocational 5 high_school 4 junior_high 1"
    ),
    "local": weights(
        "doctorate 0.2 master 2 bachelor 20 college 28 secondary_vocational 16 high_school 18 junior_high 14 "
        "primary 1.5"
    ),
    "migrant": weights(
        "bachelor 1 college 6 secondary_vocational 14 high_school 25 junior_high 45 primary 9"
    ),
}
# 政治面貌: the eight democratic parties and 无党派人士 are rarer in firms than in the public sector.
_PARTIES = "rcck 0.3 cdl 0.5 cndca 0.3 capd 0.4 cpwdp 0.3 czgp 0.1 jiusan 0.3 tdsgl 0.05 non_partisan 0.5"
_FIRM_PARTIES = " ".join(f"{k} {v / 4}" for k, v in weights(_PARTIES).as_dict().items())
POLITICAL = {
    "public": weights(f"cpc_member 35 cpc_probationary 1.5 cyl_member 10 {_PARTIES} masses 51"),
    "other": weights(f"cpc_member 8 cpc_probationary 0.6 cyl_member 14 {_FIRM_PARTIES} masses 76"),
}
EMPLOYMENT = weights(
    "on_duty 95 sick_leave 1 early_retired 1 retired 0.8 resigned 0.3 other 1 laid_off 0.5 unemployed 0.4"
)

# Outside the minority regions nearly everyone is 汉族; the minorities most often met among workers
# in the east of the country follow.
_CODE_OF = {name: code for code, name in ETHNICITY_CHOICES}
ETHNICITIES = Weighted(
    {
        _CODE_OF["汉族"]: 97.0,
        _CODE_OF["回族"]: 0.6,
        _CODE_OF["满族"]: 0.45,
        _CODE_OF["壮族"]: 0.3,
        _CODE_OF["苗族"]: 0.3,
        _CODE_OF["土家族"]: 0.3,
        _CODE_OF["蒙古族"]: 0.2,
        _CODE_OF["彝族"]: 0.15,
        _CODE_OF["布依族"]: 0.12,
        _CODE_OF["侗族"]: 0.1,
        _CODE_OF["瑶族"]: 0.08,
        _CODE_OF["朝鲜族"]: 0.06,
        _CODE_OF["白族"]: 0.06,
        _CODE_OF["畲族"]: 0.05,
        _CODE_OF["其他"]: 0.01,
    }
)
# The county of origin in Guizhou is home to 彝族, 回族 and 苗族 families.
WEINING_ETHNICITIES = Weighted(
    {_CODE_OF["汉族"]: 70, _CODE_OF["彝族"]: 14, _CODE_OF["回族"]: 9, _CODE_OF["苗族"]: 7}
)
SKILL = {
    "trade": weights("none 45 level_5 18 level_4 18 level_3 13 level_2 5 level_1 1"),
    "other": weights("none 80 level_5 6 level_4 7 level_3 5 level_2 1.5 level_1 0.5"),
}
TRADE_INDUSTRIES = set("BCDEG")
OTHER_COUNTY_CODES = [code for _name, code, _kind in COUNTIES]
COUNTY_OF_CODE = {code: name for name, code, _kind in COUNTIES}


class IdNumbers:
    """Hands out resident ID numbers unique in the deployment without remembering them: for each
    (area, birth year, gender) a counter runs through a fixed permutation of (day of year, sequence),
    so the n-th person gets a distinct birth day and 3-digit sequence that look random."""

    DAYS, SEQUENCES = 365, 500
    SPAN = DAYS * SEQUENCES
    STEP = 7919  # prime, and prime to SPAN

    def __init__(self) -> None:
        self.counters: dict[tuple, int] = {}

    def allocate(self, area: str, year: int, gender: str) -> tuple[str, dt.date]:
        key = (area, year, gender)
        n = self.counters.get(key, 0)
        self.counters[key] = n + 1
        if n >= self.SPAN:
            raise RuntimeError("too many people born in one year in one area")
        offset = zlib.crc32(f"{area}{year}{gender}".encode()) % self.SPAN
        value = (self.STEP * n + offset) % self.SPAN
        born = dt.date(year, 1, 1) + dt.timedelta(days=value % self.DAYS)
        sequence = 2 * (value // self.DAYS) + (1 if gender == "M" else 0)
        return make_resident_id(area, born, sequence, gender), born


class Person:
    """A member being generated: the model instance and what the timeline needs to know."""

    __slots__ = ("case", "chair", "events", "first_union", "m", "union")

    def __init__(self, m: Member, union: UnionPlan, chair: bool = False):
        self.m = m
        self.chair = chair  # the union's chair: stays until the union closes
        self.first_union = union  # where the 入会 happened
        self.union = union  # where the member is now
        self.events: list[tuple] = []  # (day, change_type, reason, to_union, notes)
        self.case = None  # a hardship case, from demo.help

    @property
    def live(self) -> bool:
        return self.m.status in (MembershipStatus.ACTIVE, MembershipStatus.RESERVED)


class PersonFactory:
    def __init__(self, rng: random.Random, cal: Calendar):
        self.rng = rng
        self.cal = cal
        self.ids = IdNumbers()
        self.serial = 0

    def joined_on(self, union: UnionPlan) -> dt.date:
        rng, est = self.rng, union.obj.established_on
        latest = add_days(union.closed_on, -30) if union.closed_on else add_days(self.cal.today, -1)
        if est >= dt.date(2021, 1, 1):
            if rng.random() < 0.45:  # the founding drive
                return day_between(rng, est, min(add_days(est, 90), latest))
            return day_between(rng, est, latest)
        if rng.random() < 0.78:
            return day_between(rng, est, min(dt.date(2020, 12, 31), latest))
        return day_between(rng, dt.date(2021, 1, 1), latest)

    def person(self, union: UnionPlan, *, chair: tuple | None = None) -> Person:
        rng, u = self.rng, union.obj
        if chair:
            # The chair joined before the current term began.
            gender = chair[1]
            latest = add_days(union.closed_on, -30) if union.closed_on else self.cal.today
            joined = day_between(rng, u.established_on, min(u.term_started_on or latest, latest))
            birth_year = min(chair[2], joined.year - 19)
        else:
            gender = "F" if rng.random() < union.women_share else "M"
            joined = self.joined_on(union)
            oldest = min(50, max(19, 59 - (self.cal.today.year - joined.year)))
            birth_year = joined.year - int(rng.triangular(18, oldest, min(24, oldest))) - 1
        public = u.employer_nature in PUBLIC_NATURES
        migrant = not public and rng.random() < union.migrant_share
        if migrant:
            area, hukou_place = MIGRANT_SOURCE(rng)
        else:
            draw = rng.random()
            area = union.fed.place.code if draw < 0.85 else rng.choice(OTHER_COUNTY_CODES)
            hukou_place = f"{PROVINCE}{CITY}{COUNTY_OF_CODE[area]}"
            if draw > 0.97:
                area, hukou_place = MIGRANT_SOURCE(rng)
        id_number, born = self.ids.allocate(area, birth_year, gender)
        age = self.cal.today.year - birth_year
        political = POLITICAL["public" if public else "other"](rng)
        if political == Pol.CYL_MEMBER and age > 30:
            political = Pol.MASSES
        self.serial += 1
        member = new(
            Member,
            union_id=u.pk,
            name=chair[0] if chair else person_name(rng, gender, birth_year),
            gender=gender,
            ethnicity=WEINING_ETHNICITIES(rng) if area == WEINING else ETHNICITIES(rng),
            birth_date=born,
            id_number=id_number,
            id_number_valid=member_id_number_valid(IdType.RESIDENT_ID, id_number),
            education=EDUCATION["public" if public else "migrant" if migrant else "local"](rng),
            political_status=political,
            employment_status=EmploymentStatus.ON_DUTY if chair else EMPLOYMENT(rng),
            skill_grade=SKILL["trade" if u.industry in TRADE_INDUSTRIES and not public else "other"](rng),
            mobile=mobile(rng) if rng.random() < 0.95 else "",
            hukou_type=HukouType.AGRICULTURAL
            if migrant or rng.random() < 0.22
            else HukouType.NON_AGRICULTURAL,
            hukou_place=hukou_place,
            is_migrant_worker=migrant,
            job=("工会主席" if u.full_time_chair else job(rng, u.industry))
            if chair
            else job(rng, u.industry),
            joined_on=joined,
            member_number=f"{union.fed.place.code}{self.serial:08d}" if rng.random() < 0.95 else "",
            is_cadre=bool(chair) or rng.random() < 0.035,
            status=MembershipStatus.ACTIVE,
        )
        if member.employment_status == EmploymentStatus.RETIRED and age < 50:
            member.employment_status = EmploymentStatus.ON_DUTY
        return Person(member, union, chair=bool(chair))
