"""The periodic work of members on the queue (celery -A federation beat; settings.PERIODIC_TASKS)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(name="members.join_applications_purge")
def join_applications_purge() -> None:
    """Daily: what `manage.py purge_join_applications` does — delete 入会申请 rejected or left
    undecided for 90 days, with their personal data."""
    call_command("purge_join_applications")
