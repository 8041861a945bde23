"""The import pages, one flow for every kind in federation.imports.registry:

upload (导入) → the file is checked (by a worker, with a progress bar) → preview: counts,
notices, every problem by row and column, the first rows to be written → confirm (one transaction)
or cancel → result. Every import stays listed under 导入记录.

Querysets come from federation.scoping: another scope's import is a 404, the chair reads the records
but starts, confirms or cancels nothing (403).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import background, scoping, tasks
from federation.exports.base import XLSX_CONTENT_TYPE
from federation.imports import registry
from federation.imports.batches import (
    batch_cancel,
    batch_create,
    batch_start_commit,
)
from federation.imports.engine import MAX_LISTED_PROBLEMS
from federation.imports.error_report import error_report, error_report_name
from federation.imports.forms import ImportStartForm, kinds_for
from federation.imports.reader import max_upload_bytes
from federation.imports.template import build_template
from federation.lists.paging import list_page, query_without_page
from federation.models import ImportBatch
from federation.service_errors import add_service_errors

# Where the imported records are listed, to link from the result page.
RECORD_LISTS = {
    ImportBatch.Kind.MEMBERS: "members:list",
    ImportBatch.Kind.UNIONS: "unions:list",
    ImportBatch.Kind.UNION_YEARS: "unions:list",
    ImportBatch.Kind.AID: "hardship:list",
}
RUNNING = (ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING)
# Multipart overhead allowed above the file size limit before the body is even parsed.
UPLOAD_SLACK = 1024 * 1024


def _kind_labels() -> dict:
    return dict(ImportBatch.Kind.choices)


@login_required
def import_start(request):
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    form = None
    refused = ""
    if request.method == "POST":
        # Refuse an oversized upload before Django reads the body into a temporary file.
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_upload_bytes() + UPLOAD_SLACK:
            refused = _("文件超过上限%(limit)d MB，未上传。请分成几个文件上传。") % {
                "limit": max_upload_bytes() // 1024 // 1024
            }
        else:
            form = ImportStartForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                batch = _create_batch(request, form)
                if batch is not None:
                    background.enqueue(tasks.import_validate, batch.pk)
                    return redirect("imports:detail", batch.pk)
    if form is None:
        form = ImportStartForm(user=request.user, initial={"kind": request.GET.get("kind") or kinds[0]})
    labels = _kind_labels()
    return render(
        request,
        "federation/imports/import_start.html",
        {"form": form, "refused": refused, "templates": [(kind, labels[kind]) for kind in kinds]},
    )


def _create_batch(request, form) -> ImportBatch | None:
    data = form.cleaned_data
    upload = data["file"]
    try:
        return batch_create(
            kind=data["kind"],
            file=upload.file,
            file_name=upload.name,
            by=request.user,
            union=data.get("union_obj"),
            federation=data.get("federation_obj"),
            year=data.get("year"),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("您无权向该单位导入数据。"))
    return None


@login_required
def template_download(request, kind: str):
    if kind not in registry.SPECS:
        raise Http404
    response = HttpResponse(build_template(registry.spec_class(kind)), content_type=XLSX_CONTENT_TYPE)
    name = _("%(kind)s导入模板") % {"kind": _kind_labels()[kind]}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@login_required
def import_list(request):
    batches = scoping.visible(request.user, ImportBatch).select_related("union", "federation", "created_by")
    kind = request.GET.get("kind", "")
    if kind in _kind_labels():
        batches = batches.filter(kind=kind)
    for param in ("union", "federation"):
        value = request.GET.get(param, "")
        if value.isdigit():
            batches = batches.filter(**{f"{param}_id": int(value)})
    return render(
        request,
        "federation/imports/import_list.html",
        {
            "page": list_page(request, batches.order_by("-created_at", "-pk")),
            "query": query_without_page(request),
            "kinds": list(ImportBatch.Kind.choices),
            "kind": kind,
            "may_import": bool(kinds_for(request.user)),
        },
    )


def _visible_batch(request, pk: int) -> ImportBatch:
    return scoping.get_visible_or_404(request.user, ImportBatch, pk=pk)


@login_required
def import_detail(request, pk: int):
    batch = _visible_batch(request, pk)
    report = batch.report or {}
    problems = report.get("problems", [])
    context = {
        "batch": batch,
        "running": batch.status in RUNNING,
        "state_label": background.state_label(batch, running=batch.status in RUNNING),
        "percent": background.percent(batch.progress_done, batch.progress_total),
        "may_act": scoping.can_change(request.user, batch),
        "notices": report.get("notices", []),
        "errors": [p for p in problems if not p.get("conflict")],
        "conflicts": [p for p in problems if p.get("conflict")],
        "problems_capped": len(problems) >= MAX_LISTED_PROBLEMS,
        "max_problems": MAX_LISTED_PROBLEMS,
        "samples": report.get("samples", {}),
        "record_list": RECORD_LISTS.get(batch.kind),
    }
    return render(request, "federation/imports/import_detail.html", context)


@login_required
def import_error_report(request, pk: int):
    """错误报告 (.xlsx): each bad row of the preview with its messages."""
    batch = _visible_batch(request, pk)
    response = HttpResponse(error_report(batch), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(error_report_name(batch))}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def import_status(request, pk: int):
    batch = _visible_batch(request, pk)
    return background.status_response(
        status=batch.status,
        label=background.state_label(batch, running=batch.status in RUNNING),
        done=batch.progress_done,
        total=batch.progress_total,
        finished=batch.status not in RUNNING,
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = scoping.get_writable_or_404(request.user, ImportBatch, pk=pk)
    try:
        batch = batch_start_commit(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("imports:detail", batch.pk)
    background.enqueue(tasks.import_commit, batch.pk, request.user.pk)
    return redirect("imports:detail", batch.pk)


@login_required
@require_POST
def import_cancel(request, pk: int):
    batch = scoping.get_writable_or_404(request.user, ImportBatch, pk=pk)
    try:
        batch_cancel(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("imports:detail", batch.pk)
    messages.success(request, _("已取消本次导入，未写入任何数据。"))
    return redirect(reverse("imports:detail", args=[batch.pk]))
