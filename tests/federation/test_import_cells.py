"""Cleaning one cell of an import: what people type in Excel, and what calamine hands back for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federation.identifiers import MALE, make_resident_id
from federation.imports.cells import (
    CellError,
    ChoiceColumn,
    CreditCodeColumn,
    DateColumn,
    DecimalColumn,
    IdNumberColumn,
    IntegerColumn,
    MobileColumn,
    NameColumn,
    TextColumn,
    YesNoColumn,
    normalise_text,
)
from federation.imports.reader import header_text

ID = make_resident_id("110105", dt.date(1990, 3, 7), 1, MALE)
MARCH_1 = dt.date(2024, 3, 1)


def clean(column, raw):
    return column.clean(raw)


def error_of(column, raw) -> str:
    with pytest.raises(CellError) as caught:
        column.clean(raw)
    return str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "2024 年 3 月 1 日",
        "20240301",
        "2024-03-01 00:00:00",
        " ２０２４－０３－０１　",
        45352,
        45352.0,
        20240301,
        dt.datetime(2024, 3, 1, 0, 0),
        MARCH_1,
    ],
)
def test_unambiguous_dates_as_text_serial_numbers_or_dates_are_accepted(raw):
    assert clean(DateColumn("入会日期", "joined_on"), raw) == MARCH_1


@pytest.mark.parametrize("raw", ["03/04/2024", "3-4-2024", "3.4.24", "12/11/2023"])
def test_day_month_year_dates_are_refused_as_ambiguous(raw):
    message = error_of(DateColumn("入会日期", "joined_on"), raw)
    assert "无法确定是几月几日" in message
    assert "2024-03-01" in message


@pytest.mark.parametrize("raw", ["2024-03/01", "三月一日", "去年", "2024-13-01"])
def test_text_that_is_not_a_date_says_so(raw):
    message = error_of(DateColumn("入会日期", "joined_on"), raw)
    assert "不是日期" in message or "不是有效的日期" in message


def test_an_impossible_date_is_refused_as_invalid():
    assert "不是有效的日期" in error_of(DateColumn("入会日期", "joined_on"), "2023-02-29")


def test_a_number_that_is_no_excel_date_is_refused():
    assert "不是有效的日期" in error_of(DateColumn("入会日期", "joined_on"), 45352.5)


def test_an_empty_optional_date_is_none_and_a_required_one_is_an_error():
    assert clean(DateColumn("出生日期", "birth_date"), "  ") is None
    assert "必填" in error_of(DateColumn("入会日期", "joined_on", required=True), None)


def test_an_id_number_stored_as_a_number_asks_for_text_format():
    message = error_of(IdNumberColumn("身份证号", "id_number"), 4.101021985031212e16)
    assert "存成了数字" in message and "15位有效数字" in message and "文本" in message


def test_an_id_number_with_full_width_digits_spaces_and_a_small_x_is_normalised():
    with_x = make_resident_id("110105", dt.date(1949, 12, 31), 2, "F")
    if not with_x.endswith("X"):  # pick one whose check digit is X
        with_x = next(
            i
            for n in range(1, 200)
            if (i := make_resident_id("110105", dt.date(1949, 12, 31), n, "F")).endswith("X")
        )
    full_width = with_x[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    assert clean(IdNumberColumn("身份证号", "id_number"), f"　{full_width} ") == with_x


def test_an_id_number_with_a_wrong_check_digit_is_refused():
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    assert error_of(IdNumberColumn("身份证号", "id_number"), wrong)


def test_a_phone_number_stored_as_a_number_or_with_spaces_is_accepted():
    column = MobileColumn("手机号码", "mobile")
    assert clean(column, 13800138000.0) == "13800138000"
    assert clean(column, "１３８ ００１３ ８０００") == "13800138000"
    assert clean(column, "+8613800138000") == "13800138000"


def test_a_credit_code_stored_as_a_number_asks_for_text_format():
    assert "文本" in error_of(CreditCodeColumn("统一社会信用代码", "credit_code"), 9.1e17)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张　三", "张三"),
        (" 欧阳 明 ", "欧阳明"),
        ("John  Smith", "John Smith"),
        ("ＬＩ　Ｍｉｎｇ", "LI Ming"),
        ("张\u2002三", "张三"),  # any other space, too
        ("Anna\u2003Lee", "Anna Lee"),
        ("王小明", "王小明"),  # no space at all: as it came
    ],
)
def test_names_lose_the_spaces_used_to_line_them_up_but_keep_those_between_latin_words(raw, expected):
    assert clean(NameColumn("姓名", "name", required=True), raw) == expected


def test_a_name_is_too_long_by_its_length_once_cleaned():
    column = NameColumn("姓名", "name", required=True)
    assert "过长" in error_of(column, "张" * 51)
    assert "过长" in error_of(column, "Ab " * 18)  # 53 characters once trimmed: spaces between words count
    assert clean(column, "张 " * 30 + "三") == "张" * 30 + "三"  # counted once the spaces are gone


def test_text_is_trimmed_and_full_width_letters_and_digits_become_half_width():
    assert normalise_text("　ＡＢＣ１２３\u00a0") == "ABC123"
    assert clean(TextColumn("工作岗位", "job"), "  车间主任 ") == "车间主任"
    assert normalise_text("Ａ\u00a0Ｂ　Ｃ") == "A B C"


def test_a_name_keeps_its_chinese_brackets_where_a_date_or_number_folds_its_punctuation():
    assert clean(TextColumn("工作单位", "employer"), "某某（北京）有限公司") == "某某（北京）有限公司"
    assert clean(DateColumn("入会日期", "joined_on"), "２０２４．０３．０１") == dt.date(2024, 3, 1)


def test_text_longer_than_the_column_allows_is_refused():
    assert "内容过长（最多5个字）" in error_of(
        TextColumn("会员证号", "member_number", max_length=5), "123456"
    )


def test_whole_numbers_typed_as_floats_or_text_with_separators_are_integers():
    column = IntegerColumn("职工人数", "employees")
    assert clean(column, 120.0) == 120
    assert clean(column, "1,200") == 1200
    assert "整数" in error_of(column, 12.5)
    assert "不能小于0" in error_of(column, -1)


def test_money_keeps_two_decimals_and_refuses_more_or_negative_amounts():
    column = DecimalColumn("金额", "amount")
    assert clean(column, "1,000.5元") == Decimal("1000.50")
    assert "两位小数" in error_of(column, "1.005")
    assert "负数" in error_of(column, "-3")


def test_yes_no_columns_accept_the_usual_spellings():
    column = YesNoColumn("是否工会干部", "is_cadre")
    assert [clean(column, v) for v in ("是", "否", "Y", "n", "√", "", None, True)] == [
        True,
        False,
        True,
        False,
        True,
        False,
        False,
        True,
    ]
    assert "请填“是”或“否”" in error_of(column, "也许")


def test_a_choice_accepts_its_label_code_or_synonym_and_lists_the_choices_otherwise():
    column = ChoiceColumn(
        "户籍类型",
        "hukou_type",
        choices=[("agri", "农业"), ("non_agri", "非农业")],
        synonyms={"农村": "agri"},
    )
    assert [clean(column, v) for v in ("农业", " 非农业 ", "agri", "农村")] == [
        "agri",
        "non_agri",
        "agri",
        "agri",
    ]
    assert "可选：农业、非农业" in error_of(column, "城镇")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 姓 名 ", "姓名"),
        ("*姓名", "姓名"),
        ("身份证号＊", "身份证号"),
        ("入会\n日期", "入会日期"),
        ("手机\u3000号码", "手机号码"),
    ],
)
def test_header_texts_lose_spaces_line_breaks_and_asterisks(raw, expected):
    assert header_text(raw) == expected
