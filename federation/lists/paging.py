"""The paging of every staff list: one page size, one way to read the page asked for, and the query
string the page links keep (templates/federation/_pagination.html).

A list of up to COUNT_LIMIT records is paged by number, as it always was: 「第3页，共12页」. A longer
one (a city's 2.36 M members) is neither counted nor skipped through with OFFSET — both cost a scan of
everything before the page. It says 「超过 10 000」, shows its first pages by number and then pages by
keyset: ?after= (or ?before=) carries the sort values of the last (first) row of the page just shown,
signed, so that the next page starts right after it, served by the index of the list's order; ?page=last
reads the list backwards. Every page costs the same few queries wherever it lies.

A person may choose 20, 50 or 100 rows a page (?per_page=) and jump to a page by number — within the
numbered pages, which hold the first COUNT_LIMIT rows at any size.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Field, Model, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

PAGE_SIZE = 50
PAGE_PARAMETER = "page"
AFTER_PARAMETER = "after"
BEFORE_PARAMETER = "before"
LAST_PAGE = "last"
# A list longer than this is not counted exactly, and pages past it go by keyset, not by number.
COUNT_LIMIT = 10_000
NUMBERED_PAGES = COUNT_LIMIT // PAGE_SIZE
PAGING_PARAMETERS = (PAGE_PARAMETER, AFTER_PARAMETER, BEFORE_PARAMETER)
# The page size a person may choose (?per_page=); any other value is the default PAGE_SIZE.
PAGE_SIZE_PARAMETER = "per_page"
PAGE_SIZE_CHOICES = (20, 50, 100)
_SALT = "federation.lists.paging"


def page_of(request: HttpRequest, records: QuerySet, *, count: int | None = None) -> Page:
    """The page of `records` that ?page= asks for (the first for a non-number, the last for a number
    past the end), counted exactly: for lists that are always short (import batches, a summary's
    drill-down). `count`, when the caller has counted the records already, saves the COUNT query."""
    paginator = Paginator(records, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get(PAGE_PARAMETER))


def query_without_page(request: HttpRequest) -> str:
    """The list's query string without the page asked for, for the links to the other pages and the
    export."""
    query = request.GET.copy()
    for parameter in PAGING_PARAMETERS:
        query.pop(parameter, None)
    return query.urlencode()


def is_filtered(request: HttpRequest) -> bool:
    """Does the request narrow the list (an empty list then says "no match", not "nothing yet")?"""
    return any(
        value
        for key, value in request.GET.items()
        if key not in PAGING_PARAMETERS and key != PAGE_SIZE_PARAMETER
    )


def page_size(request: HttpRequest) -> int:
    """The page size the request chose (?per_page=20, 50 or 100), PAGE_SIZE for anything else."""
    try:
        size = int(request.GET.get(PAGE_SIZE_PARAMETER, ""))
    except (TypeError, ValueError):
        return PAGE_SIZE
    return size if size in PAGE_SIZE_CHOICES else PAGE_SIZE


def numbered_pages(size: int) -> int:
    """How many pages of `size` rows a long list offers by number: those within the first COUNT_LIMIT
    rows (NUMBERED_PAGES at the default size), so that OFFSET stays as bounded whatever the size."""
    return max(1, NUMBERED_PAGES * PAGE_SIZE // size)


def kept_parameters(request: HttpRequest) -> list[tuple[str, str]]:
    """The list's own query (search, filters, sort) as name/value pairs, for the hidden fields of the
    forms that choose a page size or jump to a page."""
    return [
        (key, value)
        for key, values in request.GET.lists()
        if key not in PAGING_PARAMETERS and key != PAGE_SIZE_PARAMETER
        for value in values
    ]


# --- The order of a list, as keyset paging needs it ------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One term of a list's order: a field path, its direction, and the field at its end."""

    path: str
    descending: bool
    field: Field
    nullable: bool

    def ordered(self, *, reverse: bool = False):
        descending = self.descending != reverse
        return F(self.path).desc() if descending else F(self.path).asc()


