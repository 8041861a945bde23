"""The summary's PDF, workbook and 定稿 run as jobs on the queue (reports.jobs): the page sends the
user to the job's page, which shows it queued, then its file or its result; 定稿 happens exactly once
however often its task is delivered, and a worker dying midway leaves no version."""

import datetime as dt

import pytest
from django.urls import reverse

from federation.exports import jobs as export_jobs
from federation.models import ExportJob
from reports import jobs
from reports.models import SummaryVersion
from tests.support.factories import MemberFactory, UnionYearFactory
from tests.support.jobs import job_of

Y = 2025


@pytest.fixture
def records(county, union_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    UnionYearFactory(union=union_a, year=Y, employees=40)
    MemberFactory(union=union_a, joined_on=dt.date(2020, 1, 1))
    return county


@pytest.fixture
def queued(settings, django_capture_on_commit_callbacks):
    """A broker is configured, and no worker takes anything: jobs stay queued."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        yield callbacks


def _finalise_job(county, chair, **fields) -> ExportJob:
    return ExportJob.objects.create(
        kind=jobs.FINALISE, title="定稿", created_by=chair, query=f"federation={county.pk}&year={Y}", **fields
    )


def test_the_pdf_waits_in_the_queue_on_its_page_and_a_second_click_is_the_same_job(
    client, records, county_staff, queued
):
    client.force_login(county_staff)
    url = reverse("reports:summary-pdf", args=[records.pk, Y])

    job = job_of(client.get(url))

    assert job.status == ExportJob.Status.RUNNING and job.kind == jobs.PDF
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "排队等候" in page and "正在后台处理" in page
    assert client.get(reverse("exports:status", args=[job.pk])).json()["finished"] is False
    assert job_of(client.get(url)) == job


def test_the_job_of_the_pdf_is_its_creators_alone(client, records, county_staff, county_chair):
    client.force_login(county_staff)
    job = job_of(client.get(reverse("reports:summary-pdf", args=[records.pk, Y])))
    client.force_login(county_chair)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_finalise_delivered_twice_makes_one_version(client, records, county_chair):
    client.force_login(county_chair)
    job = job_of(client.post(reverse("reports:summary-finalise", args=[records.pk, Y])))
    assert job.status == ExportJob.Status.DONE

    export_jobs.write_task(job.pk)  # the same message again (its acknowledgement was lost)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 1)
    assert SummaryVersion.objects.count() == 1
    assert job.result_url == reverse("reports:summary", args=[records.pk, Y])  # 已定稿 · 第1版 there


def test_a_finalise_whose_worker_died_finalises_once_when_delivered_again(records, county_chair):
    job = _finalise_job(records, county_chair, attempts=1)  # taken up once; its worker was killed

    export_jobs.write_task(job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 2)
    assert SummaryVersion.objects.get().number == 1
    assert "已定稿（第1版）" in job.message


def test_a_finalise_that_dies_after_storing_the_version_leaves_no_version(records, county_chair, monkeypatch):
    """The version and the job's 已完成 are one transaction: a failure between them undoes both, and
    the next delivery finalises from scratch (not 'already finalised')."""
    job = _finalise_job(records, county_chair)
    real_end = export_jobs._end

    def dies_before_done(job, *, failed=""):
        if not failed:
            raise RuntimeError("the worker died here")
        real_end(job, failed=failed)

    monkeypatch.setattr(export_jobs, "_end", dies_before_done)
    export_jobs.write_task(job.pk)
    assert not SummaryVersion.objects.exists()

    monkeypatch.setattr(export_jobs, "_end", real_end)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, message="")
    export_jobs.write_task(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert SummaryVersion.objects.count() == 1


def test_a_finalise_job_for_a_federation_no_longer_in_scope_fails_in_chinese(records, outside_staff):
    job = _finalise_job(records, outside_staff)

    export_jobs.write_task(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.message == "该联合会或年度已不可用。"
    assert not SummaryVersion.objects.exists()
