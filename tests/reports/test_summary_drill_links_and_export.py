"""The summary's drill-down (issue 12, finding 11): each listed name opens the record's own page where
the user may open it, and the list exports to .xlsx and .csv (federation.exports) with exactly the
records the page lists — inline, or by an export job when it is long."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from federation.models import ExportJob
from members.models import Member
from reports.summary.drill_export import DRILL
from tests.support.factories import AidRecordFactory, ContractFactory, MemberFactory, UnionYearFactory
from tests.support.jobs import job_download, job_of
from unions.models import CollectiveContract

Y = 2025
D = dt.date


def drill(federation, key, year=Y):
    return reverse("reports:drill", args=[federation.pk, year, key])


@pytest.fixture
def records(township, union_a, union_b):
    UnionYearFactory(union=union_a, year=Y, employees=20)
    MemberFactory(union=union_a, name="张三", joined_on=D(2020, 1, 1))
    MemberFactory(union=union_b, name="李四", joined_on=D(Y, 3, 1))
    ContractFactory(union=union_a, title="甲公司工资专项集体合同", kind="wage", signed_on=D(Y, 2, 1))
    return township


def content_of(client, user, address, **query) -> str:
    client.force_login(user)
    response = client.get(address, query)
    assert response.status_code == 200
    return response.content.decode()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- names are links -------------------------------------------------------------------------------------


def test_member_names_link_to_the_member_page(client, county_staff, records):
    content = content_of(client, county_staff, drill(records, "members"))
    member = Member.objects.get(name="张三")
    assert f'<a href="{reverse("members:detail", args=[member.pk])}">张三</a>' in content


def test_contract_and_union_names_link_to_their_pages(client, county_staff, records, union_a):
    content = content_of(client, county_staff, drill(records, "contracts_signed"))
    contract = CollectiveContract.objects.get(title="甲公司工资专项集体合同")
    link = reverse("unions:contract-detail", args=[contract.pk])
    assert f'<a href="{link}">甲公司工资专项集体合同</a>' in content
    content = content_of(client, county_staff, drill(records, "unions"))
    assert f'<a href="{reverse("unions:detail", args=[union_a.pk])}">甲公司工会委员会</a>' in content


def test_a_payment_to_a_member_since_moved_out_of_scope_is_listed_without_a_link(
    client, county_staff, records, union_a, outside_union
):
    stayed = MemberFactory(union=union_a, name="王留", joined_on=D(2020, 1, 1))
    moved = MemberFactory(union=union_a, name="赵走", joined_on=D(2020, 1, 1))
    AidRecordFactory(member=stayed, amount=Decimal("300"), aid_on=D(Y, 5, 1))
    AidRecordFactory(member=moved, amount=Decimal("300"), aid_on=D(Y, 5, 1))
    Member.objects.filter(pk=moved.pk).update(union=outside_union)  # moved to another county since

    content = content_of(client, county_staff, drill(records, "aid_count"))
    assert f'<a href="{reverse("members:detail", args=[stayed.pk])}">王留</a>' in content
    assert "<td>赵走</td>" in content
    assert reverse("members:detail", args=[moved.pk]) not in content
    # and the member page would indeed have been a 404
    assert client.get(reverse("members:detail", args=[moved.pk])).status_code == 404


# --- export ------------------------------------------------------------------------------------------------


def test_the_drill_down_offers_its_export(client, county_staff, records):
    content = content_of(client, county_staff, drill(records, "members"))
    assert 'href="?format=xlsx"' in content and 'href="?format=csv"' in content


def test_the_xlsx_export_holds_exactly_the_listed_records_with_typed_cells(client, county_staff, records):
    page = content_of(client, county_staff, drill(records, "members"))
    listed = int(re.search(r"共 <strong>(\d+)</strong> 条记录", page).group(1))
    response = client.get(drill(records, "members"), {"format": "xlsx"})
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "性别", "证件号码", "所在工会", "入会日期", "现会籍状态")
    assert len(rows) - 1 == listed == 2
    zhang = next(row for row in rows if row[0] == "张三")
    assert isinstance(zhang[4], dt.datetime) and zhang[4].date() == D(2020, 1, 1)
    assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", zhang[2])  # masked without the permission


def test_the_csv_export_of_a_breakdown_row_lists_that_row(client, county_staff, records, union_a):
    member = union_a.members.first()
    AidRecordFactory(member=member, kind="festival", amount=Decimal("800.00"), aid_on=D(Y, 1, 20))
    AidRecordFactory(member=member, kind="medical", amount=Decimal("5000.00"), aid_on=D(Y, 2, 20))
    client.force_login(county_staff)
    url = reverse("reports:drill-breakdown", args=[records.pk, Y, "aid_by_kind"])
    response = client.get(url, {"kind": "festival", "format": "csv"})
    assert response.status_code == 200
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "姓名" and len(rows) == 2
    assert "800" in rows[1][5] and "节日慰问" in rows[1][4]


def test_a_long_drill_down_is_exported_by_a_job(client, county_staff, records, settings, tmp_path):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county_staff)
    response = client.get(drill(records, "members"), {"format": "xlsx"})
    job = job_of(response)
    assert job.kind == DRILL and job.status == ExportJob.Status.DONE
    sheet = openpyxl.load_workbook(io.BytesIO(job_download(client, response).content)).active
    assert sheet.max_row == 3  # the header and the two members


def test_the_export_of_another_scope_is_404(client, outside_staff, records):
    client.force_login(outside_staff)
    assert client.get(drill(records, "members"), {"format": "xlsx"}).status_code == 404


def test_a_figure_without_records_has_no_export(client, county_staff, records):
    content = content_of(client, county_staff, drill(records, "unionisation_rate"), format="xlsx")
    assert "没有对应的记录清单" in content
