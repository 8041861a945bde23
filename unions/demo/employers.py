"""Employers: what kinds a place has (单位性质, 行业, 经济类型 in plausible proportions), their names,
统一社会信用代码 and size.

County-level unions are mostly 机关 and 事业单位; towns, streets and parks mostly private firms, with
some 港澳台/外资 in parks; villages and communities small firms, 村(居)委会 and 联合基层工会 of small
employers. Distributions are written "value weight value weight …" with the stored choice values.
"""

from __future__ import annotations

import datetime as dt
import random

from federation.demo.names import SURNAMES
from federation.demo.places import (
    COMMUNITY_STEMS,
    SOCIAL_GROUPS,
    VILLAGE_STEMS,
    EmployerNames,
    Place,
    institution_pool,
    organ_pool,
)
from federation.demo.tiers import weights
from federation.demo.tree import FederationPlan
from federation.identifiers import make_credit_code
from unions.choices import EconomicType, EmployerNature

N, E = EmployerNature, EconomicType

_TOWNS = (
    "private 42 other_llc 16 individual_business 4 collective 3 joint_stock_coop 2 other_joint_stock 3 "
    "hmt_invested 2 foreign_invested 2 funded_institution 5 other_institution 2 government_organ 2 "
    "private_non_enterprise 4 social_group 1 other_organisation 7 joint_operation 0.5 other_domestic 1 "
    "state_controlled 1 state_owned 1 foundation 0.3"
)
_COUNTY = (
    "government_organ 40 funded_institution 25 other_institution 8 state_owned 5 state_sole_llc 6 "
    "state_controlled 4 social_group 6 foundation 1 private 5"
)
NATURE_MIX = {
    "city": weights(_COUNTY),
    "county": weights(_COUNTY),
    "town": weights(_TOWNS),
    "street": weights(_TOWNS),
    "street_root": weights(_TOWNS),
    "park": weights(
        "private 35 other_llc 25 other_joint_stock 8 foreign_invested 12 hmt_invested 8 state_controlled 3 "
        "joint_operation 1 other_domestic 2 state_sole_llc 2 private_non_enterprise 1"
    ),
    "community": weights(
        "private 40 individual_business 12 other_organisation 22 private_non_enterprise 10 collective 5 "
        "joint_stock_coop 5 social_group 1 other_llc 5"
    ),
    "industry": weights("private 60 other_llc 30 individual_business 5 state_controlled 5"),
}
ENTERPRISE_INDUSTRY = weights(
    "C 38 F 12 E 7 G 6 H 6 I 5 K 4 L 5 M 3 O 4 A 2 B 0.5 D 1.5 J 1.5 N 1.5 R 1.5 Q 1 P 0.5"
)
_STATE = weights("D 25 G 20 J 15 K 10 C 15 N 10 B 5")
_INSTITUTION = weights("P 45 Q 30 N 6 R 7 M 6 A 6")
INDUSTRY_OF_NATURE = {
    N.STATE_OWNED: _STATE,
    N.STATE_SOLE_LLC: _STATE,
    N.STATE_CONTROLLED: _STATE,
    N.COLLECTIVE: weights("C 40 A 30 F 15 O 15"),
    N.JOINT_STOCK_COOP: weights("A 50 K 20 O 30"),
    N.FUNDED_INSTITUTION: _INSTITUTION,
    N.OTHER_INSTITUTION: _INSTITUTION,
    N.PRIVATE_NON_ENTERPRISE: weights("P 35 Q 35 O 15 R 15"),
    N.INDIVIDUAL_BUSINESS: weights("H 50 O 30 F 20"),
}
FIXED_INDUSTRY = {N.GOVERNMENT_ORGAN: "S", N.SOCIAL_GROUP: "S", N.FOUNDATION: "S", N.OTHER_ORGANISATION: "S"}
_ECONOMIC = (
    "state_owned state state_sole_llc state state_controlled state collective collective "
    "joint_stock_coop joint_stock joint_operation joint other_llc private private private "
    "other_joint_stock joint_stock other_domestic other hmt_invested hmt foreign_invested foreign "
    "funded_institution state other_institution state government_organ state individual_business individual "
    "social_group other private_non_enterprise other foundation other other_organisation collective"
).split()
ECONOMIC_TYPE = dict(zip(_ECONOMIC[::2], _ECONOMIC[1::2], strict=True))
# Every 单位性质 and every 行业 once, in coherent pairs, for the first unions of a demo.
FORCED = [
    tuple(pair.split(":"))
    for pair in (
        "state_owned:D collective:A joint_stock_coop:O joint_operation:F state_sole_llc:G other_llc:I "
        "state_controlled:J other_joint_stock:K private:C other_domestic:L hmt_invested:H foreign_invested:M "
        "funded_institution:P other_institution:Q government_organ:S individual_business:E social_group:S "
        "private_non_enterprise:R foundation:S other_organisation:T state_controlled:B other_institution:N"
    ).split()
]
# Women and migrant workers among the employees, by industry.
WOMEN_SHARE = weights(
    "C .40 E .12 F .55 G .22 H .58 I .38 J .58 K .45 L .5 M .4 N .35 O .55 P .7 Q .75 R .5 S .45 A .4 B .1 "
    "D .25 T .5"
).as_dict()
MIGRANT_SHARE = weights("C .45 E .75 H .5 G .45 F .3 O .4 A .5 B .6 K .35").as_dict()
PUBLIC_NATURES = {N.GOVERNMENT_ORGAN, N.FUNDED_INSTITUTION, N.OTHER_INSTITUTION, N.SOCIAL_GROUP, N.FOUNDATION}
STATE_NATURES = {N.STATE_OWNED, N.STATE_SOLE_LLC, N.STATE_CONTROLLED}
# 登记管理部门 and 机构类别 of the credit code (GB 32100): 1 机构编制, 5 民政, 9 工商; 54 村(居)委会.
REGISTRY = {
    N.GOVERNMENT_ORGAN: "11",
    N.FUNDED_INSTITUTION: "12",
    N.OTHER_INSTITUTION: "12",
    N.SOCIAL_GROUP: "51",
    N.PRIVATE_NON_ENTERPRISE: "52",
    N.FOUNDATION: "53",
    N.OTHER_ORGANISATION: "54",
    N.INDIVIDUAL_BUSINESS: "92",
}
_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"
COMPANY_FORM = {
    N.STATE_OWNED: "公司",
    N.STATE_SOLE_LLC: "集团有限公司",
    N.STATE_CONTROLLED: "股份有限公司",
    N.OTHER_JOINT_STOCK: "股份有限公司",
    N.JOINT_STOCK_COOP: "股份经济合作社",
    N.COLLECTIVE: "厂",
    N.JOINT_OPERATION: "联营公司",
    N.PRIVATE_NON_ENTERPRISE: "服务中心",
}
PRIVATE_FORMS = ("有限公司",) * 17 + ("有限责任公司", "有限责任公司", "集团有限公司")


