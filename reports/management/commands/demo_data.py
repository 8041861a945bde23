"""manage.py demo_data --scale s|m|l --seed N [--flush | --if-empty] [--today YYYY-MM-DD]

Builds a demonstration ledger of one tier (DESIGN.md, "Scale the product is built for"). The same
seed gives the same records: nothing depends on the wall clock, "today" is 2026-11-15 unless --today
says otherwise (only the created_at/updated_at stamps are the real time).

On a database that already holds federations the command refuses (exit status 1) unless told
--flush (delete the whole ledger first) or --if-empty (do nothing, exit 0 — what `make run` uses).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from federation.demo.tiers import DEMO_TODAY, LATEST_TODAY, TIERS
from federation.models import Federation
from reports.demo.build import build, peak_memory_mb, row_counts
from reports.demo.reset import DEMO_ACCOUNTS, DEMO_PASSWORD, flush_ledger, ledger_is_empty

PREFIX = "[demo_data]"


class Command(BaseCommand):
    help = "生成演示数据（S 街道 / M 县 / L 市三个规模），同一 seed 生成的数据完全相同。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=sorted(TIERS), default="s", help="规模：s 街道、m 县、l 市（默认 s）"
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--flush", action="store_true", help="先删除全部台账数据（保留账号）再生成")
        group.add_argument("--if-empty", action="store_true", help="库中已有数据时什么也不做")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=DEMO_TODAY,
            help=f"演示数据的“今天”（默认 {DEMO_TODAY}），历史从 2021 年开始",
        )

    def say(self, text: str, style=None) -> None:
        line = f"{PREFIX} {text}"
        self.stdout.write(style(line) if style else line)

    def handle(self, *args, scale: str, seed: int, flush: bool, if_empty: bool, today: dt.date, **options):
        if not dt.date(2022, 1, 1) <= today <= LATEST_TODAY:
            raise CommandError(
                f"--today 须在 2022-01-01 与 {LATEST_TODAY} 之间：演示数据的历史从 2021 年开始。"
            )
        if not ledger_is_empty():
            if if_empty:
                self.say("库中已有台账数据，不再生成演示数据。")
                return
            if not flush:
                raise CommandError(
                    f"库中已有台账数据（{Federation.objects.count()} 个工会联合会），未生成演示数据。"
                    "如要删除全部台账数据后重新生成，请加 --flush。"
                )
            unbound = flush_ledger()
            self.say("已删除原有台账数据。")
            if unbound:
                self.say(
                    f"以下账号原绑定的联合会/基层工会已被删除，已解除绑定：{'、'.join(unbound)}",
                    self.style.WARNING,
                )

        tier = TIERS[scale]
        self.say(
            f"生成规模 {scale.upper()}（seed {seed}，今天 = {today}）："
            f"目标 {tier.unions} 个基层工会、{tier.members} 名会员"
        )
        elapsed = build(scale=scale, seed=seed, today=today, out=self.say)

        self.say("各表行数：")
        for model, rows, detail in row_counts():
            self.say(f"  {model:<20}{rows:>12,}  {detail}")
        self.say(f"用时 {elapsed:.1f} 秒，峰值内存 {peak_memory_mb():.0f} MB", self.style.SUCCESS)
        accounts = "、".join(DEMO_ACCOUNTS)
        self.say(f"演示账号 {accounts}，密码 {DEMO_PASSWORD}", self.style.SUCCESS)
