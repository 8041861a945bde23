"""manage.py statistical_return --federation NAME --year Y --output FILE

Writes the union statistical return (基层工会调查表, 全国工会统计年报) of a federation and every
federation below it for the statistical year Y (1 October Y−1 – 30 September Y), computed from the
records as they are now, as the workbook the web page downloads; the logic checks are run first and
their count printed (they are the workbook's 「逻辑检查」 sheet). NAME is the federation's full name or
its short name. Errors and exit codes are annual_summary's.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.management.lookup import find_federation
from reports.management.commands.annual_summary import parse_year
from reports.statistics import build_return
from reports.statistics.workbook import render_return_xlsx


class Command(BaseCommand):
    help = (
        "生成工会联合会的工会统计年报（基层工会调查表，统计年度为上年10月1日至本年9月30日）XLSX，"
        "数据按台账当前记录计算。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--federation", required=True, help="工会联合会的全称或简称")
        parser.add_argument("--year", required=True, help="统计年度，如 2025（2024年10月1日至2025年9月30日）")
        parser.add_argument("--output", required=True, help="输出文件路径（.xlsx）")

    def handle(self, *args, federation: str, year: str, output: str, **options):
        year = parse_year(year)
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"输出目录“{target.parent}”不存在。")
        federation = find_federation(federation)

        started = time.perf_counter()
        statistical_return = build_return(federation, year)
        content = render_return_xlsx(statistical_return)
        try:
            target.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入“{target}”：{exc.strerror or exc}") from exc
        elapsed = time.perf_counter() - started
        errors = len(statistical_return.errors)
        others = len(statistical_return.problems) - errors
        self.stdout.write(
            f"已生成 {federation.name}{year}年工会统计年报：{target}，{len(content) / 1024:,.1f} KB，"
            f"用时 {elapsed:.2f} 秒。逻辑检查：错误 {errors} 条，需核实或缺报 {others} 条"
            f"（见“逻辑检查”工作表）。"
        )
