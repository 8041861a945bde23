"""The two phases of every import (pretix style): validate every row, then write everything in one
transaction.

    outcome = validate_file(spec, path)      # reads, matches headers, cleans cells, plans each row
    if outcome.may_commit: commit(spec, outcome)

An ImportSpec (one per kind of file: roster, union list, aid list …) declares its columns and does
the domain work in batches: `plan_batch` looks up what exists with one query per batch and sets each
row's action; `write` writes the planned rows in bulk. The engine owns everything else: header
matching, cell errors by row and column, rows repeated in the file, counts, progress, and the rule
that a file with any rejected row writes nothing (all or nothing, as DESIGN.md asks of the CLI and
the web alike).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path, PurePath
from typing import TypeVar

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation.imports.cells import CellError, ChoiceColumn, Column, YesNoColumn
from federation.imports.reader import ImportFileError, SheetData, column_letter, iter_chunks, read_first_sheet
from federation.uploads.storage import local_copy

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
ACTION_LABELS = {
    CREATE: gettext_lazy("新增"),
    UPDATE: gettext_lazy("更新"),
    UNCHANGED: gettext_lazy("无变化"),
    REJECT: gettext_lazy("有错误"),
}
BATCH_SIZE = 2000
# The preview lists at most this many problems; the counts always cover every row.
MAX_LISTED_PROBLEMS = 500

Progress = Callable[[int, int], None]
Plan = TypeVar("Plan")


@dataclass(slots=True)
class RowResult:
    """One data row: its Excel row number, its cleaned values, and what the import will do with it."""

    number: int
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    action: str = ""
    target: object = None  # the existing record a row updates or leaves unchanged
    conflict: str = ""  # why the row clashes with a record on file or another row
    changed_fields: list[str] = field(default_factory=list)

    def reject(self, column: str, message: str) -> None:
        self.errors.append((column, message))
        self.action = REJECT

    def reject_conflict(self, message: str) -> None:
        self.conflict = message
        self.action = REJECT


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off while an import holds its rows: hundreds of thousands of rows,
    dicts and cells, none of them in a reference cycle, made it walk every live object again and
    again (0.6 s of CPU of a 100 000-row roster's check and commit). Freed by their reference counts
    as ever; the collector is on again after, and a pause that finds it off leaves it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def kept_plans(rows: list[RowResult], kind: type[Plan]) -> list[Plan] | None:
    """The plans a spec kept on its rows as their targets at the check (kept with the batch by
    federation.imports.kept_rows), for `rows_to_recheck`; None when a row has none (checked by an
    older version): every row is then planned again."""
    plans = [row.target for row in rows if isinstance(row.target, kind)]
    return plans if len(plans) == len(rows) else None


class ImportSpec:
    """What one kind of import file holds and how its rows reach the database.

    Subclasses set `kind`, `title`, `columns`, `key` (the field that identifies a record, used to
    find the same record twice in one file) and implement `plan_batch` and `write`.
    """

    kind: str = ""
    title: str = ""
    columns: list[Column] = []
    key: str = ""
    # Rows handed to one call of `write` (a spec that writes with COPY takes more at once).
    write_batch: int = 0

    def __init__(self, *, user, **scope):
        self.user = user
        self.scope = scope

    # -- the spec's domain work --

    def plan_batch(self, rows: list[RowResult]) -> None:
        """Set `action` (CREATE, UPDATE, UNCHANGED or REJECT via reject/reject_conflict) on every row
        of the batch, with one query per batch, not per row."""
        raise NotImplementedError

    def write(self, rows: list[RowResult]) -> None:
        """Write the rows planned CREATE or UPDATE, in bulk. Runs inside the engine's transaction."""
        raise NotImplementedError

    def check_row(self, row: RowResult) -> None:
        """Rules across the columns of one row (e.g. the birth date against the ID number)."""

    def notices(self) -> list[str]:
        """Notices about the whole file found while planning (shown with the counts)."""
        return []

    def rows_to_recheck(self, rows: list[RowResult]) -> list[RowResult] | None:
        """At the commit, when `watched()` is as it was at the check: the planned rows whose plan may
        have changed since all the same (a record outside `watched()` that now clashes with them),
        found with set queries, not row by row. Only those are planned again. None: the spec cannot
        tell, and every row is planned again."""
        return None

    def watched(self) -> list[QuerySet]:
        """The records the plan was made against (the target union's members, the federation's
        unions, …). A preview confirmed after any of them changed is checked again instead of
        written (federation.imports.batches.batch_commit)."""
        return []

    def checked_state(self) -> list[list]:
        """The state of `watched()`: per queryset its count, newest update and highest key. Every
        write of the ledger (services, imports, the admin) sets updated_at, and nothing is
        deleted, so any change since the check changes one of the three."""
        state = []
        for records in self.watched():
            found = records.order_by().aggregate(n=Count("pk"), newest=Max("updated_at"), top=Max("pk"))
            newest = found["newest"].isoformat() if found["newest"] else ""
            state.append([records.model._meta.label, found["n"], newest, found["top"]])
        return state

    # -- derived --

    def header_map(self) -> dict[str, Column]:
        mapping = {}
        for column in self.columns:
            mapping[column.header] = column
            for alias in column.aliases:
                mapping[alias] = column
        return mapping

    def known_headers(self) -> frozenset[str]:
        return frozenset(self.header_map())

    def column_header(self, field_name: str) -> str:
        return next(c.header for c in self.columns if c.field == field_name)


