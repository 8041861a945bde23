"""manage.py backup / restore: demo tier S and a few uploaded files go into one archive and come back
— every table with the same rows (count and checksum), every file with the same sha256 — into a
separate empty database (SQLite: a new file; PostgreSQL: a scratch database `<name>_restore`, dropped
afterwards). A restore into a database or media folder that is not empty is refused in Chinese."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from federation.backup import BackupError, Database, restore_read
from members.models import Member

FILES = {
    "contracts/2025-03-01/集体合同扫描件.pdf": b"%PDF-1.4 scan" * 100,
    "activities/1/photo.jpg": bytes(range(256)) * 40,
    "imports/2025/06/upload.xlsx": b"PK\x03\x04 roster",
}


def _rows_fingerprint(database: dict) -> dict[str, tuple[int, str]]:
    """Every table: its row count and a checksum of its rows (in a fixed order)."""
    db = Database(database)
    result = {}
    if db.engine == "sqlite":
        raw = closing(db._sqlite())
    else:
        raw = db._pg_connect()
    with raw as conn:
        for table in db.table_names():
            quoted = '"' + table.replace('"', '""') + '"'
            rows = sorted(repr(tuple(row)) for row in conn.execute(f"SELECT * FROM {quoted}").fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def _disk(root: Path) -> FileSystemStorage:
    return FileSystemStorage(location=root)


def _files_fingerprint(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _scratch_database(tmp_path):
    """An empty database beside the test database, and how to drop it."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"ENGINE": source["ENGINE"], "NAME": str(tmp_path / "restored.sqlite3")}, lambda: None
    scratch = {**source, "NAME": f"{source['NAME']}_restore"}
    admin = Database(source)

    def drop():
        with admin._pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch["NAME"]}"')

    drop()
    with admin._pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{scratch["NAME"]}"')
    return scratch, drop


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_demo_tier_s(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_data", "--scale", "s", stdout=io.StringIO())
    for name, content in FILES.items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(content)
    archive = tmp_path / "backups" / "ledger.tar.gz"

    call_command("backup", str(archive), stdout=io.StringIO())
    tables = _rows_fingerprint(connection.settings_dict)
    files = _files_fingerprint(settings.MEDIA_ROOT)

    scratch, drop = _scratch_database(tmp_path)
    try:
        restore_read(archive, database=scratch, storage=_disk(tmp_path / "restored-media"))
        restored = _rows_fingerprint(scratch)
    finally:
        drop()
    assert len(tables) > 20
    assert sum(count for count, _ in tables.values()) > 1000  # demo tier S, not an empty ledger
    assert restored == tables
    assert _files_fingerprint(tmp_path / "restored-media") == files
    assert set(files) == set(FILES)
    assert archive.stat().st_mode & 0o077 == 0  # the archive holds every ID number: owner only


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_database_that_is_not_empty_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "ledger.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(archive))


def test_restore_into_a_media_folder_that_is_not_empty_is_refused(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "left-over.pdf").write_bytes(b"x")
    empty = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new.sqlite3")}
    archive = tmp_path / "ledger.tar.gz"
    archive.write_bytes(b"")  # refused before it is read

    with pytest.raises(BackupError, match=r"上传文件存储.*不是空的"):
        restore_read(archive, database=empty, storage=_disk(media))
    assert [p.name for p in media.iterdir()] == ["left-over.pdf"]


def _archive_with(tmp_path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_file_that_is_not_a_backup_is_refused_in_chinese_and_writes_nothing(tmp_path):
    empty = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new.sqlite3")}
    not_tar = tmp_path / "x.tar.gz"
    not_tar.write_bytes(b"hello")
    with pytest.raises(BackupError, match="无法读取备份文件"):
        restore_read(not_tar, database=empty, storage=_disk(tmp_path / "media"))
    with pytest.raises(BackupError, match=r"manifest\.json"):
        restore_read(
            _archive_with(tmp_path, {"a.txt": b"x"}), database=empty, storage=_disk(tmp_path / "media")
        )
    assert not (tmp_path / "new.sqlite3").exists()
    assert not (tmp_path / "media").exists()


def test_a_backup_whose_file_names_leave_the_media_folder_is_refused(tmp_path):
    manifest = {
        "format": 1,
        "engine": "sqlite",
        "database": {"name": "database.sqlite3", "sha256": "0" * 64},
        "files": {"../../etc/evil": "0" * 64},
    }
    archive = _archive_with(tmp_path, {"manifest.json": json.dumps(manifest).encode()})
    empty = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new.sqlite3")}
    with pytest.raises(BackupError, match="不安全的路径"):
        restore_read(archive, database=empty, storage=_disk(tmp_path / "media"))
    assert not (tmp_path / "etc").exists()


def _database_url(database: dict) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    auth = database.get("USER") or ""
    if database.get("PASSWORD"):
        auth += f":{database['PASSWORD']}"
    host = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_restore_command_fills_an_empty_database_once_and_then_refuses(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "contracts").mkdir(parents=True)
    (settings.MEDIA_ROOT / "contracts" / "scan.pdf").write_bytes(b"%PDF scan")
    archive = tmp_path / "ledger.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    scratch, drop = _scratch_database(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(scratch),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "restore", str(archive)]
    try:
        first = subprocess.run(manage, env=env, capture_output=True, text=True, check=False)
        again = subprocess.run(manage, env=env, capture_output=True, text=True, check=False)
        tables = Database(scratch).table_names()
    finally:
        drop()
    assert first.returncode == 0, first.stderr
    assert "已恢复" in first.stdout
    assert Member._meta.db_table in tables
    assert (tmp_path / "restored-media" / "contracts" / "scan.pdf").read_bytes() == b"%PDF scan"
    assert again.returncode != 0
    assert "数据库不是空的" in again.stderr
