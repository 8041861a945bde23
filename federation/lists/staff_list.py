"""One declaration per staff list (会员, 基层工会, 集体合同, 困难职工档案, 帮扶记录, 活动, 联合会): what
it shows and how it exports, so that the page and its `?format=xlsx` (or csv) file are built the same way for
every list and cannot disagree about scope or filters.

A list's records are those of its model the user may see (federation.scoping.visible), narrowed by
its FilterSet (search, filters and the `sort` ordering) read from the query string; the page shows
PAGE_SIZE of them (federation.lists.paging), the export all of them through the list's exporter.
Each app registers its lists' exports at start-up (AppConfig.ready → federation.exports.registry,
under the list's key), so that an export job can build the same file again in the background.

A view answers the export first, before it computes anything the page alone needs:

    if exports.wants_export(request):
        return MEMBERS.export(request)
    return MEMBERS.render(request, may_add=scoping.may_write(request.user))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

import django_filters
from django import shortcuts
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase

from federation import scoping
from federation.exports import base as exports
from federation.exports import jobs, registry
from federation.lists import paging
from federation.lists.fast_select import fast_selects
from federation.lists.paging import capped_count, is_filtered, list_page, query_without_page

if TYPE_CHECKING:
    from federation.models import User


@dataclass(frozen=True)
class StaffList:
    """A staff list. `key` names its export in federation.exports.registry (and in ExportJob.kind);
    `template` renders its page with `filter`, `page`, `query` (without ?page=), `filtered` and the
    view's own context. Optional: `related` for select_related; `refine` shapes the scoped queryset
    for page and export alike (annotations, a fixed order); `totals(records)` aggregates the whole
    filtered set for the page (as `totals`; None past COUNT_LIMIT records, which are not summed);
    `background=False` for a list always small enough to be written inline without counting it
    first (the federation tree)."""

    key: str
    model: type[Model]
    exporter_class: type[exports.ListExporter]
    template: str = ""
    filterset_class: type[django_filters.FilterSet] | None = None
    related: Sequence[str] = ()
    refine: Callable[[QuerySet], QuerySet] | None = None
    totals: Callable[[QuerySet], dict] | None = None
    background: bool = True

    def records(self, user: User) -> QuerySet:
        """Every record of the list this user may see, before any filter."""
        queryset = scoping.visible(user, self.model)
        if self.related:
            queryset = queryset.select_related(*self.related)
        return self.refine(queryset) if self.refine is not None else queryset

    def filter(self, user: User, query: QueryDict) -> django_filters.FilterSet:
        """The list's FilterSet over the user's records (its choices scoped for the user, inside a
        request or in an export job)."""
        if self.filterset_class is None:
            raise ImproperlyConfigured(f"The list {self.key!r} has no filters.")
        # The FilterSet reads only request.user of its request (to scope its choices): the same for a
        # page and for an export job, which runs outside any request.
        request = SimpleNamespace(user=user)
        return self.filterset_class(query, queryset=self.records(user), request=request)

    def exporter(self, user: User, query: QueryDict) -> exports.ListExporter:
        """The list's export for this user and query string: the builder registered under `key`, which
        an export job calls again in the background."""
        records = self.filter(user, query).qs if self.filterset_class else self.records(user)
        return self.exporter_class(records, user=user, format=exports.export_format(query))

    def export(self, request: HttpRequest) -> HttpResponseBase:
        """The `?format=xlsx` (or csv) response: the file, or an export job's page above the inline
        limit."""
        if not self.background:
            return exports.download_response(self.exporter(request.user, request.GET))
        return jobs.export_response(request, self.key)

    def render(self, request: HttpRequest, **context) -> HttpResponse:
        """The list's page: one page of the filtered records, with the view's own `context`."""
        filterset = self.filter(request.user, request.GET)
        fast_selects(filterset.form)  # a city's 400 federations as options, written without templates
        records = filterset.qs
        count = None
        if self.totals is not None:
            # Sums over a whole city's records would cost every page a scan of all of them: they are
            # shown for a list that is counted (up to COUNT_LIMIT), and asked for by filtering past it.
            count = capped_count(records)
            totals = context["totals"] = self.totals(records) if count <= paging.COUNT_LIMIT else None
            if totals is not None:
                count = totals["count"]
        return shortcuts.render(
            request,
            self.template,
            {
                "filter": filterset,
                "page": list_page(request, records, count=count),
                "query": query_without_page(request),
                "filtered": is_filtered(request),
                **context,
            },
        )

    def register_export(self) -> None:
        """Make the list's export known to export jobs (called from its app's AppConfig.ready)."""
        registry.register(self.key, self.exporter)
