"""Background work: what imports and export jobs do outside the request, through one small interface.

- `run(task, *args)` runs the work: in a thread when settings.IMPORT_BACKGROUND is on (the default
  outside the test suite), inline otherwise. A task is a module-level function and its arguments are
  plain values (primary keys, not objects), so that a job queue can take the thread's place here
  without touching its callers.
- `report(record, **fields)` records how far the work has come on its own record, and with it a sign
  of life (`updated_at`); `percent()` and `status_response()` show it, as a page and as the JSON its
  progress bar polls (static/js/import_progress.js).
- `is_stalled(updated_at)`: silent for too long, the work died with its process (a restart, a crash).
  What then happens to the record is its owner's rule (an import's check fails, its commit is to be
  confirmed again; an export job fails).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.http import JsonResponse
from django.utils import timezone

# Background work reports at least every batch of rows; silent for this long, it died with its
# process (a restart, a crash). A 100 000-row import or a county's export takes seconds, not minutes.
STALLED_AFTER = dt.timedelta(minutes=15)


def run(task: Callable[..., object], *args: object) -> threading.Thread | None:
    """Run `task(*args)` now (tests, CLI) or in a background thread (settings.IMPORT_BACKGROUND), so
    that a 100 000-row file or a county's export does not hold the request; its page polls the
    record's progress meanwhile. Returns the thread when there is one."""
    if not getattr(settings, "IMPORT_BACKGROUND", False):
        task(*args)
        return None

    def target() -> None:
        try:
            task(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=target, daemon=True, name="background")
    thread.start()
    return thread


def report(record: Model, **progress: int) -> None:
    """Store the work's progress fields on its record (not the record's other fields, which the work
    may hold changed in memory), with `updated_at` as its last sign of life (see is_stalled)."""
    type(record)._default_manager.filter(pk=record.pk).update(updated_at=timezone.now(), **progress)


def percent(done: int, total: int) -> int:
    return min(100, round(100 * done / total)) if total else 0


def is_stalled(last_sign_of_life: dt.datetime) -> bool:
    return last_sign_of_life < timezone.now() - STALLED_AFTER


def status_response(*, status: str, label: str, done: int, total: int, finished: bool) -> JsonResponse:
    return JsonResponse(
        {
            "status": status,
            "label": label,
            "done": done,
            "total": total,
            "percent": percent(done, total),
            "finished": finished,
        }
    )
