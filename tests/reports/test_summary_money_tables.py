"""Money in the summary's tables: the unit once, in the column header (「金额（万元）」), bare numbers in
the cells — in the Table objects and so in the HTML, the PDF and the Word document made from them."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest

from members.choices import AidKind
from reports.summary.document import build_summary
from reports.summary.docx import render_summary_docx
from reports.summary.render import render_summary_html
from tests.support.factories import ActivityFactory, AidRecordFactory, MemberFactory, UnionFactory

Y = 2025


@pytest.fixture
def spending(township):
    union = UnionFactory(federation=township)
    member = MemberFactory(union=union)
    AidRecordFactory(member=member, kind=AidKind.FESTIVAL, amount=Decimal("71600.00"))
    AidRecordFactory(
        member=member, kind=AidKind.LIVING, amount=Decimal("7870.00"), goods_value=Decimal("7510")
    )
    ActivityFactory(union=union, spending=Decimal("7160.50"), starts_on=dt.date(Y, 3, 1))
    return township


def _table(document, caption):
    return next(t for s in document.sections for t in s.tables if t.caption == caption)


def _text(cell):
    return cell if isinstance(cell, str) else cell.text


def test_an_amount_column_says_its_unit_in_the_header_and_holds_bare_numbers(spending):
    document = build_summary(spending, Y)
    aid = _table(document, "本年度帮扶情况")
    activities = _table(document, "本年度职工活动情况")

    assert aid.columns[3] == "金额（万元）"
    assert [_text(row[3]) for row in aid.rows] == ["0.79", "7.16"]
    assert _text(aid.total[3]) == "7.95"
    # A column whose total stays below ten thousand is in 元, two decimals, never a unit in a cell.
    assert activities.columns[4] == "经费（元）"
    assert _text(activities.rows[0][4]) == "7,160.50"


def test_the_word_tables_are_the_same_cells(spending):
    word = docx.Document(io.BytesIO(render_summary_docx(build_summary(spending, Y))))

    aid = next(t for t in word.tables if t.rows[0].cells[0].text == "帮扶类型")
    assert aid.rows[0].cells[3].text == "金额（万元）"
    assert [row.cells[3].text for row in aid.rows[1:]] == ["0.79", "7.16", "7.95"]
    assert not any("元" in row.cells[3].text for row in aid.rows[1:])


def test_one_sentence_keeps_one_unit_and_prose_has_no_trailing_zeros(spending):
    page = render_summary_html(build_summary(spending, Y))

    assert "发放帮扶资金共计" in page and "7.95</span>万元" in page
    assert "另发放实物折价" in page and "0.75</span>万元" in page  # not 「7,510.00元」 beside 万元
    assert "7,160.5</span>元" in page  # 活动经费支出, alone in its sentence: 元 without .00
    assert ".00元" not in page.replace("</span>", "")
