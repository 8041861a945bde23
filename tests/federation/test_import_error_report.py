"""An import preview offers its problems as a workbook (错误报告): one line per bad row with its row
number, the columns at fault and every message, written through the one cell writer."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from federation.imports import engine
from federation.imports.error_report import bad_rows, error_report
from federation.models import ImportBatch
from tests.support.roster_workbooks import person, roster, write_roster

pytestmark = pytest.mark.usefixtures("any_storage")


def _upload(client, path):
    with open(path, "rb") as handle:
        payload = {"kind": "members", "file": SimpleUploadedFile(path.name, handle.read())}
    return client.post(reverse("imports:start"), payload)


def _sheet(content: bytes):
    sheet = load_workbook(BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_preview_offers_an_error_report_of_each_bad_row(client, tmp_path, cadre_a, union_a):
    client.force_login(cadre_a)
    rows = [
        person(1),
        person(2, 手机号码="123"),
        person(3, 身份证号="110105199001010000", 手机号码="12"),
    ]
    preview = client.get(_upload(client, write_roster(tmp_path / "名册.xlsx", rows))["Location"])
    batch = ImportBatch.objects.get()
    assert reverse("imports:error-report", args=[batch.pk]) in preview.text

    response = client.get(reverse("imports:error-report", args=[batch.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "%E5%90%8D%E5%86%8C-%E9%94%99%E8%AF%AF%E6%8A%A5%E5%91%8A.xlsx" in response["Content-Disposition"]
    lines = _sheet(response.content)
    assert lines[0] == ["行号", "出错的列", "问题说明"]
    assert [line[0] for line in lines[1:]] == [3, 4]
    assert lines[1][1] == "手机号码（I列）" and lines[1][2].startswith("手机号码（I列）：")
    assert {column.split("（")[0] for column in lines[2][1].split("、")} == {"身份证号", "手机号码"}
    assert len(lines[2][2].split("\n")) == 2


def test_a_file_without_problems_gives_a_report_with_only_its_header(client, tmp_path, cadre_a, union_a):
    client.force_login(cadre_a)
    preview = client.get(_upload(client, roster(tmp_path / "r.xlsx", 2))["Location"])
    batch = ImportBatch.objects.get()
    assert "下载错误报告" not in preview.text
    assert _sheet(client.get(reverse("imports:error-report", args=[batch.pk])).content) == [
        ["行号", "出错的列", "问题说明"]
    ]


def test_a_message_that_looks_like_a_formula_stays_text():
    batch = ImportBatch(
        file_name="x.xlsx",
        report={
            "problems": [{"row": 5, "column": "姓名", "message": '=HYPERLINK("http://x")', "conflict": False}]
        },
    )
    sheet = load_workbook(BytesIO(error_report(batch))).active
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value == '姓名：=HYPERLINK("http://x")'


def test_conflicts_are_messages_of_their_row_and_rows_come_in_file_order():
    problems = [
        {"row": 9, "column": "", "message": "已在乙工会", "conflict": True},
        {"row": 4, "column": "性别", "message": "应为男或女", "conflict": False},
        {"row": 9, "column": "手机号码", "message": "应为11位", "conflict": False},
    ]
    assert bad_rows(problems) == [
        (4, ["性别"], ["性别：应为男或女"]),
        (9, ["手机号码"], ["冲突：已在乙工会", "手机号码：应为11位"]),
    ]


def test_a_capped_report_says_so(monkeypatch):
    problems = [{"row": n, "column": "姓名", "message": "必填", "conflict": False} for n in range(2, 7)]
    monkeypatch.setattr("federation.imports.error_report.MAX_LISTED_PROBLEMS", 5)
    lines = _sheet(error_report(ImportBatch(file_name="x.xlsx", report={"problems": problems})))
    assert "只列出前5个问题" in lines[-1][0]
    assert engine.MAX_LISTED_PROBLEMS == 500


@pytest.mark.parametrize("user", ["cadre_b", "outside_staff"])
def test_another_unions_error_report_is_a_404(client, request, tmp_path, cadre_a, union_a, user):
    client.force_login(cadre_a)
    _upload(client, write_roster(tmp_path / "r.xlsx", [person(1, 手机号码="1")]))
    batch = ImportBatch.objects.get()
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("imports:error-report", args=[batch.pk])).status_code == 404
