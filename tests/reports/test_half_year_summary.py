"""The half-year summary (上半年工作总结) beside the annual one: 1 January to 30 June, compared with the
same half of the year before, from the same catalogue with the period as a parameter — its figures'
boundaries, its words, every format, its own drafts, versions and stored figures, and its URLs."""

import datetime as dt
import io
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from federation import freshness
from federation.scope import HalfYear, Period, period_for
from reports.indicators import compute_catalogue, stored
from reports.indicators.compute import union_rows
from reports.models import StoredFigures, SummaryDraft, SummaryVersion
from reports.services import current_version, summary_finalise
from reports.summary.document import build_summary
from reports.summary.render import render_summary_html
from tests.reports.test_summary_views import SUMMARY_QUERY_BOUND
from tests.support.factories import (
    AidRecordFactory,
    ContractFactory,
    MemberFactory,
    UnionYearFactory,
    membership_change,
)
from tests.support.jobs import job_download

Y = 2025
D = dt.date
H1 = "h1"


def h1_url(federation, name="summary", *more, year=Y):
    return reverse(f"reports:{name}", args=[federation.pk, year, H1, *more])


@pytest.fixture
def records(township, union_a):
    """Records on both sides of 30 June, this year and last."""
    UnionYearFactory(union=union_a, year=Y, employees=40)
    UnionYearFactory(union=union_a, year=Y - 1, employees=40)
    for _ in range(4):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    MemberFactory(union=union_a, joined_on=D(Y, 6, 30))  # in the first half
    MemberFactory(union=union_a, joined_on=D(Y, 7, 1))  # in the second
    MemberFactory(union=union_a, joined_on=D(Y - 1, 6, 30))  # last year's first half
    MemberFactory(union=union_a, joined_on=D(Y - 1, 7, 1))  # last year's second half
    ContractFactory(union=union_a, kind="wage", signed_on=D(Y, 6, 30))
    ContractFactory(union=union_a, kind="comprehensive", signed_on=D(Y, 7, 1))
    member = union_a.members.first()
    AidRecordFactory(member=member, aid_on=D(Y, 6, 30), amount=Decimal("800.00"))
    AidRecordFactory(member=member, aid_on=D(Y, 7, 1), amount=Decimal("5000.00"))
    return township


# --- The period -------------------------------------------------------------------------------------


def test_the_half_year_runs_from_1_january_to_30_june_and_compares_with_last_years():
    half = period_for(Y, H1)
    assert isinstance(half, HalfYear)
    assert (half.start, half.end) == (D(Y, 1, 1), D(Y, 6, 30))
    assert half.previous() == HalfYear(Y - 1)
    assert period_for(Y) == Period(Y)


def test_the_figures_count_30_june_and_leave_1_july_to_the_second_half(records):
    half = compute_catalogue(records, Y, H1)
    year = compute_catalogue(records, Y)
    assert half.current["new_members"] == 1 and year.current["new_members"] == 2
    assert half.current["members"] == 7 and year.current["members"] == 8  # on 30 June, on 31 December
    assert half.current["contracts_signed"] == 1 and year.current["contracts_signed"] == 2
    assert half.current["aid_amount"] == Decimal("800.00")
    assert year.current["aid_amount"] == Decimal("5800.00")


def test_the_half_year_is_compared_with_the_same_half_of_last_year(records):
    half = compute_catalogue(records, Y, H1)
    assert half.previous["new_members"] == 1  # 30 June of last year, not 1 July
    assert half.previous["members"] == 5  # on 30 June of last year
    assert compute_catalogue(records, Y).previous["new_members"] == 2


def test_the_half_years_trend_is_the_members_on_30_june_of_each_year(records):
    trend = dict(compute_catalogue(records, Y, H1).trend)
    assert list(trend) == [Y - 4, Y - 3, Y - 2, Y - 1, Y]
    assert trend[Y] == 7 and trend[Y - 1] == 5 and trend[2021] == 4


