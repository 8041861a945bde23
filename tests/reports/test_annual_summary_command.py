"""manage.py annual_summary: writes the summary of a federation (by full or short name) as HTML, PDF
or XLSX, and refuses an unknown federation, a bad year or format with a Chinese message (a
CommandError: manage.py prints it and exits with status 1)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.support.factories import MemberFactory, UnionFactory, UnionYearFactory

Y = 2025


@pytest.fixture
def records(county, township):
    county.short_name = "测试县"
    county.save()
    union = UnionFactory(federation=township, name="甲公司工会委员会")
    UnionYearFactory(union=union, year=Y, employees=50)
    for _ in range(4):
        MemberFactory(union=union, joined_on=dt.date(2020, 1, 1))
    return county


def run(*args) -> str:
    out = io.StringIO()
    call_command("annual_summary", *args, stdout=out)
    return out.getvalue()


def test_writes_the_html_page(records, tmp_path):
    target = tmp_path / "summary.html"
    printed = run(
        "--federation", "测试县总工会", "--year", str(Y), "--format", "html", "--output", str(target)
    )
    html = target.read_text(encoding="utf-8")
    assert "<html" in html
    assert f"测试县总工会{Y}年工作总结" in html
    assert "用时" in printed and "秒" in printed


def test_writes_the_pdf_for_a_federation_named_by_its_short_name(records, tmp_path):
    target = tmp_path / "summary.pdf"
    run("--federation", "测试县", "--year", str(Y), "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_writes_the_workbook(records, tmp_path):
    target = tmp_path / "summary.xlsx"
    run("--federation", "测试县总工会", "--year", str(Y), "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(target)
    assert "主要指标" in book.sheetnames
    main = {row[0]: row[1] for row in book["主要指标"].iter_rows(min_row=2, values_only=True)}
    assert main["会员总数"] == 4
    assert book["基层工会"]["A2"].value == "甲公司工会委员会"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--federation", "不存在的总工会", "--year", str(Y), "--format", "pdf"], "找不到工会联合会"),
        (["--federation", "测试县总工会", "--year", "去年", "--format", "pdf"], "年度“去年”无效"),
        (["--federation", "测试县总工会", "--year", "1800", "--format", "pdf"], "年度 1800 无效"),
        (["--federation", "测试县总工会", "--year", "2999", "--format", "pdf"], "年度 2999 无效"),
        (["--federation", "测试县总工会", "--year", str(Y), "--format", "doc"], "格式“doc”无效"),
    ],
)
def test_refuses_bad_arguments_with_a_chinese_message_and_writes_nothing(records, tmp_path, args, message):
    target = tmp_path / "out.bin"
    with pytest.raises(CommandError, match=message):
        run(*args, "--output", str(target))
    assert not target.exists()


def test_a_short_name_shared_by_two_federations_must_be_spelt_out(records, township, tmp_path):
    township.short_name = "测试县"
    township.save()
    with pytest.raises(CommandError, match="对应多个工会联合会"):
        run(
            "--federation",
            "测试县",
            "--year",
            str(Y),
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "x.xlsx"),
        )


def test_refuses_an_output_directory_that_does_not_exist(records, tmp_path):
    with pytest.raises(CommandError, match="输出目录"):
        run(
            "--federation",
            "测试县总工会",
            "--year",
            str(Y),
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "missing" / "x.xlsx"),
        )
