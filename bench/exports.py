"""Benchmark of the member list's export (federation.exports.base): the writers side by side in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ul_xlsx_m \
        .venv/bin/python bench/exports.py [--user NAME] [--param KEY=VALUE ...]
    .venv/bin/python bench/exports.py --synthetic 100000,2360000

Writers, each run in a fresh process of its own so that its memory peak is its own:
- `openpyxl`   — openpyxl's write-only mode, as the exports were written before (kept here as the peer:
                 one sheet, however many rows; the same cells.put);
- `xlsxwriter` — XlsxWriter in constant-memory mode, as the app wrote the lists in the round before
                 (sheets of at most 1 048 575 records; installed for the benchmark only, from
                 bench/requirements.txt into var/bench/peer);
- `ledger`     — what the app writes now (base.write_xlsx: rustpy-xlsxwriter, the Rust port of
                 XlsxWriter, streaming each sheet in constant memory; the same sheets);
- `csv`        — the CSV export (base.write_csv).
And the floor, in this process: the same rows read from the database and built (MemberExporter.rows())
without writing anything.

With a database: the member list of --user (demo_staff by default, every member of the tier), as the
list's export builds it for that user, from the records to the finished file. With --synthetic N[,M…]:
no database, N member rows made up in memory (the floor is making them); at several sizes, the memory
peaks show whether memory grows with the rows.

Printed per writer: seconds (wall and this process's CPU; on a shared machine CPU is the steadier
figure), rows per second, the file's size, queries, and memory: the growth of the process's maximum
resident size over its size just before the export began (峰值增长), and the process's peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Font, PatternFill  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from federation.exports import base  # noqa: E402
from federation.exports.cells import is_formula_like, plain_value, put, safe_value, sheet_title  # noqa: E402
from federation.exports.workbook import write_only_workbook  # noqa: E402
from federation.models import User  # noqa: E402
from members.exports import MemberExporter  # noqa: E402
from members.lists import MEMBERS  # noqa: E402

WRITERS = ("openpyxl", "xlsxwriter", "ledger", "csv")
PEER_DIR = ROOT / "var" / "bench" / "peer"
XLSXWRITER_PIN = next(
    line.strip()
    for line in (ROOT / "bench" / "requirements.txt").read_text().splitlines()
    if line.lower().startswith("xlsxwriter==")
)


# --- the peer: openpyxl's write-only mode, as federation.exports.base wrote the lists before ------------


def write_openpyxl(exporter: base.ListExporter, file) -> int:
    with write_only_workbook() as workbook:
        sheet = workbook.create_sheet(title=sheet_title(exporter.title))
        columns = exporter.columns
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = put(WriteOnlyCell(sheet), str(column.header))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE4EE")
            header.append(cell)
        sheet.append(header)
        styled = []
        for column in columns:
            cell = None
            if column.number_format:
                cell = WriteOnlyCell(sheet)
                cell.number_format = column.number_format
            styled.append(cell)
        count = 0
        for values in exporter.rows():
            row = []
            for cell, value in zip(styled, values, strict=True):
                if value is None or value == "":
                    row.append(None)
                elif cell is None:
                    row.append(safe_value(sheet, value))
                else:
                    row.append(put(cell, value))
            sheet.append(row)
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{count + 1}"
        workbook.save(file)
    return count


# --- the second peer: XlsxWriter's constant-memory mode, as federation.exports.base wrote the lists in the
# round before this one (the same sheets of at most SHEET_ROW_LIMIT records, typed writers only) ---------


def xlsxwriter_module():
    """XlsxWriter, installed for the benchmark only (bench/requirements.txt) into var/bench/peer."""
    sys.path.insert(0, str(PEER_DIR))
    try:
        import xlsxwriter
    except ImportError:
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
                XLSXWRITER_PIN,
            ],
            check=True,
        )
        importlib.invalidate_caches()
        import xlsxwriter
    return xlsxwriter


def write_xlsxwriter(exporter: base.ListExporter, file) -> int:
    xlsxwriter = xlsxwriter_module()
    folder = tempfile.mkdtemp(prefix="ledger-export.")
    workbook = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,
            "tmpdir": folder,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    columns = exporter.columns
    header = workbook.add_format({"bold": True, "pattern": 1, "bg_color": base.HEADER_FILL})
    formats = [
        workbook.add_format({"num_format": c.number_format}) if c.number_format else None for c in columns
    ]
    quoted = workbook.add_format({"quote_prefix": True})
    date = workbook.add_format({"num_format": base.DATE})
    sheets, count, row, sheet = 0, 0, base.SHEET_ROW_LIMIT, None
    for values in exporter.rows():
        if row == base.SHEET_ROW_LIMIT:
            sheets += 1
            sheet = workbook.add_worksheet(sheet_title(exporter.title, suffix=f"({sheets})"))
            sheet.freeze_panes(1, 0)
            for index, column in enumerate(columns):
                sheet.set_column(index, index, column.width)
                sheet.write_string(0, index, str(column.header), header)
            row = 0
        row += 1
        for index, value in enumerate(values):
            value = plain_value(value)
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, index, value, quoted if is_formula_like(value) else formats[index])
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, index, value, formats[index] or date)
            elif isinstance(value, bool):
                sheet.write_boolean(row, index, value, formats[index])
            else:
                sheet.write_number(row, index, value, formats[index])
        count += 1
    workbook.close()
    return count


def write_with(writer: str, exporter: base.ListExporter, file) -> int:
    if writer == "openpyxl":
        return write_openpyxl(exporter, file)
    if writer == "xlsxwriter":
        return write_xlsxwriter(exporter, file)
    if writer == "csv":
        return base.write_csv(exporter, file)
    return base.write_xlsx(exporter, file)


# --- the rows ----------------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
UNIONS = [
    f"第{n}区{kind}有限公司工会委员会" for n in range(1, 60) for kind in ("机械", "纺织", "物流", "建设")
]


class SyntheticMembers(MemberExporter):
    """N member rows made up in memory, shaped as MemberExporter's: no database."""

    def __init__(self, rows: int, *, format: str = base.XLSX) -> None:
        self.counted = rows
        self.format = format
        self.full_identifiers = False

    def rows(self):
        start = dt.date(2000, 1, 1)
        for n in range(self.counted):
            yield (
                SURNAMES[n % 20] + GIVEN[n % 16],
                "男" if n % 2 else "女",
                f"{110101 + n % 900:06d}********{n % 10000:04d}",
                f"13{n % 10}****{n % 10000:04d}",
                UNIONS[n % len(UNIONS)],
                start + dt.timedelta(days=n % 9000),
                f"M{n:010d}",
                "在会",
                "是" if n % 13 == 0 else "否",
                "是" if n % 5 == 0 else "否",
            )


