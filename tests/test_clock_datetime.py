"""The clock's datetime API (`deadline`, `elapsed`) against its microsecond API, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sla
from sla.clock import BusinessCalendar
from sla.values import Close, Duration

VIENNA = ZoneInfo("Europe/Vienna")
NEW_YORK = ZoneInfo("America/New_York")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def calendar(body: str, zone: ZoneInfo) -> BusinessCalendar:
    return BusinessCalendar(sla.parse(f'calendar c {{ timezone "{zone.key}"; {body} }}').calendars[0])


def same(a: datetime, b: datetime) -> bool:
    """The same instant written the same way: fields, offset, fold and zone."""
    return (a.isoformat(), a.fold, a.tzinfo, type(a)) == (b.isoformat(), b.fold, b.tzinfo, type(b))


BODIES = [
    "hours mon-fri 08:00-17:00; holidays {region}",
    "hours mon-sun 01:30-02:45, 03:00-04:00",  # spans on the nights the clocks change
    "hours mon-fri 22:00-06:00; holidays {region}",
    "hours mon-fri 08:15-12:40, 13:10-17:05; hours sat 09:00-12:00; closed 2027-03-29 10:00-11:30",
    "hours 24x7; holidays {region}",
    "hours 24x7",
]
CALENDARS = [
    calendar(body.format(region=region), zone)
    for zone, region in ((VIENNA, "AT"), (NEW_YORK, "US"))
    for body in BODIES
]
#: The changes of offset in 2027, in UTC: Vienna on 28 March and 31 October, New York on 14 March
#: and 7 November.
CHANGES = {
    VIENNA: [datetime(2027, 3, 28, 1, tzinfo=UTC), datetime(2027, 10, 31, 1, tzinfo=UTC)],
    NEW_YORK: [datetime(2027, 3, 14, 7, tzinfo=UTC), datetime(2027, 11, 7, 6, tzinfo=UTC)],
}


#: Wall times at which the calendars above open or close, or the clocks change
EDGES = [
    (1, 30),
    (2, 0),
    (2, 45),
    (3, 0),
    (4, 0),
    (6, 0),
    (8, 0),
    (8, 15),
    (12, 40),
    (13, 10),
    (17, 0),
    (17, 5),
]


@st.composite
def starts(draw: st.DrawFn, zone: ZoneInfo) -> datetime:
    """An aware time in the zone: any instant of 2026-2028; one near an opening, a closing or a
    change of offset on any date of 2027; or a wall time near a change in either fold (so times in
    a gap and in a repeated hour come up)."""
    way = draw(st.sampled_from(["any", "edge", "near", "wall"]))
    micro = draw(st.sampled_from([0, 0, 0, 1, 250_000, 999_999]))
    if way == "any":
        instant = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 3 * 366 * 86400)))
        return instant.astimezone(zone).replace(microsecond=micro)
    seconds = draw(st.sampled_from([0, 0, 0, -1, 1, -60, 60]) | st.integers(-1800, 1800))
    if way == "edge":
        hour, minute = draw(st.sampled_from(EDGES))
        day = datetime(2027, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
        wall = day.replace(hour=hour, minute=minute) + timedelta(seconds=seconds, microseconds=micro)
        return wall.replace(tzinfo=zone, fold=draw(st.integers(0, 1)))
    change = draw(st.sampled_from(CHANGES[zone]))
    seconds = draw(st.just(seconds) | st.integers(-4 * 86400, 4 * 86400))
    if way == "near":
        return (change + timedelta(seconds=seconds, microseconds=micro)).astimezone(zone)
    wall = change.astimezone(zone).replace(tzinfo=None) + timedelta(seconds=seconds, microseconds=micro)
    return wall.replace(tzinfo=zone, fold=draw(st.integers(0, 1)))


targets = st.one_of(
    st.integers(1, 6000).map(lambda m: Duration.of(minutes=m)),
    st.sampled_from([1, 2, 5, 25, 30, 45, 60, 70, 75, 100, 120, 240, 265, 480, 540]).map(
        lambda m: Duration.of(minutes=m)
    ),
    st.builds(Duration, st.integers(0, 1), st.integers(0, 3), st.integers(0, 900)),
    st.integers(0, 2).map(Close),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime]:
    cal = draw(st.sampled_from(CALENDARS))
    return cal, draw(starts(cal.zone))


@SETTINGS
@given(cases(), targets)
def test_a_deadline_is_that_of_the_microsecond_api(
    case: tuple[BusinessCalendar, datetime], target: Duration
) -> None:
    cal, start = case
    found = cal.deadline(start, target)
    assert same(found, cal.from_us(cal.deadline_us(cal.to_us(start), target)))
    # whatever the calendar has learnt before, and whatever zone the start is written in
    assert same(found, BusinessCalendar(cal.calendar).deadline(start, target))
    assert same(found, cal.deadline(start.astimezone(UTC), target))


@SETTINGS
@given(cases(), st.data())
def test_elapsed_is_that_of_the_microsecond_api(
    case: tuple[BusinessCalendar, datetime], data: st.DataObject
) -> None:
    cal, start = case
    end = data.draw(starts(cal.zone))
    found = cal.elapsed(start, end)
    assert found == timedelta(microseconds=cal.elapsed_us(cal.to_us(start), cal.to_us(end)))
    assert found == BusinessCalendar(cal.calendar).elapsed(start, end)
    assert found == cal.elapsed(start.astimezone(UTC), end)


@pytest.mark.parametrize(
    "cal", CALENDARS, ids=[f"{c.zone.key}-{i % len(BODIES)}" for i, c in enumerate(CALENDARS)]
)
def test_every_five_minutes_of_the_weeks_of_the_changes(cal: BusinessCalendar) -> None:
    """Each wall time five minutes apart (and a microsecond either side) over the weeks the clocks
    change, in both folds: deadlines of 35 minutes (so some fall on a closing) and elapsed times
    agree with the microsecond API."""
    target = Duration.of(minutes=35)
    origin = datetime(2027, 1, 1, tzinfo=cal.zone)
    for change in CHANGES[cal.zone]:
        first = change.astimezone(cal.zone).replace(tzinfo=None, hour=0, minute=0) - timedelta(days=3)
        for step in range(7 * 288):
            wall = first + timedelta(minutes=5 * step)
            for start in (wall, wall - timedelta(microseconds=1), wall + timedelta(microseconds=1)):
                for fold in (0, 1):
                    aware = start.replace(tzinfo=cal.zone, fold=fold)
                    here = cal.to_us(aware)
                    assert same(cal.deadline(aware, target), cal.from_us(cal.deadline_us(here, target)))
                    assert cal.elapsed(origin, aware) == timedelta(
                        microseconds=cal.elapsed_us(cal.to_us(origin), here)
                    )


def test_starts_before_the_first_opening_of_a_timeline_grown_backwards() -> None:
    """Times learnt before and after the timeline grows into the year before keep their places."""
    cal = calendar("hours mon-fri 08:00-17:00; holidays AT", VIENNA)
    early = datetime(2026, 1, 1, 0, 30, tzinfo=VIENNA)  # a holiday: the first opening is on the 2nd
    june = datetime(2027, 6, 1, 12, tzinfo=VIENNA)
    cal.deadline(june, Duration.parse("1h"))  # the timeline holds 2027
    for start in (early, datetime(2027, 1, 1, 0, 30, tzinfo=VIENNA), june):
        for target in ("1m", "8h", "9h", "1d"):
            found = cal.deadline(start, Duration.parse(target))
            assert same(found, cal.from_us(cal.deadline_us(cal.to_us(start), Duration.parse(target))))
    assert cal.deadline(early, Duration.parse("9h")).isoformat() == "2026-01-02T17:00:00+01:00"
    assert cal.elapsed(early, june) == timedelta(
        microseconds=cal.elapsed_us(cal.to_us(early), cal.to_us(june))
    )
    assert cal.elapsed(early, datetime(2026, 1, 2, 9, tzinfo=VIENNA)) == timedelta(hours=1)


def iso(cal: BusinessCalendar, start: datetime, target: str) -> tuple[str, int]:
    found = cal.deadline(start, Duration.parse(target))
    return found.isoformat(), found.fold


VIENNA_OFFICE = calendar("hours mon-fri 08:00-17:00; holidays AT", VIENNA)
NEW_YORK_ROUND = calendar("hours 24x7; holidays US", NEW_YORK)  # holidays: not real time, a timeline


def test_hand_computed_deadlines_across_dst_in_vienna() -> None:
    # Friday 16:00 + 2h: an hour on Friday, then the weekend of the spring change and Easter Monday
    assert iso(VIENNA_OFFICE, datetime(2027, 3, 26, 16, tzinfo=VIENNA), "2h") == (
        "2027-03-30T09:00:00+02:00",
        0,
    )
    # a week later, the same hours (CEST throughout), to the second and microsecond
    start = datetime(2027, 4, 2, 16, 59, 59, 999_999, tzinfo=VIENNA)
    assert iso(VIENNA_OFFICE, start, "1m") == ("2027-04-05T08:00:59.999999+02:00", 0)
    # the autumn change: Friday 29 October 16:30 + 1h, half an hour on Friday and, as Monday is
    # All Saints' Day, the other on Tuesday
    assert iso(VIENNA_OFFICE, datetime(2027, 10, 29, 16, 30, tzinfo=VIENNA), "1h") == (
        "2027-11-02T08:30:00+01:00",
        0,
    )
    assert VIENNA_OFFICE.elapsed(
        datetime(2027, 3, 26, 16, tzinfo=VIENNA), datetime(2027, 3, 30, 9, tzinfo=VIENNA)
    ) == timedelta(hours=2)


def test_hand_computed_deadlines_across_dst_in_new_york() -> None:
    # 01:30 EST + 1h on the spring night: the clock jumps from 02:00 to 03:00
    assert iso(NEW_YORK_ROUND, datetime(2027, 3, 14, 1, 30, tzinfo=NEW_YORK), "1h") == (
        "2027-03-14T03:30:00-04:00",
        0,
    )
    # 01:30 EDT + 1h on the autumn night: 01:30 again, EST, in the second fold
    assert iso(NEW_YORK_ROUND, datetime(2027, 11, 7, 1, 30, tzinfo=NEW_YORK), "1h") == (
        "2027-11-07T01:30:00-05:00",
        1,
    )
    second = datetime(2027, 11, 7, 1, 30, fold=1, tzinfo=NEW_YORK)
    assert iso(NEW_YORK_ROUND, second, "30m") == ("2027-11-07T02:00:00-05:00", 0)
    assert NEW_YORK_ROUND.elapsed(datetime(2027, 11, 7, 1, 30, tzinfo=NEW_YORK), second) == timedelta(hours=1)
    # Veterans Day, 11 November, is closed from 00:00 to 24:00: an hour on the 10th, one on the 12th
    assert iso(NEW_YORK_ROUND, datetime(2027, 11, 10, 23, tzinfo=NEW_YORK), "2h") == (
        "2027-11-12T01:00:00-05:00",
        0,
    )
