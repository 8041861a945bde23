"""Unbounded text stopped the site: nine narrative parts of 55 000 characters made a 1 108-page PDF and
three requests for it held every worker. Each part is limited (with a live counter on the form), a
draft saved before the limit is refused before any layout, and a PDF past MAX_PAGES pages is refused
with a Chinese message instead of being sent."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from federation.models import ExportJob
from federation.text import TEXT_LIMIT
from reports.models import SummaryDraft, SummaryVersion
from reports.summary import render
from tests.support.jobs import job_of

Y = 2025


def url(federation, name: str) -> str:
    return reverse(f"reports:{name}", args=[federation.pk, Y])


def test_each_narrative_part_is_limited_with_a_counter_on_the_form(client, county_staff, county):
    client.force_login(county_staff)
    page = client.get(url(county, "summary-edit")).content.decode()
    assert page.count(f'maxlength="{TEXT_LIMIT}"') == len(SummaryDraft.NARRATIVE_FIELDS)
    assert "js/char_counter.js" in page and "data-char-count=" in page
    assert "<script>" not in page  # our own file, no inline script

    response = client.post(url(county, "summary-edit"), {"plan_text": "字" * (TEXT_LIMIT + 1)})

    assert response.status_code == 200
    assert "plan_text" in response.context["form"].errors
    assert not SummaryDraft.objects.filter(federation=county, year=Y).exists()


def test_a_part_of_the_limit_is_saved(client, county_staff, county):
    client.force_login(county_staff)
    client.post(url(county, "summary-edit"), {"plan_text": "字" * TEXT_LIMIT})
    assert len(SummaryDraft.objects.get(federation=county, year=Y).plan_text) == TEXT_LIMIT


@pytest.fixture
def legacy_draft(county):
    """A draft saved before the limit, as the probe wrote it."""
    texts = dict.fromkeys(SummaryDraft.NARRATIVE_FIELDS, "很长的文字。" * 9000)
    return SummaryDraft.objects.create(federation=county, year=Y, **texts)


def test_the_pdf_of_a_draft_longer_than_the_limit_is_refused_before_layout(
    client, county_staff, county, legacy_draft, monkeypatch
):
    def no_layout(*args, **kwargs):
        raise AssertionError("laid out")

    monkeypatch.setattr(render, "render_summary_html", no_layout)
    client.force_login(county_staff)
    response = client.get(url(county, "summary-pdf"), follow=True)
    assert job_of(client.get(url(county, "summary-pdf"))).status == ExportJob.Status.FAILED
    assert f"超过{TEXT_LIMIT}字" in response.content.decode()


def test_finalising_such_a_draft_is_refused_with_the_same_message(client, county_chair, county, legacy_draft):
    client.force_login(county_chair)
    response = client.post(url(county, "summary-finalise"), follow=True)
    assert f"超过{TEXT_LIMIT}字" in response.content.decode()
    assert not SummaryVersion.objects.exists()


def test_a_pdf_of_more_pages_than_the_cap_is_refused_with_a_chinese_message(
    client, county_staff, county, monkeypatch
):
    monkeypatch.setattr(render, "MAX_PAGES", 1)
    client.force_login(county_staff)
    response = client.get(url(county, "summary-pdf"), follow=True)
    assert job_of(client.get(url(county, "summary-pdf"))).status == ExportJob.Status.FAILED
    assert "超过1页的上限" in response.content.decode()


def test_the_command_refuses_it_too(county, legacy_draft, tmp_path):
    with pytest.raises(CommandError, match="超过"):
        call_command(
            "annual_summary",
            federation=county.name,
            year=str(Y),
            fmt="pdf",
            output=str(tmp_path / "s.pdf"),
        )
