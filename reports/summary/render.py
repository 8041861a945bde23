"""Rendering the annual summary: a standalone HTML page and a print-ready PDF, from one template.

    render_summary_html(document) -> str     a full page with the stylesheet inlined
    render_summary_pdf(document) -> bytes    the same page laid out by WeasyPrint (A4)

The PDF is WeasyPrint's rendering of exactly the HTML of `render_summary_html`, so text, tables and
chart SVGs are the same in both. Fonts are subset by WeasyPrint (with libharfbuzz-subset0): never
ask it for full fonts — a full CJK face makes a 50 MB PDF.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from federation.text import TEXT_LIMIT
from reports import subjects
from reports.models import SummaryDraft
from reports.summary.document import SummaryDocument

logger = logging.getLogger(__name__)

STYLESHEET = "css/summary.css"
# A county's summary runs to some twenty pages. Far beyond that is text pasted by mistake, and laying
# out a thousand pages holds a worker for minutes (three such requests stopped the whole site).
MAX_PAGES = 100


class SummaryTooLong(ValidationError):
    """The summary would be too long to print: its text must be shortened first."""

    def __init__(self, pages: int | None = None):
        if pages is None:
            message = _("文字部分有一段超过%(limit)s字，请先在“编辑文字部分”中缩短后再生成PDF。")
            super().__init__(message, code="too_long", params={"limit": TEXT_LIMIT})
        else:
            message = _("总结排版后有%(pages)s页，超过%(limit)s页的上限，请先缩短文字部分后再生成PDF。")
            super().__init__(message, code="too_long", params={"pages": pages, "limit": MAX_PAGES})


def _stylesheet_text() -> str:
    path = finders.find(STYLESHEET) or str(Path(settings.BASE_DIR) / "static" / STYLESHEET)
    return Path(path).read_text(encoding="utf-8")


def drill_bases(document: SummaryDocument) -> dict:
    """Where the figures of the interactive page link to (this year's records and last year's)."""
    subject, kind = document.subject, document.kind
    return {
        "drill_base": subjects.url("reports:summary", subject, document.year, kind) + "drill/",
        "drill_base_previous": subjects.url("reports:summary", subject, document.year - 1, kind) + "drill/",
    }


def summary_context(document: SummaryDocument, *, links: bool = False, preview: bool = False) -> dict:
    context = {"doc": document, "links": links, "preview": preview}
    if links:
        context.update(drill_bases(document))
    return context


def render_summary_html(document: SummaryDocument, *, links: bool = False) -> str:
    """The summary as one standalone HTML page (stylesheet inlined, charts inline SVG).

    With links=True every figure links to its drill-down list on this server; the default is the
    self-contained document (what the PDF is made from, and what the command line writes).
    """
    context = summary_context(document, links=links)
    context["summary_css"] = _stylesheet_text()
    return render_to_string("reports/summary_standalone.html", context)


def check_printable(document: SummaryDocument) -> None:
    """Refuse (SummaryTooLong) a summary whose staff text is longer than a form now accepts — a draft
    saved before the limit — before anything is laid out."""
    draft = document.draft
    if draft is not None and any(
        len(getattr(draft, f) or "") > TEXT_LIMIT for f in SummaryDraft.NARRATIVE_FIELDS
    ):
        raise SummaryTooLong()


def render_summary_pdf(document: SummaryDocument) -> bytes:
    """The summary as an A4 PDF (WeasyPrint), from the HTML of render_summary_html; SummaryTooLong
    (a Chinese message) for a text too long to print or a layout of more than MAX_PAGES pages."""
    import weasyprint  # heavy: loaded on first use, not at start-up

    check_printable(document)
    html = render_summary_html(document)
    started = time.perf_counter()
    laid_out = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    if len(laid_out.pages) > MAX_PAGES:
        raise SummaryTooLong(len(laid_out.pages))
    pdf = laid_out.write_pdf()
    logger.info("summary PDF %s: %d bytes in %.2f s", document.title, len(pdf), time.perf_counter() - started)
    return pdf
