"""What a phone's keyboard and the browser's autofill should offer in the fields that hold ID and
phone numbers, set in one place for every form that has such a field.

- 居民身份证号: `inputmode="numeric"` — the digit keypad, as 17 of the 18 characters are digits. No
  keypad has digits and X; `inputmode="text"` would give the full keyboard for every number to allow
  one X in ten. So the keypad it is, and static/js/id_number.js adds an 「X」 button beside the field
  for the check character (typed X works too: the keypad is a hint, not a limit). `pattern` says
  the shape (17 digits, then a digit or X); the server checks it with the check digit whatever the
  browser does. For another kind of document (passport …) the script gives the full keyboard back.
- phone numbers: `type="tel"` (the phone keypad, `inputmode="tel"` besides for older browsers).
- autofill: `autocomplete="off"` on both. The staff type *other people's* numbers here; the browser's
  own tokens (`tel`, …) describe the person at the keyboard and would offer the clerk's own number.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

ID_NUMBER_ATTRS = {
    "inputmode": "numeric",
    "pattern": "[0-9]{17}[0-9Xx]",
    "autocomplete": "off",
    "spellcheck": "false",
    "data-id-number": "",
    "data-x-label": _("输入校验码X"),
}
PHONE_ATTRS = {"inputmode": "tel", "autocomplete": "off"}

ID_NUMBER_FIELDS = frozenset({"id_number"})
PHONE_FIELDS = frozenset({"mobile", "chair_phone", "contact_phone", "phone"})


def hint_inputs(form: forms.BaseForm) -> None:
    """Give the form's ID-number and phone fields the attributes above."""
    for name, field in form.fields.items():
        if name in ID_NUMBER_FIELDS and isinstance(field.widget, forms.TextInput):
            field.widget.attrs.update(ID_NUMBER_ATTRS)
        elif name in PHONE_FIELDS and isinstance(field.widget, forms.TextInput):
            field.widget.input_type = "tel"
            field.widget.attrs.update(PHONE_ATTRS)
