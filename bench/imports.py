"""Benchmark of the member roster import (会员花名册) on PostgreSQL: ours, the floor and the peer.

    .venv/bin/python bench/imports.py [--rows 10000,100000] \
        [--database-url postgres://postgres@127.0.0.1:5432/union_ledger_bench_imports]

For each size a realistic roster .xlsx is generated once with openpyxl's write-only mode (the 15
columns of DESIGN.md, valid ID numbers stored as text, real dates) and cached under var/bench/. Then,
each in its own process (so that its peak resident size is its own) and each database measurement on
a fresh copy of a freshly migrated database with one new union:

- the FLOOR: python-calamine reading every cell of the file, and openpyxl read-only for comparison;
- OURS: federation.imports.batches batch_create + batch_validate + batch_commit, with the roster
  spec of the registry (members.imports.roster.MemberRosterSpec) — seconds per phase, rows/s, queries, and
  the peak: tracemalloc's (Python objects, measured on a second identical run, since tracing slows
  Python down) and ru_maxrss (the whole process, calamine's Rust side included);
- the PEER: django-import-export importing the same file into the same Member model with a
  ModelResource mapping the same Chinese headers (id_number as import_id_field, the union set on
  each row), in its default mode and in its bulk mode (use_bulk, batch_size 1000, cached instance
  loader, no diff). It is installed only for the benchmark, from bench/requirements.txt into
  var/bench/peer (pip --target), never into the project's environment. The peer does one import
  pass with no preview; ours checks the file for the preview, and at the commit writes the checked
  plan after re-checking only what can have changed since (issue 14).

The ratios printed are ours / floor and ours / peer in rows per second (above 1: ours is faster).
Target (issue 14, was 15 s in issue 5): 100 000 rows checked and committed in ≤ 6 s with a peak ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.measure import server_cpu

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PEER_DIR = BENCH_DIR / "peer"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/union_ledger_bench_imports"
HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "学历",
    "政治面貌",
    "就业状况",
    "手机号码",
    "户籍类型",
    "是否农民工会员",
    "入会日期",
    "会员证号",
    "工作岗位",
    "是否工会干部",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌海燕波宁浩宇欣怡子涵梓萱一诺"
JOBS = [
    "操作工",
    "技术员",
    "质检员",
    "车间主任",
    "会计",
    "出纳",
    "仓管员",
    "销售",
    "司机",
    "保安",
    "厨师",
    "文员",
]
AREAS = ["110105", "320102", "330106", "420111", "440305", "510107", "610113", "370202"]


# -- the file --------------------------------------------------------------------------------------


def roster_path(rows: int, seed: int) -> Path:
    return BENCH_DIR / f"roster_{rows}_seed{seed}.xlsx"


def generate_roster(rows: int, seed: int) -> tuple[Path, float]:
    """A roster of `rows` members, every ID unique and valid; cached: (path, seconds to write it)."""
    path = roster_path(rows, seed)
    if path.exists():
        return path, 0.0
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from federation.identifiers import FEMALE, MALE, make_resident_id
    from members.choices import ETHNICITY_CHOICES, Education, EmploymentStatus, PoliticalStatus

    started = time.perf_counter()
    rng = random.Random(seed)
    ethnicities = [label for _code, label in ETHNICITY_CHOICES]
    educations = [str(label) for label in Education.labels]
    political = [str(label) for label in PoliticalStatus.labels]
    employment = [str(label) for label in EmploymentStatus.labels]
    base = dt.date(1965, 1, 1)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    header_cells = []
    for header in HEADERS:
        cell = WriteOnlyCell(sheet, header)
        header_cells.append(cell)
    sheet.append(header_cells)
    for index in range(rows):
        gender = MALE if rng.random() < 0.55 else FEMALE
        # (birth day, sequence) is unique per row: 13 000 days, then the next pair of sequences.
        born = base + dt.timedelta(days=index % 13000)
        id_number = make_resident_id(rng.choice(AREAS), born, (index // 13000) * 2, gender)
        joined = born + dt.timedelta(days=365 * 18 + rng.randrange(0, 365 * 15))
        joined = min(joined, dt.date(2025, 12, 31))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        text_id = WriteOnlyCell(sheet, id_number)
        text_id.number_format = "@"
        sheet.append(
            [
                name,
                "男" if gender == MALE else "女",
                ethnicities[0] if rng.random() < 0.9 else rng.choice(ethnicities),
                born,
                text_id,
                rng.choice(educations),
                rng.choice(political),
                employment[0] if rng.random() < 0.9 else rng.choice(employment),
                f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
                rng.choice(("农业", "非农业")),
                "是" if rng.random() < 0.3 else "否",
                joined,
                f"HY{index + 1:08d}",
                rng.choice(JOBS),
                "是" if rng.random() < 0.05 else "否",
            ]
        )
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    workbook.save(partial)
    partial.rename(path)
    return path, time.perf_counter() - started


# -- databases -------------------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_execute(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def fresh_template(url: str) -> str:
    """Create and migrate the template database once per benchmark run; returns its name."""
    template = urlsplit(url).path.lstrip("/") + "_template"
    admin_execute(url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)', f'CREATE DATABASE "{template}"')
    env = worker_env(with_database(url, template))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], env=env, check=True
    )
    return template


def fresh_database(url: str, template: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    admin_execute(
        url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return url


def worker_env(database_url: str | None) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="federation.settings",
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        MEDIA_ROOT=str(BENCH_DIR / "media"),
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_worker(kind: str, path: Path, database_url: str | None) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--file", str(path)],
        env=worker_env(database_url),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{kind} 失败（退出码 {completed.returncode}）")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# -- the workers (each in its own process) --------------------------------------------------------


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Wall time, this process's CPU time and its database server process's CPU time since start.

    On a machine shared with other work the wall time stretches; CPU + database CPU is what the
    work costs on an idle machine (as in bench/summary.py)."""

    def __init__(self, database: bool = False):
        self.pid = None
        if database:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
        self.wall, self.cpu, self.db = time.perf_counter(), time.process_time(), server_cpu(self.pid)

    def figures(self) -> dict:
        return {
            "seconds": time.perf_counter() - self.wall,
            "cpu": time.process_time() - self.cpu,
            "db_cpu": server_cpu(self.pid) - self.db,
        }


