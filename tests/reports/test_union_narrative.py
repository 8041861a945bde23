"""The generated sentences of a grassroots union's own summary (reports.summary.union_narrative): the
right figures in each section, sections without records left empty, every 「其中」 a split that adds
up to its total, the election only in its year, nobody helped named — on hand-built records and on
every union of the demo ledger (tier S)."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from members.choices import AidKind, ChangeType
from members.models import MemberHonour
from reports.indicators.union import compute_union_catalogue
from reports.summary import union_narrative as un
from reports.summary.figures import Facts, Figure, Named
from reports.summary.narrative import MODEST_SHORTCOMINGS
from reports.summary.periods import wording_of
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    ElectionFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    membership_change,
)
from unions.choices import ContractKind, EmployerNature, HonourLevel, HonourTitle
from unions.models import GrassrootsUnion

Y = 2025
SECTIONS = (un.organisation, un.rights, un.help_section, un.activities, un.honours)


def facts(union, year=Y, kind="year"):
    return Facts(compute_union_catalogue(union, year, kind))


def text(paragraphs):
    return "".join(p.text for p in paragraphs)


def splits(paragraphs):
    return [split for p in paragraphs for split in p.compositions]


def every_paragraph(f):
    return [
        *un.opening(f),
        *(p for writer in SECTIONS for p in writer(f)),
        *un.problems(f),
        *un.plan(f, f.year + 1),
    ]


@pytest.fixture
def union(township):
    union = UnionFactory(
        federation=township,
        name="东风机械公司工会委员会",
        employer_name="东风机械公司",
        has_workers_congress=True,
        has_open_affairs=True,
        has_women_committee=True,
    )
    UnionYearFactory(union=union, year=Y, employees=12)
    return union


def _leave(member, change_type, day=dt.date(Y, 6, 1), **more):
    membership_change(member=member, union=member.union, change_type=change_type, changed_on=day, **more)


@pytest.fixture
def members(union, township):
    """Ten members at the end of last year (four women, two migrant workers, one cadre); in the year
    three joined and one was transferred in, and five left: two withdrew, one was transferred out,
    one expelled, one died."""
    old = [
        MemberFactory(
            union=union, gender="F" if i < 4 else "M", is_migrant_worker=i in (4, 5), is_cadre=i == 9
        )
        for i in range(10)
    ]
    for day in (dt.date(Y, 2, 1), dt.date(Y, 3, 1), dt.date(Y, 4, 1)):
        MemberFactory(union=union, joined_on=day)
    sender = UnionFactory(federation=township)
    arrived = MemberFactory(union=union, join_entry=False)
    membership_change(
        member=arrived,
        union=union,
        change_type=ChangeType.TRANSFER_IN,
        changed_on=dt.date(Y, 5, 1),
        counterpart_union=sender,
    )
    _leave(old[0], ChangeType.WITHDRAW)
    _leave(old[1], ChangeType.WITHDRAW)
    _leave(old[4], ChangeType.TRANSFER_OUT, counterpart_union=sender)
    _leave(old[6], ChangeType.EXPEL)
    _leave(old[7], ChangeType.DEATH)
    return old


# --- 组织建设和会员 ----------------------------------------------------------------------------------


def test_organisation_gives_the_members_their_change_and_every_departure_by_type(union, members):
    f = facts(union)

    paragraphs = un.organisation(f)

    said = text(paragraphs)
    assert "本单位有职工12人，其中女职工4人；工会会员9人，比上年减少1人" in said
    assert "其中女会员2人、农民工会员1人、工会干部1人" in said
    assert "职工入会率为75.0%" in said
    assert (
        "全年新发展会员3人，从其他工会转入会员1人，减少会员5人，其中退会2人、转出1人、除名1人、去世1人。"
        in said
    )
    (left,) = [split for split in splits(paragraphs) if split.key == "members_left"]
    assert left.adds_up and left.rest == 0 and left.total == f.now("members_left") == 5
    assert [share.label for share in left.shares] == ["退会", "转出", "除名", "去世"]


def test_a_single_kind_of_departure_is_named_in_the_sentence_and_still_checked(union):
    member = MemberFactory(union=union)
    _leave(member, ChangeType.WITHDRAW)

    paragraphs = un.organisation(facts(union))

    assert "因退会减少会员1人" in text(paragraphs)
    (left,) = splits(paragraphs)
    assert left.adds_up and [share.label for share in left.shares] == ["退会"]


def test_the_unions_democratic_management_and_bodies_are_said_from_its_record(union, members):
    said = text(un.organisation(facts(union)))

    assert "建立了职工代表大会制度，实行厂务公开" in said
    assert "工会设有女职工委员会" in said
    assert "经费审查委员会" not in said


def test_an_organ_union_practises_open_government_affairs(township):
    union = UnionFactory(
        federation=township, employer_nature=EmployerNature.GOVERNMENT_ORGAN, has_open_affairs=True
    )
    MemberFactory(union=union)

    assert "实行政务公开" in text(un.organisation(facts(union)))


def test_the_election_is_said_in_its_year_only(union, members):
    ElectionFactory(union=union, held_on=dt.date(Y, 5, 18), chair_name="陈素萍")

    said = {year: text(un.organisation(facts(union, year))) for year in (Y - 1, Y, Y + 1)}

    assert "5月18日，工会召开会员（代表）大会，完成换届选举，陈素萍当选工会主席。" in said[Y]
    assert "换届" not in said[Y - 1] and "换届" not in said[Y + 1]


# --- Sections without records ----------------------------------------------------------------------


def test_a_union_without_contracts_cases_activities_or_honours_gets_no_such_sections(union, members):
    f = facts(union)

    assert un.rights(f) == [] and un.help_section(f) == [] and un.activities(f) == [] and un.honours(f) == []
    assert un.organisation(f) and un.problems(f) and un.plan(f, Y + 1)


def test_a_union_without_any_record_says_no_figure_anywhere(township):
    union = UnionFactory(federation=township)

    f = facts(union)

    assert [writer(f) for writer in SECTIONS] == [[], [], [], [], []]
    assert "现将全年工作情况总结如下。" in text(un.opening(f))
    assert not any(isinstance(part, Figure) for p in every_paragraph(f) for part in p.parts)


# --- 维权和集体合同 ----------------------------------------------------------------------------------


def test_rights_gives_contracts_by_kind_wage_increase_coverage_and_expiry(union):
    ContractFactory(union=union, kind=ContractKind.COMPREHENSIVE, ends_on=dt.date(Y + 2, 12, 31))
    ContractFactory(
        union=union,
        kind=ContractKind.WAGE,
        title="2025年工资专项集体合同",
        signed_on=dt.date(Y, 4, 8),
        starts_on=dt.date(Y, 4, 8),
        ends_on=dt.date(Y + 1, 4, 7),
        wage_increase_pct=Decimal("5.00"),
    )
    f = facts(union)

    paragraphs = un.rights(f)

    said = text(paragraphs)
    assert "全年签订集体合同2份，其中综合性集体合同1份、工资专项集体合同1份，平均工资增幅5.0%。" in said
    assert "4月8日签订“2025年工资专项集体合同”。" in said
    assert "本单位有效集体合同2份，覆盖职工12人，其中1份将于2026年到期。" in said
    (kinds,) = splits(paragraphs)
    assert kinds.adds_up and kinds.total == f.now("contracts_signed") == 2
    assert [n.text for p in paragraphs for n in p.highlights] == ["2025年工资专项集体合同"]


def test_the_increase_of_each_wage_contract_is_given_beside_the_average(union):
    for pct, day in ((Decimal("4.00"), dt.date(Y, 2, 1)), (Decimal("6.00"), dt.date(Y, 5, 1))):
        ContractFactory(
            union=union, kind=ContractKind.WAGE, wage_increase_pct=pct, signed_on=day, starts_on=day
        )

    said = text(un.rights(facts(union)))

    assert said.startswith("全年签订工资专项集体合同2份，平均工资增幅5.0%。2月1日签订“")
    assert "”，约定工资增长4.0%。" in said


def test_a_contract_of_one_kind_is_named_by_its_kind(union):
    ContractFactory(union=union, kind=ContractKind.WOMEN)

    paragraphs = un.rights(facts(union))

    assert text(paragraphs).startswith("全年签订女职工权益保护专项集体合同1份。")
    assert [split.adds_up for split in splits(paragraphs)] == [True]


def test_a_contract_in_force_from_earlier_years_still_fills_the_section(union):
    ContractFactory(union=union, signed_on=dt.date(Y - 1, 3, 1), starts_on=dt.date(Y - 1, 3, 1))

    said = text(un.rights(facts(union)))

    assert "全年签订" not in said and "本单位有效集体合同1份" in said


# --- 困难职工帮扶 ------------------------------------------------------------------------------------


def test_help_gives_cases_and_aid_by_kind_and_names_nobody_helped(union):
    helped = [MemberFactory(union=union, name=name) for name in ("困难甲", "困难乙", "困难丙")]
    for member in helped[:2]:
        HardshipCaseFactory(member=member)
    AidRecordFactory(member=helped[0], kind=AidKind.FESTIVAL, amount=Decimal("800.00"))
    AidRecordFactory(member=helped[1], kind=AidKind.FESTIVAL, amount=Decimal("800.00"))
    AidRecordFactory(
        member=helped[2],
        kind=AidKind.EDUCATION,
        amount=Decimal("2000.00"),
        students_helped=1,
        aid_on=dt.date(Y, 9, 1),
    )
    f = facts(union)

    paragraphs = un.help_section(f)

    said = text(paragraphs)
    assert "在档困难职工2户" in said and "新建档2户" in said
    assert "全年共开展各类帮扶3人次，惠及职工3人，发放帮扶资金共计3,600元" in said
    assert "节日慰问（送温暖）2人次，发放慰问金1,600元" in said
    assert "金秋助学1人次，资助困难职工子女1人，发放助学金2,000元" in said
    assert all(split.adds_up for split in splits(paragraphs))
    everything = text(every_paragraph(f))
    assert not any(member.name in everything for member in helped)
    assert not any(member.id_number in everything for member in helped)


def test_aid_of_one_kind_says_which_kind(union):
    AidRecordFactory(member=MemberFactory(union=union), kind=AidKind.FESTIVAL)

    assert text(un.help_section(facts(union))).endswith("以上帮扶均为节日慰问（送温暖）。")


# --- 职工活动和技能提升 ------------------------------------------------------------------------------


def test_activities_by_category_with_the_largest_named(union):
    ActivityFactory(union=union, title="职工运动会", participants=120)
    ActivityFactory(union=union, title="读书分享会", participants=30, category="reading")
    f = facts(union)

    paragraphs = un.activities(f)

    said = text(paragraphs)
    assert "全年共组织开展各类职工活动2场次" in said and "参与职工150人次" in said
    assert "文体活动1场、职工书屋与读书活动1场" in said
    assert "“职工运动会”（120人次）" in said
    (categories,) = splits(paragraphs)
    assert categories.adds_up and categories.total == 2
    assert {n.text for p in paragraphs for n in p.highlights} >= {"职工运动会", "读书分享会"}


# --- 荣誉 ----------------------------------------------------------------------------------------


def test_honours_of_the_union_and_its_members_are_counted_and_named(union):
    union.chair_name = "陈素萍"
    union.save()
    chair = MemberFactory(union=union, name="陈素萍", is_cadre=True)
    MemberHonour.objects.create(member=chair, title=HonourTitle.MAY_DAY_MEDAL, level=HonourLevel.CITY, year=Y)
    union.honours.create(title=HonourTitle.MODEL_HOME, level=HonourLevel.COUNTY, year=Y)
    union.honours.create(title=HonourTitle.OTHER, title_other="工人先锋号", level=HonourLevel.CITY, year=Y)

    paragraphs = un.honours(facts(union))

    said = text(paragraphs)
    assert said == (
        "全年，工会获得各级集体荣誉2项，其中县区级“模范职工之家”1项、市级其他荣誉1项；"
        "会员获得各级个人荣誉1人次。"
        "其中，工会主席陈素萍获市级“五一劳动奖章”；工会获市级“工人先锋号”，被评为县区级“模范职工之家”。"
    )
    assert all(split.adds_up for split in splits(paragraphs))
    assert [n.text for p in paragraphs for n in p.highlights] == ["陈素萍", "工人先锋号", "模范职工之家"]
    assert all(isinstance(n, Named) and n.url for p in paragraphs for n in p.highlights)


# --- Opening, 存在问题, 工作计划 ---------------------------------------------------------------------


def test_the_opening_names_the_union_and_its_federation_and_only_the_work_recorded(union, members):
    said = text(un.opening(facts(union)))

    assert said.startswith("2025年，东风机械公司工会委员会在上级工会测试街道工会联合会的领导下")
    assert "围绕会员发展等工作" in said
    assert "截至年底，工会共有会员9人；全年新发展会员3人。现将全年工作情况总结如下。" in said
    assert "集体协商" not in said and "帮扶" not in said


def test_problems_and_plan_say_what_the_figures_show(union, members):
    ContractFactory(union=union, ends_on=dt.date(Y + 1, 6, 30))
    f = facts(union)

    problems, plan = text(un.problems(f)), text(un.plan(f, Y + 1))

    assert "职工入会率为75.0%" in problems
    assert "本届工会委员会任期已满，尚未完成换届选举" in problems  # elected 2015, a term of 5 years
    assert "按期完成换届选举" in plan and "动员未入会职工加入工会" in plan
    assert plan.startswith("2026年，我会将重点做好以下工作：")
    assert "做好1份将于2026年到期的集体合同的续签工作" in plan


def test_a_term_ending_next_year_is_planned_for(union, members):
    ElectionFactory(union=union, held_on=dt.date(Y - 4, 5, 1), term_years=5)

    f = facts(union)

    assert "换届" not in text(un.problems(f))
    assert "本届工会委员会任期将于2026年届满" in text(un.plan(f, Y + 1))


def test_nothing_amiss_gives_the_modest_sentence(township):
    union = UnionFactory(federation=township, employer_nature=EmployerNature.GOVERNMENT_ORGAN)
    ElectionFactory(union=union, held_on=dt.date(Y, 5, 1))
    UnionYearFactory(union=union, year=Y, employees=2)
    MemberFactory(union=union)
    MemberFactory(union=union)

    assert text(un.problems(facts(union))) == MODEST_SHORTCOMINGS


def test_an_enterprise_without_a_contract_in_force_is_told_so(union, members):
    f = facts(union)

    assert "本单位没有有效的集体合同" in text(un.problems(f))
    assert "推进集体协商" in text(un.plan(f, Y + 1))


def test_the_plan_asks_only_for_the_democratic_management_the_union_lacks(township):
    union = UnionFactory(federation=township, has_workers_congress=True)

    plan = text(un.plan(facts(union), Y + 1))

    assert "推行厂务公开，保障职工" in plan and "职工代表大会" not in plan


# --- The half-year ---------------------------------------------------------------------------------


def test_the_half_year_reads_in_its_own_words(union, members):
    f = facts(union, kind="h1")
    wording = wording_of(f.catalogue.period, Y)

    said = text(wording.reword(every_paragraph(f), today=dt.date(Y + 1, 1, 10)))

    assert "2025年上半年，东风机械公司工会委员会" in said
    assert "上半年新发展会员3人" in said and "下半年，我会将重点做好以下工作" in said
    assert "全年" not in said


# --- Every union of the demo ledger ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Tier S, seed 1, built once for the module; rolled back when its tests are done."""
    hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with hasher:
            call_command("demo_data", "--scale", "s", "--seed", "1", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(("year", "kind"), [(2024, "year"), (2025, "year"), (2025, "h1")])
def test_every_split_of_every_demo_unions_summary_adds_up_to_its_total(demo, db, year, kind):
    found = set()
    for union in GrassrootsUnion.objects.order_by("pk"):
        f = facts(union, year, kind)
        paragraphs = every_paragraph(f)
        assert not re.search(r"\d{11}|[0-9]{17}[0-9X]", text(paragraphs))  # no phone, no ID number
        for split in splits(paragraphs):
            assert split.adds_up, (union.name, split.key, split.total, split.shares, split.rest)
            if split.key in f.catalogue.current:
                assert split.total == f.now(split.key), (union.name, split.key)
            if split.key in ("members_left", "contracts_signed", "activities"):
                assert split.rest == 0, (union.name, split.key)  # every kind is named
            found.add(split.key)

    assert {"members_left", "contracts_signed", "aid_count", "activities"} <= found


def test_a_union_covered_by_a_regional_contract_is_not_told_it_has_none(union, members, township):
    from unions.choices import ContractScope

    without = text(un.problems(facts(union)))
    assert "本单位没有有效的集体合同" in without
    regional = ContractFactory(union=None, federation=township, scope=ContractScope.REGIONAL)
    regional.covered_unions.add(union)

    f = facts(union)

    assert "没有有效的集体合同" not in text(un.problems(f))
    assert "深化集体协商" in text(un.plan(f, Y + 1))
