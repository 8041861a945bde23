"""rebuild_aggregates [--check]: the stored aggregates (the membership flow, members.models.
MembershipFlow) computed again from the records they sum.

The services keep the aggregates as they write; this command is for what they cannot see — a bulk
load outside the application, a restore of an old backup, a row edited by hand. With --check it only
compares and lists the differences (exit status 1 when there are any).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from federation import freshness
from members.flows import flows_differ_from_changes, rebuild_flows


class Command(BaseCommand):
    help = "Rebuild the stored aggregates (membership flow) from the records; --check only compares."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="只比较，不写入：列出与会籍变化记录不一致的行。"
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        started = time.monotonic()
        if check:
            differences = flows_differ_from_changes()
            for (union_id, year), stored, fresh in differences[:50]:
                self.stdout.write(f"工会 {union_id} {year}年：存储 {stored}，按记录应为 {fresh}")
            if differences:
                raise CommandError(f"会员增减流量有 {len(differences)} 行与会籍变化记录不一致。")
            self.stdout.write(f"会员增减流量与会籍变化记录一致（{time.monotonic() - started:.1f} 秒）。")
            return
        rows = rebuild_flows()
        # Every stored summary figure was computed from the flows just replaced.
        freshness.mark_all()
        self.stdout.write(f"已重建会员增减流量 {rows} 行（{time.monotonic() - started:.1f} 秒）。")
