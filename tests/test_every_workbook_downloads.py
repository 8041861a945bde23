"""Every workbook downloads for every role (issue 12, finding 1: 下载模板 of 帮扶/慰问发放名单 was an HTTP
500 for everyone — `Invalid character / found in sheet title`). Every import template, every list
export in both formats, the year sheet and the summary workbook are fetched through their pages by
each role and open as workbooks; and every sheet the code names goes through the one sanitiser,
federation.exports.cells.sheet_title."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from federation.exports import registry as exports
from federation.exports.cells import SHEET_TITLE_LIMIT, sheet_title
from federation.imports import registry as imports
from federation.models import ImportBatch
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionYearFactory,
)
from tests.support.jobs import job_download

ROLES = ["admin_user", "county_staff", "county_chair", "township_staff", "cadre_a", "outside_staff"]
# Each list export (by its registry key) and the list page that writes it.
LIST_EXPORTS = {
    "federations": "federations:list",
    "unions": "unions:list",
    "contracts": "unions:contract-list",
    "activities": "activities:list",
    "members": "members:list",
    "hardship-cases": "hardship:list",
    "aid-records": "hardship:aid-list",
}
# Lists a union cadre has no page of (a federation's business).
NOT_A_CADRES = {"federations"}
# Lists short enough to be written in the request always (StaffList.background off).
NEVER_A_JOB = {"federations"}
REFUSED_IN_A_SHEET_TITLE = re.compile(r"[\\*?:/\[\]]")
YEAR = 2025


@pytest.fixture
def world(union_a, union_b, outside_union):
    """A record of every exported kind on both sides of the tenant line."""
    for union in (union_a, union_b, outside_union):
        member = MemberFactory(union=union)
        HardshipCaseFactory(member=member)
        AidRecordFactory(member=member, aid_on=dt.date(YEAR, 3, 1))
        ActivityFactory(union=union, starts_on=dt.date(YEAR, 5, 1))
        ContractFactory(union=union)
        UnionYearFactory(union=union, year=YEAR, employees=30)


def signed_in(client, request, role):
    client.force_login(request.getfixturevalue(role))
    return client


def workbook_of(data: bytes) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for name in book.sheetnames:
        assert not REFUSED_IN_A_SHEET_TITLE.search(name), name
        assert 0 < len(name) <= SHEET_TITLE_LIMIT, name
    return book


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# The summary's drill-down lists export too (reports.summary.drill_export), from their own pages.
DRILL_EXPORT = "reports.drill"


# The member list as a roster that imports back (full numbers: only with the permission to see them).
ROSTER_EXPORT = "members-roster"


def test_every_list_export_is_in_this_walk():
    assert set(exports.keys()) == set(LIST_EXPORTS) | {DRILL_EXPORT, ROSTER_EXPORT}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_allowed_the_full_numbers_downloads_the_roster_export(client, request, world, role):
    from federation import scoping

    user = request.getfixturevalue(role)
    response = signed_in(client, request, role).get(
        reverse("members:list"), {"format": "xlsx", "layout": "roster"}
    )
    if not scoping.can_see_full_identifiers(user):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    workbook_of(content(response))


def _drill_keys() -> list[str]:
    """The member stock and one drillable indicator of each other kind of record."""
    from reports.indicators import BY_KEY
    from reports.summary.drilldown import is_drillable

    keys, models = ["members"], set()
    for key, indicator in BY_KEY.items():
        if key == "members" or not is_drillable(indicator) or indicator.records is None:
            continue
        model = indicator.records.__annotations__.get("return", key)  # "QuerySet[AidRecord]"…
        if model not in models:
            models.add(model)
            keys.append(key)
    return keys


@pytest.mark.parametrize("role", [r for r in ROLES if r != "cadre_a"])
@pytest.mark.parametrize("key", _drill_keys())
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_every_federation_role_downloads_a_summary_drill_down(
    client, request, world, county, role, key, file_format
):
    user = request.getfixturevalue(role)
    federation = user.federation or county
    url = reverse("reports:drill", args=[federation.pk, YEAR, key])
    response = signed_in(client, request, role).get(url, {"format": file_format})
    assert response.status_code == 200
    data = content(response)
    if file_format == "xlsx":
        workbook_of(data)
    else:
        assert data.startswith("\ufeff".encode())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", [kind for kind, _label in ImportBatch.Kind.choices])
def test_every_role_downloads_every_import_template(client, request, role, kind):
    assert kind in imports.SPECS
    response = signed_in(client, request, role).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    book = workbook_of(response.content)
    assert book.sheetnames[0] == sheet_title(imports.spec_class(kind).title)


def test_the_aid_templates_sheet_is_named_without_the_slash_excel_refuses(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get(reverse("imports:template", args=[ImportBatch.Kind.AID]))
    assert workbook_of(response.content).sheetnames[0] == "帮扶、慰问发放名单"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", list(LIST_EXPORTS))
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_every_role_downloads_every_list_export(client, request, world, role, key, file_format):
    response = signed_in(client, request, role).get(reverse(LIST_EXPORTS[key]), {"format": file_format})
    if role == "cadre_a" and key in NOT_A_CADRES:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    data = content(response)
    if file_format == "xlsx":
        workbook_of(data)
    else:
        assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("key", [key for key in LIST_EXPORTS if key not in NEVER_A_JOB])
def test_a_list_export_too_long_for_the_page_downloads_from_its_job(
    client, county_staff, world, settings, key
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(county_staff)
    response = client.get(reverse(LIST_EXPORTS[key]), {"format": "xlsx"})
    workbook_of(job_download(client, response).content)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_that_fills_the_year_sheet_downloads_it(client, request, world, role):
    response = signed_in(client, request, role).get(reverse("unions:year-sheet"), {"year": YEAR})
    if role == "cadre_a":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    workbook_of(content(response))


@pytest.mark.parametrize("role", ["admin_user", "county_staff", "county_chair"])
def test_every_federation_role_downloads_the_summary_workbook(client, request, world, county, role):
    url = reverse("reports:summary-xlsx", args=[county.pk, YEAR])
    response = signed_in(client, request, role).get(url)
    workbook_of(job_download(client, response).content)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("帮扶/慰问发放名单", "帮扶、慰问发放名单"),
        ("a\\b*c?d:e[f]g", "a、b、c、d、e、f、g"),
        ("名" * 40, "名" * SHEET_TITLE_LIMIT),
        ("会员\x07名单", "会员名单"),
    ],
)
def test_a_sheet_title_is_one_excel_accepts(text, expected):
    assert sheet_title(text) == expected
    assert len(sheet_title(text, suffix="(12)")) <= SHEET_TITLE_LIMIT


def test_no_workbook_writer_names_a_sheet_but_through_sheet_title():
    """One sanitiser for every sheet's name: a new sheet named another way fails here."""
    root = Path(__file__).resolve().parent.parent
    naming = re.compile(r"create_sheet\(|add_worksheet\(|\.title\s*=[^=]|sheets\[\d+\]\[0\]\.name\s*=")
    # An exporter's own title (ListExporter.title) becomes sheet names only through the one writer,
    # which passes it through sheet_title (federation.exports.base).
    own_title = re.compile(r"^\s*self\.title\s*=")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for package in ("federation", "unions", "members", "reports")
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if naming.search(line)
        and "sheet_title(" not in line
        and "properties.title" not in line
        and not own_title.search(line)
    ]
    assert offenders == []
