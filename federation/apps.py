from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("工会联合会")

    def ready(self) -> None:
        # Every form's text fields clean their value the one way (federation.text).
        from federation.text import install_form_cleaning

        install_form_cleaning()

        # Export jobs find a list's export by its key (federation.exports.registry).
        from federation.federations.lists import FEDERATIONS

        FEDERATIONS.register_export()
