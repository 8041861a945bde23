"""The summary's periodic work on the queue (celery -A federation worker / beat)."""

from __future__ import annotations

from celery import shared_task

from federation.models import Federation


@shared_task(name="reports.refresh_figures")
def refresh_figures(federation_pk: int, year: int, kind: str = "year") -> None:
    """Recompute one federation's stored figures for a year or half-year (a page found them out of
    date)."""
    from reports.indicators import stored

    federation = Federation.objects.filter(pk=federation_pk).first()
    if federation is not None:
        stored.refresh(federation, year, kind)


@shared_task(name="reports.refresh_due_figures")
def refresh_due_figures() -> None:
    """Every minute: recompute the stored figures of this year and last that writes made out of date."""
    from reports.indicators import stored

    stored.refresh_due()
