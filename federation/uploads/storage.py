"""Working with the files in the default storage whatever its backend (the disk or S3): walking a
folder, a local copy for the one library that needs a real file, and what is specific to the disk.

No code reads or writes MEDIA_ROOT itself: everything goes through the storage API (open, save,
delete, exists, listdir), so the same code runs on one server with its disk and on several servers
sharing a bucket (tests/federation/test_storage_s3.py runs it against a local S3 server).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage

# Local copies of stored files (federation.imports: python-calamine reads a path) start with this, in
# the system's temp folder; `manage.py cleanup` removes what a killed process left.
COPY_PREFIX = "union-ledger-copy-"
COPY_CHUNK = 1024 * 1024


def is_file_system(storage: Storage) -> bool:
    """Whether the files are on this machine's disk (X-Accel-Redirect can then send them)."""
    return isinstance(storage, FileSystemStorage)


def walk(storage: Storage, folder: str) -> Iterator[str]:
    """Every file name under `folder` ("" for the whole storage), at any depth; nothing when the
    folder does not exist."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield f"{prefix}{name}"
    for sub in folders:
        yield from walk(storage, f"{prefix}{sub}")


@contextlib.contextmanager
def local_copy(storage: Storage, name: str, *, suffix: str = "") -> Iterator[Path]:
    """The stored file copied to a named temporary file, for a library that reads a path; the copy is
    removed when the block ends, however it ends. Raises FileNotFoundError when there is no such file."""
    with storage.open(name, "rb") as source:
        handle = tempfile.NamedTemporaryFile(prefix=COPY_PREFIX, suffix=suffix, delete=False)
        try:
            with handle:
                shutil.copyfileobj(source, handle, COPY_CHUNK)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    try:
        yield Path(handle.name)
    finally:
        Path(handle.name).unlink(missing_ok=True)


def save_exactly(storage: Storage, name: str, content: File) -> None:
    """Store `content` under `name` itself (replacing what is there): for a file named after another
    one (the kept rows beside an import file), which a storage's "available name" must not rename."""
    storage.delete(name)
    stored = storage.save(name, content)
    if stored != name:  # someone wrote the same name in between: ours is not the one to keep
        storage.delete(stored)
        raise FileExistsError(name)


def remove_stale_copies(*, older_than: dt.timedelta) -> int:
    """Local copies not touched for `older_than`: what a process killed while reading one left (they
    hold people's ID numbers). Returns how many were removed."""
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in Path(tempfile.gettempdir()).glob(f"{COPY_PREFIX}*"):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed
