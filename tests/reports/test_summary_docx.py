"""The annual summary as a Word document: the PDF's content in the PDF's order, laid out as a 公文 (A4,
公文 margins, 公文 fonts named with their Noto fallbacks, 「— N —」 as a PAGE field, tables with header
rows, the charts as PNG), opened by LibreOffice with the same headings and figures as our PDF; the
下载Word job, `annual_summary --format docx`, and the Word document kept by 定稿."""

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image

from federation.exports.base import DOCX_CONTENT_TYPE
from federation.models import FederationYear
from members.models import MemberHonour
from reports.models import SummaryDraft, SummaryVersion
from reports.services import summary_finalise
from reports.summary.chart_png import SCALE, chart_png
from reports.summary.document import build_summary
from reports.summary.docx import render_summary_docx
from reports.summary.figures import Figure
from reports.summary.render import render_summary_pdf
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)
from tests.support.jobs import job_download

Y = 2025
D = dt.date


@pytest.fixture
def year_of_work(township):
    """A street federation's year with something for every section, table and chart, and staff text."""
    first = UnionFactory(federation=township, name="甲公司工会委员会", established_on=D(2015, 3, 1))
    second = UnionFactory(federation=township, name="乙公司工会委员会", established_on=D(Y, 4, 1))
    FederationYear.objects.create(federation=township, year=Y, employers_should_unionise=3)
    for union in (first, second):
        UnionYearFactory(union=union, year=Y, employees=30, women_employees=12)
        UnionYearFactory(union=union, year=Y - 1, employees=28)
    members = [MemberFactory(union=first, joined_on=D(2020, 1, 1)) for _ in range(5)]
    MemberFactory(union=second, joined_on=D(Y, 5, 1))
    ContractFactory(union=first, kind="wage", wage_increase_pct=Decimal("6.0"), signed_on=D(Y, 3, 1))
    case = HardshipCaseFactory(member=members[0], opened_on=D(Y, 2, 1))
    AidRecordFactory(member=members[0], hardship_case=case, kind="festival", amount=Decimal("23500.00"))
    AidRecordFactory(member=members[1], kind="education", amount=Decimal("3000.00"), students_helped=1)
    ActivityFactory(union=first, starts_on=D(Y, 5, 1), participants=120)
    MemberHonour.objects.create(member=members[2], title="may_day_medal", level="provincial", year=Y)
    SummaryDraft.objects.create(
        federation=township,
        year=Y,
        opening_text="一年来，联合会在街道党工委的领导下开展工作。",
        rights_text="走访企业十二家，宣讲劳动法律法规。",
        problems_text="基层工会经费不足。",
        signoff_date=D(Y, 12, 20),
    )
    return township


@pytest.fixture
def summary(year_of_work):
    return build_summary(year_of_work, Y)


