"""The annual work summary as a document: the generated sentences (rises, falls, 持平, nothing to say),
Chinese dates, staff narrative, the default 存在问题 and 工作计划, the appendix, and the HTML and PDF
renderings (same charts, page numbers, fonts subset)."""

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from federation.models import FederationYear
from members.choices import ChangeType, MembershipStatus
from members.models import MemberHonour
from reports.indicators import BY_KEY, INDICATORS, compute_catalogue
from reports.models import SummaryDraft
from reports.summary.dates import date_in_chinese, number_in_chinese, year_in_chinese
from reports.summary.document import build_summary
from reports.summary.figures import (
    Figure,
    appendix_change,
    count_change,
    money_change,
    money_text,
    rate_change,
)
from reports.summary.narrative import MODEST_SHORTCOMINGS
from reports.summary.render import render_summary_html, render_summary_pdf
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
from unions.models import UnionHonour

Y = 2025
D = dt.date
# "0个", "0人" … in running text (but not "10个" or "2,0…"): what the summary must never print.
ZERO_FIGURE = re.compile(r"(?<![\d.,])0(个|人|份|户|场|项|家|元|万元|次)")


def text_of(doc) -> str:
    """Everything the body of the summary says, as plain text."""
    paragraphs = list(doc.opening)
    for section in doc.sections:
        paragraphs.append(section.heading)
        paragraphs.extend(section.generated)
        paragraphs.extend(section.narrative)
    return "\n".join(str(p) for p in paragraphs)


def section(doc, key):
    return next(s for s in doc.sections if s.key == key)


def section_text(doc, key) -> str:
    found = section(doc, key)
    return "\n".join(str(p) for p in found.generated + found.narrative)


@pytest.fixture
def year_of_work(township):
    """Two years of a street federation's records, built so that some figures rise, some fall and
    some stay level between 2024 and 2025."""
    old = UnionFactory(federation=township, name="甲公司工会委员会", established_on=D(2015, 3, 1))
    other = UnionFactory(federation=township, name="乙公司工会委员会", established_on=D(2016, 3, 1))
    new = UnionFactory(federation=township, name="丙公司工会委员会", established_on=D(Y, 4, 1))
    FederationYear.objects.create(federation=township, year=Y, employers_should_unionise=4)
    FederationYear.objects.create(federation=township, year=Y - 1, employers_should_unionise=4)
    for union in (old, other, new):
        UnionYearFactory(union=union, year=Y, employees=10, women_employees=4, migrant_employees=2)
    UnionYearFactory(union=old, year=Y - 1, employees=10)
    UnionYearFactory(union=other, year=Y - 1, employees=10)
    members = [
        MemberFactory(union=old, joined_on=D(2020, 1, 1), gender="F" if i % 2 else "M") for i in range(6)
    ]
    MemberFactory(union=new, joined_on=D(Y, 5, 1))
    gone = members[0]
    membership_change(member=gone, union=old, change_type=ChangeType.WITHDRAW, changed_on=D(Y, 6, 1))
    type(gone).objects.filter(pk=gone.pk).update(status=MembershipStatus.WITHDRAWN, left_on=D(Y, 6, 1))
    membership_change(member=members[1], union=old, change_type=ChangeType.DEATH, changed_on=D(Y, 7, 1))
    type(gone).objects.filter(pk=members[1].pk).update(status=MembershipStatus.DECEASED, left_on=D(Y, 7, 1))
    ElectionFactory(union=old, held_on=D(Y, 5, 1))
    ElectionFactory(union=other, held_on=D(2023, 5, 1))
    ContractFactory(union=old, kind="wage", wage_increase_pct=Decimal("6.0"), signed_on=D(Y, 3, 1))
    case = HardshipCaseFactory(member=members[2], opened_on=D(Y, 2, 1))
    AidRecordFactory(member=members[2], hardship_case=case, kind="festival", amount=Decimal("1000000.00"))
    AidRecordFactory(member=members[3], kind="festival", amount=Decimal("286000.00"))
    AidRecordFactory(
        member=members[2], hardship_case=case, kind="education", amount=Decimal("3500.00"), students_helped=1
    )
    AidRecordFactory(member=members[4], kind="festival", amount=Decimal("1000000.00"), aid_on=D(Y - 1, 1, 20))
    ActivityFactory(union=old, starts_on=D(Y, 5, 1), participants=120)
    ActivityFactory(union=old, starts_on=D(Y - 1, 5, 1), participants=80)
    UnionHonour.objects.create(union=old, title="model_home", level="city", year=Y)
    MemberHonour.objects.create(member=members[3], title="may_day_medal", level="provincial", year=Y)
    return township


