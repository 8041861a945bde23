"""Named highlights of the annual summary: the records a section names — who won the highest honours,
which activities drew the most workers, which enterprise signed the first wage contract — chosen by
the written rules below, never invented: every name is read from a record, and the summary's HTML
links each to that record.

Each rule is a `Highlight`: key, label, the written definition (shown beside the catalogue's
indicators), and one query for a subtree and a year, which returns at most a few plain rows (JSON
values only: they are stored with the figures, reports.indicators.stored). Every ordering ends on the
primary key, so that the same records always give the same choice. The number of queries is fixed
(one per rule), whatever the number of records.

People (DESIGN.md, Member): a member is named only for an honour, which is public by its nature,
with the name and the job or the union office the records hold — never an ID number or a phone.
Nobody helped from hardship is ever named: the help section names no one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from reports.indicators import records as r
from reports.indicators.base import AnyScope, Period, Scope
from unions.activities.models import Activity
from unions.choices import ContractKind, HonourLevel, HonourTitle

# Levels from the highest; honours at these levels are named (a 乡镇(街道)级 honour is counted only).
LEVEL_ORDER = [level.value for level in HonourLevel]
NAMED_LEVELS = (HonourLevel.NATIONAL, HonourLevel.PROVINCIAL, HonourLevel.CITY, HonourLevel.COUNTY)
# The 职工之家 ratings, from the highest.
HOME_TITLES = (HonourTitle.MODEL_HOME, HonourTitle.ADVANCED_HOME, HonourTitle.QUALIFIED_HOME)
TITLE_ORDER = [title.value for title in HonourTitle]
# The federation's own work (section 六), apart from the workers' activities of section 四.
OWN_WORK_CATEGORIES = (Activity.Category.CADRE_TRAINING, Activity.Category.RESEARCH)

HONOURS_NAMED = 3
HOMES_NAMED = 3
ACTIVITIES_NAMED = 3
OWN_WORK_NAMED = 3
ELECTIONS_NAMED = 3


def _rank(field: str, order: list[str]) -> Case:
    """The position of a choice in its official order (the highest level, the first title: 0)."""
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def _top(queryset: QuerySet, order: tuple, limit: int, **ranks) -> QuerySet:
    """The first `limit` records of `queryset` in `order` (which may use `ranks`, annotations), as a
    queryset to name them from: the few are chosen from their own table alone (an inner query), so
    that only they, not the year's thousands, are joined to the member, union or organiser named."""
    top = queryset.annotate(**ranks).order_by(*order).values("pk")[:limit]
    return queryset.model.objects.filter(pk__in=top).annotate(**ranks).order_by(*order)


def _honours(queryset: QuerySet, name_fields: tuple[str, ...], limit: int) -> list[dict]:
    """The `limit` highest honours (by level, then title) with their names."""
    ranks = {"level_rank": _rank("level", LEVEL_ORDER), "title_rank": _rank("title", TITLE_ORDER)}
    order = ("level_rank", "title_rank", "pk")
    return list(
        _top(queryset, order, limit, **ranks).values("pk", "title", "title_other", "level", *name_fields)
    )


def member_honours_named(scope: AnyScope, period: Period) -> list[dict]:
    rows = _honours(
        r.member_honours_in(scope, period).filter(level__in=NAMED_LEVELS),
        (
            "member_id",
            "member__name",
            "member__is_cadre",
            "member__job",
            "member__union__employer_name",
            "member__union__chair_name",
        ),
        HONOURS_NAMED,
    )
    for row in rows:
        # 「XX公司工会主席陈XX」: the chair is the cadre whose name the union records as its chair.
        is_chair = row["member__is_cadre"] and row["member__name"] == row["member__union__chair_name"]
        row["role"] = "工会主席" if is_chair else (row["member__job"] or "")
    return rows


def union_honours_named(scope: AnyScope, period: Period) -> list[dict]:
    return _honours(
        r.union_honours_in(scope, period).filter(level__in=NAMED_LEVELS).exclude(title__in=HOME_TITLES),
        ("union_id", "union__name"),
        HONOURS_NAMED,
    )


def home_ratings_named(scope: AnyScope, period: Period) -> list[dict]:
    return _honours(
        r.union_honours_in(scope, period).filter(title__in=HOME_TITLES),
        ("union_id", "union__name"),
        HOMES_NAMED,
    )


def _organiser() -> Coalesce:
    return Coalesce(F("union__name"), F("federation__name"))


def largest_activities(scope: AnyScope, period: Period) -> list[dict]:
    activities = (
        r.activities_in(scope, period).exclude(category__in=OWN_WORK_CATEGORIES).filter(participants__gt=0)
    )
    return list(
        _top(activities, ("-participants", "starts_on", "pk"), ACTIVITIES_NAMED)
        .annotate(organiser=_organiser())
        .values("pk", "title", "category", "participants", "starts_on", "organiser")
    )


