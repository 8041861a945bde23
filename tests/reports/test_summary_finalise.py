"""Finalising the annual summary: only the chair (or an administrator) finalises; a finalised version
keeps its figures, narrative and files, and downloads return those bytes unchanged after the records
change; reopening supersedes a version without losing it. Views go through federation.scoping: another
scope is a 404, a missing permission inside one's own scope a 403."""

import datetime as dt
import hashlib
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from federation.models import User
from reports.models import SummaryDraft, SummaryVersion
from reports.services import summary_finalise, summary_reopen
from tests.support.factories import (
    AidRecordFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    UserFactory,
)
from tests.support.jobs import job_download

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")

Y = 2025
D = dt.date


@pytest.fixture
def records(county, union_a, union_b):
    UnionYearFactory(union=union_a, year=Y, employees=40)
    UnionYearFactory(union=union_b, year=Y, employees=20)
    for _ in range(3):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    member = MemberFactory(union=union_b, joined_on=D(Y, 3, 1))
    AidRecordFactory(member=member, amount=Decimal("800.50"), aid_on=D(Y, 1, 20))
    SummaryDraft.objects.create(
        federation=county, year=Y, problems_text="基层工会经费不足。", signoff_date=D(Y, 12, 20)
    )
    return county


@pytest.fixture
def outside_chair(other_county):
    return UserFactory(username="outside_chair", role=User.Role.CHAIR, federation=other_county)


def stored(file) -> bytes:
    """A finalised version's file as it is in the storage."""
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def main_sheet_values(data: bytes) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(data)))["主要指标"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_col=2, values_only=True) if row[0]}


# --- the service ------------------------------------------------------------------------------------


def test_chair_finalises_and_the_version_keeps_figures_narrative_and_files(records, county_chair):
    version = summary_finalise(federation=records, year=Y, by=county_chair)
    version.refresh_from_db()
    assert version.number == 1
    assert version.is_current
    assert version.finalised_by == county_chair
    assert version.indicators["current"]["members"] == 4
    assert version.indicators["current"]["aid_amount"] == "800.50"  # Decimal kept exact, as text
    assert version.indicators["previous"]["members"] == 3
    assert version.narrative["problems_text"] == "基层工会经费不足。"
    assert version.narrative["signoff_date"] == "2025-12-20"
    pdf = stored(version.pdf)
    assert pdf.startswith(b"%PDF")
    assert version.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert main_sheet_values(stored(version.xlsx))["会员总数"] == 4


