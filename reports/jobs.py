"""The summary's long work as export jobs (federation.exports.jobs), done by a worker while a page
shows its progress: the PDF (WeasyPrint: seconds to a minute at a city's scale), the Word document,
the statistics workbook, and 定稿 (which computes the catalogue, renders the files and stores the
version).

A job names its federation, year and period (the year, or "h1" for its first half) in its query
string and runs for the user who asked: scope and permission are checked again on the worker, as
they were in the request.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from federation import scoping
from federation.exports import jobs as export_jobs
from federation.exports.registry import JobRunner
from federation.models import ExportJob, Federation, User
from federation.scope import SUMMARY_PERIODS, Period, period_for
from federation.years import valid_year
from reports import services, subjects
from reports.subjects import Subject
from reports.summary.document import build_summary
from reports.summary.docx import render_summary_docx
from reports.summary.periods import wording_of
from reports.summary.render import render_summary_pdf
from reports.summary.xlsx import render_summary_xlsx
from unions.models import GrassrootsUnion

PDF, XLSX, FINALISE = "reports.summary_pdf", "reports.summary_xlsx", "reports.summary_finalise"
DOCX = "reports.summary_docx"


def _target(job: ExportJob) -> tuple[Subject, int, str]:
    """Whose summary (a federation's, or a union's own: `union` in the query), of which year and
    period — as the user who asked may still see it."""
    query = QueryDict(job.query)
    federation_pk, union_pk = query.get("federation") or "", query.get("union") or ""
    year = int(query.get("year") or 0)
    period = query.get("period") or Period.kind  # jobs queued before half-years were annual
    subject: Subject | None = None
    if union_pk.isdigit():
        subject = scoping.visible(job.created_by, GrassrootsUnion).filter(pk=int(union_pk)).first()
    elif federation_pk.isdigit():
        subject = scoping.federations_visible_to(job.created_by).filter(pk=int(federation_pk)).first()
    if subject is None or not valid_year(year) or period not in SUMMARY_PERIODS:
        if union_pk:
            raise ValidationError(_("该工会或年度已不可用。"))
        raise ValidationError(_("该联合会或年度已不可用。"))
    return subject, year, period


class SummaryPdf(JobRunner):
    def run(self, job, progress):
        subject, year, period = _target(job)
        progress(0, 2)
        document = build_summary(subject, year, kind=period)
        progress(1, 2)
        draft = _("（草稿）") if QueryDict(job.query).get("draft") == "1" else ""
        job.file_name = f"{document.file_stem}{draft}.pdf"
        return render_summary_pdf(document)  # SummaryTooLong is a ValidationError: its message is kept


class SummaryDocx(JobRunner):
    def run(self, job, progress):
        subject, year, period = _target(job)
        progress(0, 2)
        document = build_summary(subject, year, kind=period)
        progress(1, 2)
        job.file_name = f"{document.file_stem}.docx"
        return render_summary_docx(document)


class SummaryXlsx(JobRunner):
    def run(self, job, progress):
        subject, year, period = _target(job)
        progress(0, 1)
        return render_summary_xlsx(subject, year, kind=period)


class SummaryFinalise(JobRunner):
    atomic = True  # the version and the job's 已完成 in one transaction: finalised exactly once

    def run(self, job, progress):
        subject, year, period = _target(job)
        try:
            if isinstance(subject, GrassrootsUnion):
                version = services.summary_finalise(union=subject, year=year, by=job.created_by, kind=period)
            else:
                version = services.summary_finalise(
                    federation=subject, year=year, by=job.created_by, kind=period
                )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc
        job.message = _("%(period)s工作总结已定稿（第%(number)s版），数据和文件已固定。") % {
            "period": _period_name(year, period),
            "number": version.number,
        }
        # The summary's page says 已定稿 · 第N版.
        job.result_url = subjects.url("reports:summary", subject, year, period)
        return None


def _period_name(year: int, period: str) -> str:
    """2025年 / 2025年上半年."""
    return wording_of(period_for(year, period), year).name


def _query(subject: Subject, year: int, period: str, draft: bool = False) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(
        {"union" if subjects.is_union(subject) else "federation": str(subject.pk), "year": str(year)}
    )
    if period != Period.kind:
        query["period"] = period
    if draft:
        query["draft"] = "1"
    return query


def _subject(federation: Federation | None, union: GrassrootsUnion | None) -> Subject:
    """The summary's subject: the union (its own summary) when given, else the federation."""
    subject = union if union is not None else federation
    assert subject is not None, "a federation or a union"
    return subject


