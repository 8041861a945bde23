"""Background work (federation.background): a task runs outside the request or inline, reports its
progress with a sign of life, and is told stalled when it has been silent too long."""

import datetime as dt
import re
import threading
from pathlib import Path

from django.utils import timezone

from federation import background
from federation.models import ExportJob

ROOT = Path(__file__).resolve().parents[2]
APPS = ("federation", "unions", "members", "reports")


def test_with_background_on_a_task_runs_in_its_own_thread_and_closes_its_connection(settings):
    settings.IMPORT_BACKGROUND = True
    seen = {}

    def task(value):
        seen["thread"] = threading.current_thread().name
        seen["value"] = value

    thread = background.run(task, 42)
    thread.join(timeout=10)

    assert seen == {"thread": "background", "value": 42}
    assert not thread.is_alive()


def test_with_background_off_a_task_runs_inline(settings):
    settings.IMPORT_BACKGROUND = False
    seen = {}

    def task(value):
        seen["thread"] = threading.current_thread().name
        seen["value"] = value

    assert background.run(task, 42) is None
    assert seen == {"thread": threading.current_thread().name, "value": 42}


def test_a_report_stores_the_progress_and_a_sign_of_life_and_nothing_else(county_staff):
    job = ExportJob.objects.create(
        kind="members.exports.member_export", title="会员名单", created_by=county_staff
    )
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=20))
    job.refresh_from_db()
    assert background.is_stalled(job.updated_at)
    job.title = "held in memory, not reported"

    background.report(job, rows_done=7)

    job.refresh_from_db()
    assert (job.rows_done, job.title) == (7, "会员名单")
    assert not background.is_stalled(job.updated_at)


def test_work_is_stalled_only_after_the_stall_timeout():
    now = timezone.now()

    assert not background.is_stalled(now - background.STALLED_AFTER + dt.timedelta(seconds=5))
    assert background.is_stalled(now - background.STALLED_AFTER - dt.timedelta(seconds=5))


def test_percent_is_rounded_capped_and_zero_for_nothing_to_do():
    assert [background.percent(*p) for p in [(1, 3), (2000, 8000), (12, 10), (0, 0)]] == [33, 25, 100, 0]


def test_only_the_background_module_starts_threads():
    starts_threads = re.compile(
        r"^\s*(import|from)\s+(threading|_thread|concurrent\.futures|multiprocessing)\b", re.MULTILINE
    )
    found = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if starts_threads.search(path.read_text(encoding="utf-8"))
    )

    assert found == ["federation/background.py"]
