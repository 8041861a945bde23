"""The periodic work of members on the queue (celery -A federation beat; settings.PERIODIC_TASKS)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="members.join_applications_purge")
def join_applications_purge() -> int:
    """Daily: delete 入会申请 rejected or left undecided for 90 days, with their personal data."""
    from members.services.applications import join_applications_purge as purge

    return purge()