def worker_floor_calamine(path: Path) -> dict:
    import python_calamine

    before = maxrss_mb()
    clock = Clock()
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    rows = sum(1 for _row in sheet.iter_rows()) - 1
    workbook.close()
    return {**clock.figures(), "rows": rows, "maxrss": maxrss_mb(), "base_rss": before}


def worker_floor_openpyxl(path: Path) -> dict:
    from openpyxl import load_workbook

    before = maxrss_mb()
    clock = Clock()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True)) - 1
    workbook.close()
    return {**clock.figures(), "rows": rows, "maxrss": maxrss_mb(), "base_rss": before}


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def setup_django():
    import django

    django.setup()


def bench_union():
    """A new federation, union and cadre in the fresh database."""
    from federation.models import Federation, User
    from unions.choices import EmployerNature
    from unions.models import GrassrootsUnion

    federation = Federation.objects.create(name="基准测试县总工会", level=Federation.Level.COUNTY)
    union = GrassrootsUnion.objects.create(
        federation=federation,
        name="基准测试公司工会委员会",
        employer_name="基准测试公司",
        employer_nature=EmployerNature.PRIVATE,
        established_on=dt.date(2015, 3, 1),
    )
    cadre = User.objects.create(username="bench-cadre", role=User.Role.UNION_CADRE, union=union)
    return union, cadre


