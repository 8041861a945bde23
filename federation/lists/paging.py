"""The paging of every staff list: one page size, one way to read ?page=, and the query string the
page links keep (templates/federation/_pagination.html)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
PAGE_PARAMETER = "page"


def page_of(request: HttpRequest, records: QuerySet, *, count: int | None = None) -> Page:
    """The page of `records` that ?page= asks for (the first for a non-number, the last for a number
    past the end). `count`, when the caller has counted the records already, saves the paginator's
    COUNT query."""
    paginator = Paginator(records, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get(PAGE_PARAMETER))


def query_without_page(request: HttpRequest) -> str:
    """The list's query string without ?page=, for the links to the other pages and the export."""
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return query.urlencode()


def is_filtered(request: HttpRequest) -> bool:
    """Does the request narrow the list (an empty list then says "no match", not "nothing yet")?"""
    return any(value for key, value in request.GET.items() if key != PAGE_PARAMETER)
