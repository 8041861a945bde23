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
from reports import jobs, services
from reports.forms import SummaryDraftForm
from reports.indicators import BY_KEY, Scope, stored
from reports.indicators.breakdowns import BREAKDOWN_BY_KEY
from reports.models import SummaryDraft, SummaryPeriod
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
from reports.summary.render import summary_context

YEAR = SummaryPeriod.YEAR


def _federation(request, federation_id: int) -> Federation:
    return scoping.get_visible_or_404(request.user, Federation, pk=federation_id)


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
    federation_id, year = request.GET.get("federation"), request.GET.get("year")
    if federation_id and year:
        try:
            federation_id, year = int(federation_id), int(year)
        except ValueError as exc:
            raise Http404 from exc
        federation = _federation(request, federation_id)
        _check_year(year)
        kind = request.GET.get("period") or YEAR
        if kind not in SummaryPeriod.values:
            raise Http404
        return redirect("reports:summary", *summary_args(federation.pk, year, kind))
    return render(
        request,
        "reports/index.html",
        {
            "federations": federations,
            "years": years,
            "default_year": default_year,
            "states": _finalisation_states(request.user, federations, years[:STATE_YEARS]),
        },
    )


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
def summary_page(request, federation_id: int, year: int, kind: str = YEAR):
    federation = _federation(request, federation_id)
    _check_period(year, kind)
    # The figures as stored ahead (never silently out of date: the page says when they were computed).
    figures = stored.figures_for(federation, year, kind)
    document = build_summary(
        federation, year, kind=kind, catalogue=figures.catalogue, appendix=figures.appendix_table()
    )
    latest = services.latest_version(federation, year, kind)
    finalised = latest if latest is not None and latest.is_current else None
    args = summary_args(federation.pk, year, kind)

    def url(name: str, *more) -> str:
        return reverse(name, args=[*args, *more])

    context = summary_context(document, links=True)
    context.update(
        {
            "federation": federation,
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
            "may_edit": finalised is None and scoping.can_edit_summary_draft(request.user, federation),
            "can_finalise": scoping.can_finalise_summary(request.user, federation),
            "previous_year": year - 1 if valid_year(year - 1) else None,
            "next_year": year + 1 if valid_year(year + 1) else None,
            # The other summary of the same year: the half-year's beside the annual one.
            "other_url": reverse(
                "reports:summary",
                args=summary_args(federation.pk, year, SummaryPeriod.H1 if kind == YEAR else YEAR),
            ),
        }
    )
    return render(request, "reports/summary_page.html", context)


def wants_draft(request) -> bool:
    """`?draft=1`: the summary computed from the records as they are now, even for a finalised year."""
    return request.GET.get("draft") == "1"


@login_required
def summary_pdf(request, federation_id: int, year: int, kind: str = YEAR):
    """The PDF is rendered by a worker (reports.jobs); the user waits on the job's page. A finalised
    summary gives the PDF of its version, unless the live draft is asked for."""
    federation = _federation(request, federation_id)
    _check_period(year, kind)
    version = services.current_version(federation, year, kind)
    if version is not None and not wants_draft(request):
        return redirect("reports:version-pdf", *summary_args(federation.pk, year, kind, version.number))
    job = jobs.summary_pdf_start(
        federation=federation, year=year, by=request.user, draft=version is not None, period=kind
    )
    return redirect("exports:detail", job.pk)


@login_required
def summary_docx(request, federation_id: int, year: int, kind: str = YEAR):
    """The Word document, rendered by a worker like the PDF; for a finalised summary the document of
    its version (one finalised before Word documents were kept has none: then the draft's, labelled)."""
    federation = _federation(request, federation_id)
    _check_period(year, kind)
    version = services.current_version(federation, year, kind)
    if version is not None and version.docx and not wants_draft(request):
        return redirect("reports:version-docx", *summary_args(federation.pk, year, kind, version.number))
    job = jobs.summary_docx_start(
        federation=federation, year=year, by=request.user, draft=version is not None, period=kind
    )
    return redirect("exports:detail", job.pk)


def _editable_draft(request, federation_id: int, year: int, kind: str) -> tuple[Federation, SummaryDraft]:
    """The federation (404 outside the user's scope) and its draft of the summary (a new one when
    staff have written nothing yet); 403 for a user who may not write it."""
    federation = _federation(request, federation_id)
    _check_period(year, kind)
    if not scoping.can_edit_summary_draft(request.user, federation):
        raise PermissionDenied
    draft = SummaryDraft.objects.filter(federation=federation, year=year, period=kind).first()
    return federation, draft or SummaryDraft(federation=federation, year=year, period=kind)


