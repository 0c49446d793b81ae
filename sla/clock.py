"""Business time on a calendar: open intervals in UTC, deadlines and elapsed business time."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .diagnostics import SlaError
from .instants import DAY, EPOCH, EPOCH_DAY, HOUR, MINUTE, NAIVE_EPOCH, NEVER, ONE_US
from .model import Calendar
from .values import Close, Duration
from .week import pieces

if TYPE_CHECKING:  # numpy is loaded only by the methods that take arrays
    import numpy as np
    from numpy.typing import NDArray

Interval = tuple[datetime, datetime]
#: Pauses of many starts as three arrays: the index of the start each belongs to, its start, its end.
Paused = tuple["NDArray[np.int64]", "NDArray[np.int64]", "NDArray[np.int64]"]
Piece = tuple[int, int, int]  # local [open, close) in µs after a date's midnight; days since the span opened

_fromtimestamp = datetime.fromtimestamp
_LOOKBACK_YEARS = 5  # how far back a day target looks for the last closing before its start
_FIRST_YEAR, _LAST_YEAR = 2, 9998  # whole local years that datetime can hold with any offset


class BusinessCalendar:
    """The open time of a model `Calendar`, for deadlines and elapsed business time.

    Open time is the union of the `hours` spans, each laid out on its local date in the
    calendar's zone (a span crossing midnight puts its part after midnight on the next date),
    less every local date that is a holiday or a `closed` date. Such a date is closed from its
    00:00 to 24:00 and no longer, whichever day a span belongs to: the part after midnight of a
    22:00-06:00 span opening on a working day is closed when the next date is a holiday, and the
    part after midnight of a span opening on a holiday stays open when the next date is not one.

    A working day is a date that is not closed on which a span opens (and is open before
    midnight). Day targets step over working days and read a time on the day its span opened:
    with 22:00-06:00, Saturday 03:00 is Friday's shift at 27:00, and one day on is Tuesday 03:00.

    Wall-clock span edges become instants by `localize`: in a spring-forward gap at the moment
    the clock jumps (a 01:00-04:00 span on that night has two real hours), in a fall-back fold
    at the first occurrence (01:00-04:00 on that night has four real hours). The open intervals
    are built per local year on first use and kept as sorted UTC microseconds with a running
    total of business time, so a deadline or an elapsed time is a few binary searches. For
    datetimes in the calendar's zone it is mostly two dict lookups: the hours asked about are
    learnt (the position at the start of a local hour, the instant of an hour of business time),
    about a megabyte per year of hours asked.

    Instances grow their timeline lazily and are not thread-safe; `of` shares one per calendar.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.zone: ZoneInfo = calendar.zone
        self.wall = wall_clock(self.zone)
        self._steady = self.wall._to_utc  # read directly by `_us`, which runs once per deadline
        #: Real elapsed time: 24x7 without holidays or closed dates (LANGUAGE.md, "Calendars").
        self.always = calendar.always
        self._week = _week(calendar)
        if not self.always and not any(self._week):
            raise ValueError(f"calendar {calendar.name!r} is never open")
        self._regions = tuple(_region(r) for r in calendar.holidays)
        self._open_holidays = frozenset(name.casefold() for name in calendar.holidays_except)
        self._closed = tuple(
            (r.first.toordinal(), r.last.toordinal()) for r in calendar.closed if r.hours is None
        )
        # `closed DATE SPAN`: local microseconds after the date's midnight, per date ordinal (a
        # span past midnight goes on into the next date)
        self._closed_parts: dict[int, list[tuple[int, int]]] = {}
        for r in calendar.closed:
            if r.hours is not None:
                a, b = r.hours.start * MINUTE, r.hours.end * MINUTE
                b += DAY if b <= a else 0
                day = r.first.toordinal()
                self._closed_parts.setdefault(day, []).append((a, min(b, DAY)))
                if b > DAY:
                    self._closed_parts.setdefault(day + 1, []).append((0, b - DAY))
        # The timeline: open intervals [start, end) in UTC microseconds over the local years
        # first..last; `_cend[i]` is the business time at `_ends[i]` counted from an origin that
        # never moves, so positions stay valid while the timeline grows either way.
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._cend: list[int] = []
        # Per interval: the date ordinal its span opened on, and its close in µs after that
        # date's midnight (06:00 of a 22:00-06:00 span is 30 hours).
        self._closing: list[tuple[int, int]] = []
        self._workdays: list[int] = []  # date ordinals
        self._first = self._last = 0
        self._lo = self._hi = 0  # UTC bounds of the timeline
        self._b_lo = self._b_hi = 0  # business time at those bounds
        self._numpy_key: tuple[int, int] | None = None
        # What `deadline` has learnt of local hours and of hours of business time (`_hour`, `_shift`)
        self._zoned_epoch = datetime(1970, 1, 1, tzinfo=self.zone)
        self._hours: dict[int, tuple[int, bool] | tuple[()]] = {}
        self._shifts: dict[int, int | None] = {}
        self._closed_hours: dict[int, tuple[int, bool]] = {}
        self._numpy: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]] = ()  # type: ignore[assignment]

    @classmethod
    def of(cls, calendar: Calendar) -> BusinessCalendar:
        """The shared instance for a calendar (equal calendars share one); hold on to it in loops."""
        return _shared(calendar)

    # -- public API ---------------------------------------------------------------------------

    def localize(self, naive: datetime) -> datetime:
        """A naive local wall time as an aware instant in the calendar's zone: the earliest
        instant at which the local clock shows that time or later. In a fall-back fold that is
        the first occurrence (02:30 is 02:30 CEST); in a spring-forward gap it is the moment the
        clock jumps (02:30 on the night of 02:00 -> 03:00 is 03:00 CEST)."""
        return self._dt(self.wall.utc(_naive_us(naive)))

    def deadline(
        self, start: datetime, target: Duration | Close, *, paused: Sequence[tuple[datetime, datetime]] = ()
    ) -> datetime:
        """The instant at which the business time since `start`, less `paused`, is `target`.

        On a 24x7 calendar the target is real time (1d = 24 hours, across DST). On a business
        calendar the days (a week is seven) count working days first: from the earliest instant
        equivalent to the start (the start itself when open, else the last closing before it),
        the same local time on the N-th following working day. Then the minutes count open
        minutes. With pauses, the days stand for the open time they hold from the start and the
        whole target is counted over open time outside the pauses.

        A target with minutes ends at the EARLIEST instant with that business time (Friday 08:00
        + 8h on 09:00-17:00 is Friday 17:00, the closing). A target of whole days ends at the
        LATEST such instant (LANGUAGE.md, "Deadlines"): on Mon-Fri 08:00-18:00, Friday 08:00 + 1d
        is Monday 08:00, not Friday 18:00, and Saturday 10:00 + 1d is Tuesday 08:00.

        `by close` (a `Close`) ends at the closing of the last open span of the working day the
        clock starts on (a start outside hours starts at the next opening, on its working day);
        `by close +Nd` at that of the N-th working day after it. The business time from the start
        to that close is the target, so pauses push the deadline on as for any target. On a 24x7
        calendar it is 24:00 of the start's local day (N days later).
        """
        # The common call written out (`_learnt_position`, `at_position_us`, `_dt`: a Python call
        # costs as much as the arithmetic here): a start in the calendar's zone and a target of
        # open minutes without pauses, read through the hours learnt so far (`_hour`, `_shift`).
        if start.tzinfo is self.zone and type(start) is datetime and type(target) is Duration and not paused:
            minutes = target.minutes
            if minutes > 0 and not target.days and not target.weeks and not self.always:
                wall = start - self._zoned_epoch  # one zone: the difference of the wall clocks
                local = (wall.days * 86400 + wall.seconds) * 1_000_000 + wall.microseconds
                hour = local // HOUR
                known = self._hours.get(hour) or self._hour(hour)
                if known:
                    base, opened = known
                    p = (base + local - hour * HOUR if opened else base) + minutes * MINUTE
                    k = (p - 1) // HOUR
                    shift = self._shifts.get(k)
                    if shift is None:
                        shift = self._shift(k)
                    if shift is not None:
                        us = p + shift
                        instant = _fromtimestamp(us // 1_000_000, self.zone)
                        micro = us % 1_000_000
                        return instant.replace(microsecond=micro) if micro else instant
        return self._dt(self.deadline_us(self._us(start), target, self._us_pairs(paused) if paused else ()))

    def elapsed(
        self, start: datetime, end: datetime, *, paused: Sequence[tuple[datetime, datetime]] = ()
    ) -> timedelta:
        """Business time from `start` to `end` less the open time inside `paused` (intervals that
        may overlap or lie outside hours); negative when `end` is before `start`."""
        if not paused and not self.always:
            here, there = self._learnt_position(start), self._learnt_position(end)
            if here is not None and there is not None:
                return timedelta(microseconds=there - here)
        us = self.elapsed_us(self._us(start), self._us(end), self._us_pairs(paused) if paused else ())
        return timedelta(microseconds=us)

    # The same in integer microseconds since 1970-01-01 UTC, for callers that measure many
    # tickets: no datetime is made on the way. A pause may end at NEVER (it has not ended yet).

    def deadline_us(
        self, start: int, target: Duration | Close, paused: Sequence[tuple[int, int]] = ()
    ) -> int:
        """`deadline` in microseconds; NEVER when a pause that never ends stops the clock first."""
        if isinstance(target, Close):
            return self._by_close(start, target.days, paused)
        days = target.weeks * 7 + target.days
        if self.always:
            budget = (days * 1440 + target.minutes) * MINUTE
            if budget > 0 and not paused:
                return start + budget
        else:
            budget = target.minutes * MINUTE
            if not self._lo <= start < self._hi:
                self._cover(start)
            here = self._pos(start)
            if days:
                budget += self._pos(self._add_days(start, days)) - here
            if budget > 0 and not paused:
                return self._latest(here + budget) if days and not target.minutes else self._at(here + budget)
        if budget <= 0:
            return start
        return self._run(
            start, budget, merged(paused), latest=not self.always and bool(days) and not target.minutes
        )

    def _by_close(self, start: int, later: int, paused: Sequence[tuple[int, int]]) -> int:
        """The deadline of `by close +later d` (see `deadline`)."""
        if self.always:
            day = self.wall.local(start) // DAY + later + 1  # the next local midnight, days on
            close = self.wall.utc(day * DAY)
        else:
            self._cover(start)
            j = bisect_right(self._ends, start)  # the interval open at the start, else the next one
            while j >= len(self._starts):
                self._append()
            k = bisect_left(self._workdays, self._closing[j][0]) + later
            while k >= len(self._workdays):
                self._append()
            workday = self._workdays[k]
            while self._closing[-1][0] <= workday:  # the day's last span may close after midnight
                self._append()
            close = self._ends[bisect_left(self._closing, (workday + 1, -1)) - 1]
        if not paused:
            return close
        self._cover(close)
        return self._run(start, self.elapsed_us(start, close), merged(paused))

    def elapsed_us(self, start: int, end: int, paused: Sequence[tuple[int, int]] = ()) -> int:
        """`elapsed` in microseconds."""
        if end < start:
            return -self.elapsed_us(end, start, paused)
        self._cover(start)
        self._cover(end)
        total = self._pos(end) - self._pos(start)
        for ps, pe in merged(paused) if paused else ():
            ps, pe = max(ps, start), min(pe, end)
            if ps < pe:
                total -= self._pos(pe) - self._pos(ps)
        return total

    def position_us(self, t: int) -> int:
        """The business time at an instant on an origin that never moves: the business time
        between two instants is the difference of their positions."""
        if self.always:
            return t
        if not self._lo <= t < self._hi:
            self._cover(t)
        i = bisect_right(self._starts, t) - 1
        if i < 0:
            return self._b_lo
        end = self._ends[i]
        return self._cend[i] - (end - t) if t < end else self._cend[i]

    _pos = position_us

    def at_position_us(self, p: int) -> int:
        """The earliest instant at a business-time position (at or after a position returned by
        `position_us`): `at_position_us(position_us(s) + budget)` is the deadline without pauses
        of a target of `budget` open minutes."""
        if self.always:
            return p
        while p > self._b_hi:
            self._append()
        cend = self._cend
        i = bisect_left(cend, p)
        return self._ends[i] - (cend[i] - p)

    _at = at_position_us

    def _latest(self, p: int) -> int:
        """The latest instant at a business-time position: the next opening when `p` falls
        exactly on a closing, else the one instant there is."""
        while True:
            cend = self._cend
            i = bisect_right(cend, p)
            if i < len(cend):
                return (
                    self._ends[i] - (cend[i] - p)
                    if cend[i] - p < self._ends[i] - self._starts[i]
                    else self._starts[i]
                )
            self._append()

    def positions_us(self, instants: NDArray[np.int64]) -> NDArray[np.int64]:
        """`position_us` of many instants at once (a numpy int64 array)."""
        import numpy as np

        if self.always or not len(instants):
            return instants
        self._cover(int(instants.min()))
        self._cover(int(instants.max()))
        starts, ends, cend = self._arrays()
        i = np.searchsorted(starts, instants, side="right") - 1
        j = np.maximum(i, 0)
        end, top = ends[j], cend[j]
        found = np.where(instants < end, top - (end - instants), top)
        return np.where(i < 0, self._b_lo, found)

    def at_positions_us(self, positions: NDArray[np.int64]) -> NDArray[np.int64]:
        """`at_position_us` of many positions at once."""
        import numpy as np

        if self.always or not len(positions):
            return positions
        self.at_position_us(int(positions.max()))  # grows the timeline to the furthest
        _, ends, cend = self._arrays()
        i = np.searchsorted(cend, positions, side="left")
        result: NDArray[np.int64] = ends[i] - (cend[i] - positions)
        return result

    # -- many at once ---------------------------------------------------------------------------
    # `deadline_us` and `elapsed_us` of many starts at once (numpy int64 arrays), with the same
    # results to the microsecond. Pauses are given as three arrays (`Paused`): the index of the
    # start each pause belongs to, and its start and end, grouped by that index in ascending
    # order, each start's pauses merged (`merged`) and in time order.

    def deadlines_us(
        self, starts: NDArray[np.int64], target: Duration | Close, paused: Paused | None = None
    ) -> NDArray[np.int64]:
        """`deadline_us` of each start (with its pauses, when given)."""
        import numpy as np

        if isinstance(target, Close):  # rare in a tickets file: one start at a time
            own: dict[int, list[tuple[int, int]]] = {}
            if paused is not None:
                for i, a, b in zip(*(part.tolist() for part in paused)):
                    own.setdefault(i, []).append((a, b))
            return np.fromiter(
                (self._by_close(s, target.days, own.get(i, ())) for i, s in enumerate(starts.tolist())),
                dtype=np.int64,
                count=len(starts),
            )

        days = target.weeks * 7 + target.days
        latest = not self.always and bool(days) and not target.minutes
        if not len(starts):
            return starts.copy()
        if self.always:
            here = starts
            budget = np.full(len(starts), (days * 1440 + target.minutes) * MINUTE, dtype=np.int64)
        else:
            here = self.positions_us(starts)
            budget = np.full(len(starts), target.minutes * MINUTE, dtype=np.int64)
            if days:
                budget += self.positions_us(self._add_days_many(starts, days)) - here
        result = starts.copy()
        walking = budget > 0
        if paused is not None and len(paused[0]):
            here, budget, never = self._run_many(starts, here, budget, walking, paused)
            result[never] = NEVER
            walking &= ~never
        ends = here[walking] + budget[walking]
        result[walking] = self._latest_many(ends) if latest else self.at_positions_us(ends)
        return result

    def elapsed_many_us(
        self, starts: NDArray[np.int64], ends: NDArray[np.int64], paused: Paused | None = None
    ) -> NDArray[np.int64]:
        """`elapsed_us` from each start to its end (less its pauses, when given)."""
        import numpy as np

        sign = np.where(ends < starts, -1, 1)
        lo, hi = np.minimum(starts, ends), np.maximum(starts, ends)
        total = self.positions_us(hi) - self.positions_us(lo)
        if paused is not None and len(paused[0]):
            owner, ps, pe = paused
            ps, pe = np.maximum(ps, lo[owner]), np.minimum(pe, hi[owner])
            inside = ps < pe
            np.subtract.at(
                total, owner[inside], self.positions_us(pe[inside]) - self.positions_us(ps[inside])
            )
        result: NDArray[np.int64] = total * sign
        return result

    def _run_many(
        self,
        starts: NDArray[np.int64],
        here: NDArray[np.int64],
        budget: NDArray[np.int64],
        walking: NDArray[np.bool_],
        paused: Paused,
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
        """`_run` of many starts: the business-time position the walk ends at and the budget left
        there, and which stop at a pause that never ends (NEVER)."""
        import numpy as np

        owner, ps, pe = paused
        at = starts.copy()  # the instant each walk has reached
        budget = budget.copy()
        never = np.zeros(len(starts), dtype=bool)
        active = walking.copy()  # still taking pauses
        # A pause's rank among its owner's: the walk takes the first pause of every start, then
        # the second, and so on.
        first = np.r_[True, owner[1:] != owner[:-1]]
        rank = np.arange(len(owner)) - np.maximum.accumulate(np.where(first, np.arange(len(owner)), 0))
        for r in range(int(rank.max()) + 1 if len(rank) else 0):
            chosen = np.flatnonzero(rank == r)
            o = owner[chosen]
            keep = active[o]
            chosen, o = chosen[keep], o[keep]
            a, b, now = ps[chosen], pe[chosen], at[o]
            ahead = b > now  # a pause over before the walk got there is passed by
            chosen, o, a, b, now = chosen[ahead], o[ahead], a[ahead], b[ahead], now[ahead]
            later = a > now
            room = np.zeros(len(o), dtype=np.int64)
            if later.any():
                room[later] = self.positions_us(a[later]) - self.positions_us(now[later])
            stop = later & (room >= budget[o])  # the budget runs out before this pause
            active[o[stop]] = False
            go = ~stop
            budget[o[go]] -= room[go]
            ending = go & (b >= NEVER)
            never[o[ending]] = True
            active[o[ending]] = False
            moved = go & ~ending
            at[o[moved]] = b[moved]
        position = here.copy()
        moved = at != starts
        if moved.any():
            position[moved] = self.positions_us(at[moved])
        return position, budget, never

    def _latest_many(self, positions: NDArray[np.int64]) -> NDArray[np.int64]:
        """`_latest` of many positions at once."""
        import numpy as np

        if not len(positions):
            return positions
        self._latest(int(positions.max()))  # grows the timeline to the furthest
        starts, ends, cend = self._arrays()
        i = np.searchsorted(cend, positions, side="right")
        before = cend[i] - positions
        result: NDArray[np.int64] = np.where(before < ends[i] - starts[i], ends[i] - before, starts[i])
        return result

    def _add_days_many(self, starts: NDArray[np.int64], days: int) -> NDArray[np.int64]:
        """`_add_days` of many starts at once."""
        import numpy as np

        self._cover(int(starts.min()))
        self._cover(int(starts.max()))
        for _ in range(_LOOKBACK_YEARS):  # as `_add_days` looks back for an opening before a start
            if bisect_left(self._starts, int(starts.min())) > 0:
                break
            self._prepend()
        opens, closes, _ = self._arrays()
        i = np.searchsorted(opens, starts, side="left") - 1
        found = np.empty(len(starts), dtype=np.int64)
        alone = i < 0  # no opening for years before: the one-at-a-time way, which counts from the next
        for j in np.flatnonzero(alone).tolist():
            found[j] = self._add_days(int(starts[j]), days)
        rest = ~alone
        if not rest.any():
            return found
        s, i = starts[rest], i[rest]
        closing = np.array(self._closing, dtype=np.int64).reshape(-1, 2)
        day = closing[i, 0]
        open_now = s < closes[i]
        tod = np.where(open_now, self.wall.local_many(s) - (day - EPOCH_DAY) * DAY, closing[i, 1])
        k = np.searchsorted(np.array(self._workdays, dtype=np.int64), day, side="right") + days - 1
        while int(k.max()) >= len(self._workdays):
            self._append()
        workdays = np.array(self._workdays, dtype=np.int64)
        t = self.wall.utc_many((workdays[k] - EPOCH_DAY) * DAY + tod)
        self._cover(int(t.min()))
        self._cover(int(t.max()))
        found[rest] = t
        return found

    def _arrays(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """The timeline as numpy arrays, made again when it has grown."""
        import numpy as np

        key = (self._first, len(self._starts))
        if self._numpy_key != key:
            self._numpy = tuple(np.array(x, dtype=np.int64) for x in (self._starts, self._ends, self._cend))  # type: ignore[assignment]
            self._numpy_key = key
        return self._numpy

    def to_us(self, instant: datetime) -> int:
        """An instant in microseconds since 1970-01-01 UTC; a naive one is local to the calendar."""
        return self._us(instant)

    def from_us(self, us: int) -> datetime:
        """Microseconds since 1970-01-01 UTC as an aware instant in the calendar's zone."""
        return self._dt(us)

    def is_open(self, instant: datetime) -> bool:
        """Whether the calendar is open at an instant (spans are half-open)."""
        if self.always:
            return True
        t = self._us(instant)
        self._cover(t)
        i = bisect_right(self._starts, t) - 1
        return i >= 0 and t < self._ends[i]

    def closed_on(self, day: date) -> bool:
        """Whether a local date is a holiday or a `closed` date (whatever its hours)."""
        return day.toordinal() in self._closed_days(day.year)

    def closed_because(self, day: date) -> str | None:
        """Why a local date is closed: the holiday's name (as the holidays library gives it in
        English), "a closed date", or None when it is not closed."""
        if not self.closed_on(day):
            return None
        for region in self.calendar.holidays:
            name = _holiday_names(*_region(region), day.year).get(day.toordinal())
            if name is not None:
                names = [
                    n.strip() for n in name.split(";") if n.strip().casefold() not in self._open_holidays
                ]
                if names:
                    return "; ".join(names)
        return "a closed date"

    def open_intervals(self, start: datetime, end: datetime) -> list[Interval]:
        """The open intervals [open, close) between two instants, clipped to them."""
        s, e = self._us(start), self._us(end)
        if e <= s:
            return []
        if self.always:
            return [(self._dt(s), self._dt(e))]
        self._cover(s)
        self._cover(e)
        found = []
        for i in range(bisect_right(self._ends, s), bisect_left(self._starts, e)):
            found.append((self._dt(max(s, self._starts[i])), self._dt(min(e, self._ends[i]))))
        return found

    # -- instants -----------------------------------------------------------------------------

    def _us(self, instant: datetime) -> int:
        if instant.tzinfo is self.zone:  # the common case, without asking zoneinfo for an offset
            local = (
                (instant.toordinal() - EPOCH_DAY) * 86400
                + instant.hour * 3600
                + instant.minute * 60
                + instant.second
            ) * 1_000_000 + instant.microsecond  # `_naive_us`, written out
            offset = self._steady.get(local // HOUR)  # the wall clock's remembered hours
            if offset is None:
                offset = self.wall.steady_offset(local)
            if offset is not None:
                return local - offset
        elif instant.tzinfo is None or instant.utcoffset() is None:
            return self.wall.utc(_naive_us(instant))
        return (instant - EPOCH) // ONE_US

    def _us_pairs(self, paused: Sequence[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
        return [(self._us(a), self._us(b)) for a, b in paused]

    def _dt(self, us: int) -> datetime:
        # from whole seconds: exact, and it sets `fold` in a repeated hour (replace keeps it)
        instant = _fromtimestamp(us // 1_000_000, self.zone)
        micro = us % 1_000_000
        return instant.replace(microsecond=micro) if micro else instant

    # -- hours learnt, for `deadline` --------------------------------------------------------
    # Positions do not move as the timeline grows, so what is learnt of an hour holds for good.

    def _learnt_position(self, instant: datetime) -> int | None:
        """`position_us` of an instant in the calendar's zone in a learnt hour (`_hour`), else None."""
        if instant.tzinfo is not self.zone or type(instant) is not datetime:
            return None
        wall = instant - self._zoned_epoch  # one zone: the difference of the wall clocks
        local = (wall.days * 86400 + wall.seconds) * 1_000_000 + wall.microseconds
        hour = local // HOUR
        known = self._hours.get(hour) or self._hour(hour)
        if not known:
            return None
        base, opened = known
        return base + local - hour * HOUR if opened else base

    def _hour(self, hour: int) -> tuple[int, bool] | tuple[()]:
        """A local hour (wall-clock microseconds // HOUR) in which the offset does not change and
        the calendar neither opens nor closes: the position at its start and whether it is open,
        so that a wall time `w` in it is at `base + w - hour * HOUR` when open, else at `base`.
        Empty for any other hour, and for an hour outside the timeline built so far (the general
        way grows it, and the hour is learnt on a later call). Learnt on first use."""
        known = self._hours.get(hour)
        if known is not None:
            return known
        found: tuple[int, bool] | tuple[()] = ()
        offset = self.wall.steady_offset(hour * HOUR)
        if offset is not None:
            first = hour * HOUR - offset  # the hour in UTC, [first, first + HOUR)
            if not self._lo <= first < self._hi:  # the timeline holds whole local years: all or none of it
                return found
            i = bisect_right(self._starts, first) - 1
            if i + 1 == len(self._starts) or self._starts[i + 1] >= first + HOUR:  # no opening in it
                if (
                    i < 0 or self._ends[i] <= first
                ):  # closed: one value, shared by the hours until the next opening
                    base = self._b_lo if i < 0 else self._cend[i]
                    found = self._closed_hours.setdefault(base, (base, False))
                elif self._ends[i] >= first + HOUR:
                    found = (self._cend[i] - (self._ends[i] - first), True)
        self._hours[hour] = found
        return found

    def _shift(self, k: int) -> int | None:
        """The positions (k * HOUR, (k + 1) * HOUR] when one open interval holds them all: the
        instant of each is the position plus the shift returned (`at_position_us`). None for
        others, and for positions past the timeline built so far. Learnt on first use."""
        if k in self._shifts:
            return self._shifts[k]
        top = (k + 1) * HOUR
        if top > self._b_hi:
            return None
        cend = self._cend
        j = bisect_left(cend, k * HOUR + 1)
        shift = None
        if cend[j] >= top and cend[j] - (self._ends[j] - self._starts[j]) <= k * HOUR:
            shift = self._ends[j] - cend[j]
        self._shifts[k] = shift
        return shift

    # -- business time ------------------------------------------------------------------------

    def _run(self, s: int, budget: int, pauses: list[tuple[int, int]], latest: bool = False) -> int:
        """Where `budget` of business time runs out from s, the clock stopped during `pauses`."""
        self._cover(s)
        here = s
        for ps, pe in pauses:
            if pe <= here:
                continue
            if ps > here:
                self._cover(ps)
                room = self._pos(ps) - self._pos(here)
                if room >= budget:
                    break
                budget -= room
            if pe >= NEVER:
                return NEVER
            here = pe
            self._cover(here)
        end = self._pos(here) + budget
        return self._latest(end) if latest else self._at(end)

    def _add_days(self, s: int, days: int) -> int:
        """The day part of a deadline: the same local time, `days` working days on."""
        self._cover(s)
        i = bisect_left(self._starts, s) - 1  # the last interval opening before s
        for _ in range(_LOOKBACK_YEARS):
            if i >= 0:
                break
            self._prepend()
            i = bisect_left(self._starts, s) - 1
        if i < 0:  # no opening for years before the start: count from the next opening
            j = bisect_left(self._starts, s)
            while j >= len(self._starts):
                self._append()
            day, tod = self._read(j, self._starts[j])
        elif s < self._ends[i]:  # open: the start is its own earliest equivalent
            day, tod = self._read(i, s)
        else:  # closed: the last closing, read on the day its span opened (24:00 stays 24:00)
            day, tod = self._closing[i]
        k = bisect_right(self._workdays, day) + days - 1
        while k >= len(self._workdays):
            self._append()
        t = self.wall.utc((self._workdays[k] - EPOCH_DAY) * DAY + tod)
        self._cover(t)
        return t  # when closed, `_at` reports its earliest equivalent: the last closing before it

    def _read(self, i: int, t: int) -> tuple[int, int]:
        """An instant of interval i as the date its span opened on and the time after its midnight."""
        day = self._closing[i][0]
        return day, self.wall.local(t) - (day - EPOCH_DAY) * DAY

    # -- the timeline -------------------------------------------------------------------------

    def _cover(self, t: int) -> None:
        """Grow the timeline by whole local years until it holds instant t."""
        if self.always:
            return
        if self._lo == self._hi:
            year = date.fromordinal(self.wall.local(t) // DAY + EPOCH_DAY).year
            self._first, self._last = year, year - 1
            self._lo = self._hi = self._year_start(year)
            self._append()
        while t < self._lo:
            self._prepend()
        while t >= self._hi:
            self._append()

    def _year_start(self, year: int) -> int:
        return self.wall.utc((date(year, 1, 1).toordinal() - EPOCH_DAY) * DAY)

    def _append(self) -> None:
        year = self._last + 1
        if year > _LAST_YEAR:
            raise _beyond(self.calendar, f"has no open time left before the year {year}")
        starts, ends, closing, workdays = self._build(year)
        p = self._b_hi
        for a, b in zip(starts, ends):
            p += b - a
            self._cend.append(p)
        self._starts += starts
        self._ends += ends
        self._closing += closing
        self._workdays += workdays
        self._last, self._hi, self._b_hi = year, self._year_start(year + 1), p

    def _prepend(self) -> None:
        year = self._first - 1
        if year < _FIRST_YEAR:
            raise _beyond(self.calendar, f"has no open time after the year {year}")
        starts, ends, closing, workdays = self._build(year)
        p = self._b_lo - sum(b - a for a, b in zip(starts, ends))
        self._b_lo = p
        cend = []
        for a, b in zip(starts, ends):
            p += b - a
            cend.append(p)
        self._starts = starts + self._starts
        self._ends = ends + self._ends
        self._cend = cend + self._cend
        self._closing = closing + self._closing
        self._workdays = workdays + self._workdays
        self._first, self._lo = year, self._year_start(year)

    def _build(self, year: int) -> tuple[list[int], list[int], list[tuple[int, int]], list[int]]:
        """Open intervals, their closings and the working days of one local year."""
        starts: list[int] = []
        ends: list[int] = []
        closing: list[tuple[int, int]] = []
        workdays: list[int] = []
        closed = self._closed_days(year)
        for day in range(date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()):
            pieces = self._week[(day + 6) % 7]  # ordinal 1 is a Monday
            if not pieces or day in closed:
                continue
            midnight = (day - EPOCH_DAY) * DAY
            if day in self._closed_parts:
                pieces = _without(pieces, self._closed_parts[day])
            for a, b, late in pieces:
                s, e = self.wall.utc(midnight + a), self.wall.utc(midnight + b)
                if e <= s:  # swallowed by a spring-forward gap
                    continue
                if not late and (not workdays or workdays[-1] != day):
                    workdays.append(day)
                # Abutting pieces (22:00-24:00, 00:00-06:00) stay apart, each knowing its day;
                # overlapping ones (refused by the checks) are merged so time is not counted twice.
                if ends and s < ends[-1]:
                    if e > ends[-1]:
                        ends[-1], closing[-1] = e, (day - late, b + late * DAY)
                else:
                    starts.append(s)
                    ends.append(e)
                    closing.append((day - late, b + late * DAY))
        return starts, ends, closing, workdays

    def _closed_days(self, year: int) -> frozenset[int]:
        return _closed_days(self._regions, self._closed, year, self._open_holidays)


def _without(pieces: list[Piece], closed: list[tuple[int, int]]) -> list[Piece]:
    """A day's open pieces less the spans closed on that date."""
    for ca, cb in closed:
        kept: list[Piece] = []
        for a, b, late in pieces:
            if a < ca:
                kept.append((a, min(b, ca), late))
            if b > cb:
                kept.append((max(a, cb), b, late))
        pieces = [(a, b, late) for a, b, late in kept if a < b]
    return pieces


def merged(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Intervals [start, end) as sorted, disjoint intervals: overlapping and touching ones joined,
    empty ones dropped."""
    found: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if found and a <= found[-1][1]:
            if b > found[-1][1]:
                found[-1] = (found[-1][0], b)
        else:
            found.append((a, b))
    return found


@lru_cache(maxsize=64)
def _shared(calendar: Calendar) -> BusinessCalendar:
    return BusinessCalendar(calendar)


def _week(calendar: Calendar) -> list[list[Piece]]:
    """The calendar's open pieces per weekday (`sla.week.pieces`) in microseconds."""
    return [
        [(start * MINUTE, end * MINUTE, carried) for start, end, carried in day] for day in pieces(calendar)
    ]


def _beyond(calendar: Calendar, why: str) -> SlaError:
    """SLA030: a deadline or business time that runs past the years sla counts on a calendar."""
    from .codes import error

    return error(
        "SLA030",
        f"calendar {calendar.name!r} {why}: sla counts the years {_FIRST_YEAR} to {_LAST_YEAR}",
        calendar.span,
        "a target or a start this far from today is likely a typing error",
    )


def _region(region: str) -> tuple[str, str | None]:
    country, _, subdivision = region.partition("-")
    return country, subdivision or None


@lru_cache(maxsize=1024)
def _closed_days(
    regions: tuple[tuple[str, str | None], ...],
    closed: tuple[tuple[int, int], ...],
    year: int,
    kept_open: frozenset[str] = frozenset(),
) -> frozenset[int]:
    """Ordinals of the holidays and closed dates of a calendar in one year; a holiday whose
    every name is in `kept_open` (casefolded) does not close its date."""
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    days = {d for a, b in closed for d in range(max(a, first), min(b, last) + 1)}
    for country, subdivision in regions:
        if kept_open:
            names = _holiday_names(country, subdivision, year)
            days.update(
                d
                for d, name in names.items()
                if first <= d <= last and any(n.strip().casefold() not in kept_open for n in name.split(";"))
            )
        else:
            days.update(d for d in _holidays(country, subdivision, year) if first <= d <= last)
    return frozenset(days)


@lru_cache(maxsize=1024)
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[int]:
    """The public holidays (observed days included) the `holidays` library lists for a year."""
    return frozenset(_holiday_names(country, subdivision, year))


def holiday_names(region: str, years: Iterable[int]) -> list[str]:
    """The names of a region's public holidays over some years, in English, each once."""
    found: dict[str, None] = {}
    for year in years:
        for name in _holiday_names(*_region(region), year).values():
            found.update((n.strip(), None) for n in name.split(";"))
    return sorted(found)


@lru_cache(maxsize=1024)
def _holiday_names(country: str, subdivision: str | None, year: int) -> dict[int, str]:
    """Ordinal -> English name of each public holiday of a region in a year."""
    import holidays  # a large package: load it only for calendars that name holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=year, language="en_US")
    return {d.toordinal(): str(name) for d, name in found.items()}


def _local_us(naive: datetime, zone: ZoneInfo) -> int:
    """UTC microseconds of a local wall time: the earliest instant the clock shows it or later."""
    first = (naive.replace(tzinfo=zone, fold=0) - EPOCH) // ONE_US
    second = (naive.replace(tzinfo=zone, fold=1) - EPOCH) // ONE_US
    if first <= second:  # an ordinary time, or a fold, whose first occurrence is fold 0
        return first
    # A gap: fold 0 read the time with the offset before the jump (too late) and fold 1 with the
    # offset after it (too early); search between them for the jump itself.
    lo, hi = second, first
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _naive(mid, zone) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def _naive(us: int, zone: ZoneInfo) -> datetime:
    return (EPOCH + timedelta(microseconds=us)).astimezone(zone).replace(tzinfo=None)


def _naive_us(wall: datetime) -> int:
    """A wall time (its fields, whatever its tzinfo) as microseconds after 1970-01-01 00:00."""
    return (
        (wall.toordinal() - EPOCH_DAY) * 86400 + wall.hour * 3600 + wall.minute * 60 + wall.second
    ) * 1_000_000 + wall.microsecond


class WallClock:
    """Exact conversions between UTC and the wall clock of one zone, in integer microseconds.

    Both directions remember the offset of each hour in which it does not change (checked at
    both ends of the hour, and for a wall hour in both folds); an hour with a change, and only
    such an hour, goes through zoneinfo every time. So a conversion is a dict lookup, and the
    memory is a few hundred kilobytes per year of times converted.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._to_utc: dict[int, int | None] = {}
        self._to_wall: dict[int, int | None] = {}
        #: For the many-at-once ways: "utc" or "local" -> (the first hour, each hour's offset,
        #: whether it has one), over every hour between the earliest and latest asked for.
        self._tables: dict[str, tuple[int, NDArray[np.int64], NDArray[np.bool_]]] = {}

    def utc(self, wall: int) -> int:
        """The instant of a wall time: the earliest instant the clock shows it or later (the
        first occurrence in a fold; the moment of the jump in a gap)."""
        offset = self.steady_offset(wall)
        if offset is None:
            return _local_us(NAIVE_EPOCH + timedelta(microseconds=wall), self.zone)
        return wall - offset

    def steady_offset(self, wall: int) -> int | None:
        """The offset at a wall time when its hour has no change (so the wall time names one
        instant whatever its fold), else None."""
        hour = wall // HOUR
        try:
            return self._to_utc[hour]
        except KeyError:
            offset = self._to_utc[hour] = self._wall_hour_offset(hour)
            return offset

    def local(self, utc: int) -> int:
        """The wall time of an instant."""
        hour = utc // HOUR
        try:
            offset = self._to_wall[hour]
        except KeyError:
            offset = self._to_wall[hour] = self._utc_hour_offset(hour)
        if offset is None:
            return _naive_us(_naive(utc, self.zone))
        return utc + offset

    def utc_many(self, walls: NDArray[np.int64]) -> NDArray[np.int64]:
        """`utc` of many wall times at once (a numpy int64 array)."""
        import numpy as np

        offsets, steady = self._hourly(walls, "utc")
        result: NDArray[np.int64] = walls - offsets
        for j in np.flatnonzero(~steady).tolist():
            result[j] = self.utc(int(walls[j]))
        return result

    def local_many(self, instants: NDArray[np.int64]) -> NDArray[np.int64]:
        """`local` of many instants at once."""
        import numpy as np

        offsets, steady = self._hourly(instants, "local")
        result: NDArray[np.int64] = instants + offsets
        for j in np.flatnonzero(~steady).tolist():
            result[j] = self.local(int(instants[j]))
        return result

    def _hourly(self, times: NDArray[np.int64], way: str) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Each time's hour's offset, and whether it has one (no change within the hour): from a
        table of every hour between the earliest and the latest time asked for so far, made once
        and widened as needed (each hour asked of `steady_offset` or its counterpart for UTC)."""
        import numpy as np

        if not len(times):
            return np.zeros(0, dtype=np.int64), np.ones(0, dtype=bool)
        hours = times // HOUR
        lo, hi = int(hours.min()), int(hours.max()) + 1
        first, offsets, known = self._tables.get(way) or (
            lo,
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=bool),
        )
        start, stop = min(lo, first), max(hi, first + len(offsets))
        if stop - start > 1 << 20:  # hours far apart (centuries): each distinct hour asked alone
            distinct, where = np.unique(hours, return_inverse=True)
            found = [self._offset_of(way, h) for h in distinct.tolist()]
            table = np.array([0 if o is None else o for o in found], dtype=np.int64)
            has = np.array([o is not None for o in found], dtype=bool)
            return table[where], has[where]
        if start < first or stop > first + len(offsets):
            table = np.zeros(stop - start, dtype=np.int64)
            has = np.zeros(stop - start, dtype=bool)
            table[first - start : first - start + len(offsets)] = offsets
            has[first - start : first - start + len(offsets)] = known
            for h in (*range(start, first), *range(first + len(offsets), stop)):
                offset = self._offset_of(way, h)
                if offset is not None:
                    table[h - start], has[h - start] = offset, True
            self._tables[way] = first, offsets, known = start, table, has
        where = hours - first
        return offsets[where], known[where]

    def _offset_of(self, way: str, hour: int) -> int | None:
        if way == "utc":
            return self.steady_offset(hour * HOUR)
        try:
            return self._to_wall[hour]
        except KeyError:
            offset = self._to_wall[hour] = self._utc_hour_offset(hour)
            return offset

    def _wall_hour_offset(self, hour: int) -> int | None:
        first = NAIVE_EPOCH + timedelta(microseconds=hour * HOUR)
        last = first + timedelta(microseconds=HOUR - 1)
        offsets = {
            t.replace(tzinfo=self.zone, fold=fold).utcoffset() for t in (first, last) for fold in (0, 1)
        }
        return _single(offsets)

    def _utc_hour_offset(self, hour: int) -> int | None:
        first = EPOCH + timedelta(microseconds=hour * HOUR)
        offsets = {
            (first + timedelta(microseconds=d)).astimezone(self.zone).utcoffset() for d in (0, HOUR - 1)
        }
        return _single(offsets)


def _single(offsets: set[timedelta | None]) -> int | None:
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else offset // ONE_US


@lru_cache(maxsize=256)
def wall_clock(zone: ZoneInfo) -> WallClock:
    """The shared converter of a zone."""
    return WallClock(zone)
