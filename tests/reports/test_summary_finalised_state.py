"""定稿 as a state the whole UI knows (issue 12, finding 2): the summary page and the index say
已定稿 · 第N版; the chair finalises and reopens from the summary page; the narrative is closed while a
version is in force; a finalised year's downloads are its version's files, the live summary being
labelled 草稿; the chair is reminded to finalise from December."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.dashboard import dashboard_for, summary_year_to_finalise
from reports.models import SummaryDraft, SummaryVersion
from reports.services import summary_draft_save, summary_finalise, summary_reopen
from tests.support.factories import AidRecordFactory, MemberFactory, UnionYearFactory

Y = 2025
D = dt.date


@pytest.fixture
def records(county, union_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    UnionYearFactory(union=union_a, year=Y, employees=40)
    for _ in range(3):
        MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    SummaryDraft.objects.create(federation=county, year=Y, problems_text="基层工会经费不足。")
    return county


@pytest.fixture
def finalised(records, county_chair):
    return summary_finalise(federation=records, year=Y, by=county_chair)


def url(name, federation, *args):
    return reverse(f"reports:{name}", args=[federation.pk, Y, *args])


def page(client, user, address) -> str:
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def stored(file) -> bytes:
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()


# --- the narrative is closed while a version is in force ----------------------------------------------


def test_staff_cannot_save_the_narrative_of_a_finalised_year(client, records, finalised, county_staff):
    client.force_login(county_staff)
    response = client.post(url("summary-edit", records), {"problems_text": "改过的问题。"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "2025年工作总结已定稿（第1版），文字部分已锁定，不能修改。" in content
    assert "改过的问题。" in content  # what was typed is shown, not lost
    assert SummaryDraft.objects.get(federation=records, year=Y).problems_text == "基层工会经费不足。"


def test_the_edit_page_of_a_finalised_year_shows_the_text_read_only_without_a_save_button(
    client, records, finalised, county_staff
):
    content = page(client, county_staff, url("summary-edit", records))
    assert "文字部分已锁定" in content
    assert "基层工会经费不足。" in content
    assert "readonly" in content
    assert ">保存</button>" not in content


def test_the_summary_page_of_a_finalised_year_offers_no_editing(client, records, finalised, county_staff):
    content = page(client, county_staff, url("summary", records))
    assert url("summary-edit", records) not in content
    assert "编辑文字部分" not in content


def test_after_the_chair_reopens_staff_may_edit_again(client, records, finalised, county_chair, county_staff):
    client.force_login(county_chair)
    response = client.post(url("summary-reopen", records), follow=True)
    assert response.redirect_chain[-1][0] == url("summary", records)
    content = response.content.decode()
    assert "第1版已重新打开" in content
    assert "草稿 · 未定稿" in content
    assert url("summary-finalise", records) in content  # may finalise again
    client.force_login(county_staff)
    response = client.post(url("summary-edit", records), {"problems_text": "新问题。"})
    assert response.status_code == 302
    assert SummaryDraft.objects.get(federation=records, year=Y).problems_text == "新问题。"


def test_the_reopening_is_recorded_and_said_on_the_summary_page(client, records, finalised, county_chair):
    summary_reopen(version=finalised, by=county_chair)
    finalised.refresh_from_db()
    assert finalised.reopened_by == county_chair and finalised.reopened_at is not None
    content = page(client, county_chair, url("summary", records))
    assert "第1版已于" in content and "由county_chair重新打开" in content
    assert url("version-pdf", records, 1) in content  # the superseded version stays downloadable


def test_the_draft_service_refuses_a_finalised_year(records, finalised, county_staff):
    draft = SummaryDraft.objects.get(federation=records, year=Y)
    draft.plan_text = "新计划。"
    with pytest.raises(ValidationError, match="已定稿（第1版）"):
        summary_draft_save(draft=draft, by=county_staff)
    assert SummaryDraft.objects.get(pk=draft.pk).plan_text == ""


# --- what the pages say -----------------------------------------------------------------------------------


def test_the_summary_page_says_finalised_and_labels_the_live_text_a_draft(
    client, records, finalised, county_staff
):
    content = page(client, county_staff, url("summary", records))
    assert "已定稿 · 第1版" in content
    assert "由county_chair定稿" in content
    assert "草稿 · 按当前台账计算，不是定稿版本" in content
    assert f'href="{url("version-pdf", records, 1)}"' in content
    assert f'href="{url("version-xlsx", records, 1)}"' in content


def test_an_unfinalised_summary_says_it_is_a_draft(client, records, county_staff):
    content = page(client, county_staff, url("summary", records))
    assert "草稿 · 未定稿" in content
    assert "已定稿" not in content
    assert f'href="{url("summary-pdf", records)}"' in content


def test_the_page_counts_the_figures_that_changed_since_finalising(
    client, records, finalised, union_a, county_staff
):
    assert "项指标与定稿版本不同" not in page(client, county_staff, url("summary", records))
    member = MemberFactory(union=union_a, joined_on=D(Y, 6, 1))
    AidRecordFactory(member=member, amount=Decimal("500"), aid_on=D(Y, 7, 1))
    assert "项指标与定稿版本不同" in page(client, county_staff, url("summary", records))


def test_only_the_chair_is_offered_finalise_and_reopen(client, records, county_chair, county_staff):
    assert url("summary-finalise", records) in page(client, county_chair, url("summary", records))
    assert "定稿将固定：全部统计数字、各部分文字、PDF和Excel文件" in page(
        client, county_chair, url("summary", records)
    )
    assert url("summary-finalise", records) not in page(client, county_staff, url("summary", records))
    summary_finalise(federation=records, year=Y, by=county_chair)
    assert url("summary-reopen", records) in page(client, county_chair, url("summary", records))
    assert url("summary-reopen", records) not in page(client, county_staff, url("summary", records))


def test_the_index_says_which_years_are_finalised(client, records, county_chair, county_staff):
    summary_finalise(federation=records, year=Y, by=county_chair)
    content = page(client, county_staff, reverse("reports:index"))
    assert f'id="year-state-{records.pk}-{Y}"' in content
    row = content.split(f'id="year-state-{records.pk}-{Y}"')[1].split("</li>")[0]
    assert "已定稿 · 第1版" in row
    other = content.split(f'id="year-state-{records.pk}-{Y - 1}"')[1].split("</li>")[0]
    assert "草稿 · 未定稿" in other


def test_the_versions_page_shows_no_hash_and_leads_back_to_the_summary(
    client, records, finalised, county_staff
):
    content = page(client, county_staff, url("summary-versions", records))
    assert "SHA-256" not in content and finalised.pdf_sha256[:16] not in content
    assert f'href="{url("summary", records)}"' in content
    assert 'class="page-title"' in content and 'class="list versions"' in content
    assert "已定稿 · 第1版" in content
    assert f"{url('summary-pdf', records)}?draft=1" in content  # the live draft, labelled as such


# --- downloads of a finalised year are the version's files ------------------------------------------------


def test_the_pdf_and_workbook_links_of_a_finalised_year_give_the_version(
    client, records, finalised, union_a, county_staff
):
    MemberFactory(union=union_a, joined_on=D(Y, 9, 1))  # the records move on after 定稿
    client.force_login(county_staff)
    response = client.get(url("summary-pdf", records))
    assert response["Location"] == url("version-pdf", records, 1)
    pdf = client.get(response["Location"])
    assert b"".join(pdf.streaming_content) == stored(finalised.pdf)
    response = client.get(url("summary-xlsx", records))
    assert response["Location"] == url("version-xlsx", records, 1)


def test_the_live_pdf_of_a_finalised_year_is_named_a_draft(client, records, finalised, county_staff):
    client.force_login(county_staff)
    response = client.get(url("summary-pdf", records), {"draft": "1"})
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert "（草稿）" in job_page


# --- the chair's to-do ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year"),
    [(D(2025, 12, 1), 2025), (D(2026, 1, 15), 2025), (D(2026, 6, 30), 2025), (D(2026, 7, 1), None)],
)
def test_the_year_to_finalise_is_this_years_from_december_and_last_years_until_mid_year(today, year):
    assert summary_year_to_finalise(today) == year


def _summary_todo(user, today):
    return next(todo for todo in dashboard_for(user, today)["todos"] if todo.key == "summary")


def test_the_chair_is_reminded_in_december_until_the_year_is_finalised(records, county_chair):
    todo = _summary_todo(county_chair, D(Y, 12, 3))
    assert todo.total == 1 and todo.title == "2025年工作总结待定稿"
    summary_finalise(federation=records, year=Y, by=county_chair)
    assert _summary_todo(county_chair, D(Y, 12, 3)).total == 0


def test_no_reminder_before_december_nor_for_staff(records, county_chair, county_staff):
    assert _summary_todo(county_chair, D(Y, 11, 30)).total == 0
    assert _summary_todo(county_staff, D(Y, 12, 3)).total == 0


def test_the_chairs_dashboard_shows_the_to_do_linking_to_the_summary(
    client, records, county_chair, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: D(Y, 12, 3))
    content = page(client, county_chair, reverse("dashboard"))
    assert 'id="todo-summary"' in content
    assert "2025年工作总结待定稿" in content
    assert f'href="{url("summary", records)}"' in content


def test_the_chairs_dashboard_costs_the_same_queries_finalised_or_not(
    client, records, county_chair, monkeypatch, django_assert_num_queries, django_assert_max_num_queries
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: D(Y, 12, 3))
    client.force_login(county_chair)
    client.get(reverse("dashboard"))  # warm the session
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("dashboard"))
    summary_finalise(federation=records, year=Y, by=county_chair)
    assert SummaryVersion.objects.exists()
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(reverse("dashboard"))


def test_an_administrator_sees_the_states_of_the_top_level_federations(
    client, records, county_chair, admin_user
):
    summary_finalise(federation=records, year=Y, by=county_chair)
    content = page(client, admin_user, reverse("reports:index"))
    row = content.split(f'id="year-state-{records.pk}-{Y}"')[1].split("</li>")[0]
    assert "已定稿 · 第1版" in row


def test_the_admin_cannot_change_a_finalised_years_text_either(admin_user, county):
    """The text is locked in the admin as on the edit page, until the chair reopens the year."""
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from reports.models import SummaryDraft, SummaryVersion

    draft = SummaryDraft.objects.create(federation=county, year=2025, opening_text="原文")
    model_admin = django_admin.site._registry[SummaryDraft]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert model_admin.has_change_permission(request, draft)
    version = SummaryVersion.objects.create(
        federation=county, year=2025, number=1, indicators={}, pdf_sha256="0" * 64, finalised_by=admin_user
    )
    assert not model_admin.has_change_permission(request, draft)
    assert not model_admin.has_delete_permission(request, draft)
    version.reopened_at = version.created_at
    version.save()
    assert model_admin.has_change_permission(request, draft)
