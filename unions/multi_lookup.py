"""Choosing several unions among thousands (the unions a regional contract covers): the chosen ones
as ticked checkboxes, and a search field to add more (unions.lookup's endpoint and script).

Without JavaScript, unticking removes a union and the text input takes more names or credit codes,
separated by “；” or new lines; the server resolves each exactly, as for one union.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django import forms

from unions.lookup import TEXT_SUFFIX, UnionLookupWidget, resolve_union_text

SEPARATORS = re.compile(r"[\n\r;；]+")


class MultiLookupValue(NamedTuple):
    """The ticked ids and the typed text."""

    ids: tuple[str, ...]
    text: str


class UnionMultiLookupWidget(UnionLookupWidget):
    template_name = "unions/widgets/union_multi_lookup.html"

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(ids, str | int):
            ids = [ids]
        return MultiLookupValue(tuple(str(i) for i in ids if i), data.get(name + TEXT_SUFFIX) or "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen, text = value if isinstance(value, tuple) and len(value) == 2 else ([], "")
        context["widget"].update({"chosen": chosen, "text_value": text})
        return context


class UnionMultiLookupField(forms.ModelMultipleChoiceField):
    """Unions of the queryset, ticked by id or typed by exact name or credit code."""

    def __init__(self, queryset, *, purpose: str = "records", **kwargs):
        kwargs.setdefault("widget", UnionMultiLookupWidget(purpose=purpose))
        super().__init__(queryset, **kwargs)
        self._cleaned: dict[MultiLookupValue, list] = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._cleaned = {}
        return result

    def clean(self, value):
        if not isinstance(value, MultiLookupValue):
            return super().clean(value)
        chosen = list(self._check_values(value.ids)) if value.ids else []
        errors = []
        for text in filter(None, (t.strip() for t in SEPARATORS.split(value.text))):
            try:
                union = resolve_union_text(self.queryset, text)
            except forms.ValidationError as error:
                errors.append(error)
                continue
            if union not in chosen:
                chosen.append(union)
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not chosen:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        self._cleaned[value] = chosen
        return chosen

    def prepare_value(self, value):
        """[(id, name)] of the chosen unions and the text to show again."""
        if isinstance(value, MultiLookupValue):
            if value in self._cleaned:
                return [(u.pk, u.name) for u in self._cleaned[value]], ""
            ids, text = value.ids, value.text
        else:
            ids, text = [getattr(v, "pk", v) for v in (value or [])], ""
        ids = [i for i in ids if str(i).isdigit()]
        chosen = (
            list(self.queryset.filter(pk__in=ids).order_by("name").values_list("pk", "name")) if ids else []
        )
        return chosen, text

    def has_changed(self, initial, data):
        if not isinstance(data, MultiLookupValue):
            return super().has_changed(initial, data)
        before = {str(getattr(v, "pk", v)) for v in (initial or [])}
        return bool(data.text.strip()) or before != set(data.ids)