@dataclass
class ImportOutcome:
    """What validating a file found: notices about the file, every row's plan, and the counts."""

    sheet_name: str = ""
    notices: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    duplicates_ignored: int = 0
    planned: bool = False  # every row planned against the records on file (engine.plan)
    notices_read: int = 0  # how many of the notices are about the file, not about the plan

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REJECT: 0}
        for row in self.rows:
            counts[row.action] += 1
        counts["conflicts"] = sum(1 for row in self.rows if row.conflict)
        return counts

    @property
    def may_commit(self) -> bool:
        return bool(self.rows) and not any(row.action == REJECT for row in self.rows)

    def problems(self, limit: int = MAX_LISTED_PROBLEMS) -> list[dict]:
        """Errors and conflicts as plain dicts (row, column, message), for the preview and the CLI."""
        listed = []
        for row in self.rows:
            if row.action != REJECT:
                continue
            for column, message in row.errors:
                listed.append({"row": row.number, "column": column, "message": message, "conflict": False})
            if row.conflict:
                listed.append({"row": row.number, "column": "", "message": row.conflict, "conflict": True})
            if len(listed) >= limit:
                break
        return listed[:limit]


def _match_headers(spec: ImportSpec, sheet: SheetData) -> tuple[list[tuple[int, Column]], list[str]]:
    """Columns are matched by header text, not position. Returns (index, column) pairs and notices;
    a missing required column is an error for the whole file."""
    by_header = spec.header_map()
    matched: list[tuple[int, Column]] = []
    seen: dict[str, str] = {}
    unknown = []
    for index, header in enumerate(sheet.headers):
        column = by_header.get(header)
        if column is None:
            if header:
                unknown.append(header)
            continue
        if column.field in seen:
            raise ImportFileError(
                _("表头中“%(a)s”和“%(b)s”是同一列，请只保留一列。") % {"a": seen[column.field], "b": header}
            )
        seen[column.field] = header
        matched.append((index, column))
    missing = [c.header for c in spec.columns if c.required and c.field not in seen]
    if missing:
        raise ImportFileError(
            _("缺少必填的列：%(cols)s。请使用下载的模板，表头文字须与模板一致。")
            % {"cols": "、".join(missing)}
        )
    notices = []
    if unknown:
        notices.append(_("以下列不是本导入的列，已忽略：%(cols)s。") % {"cols": "、".join(unknown[:20])})
    return matched, notices


# A column of choices or 是/否 holds a handful of distinct cells in 100 000 rows: each distinct cell
# is cleaned once (cleaning is a function of the cell alone). Bounded: past this many distinct cells
# a column is cleaned cell by cell.
MEMO_LIMIT = 1000
_MISSING = object()


def _cleaner(column: Column) -> Callable:
    """column.clean, remembering its results for a column whose cells repeat (choices, 是/否). A cell
    that fails is not remembered: its CellError is raised again each time."""
    clean = column.clean
    if not isinstance(column, (ChoiceColumn, YesNoColumn)):
        return clean
    memo: dict = {}

    def cached(raw):
        key = (type(raw), raw)  # 1, 1.0 and True are equal keys but not equal cells
        value = memo.get(key, _MISSING)
        if value is _MISSING:
            value = clean(raw)
            if len(memo) < MEMO_LIMIT:
                memo[key] = value
        return value

    return cached


# Rows cleaned together, column by column: a column's cells go through its cleaner in one pass (no
# per-cell bookkeeping), and only this many raw rows are held twice (as rows and as columns).
CLEAN_CHUNK = 5000
_FAILED = object()


