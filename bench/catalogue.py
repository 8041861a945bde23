"""Benchmark of the indicator catalogue against its floor, side by side in one run: the app's
compute_catalogue and union_rows (the per-union appendix) beside a hand-written one-statement SQL
over the base tables for the core figures (bench/catalogue_floor.sql — it lives here, not in the app),
on whatever database DATABASE_URL names.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ul_bench_l \
        .venv/bin/python bench/catalogue.py [--federation NAME] [--year Y] [--runs N]

Each line is run once to warm up, then --runs times: p50 and p95 of the wall time (ms), the queries
per run (every count seen; it must not vary), the CPU time of this process and of its PostgreSQL
server process (parallel query is switched off so that the server process does all the work; their
sum is what the work costs on an idle machine). The floor's figures are checked against the
catalogue's: a floor that counts something else is no floor. Defaults: the root federation of the
demo data, the last complete year, 10 runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import server_cpu  # noqa: E402
from federation.models import Federation  # noqa: E402
from reports.indicators import CORE_KEYS, compute_catalogue, union_rows  # noqa: E402
from reports.indicators.base import Period  # noqa: E402
from reports.indicators.compute import membership_by_year  # noqa: E402

FLOOR_SQL = (Path(__file__).resolve().parent / "catalogue_floor.sql").read_text(encoding="utf-8")
BACKEND_PID: int | None = None


def root_federation() -> Federation:
    roots = Federation.objects.filter(parent__isnull=True).annotate(n=Count("children")).order_by("-n", "pk")
    federation = roots.first()
    if federation is None:
        sys.exit("数据库中没有工会联合会：请先运行 manage.py demo_data --scale m")
    return federation


def floor(federation: Federation, year: int) -> dict:
    period = Period(year)
    params = {"path": federation.path + "%", "start": period.start, "end": period.end, "year": year}
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def measure(label: str, work, runs: int) -> dict:
    work()  # warm-up: caches, the first connection, the planner
    times, cpu, db_cpu, queries = [], [], [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu, started_db = (
                time.perf_counter(),
                time.process_time(),
                server_cpu(BACKEND_PID),
            )
            work()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            db_cpu.append(server_cpu(BACKEND_PID) - started_db)
        queries.add(len(captured.captured_queries))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "label": label,
        "p50": statistics.median(times) * 1000,
        "p95": p95 * 1000,
        "cpu": statistics.median(cpu) * 1000,
        "db_cpu": statistics.median(db_cpu) * 1000,
        "queries": "/".join(str(q) for q in sorted(queries)),
    }


def check_floor(federation: Federation, year: int) -> list[str]:
    """The core figures on which the floor and the catalogue disagree (none, normally)."""
    figures = floor(federation, year)
    catalogue = compute_catalogue(federation, year)
    wrong = []
    for key, value in figures.items():
        if key in CORE_KEYS and (value or 0) != (catalogue[key] or 0):
            wrong.append(f"{key}: 下限 {value} ≠ 目录 {catalogue[key]}")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--federation", help="工会联合会全称（默认：演示数据的顶级联合会）")
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/catalogue.py: 下限 SQL 为 PostgreSQL 所写，请用 DATABASE_URL 指向 PostgreSQL（已跳过）")
        return

    global BACKEND_PID
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        BACKEND_PID = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'members_membershipchange'")
        analysed = cursor.fetchone()[0] > 0
    federation = Federation.objects.get(name=args.federation) if args.federation else root_federation()
    year = args.year
    print(f"数据库: {connection.settings_dict['NAME']}  统计信息: {'有' if analysed else '无（未 ANALYZE）'}")
    print(f"联合会: {federation.name}  年度: {year}  运行次数: {args.runs}")
    wrong = check_floor(federation, year)
    print("下限与目录的核心指标：" + ("一致" if not wrong else "不一致！ " + "；".join(wrong)))

    results = [
        measure("下限：一条手写 SQL（核心指标）", lambda: floor(federation, year), args.runs),
        measure("compute_catalogue（全部指标）", lambda: compute_catalogue(federation, year), args.runs),
        measure("union_rows（附表）", lambda: union_rows(federation, year), args.runs),
        measure(
            "目录 + 附表",
            lambda: (compute_catalogue(federation, year), union_rows(federation, year)),
            args.runs,
        ),
        measure(
            "  其中 会员流量（五年）",
            lambda: membership_by_year(federation_scope(federation), Period(year)),
            args.runs,
        ),
    ]
    print()
    print(f"{'':34}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>9}{'库 CPU ms':>11}{'查询数':>8}")
    for r in results:
        print(
            f"{r['label']:<34}{r['p50']:>9.0f}{r['p95']:>9.0f}{r['cpu']:>9.0f}{r['db_cpu']:>11.0f}{r['queries']:>8}"
        )
    print(f"(负载: {os.getloadavg()[0]:.1f})")


def federation_scope(federation: Federation):
    from reports.indicators.base import Scope

    return Scope(federation)


if __name__ == "__main__":
    main()
