"""The list exports, by key: what an export job (ExportJob.kind) names to be written again in the
background.

Each app registers its lists' exporter builders at start-up (AppConfig.ready), so that this package
never imports the apps that build on it. A builder is `builder(user, query) -> ListExporter`: the
list's scoped, filtered queryset for that user and query string, in the list's exporter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# builder(user, query) -> federation.exports.base.ListExporter
ExporterBuilder = Callable[..., Any]

_builders: dict[str, ExporterBuilder] = {}


class UnknownExport(LookupError):
    """No export is registered under this key (a job stored by a version that had it)."""


def register(key: str, builder: ExporterBuilder) -> None:
    """Register a list's export under `key` (short: it is stored in ExportJob.kind)."""
    registered = _builders.get(key)
    if registered is not None and registered != builder:
        raise ImproperlyConfigured(f"Two exports are registered under the key {key!r}.")
    _builders[key] = builder


def keys() -> list[str]:
    """Every list export's key, in the order the apps registered them."""
    return list(_builders)


def get(key: str) -> ExporterBuilder:
    try:
        return _builders[key]
    except KeyError:
        raise UnknownExport(key) from None


# --- Jobs that are not list exports ------------------------------------------------------------------
# The summary's PDF and workbook and its 定稿 (reports registers them) run as export jobs too, so that
# one queue, one job row and one progress page serve every long piece of work.


class JobRunner:
    """A kind of job that is not a list export. `run(job, progress)` does the work for job.created_by
    from job.query and returns the file's bytes (saved under job.file_name) — or None for a job whose
    result is a page (it sets job.result_url). `progress(done, total)` reports steps.

    An `atomic` runner writes records (定稿): it runs in one transaction with the job's row locked,
    the job marked done in the same transaction, so it happens exactly once however often its task is
    delivered. Raising ValidationError ends the job as failed with that (Chinese) message."""

    atomic = False

    def run(self, job: Any, progress: Callable[[int, int], None]) -> bytes | None:
        raise NotImplementedError


_runners: dict[str, JobRunner] = {}


def register_job(key: str, runner: JobRunner) -> None:
    registered = _runners.get(key)
    if registered is not None and type(registered) is not type(runner):
        raise ImproperlyConfigured(f"Two jobs are registered under the key {key!r}.")
    _runners[key] = runner


def job_runner(key: str) -> JobRunner | None:
    """The runner of a job kind that is not a list export; None for a list export's key."""
    return _runners.get(key)
