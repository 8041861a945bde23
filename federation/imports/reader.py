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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

# Excel's own limit; a sheet that reaches it is almost always a whole column formatted by mistake.
EXCEL_MAX_ROWS = 1_048_576
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A formula cell in the sheet XML: <c r="B5" ...><f>…</f>. The cell reference precedes the <f>.
FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*>(?:<f[ >/])')


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


def _first_sheet_xml(archive: zipfile.ZipFile) -> str | None:
    names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
    return sorted(names, key=lambda n: (len(n), n))[0] if names else None


def formula_cells(path: Path, limit: int = 10) -> list[str]:
    """References of cells in the first sheet that hold a formula (first `limit`).

    calamine returns a formula's cached value, or '' when the file was written without one; either
    way the value we would import is not what the user sees typed, so formulas are refused.
    """
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        name = _first_sheet_xml(archive)
        if name is None:
            return found
        tail = b""
        with archive.open(name) as sheet:
            while len(found) < limit:
                chunk = sheet.read(1 << 20)
                if not chunk:
                    break
                block = tail + chunk
                for match in FORMULA_CELL.finditer(block):
                    ref = match.group(1).decode()
                    if ref not in found:
                        found.append(ref)
                tail = block[-200:]
    return found[:limit]


def _open_workbook(path: Path):
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise ImportFileError(_("文件已损坏（压缩包内容校验失败），请重新保存后再上传。"))
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(_("文件不是 Excel（.xlsx）工作簿（可能是 Word 或其他压缩文件）。"))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("文件已损坏，无法打开。请在 Excel 中重新保存为 .xlsx 后再上传。")) from exc
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise ImportFileError(_("文件设置了打开密码，请在 Excel 中取消密码后另存为 .xlsx 再上传。")) from exc
    except Exception as exc:  # calamine raises CalamineError, ZipError, XmlError … for a broken file
        raise ImportFileError(_("文件已损坏，无法读取。请在 Excel 中重新保存为 .xlsx 后再上传。")) from exc


def _is_blank(row: list) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def header_text(value) -> str:
    """A header cell as text, with the spaces and line breaks people put in headers removed."""
    if value is None:
        return ""
    text = str(value)
    return re.sub(r"\s+", "", text.replace("\u3000", " ")).replace("*", "").replace("＊", "")


def read_first_sheet(path: Path | str, known_headers: frozenset[str] = frozenset()) -> SheetData:
    """Read the first worksheet of the .xlsx at `path`.

    The header row is the first row among the first ten that holds at least two of `known_headers`
    (so a title row such as “某某工会会员花名册” above the headers is skipped), else the first non-blank
    row. Blank rows are skipped; every data row is padded to the header's width. Raises
    ImportFileError for anything wrong with the file as a whole.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise ImportFileError(
            _("文件大小为%(size).1f MB，超过上限%(limit)d MB。请分成几个文件上传。")
            % {"size": size / 1024 / 1024, "limit": settings.UPLOAD_MAX_MB}
        )
    _sniff(path)
    workbook = _open_workbook(path)
    try:
        visible = [
            m.name for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not visible:
            raise ImportFileError(_("工作簿中没有工作表。"))
        sheet = workbook.get_sheet_by_name(visible[0])
        if sheet.total_height >= EXCEL_MAX_ROWS or sheet.height > max_rows() + 1:
            raise ImportFileError(
                _(
                    "工作表“%(sheet)s”有%(rows)s行，超过一次导入的上限%(limit)s行。如果下方是空行，请删除空行后另存；否则请分成几个文件导入。"
                )
                % {
                    "sheet": sheet.name,
                    "rows": f"{max(sheet.total_height, sheet.height):,}",
                    "limit": f"{max_rows():,}",
                }
            )
        rows = _data_rows(sheet)
    finally:
        workbook.close()
    if not rows:
        raise ImportFileError(_("工作表“%(sheet)s”是空的，没有表头和数据。") % {"sheet": sheet.name})
    header_at = _header_index(rows, known_headers)
    (header_row_number, header_values), data = rows[header_at], rows[header_at + 1 :]
    headers = [header_text(v) for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    if not data:
        raise ImportFileError(_("工作表“%(sheet)s”只有表头，没有数据行。") % {"sheet": sheet.name})
    _refuse_merged_cells(sheet, header_row_number)
    formulas = formula_cells(path)
    if formulas:
        raise ImportFileError(
            _("以下单元格是公式：%(cells)s。请复制后“选择性粘贴 → 数值”，再上传。")
            % {"cells": "、".join(formulas)}
        )
    width = len(headers)
    padded = [(number, (values + [None] * width)[:width]) for number, values in data]
    return SheetData(sheet_name=sheet.name, headers=headers, rows=padded)


def _data_rows(sheet) -> list[tuple[int, list]]:
    """Non-blank rows with their Excel row numbers (1-based, counting from the sheet's first row)."""
    start_row = sheet.start[0] if sheet.start else 0
    rows = []
    for offset, values in enumerate(sheet.iter_rows()):
        if not _is_blank(values):
            rows.append((start_row + offset + 1, list(values)))
    return rows


def _header_index(rows: list[tuple[int, list]], known_headers: frozenset[str]) -> int:
    for index, (_number, values) in enumerate(rows[:10]):
        if sum(header_text(v) in known_headers for v in values) >= min(2, len(known_headers) or 1):
            return index
    return 0


def _refuse_merged_cells(sheet, header_row_number: int) -> None:
    merged = sheet.merged_cell_ranges or []
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
