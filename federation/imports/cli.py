"""The bases of the import commands (import_members, import_unions, import_aid): the same services
as the web pages — the same validation, the same all-or-nothing commit, the same ImportBatch record.

Errors are printed by row and column and the exit status is 1; `--dry-run` validates and reports
only. The acting user is `--user` (default: the first active superuser), so that the history says
who imported. A command that imports into a federation (import_unions, import_aid) takes it as
`--federation NAME`, the federation's full or short name, as annual_summary takes it.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from federation.imports.batches import batch_cancel, batch_commit, batch_create, batch_validate
from federation.imports.engine import CREATE, REJECT, UNCHANGED, UPDATE
from federation.management.lookup import find_federation
from federation.models import Federation, User


class ImportCommand(BaseCommand):
    kind: str = ""

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the workbook: .xlsx, .xls or .ods")
        parser.add_argument("--dry-run", action="store_true", help="validate and report only; write nothing")
        parser.add_argument("--user", help="username of the acting user (default: the first superuser)")

    def scope(self, options) -> dict:
        """{"union": …} or {"federation": …, "year": …} from the command's own options."""
        raise NotImplementedError

    def acting_user(self, options) -> User:
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在或已停用。")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("没有可用的管理员账号，请用 --user 指定导入人。")
        return user

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        by = self.acting_user(options)
        try:
            with path.open("rb") as handle:
                batch = batch_create(
                    kind=self.kind, file=handle, file_name=path.name, by=by, **self.scope(options)
                )
            outcome = batch_validate(batch)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        if outcome is None:
            raise CommandError(batch.message)
        for notice in outcome.notices:
            self.stdout.write(f"提示：{notice}")
        for problem in outcome.problems(limit=10_000):
            where = f"第{problem['row']}行" + (f" {problem['column']}" if problem["column"] else "")
            self.stderr.write(f"{where}：{problem['message']}")
        counts = outcome.counts
        self.stdout.write(
            f"共{len(outcome.rows)}行：新增{counts[CREATE]}，更新{counts[UPDATE]}，"
            f"无变化{counts[UNCHANGED]}，有错误或冲突{counts[REJECT]}。"
        )
        if not outcome.may_commit:
            batch_cancel(batch=batch, by=by)
            raise CommandError("文件有错误，未写入任何数据。")
        if options["dry_run"]:
            batch_cancel(batch=batch, by=by)
            self.stdout.write("试运行（--dry-run）：检查通过，未写入任何数据。")
            return
        try:
            batch = batch_commit(batch=batch, by=by)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"导入完成（导入记录 #{batch.pk}）。"))


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
