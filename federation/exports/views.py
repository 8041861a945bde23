"""The page of an export job (progress, then 下载 — or the page it made, for 定稿) and its download,
for its creator only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from federation import background, scoping
from federation.exports import registry
from federation.exports.base import content_type_of
from federation.models import ExportJob
from federation.uploads.serving import file_response


def _job(request, pk: int) -> ExportJob:
    return scoping.get_visible_or_404(request.user, ExportJob, pk=pk)


def _done_and_total(job: ExportJob) -> tuple[int, int]:
    """A finished job is complete even when its list was empty."""
    if job.status == ExportJob.Status.DONE:
        return 1, 1
    return job.rows_done, job.rows_total


@login_required
def export_detail(request, pk: int):
    job = _job(request, pk)
    running = job.status == ExportJob.Status.RUNNING
    return render(
        request,
        "federation/export_detail.html",
        {
            "job": job,
            "running": running,
            "state_label": background.state_label(job, running=running),
            "is_list": registry.job_runner(job.kind) is None,
            "percent": background.percent(*_done_and_total(job)),
        },
    )


@login_required
def export_status(request, pk: int):
    job = _job(request, pk)
    return background.status_response(
        status=job.status,
        label=background.state_label(job, running=job.status == ExportJob.Status.RUNNING),
        done=job.rows_done,
        total=job.rows_total,
        finished=job.status != ExportJob.Status.RUNNING,
    )


@login_required
def export_download(request, pk: int):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return file_response(job.file, filename=job.file_name, content_type=content_type_of(job.file_name))
