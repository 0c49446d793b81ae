"""Targets compared by meaning: their length in open minutes, deadlines sampled over many starts,
and periods in one unit.

Two targets on one calendar in comparable units (hours with hours, days with days, anything on a
24x7 calendar) compare as numbers. Otherwise each is turned into deadlines from a start every 15
minutes over two four-week windows (from the agreement's start, and over the year-end holidays of
its first year), and the deadlines are compared: "1d" and "8h" are equal on a calendar open eight
hours a day, and "4h on always" is stricter than "4h" on business hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import model as m
from .instants import MINUTE, NEVER
from .values import Close, Duration, Period
from .week import working_day_minutes
from .words import duration_text

if TYPE_CHECKING:
    from .clock import BusinessCalendar

#: The calendar of a target that names none in an agreement without calendars: real time.
#: Built without validation: validating here would build the models' validators at import (about
#: 17 ms of every `sla check`), for values that are valid by construction.
REAL_TIME = m.Calendar.model_construct(
    name="real time", timezone="UTC", hours=(m.Hours.model_construct(always=True),)
)

#: A target comparison samples a start every 15 minutes over two four-week windows: from the
#: offer's start, and over the year-end holidays of its first year.
SAMPLE_STEP = timedelta(minutes=15)
SAMPLE_DAYS = 28
DEFAULT_START = date(2027, 1, 1)


def target_minutes(target: m.Target, cal: m.Calendar | None) -> Decimal | None:
    """A target's length in open minutes of its calendar (a working day at its average length);
    `by close +N` is N + 1 working days: the business time from an opening to that close."""
    if target.close is not None:
        return (target.close + 1) * working_day_minutes(cal)
    if target.duration is None:
        return None
    return target.duration.total_days * working_day_minutes(cal) + target.duration.minutes


def compare(
    actual: Any, op: str | None, required: Any, gap: Callable[[Any], str], over: str, under: str
) -> tuple[bool, str | None]:
    """Whether `actual OP required` holds, and if not by how much: `gap(difference)` and the
    word for a value above (`over`) or below (`under`) what is asked."""
    holds = {
        "<=": actual <= required,
        "<": actual < required,
        ">=": actual >= required,
        ">": actual > required,
        "==": actual == required,
        None: actual == required,
    }[op]
    if holds:
        return True, None
    if actual == required:
        return False, f"exactly the limit, not {'below' if op == '<' else 'above'} it"
    if actual > required:
        return False, f"{gap(actual - required)} {over}"
    return False, f"{gap(required - actual)} {under}"


def period_pair(a: Period, b: Period) -> tuple[Decimal, Decimal, str]:
    """Two periods in one unit: exactly in months (or days) when both are, else approximately
    in days (a month is 30.4375 days, a year 365.25)."""
    if a.months is not None and b.months is not None:
        return Decimal(a.months), Decimal(b.months), "month"
    if a.months is None and b.months is None:
        return a.approx_days, b.approx_days, "day"
    return a.approx_days, b.approx_days, "day (a month taken as 30.4375 days)"


# --- deadlines over sampled starts -----------------------------------------------------------------


def sample_starts(
    bc: BusinessCalendar, days: Iterable[date], step: timedelta, length: timedelta
) -> Iterator[int]:
    """Start instants (µs) every `step` for `length` from local midnight of each of `days`, in
    the calendar's zone."""
    every = step // timedelta(microseconds=1)
    count = length // step
    for day in days:
        t0 = bc.to_us(datetime(day.year, day.month, day.day))
        yield from range(t0, t0 + count * every, every)


def comparison_starts(bc: BusinessCalendar, start: date | None) -> Iterator[int]:
    """The starts two targets are compared over: four weeks from `start` and four weeks over the
    year-end holidays of its year."""
    first = start or DEFAULT_START
    return sample_starts(bc, (first, date(first.year, 12, 18)), SAMPLE_STEP, timedelta(days=SAMPLE_DAYS))


