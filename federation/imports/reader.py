"""Reading an uploaded workbook: the first worksheet as header texts and rows of raw values.

Every spreadsheet an office saves is read: Excel's .xlsx, Excel 97-2003's .xls (what WPS and old
templates still produce) and OpenDocument's .ods (LibreOffice), told apart by their content, not their
name — an .xls renamed .ods is read as the .xls it is, with a notice. python-calamine reads all three;
a 100 000-row roster in about 2 s where openpyxl's read-only mode takes about 23 s (DESIGN.md,
"Measured facts"); openpyxl stays for writing, and the templates stay .xlsx. Everything that can be
wrong with the file itself — not a spreadsheet, corrupt, encrypted, empty, too big, too many rows,
merged cells or formulas in the data — is an ImportFileError with a Chinese message, raised before
any row is looked at, so a bad file never changes anything; the same checks for the three formats.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
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
# The formats read, by the suffix of their usual name; the content decides which one a file is.
XLSX, XLS, ODS = ".xlsx", ".xls", ".ods"
FORMATS = (XLSX, XLS, ODS)
ACCEPT = ",".join(FORMATS)  # the upload field's accept attribute
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# What zipfile raises for a damaged archive: a bad structure, bad compressed data, a member's name
# that is not UTF-8 though flagged so, a compression method it does not know, a missing member, a
# bad offset.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    UnicodeDecodeError,
    NotImplementedError,
    OSError,  # a member's offset past the end (seek: invalid argument)
)
# The streams of a compound file that hold an Excel 97-2003 workbook (Book: Excel 5/95).
XLS_STREAMS = ("Workbook", "Book")
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


def encrypted_message() -> str:
    return _("文件已加密（设置了打开密码），无法读取。请在 Excel 或 WPS 中打开文件，取消密码后保存，再上传。")


def damaged_message() -> str:
    return _("文件已损坏，无法读取。请在 Excel 或 WPS 中打开文件，重新保存后再上传。")


def format_label(kind: str) -> str:
    return {
        XLSX: _("Excel 工作簿（.xlsx）"),
        XLS: _("Excel 97-2003 工作簿（.xls）"),
        ODS: _("OpenDocument 电子表格（.ods）"),
    }[kind]


def sniff_format(path: Path) -> str:
    """XLSX, XLS or ODS, by the file's content; anything else is refused with a message that names
    what it is."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ImportFileError(_("文件是空的，请选择填好的 Excel 表格文件（.xlsx、.xls 或 .ods）。"))
    if head.startswith(OLE2_MAGIC):
        return _sniff_compound_file(path)
    if head.startswith(b"%PDF"):
        raise ImportFileError(_("这是 PDF 文件，不是 Excel 表格。请上传 .xlsx、.xls 或 .ods 文件。"))
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        raise ImportFileError(_("这是图片文件，不是 Excel 表格。请上传 .xlsx、.xls 或 .ods 文件。"))
    if not head.startswith(ZIP_MAGIC):
        raise ImportFileError(
            _(
                "文件不是Excel表格（可能是CSV或文本文件改了扩展名）。"
                "请用Excel或WPS另存为 .xlsx（或 .xls、.ods）后再上传。"
            )
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return ODS
    except ZIP_ERRORS as exc:
        raise ImportFileError(damaged_message()) from exc
    raise ImportFileError(
        _("文件不是 Excel（.xlsx）工作簿或 .ods 电子表格（可能是 Word 文档或其他压缩文件）。")
    )


def _sniff_compound_file(path: Path) -> str:
    """The old compound-file container holds an .xls, but also an encrypted .xlsx, or a Word .doc."""
    data = path.read_bytes()
    try:
        streams = set(_compound_file(data).streams)
    except ImportFileError:
        streams = set()
    if "EncryptionInfo" in streams or "EncryptionInfo".encode("utf-16-le") in data[: 64 * 1024]:
        raise ImportFileError(encrypted_message())
    if streams & set(XLS_STREAMS):
        _check_xls(_compound_file(data))
        return XLS
    if not streams:
        raise ImportFileError(damaged_message())
    raise ImportFileError(_("文件不是 Excel 表格（可能是 Word 文档或其他 Office 文件）。请上传 Excel 表格。"))


def name_notice(kind: str, file_name: str) -> str:
    """A notice when the file's name says another format than its content (a renamed file)."""
    suffix = PurePath(file_name or "").suffix.lower()
    if not file_name or suffix == kind:
        return ""
    if suffix in FORMATS:
        return _("文件名是“%(suffix)s”，内容却是%(format)s（扩展名被改过），已按实际格式读取。") % {
            "suffix": suffix,
            "format": format_label(kind),
        }
    return _("文件的扩展名不是 .xlsx、.xls 或 .ods，内容是%(format)s，已按实际格式读取。") % {
        "format": format_label(kind)
    }


@dataclass
class CompoundFile:
    """The streams of a compound file (OLE2, the container of .xls), by name: just enough of the
    format ([MS-CFB]) to find an .xls's Workbook stream, without a library."""

    data: bytes
    streams: dict[str, tuple[int, int]]  # name → (first sector, size)
    sector_size: int
    mini_size: int
    mini_cutoff: int
    fat: array
    minifat_start: int
    root_start: int

    def sector(self, index: int) -> bytes:
        start = (index + 1) * self.sector_size
        return self.data[start : start + self.sector_size]

    def chain(self, start: int, table: array) -> Iterator[int]:
        for _step in range(len(table) + 1):
            if start >= min(len(table), 0xFFFFFFFA):  # end of chain, free, or outside the table
                return
            yield start
            start = table[start]
        raise ImportFileError(damaged_message())  # a loop

    def check(self) -> None:
        """Refuse a container whose streams' chains disagree with their sizes or leave the file:
        calamine trusts them, and panics or asks for hundreds of gigabytes (which aborts the
        process) where they lie."""
        sectors = len(self.data) // self.sector_size - 1
        minifat = _u32_array(b"".join(self.sector(s) for s in self.chain(self.minifat_start, self.fat)))
        mini_sectors = len(list(self.chain(self.root_start, self.fat))) * self.sector_size // self.mini_size
        for start, size in self.streams.values():
            if size > len(self.data):
                raise ImportFileError(damaged_message())
            if size >= self.mini_cutoff:
                chain, unit, limit = list(self.chain(start, self.fat)), self.sector_size, sectors
            else:
                chain, unit, limit = list(self.chain(start, minifat)), self.mini_size, mini_sectors
            if size and (len(chain) != -(-size // unit) or max(chain, default=0) >= limit):
                raise ImportFileError(damaged_message())

    def read(self, name: str) -> bytes:
        start, size = self.streams[name]
        if size >= self.mini_cutoff:
            return b"".join(self.sector(s) for s in self.chain(start, self.fat))[:size]
        minifat = _u32_array(b"".join(self.sector(s) for s in self.chain(self.minifat_start, self.fat)))
        ministream = b"".join(self.sector(s) for s in self.chain(self.root_start, self.fat))
        size_of = self.mini_size
        return b"".join(ministream[i * size_of : (i + 1) * size_of] for i in self.chain(start, minifat))[
            :size
        ]


def _u32_array(data: bytes) -> array:
    table = array("I", data[: len(data) - len(data) % 4])
    if sys.byteorder == "big":
        table.byteswap()
    return table


def _compound_file(data: bytes) -> CompoundFile:
    try:
        u16 = lambda offset: int.from_bytes(data[offset : offset + 2], "little")  # noqa: E731
        u32 = lambda offset: int.from_bytes(data[offset : offset + 4], "little")  # noqa: E731
        sector_size = 1 << u16(30)
        if sector_size not in (512, 4096):
            raise ImportFileError(damaged_message())
        difat = [u32(76 + 4 * i) for i in range(109)]
        # At most one DIFAT sector per sector of the file, whatever the header claims (a loop).
        following, left = u32(68), min(u32(72), len(data) // sector_size)
        while following < 0xFFFFFFFA and left > 0:
            block = data[(following + 1) * sector_size : (following + 2) * sector_size]
            entries = _u32_array(block)
            difat += list(entries[:-1])
            following, left = entries[-1], left - 1
        fat_sectors = [s for s in difat if s < 0xFFFFFFFA][: u32(44)]
        fat = _u32_array(b"".join(data[(s + 1) * sector_size : (s + 2) * sector_size] for s in fat_sectors))
        compound = CompoundFile(data, {}, sector_size, 1 << u16(32), u32(56), fat, u32(60), 0)
        directory = b"".join(compound.sector(s) for s in compound.chain(u32(48), fat))
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset : offset + 128]
            length = int.from_bytes(entry[64:66], "little")
            name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
            start, size = int.from_bytes(entry[116:120], "little"), int.from_bytes(entry[120:124], "little")
            if entry[66] == 5:  # the root entry: the mini stream
                compound.root_start = start
            elif entry[66] == 2:
                compound.streams.setdefault(name, (start, size))
        return compound
    except (IndexError, ValueError, OverflowError) as exc:
        raise ImportFileError(damaged_message()) from exc


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
    except ZIP_ERRORS as exc:
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
    except ZIP_ERRORS as exc:
        raise ImportFileError(_("文件已损坏，无法打开。请在 Excel 中重新保存为 .xlsx 后再上传。")) from exc


def _open_workbook(path: Path, kind: str = XLSX):
    try:
        if path.suffix.lower() == kind:
            return python_calamine.CalamineWorkbook.from_path(str(path))
        with path.open("rb") as handle:  # a renamed file: calamine goes by the name, we by the content
            return python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError as exc:
        raise ImportFileError(encrypted_message()) from exc
    except Exception as exc:  # calamine raises CalamineError, ZipError, XmlError … for a broken file
        raise ImportFileError(damaged_message()) from exc


def _first_visible_by_metadata(workbook) -> tuple[str, int, int]:
    """(sheet name, its index among all sheets, number of visible worksheets) of an .xls or .ods, as
    _first_visible_worksheet finds them in an .xlsx."""
    visible = [
        (index, sheet.name)
        for index, sheet in enumerate(workbook.sheets_metadata)
        if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        and sheet.visible == python_calamine.SheetVisibleEnum.Visible
    ]
    if not visible:
        raise ImportFileError(
            _("工作簿中没有可见的工作表（只有图表或隐藏的工作表）。请把数据放在第一个工作表中。")
        )
    index, name = visible[0]
    return name, index, 1 + len([n for _i, n in visible[1:] if n != INSTRUCTIONS_SHEET])


# BIFF8 record types ([MS-XLS]) the .xls check looks for.
BIFF_BOF, BIFF_EOF, BIFF_BOUNDSHEET, BIFF_FORMULA, BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0006, 0x0200
BIFF_FILEPASS = 0x002F  # the workbook is encrypted
# An Excel 97-2003 sheet's size.
XLS_MAX_ROWS, XLS_MAX_COLUMNS = 65_536, 256


def _biff_records(stream: bytes, start: int = 0) -> Iterator[tuple[int, bytes]]:
    position = start
    while position + 4 <= len(stream):
        kind = int.from_bytes(stream[position : position + 2], "little")
        length = int.from_bytes(stream[position + 2 : position + 4], "little")
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


# The longest BIFF8 record ([MS-XLS] 2.1.4); a longer one is a damaged length.
BIFF_MAX_RECORD = 8224


def _check_xls(compound: CompoundFile) -> None:
    """What calamine trusts without checking, checked first: the container's chains, and every BIFF
    record of the workbook stream within the stream and within the format's length."""
    compound.check()
    stream = compound.read(next(n for n in XLS_STREAMS if n in compound.streams))
    position = 0
    while position + 4 <= len(stream):
        kind = int.from_bytes(stream[position : position + 2], "little")
        length = int.from_bytes(stream[position + 2 : position + 4], "little")
        if kind == 0 and length == 0:
            break  # the padding after the last record
        if length > BIFF_MAX_RECORD or position + 4 + length > len(stream):
            raise ImportFileError(damaged_message())
        if kind == BIFF_FILEPASS:  # what follows is encrypted
            raise ImportFileError(encrypted_message())
        if kind == BIFF_DIMENSIONS and length >= 12 and not _plausible_dimensions(stream[position + 4 :]):
            raise ImportFileError(damaged_message())
        position += 4 + length


def _plausible_dimensions(body: bytes) -> bool:
    """A sheet's DIMENSIONS record (first row, last row + 1, first column, last column + 1): calamine
    sizes the sheet's grid by it — a damaged first row asked for 857 GB, and the failed allocation
    aborted the process."""
    first_row, last_row = int.from_bytes(body[0:4], "little"), int.from_bytes(body[4:8], "little")
    first_col, last_col = int.from_bytes(body[8:10], "little"), int.from_bytes(body[10:12], "little")
    return first_row <= last_row <= XLS_MAX_ROWS and first_col <= last_col <= XLS_MAX_COLUMNS


def _xls_formulas(path: Path, sheet_index: int, limit: int = 10) -> list[str]:
    """The cells of the .xls's sheet `sheet_index` (in workbook order) that hold a formula: the
    FORMULA records of its substream, found through the BOUNDSHEET records of the workbook's."""
    compound = _compound_file(path.read_bytes())
    name = next((n for n in XLS_STREAMS if n in compound.streams), None)
    if name is None:
        raise ImportFileError(damaged_message())
    stream = compound.read(name)
    offsets = []
    for kind, body in _biff_records(stream):
        if kind == BIFF_BOUNDSHEET and len(body) >= 4:
            offsets.append(int.from_bytes(body[:4], "little"))
        elif kind == BIFF_EOF:
            break
    if sheet_index >= len(offsets):
        return []
    formulas: list[str] = []
    for kind, body in _biff_records(stream, offsets[sheet_index]):
        if kind == BIFF_FORMULA and len(body) >= 4:
            row, col = int.from_bytes(body[:2], "little"), int.from_bytes(body[2:4], "little")
            ref = f"{column_letter(col)}{row + 1}"
            if ref not in formulas:
                formulas.append(ref)
            if len(formulas) >= limit:
                break
        elif kind == BIFF_EOF:
            break
    return formulas


ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_formulas_and_merges(path: Path, sheet_name: str, limit: int = 10) -> tuple[list[str], list]:
    """The formula cells and the merged ranges of the .ods's sheet `sheet_name`, from content.xml
    (calamine reports neither for .ods): ranges as calamine gives them for .xlsx, 0-based
    ((first row, first column), (last row, last column))."""
    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
    except ZIP_ERRORS as exc:
        raise ImportFileError(damaged_message()) from exc
    formulas: list[str] = []
    merged: list = []
    if b"formula=" not in content and b"-spanned=" not in content:
        return formulas, merged  # most files: nothing to look for
    table, row, col, rows_repeated = None, 0, 0, 1
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
            tag = element.tag
            if event == "end":
                if element is table:
                    break
                if table is not None and tag == ODF_TABLE + "table-row":
                    row += rows_repeated
                if table is not None or tag == ODF_TABLE + "table":
                    element.clear()
                continue
            if table is None:
                if tag == ODF_TABLE + "table" and element.get(ODF_TABLE + "name") == sheet_name:
                    table = element
            elif tag == ODF_TABLE + "table-row":
                col, rows_repeated = 0, int(element.get(ODF_TABLE + "number-rows-repeated", 1))
            elif tag in (ODF_TABLE + "table-cell", ODF_TABLE + "covered-table-cell"):
                if tag == ODF_TABLE + "table-cell":
                    down = int(element.get(ODF_TABLE + "number-rows-spanned", 1))
                    across = int(element.get(ODF_TABLE + "number-columns-spanned", 1))
                    if down > 1 or across > 1:
                        merged.append(((row, col), (row + down - 1, col + across - 1)))
                    if element.get(ODF_TABLE + "formula") and len(formulas) < limit:
                        formulas.append(f"{column_letter(col)}{row + 1}")
                col += int(element.get(ODF_TABLE + "number-columns-repeated", 1))
    except (ElementTree.ParseError, ValueError) as exc:
        raise ImportFileError(damaged_message()) from exc
    return formulas, merged


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


def read_first_sheet(
    path: Path | str, known_headers: frozenset[str] = frozenset(), file_name: str = ""
) -> SheetData:
    """Read the first visible worksheet of the workbook (.xlsx, .xls or .ods) at `path`.

    The header row is the first row among the first ten that holds at least two of `known_headers`
    (so a title row such as “某某工会会员花名册” above the headers is skipped), else the first non-blank
    row. Blank rows are skipped; every data row is padded to the header's width. Raises
    ImportFileError for anything wrong with the file as a whole. `file_name`, the name it was
    uploaded with, only serves to say so when it does not match the content.

    The file is checked in order of cost: its size, its first bytes, then (.xlsx) one streaming pass
    over the sheet XML (rows, formulas) — all before calamine loads a single cell.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise ImportFileError(
            _("文件大小为%(size).1f MB，超过上限%(limit)d MB。请分成几个文件上传。")
            % {"size": size / 1024 / 1024, "limit": settings.UPLOAD_MAX_MB}
        )
    kind = sniff_format(path)
    scan = None
    if kind == XLSX:
        scan = _scan_archive(path)
        _refuse_too_many_rows(scan.name, scan.last_row)
        _refuse_formulas(scan.formulas)
    with _calamine_failures_as_damage():
        name, worksheets, rows, merged = _load_sheet(path, kind, scan)
    if not rows:
        raise ImportFileError(_("工作表“%(sheet)s”是空的，没有表头和数据。") % {"sheet": name})
    header_at = _header_index(rows, known_headers)
    header_row_number, header_values = rows[header_at]
    headers = [header_text(v) for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    del rows[: header_at + 1]
    if not rows:
        raise ImportFileError(_("工作表“%(sheet)s”只有表头，没有数据行。") % {"sheet": name})
    _refuse_merged_cells(merged, header_row_number)
    width = len(headers)
    for _number, values in rows:  # in place: a second list of 100 000 rows would double the peak
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        elif len(values) > width:
            del values[width:]
    notices = [notice] if (notice := name_notice(kind, file_name)) else []
    if worksheets > 1:
        notices.append(
            _("工作簿有%(n)d个工作表，只导入了第一个工作表“%(sheet)s”。") % {"n": worksheets, "sheet": name}
        )
    return SheetData(sheet_name=name, headers=headers, rows=rows, notices=notices)


@contextlib.contextmanager
def _calamine_failures_as_damage() -> Iterator[None]:
    """calamine's errors for a broken file, and its panics: a Rust panic (an index out of range in a
    damaged .xls) reaches Python as pyo3's PanicException, a BaseException that `except Exception`
    lets through — up to the worker, as a crash instead of a message."""
    try:
        yield
    except ImportFileError:
        raise
    except BaseException as exc:
        if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
            raise ImportFileError(damaged_message()) from exc
        raise


def _load_sheet(path: Path, kind: str, scan: SheetScan | None) -> tuple[str, int, list, list]:
    """(sheet name, visible worksheets, its non-blank rows, its merged ranges), read by calamine; an
    .xls's or .ods's sheet chosen and its formulas refused here (an .xlsx's: by `scan`)."""
    workbook = _open_workbook(path, kind)
    try:
        merged: list = []
        if scan is not None:
            name, worksheets = scan.name, scan.worksheets
        else:
            name, index, worksheets = _first_visible_by_metadata(workbook)
            if kind == XLS:
                _refuse_formulas(_xls_formulas(path, index))
            else:
                formulas, merged = _ods_formulas_and_merges(path, name)
                _refuse_formulas(formulas)
        sheet = workbook.get_sheet_by_name(name)
        # Rows without an explicit number escape the scan; calamine's extent catches them.
        _refuse_too_many_rows(sheet.name, sheet.height)
        rows = _data_rows(sheet)
        return name, worksheets, rows, sheet.merged_cell_ranges or merged
    finally:
        workbook.close()


def _refuse_formulas(cells: list[str]) -> None:
    # calamine returns a formula's cached value, or '' when the file was written without one; either
    # way the value we would import is not what the user sees typed, so formulas are refused.
    if cells:
        raise ImportFileError(
            _("以下单元格是公式：%(cells)s。请复制后“选择性粘贴 → 数值”，再上传。")
            % {"cells": "、".join(cells)}
        )


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