# --- Chinese dates and numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 12, 20), "二〇二五年十二月二十日"),
        (D(2020, 10, 1), "二〇二〇年十月一日"),
        (D(2005, 3, 15), "二〇〇五年三月十五日"),
        (D(2031, 1, 31), "二〇三一年一月三十一日"),
        (D(2026, 11, 30), "二〇二六年十一月三十日"),
        (D(2024, 2, 29), "二〇二四年二月二十九日"),
    ],
)
def test_dates_are_written_in_chinese_numerals(day, expected):
    assert date_in_chinese(day) == expected


def test_the_year_is_read_digit_by_digit_with_the_circle_zero():
    assert year_in_chinese(2008) == "二〇〇八"
    assert "零" not in year_in_chinese(2000)


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (30, "三十")]
)
def test_month_and_day_numbers_use_the_spoken_tens(n, text):
    assert number_in_chinese(n) == text


# --- Numbers and changes as printed ----------------------------------------------------------------


def test_money_is_in_wan_yuan_when_large_and_in_yuan_without_trailing_zeros_otherwise():
    assert money_text(Decimal("1286000")) == "128.6万元"
    assert money_text(Decimal("10000")) == "1万元"
    assert money_text(Decimal("12345678.90")) == "1,234.57万元"
    assert money_text(Decimal("3500")) == "3,500元"
    assert money_text(Decimal("99.5")) == "99.5元"


def test_counts_say_rises_falls_and_level_and_nothing_against_an_empty_year():
    assert count_change(52, 47, "个") == "比上年增加5个"
    assert count_change(1200, 1300, "人") == "比上年减少100人"
    assert count_change(8, 8, "场") == "与上年持平"
    assert count_change(5, 0, "个") == ""
    assert count_change(5, None, "个") == ""


def test_rates_change_in_percentage_points():
    assert rate_change(Decimal("92.4"), Decimal("90.8")) == "比上年提高1.6个百分点"
    assert rate_change(Decimal("85.0"), Decimal("87.5")) == "比上年下降2.5个百分点"
    assert rate_change(Decimal("85.0"), Decimal("85.0")) == "与上年持平"
    assert rate_change(Decimal("85.0"), None) == ""


def test_money_changes_in_percent_of_last_year():
    assert money_change(Decimal("112300"), Decimal("100000")) == "比上年增长12.3%"
    assert money_change(Decimal("50000"), Decimal("100000")) == "比上年下降50.0%"
    assert money_change(Decimal("50000"), Decimal("0")) == ""
    assert money_change(Decimal("250000"), Decimal("100000")) == "比上年增长1.5倍"
    assert money_change(Decimal("100000"), Decimal("100000")) == "与上年基本持平"


def test_money_growth_beyond_tenfold_is_not_compared():
    assert money_change(Decimal("1289500"), Decimal("1000")) == ""


def test_the_appendix_change_column_uses_signs_and_points():
    assert appendix_change(BY_KEY["unions"], 52, 47) == "+5"
    assert appendix_change(BY_KEY["unions"], 40, 47) == "−7"
    assert appendix_change(BY_KEY["unionisation_rate"], Decimal("92.4"), Decimal("90.8")) == "+1.6个百分点"
    assert appendix_change(BY_KEY["unionisation_rate"], None, Decimal("90.8")) == "—"
    assert appendix_change(BY_KEY["aid_amount"], Decimal("110"), Decimal("100")) == "+10.0%"


# --- The generated text ----------------------------------------------------------------------------


