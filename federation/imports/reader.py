"""Reading an uploaded workbook: the first worksheet as header texts and rows of raw values.

python-calamine reads a 100 000-row roster in about 2 s where openpyxl's read-only mode takes about
23 s (DESIGN.md, "Measured facts"); openpyxl stays for writing. Everything that can be wrong with the
file itself — not an xlsx, corrupt, encrypted, empty, too big, too many rows, merged cells or formulas
in the data — is an ImportFileError with a Chinese message, raised before any row is looked at, so a
bad file never changes anything.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

# Excel's own limit; a sheet that reaches it is almost always a whole column formatted by mistake.
EXCEL_MAX_ROWS = 1_048_576
# Rows above the data a sheet may have besides IMPORT_MAX_ROWS data rows: a title, the headers, notes.
HEADER_ROWS_ALLOWED = 10
SHARED_TEXT_LENGTH = 10
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A formula cell in the sheet XML: <c r="B5" ...><f>…</f>. The cell reference precedes the <f>.
FORMULA_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3}[0-9]+)"[^>]*>(?:<(?:\w+:)?f[ >/])')


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


@dataclass
class SheetData:
    """The first worksheet: header texts, and the data rows with their Excel row numbers."""

    sheet_name: str
    headers: list[str]
    rows: list[tuple[int, list]]
    notices: list[str] = field(default_factory=list)


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 200_000)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sniff(path: Path) -> None:
    """Refuse what is not an .xlsx by its first bytes, with a message that names what it is."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ImportFileError(_("文件是空的，请选择填好的 .xlsx 文件。"))
    if head.startswith(OLE2_MAGIC):
        # An encrypted .xlsx is stored in the old compound-file container, like an .xls.
        with path.open("rb") as handle:
            container = handle.read(64 * 1024)
        if "EncryptionInfo".encode("utf-16-le") in container:
            raise ImportFileError(_("文件设置了打开密码，请在 Excel 中取消密码后另存为 .xlsx 再上传。"))
        raise ImportFileError(_("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传。"))
    if head.startswith(b"%PDF"):
        raise ImportFileError(_("这是 PDF 文件，不是 Excel 表格。请上传 .xlsx 文件。"))
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        raise ImportFileError(_("这是图片文件，不是 Excel 表格。请上传 .xlsx 文件。"))
    if not head.startswith(ZIP_MAGIC):
        raise ImportFileError(
            _("文件不是Excel（.xlsx）格式（可能是CSV或文本文件改了扩展名）。请用Excel另存为.xlsx。")
        )


WORKSHEET_REL = "/worksheet"
# A row element and its explicit number (r="12"; the attribute is optional in the format).
ROW_NUMBER = re.compile(rb'<(?:\w+:)?row [^>]*?\br="([0-9]+)"')
SCAN_CHUNK = 1 << 20


@dataclass
class SheetScan:
    """What one pass over the first visible worksheet's XML found, before calamine loads it."""

    name: str
    part: str
    last_row: int = 0
    formulas: list[str] = field(default_factory=list)
    worksheets: int = 1


# The name of the instructions sheet of our templates (federation/imports/template.py).
INSTRUCTIONS_SHEET = "填写说明"


def _first_visible_worksheet(archive: zipfile.ZipFile) -> tuple[str, str, int]:
    """(sheet name, zip member of its XML, number of visible worksheets), in workbook order.

    Chart sheets and hidden sheets are passed over: the template's hidden sheet of choice lists, or a
    chart placed first, must not be taken for the data.
    """
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, ElementTree.ParseError) as exc:
        raise ImportFileError(
            _("文件已损坏（缺少工作簿结构），请在 Excel 中重新保存为 .xlsx 后再上传。")
        ) from exc
    targets = {}
    for rel in ElementTree.fromstring(rels_xml):
        if rel.get("Type", "").endswith(WORKSHEET_REL):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    visible = []
    # Namespaces are matched by local name: Excel's "Strict Open XML" files use other URIs.
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)
        part = targets.get(rel_id)
        if part and sheet.get("state", "visible") == "visible":
            visible.append((sheet.get("name", ""), part))
    if not visible:
        raise ImportFileError(
            _("工作簿中没有可见的工作表（只有图表或隐藏的工作表）。请把数据放在第一个工作表中。")
        )
    name, part = visible[0]
    # The template's own instructions sheet is not data someone left out.
    others = [n for n, _part in visible[1:] if n != INSTRUCTIONS_SHEET]
    return name, part, 1 + len(others)


