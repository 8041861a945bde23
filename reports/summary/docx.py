"""The annual summary as a Word document (.docx), for the office that finishes a 公文 in Word or WPS.

    render_summary_docx(document) -> bytes

The same SummaryDocument as the HTML page and the PDF, in the same order — title, opening, numbered
sections (generated sentences, staff narrative, tables, charts), 存在问题, 工作计划, sign-off and the
statistics appendix — laid out the way a 公文 is (GB/T 9704): A4, margins 37 / 35 / 28 / 26 mm, body
in 仿宋_GB2312 三号 at a fixed 28.95 pt line (22 lines a page), headings in 黑体, the title in
方正小标宋简体 二号, page numbers 「— N —」 (a PAGE field) in 宋体 四号 at the foot. Tables have a header row
that repeats on every page; the charts are PNG pictures of the same drawings (reports.summary.chart_png).

Fonts: the runs name the 公文 faces for East-Asian text (w:eastAsia) — what government offices have
installed. The font table lists, for each, its other names and the Noto CJK face to use where it is
missing (w:altName, a comma-separated list in ECMA-376), with its family and GB2312 charset, which
Word and WPS use to choose a substitute. LibreOffice 7.4 ignores w:altName: where no 公文 face is
installed it shows the text in the CJK font fontconfig gives for Chinese (Noto Sans CJK SC with
fonts-noto-cjk). Nothing is embedded: a CJK font is tens of megabytes.
"""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from reports.summary.chart_png import chart_png
from reports.summary.document import Chart, SummaryDocument
from reports.summary.figures import Paragraph, Strong
from reports.summary.tables import Cell, Table

# --- The 公文 page and type ------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM = 210 - 28 - 26
CHART_WIDTH = Mm(150)

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters of the body, as 公文 templates set them

# 字号: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小五 9 pt, 六号 7.5 pt.
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14)
CAPTION_SIZE, TABLE_SIZE, WIDE_TABLE_SIZE, NOTE_SIZE, DEFINITION_SIZE = (
    Pt(10.5),
    Pt(10.5),
    Pt(8),
    Pt(9),
    Pt(7.5),
)
LINE = Pt(28.95)  # 22 lines in the 225 mm type area

# The font table's entries: other names of the face (its English name, the face Word substitutes
# on a Windows without it, then the Noto CJK face of Linux desktops), the family and pitch, and the
# PANOSE classification where the face's own is known — as Word writes them for these faces.
FONT_TABLE = {
    BODY_FONT: ("FangSong_GB2312,仿宋,FangSong,Noto Serif CJK SC", "modern", "fixed", None),
    HEADING_FONT: ("SimHei,Noto Sans CJK SC", "modern", "fixed", "02010609060101010101"),
    TITLE_FONT: ("FZXiaoBiaoSong-B05S,宋体,SimSun,Noto Serif CJK SC", "auto", "variable", None),
    PAGE_NUMBER_FONT: ("SimSun,Noto Serif CJK SC", "auto", "variable", "02010600030101010101"),
}

HEADER_FILL, TOTAL_FILL, GROUP_FILL = "EEF0F2", "F7F7F7", "E3E6EA"
DEFINITION_COLOUR = RGBColor(0x44, 0x44, 0x44)

# Custom paragraph styles (Word shows their names in its style list).
TABLE_TEXT, TABLE_NOTE, SIGNOFF = "表格文字", "表注", "落款"
TABLE_TEXT_ID = TABLE_TEXT  # a name without spaces is its own style id


def render_summary_docx(document: SummaryDocument) -> bytes:
    """The summary as a .docx file."""
    docx = Document()
    _prepare(docx, document)
    _title(docx, document.title)
    for paragraph in document.opening:
        _body(docx, paragraph)
    for section in document.sections:
        docx.add_paragraph(section.heading, style="Heading 1")
        for paragraph in section.generated + section.narrative:
            _body(docx, paragraph)
        for table in section.tables:
            _table(docx, table, "表", wide=False)
        for chart in section.charts:
            _chart(docx, chart)
    _signoff(docx, document)
    _appendix(docx, document)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


# --- The text --------------------------------------------------------------------------------------


def _add_parts(paragraph: DocxParagraph, value: Paragraph | Cell, *, bold: bool = False) -> None:
    """A summary paragraph or table cell as runs: the lead sentences (Strong) bold, figures as text."""
    parts = value.parts if isinstance(value, Paragraph) else [value]
    for part in parts:
        text = part.text if not isinstance(part, str) else part
        if not text:
            continue
        run = paragraph.add_run(text)
        if bold or isinstance(part, Strong):
            run.bold = True


