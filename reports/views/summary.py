"""Views of the work summary: choose a federation and year, read the summary of the year or of its
first half (every figure links to the records behind it), download it as PDF or Word, write its
narrative parts beside a preview of the document.

Every view takes `kind`: "year" (the annual summary's URLs, which have no period) or "h1" (the
half-year's, /reports/<federation>/<year>/h1/…; reports.urls).

Access goes through federation.scoping: a federation outside the user's scope is a 404 (the same as
one that does not exist); editing the narrative without the permission, inside one's own scope, is
a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from federation import scoping
from federation.exports.base import wants_export
from federation.lists.paging import list_page, query_without_page
from federation.models import Federation
from federation.scope import period_for
from federation.years import FIRST_YEAR, valid_year
from reports import jobs, services, subjects
from reports.forms import SummaryDraftForm
from reports.indicators import BY_KEY, stored
from reports.indicators.breakdowns import BREAKDOWN_BY_KEY
from reports.indicators.union import UNION_BY_KEY
from reports.models import SummaryDraft, SummaryPeriod, SummaryVersion
from reports.subjects import Subject
from reports.summary.document import build_summary, generated_defaults
from reports.summary.drill_export import drill_export_response
from reports.summary.drilldown import (
    LONG_LIST,
    MEMBER_STOCK,
    breakdown_records,
    indicator_records,
    is_drillable,
    listing,
    page_rows,
)
from reports.summary.periods import summary_args, wording_of
from reports.summary.quotes import union_material
from reports.summary.render import summary_context
from unions.models import GrassrootsUnion

YEAR = SummaryPeriod.YEAR


def _federation(request, federation_id: int) -> Federation:
    return scoping.get_visible_or_404(request.user, Federation, pk=federation_id)


def _subject(request, federation_id: int | None, union_id: int | None) -> Subject:
    """Whose summary the URL names: a union's own (/reports/union/<union>/…) or a federation's — a 404
    outside the user's scope, the same as one that does not exist."""
    if union_id is not None:
        return scoping.get_visible_or_404(request.user, GrassrootsUnion, pk=union_id)
    return _federation(request, federation_id or 0)


def _figures(subject: Subject, year: int, kind: str):
    """The figures of the page: a federation's stored ahead (reports.indicators.stored); a union's own,
    a few small queries, computed now."""
    if isinstance(subject, GrassrootsUnion):
        return None, subjects.catalogue_of(subject, year, kind), None
    figures = stored.figures_for(subject, year, kind)
    return figures, figures.catalogue, figures.appendix_table()


def _check_year(year: int) -> None:
    if not valid_year(year):
        raise Http404


@login_required
def summary_index(request):
    federations = scoping.federations_visible_to(request.user).order_by("path")
    today = timezone.localdate()
    this_year = today.year
    years = list(range(this_year, max(FIRST_YEAR, this_year - 10) - 1, -1))
    # The summary of a year is written at its end: until mid-year, last year's is the one wanted.
    default_year = this_year if today.month >= 7 else this_year - 1
    federation_id, union_id = request.GET.get("federation"), request.GET.get("union")
    # A union's page links here without a year (reports:index?union=…): the year wanted by default.
    year = request.GET.get("year") or (str(default_year) if union_id else None)
    if (federation_id or union_id) and year:
        try:
            year = int(year)
            subject = _subject(request, int(federation_id or 0), int(union_id) if union_id else None)
        except ValueError as exc:
            raise Http404 from exc
        _check_year(year)
        kind = request.GET.get("period") or YEAR
        if kind not in SummaryPeriod.values:
            raise Http404
        return redirect(subjects.url("reports:summary", subject, year, kind))
    union = _own_union(request.user)
    return render(
        request,
        "reports/index.html",
        {
            "federations": federations,
            "union": union,
            "years": years,
            "default_year": default_year,
            "states": _finalisation_states(request.user, federations, years[:STATE_YEARS]),
            "union_states": _union_states(union, years[:STATE_YEARS]) if union else [],
            "unions_finalised": _unions_finalised(request.user, years[:STATE_YEARS]) if federations else None,
        },
    )


def _own_union(user) -> GrassrootsUnion | None:
    """The union whose own summary a union cadre writes (None for everybody else)."""
    if user.role != user.Role.UNION_CADRE or not user.union_id:
        return None
    return scoping.visible(user, GrassrootsUnion).filter(pk=user.union_id).first()


def _union_states(union: GrassrootsUnion, years: list[int]) -> list[dict]:
    """The union's own summaries of recent years, annual and half-year, with the version in force."""
    versions = {
        (version.year, version.period): version
        for version in SummaryVersion.objects.filter(
            union=union, year__in=years, reopened_at__isnull=True
        ).only("year", "period", "number", "created_at")
    }
    return [
        {
            "id": f"{'year' if kind == YEAR else 'half'}-state-union-{union.pk}-{year}",
            "url": subjects.url("reports:summary", union, year, kind),
            "title": wording_of(period_for(year, kind), year).title_suffix,
            "version": versions.get((year, kind)),
        }
        for year in years
        for kind in (YEAR, SummaryPeriod.H1)
    ]


