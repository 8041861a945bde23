"""The generated sentences of a grassroots union's own summary (年度工作总结), section by section, from
the union's catalogue (reports.indicators.union) — the way a union's cadre writes them in
../shared/reference/: the union's own members, contracts, help, activities and honours, and its
election if it held one.

Each writer takes the `Facts` of the union's catalogue (`f.catalogue.union` is the union) and returns
paragraphs; a section the records do not fill gives an empty list (the document leaves it out — no
zeros, no 「暂无」). 存在问题 and 工作计划 are never empty: they say what the figures show, else the
modest sentence. Where a federation writer (reports.summary.narrative) reads as well for one union —
the help and activities sections, the named honours — it is used as it is; the sentences that speak
of 「辖区」 or 「基层工会」 are written here for one union.
"""

from __future__ import annotations

from decimal import Decimal

from federation.scope import Period
from reports.indicators.compute import unions_overdue
from reports.summary import narrative
from reports.summary.figures import (
    Composition,
    Facts,
    Paragraph,
    Strong,
    joined,
    numbered,
    para,
)
from reports.summary.narrative import (
    AID_WORDING,
    CONTRACT_KIND_WORDING,
    CONTRACT_URL,
    DEPARTURE_WORDING,
    LEVEL_WORDING,
    MEMBER_URL,
    MEMBERSHIP_RATE_TARGET,
    UNION_URL,
    _honour_items,
    _honour_title,
    _named,
    _quoted,
    _sentence,
    _split_by,
)
from unions.choices import ENTERPRISE_NATURES, StatisticalGroup
from unions.models import GrassrootsUnion
from unions.scope import UnionScope

# How the union's open-affairs system is called where it works (厂务公开 in an enterprise).
OPEN_AFFAIRS_WORDING: dict[str, str] = {
    StatisticalGroup.ORGAN.value: "政务公开",
    StatisticalGroup.INSTITUTION.value: "事务公开",
}
# The union's own bodies (its flags), in the order the sentence gives them.
BODIES = (
    ("has_women_committee", "女职工委员会"),
    ("has_audit_committee", "经费审查委员会"),
    ("has_labour_supervision", "劳动法律监督小组"),
    ("has_mediation_committee", "劳动争议调解委员会"),
)
# The figures the opening sums the year up with: (indicator, words, money?).
OPENING_FIGURES = (
    ("new_members", "新发展会员", False),
    ("contracts_signed", "签订集体合同", False),
    ("aid_amount", "发放各类帮扶资金", True),
    ("activities", "组织开展职工活动", False),
)


def _union(f: Facts) -> GrassrootsUnion:
    union = f.catalogue.union
    if union is None:
        raise ValueError("a union's summary is written from a union's catalogue (compute_union_catalogue)")
    return union


def _open_affairs(union: GrassrootsUnion) -> str:
    return OPEN_AFFAIRS_WORDING.get(union.statistical_group, "厂务公开")


def _present(f: Facts, wording: tuple[tuple[str, str], ...]) -> list:
    """「女会员40人」 for each indicator of `wording` that has a figure, in the order given."""
    return [[words, *f.n(key)] for key, words in wording if f.now(key)]


def _of_which(split: Composition) -> list:
    """「，其中…」 when the split says more than its total (two parts or more, or a rest)."""
    return ["，其中", split] if len(split.shares) > 1 or split.rest else []


def _alone(split: Composition) -> str:
    """The one part a total consists of, when it is all of it (「退会」); else nothing."""
    return split.shares[0].label if len(split.shares) == 1 and not split.rest else ""


def _with(paragraph: Paragraph, split: Composition) -> Paragraph:
    """A paragraph that prints a split in its own words (「因退会减少会员3人」) keeps it all the same,
    so that the split is checked with the others."""
    paragraph.compositions.append(split)
    return paragraph


# --- Opening ---------------------------------------------------------------------------------------


def opening(f: Facts) -> list[Paragraph]:
    """Under whose leadership, the work the records show, the year in figures, and the lead into 一."""
    union = _union(f)
    areas = [
        words
        for words, keys in (
            ("会员发展", ("new_members", "transferred_in")),
            ("集体协商", ("contracts_signed", "contracts_in_force")),
            ("困难职工帮扶", ("cases_open", "cases_opened", "aid_count")),
            ("职工文体活动", ("activities",)),
        )
        if any(f.now(key) for key in keys)
    ]
    focus = f"围绕{'、'.join(areas)}等工作，" if areas else ""
    parts: list = [
        f"{f.year}年，{union.name}在上级工会{union.federation.name}的领导下，团结带领全体会员，"
        f"{focus}认真履行工会各项职责。"
    ]
    done = [
        [words, *(f.money(key) if money else f.n(key))] for key, words, money in OPENING_FIGURES if f.now(key)
    ]
    if f.now("members"):
        parts += [f"{f.as_of}，工会共有会员", *f.n("members"), "；" if done else "。"]
    if done:
        parts += ["全年", joined(done, "，"), "。"]
    parts.append("现将全年工作情况总结如下。")
    return [para(parts)]


