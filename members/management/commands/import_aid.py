"""import_aid FILE --federation NAME [--dry-run] [--user U]: an aid distribution list
(帮扶/慰问发放名单) of the members of a federation, as the web import does."""

from __future__ import annotations

from federation.imports.cli import FederationImportCommand
from federation.models import ImportBatch


class Command(FederationImportCommand):
    help = "Import an aid distribution list (帮扶/慰问发放名单) from an .xlsx, .xls or .ods file."
    kind = ImportBatch.Kind.AID