def _title_suffix(year: int, kind: str) -> str:
    """2025年工作总结 / 2025年上半年工作总结."""
    return wording_of(period_for(year, kind), year).title_suffix


UNIONS_FINALISED_SHOWN = 50  # the newest finalised union summaries listed on the index


def _unions_finalised(user, years: list[int]) -> dict:
    """Which unions in the user's scope have finalised their own summary: how many per recent year
    (annual summaries), and the newest versions in force with links — two queries, whatever the
    number of unions."""
    in_force = scoping.visible(user, SummaryVersion).filter(
        union__isnull=False, reopened_at__isnull=True, year__in=years
    )
    counts = dict(
        in_force.filter(period=YEAR)
        .values("year")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    newest = in_force.select_related("union").order_by("-created_at", "-pk")[:UNIONS_FINALISED_SHOWN]
    return {
        "counts": [(year, counts.get(year, 0)) for year in years],
        "versions": [
            {
                "version": version,
                "title": version.union.name + _title_suffix(version.year, version.period),
                "url": subjects.url("reports:summary", version.union, version.year, version.period),
            }
            for version in newest
        ],
    }


STATE_YEARS = 5  # the index says, for the user's own federation, how the last five years stand
HOME_FEDERATIONS = 5  # an administrator, bound to none, sees the first top-level federations


def _finalisation_states(user, federations, years: list[int]) -> list[dict]:
    """For the user's own federation (an administrator's top-level ones): each recent year, its
    annual and half-year summaries with their version in force (已定稿 · 第N版) or None (草稿). Two
    queries, whatever the number of versions."""
    if user.federation_id and user.role in scoping.FEDERATION_ROLES:
        home = list(federations.filter(pk=user.federation_id))
    else:
        home = list(federations.filter(parent__isnull=True)[:HOME_FEDERATIONS])
    versions = services.current_versions(home, years)
    return [
        {
            "federation": federation,
            "summaries": [
                {
                    # year-state-<federation>-<year>, half-state-… for the half-year's
                    "id": f"{'year' if kind == YEAR else 'half'}-state-{federation.pk}-{year}",
                    "url": reverse("reports:summary", args=summary_args(federation.pk, year, kind)),
                    "title": wording_of(period_for(year, kind), year).title_suffix,
                    "version": versions.get((federation.pk, year, kind)),
                }
                for year in years
                for kind in (YEAR, SummaryPeriod.H1)
            ],
        }
        for federation in home
    ]


def _changed_since(version, catalogue) -> int:
    """How many of the figures frozen in `version` the records now give differently."""
    frozen = version.indicators.get("current", {})
    return sum(
        1
        for key, value in catalogue.current.items()
        if key in frozen and services.json_safe(value) != frozen[key]
    )


def _check_period(year: int, kind: str) -> None:
    """A half-year's summary of a year that has not reached its half yet is still a (partial) summary:
    only an unknown year is refused."""
    _check_year(year)
    if kind not in SummaryPeriod.values:
        raise Http404


@login_required
def summary_page(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    subject = _subject(request, federation_id, union_id)
    _check_period(year, kind)
    # The figures as stored ahead (never silently out of date: the page says when they were computed).
    figures, catalogue, appendix = _figures(subject, year, kind)
    document = build_summary(subject, year, kind=kind, catalogue=catalogue, appendix=appendix)
    latest = services.latest_version(subject, year, kind)
    finalised = latest if latest is not None and latest.is_current else None

    def url(name: str, *more) -> str:
        return subjects.url(name, subject, year, kind, *more)

    context = summary_context(document, links=True)
    context.update(
        {
            "subject": subject,
            "federation": document.federation,
            "union": document.union,
            "year": year,
            "kind": kind,
            "wording": document.wording,
            "figures": figures,
            "latest": latest,
            "finalised": finalised,
            "changed": _changed_since(finalised, document.catalogue) if finalised else 0,
            # A finalised summary downloads the files of its version; until then, the live summary.
            "pdf_url": url("reports:version-pdf", finalised.number)
            if finalised
            else url("reports:summary-pdf"),
            "xlsx_url": url("reports:version-xlsx", finalised.number)
            if finalised
            else url("reports:summary-xlsx"),
            "docx_url": url("reports:version-docx", finalised.number)
            if finalised and finalised.docx
            else url("reports:summary-docx"),
            "versions_url": url("reports:summary-versions"),
            "may_edit": finalised is None and subjects.may_edit(request.user, subject),
            "can_finalise": subjects.may_finalise(request.user, subject),
            "previous_year": year - 1 if valid_year(year - 1) else None,
            "next_year": year + 1 if valid_year(year + 1) else None,
            # The other summary of the same year: the half-year's beside the annual one.
            "other_url": subjects.url(
                "reports:summary", subject, year, SummaryPeriod.H1 if kind == YEAR else YEAR
            ),
        }
    )
    return render(request, "reports/summary_page.html", context)


def wants_draft(request) -> bool:
    """`?draft=1`: the summary computed from the records as they are now, even for a finalised year."""
    return request.GET.get("draft") == "1"


def subject_kwargs(subject: Subject) -> dict:
    """How the jobs and services are told whose summary it is."""
    return {"union": subject} if isinstance(subject, GrassrootsUnion) else {"federation": subject}


@login_required
def summary_pdf(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    """The PDF is rendered by a worker (reports.jobs); the user waits on the job's page. A finalised
    summary gives the PDF of its version, unless the live draft is asked for."""
    subject = _subject(request, federation_id, union_id)
    _check_period(year, kind)
    version = services.current_version(subject, year, kind)
    if version is not None and not wants_draft(request):
        return redirect(subjects.url("reports:version-pdf", subject, year, kind, version.number))
    job = jobs.summary_pdf_start(
        **subject_kwargs(subject), year=year, by=request.user, draft=version is not None, period=kind
    )
    return redirect("exports:detail", job.pk)


@login_required
def summary_docx(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    """The Word document, rendered by a worker like the PDF; for a finalised summary the document of
    its version (one finalised before Word documents were kept has none: then the draft's, labelled)."""
    subject = _subject(request, federation_id, union_id)
    _check_period(year, kind)
    version = services.current_version(subject, year, kind)
    if version is not None and version.docx and not wants_draft(request):
        return redirect(subjects.url("reports:version-docx", subject, year, kind, version.number))
    job = jobs.summary_docx_start(
        **subject_kwargs(subject), year=year, by=request.user, draft=version is not None, period=kind
    )
    return redirect("exports:detail", job.pk)


def _editable_draft(
    request, federation_id: int | None, union_id: int | None, year: int, kind: str
) -> tuple[Subject, SummaryDraft]:
    """The federation or union (404 outside the user's scope) and its draft of the summary (a new one
    when nobody has written anything yet); 403 for a user who may not write it."""
    subject = _subject(request, federation_id, union_id)
    _check_period(year, kind)
    if not subjects.may_edit(request.user, subject):
        raise PermissionDenied
    draft = SummaryDraft.objects.filter(**subjects.rows_of(subject), year=year, period=kind).first()
    return subject, draft or SummaryDraft(**subjects.new_row_fields(subject), year=year, period=kind)


def _summary_of(subject: Subject, year: int, kind: str, draft: SummaryDraft):
    """The document with `draft`'s text (saved or not), from the stored figures."""
    _figures_row, catalogue, appendix = _figures(subject, year, kind)
    return build_summary(subject, year, kind=kind, draft=draft, catalogue=catalogue, appendix=appendix)


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    subject, draft = _editable_draft(request, federation_id, union_id, year, kind)
    # The generated 存在问题 and 工作计划 as the fields' starting point (reports.forms).
    blank = SummaryDraft(**subjects.new_row_fields(subject), year=year, period=kind)
    defaults = generated_defaults(_summary_of(subject, year, kind, blank))
    period = period_for(year, kind)
    form = SummaryDraftForm(
        request.POST or None,
        instance=draft,
        year=year,
        period=period,
        defaults=defaults,
        union=subjects.is_union(subject),
    )
    context = {
        "form": form,
        "subject": subject,
        "year": year,
        "kind": kind,
        "wording": wording_of(period, year),
        "preview_url": subjects.url("reports:summary-preview", subject, year, kind),
    }
    if isinstance(subject, Federation):
        # What the subtree's unions wrote in their finalised summaries: passages to quote.
        query = (request.GET.get("quote_q") or "").strip()[:50]
        context["quotes"], context["quotes_total"] = union_material(request.user, subject, year, kind, query)
        context["quote_q"] = query
    finalised = services.current_version(subject, year, kind)
    if finalised is not None:
        # Closed until the chair reopens: the text is shown (what was typed, after a refused save,
        # so that it is not lost) but cannot be saved.
        form.lock()
        context["finalised"] = finalised
        context["locked_message"] = services.narrative_locked(finalised).messages[0]
        return render(
            request, "reports/draft_form.html", context, status=409 if request.method == "POST" else 200
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_draft_save(draft=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("已保存%(period)s工作总结的文字部分。") % {"period": context["wording"].name}
            )
            return redirect(subjects.url("reports:summary", subject, year, kind))
    return render(request, "reports/draft_form.html", context)


@login_required
@require_http_methods(["POST"])
def summary_preview(request, year: int, kind: str = YEAR, federation_id: int | None = None, union_id=None):
    """The document as it would read with the text in the edit form (not saved): the fragment the
    editor shows beside the form (static/js/summary_preview.js). Those who may edit the text only,
    like the edit form; the text is checked as the form checks it. Without the charts and the
    appendix: the text is what changes, and a chart's <style> would need the page's CSP nonce."""
    subject, draft = _editable_draft(request, federation_id, union_id, year, kind)
    form = SummaryDraftForm(
        request.POST,
        instance=draft,
        year=year,
        period=period_for(year, kind),
        union=subjects.is_union(subject),
    )
    if not form.is_valid():
        # What the form would say on saving, in the preview's place (a 400: nothing to show).
        errors = (
            f"{form.fields[name].label if name in form.fields else ''}：{' '.join(messages_)}"
            for name, messages_ in form.errors.items()
        )
        body = format_html_join("", '<p class="form-errors" role="alert">{}</p>', ((e,) for e in errors))
        return HttpResponse(body, status=400)
    document = _summary_of(subject, year, kind, form.save(commit=False))
    context = summary_context(document, preview=True)
    context.update({"subject": subject, "year": year, "kind": kind})
    return render(request, "reports/_summary.html", context)


def _drill_page(
    request,
    subject: Subject,
    year: int,
    *,
    title: str,
    definition: str,
    queryset,
    count=None,
    kind: str = YEAR,
):
    """One page of the records behind a figure. `count`, when the figure is that count (and fresh),
    spares counting; a long list is paged by keyset in an order its index serves."""
    queryset = scoping.visible(request.user, queryset.model, queryset)
    queryset, columns = listing(queryset, long=count is not None and count > LONG_LIST)
    page = list_page(request, queryset, count=count)
    rows = page_rows(request.user, page, columns)
    return render(
        request,
        "reports/drill.html",
        {
            "subject": subject,
            "year": year,
            "kind": kind,
            "title": title,
            "definition": definition,
            "columns": columns,
            "rows": rows,
            "page": page,
            "exact_count": count,
            "listed": True,
            "query": query_without_page(request),
        },
    )


@login_required
def drill_indicator(
    request, year: int, key: str, kind: str = YEAR, federation_id: int | None = None, union_id=None
):
    subject = _subject(request, federation_id, union_id)
    _check_period(year, kind)
    # A union's own figures: its catalogue, with their definitions of one union.
    indicator = (UNION_BY_KEY if subjects.is_union(subject) else BY_KEY).get(key)
    if indicator is None:
        raise Http404
    if not is_drillable(indicator):
        # A rate or an entered figure: its definition is what there is to see.
        return render(
            request,
            "reports/drill.html",
            {
                "subject": subject,
                "year": year,
                "kind": kind,
                "title": indicator.label,
                "definition": wording_of(period_for(year, kind), year).definition(str(indicator.definition)),
            },
        )
    if wants_export(request):
        return drill_export_response(
            request, subject=subject, year=year, target={"indicator": key}, kind=kind
        )
    # The member stock's figure is the length of its list: taken from the stored figures when fresh.
    figures = None
    if indicator.key in MEMBER_STOCK and isinstance(subject, Federation):
        figures = stored.fresh_figures(subject, year, kind)
    count = figures.catalogue.current.get(indicator.key) if figures else None
    scope = subjects.scope_of(subject)
    queryset = indicator_records(indicator, scope, period_for(year, kind), expected=count)
    return _drill_page(
        request,
        subject,
        year,
        title=indicator.label,
        definition=wording_of(period_for(year, kind), year).definition(str(indicator.definition)),
        queryset=queryset,
        count=count,
        kind=kind,
    )


@login_required
def drill_breakdown(
    request, year: int, key: str, kind: str = YEAR, federation_id: int | None = None, union_id=None
):
    subject = _subject(request, federation_id, union_id)
    _check_period(year, kind)
    breakdown = BREAKDOWN_BY_KEY.get(key)
    if breakdown is None:
        raise Http404
    values = {name: request.GET[name] for name in breakdown.group_by if name in request.GET}
    if wants_export(request):
        return drill_export_response(
            request, subject=subject, year=year, target={"breakdown": key, **values}, kind=kind
        )
    labels = dict(zip(breakdown.group_by, breakdown.labels, strict=True))
    shown = "、".join(str(labels[name].get(value, value)) for name, value in values.items())
    queryset = breakdown_records(breakdown, subjects.scope_of(subject), period_for(year, kind), values)
    return _drill_page(
        request,
        subject,
        year,
        title=f"{breakdown.label}：{shown}" if shown else str(breakdown.label),
        definition="",
        queryset=queryset,
        kind=kind,
    )