def test_the_per_union_table_counts_the_members_on_30_june(records, union_a):
    (row,) = union_rows(records, Y, H1)
    assert row["pk"] == union_a.pk
    assert row["members"] == 7 and row["new_members"] == 1


def test_a_departure_after_30_june_still_counts_the_member_on_30_june(records, union_a):
    member = union_a.members.first()
    membership_change(member=member, union=union_a, change_type="withdraw", changed_on=D(Y, 7, 2))
    assert compute_catalogue(records, Y, H1).current["members"] == 7
    assert compute_catalogue(records, Y).current["members"] == 7


# --- The words ----------------------------------------------------------------------------------------


def test_the_half_year_summary_is_titled_and_worded_for_the_half(records):
    doc = build_summary(records, Y, kind=H1)
    assert doc.title == "测试街道工会联合会2025年上半年工作总结"
    opening = str(doc.opening[0])
    assert opening.startswith("2025年上半年，测试街道工会联合会")
    assert "截至6月30日" in opening and opening.endswith("现将上半年工作情况总结如下。")
    headings = [s.heading for s in doc.sections]
    assert headings[-1].endswith("、下半年工作计划")
    generated = "".join(str(p) for s in doc.sections for p in s.generated)
    assert "全年" not in generated and "截至年底" not in generated
    assert "比上年同期" in generated
    assert "比上年增" not in generated and "比上年减" not in generated
    plan = next(s for s in doc.sections if s.key == "plan")
    assert str(plan.generated[0]) == "下半年，我会将重点做好以下工作："


def test_the_tables_of_the_half_year_are_captioned_for_the_half(records):
    captions = [t.caption for s in build_summary(records, Y, kind=H1).sections for t in s.tables]
    assert captions and not [c for c in captions if "本年度" in c or "全年" in c]
    assert any("上半年" in c for c in captions)


def test_the_definitions_of_the_half_year_say_30_june(client, county_staff, records):
    definitions = [r.definition for g in build_summary(records, Y, kind=H1).indicator_groups for r in g.rows]
    assert any("6月30日" in d for d in definitions)
    assert not [d for d in definitions if "12月31日" in d or "本年度" in d]
    client.force_login(county_staff)
    page = client.get(h1_url(records, "drill", "unions")).content.decode()
    assert "6月30日" in page and "12月31日" not in page


def test_the_figures_tooltips_of_the_half_year_say_30_june(records):
    """A figure's tooltip is its indicator's definition, in the period's words as the appendix's."""
    from reports.summary.figures import Figure

    document = build_summary(records, Y, kind=H1)
    titles = [
        part.title
        for section in document.sections
        for paragraph in section.generated
        for part in paragraph.parts
        if isinstance(part, Figure) and part.title
    ]
    assert titles
    assert not [t for t in titles if "12月31日" in t or "年末" in t or "本年度" in t]
    assert any("6月30日" in t or "6月末" in t for t in titles)


def test_staff_text_is_never_reworded(records):
    draft = SummaryDraft(federation=records, year=Y, period=H1, opening_text="全年目标过半。")
    assert str(build_summary(records, Y, kind=H1, draft=draft).opening[0]) == "全年目标过半。"


def test_the_appendix_compares_the_two_first_halves(records):
    content = render_summary_html(build_summary(records, Y, kind=H1))
    assert "附表1　主要统计指标（2025年上半年与2024年上半年）" in content
    assert "近五年6月末会员人数变化" in content and "近五年会员人数（6月末，人）" in content


# --- Pages and formats ----------------------------------------------------------------------------------


def test_the_annual_urls_stay_and_the_half_years_sit_beside_them(township):
    assert reverse("reports:summary", args=[township.pk, Y]) == f"/reports/{township.pk}/{Y}/"
    assert h1_url(township) == f"/reports/{township.pk}/{Y}/h1/"
    assert h1_url(township, "version-pdf", 2) == f"/reports/{township.pk}/{Y}/h1/versions/2/pdf/"


