"""Writes on activities that carry more than a form's save: removing a photo."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import record_as
from unions.activities.models import ActivityPhoto


@transaction.atomic
def activity_photo_delete(*, photo: ActivityPhoto, by) -> None:
    """删除照片: the record goes (its history keeps who removed it) and, once the transaction has
    committed, the file leaves the storage — never before, so that a rollback keeps both (the photo
    field does that for every deletion: federation.uploads.fields)."""
    if not scoping.can_change(by, photo.activity):
        raise PermissionDenied(_("您无权删除该活动的照片。"))
    record_as(photo, by)
    photo.delete()
