"""Workbooks that leave nothing behind.

Both writers stream rows through temporary files. openpyxl's write-only mode streams each sheet to a
named temporary file (`openpyxl.XXXX` in the system's temp folder) and removes it only when the
workbook is saved; XlsxWriter's constant-memory mode does the same with its own files (`tmpXXXX`), and
leaves them when the workbook is never closed. An export that fails midway (a bad value, a database
error) left the rows written so far — member names, ID numbers — on disk until the process ended, and
for ever when it was killed. `write_only_workbook()` and `xlsx_writer()` remove them on every way out;
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

import xlsxwriter
from openpyxl import Workbook
from openpyxl.worksheet import _writer as openpyxl_writer

log = logging.getLogger(__name__)
TEMP_PREFIX = "openpyxl."
# The folder of one XlsxWriter workbook's temporary files.
XLSXWRITER_TEMP_PREFIX = "xlsxwriter."


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
def xlsx_writer(file) -> Iterator[xlsxwriter.Workbook]:
    """An XlsxWriter workbook in constant-memory mode writing to `file` (a binary file object), which
    it completes when the block ends without error. Each row goes to a temporary file as soon as the
    next one is begun, so memory stays flat whatever the number of rows; those files live in a folder
    of their own, removed however the block ends.

    Strings stay strings: XlsxWriter's generic write() is told not to read numbers, formulas or URLs
    into text (federation.exports.cells.put uses the typed writers anyway)."""
    folder = tempfile.mkdtemp(prefix=XLSXWRITER_TEMP_PREFIX)
    try:
        workbook = xlsxwriter.Workbook(
            file,
            {
                "constant_memory": True,
                "tmpdir": folder,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        # A sheet of a million rows can pass the 2 GiB a plain zip entry holds. This only allows ZIP64:
        # CPython's zipfile writes its records for an entry that needs them alone (XlsxWriter hands it
        # files whose size is known), so a small workbook is the plain zip Excel has always opened.
        workbook.use_zip64()
        yield workbook
        workbook.close()
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
    for path in folder.glob(f"{XLSXWRITER_TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if path.is_dir() and _last_touched(path) < cutoff:
                shutil.rmtree(path)
                removed += 1
    return removed


def _last_touched(folder: Path) -> float:
    return max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.iterdir())])
