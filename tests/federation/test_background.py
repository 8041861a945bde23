"""Long work on the queue (federation.background, federation.tasks): tasks run in-process with no
broker and after the commit with one; a task counts its attempts on its row, does nothing for a row
already done (a task delivered again), completes exactly once when taken up again after its worker
died, and gives up with a Chinese reason after too many attempts. Any server shows the state."""

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from federation import background, tasks
from federation.celery import app as celery_app
from federation.exports import jobs as export_jobs
from federation.imports import batches
from federation.models import ExportJob, ImportBatch
from members.models import Member
from tests.support.roster_workbooks import roster

ROOT = Path(__file__).resolve().parents[2]
APPS = ("federation", "unions", "members", "reports")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ready_batch(tmp_path, settings, union_a, cadre_a):
    settings.MEDIA_ROOT = tmp_path / "media"
    with open(roster(tmp_path / "r.xlsx", 3), "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a
        )
    batches.batch_validate(batch)
    assert batch.status == ImportBatch.Status.READY
    return batch


def _settings_of(**env: str) -> dict:
    """Settings as a fresh process reads them from this environment (the suite's own are set)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'eager': s.CELERY_TASK_ALWAYS_EAGER, 'cache': s.CACHES['default']['BACKEND'], "
        "'acks_late': s.CELERY_TASK_ACKS_LATE, 'lost': s.CELERY_TASK_REJECT_ON_WORKER_LOST, "
        "'prefetch': s.CELERY_WORKER_PREFETCH_MULTIPLIER, 'serializer': s.CELERY_TASK_SERIALIZER}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "federation.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_broker_tasks_run_in_process_and_the_cache_is_local_memory():
    seen = _settings_of()
    assert seen["eager"] is True
    assert seen["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_with_a_broker_tasks_go_to_workers_acknowledged_late_and_the_cache_is_redis():
    seen = _settings_of(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", REDIS_URL="redis://127.0.0.1:6379/1")
    assert seen == {
        "eager": False,
        "cache": "django.core.cache.backends.redis.RedisCache",
        "acks_late": True,
        "lost": True,
        "prefetch": 1,
        "serializer": "json",
    }


def test_with_no_broker_a_task_runs_now(ready_batch, cadre_a):
    batches.batch_start_commit(batch=ready_batch, by=cadre_a)

    background.enqueue(tasks.import_commit, ready_batch.pk, cadre_a.pk)

    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED
    assert Member.objects.count() == 3


def test_with_a_broker_a_task_is_sent_only_once_its_row_is_committed(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(tasks.export_write, "apply_async", lambda args: sent.append(args))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        background.enqueue(tasks.export_write, 42)
        assert sent == []  # not before the commit: the worker would not find the row

    for callback in callbacks:
        callback()
    assert sent == [(42,)]


def test_a_commit_delivered_again_after_it_completed_does_nothing(ready_batch, cadre_a):
    batches.batch_start_commit(batch=ready_batch, by=cadre_a)
    batches.commit_task(ready_batch.pk, cadre_a.pk)
    ready_batch.refresh_from_db()
    committed_at = ready_batch.committed_at

    batches.commit_task(ready_batch.pk, cadre_a.pk)  # the same message again (its ack was lost)

    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED
    assert ready_batch.committed_at == committed_at
    assert ready_batch.attempts == 1
    assert Member.objects.count() == 3


def test_a_commit_whose_worker_died_completes_once_when_delivered_again(ready_batch, cadre_a, client):
    # The first worker took it up (attempt 1) and was killed: its transaction left nothing.
    batches.batch_start_commit(batch=ready_batch, by=cadre_a)
    ImportBatch.objects.filter(pk=ready_batch.pk).update(attempts=1, progress_done=2, progress_total=3)
    client.force_login(cadre_a)
    assert client.get(reverse("imports:status", args=[ready_batch.pk])).json()["finished"] is False

    batches.commit_task(ready_batch.pk, cadre_a.pk)

    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED
    assert ready_batch.attempts == 2
    assert Member.objects.count() == 3
    assert len(set(Member.objects.values_list("id_number", flat=True))) == 3


def test_a_stale_copy_of_the_batch_cannot_commit_it_twice(ready_batch, cadre_a):
    """Two deliveries at once (the broker thought the first worker dead): the second reaches the write
    with a copy read while the batch was still 正在导入; the locked row stops it."""
    batches.batch_start_commit(batch=ready_batch, by=cadre_a)
    stale = ImportBatch.objects.get(pk=ready_batch.pk)
    batches.commit_task(ready_batch.pk, cadre_a.pk)

    original_refresh = ImportBatch.refresh_from_db
    calls = []

    def stays_stale(self, *args, **kwargs):
        if not calls:  # batch_commit's first look still sees 正在导入
            calls.append(1)
            return None
        return original_refresh(self, *args, **kwargs)

    ImportBatch.refresh_from_db = stays_stale
    try:
        batches.batch_commit(batch=stale, by=cadre_a)
    finally:
        ImportBatch.refresh_from_db = original_refresh

    assert Member.objects.count() == 3
    assert ImportBatch.objects.get(pk=ready_batch.pk).status == ImportBatch.Status.COMMITTED


@pytest.mark.parametrize(
    ("status", "after", "message"),
    [
        (ImportBatch.Status.VALIDATING, ImportBatch.Status.FAILED, "请重新上传"),
        (ImportBatch.Status.COMMITTING, ImportBatch.Status.READY, "请重新确认导入"),
    ],
)
def test_an_import_whose_workers_died_too_often_is_ended_with_a_chinese_reason(
    client, union_a, cadre_a, status, after, message
):
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MEMBERS,
        status=status,
        union=union_a,
        federation=union_a.federation,
        created_by=cadre_a,
        file_name="花名册.xlsx",
        sha256="0" * 64,
        attempts=background.MAX_ATTEMPTS,
    )

    task = batches.validate_task if status == ImportBatch.Status.VALIDATING else batches.commit_task
    task(*((batch.pk,) if status == ImportBatch.Status.VALIDATING else (batch.pk, cadre_a.pk)))

    batch.refresh_from_db()
    assert batch.status == after
    client.force_login(cadre_a)
    assert message in client.get(reverse("imports:detail", args=[batch.pk])).text
    assert not Member.objects.exists()


def test_an_import_waiting_for_a_worker_says_so_and_one_taken_up_again_says_which_attempt(
    client, union_a, cadre_a
):
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MEMBERS,
        status=ImportBatch.Status.COMMITTING,
        union=union_a,
        federation=union_a.federation,
        created_by=cadre_a,
        file_name="花名册.xlsx",
        sha256="0" * 64,
    )
    client.force_login(cadre_a)
    assert client.get(reverse("imports:status", args=[batch.pk])).json()["label"] == "排队等候"
    assert "排队等候" in client.get(reverse("imports:detail", args=[batch.pk])).text

    ImportBatch.objects.filter(pk=batch.pk).update(attempts=2)
    assert client.get(reverse("imports:status", args=[batch.pk])).json()["label"] == "正在导入（第2次尝试）"


def test_an_export_job_delivered_again_after_it_finished_is_left_as_it_is(county_staff, media):
    job = ExportJob.objects.create(kind="no.such.export", title="会员名单", created_by=county_staff)
    export_jobs.write_task(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.FAILED, 1)
    assert job.message  # a Chinese reason for its page

    export_jobs.write_task(job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.FAILED, 1)


def test_an_export_job_whose_workers_died_too_often_fails_with_a_chinese_reason(client, county_staff):
    job = ExportJob.objects.create(
        kind="members.exports.member_export",
        title="会员名单",
        created_by=county_staff,
        attempts=background.MAX_ATTEMPTS,
    )

    export_jobs.write_task(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    client.force_login(county_staff)
    assert "处理多次中断" in client.get(reverse("exports:detail", args=[job.pk])).text


def test_a_report_stores_the_progress_and_nothing_else(county_staff):
    job = ExportJob.objects.create(
        kind="members.exports.member_export", title="会员名单", created_by=county_staff
    )
    job.title = "held in memory, not reported"

    background.report(job, rows_done=7)

    job.refresh_from_db()
    assert (job.rows_done, job.title) == (7, "会员名单")


def test_percent_is_rounded_capped_and_zero_for_nothing_to_do():
    assert [background.percent(*p) for p in [(1, 3), (2000, 8000), (12, 10), (0, 0)]] == [33, 25, 100, 0]


def test_every_periodic_task_names_a_registered_task_and_the_cleanup_is_one():
    celery_app.loader.import_default_modules()
    from django.conf import settings

    assert "cleanup" in settings.PERIODIC_TASKS
    assert settings.CELERY_BEAT_SCHEDULE is settings.PERIODIC_TASKS
    for entry in settings.PERIODIC_TASKS.values():
        assert entry["task"] in celery_app.tasks


def test_the_periodic_cleanup_ends_stale_batches_as_the_command_does(union_a, cadre_a, settings, tmp_path):
    import datetime as dt

    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MEMBERS,
        status=ImportBatch.Status.READY,
        union=union_a,
        created_by=cadre_a,
        file_name="花名册.xlsx",
        file="imports/x.xlsx",
        sha256="0" * 64,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))

    tasks.cleanup.apply(throw=True)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED


def test_no_module_starts_threads():
    """Long work goes to the queue; a thread in a web process dies with it (a graceful restart)."""
    starts_threads = re.compile(
        r"^\s*(import|from)\s+(threading|_thread|concurrent\.futures|multiprocessing)\b", re.MULTILINE
    )
    found = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if starts_threads.search(path.read_text(encoding="utf-8"))
    )

    assert found == []


def test_a_checks_progress_is_stored_at_the_start_at_most_twice_a_second_and_at_the_end(
    ready_batch, monkeypatch
):
    stored = []
    monkeypatch.setattr(
        background, "report", lambda batch, **progress: stored.append(progress["progress_done"])
    )
    clock = iter([100.0, 100.1, 100.2, 100.7, 100.8, 100.9])
    monkeypatch.setattr(batches, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    save = batches._progress_saver(ready_batch)
    for done in (2000, 4000, 6000, 8000, 10000, 12000):
        save(done, 12000)
    assert stored == [2000, 8000, 12000]
