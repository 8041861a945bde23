"""Benchmark of the annual summary: the catalogue, the HTML page, the PDF and the XLSX workbook of one
federation and year, on whatever database DATABASE_URL names.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/union_ledger_bench \
        .venv/bin/python bench/summary.py [--federation NAME] [--year Y] [--runs N]

Each format is timed from the records to the finished bytes (catalogue included), the median of
--runs runs, with the CPU time of this process and of its PostgreSQL server process beside it (on a
busy machine their sum is the steadier figure: what the work costs on an idle one); the number of
queries is counted on every run (it must not vary); the memory peak (峰值 MB) is taken with
tracemalloc on one more run of each, and the process's maximum resident size at the end.
Defaults: the root federation of the demo data, and the last complete year.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import resource
import statistics
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import server_cpu  # noqa: E402
from federation.models import Federation, User  # noqa: E402
from reports.indicators import compute_catalogue, union_rows  # noqa: E402
from reports.models import SummaryVersion  # noqa: E402
from reports.services import summary_finalise  # noqa: E402
from reports.summary.document import build_summary  # noqa: E402
from reports.summary.render import render_summary_html, render_summary_pdf  # noqa: E402
from reports.summary.xlsx import render_summary_xlsx  # noqa: E402

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_pages(pdf: bytes) -> int:
    """Page objects, in the file and in its compressed object streams (WeasyPrint writes both)."""
    pages = len(PAGE.findall(pdf))
    for match in STREAM.finditer(pdf):
        try:
            pages += len(PAGE.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return pages


def root_federation() -> Federation:
    """The top of the largest tree (the demo data builds one)."""
    roots = Federation.objects.filter(parent__isnull=True).annotate(n=Count("children")).order_by("-n", "pk")
    federation = roots.first()
    if federation is None:
        sys.exit("数据库中没有工会联合会：请先运行 manage.py demo_data --scale m")
    return federation


def find(name: str) -> Federation:
    federation = (
        Federation.objects.filter(name=name).first() or Federation.objects.filter(short_name=name).first()
    )
    if federation is None:
        sys.exit(f"找不到工会联合会“{name}”")
    return federation


BACKEND_PID: int | None = None


def database_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL server process (0 elsewhere)."""
    return server_cpu(BACKEND_PID)


def measure(label: str, work, runs: int) -> dict:
    times, cpu, db_cpu, queries, result = [], [], [], set(), None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu, started_db = time.perf_counter(), time.process_time(), database_cpu()
            result = work()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            db_cpu.append(database_cpu() - started_db)
        queries.add(len(captured.captured_queries))
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "label": label,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "cpu": statistics.median(cpu),
        "db_cpu": statistics.median(db_cpu),
        "queries": sorted(queries),
        "peak_mb": peak / 1024 / 1024,
        "result": result,
    }


class RolledBack(Exception):
    pass


def finalise_and_roll_back(federation: Federation, year: int) -> None:
    """Finalise as a throw-away administrator, then undo it: the bench database stays as it was."""
    try:
        with transaction.atomic():
            admin = User.objects.create(username="bench-finaliser", role=User.Role.ADMIN, is_superuser=True)
            SummaryVersion.objects.filter(federation=federation, year=year).update(reopened_at=timezone.now())
            summary_finalise(federation=federation, year=year, by=admin)
            raise RolledBack
    except RolledBack:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--federation", help="工会联合会全称或简称（默认：演示数据的顶级联合会）")
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="保留 PostgreSQL 并行查询（默认关闭，以便库 CPU 计入全部查询用时）",
    )
    args = parser.parse_args()
    logging.getLogger("reports.summary.render").setLevel(logging.WARNING)  # one line per PDF otherwise

    if connection.vendor == "postgresql":
        # Right after a bulk load (demo_data) the planner has no statistics yet and picks nested loops
        # over 250 000 rows (1.8 s instead of 0.6 s for the member stock); autovacuum would analyse
        # the tables a little later. Measure the steady state.
        # The server's CPU time is read from its process, so the queries must not be spread over
        # parallel workers: with them off, app CPU + database CPU is what the work costs on an idle
        # machine, whatever else the machine is doing while the benchmark runs.
        global BACKEND_PID
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            if not args.parallel:
                cursor.execute("SET max_parallel_workers_per_gather = 0")
                cursor.execute("SELECT pg_backend_pid()")
                BACKEND_PID = cursor.fetchone()[0]
    federation = find(args.federation) if args.federation else root_federation()
    year = args.year
    rows = union_rows(federation, year)
    catalogue = compute_catalogue(federation, year)
    print(f"数据库: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"联合会: {federation.name}  年度: {year}  运行次数: {args.runs}")
    print(
        f"规模: 基层工会 {len(rows):,}  会员 {catalogue['members']:,}  "
        f"在档困难职工 {catalogue['cases_open']:,}  帮扶 {catalogue['aid_count']:,} 人次  "
        f"活动 {catalogue['activities']:,} 场"
    )

    def html():
        return render_summary_html(build_summary(federation, year))

    def pdf():
        return render_summary_pdf(build_summary(federation, year))

    document = build_summary(federation, year, catalogue=catalogue)

    results = [
        measure("指标目录 compute_catalogue", lambda: compute_catalogue(federation, year), args.runs),
        measure("HTML（含指标计算）", html, args.runs),
        measure("PDF（含指标计算）", pdf, args.runs),
        measure("  其中 WeasyPrint 排版", lambda: render_summary_pdf(document), args.runs),
        measure("XLSX（含指标计算）", lambda: render_summary_xlsx(federation, year), args.runs),
        measure("定稿 summary_finalise", lambda: finalise_and_roll_back(federation, year), 1),
    ]
    print()
    print(
        "(墙钟时间含数据库；CPU 为本进程用时，库 CPU 为 PostgreSQL 服务进程用时，两者之和即空闲机器上的"
        f"用时。负载: {os.getloadavg()[0]:.1f})"
    )
    head = (
        f"{'':28}{'中位数 s':>10}{'最短 s':>9}{'最长 s':>9}{'CPU s':>8}{'库 CPU s':>10}"
        f"{'查询数':>8}{'峰值 MB':>10}"
    )
    print(head)
    for r in results:
        queries = "/".join(str(q) for q in r["queries"])
        print(
            f"{r['label']:<28}{r['median']:>10.2f}{r['min']:>9.2f}{r['max']:>9.2f}{r['cpu']:>8.2f}"
            f"{r['db_cpu']:>10.2f}{queries:>8}{r['peak_mb']:>10.1f}"
        )
    pdf_bytes = results[2]["result"]
    xlsx_bytes = results[4]["result"]
    html_text = results[1]["result"]
    print()
    appendix = "基层工会" if document.per_union else "下级联合会"
    pages = pdf_pages(pdf_bytes)
    print(f"PDF: {pages} 页，{len(pdf_bytes) / 1024:,.0f} KB；附表按{appendix}列出")
    print(f"HTML: {len(html_text.encode()) / 1024:,.0f} KB；XLSX: {len(xlsx_bytes) / 1024:,.0f} KB")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"进程最大常驻内存 (maxrss): {maxrss:,.0f} MB")


if __name__ == "__main__":
    main()