def database_exporter(args, *, format: str = base.XLSX) -> base.ListExporter:
    user = User.objects.filter(username=args.user).first()
    if user is None:
        sys.exit(f"找不到账号“{args.user}”：请先运行 manage.py demo_data --scale m")
    query = QueryDict(mutable=True)
    for key, value in args.params.items():
        query[key] = value
    query[base.FORMAT_PARAMETER] = format
    return MEMBERS.exporter(user, query)


def make_exporter(args, rows: int | None, *, format: str = base.XLSX) -> base.ListExporter:
    return SyntheticMembers(rows, format=format) if rows else database_exporter(args, format=format)


# --- one writer, in a process of its own --------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run_one(args) -> None:
    """Child: write the export with one writer and print the figures as JSON."""
    rows = args.child_rows or None
    exporter = make_exporter(args, rows, format=base.CSV if args.child == "csv" else base.XLSX)
    with tempfile.TemporaryFile() as file, CaptureQueriesContext(connection) as captured:
        before = rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        count = write_with(args.child, exporter, file)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        size = file.seek(0, os.SEEK_END)
        growth, peak = maxrss_mb() - before, maxrss_mb()
        sheets = read_back(file) if args.check and args.child != "csv" else None
    print(
        json.dumps(
            {
                "sheets": sheets,
                "rows": count,
                "seconds": seconds,
                "cpu": cpu,
                "size": size,
                "queries": len(captured.captured_queries),
                "growth": growth,
                "peak": peak,
            }
        )
    )


