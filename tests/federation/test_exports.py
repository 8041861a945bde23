"""Every staff list exports what the user sees — its scope, its filters — to .xlsx, with ID and phone
numbers masked unless the user may see them in full."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federation.identifiers import mask_id_number, mask_phone
from members.choices import AidKind, Gender, HardshipCategory
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
)
from unions.activities.models import Activity

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client, url_name: str, **params):
    """The export of a list as an openpyxl worksheet (the response checked to be an xlsx download)."""
    response = client.get(reverse(url_name), {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(sheet, header: str) -> list:
    rows = values(sheet)
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def grant_full_identifiers(user):
    user.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    return user


# --- Members ------------------------------------------------------------------------------------


@pytest.fixture
def members(union_a, union_b, outside_union):
    return {
        "zhang": MemberFactory(union=union_a, name="张三", mobile="13800138000"),
        "wang": MemberFactory(union=union_a, name="王芳", gender=Gender.FEMALE, mobile="13900139000"),
        "li": MemberFactory(union=union_b, name="李四"),
        "outside": MemberFactory(union=outside_union, name="赵外"),
    }


def test_member_export_has_the_header_row_and_one_row_per_member_in_scope(client, county_staff, members):
    client.force_login(county_staff)
    sheet = export(client, "members:list")
    assert sheet.title == "会员名单"
    assert values(sheet)[0][:5] == ["姓名", "性别", "证件号码", "手机号码", "基层工会"]
    assert sorted(column(sheet, "姓名")) == sorted(["张三", "王芳", "李四"])


def test_member_export_applies_the_lists_filters(client, county_staff, members, union_a):
    client.force_login(county_staff)
    sheet = export(client, "members:list", union=union_a.pk, gender=Gender.FEMALE)
    assert column(sheet, "姓名") == ["王芳"]


def test_member_export_of_a_cadre_holds_only_their_unions_members(client, cadre_a, members):
    client.force_login(cadre_a)
    assert sorted(column(export(client, "members:list"), "姓名")) == sorted(["张三", "王芳"])


def test_member_export_masks_id_and_phone_numbers(client, county_staff, members):
    client.force_login(county_staff)
    sheet = export(client, "members:list", q="张三")
    zhang = members["zhang"]
    assert column(sheet, "证件号码") == [mask_id_number(zhang.id_number)]
    assert column(sheet, "手机号码") == [mask_phone(zhang.mobile)]


def test_member_export_shows_full_numbers_to_a_user_with_the_permission(client, county_staff, members):
    client.force_login(grant_full_identifiers(county_staff))
    sheet = export(client, "members:list", q="张三")
    assert column(sheet, "证件号码") == [members["zhang"].id_number]
    assert column(sheet, "手机号码") == ["13800138000"]


def test_member_export_is_a_frozen_filtered_sheet_with_typed_columns(client, county_staff, members):
    client.force_login(county_staff)
    response = client.get(reverse("members:list"), {"format": "xlsx"})
    assert "%E4%BC%9A%E5%91%98%E5%90%8D%E5%8D%95-" in response["Content-Disposition"]  # 会员名单-
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J4"
    assert sheet["A1"].font.bold
    # The width as Excel stores it: 22 characters and the cell's padding.
    assert 22 <= sheet.column_dimensions["C"].width < 23
    id_cell, phone_cell, joined_cell = sheet["C2"], sheet["D2"], sheet["F2"]
    assert id_cell.number_format == "@" and id_cell.data_type == "s"
    assert phone_cell.number_format == "@"
    assert joined_cell.number_format == "yyyy-mm-dd" and joined_cell.value == dt.datetime(2018, 6, 1)


def test_the_chair_may_export_too(client, county_chair, members):
    client.force_login(county_chair)
    assert len(column(export(client, "members:list"), "姓名")) == 3


def test_an_anonymous_export_request_goes_to_the_login_page(client, members):
    response = client.get(reverse("members:list"), {"format": "xlsx"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Hardship cases and aid ---------------------------------------------------------------------


def test_case_export_lists_the_filtered_cases_in_scope_with_masked_ids(
    client, township_staff, union_a, union_b, outside_union
):
    kept = HardshipCaseFactory(member__union=union_a, member__name="困难甲")
    HardshipCaseFactory(member__union=union_b, member__name="困难乙", category=HardshipCategory.DEEP)
    HardshipCaseFactory(member__union=outside_union, member__name="困难外")
    client.force_login(township_staff)
    assert sorted(column(export(client, "hardship:list"), "姓名")) == ["困难乙", "困难甲"]
    sheet = export(client, "hardship:list", category=HardshipCategory.RELATIVE)
    assert column(sheet, "姓名") == ["困难甲"]
    assert column(sheet, "证件号码") == [mask_id_number(kept.member.id_number)]
    assert sheet["G2"].number_format == "#,##0.00"


def test_aid_export_lists_the_filtered_records_in_scope(client, cadre_a, union_a, outside_union):
    record = AidRecordFactory(member__union=union_a, member__name="受助甲", amount=Decimal("1234.50"))
    AidRecordFactory(member__union=union_a, member__name="受助乙", aid_on=dt.date(2024, 1, 20))
    AidRecordFactory(member__union=outside_union, member__name="受助外")
    client.force_login(grant_full_identifiers(cadre_a))
    sheet = export(client, "hardship:aid-list", year=2025)
    assert values(sheet)[0][:3] == ["发放日期", "姓名", "证件号码"]
    assert column(sheet, "姓名") == ["受助甲"]
    assert column(sheet, "证件号码") == [record.member.id_number]
    assert column(sheet, "金额(元)") == [1234.5]
    assert sheet["F2"].number_format == "#,##0.00"
    assert sheet["A2"].number_format == "yyyy-mm-dd"


def test_aid_export_masks_ids_for_a_user_without_the_permission(client, cadre_a, union_a):
    record = AidRecordFactory(member__union=union_a, kind=AidKind.EDUCATION, students_helped=1)
    client.force_login(cadre_a)
    assert column(export(client, "hardship:aid-list"), "证件号码") == [
        mask_id_number(record.member.id_number)
    ]


# --- Unions and contracts -----------------------------------------------------------------------


def test_union_export_lists_the_filtered_unions_in_scope_with_masked_phones(
    client, township_staff, union_a, union_b, outside_union
):
    union_a.chair_phone = "13700137000"
    union_a.save()
    client.force_login(township_staff)
    assert sorted(column(export(client, "unions:list"), "工会名称")) == sorted([union_a.name, union_b.name])
    sheet = export(client, "unions:list", q="甲公司")
    assert column(sheet, "工会名称") == [union_a.name]
    assert column(sheet, "联系电话") == [mask_phone("13700137000")]
    assert column(sheet, "统一社会信用代码") == [union_a.credit_code]
    assert sheet["B2"].number_format == "@"


def test_contract_export_lists_the_filtered_contracts_in_scope(
    client, township_staff, union_a, union_b, outside_union
):
    ContractFactory(union=union_a, title="甲公司集体合同")
    ContractFactory(union=union_b, title="乙公司集体合同", status="expired")
    ContractFactory(union=outside_union, title="外县集体合同")
    client.force_login(township_staff)
    assert sorted(column(export(client, "unions:contract-list"), "合同名称")) == [
        "乙公司集体合同",
        "甲公司集体合同",
    ]
    sheet = export(client, "unions:contract-list", q="甲公司")
    assert column(sheet, "合同名称") == ["甲公司集体合同"]
    assert column(sheet, "签订方") == [union_a.name]


# --- Activities and federations -----------------------------------------------------------------


def test_activity_export_lists_the_filtered_activities_in_scope(
    client, county_staff, township, union_a, outside_union
):
    ActivityFactory(union=union_a, title="甲公司运动会", spending=Decimal("800"))
    ActivityFactory(
        union=None, federation=township, title="街道宣讲", category=Activity.Category.LEGAL_EDUCATION
    )
    ActivityFactory(union=outside_union, title="外县活动")
    client.force_login(county_staff)
    assert sorted(column(export(client, "activities:list"), "活动名称")) == ["甲公司运动会", "街道宣讲"]
    sheet = export(client, "activities:list", category=Activity.Category.LEGAL_EDUCATION)
    assert column(sheet, "活动名称") == ["街道宣讲"]
    assert column(sheet, "主办方") == [township.name]


def test_federation_export_lists_the_federations_in_scope(
    client, township_staff, township, community, other_county, union_a, union_b
):
    client.force_login(township_staff)
    sheet = export(client, "federations:list")
    assert column(sheet, "名称") == [township.name, community.name]
    assert column(sheet, "直属基层工会") == [1, 1]


def test_a_union_cadre_gets_404_for_the_federation_export(client, cadre_a):
    client.force_login(cadre_a)
    assert client.get(reverse("federations:list"), {"format": "xlsx"}).status_code == 404


# --- Every list ---------------------------------------------------------------------------------

LISTS = [
    "federations:list",
    "unions:list",
    "unions:contract-list",
    "members:list",
    "hardship:list",
    "hardship:aid-list",
    "activities:list",
]


def _records(url_name: str, n: int, union) -> None:
    """n more records of the list's kind, in `union` (a federation list grows by unions)."""
    for _ in range(n):
        if url_name in ("federations:list", "unions:list"):
            UnionFactory(federation=union.federation)
        elif url_name == "unions:contract-list":
            ContractFactory(union=union)
        elif url_name == "members:list":
            MemberFactory(union=union, mobile="13800138000")
        elif url_name == "hardship:list":
            HardshipCaseFactory(member__union=union)
        elif url_name == "hardship:aid-list":
            AidRecordFactory(member__union=union)
        else:
            ActivityFactory(union=union)


@pytest.mark.parametrize("url_name", LISTS)
def test_export_query_count_does_not_grow_with_the_rows(
    client, county_staff, union_a, url_name, django_assert_max_num_queries
):
    client.force_login(county_staff)
    counts = []
    for n in (2, 25):
        _records(url_name, n, union_a)
        with CaptureQueriesContext(connection) as captured:
            export(client, url_name)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    # One more where the list counts its rows first (an export above the limit runs as a job).
    with django_assert_max_num_queries(7):
        export(client, url_name)


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_page_links_to_its_export_with_the_current_filters(client, county_staff, url_name):
    client.force_login(county_staff)
    content = client.get(reverse(url_name), {"q": "甲", "page": "2"}).content.decode()
    if url_name == "federations:list":
        assert 'href="?format=xlsx"' in content
    else:
        assert 'href="?q=%E7%94%B2&amp;format=xlsx"' in content
    assert "导出Excel" in content