def _related_ordering(model: type[Model], prefix: str, descending: bool, depth: int) -> list[SortKey] | None:
    """Ordering by a relation means the related model's own ordering (or its pk), as Django does."""
    keys: list[SortKey] = []
    for item in model._meta.ordering or ["pk"]:
        if not isinstance(item, str):
            return None
        flipped = item.startswith("-") != descending
        expanded = _sort_keys(model, item.lstrip("-"), flipped, depth + 1)
        if expanded is None:
            return None
        keys += [
            SortKey(f"{prefix}{LOOKUP_SEP}{k.path}", k.descending, k.field, k.nullable) for k in expanded
        ]
    return keys


def _sort_keys(model: type[Model], path: str, descending: bool, depth: int = 0) -> list[SortKey] | None:
    """The sort keys an ordering item stands for, or None where keyset paging cannot follow it (an
    annotation, an expression, a many-valued relation)."""
    if depth > 3:
        return None
    current: type[Model] = model
    nullable = False
    parts = path.split(LOOKUP_SEP)
    for position, name in enumerate(parts):
        if name == "pk":
            field: Any = current._meta.pk
        else:
            try:
                field = current._meta.get_field(name)
            except Exception:  # an annotation or a lookup that is no field
                return None
        if field.many_to_many or field.one_to_many:
            return None
        nullable = nullable or bool(getattr(field, "null", False))
        if field.is_relation:
            if position == len(parts) - 1:
                keys = _related_ordering(field.related_model, path, descending, depth)
                if keys is None:
                    return None
                return [SortKey(k.path, k.descending, k.field, k.nullable or nullable) for k in keys]
            current = field.related_model
        elif position != len(parts) - 1:
            return None
    return [SortKey(path, descending, field, nullable)]


def sort_keys(records: QuerySet) -> list[SortKey] | None:
    """The order of `records` as sort keys ending in the primary key (added where the order lacks it,
    so that the order is total), or None where keyset paging cannot follow it."""
    query = records.query
    if query.extra_order_by or query.distinct_fields or query.combinator:
        return None
    items = list(query.order_by) or (list(records.model._meta.ordering) if query.default_ordering else [])
    keys: list[SortKey] = []
    for item in items:
        if not isinstance(item, str) or item == "?" or item.lstrip("-") in query.annotations:
            return None
        expanded = _sort_keys(records.model, item.lstrip("-"), item.startswith("-"))
        if expanded is None:
            return None
        keys += expanded
    pk = records.model._meta.pk
    if not any(key.field == pk and LOOKUP_SEP not in key.path for key in keys):
        keys.append(SortKey("pk", False, pk, False))
    return keys


def _nulls_last(key: SortKey, connection_alias: str, *, reverse: bool) -> bool:
    """Where the database puts NULL in this direction (PostgreSQL: last going up; SQLite: first)."""
    descending = key.descending != reverse
    return connections[connection_alias].features.nulls_order_largest != descending


def _past(key: SortKey, value: Any, alias: str, *, reverse: bool) -> Q | None:
    """Rows strictly past `value` in the key's direction (None: no row can be)."""
    descending = key.descending != reverse
    nulls_last = key.nullable and _nulls_last(key, alias, reverse=reverse)
    if value is None:
        if nulls_last:
            return None
        return Q(**{f"{key.path}__isnull": False})
    q = Q(**{f"{key.path}__{'lt' if descending else 'gt'}": value})
    if nulls_last:
        q |= Q(**{f"{key.path}__isnull": True})
    return q


def _same(key: SortKey, value: Any) -> Q:
    return Q(**{f"{key.path}__isnull": True}) if value is None else Q(**{key.path: value})


