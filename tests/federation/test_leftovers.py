"""Nothing is left behind: the workbook writers' temporary files of a failed export, the file of an
import that ended or went stale, old export files and orphans (`manage.py cleanup`); and the same
export asked for twice is one job."""

import datetime as dt
import io
import os
import tempfile
import time
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from federation.exports import jobs as export_jobs
from federation.exports import registry
from federation.exports.base import Column, ListExporter, write_xlsx
from federation.imports import batches, kept_rows
from federation.models import ExportJob, ImportBatch
from federation.uploads import orphans
from members.models import Member
from tests.support.factories import MemberFactory
from tests.support.roster_workbooks import person, roster, write_roster

DAY = dt.timedelta(days=1)

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")


def run_cleanup() -> str:
    out = io.StringIO()
    call_command("cleanup", stdout=out)
    return out.getvalue()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The block's on-commit work (removing files) run as a commit would run it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """The system's temp folder, for this test alone (both workbook writers write their sheets there)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def openpyxl_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("openpyxl."))


def left_in(folder) -> list[str]:
    """Whatever is in the temp folder: a writer's file or folder by any name."""
    return sorted(p.name for p in folder.iterdir())


class FailingExporter(ListExporter):
    """Writes a few rows of people's names, then fails (as a database error or a bad value would)."""

    title = "会员名单"
    columns = (Column("姓名"),)

    def __init__(self, queryset=None, *, user=None) -> None:
        self.queryset = Member.objects.all()
        self.full_identifiers = False

    def rows(self):
        for n in range(50):
            yield (f"职工{n}",)
        raise RuntimeError("the database went away")


# --- temporary files of exports ------------------------------------------------------------------------


def test_a_failing_export_leaves_no_temporary_file(temp_dir):
    with pytest.raises(RuntimeError), tempfile.TemporaryFile() as out:
        write_xlsx(FailingExporter(), out)
    assert left_in(temp_dir) == []


def test_a_successful_export_leaves_no_temporary_file(temp_dir, union_a):
    class Names(FailingExporter):
        def rows(self):
            yield ("张三",)

    with tempfile.TemporaryFile() as out:
        assert write_xlsx(Names(), out) == 1
    assert left_in(temp_dir) == []


def test_a_failing_export_job_ends_as_failed_and_leaves_no_file(temp_dir, county_staff, monkeypatch, caplog):
    monkeypatch.setitem(registry._builders, "failing", lambda user, query: FailingExporter())
    job = ExportJob.objects.create(
        kind="failing", title="会员名单", file_name="x.xlsx", created_by=county_staff
    )

    export_jobs.write_task(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert "the database went away" in caplog.text
    assert left_in(temp_dir) == []
    assert not default_storage.exists("exports") or default_storage.listdir("exports") == ([], [])


def test_the_summary_workbook_and_the_year_sheet_leave_no_temporary_file(temp_dir, county, union_a):
    from reports.summary.xlsx import render_summary_xlsx
    from unions.imports.year_sheet import year_sheet_workbook
    from unions.models import GrassrootsUnion

    render_summary_xlsx(county, 2025)
    year_sheet_workbook(GrassrootsUnion.objects.all(), 2025)
    assert left_in(temp_dir) == []


# --- import files ---------------------------------------------------------------------------------------


def _batch(tmp_path, union, cadre, rows=None) -> ImportBatch:
    path = write_roster(tmp_path / "r.xlsx", rows) if rows else roster(tmp_path / "r.xlsx", 2)
    with open(path, "rb") as handle:
        return batches.batch_create(
            kind="members", file=handle, file_name="花名册.xlsx", by=cadre, union=union
        )


def test_a_batch_with_errors_keeps_its_report_but_not_its_file(tmp_path, union_a, cadre_a, committed):
    batch = _batch(tmp_path, union_a, cadre_a, rows=[person(1), person(2, 手机号码="123")])
    name = batch.file.name

    with committed():
        batches.batch_validate(batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID and batch.report["problems"]
    assert not batch.file and not default_storage.exists(name)
    assert not default_storage.exists(f"{name}.rows")


@pytest.mark.parametrize("end", ["committed", "cancelled"])
def test_an_ended_batch_leaves_no_file(tmp_path, union_a, cadre_a, end, django_capture_on_commit_callbacks):
    batch = _batch(tmp_path, union_a, cadre_a)
    batches.batch_validate(batch)
    name = batch.file.name
    assert default_storage.exists(name) and default_storage.exists(kept_rows.name_of(batch))

    with django_capture_on_commit_callbacks(execute=True):
        if end == "committed":
            batches.batch_commit(batch=batch, by=cadre_a)
        else:
            batches.batch_cancel(batch=batch, by=cadre_a)

    assert not default_storage.exists(name) and not default_storage.exists(f"{name}.rows")


def test_a_batch_left_unconfirmed_for_a_day_ends_and_loses_its_file(tmp_path, union_a, cadre_a, committed):
    batch = _batch(tmp_path, union_a, cadre_a)
    batches.batch_validate(batch)
    name = batch.file.name
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - DAY - dt.timedelta(minutes=1))

    with committed():
        run_cleanup()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and "超过一天" in batch.message
    assert not batch.file and not default_storage.exists(name)
    assert not default_storage.exists(f"{name}.rows")


def test_a_killed_check_left_for_a_day_fails_and_loses_its_file(tmp_path, union_a, cadre_a, committed):
    batch = _batch(tmp_path, union_a, cadre_a)  # 正在检查, as a killed process leaves it
    name = batch.file.name
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - DAY - dt.timedelta(minutes=1))

    with committed():
        batches.batches_discard_stale()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and not default_storage.exists(name)


