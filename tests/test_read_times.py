"""`instants.read_times`, the quick path for formats of numbers, reads every text as `read_time` does."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.instants import _numeric, read_time, read_times

FORMATS = [
    ("%d/%m/%Y %H:%M",),
    ("%d-%m-%Y %H:%M:%S", "%d/%m/%Y %H:%M"),
    ("%Y.%m.%d",),
    ("%m/%d/%Y %I:%M %p", "%d/%m/%Y"),  # strptime's turn first: the quick path keeps the order
    ("%d%m%Y",),  # directives side by side: strptime's
]


def both(text: str, formats: tuple[str, ...]) -> tuple[datetime | str, datetime | str]:
    """What `read_time` and `read_times` make of a text: a time, or the error's words."""
    try:
        slow: datetime | str = read_time(text, lenient=True, time_format=formats)
    except ValueError as exc:
        slow = str(exc)
    try:
        quick: datetime | str = read_times(text, formats)
    except ValueError as exc:
        quick = str(exc)
    return slow, quick


numbers = st.integers(min_value=0, max_value=99).map(str) | st.integers(0, 99).map(lambda n: f"{n:02d}")
years = st.sampled_from(["2016", "1999", "99", "20167", "0000"])
separators = st.sampled_from(["/", "-", ".", " ", "  ", ":", "T"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(numbers | years, min_size=3, max_size=6),
    st.lists(separators, min_size=5, max_size=5),
    st.sampled_from(FORMATS),
    st.sampled_from(["", " ", "Z", " UTC", "+01:00"]),
)
def test_the_quick_path_reads_as_read_time(
    parts: list[str], seps: list[str], formats: tuple[str, ...], end: str
) -> None:
    text = "".join(p + s for p, s in zip(parts, seps, strict=False)).rstrip() + end
    slow, quick = both(text, formats)
    assert slow == quick


@pytest.mark.parametrize(
    ("text", "formats", "expected"),
    [
        ("29/2/2016 01:16", ("%d/%m/%Y %H:%M",), datetime(2016, 2, 29, 1, 16)),
        (" 5-3-2016 07:05:09 ", ("%d-%m-%Y %H:%M:%S",), datetime(2016, 3, 5, 7, 5, 9)),
        ("2016-03-05 07:05", ("%d/%m/%Y %H:%M",), datetime(2016, 3, 5, 7, 5)),  # ISO first
    ],
)
def test_event_log_times(text: str, formats: tuple[str, ...], expected: datetime) -> None:
    assert read_times(text, formats) == expected


def test_which_formats_take_the_quick_path() -> None:
    assert _numeric("%d/%m/%Y %H:%M") is not None
    assert _numeric("%d.%m.%Y") is not None
    assert _numeric("%d%m%Y") is None  # side by side
    assert _numeric("%d/%b/%y %I:%M %p") is None  # names and a 12-hour clock: strptime's
    assert _numeric("%H:%M") is None  # no date
    with pytest.raises(ValueError, match="'30/2/2016 01:00' is not a time"):
        read_times("30/2/2016 01:00", ("%d/%m/%Y %H:%M",))
