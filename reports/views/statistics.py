"""Views of the union statistical return (工会统计年报, 基层工会调查表): choose a federation and a
statistical year, read the return with its logic checks (each problem links to the record that breaks
it), download the workbook.

For federation staff, the chair and administrators: the federation comes from federation.scoping (a
federation outside one's scope, or any for a union cadre, is a 404 — the same as one that does not
exist); a year outside the valid range is a 404 too.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from federation import scoping
from federation.exports.base import XLSX_CONTENT_TYPE
from federation.models import Federation
from federation.years import FIRST_YEAR, last_valid_year, valid_year
from reports.statistics import build_return
from reports.statistics.checks import ERROR, MISSING, VERIFY, full_label
from reports.statistics.rows import LINE_NUMBER, ROWS
from reports.statistics.workbook import filled_text, period_text, render_return_xlsx, return_file_name

# The page lists this many problems of each kind; the workbook lists them all.
PROBLEMS_SHOWN = 200


def _federation(request, federation_id: int) -> Federation:
    return scoping.get_visible_or_404(request.user, Federation, pk=federation_id)


def _check_year(year: int) -> None:
    if not valid_year(year):
        raise Http404


def default_statistical_year(today) -> int:
    """The statistical year ends on 30 September: from September on, this year's return is the one
    being prepared; before, last year's."""
    return today.year if today.month >= 9 else today.year - 1


@login_required
def return_index(request):
    federations = scoping.federations_visible_to(request.user).order_by("path")
    today = timezone.localdate()
    federation_id, year = request.GET.get("federation"), request.GET.get("year")
    if federation_id and year:
        try:
            federation_id, year = int(federation_id), int(year)
        except ValueError as exc:
            raise Http404 from exc
        federation = _federation(request, federation_id)
        _check_year(year)
        return redirect("reports:statistics", federation.pk, year)
    years = list(range(min(today.year, last_valid_year()), max(FIRST_YEAR, today.year - 10) - 1, -1))
    return render(
        request,
        "reports/statistics_index.html",
        {"federations": federations, "years": years, "default_year": default_statistical_year(today)},
    )


def _number(value, money: bool) -> str:
    if value is None:
        return _("未填报")
    return f"{value:,.2f}" if money else f"{value:,}"


@login_required
def return_page(request, federation_id: int, year: int):
    federation = _federation(request, federation_id)
    _check_year(year)
    statistical_return = build_return(federation, year)
    total, previous = statistical_return.figures.total, statistical_return.previous.total
    rows = [
        {
            "number": LINE_NUMBER[row.key],
            "label": row.label,
            "indent": range(row.indent),
            "unit": row.unit,
            "value": _number(total.get(row.key), row.is_money),
            "previous": _number(previous.get(row.key), row.is_money),
            "source": row.source_label,
            "filled": filled_text(row, total),
            "definition": row.definition,
            "published": row.published,
        }
        for row in ROWS
    ]
    published = [row for row in ROWS if row.published]
    federations = [
        {
            "line": line,
            "indent": range(line.depth),
            "values": [_number(line.get(row.key), row.is_money) for row in published],
        }
        for line in statistical_return.figures.federations
    ]
    problems = statistical_return.problems
    groups = [
        (severity, [p for p in problems if p.severity == severity]) for severity in (ERROR, VERIFY, MISSING)
    ]
    return render(
        request,
        "reports/statistics.html",
        {
            "federation": federation,
            "year": year,
            "period": period_text(statistical_return),
            "rows": rows,
            "published_labels": [full_label(row) for row in published],
            "federations": federations if len(federations) > 1 else [],
            "problem_groups": [
                {"severity": severity, "shown": found[:PROBLEMS_SHOWN], "total": len(found)}
                for severity, found in groups
            ],
            "error_count": len(statistical_return.errors),
            "problem_count": len(problems),
            "union_count": len(statistical_return.figures.unions),
            "may_go_forward": valid_year(year + 1),
            "may_go_back": valid_year(year - 1),
        },
    )


@login_required
def return_xlsx(request, federation_id: int, year: int):
    federation = _federation(request, federation_id)
    _check_year(year)
    statistical_return = build_return(federation, year)
    response = HttpResponse(render_return_xlsx(statistical_return), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, return_file_name(statistical_return))
    return response
