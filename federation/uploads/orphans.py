"""Stored files no record names any more — a scan replaced before replaced files were removed, an
upload whose request died between storing the file and saving its record, the checked rows kept beside
an import file (`<name>.rows`) — removed once they are older than a day (`manage.py cleanup`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from federation.uploads.fields import PrivateFieldMixin, RandomName
from federation.uploads.storage import walk

# Files written beside a stored file, named after it (federation.imports.kept_rows).
COMPANION_SUFFIXES = (".rows",)


def private_fields() -> Iterator[tuple[type, PrivateFieldMixin]]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, PrivateFieldMixin):
                yield model, field


def remove_orphaned_files(
    *, older_than: dt.timedelta, storage: Storage | None = None, now: dt.datetime | None = None
) -> int:
    """Every file in the private fields' folders that no record names, not modified for
    `older_than` (before `now`). Works on any storage that lists folders and gives modification
    times: the disk, S3. Returns how many were removed."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - older_than
    named: set[str] = set()
    folders: set[str] = set()
    for model, field in private_fields():
        if isinstance(field.upload_to, RandomName):  # type: ignore[attr-defined]
            folders.add(field.upload_to.folder)  # type: ignore[attr-defined]
        named.update(
            model._base_manager.exclude(**{field.attname: ""})  # type: ignore[attr-defined]
            .values_list(field.attname, flat=True)  # type: ignore[attr-defined]
            .iterator()
        )
    removed = 0
    for folder in sorted(folders):
        for name in walk(storage, folder):
            owner = next((name[: -len(s)] for s in COMPANION_SUFFIXES if name.endswith(s)), name)
            if owner in named:
                continue
            try:
                if storage.get_modified_time(name) >= cutoff:
                    continue
            except (FileNotFoundError, NotImplementedError):
                continue
            storage.delete(name)
            removed += 1
    return removed