def _start(
    kind: str,
    *,
    federation: Subject,
    year: int,
    period: str,
    by: User,
    title: str,
    file_name: str,
    draft: bool = False,
) -> ExportJob:
    """Queue the job — unless the same user's same job is still running (a second click). `draft`:
    the live summary of a finalised year, labelled 草稿 in the job's title and file name."""
    query = _query(federation, year, period, draft)  # the subject: a federation or a union
    running = export_jobs.reusable(key=kind, query=query.urlencode(), by=by, finished=False)
    if running is not None:
        return running
    return export_jobs.start_job(key=kind, title=title, file_name=file_name, query=query, by=by)


def _stem(subject: Subject, year: int, period: str) -> str:
    """summary-1-2025, summary-1-2025-h1; union-summary-7-2025 for a union's own."""
    head = "union-summary" if subjects.is_union(subject) else "summary"
    return "-".join([head, str(subject.pk), str(year), *([period] if period != Period.kind else [])])


def summary_pdf_start(
    *,
    federation: Federation | None = None,
    union: GrassrootsUnion | None = None,
    year: int,
    by: User,
    draft: bool = False,
    period: str = Period.kind,
) -> ExportJob:
    subject = _subject(federation, union)
    title = _("%(name)s%(period)s工作总结（PDF）") % {
        "name": subject.name,
        "period": _period_name(year, period),
    }
    return _start(
        PDF,
        federation=subject,
        year=year,
        period=period,
        by=by,
        title=title + (_("（草稿）") if draft else ""),
        file_name=f"{_stem(subject, year, period)}.pdf",
        draft=draft,
    )


def summary_docx_start(
    *,
    federation: Federation | None = None,
    union: GrassrootsUnion | None = None,
    year: int,
    by: User,
    draft: bool = False,
    period: str = Period.kind,
) -> ExportJob:
    subject = _subject(federation, union)
    draft_mark = _("（草稿）") if draft else ""
    return _start(
        DOCX,
        federation=subject,
        year=year,
        period=period,
        by=by,
        title=_("%(name)s%(period)s工作总结（Word）%(draft)s")
        % {"name": subject.name, "period": _period_name(year, period), "draft": draft_mark},
        file_name=f"{_stem(subject, year, period)}.docx",
        draft=draft,
    )


def summary_xlsx_start(
    *,
    federation: Federation | None = None,
    union: GrassrootsUnion | None = None,
    year: int,
    by: User,
    draft: bool = False,
    period: str = Period.kind,
) -> ExportJob:
    subject = _subject(federation, union)
    names = {"name": subject.name, "period": _period_name(year, period)}
    if draft:
        name = _("%(name)s%(period)s工作总结统计表（草稿）.xlsx") % names
    else:
        name = _("%(name)s%(period)s工作总结统计表.xlsx") % names
    return _start(
        XLSX,
        federation=subject,
        year=year,
        period=period,
        by=by,
        title=name.removesuffix(".xlsx"),
        file_name=name,
        draft=draft,
    )


def summary_finalise_start(
    *,
    federation: Federation | None = None,
    union: GrassrootsUnion | None = None,
    year: int,
    by: User,
    period: str = Period.kind,
) -> ExportJob:
    subject = _subject(federation, union)
    return _start(
        FINALISE,
        federation=subject,
        year=year,
        period=period,
        by=by,
        title=_("%(name)s%(period)s工作总结定稿")
        % {"name": subject.name, "period": _period_name(year, period)},
        file_name="",
    )