def test_finalising_computes_the_catalogue_and_the_union_rows_once_for_every_file(
    records, county_chair, monkeypatch
):
    # 定稿 at a city's scale: the workbook reuses the rows the document has, never recomputes them.
    from reports.indicators import compute
    from reports.summary import document, xlsx

    calls = []

    def counted(name, real):
        def wrapper(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(document, "union_rows", counted("union_rows", document.union_rows))
    monkeypatch.setattr(xlsx, "union_rows", counted("union_rows", xlsx.union_rows))
    monkeypatch.setattr(compute, "membership_by_year", counted("membership", compute.membership_by_year))
    version = summary_finalise(federation=records, year=Y, by=county_chair)

    assert calls.count("union_rows") == 1
    assert calls.count("membership") == 1
    workbook = openpyxl.load_workbook(io.BytesIO(stored(version.xlsx)))
    assert workbook["基层工会"].max_row == 2 + 2  # header, two unions, the total


def test_admin_may_finalise_too(records, admin_user):
    assert summary_finalise(federation=records, year=Y, by=admin_user).finalised_by == admin_user


@pytest.mark.parametrize("who", ["county_staff", "township_staff", "cadre_a", "outside_chair"])
def test_anyone_but_the_chair_is_refused(records, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="主席"):
        summary_finalise(federation=records, year=Y, by=user)
    assert not SummaryVersion.objects.exists()


def test_a_second_finalise_is_refused_while_a_version_is_current(records, county_chair):
    summary_finalise(federation=records, year=Y, by=county_chair)
    with pytest.raises(ValidationError, match="已定稿"):
        summary_finalise(federation=records, year=Y, by=county_chair)
    assert SummaryVersion.objects.count() == 1


def test_reopening_keeps_the_old_version_and_the_next_one_is_numbered_after_it(
    records, union_a, county_chair
):
    first = summary_finalise(federation=records, year=Y, by=county_chair)
    summary_reopen(version=first, by=county_chair)
    first.refresh_from_db()
    assert first.reopened_by == county_chair and first.reopened_at is not None
    MemberFactory(union=union_a, joined_on=D(Y, 6, 1))
    second = summary_finalise(federation=records, year=Y, by=county_chair)
    assert second.number == 2
    assert first.indicators["current"]["members"] == 4
    assert second.indicators["current"]["members"] == 5
    assert stored(first.pdf).startswith(b"%PDF")
    with pytest.raises(ValidationError):
        summary_reopen(version=first, by=county_chair)  # already reopened


def test_staff_cannot_reopen(records, county_chair, county_staff):
    version = summary_finalise(federation=records, year=Y, by=county_chair)
    with pytest.raises(PermissionDenied):
        summary_reopen(version=version, by=county_staff)
    version.refresh_from_db()
    assert version.is_current


def test_finalising_one_year_does_not_touch_another(records, county_chair):
    summary_finalise(federation=records, year=Y, by=county_chair)
    assert summary_finalise(federation=records, year=Y - 1, by=county_chair).number == 1


# --- downloads are the stored bytes ------------------------------------------------------------------


def test_downloads_of_a_finalised_version_stay_identical_after_the_records_change(
    records, union_a, county_chair, client
):
    version = summary_finalise(federation=records, year=Y, by=county_chair)
    stored_pdf, stored_xlsx = stored(version.pdf), stored(version.xlsx)
    for _ in range(5):
        member = MemberFactory(union=union_a, joined_on=D(Y, 9, 1))
    AidRecordFactory(member=member, amount=Decimal("5000"), aid_on=D(Y, 10, 1))

    client.force_login(county_chair)
    pdf = client.get(reverse("reports:version-pdf", args=[records.pk, Y, 1]))
    xlsx = client.get(reverse("reports:version-xlsx", args=[records.pk, Y, 1]))
    assert pdf.status_code == xlsx.status_code == 200
    assert body(pdf) == stored_pdf
    assert hashlib.sha256(stored_pdf).hexdigest() == version.pdf_sha256
    assert body(xlsx) == stored_xlsx
    assert main_sheet_values(stored_xlsx)["会员总数"] == 4

    # The live workbook of a finalised year is its draft, asked for as such (the plain link gives 第1版).
    plain = client.get(reverse("reports:summary-xlsx", args=[records.pk, Y]))
    assert plain["Location"] == reverse("reports:version-xlsx", args=[records.pk, Y, 1])
    live = job_download(
        client, client.get(reverse("reports:summary-xlsx", args=[records.pk, Y]), {"draft": "1"})
    )
    assert main_sheet_values(live.content)["会员总数"] == 9
    assert main_sheet_values(live.content)["帮扶金额"] == pytest.approx(5800.5)
    assert quote("统计表（草稿）.xlsx") in live["Content-Disposition"]


def test_downloads_carry_the_chinese_file_name_as_an_attachment(records, county_chair, client):
    summary_finalise(federation=records, year=Y, by=county_chair)
    client.force_login(county_chair)
    response = client.get(reverse("reports:version-pdf", args=[records.pk, Y, 1]))
    assert response["Content-Type"] == "application/pdf"
    name = quote(f"测试县总工会{Y}年工作总结（第1版）.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"
    draft = client.get(reverse("reports:summary-xlsx", args=[records.pk, Y]), {"draft": "1"})
    live = job_download(client, draft)
    assert live["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert quote("工作总结统计表（草稿）.xlsx") in live["Content-Disposition"]


# --- the views: who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("county_chair", 302),
        ("admin_user", 302),
        ("county_staff", 403),
        ("township_staff", 404),  # the county is above the township: not in its scope
        ("cadre_a", 404),
        ("outside_staff", 404),
        ("outside_chair", 404),
    ],
)
def test_finalise_view_by_role(records, who, status, request, client):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("reports:summary-finalise", args=[records.pk, Y]))
    assert response.status_code == status
    assert SummaryVersion.objects.exists() == (status == 302)


def test_finalise_view_says_so_in_chinese_and_lists_the_version(records, county_chair, client):
    client.force_login(county_chair)
    response = client.post(reverse("reports:summary-finalise", args=[records.pk, Y]), follow=True)
    page = response.content.decode()
    assert f"{Y}年工作总结已定稿（第1版）" in page  # the job's page, which links back to the summary
    summary = reverse("reports:summary", args=[records.pk, Y])
    assert f'href="{summary}"' in page
    summary_page = client.get(summary).content.decode()
    assert "已定稿 · 第1版" in summary_page
    versions = reverse("reports:summary-versions", args=[records.pk, Y])
    assert versions in summary_page
    assert reverse("reports:version-pdf", args=[records.pk, Y, 1]) in client.get(versions).content.decode()
    again = client.post(reverse("reports:summary-finalise", args=[records.pk, Y]), follow=True)
    assert "请先重新打开" in again.content.decode()
    assert SummaryVersion.objects.count() == 1


