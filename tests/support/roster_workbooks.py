"""Roster workbooks for the import tests: the DESIGN headers, valid ID numbers, written with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from federation.identifiers import make_resident_id

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


def person(n: int, **overrides) -> dict:
    """The n-th person of a generated roster, as {header: value}."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 14000)
    gender = "M" if n % 2 else "F"
    row = {
        "姓名": f"职工{n}",
        "性别": "男" if gender == "M" else "女",
        "民族": "汉族" if n % 5 else "回族",
        "出生日期": born,
        "身份证号": make_resident_id(f"{110101 + n // 1000 % 50:06d}", born, n % 1000, gender),
        "学历": "大学本科",
        "政治面貌": "群众",
        "就业状况": "在岗",
        "手机号码": f"138{n:08d}",
        "户籍类型": "非农业",
        "是否农民工会员": "否",
        "入会日期": dt.date(2020, 5, 1),
        "会员证号": f"HY{n:07d}",
        "工作岗位": "操作工",
        "是否工会干部": "否",
    }
    row.update(overrides)
    return row


def write_roster(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    """Write `rows` ({header: value}) under `headers` (default: the keys of the first row)."""
    headers = headers or list(rows[0])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员花名册")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path


def roster(path: Path, count: int, start: int = 0) -> Path:
    return write_roster(path, [person(n) for n in range(start, start + count)], HEADERS)
