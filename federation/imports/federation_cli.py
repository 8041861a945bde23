"""The base of the import commands that import into a federation (import_unions, import_aid):
`--federation NAME`, the federation's full name; an unknown name is a Chinese error and exit 1."""

from __future__ import annotations

from django.core.management.base import CommandError

from federation.imports.cli import ImportCommand
from federation.models import Federation


class FederationImportCommand(ImportCommand):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--federation", required=True, help="the federation's full name (名称)")

    def federation(self, options) -> Federation:
        name = options["federation"].strip()
        federation = Federation.objects.filter(name=name).first()
        if federation is None:
            raise CommandError(f"联合会“{name}”不存在，请填写联合会的全称。")
        return federation

    def scope(self, options) -> dict:
        return {"federation": self.federation(options)}
