"""The statistical return of a demo ledger (tier S, reports.demo through `demo_data`) passes its own
logic checks, and its workbook says so."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from openpyxl import load_workbook

from federation.models import Federation
from reports.statistics import build_return
from reports.statistics.checks import ERROR
from reports.statistics.workbook import render_return_xlsx
from unions.models import UnionYear

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Tier S, seed 1, built once; rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        with FAST_HASHER:
            call_command("demo_data", "--scale", "s", "--seed", "1", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def root(demo, db):
    return Federation.objects.get(parent__isnull=True)


def test_demo_fills_the_survey_inputs_within_their_rules(root):
    years = UnionYear.objects.filter(year=2025)
    assert years.filter(funds_remitted__isnull=False).count() == years.count()
    assert years.filter(congress_delegates__isnull=False).exists()
    assert years.filter(has_board=True).exists()
    for year in years:
        assert not year.survey_errors(), year


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_demo_return_passes_its_own_logic_checks(root, year):
    statistical_return = build_return(root, year)

    assert statistical_return.figures.total.get("unions") > 40
    assert statistical_return.figures.total.get("members") > 1500
    assert [p for p in statistical_return.problems if p.severity == ERROR] == []
    book = load_workbook(io.BytesIO(render_return_xlsx(statistical_return)))
    title = book["逻辑检查"]["A1"].value
    assert title.startswith("逻辑检查：错误0条") or title == "逻辑检查：全部通过"
    summary = {
        row[0].strip("\u3000"): row for row in book["调查表汇总"].iter_rows(min_row=5, values_only=True)
    }
    assert summary["职代会职工代表人数"][3] > 0 and summary["工会经费拨缴"][3] > 0
