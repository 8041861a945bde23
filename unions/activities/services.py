"""Writes on activities that carry more than a form's save: adding photos, removing one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import record_as, save_as
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


@transaction.atomic
def activity_photos_add(*, activity, by, images: list, caption: str = "") -> list[ActivityPhoto]:
    """上传照片: every photo (checked and re-encoded already by its form field) or, when one cannot be
    saved, none — a file stored for a photo whose record rolled back is removed by `cleanup`."""
    if not scoping.can_change(by, activity):
        raise PermissionDenied(_("您无权为该活动上传照片。"))
    photos = []
    for image in images:
        photo = ActivityPhoto(activity=activity, image=image, caption=caption)
        save_as(photo, by)
        photos.append(photo)
    return photos
