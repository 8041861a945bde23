"""Finalised versions of a summary (the year's or the half-year's: `kind`, as in reports.views.summary):
finalise, reopen, list, download; and the live workbook.

Every view resolves the federation through federation.scoping first — another scope is a 404, the same
as a federation that does not exist — and only then asks whether the user may act (403 inside one's
own scope).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from federation import scoping
from federation.exports.base import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from federation.models import Federation
from federation.uploads.serving import file_response
from federation.years import valid_year
from reports import jobs, services, subjects
from reports.models import SummaryPeriod, SummaryVersion
from reports.subjects import Subject
from reports.views.summary import subject_kwargs
from unions.models import GrassrootsUnion

YEAR = SummaryPeriod.YEAR

PDF = "application/pdf"


def _subject(request, federation_id: int | None, union_id: int | None, year: int, kind: str) -> Subject:
    """The federation or the union whose summary the URL names (404 outside the user's scope)."""
    subject: Subject
    if union_id is not None:
        subject = scoping.get_visible_or_404(request.user, GrassrootsUnion, pk=union_id)
    else:
        subject = scoping.get_visible_or_404(request.user, Federation, pk=federation_id)
    if not valid_year(year) or kind not in SummaryPeriod.values:
        raise Http404
    return subject


def _refuse_unless_finaliser(request, subject: Subject, message: str) -> None:
    """403 for who may not finalise: a federation's chair finalises its summary, a union's cadre the
    union's own."""
    if subjects.may_finalise(request.user, subject):
        return
    if isinstance(subject, GrassrootsUnion):
        raise PermissionDenied(_("只有本工会的工会干部可以定稿或重新打开本工会的工作总结。"))
    raise PermissionDenied(message)


def _summary_name(year: int, kind: str) -> str:
    """2025年工作总结 / 2025年上半年工作总结."""
    return f"{year}年{'上半年' if kind == SummaryPeriod.H1 else ''}工作总结"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # filename*=utf-8''… (RFC 5987) carries the Chinese name; Django adds it for non-ASCII names.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _version_filename(version: SummaryVersion, extension: str) -> str:
    return _("%(name)s%(summary)s（第%(number)s版）.%(ext)s") % {
        "name": version.subject.name,
        "summary": _summary_name(version.year, version.period),
        "number": version.number,
        "ext": extension,
    }


@login_required
@require_GET
def summary_xlsx(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    """The statistics workbook computed from the records as they are now, by a worker (reports.jobs) —
    or, for a finalised summary, the workbook of its version, unless the live draft is asked for."""
    subject = _subject(request, federation_id, union_id, year, kind)
    version = services.current_version(subject, year, kind)
    if version is not None and request.GET.get("draft") != "1":
        return redirect(subjects.url("reports:version-xlsx", subject, year, kind, version.number))
    job = jobs.summary_xlsx_start(
        **subject_kwargs(subject), year=year, by=request.user, draft=version is not None, period=kind
    )
    return redirect("exports:detail", job.pk)


@login_required
@require_POST
def summary_finalise(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    """定稿 is done by a worker (reports.jobs); its page says how it went and links to the versions."""
    subject = _subject(request, federation_id, union_id, year, kind)
    _refuse_unless_finaliser(request, subject, _("只有本联合会主席可以定稿工作总结。"))
    current = services.current_version(subject, year, kind)
    if current is not None:
        messages.error(request, " ".join(services.already_finalised(current).messages))
        return redirect(subjects.url("reports:summary", subject, year, kind))
    job = jobs.summary_finalise_start(**subject_kwargs(subject), year=year, by=request.user, period=kind)
    return redirect("exports:detail", job.pk)


@login_required
@require_POST
def summary_reopen(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    """Reopen the version in force, so that the summary can be corrected and finalised again."""
    subject = _subject(request, federation_id, union_id, year, kind)
    _refuse_unless_finaliser(request, subject, _("只有本联合会主席可以重新打开工作总结。"))
    version = services.current_version(subject, year, kind)
    if version is None:
        messages.error(
            request, _("%(summary)s尚未定稿，无需重新打开。") % {"summary": _summary_name(year, kind)}
        )
    else:
        try:
            services.summary_reopen(version=version, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            reopened = _("第%(number)s版已重新打开，原版本仍可下载；文字部分可以修改，修改后可再次定稿。")
            messages.success(request, reopened % {"number": version.number})
    return redirect(subjects.url("reports:summary", subject, year, kind))


@login_required
@require_GET
def summary_versions(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    subject = _subject(request, federation_id, union_id, year, kind)
    versions = (
        SummaryVersion.objects.filter(**subjects.rows_of(subject), year=year, period=kind)
        .select_related("finalised_by", "reopened_by")
        .order_by("-number")
    )
    return render(
        request,
        "reports/versions.html",
        {
            "subject": subject,
            "year": year,
            "kind": kind,
            "summary_name": _summary_name(year, kind),
            "versions": versions,
            "current": next((v for v in versions if v.is_current), None),
            "can_finalise": subjects.may_finalise(request.user, subject),
        },
    )


def _version(
    request, federation_id: int | None, union_id: int | None, year: int, number: int, kind: str
) -> SummaryVersion:
    subject = _subject(request, federation_id, union_id, year, kind)
    return get_object_or_404(
        SummaryVersion, **subjects.rows_of(subject), year=year, period=kind, number=number
    )


@login_required
@require_GET
def version_pdf(
    request, year: int, number: int, kind: str = YEAR, federation_id: int | None = None, union_id=None
):
    """The PDF exactly as it was finalised."""
    version = _version(request, federation_id, union_id, year, number, kind)
    response = file_response(version.pdf, filename=_version_filename(version, "pdf"), content_type=PDF)
    response["ETag"] = f'"{version.pdf_sha256}"'
    return response


@login_required
@require_GET
def version_docx(
    request, year: int, number: int, kind: str = YEAR, federation_id: int | None = None, union_id=None
):
    """The Word document exactly as it was finalised (a version finalised before there was one: 404)."""
    version = _version(request, federation_id, union_id, year, number, kind)
    if not version.docx:
        raise Http404
    return file_response(
        version.docx, filename=_version_filename(version, "docx"), content_type=DOCX_CONTENT_TYPE
    )


@login_required
@require_GET
def version_xlsx(
    request, year: int, number: int, kind: str = YEAR, federation_id: int | None = None, union_id=None
):
    """The workbook exactly as it was finalised."""
    version = _version(request, federation_id, union_id, year, number, kind)
    return file_response(
        version.xlsx, filename=_version_filename(version, "xlsx"), content_type=XLSX_CONTENT_TYPE
    )
