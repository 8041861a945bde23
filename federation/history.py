"""Who made a change, in the history every record keeps (django-simple-history): a write saves the
record through `save_as`, which names the user (and, where it helps a reader, why)."""

from __future__ import annotations

from typing import Any

from django.db import models


def record_as(obj: models.Model, by: Any, *, reason: str | None = None) -> None:
    """Mark the next save of `obj` as made by `by` (the history row's 修改人), with `reason` (its
    修改原因, at most 100 characters) if given."""
    obj._history_user = by  # type: ignore[attr-defined]  # read by simple-history's post_save
    if reason is not None:
        obj._change_reason = reason[:100]  # type: ignore[attr-defined]


def save_as(obj: models.Model, by: Any, *, reason: str | None = None, **save_kwargs: Any) -> None:
    """Save `obj` with `by` (and `reason`) in its history row."""
    record_as(obj, by, reason=reason)
    obj.save(**save_kwargs)
