"""The named highlights of the summary (reports.indicators.highlights): which records each rule picks,
how ties break, nothing when there are no records, and every name linked to its record on the page."""

import datetime as dt
import html
import re

from django.urls import reverse

from members.models import MemberHonour
from reports.indicators.base import Period, Scope
from reports.indicators.highlights import compute_highlights
from reports.summary.document import build_summary
from reports.summary.figures import Named
from reports.summary.render import render_summary_html
from tests.support.factories import (
    ActivityFactory,
    ContractFactory,
    ElectionFactory,
    MemberFactory,
    UnionFactory,
)
from unions.activities.models import Activity
from unions.choices import ContractKind, HonourLevel, HonourTitle
from unions.models import UnionHonour

Y = 2025


def named(federation, rule):
    return compute_highlights(Scope(federation), Period(Y))[rule]


def _member_honour(member, level, title=HonourTitle.MAY_DAY_MEDAL, year=Y):
    return MemberHonour.objects.create(member=member, title=title, level=level, year=year)


def test_the_highest_level_honours_are_named_first_with_the_chair_called_chair(township):
    union = UnionFactory(federation=township, employer_name="东风机械公司", chair_name="陈素萍")
    chair = MemberFactory(union=union, name="陈素萍", is_cadre=True)
    welder = MemberFactory(union=union, name="王强", job="焊工")
    clerk = MemberFactory(union=union, name="李梅")
    _member_honour(welder, HonourLevel.CITY, HonourTitle.MODEL_WORKER)
    _member_honour(clerk, HonourLevel.TOWNSHIP)  # below 县区级: counted, never named
    _member_honour(chair, HonourLevel.NATIONAL)
    _member_honour(clerk, HonourLevel.NATIONAL, year=Y - 1)  # another year

    rows = named(township, "member_honours_named")

    assert [(row["member__name"], row["level"]) for row in rows] == [("陈素萍", "national"), ("王强", "city")]
    assert [row["role"] for row in rows] == ["工会主席", "焊工"]
    text = "".join(
        str(p) for s in build_summary(township, Y).sections if s.key == "honours" for p in s.generated
    )
    assert "东风机械公司工会主席陈素萍获全国“五一劳动奖章”" in text
    assert "李梅" not in text


def test_ties_break_by_title_order_then_the_record_entered_first(township):
    union = UnionFactory(federation=township)
    first, second, third, fourth = (MemberFactory(union=union, name=n) for n in ("甲", "乙", "丙", "丁"))
    _member_honour(second, HonourLevel.PROVINCIAL, HonourTitle.MODEL_WORKER)
    _member_honour(first, HonourLevel.PROVINCIAL, HonourTitle.MODEL_WORKER)
    _member_honour(third, HonourLevel.PROVINCIAL, HonourTitle.MAY_DAY_MEDAL)  # the title listed first
    _member_honour(fourth, HonourLevel.PROVINCIAL, HonourTitle.EXCELLENT_CADRE)

    rows = named(township, "member_honours_named")

    # Names are not compared (collations differ between databases): the honour entered first leads.
    assert [row["member__name"] for row in rows] == ["丙", "乙", "甲"]  # three at most, the fourth left out
    assert rows == named(township, "member_honours_named")  # the same choice every time


def test_home_ratings_are_named_apart_from_other_union_honours(township):
    home = UnionFactory(federation=township, name="甲公司工会委员会")
    vanguard = UnionFactory(federation=township, name="乙公司工会委员会")
    UnionHonour.objects.create(
        union=home, title=HonourTitle.ADVANCED_HOME, level=HonourLevel.TOWNSHIP, year=Y
    )
    UnionHonour.objects.create(union=home, title=HonourTitle.MODEL_HOME, level=HonourLevel.TOWNSHIP, year=Y)
    UnionHonour.objects.create(
        union=vanguard, title=HonourTitle.OTHER, title_other="工人先锋号", level=HonourLevel.CITY, year=Y
    )

    homes = named(township, "home_ratings_named")
    others = named(township, "union_honours_named")

    assert [row["title"] for row in homes] == ["model_home", "advanced_home"]
    assert [row["union__name"] for row in others] == ["乙公司工会委员会"]
    text = "".join(
        str(p) for s in build_summary(township, Y).sections if s.key == "honours" for p in s.generated
    )
    assert "一是集体荣誉方面，乙公司工会委员会获市级“工人先锋号”" in text
    assert "二是职工之家建设方面，甲公司工会委员会被评为乡镇(街道)级“模范职工之家”" in text


def test_nothing_is_named_without_records(township):
    UnionFactory(federation=township)

    assert all(rows == [] for rows in compute_highlights(Scope(township), Period(Y)).values())
    document = build_summary(township, Y)
    assert [n for s in document.sections for p in s.generated for n in p.highlights] == []


