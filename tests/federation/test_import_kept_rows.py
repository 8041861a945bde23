"""The cleaned rows kept beside an upload (re-planned at the commit) come back exactly as they were
validated: clean rows, rows with cell errors, rows in conflict, whatever their fields."""

import datetime as dt
import pickle

import pytest

from federation.imports import engine, kept_rows
from federation.imports.batches import batch_create
from members.imports.roster import MemberRosterSpec
from tests.support.roster_workbooks import person, write_roster

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")


def test_kept_rows_come_back_as_they_were_validated_whatever_their_state(tmp_path, union_a, cadre_a):
    rows = [person(n) for n in range(1, 7)]
    rows[1]["身份证号"] = "110105199003070000"  # a wrong check digit: a cell error
    rows[4] = person(3, 姓名="别人")  # the same ID twice with other values: a conflict on both
    rows[5]["工作岗位"] = ""  # a blank cell
    path = write_roster(tmp_path / "r.xlsx", rows)
    with open(path, "rb") as handle:
        batch = batch_create(kind="members", file=handle, file_name="r.xlsx", by=cadre_a, union=union_a)
    outcome = engine.read_stored_file(MemberRosterSpec(user=cadre_a, union=union_a), batch.file)

    kept_rows.keep(batch, outcome)
    kept = kept_rows.read(batch)

    assert kept.rows == outcome.rows
    assert [row.action for row in kept.rows] == ["", engine.REJECT, engine.REJECT, "", engine.REJECT, ""]
    assert kept.rows[1].errors and kept.rows[2].conflict
    assert kept.rows[0].values["joined_on"] == outcome.rows[0].values["joined_on"]
    assert isinstance(kept.rows[0].values["joined_on"], dt.date)


def test_no_rows_are_kept_as_no_rows():
    assert kept_rows.unpack(kept_rows.pack([])) == []


def test_kept_rows_carry_their_plan_and_rows_kept_without_one_come_back_unplanned():
    rows = [
        engine.RowResult(
            number=2, values={"name": "甲"}, action=engine.UPDATE, target=7, changed_fields=["name"]
        ),
        engine.RowResult(number=3, values={"name": "乙"}, action=engine.CREATE),
    ]
    assert kept_rows.unpack(kept_rows.pack(rows)) == rows

    # A batch checked before the plan was kept (an older version) is planned again at the commit.
    older = kept_rows.pack(rows)[:5]
    assert [(row.number, row.values, row.action, row.target) for row in kept_rows.unpack(older)] == [
        (2, {"name": "甲"}, "", None),
        (3, {"name": "乙"}, "", None),
    ]


def test_date_columns_come_back_as_dates_and_other_columns_as_they_were():
    rows = [
        engine.RowResult(
            number=2,
            values={
                "born": dt.date(1990, 3, 7),
                "left": dt.date(2020, 1, 1),
                "at": dt.datetime(2020, 1, 1, 8),
            },
            action=engine.CREATE,
        ),
        engine.RowResult(
            number=3,
            values={"born": dt.date(1991, 4, 8), "left": None, "at": dt.datetime(2021, 1, 1, 8)},
            action=engine.CREATE,
        ),
    ]
    packed = pickle.loads(pickle.dumps(kept_rows.pack(rows)))
    assert isinstance(packed[3][0], kept_rows.DateOrdinals)  # the dates, as ordinals
    back = kept_rows.unpack(packed)
    assert back == rows
    assert type(back[0].values["at"]) is dt.datetime

    # Rows kept before dates were kept as ordinals come back all the same.
    size, numbers, keys, columns, others, plans = packed
    older = (size, numbers, keys, [list(kept_rows._unpacked_column(c)) for c in columns], others, plans)
    assert kept_rows.unpack(older) == rows
