"""A grassroots union's own summary (issue 15): the union's cadre reads, writes and finalises it;
federation staff and the chair in scope read it and see on their index which unions have finalised
theirs; nobody else sees it. Every format, the drill-downs, the command line."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from federation import scoping
from federation.models import ExportJob, User
from reports import services
from reports.models import SummaryDraft, SummaryVersion
from tests.support.factories import (
    AidRecordFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    UserFactory,
)

Y = 2025
D = dt.date


@pytest.fixture
def records(union_a, union_b):
    UnionYearFactory(union=union_a, year=Y, employees=40, women_employees=20)
    for day in (D(2020, 1, 1), D(2020, 1, 1), D(Y, 3, 1)):
        MemberFactory(union=union_a, joined_on=day)
    MemberFactory(union=union_b, joined_on=D(Y, 3, 1))
    AidRecordFactory(member=MemberFactory(union=union_a, joined_on=D(2020, 1, 1)), aid_on=D(Y, 1, 20))
    return union_a


def page(client, user, address, status=200):
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == status
    return response.content.decode() if status == 200 else ""


def summary_url(union, name="summary", *more, year=Y):
    return reverse(f"reports:union-{name}", args=[union.pk, year, *more])


# --- Who sees and who writes -------------------------------------------------------------------


def test_the_cadre_reads_the_unions_own_summary(client, records, cadre_a):
    content = page(client, cadre_a, summary_url(records))
    assert "甲公司工会委员会2025年工作总结" in content
    assert "组织建设和会员" in content
    assert 'id="def-unions"' not in content  # a count of unions is no figure of one union
    # Definitions of one union's figures, not of a subtree's.
    assert 'title="本工会本年度“年度职工情况”中的职工人数。"' in content
    assert "基层工会数所计工会" not in content and "本联合会（含下级）" not in content
    assert f'href="{summary_url(records, "summary-edit")}"' in content  # the cadre writes it
    assert f'action="{summary_url(records, "summary-finalise")}"' in content  # and finalises it


@pytest.mark.parametrize("who", ["county_staff", "county_chair", "township_staff"])
def test_federation_roles_in_scope_read_it_but_neither_write_nor_finalise_it(client, records, who, request):
    user = request.getfixturevalue(who)
    content = page(client, user, summary_url(records))
    assert "甲公司工会委员会2025年工作总结" in content
    assert summary_url(records, "summary-edit") not in content
    assert summary_url(records, "summary-finalise") not in content
    page(client, user, summary_url(records, "summary-edit"), status=403)
    client.force_login(user)
    assert client.post(summary_url(records, "summary-finalise")).status_code == 403


@pytest.mark.parametrize("who", ["cadre_b", "outside_staff"])
def test_anyone_else_finds_no_such_summary(client, records, who, request):
    page(client, request.getfixturevalue(who), summary_url(records), status=404)


def test_the_cadre_writes_the_opening_and_it_comes_first(client, records, cadre_a, township):
    client.force_login(cadre_a)
    opening = "一年来，在公司党委的领导下，我会团结带领广大职工。"
    response = client.post(summary_url(records, "summary-edit"), {"opening_text": opening})
    assert response.status_code == 302
    draft = SummaryDraft.objects.get()
    assert (draft.union, draft.federation) == (records, township)
    content = page(client, cadre_a, summary_url(records))
    assert content.index("一年来，在公司党委的领导下") < content.index("组织建设和会员")
    # The federation's own draft is another record: untouched.
    assert not SummaryDraft.objects.filter(union__isnull=True).exists()


def test_the_union_form_has_the_unions_sections(client, records, cadre_a):
    content = page(client, cadre_a, summary_url(records, "summary-edit"))
    assert "荣誉（补充）" in content
    assert "联合会自身建设" not in content


def test_the_cadre_finalises_and_the_text_is_locked(client, records, cadre_a):
    client.force_login(cadre_a)
    client.post(summary_url(records, "summary-edit"), {"opening_text": "开篇。"})
    response = client.post(summary_url(records, "summary-finalise"), follow=True)
    assert response.status_code == 200
    version = SummaryVersion.objects.get()
    assert (version.union, version.number, version.narrative["opening_text"]) == (records, 1, "开篇。")
    assert version.pdf.read(4) == b"%PDF"
    assert services.current_version(records.federation, Y) is None  # the federation's is still a draft
    locked = client.post(summary_url(records, "summary-edit"), {"opening_text": "改。"})
    assert locked.status_code == 409
    content = page(client, cadre_a, summary_url(records))
    assert "已定稿 · 第1版" in content
    assert f'href="{summary_url(records, "version-pdf", 1)}"' in content
    # Reopened by the cadre, finalised again: the second version.
    client.post(summary_url(records, "summary-reopen"))
    client.post(summary_url(records, "summary-finalise"))
    versions = SummaryVersion.objects.order_by("number")
    assert [(v.number, v.is_current) for v in versions] == [(1, False), (2, True)]


def test_the_federation_index_says_which_unions_have_finalised(client, records, cadre_a, county_staff):
    services.summary_finalise(union=records, year=Y, by=cadre_a)
    content = page(client, county_staff, reverse("reports:index"))
    assert "2025年工作总结：1个基层工会已定稿" in content
    assert f'<a href="{summary_url(records)}">甲公司工会委员会2025年工作总结</a>' in content


def test_a_cadre_sees_the_versions_of_the_own_union_only(records, union_b, cadre_a, cadre_b, county_staff):
    own = services.summary_finalise(union=records, year=Y, by=cadre_a)
    other = services.summary_finalise(union=union_b, year=Y, by=cadre_b)
    assert set(scoping.visible(cadre_a, SummaryVersion)) == {own}
    assert set(scoping.visible(county_staff, SummaryVersion)) == {own, other}


# --- Every format, the drill-downs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "magic"), [("summary-pdf", b"%PDF"), ("summary-docx", b"PK"), ("summary-xlsx", b"PK")]
)
def test_every_format_downloads(client, records, cadre_a, name, magic):
    client.force_login(cadre_a)
    response = client.get(summary_url(records, name))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE, job.message
    assert job.file.read(len(magic)) == magic
    assert "甲公司工会委员会" in job.title


def test_the_workbook_has_no_per_union_sheet(records):
    from reports.summary.xlsx import render_summary_xlsx

    book = openpyxl.load_workbook(io.BytesIO(render_summary_xlsx(records, Y)))
    assert "基层工会" not in book.sheetnames
    assert "主要指标" in book.sheetnames


def test_a_figure_drills_to_the_unions_own_records(client, records, cadre_a, union_b):
    content = page(client, cadre_a, summary_url(records, "drill", "new_members"))
    members_here = records.members.filter(joined_on__year=Y)
    assert members_here.exists() and all(member.name in content for member in members_here)
    assert union_b.members.get().name not in content
    page(client, cadre_a, summary_url(records, "drill", "unions"), status=404)


# --- The command line --------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("annual_summary", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "magic"), [("html", b"<!DOCTYPE"), ("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")]
)
def test_the_command_writes_a_unions_summary(records, tmp_path, fmt, magic):
    target = tmp_path / f"union.{fmt}"
    said = run("--union", "甲公司工会委员会", "--year", str(Y), "--format", fmt, "--output", str(target))
    assert "已生成 甲公司工会委员会2025年工作总结" in said
    assert target.read_bytes()[: len(magic)].upper() == magic.upper()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--union", "不存在的工会"], "找不到基层工会“不存在的工会”"),
        (["--union", "甲公司工会委员会", "--federation", "测试县总工会"], "二者选一"),
        ([], "请用 --federation 指定工会联合会，或用 --union 指定基层工会"),
    ],
)
def test_the_command_refuses_in_chinese(records, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--year", str(Y), "--format", "pdf", "--output", str(tmp_path / "x.pdf"))


def test_a_name_two_unions_share_asks_for_the_credit_code(records, township, tmp_path):
    UnionFactory(federation=township, name="甲公司工会委员会")
    with pytest.raises(CommandError, match="请改用统一社会信用代码"):
        run(
            "--union",
            "甲公司工会委员会",
            "--year",
            str(Y),
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
        )


# --- The federation quotes its unions ----------------------------------------------------------


def _finalise_with_text(union, cadre, text, kind="year"):
    SummaryDraft.objects.create(
        federation=union.federation, union=union, year=Y, period=kind, honours_text=text
    )
    return services.summary_finalise(union=union, year=Y, by=cadre, kind=kind)


def test_staff_are_offered_the_passages_their_unions_wrote(
    client, records, cadre_a, outside_union, county_staff, township
):
    _finalise_with_text(records, cadre_a, "我会职工张三获评市级技术能手。\n职工书屋正式开放。")
    other = UserFactory(role=User.Role.UNION_CADRE, union=outside_union)
    _finalise_with_text(outside_union, other, "外县的段落。")
    content = page(client, county_staff, reverse("reports:summary-edit", args=[township.pk, Y]))
    assert "辖区内1个基层工会已定稿本期工作总结" in content
    assert 'data-quote="甲公司工会委员会：我会职工张三获评市级技术能手。"' in content
    assert 'data-quote="甲公司工会委员会：职工书屋正式开放。"' in content
    assert '<option value="id_honours_text" selected>' in content  # the same section by default
    assert "外县的段落" not in content  # another federation's union


def test_only_finalised_summaries_of_the_same_period_are_offered(
    client, records, cadre_a, county_staff, township
):
    _finalise_with_text(records, cadre_a, "上半年的段落。", kind="h1")
    SummaryDraft.objects.create(federation=township, union=records, year=Y, honours_text="草稿的段落。")
    content = page(client, county_staff, reverse("reports:summary-edit", args=[township.pk, Y]))
    assert "上半年的段落" not in content and "草稿的段落" not in content
    assert "辖区内还没有基层工会定稿本期的工作总结" in content
    half = page(client, county_staff, reverse("reports:summary-edit", args=[township.pk, Y, "h1"]))
    assert "上半年的段落" in half


def test_a_name_search_narrows_the_unions_offered(
    client, records, union_b, cadre_a, cadre_b, county_staff, county
):
    _finalise_with_text(records, cadre_a, "甲的段落。")
    _finalise_with_text(union_b, cadre_b, "乙的段落。")
    address = reverse("reports:summary-edit", args=[county.pk, Y])
    both = page(client, county_staff, address)
    assert "甲的段落" in both and "乙的段落" in both
    narrowed = page(client, county_staff, address + "?quote_q=乙公司")
    assert "甲的段落" not in narrowed and "乙的段落" in narrowed


# --- The to-do ---------------------------------------------------------------------------------


def test_the_cadre_is_reminded_in_december_and_a_unions_version_is_not_the_federations(
    records, cadre_a, township
):
    from reports.dashboard import dashboard_for
    from tests.support.factories import UserFactory as Users

    chair = Users(role=User.Role.CHAIR, federation=township)

    def todo(user):
        return next(t for t in dashboard_for(user, D(Y, 12, 3))["todos"] if t.key == "summary")

    assert todo(cadre_a).total == 1
    assert todo(cadre_a).rows[0]["url"] == summary_url(records)
    services.summary_finalise(union=records, year=Y, by=cadre_a)
    assert todo(cadre_a).total == 0
    # The union's version does not finalise its federation's summary.
    assert todo(chair).total == 1
    assert todo(chair).rows[0]["url"] == reverse("reports:summary", args=[township.pk, Y])
