"""Words for people and plain text for machines (sla.words, sla.jsonout)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sla.jsonout import to_json
from sla.words import duration_text, fraction_minutes_text, minutes_text, money, number, plain


def test_numbers_never_in_exponent_form() -> None:
    assert plain(Decimal("3E+1")) == "30" and plain(Decimal("30.00")) == "30.00"
    assert (
        number(Decimal("1.50")) == "1.5"
        and number(Decimal("1E+2")) == "100"
        and number(Fraction(1, 4)) == "0.25"
    )
    assert (
        to_json({"a": Decimal("3E+1"), "b": [Decimal("0.10")]})
        == '{\n  "a": "30",\n  "b": [\n    "0.10"\n  ]\n}\n'
    )


def test_durations() -> None:
    assert minutes_text(90) == "1h30m" and minutes_text(0) == "0m"
    assert duration_text(1440 + 75) == "1d1h15m"
    assert fraction_minutes_text(Fraction(61, 2)) == "30m 30s"
    assert fraction_minutes_text(Fraction(91, 3)) == "30m 20s"
    assert fraction_minutes_text(Fraction(211, 7)) == "30m (+0.1428571428571428571428571429m)"


def test_money_is_rounded_half_up_before_babel_sees_it() -> None:
    assert money(Decimal("2.345"), "EUR") == "€2.35"  # Babel alone rounds half to even: €2.34
    assert money(Decimal("1234.5"), "EUR", "de") == "1.234,50\xa0€"
    assert money(Decimal("1234.5"), "JPY") == "¥1,235"
