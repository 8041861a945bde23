"""The column headers of a staff list that sort it: a click sorts by the column, a second click
reverses it, through the list's own `sort` ordering filter (the same as its 排序 choice), keeping the
search, filters and page size and starting again at the first page."""

from __future__ import annotations

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import format_html
from django.utils.translation import gettext as _

from federation.lists.paging import PAGING_PARAMETERS

register = template.Library()

SORT_PARAMETER = "sort"


def _sort_choices(filterset) -> set[str]:
    ordering = getattr(filterset, "filters", {}).get(SORT_PARAMETER)
    if ordering is None:
        raise ImproperlyConfigured("A sortable header needs a list whose filter has a `sort` ordering.")
    return set(ordering.param_map)


@register.simple_tag(takes_context=True)
def sort_header(context, column: str, label: str, css_class: str = "") -> str:
    """`<th>` of a column the list sorts by: `column` is a value of the filter's `sort` (e.g. "name",
    "-name" reversing it). The header says how the list is sorted now (aria-sort and an arrow)."""
    if column not in _sort_choices(context["filter"]):
        raise ImproperlyConfigured(f"The list cannot be sorted by {column!r}.")
    request = context["request"]
    current = (request.GET.get(SORT_PARAMETER) or "").split(",")[0].strip()
    # The arrow is drawn by the stylesheet (th[aria-sort]), so that the header's text stays its name
    # (static/js/list_cards.js copies it under each cell on a phone).
    if current == column:
        direction, following = "ascending", f"-{column}"
    elif current == f"-{column}":
        direction, following = "descending", column
    else:
        direction, following = "", column
    query = request.GET.copy()
    for parameter in PAGING_PARAMETERS:
        query.pop(parameter, None)
    query[SORT_PARAMETER] = following
    title = _("按%(label)s降序排列") if following.startswith("-") else _("按%(label)s升序排列")
    return format_html(
        '<th{}{}><a class="sort" href="?{}" title="{}">{}</a></th>',
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' aria-sort="{}"', direction) if direction else "",
        query.urlencode(),
        title % {"label": label},
        label,
    )
