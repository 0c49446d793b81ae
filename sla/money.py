"""Money arithmetic: exact products and sums, and the one rounding of an amount to the minor unit.

Every amount sla computes is a Decimal (or an exact Fraction on the way); only `round_money`
and `round_share` ever round, half up, to the currency's minor unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction

# Products of prices, quantities and increase factors are exact: at this precision a product is
# never rounded, and trapping Inexact turns a slip (say, a division) into an error instead of a
# silently shifted cent. Only `round_money` and `round_share` ever round.
EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact]
)
WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Overflow])


def round_money(value: Decimal | Fraction, digits: int) -> Decimal:
    """An invoice line: half up (a tie goes away from zero) to the currency's minor unit. The
    one rounding of money in sla; a Fraction (a share, an expectation) is rounded exactly."""
    if isinstance(value, Fraction):
        scaled = value * 10**digits
        whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
        return Decimal(whole if scaled >= 0 else -whole).scaleb(-digits, context=WIDE)  # every digit
    return value.quantize(Decimal(10) ** -digits, rounding=ROUND_HALF_UP, context=WIDE)


def round_share(value: Decimal, parts: int, digits: int) -> Decimal:
    """value / parts rounded half up to the minor unit, exactly.

    The quotient is first cut (never rounded) at least two places past the minor unit: cutting
    cannot move a value across the half-way mark, so the half-up step still sees on which side
    of a tie the true quotient lies, even when it does not end (2,334.666...).
    """
    cut = Context(
        prec=max(value.adjusted(), 0) + digits + 3, rounding=ROUND_DOWN, Emax=MAX_EMAX, Emin=MIN_EMIN
    ).divide(value, Decimal(parts))
    return round_money(cut, digits)


def sum_money(amounts: Iterable[Decimal], digits: int) -> Decimal:
    """A sum of rounded amounts, starting from a zero with the minor unit (0.00, not 0)."""
    total = round_money(Decimal(0), digits)
    for amount in amounts:
        total = EXACT.add(total, amount)
    return total


__all__ = ["EXACT", "WIDE", "round_money", "round_share", "sum_money"]
