"""The business week of a calendar, and the dates on which maintenance windows fall.

A calendar's `hours` statements are laid out once here, in minutes after local midnight per
weekday (0 = Monday): a span that crosses midnight opens on its own day up to 24:00 and goes on
from 00:00 of the next weekday. The checks, the clock, the contract and the semantic diff all
read the week this way.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from . import model as m
from .values import MINUTES_PER_DAY, WEEKDAYS

#: (open, close, carried): minutes after midnight of one weekday; `carried` is 1 for the part
#: after midnight of a span that opened the day before.
Piece = tuple[int, int, int]

_ORDINALS = ("first", "second", "third", "fourth")


def pieces(cal: m.Calendar) -> tuple[tuple[Piece, ...], ...]:
    """The open pieces of each weekday, sorted, as the calendar's hours lay them out."""
    # keyed by plain values: hashing the models themselves costs more than laying out the week
    return _pieces(tuple((h.always, h.days, tuple((s.start, s.end) for s in h.spans)) for h in cal.hours))


@lru_cache(maxsize=256)
def _pieces(
    hours: tuple[tuple[bool, tuple[str, ...], tuple[tuple[int, int], ...]], ...],
) -> tuple[tuple[Piece, ...], ...]:
    week: list[list[Piece]] = [[] for _ in WEEKDAYS]
    for always, days, spans in hours:
        if always:
            for day in week:
                day.append((0, MINUTES_PER_DAY, 0))
            continue
        for name in days:
            d = WEEKDAYS.index(name)
            for start, end in spans:
                if end < start:  # crosses midnight: its part after 00:00 is the next day's
                    week[d].append((start, MINUTES_PER_DAY, 0))
                    if end:
                        week[(d + 1) % 7].append((0, end, 1))
                else:
                    week[d].append((start, end, 0))
    return tuple(tuple(sorted(day)) for day in week)


def open_by_day(cal: m.Calendar) -> list[list[tuple[int, int]]]:
    """Open intervals per weekday in minutes, in the order of `pieces`."""
    return [[(start, end) for start, end, _ in day] for day in pieces(cal)]


def weekly_open_minutes(cal: m.Calendar) -> int:
    """Open minutes in a week by the calendar's hours (holidays aside)."""
    return sum(end - start for day in pieces(cal) for start, end, _ in day)


def working_day_minutes(cal: m.Calendar | None) -> Decimal:
    """The average open minutes of an open weekday: how long a working day is, for comparing
    targets written in days with targets written in hours. A 24x7 calendar's day is 24 hours."""
    if cal is None or cal.always:
        return Decimal(MINUTES_PER_DAY)
    lengths = [n for n in (sum(end - start for start, end, _ in day) for day in pieces(cal)) if n]
    return Decimal(sum(lengths)) / len(lengths) if lengths else Decimal(MINUTES_PER_DAY)


def spans_by_day(cal: m.Calendar) -> tuple[tuple[str, ...], ...] | str:
    """The hours as written, per weekday ("24x7" for an always-open calendar): reordered or
    regrouped statements give the same value."""
    if any(h.always for h in cal.hours):
        return "24x7"
    days: dict[str, set[str]] = {d: set() for d in WEEKDAYS}
    for h in cal.hours:
        for d in h.days:
            days[d].update(str(s) for s in h.spans)
    return tuple(tuple(sorted(days[d])) for d in WEEKDAYS)


# --- maintenance windows --------------------------------------------------------------------------


def window_on(window: m.Maintenance, day: date) -> bool:
    """Whether a maintenance window opens on a local date (`weekly sun`, `monthly last sat`,
    `once 2027-03-13`: that date only; a span crossing midnight belongs to the date it opens on)."""
    if window.frequency == "once":
        return window.date == day
    if WEEKDAYS[day.weekday()] not in window.days:
        return False
    if window.frequency == "weekly":
        return True
    if window.ordinal == "last":
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 == _ORDINALS.index(window.ordinal or "first")


__all__ = [
    "Piece",
    "open_by_day",
    "pieces",
    "spans_by_day",
    "weekly_open_minutes",
    "window_on",
    "working_day_minutes",
]
