"""Instants, months and contract periods: the time units and calendar arithmetic every stage shares.

Timelines count integer microseconds since 1970-01-01 UTC, so no float ever rounds an instant.
Months are numbered `year * 12 + month - 1`. A contract period of N months that starts on day D
ends on the day before day D of the N-th month after, or at the end of that month when it has no
day D: one month from 31 January ends on 28 February (inclusive), and the next starts on 1 March.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .values import Period

SECOND = 1_000_000  # microseconds
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
ONE_US = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NAIVE_EPOCH = datetime(1970, 1, 1)
EPOCH_DAY = date(1970, 1, 1).toordinal()
NEVER = 2**62  # an instant later than any real one: a deadline that is never reached
#: The days sla counts on: the whole local years a datetime holds with any time zone offset
#: (`sla.clock` builds its timelines within them). An agreement's dates stay within them (SLA134).
FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)
#: The years a time in a worklog or an export may lie in: others are refused as typing slips (0207
#: for 2027), and keep the calendars from building timelines for centuries nobody asked about.
FIRST_INPUT_YEAR, LAST_INPUT_YEAR = 1900, 2199


def to_us(instant: datetime) -> int:
    """Microseconds since the epoch of an aware instant."""
    return (instant - EPOCH) // ONE_US


def from_us(us: int) -> datetime:
    """The aware UTC instant `us` microseconds after the epoch."""
    return EPOCH + timedelta(microseconds=us)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    """2027-03 for the month `index`."""
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def month_first_day(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def period_start(start: date, months: int) -> date:
    """The first day after `months` whole months from `start`: day `start.day` of the month that
    many months later, or the first of the month after it when that month has no such day."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    if start.day <= calendar.monthrange(year, month + 1)[1]:
        return date(year, month + 1, start.day)
    return date(year + (month == 11), (month + 1) % 12 + 1, 1)


def months_elapsed(start: date, on: date) -> int:
    """How many whole contract months lie between `start` and `on` (0 in the first month)."""
    months = (on.year - start.year) * 12 + on.month - start.month
    return months - 1 if on < period_start(start, months) else months


def last_day(start: date, period: Period) -> date:
    """The last day, inclusive, of a period that starts on `start` (a term, a contract year)."""
    if period.unit in ("day", "week"):
        return start + timedelta(days=period.count * (7 if period.unit == "week" else 1) - 1)
    return period_start(start, period.months or 0) - timedelta(days=1)


# ------------------------------------------------------------------------------- reading times

_FRACTION = re.compile(r"(\.\d{6})\d+")
_SPACED_OFFSET = re.compile(r"\s+([+-]\d\d:?\d\d)$")
_UTC_SUFFIXES = (" UTC", " GMT", "UTC", "GMT")


def read_time(
    text: str, *, lenient: bool = False, time_format: str | Sequence[str] | None = None
) -> datetime:
    """A time as written in a file or an option: ISO 8601, naive (wall time) or with an offset.

    Strict (the default) reads what `datetime.fromisoformat` reads, spaces around and `Z` or `z`
    for UTC included: `2027-03-02T10:00`, `2027-03-02 10:00:00+01:00`. Lenient, for service desk
    exports, also reads ` UTC` and ` GMT` after the time, an offset after a space
    (`10:00:00 +0200`), fractions finer than a microsecond (cut), and then `time_format` (a
    `strptime` format, or several tried in order) when given. Raises ValueError("'...' is not a
    time"); callers say what they expected in their own words.
    """
    try:
        return datetime.fromisoformat(text)  # first, as it is: the common case costs one call
    except ValueError:
        pass
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        if not lenient:
            raise ValueError(f"{text.strip()!r} is not a time") from None
    for suffix in _UTC_SUFFIXES:
        if raw.upper().endswith(suffix):
            raw = raw[: -len(suffix)].rstrip() + "+00:00"
            break
    try:
        return datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1", _FRACTION.sub(r"\1", raw)))
    except ValueError:
        pass
    for form in (time_format,) if isinstance(time_format, str) else time_format or ():
        try:
            return datetime.strptime(text.strip(), form)
        except ValueError:
            pass
    raise ValueError(f"{text.strip()!r} is not a time")


def read_times(text: str, time_formats: Sequence[str]) -> datetime:
    """`read_time(text, lenient=True, time_format=time_formats)`, quicker for formats of numbers
    only (`%d/%m/%Y %H:%M`, as event logs of a million rows write them): a text that is no ISO
    time but has the form of one of them is read without strptime, with the same result."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for form in time_formats:
        numeric = _numeric(form)
        if numeric is None:
            break  # strptime's turn: keep the order of the formats
        found = numeric[0].fullmatch(text.strip())
        if found is not None:
            fields = dict(zip(numeric[1], map(int, found.groups()), strict=True))
            try:
                return datetime(
                    fields["Y"],
                    fields["m"],
                    fields["d"],
                    fields.get("H", 0),
                    fields.get("M", 0),
                    fields.get("S", 0),
                )
            except ValueError:
                pass  # 31/2: not a time in this format; strptime says the same
    return read_time(text, lenient=True, time_format=time_formats)


#: Directives a format of numbers only may hold, each as strptime reads it when a separator follows.
_NUMBERS = {
    "d": "[0-9]{1,2}",
    "m": "[0-9]{1,2}",
    "Y": "[0-9]{4}",
    "H": "[0-9]{1,2}",
    "M": "[0-9]{1,2}",
    "S": "[0-9]{1,2}",
}


@functools.lru_cache(maxsize=64)
def _numeric(form: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A strptime format of day, month, year and time as numbers apart by separators other than
    digits, as a pattern and the order of its fields; None for any other format."""
    parts = re.split(r"(%.)", form)
    pattern, order = [], []
    for i, part in enumerate(parts):
        if part.startswith("%"):
            name = part[1]
            if name not in _NUMBERS or name in order:
                return None
            if i + 1 < len(parts) - 1 and not parts[i + 1]:
                return None  # two directives side by side: strptime's greed decides, not ours
            pattern.append(f"({_NUMBERS[name]})")
            order.append(name)
        elif part:
            if re.search(r"[0-9%]", part):
                return None
            pattern.append(r"\s+".join(re.escape(w) for w in re.split(r"\s+", part)))
    if not {"d", "m", "Y"} <= set(order):
        return None
    return re.compile("".join(pattern)), tuple(order)


def period_months(text: str) -> list[int]:
    """The month indexes of a period written as a month (2027-03), a quarter (2027-Q1) or a year
    (2027); ValueError for anything else."""
    spec = text.strip().upper()  # digits are 0-9: re's \d would read another script's as well
    if found := re.fullmatch(r"([0-9]{4})-([0-9]{2})", spec):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return [year * 12 + month - 1]
    elif found := re.fullmatch(r"([0-9]{4})-Q([1-4])", spec):
        year, quarter = int(found[1]), int(found[2])
        return [year * 12 + (quarter - 1) * 3 + i for i in range(3)]
    elif found := re.fullmatch(r"[0-9]{4}", spec):
        return [int(spec) * 12 + i for i in range(12)]
    raise ValueError(f"{text!r} is not a month, quarter or year")


__all__ = [
    "DAY",
    "EPOCH",
    "EPOCH_DAY",
    "HOUR",
    "MINUTE",
    "NAIVE_EPOCH",
    "NEVER",
    "ONE_US",
    "SECOND",
    "from_us",
    "last_day",
    "month_first_day",
    "month_index",
    "month_label",
    "months_elapsed",
    "period_months",
    "period_start",
    "read_time",
    "read_times",
    "to_us",
]
