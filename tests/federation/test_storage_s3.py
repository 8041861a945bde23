"""Files in shared storage: with S3 configured (here moto's S3 server on 127.0.0.1, tests/support/s3.py)
every upload, import, export, finalised summary, clean-up and backup goes through the bucket, and
nothing reads, writes, lists or removes anything under MEDIA_ROOT; the configuration is the
environment alone, so another process (a second app server, a worker) reaches the same files."""

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from federation.backup import backup_write, restore_read
from federation.imports import batches
from federation.imports.reader import ImportFileError
from federation.models import ExportJob, ImportBatch
from federation.uploads.backends import S3, default_storage_entry
from federation.uploads.storage import COPY_PREFIX, local_copy
from members.models import Member
from reports.models import SummaryVersion
from tests.support.factories import ContractFactory, MemberFactory
from tests.support.roster_workbooks import roster
from tests.support.s3 import MediaRootWatch

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_every_file_path_goes_through_the_bucket_and_none_touches_media_root(
    client,
    settings,
    s3_storage,
    s3_server,
    monkeypatch,
    tmp_path,
    union_a,
    cadre_a,
    county,
    county_chair,
    django_capture_on_commit_callbacks,
):
    """One walk through every path that stores or reads a file. The s3_storage fixture fails the test
    if anything touched MEDIA_ROOT (an audit hook sees every open, listdir, remove, rename, mkdir)."""
    prefix = s3_storage["S3_PREFIX"]
    client.force_login(cadre_a)

    # A contract scan: uploaded, stored in the bucket, downloaded through its scoped view.
    contract = ContractFactory(union=union_a)
    client.post(
        reverse("unions:contract-scan-upload", args=[contract.pk]),
        {"scan": SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")},
    )
    contract.refresh_from_db()
    assert f"{prefix}/{contract.scan.name}" in s3_server.keys(prefix)
    assert _body(client.get(reverse("unions:contract-scan", args=[contract.pk]))) == PDF

    # An import: the file and its kept rows in the bucket, read back for the commit, then gone.
    with open(roster(tmp_path / "r.xlsx", 3), "rb") as handle:
        upload = SimpleUploadedFile("花名册.xlsx", handle.read())
    client.post(reverse("imports:start"), {"kind": "members", "file": upload})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY
    assert {f"{prefix}/{batch.file.name}", f"{prefix}/{batch.file.name}.rows"} <= set(s3_server.keys(prefix))
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the commit commits
        client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and Member.objects.filter(union=union_a).count() == 3
    assert not [key for key in s3_server.keys(prefix) if "/imports/" in key]

    # A background export: written to the bucket, downloaded by its creator.
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.get(reverse("members:list"), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and f"{prefix}/{job.file.name}" in s3_server.keys(prefix)
    assert _body(client.get(reverse("exports:download", args=[job.pk]))).startswith(b"PK")

    # A finalised summary: its PDF and workbook in the bucket, downloaded unchanged.
    monkeypatch.setattr("reports.services.render_summary_pdf", lambda document: PDF)
    client.force_login(county_chair)
    client.post(reverse("reports:summary-finalise", args=[county.pk, 2025]))
    version = SummaryVersion.objects.get()
    assert f"{prefix}/{version.pdf.name}" in s3_server.keys(prefix)
    assert _body(client.get(reverse("reports:version-pdf", args=[county.pk, 2025, 1]))) == PDF
    assert _body(client.get(reverse("reports:version-xlsx", args=[county.pk, 2025, 1]))).startswith(b"PK")

    # The clean-up and a backup of the files run on the bucket too.
    call_command("cleanup", stdout=io.StringIO())
    assert default_storage.exists(contract.scan.name) and default_storage.exists(version.xlsx.name)
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "small.sqlite3")}
    manifest = backup_write(tmp_path / "backup.tar.gz", database=database, storage=default_storage)
    assert {contract.scan.name, job.file.name, version.pdf.name, version.xlsx.name} <= set(manifest["files"])


