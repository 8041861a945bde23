"""Money as every page prints it — the staff lists, the 工作台 and the annual summary's text and tables
(reports.summary.figures takes it from here) —, so that the same sum reads the same everywhere.

The rules a federation secretary uses:

- **An amount on its own** (a figure on a page, an amount in a sentence): 万元 from ten thousand up,
  at most two decimals and no trailing zeros (「8.63万元」, 「1万元」); below that in 元, no trailing
  「.00」 either (「7,510元」, 「7,510.5元」, 「99.5元」). Thousands separators in both.
- **Amounts in one sentence share one unit** (`sentence_unit`): when the largest of them is in 万元,
  the others are given in 万元 too (「帮扶资金8.63万元，另发放实物折价0.75万元」), never 「8.63万元 …
  7,510元」 side by side; an amount that would read 「0万元」 (below 50 元) keeps its 元. When the
  largest is below ten thousand, all are in 元.
- **A table column** (`column_unit`, `money_cell`): the unit goes in the column header
  (「金额（万元）」) and the cells hold bare numbers with exactly two decimals, so that they line up —
  the column is in 万元 when its largest amount (the total) reaches ten thousand, else in 元.

It lives here, in the lowest layer, because the lists of the layers below reports (the aid list's
totals) print money too and may not import reports (tests/test_layers.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

WAN = "万元"
YUAN = "元"
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")


def _trimmed(value: Decimal) -> str:
    """Two decimals at most, thousands separators, no trailing zeros: 7,510 / 7,510.5 / 8.63."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}".rstrip("0").rstrip(".")


def _in_wan(amount: Decimal) -> Decimal:
    return (amount / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def money_parts(amount, unit: str | None = None) -> tuple[str, str]:
    """(number, unit) of an amount in 元 as prose and figures print it (the module's rules).

    `unit` forces 万元 or 元 (the unit `sentence_unit` chose for a sentence); an amount too small to
    read in 万元 (it would round to 0) stays in 元 all the same."""
    amount = Decimal(amount or 0)
    if unit is None:
        unit = WAN if abs(amount) >= TEN_THOUSAND else YUAN
    if unit == WAN and (_in_wan(amount) != 0 or amount == 0):
        return _trimmed(_in_wan(amount)), WAN
    return _trimmed(amount), YUAN


def sentence_unit(amounts: Iterable) -> str:
    """The one unit of the amounts printed in one sentence: 万元 when the largest reaches ten thousand."""
    largest = max((abs(Decimal(a or 0)) for a in amounts), default=Decimal(0))
    return WAN if largest >= TEN_THOUSAND else YUAN


def column_unit(amounts: Iterable) -> str:
    """The unit of a table column of amounts (its header says it): as for a sentence."""
    return sentence_unit(amounts)


def money_cell(amount, unit: str) -> str:
    """A bare number for a table cell of a column in `unit`: two decimals, thousands separators."""
    amount = Decimal(amount or 0)
    value = _in_wan(amount) if unit == WAN else amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"
