from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("基层工会")

    def ready(self) -> None:
        # Export jobs find a list's export by its key (federation.exports.registry).
        from unions.lists import ACTIVITIES, CONTRACTS, UNIONS

        for staff_list in (UNIONS, CONTRACTS, ACTIVITIES):
            staff_list.register_export()
