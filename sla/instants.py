"""Instants, months and contract periods: the time units and calendar arithmetic every stage shares.

Timelines count integer microseconds since 1970-01-01 UTC, so no float ever rounds an instant.
Months are numbered `year * 12 + month - 1`. A contract period of N months that starts on day D
ends on the day before day D of the N-th month after, or at the end of that month when it has no
day D: one month from 31 January ends on 28 February (inclusive), and the next starts on 1 March.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


__all__ = ["DAY", "EPOCH", "EPOCH_DAY", "HOUR", "MINUTE", "NAIVE_EPOCH", "NEVER", "ONE_US", "SECOND",
           "from_us", "last_day", "month_first_day", "month_index", "month_label", "months_elapsed",
           "period_start", "to_us"]  # fmt: skip
