"""Builders of the files people really upload, good and bad, as bytes: workbooks written with
openpyxl, sheets whose XML is written directly (a million rows, formulas without cached values),
and the things that are not workbooks at all (an old .xls, a PDF, an image)."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import openpyxl

SHEET_PART = "xl/worksheets/sheet1.xml"


def workbook_bytes(rows: list[list], title: str = "花名册", setup=None) -> bytes:
    """A workbook whose first sheet holds `rows`; `setup(workbook, sheet)` may change it before saving."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if setup is not None:
        setup(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_part(xlsx: bytes, part: str, edit) -> bytes:
    """The same workbook with one zip member's text passed through `edit(text) -> text`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = edit(data.decode()).encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def with_last_row(xlsx: bytes, row_number: int = 1_048_576, *, dimension: str = "A1:O1048576") -> bytes:
    """A sheet that runs to `row_number`: the dimension says so and one cell sits in that row —
    written into the XML directly, without writing the rows in between."""

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
        last = f'<row r="{row_number}"><c r="A{row_number}" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", last + "</sheetData>")

    return replace_part(xlsx, SHEET_PART, edit)


def without_cached_values(xlsx: bytes) -> bytes:
    """Formulas as a program that never calculates writes them: <f> and no <v>."""
    return replace_part(xlsx, SHEET_PART, lambda xml: re.sub(r"<v>[^<]*</v>(?=</c>)", "", xml))


def with_cached_values(xlsx: bytes, value: str) -> bytes:
    """Formulas as Excel saves them: <f> followed by the last calculated value."""
    return replace_part(
        xlsx,
        SHEET_PART,
        lambda xml: re.sub(r"(<f>[^<]*</f>)(<v>\s*</v>|<v\s*/>)?", rf"\1<v>{value}</v>", xml),
    )


def ole2_xls_bytes() -> bytes:
    """A genuine (if tiny) Excel 97-2003 file: a compound-file container, version 3 with 512-byte
    sectors, holding one "Workbook" stream that starts with a BIFF8 BOF record and ends with EOF.

    Sector 0 is the FAT, sector 1 the directory, sectors 2-9 the 4 096-byte stream (the mini-stream
    cutoff, so it lives in ordinary sectors)."""
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = [fat_sector, end_of_chain] + [n + 1 for n in range(2, 9)] + [end_of_chain]
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", free) * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        data = bytearray(128)
        data[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", data, 64, len(encoded), kind, 1)
        struct.pack_into("<III", data, 68, no_stream, no_stream, child)
        struct.pack_into("<IQ", data, 116, start, size)
        return bytes(data)

    directory = (
        entry("Root Entry", 5, 1, end_of_chain, 0)
        + entry("Workbook", 2, no_stream, 2, 4096)
        + entry("", 0, no_stream, 0, 0) * 2
    )
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 1996, 0, 0x06)
    eof = struct.pack("<HH", 0x000A, 0)
    stream = (bof + eof).ljust(4096, b"\0")
    return bytes(header) + fat_bytes + directory + stream


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
