"""Benchmark of the staff web UI: every list and detail page, as federation staff of the root
federation (demo_staff) and as a union cadre (demo_cadre), on whatever database DATABASE_URL names.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/union_ledger_pages \
        .venv/bin/python bench/pages.py [--runs N] [--year Y] [--user NAME ...]

Each page is requested through django.test.Client (signed in with force_login, so the session and
the user are loaded as in a real request) once to warm up and then --runs times; the table gives
p50 and p95 of the wall time from request to rendered response, and the queries per request
(CaptureQueriesContext; every count seen, they must not vary). Detail pages show the first record
by pk in the user's scope (federation.scoping.visible), so two runs measure the same records.
Defaults: 20 runs, the demo accounts, the last complete year for the summary page.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from federation import scoping  # noqa: E402
from federation.models import User  # noqa: E402
from members.models import HardshipCase, Member  # noqa: E402
from unions.activities.models import Activity  # noqa: E402
from unions.models import CollectiveContract, GrassrootsUnion  # noqa: E402

SLOW_MS = 500


def demo_user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        sys.exit(f"找不到账号“{username}”：请先运行 manage.py demo_data --scale m")
    return user


def first_visible(user: User, model):
    """The first record by pk that this user may see (None if there is none)."""
    return scoping.visible(user, model).order_by("pk").first()


def pages_of(user: User, year: int) -> list[tuple[str, str]]:
    """(label, URL) of every list and detail page, with detail records picked deterministically."""
    pages = [
        ("工作台 dashboard", reverse("dashboard")),
        ("会员列表 members", reverse("members:list")),
        ("会员列表 第 50 页", reverse("members:list") + "?page=50"),
    ]
    member = first_visible(user, Member)
    if member is not None:
        pages += [
            ("会员搜索 身份证号", reverse("members:list") + f"?q={member.id_number}"),
            ("会员详情 member", reverse("members:detail", args=[member.pk])),
        ]
    pages.append(("基层工会列表 unions", reverse("unions:list")))
    union = first_visible(user, GrassrootsUnion)
    if union is not None:
        pages.append(("基层工会详情 union", reverse("unions:detail", args=[union.pk])))
    pages.append(("集体合同列表 contracts", reverse("unions:contract-list")))
    contract = first_visible(user, CollectiveContract)
    if contract is not None:
        pages.append(("集体合同详情 contract", reverse("unions:contract-detail", args=[contract.pk])))
    pages.append(("困难职工列表 hardship", reverse("hardship:list")))
    case = first_visible(user, HardshipCase)
    if case is not None:
        pages.append(("困难职工详情 case", reverse("hardship:detail", args=[case.pk])))
    pages.append(("帮扶记录列表 aid", reverse("hardship:aid-list")))
    pages.append(("活动列表 activities", reverse("activities:list")))
    activity = first_visible(user, Activity)
    if activity is not None:
        pages.append(("活动详情 activity", reverse("activities:detail", args=[activity.pk])))
    if user.federation_id:
        # The annual summary belongs to federations: a union cadre has none to open (404).
        pages.append(("年度汇总 summary", reverse("reports:summary", args=[user.federation_id, year])))
    return pages


def pad(text: str, width: int) -> str:
    """Left-justify to a display width: a Chinese character takes two columns in a terminal."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def measure(client: Client, label: str, url: str, runs: int) -> dict:
    warm_up = client.get(url)
    times, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries.add(len(captured.captured_queries))
    return {
        "label": label,
        "url": url,
        "status": response.status_code if response.status_code == warm_up.status_code else "?",
        "p50": statistics.median(times) * 1000,
        "p95": percentile(times, 0.95) * 1000,
        "queries": sorted(queries),
        "kb": len(response.content) / 1024,
        "last_queries": captured.captured_queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1, help="年度汇总页的年度")
    parser.add_argument("--user", action="append", help="账号（可重复；默认 demo_staff 和 demo_cadre）")
    parser.add_argument("--show-queries", metavar="LABEL", help="打印该页面（标签包含此文字）的 SQL")
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 is a figure, not a warning

    if connection.vendor == "postgresql":
        # Right after a bulk load (demo_data) the planner has no statistics yet; autovacuum would
        # analyse the tables a little later. Measure the steady state, as bench/summary.py does.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"数据库: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"规模: 基层工会 {GrassrootsUnion.objects.count():,}  会员 {Member.objects.count():,}  "
        f"每页 {args.runs} 次请求（另有 1 次预热不计）；负载: {os.getloadavg()[0]:.1f}"
    )

    for username in args.user or ["demo_staff", "demo_cadre"]:
        user = demo_user(username)
        scope = user.federation or user.union
        print()
        print(f"{username}（{user.get_role_display()}，{scope}）")
        client = Client()
        client.force_login(user)
        head = f"{pad('页面', 28)}{'p50 ms':>9}{'p95 ms':>9}{'查询数':>8}{'状态':>6}{'KB':>7}"
        print(head)
        for label, url in pages_of(user, args.year):
            r = measure(client, label, url, args.runs)
            queries = "/".join(str(q) for q in r["queries"])
            slow = "  ← 慢" if r["p50"] > SLOW_MS else ""
            print(
                f"{pad(r['label'], 28)}{r['p50']:>9.0f}{r['p95']:>9.0f}{queries:>8}{r['status']!s:>6}"
                f"{r['kb']:>7.0f}{slow}"
            )
            if args.show_queries and args.show_queries in label:
                for query in r["last_queries"]:
                    print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql']}")


if __name__ == "__main__":
    main()
