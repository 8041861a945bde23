"""A list export of more than settings.EXPORT_INLINE_MAX_ROWS rows is written by a background job
(inline under pytest) from the list's stored query string; its creator downloads it, nobody else."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from federation.models import ExportJob
from members.choices import Gender
from tests.federation.test_exports import _records
from tests.support.factories import MemberFactory

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def members(union_a, union_b, outside_union):
    MemberFactory(union=union_a, name="张三", mobile="13800138000")
    MemberFactory(union=union_a, name="王芳", gender=Gender.FEMALE, mobile="13900139000")
    MemberFactory(union=union_a, name="刘梅", gender=Gender.FEMALE)
    MemberFactory(union=union_b, name="李四")
    MemberFactory(union=outside_union, name="赵外")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def test_a_list_export_below_the_limit_is_written_inline(client, county_staff, members, media, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 4
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "xlsx"})
    assert len(rows_of(response)) == 1 + 4
    assert not ExportJob.objects.exists()


def test_a_list_export_above_the_limit_runs_as_a_job_whose_file_matches_the_inline_export(
    client, county_staff, members, media, settings, union_a
):
    client.force_login(county_staff)
    query = {"union": union_a.pk, "gender": Gender.FEMALE, "format": "xlsx"}
    inline = rows_of(client.get(reverse("members:list"), query))
    settings.EXPORT_INLINE_MAX_ROWS = 1

    response = client.get(reverse("members:list"), query)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    assert (job.created_by, job.status, job.rows_done, job.rows_total) == (county_staff, "done", 2, 2)
    assert "format" not in job.query and job.finished_at is not None
    assert job.file.name.startswith("exports/") and job.file_name.startswith("会员名单-")
    page = client.get(response["Location"]).content.decode()
    assert reverse("exports:download", args=[job.pk]) in page and "下载" in page
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert rows_of(download) == inline
    assert client.get(reverse("exports:status", args=[job.pk])).json()["finished"] is True


def test_another_user_gets_404_for_an_export_job_even_in_the_same_scope(
    client, county_staff, township_staff, members, media, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(township_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    job = ExportJob.objects.get()
    client.force_login(county_staff)
    for name in ("exports:detail", "exports:status", "exports:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_an_administrator_sees_every_export_job(client, admin_user, county_staff, members, media, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(county_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    client.force_login(admin_user)
    job = ExportJob.objects.get()
    assert client.get(reverse("exports:detail", args=[job.pk])).status_code == 200


def test_the_chair_may_export_a_big_list(client, county_chair, members, media, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(county_chair)
    response = client.get(reverse("members:list"), {"format": "xlsx"}, follow=True)
    job = ExportJob.objects.get(created_by=county_chair)
    assert response.status_code == 200 and job.status == "done"
    names = [row[0] for row in rows_of(client.get(reverse("exports:download", args=[job.pk])))[1:]]
    assert sorted(names) == sorted(["张三", "王芳", "刘梅", "李四"])


def test_the_job_page_shows_a_progress_bar_while_the_export_runs(client, county_staff, media):
    job = ExportJob.objects.create(
        kind="members.views.member_export",
        title="会员名单",
        file_name="x.xlsx",
        created_by=county_staff,
        rows_done=2000,
        rows_total=8000,
    )
    client.force_login(county_staff)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert 'value="25"' in page and "import_progress.js" in page
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    status = client.get(reverse("exports:status", args=[job.pk])).json()
    assert (status["done"], status["total"], status["percent"], status["finished"]) == (2000, 8000, 25, False)


def test_a_new_job_deletes_the_jobs_and_files_older_than_a_day(
    client, county_staff, members, media, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(county_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    old = ExportJob.objects.get()
    name = old.file.name
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))

    with django_capture_on_commit_callbacks(execute=True):  # files leave once the deletion commits
        client.get(reverse("members:list"), {"format": "xlsx"})

    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert ExportJob.objects.count() == 1
    assert not default_storage.exists(name)


def test_a_failing_export_job_ends_as_failed(client, county_staff, media):
    job = ExportJob.objects.create(
        kind="members.views.no_such_export", title="会员名单", file_name="x.xlsx", created_by=county_staff
    )
    from federation.exports.jobs import write_task

    write_task(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    client.force_login(county_staff)
    assert "生成文件时出错" in client.get(reverse("exports:detail", args=[job.pk])).content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["unions:list", "unions:contract-list", "hardship:list", "hardship:aid-list", "activities:list"],
)
def test_every_filtered_list_exports_above_the_limit_through_a_job_with_the_inline_content(
    client, county_staff, union_a, media, settings, url_name
):
    _records(url_name, 3, union_a)
    client.force_login(county_staff)
    inline = rows_of(client.get(reverse(url_name), {"format": "xlsx"}))
    settings.EXPORT_INLINE_MAX_ROWS = 2

    response = client.get(reverse(url_name), {"format": "xlsx"})

    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    assert rows_of(client.get(reverse("exports:download", args=[job.pk]))) == inline
