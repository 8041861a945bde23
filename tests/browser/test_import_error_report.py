"""A cadre whose roster has errors downloads the preview's 错误报告 and finds each bad row in it."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.support.roster_workbooks import person, write_roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_downloads_the_error_report_of_a_preview(sign_in, cadre_a, union_a, tmp_path):
    path = write_roster(
        tmp_path / "花名册.xlsx", [person(1), person(2, 手机号码="138"), person(3, 性别="未知")]
    )
    page = sign_in(cadre_a)
    page.goto("/imports/new/?kind=members")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("table.problems")).to_contain_text("第3行")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载错误报告(Excel)").click()
    assert download.value.suggested_filename == "花名册-错误报告.xlsx"
    report = tmp_path / "report.xlsx"
    download.value.save_as(report)
    sheet = load_workbook(report).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == [3, 4]
    assert "手机号码" in rows[0][2] and "性别" in rows[1][2]
