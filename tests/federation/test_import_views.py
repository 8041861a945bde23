"""The import pages: upload → preview → confirm or cancel, the template download, the records, and
who may see and do what."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from federation.imports import batches, kept_rows
from federation.models import ImportBatch
from members.models import Member
from tests.support.factories import MemberFactory
from tests.support.roster_workbooks import person, roster, write_roster

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")


def upload(client, path, **data):
    with open(path, "rb") as handle:
        payload = {"kind": "members", "file": SimpleUploadedFile(path.name, handle.read()), **data}
    return client.post(reverse("imports:start"), payload)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def committed_batch(tmp_path, union_a, cadre_a):
    with open(roster(tmp_path / "r.xlsx", 2), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    batches.batch_validate(batch)
    return batches.batch_commit(batch=batch, by=cadre_a)


def test_a_cadre_uploads_previews_and_confirms_a_roster(client, tmp_path, union_a, cadre_a):
    signed_in(client, cadre_a)

    response = upload(client, roster(tmp_path / "r.xlsx", 3))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[batch.pk])
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert batch.union == union_a and batch.status == ImportBatch.Status.READY
    assert "确认导入" in preview.text and "将新增" in preview.text
    assert "职工0" in preview.text
    assert not Member.objects.exists()

    result = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    assert "导入完成" in result.text
    assert Member.objects.filter(union=union_a).count() == 3


def test_the_preview_lists_every_problem_by_row_and_column_and_offers_no_confirm(
    client, tmp_path, union_a, cadre_a
):
    signed_in(client, cadre_a)
    rows = [person(1), person(2, 手机号码="123"), person(3, 身份证号="110105199001010000")]

    response = upload(client, write_roster(tmp_path / "r.xlsx", rows))
    page = client.get(response["Location"])

    assert "第3行" in page.text and "手机号码" in page.text
    assert "第4行" in page.text and "身份证号" in page.text
    assert "确认导入" not in page.text
    assert "修改后重新上传" in page.text
    batch = ImportBatch.objects.get()
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 302
    assert not Member.objects.exists()


def test_conflicts_and_notices_show_on_the_preview(client, tmp_path, union_a, union_b, township_staff):
    # union_b is within the township's staff's scope, so the conflict names it (see test_roster_oracle).
    MemberFactory(union=union_b, id_number=person(1)["身份证号"], join_entry=False)
    signed_in(client, township_staff)
    path = write_roster(tmp_path / "r.xlsx", [person(1, 备注="x"), person(2)])

    page = client.get(upload(client, path, union_text=union_a.name)["Location"])

    assert "请先办理会籍转接" in page.text
    assert union_b.name in page.text
    assert "已忽略" in page.text and "备注" in page.text


def test_a_bad_file_says_why_in_chinese_and_keeps_nothing(client, tmp_path, union_a, cadre_a):
    signed_in(client, cadre_a)
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"name,id\nx,y\n")

    page = client.get(upload(client, path)["Location"])

    assert "文件不是Excel" in page.text
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    assert not ImportBatch.objects.get().file


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(
    client, tmp_path, union_a, cadre_a, settings
):
    settings.UPLOAD_MAX_MB = 1
    signed_in(client, cadre_a)
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"0" * (3 * 1024 * 1024))

    response = upload(client, path)

    assert response.status_code == 200
    assert "超过上限1 MB" in response.text
    assert not ImportBatch.objects.exists()


def test_cancelling_a_preview_writes_nothing_and_removes_the_file(client, tmp_path, union_a, cadre_a):
    signed_in(client, cadre_a)
    upload(client, roster(tmp_path / "r.xlsx", 2))
    batch = ImportBatch.objects.get()

    page = client.post(reverse("imports:cancel", args=[batch.pk]), follow=True)

    batch.refresh_from_db()
    assert "已取消" in page.text
    assert batch.status == ImportBatch.Status.CANCELLED and not batch.file
    assert not Member.objects.exists()


def test_a_batch_is_confirmed_once_only(client, tmp_path, union_a, cadre_a):
    signed_in(client, cadre_a)
    upload(client, roster(tmp_path / "r.xlsx", 2))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:confirm", args=[batch.pk]))

    again = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    assert "不能确认导入" in again.text
    assert Member.objects.count() == 2


def test_federation_staff_name_the_union_they_import_into(client, tmp_path, union_b, township_staff):
    signed_in(client, township_staff)

    response = upload(client, roster(tmp_path / "r.xlsx", 1), union_text=union_b.name)

    assert response.status_code == 302
    assert ImportBatch.objects.get().union == union_b


def test_federation_staff_cannot_import_into_a_union_outside_their_scope(
    client, tmp_path, outside_union, township_staff
):
    signed_in(client, township_staff)

    by_name = upload(client, roster(tmp_path / "r.xlsx", 1), union_text=outside_union.name)
    by_id = upload(client, roster(tmp_path / "r.xlsx", 1), union=outside_union.pk, union_text="")

    assert by_name.status_code == by_id.status_code == 200
    assert "找不到名为" in by_name.text
    assert "请选择导入到哪个基层工会" in by_id.text
    assert not ImportBatch.objects.exists()


def test_the_status_endpoint_reports_progress_as_json(client, committed_batch, cadre_a):
    signed_in(client, cadre_a)

    data = client.get(reverse("imports:status", args=[committed_batch.pk])).json()

    assert data["status"] == "committed" and data["finished"] is True


def test_a_running_batch_shows_a_progress_bar_that_works_without_javascript(
    client, tmp_path, union_a, cadre_a
):
    with open(roster(tmp_path / "r.xlsx", 1), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    signed_in(client, cadre_a)

    page = client.get(reverse("imports:detail", args=[batch.pk]))

    assert "<progress" in page.text
    assert 'http-equiv="refresh"' in page.text
    assert "js/import_progress.js" in page.text


def test_the_template_downloads_as_a_workbook_with_dropdowns_and_instructions(client, cadre_a):
    signed_in(client, cadre_a)

    response = client.get(reverse("imports:template", args=["members"]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.worksheets[0].data_validations.dataValidation
    assert "填写说明" in workbook.sheetnames


def test_an_unknown_template_is_a_404(client, cadre_a):
    signed_in(client, cadre_a)

    assert client.get(reverse("imports:template", args=["nothing"])).status_code == 404


def test_the_records_list_shows_the_batches_in_scope_only(
    client, committed_batch, tmp_path, union_b, cadre_b, django_assert_max_num_queries
):
    with open(roster(tmp_path / "b.xlsx", 1, start=50), "rb") as handle:
        batches.batch_create(kind="members", file=handle, file_name="乙.xlsx", by=cadre_b, union=union_b)
    signed_in(client, cadre_b)

    with django_assert_max_num_queries(6):
        page = client.get(reverse("imports:list"))

    assert "乙.xlsx" in page.text
    assert "r.xlsx" not in page.text


def test_the_county_sees_the_records_of_every_union_below_it(client, committed_batch, county_staff):
    signed_in(client, county_staff)

    page = client.get(reverse("imports:list"), {"kind": "members"})

    assert committed_batch.file_name in page.text
    assert committed_batch.sha256[:10] in page.text


def test_the_detail_page_of_a_committed_import_keeps_its_record(
    client, committed_batch, cadre_a, django_assert_max_num_queries
):
    signed_in(client, cadre_a)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("imports:detail", args=[committed_batch.pk]))

    assert committed_batch.sha256 in page.text
    assert "已导入" in page.text


@pytest.mark.parametrize("name", ["imports:detail", "imports:status"])
def test_another_unions_import_is_a_404(client, committed_batch, cadre_b, name):
    signed_in(client, cadre_b)

    assert client.get(reverse(name, args=[committed_batch.pk])).status_code == 404


@pytest.mark.parametrize("name", ["imports:confirm", "imports:cancel"])
def test_another_unions_import_cannot_be_confirmed_or_cancelled(
    client, tmp_path, union_a, cadre_a, cadre_b, name
):
    with open(roster(tmp_path / "r.xlsx", 1), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    batches.batch_validate(batch)
    signed_in(client, cadre_b)

    assert client.post(reverse(name, args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY


def test_the_chair_reads_the_records_but_imports_nothing(client, tmp_path, union_a, cadre_a, county_chair):
    with open(roster(tmp_path / "r.xlsx", 1), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    batches.batch_validate(batch)
    signed_in(client, county_chair)

    assert client.get(reverse("imports:list")).status_code == 200
    detail = client.get(reverse("imports:detail", args=[batch.pk]))
    assert detail.status_code == 200 and "确认导入" not in detail.text
    assert client.get(reverse("imports:start")).status_code == 403
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 403
    assert client.post(reverse("imports:cancel", args=[batch.pk])).status_code == 403
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [("imports:list", []), ("imports:start", []), ("imports:template", ["members"]), ("imports:detail", [1])],
)
def test_anonymous_visitors_are_sent_to_the_login(client, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_member_list_links_to_the_import(client, cadre_a):
    signed_in(client, cadre_a)

    page = client.get(reverse("members:list"))

    assert reverse("imports:start") + "?kind=members" in page.text


def test_a_preview_that_went_stale_is_not_committed(client, tmp_path, union_a, union_b, township_staff):
    # union_b is within the township's staff's scope, so the conflict names it (see test_roster_oracle).
    signed_in(client, township_staff)
    upload(client, write_roster(tmp_path / "r.xlsx", [person(1), person(2)]), union_text=union_a.name)
    batch = ImportBatch.objects.get()
    MemberFactory(union=union_b, id_number=person(2)["身份证号"], join_entry=False)

    page = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert "预览之后数据有了变化" in page.text
    assert union_b.name in page.text
    assert Member.objects.filter(union=union_a).count() == 0


def test_kept_rows_that_fail_their_signature_are_not_trusted(tmp_path, union_a, cadre_a):
    with open(roster(tmp_path / "r.xlsx", 2), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    batches.batch_validate(batch)
    kept = kept_rows.name_of(batch)
    with default_storage.open(kept, "rb") as handle:
        blob = bytearray(handle.read())
    blob[20] ^= 0xFF
    default_storage.delete(kept)
    default_storage.save(kept, ContentFile(bytes(blob)))

    assert kept_rows.read(batch) is None
    batch = batches.batch_commit(batch=batch, by=cadre_a)  # reads the file again instead

    assert batch.status == ImportBatch.Status.COMMITTED
    assert Member.objects.count() == 2
    assert not default_storage.exists(kept)


def test_an_import_whose_account_was_deleted_still_lists_and_opens(client, union_a, county_staff):
    # Regression: the pages looked up created_by.username on None (a 500).
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MEMBERS,
        union=union_a,
        federation=union_a.federation,
        created_by=None,
        file_name="旧花名册.xlsx",
        sha256="0" * 64,
    )
    client.force_login(county_staff)
    assert "旧花名册.xlsx" in client.get(reverse("imports:list")).content.decode()
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200


def test_a_roster_import_is_not_tied_to_a_year(client, tmp_path, union_a, cadre_a):
    signed_in(client, cadre_a)

    upload(client, roster(tmp_path / "r.xlsx", 1), year=2024)

    assert ImportBatch.objects.get().year is None


@pytest.mark.parametrize(
    ("list_name", "kind"),
    [("unions:list", "unions"), ("hardship:aid-list", "aid"), ("members:list", "members")],
)
def test_the_lists_link_to_their_import(client, county_staff, list_name, kind):
    signed_in(client, county_staff)

    page = client.get(reverse(list_name))

    assert f"{reverse('imports:start')}?kind={kind}" in page.text