def test_the_half_year_page_shows_the_half_years_figures_and_links_them_to_its_records(
    client, county_staff, records
):
    client.force_login(county_staff)
    content = client.get(h1_url(records)).content.decode()
    assert "测试街道工会联合会2025年上半年工作总结" in content
    assert h1_url(records, "drill", "new_members") in content  # the half-year's drill-down
    assert reverse("reports:summary", args=[records.pk, Y]) in content  # the annual one beside it
    listed = client.get(h1_url(records, "drill", "contracts_signed")).content.decode()
    assert "共 <strong>1</strong> 条记录" in listed


def test_an_unknown_half_is_404(client, county_staff, township):
    client.force_login(county_staff)
    assert client.get(f"/reports/{township.pk}/{Y}/h2/").status_code == 404


@pytest.mark.parametrize("user_fixture", ["outside_staff", "cadre_a"])
def test_the_half_year_summary_of_another_scope_is_404(request, client, user_fixture, records):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(h1_url(records)).status_code == 404
    assert client.get(h1_url(records, "summary-edit")).status_code == 404


def test_the_index_lists_both_summaries_and_sends_the_half_year_choice(client, township_staff, township):
    client.force_login(township_staff)
    content = client.get(reverse("reports:index")).content.decode()
    assert f'<a href="{h1_url(township)}">2025年上半年工作总结</a>' in content
    assert f'<a href="{reverse("reports:summary", args=[township.pk, Y])}">2025年工作总结</a>' in content
    response = client.get(reverse("reports:index"), {"federation": township.pk, "year": Y, "period": H1})
    assert response["Location"] == h1_url(township)
    bad = client.get(reverse("reports:index"), {"federation": township.pk, "year": Y, "period": "q3"})
    assert bad.status_code == 404


def test_every_format_of_the_half_year_downloads(client, county_chair, records):
    client.force_login(county_chair)
    pdf = job_download(client, client.get(h1_url(records, "summary-pdf")))
    assert pdf.content.startswith(b"%PDF")
    assert (
        "上半年" in pdf["Content-Disposition"] or "%E4%B8%8A%E5%8D%8A%E5%B9%B4" in pdf["Content-Disposition"]
    )
    word = docx.Document(
        io.BytesIO(job_download(client, client.get(h1_url(records, "summary-docx"))).content)
    )
    assert word.paragraphs[0].text == "测试街道工会联合会2025年上半年工作总结"
    workbook = openpyxl.load_workbook(
        io.BytesIO(job_download(client, client.get(h1_url(records, "summary-xlsx"))).content)
    )
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[1:3] == ("2025年上半年", "2024年上半年")


def test_the_half_year_page_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, county_staff, records
):
    client.force_login(county_staff)
    # The annual page's bound and the few aggregates over the membership changes (two record sets for
    # each half, and the trend) that stand in for the yearly membership flow.
    with django_assert_max_num_queries(SUMMARY_QUERY_BOUND + 5):
        assert client.get(h1_url(records)).status_code == 200
    with django_assert_max_num_queries(12):  # stored now
        assert client.get(h1_url(records)).status_code == 200


# --- Drafts, versions and stored figures: per period --------------------------------------------------------


def test_the_half_years_text_is_its_own(client, township_staff, records):
    SummaryDraft.objects.create(federation=records, year=Y, plan_text="全年的计划。")
    client.force_login(township_staff)
    content = client.get(h1_url(records, "summary-edit")).content.decode()
    assert "下半年工作计划" in content and "全年的计划。" not in content
    response = client.post(
        h1_url(records, "summary-edit"), {"plan_text": "下半年的计划。", "signoff_date": "2025-07-10"}
    )
    assert response["Location"] == h1_url(records)
    assert SummaryDraft.objects.get(federation=records, year=Y, period=H1).plan_text == "下半年的计划。"
    assert SummaryDraft.objects.get(federation=records, year=Y, period="year").plan_text == "全年的计划。"


def test_a_half_years_sign_off_is_dated_in_its_year(client, township_staff, records):
    client.force_login(township_staff)
    response = client.post(h1_url(records, "summary-edit"), {"signoff_date": "2026-01-10"})
    assert "落款日期应在2025年内。" in response.content.decode()


