"""The business week of a calendar and the dates of maintenance windows (sla.week)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sla
from sla import model as m
from sla.week import open_by_day, pieces, spans_by_day, weekly_open_minutes, window_on, working_day_minutes


def calendar(hours: str) -> m.Calendar:
    text = f'agreement "W" {{ calendar c {{ timezone "Europe/Berlin"; {hours} }} }}'
    return sla.parse(text).agreements[0].calendars[0]


def test_a_span_crossing_midnight_goes_on_the_next_weekday() -> None:
    week = pieces(calendar("hours fri 22:00-06:00; hours mon-fri 08:00-18:00"))
    assert week[4] == ((480, 1080, 0), (1320, 1440, 0))  # Friday: 08:00-18:00 and 22:00-24:00
    assert week[5] == ((0, 360, 1),)  # Saturday 00:00-06:00, carried from Friday
    assert week[6] == ()
    assert open_by_day(calendar("hours sun 23:00-01:00"))[0] == [(0, 60)]  # Sunday's night ends Monday


def test_open_minutes_and_the_working_day() -> None:
    office = calendar("hours mon-fri 08:00-18:00; hours sat 09:00-13:00")
    assert weekly_open_minutes(office) == 5 * 600 + 240
    assert working_day_minutes(office) == Decimal(5 * 600 + 240) / 6
    always = calendar("hours 24x7")
    assert weekly_open_minutes(always) == 7 * 1440
    assert working_day_minutes(always) == 1440 and working_day_minutes(None) == 1440


def test_the_hours_as_written_do_not_depend_on_their_grouping() -> None:
    one = calendar("hours mon-fri 08:00-12:00, 13:00-17:00")
    two = calendar(
        "hours mon-wed 13:00-17:00; hours thu,fri 08:00-12:00, 13:00-17:00; hours mon-wed 08:00-12:00"
    )
    assert spans_by_day(one) == spans_by_day(two)
    assert spans_by_day(calendar("hours 24x7")) == "24x7"


def window(text: str) -> m.Maintenance:
    return sla.parse(f'agreement "W" {{ {text} }}').agreements[0].maintenance[0]


def test_weekly_and_monthly_windows_fall_on_their_dates() -> None:
    sunday = window("maintenance weekly sun 02:00-06:00")
    assert [window_on(sunday, date(2027, 3, d)) for d in (6, 7, 8)] == [False, True, False]
    second_tue = window("maintenance monthly second tue 22:00-02:00")
    assert [d for d in range(1, 32) if window_on(second_tue, date(2027, 3, d))] == [9]
    last_sat = window("maintenance monthly last sat 20:00-23:00")
    assert [d for d in range(1, 32) if window_on(last_sat, date(2027, 7, d))] == [31]
    assert [d for d in range(1, 31) if window_on(last_sat, date(2027, 4, d))] == [24]
