"""Federation staff prepare the union statistical return: the 工作台 in September lists the unions
still to fill in, with the fill sheet one click away; the return's page lists what its logic checks
found, each a link to the record, and downloads the workbook."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.support.factories import MemberFactory, UnionFactory, UnionYearFactory
from unions.models import GrassrootsUnion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Y = 2025


def workbook(download):
    """A downloaded workbook (Playwright keeps the file without its extension, which openpyxl wants)."""
    return load_workbook(io.BytesIO(download.path().read_bytes()))


def test_in_september_staff_see_unions_to_fill_and_download_the_fill_sheet(
    sign_in, monkeypatch, township_staff, union_a
):
    year = timezone.localdate().year
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(year, 9, 10))
    done = UnionFactory(federation=union_a.federation, name="已填报工会")
    UnionYearFactory(union=done, year=year, employees=20, dues_collected=600)
    GrassrootsUnion.objects.update(election_due_on=dt.date(year + 3, 1, 1))

    page = sign_in(township_staff)

    todo = page.locator("#todo-union_years")
    expect(todo).to_contain_text(f"缺少{year}年统计年报数据的基层工会")
    expect(todo).to_contain_text("甲公司工会委员会")
    expect(todo).not_to_contain_text("已填报工会")
    with page.expect_download() as download:
        todo.get_by_role("link", name=f"下载{year}年度职工情况填报表").click()
    sheet = workbook(download.value).worksheets[0]
    assert sheet["H1"].value == "职代会职工代表人数"
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {union_a.pk, done.pk}


def test_staff_follow_a_logic_check_to_the_record_and_download_the_return(
    sign_in, live_server, township_staff, township
):
    union = UnionFactory(federation=township, name="会员过多工会")
    MemberFactory.create_batch(3, union=union)
    UnionYearFactory(union=union, year=Y, employees=2, women_employees=0, migrant_employees=0)

    page = sign_in(township_staff)
    page.goto("/reports/statistics/")
    page.get_by_label("工会联合会").select_option(str(township.pk))
    page.get_by_label("统计年度").select_option(str(Y))
    page.get_by_role("button", name="查看统计年报").click()

    checks = page.locator("#checks")
    expect(checks).to_contain_text("错误（须改正后上报）")
    expect(checks).to_contain_text("工会会员数（3）超过了职工人数（2）。")
    expect(page.locator("#return-rows")).to_contain_text("职代会职工代表人数")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel").click()
    assert download.value.suggested_filename == f"{township.name}-{Y}年工会统计年报.xlsx"
    book = workbook(download.value)
    assert book["逻辑检查"]["A1"].value == "逻辑检查：错误1条，需核实或缺报0条"

    checks.get_by_role("link", name="会员过多工会").click()
    expect(page).to_have_url(f"{live_server.url}/members/?union={union.pk}")
    expect(page.locator("main")).to_contain_text("会员")
