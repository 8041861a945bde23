"""Money as every page prints it — the staff lists, the 工作台 and the annual summary
(reports.summary.figures takes it from here) —, so that the same sum reads the same everywhere.

It lives here, in the lowest layer, because the lists of the layers below reports (the aid list's
totals) print money too and may not import reports (tests/test_layers.py).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money_parts(amount) -> tuple[str, str]:
    """(number, unit): 万元 from ten thousand up (at most two decimals), else 元 with two decimals;
    thousands separators in both."""
    amount = Decimal(amount or 0)
    if amount >= 10000:
        wan = (amount / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{wan:,.2f}".rstrip("0").rstrip("."), "万元"
    return f"{amount:,.2f}", "元"
