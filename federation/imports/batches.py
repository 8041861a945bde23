"""The life of an import batch, shared by the web pages and the CLI: keep the uploaded file as an
ImportBatch, validate it (phase one), commit it in one transaction (phase two) or cancel it; the two
phases as the bodies of Celery tasks (federation.tasks), safe to run again when a worker died.

The batch is the record DESIGN.md asks for: who, when, file name, sha256, and the counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from pathlib import Path, PurePath

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import background, freshness, scoping
from federation.identifiers import mask_id_number, mask_phone
from federation.imports import engine, kept_rows
from federation.imports.cells import ChoiceColumn, IdNumberColumn, MobileColumn, YesNoColumn
from federation.imports.reader import FORMATS, XLSX, ImportFileError, max_upload_bytes
from federation.imports.registry import spec_class
from federation.models import Federation, ImportBatch, User
from federation.uploads.fields import remove_after_commit

UNION_KINDS = (ImportBatch.Kind.MEMBERS,)
# The preview shows the first rows to be created or updated.
SAMPLE_ROWS = 20
# Seconds between two stores of a check's progress (its page polls it every second).
PROGRESS_EVERY = 0.5
log = logging.getLogger(__name__)


def _require_scope(by: User, kind: str, union, federation: Federation | None) -> None:
    if kind in UNION_KINDS:
        if union is None:
            raise ValidationError({"union": _("请选择导入到哪个基层工会。")})
        allowed = scoping.can_act_for_union(by, union)
    elif union is not None:  # an aid list of one union, imported by its cadre
        allowed = scoping.can_act_for_union(by, union)
    else:
        if federation is None:
            raise ValidationError({"federation": _("请选择联合会。")})
        allowed = scoping.can_act_for_federation(by, federation)
    if not allowed:
        raise PermissionDenied(_("您无权向该单位导入数据。"))


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


@transaction.atomic
def batch_create(
    *,
    kind: str,
    file,
    file_name: str,
    by: User,
    union=None,
    federation: Federation | None = None,
    year: int | None = None,
) -> ImportBatch:
    """Keep an uploaded (or CLI-given) file as a new batch, status 正在检查. `file` is a binary file
    object. A file over the size limit is refused here, before it is stored."""
    _require_scope(by, kind, union, federation)
    size = file.seek(0, 2)
    file.seek(0)
    if size > max_upload_bytes():
        raise ValidationError(
            _("文件大小为%(size).1f MB，超过上限%(limit)d MB。请分成几个文件上传。")
            % {"size": size / 1024 / 1024, "limit": max_upload_bytes() // 1024 // 1024}
        )
    batch = ImportBatch(
        kind=kind,
        union=union,
        federation=federation or (union.federation if union is not None else None),
        year=year,
        created_by=by,
        file_name=Path(file_name).name[:255],
        file_size=size,
        sha256=sha256_of(file),
    )
    # Stored under the suffix it came with (.xlsx, .xls or .ods); the reader goes by the content.
    suffix = PurePath(file_name).suffix.lower()
    batch.file.save(f"upload{suffix if suffix in FORMATS else XLSX}", File(file), save=False)
    batch.save()
    return batch


def spec_for(batch: ImportBatch) -> engine.ImportSpec:
    scope: dict[str, object] = (
        {"union": batch.union} if batch.kind in UNION_KINDS else {"federation": batch.federation}
    )
    if batch.kind not in UNION_KINDS and batch.union_id:
        scope = {"union": batch.union, "federation": batch.federation}
    return spec_class(batch.kind)(user=batch.created_by, year=batch.year, **scope)


def _display(column, value) -> str:
    """A cleaned value as the preview shows it; ID and phone numbers masked (the report is kept)."""
    if value is None or value == "":
        return ""
    if isinstance(column, IdNumberColumn):
        return mask_id_number(value)
    if isinstance(column, MobileColumn):
        return mask_phone(value)
    if isinstance(column, YesNoColumn):
        return _("是") if value else _("否")
    if isinstance(column, ChoiceColumn):
        return column.label(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _samples(spec: engine.ImportSpec, outcome: engine.ImportOutcome) -> dict:
    columns = [c for c in spec.columns if outcome.rows and c.field in outcome.rows[0].values]
    headers = {c.field: c.header for c in spec.columns}
    rows = []
    for row in outcome.rows:
        if row.action not in (engine.CREATE, engine.UPDATE):
            continue
        rows.append(
            {
                "row": row.number,
                "action": str(engine.ACTION_LABELS[row.action]),
                "changed": "、".join(headers.get(f, f) for f in row.changed_fields),
                "cells": [_display(c, row.values.get(c.field)) for c in columns],
            }
        )
        if len(rows) >= SAMPLE_ROWS:
            break
    return {"headers": [c.header for c in columns], "rows": rows}


def _store_outcome(
    batch: ImportBatch, outcome: engine.ImportOutcome, spec: engine.ImportSpec, state: list | None = None
) -> None:
    counts = outcome.counts
    batch.rows_total = len(outcome.rows)
    batch.rows_created = counts[engine.CREATE]
    batch.rows_updated = counts[engine.UPDATE]
    batch.rows_unchanged = counts[engine.UNCHANGED]
    batch.rows_rejected = counts[engine.REJECT]
    batch.conflicts = counts["conflicts"]
    batch.report = {
        "sheet": outcome.sheet_name,
        "notices": [str(n) for n in outcome.notices],
        "problems": outcome.problems(),
        "samples": _samples(spec, outcome),
        # What the records the plan was made against looked like (ImportSpec.checked_state).
        "checked_state": spec.checked_state() if state is None else state,
    }


def _progress_saver(batch: ImportBatch):
    """Progress stored at most every PROGRESS_EVERY seconds, and at the end: a 100 000-row check
    planned in batches of 2,000 wrote it 50 times, a transaction each."""
    last = -PROGRESS_EVERY  # when it was last stored

    def save(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and now - last < PROGRESS_EVERY:
            return
        last = now
        background.report(batch, progress_done=done, progress_total=total)

    return save


def batch_validate(batch: ImportBatch) -> engine.ImportOutcome | None:
    """Phase one: check every row and store the counts and problems on the batch (待确认 when the
    file may be committed, 有错误 when it may not, 文件无法导入 for a bad file). Writes nothing else."""
    with engine.cyclic_gc_paused():
        return _validate(batch)


def _validate(batch: ImportBatch) -> engine.ImportOutcome | None:
    spec = spec_for(batch)
    try:
        outcome = engine.read_stored_file(spec, batch.file, batch.file_name)
        state = spec.checked_state()  # before planning: a change during the check shows as a change
        engine.plan(spec, outcome, progress=_progress_saver(batch))
        if outcome.may_commit:
            kept_rows.keep(batch, outcome)
    except ImportFileError as exc:
        _fail(batch, str(exc))
        return None
    _store_outcome(batch, outcome, spec, state)
    batch.status = ImportBatch.Status.READY if outcome.may_commit else ImportBatch.Status.INVALID
    batch.save()
    if batch.status == ImportBatch.Status.INVALID:
        _discard_file(batch)  # it can never be committed; its report stays on the batch
    return outcome


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.message = message
    batch.save()
    _discard_file(batch)


def batch_start_commit(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Confirming a preview: 待确认 → 正在导入, once only (a second click finds it taken)."""
    _require_scope(by, batch.kind, batch.union, batch.federation)
    taken = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.READY).update(
        status=ImportBatch.Status.COMMITTING,
        progress_done=0,
        progress_total=0,
        attempts=0,
        updated_at=timezone.now(),
    )
    batch.refresh_from_db()
    if not taken:
        raise ValidationError(_("该导入的状态为“%(s)s”，不能确认导入。") % {"s": batch.get_status_display()})
    return batch