def test_the_largest_activities_by_participants_earliest_first_on_a_tie(township):
    union = UnionFactory(federation=township)
    ActivityFactory(union=union, title="小型读书会", participants=20)
    ActivityFactory(union=union, title="秋季运动会", participants=300, starts_on=dt.date(Y, 10, 1))
    ActivityFactory(union=union, title="春季健步走", participants=300, starts_on=dt.date(Y, 4, 1))
    ActivityFactory(
        union=union, title="“安康杯”知识竞赛", participants=120, category=Activity.Category.ANKANG_CUP
    )
    ActivityFactory(
        union=union, title="干部培训班", participants=900, category=Activity.Category.CADRE_TRAINING
    )

    rows = named(township, "largest_activities")

    assert [row["title"] for row in rows] == ["春季健步走", "秋季运动会", "“安康杯”知识竞赛"]
    text = "".join(str(p) for s in build_summary(township, Y).sections for p in s.generated)
    assert "参加安康杯竞赛的职工120人次。" in text
    assert (
        "参与人次最多的活动有“春季健步走”（300人次）、“秋季运动会”（300人次）、“‘安康杯’知识竞赛”（120人次）"
        in text
    )


def test_the_first_wage_contract_of_the_year_names_its_enterprise(township):
    early = UnionFactory(federation=township, employer_name="早签公司")
    late = UnionFactory(federation=township, employer_name="晚签公司")
    ContractFactory(union=late, kind=ContractKind.WAGE, signed_on=dt.date(Y, 5, 1), covered_employees=10)
    ContractFactory(union=early, kind=ContractKind.WAGE, signed_on=dt.date(Y, 3, 8), wage_increase_pct=6)
    ContractFactory(union=early, kind=ContractKind.WAGE, signed_on=dt.date(Y - 1, 12, 1))
    big = ContractFactory(union=late, title="晚签公司集体合同", covered_employees=900)

    assert [row["party"] for row in named(township, "first_wage_contract")] == ["早签公司"]
    assert [row["pk"] for row in named(township, "largest_contract")] == [big.pk]
    text = "".join(str(p) for s in build_summary(township, Y).sections for p in s.generated)
    assert "3月8日，早签公司签订全年首份工资专项集体合同，约定工资增长6.0%" in text
    assert "覆盖职工最多的是晚签公司签订的“晚签公司集体合同”，覆盖职工900人" in text


def test_own_work_lists_its_threads_with_the_federations_own_activities_first(township):
    union = UnionFactory(federation=township, name="丙公司工会委员会")
    ActivityFactory(union=union, title="企业调研", category=Activity.Category.RESEARCH, participants=99)
    ActivityFactory(
        union=None, federation=township, title="联合会专题调研", category=Activity.Category.RESEARCH
    )
    ActivityFactory(
        union=None, federation=township, title="基层工会主席培训班", category=Activity.Category.CADRE_TRAINING
    )
    ElectionFactory(union=union)

    assert [row["title"] for row in named(township, "research_named")] == ["联合会专题调研", "企业调研"]
    section = next(s for s in build_summary(township, Y).sections if s.key == "own_work")
    text = "".join(str(p) for p in section.generated)
    assert text.startswith("在联合会自身建设方面，一是加强工会干部队伍建设，举办工会干部培训1期")
    assert "二是深入开展调查研究，全年开展调研2次，包括“联合会专题调研”“企业调研”" in text
    assert "三是指导基层工会按期换届，全年有1个基层工会完成换届选举，包括丙公司工会委员会" in text


def test_every_named_highlight_links_to_its_record_on_the_page(client, township, township_staff):
    union = UnionFactory(federation=township)
    member = MemberFactory(union=union, name="陈素萍")
    _member_honour(member, HonourLevel.NATIONAL)
    activity = ActivityFactory(union=union, title="职工运动会", participants=80)
    contract = ContractFactory(union=union, kind=ContractKind.WAGE)
    ElectionFactory(union=union)
    client.force_login(township_staff)

    page = client.get(reverse("reports:summary", args=[township.pk, Y])).content.decode()

    links = {
        (html.unescape(text), href)
        for href, text in re.findall(r'<a class="named" href="([^"]+)" title="[^"]+">([^<]+)</a>', page)
    }
    document = build_summary(township, Y)
    names = [n for s in document.sections for p in s.generated for n in p.highlights]
    assert len(names) >= 4 and all(isinstance(n, Named) and n.title for n in names)
    assert {(n.text, n.url) for n in names} <= links
    assert ("陈素萍", reverse("members:detail", args=[member.pk])) in links
    assert ("职工运动会", reverse("activities:detail", args=[activity.pk])) in links
    assert (union.employer_name, reverse("unions:contract-detail", args=[contract.pk])) in links
    assert (union.name, reverse("unions:detail", args=[union.pk])) in links


def test_the_pdfs_html_prints_names_without_links(township):
    union = UnionFactory(federation=township)
    _member_honour(MemberFactory(union=union, name="陈素萍"), HonourLevel.NATIONAL)

    page = render_summary_html(build_summary(township, Y))

    assert '<span class="named">陈素萍</span>' in page and 'class="named" href' not in page


def test_figures_stored_before_the_highlights_existed_are_recomputed_not_shown_without_names(township):
    from reports.indicators import stored
    from reports.models import StoredFigures

    union = UnionFactory(federation=township)
    _member_honour(MemberFactory(union=union, name="陈素萍"), HonourLevel.NATIONAL)
    stored.refresh(township, Y)
    row = StoredFigures.objects.get(federation=township, year=Y)
    del row.data["catalogue"]["highlights"]  # as a row written before this release holds it
    row.save()

    assert stored.fresh_figures(township, Y) is None
    figures = stored.figures_for(township, Y)
    assert [r["member__name"] for r in figures.catalogue.highlights["member_honours_named"]] == ["陈素萍"]