# --- 组织建设和会员 --------------------------------------------------------------------------------


def organisation(f: Facts) -> list[Paragraph]:
    """Members and workers at the period's end, the year's arrivals and departures (every departure
    named by type), the union's bodies and democratic management, its staff, and its election."""
    paragraphs = [_membership(f), _flows(f), _bodies(f), _election(f)]
    return [paragraph for paragraph in paragraphs if paragraph is not None]


def _membership(f: Facts) -> Paragraph | None:
    clauses = []
    if f.now("employees"):
        women = _present(f, (("women_employees", "女职工"),))
        clauses.append(["本单位有职工", *f.n("employees"), *(["，其中", *women] if women else [])])
    if f.now("members"):
        of_whom = _present(
            f, (("women_members", "女会员"), ("migrant_members", "农民工会员"), ("cadre_members", "工会干部"))
        )
        clauses.append(
            [
                "工会会员",
                *f.n("members"),
                f.change("members"),
                *(["，其中", joined(of_whom)] if of_whom else []),
            ]
        )
    rate = f.now("membership_rate")
    if rate is not None and f.now("members"):
        verb = "职工入会率达" if rate >= MEMBERSHIP_RATE_TARGET else "职工入会率为"
        clauses.append([verb, *f.rate("membership_rate"), f.change("membership_rate")])
    return para(f"{f.as_of}，", _sentence(clauses, "；")) if clauses else None


def _flows(f: Facts) -> Paragraph | None:
    clauses = []
    if f.now("new_members"):
        clauses.append(["新发展会员", *f.n("new_members"), f.change("new_members")])
    if f.now("transferred_in"):
        clauses.append(["从其他工会转入会员", *f.n("transferred_in")])
    departures = None
    if f.now("members_left"):
        departures = _split_by(
            f, "members_left", "members_left_by_type", "change_type", "人", DEPARTURE_WORDING
        )
        only = _alone(departures)
        if only:
            clauses.append([f"因{only}减少会员", *f.n("members_left")])
        else:
            clauses.append(["减少会员", *f.n("members_left"), _of_which(departures)])
    if not clauses:
        return None
    paragraph = para("全年", _sentence(clauses))
    if departures is not None and _alone(departures):
        _with(paragraph, departures)
    return paragraph


def _bodies(f: Facts) -> Paragraph | None:
    """The union's flags (its record as it stands) and its staff: 「建立了职工代表大会制度，实行厂务公开」."""
    union = _union(f)
    clauses: list[list] = []
    democracy = []
    if union.has_workers_congress:
        democracy.append("建立了职工代表大会制度")
    if union.has_open_affairs:
        democracy.append(f"实行{_open_affairs(union)}")
    if democracy:
        clauses.append([f"在民主管理方面，{'，'.join(democracy)}"])
    bodies = [words for flag, words in BODIES if getattr(union, flag)]
    if bodies:
        clauses.append([f"工会设有{'、'.join(bodies)}"])
    staff = _present(f, (("full_time_staff", "专职工会工作人员"), ("part_time_staff", "兼职工会工作人员")))
    if union.full_time_chair:
        staff.insert(0, ["专职工会主席"])
    if staff:
        clauses.append(["配备", joined(staff)])
    return para(_sentence(clauses, "；")) if clauses else None


def _election(f: Facts) -> Paragraph | None:
    """「5月1日，工会召开会员（代表）大会，完成换届选举，张建国当选工会主席。」 for the election held in
    the period (the highlight rule elections_named)."""
    items = []
    for row in f.named("elections_named"):
        day = row["held_on"]
        items.append(
            [
                f"{day.month}月{day.day}日，工会召开会员（代表）大会，完成换届选举",
                f"，{row['chair_name']}当选工会主席" if row["chair_name"] else "",
            ]
        )
    return para(joined(items, "；"), "。") if items else None


# --- 维权和集体合同 --------------------------------------------------------------------------------