def test_the_title_and_sections_follow_the_structure_of_a_federation_summary(year_of_work):
    doc = build_summary(year_of_work, Y)
    assert doc.title == "测试街道工会联合会2025年工作总结"
    headings = [s.heading for s in doc.sections]
    assert headings[:7] == [
        "一、组织建设和会员发展",
        "二、维权和集体合同",
        "三、困难职工帮扶",
        "四、职工活动和技能提升",
        "五、评先评优",
        "六、联合会自身建设",  # the union that held an election in the year
        "七、存在问题",
    ]
    assert headings[7] == "八、2026年工作计划"
    assert str(doc.opening[0]).startswith("2025年，测试街道工会联合会")
    assert str(doc.opening[0]).endswith("现将全年工作情况总结如下。")


def test_organisation_text_gives_new_unions_the_total_and_the_rise_of_the_rate(year_of_work):
    text = section_text(build_summary(year_of_work, Y), "organisation")
    assert "全年新建基层工会1个；截至年底共有基层工会3个，比上年增加1个，覆盖单位3家" in text
    assert "建会率为75.0%，比上年提高25.0个百分点。" in text
    assert "全年有1个基层工会完成换届选举" in text


def test_membership_text_gives_the_fall_and_who_left(year_of_work):
    text = section_text(build_summary(year_of_work, Y), "organisation")
    assert "共有会员5人，比上年减少1人" in text
    assert "全年新发展会员1人" in text
    assert "（其中退会1人、去世1人）" in text


def test_a_figure_with_nothing_last_year_is_given_without_comparison(year_of_work):
    text = section_text(build_summary(year_of_work, Y), "rights")
    assert "全年签订集体合同1份，其中工资专项集体合同1份（平均工资增幅6.0%）。" in text


def test_activities_level_with_last_year_say_so(year_of_work):
    text = section_text(build_summary(year_of_work, Y), "activities")
    assert "全年共组织开展各类职工活动1场次，与上年持平，参与职工120人次" in text


def test_aid_is_given_in_wan_yuan_with_its_growth(year_of_work):
    text = section_text(build_summary(year_of_work, Y), "help")
    assert "发放帮扶资金共计128.95万元，比上年增长29.0%" in text
    # One unit in one sentence (federation.numbers): 3,500元 beside 128.6万元 reads as 0.35万元.
    assert "金秋助学1人次，资助困难职工子女1人，发放助学金0.35万元" in text


def test_honours_name_the_level_and_title(year_of_work):
    text = section_text(build_summary(year_of_work, Y), "honours")
    assert "市级“模范职工之家”1项" in text
    assert "省级“五一劳动奖章”1人次" in text


def test_an_empty_year_says_so_gracefully_and_never_prints_zero_or_none(township):
    doc = build_summary(township, Y)
    text = text_of(doc)
    assert "本年度暂无困难职工帮扶记录。" in text
    assert "本年度暂无集体合同记录。" in text
    assert "本年度暂无职工活动记录。" in text
    assert "None" not in text
    assert not ZERO_FIGURE.search(text), ZERO_FIGURE.search(text)
    assert [s.key for s in doc.sections] == [
        "organisation",
        "rights",
        "help",
        "activities",
        "problems",
        "plan",
    ]
    assert not doc.charts
    assert not any(s.tables for s in doc.sections)
    html = render_summary_html(doc)
    assert "None" not in html
    assert "<svg" not in html


def test_no_zero_figure_appears_in_a_year_with_records(year_of_work):
    text = text_of(build_summary(year_of_work, Y))
    assert not ZERO_FIGURE.search(text), ZERO_FIGURE.search(text)
    assert "None" not in text


def test_figures_know_what_they_count(year_of_work):
    doc = build_summary(year_of_work, Y)
    figures = [
        p for para in section(doc, "organisation").generated for p in para.parts if isinstance(p, Figure)
    ]
    by_key = {f.key: f for f in figures}
    assert by_key["unions"].drill_path == "unions/"
    assert by_key["unionisation_rate"].kind == "definition"
    assert by_key["unions"].title.startswith("年末状态为")
    group = next(f for f in figures if f.key == "unions_by_group")
    assert group.drill_path == "by/unions_by_group/?group=enterprise_domestic"


# --- Staff narrative, 存在问题, 工作计划, sign-off -------------------------------------------------


