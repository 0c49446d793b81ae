"""The one rounding of money (sla.money): half up to the minor unit, exact for Fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla.money import round_money, round_share, sum_money

D = Decimal


@pytest.mark.parametrize(
    ("value", "digits", "rounded"),
    [
        (D("2.345"), 2, D("2.35")),
        (D("2.344999"), 2, D("2.34")),
        (D("-2.345"), 2, D("-2.35")),
        (D("0.5"), 0, D("1")),
        (D("1.0005"), 3, D("1.001")),
        (Fraction(1, 8), 2, D("0.13")),
        (Fraction(-1, 8), 2, D("-0.13")),
        (Fraction(1, 3), 2, D("0.33")),
        (D("12"), 2, D("12.00")),
    ],
)
def test_half_up_to_the_minor_unit(value: Decimal | Fraction, digits: int, rounded: Decimal) -> None:
    result = round_money(value, digits)
    assert result == rounded and str(result) == str(rounded)


def test_shares_of_an_invoice() -> None:
    assert round_share(D("7004.00"), 3, 2) == D("2334.67")  # 2,334.666...
    assert round_share(D("0.05"), 2, 2) == D("0.03")  # a tie, half up
    assert sum_money([D("0.10"), D("0.20")], 2) == D("0.30") and str(sum_money([], 2)) == "0.00"


@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6))
def test_fraction_and_decimal_rounding_agree(numerator: int, denominator: int) -> None:
    exact = Fraction(numerator, denominator)
    # a Decimal that holds the quotient to 30 places cut toward zero rounds the same way
    # unless the cut removed a tie-breaking digit, which 30 places never do for these sizes
    as_decimal = D(numerator) / D(denominator)
    if Fraction(as_decimal) == exact:
        assert round_money(exact, 2) == round_money(as_decimal, 2)
