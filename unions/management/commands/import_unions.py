"""import_unions FILE --federation NAME [--year Y] [--dry-run] [--user U]: a union list (基层工会名单,
.xlsx, .xls or .ods) into a federation, as the web import does; 职工人数/女职工人数/农民工人数 fill the
year given (default: the current year)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from federation.imports.cli import FederationImportCommand
from federation.models import ImportBatch
from federation.years import valid_year


class Command(FederationImportCommand):
    help = "Import a union list (基层工会名单) from an .xlsx, .xls or .ods file into a federation."
    kind = ImportBatch.Kind.UNIONS

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, help="the year of the employee figures (default: this year)")

    def scope(self, options) -> dict:
        year = options.get("year") or timezone.localdate().year
        if not valid_year(year):
            raise CommandError(f"年度{year}不正确。")
        return {**super().scope(options), "year": year}