def worker_ours(path: Path, traced: bool) -> dict:
    setup_django()
    from django.db import connection

    from federation.imports import batches, registry
    from federation.models import ImportBatch
    from members.models import Member, MembershipChange

    union, cadre = bench_union()
    spec = registry.spec_class(ImportBatch.Kind.MEMBERS)
    counter = QueryCounter()
    before = maxrss_mb()
    if traced:
        tracemalloc.start()
    phases = {}
    clock = Clock(database=True)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        with path.open("rb") as handle:
            batch = batches.batch_create(
                kind=ImportBatch.Kind.MEMBERS, file=handle, file_name=path.name, by=cadre, union=union
            )
        phases["create"] = time.perf_counter() - started
        started = time.perf_counter()
        batches.batch_validate(batch)
        phases["validate"] = time.perf_counter() - started
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.READY:
            raise SystemExit(
                f"校验未通过：{batch.status} {batch.message} {batch.report.get('problems', [])[:5]}"
            )
        started = time.perf_counter()
        batch = batches.batch_commit(batch=batch, by=cadre)
        phases["commit"] = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if traced else None
    if traced:
        tracemalloc.stop()
    return {
        **clock.figures(),
        "spec": f"{spec.__module__}.{spec.__qualname__}",
        "phases": phases,
        "rows": batch.rows_created + batch.rows_updated + batch.rows_unchanged,
        "created": Member.objects.filter(union=union).count(),
        "join_entries": MembershipChange.objects.filter(union=union).count(),
        "history": Member.history.filter(union_id=union.pk).count(),
        "queries": counter.count,
        "peak": peak,
        "maxrss": maxrss_mb(),
        "base_rss": before,
    }


def peer_resource(union, bulk: bool):
    """The ModelResource a Django project would write for this roster: the same Chinese headers,
    labels turned into the model's codes, 是/否 into booleans, id_number as the import key."""
    sys.path.insert(0, str(PEER_DIR))
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader

    from members.choices import (
        ETHNICITY_CHOICES,
        Education,
        EmploymentStatus,
        Gender,
        HukouType,
        PoliticalStatus,
    )
    from members.models import Member

    class LabelWidget(widgets.Widget):
        def __init__(self, choices):
            super().__init__()
            self.codes = {str(label): code for code, label in choices}

        def clean(self, value, row=None, **kwargs):
            return self.codes.get(str(value or "").strip(), "")

    class YesNoWidget(widgets.BooleanWidget):
        def clean(self, value, row=None, **kwargs):
            return str(value or "").strip() == "是"

    def field(attribute, header, widget=None):
        return fields.Field(attribute=attribute, column_name=header, widget=widget)

    class MemberResource(resources.ModelResource):
        name = field("name", "姓名")
        gender = field("gender", "性别", LabelWidget(Gender.choices))
        ethnicity = field("ethnicity", "民族", LabelWidget(ETHNICITY_CHOICES))
        birth_date = field("birth_date", "出生日期", widgets.DateWidget())
        id_number = field("id_number", "身份证号")
        education = field("education", "学历", LabelWidget(Education.choices))
        political_status = field("political_status", "政治面貌", LabelWidget(PoliticalStatus.choices))
        employment_status = field("employment_status", "就业状况", LabelWidget(EmploymentStatus.choices))
        mobile = field("mobile", "手机号码")
        hukou_type = field("hukou_type", "户籍类型", LabelWidget(HukouType.choices))
        is_migrant_worker = field("is_migrant_worker", "是否农民工会员", YesNoWidget())
        joined_on = field("joined_on", "入会日期", widgets.DateWidget())
        member_number = field("member_number", "会员证号")
        job = field("job", "工作岗位")
        is_cadre = field("is_cadre", "是否工会干部", YesNoWidget())

        class Meta:
            model = Member
            import_id_fields = ("id_number",)
            fields = (
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "id_number",
                "education",
                "political_status",
                "employment_status",
                "mobile",
                "hukou_type",
                "is_migrant_worker",
                "joined_on",
                "member_number",
                "job",
                "is_cadre",
            )
            if bulk:
                use_bulk = True
                batch_size = 1000
                skip_diff = True
                instance_loader_class = CachedInstanceLoader

        def before_save_instance(self, instance, row, **kwargs):
            instance.union = union

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            instance.union = union

    return MemberResource()


