"""Private file fields: a random stored name, the original name kept on the record, a `url` that names
the record's download view (never MEDIA_URL), and the file removed from storage once the transaction
that replaced or deleted it has committed.

    scan = PrivateFileField(_("合同扫描件"), upload_to=RandomName("contracts"), blank=True,
                            download_view="unions:contract-scan", name_field="scan_name")

`download_view` and `name_field` are runtime behaviour, not schema: they stay out of migrations.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils.deconstruct import deconstructible

SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")


@deconstructible
class RandomName:
    """upload_to: `<folder>/<32 random hex digits><suffix>` — nothing of the original name (which may
    be a person's name) and nothing to guess. The suffix is kept when it is a plain extension."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: models.Model, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        return f"{self.folder}/{uuid.uuid4().hex}{suffix if SAFE_SUFFIX.match(suffix) else ''}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def remove_after_commit(storage: Storage, name: str | None) -> None:
    """Delete `name` from `storage` once the current transaction commits (at once outside one): a
    rollback keeps the record and its file together."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class _PrivateUrl:
    """The file's URL is its record's download view, which asks the scoping module."""

    field: PrivateFileField | PrivateImageField
    instance: models.Model

    @property
    def url(self) -> str:
        self._require_file()  # type: ignore[attr-defined]
        if not self.field.download_view:
            raise ValueError(f"{self.field} has no download view: it is never served")
        return reverse(self.field.download_view, args=[self.instance.pk])

    @property
    def original_name(self) -> str:
        """The name the file had when it was uploaded (the stored name is random)."""
        name_field = self.field.name_field
        kept = getattr(self.instance, name_field, "") if name_field else ""
        return kept or PurePath(self.name or "").name  # type: ignore[attr-defined]


class PrivateFieldFile(_PrivateUrl, FieldFile):
    pass


class PrivateImageFieldFile(_PrivateUrl, ImageFieldFile):
    pass


class PrivateFieldMixin:
    """What both private fields share: the original name, and removal of replaced or deleted files."""

    def _private_init(self, kwargs: dict) -> dict:
        self.download_view: str | None = kwargs.pop("download_view", None)
        self.name_field: str | None = kwargs.pop("name_field", None)
        # The form field that checks an upload's content (federation.uploads.content).
        self.form_class = kwargs.pop("form_class", None)
        return kwargs

    def formfield(self, **kwargs):
        if self.form_class is not None:
            kwargs.setdefault("form_class", self.form_class)
        return super().formfield(**kwargs)  # type: ignore[misc]

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)  # type: ignore[attr-defined]
        if file and not file._committed and self.name_field:
            setattr(model_instance, self.name_field, PurePath(file.name).name[:255])
        return super().pre_save(model_instance, add)  # type: ignore[misc]

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)  # type: ignore[misc]
        if cls._meta.abstract:
            return
        uid = f"private-file:{cls._meta.label}.{name}"
        pre_save.connect(self._remember_stored_name, sender=cls, weak=False, dispatch_uid=uid)
        post_save.connect(self._remove_replaced, sender=cls, weak=False, dispatch_uid=uid)
        post_delete.connect(self._remove_deleted, sender=cls, weak=False, dispatch_uid=uid)

    @property
    def _memo(self) -> str:
        return f"_stored_{self.attname}"  # type: ignore[attr-defined]

    def _remember_stored_name(self, sender, instance, raw=False, update_fields=None, **kwargs) -> None:
        if raw or instance._state.adding or instance.pk is None:
            return
        if update_fields is not None and self.name not in update_fields:  # type: ignore[attr-defined]
            return
        stored = sender._base_manager.filter(pk=instance.pk).values_list(self.attname, flat=True).first()  # type: ignore[attr-defined]
        instance.__dict__[self._memo] = stored or ""

    def _remove_replaced(self, sender, instance, raw=False, **kwargs) -> None:
        stored = instance.__dict__.pop(self._memo, "")
        current = getattr(instance, self.attname)  # type: ignore[attr-defined]
        if stored and stored != (current.name or ""):
            remove_after_commit(current.storage, stored)

    def _remove_deleted(self, sender, instance, **kwargs) -> None:
        file = getattr(instance, self.attname)  # type: ignore[attr-defined]
        if file:
            remove_after_commit(file.storage, file.name)


class PrivateFileField(PrivateFieldMixin, models.FileField):
    attr_class = PrivateFieldFile

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **self._private_init(kwargs))


class PrivateImageField(PrivateFieldMixin, models.ImageField):
    attr_class = PrivateImageFieldFile

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **self._private_init(kwargs))
