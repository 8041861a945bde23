"""The data a browser would send back for a form as it was shown: its initial values, as strings."""

import datetime as dt

from django import forms

from unions.lookup import TEXT_SUFFIX, LookupValue


def form_data(form: forms.BaseForm, **changes) -> dict:
    """The values a browser would send for `form` untouched (checkboxes only when ticked), then `changes`."""
    data: dict = {}
    for bound in form:
        field, value = bound.field, bound.value()
        name = bound.html_name
        if isinstance(field, forms.FileField) or value is None:
            continue
        if isinstance(value, LookupValue):
            data[name], data[name + TEXT_SUFFIX] = value.id, value.text or ""
        elif isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data | changes