class Employers:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names = EmployerNames(rng)
        self.codes: set[str] = set()

    def industry(self, fed: FederationPlan, nature: str) -> str:
        if fed.industry:
            return fed.industry
        if nature in FIXED_INDUSTRY:
            return FIXED_INDUSTRY[nature]
        return (INDUSTRY_OF_NATURE.get(nature) or ENTERPRISE_INDUSTRY)(self.rng)

    def credit_code(self, nature: str, place: Place, established: dt.date) -> str:
        """A valid code, unique in the deployment; firms registered since 2015 have 'MA…' bodies."""
        rng = self.rng
        registry = REGISTRY.get(nature, "91")
        while True:
            if registry == "91" and established.year >= 2015:
                body = "MA" + "".join(rng.choices(_USCC_BODY, k=7))
            else:
                body = "".join(rng.choices("0123456789", k=8)) + rng.choice("0123456789X")
            code = make_credit_code(registry[0], registry[1], place.code, body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, fed: FederationPlan, nature: str, industry: str) -> tuple[str, str, str, str]:
        """(employer name, union name, nature, industry) — a private firm when the names of that kind
        of unit have run out in the place."""
        names, place, rng = self.names, fed.place, self.rng
        pool = None
        if nature == N.GOVERNMENT_ORGAN:
            name = names.from_pool(organ_pool(place))
            if name:
                return name, f"{name}机关工会委员会", nature, industry
        elif nature in (N.FUNDED_INSTITUTION, N.OTHER_INSTITUTION):
            pool = institution_pool(place, industry)
        elif nature == N.SOCIAL_GROUP:
            pool = [f"{place.county}{g}" for g in SOCIAL_GROUPS]
        elif nature == N.FOUNDATION:
            pool = [f"{place.county}{g}基金会" for g in ("教育发展", "慈善", "见义勇为", "青少年发展")]
        elif nature == N.OTHER_ORGANISATION and industry == "T":
            name = f"中德合作{place.county}职业教育项目办公室"
            names.used.add(name)
            return name, f"{name}工会委员会", nature, industry
        elif nature == N.OTHER_ORGANISATION:
            villages = [f"{s}村" for s in VILLAGE_STEMS[:12]] + [f"{s}社区" for s in COMMUNITY_STEMS[:8]]
            units = [place.community] if place.community else villages
            unit = names.from_pool([f"{place.county}{place.town}{u}" for u in units])
            if unit:
                committee = "居民委员会" if unit.endswith("社区") else "村民委员会"
                return unit + committee, f"{unit[len(place.county) :]}工会委员会", nature, industry
        elif nature == N.INDIVIDUAL_BUSINESS:
            name, short = names.individual(place, industry, SURNAMES(rng))
            return name, f"{short}工会委员会", nature, industry
        elif nature == N.FOREIGN_INVESTED:
            name, short = names.foreign(place, industry)
            return name, f"{short}工会委员会", nature, industry
        else:
            form = COMPANY_FORM.get(nature) or rng.choice(PRIVATE_FORMS)
            name, short = names.company(place, industry, form)
            return name, f"{short}工会委员会", nature, industry
        if pool:
            name = names.from_pool(pool)
            if name:
                return name, f"{name}工会委员会", nature, industry
        # That kind of unit is used up in this place: a private firm instead.
        return self.name(fed, N.PRIVATE, fed.industry or ENTERPRISE_INDUSTRY(rng))

    def joint(self, fed: FederationPlan) -> tuple[str, str, int, str]:
        """A 联合基层工会 of small employers: (employer, union name, employers covered, industry)."""
        rng, place = self.rng, fed.place
        covered = max(2, min(60, int(rng.lognormvariate(2.2, 0.6))))
        town = place.town
        for _ in range(10):
            where = place.community or f"{rng.choice(COMMUNITY_STEMS)}社区"
            tower = rng.choice(("金融", "中央", "时代", "创业"))
            employer, name, industry = rng.choice(
                (
                    (f"{town}{where}辖区小微企业", f"{town}{where}联合工会委员会", "F"),
                    (f"{town}商贸城入驻商户", f"{town}商贸城联合工会委员会", "F"),
                    (f"{town}{tower}大厦入驻企业", f"{town}{tower}大厦楼宇联合工会委员会", "L"),
                    (f"{town}餐饮一条街个体工商户", f"{town}餐饮行业联合工会委员会", "H"),
                    (f"{town}{where}小微加工企业", f"{town}{where}企业联合工会委员会", "C"),
                )
            )
            if f"{place.county}{employer}" not in self.names.used:
                self.names.used.add(f"{place.county}{employer}")
                return f"{place.county}{employer}", name, covered, industry
        name, short = self.names.company(place, "L", "商务楼宇")
        return name, f"{short}联合工会委员会", covered, "L"

    def raw_size(self, nature: str, industry: str, fed: FederationPlan, joint_covered: int = 0) -> float:
        """Members before scaling to the tier: lognormal for firms, ranges for the public sector."""
        rng = self.rng
        if joint_covered:
            return joint_covered * rng.uniform(5, 15)
        if nature == N.GOVERNMENT_ORGAN:
            return rng.uniform(15, 120)
        if nature in (N.FUNDED_INSTITUTION, N.OTHER_INSTITUTION):
            if fed.place.town:  # a school or health centre of a town
                return rng.uniform(20, 120)
            return rng.uniform(150, 900) if industry == "Q" else rng.uniform(40, 250)
        if nature == N.INDIVIDUAL_BUSINESS:
            return rng.uniform(3, 12)
        if nature in (N.SOCIAL_GROUP, N.FOUNDATION, N.OTHER_ORGANISATION):
            return rng.uniform(6, 40)
        size = rng.lognormvariate(3.4, 1.1)
        if nature in STATE_NATURES:
            size *= 3
        if nature in (N.FOREIGN_INVESTED, N.HMT_INVESTED) or fed.kind == "park":
            size *= 1.8
        return min(size, 6000)
