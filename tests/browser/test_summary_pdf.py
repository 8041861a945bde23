"""The chair downloads the annual summary as a PDF that names the federation."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from federation.models import FederationYear
from tests.support.factories import AidRecordFactory, MemberFactory, UnionYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def test_chair_downloads_the_summary_pdf_naming_the_federation(
    sign_in, county_chair, township, union_a, tmp_path
):
    FederationYear.objects.create(federation=township, year=YEAR, employers_should_unionise=5)
    UnionYearFactory(union=union_a, year=YEAR, employees=20)
    member = MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1))
    AidRecordFactory(member=member, kind="festival", amount=Decimal("800.00"))

    page = sign_in(county_chair)
    page.goto(f"/reports/{township.pk}/{YEAR}/")
    expect(page.get_by_role("link", name="下载PDF")).to_be_visible()
    page.get_by_role("link", name="下载PDF").click()  # a job renders it; its page offers the file
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="下载 ").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = tmp_path / "summary.pdf"
    download.save_as(pdf)

    assert pdf.read_bytes().startswith(b"%PDF")
    # pdftotext comes with poppler-utils, which `make test` installs beside Chromium.
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True, timeout=60
    ).stdout
    assert "测试街道工会联合会" in text
