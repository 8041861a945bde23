"""Text clean at the door: the one cleaning step every text input goes through — form fields (staff
pages, the admin, list filters), the query string and the import's cells.

- Control characters go. NUL is refused by PostgreSQL (a request carrying `%00` into a query was an
  HTTP 500) and C0/C1 characters such as ESC or BEL make every workbook that holds them fail
  (openpyxl refuses them). A multi-line field (a Textarea, a note cell) keeps its tabs and line
  breaks, with CR LF made LF; a single-line field gets a space for them instead.
- Unicode is normalised. A single-line value — a name, an address, a code — has its full-width
  letters and digits made half-width and the ideographic space made a space, so that a union typed
  into a form and the same union in a file are the same string; everything else is NFC (composed).
  Chinese full-width punctuation （，：；） stays as written, in a line as in prose: official names such
  as 某某（北京）有限公司工会 are written with full-width brackets.

Two places apply it: `RequestTextCleaning` (middleware) strips control characters from every GET and
POST value before any view, filter or admin page reads it — whatever reads the raw query string (the
union lookup's `?q=`, the admin's search) is safe too; `install_form_cleaning()` makes every
forms.CharField (ModelForm text fields, CharFilter, the admin's) apply `clean_text` with its own
knowledge of being single- or multi-line.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.db import models
from django.http import QueryDict

# What a multi-line text (a TextField: a narrative part, a description, notes) may hold unless its
# model field says otherwise: some pages of prose. Without a limit, nine parts of 55 000 characters
# made a 1 108-page summary PDF.
TEXT_LIMIT = 5000
# What a list's search box takes: a name, an ID number, a title.
SEARCH_LIMIT = 100

# C0 controls, DEL and C1 controls.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The same, less tab, LF and CR: what a multi-line value may keep.
CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
# Tab, LF, CR, VT and FF: white space that a single-line value turns into a space.
LINE_SPACE = re.compile(r"[\t\n\r\x0b\x0c]+")
# Full-width digits and Latin letters (Ａ-Ｚ, ａ-ｚ, ０-９) made half-width, the ideographic and the
# no-break space made spaces;
# full-width punctuation is left alone.
HALF_WIDTH = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
    0x00A0: 0x20,
}


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` without control characters and normalised (see the module's docstring). Surrounding
    spaces are left to the caller (a form field strips them; so does an import cell)."""
    if value.isprintable():
        if value.isascii():
            return value  # the common case, at no cost
        if not multiline:
            # No control character nor line space is printable (nor U+3000, U+00A0): only the
            # full-width letters and digits remain to fold (a Chinese name, 100 000 times in a roster).
            return unicodedata.normalize("NFC", value.translate(HALF_WIDTH))
    if multiline:
        value = CONTROL_BUT_LINES.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
        return unicodedata.normalize("NFC", value)
    value = CONTROL.sub("", LINE_SPACE.sub(" ", value))
    return unicodedata.normalize("NFC", value.translate(HALF_WIDTH))


def without_controls(value: str) -> str:
    """What any request value may hold: no control character but tab and line breaks."""
    return CONTROL_BUT_LINES.sub("", value)


def _clean_query_dict(data: QueryDict) -> QueryDict:
    if not any(CONTROL_BUT_LINES.search(key + "".join(values)) for key, values in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(without_controls(key), [without_controls(v) for v in values])
    cleaned._mutable = False
    return cleaned


class RequestTextCleaning:
    """Middleware: no GET or POST value reaches a view with a control character (tab and line breaks
    aside, which a textarea may hold; the form field decides), and no cookie with one reaches the
    session (a session key with a NUL was a query PostgreSQL refuses). It comes before the session
    middleware for that reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _clean_query_dict(request.GET)
        if request.method == "POST":
            request.POST = _clean_query_dict(request.POST)
        if any(CONTROL.search(value) for value in request.COOKIES.values()):
            request.COOKIES = {k: v for k, v in request.COOKIES.items() if not CONTROL.search(v)}
        return self.get_response(request)


def _is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def install_form_cleaning() -> None:
    """Make every forms.CharField (and its subclasses: the admin's, django-filter's CharFilter, the
    fields of model CharFields and TextFields) clean its value with clean_text. A field with
    strip=False (a password) is left exactly as typed, as Django intends. The form field of every
    model TextField without a max_length of its own takes TEXT_LIMIT (the staff pages' and the
    admin's alike)."""
    if getattr(forms.CharField.to_python, "cleans_text", False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        value = original(self, value)
        if isinstance(value, str) and value and self.strip:
            value = clean_text(value, multiline=_is_multiline(self)).strip() or self.empty_value
        return value

    to_python.cleans_text = True  # type: ignore[attr-defined]
    forms.CharField.to_python = to_python

    original_formfield = models.TextField.formfield

    def formfield(self, **kwargs):
        if self.max_length is None:
            kwargs.setdefault("max_length", TEXT_LIMIT)
        return original_formfield(self, **kwargs)

    models.TextField.formfield = formfield
