"""Backups: one archive (.tar.gz) of the database and the uploaded files, and its restore.

The archive holds `manifest.json` (format, engine, when, the sha256 of every part), the database —
`database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, copied through
its online backup API, consistent while the site runs) — and `media/`, every file in the storage
(STORAGES["default"]: MEDIA_ROOT, or the S3 bucket), read and written through the storage API.

A restore goes into an empty database and an empty storage only: merging a backup into live
records would mix two ledgers. Every part is checked against the manifest before anything is
written, and a file name that would land outside the media folder is refused.

`manage.py backup FILE` and `manage.py restore FILE` are the commands; README "Backups" says how to
schedule them and where to keep the copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from federation.uploads.storage import is_file_system, walk

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message (Chinese) says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- The databases ---------------------------------------------------------------------------------


@dataclass
class Database:
    """One database, from a Django settings dict (DATABASES[alias])."""

    settings: dict

    @property
    def engine(self) -> str:
        engine = self.settings["ENGINE"]
        if engine.endswith("sqlite3"):
            return "sqlite"
        if engine.endswith("postgresql"):
            return "postgresql"
        raise BackupError(_("不支持的数据库类型：%(engine)s。") % {"engine": engine})

    @property
    def dump_name(self) -> str:
        return SQLITE_DUMP if self.engine == "sqlite" else PG_DUMP

    # SQLite -------------------------------------------------------------------------------------

    def _sqlite(self) -> sqlite3.Connection:
        name = str(self.settings["NAME"])
        # Django's test database is a shared in-memory one ("file:memorydb_…?mode=memory&cache=shared").
        return sqlite3.connect(name, uri=name.startswith("file:"))

    # PostgreSQL ---------------------------------------------------------------------------------

    def _pg_args(self) -> list[str]:
        s = self.settings
        args = []
        if s.get("HOST"):
            args += ["--host", str(s["HOST"])]
        if s.get("PORT"):
            args += ["--port", str(s["PORT"])]
        if s.get("USER"):
            args += ["--username", str(s["USER"])]
        return args

    def _pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        return env

    def _pg_run(self, command: list[str]) -> subprocess.CompletedProcess:
        try:
            done = subprocess.run(command, env=self._pg_env(), capture_output=True, text=True, check=False)
        except FileNotFoundError as exc:
            raise BackupError(
                _("找不到 %(program)s：请安装 PostgreSQL 客户端（Debian：postgresql-client-15）。")
                % {"program": command[0]}
            ) from exc
        if done.returncode != 0:
            raise BackupError(
                _("%(program)s 失败：%(error)s")
                % {"program": command[0], "error": done.stderr.strip()[-2000:]}
            )
        return done

    def _pg_connect(self):
        import psycopg

        s = self.settings
        return psycopg.connect(
            dbname=s["NAME"],
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            autocommit=True,
        )

    def _pg_check_client_version(self) -> None:
        """pg_dump refuses a server newer than itself; say so before starting, in Chinese."""
        with self._pg_connect() as conn:
            server = int(conn.info.server_version) // 10000
        client_text = self._pg_run(["pg_dump", "--version"]).stdout
        found = re.search(r"(\d+)(?:\.\d+)?", client_text)
        client = int(found.group(1)) if found else 0
        if client < server:
            raise BackupError(
                _(
                    "pg_dump 版本为%(client)s，低于数据库服务器的%(server)s："
                    "请安装 postgresql-client-%(server)s。"
                )
                % {"client": client, "server": server}
            )

    # Both ---------------------------------------------------------------------------------------

    def table_names(self) -> list[str]:
        if self.engine == "sqlite":
            name = str(self.settings["NAME"])
            if not name.startswith("file:") and not Path(name).exists():
                return []
            with closing(self._sqlite()) as conn:
                rows = conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                ).fetchall()
            return sorted(r[0] for r in rows)
        with self._pg_connect() as conn:
            rows = conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            ).fetchall()
        return sorted(r[0] for r in rows)

    def dump(self, target: Path) -> None:
        if self.engine == "sqlite":
            source = self._sqlite()
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            return
        self._pg_check_client_version()
        self._pg_run(
            [
                "pg_dump",
                "--format=custom",
                "--file",
                str(target),
                *self._pg_args(),
                str(self.settings["NAME"]),
            ]
        )

    def load(self, source: Path) -> None:
        if self.engine == "sqlite":
            name = str(self.settings["NAME"])
            if not name.startswith("file:"):
                Path(name).parent.mkdir(parents=True, exist_ok=True)
            backup = sqlite3.connect(source)
            target = self._sqlite()
            try:
                backup.backup(target)
            finally:
                target.close()
                backup.close()
            return
        # The owner and grants of the machine the backup came from need not exist here.
        self._pg_run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(self.settings["NAME"]),
                *self._pg_args(),
                str(source),
            ]
        )


# --- Backup ------------------------------------------------------------------------------------------


def _stored_names(storage: Storage) -> list[str]:
    return sorted(walk(storage, ""))


def _copy_hashing(source, target) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def backup_write(archive: Path, *, database: dict, storage: Storage) -> dict:
    """Write the archive of `database` (a settings dict) and of every file in `storage`; return its
    manifest. Each file is copied out of the storage once (hashed on the way) and then archived."""
    db = Database(database)
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    # Written beside the target and renamed at the end: a half-written archive never has its name.
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        dump = Path(work) / db.dump_name
        db.dump(dump)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(dump, arcname=db.dump_name)
                for name in _stored_names(storage):
                    with storage.open(name, "rb") as source, tempfile.TemporaryFile() as copy:
                        files[name] = _copy_hashing(source, copy)
                        info = tarfile.TarInfo(f"{MEDIA}/{name}")
                        info.size = copy.tell()
                        info.mtime = int(dt.datetime.now().timestamp())
                        info.mode = 0o600
                        copy.seek(0)
                        tar.addfile(info, copy)
                manifest = {
                    "format": FORMAT,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "engine": db.engine,
                    "database": {"name": db.dump_name, "sha256": sha256_of(dump)},
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(dt.datetime.now().timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            partial.chmod(0o600)  # it holds every ID number of the ledger
            partial.replace(archive)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- Restore -----------------------------------------------------------------------------------------


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("备份文件中有不安全的路径“%(name)s”，已拒绝恢复。") % {"name": name})
    return path


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        manifest = json.loads(handle.read().decode()) if handle else None
    except (KeyError, ValueError) as exc:
        raise BackupError(_("这不是本系统的备份文件（缺少 manifest.json）。")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("这不是本系统可以恢复的备份文件（格式不符）。"))
    return manifest


def _extract_checked(tar: tarfile.TarFile, name: str, target: Path, sha256: str) -> None:
    try:
        member = tar.getmember(name)
    except KeyError as exc:
        raise BackupError(_("备份文件不完整：缺少“%(name)s”。") % {"name": name}) from exc
    if not member.isfile():
        raise BackupError(_("备份文件中的“%(name)s”不是普通文件，已拒绝恢复。") % {"name": name})
    handle = tar.extractfile(member)
    assert handle is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise BackupError(_("备份文件已损坏：“%(name)s”的校验值不符。") % {"name": name})


def _where(storage: Storage) -> str:
    if is_file_system(storage):
        return str(storage.location)  # type: ignore[attr-defined]
    bucket = getattr(storage, "bucket_name", "")
    location = getattr(storage, "location", "")
    return f"S3 {bucket}/{location}".rstrip("/")


def restore_refusal(*, database: dict, storage: Storage) -> str | None:
    """Why a restore into these may not go ahead (they are not empty), or None."""
    tables = Database(database).table_names()
    if tables:
        return _(
            "数据库不是空的（已有%(n)d个表）。恢复只能在空数据库中进行：请新建一个空数据库，"
            "用 DATABASE_URL 指向它后再恢复。"
        ) % {"n": len(tables)}
    if next(walk(storage, ""), None) is not None:
        return _("上传文件存储%(path)s不是空的。恢复只能放入空的存储：请先移走其中的文件。") % {
            "path": _where(storage)
        }
    return None


def restore_read(archive: Path, *, database: dict, storage: Storage) -> dict:
    """Restore the archive into `database` and `storage`, both empty; return its manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("找不到备份文件%(path)s。") % {"path": archive})
    refusal = restore_refusal(database=database, storage=storage)
    if refusal:
        raise BackupError(refusal)
    db = Database(database)
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("无法读取备份文件：不是 .tar.gz 文件或已损坏。")) from exc
    with tar, tempfile.TemporaryDirectory(prefix="restore-") as work:
        manifest = _read_manifest(tar)
        if manifest.get("engine") != db.engine:
            raise BackupError(
                _("备份来自%(source)s数据库，不能恢复到%(target)s数据库。")
                % {"source": manifest.get("engine"), "target": db.engine}
            )
        # Everything is unpacked and checked first; only then is anything written.
        staged = Path(work) / MEDIA
        for name, sha256 in manifest["files"].items():
            _extract_checked(tar, f"{MEDIA}/{_safe_member(name)}", staged / _safe_member(name), sha256)
        dump = Path(work) / manifest["database"]["name"]
        _extract_checked(
            tar, _safe_member(manifest["database"]["name"]).name, dump, manifest["database"]["sha256"]
        )
        db.load(dump)
        for name in sorted(manifest["files"]):
            with (staged / _safe_member(name)).open("rb") as handle:
                stored = storage.save(str(_safe_member(name)), File(handle))
            if stored != name:  # the storage was empty: only a name it had to change lands here
                raise BackupError(
                    _("无法按原名恢复文件“%(name)s”（存为“%(stored)s”）。") % {"name": name, "stored": stored}
                )
    return manifest