def _clean_rows(
    spec: ImportSpec, chunk: list[tuple[int, list]], cleaners: list[tuple[int, str, Column, Callable]]
) -> list[RowResult]:
    """The rows of `chunk` (Excel row number, raw cells), cleaned: each row's values by field, in the
    columns' order, and its cell errors by column (a cell that fails leaves its field out); a row
    without errors is checked as a whole (spec.check_row), in the file's order."""
    columns = []
    failures: dict[int, list[tuple[str, str]]] = {}
    for index, _name, column, clean in cleaners:
        cells = [raw[index] for _number, raw in chunk]
        try:
            values = list(map(clean, cells))
        except CellError:  # at least one cell fails: the column again, cell by cell
            values = []
            label = f"{column.header}（{column_letter(index)}列）"
            for position, cell in enumerate(cells):
                try:
                    values.append(clean(cell))
                except CellError as exc:
                    values.append(_FAILED)
                    failures.setdefault(position, []).append((label, str(exc)))
        columns.append(values)
    names = [name for _index, name, _column, _clean in cleaners]
    rows = [
        RowResult(number, dict(zip(names, values, strict=True)))
        for (number, _raw), values in zip(
            chunk, zip(*columns, strict=True) if columns else [()] * len(chunk), strict=True
        )
    ]
    for position, errors in failures.items():
        row = rows[position]
        row.values = {name: value for name, value in row.values.items() if value is not _FAILED}
        row.errors = errors
        row.action = REJECT
    check_row = spec.check_row
    for row in rows:
        if not row.errors:
            check_row(row)
    return rows


def _mark_repeats(spec: ImportSpec, outcome: ImportOutcome, raws: dict[int, int]) -> None:
    """The same record twice in one file: identical rows are ignored after the first (with a
    notice); the same key with different values is a conflict on every row that carries it.
    `raws` holds a hash of each row's raw cells (equal hashes with the same key: the same row)."""
    if not spec.key:
        return
    first_by_key: dict[object, RowResult] = {}
    kept = []
    for row in outcome.rows:
        key = row.values.get(spec.key)
        if key in (None, ""):
            kept.append(row)
            continue
        first = first_by_key.get(key)
        if first is None:
            first_by_key[key] = row
            kept.append(row)
        elif raws[first.number] == raws[row.number]:
            outcome.duplicates_ignored += 1
        else:
            message = _("与第%(a)d行的%(col)s相同，同一记录在文件中出现了两次。") % {
                "a": first.number,
                "col": spec.column_header(spec.key),
            }
            row.reject_conflict(message)
            if not first.conflict:
                first.reject_conflict(
                    _("与第%(b)d行的%(col)s相同，同一记录在文件中出现了两次。")
                    % {"b": row.number, "col": spec.column_header(spec.key)}
                )
            kept.append(row)
    if outcome.duplicates_ignored:
        outcome.notices.append(
            _("文件中有%(n)d行与前面的行完全相同，已按一行处理。") % {"n": outcome.duplicates_ignored}
        )
    outcome.rows = kept


def _example_row(matched: list[tuple[int, Column]]) -> dict | None:
    """The template's example row (federation.imports.template writes each column's `example` in
    row 2), as the matched columns clean it: {field: value}. None when fewer than two of the file's
    columns carry an example — too little to tell the example from a real row."""
    example = {}
    for _index, column in matched:
        raw = column.example if column.example != "" else None
        try:
            example[column.field] = column.clean(raw)
        except CellError:
            return None
    if sum(1 for _index, column in matched if column.example not in ("", None)) < 2:
        return None
    return example


def _is_example(row: RowResult, example: dict | None) -> bool:
    return example is not None and not row.errors and all(row.values.get(f) == v for f, v in example.items())


