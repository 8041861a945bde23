"""Load held (issue 11, item 6): concurrent staff, chair and cadre sessions over the lists, details,
searches, the dashboard and the summary page, against gunicorn + PostgreSQL on 127.0.0.1 only.

    .venv/bin/python bench/load.py --scale m --users 50 --minutes 2 [--workers 3] [--worker]

This file is both the driver (run as a script) and the locust scenario (locust imports it as its
locustfile; locust is installed only for the benchmark, at the version bench/requirements.txt pins:
`.venv/bin/pip install locust==2.47.0`).
The driver
1. uses a copy of the tier's demo database, ul_bench_<scale> (made from union_ledger_<scale> when it
   is missing; --fresh makes it again; --database names another), never the demo database itself;
2. signs the demo accounts in (demo_staff, demo_chair, demo_cadre: one session per simulated user,
   written to the database as a login does) and writes the plan: each role's URLs, with records
   picked deterministically from its scope;
3. collects the static files (DEBUG is off, as in production) and starts gunicorn (--workers sync
   workers) on a free port of 127.0.0.1 against that database; with --worker also a Celery worker
   (`celery -A federation worker`, for when long work runs on the queue; it needs a broker:
   CELERY_BROKER_URL, default redis://127.0.0.1:6379/15);
4. runs locust headless for --minutes with --users simulated users (staff : chair : cadre = 2 : 1 : 2),
   each waiting 0.5–1.5 s between requests, and prints req/s, p50 / p95 / p99 per page kind and in
   all, the errors (any answer but 200 — a redirect to the login page is an error), the CPU seconds
   of gunicorn and the load average before and after;
5. stops everything it started.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN_VARIABLE = "UNION_LEDGER_LOAD_PLAN"
THINK_SECONDS = (0.5, 1.5)
ROLE_WEIGHTS = {"staff": 2, "chair": 1, "cadre": 2}

if __name__ != "__main__":
    # Imported by locust as its locustfile: the simulated users. Locust patches the standard library
    # with gevent when it is imported, so the driver below never imports it.
    import itertools

    from locust import between, task
    from locust.contrib.fasthttp import FastHttpUser

    _PLAN = json.loads(Path(os.environ[PLAN_VARIABLE]).read_text()) if PLAN_VARIABLE in os.environ else {}
    _SESSIONS = {role: itertools.cycle(p["sessions"]) for role, p in _PLAN.get("roles", {}).items()}

    class LedgerUser(FastHttpUser):
        """A signed-in user of one role: every request must answer 200."""

        abstract = True
        role = ""
        wait_time = between(*THINK_SECONDS)

        def on_start(self) -> None:
            self.plan = _PLAN["roles"][self.role]
            self.headers = {"Cookie": f"{_PLAN['cookie']}={next(_SESSIONS[self.role])}"}

        def open(self, kind: str) -> None:
            urls = self.plan["pages"].get(kind)
            if not urls:  # a cadre has no annual summary
                return
            url = random.choice(urls)
            with self.client.get(
                url, name=kind, headers=self.headers, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} {url}")

        @task(2)
        def dashboard(self) -> None:
            self.open("工作台")

        @task(1)
        def summary(self) -> None:
            self.open("年度汇总")

        @task(2)
        def member_list(self) -> None:
            self.open("会员列表")

        @task(1)
        def member_list_later_page(self) -> None:
            self.open("会员列表 翻页")

        @task(3)
        def member_search(self) -> None:
            self.open("会员搜索")

        @task(3)
        def other_list(self) -> None:
            self.open("其他列表")

        @task(3)
        def detail(self) -> None:
            self.open("详情")

    class StaffUser(LedgerUser):
        role = "staff"
        weight = ROLE_WEIGHTS["staff"]

    class ChairUser(LedgerUser):
        role = "chair"
        weight = ROLE_WEIGHTS["chair"]

    class CadreUser(LedgerUser):
        role = "cadre"
        weight = ROLE_WEIGHTS["cadre"]


# --- The driver ----------------------------------------------------------------------------------

VAR = ROOT / "var" / "bench" / "load"
PYTHON = Path(sys.executable)
BIN = PYTHON.parent
READ_ONLY_DATABASES = ("union_ledger_m", "union_ledger_l")
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"
SAMPLE = 100  # records per role picked for the detail pages and the searches


def server_environment(database: str, secret_key: str) -> dict[str, str]:
    """The settings of a production-like server on loopback (DEBUG off, plain HTTP)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(VAR / "static"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_copy(database: str, template: str, fresh: bool) -> None:
    """The benchmark's own copy of a demo database (signing in writes sessions)."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not fresh:
            return
        if exists:
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        for attempt in range(12):
            try:
                conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
                print(f"复制 {template} → {database}", flush=True)
                return
            except psycopg.errors.ObjectInUse:
                # Someone is connected to the template; CREATE DATABASE … TEMPLATE needs it idle.
                print(f"{template} 正在被使用，10 秒后重试（{attempt + 1}/12）", flush=True)
                time.sleep(10)
    sys.exit(f"无法复制 {template}：它一直有连接")


def sample(queryset, count: int = SAMPLE) -> list:
    """`count` records spread evenly over the queryset's pk order (the same ones on every run)."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // count)
    return pks[::step][:count]


def role_plan(username: str, sessions: int, year: int) -> dict:
    """One role's sessions and URLs by page kind."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from federation import scoping
    from federation.lists.paging import PAGE_SIZE
    from federation.models import User
    from members.models import Member
    from unions.models import CollectiveContract, GrassrootsUnion

    user = User.objects.get(username=username)
    cookies = []
    for _ in range(sessions):
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    members = reverse("members:list")
    member_pks = sample(scoping.visible(user, Member))
    member_count = scoping.visible(user, Member).count()
    found = Member.objects.filter(pk__in=member_pks).exclude(member_number="")
    searches = [f"{members}?q=张"]
    for member in found[:30]:
        searches += [
            f"{members}?q={member.id_number}",
            f"{members}?q={member.member_number}",
            f"{members}?q={member.name}",
        ]
    pages = {
        "工作台": [reverse("dashboard")],
        "会员列表": [members],
        # Pages 2–50 (those the list has): a user leafing through, not jumping to page 1000.
        "会员列表 翻页": [
            f"{members}?page={n}" for n in range(2, min(51, -(-member_count // PAGE_SIZE) + 1))
        ],
        "会员搜索": searches,
        "其他列表": [
            reverse(name)
            for name in (
                "unions:list",
                "unions:contract-list",
                "hardship:list",
                "hardship:aid-list",
                "activities:list",
            )
        ],
        "详情": [reverse("members:detail", args=[pk]) for pk in member_pks]
        + [reverse("unions:detail", args=[pk]) for pk in sample(scoping.visible(user, GrassrootsUnion))]
        + [
            reverse("unions:contract-detail", args=[pk])
            for pk in sample(scoping.visible(user, CollectiveContract))
        ],
    }
    if user.federation_id:
        pages["年度汇总"] = [reverse("reports:summary", args=[user.federation_id, year])]
    return {"user": username, "sessions": cookies, "pages": pages}


def write_plan(users: int, year: int) -> Path:
    import logging

    from django.conf import settings

    logging.getLogger("axes").setLevel(logging.WARNING)
    total = sum(ROLE_WEIGHTS.values())
    plan = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "roles": {
            role: role_plan(f"demo_{role}", -(-users * weight // total), year)
            for role, weight in ROLE_WEIGHTS.items()
        },
    }
    path = VAR / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn 退出了（返回码 {process.returncode}），见 {VAR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn 在 {seconds:.0f} 秒内没有应答 {url}")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (gunicorn's master and workers), from /proc."""
    from bench.measure import server_cpu

    total = server_cpu(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(process_tree_cpu(int(child)) for child in children)


def stop(process: subprocess.Popen | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print(f"{name} 30 秒内没有退出，强制结束", flush=True)
        process.kill()
        process.wait()


def report(stats_file: Path) -> int:
    """Print locust's final figures per page kind and in all (every request that finished, those in
    flight when the time ran out included); return the number of errors."""
    entries = json.loads(stats_file.read_text())
    if not entries:
        print("locust 没有完成任何请求")
        return 0
    started = min(e["start_time"] for e in entries)
    ended = max(e["last_request_timestamp"] or e["start_time"] for e in entries)
    seconds = max(ended - started, 1e-9)
    total: dict = {"name": "合计", "num_requests": 0, "num_failures": 0, "response_times": {}}
    for entry in entries:
        total["num_requests"] += entry["num_requests"]
        total["num_failures"] += entry["num_failures"]
        for ms, n in entry["response_times"].items():
            total["response_times"][ms] = total["response_times"].get(ms, 0) + n
    from bench.measure import pad, percentile_of

    print(f"{pad('页面', 16)}{'请求':>7}{'错误':>6}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for entry in [*sorted(entries, key=lambda e: e["name"]), total]:
        times = entry["response_times"]
        print(
            f"{pad(entry['name'], 16)}{entry['num_requests']:>7}{entry['num_failures']:>6}"
            f"{entry['num_requests'] / seconds:>8.1f}{percentile_of(times, 0.5):>8.0f}"
            f"{percentile_of(times, 0.95):>8.0f}{percentile_of(times, 0.99):>8.0f}"
        )
    return total["num_failures"]


def failures(prefix: Path) -> None:
    """The first errors locust recorded (its failures CSV)."""
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with path.open(newline="") as f:
            for row in list(csv.DictReader(f))[:10]:
                print(f"  错误 {row['Occurrences']} 次：{row['Name']} {row['Error']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="m", help="规模：m、l …（数据库 union_ledger_<规模> 的副本）")
    parser.add_argument("--users", type=int, default=50, help="同时在线的模拟用户")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn 的 worker 数")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="每秒新增的模拟用户")
    parser.add_argument("--database", help="数据库名（默认 ul_bench_<规模>，从 union_ledger_<规模> 复制）")
    parser.add_argument("--fresh", action="store_true", help="重新复制数据库")
    parser.add_argument(
        "--worker",
        action="store_true",
        help="同时启动一个 Celery worker（celery -A federation worker；长任务在队列上运行之后用）",
    )
    parser.add_argument("--year", type=int, help="年度汇总的年度（默认去年）")
    args = parser.parse_args()

    template = f"union_ledger_{args.scale}"
    database = args.database or f"ul_bench_{args.scale}"
    if database in READ_ONLY_DATABASES:
        sys.exit(f"{database} 只读：登录会写会话，请用它的副本（默认 ul_bench_{args.scale}）")
    VAR.mkdir(parents=True, exist_ok=True)
    if not args.database:
        ensure_copy(database, template, args.fresh)

    port = free_port()
    env = server_environment(database, secrets.token_urlsafe(40))
    if args.worker:
        # The web processes queue the long work on the same broker the worker reads.
        env.setdefault("CELERY_BROKER_URL", DEFAULT_BROKER)
    # The sessions are signed with the server's SECRET_KEY: set up Django here with the same settings.
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from members.models import Member
    from unions.models import GrassrootsUnion

    year = args.year or timezone.localdate().year - 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    plan = write_plan(args.users, year)
    scale = f"基层工会 {GrassrootsUnion.objects.count():,}，会员 {Member.objects.count():,}"
    connection.close()

    log = open(VAR / "gunicorn.log", "w")  # closed in finally
    locust_log = open(VAR / "locust.log", "w")
    gunicorn = worker = None
    try:
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "federation.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "300",
                "--graceful-timeout",
                "10",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if args.worker:
            # After the `queue` branch: long work (imports, exports, summary rendering) runs here.
            worker = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "federation",
                    "worker",
                    "--loglevel",
                    "WARNING",
                    "--concurrency",
                    "1",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        host = f"http://127.0.0.1:{port}"
        wait_until_serving(host + reverse("login"), gunicorn)
        if worker is not None and worker.poll() is not None:
            sys.exit(
                f"Celery worker 退出了（返回码 {worker.returncode}；项目还没有 Celery 应用？），"
                f"见 {VAR / 'gunicorn.log'}"
            )
        print(
            f"数据库 {database}（{scale}）；gunicorn {args.workers} 个 worker 于 {host}"
            f"{'，Celery worker 1 个' if worker else ''}；CONN_MAX_AGE={env.get('CONN_MAX_AGE', '0')}",
            flush=True,
        )
        print(
            f"locust：{args.users} 个用户（工作人员:主席:干事 = "
            f"{ROLE_WEIGHTS['staff']}:{ROLE_WEIGHTS['chair']}:{ROLE_WEIGHTS['cadre']}），"
            f"每次请求间隔 {THINK_SECONDS[0]}–{THINK_SECONDS[1]} 秒，{args.minutes:g} 分钟；"
            f"负载 {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        cpu_before = process_tree_cpu(gunicorn.pid)
        prefix = VAR / "run"
        stats_file = VAR / "run.json"
        stats_file.unlink(missing_ok=True)
        started = time.monotonic()
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).resolve()),
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--json-file",
                str(stats_file.with_suffix("")),  # locust adds ".json"
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "30",
            ],
            cwd=ROOT,
            env=dict(env, **{PLAN_VARIABLE: str(plan)}),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=locust_log,
        )
        elapsed = time.monotonic() - started
        cpu = process_tree_cpu(gunicorn.pid) - cpu_before
        print()
        if not stats_file.exists():
            sys.exit(f"locust 没有写出结果（返回码 {locust.returncode}），见 {VAR / 'locust.log'}")
        errors = report(stats_file)
        if errors:
            failures(prefix)
        print(
            f"gunicorn CPU {cpu:.0f} 秒 / {elapsed:.0f} 秒；"
            f"负载 {' '.join(f'{x:.2f}' for x in os.getloadavg())}；"
            f"错误 {errors}",
            flush=True,
        )
    finally:
        stop(worker, "Celery worker")
        stop(gunicorn, "gunicorn")
        log.close()
        locust_log.close()


if __name__ == "__main__":
    main()
