"""Choosing one union among thousands: a search field instead of a <select>.

The widget is a text input (search-as-you-type through static/js/union_lookup.js and the JSON
endpoint `unions:lookup`) plus a hidden input carrying the id under the field's own name, so links
such as `?union=<id>` keep working. Without JavaScript the text input alone is enough: the server
resolves an exact union name or credit code, and says so in Chinese when none or several match.

The field always validates against its own (scoped) queryset: an id outside it is refused whatever
the browser sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.identifiers import normalise_credit_code
from federation.text import SEARCH_LIMIT
from unions.choices import UnionStatus
from unions.models import GrassrootsUnion

MAX_RESULTS = 20
TEXT_SUFFIX = "_text"
NOT_FOUND = _("找不到名为“%(text)s”的基层工会：请输入完整的工会名称或统一社会信用代码，或从提示中选择。")
AMBIGUOUS = _("有多个基层工会名为“%(text)s”：请改为输入其统一社会信用代码。")


class LookupValue(NamedTuple):
    """What the browser sent: the hidden id and the typed text (None when the text was not sent at
    all, as in a link `?union=<id>`)."""

    id: str
    text: str | None


# --- What each purpose may offer ----------------------------------------------------------------


def active_unions(queryset):
    return queryset.filter(status=UnionStatus.ACTIVE)


def unions_for_filter(user) -> object:
    """Every union the user may see (list filters)."""
    return scoping.visible(user, GrassrootsUnion)


def unions_for_records(user) -> object:
    """The active unions the user keeps (the organiser or party of a new record)."""
    return active_unions(scoping.owned(user, GrassrootsUnion))


# Purposes that an app above this one offers, registered when it starts (members: "transfer", the
# unions a member's transfer may go to): name → function(user, query parameters) → unions.
PURPOSES: dict[str, Callable] = {}


def register_purpose(name: str, unions_for: Callable) -> None:
    PURPOSES[name] = unions_for


def search_unions(queryset, text: str):
    """Name contains the text, or the credit code matches exactly (an indexed lookup)."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(name__icontains=text) | Q(credit_code=normalise_credit_code(text)))


def resolve_union_text(queryset, text: str) -> GrassrootsUnion:
    """The one union of the queryset with this exact name or credit code (a Chinese error if none or
    several)."""
    matches = list(queryset.filter(Q(name=text) | Q(credit_code=normalise_credit_code(text)))[:2])
    if not matches:
        raise forms.ValidationError(NOT_FOUND, "not_found", {"text": text})
    if len(matches) > 1:
        raise forms.ValidationError(AMBIGUOUS, "ambiguous", {"text": text})
    return matches[0]


@login_required
def union_lookup(request):
    """JSON: at most MAX_RESULTS unions of the user's scope for the purpose, matching `q`."""
    user, purpose = request.user, request.GET.get("purpose", "filter")
    if purpose in PURPOSES:
        queryset = PURPOSES[purpose](user, request.GET)
    elif purpose == "records":
        queryset = unions_for_records(user)
    else:
        queryset = unions_for_filter(user)
    rows = (
        search_unions(queryset, request.GET.get("q", "")[:SEARCH_LIMIT])
        .order_by("name", "pk")
        .values("pk", "name", "federation__name")[:MAX_RESULTS]
    )
    results = [{"id": r["pk"], "name": r["name"], "federation": r["federation__name"]} for r in rows]
    return JsonResponse({"results": results})


# --- Widget, form field and filter -------------------------------------------------------------


class UnionLookupWidget(forms.Widget):
    template_name = "unions/widgets/union_lookup.html"

    def __init__(self, attrs=None, purpose: str = "filter"):
        super().__init__(attrs)
        self.purpose = purpose
        self.params: dict[str, object] = {}

    def value_from_datadict(self, data, files, name):
        return LookupValue(data.get(name, ""), data.get(name + TEXT_SUFFIX))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = urlencode({"purpose": self.purpose, **self.params})
        widget = context["widget"]
        widget.update(
            {
                "text_name": name + TEXT_SUFFIX,
                "url": f"{reverse('unions:lookup')}?{query}",
                "listbox_id": f"{widget['attrs'].get('id', name)}_options",
            }
        )
        if isinstance(value, LookupValue):
            widget.update({"id_value": value.id or "", "text_value": value.text or ""})
        return context


class UnionLookupField(forms.ModelChoiceField):
    """One union of the queryset, given by id (the hidden input) or by exact name or credit code."""

    widget = UnionLookupWidget

    def __init__(self, queryset, *, purpose: str = "filter", **kwargs):
        kwargs.setdefault("widget", UnionLookupWidget(purpose=purpose))
        super().__init__(queryset, **kwargs)
        self._resolved: dict[LookupValue, GrassrootsUnion | None] = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._resolved = {}
        return result

    def to_python(self, value):
        if not isinstance(value, LookupValue):
            return super().to_python(value)
        if value not in self._resolved:
            self._resolved[value] = self._resolve(value)
        return self._resolved[value]

    def _resolve(self, value: LookupValue):
        text = (value.text or "").strip()
        if value.text is None or (value.id and text):
            union = super().to_python(value.id)
            if value.text is None or union is None or text in (union.name, union.credit_code):
                return union
        return resolve_union_text(self.queryset, text) if text else None

    def prepare_value(self, value):
        """What the widget shows: the union's id and name (a valid choice re-displays by its name)."""
        if isinstance(value, LookupValue):
            union = self._resolved.get(value)
            if union is not None:
                return LookupValue(str(union.pk), union.name)
            if value.text is not None:
                return value
            value = value.id
        if isinstance(value, GrassrootsUnion):
            return LookupValue(str(value.pk), value.name)
        if value in self.empty_values:
            return LookupValue("", "")
        try:
            name = self.queryset.filter(pk=value).values_list("name", flat=True).first()
        except (ValueError, TypeError):
            name = None
        return LookupValue(str(value), name or "")

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except forms.ValidationError:
            return True
        return str(getattr(data, "pk", "") or "") != str(self.prepare_value(initial).id)

    def set_lookup_params(self, **params) -> None:
        """Extra query parameters of the lookup endpoint (the member of a transfer)."""
        self.widget.params = params


class RecordUnionField(UnionLookupField):
    """The union a new record belongs to (a ModelForm's `union`, via Meta.field_classes): the search
    offers the active unions the user keeps; the form's queryset decides what is valid."""

    def __init__(self, queryset, *, purpose: str = "records", **kwargs):
        super().__init__(queryset, purpose=purpose, **kwargs)


class UnionLookupFilter(django_filters.ModelChoiceFilter):
    """A list filter on one union of the user's scope, by the search widget."""

    field_class = UnionLookupField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _visible_unions)
        super().__init__(*args, **kwargs)
        self.extra.pop("empty_label", None)


def _visible_unions(request):
    if request is None:
        return GrassrootsUnion.objects.none()
    return unions_for_filter(request.user)


def record_union_field(user, **kwargs) -> RecordUnionField:
    """The search field over the active unions `user` keeps (the union an import goes into)."""
    return RecordUnionField(unions_for_records(user), **kwargs)
