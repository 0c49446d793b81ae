"""Contract months and the term's last day, decided once and used by every stage."""

from __future__ import annotations

from datetime import date

import pytest

import sla
from sla.billing import bill
from sla.instants import last_day, month_label, months_elapsed, period_start
from sla.values import Period


@pytest.mark.parametrize(
    ("start", "months", "first"),
    [
        (date(2027, 1, 15), 1, date(2027, 2, 15)),
        (date(2027, 1, 31), 1, date(2027, 3, 1)),
        (date(2027, 1, 29), 1, date(2027, 3, 1)),
        (date(2027, 1, 28), 1, date(2027, 2, 28)),
        (date(2028, 1, 29), 1, date(2028, 2, 29)),
        (date(2027, 1, 31), 2, date(2027, 3, 31)),
        (date(2027, 12, 31), 2, date(2028, 3, 1)),
        (date(2027, 11, 30), 3, date(2028, 3, 1)),
        (date(2027, 3, 31), 9, date(2027, 12, 31)),
        (date(2027, 3, 31), 8, date(2027, 12, 1)),
        (date(2027, 1, 1), 36, date(2030, 1, 1)),
    ],
)
def test_period_start(start: date, months: int, first: date) -> None:
    assert period_start(start, months) == first


@pytest.mark.parametrize(
    ("start", "period", "last"),
    [
        (date(2027, 1, 31), Period(count=1, unit="month"), date(2027, 2, 28)),
        (date(2027, 1, 15), Period(count=1, unit="month"), date(2027, 2, 14)),
        (date(2027, 1, 1), Period(count=36, unit="month"), date(2029, 12, 31)),
        (date(2028, 2, 29), Period(count=1, unit="year"), date(2029, 2, 28)),
        (date(2027, 1, 1), Period(count=90, unit="day"), date(2027, 3, 31)),
        (date(2027, 1, 1), Period(count=2, unit="week"), date(2027, 1, 14)),
    ],
)
def test_last_day_is_inclusive(start: date, period: Period, last: date) -> None:
    assert last_day(start, period) == last


def test_months_elapsed_turns_on_the_day_after_the_last_day() -> None:
    start = date(2027, 1, 31)
    assert [
        months_elapsed(start, d)
        for d in (
            date(2027, 1, 31),
            date(2027, 2, 28),
            date(2027, 3, 1),
            date(2027, 3, 30),
            date(2027, 3, 31),
        )
    ] == [0, 0, 1, 1, 2]
    # Whatever the start, the month after `last_day` of N months is month N.
    for day in range(1, 32):
        s = date(2027, 1, day)
        for n in range(1, 14):
            end = last_day(s, Period(count=n, unit="month"))
            assert months_elapsed(s, end) == n - 1
            assert months_elapsed(s, date.fromordinal(end.toordinal() + 1)) == n


def test_month_label() -> None:
    assert month_label(2027 * 12 + 2) == "2027-03"


ONE_MONTH = """agreement "Short" {
  model break_fix
  currency EUR
  start 2027-01-31
  term 1 months
  calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-17:00 }
  fees { rate engineer 100.00 per hour }
}
"""


def test_the_contract_and_the_bill_agree_on_the_term_end() -> None:
    """One month from 31 January ends on 28 February, inclusive: the contract says so, and the
    bill counts work that day inside the term and work on 1 March after it."""
    a = sla.loads(ONE_MONTH).agreements[0]
    assert a.last_day == date(2027, 2, 28)
    assert "February 28, 2027" in sla.render(a, to="md")
    inside = bill(a, "start,duration,role\n2027-02-28T10:00,1h,engineer\n")
    assert inside.problems == [] and len(inside.entries) == 1
    after = bill(a, "start,duration,role\n2027-03-01T10:00,1h,engineer\n")
    assert [str(p) for p in after.problems] == [
        "row 2, column 'start': the row starts on 2027-03-01, after the agreement's term ended on 2027-02-28"
    ]
    assert after.entries == []
