"""manage.py backup FILE: one archive (.tar.gz) of the database and the uploaded files."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from federation.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件，例如 /srv/backups/ledger-2026-01-31.tar.gz")

    def handle(self, *args, file: Path, **options):
        if not file.name.endswith((".tar.gz", ".tgz")):
            raise CommandError("备份文件名须以 .tar.gz 结尾。")
        try:
            manifest = backup_write(file, database=connection.settings_dict, storage=default_storage)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {file}：数据库（{manifest['engine']}）和 {len(manifest['files'])} 个上传文件。"
            )
        )