def _body(docx, paragraph: Paragraph) -> None:
    _add_parts(docx.add_paragraph(), paragraph)


def _title(docx, title: str) -> None:
    docx.add_paragraph(title, style="Title")


def _signoff(docx, document: SummaryDocument) -> None:
    first = docx.add_paragraph(document.signoff_name, style=SIGNOFF)
    first.paragraph_format.space_before = LINE * 2
    first.paragraph_format.keep_with_next = True
    docx.add_paragraph(document.signoff_date_text, style=SIGNOFF)


def _caption(docx, text: str, *, before: bool) -> DocxParagraph:
    caption = docx.add_paragraph(text, style="Caption")
    caption.paragraph_format.keep_with_next = before
    return caption


def _chart(docx, chart: Chart) -> None:
    if chart.drawing is None:
        return
    picture = docx.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = 0
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.paragraph_format.space_before = Pt(6)
    picture.paragraph_format.keep_with_next = True
    caption = f"图{chart.number}　{chart.caption}"
    shape = picture.add_run().add_picture(io.BytesIO(chart_png(chart.drawing)), width=CHART_WIDTH)
    shape._inline.docPr.set("descr", caption)  # the picture's alternative text
    _caption(docx, caption, before=False).paragraph_format.space_after = Pt(6)


# --- Tables ----------------------------------------------------------------------------------------


def _display_width(text: str) -> float:
    """Width in em: a CJK character is one, a digit or Latin letter about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _column_widths(table: Table) -> list[float]:
    """Column widths in mm over the type area: the table's own percentages (the wide appendix tables),
    else in proportion to the longest text of each column, as a browser lays out the PDF's tables."""
    if table.widths:
        shares = [float(w) for w in table.widths]
    else:
        rows = [table.columns, *table.rows, *([table.total] if table.total else [])]
        shares = [
            1.2 + max(_display_width(_cell_text(row[i])) for row in rows) for i in range(len(table.columns))
        ]
    total = sum(shares)
    return [TEXT_WIDTH_MM * share / total for share in shares]


def _cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.text


def _table(docx, table: Table, prefix: str, *, wide: bool) -> None:
    """A table of the summary: caption, header row (repeated on every page), body, total, note; the
    small tables of the sections kept on one page with their caption, as in the PDF."""
    if table.rows:
        _caption(docx, f"{prefix}{table.number}　{table.caption}", before=True)
        size = WIDE_TABLE_SIZE if wide else TABLE_SIZE
        body = [*table.rows, *([table.total] if table.total else [])]
        grid = _new_table(docx, 1 + len(body), _column_widths(table), wide=wide)
        _header_row(grid.rows[0], table.columns, table.numeric, size=size)
        for row, cells in zip(grid.rows[1:], body, strict=True):
            is_total = table.total is not None and cells is table.total
            for i, (cell, value) in enumerate(zip(row.cells, cells, strict=True)):
                paragraph = cell.paragraphs[0]
                _add_parts(paragraph, value, bold=is_total)
                _cell_paragraph(paragraph, size=size, numeric=i in table.numeric)
                if is_total:
                    _shade(cell, TOTAL_FILL)
        if not wide:
            _keep_together(grid)
    if table.note:
        docx.add_paragraph(table.note, style=TABLE_NOTE)


def _new_table(docx, rows: int, widths_mm: list[float], *, wide: bool) -> DocxTable:
    """An empty bordered table of fixed column widths over the type area; no row splits across pages."""
    grid = docx.add_table(rows=rows, cols=len(widths_mm))
    grid.style = docx.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed: the widths below, not the content, decide
    widths = [Mm(width) for width in widths_mm]
    properties = grid._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(width.twips for width in widths)))
    # A little room above and below the text of a cell; narrow sides for the eleven appendix columns.
    margins = OxmlElement("w:tblCellMar")
    sides = (("top", 20), ("left", 40 if wide else 80), ("bottom", 20), ("right", 40 if wide else 80))
    for side, twips in sides:
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in grid.rows:
        _row_property(row, "w:cantSplit")
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return grid


def _header_row(row, columns: list[str], numeric: set[int], *, size: Pt) -> None:
    _row_property(row, "w:tblHeader")
    for cell, column in zip(row.cells, columns, strict=True):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(column)
        _fonts(run._element.get_or_add_rPr(), HEADING_FONT, HEADING_FONT)
        _cell_paragraph(paragraph, size=size, numeric=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, HEADER_FILL)


