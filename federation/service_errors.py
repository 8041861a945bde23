"""Showing a refusal — a service's, or a model's own clean() — on the form that asked for it.

An error may name a field the form does not have: the union's edit form has no 本届任期开始日期, yet
the model refuses a 建会日期 later than it under that field's name. Django would raise ValueError
(`'UnionEditForm' has no field named 'term_started_on'`, an HTTP 500); here such an error is shown
above the form instead, prefixed with the field's name so that it still says what is wrong. This
holds for every model form — the staff pages' and the admin's — through `install_model_form_errors()`.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError


def _label(form, field: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return str(model._meta.get_field(field).verbose_name) if model else field
    except FieldDoesNotExist:  # not a model field: the name is all there is
        return field


def on_form(form, exc: ValidationError) -> ValidationError:
    """`exc` with the errors of fields that are not on `form` moved above it (named)."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict[str, list] = {}
    for field, field_errors in exc.error_dict.items():
        if field == NON_FIELD_ERRORS or field in form.fields:
            errors.setdefault(field, []).extend(field_errors)
        else:
            label = _label(form, field)
            errors.setdefault(NON_FIELD_ERRORS, []).extend(
                ValidationError(f"{label}：{message}") for message in ValidationError(field_errors).messages
            )
    return ValidationError(errors)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's errors beside the fields they name (the rest above the form)."""
    form.add_error(None, on_form(form, exc))


def install_model_form_errors() -> None:
    """Every ModelForm shows a model's error for a field it does not have above the form."""
    if getattr(forms.BaseModelForm._update_errors, "keeps_unknown_fields", False):
        return
    original = forms.BaseModelForm._update_errors

    def _update_errors(self, errors):
        original(self, on_form(self, errors))

    _update_errors.keeps_unknown_fields = True  # type: ignore[attr-defined]
    forms.BaseModelForm._update_errors = _update_errors
