from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("基层工会")

    def ready(self) -> None:
        from federation.imports import forms, registry
        from federation.models import ImportBatch
        from unions.imports.union_list import UnionListSpec, UnionYearSpec
        from unions.lookup import record_union_field

        registry.register(ImportBatch.Kind.UNIONS, UnionListSpec)
        registry.register(ImportBatch.Kind.UNION_YEARS, UnionYearSpec)

        # The import page chooses the union a roster goes into with the union search field.
        forms.register_union_field(record_union_field)

        # Export jobs find a list's export by its key (federation.exports.registry).
        from unions.lists import ACTIVITIES, CONTRACTS, UNIONS

        for staff_list in (UNIONS, CONTRACTS, ACTIVITIES):
            staff_list.register_export()