def worker_peer(path: Path, bulk: bool) -> dict:
    setup_django()
    sys.path.insert(0, str(PEER_DIR))
    import tablib
    from django.db import connection

    from members.models import Member

    union, _cadre = bench_union()
    resource_ = peer_resource(union, bulk)
    counter = QueryCounter()
    before = maxrss_mb()
    clock = Clock(database=True)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        with path.open("rb") as handle:
            dataset = tablib.Dataset().load(handle, format="xlsx")
        loaded = time.perf_counter() - started
        result = resource_.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
        figures = clock.figures()
    errors = len(result.invalid_rows) + sum(len(e) for _n, e in result.row_errors())
    return {
        **figures,
        "load": loaded,
        "rows": len(dataset),
        "created": Member.objects.filter(union=union).count(),
        "errors": errors,
        "queries": counter.count,
        "maxrss": maxrss_mb(),
        "base_rss": before,
    }


WORKERS = {
    "floor-calamine": worker_floor_calamine,
    "floor-openpyxl": worker_floor_openpyxl,
    "ours": lambda path: worker_ours(path, traced=False),
    "ours-traced": lambda path: worker_ours(path, traced=True),
    "peer-default": lambda path: worker_peer(path, bulk=False),
    "peer-bulk": lambda path: worker_peer(path, bulk=True),
}


# -- the run ---------------------------------------------------------------------------------------


def peer_requirements() -> list[str]:
    """The peer's pins in bench/requirements.txt (locust, pinned there for bench/load.py, is not
    part of the peer)."""
    lines = (ROOT / "bench" / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "locust"))]


def ensure_peer() -> None:
    if (PEER_DIR / "import_export").is_dir() and (PEER_DIR / "tablib").is_dir():
        return
    print("安装对照库到 var/bench/peer（bench/requirements.txt）…", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(PEER_DIR),
            *peer_requirements(),
        ],
        check=True,
    )


