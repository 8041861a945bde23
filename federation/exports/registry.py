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


def get(key: str) -> ExporterBuilder:
    try:
        return _builders[key]
    except KeyError:
        raise UnknownExport(key) from None
