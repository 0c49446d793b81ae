"""Targets compared by meaning (sla.targets): in one unit where they can be, else by deadlines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sla
from sla import model as m
from sla.clock import BusinessCalendar
from sla.targets import (
    REAL_TIME,
    compare,
    compare_targets,
    comparison_starts,
    period_pair,
    sample_starts,
    target_minutes,
)
from sla.values import Duration, Period

D = Duration.parse
OFFICE_TEXT = 'agreement "T" { calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-16:00 } }'


def office() -> m.Calendar:
    return sla.parse(OFFICE_TEXT).agreements[0].calendars[0]


def test_a_working_day_is_the_calendar_s_open_day() -> None:
    assert target_minutes(m.Target(duration=D("1d2h")), office()) == Decimal(8 * 60 + 120)
    assert target_minutes(m.Target(duration=D("1d")), REAL_TIME) == Decimal(1440)
    assert target_minutes(m.Target(best_effort=True), office()) is None


def test_compare_says_by_how_much() -> None:
    assert compare(Decimal(5), "<=", Decimal(3), str, "over", "under") == (False, "2 over")
    assert compare(Decimal(3), ">=", Decimal(5), str, "over", "under") == (False, "2 under")
    assert compare(Decimal(3), "<", Decimal(3), str, "over", "under") == (
        False,
        "exactly the limit, not below it",
    )
    assert compare(Decimal(3), "==", Decimal(3), str, "over", "under") == (True, None)


def test_periods_in_one_unit() -> None:
    assert period_pair(Period(count=1, unit="year"), Period(count=18, unit="month")) == (12, 18, "month")
    assert period_pair(Period(count=90, unit="day"), Period(count=2, unit="week"))[:2] == (90, 14)
    assert period_pair(Period(count=3, unit="month"), Period(count=90, unit="day"))[2].startswith("day (")


def test_targets_on_one_calendar_compare_as_numbers_else_by_deadlines() -> None:
    cal = office()
    assert compare_targets(D("8h"), cal, "<=", D("1d"), cal) == (True, None)  # 1d is one 8-hour day
    ok, why = compare_targets(D("1d"), cal, "<=", D("7h"), cal)
    assert not ok and why is not None and why.startswith("up to 1h") and "too slow" in why
    ok, why = compare_targets(D("4h"), cal, "<=", D("4h"), REAL_TIME)  # business hours are slower
    assert not ok and why is not None and "too slow" in why


def test_sampled_starts_are_real_time_steps_from_local_midnight() -> None:
    bc = BusinessCalendar.of(office())
    starts = list(sample_starts(bc, [date(2027, 3, 27)], timedelta(hours=1), timedelta(days=2)))
    assert len(starts) == 48
    assert bc.from_us(starts[0]).isoformat() == "2027-03-27T00:00:00+01:00"
    # real hours across the change to summer time: the local clock skips 02:00
    assert bc.from_us(starts[26]).isoformat() == "2027-03-28T03:00:00+02:00"
    assert len(list(comparison_starts(bc, date(2027, 1, 1)))) == 2 * 28 * 24 * 4