def test_staff_narrative_follows_the_generated_text_of_its_section(year_of_work):
    SummaryDraft.objects.create(
        federation=year_of_work, year=Y, organisation_text="开展“建会攻坚月”活动。\n\n走访企业30家。"
    )
    organisation = section(build_summary(year_of_work, Y), "organisation")
    assert organisation.generated
    assert [str(p) for p in organisation.narrative] == ["开展“建会攻坚月”活动。", "走访企业30家。"]


def test_a_section_without_records_shows_only_what_staff_wrote(township):
    SummaryDraft.objects.create(
        federation=township, year=Y, help_text="走访慰问困难职工家庭。", honours_text=""
    )
    doc = build_summary(township, Y)
    assert section_text(doc, "help") == "走访慰问困难职工家庭。"
    assert "honours" not in [s.key for s in doc.sections]  # no records and nothing written


def test_problems_and_plan_written_by_staff_replace_the_defaults(year_of_work):
    SummaryDraft.objects.create(
        federation=year_of_work, year=Y, problems_text="工会经费收缴不够及时。", plan_text="抓好建会工作。"
    )
    doc = build_summary(year_of_work, Y)
    problems, plan = section(doc, "problems"), section(doc, "plan")
    assert [str(p) for p in problems.narrative] == ["工会经费收缴不够及时。"]
    assert not problems.generated and not problems.is_default_text
    assert [str(p) for p in plan.narrative] == ["抓好建会工作。"]


def test_default_problems_name_only_what_the_figures_show(year_of_work):
    doc = build_summary(year_of_work, Y)
    problems = section_text(doc, "problems")
    assert section(doc, "problems").is_default_text
    assert "建会率为75.0%，尚有1家应建会单位未纳入工会组织覆盖。" in problems
    assert "换届" not in problems  # no union is overdue


def test_default_problems_mention_unions_overdue_for_election(township):
    UnionFactory(federation=township, established_on=D(2015, 1, 1), term_years=5)
    doc = build_summary(township, Y)
    assert "有1个基层工会任期已满尚未完成换届选举" in section_text(doc, "problems")
    assert "督促任期已满的1个基层工会按期完成换届" in section_text(doc, "plan")


def test_default_problems_are_modest_when_the_figures_show_nothing_amiss(township):
    union = UnionFactory(
        federation=township, established_on=D(2023, 1, 1), employer_nature="government_organ"
    )
    UnionYearFactory(union=union, year=Y, employees=1)
    MemberFactory(union=union, joined_on=D(2023, 1, 1))
    assert section_text(build_summary(township, Y), "problems") == MODEST_SHORTCOMINGS


def test_plan_mentions_contracts_expiring_next_year(township):
    union = UnionFactory(federation=township)
    ContractFactory(union=union, signed_on=D(2024, 1, 1), starts_on=D(2024, 1, 1), ends_on=D(2026, 6, 30))
    assert "做好1份将于2026年到期的集体合同的续签工作" in section_text(build_summary(township, Y), "plan")


def test_sign_off_carries_the_federation_and_the_draft_date_in_chinese(year_of_work):
    SummaryDraft.objects.create(federation=year_of_work, year=Y, signoff_date=D(2025, 12, 20))
    doc = build_summary(year_of_work, Y)
    assert doc.signoff_name == "测试街道工会联合会"
    assert doc.signoff_date_text == "二〇二五年十二月二十日"


def test_sign_off_date_defaults_to_today(township):
    from django.utils import timezone

    assert build_summary(township, Y).signoff_date == timezone.localdate()


def test_a_draft_passed_in_is_used_instead_of_the_stored_one(year_of_work):
    SummaryDraft.objects.create(federation=year_of_work, year=Y, opening_text="存的草稿。")
    doc = build_summary(
        year_of_work, Y, draft=SummaryDraft(federation=year_of_work, year=Y, opening_text="新稿。")
    )
    assert str(doc.opening[0]) == "新稿。"


# --- Appendix --------------------------------------------------------------------------------------


