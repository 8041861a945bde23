"""A clerk prints a member's 会员登记表 and a hardship file (一户一档): the print button and links stay
off the paper, and the sheet prints on A4 with the record's own words."""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = "pts (A4)"  # pdfinfo names the paper size it recognises


def _pdf_facts(page, tmp_path, name):
    pdf = tmp_path / f"{name}.pdf"
    page.emulate_media(media="print")
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return info, text


def test_a_clerk_prints_the_member_registration_form_on_one_a4_sheet(sign_in, cadre_a, union_a, tmp_path):
    member = MemberFactory(union=union_a, name="打印会员", member_number="HY-42")
    page = sign_in(cadre_a)
    page.goto(f"/members/{member.pk}/")
    page.get_by_role("link", name="打印会员登记表").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("工会会员登记表")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    info, text = _pdf_facts(page, tmp_path, "member")
    assert A4_POINTS in info and re.search(r"^Pages:\s+1$", info, re.M), info
    assert "打印会员" in text and "HY-42" in text
    assert "返回" not in text  # the toolbar stays on the screen


def test_a_clerk_prints_a_hardship_file_with_its_aid_history(sign_in, cadre_a, union_a, tmp_path):
    member = MemberFactory(union=union_a, name="困难职工", joined_on=dt.date(2018, 1, 1))
    case = HardshipCaseFactory(member=member, opened_on=dt.date(2024, 3, 1))
    for i in range(30):  # a long history runs onto a second sheet, headers repeated
        AidRecordFactory(
            member=member,
            hardship_case=case,
            aid_on=dt.date(2024, 4, 1) + dt.timedelta(days=7 * i),
            amount=Decimal("100"),
        )
    page = sign_in(cadre_a)
    page.goto(f"/hardship/{case.pk}/")
    page.get_by_role("link", name="打印一户一档").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("一户一档")
    info, text = _pdf_facts(page, tmp_path, "case")
    assert A4_POINTS in info
    assert "困难职工" in text and "合计30次" in text and "3000.00" in text
    assert "打印" not in text.replace("打印日期", "").replace("打印人", "")
