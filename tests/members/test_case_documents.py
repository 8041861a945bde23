"""证明材料 of a hardship case: uploaded by those who keep the case, checked by content and size,
stored in the one storage under a random name, served only to those who may see the case, listed on
the case page and in the printed file; and the member page lists the member's cases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.choices import CaseDocumentKind, CaseStatus
from members.models import CaseDocument
from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")


@pytest.fixture
def case_a(union_a):
    return HardshipCaseFactory(member=MemberFactory(union=union_a, name="档案人"))


def _upload(client, case, content=PDF, name="低保证明.pdf", kind=CaseDocumentKind.INCOME):
    return client.post(
        reverse("hardship:document-upload", args=[case.pk]),
        {"kind": kind, "description": "街道出具", "file": SimpleUploadedFile(name, content)},
    )


def test_a_cadre_attaches_a_document_that_is_stored_privately_and_listed(client, cadre_a, case_a):
    client.force_login(cadre_a)
    response = _upload(client, case_a)
    assert response.status_code == 302

    document = CaseDocument.objects.get()
    assert document.kind == CaseDocumentKind.INCOME and document.uploaded_by == cadre_a
    assert document.file.name.startswith("hardship/") and "低保" not in document.file.name
    assert document.file.original_name == "低保证明.pdf"
    assert default_storage.exists(document.file.name)

    page = client.get(reverse("hardship:detail", args=[case_a.pk])).content.decode()
    assert "收入证明" in page and "低保证明.pdf" in page
    assert reverse("hardship:document", args=[document.pk]) in page

    download = client.get(reverse("hardship:document", args=[document.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("name", "content"), [("证明.pdf", HTML), ("证明.exe", b"MZ\x90\x00")])
def test_a_document_is_judged_by_its_content_and_refused_in_chinese(client, cadre_a, case_a, name, content):
    client.force_login(cadre_a)
    response = _upload(client, case_a, content=content, name=name)
    assert response.status_code == 400
    assert "只能上传PDF、JPG或PNG文件" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_a_document_larger_than_the_limit_is_refused(client, settings, cadre_a, case_a):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(cadre_a)
    response = _upload(client, case_a, content=PDF + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400 and "文件太大" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_a_bad_kind_or_no_file_is_a_form_error_not_a_500(client, cadre_a, case_a):
    client.force_login(cadre_a)
    assert _upload(client, case_a, kind="passport").status_code == 400
    response = client.post(reverse("hardship:document-upload", args=[case_a.pk]), {"kind": "income"})
    assert response.status_code == 400
    assert not CaseDocument.objects.exists()


@pytest.fixture
def document_a(case_a, cadre_a):
    return CaseDocument.objects.create(
        case=case_a,
        kind=CaseDocumentKind.ILLNESS,
        file=SimpleUploadedFile("诊断书.png", PDF),
        uploaded_by=cadre_a,
    )


@pytest.mark.parametrize("user", ["cadre_b", "outside_staff"])
def test_another_tenant_gets_404_for_the_document(client, request, document_a, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("hardship:document", args=[document_a.pk])).status_code == 404
    assert client.post(reverse("hardship:document-delete", args=[document_a.pk])).status_code == 404
    assert _upload(client, document_a.case).status_code == 404


def test_a_visitor_gets_the_login_page_not_the_document(client, document_a):
    response = client.get(reverse("hardship:document", args=[document_a.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_county_sees_the_document_and_the_chair_cannot_change_it(
    client, document_a, county_staff, county_chair
):
    client.force_login(county_staff)
    assert client.get(reverse("hardship:document", args=[document_a.pk])).status_code == 200
    client.force_login(county_chair)
    assert client.get(reverse("hardship:document", args=[document_a.pk])).status_code == 200
    assert client.post(reverse("hardship:document-delete", args=[document_a.pk])).status_code == 403
    assert _upload(client, document_a.case).status_code == 403


def test_deleting_a_document_removes_its_file_after_the_commit(
    client, cadre_a, document_a, django_capture_on_commit_callbacks
):
    name = document_a.file.name
    client.force_login(cadre_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hardship:document-delete", args=[document_a.pk]), follow=True)
    assert "已删除证明材料。" in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert not default_storage.exists(name)
    assert document_a.history.latest().history_user == cadre_a


def test_a_closed_case_takes_no_more_documents(client, cadre_a, case_a):
    case_a.status, case_a.closed_on = CaseStatus.RESOLVED, dt.date(2025, 6, 1)
    case_a.save()
    client.force_login(cadre_a)
    response = _upload(client, case_a)
    assert response.status_code == 302
    assert "已结档" in client.get(response["Location"]).content.decode()
    assert not CaseDocument.objects.exists()


def test_the_printed_file_lists_the_documents(client, cadre_a, document_a):
    client.force_login(cadre_a)
    content = client.get(reverse("hardship:print", args=[document_a.case_id])).content.decode()
    assert "证明材料" in content and "诊断书.png" in content


def test_the_member_page_lists_the_members_cases_with_their_aid(client, cadre_a, case_a):
    member = case_a.member
    AidRecordFactory(member=member, hardship_case=case_a, aid_on=dt.date(2025, 3, 1), amount=Decimal("800"))
    AidRecordFactory(member=member, hardship_case=case_a, aid_on=dt.date(2025, 4, 1), amount=Decimal("200"))
    earlier = HardshipCaseFactory(
        member=member,
        opened_on=dt.date(2022, 1, 1),
        status=CaseStatus.RESOLVED,
        closed_on=dt.date(2023, 1, 1),
    )
    client.force_login(cadre_a)
    response = client.get(reverse("members:detail", args=[member.pk]))
    cases = list(response.context["cases"])
    assert cases == [case_a, earlier]
    assert (cases[0].aid_count, cases[0].aid_amount) == (2, Decimal("1000"))
    content = response.content.decode()
    assert reverse("hardship:detail", args=[earlier.pk]) in content and "1000.00" in content
