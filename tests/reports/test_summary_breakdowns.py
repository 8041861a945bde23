"""Every 「其中」 of the generated summary that splits a total is a Composition whose parts add up to
its total — checked on the objects the sentences are built from (nothing parsed), over demo ledgers
of tier S with several seeds and, on PostgreSQL (where it builds in about a minute and a half; on
SQLite it would take many), tier M — and the one function that makes them, on its own."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from federation.models import Federation
from reports.summary.document import build_summary
from reports.summary.figures import Share, composition, count_text, para

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


# --- The function --------------------------------------------------------------------------------


def _shares(values):
    return [Share(f"类{i}", v, (f"类{i}", count_text(v), "个")) for i, v in enumerate(values)]


@given(st.lists(st.integers(min_value=0, max_value=500), max_size=12), st.integers(0, 300))
def test_a_composition_adds_up_to_its_total_whatever_its_parts(values, extra):
    total = sum(values) + extra

    split = composition("x", total, _shares(values), unit="个")

    assert split.adds_up
    assert [s.value for s in split.shares] == [v for v in values if v]
    assert split.rest == extra


@given(st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=12), st.integers(1, 6))
def test_a_limited_composition_folds_the_others_into_the_rest(values, limit):
    split = composition("x", sum(values), _shares(values), unit="个", limit=limit)

    assert split.adds_up
    assert len(split.shares) == min(limit, len(values))
    assert split.etc == (len(values) > limit)


def test_every_part_is_named_and_the_rest_given_as_other():
    whole = para("减少会员56人（其中", composition("m", 56, _shares([24, 25, 2, 5]), unit="人"), "）")
    partial = para("其中", composition("a", 17, _shares([5, 4, 3, 2]), unit="场", limit=2), "。")
    unexplained = para("其中", composition("c", 10, _shares([6, 0]), unit="份"), "。")

    assert whole.text == "减少会员56人（其中类024个、类125个、类22个、类35个）"
    assert partial.text == "其中类05个、类14个等，其他8场。"
    assert unexplained.text == "其中类06个、其他4份。"
    made = whole.compositions + partial.compositions + unexplained.compositions
    assert [c.total for c in made] == [56, 17, 10]


def test_parts_beyond_the_total_leave_the_split_out_of_the_sentence(caplog):
    split = composition("x", 5, _shares([3, 3]), unit="个")

    assert split.shares == [] and not split.adds_up  # callers print no 「其中」 without shares
    assert para("共5个", ["，其中", split] if split.shares else [], "。").text == "共5个。"
    assert "exceed its total" in caplog.text


def test_money_parts_add_up_and_the_rest_reads_in_the_sentences_unit():
    shares = [Share("a", Decimal("12000.00"), ("甲", "1.2", "万元"))]
    split = composition("aid", Decimal("20000.00"), shares, unit="万元")

    assert split.adds_up and split.rest == Decimal("8000.00")
    assert para(split).text == "甲1.2万元、其他0.8万元"


# --- The demo ledgers ------------------------------------------------------------------------------


LEDGERS = [("s", 1), ("s", 2), ("s", 3)] + ([("m", 1)] if connection.vendor == "postgresql" else [])


@pytest.fixture(scope="module", params=LEDGERS, ids=lambda ledger: f"tier-{ledger[0]}-seed-{ledger[1]}")
def demo(request, django_db_setup, django_db_blocker):
    """A demo ledger built once per tier and seed; rolled back when its tests are done."""
    scale, seed = request.param
    with django_db_blocker.unblock(), transaction.atomic():
        with FAST_HASHER:
            call_command("demo_data", "--scale", scale, "--seed", str(seed), stdout=io.StringIO())
        yield request.param
        transaction.set_rollback(True)


def _paragraphs(document):
    yield from document.opening
    for section in document.sections:
        yield from section.generated


@pytest.mark.parametrize("year", [2024, 2025])
def test_every_breakdown_of_the_demo_summary_adds_up_to_its_total(demo, db, year):
    root = Federation.objects.get(parent__isnull=True)
    checked = {}
    for federation in [root, *Federation.objects.filter(parent=root).order_by("pk")[:2]]:
        checked[federation.pk] = _check_breakdowns(build_summary(federation, year))

    assert {"members_left", "activities", "aid_count", "aid_amount", "cases_open"} <= checked[root.pk]


def _check_breakdowns(document):
    current = document.catalogue.current
    splits = [c for p in _paragraphs(document) for c in p.compositions]
    for split in splits:
        assert split.adds_up, (split.key, split.total, [(s.label, s.value) for s in split.shares], split.rest)
        if split.key in current:  # the total is the figure of the catalogue the sentence prints
            assert split.total == current[split.key], split.key
    for split in splits:
        if split.key in ("members_left", "activities"):
            assert split.rest == 0  # every kind is named (转出 too): none is left out of the sentence
    return {split.key for split in splits}
