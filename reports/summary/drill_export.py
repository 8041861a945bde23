"""The drill-down's export: the records behind a figure of the summary as .xlsx or .csv, written by
the same exporter machinery as every staff list (federation.exports) — inline up to
settings.EXPORT_INLINE_MAX_ROWS rows, above that by an export job on a worker.

The job stores the drill-down's query (federation, year, the indicator or the breakdown and its
row's values), not a queryset: `drill_exporter` builds the same scoped list again for the same user,
so the file holds exactly what the page lists, in the page's order and columns.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from federation import scoping
from federation.exports import base as exports
from federation.exports import jobs as export_jobs
from federation.models import Federation
from federation.scope import SUMMARY_PERIODS, period_for
from federation.years import valid_year
from reports.indicators import BY_KEY, Period, Scope
from reports.indicators.breakdowns import BREAKDOWN_BY_KEY
from reports.summary.drilldown import breakdown_records, indicator_records, is_drillable, listing
from reports.summary.periods import wording_of
from unions.models import GrassrootsUnion
from unions.scope import UnionScope

DRILL = "reports.drill"


class DrillExporter(exports.ListExporter):
    """The list of a drill-down page: its columns' typed values (dates as dates, money as numbers)."""

    def __init__(self, queryset, *, user, format: str, title: str, columns) -> None:
        super().__init__(queryset, user=user, format=format)
        self.title = title
        self.list_columns = columns
        self.columns = [exports.Column(str(c.label), c.width, c.number_format) for c in columns]

    def row(self, record):
        return [column.value(record, self.full_identifiers) for column in self.list_columns]


def _number(query: QueryDict, name: str) -> int:
    value = query.get(name) or ""
    return int(value) if value.isdigit() else 0


def drill_exporter(user, query: QueryDict) -> DrillExporter:
    """The export registered under DRILL: the drill-down named by `query`, for `user` (in a request or
    in an export job). A federation out of scope, a bad year or an unknown figure is a ValidationError
    (the view has checked them already; a job reports it in Chinese)."""
    subject: Federation | GrassrootsUnion | None
    if query.get("union"):
        subject = scoping.visible(user, GrassrootsUnion).filter(pk=_number(query, "union")).first()
    else:
        subject = scoping.federations_visible_to(user).filter(pk=_number(query, "federation")).first()
    year = _number(query, "year")
    kind = query.get("period") or Period.kind
    if subject is None or not valid_year(year) or kind not in SUMMARY_PERIODS:
        if query.get("union"):
            raise ValidationError(_("该工会或年度已不可用。"))
        raise ValidationError(_("该联合会或年度已不可用。"))
    scope = UnionScope(subject) if isinstance(subject, GrassrootsUnion) else Scope(subject)
    period = period_for(year, kind)
    indicator = BY_KEY.get(query.get("indicator") or "")
    breakdown = BREAKDOWN_BY_KEY.get(query.get("breakdown") or "")
    if indicator is not None and is_drillable(indicator):
        queryset, label = indicator_records(indicator, scope, period), str(indicator.label)
    elif breakdown is not None:
        values = {name: query[name] for name in breakdown.group_by if name in query}
        labels = dict(zip(breakdown.group_by, breakdown.labels, strict=True))
        shown = "、".join(str(labels[name].get(value, value)) for name, value in values.items())
        queryset = breakdown_records(breakdown, scope, period, values)
        label = f"{breakdown.label}：{shown}" if shown else str(breakdown.label)
    else:
        raise ValidationError(_("该指标没有可导出的记录清单。"))
    queryset, columns = listing(scoping.visible(user, queryset.model, queryset))
    title = f"{subject.name}{wording_of(period, year).name}{label}"
    return DrillExporter(
        queryset, user=user, format=exports.export_format(query), title=title, columns=columns
    )


def drill_export_response(
    request: HttpRequest, *, subject, year: int, target: dict[str, str], kind: str = Period.kind
):
    """`?format=xlsx` (or csv) of a drill-down page: the file now, or an export job's page for a long
    list. `target` names the list: {"indicator": key}, or {"breakdown": key} and the row's values."""
    query = QueryDict(mutable=True)
    owner = "union" if isinstance(subject, GrassrootsUnion) else "federation"
    query.update({**target, owner: str(subject.pk), "year": str(year), "period": kind})
    query[exports.FORMAT_PARAMETER] = exports.export_format(request.GET)
    exporter = drill_exporter(request.user, query)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    counted = exporter.queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        exporter.counted = counted
        return exports.download_response(exporter)
    job = export_jobs.start(key=DRILL, exporter=exporter, query=query, by=request.user)
    return redirect("exports:detail", job.pk)
