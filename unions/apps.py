from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("基层工会")

    def ready(self) -> None:
        from federation.imports import forms
        from unions.lookup import record_union_field

        # The import page chooses the union a roster goes into with the union search field.
        forms.register_union_field(record_union_field)