def read_back(file) -> list:
    """The workbook's sheets and how many rows each holds, as another reader (python-calamine) sees
    them — after the figures are taken."""
    file.seek(0)
    workbook = CalamineWorkbook.from_filelike(file)
    return [
        (name, sum(1 for _ in workbook.get_sheet_by_name(name).iter_rows())) for name in workbook.sheet_names
    ]


def measure(writer: str, args, rows: int | None) -> dict:
    command = [sys.executable, __file__, "--child", writer, "--child-rows", str(rows or 0)]
    command += ["--check"] if args.check else []
    command += ["--user", args.user] + [f"--param={k}={v}" for k, v in args.params.items()]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{writer} 导出失败：\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor(args, rows: int | None) -> tuple[int, float, float]:
    """The rows alone: read and built (or made up), nothing written."""
    exporter = make_exporter(args, rows)
    started, cpu_started = time.perf_counter(), time.process_time()
    built = sum(1 for _ in exporter.rows())
    return built, time.perf_counter() - started, time.process_time() - cpu_started


def report(args, rows: int | None) -> None:
    built, floor_seconds, floor_cpu = floor(args, rows)
    print(
        f"\n行数 {built:,}｜下限（只读取并生成行，不写文件）: {floor_seconds:.2f} 秒  "
        f"{built / floor_seconds:,.0f} 行/秒（CPU {floor_cpu:.2f} 秒）"
    )
    figures = {writer: measure(writer, args, rows) for writer in args.writers}
    print(
        f"{'写法':<12}{'秒':>9}{'CPU秒':>9}{'行/秒':>10}{'行/CPU秒':>10}{'文件MB':>9}{'查询':>6}{'峰值增长MB':>12}{'进程峰值MB':>12}"
    )
    for writer, f in figures.items():
        print(
            f"{writer:<12}{f['seconds']:>9.2f}{f['cpu']:>9.2f}{f['rows'] / f['seconds']:>10,.0f}"
            f"{f['rows'] / f['cpu']:>10,.0f}{f['size'] / 1024 / 1024:>9.1f}{f['queries']:>6}"
            f"{f['growth']:>12.1f}{f['peak']:>12.0f}"
        )
    for writer, f in figures.items():
        if f["sheets"]:
            print(
                f"{writer} 的工作表（python-calamine 读回）: "
                + "，".join(f"{n} {r:,} 行" for n, r in f["sheets"])
            )
    if "openpyxl" in figures:
        peer = figures["openpyxl"]
        for writer, f in figures.items():
            if writer != "openpyxl":
                print(
                    f"{writer} 比 openpyxl 快 {peer['seconds'] / f['seconds']:.1f} 倍"
                    f"（CPU {peer['cpu'] / f['cpu']:.1f} 倍）"
                )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--user", default="demo_staff", help="账号（默认 demo_staff）")
    parser.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="会员列表的查询条件，可重复"
    )
    parser.add_argument("--synthetic", metavar="N[,M…]", help="不用数据库：内存中生成 N 行（可列多个行数）")
    parser.add_argument(
        "--writers", default=",".join(WRITERS), help=f"要比较的写法，逗号分隔（默认 {','.join(WRITERS)}）"
    )
    parser.add_argument(
        "--check", action="store_true", help="写完后用 python-calamine 读回，列出各工作表的行数（不计入耗时）"
    )
    parser.add_argument("--child", choices=WRITERS, help=argparse.SUPPRESS)
    parser.add_argument("--child-rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.params = dict(p.split("=", 1) for p in args.param)
    args.writers = [w for w in args.writers.split(",") if w]
    if unknown := set(args.writers) - set(WRITERS):
        sys.exit(f"未知的写法：{', '.join(sorted(unknown))}（可选 {', '.join(WRITERS)}）")

    if args.child:
        run_one(args)
        return

    print(f"负载 {os.getloadavg()[0]:.1f}；每个工作表最多 {base.SHEET_ROW_LIMIT:,} 行")
    if args.synthetic:
        for rows in (int(n) for n in args.synthetic.split(",")):
            report(args, rows)
        return
    if connection.vendor == "postgresql":
        # Right after a bulk load (demo_data) the planner has no statistics yet (as bench/pages.py).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"数据库: {connection.vendor} {connection.settings_dict['NAME']}  "
        f"账号: {args.user}  条件: {args.params or '无'}"
    )
    report(args, None)


if __name__ == "__main__":
    main()
