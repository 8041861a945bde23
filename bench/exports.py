"""Benchmark of the member list's .xlsx export (federation.exports.base) on whatever database DATABASE_URL
names, as federation staff of the root federation (demo_staff) by default — every member of the tier.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/union_ledger_export \
        .venv/bin/python bench/exports.py [--user NAME] [--param KEY=VALUE ...]

The export is requested as the browser does (django.test.Client, signed in with force_login, GET
/members/?format=xlsx plus any --param filters) and its body read to the end. Printed: rows, seconds,
rows/s, the file's size, the queries of the request, and peak memory two ways: tracemalloc (Python
allocations, in a second run since tracing slows it down) and the growth of the process's maxrss
over what it was before the first export. For comparison, the floor: the same rows read from the
database and built (MemberExporter.rows()) without writing a workbook.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")
# The bench times writing the workbook in one go: above EXPORT_INLINE_MAX_ROWS the very same writer
# runs in a background ExportJob instead, so the threshold is lifted here.
os.environ["EXPORT_INLINE_MAX_ROWS"] = str(10**9)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from federation import scoping  # noqa: E402
from federation.models import User  # noqa: E402
from members.exports import MemberExporter  # noqa: E402
from members.filters import MemberFilter  # noqa: E402
from members.models import Member  # noqa: E402


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def download(client: Client, params: dict) -> tuple[float, float, int, int]:
    """Wall seconds, this process's CPU seconds, bytes and queries of one export request, its body
    read to the end. On a shared machine the CPU time is the steadier figure."""
    with CaptureQueriesContext(connection) as captured:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(reverse("members:list"), {**params, "format": "xlsx"})
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if response.status_code != 200:
        sys.exit(f"导出失败：HTTP {response.status_code}")
    return seconds, cpu, size, len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--user", default="demo_staff", help="账号（默认 demo_staff）")
    parser.add_argument("--no-tracemalloc", action="store_true", help="不做 tracemalloc 的第二次导出")
    parser.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="会员列表的查询条件，可重复"
    )
    args = parser.parse_args()
    params = dict(p.split("=", 1) for p in args.param)

    user = User.objects.filter(username=args.user).first()
    if user is None:
        sys.exit(f"找不到账号“{args.user}”：请先运行 manage.py demo_data --scale m")
    if connection.vendor == "postgresql":
        # Right after a bulk load (demo_data) the planner has no statistics yet (as bench/pages.py).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    queryset = MemberFilter(
        params, queryset=scoping.visible(user, Member).select_related("union"), request=None
    ).qs
    rows = queryset.count()
    print(f"数据库: {connection.vendor} {connection.settings_dict['NAME']}；负载 {os.getloadavg()[0]:.1f}")
    print(f"账号: {user.username}（{user.get_role_display()}）  条件: {params or '无'}  行数: {rows:,}")

    # The floor: read and build the rows, write nothing.
    started, cpu_started = time.perf_counter(), time.process_time()
    built = sum(1 for _ in MemberExporter(queryset, user=user).rows())
    floor, floor_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    client = Client()
    client.force_login(user)
    rss_before = maxrss_mb()
    seconds, cpu, size, queries = download(client, params)
    rss_growth = maxrss_mb() - rss_before

    traced_peak = None
    if not args.no_tracemalloc:
        tracemalloc.start()
        download(client, params)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(
        f"导出: {seconds:.2f} 秒  {rows / seconds:,.0f} 行/秒"
        f"（CPU {cpu:.2f} 秒，{rows / cpu:,.0f} 行/CPU秒）  "
        f"文件 {size / 1024 / 1024:.1f} MB  查询 {queries} 次"
    )
    traced = "未测" if traced_peak is None else f"{traced_peak / 1024 / 1024:.1f} MB"
    print(
        f"峰值内存: tracemalloc {traced}；maxrss 增长 {rss_growth:.1f} MB（进程 maxrss {maxrss_mb():.0f} MB）"
    )
    print(
        f"下限（只读取并生成行，不写文件）: {built:,} 行 {floor:.2f} 秒  {built / floor:,.0f} 行/秒"
        f"（CPU {floor_cpu:.2f} 秒）"
    )


if __name__ == "__main__":
    main()
