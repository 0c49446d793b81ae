"""Value types: durations, time spans, periods; model equality ignores source positions."""

from __future__ import annotations

import pytest

import sla
from sla.values import Duration, Period, TimeSpan


@pytest.mark.parametrize(
    ("text", "weeks", "days", "minutes", "canonical"),
    [
        ("15m", 0, 0, 15, "15m"),
        ("4h", 0, 0, 240, "4h"),
        ("2d", 0, 2, 0, "2d"),
        ("1w", 1, 0, 0, "1w"),
        ("1h30m", 0, 0, 90, "1h30m"),
        ("90m", 0, 0, 90, "1h30m"),
        ("36h", 0, 0, 2160, "36h"),
        ("1d4h", 0, 1, 240, "1d4h"),
        ("0m", 0, 0, 0, "0m"),
    ],
)
def test_duration_parts(text: str, weeks: int, days: int, minutes: int, canonical: str) -> None:
    d = Duration.parse(text)
    assert (d.weeks, d.days, d.minutes, str(d)) == (weeks, days, minutes, canonical)


def test_duration_measures() -> None:
    d = Duration.parse("1w2d3h")
    assert d.total_days == 9
    assert d.total_minutes == 9 * 1440 + 180
    assert d.timedelta.total_seconds() == d.total_minutes * 60


@pytest.mark.parametrize("text", ["30m1h", "1h1h", "h", "", "1x", "1.5h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse(text)


def test_time_spans() -> None:
    assert (TimeSpan.parse("08:00-18:00").length, TimeSpan.parse("08:00-18:00").crosses_midnight) == (
        600,
        False,
    )
    night = TimeSpan.parse("22:00-06:00")
    assert (night.length, night.crosses_midnight, str(night)) == (480, True, "22:00-06:00")
    assert TimeSpan.parse("18:00-24:00").length == 360
    assert TimeSpan.parse("00:00-24:00").length == 1440
    for bad in ("24:00-08:00", "08:00-08:00", "08:60-09:00", "25:00-26:00", "24:30-01:00"):
        with pytest.raises(ValueError):
            TimeSpan.parse(bad)


def test_periods() -> None:
    assert Period.from_duration(Duration.parse("90d")) == Period(count=90, unit="day")
    assert Period.from_duration(Duration.parse("2w")) == Period(count=2, unit="week")
    assert Period(count=3, unit="year").months == 36
    assert str(Period(count=1, unit="month")) == "1 month"
    with pytest.raises(ValueError):
        Period.from_duration(Duration.parse("4h"))
    with pytest.raises(ValueError, match="not a unit of time"):
        Period.parse_unit("fortnights")


def test_equality_ignores_positions_but_not_content() -> None:
    a = sla.parse('agreement "x" { id "1" }')
    b = sla.parse('\n\nagreement "x" {\n  id "1"\n}\n')
    c = sla.parse('agreement "x" { id "2" }')
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert a.documents[0].span != b.documents[0].span


def test_every_node_knows_its_source() -> None:
    file = sla.parse('agreement "x" {\n  calendar office { timezone "UTC"; hours 24x7 }\n}\n', "f.sla")
    for node in file.walk():
        assert node.span is not None and node.span.file == "f.sla"
    cal = file.agreements[0].calendars[0]
    assert (cal.span.line, cal.span.column, cal.span.end_line) == (2, 3, 2)
    assert cal.where("timezone").column == 21


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("user", "users", True),
        ("property", "properties", True),
        ("Properties", "property", True),
        ("box", "boxes", True),
        ("switch", "switches", True),
        ("device", "devices", True),
        ("hours", "hour", True),
        ("glass", "glasses", True),
        ("user", "device", False),
        ("properties", "propertie", False),
        ("series", "series", True),
    ],
)
def test_one_unit_rule(a: str, b: str, same: bool) -> None:
    """The rule the checks, pricing and the cost model all use to match a unit."""
    from sla.values import same_unit

    assert same_unit(a, b) is same
