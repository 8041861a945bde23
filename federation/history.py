"""Who made a change, in the history every record keeps (django-simple-history): a write saves the
record through `save_as`, which names the user (and, where it helps a reader, why). Every model keeps
its history through this module's `HistoricalRecords`, whose history models have Chinese names."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import format_lazy
from simple_history import models as simple_history


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple-history's history, its models named in Chinese: 「会员历史记录」 where simple-history
    writes 「historical 会员」 (an English word it gives no translation for), and 「集体合同（覆盖基层
    工会）历史记录」 for a many-to-many field's history instead of its class name. The admin shows
    these names, and the permission names are built from them (federation.permission_names)."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy("{}历史记录", model._meta.verbose_name)
        if not self.user_set_verbose_name_plural:
            options["verbose_name_plural"] = format_lazy("{}历史记录", model._meta.verbose_name_plural)
        return options

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        for field in self.get_m2m_fields_from_model(self.cls):
            if field.remote_field.through is through_model:
                options["verbose_name"] = format_lazy(
                    "{}（{}）历史记录", self.cls._meta.verbose_name, field.verbose_name
                )
                options["verbose_name_plural"] = options["verbose_name"]
        return options


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
