"""manage.py purge_join_applications — delete 入会申请 rejected, or left undecided, for 90 days, with
the personal data they hold (their history rows too). Beat runs it daily as the task
members.join_applications_purge; without a broker, run this command from cron instead."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from members.services.applications import join_applications_purge


class Command(BaseCommand):
    help = "删除未通过或90天内未审核的入会申请及其个人信息。"

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"purge_join_applications: {join_applications_purge()} applications deleted")