def test_a_batch_of_today_keeps_its_file(tmp_path, union_a, cadre_a):
    batch = _batch(tmp_path, union_a, cadre_a)
    batches.batch_validate(batch)
    run_cleanup()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY and default_storage.exists(batch.file.name)


# --- manage.py cleanup ---------------------------------------------------------------------------------


def _age(path, by: dt.timedelta) -> None:
    stamp = time.time() - by.total_seconds()
    os.utime(path, (stamp, stamp))


def _wait_for_the_next_second() -> None:
    """S3 keeps modification times to the second: what is stored after this is newer than before."""
    time.sleep(1.05 - time.time() % 1)


def _stored_files_seen_from(moment: dt.datetime, monkeypatch) -> None:
    """The orphan clean-up runs as if it were `moment` (a bucket's modification times cannot be set)."""
    monkeypatch.setattr(orphans, "timezone", SimpleNamespace(now=lambda: moment))


def test_cleanup_removes_old_export_files_orphans_and_temporary_files(
    temp_dir, county_staff, committed, monkeypatch
):
    orphan = default_storage.save("contracts/2023-05-01/被替换的合同.pdf", ContentFile(b"%PDF old"))
    _wait_for_the_next_second()  # everything stored from here on is newer than the orphan
    old_job = ExportJob.objects.create(
        kind="members", title="会员名单", file_name="a.xlsx", created_by=county_staff
    )
    old_job.file.save("export.xlsx", ContentFile(b"PK old"))
    _stored_files_seen_from(default_storage.get_modified_time(old_job.file.name) + DAY, monkeypatch)
    ExportJob.objects.filter(pk=old_job.pk).update(created_at=timezone.now() - DAY - dt.timedelta(minutes=1))
    new_job = ExportJob.objects.create(
        kind="members", title="会员名单", file_name="b.xlsx", created_by=county_staff
    )
    new_job.file.save("export.xlsx", ContentFile(b"PK new"))
    fresh_orphan = default_storage.save("imports/upload-in-progress.xlsx", ContentFile(b"PK"))
    killed = temp_dir / "openpyxl.abc123"
    killed.write_text("<row><c t='inlineStr'><is><t>张三</t></is></c></row>")
    _age(killed, DAY + dt.timedelta(hours=1))
    running = temp_dir / "openpyxl.def456"
    running.write_text("<row/>")
    killed_folder = temp_dir / "ledger-export.ghi789"
    killed_folder.mkdir()
    (killed_folder / "export.xlsx").write_text("<row><c t='inlineStr'><is><t>李四</t></is></c></row>")
    _age(killed_folder / "export.xlsx", DAY + dt.timedelta(hours=1))
    _age(killed_folder, DAY + dt.timedelta(hours=1))
    running_folder = temp_dir / "ledger-export.jkl012"
    running_folder.mkdir()
    _age(running_folder, DAY + dt.timedelta(hours=1))
    (running_folder / "export.xlsx").write_text("PK")  # being put together just now
    old_file = old_job.file.name

    with committed():
        report = run_cleanup()

    assert not ExportJob.objects.filter(pk=old_job.pk).exists()
    assert not default_storage.exists(old_file)
    assert default_storage.exists(new_job.file.name)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh_orphan)
    assert left_in(temp_dir) == ["ledger-export.jkl012", "openpyxl.def456"]
    assert "1 export jobs removed" in report and "2 temporary files and 1 orphaned files removed" in report


def test_cleanup_keeps_every_file_a_record_names(union_a, monkeypatch):
    from tests.support.factories import ContractFactory

    contract = ContractFactory(union=union_a)
    contract.scan.save("合同.pdf", ContentFile(b"%PDF-1.4"))
    _stored_files_seen_from(timezone.now() + DAY * 30, monkeypatch)
    run_cleanup()
    assert default_storage.exists(contract.scan.name)


# --- the same export twice -------------------------------------------------------------------------------


def test_two_identical_export_requests_make_one_job(client, settings, county_staff, union_a):
    MemberFactory.create_batch(3, union=union_a)
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(county_staff)

    first = client.get(reverse("members:list"), {"format": "xlsx", "union": union_a.pk})
    second = client.get(reverse("members:list"), {"union": union_a.pk, "format": "xlsx"})

    job = ExportJob.objects.get()
    assert first["Location"] == second["Location"] == reverse("exports:detail", args=[job.pk])


def test_a_different_query_a_failed_job_or_another_user_starts_a_new_job(
    client, settings, county_staff, township_staff, union_a
):
    MemberFactory.create_batch(3, union=union_a)
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(county_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    client.get(reverse("members:list"), {"format": "xlsx", "union": union_a.pk})
    assert ExportJob.objects.count() == 2
    ExportJob.objects.update(status=ExportJob.Status.FAILED)
    client.get(reverse("members:list"), {"format": "xlsx"})
    assert ExportJob.objects.count() == 3
    client.force_login(township_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    assert ExportJob.objects.count() == 4


def test_the_same_export_after_some_minutes_is_written_again(client, settings, county_staff, union_a):
    MemberFactory.create_batch(3, union=union_a)
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(county_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    ExportJob.objects.update(created_at=timezone.now() - export_jobs.REUSED_WITHIN - dt.timedelta(seconds=1))
    client.get(reverse("members:list"), {"format": "xlsx"})
    assert ExportJob.objects.count() == 2
