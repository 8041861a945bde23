"""manage.py annual_summary --federation NAME --year Y [--period year|h1] --format html|pdf|docx|xlsx
    --output FILE
manage.py annual_summary --union NAME …   (a grassroots union's own summary; the same options)

Writes a federation's annual work summary (or, with --period h1, its half-year summary: 1 January to
30 June, compared with the same half of the year before), computed from the records as they are now,
as the web UI would: the HTML page, the PDF, the Word document, or the statistics workbook. NAME is
the federation's full name or its short name; with --union, the union's full name or its 统一社会信用代码
(reports.subjects: the union's own summary).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from federation.management.lookup import find_federation
from federation.scope import period_for
from federation.years import FIRST_YEAR, last_valid_year, valid_year
from reports import subjects
from reports.models import SummaryPeriod
from reports.summary.document import build_summary
from reports.summary.docx import render_summary_docx
from reports.summary.periods import wording_of
from reports.summary.render import SummaryTooLong, render_summary_html, render_summary_pdf
from reports.summary.xlsx import render_summary_xlsx
from unions.management.lookup import find_union

FORMATS = ("html", "pdf", "docx", "xlsx")


def parse_year(text: str) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        example = timezone.localdate().year - 1
        raise CommandError(f"年度“{text}”无效：请填写四位数字年份，如 {example}。") from None
    if not valid_year(year):
        raise CommandError(f"年度 {year} 无效：应在 {FIRST_YEAR} 至 {last_valid_year()} 年之间。")
    return year


class Command(BaseCommand):
    help = (
        "生成工会联合会或基层工会的年度工作总结（HTML 网页、PDF、Word 文档或 XLSX 统计表），"
        "数据按台账当前记录计算。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--federation", help="工会联合会的全称或简称")
        parser.add_argument("--union", help="基层工会的全称或统一社会信用代码（生成该工会自己的工作总结）")
        parser.add_argument("--year", required=True, help="年度，如 2025")
        parser.add_argument(
            "--period",
            default=SummaryPeriod.YEAR,
            help="期间：year（全年，默认）或 h1（上半年，1月1日至6月30日）",
        )
        parser.add_argument("--format", required=True, dest="fmt", help="格式：html、pdf、docx 或 xlsx")
        parser.add_argument("--output", required=True, help="输出文件路径")

    def handle(
        self,
        *args,
        federation: str | None,
        union: str | None,
        year: str,
        period: str,
        fmt: str,
        output: str,
        **options,
    ):
        if (federation is None) == (union is None):
            raise CommandError("请用 --federation 指定工会联合会，或用 --union 指定基层工会（二者选一）。")
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise CommandError(f"格式“{fmt}”无效：只能是 html、pdf、docx 或 xlsx。")
        kind = period.lower()
        if kind not in SummaryPeriod.values:
            raise CommandError(f"期间“{period}”无效：只能是 year（全年）或 h1（上半年）。")
        year = parse_year(year)
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"输出目录“{target.parent}”不存在。")
        subject = find_union(union) if union is not None else find_federation(federation or "")

        started = time.perf_counter()
        catalogue = subjects.catalogue_of(subject, year, kind)
        if fmt == "xlsx":
            content = render_summary_xlsx(subject, year, kind=kind, catalogue=catalogue)
        else:
            document = build_summary(subject, year, kind=kind, catalogue=catalogue)
            if fmt == "pdf":
                try:
                    content = render_summary_pdf(document)
                except SummaryTooLong as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
            elif fmt == "docx":
                content = render_summary_docx(document)
            else:
                content = render_summary_html(document).encode("utf-8")
        try:
            target.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入“{target}”：{exc.strerror or exc}") from exc
        elapsed = time.perf_counter() - started
        size_kb = len(content) / 1024
        self.stdout.write(
            f"已生成 {subject.name}{wording_of(period_for(year, kind), year).title_suffix}"
            f"（{fmt.upper()}）：{target}，"
            f"{size_kb:,.1f} KB，用时 {elapsed:.2f} 秒。"
        )