def rights(f: Facts) -> list[Paragraph]:
    """The contracts signed in the period by kind (with the wage increase), the contracts named, and
    those in force at its end with the workers they cover and those expiring next year."""
    if not (f.now("contracts_signed") or f.now("contracts_in_force")):
        return []
    paragraphs = []
    if f.now("contracts_signed"):
        increase = ()
        if f.now("average_wage_increase") is not None:
            increase = ("，平均工资增幅", *f.rate("average_wage_increase"))
        kinds = _split_by(
            f,
            "contracts_signed",
            "contracts_by_kind",
            "kind",
            "份",
            CONTRACT_KIND_WORDING,
            {"wage": increase},
        )
        only = _alone(kinds)
        if only:
            signed = [f"全年签订{only}", *f.n("contracts_signed"), f.change("contracts_signed")]
            signed += increase if only == CONTRACT_KIND_WORDING["wage"] else ()
        else:
            signed = [
                "全年签订集体合同",
                *f.n("contracts_signed"),
                f.change("contracts_signed"),
                _of_which(kinds),
            ]
        paragraph = para(signed, "。", _contract_named(f))
        paragraphs.append(_with(paragraph, kinds) if only else paragraph)
    if f.now("contracts_in_force"):
        clauses = [[f"{f.as_of}，本单位有效集体合同", *f.n("contracts_in_force")]]
        if f.now("covered_employees"):
            clauses.append(["覆盖职工", *f.n("covered_employees")])
        if f.now("contracts_expiring"):
            clauses.append(["其中", f.fig("contracts_expiring"), f"份将于{f.year + 1}年到期"])
        paragraphs.append(para(_sentence(clauses)))
    return paragraphs


def _contract_named(f: Facts) -> list:
    """「3月1日签订“…工资专项集体合同”，约定工资增长5.0%。」: the first wage contract of the year,
    linked to its record — its own increase only beside others' (alone, the average is its increase)."""
    first = next(iter(f.named("first_wage_contract")), None)
    if not first:
        return []
    day = first["signed_on"]
    clause = [
        f"{day.month}月{day.day}日签订",
        *_quoted("first_wage_contract", first["title"], CONTRACT_URL, first["pk"]),
    ]
    if first["wage_increase_pct"] is not None and (f.now("wage_contracts_signed") or 0) > 1:
        clause.append(f"，约定工资增长{Decimal(first['wage_increase_pct']):.1f}%")
    return [*clause, "。"]


# --- 困难职工帮扶 ----------------------------------------------------------------------------------


HELP_KEYS = ("cases_open", "cases_opened", "cases_resolved", "cases_exited", "aid_count")


def help_section(f: Facts) -> list[Paragraph]:
    """The federation's sentences on cases and aid (reports.summary.narrative.help_section), which
    name no one helped; aid of one kind only says which (送温暖, 金秋助学, …)."""
    if not any(f.now(key) for key in HELP_KEYS):
        return []
    paragraphs = narrative.help_section(f)
    kinds = [row for row in f.rows("aid_by_kind") if row["count"]]
    if len(kinds) == 1 and kinds[0]["count"] == f.now("aid_count"):
        last = paragraphs[-1]
        wording = AID_WORDING.get(kinds[0]["keys"][0], kinds[0]["labels"][0])
        last.parts.append(f"以上帮扶均为{wording}。")
    return paragraphs


# --- 职工活动和技能提升 ----------------------------------------------------------------------------


def activities(f: Facts) -> list[Paragraph]:
    """The federation's sentences on activities (by category, participants, the largest named)."""
    return narrative.activities(f) if f.now("activities") else []


# --- 荣誉 ------------------------------------------------------------------------------------------


def honours(f: Facts) -> list[Paragraph]:
    """The union's honours and its members', by title and level, then the highest of them named."""
    clauses = []
    if f.now("union_honours"):
        items = _honour_items(f, "union_honours", "项")
        clauses.append(["工会获得各级集体荣誉", *f.n("union_honours"), _of_which(items)])
    if f.now("member_honours"):
        items = _honour_items(f, "member_honours", "人次")
        clauses.append(["会员获得各级个人荣誉", *f.n("member_honours", "人次"), _of_which(items)])
    if not clauses:
        return []
    named = _honours_named(f)
    return [para("全年，", _sentence(clauses, "；"), [*named, "。"] if named else [])]


def _honours_named(f: Facts) -> list:
    """「工会主席陈素萍获市级“五一劳动奖章”；工会获市级“工人先锋号”，被评为县区级“模范职工之家”」: the
    honours the highlight rules name (县区级 and above), each linked to its record's page."""
    members = [
        [
            row["role"],
            _named("member_honours_named", row["member__name"], MEMBER_URL, row["member_id"]),
            "获",
            LEVEL_WORDING.get(row["level"], ""),
            _honour_title(row),
        ]
        for row in f.named("member_honours_named")
    ]
    union = [
        [
            "被评为" if rule == "home_ratings_named" else "获",
            LEVEL_WORDING.get(row["level"], ""),
            *_quoted(rule, _honour_title(row).strip("“”"), UNION_URL, row["union_id"]),
        ]
        for rule in ("union_honours_named", "home_ratings_named")
        for row in f.named(rule)
    ]
    if union:
        members.append(["工会", joined(union, "，")])
    return ["其中，", joined(members, "；")] if members else []


