"""A union cadre imports a member roster: downloads the template, fills it, uploads it, sees the error
the preview reports, fixes it, uploads again, confirms, and finds the members in the member list."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.support.roster_workbooks import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(template, target, rows: list[dict]) -> None:
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for offset, row in enumerate(rows):
        for header, value in row.items():
            sheet.cell(row=2 + offset, column=headers.index(header) + 1, value=value)
    workbook.save(target)


def test_cadre_imports_a_roster_after_fixing_the_error_the_preview_shows(sign_in, cadre_a, union_a, tmp_path):
    page = sign_in(cadre_a)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="会员").click()
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", name="从Excel导入")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载“会员花名册”模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    first, second = person(11, 姓名="李四"), person(12, 姓名="赵六", 手机号码="1380013")
    fill(template, tmp_path / "roster.xlsx", [first, second])
    page.set_input_files("input[name=file]", str(tmp_path / "roster.xlsx"))
    page.get_by_role("button", name="上传并检查").click()

    problems = page.locator("table.problems")
    expect(problems).to_contain_text("第3行")
    expect(problems).to_contain_text("手机号码")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    second["手机号码"] = "13800138012"
    fill(template, tmp_path / "fixed.xlsx", [first, second])
    page.get_by_role("link", name="修改后重新上传").click()
    page.set_input_files("input[name=file]", str(tmp_path / "fixed.xlsx"))
    page.get_by_role("button", name="上传并检查").click()

    expect(page.locator(".figures")).to_contain_text("将新增")
    expect(page.locator("table.list").last).to_contain_text("赵六")
    page.get_by_role("button", name="确认导入").click()

    expect(page.locator("body")).to_contain_text("导入完成：新增2条")
    page.get_by_role("link", name="查看导入的数据").click()
    for name in ("李四", "赵六"):
        row = page.locator("table.list tbody tr", has_text=name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(union_a.name)
        expect(row).to_contain_text("2020-05-01")
