"""The base of the import commands that import into a federation (import_unions, import_aid):
`--federation NAME`, the federation's full or short name, as annual_summary takes it."""

from __future__ import annotations

from federation.imports.cli import ImportCommand
from federation.management.lookup import find_federation
from federation.models import Federation


class FederationImportCommand(ImportCommand):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--federation", required=True, help="the federation's full or short name (名称或简称)"
        )

    def federation(self, options) -> Federation:
        return find_federation(options["federation"])

    def scope(self, options) -> dict:
        return {"federation": self.federation(options)}