def _summary_of(federation: Federation, year: int, kind: str, draft: SummaryDraft):
    """The document with `draft`'s text (saved or not), from the stored figures."""
    figures = stored.figures_for(federation, year, kind)
    return build_summary(
        federation,
        year,
        kind=kind,
        draft=draft,
        catalogue=figures.catalogue,
        appendix=figures.appendix_table(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request, federation_id: int, year: int, kind: str = YEAR):
    federation, draft = _editable_draft(request, federation_id, year, kind)
    # The generated 存在问题 and 工作计划 as the fields' starting point (reports.forms).
    blank = SummaryDraft(federation=federation, year=year, period=kind)
    defaults = generated_defaults(_summary_of(federation, year, kind, blank))
    period = period_for(year, kind)
    form = SummaryDraftForm(request.POST or None, instance=draft, year=year, period=period, defaults=defaults)
    context = {
        "form": form,
        "federation": federation,
        "year": year,
        "kind": kind,
        "wording": wording_of(period, year),
        "preview_url": reverse("reports:summary-preview", args=summary_args(federation.pk, year, kind)),
    }
    finalised = services.current_version(federation, year, kind)
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
            return redirect("reports:summary", *summary_args(federation.pk, year, kind))
    return render(request, "reports/draft_form.html", context)


@login_required
@require_http_methods(["POST"])
def summary_preview(request, federation_id: int, year: int, kind: str = YEAR):
    """The document as it would read with the text in the edit form (not saved): the fragment the
    editor shows beside the form (static/js/summary_preview.js). Those who may edit the text only,
    like the edit form; the text is checked as the form checks it. Without the charts and the
    appendix: the text is what changes, and a chart's <style> would need the page's CSP nonce."""
    federation, draft = _editable_draft(request, federation_id, year, kind)
    form = SummaryDraftForm(request.POST, instance=draft, year=year, period=period_for(year, kind))
    if not form.is_valid():
        # What the form would say on saving, in the preview's place (a 400: nothing to show).
        errors = (
            f"{form.fields[name].label if name in form.fields else ''}：{' '.join(messages_)}"
            for name, messages_ in form.errors.items()
        )
        body = format_html_join("", '<p class="form-errors" role="alert">{}</p>', ((e,) for e in errors))
        return HttpResponse(body, status=400)
    document = _summary_of(federation, year, kind, form.save(commit=False))
    context = summary_context(document, preview=True)
    context.update({"federation": federation, "year": year, "kind": kind})
    return render(request, "reports/_summary.html", context)


def _drill_page(
    request,
    federation: Federation,
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
            "federation": federation,
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
def drill_indicator(request, federation_id: int, year: int, key: str, kind: str = YEAR):
    federation = _federation(request, federation_id)
    _check_period(year, kind)
    indicator = BY_KEY.get(key)
    if indicator is None:
        raise Http404
    if not is_drillable(indicator):
        # A rate or an entered figure: its definition is what there is to see.
        return render(
            request,
            "reports/drill.html",
            {
                "federation": federation,
                "year": year,
                "kind": kind,
                "title": indicator.label,
                "definition": wording_of(period_for(year, kind), year).definition(str(indicator.definition)),
            },
        )
    if wants_export(request):
        return drill_export_response(
            request, federation=federation, year=year, target={"indicator": key}, kind=kind
        )
    # The member stock's figure is the length of its list: taken from the stored figures when fresh.
    figures = stored.fresh_figures(federation, year, kind) if indicator.key in MEMBER_STOCK else None
    count = figures.catalogue.current.get(indicator.key) if figures else None
    queryset = indicator_records(indicator, Scope(federation), period_for(year, kind), expected=count)
    return _drill_page(
        request,
        federation,
        year,
        title=indicator.label,
        definition=wording_of(period_for(year, kind), year).definition(str(indicator.definition)),
        queryset=queryset,
        count=count,
        kind=kind,
    )


@login_required
def drill_breakdown(request, federation_id: int, year: int, key: str, kind: str = YEAR):
    federation = _federation(request, federation_id)
    _check_period(year, kind)
    breakdown = BREAKDOWN_BY_KEY.get(key)
    if breakdown is None:
        raise Http404
    values = {name: request.GET[name] for name in breakdown.group_by if name in request.GET}
    if wants_export(request):
        return drill_export_response(
            request, federation=federation, year=year, target={"breakdown": key, **values}, kind=kind
        )
    labels = dict(zip(breakdown.group_by, breakdown.labels, strict=True))
    shown = "、".join(str(labels[name].get(value, value)) for name, value in values.items())
    queryset = breakdown_records(breakdown, Scope(federation), period_for(year, kind), values)
    return _drill_page(
        request,
        federation,
        year,
        title=f"{breakdown.label}：{shown}" if shown else str(breakdown.label),
        definition="",
        queryset=queryset,
        kind=kind,
    )