def batch_commit(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Phase two: validate the stored file again (the records may have changed since the preview)
    and write every row in one transaction. With any error or conflict nothing is written: the
    batch is left 有错误 (or 文件无法导入) with what was found, and a ValidationError says why."""
    with engine.cyclic_gc_paused():
        return _commit(batch, by)


def _commit(batch: ImportBatch, by: User) -> ImportBatch:
    batch.refresh_from_db()
    if batch.status not in (ImportBatch.Status.READY, ImportBatch.Status.COMMITTING):
        raise ValidationError(_("该导入的状态为“%(s)s”，不能确认导入。") % {"s": batch.get_status_display()})
    _require_scope(by, batch.kind, batch.union, batch.federation)
    if batch.status == ImportBatch.Status.READY:
        batch = batch_start_commit(batch=batch, by=by)
    spec = spec_for(batch)
    spec.user = by
    checked = (batch.report or {}).get("checked_state")
    try:
        state = spec.checked_state()
        outcome = _planned_again(spec, batch, state == checked)
    except ImportFileError as exc:
        _fail(batch, str(exc))
        raise ValidationError(str(exc)) from exc
    problem = ""
    try:
        with transaction.atomic():
            # The batch's row, locked, decides: a second delivery of the same task (its worker was
            # thought dead) waits here and then finds the batch no longer 正在导入 — nothing to do.
            if (
                not ImportBatch.objects.select_for_update()
                .filter(pk=batch.pk, status=ImportBatch.Status.COMMITTING)
                .exists()
            ):
                batch.refresh_from_db()
                return batch
            _store_outcome(batch, outcome, spec, state)
            if state != checked:
                # The page the user confirmed was computed against other data (another import of the
                # same union, an edit): writing now could undo those changes unseen. Show the new
                # preview.
                batch.status = ImportBatch.Status.READY if outcome.may_commit else ImportBatch.Status.INVALID
                if outcome.may_commit:  # the plan now shown is the one a confirmation writes
                    kept_rows.keep(batch, outcome)
                batch.message = problem = _(
                    "检查之后数据有了变化（例如同一工会的另一次导入），已按现在的数据重新检查，未写入任何数据。"
                    "请查看新的检查结果，无误后再确认导入。"
                )
                batch.save()
            elif not outcome.may_commit:
                batch.status = ImportBatch.Status.INVALID
                batch.message = problem = _(
                    "预览之后数据有了变化，文件中出现了错误或冲突，未写入任何数据。请查看检查结果。"
                )
                batch.save()
                _discard_file(batch)
            else:
                if _lock_tree_above(batch) and spec.checked_state() != state:
                    raise IntegrityError("the records changed between the check and the write")
                engine.commit(spec, outcome)
                # The bulk writes bypass save(): mark the figures of the batch's scope out of date here.
                freshness.mark_scope(batch.federation, batch.union)
                batch.status = ImportBatch.Status.COMMITTED
                batch.message = ""  # a re-check's note no longer applies
                batch.committed_at = timezone.now()
                batch.progress_done = batch.progress_total = len(outcome.rows)
                batch.save()
    except IntegrityError as exc:  # another request wrote the same people since the check above
        log.warning("import %s lost a race: %s", batch.pk, exc)
        batch.status = ImportBatch.Status.READY
        batch.message = _("导入时其他用户同时修改了相同的记录，未写入任何数据。请重新确认导入。")
        batch.save()
        raise ValidationError(batch.message) from exc
    if problem:
        raise ValidationError(problem)
    _discard_file(batch)
    return batch


def _planned_again(spec: engine.ImportSpec, batch: ImportBatch, unchanged: bool) -> engine.ImportOutcome:
    """The batch's rows as they are to be written now. When the records the check watched are as they
    were (`unchanged`) and the checked plan was kept, only the rows the spec says may have changed
    since are planned again — none, usually: confirming a 100 000-row preview does not check 100 000
    rows a second time. Otherwise every row is planned again (read from the file if need be)."""
    outcome = kept_rows.read(batch)
    if outcome is not None and outcome.planned and unchanged:
        recheck = spec.rows_to_recheck([row for row in outcome.rows if row.action != engine.REJECT])
        if recheck is not None:
            engine.replan(spec, recheck)
            return outcome
    if outcome is None:
        outcome = engine.read_stored_file(spec, batch.file, batch.file_name)
    return engine.plan(spec, outcome, progress=_progress_saver(batch))


def _lock_tree_above(batch: ImportBatch) -> bool:
    """Lock the batch's federation and every federation above it, root first: two imports whose
    records may overlap (the same union, or a union and a federation above it) write one after the
    other, and the second sees what the first wrote."""
    federation = batch.federation
    if federation is None or not federation.path:
        return False
    ids = [int(part) for part in federation.path.strip("/").split("/")]
    list(Federation.objects.select_for_update().filter(pk__in=ids).order_by("path").values_list("pk"))
    return True


RUNNING = (ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING)


def _taken_up(batch_pk: int, status: str) -> ImportBatch | None:
    """The batch, when its check (or commit) is still to be done; its attempt counted. A worker that
    died on it too often (out of memory on a huge file) gives it up: None, the batch ended."""
    batch = background.begin(ImportBatch, batch_pk, running=(status,))
    if batch is None:
        return None  # done already (a task delivered again), or cancelled meanwhile
    assert isinstance(batch, ImportBatch)
    if not background.gave_up(batch):
        return batch
    log.error("import %s: given up after %s attempts", batch_pk, batch.attempts)
    if status == ImportBatch.Status.VALIDATING:
        _fail(batch, _("检查文件时处理多次中断（服务器重启或内存不足），未写入任何数据。请重新上传。"))
    else:
        batch.status = ImportBatch.Status.READY
        batch.message = _("导入时处理多次中断（服务器重启或内存不足），未写入任何数据。请重新确认导入。")
        batch.save()
    return None


def validate_task(batch_pk: int) -> None:
    """batch_validate as a task: any unexpected failure still ends the batch."""
    batch = _taken_up(batch_pk, ImportBatch.Status.VALIDATING)
    if batch is None:
        return
    try:
        batch_validate(batch)
    except SoftTimeLimitExceeded:
        _fail(batch, _("检查文件超时，未写入任何数据。请把文件分成几个较小的文件上传。"))
    except Exception:
        log.exception("validating import %s failed", batch_pk)
        _fail(batch, _("检查文件时发生意外错误，未写入任何数据。请稍后重试或联系管理员。"))


def commit_task(batch_pk: int, by_pk: int) -> None:
    """batch_commit as a task, by the user who confirmed: any unexpected failure leaves the batch 待确认
    again. Delivered again after its worker died mid-commit, it commits (the transaction of the dead
    one left nothing); delivered again after the commit, it finds the batch 已导入 and stops."""
    batch = _taken_up(batch_pk, ImportBatch.Status.COMMITTING)
    if batch is None:
        return
    by = User.objects.get(pk=by_pk)
    try:
        batch_commit(batch=batch, by=by)
    except ValidationError:
        pass  # the batch already says why (有错误, 文件无法导入, or back to 待确认)
    except Exception as exc:
        log.exception("committing import %s failed", batch_pk)
        if ImportBatch.objects.filter(pk=batch_pk, status=ImportBatch.Status.COMMITTING).exists():
            batch.refresh_from_db()
            batch.status = ImportBatch.Status.READY
            batch.message = (
                _("导入超时，未写入任何数据。请把文件分成几个较小的文件再导入。")
                if isinstance(exc, SoftTimeLimitExceeded)
                else _("导入时发生意外错误，未写入任何数据。请稍后重试或联系管理员。")
            )
            batch.save()


def batch_cancel(*, batch: ImportBatch, by: User) -> ImportBatch:
    if batch.status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.COMMITTING):
        raise ValidationError(_("已导入的数据不能取消。"))
    if batch.status not in (ImportBatch.Status.READY, ImportBatch.Status.INVALID):
        raise ValidationError(_("该导入的状态为“%(s)s”，不能取消。") % {"s": batch.get_status_display()})
    _require_scope(by, batch.kind, batch.union, batch.federation)
    batch.status = ImportBatch.Status.CANCELLED
    batch.save(update_fields=["status", "updated_at"])
    _discard_file(batch)
    return batch


def _discard_file(batch: ImportBatch) -> None:
    """The file holds people's ID numbers: it is kept only while it may still be committed. Its
    checked rows go at once (no record names them); the file itself once the transaction commits
    (federation.uploads.fields)."""
    if batch.file:
        kept_rows.discard(batch)
        remove_after_commit(batch.file.storage, batch.file.name)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        batch.file = ""


# Files of batches not ended for this long are removed by `manage.py cleanup`.
STALE_AFTER = dt.timedelta(days=1)


def batches_discard_stale(*, now: dt.datetime | None = None) -> int:
    """Batches left unfinished for a day (never confirmed nor cancelled, or whose process was killed)
    end as 已取消 (a check that never finished as 文件无法导入), and their files — people's ID numbers —
    leave the storage. Returns how many batches were ended."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    ended = 0
    stale = (
        ImportBatch.objects.filter(updated_at__lt=cutoff)
        .exclude(file="")
        .exclude(
            status__in=(ImportBatch.Status.COMMITTED, ImportBatch.Status.CANCELLED, ImportBatch.Status.FAILED)
        )
    )
    for batch in stale.iterator():
        if batch.status == ImportBatch.Status.VALIDATING:
            batch.status = ImportBatch.Status.FAILED
        else:
            batch.status = ImportBatch.Status.CANCELLED
        batch.message = _("超过一天未完成，上传的文件已删除，未写入任何数据。如需导入请重新上传。")
        batch.save(update_fields=["status", "message", "updated_at"])
        _discard_file(batch)
        ended += 1
    # A batch that ended before its file could go (a crash in between) loses it too.
    for batch in ImportBatch.objects.filter(updated_at__lt=cutoff).exclude(file="").iterator():
        _discard_file(batch)
    return ended
