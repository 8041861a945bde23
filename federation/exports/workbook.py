"""Workbooks that leave nothing behind.

Both writers stream rows through temporary files. openpyxl's write-only mode streams each sheet to a
named temporary file (`openpyxl.XXXX` in the system's temp folder) and removes it only when the
workbook is saved; the list exports' streaming writer puts its workbook together in a folder before it
is copied to its file. An export that fails midway (a bad value, a database
error) left the rows written so far — member names, ID numbers — on disk until the process ended, and
for ever when it was killed. `write_only_workbook()` and `streaming_workbook()` remove them on every way out;
`remove_orphaned_temp_files()` (run by `manage.py cleanup`) removes what a killed process left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet import _writer as openpyxl_writer
from rustpy_xlsxwriter import FastExcel

log = logging.getLogger(__name__)
TEMP_PREFIX = "openpyxl."
# The folder in which one list export's workbook is put together.
STREAMING_TEMP_PREFIX = "ledger-export."
COPY_CHUNK = 1024 * 1024


@contextlib.contextmanager
def write_only_workbook() -> Iterator[Workbook]:
    """A Workbook(write_only=True) whose sheets' temporary files are gone when the block ends,
    whether it saved the workbook or raised."""
    workbook = Workbook(write_only=True)
    try:
        yield workbook
    finally:
        for sheet in workbook.worksheets:
            _remove_temp_file(sheet)


@contextlib.contextmanager
def streaming_workbook(file) -> Iterator[FastExcel]:
    """A rustpy-xlsxwriter workbook whose sheets (added with `.sheet(name, records, …)`, each record a
    dict of header → value, drawn lazily) are written when the block ends without error, then copied to
    `file` (a binary file object). It writes each sheet in constant memory through a temporary file the
    system removes as soon as it is closed (it is unlinked when made: nothing is left however the
    process ends); the workbook itself is put together in a folder of its own, removed however the
    block ends — and by `remove_orphaned_temp_files` when the process was killed."""
    folder = tempfile.mkdtemp(prefix=STREAMING_TEMP_PREFIX)
    try:
        path = Path(folder) / "export.xlsx"
        workbook = FastExcel(str(path))
        yield workbook
        workbook.save()
        with path.open("rb") as written:
            shutil.copyfileobj(written, file, COPY_CHUNK)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_temp_file(sheet) -> None:
    # The sheet's writer exists once a row or its header was written; after a save it has removed its
    # file already (WorksheetWriter.cleanup), which the check below finds.
    writer = getattr(sheet, "_writer", None)
    path = getattr(writer, "out", None)
    if not isinstance(path, str):
        return
    # Close the sheet's row stream, then the writer's (which closes the file), so that nothing writes
    # to the file once it is gone.
    rows, sheet._rows = getattr(sheet, "_rows", None), None
    for stream in (rows, writer.xf):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.close()
    Path(path).unlink(missing_ok=True)
    with contextlib.suppress(ValueError):
        openpyxl_writer.ALL_TEMP_FILES.remove(path)


def remove_orphaned_temp_files(*, older_than: dt.timedelta) -> int:
    """The writers' temporary files and folders not touched for `older_than` (a write streams to its
    file, so one in use is recent): what an export killed with its process left. Returns how many were
    removed."""
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    folder = Path(tempfile.gettempdir())
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    for path in folder.glob(f"{STREAMING_TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if path.is_dir() and _last_touched(path) < cutoff:
                shutil.rmtree(path)
                removed += 1
    return removed


def _last_touched(folder: Path) -> float:
    return max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.iterdir())])
