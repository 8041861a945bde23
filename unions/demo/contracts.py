"""Collective contracts (集体合同): streams of renewals signed by the larger enterprise unions
(综合性 plus 工资/女职工/劳动安全卫生 specials), and regional (区域性) and sectoral (行业性) contracts
signed by federations for the small enterprises of their area or trade — which cover some unions that
also have a contract of their own.

Dates and statuses agree with CollectiveContract.clean(): a contract not yet signed is 协商中 and has
no signing date; one past its end is 已到期; one filed with the labour bureau is 已备案生效; a union
that closed ended its contract in force (已终止).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from federation.demo.tiers import Calendar, add_days, day_between, write
from federation.demo.tree import FederationPlan
from unions.choices import ContractKind, ContractScope, ContractStatus, UnionType
from unions.demo.unions import UnionPlan
from unions.models import CollectiveContract, add_years

Kind, Scope, Status = ContractKind, ContractScope, ContractStatus
REGIONAL_KINDS = ("town", "street", "street_root", "park")
SAFETY_INDUSTRIES = set("BCDEG")
# About how many contracts a federation of each kind signs from 2020 on (see ContractBuilder.regional).
FEDERATION_CONTRACTS = {"street_root": 21, "county": 10, "industry": 10}
TITLE = {
    Kind.COMPREHENSIVE: "{party}集体合同（{s}—{e}年）",
    Kind.WAGE: "{party}{s}年度工资专项集体合同",
    Kind.WOMEN: "{party}女职工权益保护专项集体合同（{s}—{e}年）",
    Kind.SAFETY: "{party}劳动安全卫生专项集体合同（{s}—{e}年）",
    Kind.OTHER_SPECIAL: "{party}职工培训专项集体合同（{s}—{e}年）",
}


def _pct(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2)))


class ContractBuilder:
    def __init__(self, rng: random.Random, cal: Calendar):
        self.rng, self.cal = rng, cal
        self.contracts: list[CollectiveContract] = []
        self.covered: list[tuple[CollectiveContract, list[UnionPlan]]] = []

    def _contract(
        self, kind, starts: dt.date, years: int, *, party: str, union=None, fed=None, scope=Scope.SINGLE
    ):
        rng, today = self.rng, self.cal.today
        ends = add_days(add_years(starts, years), -1)
        signed = add_days(starts, -rng.randint(0, 20))
        contract = CollectiveContract(
            kind=kind,
            scope=scope,
            union_id=union.pk if union else None,
            federation_id=fed.pk if fed else None,
            title=TITLE[kind].format(party=party, s=starts.year, e=ends.year),
            starts_on=starts,
            ends_on=ends,
        )
        if signed > today:
            contract.status = Status.NEGOTIATING
        else:
            contract.signed_on = signed
            filed = add_days(signed, rng.randint(7, 30))
            contract.filed_on = filed if filed <= today and rng.random() < 0.9 else None
            closed = union.closed_on if union else None
            if closed and starts <= closed <= ends:
                contract.status = Status.TERMINATED
            elif ends < today:
                contract.status = Status.EXPIRED
            else:
                contract.status = Status.EFFECTIVE if contract.filed_on else Status.SIGNED
        if union:  # as stated in the contract: the employees when it was signed
            year = min(max(starts.year, 2021), today.year)
            contract.covered_employees = union.employees.get(year) or union.size
        if kind == Kind.WAGE or (kind == Kind.COMPREHENSIVE and rng.random() < 0.5):
            contract.wage_increase_pct = _pct(rng, 3, 8) if kind == Kind.WAGE else _pct(rng, 2, 6)
        self.contracts.append(contract)
        return contract

    def _stream(
        self, kind, first: dt.date, years: int, *, until: dt.date, gap: float = 0.1, **signatory
    ) -> None:
        """Renewals of one kind of contract, each starting the day after the last one ended."""
        starts = first
        while starts <= until:
            contract = self._contract(kind, starts, years, **signatory)
            if contract.status in (Status.NEGOTIATING, Status.TERMINATED):
                break
            starts = add_days(contract.ends_on, 1)
            if self.rng.random() < gap:
                starts = add_years(starts, 1)

    # --- Contracts of one enterprise -------------------------------------------------------------

    def single(self, plan: UnionPlan) -> None:
        rng, today = self.rng, self.cal.today
        union = plan.obj
        party = union.name.removesuffix("工会委员会")
        own = {"party": party, "union": plan}
        until = plan.closed_on or add_days(today, 60)  # the next renewal may be under negotiation
        base = max(add_days(union.established_on, rng.randint(120, 540)), dt.date(2018, 1, 1))
        years = rng.choice((3, 3, 3, 2, 2, 1))
        self._stream(
            Kind.COMPREHENSIVE, day_between(rng, base, add_years(base, years)), years, until=until, **own
        )
        if rng.random() < 0.35:
            for year in range(max(base.year + 1, 2021), until.year + 1):
                starts = day_between(rng, dt.date(year, 2, 15), dt.date(year, 4, 30))
                if starts <= until:
                    self._contract(Kind.WAGE, starts, 1, **own)
        if plan.women_share >= 0.3 and rng.random() < 0.3:
            self._stream(Kind.WOMEN, add_days(base, rng.randint(0, 700)), 3, until=until, **own)
        if union.industry in SAFETY_INDUSTRIES and rng.random() < 0.2:
            self._stream(Kind.SAFETY, add_days(base, rng.randint(0, 700)), 3, until=until, **own)
        if rng.random() < 0.05:
            self._stream(Kind.OTHER_SPECIAL, add_days(base, rng.randint(0, 700)), 2, until=until, **own)

    # --- Contracts of a federation for many unions -----------------------------------------------

    def regional(
        self, fed: FederationPlan, unions: list[UnionPlan], own: set[int], *, party: str, scope=Scope.REGIONAL
    ) -> None:
        rng, today = self.rng, self.cal.today
        first = len(self.contracts)
        for year in range(2020, today.year + 1, 3):
            self._contract(Kind.COMPREHENSIVE, dt.date(year, 1, 1), 3, party=party, fed=fed, scope=scope)
        for year in range(2021, today.year + 1):
            self._contract(
                Kind.WAGE,
                day_between(rng, dt.date(year, 3, 1), dt.date(year, 4, 30)),
                1,
                party=party,
                fed=fed,
                scope=scope,
            )
        if rng.random() < 0.3:
            self._contract(Kind.WAGE, dt.date(today.year + 1, 3, 1), 1, party=party, fed=fed, scope=scope)
        if scope == Scope.REGIONAL:
            for year in range(2021, today.year + 1, 3):
                self._contract(Kind.WOMEN, dt.date(year, 3, 8), 3, party=party, fed=fed, scope=scope)
        # Most small enterprises of the area join; a fifth of those with a contract of their own too
        # (and at least one, for the contracts in force today).
        share = rng.uniform(0.6, 0.9)
        for contract in self.contracts[first:]:
            day = contract.signed_on or today
            present = [u for u in unions if u.exists_on(day)]
            covered = [u for u in present if (u.pk not in own or rng.random() < 0.2) and rng.random() < share]
            also_own = [u for u in present if u.pk in own]
            in_force = contract.starts_on <= today <= contract.ends_on
            if in_force and also_own and not any(u.pk in own for u in covered):
                covered.append(rng.choice(also_own))
            year = min(max(day.year, 2021), today.year)
            contract.covered_employees = sum(u.employees.get(year, 0) for u in covered)
            self.covered.append((contract, covered))


TRADE = {
    "F": "商贸流通",
    "H": "餐饮",
    "E": "建筑",
    "G": "物流",
    "I": "软件和信息服务",
    "O": "居民服务",
    "L": "商务服务",
    "K": "物业服务",
    "M": "科技服务",
    "A": "农业",
    "R": "文化娱乐",
    "Q": "医疗养老",
}


def build_contracts(
    rng: random.Random, cal: Calendar, feds: list[FederationPlan], unions: list[UnionPlan], target: int
) -> tuple[int, int]:
    builder = ContractBuilder(rng, cal)
    enterprises = [u for u in unions if u.is_enterprise and u.obj.union_type == UnionType.INDEPENDENT]
    joint = [u for u in unions if u.obj.union_type == UnionType.JOINT]
    signing = [f for f in feds if f.kind in REGIONAL_KINDS or f.kind in ("industry", "county")]
    # Single contracts in the largest enterprises until their share of the tier's contracts is
    # reached; the federations' contracts come on top.
    single_budget = max(0, target - sum(FEDERATION_CONTRACTS.get(f.kind, 11) for f in signing))
    own: set[int] = set()
    for plan in sorted(enterprises, key=lambda u: (-u.size, u.pk)):
        if len(builder.contracts) >= single_budget:
            break
        before = len(builder.contracts)
        builder.single(plan)
        if len(builder.contracts) > single_budget + 3:  # too many for what is left: a smaller one
            del builder.contracts[before:]
            continue
        own.add(plan.pk)
    by_pk = {u.pk: u for u in unions}
    for fed in signing:
        below = [u for u in enterprises if u.fed.obj.path.startswith(fed.obj.path)]
        if fed.kind == "industry":
            trade = [u for u in below if u.obj.industry == fed.industry]
            if len(trade) >= 2:
                party = fed.obj.name.removesuffix("工会联合会")
                builder.regional(fed, trade, own, party=party, scope=Scope.SECTORAL)
            continue
        if fed.kind == "county":
            # A county-wide sectoral contract for the restaurants, whichever federation they are in.
            trade = [u for u in below if u.obj.industry == "H"]
            if len(trade) >= 3:
                party = f"{fed.place.county}{TRADE['H']}行业"
                builder.regional(fed, trade, own, party=party, scope=Scope.SECTORAL)
            continue
        area = fed.obj.short_name.removesuffix("工会联合会")
        below += [u for u in joint if u.fed.obj.path.startswith(fed.obj.path)]
        builder.regional(fed, below, own, party=f"{area}区域性")
        if fed.kind == "street_root":
            trades: dict[str, list] = {}
            for u in below:
                if u.obj.industry in TRADE:
                    trades.setdefault(u.obj.industry, []).append(u)
            if trades:
                industry, trade = max(trades.items(), key=lambda kv: (len(kv[1]), kv[0]))
                builder.regional(
                    fed, trade, set(), party=f"{area}{TRADE[industry]}行业", scope=Scope.SECTORAL
                )
    _show_every_status(rng, builder, by_pk)
    write(CollectiveContract, builder.contracts)
    through = CollectiveContract.covered_unions.through
    links = [
        through(collectivecontract_id=contract.pk, grassrootsunion_id=union.pk)
        for contract, covered in builder.covered
        for union in covered
    ]
    write(through, links)
    return len(builder.contracts), len(links)


def _show_every_status(rng: random.Random, builder: ContractBuilder, by_pk: dict) -> None:
    """A demo shows every kind of single contract, and one signed but not yet filed, one ended early
    and one still under negotiation, even when chance gave none."""
    singles = [c for c in builder.contracts if c.scope == Scope.SINGLE]
    if not singles:
        return
    today = builder.cal.today
    for kind in Kind.values:
        if not any(c.kind == kind for c in singles):
            plan = by_pk[rng.choice([c for c in singles if by_pk[c.union_id].active] or singles).union_id]
            party = plan.obj.name.removesuffix("工会委员会")
            builder._contract(kind, dt.date(today.year - 1, 5, 1), 3, party=party, union=plan)
    effective = [c for c in builder.contracts if c.status == Status.EFFECTIVE]
    if effective and not any(c.status == Status.TERMINATED for c in builder.contracts):
        ended = rng.choice([c for c in effective if c.scope == Scope.SINGLE] or effective)
        ended.status = Status.TERMINATED
        effective.remove(ended)
    if effective and not any(c.status == Status.SIGNED for c in builder.contracts):
        latest = max(effective, key=lambda c: (c.signed_on, c.title))
        latest.status, latest.filed_on = Status.SIGNED, None  # not yet filed with the labour bureau
    if not any(c.status == Status.NEGOTIATING for c in builder.contracts):
        plan = by_pk[singles[0].union_id]
        party = plan.obj.name.removesuffix("工会委员会")
        builder._contract(Kind.WAGE, dt.date(today.year + 1, 3, 1), 1, party=party, union=plan)