# --- 存在问题 and 下一年工作计划 ------------------------------------------------------------------


def _overdue(union: GrassrootsUnion, period) -> bool:
    """The union's term had run out by the period's end without an election (the federation's rule,
    reports.indicators.compute.unions_overdue, over this union)."""
    return bool(unions_overdue(UnionScope(union), period))


def _under_contract(f: Facts) -> bool:
    """Has the union a collective contract in force at the period's end — its own, or a regional or
    sectoral one covering it (whose employees covered_employees counts)?"""
    return bool(f.now("contracts_in_force") or f.now("covered_employees"))


def problems(f: Facts) -> list[Paragraph]:
    """Only what the figures show; the modest sentence when they show nothing amiss."""
    union = _union(f)
    items = []
    rate = f.now("membership_rate")
    if rate is not None and f.now("members") and rate < MEMBERSHIP_RATE_TARGET:
        items.append(
            [
                Strong("会员发展有待加强。"),
                "职工入会率为",
                *f.rate("membership_rate"),
                "，仍有职工未加入工会。",
            ]
        )
    if _overdue(union, f.catalogue.period):
        items.append([Strong("换届选举不够及时。"), "本届工会委员会任期已满，尚未完成换届选举。"])
    # A union covered by a regional or sectoral contract (covered_employees) has one in force too.
    if union.employer_nature in ENTERPRISE_NATURES and not _under_contract(f):
        items.append([Strong("集体协商工作有待推进。"), f"{f.as_of}，本单位没有有效的集体合同。"])
    return narrative.shortcomings(f, items)


def plan(f: Facts, next_year: int) -> list[Paragraph]:
    """Concrete items from the figures (换届, 续签, 帮扶复核 …), then the modest general ones."""
    union = _union(f)
    items = []
    rate = f.now("membership_rate")
    if rate is not None and f.now("members") and rate < MEMBERSHIP_RATE_TARGET:
        items.append([Strong("扩大会员覆盖。"), "动员未入会职工加入工会，提高职工入会率。"])
    if _overdue(union, f.catalogue.period):
        items.append(
            [Strong("按期完成换届选举。"), "在上级工会指导下召开会员（代表）大会，完成工会委员会换届。"]
        )
    elif _overdue(union, _next_period(f, next_year)):
        items.append(
            [
                Strong("做好换届准备。"),
                f"本届工会委员会任期将于{next_year}年届满，提前做好换届选举的各项准备。",
            ]
        )
    if f.now("contracts_expiring"):
        items.append(
            [
                Strong("做好集体合同续签。"),
                "做好",
                f.fig("contracts_expiring"),
                f"份将于{next_year}年到期的集体合同的续签工作。",
            ]
        )
    elif union.employer_nature in ENTERPRISE_NATURES:
        verb = "深化集体协商。" if _under_contract(f) else "推进集体协商。"
        items.append([Strong(verb), "就劳动报酬、劳动安全卫生等事项与企业开展集体协商，维护职工合法权益。"])
    democracy = [
        *([] if union.has_workers_congress else ["推动建立职工代表大会制度"]),
        *([] if union.has_open_affairs else [f"推行{_open_affairs(union)}"]),
    ]
    if democracy:
        items.append(
            [Strong("健全民主管理制度。"), "，".join(democracy), "，保障职工的知情权、参与权和监督权。"]
        )
    if f.now("cases_open") or f.now("aid_count"):
        help_item = [Strong("做好困难职工帮扶。"), "加强困难职工档案动态管理，按时复核"]
        if f.now("cases_overdue_review"):
            help_item += ["（现有", f.fig("cases_overdue_review"), "户待复核）"]
        help_item.append("，继续开展送温暖、金秋助学等帮扶活动。")
        items.append(help_item)
    items.append([Strong("丰富职工文化生活。"), "结合职工需求组织文体活动和技能竞赛，增强工会的凝聚力。"])
    items.append(
        [Strong("加强工会自身建设。"), "落实会员实名制管理，做好会员发展和会籍转接工作，提升服务会员的能力。"]
    )
    return [para(f"{next_year}年，我会将重点做好以下工作："), *numbered(items)]


def _next_period(f: Facts, next_year: int) -> Period:
    """The period the plan looks to: the rest of the year after a half-year, else the next year."""
    return Period(f.year) if f.catalogue.kind != Period.kind else Period(next_year)
