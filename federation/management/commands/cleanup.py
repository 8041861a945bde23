"""manage.py cleanup — remove what is left behind, older than a day (README "Uploaded files").

Run it daily (cron until the scheduler comes): import batches left unfinished end and lose their files,
export jobs and their files go, the workbook writers' temporary files of killed exports and stored files
no record names are removed — in the configured storage, the disk or S3 — as are local copies of stored
files a killed import left in the temp folder. Safe to run at any time and as often as wished.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from federation.exports import jobs as export_jobs
from federation.exports.workbook import remove_orphaned_temp_files
from federation.imports.batches import batches_discard_stale
from federation.uploads.orphans import remove_orphaned_files
from federation.uploads.storage import remove_stale_copies

OLDER_THAN = dt.timedelta(days=1)


class Command(BaseCommand):
    help = "删除遗留文件：超过一天未完成的导入、过期的导出文件、导出临时文件和无记录的上传文件。"

    def handle(self, *args, **options) -> None:
        batches = batches_discard_stale()
        jobs = export_jobs.discard_old()
        temp = remove_orphaned_temp_files(older_than=OLDER_THAN) + remove_stale_copies(older_than=OLDER_THAN)
        orphans = remove_orphaned_files(older_than=OLDER_THAN)
        self.stdout.write(
            f"cleanup: {batches} import batches ended, {jobs} export jobs removed, "
            f"{temp} temporary files and {orphans} orphaned files removed"
        )
