from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("工会联合会")

    def ready(self) -> None:
        # Every form's text fields clean their value the one way (federation.text); every model
        # form shows an error of a field it lacks above the form (federation.service_errors).
        from federation.service_errors import install_model_form_errors
        from federation.text import install_form_cleaning

        install_form_cleaning()
        install_model_form_errors()

        # Export jobs find a list's export by its key (federation.exports.registry).
        from federation.federations.lists import FEDERATIONS

        FEDERATIONS.register_export()