def test_appendix_lists_every_indicator_with_both_years_and_every_union(year_of_work):
    doc = build_summary(year_of_work, Y)
    rows = {row.key: row for group in doc.indicator_groups for row in group.rows}
    assert set(rows) == {i.key for i in INDICATORS if not i.staff_only}
    assert rows["unions"].value.text == "3个"
    assert rows["unions"].previous.text == "2个"
    assert rows["unions"].change == "+1"
    assert rows["unionisation_rate"].value.text == "75.0%"
    assert doc.per_union
    names = [row[1] for row in doc.appendix_table.rows]
    assert names == ["丙公司工会委员会", "乙公司工会委员会", "甲公司工会委员会"]  # by name
    assert doc.appendix_table.rows[2][-1] == "是"  # covered by its wage contract
    assert doc.appendix_table.rows[0][-1] == "否"


def test_staff_only_figures_are_never_printed(year_of_work):
    staff_only = dataclasses.replace(BY_KEY["cadre_members"], staff_only=True)
    catalogue = compute_catalogue(year_of_work, Y)
    catalogue.indicators = [staff_only if i.key == "cadre_members" else i for i in catalogue.indicators]
    doc = build_summary(year_of_work, Y, catalogue=catalogue)
    keys = {row.key for group in doc.indicator_groups for row in group.rows}
    assert "cadre_members" not in keys
    assert "工会干部数" not in render_summary_html(doc)


def test_above_the_limit_the_appendix_has_one_row_per_subordinate_federation(
    county, township, community, settings
):
    UnionFactory(federation=county, name="县直属工会委员会")
    UnionFactory(federation=township, name="街道甲工会委员会")
    UnionFactory(federation=community, name="社区乙工会委员会")
    settings.SUMMARY_PDF_UNION_LIMIT = 2
    doc = build_summary(county, Y)
    assert not doc.per_union
    table = doc.appendix_table
    assert [row[1] for row in table.rows] == ["测试县总工会（直属基层工会）", "测试街道工会联合会"]
    assert [row[2] for row in table.rows] == ["1", "2"]
    assert "Excel" in table.note
    html = render_summary_html(doc)
    assert "各联合会基层工会汇总" in html
    assert "社区乙工会委员会" not in html
    settings.SUMMARY_PDF_UNION_LIMIT = 3
    assert build_summary(county, Y).per_union


# --- Charts, HTML and PDF --------------------------------------------------------------------------


def test_charts_are_pygal_svg_without_script_in_the_sc_font(year_of_work):
    doc = build_summary(year_of_work, Y)
    assert [c.key for c in doc.charts] == ["members-trend", "aid-by-kind", "activities-by-category"]
    for chart in doc.charts:
        assert chart.svg.startswith("<svg")
        assert "pygal" in chart.svg
        assert "<script" not in chart.svg
        assert '"Noto Sans CJK SC"' in chart.svg


def test_the_html_page_is_standalone_chinese_and_names_the_fonts(year_of_work):
    html = render_summary_html(build_summary(year_of_work, Y))
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert '"Noto Serif CJK SC"' in html and '"Noto Sans CJK SC"' in html
    assert '"— " counter(page) " —"' in html
    assert "<link" not in html and "<script" not in html
    assert "测试街道工会联合会2025年工作总结" in html


def test_html_and_pdf_carry_the_same_chart_svgs(year_of_work, monkeypatch):
    import weasyprint

    doc = build_summary(year_of_work, Y)
    html = render_summary_html(doc)
    seen = []
    real_html = weasyprint.HTML

    def spy(*args, **kwargs):
        seen.append(kwargs["string"])
        return real_html(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    pdf = render_summary_pdf(doc)
    assert pdf.startswith(b"%PDF")
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 3
    assert re.findall(r"<svg.*?</svg>", seen[0], flags=re.S) == svgs
    assert [c.svg for c in doc.charts] == svgs


def test_the_pdf_is_a_small_pdf_with_the_federation_name_and_page_numbers(year_of_work):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = render_summary_pdf(build_summary(year_of_work, Y))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) < 1_000_000  # fonts subset, never embedded whole
    # -raw: text in content order, with the spaces the PDF holds (the layout modes drop narrow ones).
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "测试街道工会联合会2025年工作总结" in text
    assert "— 1 —" in text
    assert "二、维权和集体合同" in text
    assert "附表1" in text
