"""The one money formatter (federation.numbers): prose and figures, one unit per sentence, table
columns with the unit in the header and bare numbers in the cells."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.numbers import WAN, YUAN, column_unit, money_cell, money_parts, sentence_unit


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("86300"), ("8.63", WAN)),
        (Decimal("10000"), ("1", WAN)),
        (Decimal("12345678.90"), ("1,234.57", WAN)),
        (Decimal("7510.00"), ("7,510", YUAN)),
        (Decimal("7510.50"), ("7,510.5", YUAN)),
        (Decimal("99.5"), ("99.5", YUAN)),
        (None, ("0", YUAN)),
    ],
)
def test_prose_gives_wan_yuan_from_ten_thousand_and_never_a_trailing_00(amount, expected):
    assert money_parts(amount) == expected


def test_a_sentence_prints_its_amounts_in_the_unit_of_the_largest():
    unit = sentence_unit([Decimal("86300"), Decimal("7510")])

    assert unit == WAN
    assert money_parts(Decimal("7510"), unit) == ("0.75", WAN)
    assert sentence_unit([Decimal("7510"), Decimal("300")]) == YUAN


def test_an_amount_too_small_for_wan_yuan_keeps_its_yuan_even_in_a_wan_yuan_sentence():
    assert money_parts(Decimal("40"), WAN) == ("40", YUAN)


def test_a_table_column_says_its_unit_once_and_holds_bare_numbers():
    amounts = [Decimal("71600"), Decimal("7870")]

    assert column_unit(amounts) == WAN
    assert [money_cell(a, WAN) for a in amounts] == ["7.16", "0.79"]
    assert column_unit([Decimal("7870")]) == YUAN
    assert money_cell(Decimal("7870"), YUAN) == "7,870.00"


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_prose_never_ends_in_a_zero_decimal(amount):
    number, unit = money_parts(amount)

    assert unit in (WAN, YUAN)
    assert not ("." in number and number.endswith("0"))
    assert (unit == WAN) == (amount >= 10000)