def compare_targets(
    offered: Duration | Close,
    offer_cal: m.Calendar,
    op: str | None,
    required: Duration | Close,
    required_cal: m.Calendar,
    start: date | None = None,
) -> tuple[bool, str | None]:
    """Whether a target of `offered` on `offer_cal` stands in relation `op` to one of `required`
    on `required_cal`: directly when both count on one calendar in comparable units, else by
    their deadlines from every sampled start."""
    direct = _direct(offered, offer_cal, required, required_cal)
    if direct is not None:
        return compare(direct[0], op, direct[1], duration_text, "too slow", "too fast")
    gaps = deadline_gaps(offered, offer_cal, required, required_cal, start)
    holds = {
        "<=": gaps.latest <= 0,
        "<": gaps.latest < 0,
        ">=": gaps.earliest >= 0,
        ">": gaps.earliest > 0,
        "==": gaps.latest == gaps.earliest == 0,
        None: gaps.latest == gaps.earliest == 0,
    }[op]
    if holds:
        return True, None
    if op in ("<=", "<", "==", None) and gaps.latest >= 0:
        if gaps.latest == 0:
            return False, f"no faster than required (for a start at {gaps.late_at})"
        return False, f"up to {gaps.late_text(required_cal)} too slow (for a start at {gaps.late_at})"
    if gaps.earliest == 0:
        return False, f"no slower than the minimum (for a start at {gaps.early_at})"
    return False, f"up to {gaps.early_text(required_cal)} too fast (for a start at {gaps.early_at})"


def _direct(
    offered: Duration | Close, offer_cal: m.Calendar, required: Duration | Close, required_cal: m.Calendar
) -> tuple[int, int] | None:
    """The two targets in one unit when they count on one calendar and compare without dates."""
    if offer_cal != required_cal:
        return None
    if isinstance(offered, Close) and isinstance(required, Close):
        return offered.days * 1440, required.days * 1440  # a working day apart: told as 1d
    if isinstance(offered, Close) or isinstance(required, Close):
        return None  # a close against a duration: compared by their deadlines
    if offer_cal.always:
        return offered.total_minutes, required.total_minutes
    if not offered.total_days and not required.total_days:
        return offered.minutes, required.minutes
    if not offered.minutes and not required.minutes:
        return offered.total_days * 1440, required.total_days * 1440
    return None


@dataclass(frozen=True)
class Gaps:
    """Offer deadline minus required deadline over the sampled starts: the largest and the
    smallest in wall-clock µs, with the business time on the required calendar between the two
    deadlines at each, and the start (as local text) where each occurs."""

    latest: int
    latest_business: int
    late_at: str
    earliest: int
    earliest_business: int
    early_at: str

    def late_text(self, calendar: m.Calendar) -> str:
        return _lateness(self.latest_business, self.latest, calendar)

    def early_text(self, calendar: m.Calendar) -> str:
        return _lateness(-self.earliest_business, -self.earliest, calendar)


def _lateness(business: int, wall: int, calendar: m.Calendar) -> str:
    """How far apart two deadlines are: in business time on the required calendar, and in
    wall-clock time when that differs (LANGUAGE.md: a breach is reported both ways)."""
    text = duration_text(business // MINUTE)
    if calendar.always or business == wall:
        return text
    return f"{text} of {calendar.name} time ({duration_text(wall // MINUTE)} on the clock)"


def deadline_gaps(
    offered: Duration | Close,
    offer_cal: m.Calendar,
    required: Duration | Close,
    required_cal: m.Calendar,
    start: date | None = None,
) -> Gaps:
    """The deadlines of both targets from every sampled start, compared."""
    from .clock import BusinessCalendar

    ob, rb = BusinessCalendar.of(offer_cal), BusinessCalendar.of(required_cal)
    latest, earliest = -NEVER, NEVER  # wall-clock gaps, which decide
    late = early = (0, 0, 0)  # (business gap, wall gap, start) to report
    for s in comparison_starts(rb, start):
        mine, theirs = ob.deadline_us(s, offered), rb.deadline_us(s, required)
        gap = mine - theirs
        latest, earliest = max(latest, gap), min(earliest, gap)
        business = rb.elapsed_us(theirs, mine) if gap else 0
        if (business, gap) > late[:2] or not late[2]:
            late = (business, gap, s)
        if (business, gap) < early[:2] or not early[2]:
            early = (business, gap, s)

    def when(us: int) -> str:
        return rb.from_us(us).strftime("%a %Y-%m-%d %H:%M") + f" {required_cal.zone.key}"

    return Gaps(latest, late[0], when(late[2]), earliest, early[0], when(early[2]))


__all__ = [
    "REAL_TIME",
    "Gaps",
    "compare",
    "compare_targets",
    "comparison_starts",
    "deadline_gaps",
    "period_pair",
    "sample_starts",
    "target_minutes",
]
