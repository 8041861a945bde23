"""The staff's parts of the summary where a reader expects them: the opening paragraph before the
generated overview (in the page, the PDF and the Word document), 存在问题 and 工作计划 prefilled from
the generated text without ever printing it twice, each section's narrative after its generated
sentences, and the preview beside the editor (who may ask for it, what it shows, what it costs)."""

import datetime as dt
import html
import io
import re
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse

from reports.forms import OPENING_HINT
from reports.models import SummaryDraft
from reports.summary.document import build_summary, generated_defaults
from reports.summary.docx import render_summary_docx
from reports.summary.render import render_summary_html, render_summary_pdf
from tests.support.factories import ContractFactory, MemberFactory, UnionYearFactory

Y = 2025
D = dt.date
OPENING = "一年来，在县总工会和街道党工委的坚强领导下，我会坚持以职工为中心。"
OVERVIEW_END = "现将全年工作情况总结如下。"


def url(federation, name="summary-edit"):
    return reverse(f"reports:{name}", args=[federation.pk, Y])


@pytest.fixture
def records(township, union_a):
    UnionYearFactory(union=union_a, year=Y, employees=40)
    for _ in range(3):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    ContractFactory(union=union_a, kind="wage", signed_on=D(Y, 2, 1))
    return township


def textarea(content: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', content, re.S)
    assert match, name
    return html.unescape(match.group(1)).strip()


# --- The opening comes first, in every format -------------------------------------------------------


@pytest.fixture
def with_opening(records):
    SummaryDraft.objects.create(
        federation=records, year=Y, opening_text=OPENING, organisation_text="走访企业。"
    )
    return records


def test_the_opening_comes_before_the_generated_overview_in_the_document(with_opening):
    doc = build_summary(with_opening, Y)
    assert str(doc.opening[0]) == OPENING
    assert str(doc.opening[-1]).endswith(OVERVIEW_END)


def test_the_opening_comes_before_the_generated_overview_on_the_page(client, county_staff, with_opening):
    content = client.force_login(county_staff) or client.get(url(with_opening, "summary")).content.decode()
    assert content.index(OPENING) < content.index(OVERVIEW_END) < content.index("一、组织建设和会员发展")


def test_the_opening_comes_before_the_generated_overview_in_the_standalone_html(with_opening):
    content = render_summary_html(build_summary(with_opening, Y))
    assert content.index(OPENING) < content.index(OVERVIEW_END)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_opening_comes_before_the_generated_overview_in_the_pdf(with_opening):
    pdf = render_summary_pdf(build_summary(with_opening, Y))
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    flat = re.sub(r"\s", "", text.stdout.decode())
    assert flat.index(OPENING) < flat.index(OVERVIEW_END) < flat.index("一、组织建设和会员发展")


def test_the_opening_comes_before_the_generated_overview_in_the_word_document(with_opening):
    word = docx.Document(io.BytesIO(render_summary_docx(build_summary(with_opening, Y))))
    paragraphs = [p.text for p in word.paragraphs if p.text]
    assert paragraphs.index(OPENING) == 1  # right after the title
    assert paragraphs[2].endswith(OVERVIEW_END)


def test_each_section_reads_its_generated_sentences_then_the_staff_text(client, county_staff, with_opening):
    client.force_login(county_staff)
    content = client.get(url(with_opening, "summary")).content.decode()
    section = content[content.index('id="section-organisation"') : content.index('id="section-rights"')]
    assert section.index("基层工会") < section.index("走访企业。")


# --- The form: a hint for the opening, the generated text as a starting point ------------------------


def test_the_opening_field_shows_a_sample_as_a_greyed_hint_not_as_text(client, township_staff, records):
    content = client.force_login(township_staff) or client.get(url(records)).content.decode()
    assert f'placeholder="{OPENING_HINT}"' in html.unescape(content)
    assert textarea(content, "opening_text") == ""


def test_problems_and_plan_start_from_the_generated_text(client, township_staff, records):
    client.force_login(township_staff)
    content = client.get(url(records)).content.decode()
    defaults = generated_defaults(build_summary(records, Y, draft=SummaryDraft()))
    assert defaults["problems_text"] and defaults["plan_text"]
    assert textarea(content, "problems_text") == defaults["problems_text"]
    assert textarea(content, "plan_text") == defaults["plan_text"]
    assert "2026年，我会将重点做好以下工作：" in textarea(content, "plan_text")


def test_text_staff_wrote_is_shown_instead_of_the_generated_text(client, township_staff, records):
    SummaryDraft.objects.create(federation=records, year=Y, plan_text="我们自己的计划。")
    content = client.force_login(township_staff) or client.get(url(records)).content.decode()
    assert textarea(content, "plan_text") == "我们自己的计划。"


def _form_fields(content: str) -> dict:
    return {name: textarea(content, name) for name in SummaryDraft.NARRATIVE_FIELDS}


def test_saving_the_prefilled_text_unchanged_prints_it_once_and_keeps_it_live(
    client, township_staff, records
):
    client.force_login(township_staff)
    fields = _form_fields(client.get(url(records)).content.decode())
    assert client.post(url(records), fields).status_code == 302
    draft = SummaryDraft.objects.get(federation=records, year=Y)
    assert draft.problems_text == "" and draft.plan_text == ""  # still generated from the records
    page = client.get(url(records, "summary")).content.decode()
    first_plan_line = fields["plan_text"].splitlines()[0]
    assert page.count(first_plan_line) == 1


def test_an_edited_prefill_replaces_the_generated_text(client, township_staff, records):
    client.force_login(township_staff)
    fields = _form_fields(client.get(url(records)).content.decode())
    generated_lines = fields["problems_text"].splitlines()
    fields["problems_text"] = "\n".join([*generated_lines[:-1], "工会经费收缴不够及时。"])
    client.post(url(records), fields)
    draft = SummaryDraft.objects.get(federation=records, year=Y)
    assert draft.problems_text.endswith("工会经费收缴不够及时。")
    doc = build_summary(records, Y)
    problems = next(s for s in doc.sections if s.key == "problems")
    assert problems.generated == [] and not problems.is_default_text
    assert [str(p) for p in problems.narrative] == [*generated_lines[:-1], "工会经费收缴不够及时。"]


# --- The preview beside the editor ---------------------------------------------------------------------


def test_the_preview_shows_the_typed_opening_before_the_overview_and_saves_nothing(
    client, township_staff, records
):
    client.force_login(township_staff)
    response = client.post(
        url(records, "summary-preview"), {"opening_text": OPENING, "plan_text": "新计划。"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index(OPENING) < content.index(OVERVIEW_END)
    assert "新计划。" in content
    assert 'id="appendix"' not in content and "<svg" not in content  # the text, no appendix or chart
    assert not SummaryDraft.objects.exists()


def test_the_editor_page_has_the_preview_beside_the_form(client, township_staff, records):
    content = client.force_login(township_staff) or client.get(url(records)).content.decode()
    assert f'data-preview-url="{url(records, "summary-preview")}"' in content
    assert 'id="summary-preview"' in content
    assert "js/summary_preview.js" in content


def test_a_preview_of_bad_input_says_why_in_chinese(client, township_staff, records):
    client.force_login(township_staff)
    response = client.post(url(records, "summary-preview"), {"signoff_date": "2019-01-01"})
    assert response.status_code == 400
    assert "落款日期应在2025年或2026年内。" in response.content.decode()


def test_the_preview_is_posted_not_fetched(client, township_staff, records):
    client.force_login(township_staff)
    assert client.get(url(records, "summary-preview")).status_code == 405


def test_the_chair_who_may_not_edit_may_not_preview(client, county_chair, records):
    client.force_login(county_chair)
    assert client.post(url(records, "summary-preview"), {"opening_text": "x"}).status_code == 403


@pytest.mark.parametrize("user_fixture", ["outside_staff", "cadre_a"])
def test_the_preview_of_another_scope_is_404(request, client, user_fixture, records):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.post(url(records, "summary-preview"), {"opening_text": "x"}).status_code == 404


def test_the_preview_of_a_visitor_who_is_not_logged_in_sends_them_to_log_in(client, records):
    response = client.post(url(records, "summary-preview"), {"opening_text": "x"})
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_preview_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, township_staff, records
):
    client.force_login(township_staff)
    client.get(url(records, "summary"))  # the figures, stored
    with django_assert_max_num_queries(12):
        assert client.post(url(records, "summary-preview"), {"opening_text": OPENING}).status_code == 200


def test_the_editor_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, township_staff, records
):
    client.force_login(township_staff)
    client.get(url(records, "summary"))  # the figures, stored
    with django_assert_max_num_queries(12):
        assert client.get(url(records)).status_code == 200
