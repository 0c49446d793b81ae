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


def fraction_minutes_text(value: Fraction) -> str:
    """Minutes that may hold a fraction (block time drawn at 1.5x): 1h30m, 20m 30s, 1m (+1/3m)."""
    whole = int(value)
    rest = value - whole
    text = minutes_text(whole)
    if rest:
        seconds = rest * 60
        text += f" {number(seconds)}s" if seconds.denominator == 1 else f" (+{number(rest)}m)"
    return text


def duration_text(minutes: int) -> str:
    """Minutes as a duration of days (of 24 hours), hours and minutes: 2d3h15m."""
    return str(Duration(0, minutes // 1440, minutes % 1440)) if minutes else "0m"


def money(amount: Decimal, currency: str, locale: str = "en") -> str:
    """An amount for people, such as €1,234.50 or ¥1,235: rounded half up to the currency's minor
    unit here first, because Babel would round a longer amount half to even."""
    from babel.numbers import format_currency  # Babel is slow to import; only output needs it

    from .money import round_money
    from .reference import minor_digits

    return str(format_currency(round_money(amount, minor_digits(currency)), currency, locale=locale))


__all__ = ["duration_text", "fraction_minutes_text", "minutes_text", "money", "number", "plain"]
