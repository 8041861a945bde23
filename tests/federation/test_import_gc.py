"""An import pauses Python's cycle collector while it holds its rows (a 100 000-row roster spent
0.6 s of CPU in it), and never leaves it paused: after a check, a commit, or a failure of either."""

import gc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from federation.imports import batches, engine
from federation.models import ImportBatch
from members.imports.roster import MemberRosterSpec
from members.models import Member
from tests.support.roster_workbooks import person, write_roster


@pytest.fixture
def collector_seen(monkeypatch):
    """Whether the cycle collector was on each time the roster spec planned a batch of rows."""
    seen = []
    plan_batch = MemberRosterSpec.plan_batch

    def plan_and_look(self, rows):
        seen.append(gc.isenabled())
        return plan_batch(self, rows)

    monkeypatch.setattr(MemberRosterSpec, "plan_batch", plan_and_look)
    return seen


def _batch(tmp_path, union, user, rows) -> ImportBatch:
    path = write_roster(tmp_path / "roster.xlsx", rows)
    with open(path, "rb") as handle:
        return batches.batch_create(kind="members", file=handle, file_name=path.name, by=user, union=union)


def test_the_check_and_the_commit_run_with_the_collector_paused_and_turn_it_on_again(
    tmp_path, union_a, cadre_a, collector_seen
):
    batch = _batch(tmp_path, union_a, cadre_a, [person(1), person(2)])
    batches.batch_validate(batch)
    assert gc.isenabled()
    batches.batch_commit(batch=batch, by=cadre_a)
    assert gc.isenabled()
    assert collector_seen and not any(collector_seen)
    assert Member.objects.filter(union=union_a).count() == 2


def test_a_commit_that_fails_turns_the_collector_on_again(tmp_path, union_a, cadre_a, cadre_b):
    batch = _batch(tmp_path, union_a, cadre_a, [person(1)])
    batches.batch_validate(batch)
    with pytest.raises(PermissionDenied):  # cadre_b may not import into union_a
        batches.batch_commit(batch=batch, by=cadre_b)
    assert gc.isenabled()


def test_a_pause_that_finds_the_collector_off_leaves_it_off():
    gc.disable()
    try:
        with engine.cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failure_inside_the_pause_turns_the_collector_on_again():
    with pytest.raises(ValidationError), engine.cyclic_gc_paused():
        raise ValidationError("x")
    assert gc.isenabled()
