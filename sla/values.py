"""Value types of the language: durations, daily time spans, periods and money."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

MINUTES_PER_DAY = 1440
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


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


_DURATION_RE = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")


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
                f"{text!r} is not a duration: write whole numbers with units in the order "
                "w, d, h, m, such as 30m, 4h, 2d, 1w or 1h30m"
            )
        w, d, h, mi = (int(g) if g else 0 for g in m.groups())
        return cls(w, d, h * 60 + mi)

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


def _clock(text: str) -> int:
    hours, _, minutes = text.partition(":")
    h, m = int(hours), int(minutes)
    if len(minutes) != 2 or m > 59 or h > 24 or (h == 24 and m):
        raise ValueError(f"{text!r} is not a time of day: use 00:00 to 24:00")
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

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}" if self.currency else str(self.amount)
