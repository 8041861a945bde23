"""Posting a page's form back as it was rendered."""


def form_data(form, **changes) -> dict:
    """The values a browser would send for `form` untouched (checkboxes only when ticked), then `changes`."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data | changes
