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

--scale-check measures the pages issue 11 sets targets for, as staff and chair of the top federation
(demo_staff, demo_chair) and as a union cadre (demo_cadre), and prints each page's figures beside its
target with PASS / FAIL:

    createdb -h 127.0.0.1 -U postgres -T union_ledger_l ul_bench_l    # a copy: signing in writes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ul_bench_l \
        .venv/bin/python bench/pages.py --scale-check [--runs 20] [--budget 30]

the dashboard (target p95 ≤ 300 ms), the summary page (≤ 1 s), and every staff list ≤ 150 ms: the
member list's first page, page 1000 and last page, member searches by ID number, member number, full
name and the name prefix 张, the contract list and every other staff list, the summary's drill-down
(the member stock's list), a member and a union detail page (held to the list target: they are
opened from a list). The pages are found the way a user finds them, so that the same command
measures the same pages after the paging changes: the last page through the link the first page
offers (a "last" link, else its stated page count), the drill-down through the summary page's link
for 会员总数. Each page is requested once to warm up, then up to --runs times or until --budget
seconds are spent on it (at least 3 runs). Columns: p50 / p95 of the wall time (ms), queries per
request, the mean CPU ms per request of the thread serving it (app) and of its PostgreSQL backend
(`SELECT pg_backend_pid()`, read from /proc/<pid>/stat, so the same machine only) with the
parallel workers it starts (bench.measure.DatabaseCpu), then the target and the verdict. On a
busy machine the CPU columns are the steadier figure; the load average is printed as it goes.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
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

from bench.measure import (  # noqa: E402
    DatabaseCpu,
    last_page_url,
    pad,
    percentile,
    shown_page_number,
    total_pages,
    verdict,
)
from federation import scoping  # noqa: E402
from federation.models import User  # noqa: E402
from members.models import HardshipCase, Member  # noqa: E402
from unions.activities.models import Activity  # noqa: E402
from unions.models import CollectiveContract, GrassrootsUnion  # noqa: E402

SLOW_MS = 500
# Issue 11's targets (p95, ms).
DASHBOARD_TARGET, SUMMARY_TARGET, LIST_TARGET = 300, 1000, 150
SCALE_USERS = ("demo_staff", "demo_chair", "demo_cadre")
# Databases the benchmark must not write to (signing in writes a session and last_login).
READ_ONLY_DATABASES = ("union_ledger_m", "union_ledger_l")
DRILL_LINK = re.compile(r'href="([^"]*/drill/([\w-]+)/)"')
PAGE_1000 = 1000


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


def backend_pid() -> int | None:
    """The PostgreSQL server process serving this connection (None on another database)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def measure(client: Client, label: str, url: str, runs: int, budget: float | None = None) -> dict:
    """Request `url` once to warm up, then `runs` times (fewer when `budget` seconds are spent, but at
    least 3): wall time, queries, and the CPU of this process and of its database backend."""
    warm_up = client.get(url)
    times, queries, app_cpu, db_cpu = [], set(), 0.0, 0.0
    spent = 0.0
    for _ in range(runs):
        pid = backend_pid()
        app_before = time.thread_time()
        with DatabaseCpu(pid) as db, CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        app_cpu += time.thread_time() - app_before
        db_cpu += db.seconds
        times.append(elapsed)
        queries.add(len(captured.captured_queries))
        spent += elapsed
        if budget is not None and spent > budget and len(times) >= 3:
            break
    return {
        "label": label,
        "url": url,
        "status": response.status_code if response.status_code == warm_up.status_code else "?",
        "runs": len(times),
        "p50": statistics.median(times) * 1000,
        "p95": percentile(times, 0.95) * 1000,
        "queries": sorted(queries),
        "app_ms": app_cpu / len(times) * 1000,
        "db_ms": db_cpu / len(times) * 1000,
        "kb": len(response.content) / 1024,
        "html": response.content.decode(errors="replace"),
        "last_queries": captured.captured_queries,
    }


# --- --scale-check --------------------------------------------------------------------------------


@dataclass
class Page:
    """A page of the scale check: its label, URL and target p95 in ms."""

    label: str
    url: str
    target: int | None
    note: str = ""


def member_to_find(user: User) -> Member | None:
    """The member the searches look for: the first one by pk in the user's scope with a member
    number (so that the same member is found by ID number, number and name)."""
    return scoping.visible(user, Member).exclude(member_number="").order_by("pk").first()


def list_pages(client: Client, user: User) -> list[Page]:
    """The member list's first page, page 1000 and last page, and the searches."""
    members = reverse("members:list")
    first = client.get(members)
    html = first.content.decode(errors="replace")
    pages = [Page("会员列表 第1页", members, LIST_TARGET)]
    count = total_pages(html)
    if count is None or count >= PAGE_1000:
        pages.append(Page(f"会员列表 第{PAGE_1000}页", f"{members}?page={PAGE_1000}", LIST_TARGET))
    last = last_page_url(members, html)
    if last is not None:
        pages.append(Page("会员列表 末页", last, LIST_TARGET, note=f"共{count}页" if count else ""))
    member = member_to_find(user)
    if member is not None:
        pages += [
            Page("会员搜索 身份证号", f"{members}?q={member.id_number}", LIST_TARGET),
            Page("会员搜索 会员证号", f"{members}?q={member.member_number}", LIST_TARGET),
            Page("会员搜索 姓名", f"{members}?q={member.name}", LIST_TARGET),
        ]
    pages.append(Page("会员搜索 姓“张”", f"{members}?q=张", LIST_TARGET))
    return pages


def scale_pages(client: Client, user: User, year: int) -> list[Page]:
    """Every page the scale check measures for this user, found as the user would find it."""
    pages = [Page("工作台 dashboard", reverse("dashboard"), DASHBOARD_TARGET)]
    if user.federation_id:
        summary = reverse("reports:summary", args=[user.federation_id, year])
        pages.append(Page("年度汇总 summary", summary, SUMMARY_TARGET))
        html = client.get(summary).content.decode(errors="replace")
        links = {key: href for href, key in DRILL_LINK.findall(html) if f"/{year}/" in href}
        drill = links.get("members") or next(iter(links.values()), None)
        if drill is not None:
            pages.append(Page("汇总钻取 会员总数", drill, LIST_TARGET))
    pages += list_pages(client, user)
    pages += [
        Page("基层工会列表 unions", reverse("unions:list"), LIST_TARGET),
        Page("集体合同列表 contracts", reverse("unions:contract-list"), LIST_TARGET),
        Page("困难职工列表 hardship", reverse("hardship:list"), LIST_TARGET),
        Page("帮扶记录列表 aid", reverse("hardship:aid-list"), LIST_TARGET),
        Page("活动列表 activities", reverse("activities:list"), LIST_TARGET),
        Page("导入记录列表 imports", reverse("imports:list"), LIST_TARGET),
    ]
    if user.federation_id:
        pages.append(Page("联合会列表 federations", reverse("federations:list"), LIST_TARGET))
    member = member_to_find(user)
    if member is not None:
        pages.append(Page("会员详情 member", reverse("members:detail", args=[member.pk]), LIST_TARGET))
    union = first_visible(user, GrassrootsUnion)
    if union is not None:
        pages.append(Page("基层工会详情 union", reverse("unions:detail", args=[union.pk]), LIST_TARGET))
    return pages


def check_page_shown(page: Page, html: str) -> str:
    """A note when a numbered page shows another page than it asked for (the paging changed)."""
    wanted = re.search(r"[?&]page=(\d+)$", page.url)
    shown = shown_page_number(html)
    if wanted and shown is not None and int(wanted.group(1)) != shown and "末页" not in page.label:
        return f"显示第{shown}页"
    return ""


def scale_check(users: list[str], year: int, runs: int, budget: float) -> None:
    name = connection.settings_dict["NAME"]
    if name in READ_ONLY_DATABASES:
        sys.exit(
            f"{name} 只读：登录会写会话。请先复制一份，例如 "
            f"createdb -h 127.0.0.1 -U postgres -T {name} ul_bench_{name[-1]}"
        )
    print(
        f"目标 p95：工作台 ≤ {DASHBOARD_TARGET} ms，年度汇总 ≤ {SUMMARY_TARGET} ms，"
        f"列表与详情 ≤ {LIST_TARGET} ms"
    )
    print(f"每页最多 {runs} 次请求或 {budget:.0f} 秒（至少 3 次；另有 1 次预热不计）")
    verdicts = []
    for username in users:
        user = demo_user(username)
        scope = user.federation or user.union
        print()
        print(f"{username}（{user.get_role_display()}，{scope}）  负载 {os.getloadavg()[0]:.1f}")
        client = Client()
        client.force_login(user)
        head = (
            f"{pad('页面', 24)}{'p50 ms':>8}{'p95 ms':>8}{'查询数':>7}{'应用CPU':>8}{'库CPU':>8}"
            f"{'目标':>6}{'结果':>6}{'次数':>5}{'状态':>5}  说明"
        )
        print(head)
        for page in scale_pages(client, user, year):
            r = measure(client, page.label, page.url, runs, budget)
            queries = "/".join(str(q) for q in r["queries"])
            result = verdict(r["p95"], page.target, r["status"])
            note = " ".join(n for n in (page.note, check_page_shown(page, r["html"])) if n)
            verdicts.append((username, page.label, result))
            print(
                f"{pad(page.label, 24)}{r['p50']:>8.0f}{r['p95']:>8.0f}{queries:>7}{r['app_ms']:>8.0f}"
                f"{r['db_ms']:>8.0f}{page.target or '—':>6}{result:>6}{r['runs']:>5}{r['status']!s:>5}  "
                f"{note or page.url}"
            )
    failed = [f"{u} {label}" for u, label, result in verdicts if result == "FAIL"]
    print()
    print(
        f"PASS {sum(1 for *_, r in verdicts if r == 'PASS')} / {len(verdicts)}  负载 {os.getloadavg()[0]:.1f}"
    )
    if failed:
        print("FAIL: " + "；".join(failed))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1, help="年度汇总页的年度")
    parser.add_argument("--user", action="append", help="账号（可重复；默认 demo_staff 和 demo_cadre）")
    parser.add_argument("--show-queries", metavar="LABEL", help="打印该页面（标签包含此文字）的 SQL")
    parser.add_argument("--scale-check", action="store_true", help="按第 11 号问题的目标逐页判定 PASS / FAIL")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="--scale-check：每页最多用时（秒），至少 3 次请求"
    )
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 is a figure, not a warning
    logging.getLogger("axes").setLevel(logging.WARNING)  # every force_login is logged at INFO

    if connection.vendor == "postgresql" and connection.settings_dict["NAME"] not in READ_ONLY_DATABASES:
        # Right after a bulk load (demo_data) the planner has no statistics yet; autovacuum would
        # analyse the tables a little later. Measure the steady state, as bench/summary.py does.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"数据库: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"规模: 基层工会 {GrassrootsUnion.objects.count():,}  会员 {Member.objects.count():,}  "
        f"负载: {' '.join(f'{load:.2f}' for load in os.getloadavg())}  CPU {os.cpu_count()} 核"
    )
    if args.scale_check:
        scale_check(args.user or list(SCALE_USERS), args.year, args.runs, args.budget)
        return
    print(f"每页 {args.runs} 次请求（另有 1 次预热不计）")

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