def _scan_sheet(archive: zipfile.ZipFile, name: str, part: str, formula_limit: int = 10) -> SheetScan:
    """One streaming pass over the sheet XML, a megabyte at a time: the last row number, and the
    cells that hold a formula. Cheap next to calamine (no cell is parsed), and it lets a sheet that
    runs to row 1 048 576 be refused before calamine builds its dense grid of a million rows (about
    3 s and 500 MB for a single value in the last row)."""
    scan = SheetScan(name=name, part=part)
    carry = b""
    try:
        with archive.open(part) as stream:
            while True:
                chunk = stream.read(SCAN_CHUNK)
                block = carry + chunk
                # Cut before the last row element, so that no row (nor a cell and its <f>) straddles
                # two blocks; at the end everything left is scanned.
                cut = len(block)
                if chunk:
                    cut = block.rfind(b"<row")
                    if cut <= 0:  # a row longer than a chunk, or a writer that prefixes its tags
                        cut = block.rfind(b"<")
                    if cut <= 0:
                        carry = block
                        continue
                done, carry = block[:cut], block[cut:]
                _scan_block(scan, done, formula_limit)
                if not chunk:
                    break
    except KeyError as exc:
        raise ImportFileError(
            _("文件已损坏（缺少工作表），请在 Excel 中重新保存为 .xlsx 后再上传。")
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ImportFileError(_("文件已损坏，无法读取。请在 Excel 中重新保存为 .xlsx 后再上传。")) from exc
    return scan


def _scan_block(scan: SheetScan, block: bytes, formula_limit: int) -> None:
    last = block.rfind(b"<row")
    while last >= 0:
        match = ROW_NUMBER.match(block, last)
        if match:
            scan.last_row = max(scan.last_row, int(match.group(1)))
            break
        last = block.rfind(b"<row", 0, last)
    if len(scan.formulas) < formula_limit and b"<f" in block:
        for match in FORMULA_CELL.finditer(block):
            ref = match.group(1).decode()
            if ref not in scan.formulas:
                scan.formulas.append(ref)
                if len(scan.formulas) >= formula_limit:
                    break


def _scan_archive(path: Path) -> SheetScan:
    """Open the file as a zip, check it is a workbook, and scan its first visible worksheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise ImportFileError(_("文件不是 Excel（.xlsx）工作簿（可能是 Word 或其他压缩文件）。"))
            name, part, count = _first_visible_worksheet(archive)
            scan = _scan_sheet(archive, name, part)
            scan.worksheets = count
            return scan
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ImportFileError(_("文件已损坏，无法打开。请在 Excel 中重新保存为 .xlsx 后再上传。")) from exc


def _open_workbook(path: Path):
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise ImportFileError(_("文件设置了打开密码，请在 Excel 中取消密码后另存为 .xlsx 再上传。")) from exc
    except Exception as exc:  # calamine raises CalamineError, ZipError, XmlError … for a broken file
        raise ImportFileError(_("文件已损坏，无法读取。请在 Excel 中重新保存为 .xlsx 后再上传。")) from exc


def _is_blank(row: list) -> bool:
    for value in row:  # usually decided by the first cell
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            continue
        return False
    return True


def header_text(value) -> str:
    """A header cell as text, with the spaces and line breaks people put in headers removed."""
    if value is None:
        return ""
    text = str(value)
    return re.sub(r"\s+", "", text.replace("\u3000", " ")).replace("*", "").replace("＊", "")


def _refuse_too_many_rows(name: str, rows: int) -> None:
    limit = max_rows()
    if rows <= limit + HEADER_ROWS_ALLOWED:
        return
    if rows >= EXCEL_MAX_ROWS:
        message = _(
            "工作表“%(sheet)s”用到了Excel的最后一行（第%(rows)s行），超过一次导入的上限%(limit)s行。"
            "这通常是整列设置了格式或下方有空行：请删除数据下方的所有行后另存，再上传。"
        )
    else:
        message = _(
            "工作表“%(sheet)s”有%(rows)s行，超过一次导入的上限%(limit)s行。"
            "如果下方是空行，请删除空行后另存；否则请分成几个文件导入。"
        )
    raise ImportFileError(message % {"sheet": name, "rows": f"{rows:,}", "limit": f"{limit:,}"})


def read_first_sheet(path: Path | str, known_headers: frozenset[str] = frozenset()) -> SheetData:
    """Read the first visible worksheet of the .xlsx at `path`.

    The header row is the first row among the first ten that holds at least two of `known_headers`
    (so a title row such as “某某工会会员花名册” above the headers is skipped), else the first non-blank
    row. Blank rows are skipped; every data row is padded to the header's width. Raises
    ImportFileError for anything wrong with the file as a whole.

    The file is checked in order of cost: its size, its first bytes, then one streaming pass over the
    sheet XML (rows, formulas) — all before calamine loads a single cell.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise ImportFileError(
            _("文件大小为%(size).1f MB，超过上限%(limit)d MB。请分成几个文件上传。")
            % {"size": size / 1024 / 1024, "limit": settings.UPLOAD_MAX_MB}
        )
    _sniff(path)
    scan = _scan_archive(path)
    _refuse_too_many_rows(scan.name, scan.last_row)
    # calamine returns a formula's cached value, or '' when the file was written without one; either
    # way the value we would import is not what the user sees typed, so formulas are refused.
    if scan.formulas:
        raise ImportFileError(
            _("以下单元格是公式：%(cells)s。请复制后“选择性粘贴 → 数值”，再上传。")
            % {"cells": "、".join(scan.formulas)}
        )
    workbook = _open_workbook(path)
    try:
        try:
            sheet = workbook.get_sheet_by_name(scan.name)
        except Exception as exc:  # calamine's XmlError, CalamineError … for a broken sheet
            raise ImportFileError(
                _("文件已损坏，无法读取。请在 Excel 中重新保存为 .xlsx 后再上传。")
            ) from exc
        # Rows without an explicit number escape the scan; calamine's extent catches them.
        _refuse_too_many_rows(sheet.name, sheet.height)
        rows = _data_rows(sheet)
        merged = sheet.merged_cell_ranges or []
    finally:
        workbook.close()
    if not rows:
        raise ImportFileError(_("工作表“%(sheet)s”是空的，没有表头和数据。") % {"sheet": scan.name})
    header_at = _header_index(rows, known_headers)
    header_row_number, header_values = rows[header_at]
    headers = [header_text(v) for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    del rows[: header_at + 1]
    if not rows:
        raise ImportFileError(_("工作表“%(sheet)s”只有表头，没有数据行。") % {"sheet": scan.name})
    _refuse_merged_cells(merged, header_row_number)
    width = len(headers)
    for _number, values in rows:  # in place: a second list of 100 000 rows would double the peak
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        elif len(values) > width:
            del values[width:]
    notices = []
    if scan.worksheets > 1:
        notices.append(
            _("工作簿有%(n)d个工作表，只导入了第一个工作表“%(sheet)s”。")
            % {"n": scan.worksheets, "sheet": scan.name}
        )
    return SheetData(sheet_name=scan.name, headers=headers, rows=rows, notices=notices)


def _data_rows(sheet) -> list[tuple[int, list]]:
    """Non-blank rows with their Excel row numbers (1-based, counting from the sheet's first row)."""
    start_row = sheet.start[0] if sheet.start else 0
    rows = []
    # calamine makes a new str for every cell: a roster's 男, 汉族, 群众, 是/否 … would be a million
    # small objects at 100 000 rows. Short texts are shared instead (IDs and phones are longer).
    shared: dict[str, str] = {}
    for offset, values in enumerate(sheet.iter_rows()):
        if not _is_blank(values):
            values = [
                shared.setdefault(value, value)
                if type(value) is str and len(value) <= SHARED_TEXT_LENGTH
                else value
                for value in values
            ]
            rows.append((start_row + offset + 1, values))
    return rows


def _header_index(rows: list[tuple[int, list]], known_headers: frozenset[str]) -> int:
    for index, (_number, values) in enumerate(rows[:10]):
        if sum(header_text(v) in known_headers for v in values) >= min(2, len(known_headers) or 1):
            return index
    return 0


def _refuse_merged_cells(merged: list, header_row_number: int) -> None:
    in_data = [
        f"{column_letter(first[1])}{first[0] + 1}:{column_letter(last[1])}{last[0] + 1}"
        for first, last in merged
        if last[0] + 1 > header_row_number
    ]
    if in_data:
        raise ImportFileError(
            _("数据区域有合并单元格：%(ranges)s。请取消合并，并在每一行填上完整的值后再上传。")
            % {"ranges": "、".join(in_data[:10])}
        )


def iter_chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