def test_finalise_and_reopen_need_a_post(records, county_chair, client):
    client.force_login(county_chair)
    assert client.get(reverse("reports:summary-finalise", args=[records.pk, Y])).status_code == 405
    assert client.get(reverse("reports:summary-reopen", args=[records.pk, Y])).status_code == 405


def test_signed_out_visitor_is_sent_to_log_in(records, client):
    response = client.post(reverse("reports:summary-finalise", args=[records.pk, Y]))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not SummaryVersion.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("county_chair", 302), ("county_staff", 403), ("outside_chair", 404)]
)
def test_reopen_view_by_role(records, county_chair, who, status, request, client):
    summary_finalise(federation=records, year=Y, by=county_chair)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("reports:summary-reopen", args=[records.pk, Y]))
    assert response.status_code == status
    assert SummaryVersion.objects.get().is_current == (status != 302)


def test_reopen_view_keeps_the_old_version_listed_and_downloadable(records, county_chair, client):
    summary_finalise(federation=records, year=Y, by=county_chair)
    client.force_login(county_chair)
    response = client.post(reverse("reports:summary-reopen", args=[records.pk, Y]), follow=True)
    page = response.content.decode()
    assert "第1版已重新打开" in page
    assert "重新打开" in page and reverse("reports:version-pdf", args=[records.pk, Y, 1]) in page
    assert reverse("reports:summary-finalise", args=[records.pk, Y]) in page  # may finalise again
    assert client.get(reverse("reports:version-pdf", args=[records.pk, Y, 1])).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("county_chair", 200),
        ("county_staff", 200),
        ("admin_user", 200),
        ("cadre_a", 404),
        ("outside_staff", 404),
    ],
)
def test_versions_and_downloads_are_scoped(records, county_chair, who, status, request, client):
    summary_finalise(federation=records, year=Y, by=county_chair)
    client.force_login(request.getfixturevalue(who))
    for name, args in [
        ("reports:summary-versions", [records.pk, Y]),
        ("reports:version-pdf", [records.pk, Y, 1]),
        ("reports:version-xlsx", [records.pk, Y, 1]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == status, name
    # The live workbook is made by a job: its page for those who may, 404 for the others.
    live = client.get(reverse("reports:summary-xlsx", args=[records.pk, Y]))
    assert live.status_code == (302 if status == 200 else 404)


def test_staff_see_the_versions_but_no_finalise_button(records, county_staff, client):
    client.force_login(county_staff)
    page = client.get(reverse("reports:summary-versions", args=[records.pk, Y])).content.decode()
    assert "尚无定稿版本" in page
    assert reverse("reports:summary-finalise", args=[records.pk, Y]) not in page


def test_a_version_that_does_not_exist_is_a_404(records, county_chair, client):
    client.force_login(county_chair)
    assert client.get(reverse("reports:version-pdf", args=[records.pk, Y, 7])).status_code == 404
    assert client.get(reverse("reports:version-pdf", args=[999999, Y, 1])).status_code == 404


def test_versions_page_costs_a_fixed_number_of_queries(
    records, county_chair, client, django_assert_max_num_queries
):
    for _ in range(3):
        version = summary_finalise(federation=records, year=Y, by=county_chair)
        summary_reopen(version=version, by=county_chair)
    client.force_login(county_chair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:summary-versions", args=[records.pk, Y]))
    content = response.content.decode()
    assert all(reverse("reports:version-pdf", args=[records.pk, Y, n]) in content for n in (1, 2, 3))


def test_workbook_of_another_federation_is_a_404_even_for_its_staff_above(
    township, county_staff, outside_staff, client
):
    UnionFactory(federation=township)
    client.force_login(outside_staff)
    assert client.get(reverse("reports:summary-xlsx", args=[township.pk, Y])).status_code == 404
    client.force_login(county_staff)
    response = job_download(client, client.get(reverse("reports:summary-xlsx", args=[township.pk, Y])))
    assert response.status_code == 200
    assert main_sheet_values(response.content)["基层工会数"] == 1
