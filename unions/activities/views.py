"""Activity (活动) pages: list, detail with photos, create, edit, photo upload and removal. Reads come from
federation.scoping; the chair reads them all and gets a 403 on every write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import scoping
from federation.exports import base as exports
from federation.history import record_as
from federation.uploads.serving import file_response
from unions.activities.forms import ActivityForm, ActivityPhotoForm
from unions.activities.models import Activity, ActivityPhoto
from unions.activities.services import activity_photo_delete, activity_photos_add
from unions.lists import ACTIVITIES


@login_required
def activity_list(request):
    if exports.wants_export(request):
        return ACTIVITIES.export(request)
    return ACTIVITIES.render(request, may_add=scoping.may_write(request.user))


def _detail_context(request, activity: Activity, photo_form=None) -> dict:
    return {
        "activity": activity,
        "photos": scoping.visible(request.user, ActivityPhoto).filter(activity=activity).order_by("pk"),
        "may_change": scoping.can_change(request.user, activity),
        "photo_form": photo_form or ActivityPhotoForm(),
        "upload_max_mb": settings.UPLOAD_MAX_MB,
    }


@login_required
def activity_detail(request, pk: int):
    activity = scoping.get_visible_or_404(request.user, Activity, pk=pk)
    return render(request, "unions/activities/activity_detail.html", _detail_context(request, activity))


@login_required
def activity_create(request):
    scoping.require_writer(request.user)
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        record_as(form.instance, request.user)
        activity = form.save()
        messages.success(request, _("已登记活动“%(title)s”。") % {"title": activity.title})
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "unions/activities/activity_form.html", {"form": form})


@login_required
def activity_edit(request, pk: int):
    activity = scoping.get_visible_or_404(request.user, Activity, pk=pk)
    scoping.require_writer(request.user)
    activity = scoping.get_changeable_or_404(request.user, Activity, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        record_as(form.instance, request.user)
        form.save()
        messages.success(request, _("活动信息已保存。"))
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "unions/activities/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def photo_upload(request, pk: int):
    activity = scoping.get_visible_or_404(request.user, Activity, pk=pk)
    scoping.require_writer(request.user)
    activity = scoping.get_changeable_or_404(request.user, Activity, pk=pk)
    form = ActivityPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        photos = activity_photos_add(
            activity=activity,
            by=request.user,
            images=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, _("已上传%(n)d张照片。") % {"n": len(photos)})
        return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "unions/activities/activity_detail.html",
        _detail_context(request, activity, photo_form=form),
        status=400,
    )


@login_required
def photo_file(request, photo_pk: int):
    """The photo itself, for those who may see its activity (there is no public media URL)."""
    photo = scoping.get_visible_or_404(request.user, ActivityPhoto, pk=photo_pk)
    return file_response(photo.image, filename=photo.image.original_name, as_attachment=False, sniff=True)


@login_required
@require_POST
def photo_delete(request, pk: int, photo_pk: int):
    activity = scoping.get_writable_or_404(request.user, Activity, pk=pk)
    photo = scoping.get_changeable_or_404(request.user, ActivityPhoto, pk=photo_pk, activity=activity)
    activity_photo_delete(photo=photo, by=request.user)
    messages.success(request, _("照片已删除。"))
    return redirect("activities:detail", pk=activity.pk)
