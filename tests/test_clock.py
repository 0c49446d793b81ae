"""Business-time deadlines and elapsed time (sla.clock) against hand-computed instants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sla
from sla.clock import BusinessCalendar
from sla.values import Duration

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def calendar(body: str, zone: str = "Europe/Berlin") -> BusinessCalendar:
    """A fresh business calendar from the statements of a calendar block."""
    return BusinessCalendar(sla.parse(f'calendar c {{ timezone "{zone}"; {body} }}').calendars[0])


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def due(
    cal: BusinessCalendar, start: datetime, target: str, paused: Sequence[tuple[datetime, datetime]] = ()
) -> str:
    """The deadline as ISO text, so the expected value shows its UTC offset."""
    return cal.deadline(start, Duration.parse(target), paused=paused).isoformat()


NINE_TO_FIVE = calendar("hours mon-fri 09:00-17:00")
NINE_TO_FIVE_BY = calendar("hours mon-fri 09:00-17:00; holidays DE-BY")
EIGHT_TO_SIX = calendar("hours mon-fri 08:00-18:00")
ALWAYS = calendar("hours 24x7")

# 2027-06-07 is a Monday, 2027-06-11 a Friday; no DE-BY holiday falls in that fortnight.


# -- the worked examples of LANGUAGE.md ---------------------------------------------------------


def test_a_deadline_can_fall_exactly_at_closing_time() -> None:
    assert due(NINE_TO_FIVE, berlin(2027, 6, 11, 8), "8h") == "2027-06-11T17:00:00+02:00"


def test_a_start_outside_hours_counts_from_the_next_opening() -> None:
    # 2027-05-14 is a Friday; the Monday after is Whit Monday, a holiday in Bavaria.
    assert due(NINE_TO_FIVE, berlin(2027, 5, 14, 16, 50), "1h") == "2027-05-17T09:50:00+02:00"
    assert due(NINE_TO_FIVE_BY, berlin(2027, 5, 14, 16, 50), "1h") == "2027-05-18T09:50:00+02:00"


def test_day_targets_count_working_days() -> None:
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 11, 15), "1d") == "2027-06-14T15:00:00+02:00"
    # LANGUAGE.md: a day target ends at the LATEST instant with its business time. Saturday
    # counts from Monday 08:00; a working day later is Monday 18:00, which is the same business
    # time as Tuesday 08:00: the deadline is Tuesday 08:00.
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 12, 10), "1d") == "2027-06-15T08:00:00+02:00"
    # Friday 08:00 + 1d is Monday 08:00 (a first response at Monday's opening is met).
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 11, 8), "1d") == "2027-06-14T08:00:00+02:00"
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 11, 8), "2d") == "2027-06-15T08:00:00+02:00"
    # Hours keep the earliest instant: Friday 08:00 + 10h is Friday's closing.
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 11, 8), "10h") == "2027-06-11T18:00:00+02:00"


# -- day targets --------------------------------------------------------------------------------


def test_a_day_from_an_opening_ends_at_the_next_opening() -> None:
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 7, 8), "1d") == "2027-06-08T08:00:00+02:00"


def test_days_count_first_then_the_minutes() -> None:
    # Monday 15:00, then 3h to Monday's close and 1h from Tuesday's opening.
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 11, 15), "1d4h") == "2027-06-15T09:00:00+02:00"


def test_a_week_is_seven_working_days() -> None:
    assert due(NINE_TO_FIVE, berlin(2027, 6, 7, 10), "1w") == "2027-06-16T10:00:00+02:00"
    assert due(NINE_TO_FIVE, berlin(2027, 6, 7, 10), "7d") == "2027-06-16T10:00:00+02:00"


def test_a_day_from_a_holiday_counts_from_the_next_opening() -> None:
    # Whit Monday: the clock starts at Tuesday's opening; a working day later is Wednesday 09:00.
    assert due(NINE_TO_FIVE_BY, berlin(2027, 5, 17, 10), "1d") == "2027-05-19T09:00:00+02:00"


def test_the_last_closing_may_lie_in_the_year_before() -> None:
    cal = calendar("hours mon-fri 08:00-18:00; holidays DE-BY")  # its timeline starts in 2027
    # Saturday 2 January: the last closing is Thursday 31 December 2026 (1 January is a holiday),
    # the same business time as Monday 4 January 08:00; a working day on is Tuesday 08:00.
    assert due(cal, berlin(2027, 1, 2, 10), "1d") == "2027-01-05T08:00:00+01:00"


def test_a_day_onto_a_short_day_ends_at_the_next_opening() -> None:
    cal = calendar("hours mon-fri 08:00-18:00; hours sat 09:00-13:00")
    # Saturday is a working day, but 15:00 on it is closed: the business time of Saturday 13:00
    # lasts until Monday 08:00, the latest instant with it, and that is the deadline.
    assert due(cal, berlin(2027, 6, 11, 15), "1d") == "2027-06-14T08:00:00+02:00"


def test_a_day_across_a_dst_change_keeps_the_local_time() -> None:
    assert due(EIGHT_TO_SIX, berlin(2027, 3, 26, 15), "1d") == "2027-03-29T15:00:00+02:00"


# -- 24x7: real elapsed time --------------------------------------------------------------------


def test_24x7_days_are_24_real_hours_across_dst_in_berlin() -> None:
    assert due(ALWAYS, berlin(2027, 3, 27, 12), "1d") == "2027-03-28T13:00:00+02:00"
    assert due(ALWAYS, berlin(2027, 10, 30, 12), "1d") == "2027-10-31T11:00:00+01:00"
    assert due(ALWAYS, berlin(2027, 10, 30, 12), "24h") == "2027-10-31T11:00:00+01:00"
    assert due(ALWAYS, berlin(2027, 10, 30, 12), "1w") == "2027-11-06T11:00:00+01:00"


def test_24x7_days_are_24_real_hours_across_dst_in_new_york() -> None:
    cal = calendar("hours 24x7", "America/New_York")
    assert due(cal, datetime(2027, 3, 13, 12, tzinfo=NEW_YORK), "1d") == "2027-03-14T13:00:00-04:00"
    assert due(cal, datetime(2027, 11, 6, 12, tzinfo=NEW_YORK), "1d") == "2027-11-07T11:00:00-05:00"


def test_24x7_elapsed_is_real_time() -> None:
    assert ALWAYS.elapsed(berlin(2027, 3, 27, 12), berlin(2027, 3, 28, 12)) == timedelta(hours=23)
    assert ALWAYS.elapsed(berlin(2027, 10, 30, 12), berlin(2027, 10, 31, 12)) == timedelta(hours=25)


def test_24x7_with_holidays_is_a_business_calendar() -> None:
    cal = calendar("hours 24x7; holidays DE-BY")
    # A working day is the same local time the next day: 23 real hours over the change...
    assert due(cal, berlin(2027, 3, 27, 12), "1d") == "2027-03-28T12:00:00+02:00"
    assert due(cal, berlin(2027, 3, 27, 12), "24h") == "2027-03-28T13:00:00+02:00"
    # ...and Good Friday (26 March) is skipped whole.
    assert due(cal, berlin(2027, 3, 25, 12), "1d") == "2027-03-27T12:00:00+01:00"
    assert due(cal, berlin(2027, 3, 25, 12), "24h") == "2027-03-27T12:00:00+01:00"


# -- daylight saving on a business calendar -----------------------------------------------------


def test_a_span_on_a_dst_night_has_fewer_or_more_real_minutes() -> None:
    cal = calendar("hours sun 01:00-04:00")
    assert cal.elapsed(berlin(2027, 3, 27), berlin(2027, 3, 29)) == timedelta(hours=2)
    assert cal.elapsed(berlin(2027, 6, 12), berlin(2027, 6, 14)) == timedelta(hours=3)
    assert cal.elapsed(berlin(2027, 10, 30), berlin(2027, 11, 1)) == timedelta(hours=4)
    assert due(cal, berlin(2027, 3, 28, 1), "2h") == "2027-03-28T04:00:00+02:00"
    assert due(cal, berlin(2027, 3, 28, 1), "2h30m") == "2027-04-04T01:30:00+02:00"
    # 01:00 CEST plus two real hours is the second 02:00, in CET.
    assert due(cal, berlin(2027, 10, 31, 1), "2h") == "2027-10-31T02:00:00+01:00"
    assert due(cal, berlin(2027, 10, 31, 1), "3h") == "2027-10-31T03:00:00+01:00"


def test_a_span_opening_in_the_gap_opens_when_the_clock_jumps() -> None:
    cal = calendar("hours sun 02:30-05:00")
    [(opens, closes)] = cal.open_intervals(berlin(2027, 3, 28), berlin(2027, 3, 29))
    assert (opens.isoformat(), closes.isoformat()) == (
        "2027-03-28T03:00:00+02:00",
        "2027-03-28T05:00:00+02:00",
    )


def test_a_span_closing_in_the_fold_closes_at_the_first_occurrence() -> None:
    cal = calendar("hours sun 01:00-02:30")
    [(opens, closes)] = cal.open_intervals(berlin(2027, 10, 31), berlin(2027, 11, 1))
    assert (opens.isoformat(), closes.isoformat()) == (
        "2027-10-31T01:00:00+02:00",
        "2027-10-31T02:30:00+02:00",
    )
    assert not cal.is_open(datetime(2027, 10, 31, 2, 15, fold=1, tzinfo=BERLIN))  # 02:15 CET


def test_localize_resolves_gaps_and_folds() -> None:
    assert NINE_TO_FIVE.localize(datetime(2027, 3, 28, 2, 30)).isoformat() == "2027-03-28T03:00:00+02:00"
    assert NINE_TO_FIVE.localize(datetime(2027, 10, 31, 2, 30)).isoformat() == "2027-10-31T02:30:00+02:00"
    assert NINE_TO_FIVE.localize(datetime(2027, 6, 11, 8)).isoformat() == "2027-06-11T08:00:00+02:00"


# -- shapes of hours ----------------------------------------------------------------------------


def test_several_spans_a_day() -> None:
    cal = calendar("hours mon-fri 08:00-12:30, 13:15-17:30")
    assert due(cal, berlin(2027, 6, 7, 12), "1h") == "2027-06-07T13:45:00+02:00"
    assert due(cal, berlin(2027, 6, 7, 12, 45), "15m") == "2027-06-07T13:30:00+02:00"
    assert due(cal, berlin(2027, 6, 7, 12), "30m") == "2027-06-07T12:30:00+02:00"
    assert due(cal, berlin(2027, 6, 7, 12, 45), "1d") == "2027-06-08T13:15:00+02:00"
    assert cal.elapsed(berlin(2027, 6, 7, 8), berlin(2027, 6, 8, 8)) == timedelta(hours=8, minutes=45)


def test_a_span_crossing_midnight() -> None:
    cal = calendar("hours mon-fri 22:00-06:00")
    assert due(cal, berlin(2027, 6, 7, 23), "2h") == "2027-06-08T01:00:00+02:00"
    # Friday night runs to Saturday 06:00 (7h); no span opens on Sunday, so Monday 22:00 is next.
    assert due(cal, berlin(2027, 6, 11, 23), "8h") == "2027-06-14T23:00:00+02:00"
    assert cal.is_open(berlin(2027, 6, 12, 5))
    assert not cal.is_open(berlin(2027, 6, 14, 3))


def test_day_targets_read_a_night_span_on_the_day_it_opened() -> None:
    cal = calendar("hours mon-fri 22:00-06:00")
    assert due(cal, berlin(2027, 6, 11, 23), "1d") == "2027-06-14T23:00:00+02:00"
    assert due(cal, berlin(2027, 6, 12, 3), "1d") == "2027-06-15T03:00:00+02:00"  # Friday's 27:00
    assert due(cal, berlin(2027, 6, 12, 10), "1d") == "2027-06-15T22:00:00+02:00"  # from Monday's 22:00


def test_a_closed_date_closes_its_whole_local_day_only() -> None:
    cal = calendar("hours mon-fri 22:00-06:00; closed 2027-06-11")
    # Thursday 22-24 (2h); Friday 00-06 and 22-24 are closed; Saturday 00-06, which Friday's span
    # opened, is on a date that is not closed and stays open (6h).
    assert cal.elapsed(berlin(2027, 6, 10, 21), berlin(2027, 6, 14)) == timedelta(hours=8)
    assert not cal.is_open(berlin(2027, 6, 11, 3))
    assert cal.is_open(berlin(2027, 6, 12, 3))


def test_a_span_ending_at_midnight() -> None:
    cal = calendar("hours mon-fri 18:00-24:00")
    assert due(cal, berlin(2027, 6, 11, 23), "1h") == "2027-06-12T00:00:00+02:00"
    assert due(cal, berlin(2027, 6, 11, 23), "1h1m") == "2027-06-14T18:01:00+02:00"
    assert due(cal, berlin(2027, 6, 12, 10), "1d") == "2027-06-15T18:00:00+02:00"  # Tuesday's opening


def test_a_calendar_without_a_zone_is_utc() -> None:
    cal = BusinessCalendar(sla.parse("calendar u { hours mon-fri 09:00-17:00 }").calendars[0])
    assert due(cal, datetime(2027, 6, 11, 8, tzinfo=UTC), "8h") == "2027-06-11T17:00:00+00:00"


def test_a_calendar_that_is_never_open_is_refused() -> None:
    with pytest.raises(ValueError, match="never open"):
        BusinessCalendar(sla.parse('calendar x { timezone "UTC" }').calendars[0])


# -- holidays and closed dates ------------------------------------------------------------------


def test_an_observed_holiday_is_closed() -> None:
    cal = calendar("hours mon-fri 09:00-17:00; holidays US", "America/New_York")
    # Independence Day 2027 is a Sunday; the holidays library observes it on Monday 5 July.
    assert cal.closed_on(date(2027, 7, 4)) and cal.closed_on(date(2027, 7, 5))
    assert not cal.closed_on(date(2027, 7, 6))
    assert due(cal, datetime(2027, 7, 2, 16, tzinfo=NEW_YORK), "2h") == "2027-07-06T10:00:00-04:00"


def test_a_subdivision_has_its_own_holidays() -> None:
    # 2 January 2027 is a Saturday; Scotland observes its holiday on Monday 4 January, England not.
    assert calendar("hours mon-fri 09:00-17:00; holidays GB-SCT", "Europe/London").closed_on(date(2027, 1, 4))
    assert not calendar("hours mon-fri 09:00-17:00; holidays GB-ENG", "Europe/London").closed_on(
        date(2027, 1, 4)
    )


def test_closed_date_ranges_across_new_year() -> None:
    cal = calendar("hours mon-fri 08:00-18:00; holidays DE-BY; closed 2027-12-24..2027-12-31")
    assert cal.closed_on(date(2027, 12, 27))
    assert due(cal, berlin(2027, 12, 22, 17), "2h") == "2027-12-23T09:00:00+01:00"
    assert due(cal, berlin(2027, 12, 23, 17), "2h") == "2028-01-03T09:00:00+01:00"
    assert due(cal, berlin(2027, 12, 23, 15), "1d") == "2028-01-03T15:00:00+01:00"


def test_a_start_on_a_holiday_counts_from_the_next_opening() -> None:
    assert due(NINE_TO_FIVE_BY, berlin(2027, 5, 17, 10), "1h") == "2027-05-18T10:00:00+02:00"


# -- starts, ends and pauses --------------------------------------------------------------------


def test_a_start_at_closing_time_counts_from_the_next_opening() -> None:
    assert due(NINE_TO_FIVE, berlin(2027, 6, 11, 17), "30m") == "2027-06-14T09:30:00+02:00"
    assert NINE_TO_FIVE.elapsed(berlin(2027, 6, 11, 17), berlin(2027, 6, 14, 9, 30)) == timedelta(minutes=30)


def test_an_event_at_the_deadline_is_met_and_one_after_it_is_late() -> None:
    start, target = berlin(2027, 6, 11, 8), Duration.parse("8h")
    deadline = NINE_TO_FIVE.deadline(start, target)
    assert deadline == berlin(2027, 6, 11, 17)
    assert NINE_TO_FIVE.elapsed(start, deadline) == target.timedelta
    assert NINE_TO_FIVE.elapsed(start, deadline - timedelta(seconds=1)) < target.timedelta
    # Half an hour later the business time is still 8h, yet the event is after the deadline: late.
    assert NINE_TO_FIVE.elapsed(start, berlin(2027, 6, 11, 17, 30)) == target.timedelta


def test_elapsed_less_a_pause_across_the_weekend() -> None:
    start, end = berlin(2027, 6, 11, 16), berlin(2027, 6, 14, 11)
    assert NINE_TO_FIVE.elapsed(start, end) == timedelta(hours=3)
    paused = [(berlin(2027, 6, 11, 16, 30), berlin(2027, 6, 14, 10))]
    assert NINE_TO_FIVE.elapsed(start, end, paused=paused) == timedelta(hours=1, minutes=30)
    overlapping = [
        (berlin(2027, 6, 12), berlin(2027, 6, 13)),
        (berlin(2027, 6, 11, 16, 30), berlin(2027, 6, 12, 12)),
        (berlin(2027, 6, 12, 10), berlin(2027, 6, 14, 10)),
    ]
    assert NINE_TO_FIVE.elapsed(start, end, paused=overlapping) == timedelta(hours=1, minutes=30)
    assert NINE_TO_FIVE.elapsed(
        start, end, paused=[(berlin(2027, 6, 12, 10), berlin(2027, 6, 13, 10))]
    ) == timedelta(hours=3)
    assert NINE_TO_FIVE.elapsed(
        start, end, paused=[(berlin(2027, 6, 11, 15), berlin(2027, 6, 11, 16, 30))]
    ) == timedelta(hours=2, minutes=30)


def test_elapsed_backwards_is_negative() -> None:
    assert NINE_TO_FIVE.elapsed(berlin(2027, 6, 14, 11), berlin(2027, 6, 11, 16)) == -timedelta(hours=3)


def test_a_pause_moves_the_deadline() -> None:
    paused = [(berlin(2027, 6, 11, 16, 30), berlin(2027, 6, 14, 10))]
    assert due(NINE_TO_FIVE, berlin(2027, 6, 11, 16), "2h", paused=paused) == "2027-06-14T11:30:00+02:00"
    assert (
        due(
            ALWAYS,
            berlin(2027, 6, 12, 12),
            "1h",
            paused=[(berlin(2027, 6, 12, 12, 15), berlin(2027, 6, 12, 12, 45))],
        )
        == "2027-06-12T13:30:00+02:00"
    )


def test_a_paused_day_target_makes_up_the_paused_open_time() -> None:
    # The day holds 10h from Friday 15:00; Friday 16-18 and Monday 08-09 are paused (3h), so it
    # runs out at Monday's closing, and a day target ends at the latest instant: Tuesday 08:00.
    paused = [(berlin(2027, 6, 11, 16), berlin(2027, 6, 14, 9))]
    assert due(EIGHT_TO_SIX, berlin(2027, 6, 11, 15), "1d", paused=paused) == "2027-06-15T08:00:00+02:00"


def test_naive_and_utc_inputs() -> None:
    assert due(NINE_TO_FIVE, datetime(2027, 6, 11, 8), "8h") == "2027-06-11T17:00:00+02:00"
    assert due(NINE_TO_FIVE, datetime(2027, 6, 11, 6, tzinfo=UTC), "8h") == "2027-06-11T17:00:00+02:00"
    assert NINE_TO_FIVE.deadline(datetime(2027, 6, 11, 6, tzinfo=UTC), Duration.parse("1h")).tzinfo is BERLIN


def test_a_zero_target_is_due_at_the_start() -> None:
    assert due(NINE_TO_FIVE, berlin(2027, 6, 12, 10), "0m") == "2027-06-12T10:00:00+02:00"


def test_open_intervals_are_clipped() -> None:
    found = NINE_TO_FIVE.open_intervals(berlin(2027, 6, 11, 12), berlin(2027, 6, 14, 10))
    assert found == [
        (berlin(2027, 6, 11, 12), berlin(2027, 6, 11, 17)),
        (berlin(2027, 6, 14, 9), berlin(2027, 6, 14, 10)),
    ]


def test_equal_calendars_share_one_instance() -> None:
    cal = sla.parse('calendar c { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }').calendars[0]
    assert BusinessCalendar.of(cal) is BusinessCalendar.of(cal)


# -- properties ---------------------------------------------------------------------------------

PROPERTY_CALENDARS = [
    calendar(
        "hours mon-fri 08:00-12:30, 13:15-17:30; hours sat 09:00-12:00; holidays DE-BY; "
        "closed 2027-12-24..2027-12-31"
    ),
    calendar("hours mon-fri 22:00-06:00; holidays US", "America/New_York"),
    calendar("hours sun 01:00-04:00; hours mon-fri 09:00-17:00"),
    calendar("hours mon-fri 18:00-24:00; closed 2027-06-01..2027-06-30"),
    calendar("hours 24x7; holidays DE-BY"),
    ALWAYS,
]
starts = st.integers(0, 365 * 86400).map(lambda s: datetime(2027, 1, 1, tzinfo=UTC) + timedelta(seconds=s))
calendars = st.sampled_from(PROPERTY_CALENDARS)


@SETTINGS
@given(calendars, starts, st.integers(1, 6000))
def test_elapsed_to_the_deadline_is_the_target(cal: BusinessCalendar, start: datetime, minutes: int) -> None:
    target = Duration.of(minutes=minutes)
    deadline = cal.deadline(start, target)
    assert cal.elapsed(start, deadline) == target.timedelta
    assert cal.elapsed(start, deadline - timedelta(seconds=1)) < target.timedelta  # the earliest


@SETTINGS
@given(calendars, starts, st.integers(1, 6000), st.integers(-3000, 6000), st.integers(0, 4000))
def test_elapsed_less_pauses_to_the_deadline_is_the_target(
    cal: BusinessCalendar, start: datetime, minutes: int, pause_at: int, pause_for: int
) -> None:
    target = Duration.of(minutes=minutes)
    pause = start + timedelta(minutes=pause_at)
    paused = [(pause, pause + timedelta(minutes=pause_for))]
    assert cal.elapsed(start, cal.deadline(start, target, paused=paused), paused=paused) == target.timedelta


@SETTINGS
@given(starts, st.integers(1, 15))
def test_days_on_regular_hours_hold_whole_working_days(start: datetime, days: int) -> None:
    deadline = NINE_TO_FIVE_BY.deadline(start, Duration.of(days=days))
    assert NINE_TO_FIVE_BY.elapsed(start, deadline) == timedelta(hours=8 * days)


# -- the microsecond API and wall clocks --------------------------------------------------------

from sla.clock import NEVER, wall_clock

US = 1_000_000


def test_a_pause_that_never_ends_never_reaches_the_deadline() -> None:
    start = NINE_TO_FIVE.to_us(berlin(2027, 6, 11, 16))
    paused = [(NINE_TO_FIVE.to_us(berlin(2027, 6, 11, 16, 30)), NEVER)]
    assert NINE_TO_FIVE.deadline_us(start, Duration.parse("2h"), paused) == NEVER
    # a target that runs out before the pause starts is not affected
    assert NINE_TO_FIVE.from_us(NINE_TO_FIVE.deadline_us(start, Duration.parse("30m"), paused)) == berlin(
        2027, 6, 11, 16, 30
    )
    assert NINE_TO_FIVE.elapsed_us(start, NINE_TO_FIVE.to_us(berlin(2027, 6, 14, 12)), paused) == 30 * 60 * US


@SETTINGS
@given(calendars, starts, st.integers(1, 6000), st.integers(0, 20 * 86400))
def test_positions_are_business_time(
    cal: BusinessCalendar, start: datetime, minutes: int, later: int
) -> None:
    s = cal.to_us(start)
    e = s + later * US
    assert cal.position_us(e) - cal.position_us(s) == cal.elapsed_us(s, e)
    budget = minutes * 60 * US
    assert cal.at_position_us(cal.position_us(s) + budget) == cal.deadline_us(s, Duration.of(minutes=minutes))


@SETTINGS
@given(
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    st.integers(-2 * 365 * 86400, 6 * 365 * 86400),
)
def test_wall_clocks_agree_with_zoneinfo(zone_name: str, offset: int) -> None:
    zone = ZoneInfo(zone_name)
    wall = wall_clock(zone)
    instant = datetime(2027, 1, 1, tzinfo=UTC) + timedelta(seconds=offset)
    local = instant.astimezone(zone)
    local_us = (local.replace(tzinfo=None) - datetime(1970, 1, 1)) // timedelta(microseconds=1)
    utc_us = (instant - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert wall.local(utc_us) == local_us
    # a wall time names the earliest instant showing it: the first occurrence in a fold
    earliest = (local.replace(fold=0) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert wall.utc(local_us) == min(earliest, utc_us)


def test_instants_in_a_repeated_hour_keep_their_fold() -> None:
    first = datetime(2027, 10, 31, 2, 30, tzinfo=BERLIN)  # CEST
    second = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=BERLIN)  # CET, an hour later
    assert NINE_TO_FIVE.to_us(second) - NINE_TO_FIVE.to_us(first) == 3600 * US
    back = NINE_TO_FIVE.from_us(NINE_TO_FIVE.to_us(second) + 250_000)
    assert (back.isoformat(), back.fold) == ("2027-10-31T02:30:00.250000+01:00", 1)
    assert NINE_TO_FIVE.to_us(datetime(2027, 6, 11, 8, tzinfo=NEW_YORK)) == NINE_TO_FIVE.to_us(
        berlin(2027, 6, 11, 14)
    )


@SETTINGS
@given(calendars, st.lists(st.integers(-86400, 800 * 86400), min_size=1, max_size=40), st.integers(0, 9000))
def test_positions_of_many_instants_are_those_of_each(
    cal: BusinessCalendar, offsets: list[int], minutes: int
) -> None:
    import numpy as np

    instants = np.array([1_798_761_600_000_000 + s * US for s in offsets], dtype=np.int64)  # from 2027-01-01
    positions = cal.positions_us(instants)
    assert positions.tolist() == [cal.position_us(int(t)) for t in instants]
    later = positions + minutes * 60 * US
    assert cal.at_positions_us(later).tolist() == [cal.at_position_us(int(p)) for p in later]


# --- the second wave: `by close`, part-day closings, holidays kept open --------------------------


def close(
    cal: BusinessCalendar, start: datetime, later: int = 0, paused: Sequence[tuple[datetime, datetime]] = ()
) -> str:
    from sla.values import Close

    return cal.deadline(start, Close(later), paused=paused).isoformat()


SPLIT_DAY_BY = calendar("hours mon-fri 08:00-12:00, 13:00-18:00; holidays DE-BY")


@pytest.mark.parametrize(
    ("start", "later", "expected"),
    [
        (berlin(2027, 3, 5, 10), 0, "2027-03-05T18:00:00+01:00"),  # Friday: that day's last close
        (berlin(2027, 3, 5, 10), 1, "2027-03-08T18:00:00+01:00"),  # the next working day: Monday
        (berlin(2027, 3, 5, 12, 30), 0, "2027-03-05T18:00:00+01:00"),  # in the lunch break: same day
        (berlin(2027, 3, 5, 19), 0, "2027-03-08T18:00:00+01:00"),  # after closing: the next working day
        (berlin(2027, 3, 6, 10), 0, "2027-03-08T18:00:00+01:00"),  # on a Saturday: Monday
        (
            berlin(2027, 12, 23, 19),
            1,
            "2027-12-27T18:00:00+01:00",
        ),  # Thursday evening: Friday, then over Christmas
        (berlin(2027, 5, 26, 10), 0, "2027-05-26T18:00:00+02:00"),  # the day before Corpus Christi
        (berlin(2027, 5, 26, 10), 1, "2027-05-28T18:00:00+02:00"),  # +1: Corpus Christi (Thursday) is skipped
    ],
)
def test_by_close_is_the_close_of_the_working_day(start: datetime, later: int, expected: str) -> None:
    assert close(SPLIT_DAY_BY, start, later) == expected


def test_by_close_with_a_pause_moves_on_by_the_open_time_paused() -> None:
    # Friday 10:00 to 18:00 is 7 open hours; 11:00-12:30 holds one open hour: Monday 09:00
    paused = [(berlin(2027, 3, 5, 11), berlin(2027, 3, 5, 12, 30))]
    assert close(SPLIT_DAY_BY, berlin(2027, 3, 5, 10), 0, paused) == "2027-03-08T09:00:00+01:00"


def test_by_close_around_the_clock_is_the_end_of_the_local_day() -> None:
    always = calendar("hours 24x7")
    assert close(always, berlin(2027, 3, 28, 1)) == "2027-03-29T00:00:00+02:00"  # a 23-hour day
    assert close(always, berlin(2027, 3, 5, 23, 59), 2) == "2027-03-08T00:00:00+01:00"


def test_a_part_day_closing_closes_only_its_span() -> None:
    office = calendar("hours mon-fri 08:00-18:00; closed 2027-12-24 12:00-24:00, 2027-12-31")
    assert due(office, berlin(2027, 12, 24, 10), "4h") == "2027-12-27T10:00:00+01:00"  # 2h on the 24th
    assert close(office, berlin(2027, 12, 24, 9)) == "2027-12-24T12:00:00+01:00"
    assert office.elapsed(berlin(2027, 12, 24), berlin(2028, 1, 1)) == timedelta(
        hours=4 + 4 * 10
    )  # the 24th's morning, four days, not the 31st
    across = calendar("hours 24x7; closed 2027-03-05 22:00-02:00")  # past midnight: into the 6th
    assert across.elapsed(berlin(2027, 3, 5), berlin(2027, 3, 7)) == timedelta(hours=44)


def test_a_holiday_kept_open_is_a_working_day() -> None:
    vienna = "hours mon-fri 08:00-18:00; holidays AT-9"
    closed = calendar(vienna, "Europe/Vienna")
    kept = calendar(vienna + ' except "pentecost monday"', "Europe/Vienna")  # any case
    whit_monday = datetime(2027, 5, 17, 9, tzinfo=ZoneInfo("Europe/Vienna"))
    assert not closed.is_open(whit_monday) and kept.is_open(whit_monday)
    assert closed.closed_because(whit_monday.date()) == "Pentecost Monday"
    assert kept.closed_because(whit_monday.date()) is None


def test_sla_clock_adds_by_close(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sla.cli import main

    path = tmp_path / "a.sla"
    path.write_text(
        'agreement "A" { calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00 }\n'
        "priority P4 { response by close; resolution by close +2d } }\n",
        encoding="utf-8",
    )
    run = CliRunner().invoke
    args = [str(path), "--from", "2027-03-05T19:00"]
    assert run(main, ["clock", *args, "--priority", "P4"]).output == "2027-03-08T18:00:00+01:00\n"
    resolved = run(main, ["clock", *args, "--priority", "P4", "--target", "resolution"])
    assert resolved.output == "2027-03-10T18:00:00+01:00\n"
    assert run(main, ["clock", *args, "--add", "by close +1d"]).output == "2027-03-09T18:00:00+01:00\n"
    refused = run(main, ["clock", *args, "--add", "by close +4h"])
    assert refused.exit_code == 2 and "whole days" in refused.output
