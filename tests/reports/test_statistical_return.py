"""The union statistical return (工会统计年报, 基层工会调查表): each filled row's definition on hand-built
data (the 1 October – 30 September boundaries included), the logic checks, the workbook, the page,
the download and the command."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from federation.models import FederationYear
from federation.scope import StatisticalYear
from members.choices import ChangeType, Gender
from reports.statistics import build_return
from reports.statistics.checks import ERROR, MISSING, VERIFY, federation_problems, run_checks
from reports.statistics.figures import compute_figures
from reports.statistics.rows import LINE_NUMBER, ROWS
from reports.statistics.workbook import render_return_xlsx
from tests.support.factories import (
    ContractFactory,
    ElectionFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    membership_change,
)
from unions.choices import EmployerNature

Y = 2025
D = dt.date
START, END = D(Y - 1, 10, 1), D(Y, 9, 30)  # the statistical year 2025


def total(federation, year=Y):
    return compute_figures(federation, StatisticalYear(year)).total.values


def test_statistical_year_runs_from_1_october_to_30_september():
    period = StatisticalYear(Y)
    assert (period.start, period.end) == (START, END)
    assert period.previous() == StatisticalYear(Y - 1)


# --- organisation ---------------------------------------------------------------------------------


def test_unions_are_those_open_on_30_september_grouped_as_the_survey_groups_them(township):
    UnionFactory(federation=township, employer_nature=EmployerNature.PRIVATE)
    UnionFactory(federation=township, employer_nature=EmployerNature.STATE_OWNED, established_on=END)
    UnionFactory(federation=township, employer_nature=EmployerNature.HMT_INVESTED)
    UnionFactory(federation=township, employer_nature=EmployerNature.FOREIGN_INVESTED)
    UnionFactory(federation=township, employer_nature=EmployerNature.FUNDED_INSTITUTION)
    UnionFactory(federation=township, employer_nature=EmployerNature.GOVERNMENT_ORGAN)
    UnionFactory(federation=township, employer_nature=EmployerNature.INDIVIDUAL_BUSINESS)
    UnionFactory(federation=township, employer_nature=EmployerNature.SOCIAL_GROUP)
    UnionFactory(federation=township, employer_nature=EmployerNature.OTHER_ORGANISATION)
    UnionFactory(federation=township, established_on=END + dt.timedelta(days=1))  # 1 October: next year's
    UnionFactory(federation=township, status="dissolved", status_changed_on=END)  # gone by 30 September
    UnionFactory(
        federation=township, status="merged", status_changed_on=END + dt.timedelta(days=1)
    )  # still there

    values = total(township)

    assert values["unions"] == 10
    assert values["enterprise"] == 5  # 内资 3 (private, state-owned, the merged one), 港澳台 1, 外商 1
    assert (values["enterprise_domestic"], values["enterprise_hmt"], values["enterprise_foreign"]) == (
        3,
        1,
        1,
    )
    assert (values["institution"], values["organ"], values["individual"]) == (1, 1, 1)
    assert (values["social"], values["other"]) == (1, 1)


def test_joint_unions_count_their_employers_and_members(township):
    joint = UnionFactory(federation=township, union_type="joint", covered_employers=7)
    UnionFactory(federation=township, union_type="joint", covered_employers=3)
    single = UnionFactory(federation=township)
    MemberFactory.create_batch(4, union=joint)
    MemberFactory.create_batch(2, union=single)

    values = total(township)

    assert (values["joint_unions"], values["joint_covered_employers"]) == (2, 10)
    assert (values["joint_members"], values["members"]) == (4, 6)
    assert values["employers_covered"] == 11


def test_union_staff_and_flags_are_the_union_records(township):
    UnionFactory(
        federation=township,
        full_time_staff=2,
        part_time_staff=5,
        full_time_chair=True,
        has_workers_congress=True,
        has_open_affairs=True,
        has_women_committee=True,
    )
    UnionFactory(
        federation=township, part_time_staff=3, has_audit_committee=True, has_mediation_committee=True
    )

    values = total(township)

    assert (values["full_time_staff"], values["part_time_staff"], values["full_time_chairs"]) == (2, 8, 1)
    assert (values["workers_congress_units"], values["open_affairs_units"]) == (1, 1)
    assert (values["women_committee_units"], values["audit_committee_units"]) == (1, 1)
    assert (values["mediation_units"], values["labour_supervision_units"]) == (1, 0)


def test_elections_and_contracts_are_taken_on_the_statistical_year(township):
    elected = UnionFactory(federation=township)
    ElectionFactory(union=elected, held_on=START)
    ElectionFactory(union=elected, held_on=END)  # the same union twice: once
    ElectionFactory(union=UnionFactory(federation=township), held_on=START - dt.timedelta(days=1))
    ElectionFactory(union=UnionFactory(federation=township), held_on=END + dt.timedelta(days=1))
    ContractFactory(union=elected, signed_on=D(Y, 3, 1), starts_on=D(Y, 3, 1), ends_on=END)
    ContractFactory(
        union=UnionFactory(federation=township),
        signed_on=D(Y, 3, 1),
        starts_on=D(Y, 3, 1),
        ends_on=END - dt.timedelta(days=1),  # ended before 30 September
    )

    values = total(township)

    assert values["elected_units"] == 1
    assert values["contract_covered_units"] == 1


# --- members --------------------------------------------------------------------------------------


def test_members_are_counted_on_30_september_and_new_members_over_the_statistical_year(township):
    union = UnionFactory(federation=township)
    MemberFactory(union=union, joined_on=START - dt.timedelta(days=1))  # old member
    MemberFactory(union=union, joined_on=START, gender=Gender.FEMALE)  # new, first day
    MemberFactory(union=union, joined_on=END, is_migrant_worker=True)  # new, last day
    MemberFactory(union=union, joined_on=END + dt.timedelta(days=1))  # next year's
    left_on_end = MemberFactory(union=union, joined_on=D(2018, 1, 1))
    membership_change(member=left_on_end, union=union, change_type=ChangeType.WITHDRAW, changed_on=END)
    left_after = MemberFactory(union=union, joined_on=D(2018, 1, 1))
    membership_change(
        member=left_after, union=union, change_type=ChangeType.WITHDRAW, changed_on=END + dt.timedelta(days=1)
    )

    values = total(township)

    assert values["members"] == 4  # the old one, the two new ones, the one who left on 1 October
    assert (values["women_members"], values["migrant_members"]) == (1, 1)
    assert values["new_members"] == 2


# --- inputs ---------------------------------------------------------------------------------------


def test_inputs_are_the_union_years_of_year_y_and_blank_is_not_filled(township):
    a, b, c = (UnionFactory(federation=township) for _n in range(3))
    UnionYearFactory(
        union=a,
        year=Y,
        employees=200,
        women_employees=90,
        migrant_employees=20,
        congress_delegates=40,
        congress_delegates_women=15,
        has_board=True,
        worker_directors=2,
        worker_directors_women=1,
        has_supervisory_board=True,
        worker_supervisors=1,
        worker_supervisors_women=1,
        funds_remitted=Decimal("48000.00"),
        dues_collected=Decimal("3600.50"),
    )
    UnionYearFactory(union=b, year=Y, employees=50, women_employees=10, migrant_employees=0, has_board=False)
    UnionYearFactory(union=c, year=Y - 1, employees=999)  # last year's: not this return's

    figures = compute_figures(township, StatisticalYear(Y))
    values = figures.total.values

    assert (values["employees"], values["women_employees"], values["migrant_employees"]) == (250, 100, 20)
    assert figures.total.filled["employees"] == 2 and figures.total.of == 3
    assert (values["congress_delegates"], values["congress_delegates_women"]) == (40, 15)
    assert figures.total.filled["congress_delegates"] == 1
    assert (values["board_units"], values["worker_directors"], values["worker_directors_women"]) == (1, 2, 1)
    assert figures.total.filled["board_units"] == 2  # b answered 否
    assert (values["supervisory_board_units"], values["worker_supervisors"]) == (1, 1)
    assert values["funds_remitted"] == Decimal("48000.00")
    assert values["dues_collected"] == Decimal("3600.50")
    line_c = next(line for line in figures.unions if line.union_id == c.pk)
    assert line_c.get("employees") is None and line_c.get("congress_delegates") is None


def test_nobody_filled_is_none_not_zero(township):
    UnionFactory(federation=township)
    values = total(township)
    assert values["congress_delegates"] is None and values["funds_remitted"] is None
    assert values["own_full_time_staff"] is None


def test_federation_inputs_and_roll_up_over_the_subtree(county, township, community):
    UnionFactory(federation=township)
    UnionFactory(federation=community)
    UnionFactory(federation=county)
    FederationYear.objects.create(federation=county, year=Y, own_full_time_staff=5, own_part_time_staff=2)
    FederationYear.objects.create(federation=community, year=Y, own_full_time_staff=1)
    FederationYear.objects.create(federation=township, year=Y - 1, own_full_time_staff=50)  # last year

    figures = compute_figures(county, StatisticalYear(Y))
    by_name = {line.name: line for line in figures.federations}

    assert figures.total.get("unions") == 3 and figures.total.get("own_full_time_staff") == 6
    assert figures.total.get("own_part_time_staff") == 2
    assert by_name[township.name].get("unions") == 2  # its own union and the community's
    assert by_name[township.name].get("own_full_time_staff") == 1
    assert by_name[community.name].get("unions") == 1
    assert [line.depth for line in figures.federations] == [0, 1, 2]


# --- logic checks ---------------------------------------------------------------------------------


def problems(federation, severity=None):
    found = build_return(federation, Y).problems
    return [p for p in found if severity is None or p.severity == severity]


def test_clean_data_passes_the_checks(township):
    union = UnionFactory(federation=township, union_type="joint", covered_employers=3)
    MemberFactory.create_batch(3, union=union)
    UnionYearFactory(union=union, year=Y, employees=10, congress_delegates=5, congress_delegates_women=2)
    assert problems(township) == []


def test_members_above_employees_is_an_error_linking_to_the_members(township):
    union = UnionFactory(federation=township, name="会员过多工会")
    MemberFactory.create_batch(3, union=union)
    UnionYearFactory(union=union, year=Y, employees=2, women_employees=0, migrant_employees=0)

    [error] = problems(township, ERROR)

    assert error.subject == "会员过多工会"
    assert error.message == "工会会员数（3）超过了职工人数（2）。"
    assert error.url == f"{reverse('members:list')}?union={union.pk}"


def test_delegates_above_employees_is_an_error_linking_to_the_yearly_figures(township):
    union = UnionFactory(federation=township)
    year = UnionYearFactory(union=union, year=Y, employees=100, congress_delegates=150)

    [error] = problems(township, ERROR)

    assert error.message == "职代会职工代表人数（150）超过了职工人数（100）。"
    assert error.url == reverse("unions:year-edit", args=[union.pk, year.pk])


def test_women_above_all_is_an_error_on_the_union_and_the_total(township):
    union = UnionFactory(federation=township, name="甲工会")
    MemberFactory(union=union, gender=Gender.FEMALE)
    UnionYearFactory(union=union, year=Y, employees=10)
    # Only data broken outside the ledger's writers can hold this: count the figures as they come.
    figures = compute_figures(township, StatisticalYear(Y))
    figures.unions[0].values["women_members"] = 2
    figures.total.values["women_members"] = 2

    found = [(p.subject, p.message) for p in run_checks(figures, None) if p.severity == ERROR]

    assert found == [
        ("甲工会", "工会会员数其中：女会员（2）超过了工会会员数（1）。"),
        (township.name, "工会会员数其中：女会员（2）超过了工会会员数（1）。"),
    ]


def test_worker_directors_without_a_board_is_an_error(township):
    union = UnionFactory(federation=township)
    year = UnionYearFactory(union=union, year=Y, employees=100)
    type(year).objects.filter(pk=year.pk).update(has_board=False, worker_directors=2)

    [error] = problems(township, ERROR)

    assert error.message == "有职工董事（2人）但未建立董事会。"


def test_joint_employers_below_joint_unions_is_an_error_of_the_federation(township):
    union = UnionFactory(federation=township, union_type="joint", covered_employers=1)
    UnionYearFactory(union=union, year=Y, employees=10)
    UnionFactory(federation=township, union_type="joint", covered_employers=1)
    # Each joint union covers at least one employer (a database check): only a broken sum fails.
    figures = compute_figures(township, StatisticalYear(Y))
    figures.total.values["joint_covered_employers"] = 1

    [error] = federation_problems(figures.total)
    assert error.message == "联合工会涵盖单位数（1）少于联合工会数（2）。"
    assert error.url == reverse("federations:detail", args=[township.pk])


def test_a_jump_over_30_percent_on_last_year_is_flagged_for_checking(township):
    union = UnionFactory(federation=township, name="猛增工会")
    UnionYearFactory(union=union, year=Y - 1, employees=100)
    UnionYearFactory(union=union, year=Y, employees=131)
    steady = UnionFactory(federation=township)
    UnionYearFactory(union=steady, year=Y - 1, employees=100)
    UnionYearFactory(union=steady, year=Y, employees=130)  # exactly 30 %: not flagged

    flagged = [p.message for p in problems(township, VERIFY) if p.subject == "猛增工会"]

    assert flagged == ["职工人数131，上年100，变动+31%，请核实。"]
    assert not [p for p in problems(township, VERIFY) if p.subject == steady.name]


def test_a_union_without_its_yearly_figures_is_missing_with_a_link_to_fill_them(township):
    union = UnionFactory(federation=township)

    [missing] = problems(township, MISSING)

    assert missing.url == reverse("unions:year-create", args=[union.pk])


# --- workbook, page, download, command ------------------------------------------------------------


def workbook_of(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_workbook_is_laid_out_like_the_survey_with_the_checks_on_a_sheet(township):
    union = UnionFactory(federation=township, name="甲工会")
    MemberFactory.create_batch(3, union=union)
    UnionYearFactory(union=union, year=Y, employees=2, women_employees=0, migrant_employees=0)

    book = workbook_of(render_return_xlsx(build_return(township, Y)))

    assert book.sheetnames == ["调查表汇总", "逻辑检查", "各联合会汇总", "基层工会", "指标说明"]
    summary = list(book["调查表汇总"].iter_rows(values_only=True))
    assert summary[2][0] == "2025年统计年度（2024年10月1日至2025年9月30日）"
    assert summary[3] == ("指标名称", "计量单位", "行次", "本年", "上年", "数据来源", "填报情况")
    by_label = {row[0].strip("\u3000"): row for row in summary[4:]}
    assert by_label["基层工会数"][2:5] == (1, 1, 1)
    assert by_label["工会会员数"][3] == 3
    assert by_label["职代会职工代表人数"][3] is None and by_label["职代会职工代表人数"][6] == "0/1个工会填报"
    assert len(summary) - 4 == len(ROWS)
    checks = list(book["逻辑检查"].iter_rows(values_only=True))
    assert checks[2][:3] == ("错误", "会员数不超过职工人数", "甲工会")
    unions = list(book["基层工会"].iter_rows(values_only=True))
    assert unions[1][:2] == (union.pk, "甲工会")


def test_workbook_cells_are_written_safely(township):
    UnionFactory(federation=township, name='=HYPERLINK("http://x","点我")')
    book = workbook_of(render_return_xlsx(build_return(township, Y)))
    cell = book["基层工会"]["B2"]
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"


def test_page_lists_the_problems_with_links_and_the_rows(client, township_staff, township):
    union = UnionFactory(federation=township, name="会员过多工会")
    MemberFactory.create_batch(3, union=union)
    UnionYearFactory(union=union, year=Y, employees=2, women_employees=0, migrant_employees=0)
    client.force_login(township_staff)

    response = client.get(reverse("reports:statistics", args=[township.pk, Y]))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<a href="{reverse("members:list")}?union={union.pk}">会员过多工会</a>' in content
    assert "工会会员数（3）超过了职工人数（2）。" in content
    assert f'data-row="{LINE_NUMBER["congress_delegates"]}"' in content
    assert "2024年10月1日至2025年9月30日" in content


def test_page_and_download_cost_a_fixed_number_of_queries(
    client, county_staff, township, community, django_assert_max_num_queries
):
    def populate(n):
        for _n in range(n):
            union = UnionFactory(federation=community)
            MemberFactory(union=union)
            UnionYearFactory(union=union, year=Y)

    client.force_login(county_staff)
    populate(2)
    url = reverse("reports:statistics", args=[county_staff.federation_id, Y])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    populate(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url + "xlsx/").status_code == 200


def test_download_is_an_attachment_workbook(client, county_chair, township):
    client.force_login(county_chair)
    response = client.get(reverse("reports:statistics-xlsx", args=[township.pk, Y]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert workbook_of(response.content).sheetnames[0] == "调查表汇总"


@pytest.mark.parametrize(
    "url",
    [
        "/reports/{pk}/1999/statistics/",
        "/reports/{pk}/99999/statistics/xlsx/",
        "/reports/999999/2025/statistics/",
        "/reports/statistics/?federation=abc&year=2025",
        "/reports/statistics/?federation={pk}&year=abc",
        "/reports/statistics/?federation={pk}&year=1800",
        "/reports/statistics/?federation=99999999999999999999999&year=2025",
    ],
)
def test_bad_input_is_a_404_never_a_500(client, township_staff, township, url):
    client.force_login(township_staff)
    assert client.get(url.format(pk=township.pk)).status_code == 404


def test_another_federations_return_is_a_404_and_the_index_redirects(
    client, township_staff, township, other_county
):
    client.force_login(township_staff)
    assert client.get(reverse("reports:statistics", args=[other_county.pk, Y])).status_code == 404
    response = client.get(reverse("reports:statistics-index"), {"federation": township.pk, "year": Y})
    assert response["Location"] == reverse("reports:statistics", args=[township.pk, Y])


def test_command_writes_the_workbook(tmp_path, township):
    UnionFactory(federation=township)
    target = tmp_path / "return.xlsx"
    out = io.StringIO()

    call_command(
        "statistical_return",
        "--federation",
        township.name,
        "--year",
        str(Y),
        "--output",
        str(target),
        stdout=out,
    )

    assert "逻辑检查：错误 0 条，需核实或缺报 1 条" in out.getvalue()
    assert workbook_of(target.read_bytes()).sheetnames[1] == "逻辑检查"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "20x5"], "年度“20x5”无效"),
        (["--year", "1999"], "年度 1999 无效"),
        (["--federation", "不存在的联合会"], "找不到工会联合会"),
        (["--output", "/nonexistent/dir/x.xlsx"], "输出目录"),
    ],
)
def test_command_errors_are_those_of_annual_summary(tmp_path, township, args, message):
    options = {"--federation": township.name, "--year": str(Y), "--output": str(tmp_path / "x.xlsx")}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        options[flag] = value
    with pytest.raises(CommandError, match=message):
        call_command("statistical_return", *[part for pair in options.items() for part in pair])


def test_federation_year_form_keeps_the_federations_own_staff(client, township_staff, township):
    client.force_login(township_staff)
    url = reverse("federations:year-create", args=[township.pk])

    refused = client.post(url, {"year": Y, "own_full_time_staff": "-1"})
    assert refused.status_code == 200 and not FederationYear.objects.exists()

    assert (
        client.post(url, {"year": Y, "own_full_time_staff": 3, "own_part_time_staff": 7}).status_code == 302
    )
    assert total(township)["own_full_time_staff"] == 3
