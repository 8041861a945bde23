"""Export jobs: a list export too big for one request (settings.EXPORT_INLINE_MAX_ROWS) is written in
the background (federation.background) while a page shows its progress, then downloaded by the user
who asked for it.

The job stores the list's export key (federation.exports.registry) and its query string, not a
queryset: the background rebuilds the exporter for the same user with the same filterset, so the
file holds exactly what the page would have exported.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone

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
    job = ExportJob.objects.create(
        kind=key,
        title=str(exporter.title),
        file_name=exporter.filename(),
        created_by=by,
        query=query.urlencode(),
    )
    background.run(write_task, job.pk)
    return job


def reusable(*, key: str, query: str, by: User) -> ExportJob | None:
    """The user's job for the same export and query, running (and alive) or done in the last
    REUSED_WITHIN; None when there is none."""
    recent = ExportJob.objects.filter(
        created_by=by, kind=key, query=query, created_at__gte=timezone.now() - REUSED_WITHIN
    )
    for job in recent.exclude(status=ExportJob.Status.FAILED).order_by("-created_at", "-id"):
        if recover_if_stalled(job).status != ExportJob.Status.FAILED:
            return job
    return None


def discard_old(*, now: dt.datetime | None = None) -> int:
    """Jobs older than a day go with their files (removed once the deletion commits:
    federation.uploads.fields). Returns how many went."""
    old = ExportJob.objects.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR)
    count = 0
    for job in old.iterator():
        job.delete()
        count += 1
    return count


def write_task(job_pk: int) -> None:
    """Write the job's workbook; any failure ends the job as 失败 (and is logged), as does a key that
    names no registered export (a job stored by a version that had it)."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_pk)
    try:
        exporter = registry.get(job.kind)(job.created_by, QueryDict(job.query))
        total = exporter.queryset.count()
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

        def progress(done: int) -> None:
            background.report(job, rows_done=done)

        with tempfile.TemporaryFile(suffix=f".{exporter.format}") as file:
            count = write_file(exporter, file, progress)
            file.seek(0)
            job.file.save(f"export.{exporter.format}", File(file), save=False)
        job.rows_done = job.rows_total = count
        job.status = ExportJob.Status.DONE
    except registry.UnknownExport:
        log.warning("export job %s: no export is registered under %r", job.pk, job.kind)
        job.status = ExportJob.Status.FAILED
    except Exception:
        log.exception("export job %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save()


def recover_if_stalled(job: ExportJob) -> ExportJob:
    """A job whose thread died with its process (a restart) would stay 进行中 for ever: end it."""
    if job.status == ExportJob.Status.RUNNING and background.is_stalled(job.updated_at):
        job.status = ExportJob.Status.FAILED
        job.finished_at = timezone.now()
        job.save()
    return job


def export_response(request: HttpRequest, key: str) -> HttpResponse:
    """A list's `?format=xlsx` (or csv): the export registered under `key` gives the list's exporter (the
    same scoped, filtered queryset as the page). Up to settings.EXPORT_INLINE_MAX_ROWS rows the file is
    written now; above, an export job writes it in the background and the user is sent to its page."""
    exporter = registry.get(key)(request.user, request.GET)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    if exporter.queryset.order_by()[: limit + 1].count() <= limit:
        return download_response(exporter)
    job = start(key=key, exporter=exporter, query=request.GET, by=request.user)
    return redirect("exports:detail", job.pk)
