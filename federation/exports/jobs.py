"""Export jobs: a list export too big for one request (settings.EXPORT_INLINE_MAX_ROWS) — or the
summary's PDF, workbook or 定稿 (registry.JobRunner) — is done by a worker (federation.tasks,
federation.background) while a page shows its progress; its file is then downloaded by the user who
asked for it.

The job stores the list's export key (federation.exports.registry) and its query string, not a
queryset: the worker rebuilds the exporter for the same user with the same filterset, so the file
holds exactly what the page would have exported.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import background
from federation.exports import registry
from federation.exports.base import FORMAT_PARAMETER, XLSX, ListExporter, download_response, write_file
from federation.models import ExportJob, User

log = logging.getLogger(__name__)

KEPT_FOR = dt.timedelta(days=1)
# The same export asked for again within this long (a second click, a reload) is the same job.
REUSED_WITHIN = dt.timedelta(minutes=10)


def start(*, key: str, exporter: ListExporter, query: QueryDict, by: User) -> ExportJob:
    """Run the export as a job (dropping every job older than a day, with its file) — or, when the
    same user asked for the same list with the same query a moment ago and that job is still running
    or finished well, send them to it instead of writing the file twice."""
    discard_old()
    query = query.copy()
    query.pop(FORMAT_PARAMETER, None)
    if exporter.format != XLSX:  # the format is kept where it is not the default
        query[FORMAT_PARAMETER] = exporter.format
    same = reusable(key=key, query=query.urlencode(), by=by)
    if same is not None:
        return same
    return start_job(key=key, title=str(exporter.title), file_name=exporter.filename(), query=query, by=by)


def start_job(*, key: str, title: str, file_name: str, query: QueryDict, by: User) -> ExportJob:
    """Queue a job of kind `key` (a list export's key or a registry.JobRunner's) for `by`."""
    from federation import tasks  # the tasks module runs this module's write_task

    job = ExportJob.objects.create(
        kind=key, title=title, file_name=file_name, created_by=by, query=query.urlencode()
    )
    background.enqueue(tasks.export_write, job.pk)
    return job


def reusable(*, key: str, query: str, by: User, finished: bool = True) -> ExportJob | None:
    """The user's job for the same export and query, still running or (with `finished`) done in the
    last REUSED_WITHIN; None when there is none."""
    recent = ExportJob.objects.filter(
        created_by=by, kind=key, query=query, created_at__gte=timezone.now() - REUSED_WITHIN
    )
    statuses = [ExportJob.Status.RUNNING, ExportJob.Status.DONE] if finished else [ExportJob.Status.RUNNING]
    return recent.filter(status__in=statuses).order_by("-created_at", "-id").first()


def discard_old(*, now: dt.datetime | None = None) -> int:
    """Jobs older than a day go with their files (removed once the deletion commits:
    federation.uploads.fields). Returns how many went."""
    old = ExportJob.objects.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR)
    count = 0
    for job in old.iterator():
        job.delete()
        count += 1
    return count


FAILED_MESSAGE = _("生成文件时出错，请稍后重试或缩小筛选范围。")


def write_task(job_pk: int) -> None:
    """Do the job: write its list's workbook, or run its registry.JobRunner. Any failure ends the job
    as 失败 with a Chinese reason (and is logged), as does a key that names no registered export (a
    job stored by a version that had it). A job no longer running (a task delivered again) is left
    as it is."""
    job = background.begin(ExportJob, job_pk, running=(ExportJob.Status.RUNNING,))
    if job is None:
        return
    assert isinstance(job, ExportJob)
    if background.gave_up(job):
        log.error("export job %s: given up after %s attempts", job.pk, job.attempts)
        _end(job, failed=_("处理多次中断（服务器重启或内存不足）。请稍后重试或缩小筛选范围。"))
        return
    runner = registry.job_runner(job.kind)
    try:
        if runner is None:
            _write_list(job)
        elif runner.atomic:
            _run_atomic(job, runner)
            return
        else:
            content = runner.run(job, _steps(job))
            if content is not None:
                job.file.save(job.file_name, ContentFile(content), save=False)
    except registry.UnknownExport:
        log.warning("export job %s: no export is registered under %r", job.pk, job.kind)
        _end(job, failed=FAILED_MESSAGE)
        return
    except ValidationError as exc:
        _end(job, failed="；".join(exc.messages))
        return
    except SoftTimeLimitExceeded:
        log.error("export job %s ran out of time", job.pk)
        _end(job, failed=_("处理超时。请缩小筛选范围后重试。"))
        return
    except Exception:
        log.exception("export job %s failed", job.pk)
        _end(job, failed=FAILED_MESSAGE)
        return
    _end(job)


def _write_list(job: ExportJob) -> None:
    exporter = registry.get(job.kind)(job.created_by, QueryDict(job.query))
    total = exporter.counted = exporter.queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

    def progress(done: int) -> None:
        background.report(job, rows_done=done)

    with tempfile.TemporaryFile(suffix=f".{exporter.format}") as file:
        count = write_file(exporter, file, progress)
        file.seek(0)
        job.file.save(f"export.{exporter.format}", File(file), save=False)
    job.rows_done = job.rows_total = count


def _steps(job: ExportJob):
    def progress(done: int, total: int) -> None:
        background.report(job, rows_done=done, rows_total=total)

    return progress


def _run_atomic(job: ExportJob, runner: registry.JobRunner) -> None:
    """The runner's writes and the job's 已完成 in one transaction, the job's row locked and checked
    first: a second delivery waits, then finds the job done and does nothing; a worker killed midway
    leaves nothing, and the next delivery does it all. A ValidationError rolls back and propagates."""
    with transaction.atomic():
        if (
            not ExportJob.objects.select_for_update()
            .filter(pk=job.pk, status=ExportJob.Status.RUNNING)
            .exists()
        ):
            return
        content = runner.run(job, lambda done, total: None)  # inside the transaction: nobody sees steps
        if content is not None:
            job.file.save(job.file_name, ContentFile(content), save=False)
        _end(job)


def _end(job: ExportJob, *, failed: str = "") -> None:
    job.status = ExportJob.Status.FAILED if failed else ExportJob.Status.DONE
    if failed:
        job.message = failed
    job.finished_at = timezone.now()
    job.save()


def export_response(request: HttpRequest, key: str) -> HttpResponse:
    """A list's `?format=xlsx` (or csv): the export registered under `key` gives the list's exporter (the
    same scoped, filtered queryset as the page). Up to settings.EXPORT_INLINE_MAX_ROWS rows the file is
    written now; above, an export job writes it on a worker and the user is sent to its page."""
    exporter = registry.get(key)(request.user, request.GET)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    counted = exporter.queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        exporter.counted = counted
        return download_response(exporter)
    job = start(key=key, exporter=exporter, query=request.GET, by=request.user)
    return redirect("exports:detail", job.pk)