def _own_work(category: str) -> Callable[[Scope, Period], list[dict]]:
    def rows(scope: AnyScope, period: Period) -> list[dict]:
        return list(
            r.activities_in(scope, period)
            .filter(category=category)
            .annotate(by_federation=Case(When(federation__isnull=False, then=Value(0)), default=Value(1)))
            .order_by("by_federation", "-participants", "starts_on", "pk")
            .values("pk", "title", "participants", "starts_on")[:OWN_WORK_NAMED]
        )

    return rows


def _contract_values(queryset: QuerySet) -> list[dict]:
    return list(
        queryset.annotate(party=Coalesce(F("union__employer_name"), F("federation__name"))).values(
            "pk", "title", "kind", "scope", "signed_on", "covered_employees", "wage_increase_pct", "party"
        )[:1]
    )


def first_wage_contract(scope: AnyScope, period: Period) -> list[dict]:
    return _contract_values(
        r.contracts_signed_in(scope, period).filter(kind=ContractKind.WAGE).order_by("signed_on", "pk")
    )


def largest_contract(scope: AnyScope, period: Period) -> list[dict]:
    return _contract_values(
        r.contracts_signed_in(scope, period)
        .filter(covered_employees__gt=0)
        .order_by("-covered_employees", "signed_on", "pk")
    )


def elections_named(scope: AnyScope, period: Period) -> list[dict]:
    return list(
        r.elections_in(scope, period)
        .order_by("held_on", "pk")
        .values("pk", "union_id", "union__name", "held_on", "chair_name")[:ELECTIONS_NAMED]
    )


@dataclass(frozen=True)
class Highlight:
    key: str
    label: str
    section: str
    definition: str
    rows: Callable[[Scope, Period], list[dict]]


HIGHLIGHTS: list[Highlight] = [
    Highlight(
        "member_honours_named",
        _("获得高级别荣誉的会员"),
        "honours",
        _(
            "本年度会员获得的县区级及以上荣誉，按级别从高到低（全国、省、市、县区）、再按荣誉称号的"
            "规定顺序、再按录入先后排列，列出前3项；会员是其工会登记的主席时称“工会主席”，否则写其工作岗位。"
        ),
        member_honours_named,
    ),
    Highlight(
        "union_honours_named",
        _("获得高级别荣誉的基层工会"),
        "honours",
        _("本年度基层工会获得的县区级及以上荣誉（职工之家评定另列），排序同上，列出前3项。"),
        union_honours_named,
    ),
    Highlight(
        "home_ratings_named",
        _("职工之家评定"),
        "honours",
        _(
            "本年度基层工会获评的模范、先进、合格职工之家，按级别从高到低、再按模范、先进、合格排列，列出前3个。"
        ),
        home_ratings_named,
    ),
    Highlight(
        "largest_activities",
        _("参与人次最多的活动"),
        "activities",
        _(
            "本年度开始的职工活动（工会干部培训和调查研究除外）中参与人次最多的3项；"
            "人次相同的，开始日期早的在前。"
        ),
        largest_activities,
    ),
    Highlight(
        "first_wage_contract",
        _("首份工资专项集体合同"),
        "rights",
        _("本年度签订日期最早的工资专项集体合同（同日签订的，先录入的在前）及其签订单位。"),
        first_wage_contract,
    ),
    Highlight(
        "largest_contract",
        _("覆盖职工最多的集体合同"),
        "rights",
        _("本年度签订的集体合同中覆盖职工数最多的一份（相同的，签订日期早的在前）。"),
        largest_contract,
    ),
    Highlight(
        "cadre_trainings_named",
        _("工会干部培训"),
        "own_work",
        _("本年度的工会干部培训：联合会举办的在前，再按参训人次从多到少、开始日期排列，列出前3期。"),
        _own_work(Activity.Category.CADRE_TRAINING),
    ),
    Highlight(
        "research_named",
        _("调查研究"),
        "own_work",
        _("本年度的调查研究：联合会开展的在前，再按参与人次从多到少、开始日期排列，列出前3项。"),
        _own_work(Activity.Category.RESEARCH),
    ),
    Highlight(
        "elections_named",
        _("完成换届选举的基层工会"),
        "own_work",
        _("本年度举行换届选举的基层工会，按选举日期排列，列出前3个。"),
        elections_named,
    ),
]

HIGHLIGHT_BY_KEY = {h.key: h for h in HIGHLIGHTS}


def compute_highlights(scope: AnyScope, period: Period) -> dict[str, list[dict]]:
    """Every rule's rows for the subtree and the year: one query per rule."""
    return {h.key: h.rows(scope, period) for h in HIGHLIGHTS}
