"""What the background work of imports and export jobs shares: how far along it is, as a page and as
the JSON its progress bar polls (static/js/import_progress.js), and when silence means it died."""

from __future__ import annotations

import datetime as dt

from django.http import JsonResponse
from django.utils import timezone

# Background work reports at least every batch of rows; silent for this long, it died with its
# process (a restart, a crash). A 100 000-row import or a county's export takes seconds, not minutes.
STALLED_AFTER = dt.timedelta(minutes=15)


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