def test_the_watch_on_media_root_sees_a_file_opened_there(tmp_path):
    """The guard above means something: opening, listing or removing under MEDIA_ROOT is seen."""
    root = tmp_path / "media"
    root.mkdir()
    MediaRootWatch.start()
    (root / "scan.pdf").write_bytes(b"x")
    os.listdir(root)
    (root / "scan.pdf").unlink()
    assert MediaRootWatch.stop(root) == [str(root), str(root / "scan.pdf")]


def test_the_environment_alone_points_another_process_at_the_bucket(s3_server):
    """What the several-servers setup relies on: S3_* variables, no settings file, and the file a
    separate process stores is in the bucket this process reads."""
    env = {**os.environ, **s3_server.env, "S3_PREFIX": "from-another-process"}
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup();"
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "name = s.save('contracts/x.pdf', ContentFile(b'%PDF from B'));"
        "print(type(s._wrapped).__name__, name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "federation.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.split() == ["S3Storage", "contracts/x.pdf"]
    body = s3_server.client().get_object(Bucket=s3_server.bucket, Key="from-another-process/contracts/x.pdf")
    assert body["Body"].read() == b"%PDF from B"


def test_without_a_bucket_the_files_stay_on_the_file_system():
    assert default_storage_entry() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    entry = default_storage_entry(bucket="ledger", region="cn-north-1", prefix="/city/")
    assert entry["BACKEND"] == S3
    assert entry["OPTIONS"]["location"] == "city" and entry["OPTIONS"]["default_acl"] == "private"
    assert "access_key" not in entry["OPTIONS"]  # boto3 finds its own (role, ~/.aws) when none is given


@pytest.mark.parametrize(
    "bad",
    [{"addressing_style": "sideways"}, {"access_key_id": "AKIA"}, {"secret_access_key": "secret"}],
)
def test_a_half_or_wrong_s3_configuration_fails_loudly(bad):
    with pytest.raises(ValueError, match="S3_"):
        default_storage_entry(bucket="ledger", **bad)


def test_the_local_copy_for_calamine_is_gone_after_reading_even_on_an_error(
    s3_storage, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    name = default_storage.save("imports/r.xlsx", ContentFile(b"PK\x03\x04 roster"))
    with pytest.raises(RuntimeError), local_copy(default_storage, name, suffix=".xlsx") as path:
        assert path.read_bytes() == b"PK\x03\x04 roster"
        raise RuntimeError("calamine failed")
    assert not list(tmp_path.glob(f"{COPY_PREFIX}*"))


def test_an_import_whose_file_left_the_bucket_fails_in_chinese(s3_storage, tmp_path, union_a, cadre_a):
    with open(roster(tmp_path / "r.xlsx", 2), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    default_storage.delete(batch.file.name)
    batches.batch_validate(batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "文件已不存在" in batch.message
    with pytest.raises(ImportFileError):
        from federation.imports import engine
        from members.imports.roster import MemberRosterSpec

        engine.read_stored_file(MemberRosterSpec(user=cadre_a, union=union_a), batch.file)


def test_a_backup_of_the_bucket_restores_onto_a_disk(s3_storage, tmp_path, union_a):
    MemberFactory(union=union_a)
    names = [
        default_storage.save("contracts/2025-03-01/合同.pdf", ContentFile(PDF)),
        default_storage.save("activities/1/photo.jpg", ContentFile(bytes(range(256)))),
    ]
    source = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "source.sqlite3")}
    archive = tmp_path / "ledger.tar.gz"
    backup_write(archive, database=source, storage=default_storage)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert sorted(manifest["files"]) == sorted(names)

    disk = FileSystemStorage(location=tmp_path / "restored")
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "target.sqlite3")}
    restore_read(archive, database=target, storage=disk)
    assert disk.open(names[0]).read() == PDF
    assert disk.open(names[1]).read() == bytes(range(256))
