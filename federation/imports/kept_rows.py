"""The cleaned and planned rows of a checked import, kept beside its file, so that the commit neither
reads and cleans the workbook again nor plans every row again: it writes the plan the preview showed,
after planning again only the rows whose plan may have changed since (ImportSpec.rows_to_recheck).

Pickled a chunk at a time, column by column (`pack`), and signed with the secret key: only what this
application wrote is ever unpickled. Rows that fail their signature are not read; the commit reads the
file again instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import tempfile

from django.core.files import File
from django.utils.crypto import constant_time_compare, salted_hmac

from federation.imports import engine
from federation.imports.reader import iter_chunks
from federation.models import ImportBatch
from federation.uploads.storage import save_exactly

log = logging.getLogger(__name__)
ROWS_SALT = "federation.imports.kept-rows"


def name_of(batch: ImportBatch) -> str:
    """The kept rows' name in the batch file's storage: the file's name and `.rows`, so that the
    orphan clean-up (federation.uploads.orphans) knows whose they are."""
    return f"{batch.file.name}.rows"


def pack(rows: list[engine.RowResult]) -> tuple:
    """A chunk of rows for pickling, column by column: the rows that are only cleaned values and
    their plan (all of a file that may be committed) as their numbers, actions, targets, changed
    fields and one list per field, which pickles several times faster and smaller than the row
    objects; any other row (an error, a conflict) as it is."""
    keys = next((tuple(row.values) for row in rows if not row.errors and not row.conflict), ())
    plain, others = [], []
    for position, row in enumerate(rows):
        if row.errors or row.conflict or tuple(row.values) != keys:
            others.append((position, row))
        else:
            plain.append(row)
    columns = [_packed_column([row.values[key] for row in plain]) for key in keys]
    plans = (
        [row.action for row in plain],
        [row.target for row in plain],
        [row.changed_fields for row in plain],
    )
    return len(rows), [row.number for row in plain], keys, columns, others, plans


class DateOrdinals(list):
    """A column of dates kept as their ordinals: pickle writes a date through its __reduce__, ten
    times slower than an int (two date columns were half of keeping a 100 000-row roster)."""


def _packed_column(values: list) -> list:
    if values and all(type(value) is dt.date for value in values):
        return DateOrdinals(map(dt.date.toordinal, values))
    return values


def _unpacked_column(values: list) -> list:
    return list(map(dt.date.fromordinal, values)) if type(values) is DateOrdinals else values


def unpack(packed: tuple) -> list[engine.RowResult]:
    size, numbers, keys, columns, others, *plans = packed
    columns = [_unpacked_column(column) for column in columns]
    # Rows kept before their plan was (a batch checked by an older version): planned at the commit.
    actions, targets, changed = (
        plans[0] if plans else ([""] * len(numbers), [None] * len(numbers), [[] for _n in numbers])
    )
    make = engine.RowResult
    plain = [
        # Positionally (number, values, errors, action, target, conflict, changed_fields): a
        # keyword call costs a tenth of reading 100 000 rows back.
        make(number, dict(zip(keys, values, strict=True)), [], action, target, "", changed_fields)
        for number, values, action, target, changed_fields in zip(
            numbers,
            zip(*columns, strict=True) if keys else [()] * len(numbers),
            actions,
            targets,
            changed,
            strict=True,
        )
    ]
    if not others:
        return plain
    placed = dict(others)
    remaining = iter(plain)
    return [placed[position] if position in placed else next(remaining) for position in range(size)]


def keep(batch: ImportBatch, outcome: engine.ImportOutcome) -> None:
    """Write the outcome of the check and its rows beside the batch's file, signed."""
    rows, outcome.rows = outcome.rows, []
    try:
        parts = [pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)]
        parts += [
            pickle.dumps(pack(chunk), protocol=pickle.HIGHEST_PROTOCOL) for chunk in iter_chunks(rows, 5000)
        ]
    finally:
        outcome.rows = rows
    signer = salted_hmac(ROWS_SALT, b"", algorithm="sha256")
    with tempfile.TemporaryFile() as handle:
        for part in parts:
            framed = len(part).to_bytes(8, "big") + part
            signer.update(framed)
            handle.write(framed)
        handle.write(signer.digest())
        handle.seek(0)
        save_exactly(batch.file.storage, name_of(batch), File(handle))


def read(batch: ImportBatch) -> engine.ImportOutcome | None:
    """The outcome kept by `keep`, or None when there is none or it fails its signature."""
    storage, name = batch.file.storage, name_of(batch)
    if not batch.file or not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        blob = memoryview(handle.read())
    body, signature = blob[:-32], bytes(blob[-32:])
    signer = salted_hmac(ROWS_SALT, b"", algorithm="sha256")
    signer.update(body)
    if not constant_time_compare(signature, signer.digest()):
        log.warning("import %s: the kept rows fail their signature; reading the file again", batch.pk)
        return None
    outcome, offset = None, 0
    rows: list[engine.RowResult] = []
    while offset < len(body):
        size = int.from_bytes(body[offset : offset + 8], "big")
        # Signed above with the secret key: only rows this application wrote are unpickled.
        part = pickle.loads(body[offset + 8 : offset + 8 + size])
        offset += 8 + size
        if outcome is None:
            outcome = part
        else:
            rows += unpack(part)
    outcome.rows = rows
    return outcome


def discard(batch: ImportBatch) -> None:
    batch.file.storage.delete(name_of(batch))
