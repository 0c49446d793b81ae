"""Times in exports as instants (quickly: a million tickets hold three each), and the local months and
zones they fall in."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .. import model as m
from ..clock import WallClock, wall_clock
from ..instants import (
    DAY,
    EPOCH,
    EPOCH_DAY,
    FIRST_INPUT_YEAR,
    HOUR,
    LAST_INPUT_YEAR,
    NAIVE_EPOCH,
    ONE_US,
    SECOND,
    month_first_day,
    read_time,
    read_times,
)
from ..values import quoted

if TYPE_CHECKING:  # numpy is loaded when a batch of tickets is measured
    import numpy as np
    from numpy.typing import NDArray

    from .mapping import Mapping

#: Times outside these years are refused (`instants.FIRST_INPUT_YEAR`, `LAST_INPUT_YEAR`).
FIRST, LAST = datetime(FIRST_INPUT_YEAR, 1, 1), datetime(LAST_INPUT_YEAR + 1, 1, 1)
_OUT_OF_RANGE = f"is out of range (years {FIRST_INPUT_YEAR} to {LAST_INPUT_YEAR})"
LO, HI = (FIRST - NAIVE_EPOCH) // ONE_US, (LAST - NAIVE_EPOCH) // ONE_US

TimeReader = Callable[[str], int]


class Times:
    """Times as written in exports (`instants.read_time`, lenient: ISO 8601 with an offset, or
    naive: local wall time, or else each of the mapping's `time_format`s in turn); a naive time is
    read in the mapping's `timezone` when it names one, else in the zone `reader(wall)` is made
    for."""

    def __init__(self, mapping: Mapping) -> None:
        self.formats = mapping.time_formats
        self.fixed = wall_clock(ZoneInfo(mapping.timezone)) if mapping.timezone else None

    def reader(self, wall: WallClock) -> TimeReader:
        return time_reader(self, self.fixed or wall)

    def parse(self, text: str, wall: WallClock) -> int:
        """Microseconds since 1970-01-01 UTC; ValueError with the reason when it is not a time."""
        try:
            when = read_times(text, self.formats) if self.formats else read_time(text, lenient=True)
        except ValueError:
            iso = "ISO 8601 (2027-03-01 09:15)"
            if len(self.formats) == 1:
                raise ValueError(
                    f"{quoted(text)} is not a time in {iso} nor in the format {self.formats[0]!r}"
                ) from None
            if self.formats:
                tried = ", ".join(repr(f) for f in self.formats)
                raise ValueError(
                    f"{quoted(text)} is not a time in {iso} nor in any of the formats {tried}"
                ) from None
            raise ValueError(
                f"{quoted(text)} is not a time such as 2027-03-01T09:15:00+01:00 or 2027-03-01 09:15"
            ) from None
        if when.tzinfo is None:
            local = (when - NAIVE_EPOCH) // ONE_US
            if not LO <= local < HI:
                raise ValueError(f"{quoted(text)} {_OUT_OF_RANGE}") from None
            return wall.utc(local)
        utc = (when - EPOCH) // ONE_US
        if not LO <= utc < HI:
            raise ValueError(f"{quoted(text)} {_OUT_OF_RANGE}")
        return utc


#: ":MM:SS" -> microseconds into the hour, for `time_reader`: a lookup that also checks the form.
_MINUTES_SECONDS = {f":{m:02d}:{s:02d}": (m * 60 + s) * SECOND for m in range(60) for s in range(60)}


def time_reader(times: Times, wall: WallClock) -> TimeReader:
    """`Times.parse` for one zone, quick for the commonest export form.

    A naive "YYYY-MM-DD HH:MM:SS" (or with T) is read the full way once per hour of the wall
    clock; the instant that hour starts at is then remembered (only for an hour whose offset does
    not change), and the next time of that hour is that instant plus its minutes and seconds.
    Only text of that ISO shape is remembered: a mapping's own format may put other digits
    where the hour and minutes stand, and such text is always read the full way, by every format.
    A closure rather than a class: it is called three times per ticket.
    """
    hours: dict[str, int] = {}
    seen = hours.get
    within = _MINUTES_SECONDS.get
    parse, local, steady = times.parse, wall.local, wall.steady_offset

    def read(text: str) -> int:
        if len(text) == 19:
            base = seen(text[:13])
            if base is not None:
                rest = within(text[13:])
                if rest is not None:
                    return base + rest
        utc = parse(text, wall)
        if len(text) == 19 and text[4] == text[7] == "-" and text[13] == text[16] == ":":  # naive ISO
            here = local(utc)
            hour = here - here % HOUR
            offset = steady(hour)
            # Remember an hour without a change, and only the hour the text names: a time in a
            # spring-forward gap reads as the instant the clock jumps, which is in another hour.
            if offset is not None and utc == here - offset and (here // HOUR) % 24 == int(text[11:13]):
                hours[text[:13]] = hour - offset
        return utc

    return read


#: The positions of the digits of "YYYY-MM-DD HH:MM:SS", and the separators around them.
_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_MARKS = ((4, b"-"), (7, b"-"), (13, b":"), (16, b":"))
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


#: Times read by `naive_many` at once: its scratch arrays take about 60 bytes a time.
_SLICE = 1 << 16


def naive_many(
    offsets: NDArray[np.int32], data: NDArray[np.uint8]
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The wall times of strings (UTF-8 bytes `data`, value i from `offsets[i]` to
    `offsets[i + 1]`, as in an Arrow string array) that read "YYYY-MM-DD HH:MM:SS" (or with T),
    as microseconds after 1970-01-01 00:00, and which values are such a time within the input
    years. Any other value (another form, a date that does not exist, an empty cell) is False
    here, for `Times.parse` to read or refuse one by one."""
    import numpy as np

    n = len(offsets) - 1
    if n > _SLICE:
        parts = [naive_many(offsets[at : at + _SLICE + 1], data) for at in range(0, n, _SLICE)]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    found = np.zeros(n, dtype=np.int64)
    ok = offsets[1:] - offsets[:-1] == 19
    if not ok.any():
        return found, ok
    if ok.all():  # the common column: one time after another, read in place
        chars = data[offsets[0] : offsets[0] + 19 * n].reshape(n, 19)
        rows = None
    else:
        rows = np.flatnonzero(ok)
        chars = data[offsets[:-1][rows, None] + np.arange(19, dtype=np.int32)]
    digits = chars[:, _DIGITS] - np.uint8(48)  # wraps below "0": then larger than 9
    good = (digits <= 9).all(axis=1)
    for at, mark in _MARKS:
        good &= chars[:, at] == mark[0]
    good &= (chars[:, 10] == 32) | (chars[:, 10] == 84)  # a space or T
    d = digits.astype(np.int32)
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    month, day = d[:, 4] * 10 + d[:, 5], d[:, 6] * 10 + d[:, 7]
    hour, minute, second = d[:, 8] * 10 + d[:, 9], d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    good &= (month >= 1) & (month <= 12)
    last = np.array(_DAYS_IN_MONTH, dtype=np.int32)[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
    good &= (day >= 1) & (day <= last) & (hour <= 23) & (minute <= 59) & (second <= 59)
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    days = (era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468).astype(np.int64)
    local = days * DAY + (hour * 3600 + minute * 60 + second).astype(np.int64) * SECOND
    good &= (local >= LO) & (local < HI)
    local[~good] = 0
    if rows is None:
        return local, good
    found[rows] = local
    ok[rows] = good
    return found, ok


class Months:
    """The starts of the local calendar months of one zone as UTC microseconds."""

    def __init__(self, wall: WallClock) -> None:
        self.wall = wall
        self.first = 0  # the month index of starts[0]
        self.starts: list[int] = []
        self._array_key: tuple[int, int] | None = None
        self._array: NDArray[np.int64]

    def index(self, t: int) -> int:
        """The month an instant falls in."""
        starts = self.starts
        if not starts or t < starts[0] or t >= starts[-1]:
            local = date.fromordinal(self.wall.local(t) // DAY + EPOCH_DAY)
            self._cover(local.year * 12 + local.month - 1)
            starts = self.starts
        return self.first + bisect_right(starts, t) - 1

    def start(self, index: int) -> int:
        """The first instant of a month (the end of the month before)."""
        self._cover(index)
        return self.starts[index - self.first]

    def indexes(self, instants: NDArray[np.int64]) -> NDArray[np.int64]:
        """`index` of many instants at once; `starts_array` then holds their months and the next."""
        import numpy as np

        self.index(int(instants.min()))
        self.index(int(instants.max()))
        found: NDArray[np.int64] = (
            self.first + np.searchsorted(self.starts_array(), instants, side="right") - 1
        )
        return found

    def starts_array(self) -> NDArray[np.int64]:
        import numpy as np

        if self._array_key != (self.first, len(self.starts)):
            self._array = np.array(self.starts, dtype=np.int64)
            self._array_key = (self.first, len(self.starts))
        return self._array

    def _cover(self, index: int) -> None:
        lo, hi = index // 12 * 12, (index // 12 + 1) * 12  # whole years, and the month after
        if self.starts:
            lo, hi = min(lo, self.first), max(hi, self.first + len(self.starts) - 1)
            if lo == self.first and hi == self.first + len(self.starts) - 1:
                return
        self.first = lo
        self.starts = [
            self.wall.utc((month_first_day(i).toordinal() - EPOCH_DAY) * DAY) for i in range(lo, hi + 1)
        ]


Zone = tuple[WallClock, Months, TimeReader]


class Zones:
    """The zone of each service's calendar (the agreement's first calendar's without a service):
    its wall clock, months and time reader; and the instants seen in each zone, which say the
    months a report covers when no period is asked for."""

    def __init__(self, agreement: m.Agreement, times: Times) -> None:
        self.agreement, self.times = agreement, times
        self.by_service: dict[str | None, Zone] = {}
        self._by_wall: dict[WallClock, Zone] = {}
        self._spans: dict[Months, list[int]] = {}  # [earliest, latest] instant seen in each zone

    def of(self, service: str | None) -> Zone:
        try:
            return self.by_service[service]
        except KeyError:
            pass
        a = self.agreement
        cal = a.service_calendar(a.service(service) if service else None)
        wall = wall_clock(cal.zone if cal else ZoneInfo("UTC"))
        if wall not in self._by_wall:
            self._by_wall[wall] = (wall, Months(wall), self.times.reader(wall))
        found = self.by_service[service] = self._by_wall[wall]
        return found

    def touch(self, months: Months, t: int) -> None:
        span = self._spans.get(months)
        if span is None:
            self._spans[months] = [t, t]
        elif t < span[0]:
            span[0] = t
        elif t > span[1]:
            span[1] = t

    def touched(self) -> list[int]:
        """Every month from the first to the last that an instant seen falls in."""
        found = [months.index(t) for months, span in self._spans.items() for t in span]
        return list(range(min(found), max(found) + 1)) if found else []


__all__ = ["HI", "LO", "Months", "TimeReader", "Times", "Zone", "Zones", "naive_many", "time_reader"]
