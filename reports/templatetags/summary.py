"""Printing the parts of a summary paragraph or table cell: text, Figures and bold leads.

On the interactive page (`links` in the context) a name taken from a record (Named: an honoured
member, an activity, a contract's enterprise) links to that record's page, and a Figure links to the
records it counts — the staff list, filtered, where one holds exactly those records
(reports.summary.staff_links), else the reports' drill-down list — or, for a rate, to its definition
in the appendix, with the definition as its tooltip; in the PDF and the standalone HTML it is plain text.
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from federation.scope import Period
from reports import subjects
from reports.summary.figures import DEFINITION, Figure, Named, Paragraph, Strong
from reports.summary.periods import summary_args
from reports.summary.staff_links import staff_list_url

register = template.Library()


def _figure(context, figure: Figure) -> str:
    if not context.get("links"):
        return format_html('<span class="fig">{}</span>', figure.text)
    if figure.kind == DEFINITION:
        return format_html(
            '<a class="fig def" href="#def-{}" title="{}">{}</a>', figure.key, figure.title, figure.text
        )
    federation, year = context.get("federation"), context.get("year")
    # The staff lists filter by calendar year: a half-year's figures keep the reports' drill-down.
    doc = context.get("doc")
    annual = doc is None or doc.kind == Period.kind
    url = staff_list_url(figure, federation.pk, year) if federation is not None and year and annual else None
    if url is None:
        base = context["drill_base_previous"] if figure.previous else context["drill_base"]
        url = f"{base}{figure.drill_path}"
    return format_html('<a class="fig" href="{}" title="{}">{}</a>', url, figure.title, figure.text)


def _part(context, part) -> str:
    if isinstance(part, Figure):
        return _figure(context, part)
    if isinstance(part, Strong):
        return format_html("<strong>{}</strong>", part.text)
    if isinstance(part, Named):
        if not context.get("links"):
            return format_html('<span class="named">{}</span>', part.text)
        return format_html('<a class="named" href="{}" title="{}">{}</a>', part.url, part.title, part.text)
    return format_html("{}", part)


@register.simple_tag(takes_context=True)
def parts(context, value):
    """A Paragraph, a Figure or a plain value, as HTML."""
    items = value.parts if isinstance(value, Paragraph) else [value]
    return format_html_join("", "{}", ((_part(context, item),) for item in items))


_STYLE_TAG = re.compile(r"<style(?=[\s>])")


@register.simple_tag(takes_context=True)
def chart_svg(context, chart) -> str:
    """A chart's SVG (pygal's trusted output), its <style> carrying the request's CSP nonce on a page
    the browser shows; the PDF and the standalone HTML, rendered without a request, need none."""
    request = context.get("request")
    # django-csp's nonce is lazy (and false until read): reading it here puts it in the header.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    svg = chart.svg
    if nonce:
        svg = _STYLE_TAG.sub(f'<style nonce="{nonce}"', svg)
    return mark_safe(svg)


@register.simple_tag
def summary_url(name: str, subject, year: int, kind: str = Period.kind, *more) -> str:
    """{% url %} for a summary's pages, the year's or the half-year's (reports.urls), of `subject`: a
    federation or a union (its own summary: reports.subjects), or a federation's pk."""
    if isinstance(subject, int | str):
        return reverse(name, args=summary_args(subject, year, kind or Period.kind, *more))
    return subjects.url(name, subject, year, kind or Period.kind, *more)
