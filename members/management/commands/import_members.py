"""import_members FILE --union NAME [--dry-run] [--user U]: the member roster (.xlsx, .xls or .ods), as the
web import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from federation.imports.cli import ImportCommand
from federation.models import ImportBatch
from unions.lookup import resolve_union_text
from unions.models import GrassrootsUnion


class Command(ImportCommand):
    help = "导入会员花名册（.xlsx、.xls 或 .ods）到一个基层工会：与网页导入相同的检查，全部通过才写入。"
    kind = ImportBatch.Kind.MEMBERS

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--union", required=True, help="基层工会的全称或统一社会信用代码")

    def scope(self, options) -> dict:
        try:
            return {"union": resolve_union_text(GrassrootsUnion.objects.all(), options["union"].strip())}
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