def open_docx(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def body_paragraphs(word) -> list[str]:
    return [p.text for p in word.paragraphs if p.text]


def figures_of(summary) -> list[str]:
    """Every figure the text of the summary prints."""
    paragraphs = list(summary.opening)
    for section in summary.sections:
        paragraphs += section.generated
    return [part.text for p in paragraphs for part in p.parts if isinstance(part, Figure)]


# --- The content, in the PDF's order ---------------------------------------------------------------


def test_the_word_document_has_the_title_sections_narrative_and_signoff_in_the_pdfs_order(summary):
    word = open_docx(render_summary_docx(summary))
    paragraphs = body_paragraphs(word)

    assert paragraphs[0] == "测试街道工会联合会2025年工作总结"
    assert word.paragraphs[0].style.name == "Title"
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [section.heading for section in summary.sections]
    assert headings[0] == "一、组织建设和会员发展" and headings[-1].endswith("2026年工作计划")
    expected = [str(p) for p in summary.opening]
    for section in summary.sections:
        expected += [section.heading, *(str(p) for p in section.generated + section.narrative)]
    expected += ["测试街道工会联合会", "二〇二五年十二月二十日", "附件"]
    assert [p for p in paragraphs if p in expected] == expected
    assert "走访企业十二家，宣讲劳动法律法规。" in paragraphs  # the staff's narrative after its section
    assert "基层工会经费不足。" in paragraphs


def test_lead_sentences_are_bold_and_figures_are_plain_text(summary):
    word = open_docx(render_summary_docx(summary))
    plan = [p for p in word.paragraphs if p.text.startswith("（一）")][-1]
    assert plan.runs[1].bold and plan.runs[1].text.endswith("。")  # 「（一）继续推进…。」 lead
    assert not any(run.bold for run in word.paragraphs[1].runs)


def test_every_table_has_its_caption_and_a_header_row_repeated_on_each_page(summary):
    word = open_docx(render_summary_docx(summary))
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    section_tables = [t for s in summary.sections for t in s.tables if t.rows]
    assert [c for c in captions if c.startswith("表")] == [
        f"表{t.number}　{t.caption}" for t in section_tables
    ]
    assert "附表1　主要统计指标（2025年与2024年）" in captions
    assert "附表2　基层工会基本情况" in captions
    assert len(word.tables) == len(section_tables) + 2
    for table in word.tables:
        header = table.rows[0]._tr
        assert header.trPr.find(qn("w:tblHeader")) is not None
    appendix = word.tables[-1]
    assert [cell.text for cell in appendix.rows[0].cells][:2] == ["序号", "工会名称"]
    assert [row.cells[1].text for row in appendix.rows[1:-1]] == [
        row[1] for row in summary.appendix_table.rows
    ]
    assert appendix.rows[-1].cells[1].text == "合计"


def test_the_charts_are_png_pictures_of_the_same_drawings_with_their_captions(summary):
    content = render_summary_docx(summary)
    word = open_docx(content)
    assert len(word.inline_shapes) == len(summary.charts) == 3
    captions = [p.text for p in word.paragraphs if p.text.startswith("图")]
    assert captions == [f"图{c.number}　{c.caption}" for c in summary.charts]
    media = [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if n.startswith("word/media/")]
    assert len(media) == 3 and all(n.endswith(".png") for n in media)
    for shape, chart in zip(word.inline_shapes, summary.charts, strict=True):
        assert shape.width == Mm(150)
        assert shape._inline.docPr.get("descr") == f"图{chart.number}　{chart.caption}"


def test_a_chart_png_is_the_svgs_drawing_at_three_times_its_size(summary):
    chart = summary.charts[0].drawing
    picture = Image.open(io.BytesIO(chart_png(chart)))
    assert picture.format == "PNG"
    assert picture.size == (chart.width * SCALE, chart.height * SCALE)
    assert len(picture.getcolors(1 << 20)) > 50  # bars, text and guides drawn, not a blank page


# --- The 公文 page ----------------------------------------------------------------------------------


def test_the_page_is_a4_portrait_with_the_gongwen_margins(summary):
    section = open_docx(render_summary_docx(summary)).sections[0]
    sizes = section.page_width, section.page_height
    margins = section.top_margin, section.bottom_margin, section.left_margin, section.right_margin
    assert [round(length.mm) for length in sizes] == [210, 297]  # stored in twips
    assert [round(length.mm) for length in margins] == [37, 35, 28, 26]


def test_the_footer_numbers_pages_with_a_page_field_between_dashes(summary):
    footer = open_docx(render_summary_docx(summary)).sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert [t.text.strip() for t in footer._p.iter(qn("w:instrText"))] == ["PAGE"]


def test_east_asian_text_names_the_gongwen_fonts_and_the_font_table_their_noto_fallbacks(summary):
    content = render_summary_docx(summary)
    word = open_docx(content)

    def east_asian(style_name: str) -> str:
        return word.styles[style_name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asian("Normal") == "仿宋_GB2312"
    assert east_asian("Heading 1") == "黑体"
    assert east_asian("Title") == "方正小标宋简体"
    assert word.styles["Normal"].font.size.pt == 16  # 三号
    assert word.styles["Title"].font.size.pt == 22  # 二号
    fonts = zipfile.ZipFile(io.BytesIO(content)).read("word/fontTable.xml").decode()
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="[^"]*Noto Serif CJK SC"', fonts)
    assert re.search(r'w:name="黑体"><w:altName w:val="[^"]*Noto Sans CJK SC"', fonts)
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="[^"]*Noto Serif CJK SC"', fonts)
    language = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert language.get(qn("w:eastAsia")) == "zh-CN"  # Chinese, not Japanese, glyphs
    assert "Theme" not in word.styles["Heading 1"].element.xml  # no theme font overrides the names


def test_the_document_properties_name_the_summary_and_no_thumbnail_of_another_document(summary):
    content = render_summary_docx(summary)
    properties = open_docx(content).core_properties
    assert properties.title == "测试街道工会联合会2025年工作总结"
    assert properties.author == "测试街道工会联合会"
    assert properties.language == "zh-CN"
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(io.BytesIO(content)).namelist()


