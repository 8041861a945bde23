"""Writing import files in tests, as a user would fill them in Excel (openpyxl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from federation.imports.batches import batch_commit, batch_create, batch_validate


@pytest.fixture(autouse=True)
def import_files_in_tmp(settings, tmp_path):
    """Uploaded import files go below the test's own directory (autouse where imported)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def sheet_writer(directory: Path, default_headers: list[str]):
    """`make(rows, headers=…, name=…)` writing files below `directory`, for a `sheet` fixture."""

    def make(rows: list[list], headers: list[str] | None = None, name: str = "import.xlsx") -> Path:
        return write_sheet(directory / name, headers or default_headers, rows)

    return make


def write_sheet(path: Path, headers: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    workbook.save(path)
    return path


def validate(path: Path, *, kind: str, by, **scope):
    """Keep the file as a batch and validate it, as the upload page does: (batch, outcome)."""
    with path.open("rb") as handle:
        batch = batch_create(kind=kind, file=handle, file_name=path.name, by=by, **scope)
    return batch, batch_validate(batch)


def import_file(path: Path, *, kind: str, by, **scope):
    """Validate and, if the file may be committed, commit it: (batch, outcome)."""
    batch, outcome = validate(path, kind=kind, by=by, **scope)
    if outcome is not None and outcome.may_commit:
        batch = batch_commit(batch=batch, by=by)
    return batch, outcome


def problems_of(outcome) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["message"]) for p in outcome.problems()]
