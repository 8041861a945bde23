"""Every union's own summary on demo tier S (issue 15, "Done when"): for every union active at the end of
2025 (and, for a few, its first half), the summary renders as HTML, Word, Excel and PDF (WeasyPrint: about
a minute and a half for the 49 unions), its figures equal the union's row of the federation's
per-union table (reports.indicators.union_rows), and every 「其中」 adds up to its total."""

import io
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from federation.models import Federation
from federation.scope import Scope
from reports.indicators import records as r
from reports.indicators import union_rows
from reports.indicators.union import compute_union_catalogue
from reports.summary.document import build_summary
from reports.summary.docx import render_summary_docx
from reports.summary.periods import period_for
from reports.summary.render import render_summary_html, render_summary_pdf
from reports.summary.xlsx import render_summary_xlsx
from tests.reports.test_summary_breakdowns import _check_breakdowns
from unions.models import GrassrootsUnion

Y = 2025
HALF_YEAR_SAMPLE = 5  # unions whose first-half summary is rendered too

# The union's row of the per-union table → the figure of the union's own catalogue it must equal.
SAME_FIGURES = {
    "employees": "employees",
    "women_employees": "women_employees",
    "migrant_employees": "migrant_employees",
    "members": "members",
    "women_members": "women_members",
    "migrant_members": "migrant_members",
    "new_members": "new_members",
    "open_cases": "cases_open",
    "aid_amount": "aid_amount",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Tier S, seed 1, built once for the module; rolled back when its tests are done."""
    hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with hasher:
            call_command("demo_data", "--scale", "s", "--seed", "1", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _root() -> Federation:
    return Federation.objects.get(parent__isnull=True)


def _unions(kind: str = "year") -> list[GrassrootsUnion]:
    """The unions active at the period's end, in the per-union table's order."""
    pks = [row["pk"] for row in union_rows(_root(), Y, kind)]
    by_pk = GrassrootsUnion.objects.in_bulk(pks)
    return [by_pk[pk] for pk in pks]


def _sample(unions: list, n: int) -> list:
    """n unions spread evenly over the list: the same ones on every run."""
    step = max(1, len(unions) // n)
    return unions[::step][:n]


def _renders(document, union, kind="year"):
    html = render_summary_html(document)
    assert document.title in html and union.name in html
    assert union.name in render_summary_html(document, links=True)  # the page's, with drill-down links
    docx = render_summary_docx(document)
    assert zipfile.is_zipfile(io.BytesIO(docx)), union.name
    xlsx = render_summary_xlsx(union, Y, kind=kind, catalogue=document.catalogue)
    assert xlsx[:2] == b"PK", union.name


def test_the_table_has_every_union_active_at_the_years_end(demo, db):
    unions = _unions()
    assert len(unions) >= 10
    active = r.unions_active_at_end(Scope(_root()), period_for(Y, "year"))
    assert {union.pk for union in unions} == set(active.values_list("pk", flat=True))


def test_every_unions_summary_renders_and_every_split_adds_up(demo, db):
    started, checked, wrong = time.perf_counter(), set(), []
    rows = {row["pk"]: row for row in union_rows(_root(), Y)}
    unions = _unions()
    for union in unions:
        document = build_summary(union, Y)
        assert document.title == f"{union.name}{Y}年工作总结"
        wrong += _differences(union, rows[union.pk], document.catalogue.current)
        checked |= _check_breakdowns(document)
        _renders(document, union)
    for union in _sample(unions, HALF_YEAR_SAMPLE):
        document = build_summary(union, Y, kind="h1")
        assert document.title == f"{union.name}{Y}年上半年工作总结"
        checked |= _check_breakdowns(document)
        _renders(document, union, "h1")
    assert not wrong, "\n".join(map(str, wrong))  # the document's figures are the table's
    # The splits the unions' summaries make were there to check.
    assert {"members_left", "aid_amount"} <= checked, checked
    print(f"{len(unions)} unions: HTML, DOCX, XLSX in {time.perf_counter() - started:.1f} s")


def test_every_unions_summary_prints(demo, db):
    started = time.perf_counter()
    unions = _unions()
    for union in unions:
        assert render_summary_pdf(build_summary(union, Y))[:5] == b"%PDF-", union.name
    print(f"{len(unions)} PDFs in {time.perf_counter() - started:.1f} s")


def _differences(union, row: dict, current: dict) -> list[tuple]:
    """Where the union's figures differ from its row of the per-union table: (union, column, the
    row's value, catalogue key, the catalogue's value)."""
    wrong = [
        (union.name, column, row[column], key, current[key])
        for column, key in SAME_FIGURES.items()
        if row[column] != current[key]
    ]
    # 覆盖职工 for one union: its employees when a contract in force covers it (row["covered"]), else 0.
    if current["covered_employees"] != (current["employees"] if row["covered"] else 0):
        wrong.append(
            (union.name, "covered", row["covered"], "covered_employees", current["covered_employees"])
        )
    return wrong


@pytest.mark.parametrize("kind", ["year", "h1"])
def test_every_unions_figures_equal_its_row_of_the_per_union_table(demo, db, kind):
    rows = union_rows(_root(), Y, kind)
    unions = GrassrootsUnion.objects.in_bulk([row["pk"] for row in rows])
    wrong = [
        difference
        for row in rows
        for difference in _differences(
            unions[row["pk"]], row, compute_union_catalogue(unions[row["pk"]], Y, kind).current
        )
    ]
    assert not wrong, "\n".join(map(str, wrong))
    # The comparison had something to compare: every column is somewhere more than zero.
    for column in [*SAME_FIGURES, "covered"]:
        assert any(row[column] for row in rows), column
    assert not all(row["covered"] for row in rows)