def test_finalising_the_half_year_leaves_the_annual_summary_a_draft(client, county_chair, records):
    client.force_login(county_chair)
    response = client.post(h1_url(records, "summary-finalise"))
    assert response.status_code == 302
    version = SummaryVersion.objects.get(federation=records)
    assert (version.year, version.period, version.number) == (Y, H1, 1)
    assert current_version(records, Y) is None
    assert version.indicators["period"] == H1
    page = client.get(h1_url(records)).content.decode()
    assert "已定稿 · 第1版" in page
    assert h1_url(records, "version-pdf", 1) in page
    assert "草稿 · 未定稿" in client.get(reverse("reports:summary", args=[records.pk, Y])).content.decode()
    # The annual summary is finalised on its own, as its own first version.
    annual = summary_finalise(federation=records, year=Y, by=county_chair)
    assert (annual.period, annual.number) == ("year", 1)
    assert client.get(h1_url(records, "version-pdf", 1)).status_code == 200
    assert client.get(h1_url(records, "summary-versions")).content.decode().count("/versions/1/pdf/") == 1


def test_the_index_says_how_the_half_year_and_the_year_stand(client, county_chair, township_staff, records):
    summary_finalise(federation=records, year=Y, by=county_chair, kind=H1)
    client.force_login(township_staff)
    index = client.get(reverse("reports:index")).content.decode()
    half_row = index.split(f'id="half-state-{records.pk}-{Y}"')[1].split("</li>")[0]
    year_row = index.split(f'id="year-state-{records.pk}-{Y}"')[1].split("</li>")[0]
    assert "已定稿 · 第1版" in half_row and "草稿 · 未定稿" in year_row


def test_a_finalised_half_year_locks_its_own_text_only(client, county_chair, township_staff, records):
    summary_finalise(federation=records, year=Y, by=county_chair, kind=H1)
    client.force_login(township_staff)
    locked = client.post(h1_url(records, "summary-edit"), {"plan_text": "改。"})
    assert locked.status_code == 409
    assert "2025年上半年工作总结已定稿（第1版）" in locked.content.decode()
    edit = reverse("reports:summary-edit", args=[records.pk, Y])
    assert client.post(edit, {"plan_text": "全年计划。"}).status_code == 302


def test_stored_figures_are_kept_per_period_and_never_silently_stale(records, union_a):
    half = stored.figures_for(records, Y, H1)
    year = stored.figures_for(records, Y)
    assert half.catalogue.current["new_members"] == 1 and year.catalogue.current["new_members"] == 2
    assert StoredFigures.objects.filter(federation=records, year=Y).count() == 2
    MemberFactory(union=union_a, joined_on=D(Y, 3, 1))  # marks the federation out of date
    assert freshness.is_marked(records.pk)
    assert stored.figures_for(records, Y).catalogue.current["new_members"] == 3  # consumes the marks
    assert StoredFigures.objects.get(federation=records, year=Y, period=H1).stale
    again = stored.figures_for(records, Y, H1)
    assert again.fresh and again.catalogue.current["new_members"] == 2
    assert again.catalogue.current == compute_catalogue(records, Y, H1).current


# --- The command line ---------------------------------------------------------------------------


def command(records, target, period: str) -> str:
    out = io.StringIO()
    args = ["--federation", records.name, "--year", str(Y), "--period", period, "--format", "html"]
    call_command("annual_summary", *args, "--output", str(target), stdout=out)
    return out.getvalue()


def test_the_command_writes_the_half_year_summary(records, tmp_path):
    said = command(records, tmp_path / "h1.html", H1)
    assert "测试街道工会联合会2025年上半年工作总结" in (tmp_path / "h1.html").read_text(encoding="utf-8")
    assert "2025年上半年工作总结（HTML）" in said


def test_the_command_refuses_an_unknown_period(records, tmp_path):
    with pytest.raises(CommandError, match=re.escape("期间“q3”无效")):
        command(records, tmp_path / "x.html", "q3")
