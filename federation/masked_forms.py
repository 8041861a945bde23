"""Edit forms that hold someone's phone or ID number (a union chair's phone, a federation's contact
phone): a user who may not see the number in full (`scoping.can_see_full_identifiers`) must not find
it in the form's HTML either. Such a field starts empty, says the masked current number, and left
empty keeps it."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from federation.input_hints import hint_inputs


class HiddenNumbersFormMixin(forms.ModelForm):
    """`hidden_numbers` maps a field of the instance to its mask (federation.identifiers)."""

    hidden_numbers: dict[str, Callable[[str], str]] = {}

    def __init__(self, *args, full_identifiers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        hint_inputs(self)
        self.kept_hidden: set[str] = set()
        if full_identifiers:
            return
        for name, mask in self.hidden_numbers.items():
            current = getattr(self.instance, name, "") if self.instance.pk else ""
            if name in self.fields and current:
                self.kept_hidden.add(name)
                self.initial[name] = ""
                self.fields[name].help_text = _("当前号码%(masked)s；留空则不修改。") % {
                    "masked": mask(current)
                }

    def clean(self):
        cleaned = super().clean()
        for name in self.kept_hidden:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned
