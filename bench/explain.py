"""EXPLAIN (ANALYZE, BUFFERS) of the ten heaviest queries the pages of `bench/pages.py --scale-check`
run, with the indexes that serve them, on the PostgreSQL database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres -T union_ledger_l ul_bench_l    # a copy: signing in writes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ul_bench_l \\
        .venv/bin/python bench/explain.py --scale l [--top 10]

Every page of the scale check (as demo_staff, demo_chair and demo_cadre) is requested once to warm
up and once more with its SQL captured (CaptureQueriesContext, the statements with their values);
the same statement run by several pages counts once, at its slowest. The slowest SELECTs are
explained in a transaction that is rolled back, one file each in bench/explain/<scale>/ (rank, the
pages that run it, the time it took inside the page, the SQL, the plan, the indexes the plan reads
with their definitions and the tables it scans whole), and 00-summary.txt lists them. The files of a
previous run of the same scale are replaced.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import indexes_in_plan  # noqa: E402
from bench.pages import READ_ONLY_DATABASES, SCALE_USERS, demo_user, scale_pages  # noqa: E402
from members.models import Member  # noqa: E402
from unions.models import GrassrootsUnion  # noqa: E402

SEQ_SCAN = re.compile(r"Seq Scan on (\S+)")


@dataclass
class Statement:
    sql: str
    ms: float
    pages: list[str] = field(default_factory=list)


def slug(url: str) -> str:
    return re.sub(r"\W+", "-", urlsplit(url).path).strip("-") or "dashboard"


def capture(users: list[str], year: int) -> dict[str, Statement]:
    """Every SELECT the pages run, by its SQL, at its slowest."""
    statements: dict[str, Statement] = {}
    for username in users:
        user = demo_user(username)
        client = Client()
        client.force_login(user)
        for page in scale_pages(client, user, year):
            client.get(page.url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.url)
            print(
                f"  {username:<11} {page.label}: {response.status_code}, {len(captured)} 条查询", flush=True
            )
            for query in captured.captured_queries:
                sql = query["sql"] or ""
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                ms = float(query["time"]) * 1000
                where = f"{username} {page.label} {page.url}"
                statement = statements.setdefault(sql, Statement(sql, ms))
                statement.ms = max(statement.ms, ms)
                if where not in statement.pages:
                    statement.pages.append(where)
    return statements


def explain(sql: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def index_definitions(names: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [names])
        found = dict(cursor.fetchall())
    return [f"{name}: {found.get(name, '(定义未找到)')}" for name in names]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", required=True, help="规模名（m、l …），输出到 bench/explain/<规模>/")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1, help="年度汇总页的年度")
    parser.add_argument(
        "--user", action="append", help="账号（可重复；默认 demo_staff、demo_chair、demo_cadre）"
    )
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    logging.getLogger("axes").setLevel(logging.WARNING)

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN (ANALYZE, BUFFERS) 需要 PostgreSQL：请设置 DATABASE_URL")
    if name in READ_ONLY_DATABASES:
        sys.exit(
            f"{name} 只读：登录会写会话。请先复制一份："
            f"createdb -h 127.0.0.1 -U postgres -T {name} ul_bench_{name[-1]}"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    scale_line = (
        f"数据库 {name}（{version.split(' on ')[0]}）：基层工会 {GrassrootsUnion.objects.count():,}，"
        f"会员 {Member.objects.count():,}；负载 {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(scale_line)
    statements = capture(args.user or list(SCALE_USERS), args.year)
    heaviest = sorted(statements.values(), key=lambda s: -s.ms)[: args.top]

    out = ROOT / "bench" / "explain" / args.scale
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    summary = [
        f"规模 {args.scale} · {timezone.now():%Y-%m-%d %H:%M} UTC",
        scale_line,
        f"{len(statements)} 条不同的 SELECT 中最慢的 {len(heaviest)} 条（页面内计时，ms）与它们用到的索引：",
        "",
    ]
    for rank, statement in enumerate(heaviest, 1):
        plan = explain(statement.sql)
        indexes = indexes_in_plan(plan)
        scanned = sorted(set(SEQ_SCAN.findall(plan)))
        first_page = statement.pages[0].split()[-1]
        filename = f"{rank:02d}-{slug(first_page)}.txt"
        execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
        analysed = execution.group(1) if execution else "?"
        lines = [
            f"#{rank} 页面内 {statement.ms:.1f} ms；EXPLAIN ANALYZE {analysed} ms",
            scale_line,
            "",
            "页面（账号 页面 URL）:",
            *(f"  {where}" for where in statement.pages),
            "",
            "SQL:",
            statement.sql,
            "",
            "EXPLAIN (ANALYZE, BUFFERS):",
            plan,
            "",
            "用到的索引:",
            *(f"  {line}" for line in index_definitions(indexes)),
            *(["  （无）"] if not indexes else []),
            "整表扫描（Seq Scan）: " + ("、".join(scanned) if scanned else "无"),
            "",
        ]
        (out / filename).write_text("\n".join(lines))
        summary.append(
            f"{rank:>2}. {statement.ms:8.1f} ms  {filename:<34} 索引: {', '.join(indexes) or '无'}"
            f"{'；整表扫描: ' + ', '.join(scanned) if scanned else ''}"
        )
        summary.append(
            f"      {statement.pages[0]}"
            + (f" 等 {len(statement.pages)} 页" if len(statement.pages) > 1 else "")
        )
        print(summary[-2], flush=True)
    (out / "00-summary.txt").write_text("\n".join(summary) + "\n")
    print(f"写入 {out.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
