"""Long work, through one small interface: what imports, export jobs and the summary's jobs do
outside the request.

- `enqueue(task, *args)` queues a Celery task (federation.tasks) once the current transaction
  commits; with no broker (settings.CELERY_TASK_ALWAYS_EAGER) the task runs now, in-process. Its
  arguments are primary keys: the row is the job, and any app server reads its state there.
- `begin(model, pk, running=…)` is how every task starts: it counts the attempt on the row and tells
  whether there is anything left to do. A task is acknowledged late and given back when its worker
  dies (settings.CELERY_TASK_ACKS_LATE), so it may run again: a row that is no longer running is left
  alone, and one tried MAX_ATTEMPTS times is given up (the caller ends it with a Chinese reason).
- `report(record, **fields)` records how far the work has come on its own row; `percent()` and
  `status_response()` show it, as a page and as the JSON its progress bar polls
  (static/js/import_progress.js).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# A job whose worker died this many times (killed, out of memory) is not tried again.
MAX_ATTEMPTS = 3


def enqueue(task: Any, *args: int) -> None:
    """Run the Celery task `task` with these primary keys: on a worker once the transaction that
    made its row commits (the worker must see the row), or now when there is no broker."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.apply(args=args, throw=True)
        return
    transaction.on_commit(lambda: task.apply_async(args=args))


def begin(model: type[Model], pk: int, *, running: tuple[str, ...]) -> Model | None:
    """Start (or start again) the job on row `pk` of `model`: None when the row is gone or no longer
    in one of the `running` states (a delivery of a job already done: nothing to do). Otherwise the
    row, its `attempts` counted; `attempts > MAX_ATTEMPTS` tells the caller to give up."""
    manager = model._default_manager
    if not manager.filter(pk=pk, status__in=running).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    ):
        return None
    return manager.get(pk=pk)


def gave_up(record: Model) -> bool:
    return getattr(record, "attempts", 0) > MAX_ATTEMPTS


def state_label(record: Any, *, running: bool) -> str:
    """The row's status as the pages show it, saying when its job still waits for a worker and when a
    worker took it up again after another one died."""
    label = str(record.get_status_display())
    if not running:
        return label
    if record.attempts == 0:
        return _("排队等候")
    if record.attempts > 1:
        return _("%(status)s（第%(n)s次尝试）") % {"status": label, "n": record.attempts}
    return label


def report(record: Model, **progress: int) -> None:
    """Store the work's progress fields on its row (not the row's other fields, which the work may
    hold changed in memory)."""
    type(record)._default_manager.filter(pk=record.pk).update(updated_at=timezone.now(), **progress)


def percent(done: int, total: int) -> int:
    return min(100, round(100 * done / total)) if total else 0


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
