"""The chair downloads the annual summary as a Word document from the summary page."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from playwright.sync_api import expect

from federation.models import FederationYear
from tests.support.factories import AidRecordFactory, MemberFactory, UnionYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def test_chair_downloads_the_summary_as_a_word_document(sign_in, county_chair, township, union_a, tmp_path):
    FederationYear.objects.create(federation=township, year=YEAR, employers_should_unionise=5)
    UnionYearFactory(union=union_a, year=YEAR, employees=20)
    member = MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1))
    AidRecordFactory(member=member, kind="festival", amount=Decimal("800.00"))

    page = sign_in(county_chair)
    page.goto(f"/reports/{township.pk}/{YEAR}/")
    button = page.get_by_role("link", name="下载Word")
    expect(button).to_be_visible()
    button.click()  # a job renders it; its page offers the file
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="下载 ").click()
    download = download_info.value
    assert download.suggested_filename == f"测试街道工会联合会{YEAR}年工作总结.docx"
    target = tmp_path / "summary.docx"
    download.save_as(target)

    word = docx.Document(io.BytesIO(target.read_bytes()))
    assert word.paragraphs[0].text == f"测试街道工会联合会{YEAR}年工作总结"
    assert "一、组织建设和会员发展" in [p.text for p in word.paragraphs]
