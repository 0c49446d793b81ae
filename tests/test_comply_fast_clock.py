"""Deadlines and business time of many tickets at once (what `sla comply` measures a file with) are
those of one ticket at a time, to the microsecond: on business hours, 24x7, overnight spans,
closed dates and holidays, across daylight-saving changes, with pauses that end and that never do."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

import sla
from sla.clock import BusinessCalendar, merged, wall_clock
from sla.instants import DAY, HOUR, MINUTE, NEVER, SECOND
from sla.values import Duration

CALENDARS = {
    "office": 'calendar c { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00; holidays DE-BY }',
    "always": 'calendar c { timezone "Europe/Berlin"; hours 24x7 }',
    "shifts": (
        'calendar c { timezone "America/New_York"; hours sun 22:00-06:00; hours mon-fri 06:00-24:00; '
        "hours sat 06:00-14:00; holidays US }"
    ),
    "split": (
        'calendar c { timezone "Europe/Berlin"; hours mon-fri 08:00-12:30, 13:15-17:30; '
        "hours sat 09:00-12:00; closed 2027-12-24..2027-12-31 }"
    ),
    "half-hour dst": 'calendar c { timezone "Australia/Lord_Howe"; hours mon-fri 01:00-04:00 }',
}
TARGETS = ("30m", "4h", "1d", "2d", "1d2h", "1w", "3d15m")
START = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp()) * SECOND


def _starts(rng: random.Random, n: int) -> np.ndarray:
    """Starts over two years: on the minute, between seconds, and at every hour of the DST nights."""
    found = [START + rng.randrange(2 * 365 * 1440) * MINUTE + rng.choice([0, 17 * SECOND]) for _ in range(n)]
    for night in ("2027-03-28", "2027-10-31", "2027-03-14", "2027-11-07", "2027-04-04", "2027-10-03"):
        base = int(datetime.fromisoformat(night).replace(tzinfo=UTC).timestamp()) * SECOND
        found += [base + k * 30 * MINUTE for k in range(-8, 12)]
    return np.array(found, dtype=np.int64)


def _pauses(
    rng: random.Random, starts: np.ndarray
) -> tuple[list[list[tuple[int, int]]], tuple[np.ndarray, ...]]:
    per_start: list[list[tuple[int, int]]] = []
    owner, ps, pe = [], [], []
    for i, s in enumerate(starts.tolist()):
        raw = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            a = s + rng.randrange(-2 * 1440, 10 * 1440) * MINUTE
            raw.append((a, a + rng.randrange(1, 4 * DAY) if rng.random() > 0.1 else NEVER))
        pauses = merged(raw)
        per_start.append(pauses)
        for a, b in pauses:
            owner.append(i)
            ps.append(a)
            pe.append(b)
    return per_start, tuple(np.array(x, dtype=np.int64) for x in (owner, ps, pe))


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_many_deadlines_and_elapsed_times_are_those_of_one_at_a_time(name: str) -> None:
    calendar = sla.parse(CALENDARS[name]).calendars[0]
    rng = random.Random(name)
    for text in TARGETS:
        target = Duration.parse(text)
        starts = _starts(rng, 400)
        per_start, paused = _pauses(rng, starts)
        one = BusinessCalendar(calendar)  # fresh: the many-at-once way must grow its own timeline
        expected = [one.deadline_us(s, target) for s in starts.tolist()]
        assert BusinessCalendar(calendar).deadlines_us(starts, target).tolist() == expected, text
        expected = [one.deadline_us(s, target, p) for s, p in zip(starts.tolist(), per_start)]
        assert BusinessCalendar(calendar).deadlines_us(starts, target, paused).tolist() == expected, text
        ends = starts + np.array([rng.randrange(-DAY, 20 * DAY) for _ in starts], dtype=np.int64)
        expected = [one.elapsed_us(s, e, p) for s, e, p in zip(starts.tolist(), ends.tolist(), per_start)]
        assert BusinessCalendar(calendar).elapsed_many_us(starts, ends, paused).tolist() == expected, text


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_many_wall_times_convert_as_one_at_a_time(zone: str) -> None:
    from zoneinfo import ZoneInfo

    rng = random.Random(zone)
    times = np.array(
        [START + rng.randrange(-3 * 365 * 24 * 4, 3 * 365 * 24 * 4) * 15 * MINUTE for _ in range(3000)]
        + [START + k * 10 * MINUTE for k in range(0, 365 * 24 * 6, 7)],
        dtype=np.int64,
    )
    wall = wall_clock(ZoneInfo(zone))
    assert wall.utc_many(times).tolist() == [wall.utc(t) for t in times.tolist()]
    assert wall.local_many(times).tolist() == [wall.local(t) for t in times.tolist()]
    far = np.array([START, START + 200 * 365 * DAY, START + 3 * HOUR], dtype=np.int64)  # hours far apart
    assert wall.utc_many(far).tolist() == [wall.utc(t) for t in far.tolist()]
