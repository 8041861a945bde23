"""The Celery tasks of the ground floor (found by federation/celery.py's autodiscovery). Each takes
primary keys, finds its row, and does nothing when the row says the work is already done: a task is
acknowledged late and may be delivered again (federation.background)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command

from federation.exports import jobs as export_jobs
from federation.imports import batches


@shared_task(name="federation.import_validate")
def import_validate(batch_pk: int) -> None:
    batches.validate_task(batch_pk)


@shared_task(name="federation.import_commit")
def import_commit(batch_pk: int, by_pk: int) -> None:
    batches.commit_task(batch_pk, by_pk)


@shared_task(name="federation.export_write")
def export_write(job_pk: int) -> None:
    export_jobs.write_task(job_pk)


@shared_task(name="federation.cleanup")
def cleanup() -> None:
    """What `manage.py cleanup` does, run daily by beat (settings.PERIODIC_TASKS)."""
    call_command("cleanup")
