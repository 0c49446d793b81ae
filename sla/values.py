"""Value types of the language: durations, daily time spans, periods and money."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

MINUTES_PER_DAY = 1440
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# ---------------------------------------------------------------------------------- bounds
# Every value has a sane range (docs/language.md, "Bounds"), so that no text can make sla
# compute for ever, print a number of a million digits or overflow a date: a number (an amount,
# a quantity, a percentage, a multiplier, a count, a tier bound) is under 10^15 with at most six
# decimal places; a length of time (a term, renewal, notice, rollover, payment term or duration)
# is at most 100 years of 365.25 days.

#: Numbers are under this.
MAX_NUMBER = 10**15
#: Numbers have at most this many decimal places.
MAX_PLACES = 6
#: A length of time is at most this many days: 100 years.
MAX_DAYS = 36525
MAX_MINUTES = MAX_DAYS * MINUTES_PER_DAY
_MAX_DIGITS = len(str(MAX_NUMBER - 1))  # a longer run of digits is too large before it is read
_NUMBER_RE = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


NUMBER_BOUNDS = "numbers are under 10^15, with at most 6 decimal places"
TIME_BOUNDS = "a term, renewal, notice, payment term, rollover or duration is at most 100 years"


class OutOfRange(ValueError):
    """A value written correctly but beyond its bounds; `hint` states the bounds."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def shown(text: str, limit: int = 64) -> str:
    """A value for a message: as written, or its start and its length when it is long."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def quoted(text: str, limit: int = 64) -> str:
    """`shown`, in quotes (repr): a cell of a CSV file, say, which may be a megabyte long."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text):,} characters)"


def read_number(text: str) -> Decimal:
    """A number as the language writes it (digits 0-9, an optional fraction) within the bounds:
    under 10^15, at most six decimal places. ValueError says which bound it breaks."""
    found = _NUMBER_RE.fullmatch(text)
    if found is None:
        raise ValueError(f"{quoted(text)} is not a number: write digits 0-9, such as 45.00")
    whole, fraction = found[1].lstrip("0"), found[2] or ""
    if len(whole) > _MAX_DIGITS:
        raise OutOfRange(f"{shown(text)} is too large: numbers are under 10^15", NUMBER_BOUNDS)
    if len(fraction) > MAX_PLACES:
        raise OutOfRange(
            f"{shown(text)} has {len(fraction):,} decimal places: numbers have at most {MAX_PLACES}",
            NUMBER_BOUNDS,
        )
    return Decimal(text)


def bounded(value: Decimal, text: str | None = None) -> Decimal:
    """A number already read (from a CSV cell, or JSON), written `text`, within the bounds of
    `read_number`; OutOfRange otherwise, and a ValueError for NaN and the infinities."""
    written = shown(text if text is not None else str(value))
    if not value.is_finite():
        raise ValueError(f"{written!r} is not a number")
    exponent = int(value.as_tuple().exponent)
    if value and value.adjusted() >= _MAX_DIGITS:
        raise OutOfRange(f"{written} is too large: numbers are under 10^15", NUMBER_BOUNDS)
    if exponent < -MAX_PLACES:
        raise OutOfRange(
            f"{written} has {-exponent:,} decimal places: numbers have at most {MAX_PLACES}", NUMBER_BOUNDS
        )
    return value


def read_count(text: str) -> int:
    """A whole number within the bounds (digits 0-9, under 10^15); ValueError otherwise."""
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"{quoted(text)} is not a whole number: write digits 0-9, such as 12")
    return int(read_number(text))


class _StringValue:
    """A value written and serialised as one short string ("1h30m", "08:00-18:00")."""

    pattern: ClassVar[str]
    example: ClassVar[str]

    @classmethod
    def parse(cls, text: str) -> Any:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @classmethod
    def _validate(cls, value: object) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls.parse(value)
        raise ValueError(f"expected a {cls.__name__.lower()} such as {cls.example!r}")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "pattern": cls.pattern, "examples": [cls.example]}


_DURATION_RE = re.compile(r"(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?")


@dataclass(frozen=True, slots=True)
class Duration(_StringValue):
    """A duration as written: weeks and days (counted as working days on a business calendar)
    and minutes (counted as open minutes). `36h` is 36 business hours, not a day and a half."""

    weeks: int = 0
    days: int = 0
    minutes: int = 0

    pattern: ClassVar[str] = r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?$"
    example: ClassVar[str] = "1h30m"

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _DURATION_RE.fullmatch(text)
        if not m or not text:
            raise ValueError(
                f"{quoted(text)} is not a duration: write whole numbers with units in the order "
                "w, d, h, m, such as 30m, 4h, 2d, 1w or 1h30m"
            )
        parts = m.groups()
        if any(g and len(g.lstrip("0")) > _MAX_DIGITS for g in parts):
            raise OutOfRange(_too_long(text), TIME_BOUNDS)
        w, d, h, mi = (int(g) if g else 0 for g in parts)
        duration = cls(w, d, h * 60 + mi)
        if duration.total_minutes > MAX_MINUTES:
            raise OutOfRange(_too_long(text), TIME_BOUNDS)
        return duration

    @classmethod
    def of(cls, *, days: int = 0, hours: int = 0, minutes: int = 0) -> Duration:
        return cls(0, days, hours * 60 + minutes)

    @property
    def total_days(self) -> int:
        """Whole days (a week is seven) - working days on a business calendar."""
        return self.weeks * 7 + self.days

    @property
    def total_minutes(self) -> int:
        """Every part in minutes, a day being 24 hours: the real time on a 24x7 calendar."""
        return self.total_days * MINUTES_PER_DAY + self.minutes

    @property
    def timedelta(self) -> timedelta:
        return timedelta(minutes=self.total_minutes)

    def __str__(self) -> str:
        hours, minutes = divmod(self.minutes, 60)
        parts = [(self.weeks, "w"), (self.days, "d"), (hours, "h"), (minutes, "m")]
        text = "".join(f"{n}{unit}" for n, unit in parts if n)
        return text or "0m"

    def __bool__(self) -> bool:
        return bool(self.total_minutes)


