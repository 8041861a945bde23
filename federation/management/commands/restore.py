"""manage.py restore FILE: restore a backup into an empty database and an empty storage (the media
folder or the S3 bucket)."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from federation.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传的文件（只能恢复到空数据库和空的文件存储）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="manage.py backup 写出的 .tar.gz 文件")

    def handle(self, *args, file: Path, **options):
        connection.close()  # the restore uses its own connection; ours must not hold the database
        try:
            manifest = restore_read(file, database=connection.settings_dict, storage=default_storage)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {file}（备份于 {manifest['created_at']}）："
                f"数据库和 {len(manifest['files'])} 个上传文件。"
            )
        )