def keyset_q(keys: list[SortKey], values: list[Any], alias: str, *, reverse: bool = False) -> Q:
    """Rows that come after the row with `values` in the order `keys` (before it with `reverse`):
    the first key past, or equal on it and the second past, and so on. The first key's bound is
    stated on its own too, so that the database starts its index scan there."""
    terms = []
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        past = _past(key, value, alias, reverse=reverse)
        if past is not None:
            terms.append(equal & past)
        equal &= _same(key, value)
    if not terms:
        return Q(pk__in=[])
    condition = terms[0]
    for term in terms[1:]:
        condition |= term
    first, first_value = keys[0], values[0]
    if first_value is not None and not first.nullable:
        descending = first.descending != reverse
        condition &= Q(**{f"{first.path}__{'lte' if descending else 'gte'}": first_value})
    return condition


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _token(keys: list[SortKey], values: list[Any]) -> str:
    return signing.dumps([[k.path for k in keys], [_encode(v) for v in values]], salt=_SALT, compress=True)


def _values_of_token(keys: list[SortKey], token: str) -> list[Any] | None:
    """The sort values a link carried, or None for a token forged, damaged or made for another order."""
    try:
        paths, raw = signing.loads(token, salt=_SALT)
        if paths != [k.path for k in keys] or len(raw) != len(keys):
            return None
        return [
            None if value is None else key.field.to_python(value)
            for key, value in zip(keys, raw, strict=True)
        ]
    except Exception:  # a bad link opens the first page, never an error
        return None


# --- The page a staff list shows ---------------------------------------------------------------------


@dataclass
class ListPage:
    """One page of a staff list, for templates/federation/_pagination.html and the list's title.

    `count` is exact up to COUNT_LIMIT; past it `count_capped` is true and `count` is COUNT_LIMIT
    (「超过 10 000」). `number` is the page's number, or None for a page reached by keyset. The
    `*_query` attributes are the paging part of the links (added to the list's own query)."""

    object_list: list
    count: int
    count_capped: bool
    number: int | None
    num_pages: int | None
    first_query: str = ""
    previous_query: str = ""
    next_query: str = ""
    last_query: str = ""
    # The page size shown, the page numbers one may jump to (1..jump_max), and the list's own query
    # for the forms that change them (templates/federation/_pagination.html).
    size: int = PAGE_SIZE
    jump_max: int = 1
    kept: list = dataclasses.field(default_factory=list)
    size_choices: tuple = PAGE_SIZE_CHOICES

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def paginator(self) -> ListPage:
        # Templates written for Django's Page read page.paginator.count and .num_pages.
        return self

    @property
    def count_text(self) -> str:
        """The count as the title prints it: 10,000."""
        return f"{self.count:,}"

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_query)

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def capped_count(records: QuerySet) -> int:
    """How many records there are, counting no further than COUNT_LIMIT + 1."""
    # Only the keys: the joins of select_related would be read for every counted row.
    return records.order_by().select_related(None).values("pk")[: COUNT_LIMIT + 1].count()


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


def list_page(request: HttpRequest, records: QuerySet, *, count: int | None = None) -> ListPage:
    """The page of a staff list that the request asks for (?page=, ?after=, ?before=, ?page=last, in
    pages of ?per_page= rows): by number for a list of up to COUNT_LIMIT records, by keyset past that
    (see the module's docstring). A page number past the end opens the last page; a bad number or
    link opens the first."""
    if count is None:
        count = capped_count(records)
    size = page_size(request)
    if count <= COUNT_LIMIT:
        paginator = Paginator(records, size)
        paginator.count = count  # counted already: no second COUNT
        page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
        listed = ListPage(
            object_list=list(page.object_list),
            count=count,
            count_capped=False,
            number=page.number,
            num_pages=page.paginator.num_pages,
            first_query=f"{PAGE_PARAMETER}=1" if page.number > 1 else "",
            previous_query=f"{PAGE_PARAMETER}={page.number - 1}" if page.has_previous() else "",
            next_query=f"{PAGE_PARAMETER}={page.number + 1}" if page.has_next() else "",
            last_query=f"{PAGE_PARAMETER}={page.paginator.num_pages}" if page.has_next() else "",
            jump_max=page.paginator.num_pages,
        )
    else:
        listed = _long_list_page(request, records, size)
        listed.jump_max = numbered_pages(size)
    listed.size = size
    listed.kept = kept_parameters(request)
    return listed


