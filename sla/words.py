"""Numbers, durations and money as people read them, the same in every report and message.

Machine output (JSON, CSV) writes a Decimal with `plain`: never in exponent form, every digit kept.
Text from a file shown to a person goes through `visible`: its control characters are written out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any

from .money import WIDE
from .resources import shipped
from .values import Duration, Period

if TYPE_CHECKING:
    from babel import Locale


#: C0 and C1 control characters and DEL, but not tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with each control character but tab and newline written as `\\xNN`: text from a
    file, printed to a terminal, can then not move the cursor, retitle the window or hide a line."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def plain(value: Decimal) -> str:
    """A Decimal as it is, for JSON and CSV: `30`, `30.00`, `0.0001`, never `3E+1`."""
    return f"{value:f}"


def number(value: Decimal | Fraction) -> str:
    """A number as people write it: 1.5, 120, 0.65 (no exponent, no trailing zeros)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format(value.normalize(), "f")


def units_of(unit: str, count: Decimal | int) -> str:
    """A unit as it reads after a count: 15 miles, 1 mile, 15 km (an abbreviation of two or three
    letters, or a unit already plural, stays as written)."""
    if count == 1 or len(unit) <= 3 or unit.endswith("s"):
        return unit
    return unit + "s"


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
    unit here first, because Babel would round a longer amount half to even. Babel formats in the
    wide context of `sla.money`, as every number here: in Python's default one (28 digits) a
    total past 10^26 could not be formatted at all."""
    from babel.numbers import format_currency  # Babel is slow to import; only output needs it

    from .money import round_money
    from .reference import minor_digits

    with localcontext(WIDE):
        return str(format_currency(round_money(amount, minor_digits(currency)), currency, locale=locale))


# --- words in a locale ----------------------------------------------------------------------------


def locale_strings(language: str) -> dict[str, Any]:
    """The fixed text of a language, else English."""
    path = shipped("renderers") / "locales" / f"{language}.json"
    if not path.is_file():
        path = path.with_name("en.json")
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def parse_locale(locale: str) -> Locale:
    """A Babel locale from `de`, `de_DE` or `de-DE`; raises ValueError for an unknown one."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"unknown locale {locale!r}: use a code such as en, en_GB or de") from None


class Words:
    """Numbers, money, dates, durations and phrases in one locale: what contracts and reports
    show people, in the words of `renderers/locales/LANGUAGE.json` and Babel's locale data."""

    def __init__(self, locale: str) -> None:
        self.babel = parse_locale(locale)
        self.locale = str(self.babel)
        self.strings = locale_strings(self.babel.language)
        self.labels: dict[str, str] = self.strings["labels"]

    def phrase(self, key: str, **values: str) -> str:
        return str(self.strings["phrases"][key]).format(**values)

    def word(self, group: str, key: str) -> str:
        return str(self.strings[group][key])

    def unit(self, key: str, n: int) -> str:
        forms = self.strings["units"][key]
        form = forms.get(self.babel.plural_form(n), forms["other"])
        return str(form).format(n=self.number(n))

    def number(self, value: int | Decimal) -> str:
        from babel.numbers import format_decimal

        with localcontext(WIDE):
            return str(format_decimal(value, locale=self.babel, decimal_quantization=False))

    def percent(self, value: Decimal) -> str:
        from babel.numbers import format_percent

        with localcontext(WIDE):
            return str(format_percent(value.scaleb(-2), locale=self.babel, decimal_quantization=False))

    def factor(self, value: Decimal) -> str:
        return f"{self.number(value)}×"

    def money(self, amount: Decimal, currency: str) -> str:
        return money(amount, currency, self.locale)

    def date(self, day: date) -> str:
        from babel.dates import format_date

        return str(format_date(day, "long", locale=self.babel))

    def join(self, items: Sequence[str]) -> str:
        from babel.lists import format_list

        return str(format_list(list(items), locale=self.babel)) if items else ""

    def weekday(self, index: int) -> str:
        return str(self.babel.days["format"]["wide"][index])

    def country(self, code: str) -> str:
        return str(self.babel.territories.get(code, code))

    def duration(self, d: Duration, business: bool = False) -> str:
        """`2d4h` in words: on a business calendar days are working days (a week is seven) and
        hours are business hours; elsewhere, and for lengths of work, plain time."""
        hours, minutes = divmod(d.minutes, 60)
        parts = []
        if business:
            if d.total_days:
                parts.append(self.unit("working_day", d.total_days))
            if hours and minutes:
                time = f"{self.unit('hour', hours)} {self.unit('minute', minutes)}"
                parts.append(self.phrase("business_time", time=time))
            elif hours:
                parts.append(self.unit("business_hour", hours))
            elif minutes:
                parts.append(self.unit("business_minute", minutes))
        else:
            for key, n in (("week", d.weeks), ("day", d.days), ("hour", hours), ("minute", minutes)):
                if n:
                    parts.append(self.unit(key, n))
        return " ".join(parts) or self.unit("minute", 0)

    def every(self, d: Duration, business: bool) -> str:
        """`every 1h` as "every hour", `every 2h` as "every 2 hours"."""
        single = _single_unit(d, business)
        if single is not None:
            return self.word("every_one", single)
        return self.phrase("every", duration=self.duration(d, business))

    def period(self, p: Period) -> str:
        return self.unit(p.unit, p.count)


_ONE_UNIT = {(1, 0, 0): "week", (0, 1, 0): "day", (0, 0, 60): "hour", (0, 0, 1): "minute"}
_ONE_BUSINESS_UNIT = {(1, 0): "working_day", (0, 60): "business_hour", (0, 1): "business_minute"}


def _single_unit(d: Duration, business: bool) -> str | None:
    """The unit of a duration that is exactly one of it (1h, 1d), else None."""
    if business:
        return _ONE_BUSINESS_UNIT.get((d.total_days, d.minutes))
    return _ONE_UNIT.get((d.weeks, d.days, d.minutes))


__all__ = [
    "Words",
    "duration_text",
    "fraction_minutes_text",
    "minutes_text",
    "money",
    "number",
    "parse_locale",
    "plain",
    "units_of",
    "visible",
]