# --- Opened by LibreOffice: the same sections and figures as our PDF --------------------------------


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF with every white space removed: line breaks fall in different places."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return re.sub(r"\s+", "", text)


def libreoffice_pdf(content: bytes, tmp_path) -> bytes:
    source = tmp_path / "summary.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            shutil.which("soffice") or shutil.which("libreoffice"),
            # A profile of its own: a LibreOffice already running for the user would take the job.
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    return (tmp_path / "summary.pdf").read_bytes()


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed (make test installs libreoffice-writer-nogui)",
)
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed (poppler-utils)")
def test_libreoffice_opens_the_docx_with_the_same_headings_and_figures_as_the_pdf(summary, tmp_path):
    ours = pdf_text(render_summary_pdf(summary))
    converted = libreoffice_pdf(render_summary_docx(summary), tmp_path)
    theirs = pdf_text(converted)

    assert converted.startswith(b"%PDF")
    headings = [summary.title, *(s.heading for s in summary.sections), "附件", "附表1", "附表2"]
    figures = figures_of(summary)
    assert len(figures) > 20
    for text in headings + figures + ["二〇二五年十二月二十日", "甲公司工会委员会", "乙公司工会委员会"]:
        assert text in ours, text
        assert text in theirs, text
    assert "—1—" in theirs and "—2—" in theirs  # the PAGE field, numbered by LibreOffice
    assert "□" not in theirs


# --- Where people get it --------------------------------------------------------------------------


def test_the_summary_page_offers_the_word_document_as_a_job(
    client, year_of_work, county_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county_staff)
    page = client.get(reverse("reports:summary", args=[year_of_work.pk, Y])).content.decode()
    url = reverse("reports:summary-docx", args=[year_of_work.pk, Y])
    assert f'href="{url}">下载Word</a>' in page

    response = job_download(client, client.get(url))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert ".docx" in response["Content-Disposition"]
    assert body_paragraphs(open_docx(response.content))[0] == "测试街道工会联合会2025年工作总结"


def test_the_word_document_of_another_tenants_federation_is_404(client, year_of_work, outside_staff):
    client.force_login(outside_staff)
    assert client.get(reverse("reports:summary-docx", args=[year_of_work.pk, Y])).status_code == 404


def test_the_command_writes_the_word_document(year_of_work, tmp_path):
    target = tmp_path / "summary.docx"
    out = io.StringIO()
    call_command(
        "annual_summary", "--federation", "测试街道工会联合会", "--year", str(Y), "--format", "docx",
        "--output", str(target), stdout=out,
    )  # fmt: skip
    assert "DOCX" in out.getvalue()
    assert body_paragraphs(open_docx(target.read_bytes()))[0] == "测试街道工会联合会2025年工作总结"


def test_finalising_keeps_the_word_document_and_serves_it_unchanged(
    client, year_of_work, county_chair, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    version = summary_finalise(federation=year_of_work, year=Y, by=county_chair)
    with version.docx.storage.open(version.docx.name, "rb") as handle:
        kept = handle.read()
    assert version.docx.name.startswith("summaries/") and version.docx.name.endswith(".docx")
    assert body_paragraphs(open_docx(kept))[0] == "测试街道工会联合会2025年工作总结"

    MemberFactory(union=year_of_work.unions.first(), joined_on=D(Y, 6, 1))  # the records change
    client.force_login(county_chair)
    response = client.get(reverse("reports:version-docx", args=[year_of_work.pk, Y, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert b"".join(response.streaming_content) == kept
    versions = client.get(reverse("reports:summary-versions", args=[year_of_work.pk, Y])).content.decode()
    assert reverse("reports:version-docx", args=[year_of_work.pk, Y, 1]) in versions


def test_a_version_finalised_before_the_word_document_existed_has_no_word_link_and_404(
    client, year_of_work, county_chair, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    version = summary_finalise(federation=year_of_work, year=Y, by=county_chair)
    SummaryVersion.objects.filter(pk=version.pk).update(docx="")
    client.force_login(county_chair)
    assert client.get(reverse("reports:version-docx", args=[year_of_work.pk, Y, 1])).status_code == 404
    versions = client.get(reverse("reports:summary-versions", args=[year_of_work.pk, Y])).content.decode()
    assert reverse("reports:version-docx", args=[year_of_work.pk, Y, 1]) not in versions