def read_file(spec: ImportSpec, path: Path | str, file_name: str = "") -> ImportOutcome:
    """Phase one, first half: read the file, match the headers, clean every cell, check each row and
    find rows repeated in the file. Needs no database. Raises ImportFileError for a bad file.
    `file_name`: the name the file was uploaded with (reader.read_first_sheet)."""
    sheet = read_first_sheet(path, spec.known_headers(), file_name)
    matched, notices = _match_headers(spec, sheet)
    outcome = ImportOutcome(sheet_name=sheet.sheet_name, notices=sheet.notices + notices)
    # The raw rows are dropped a chunk at a time as they are cleaned, and only a fingerprint of each
    # is kept to recognise repeated rows: a 100 000-row file need not be in memory twice.
    raws = {}
    source = sheet.rows
    del sheet
    cleaners = [(index, column.field, column, _cleaner(column)) for index, column in matched]
    # The cells a row's fingerprint is made of, picked in C.
    cells_of = itemgetter(*(index for index, _column in matched))
    # The template's example row left in place (张三 and the sample ID number) is no one's record:
    # it is skipped, and the preview says so.
    example = _example_row(matched)
    skipped = []
    for start in range(0, len(source), CLEAN_CHUNK):
        chunk = source[start : start + CLEAN_CHUNK]
        source[start : start + CLEAN_CHUNK] = [None] * len(chunk)
        for row, (number, raw) in zip(_clean_rows(spec, chunk, cleaners), chunk, strict=True):
            if _is_example(row, example):
                skipped.append(number)
                continue
            outcome.rows.append(row)
            raws[number] = hash(cells_of(raw))
        del chunk
    del source
    if skipped:
        rows = "、".join(str(n) for n in skipped[:10])
        if not outcome.rows:
            raise ImportFileError(
                _(
                    "文件中只有模板的示例行（第%(rows)s行），没有要导入的数据。请在示例行下方填写，或改写示例行后再上传。"
                )
                % {"rows": rows}
            )
        outcome.notices.append(_("已忽略模板示例行（第%(rows)s行），该行未导入。") % {"rows": rows})
    _mark_repeats(spec, outcome, raws)
    return outcome


def read_stored_file(spec: ImportSpec, file: FieldFile, file_name: str = "") -> ImportOutcome:
    """read_file for an upload kept in the storage (the disk or S3): python-calamine reads a path, so
    the file is copied to a temporary one, removed as soon as it has been read."""
    gone = ImportFileError(_("上传的文件已不存在（可能已被清理），未写入任何数据。请重新上传。"))
    if not file:
        raise gone
    with contextlib.ExitStack() as stack:
        try:
            suffix = PurePath(file.name).suffix.lower() or ".xlsx"
            path = stack.enter_context(local_copy(file.storage, file.name, suffix=suffix))
        except FileNotFoundError as exc:
            raise gone from exc
        return read_file(spec, path, file_name)


def plan(spec: ImportSpec, outcome: ImportOutcome, progress: Progress | None = None) -> ImportOutcome:
    """Phase one, second half: what each row will do to the records on file, one query per batch.
    At the commit only what may have changed since the preview is planned again (`replan`,
    federation.imports.batches.batch_commit)."""
    if outcome.planned:  # planned before: planned afresh, with the notices of the new plan only
        del outcome.notices[outcome.notices_read :]
    outcome.notices_read = len(outcome.notices)
    total = len(outcome.rows)
    done = 0
    for batch in iter_chunks(outcome.rows, BATCH_SIZE):
        pending = [row for row in batch if row.action != REJECT]
        if pending:
            if outcome.planned:
                _unplan(pending)
            spec.plan_batch(pending)
        done += len(batch)
        if progress:
            progress(done, total)
    outcome.notices.extend(spec.notices())
    outcome.planned = True
    return outcome


def _unplan(rows: list[RowResult]) -> None:
    for row in rows:
        row.action, row.target, row.conflict, row.changed_fields = "", None, "", []


def replan(spec: ImportSpec, rows: list[RowResult]) -> None:
    """Plan `rows` (already planned once) again against the records on file, as `plan` does."""
    _unplan(rows)
    for batch in iter_chunks(rows, BATCH_SIZE):
        spec.plan_batch(batch)


def validate_file(spec: ImportSpec, path: Path | str, progress: Progress | None = None) -> ImportOutcome:
    """Phase one: read and check the whole file; nothing is written. Raises ImportFileError for a
    file that cannot be imported at all."""
    return plan(spec, read_file(spec, path), progress)


def commit(spec: ImportSpec, outcome: ImportOutcome, progress: Progress | None = None) -> dict[str, int]:
    """Phase two: write every planned row in one transaction. Refuses a file with rejected rows."""
    if not outcome.may_commit:
        raise ImportFileError(_("文件中还有错误或冲突，不能导入。请修改后重新上传。"))
    to_write = [row for row in outcome.rows if row.action in (CREATE, UPDATE)]
    with transaction.atomic():
        done = 0
        for batch in iter_chunks(to_write, spec.write_batch or BATCH_SIZE):
            spec.write(batch)
            done += len(batch)
            if progress:
                progress(done, len(to_write))
    return outcome.counts