def _cell_paragraph(paragraph: DocxParagraph, *, size: Pt, numeric: bool) -> None:
    # The style by its id: python-docx's `paragraph.style = name` searches every style of the
    # template each time, seconds for the thousands of cells of a county's appendix.
    paragraph._p.get_or_add_pPr().style = TABLE_TEXT_ID
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in paragraph.runs:
        run.font.size = size


def _row_property(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _keep_together(grid: DocxTable) -> None:
    """Word keeps a table on one page when every row but the last keeps with the next."""
    for row in grid.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


# --- The appendix ----------------------------------------------------------------------------------


def _appendix(docx, document: SummaryDocument) -> None:
    heading = docx.add_paragraph("附件", style="Heading 2")
    heading.paragraph_format.page_break_before = True
    now, before = document.wording.name, document.wording.previous_name
    _caption(docx, f"附表1　主要统计指标（{now}与{before}）", before=True)
    columns = ["指标及定义", now, before, "增减"]
    rows = sum(1 + len(group.rows) for group in document.indicator_groups)
    grid = _new_table(
        docx, 1 + rows, [TEXT_WIDTH_MM * share for share in (0.52, 0.15, 0.15, 0.18)], wide=False
    )
    _header_row(grid.rows[0], columns, set(), size=NOTE_SIZE)
    rows_left = iter(grid.rows[1:])
    for group in document.indicator_groups:
        row = next(rows_left)
        merged = row.cells[0].merge(row.cells[3])
        paragraph = merged.paragraphs[0]
        run = paragraph.add_run(group.title)
        _fonts(run._element.get_or_add_rPr(), HEADING_FONT, HEADING_FONT)
        _cell_paragraph(paragraph, size=NOTE_SIZE, numeric=False)
        paragraph.paragraph_format.keep_with_next = True
        _shade(merged, GROUP_FILL)
        for indicator in group.rows:
            cells = next(rows_left).cells
            label = cells[0].paragraphs[0]
            label.add_run(indicator.label)
            _cell_paragraph(label, size=NOTE_SIZE, numeric=False)
            definition = cells[0].add_paragraph()
            run = definition.add_run(indicator.definition)
            run.font.color.rgb = DEFINITION_COLOUR
            _cell_paragraph(definition, size=DEFINITION_SIZE, numeric=False)
            for cell, value in zip(
                cells[1:], (indicator.value, indicator.previous, indicator.change), strict=True
            ):
                _add_parts(cell.paragraphs[0], value)
                _cell_paragraph(cell.paragraphs[0], size=NOTE_SIZE, numeric=True)
    if document.appendix_table is not None:
        _table(docx, document.appendix_table, "附表", wide=True)


# --- Page, styles, fonts, footer -------------------------------------------------------------------


def _prepare(docx, document: SummaryDocument) -> None:
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    _page_number_footer(section)
    _styles(docx)
    _font_table(docx)
    _settings(docx)
    properties = docx.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = document.subject.name
    properties.subject = document.wording.title_suffix
    properties.keywords = "工作总结"
    properties.comments = "由工会台账根据台账记录生成"
    properties.language = "zh-CN"
    properties.created = properties.modified = timezone.now()
    properties.revision = 1
    _drop_thumbnail(docx)


def _fonts(rpr, east_asian: str, latin: str) -> None:
    """Name the faces of a run or style: East-Asian text in `east_asian`, digits and Latin letters in
    `latin`. Theme fonts are removed: Word would prefer them to the names."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for script, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asian), ("cs", latin)):
        fonts.set(qn(f"w:{script}"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _reset(style) -> None:
    """Clear a built-in style's look (theme fonts and colours, borders, spacing)."""
    for tag in ("w:pPr", "w:rPr"):
        found = style.element.find(qn(tag))
        if found is not None:
            style.element.remove(found)


def _style(docx, name: str, *, font: str, latin: str, size: Pt, base: str = "Normal"):
    styles = docx.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if style.builtin:
        _reset(style)
    style.base_style = styles[base] if name != base else None
    _fonts(style.element.get_or_add_rPr(), font, latin)
    style.font.size = size
    style.font.color.rgb = RGBColor(0, 0, 0)
    return style


def _styles(docx) -> None:
    defaults = docx.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(run_defaults, BODY_FONT, LATIN_FONT)
    language = run_defaults.find(qn("w:lang"))
    language.set(qn("w:eastAsia"), "zh-CN")
    paragraph_defaults = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    paragraph_defaults.remove(paragraph_defaults.find(qn("w:spacing")))

    normal = _style(docx, "Normal", font=BODY_FONT, latin=LATIN_FONT, size=BODY_SIZE)
    body = normal.paragraph_format
    body.first_line_indent = BODY_SIZE * 2
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = LINE
    body.space_before = body.space_after = 0
    body.widow_control = True
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    # No extra space between Chinese and digits or Latin letters (「2025年」, not 「2025 年」), as in
    # the PDF and as 公文 templates set it.
    _paragraph_property(normal, "w:autoSpaceDE", "0")
    _paragraph_property(normal, "w:autoSpaceDN", "0")

    title = _style(docx, "Title", font=TITLE_FONT, latin=TITLE_FONT, size=TITLE_SIZE).paragraph_format
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.first_line_indent = 0
    title.line_spacing = Pt(36)
    title.space_after = LINE
    title.keep_with_next = True

    for name, outline in (("Heading 1", True), ("Heading 2", False)):
        heading = _style(docx, name, font=HEADING_FONT, latin=HEADING_FONT, size=BODY_SIZE).paragraph_format
        heading.keep_with_next = True
        heading.keep_together = True
        if not outline:  # 附件: at the left margin, as a 公文 prints it
            heading.first_line_indent = 0
        _outline_level(docx.styles[name], 0 if outline else 1)

    caption = _style(
        docx, "Caption", font=HEADING_FONT, latin=HEADING_FONT, size=CAPTION_SIZE
    ).paragraph_format
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.first_line_indent = 0
    caption.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption.space_before = Pt(6)
    caption.space_after = Pt(3)

    cell = _style(docx, TABLE_TEXT, font=BODY_FONT, latin=LATIN_FONT, size=TABLE_SIZE).paragraph_format
    cell.first_line_indent = 0
    cell.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.alignment = WD_ALIGN_PARAGRAPH.LEFT

    note = _style(docx, TABLE_NOTE, font=BODY_FONT, latin=LATIN_FONT, size=NOTE_SIZE).paragraph_format
    note.first_line_indent = 0
    note.line_spacing_rule = WD_LINE_SPACING.SINGLE
    note.space_before = Pt(2)
    note.space_after = Pt(6)

    signoff = _style(docx, SIGNOFF, font=BODY_FONT, latin=LATIN_FONT, size=BODY_SIZE).paragraph_format
    signoff.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signoff.first_line_indent = 0
    signoff.right_indent = BODY_SIZE * 2

    _style(docx, "Footer", font=PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE)
    footer = docx.styles["Footer"].paragraph_format
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.first_line_indent = 0
    footer.line_spacing_rule = WD_LINE_SPACING.SINGLE


# The order of the children of w:pPr (ECMA-376 CT_PPr): Word refuses a file that breaks it.
PARAGRAPH_PROPERTIES = (
    "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
    "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
    "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid "
    "w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection "
    "w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
).split()


def _paragraph_property(style, tag: str, value: str) -> None:
    """Set a paragraph property python-docx has no name for, in its place in w:pPr."""
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    successors = PARAGRAPH_PROPERTIES[PARAGRAPH_PROPERTIES.index(tag) + 1 :]
    style.element.get_or_add_pPr().insert_element_before(element, *successors)


def _outline_level(style, level: int) -> None:
    _paragraph_property(style, "w:outlineLvl", str(level))


def _page_number_footer(section) -> None:
    """「— N —」 at the foot of every page: the number is Word's PAGE field."""
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.add_run("— ")
    begin, instruction, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"), None, None)
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(begin)
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(separate)
    paragraph.add_run("1")  # shown until the field is updated
    paragraph.add_run()._r.append(end)
    paragraph.add_run(" —")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _font_table(docx) -> None:
    """Declare the 公文 faces in the font table, with their other names and fallbacks."""
    part = next(rel.target_part for rel in docx.part.rels.values() if rel.reltype.endswith("/fontTable"))
    fonts = etree.fromstring(part.blob)
    for name, (alternatives, family, pitch, panose) in FONT_TABLE.items():
        font = etree.SubElement(fonts, f"{{{W}}}font", {f"{{{W}}}name": name})
        etree.SubElement(font, f"{{{W}}}altName", {f"{{{W}}}val": alternatives})
        if panose:
            etree.SubElement(font, f"{{{W}}}panose1", {f"{{{W}}}val": panose})
        etree.SubElement(font, f"{{{W}}}charset", {f"{{{W}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{W}}}family", {f"{{{W}}}val": family})
        etree.SubElement(font, f"{{{W}}}pitch", {f"{{{W}}}val": pitch})
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(docx) -> None:
    settings = docx.settings.element
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        language.set(qn("w:eastAsia"), "zh-CN")
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)


def _drop_thumbnail(docx) -> None:
    """python-docx's template carries the thumbnail of another document; a file manager would show it."""
    package = docx.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype.endswith("/thumbnail"):
            del package.rels[key]
