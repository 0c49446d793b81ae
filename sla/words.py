"""Numbers, durations and money as people read them, the same in every report and message.

Machine output (JSON, CSV) writes a Decimal with `plain`: never in exponent form, every digit kept.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .values import Duration


def plain(value: Decimal) -> str:
    """A Decimal as it is, for JSON and CSV: `30`, `30.00`, `0.0001`, never `3E+1`."""
    return f"{value:f}"


def number(value: Decimal | Fraction) -> str:
    """A number as people write it: 1.5, 120, 0.65 (no exponent, no trailing zeros)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format(value.normalize(), "f")


def minutes_text(total: int) -> str:
    """Minutes as a duration in the language's own form, hours and minutes: 1h30m, 45m, 0m."""
    return str(Duration.of(minutes=total)) if total else "0m"


def duration_text(minutes: int) -> str:
    """Minutes as a duration of days (of 24 hours), hours and minutes: 2d3h15m."""
    return str(Duration(0, minutes // 1440, minutes % 1440)) if minutes else "0m"


__all__ = ["duration_text", "minutes_text", "number", "plain"]
