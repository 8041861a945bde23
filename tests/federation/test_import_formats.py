"""Every spreadsheet an office saves imports like the .xlsx (issue 14): each kind's downloaded template,
filled in and saved by LibreOffice as .xls (Excel 97-2003, what WPS and old templates produce) and as
.ods, goes through the import page — upload, preview, confirm — and through its import command,
with the same preview (the template's example row skipped, the same counts) and the same records.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from federation.identifiers import make_credit_code
from federation.imports import registry
from federation.imports.template import build_template
from federation.models import ImportBatch
from members.models import AidRecord, Member
from tests.support.factories import MemberFactory, UnionFactory
from tests.support.import_sheets import import_files_in_tmp  # noqa: F401 — autouse
from tests.support.office_formats import FORMATS, convert_all
from tests.support.roster_workbooks import person
from unions.models import GrassrootsUnion, UnionYear

YEAR = 2025
NEW_UNION_CODE = make_credit_code("9", "1", "320102", "00000001Y")
KNOWN_UNION_CODE = make_credit_code("9", "1", "320102", "00000002Y")
AID_ID = person(7)["身份证号"]

# One real row per kind ({header: value}), written below the template's example row.
ROWS = {
    ImportBatch.Kind.MEMBERS: person(1),
    ImportBatch.Kind.UNIONS: {
        "工会名称": "导入一公司工会委员会",
        "单位名称": "导入一公司",
        "统一社会信用代码": NEW_UNION_CODE,
        "基层工会类型": "独立基层工会",
        "单位性质": "私营",
        "建会日期": "2016-04-01",
        "职工人数": 100,
        "女职工人数": 40,
    },
    ImportBatch.Kind.UNION_YEARS: {
        "工会名称": "已有公司工会委员会",
        "统一社会信用代码": KNOWN_UNION_CODE,
        "年度": YEAR,
        "职工人数": 120,
        "女职工人数": 50,
        "农民工人数": 10,
    },
    ImportBatch.Kind.AID: {
        "身份证号": AID_ID,
        "姓名": "赵一",
        "帮扶类型": "节日慰问(送温暖)",
        "金额": 500,
        "发放日期": "2025-01-20",
        "资金来源": "上级工会",
    },
}
# The import command of each kind that has one (the yearly figures are imported on the page only).
COMMANDS = {
    ImportBatch.Kind.MEMBERS: "import_members",
    ImportBatch.Kind.UNIONS: "import_unions",
    ImportBatch.Kind.AID: "import_aid",
}


def filled_template(kind: str) -> bytes:
    """The template of `kind` as downloaded, its example row left in place, with the kind's row."""
    workbook = load_workbook(BytesIO(build_template(registry.spec_class(kind))))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = ROWS[kind]
    assert set(row) <= set(headers), set(row) - set(headers)
    for index, header in enumerate(headers, start=1):
        if header in row:
            sheet.cell(row=3, column=index, value=row[header])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def saved_by_office(tmp_path_factory):
    """{(kind, "xls"|"ods"): bytes}: every kind's filled template as LibreOffice saves it."""
    return convert_all({kind: filled_template(kind) for kind in ROWS}, tmp_path_factory.mktemp("formats"))


@pytest.fixture
def scene(township, township_staff, union_a, cadre_a):
    """Who imports each kind where, and the records the rows refer to."""
    UnionFactory(federation=township, name="已有公司工会委员会", credit_code=KNOWN_UNION_CODE)
    MemberFactory(union=union_a, name="赵一", id_number=AID_ID)
    federation_scope = {"by": township_staff, "form": {"federation": township.pk, "year": YEAR}}
    return {
        ImportBatch.Kind.MEMBERS: {
            "by": cadre_a,
            "form": {},
            "command": ["--union", union_a.name, "--user", cadre_a.username],
        },
        ImportBatch.Kind.UNIONS: {
            **federation_scope,
            "command": [
                "--federation",
                township.name,
                "--year",
                str(YEAR),
                "--user",
                township_staff.username,
            ],
        },
        ImportBatch.Kind.UNION_YEARS: federation_scope,
        ImportBatch.Kind.AID: {
            **federation_scope,
            "command": ["--federation", township.name, "--user", township_staff.username],
        },
    }


def imported(kind: str, union_a) -> bool:
    """The kind's row is on file."""
    if kind == ImportBatch.Kind.MEMBERS:
        return Member.objects.filter(union=union_a, id_number=person(1)["身份证号"]).exists()
    if kind == ImportBatch.Kind.UNIONS:
        return GrassrootsUnion.objects.filter(
            credit_code=NEW_UNION_CODE, name="导入一公司工会委员会"
        ).exists()
    if kind == ImportBatch.Kind.UNION_YEARS:
        return UnionYear.objects.filter(
            union__credit_code=KNOWN_UNION_CODE, year=YEAR, employees=120
        ).exists()
    return AidRecord.objects.filter(member__id_number=AID_ID, amount=500).exists()


def test_every_kind_of_import_has_a_row_here():
    assert set(ROWS) == set(registry.kinds())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(ROWS))
def test_a_template_saved_as_xls_or_ods_goes_through_upload_preview_and_confirm(
    client, saved_by_office, scene, union_a, kind, fmt
):
    who = scene[kind]
    client.force_login(who["by"])
    upload = SimpleUploadedFile(f"模板.{fmt}", saved_by_office[(kind, fmt)])

    response = client.post(reverse("imports:start"), {"kind": kind, "file": upload, **who["form"]})

    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY, (batch.message, batch.report.get("problems"))
    assert batch.rows_created + batch.rows_updated == 1
    preview = client.get(response["Location"])
    assert "确认导入" in preview.text
    assert "已忽略模板示例行（第2行）" in preview.text
    assert not imported(kind, union_a)

    client.post(reverse("imports:confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED, batch.message
    assert imported(kind, union_a)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(COMMANDS))
def test_a_template_saved_as_xls_or_ods_goes_through_the_import_command(
    tmp_path, capsys, saved_by_office, scene, union_a, kind, fmt
):
    path = Path(tmp_path / f"模板.{fmt}")
    path.write_bytes(saved_by_office[(kind, fmt)])

    call_command(COMMANDS[kind], str(path), *scene[kind]["command"], "--dry-run")
    assert not imported(kind, union_a)
    call_command(COMMANDS[kind], str(path), *scene[kind]["command"])

    out = capsys.readouterr().out
    assert "已忽略模板示例行" in out and "导入完成" in out
    assert imported(kind, union_a)


def test_the_upload_field_offers_the_three_formats(client, cadre_a):
    client.force_login(cadre_a)
    page = client.get(reverse("imports:start"))
    assert 'accept=".xlsx,.xls,.ods"' in page.text
    assert ".xlsx、.xls 或 .ods" in page.text