@dataclass(frozen=True)
class Close:
    """`by close` (days 0) or `by close +Nd`: the close of the last open span of the N-th
    working day after the one the clock starts on; on a 24x7 calendar, the end of that local day."""

    days: int = 0

    def __str__(self) -> str:
        return f"by close +{self.days}d" if self.days else "by close"


def _too_long(text: str) -> str:
    return f"{shown(text)} is longer than 100 years: a length of time is at most {MAX_DAYS}d"


def _clock(text: str) -> int:
    hours, _, minutes = text.partition(":")
    if not (hours + minutes).isascii() or not hours.isdigit() or not minutes.isdigit() or len(hours) > 2:
        raise ValueError(f"{quoted(text)} is not a time of day: use 00:00 to 24:00")
    h, m = int(hours), int(minutes)
    if len(minutes) != 2 or m > 59 or h > 24 or (h == 24 and m):
        raise ValueError(f"{quoted(text)} is not a time of day: use 00:00 to 24:00")
    return h * 60 + m


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class TimeSpan(_StringValue):
    """Local opening hours [start, end) in minutes after midnight; an end at or before the start
    crosses midnight and belongs to the day the span opens on. 24:00 is 1440."""

    start: int
    end: int

    pattern: ClassVar[str] = r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"
    example: ClassVar[str] = "08:00-18:00"

    @classmethod
    def parse(cls, text: str) -> TimeSpan:
        first, sep, last = text.partition("-")
        if not sep:
            raise ValueError(f"{text!r} is not a time span such as 08:00-18:00")
        start, end = _clock(first), _clock(last)
        if start == MINUTES_PER_DAY:
            raise ValueError(f"{text!r} opens at 24:00: write 00:00 of the next day")
        if start == end:
            raise ValueError(f"{text!r} is empty: it opens and closes at the same time")
        return cls(start, end)

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    @property
    def length(self) -> int:
        """Open minutes of the span."""
        return self.end - self.start if self.end > self.start else MINUTES_PER_DAY - self.start + self.end

    def __str__(self) -> str:
        return f"{format_clock(self.start)}-{format_clock(self.end)}"


PeriodUnit = Literal["day", "week", "month", "year"]
_PERIOD_UNITS: dict[str, PeriodUnit] = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}
_APPROX_DAYS = {"day": Decimal(1), "week": Decimal(7), "month": Decimal("30.4375"), "year": Decimal("365.25")}


class Period(BaseModel):
    """A span of the contract calendar: 36 months, 1 year, 90 days."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    count: int
    unit: PeriodUnit

    @classmethod
    def parse_unit(cls, word: str) -> PeriodUnit:
        try:
            return _PERIOD_UNITS[word.lower()]
        except KeyError:
            raise ValueError(f"{word!r} is not a unit of time: use days, weeks, months or years") from None

    @classmethod
    def from_duration(cls, duration: Duration) -> Period:
        if duration.minutes:
            raise ValueError(f"{duration} is not a whole number of days: write days, such as 90d")
        if duration.weeks and not duration.days:
            return cls.model_construct(count=duration.weeks, unit="week")
        return cls.model_construct(count=duration.total_days, unit="day")

    @property
    def months(self) -> int | None:
        """Whole months, when the period is stated in months or years."""
        return {"month": self.count, "year": self.count * 12}.get(self.unit)

    @property
    def approx_days(self) -> Decimal:
        return self.count * _APPROX_DAYS[self.unit]

    @property
    def too_long(self) -> bool:
        """Longer than 100 years: the most a term, renewal, notice, rollover or payment term is."""
        return self.approx_days > MAX_DAYS

    @model_validator(mode="after")
    def _bounded(self) -> Period:  # a model read from JSON keeps the bounds the text keeps
        if self.count < 0 or self.too_long:
            raise ValueError(f"{self} is not from 0 days to 100 years")
        return self

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


def singular(unit: str) -> str:
    """A unit's singular, the form units are compared in: users -> user, boxes -> box,
    properties -> property, switches -> switch; `hours` and `glass` stay themselves."""
    unit = unit.lower()
    if unit.endswith("ies") and len(unit) > 4:
        return unit[:-3] + "y"
    if unit.endswith(("sses", "xes", "ches", "shes", "zes")):
        return unit[:-2]
    if unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def same_unit(a: str, b: str) -> bool:
    """One unit counted singular or plural: `user` and `users`, `property` and `properties`."""
    return singular(a) == singular(b)


class Money(BaseModel):
    """An exact amount; `currency` is None when the amount was written bare (the agreement's)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    amount: Decimal
    currency: str | None = None

    @field_validator("amount")
    @classmethod
    def _bounded(cls, amount: Decimal) -> Decimal:  # a model read from JSON keeps the bounds
        return bounded(amount)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}" if self.currency else str(self.amount)