def _long_list_page(request: HttpRequest, records: QuerySet, size: int) -> ListPage:
    keys = sort_keys(records)
    if keys is None:
        return _numbered_long_page(request, records, size)
    alias = records.db
    ordered = records.order_by(*(k.ordered() for k in keys))
    backwards = records.order_by(*(k.ordered(reverse=True) for k in keys))
    after = _values_of_token(keys, request.GET.get(AFTER_PARAMETER, ""))
    before = _values_of_token(keys, request.GET.get(BEFORE_PARAMETER, ""))
    raw_page = request.GET.get(PAGE_PARAMETER)
    last_numbered = numbered_pages(size)
    number: int | None = None
    at_start = at_end = False
    if after is not None:
        rows = list(ordered.filter(keyset_q(keys, after, alias))[: size + 1])
        at_end = len(rows) <= size
        rows = rows[:size]
        if not rows:
            rows, at_end = list(backwards[:size])[::-1], True
    elif before is not None:
        rows = list(backwards.filter(keyset_q(keys, before, alias, reverse=True))[: size + 1])
        if len(rows) <= size:  # back at the start: show the first page whole
            rows, number, at_start = list(ordered[:size]), 1, True
        else:
            rows = rows[:size][::-1]
    elif raw_page == LAST_PAGE:
        rows, at_end = list(backwards[:size])[::-1], True
    else:
        number = min(_page_number(raw_page), last_numbered)
        rows = list(ordered[(number - 1) * size : number * size])
        at_start = number == 1
    if not rows:
        return ListPage(object_list=[], count=COUNT_LIMIT, count_capped=True, number=None, num_pages=None)
    values = _boundary_values(records.model, keys, rows)
    first_values, last_values = values[rows[0].pk], values[rows[-1].pk]
    if number is not None and number > 1:
        previous = f"{PAGE_PARAMETER}={number - 1}"
    elif at_start:
        previous = ""
    else:
        previous = f"{BEFORE_PARAMETER}={_token(keys, first_values)}"
    if at_end:
        following = ""
    elif number is not None and number < last_numbered:
        following = f"{PAGE_PARAMETER}={number + 1}"
    else:
        following = f"{AFTER_PARAMETER}={_token(keys, last_values)}"
    return ListPage(
        object_list=rows,
        count=COUNT_LIMIT,
        count_capped=True,
        number=number,
        num_pages=None,
        first_query="" if at_start else f"{PAGE_PARAMETER}=1",
        previous_query=previous,
        next_query=following,
        last_query="" if at_end else f"{PAGE_PARAMETER}={LAST_PAGE}",
    )


def _boundary_values(model: type[Model], keys: list[SortKey], rows: list[Model]) -> dict[Any, list[Any]]:
    """The sort values of the first and the last row of a page (one query), for the keyset links."""
    pks = {rows[0].pk, rows[-1].pk}
    found = model._base_manager.filter(pk__in=pks).values_list("pk", *(k.path for k in keys))
    return {row[0]: list(row[1:]) for row in found}


def _numbered_long_page(request: HttpRequest, records: QuerySet, size: int) -> ListPage:
    """A long list in an order keyset paging cannot follow: its first numbered pages (OFFSET is
    bounded by COUNT_LIMIT), and no further — the page says to narrow the list."""
    last_numbered = numbered_pages(size)
    number = min(_page_number(request.GET.get(PAGE_PARAMETER)), last_numbered)
    rows = list(records[(number - 1) * size : number * size])
    return ListPage(
        object_list=rows,
        count=COUNT_LIMIT,
        count_capped=True,
        number=number,
        num_pages=None,
        first_query=f"{PAGE_PARAMETER}=1" if number > 1 else "",
        previous_query=f"{PAGE_PARAMETER}={number - 1}" if number > 1 else "",
        next_query=f"{PAGE_PARAMETER}={number + 1}" if number < last_numbered else "",
    )
