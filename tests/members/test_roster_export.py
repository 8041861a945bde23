"""A full-roster export in the roster template's columns imports back unchanged: exported, imported
into the same union, its preview says nothing changes — every field of every member survives."""

import datetime as dt
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from federation.imports import batches
from federation.imports.template import build_template
from members import services
from members.choices import ChangeType, Education, HukouType, PoliticalStatus, SkillGrade
from members.imports.roster import MemberRosterSpec
from tests.support.factories import MemberFactory


@pytest.fixture
def permitted_cadre(cadre_a):
    cadre_a.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    return cadre_a


@pytest.fixture
def members(union_a, township_staff):
    varied = MemberFactory(
        union=union_a,
        name="=钱多多",  # a name that looks like a formula stays text both ways
        ethnicity="05",
        education=Education.MASTER,
        political_status=PoliticalStatus.CPC_MEMBER,
        employment_status="retired",
        mobile="13800138000",
        hukou_type=HukouType.AGRICULTURAL,
        hukou_place="河北省保定市",
        is_migrant_worker=True,
        member_number="007",  # leading zeros kept
        job="焊工",
        is_cadre=True,
        skill_grade=SkillGrade.LEVEL_3,
        joined_on=dt.date(2015, 3, 9),
    )
    plain = MemberFactory(union=union_a, name="孙平")
    reserved = MemberFactory(union=union_a, name="周保留")
    services.member_status_change(
        member=reserved, change_type=ChangeType.RESERVE, changed_on=dt.date(2024, 5, 1), by=township_staff
    )
    left = MemberFactory(union=union_a, name="吴离会")
    services.member_status_change(
        member=left, change_type=ChangeType.DEATH, changed_on=dt.date(2024, 5, 1), by=township_staff
    )
    return [varied, plain, reserved]


def _export(client, union):
    response = client.get(reverse("members:list"), {"union": union.pk, "format": "xlsx", "layout": "roster"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_roster_export_has_the_templates_columns_and_the_live_members(
    client, permitted_cadre, members, union_a
):
    client.force_login(permitted_cadre)
    sheet = load_workbook(BytesIO(_export(client, union_a))).active
    template = load_workbook(BytesIO(build_template(MemberRosterSpec))).active
    assert [c.value for c in sheet[1]] == [c.value for c in template[1]]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(names) == sorted(m.name for m in members)  # not the member who died
    id_cell = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "孙平")[4]
    assert id_cell.data_type == "s" and id_cell.value == members[1].id_number


def test_the_exported_roster_imports_back_with_nothing_to_change(
    client, tmp_path, permitted_cadre, members, union_a
):
    client.force_login(permitted_cadre)
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(_export(client, union_a))
    with open(path, "rb") as handle:
        batch = batches.batch_create(
            kind="members", file=handle, file_name=path.name, by=permitted_cadre, union=union_a
        )
    batches.batch_validate(batch)
    batch.refresh_from_db()

    assert batch.report.get("problems") == []
    assert batch.report.get("notices") == []
    assert (batch.rows_total, batch.rows_unchanged) == (3, 3)
    assert (batch.rows_created, batch.rows_updated, batch.rows_rejected) == (0, 0, 0)


def test_without_the_permission_to_see_full_numbers_there_is_no_roster_export(client, cadre_a, members):
    client.force_login(cadre_a)
    assert "layout=roster" not in client.get(reverse("members:list")).content.decode()
    response = client.get(reverse("members:list"), {"format": "xlsx", "layout": "roster"})
    assert response.status_code == 403


def test_the_member_list_offers_the_roster_export_with_its_search(client, permitted_cadre, members):
    client.force_login(permitted_cadre)
    content = client.get(reverse("members:list"), {"q": "孙"}).content.decode()
    assert "q=%E5%AD%99&amp;format=xlsx&amp;layout=roster" in content
