"""The writes of an import, shared by the web pages and the CLI: keep the uploaded file as an
ImportBatch, validate it (phase one), commit it in one transaction (phase two) or cancel it.

The batch is the record DESIGN.md asks for: who, when, file name, sha256, and the counts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import scoping
from federation.imports import engine
from federation.imports.reader import ImportFileError, max_upload_bytes
from federation.imports.registry import spec_class
from federation.models import ImportBatch

UNION_KINDS = (ImportBatch.Kind.MEMBERS,)


def _require_scope(by, kind: str, union, federation) -> None:
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
    *, kind: str, file, file_name: str, by, union=None, federation=None, year: int | None = None
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
    batch.file.save("upload.xlsx", File(file), save=False)
    batch.save()
    return batch


def spec_for(batch: ImportBatch) -> engine.ImportSpec:
    scope = {"union": batch.union} if batch.kind in UNION_KINDS else {"federation": batch.federation}
    if batch.kind not in UNION_KINDS and batch.union_id:
        scope = {"union": batch.union, "federation": batch.federation}
    return spec_class(batch.kind)(user=batch.created_by, year=batch.year, **scope)


def _store_outcome(batch: ImportBatch, outcome: engine.ImportOutcome) -> None:
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
    }


def _progress_saver(batch: ImportBatch):
    def save(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(progress_done=done, progress_total=total)

    return save


def batch_validate(batch: ImportBatch) -> engine.ImportOutcome | None:
    """Phase one: check every row and store the counts and problems on the batch (待确认 when the
    file may be committed, 有错误 when it may not, 文件无法导入 for a bad file). Writes nothing else."""
    try:
        outcome = engine.validate_file(spec_for(batch), batch.file.path, progress=_progress_saver(batch))
    except ImportFileError as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.message = str(exc)
        batch.save()
        _discard_file(batch)
        return None
    _store_outcome(batch, outcome)
    batch.status = ImportBatch.Status.READY if outcome.may_commit else ImportBatch.Status.INVALID
    batch.save()
    return outcome


def batch_commit(*, batch: ImportBatch, by) -> ImportBatch:
    """Phase two: validate the stored file again (the records may have changed since the preview)
    and write every row in one transaction. With any error or conflict nothing is written."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.READY:
            raise ValidationError(
                _("该导入的状态为“%(s)s”，不能确认导入。") % {"s": locked.get_status_display()}
            )
        _require_scope(by, locked.kind, locked.union, locked.federation)
        spec = spec_for(locked)
        spec.user = by
        try:
            outcome = engine.validate_file(spec, locked.file.path)
            engine.commit(spec, outcome, progress=_progress_saver(locked))
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        _store_outcome(locked, outcome)
        locked.status = ImportBatch.Status.COMMITTED
        locked.committed_at = timezone.now()
        locked.save()
    _discard_file(locked)
    return locked


def batch_cancel(*, batch: ImportBatch, by) -> ImportBatch:
    if batch.status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.COMMITTING):
        raise ValidationError(_("已导入的数据不能取消。"))
    _require_scope(by, batch.kind, batch.union, batch.federation)
    batch.status = ImportBatch.Status.CANCELLED
    batch.save(update_fields=["status", "updated_at"])
    _discard_file(batch)
    return batch


def _discard_file(batch: ImportBatch) -> None:
    """The file holds people's ID numbers: it is kept only while it may still be committed."""
    if batch.file:
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
