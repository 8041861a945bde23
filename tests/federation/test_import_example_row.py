"""The template's example row (张三, 110105199003070017 …) is nobody's record: left in place, it is
skipped with a notice in the preview, for every template that has one (issue 12, finding 7)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from federation.imports import engine, registry
from federation.imports.reader import ImportFileError
from federation.imports.template import build_template
from federation.models import ImportBatch
from members.imports.roster import MemberRosterSpec
from members.models import Member
from tests.support.roster_workbooks import person

EXAMPLE_ID = "110105199003070017"


def template_with_rows(tmp_path, kind: str, rows: list[dict]):
    """The downloaded template of `kind`, example row untouched, with `rows` ({header: value}) below it."""
    workbook = load_workbook(BytesIO(build_template(registry.spec_class(kind))))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for offset, row in enumerate(rows, start=3):
        for index, header in enumerate(headers, start=1):
            if header in row:
                sheet.cell(row=offset, column=index, value=row[header])
    path = tmp_path / f"{kind}.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("kind", registry.kinds())
def test_a_template_holding_only_its_example_row_imports_nothing_and_says_why(
    tmp_path, kind, union_a, cadre_a
):
    spec = registry.spec_class(kind)(user=cadre_a, union=union_a, federation=union_a.federation, year=2025)

    with pytest.raises(ImportFileError, match="只有模板的示例行"):
        engine.read_file(spec, template_with_rows(tmp_path, kind, []))


def test_the_roster_templates_example_row_is_skipped_with_a_notice(tmp_path, union_a, cadre_a):
    path = template_with_rows(tmp_path, "members", [person(1)])

    outcome = engine.validate_file(MemberRosterSpec(user=cadre_a, union=union_a), path)

    assert [row.values["name"] for row in outcome.rows] == ["职工1"]
    assert outcome.counts[engine.CREATE] == 1
    assert any("已忽略模板示例行（第2行）" in notice for notice in outcome.notices)


def test_a_real_person_who_differs_from_the_example_in_one_cell_is_imported(tmp_path, union_a, cadre_a):
    workbook_path = template_with_rows(tmp_path, "members", [person(1)])
    workbook = load_workbook(workbook_path)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("姓名") + 1, value="张三丰")
    workbook.save(workbook_path)

    outcome = engine.validate_file(MemberRosterSpec(user=cadre_a, union=union_a), workbook_path)

    assert sorted(row.values["name"] for row in outcome.rows) == ["张三丰", "职工1"]
    assert not any("示例行" in notice for notice in outcome.notices)


def test_the_preview_shows_the_notice_and_the_import_leaves_the_example_out(
    client, tmp_path, union_a, cadre_a
):
    client.force_login(cadre_a)
    path = template_with_rows(tmp_path, "members", [person(1)])
    upload = SimpleUploadedFile(path.name, path.read_bytes())

    response = client.post(reverse("imports:start"), {"kind": "members", "file": upload})
    preview = client.get(response["Location"])

    assert "已忽略模板示例行" in preview.text
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert list(Member.objects.values_list("name", flat=True)) == ["职工1"]
    assert not Member.objects.filter(id_number=EXAMPLE_ID).exists()
