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

        # Permission names in Chinese after every migrate (federation.permission_names); connected
        # after django.contrib.auth's own receiver, which creates the permissions first.
        from django.db.models.signals import post_migrate

        from federation.permission_names import name_permissions_in_chinese

        post_migrate.connect(name_permissions_in_chinese, dispatch_uid="federation.permission_names")