def display_width(text: str) -> int:
    """Columns on a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 1)


def measure_size(rows: int, args, template: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")
    setup_django()
    path, written = generate_roster(rows, args.seed)
    size_mb = path.stat().st_size / 1024 / 1024
    note = f"生成用时 {written:.1f} s（openpyxl write-only）" if written else "已缓存"
    print(f"\n== {rows:,} 行  {path.relative_to(ROOT)}  {size_mb:.1f} MB  {note}", flush=True)

    def on_fresh_db(kind: str) -> dict:
        return run_worker(kind, path, fresh_database(args.database_url, template))

    results = {
        "floor-calamine": run_worker("floor-calamine", path, None),
        "floor-openpyxl": run_worker("floor-openpyxl", path, None),
        "ours": on_fresh_db("ours"),
        "ours-traced": on_fresh_db("ours-traced"),
    }
    if not args.no_peer:
        if rows <= args.peer_default_max_rows:
            results["peer-default"] = on_fresh_db("peer-default")
        results["peer-bulk"] = on_fresh_db("peer-bulk")

    def rate(kind: str) -> float:
        return results[kind]["rows"] / results[kind]["seconds"]

    def cpu_rate(kind: str) -> float:
        """Rows per second of CPU (this process + its database server process): the idle-machine rate."""
        return results[kind]["rows"] / (results[kind]["cpu"] + results[kind]["db_cpu"])

    columns = [("墙钟 s", 8), ("行/秒", 9), ("CPU s", 8), ("库CPU s", 9), ("行/CPU秒", 10)]
    columns += [("查询数", 8), ("峰值 MB", 9), ("maxrss MB", 11)]
    print(pad("", 34) + "".join(" " * (width - display_width(title)) + title for title, width in columns))
    for kind, label in (
        ("floor-calamine", "下限 python-calamine 读全表"),
        ("floor-openpyxl", "对照 openpyxl read-only 读全表"),
        ("ours", "本系统 建批+校验+确认导入"),
        ("peer-default", "django-import-export 默认模式"),
        ("peer-bulk", "django-import-export 批量模式"),
    ):
        if kind not in results:
            continue
        r = results[kind]
        peak = results["ours-traced"]["peak"] if kind == "ours" else None
        queries = str(r["queries"]) if "queries" in r else "—"
        peak_text = f"{peak:.0f}" if peak is not None else "—"
        print(
            f"{pad(label, 34)}{r['seconds']:>8.2f}{rate(kind):>9,.0f}{r['cpu']:>8.2f}{r['db_cpu']:>9.2f}"
            f"{cpu_rate(kind):>10,.0f}{queries:>8}{peak_text:>9}{r['maxrss']:>11.0f}"
        )
    ours = results["ours"]
    phases = ours["phases"]
    print(
        f"本系统分阶段: 建批 {phases['create']:.2f} s，校验 {phases['validate']:.2f} s，"
        f"确认（复查可能变化的行+写入）{phases['commit']:.2f} s；导入规格 {ours['spec']}"
    )
    print(
        f"本系统写入: 会员 {ours['created']:,}，入会记录 {ours['join_entries']:,}，"
        f"历史记录 {ours['history']:,}；启动后常驻 {ours['base_rss']:.0f} MB"
    )
    for kind in ("peer-default", "peer-bulk"):
        if kind in results:
            r = results[kind]
            print(
                f"{kind}: 写入会员 {r['created']:,}，错误 {r['errors']}，其中 tablib 读文件 {r['load']:.2f} s"
            )
    for title, measure in (("墙钟", rate), ("CPU", cpu_rate)):
        ratios = [f"本系统/下限 {measure('ours') / measure('floor-calamine'):.2f}"]
        for kind, label in (("peer-default", "默认模式"), ("peer-bulk", "批量模式")):
            if kind in results:
                ratios.append(f"本系统/对照{label} {measure('ours') / measure(kind):.1f}")
        print(f"比值（按{title}行/秒）: " + "，".join(ratios))
    if rows >= 100_000:
        ok = ours["seconds"] <= 6 and (results["ours-traced"]["peak"] or 0) <= 300 and ours["maxrss"] <= 300
        print(
            f"目标（10 万行 ≤ 6 s，峰值 ≤ 300 MB）: {'达到' if ok else '未达到'}"
            f"（墙钟 {ours['seconds']:.1f} s，CPU+库CPU {ours['cpu'] + ours['db_cpu']:.1f} s，"
            f"tracemalloc {results['ours-traced']['peak']:.0f} MB，maxrss {ours['maxrss']:.0f} MB）"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="10000,100000", help="行数，逗号分隔（默认 10000,100000）")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-peer", action="store_true", help="不测 django-import-export")
    parser.add_argument(
        "--peer-default-max-rows",
        type=int,
        default=10**9,
        help="默认模式的对照只测到这个行数（它每行一次查询，10 万行要几分钟）",
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](Path(args.file))))
        return
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("本基准只在 PostgreSQL 上测：请用 --database-url postgres://…")
    bench_name = urlsplit(args.database_url).path.lstrip("/")
    if not bench_name.startswith("union_ledger_bench"):
        sys.exit("基准会删除并重建数据库：库名须以 union_ledger_bench 开头")
    if not args.no_peer:
        ensure_peer()
    print(f"数据库: {args.database_url.rsplit('@', 1)[-1]}（每项测量前从刚迁移的模板库复制一个新库）")
    template = fresh_template(args.database_url)
    try:
        for rows in (int(n) for n in args.rows.split(",")):
            measure_size(rows, args, template)
    finally:
        name = urlsplit(args.database_url).path.lstrip("/")
        admin_execute(
            args.database_url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)',
        )
    print(f"\n负载: {os.getloadavg()[0]:.1f}（2 核机器，与其他进程共用）")


if __name__ == "__main__":
    main()
