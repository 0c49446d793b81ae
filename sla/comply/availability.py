"""Availability: outages and agreed exclusions read from exports, maintenance windows, each service's
measured availability (in service hours when its target says `during CAL`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from .. import model as m
from ..clock import BusinessCalendar, WallClock, merged, wall_clock
from ..csvtable import norm
from ..instants import DAY, EPOCH_DAY, MINUTE, NEVER, from_us, month_label
from ..values import quoted
from ..week import window_on
from .inputs import Export, Refused
from .mapping import Names
from .report import Availability, Exclusion
from .times import HI, Months, Zones

_T = TypeVar("_T")

#: Each service's outages as reported: (start, end, planned), UTC microseconds.
Outages = dict[str, list[tuple[int, int, bool]]]
#: Each service's agreed exclusions (`--exclusions`) in the order of the file: (start, end,
#: reason, row), UTC microseconds.
Exclusions = dict[str, list[tuple[int, int, str, int]]]


def read_outages(export: Export, names: Names, zones: Zones) -> Outages:
    """The usable rows of an outages export, by service."""
    planned_i = export.index["planned"]
    found: Outages = {}
    rows = _periods(
        export, names, zones, lambda row: _yes_no(row[planned_i]) if planned_i is not None else False
    )
    for _row_no, service, months, start, end, planned in rows:
        zones.touch(months, start)
        if end < NEVER:
            zones.touch(months, end)
        found.setdefault(service, []).append((start, end, planned))
    return found


def read_exclusions(export: Export, names: Names, zones: Zones) -> Exclusions:
    """The usable rows of an exclusions export, by service: periods both parties agreed to leave
    out of availability after the fact. Unlike an outage, an exclusion has an end."""
    reason_i = export.index["reason"]
    found: Exclusions = {}
    rows = _periods(
        export, names, zones, lambda row: row[reason_i].strip() if reason_i is not None else "", True
    )
    for row_no, service, _months, start, end, reason in rows:
        found.setdefault(service, []).append((start, end, reason, row_no))
    return found


def _periods(
    export: Export, names: Names, zones: Zones, read: Callable[[list[str]], _T], ended: bool = False
) -> Iterator[tuple[int, str, Months, int, int, _T]]:
    """The usable rows of an export of periods of a service: each row's number, service, months,
    start and end (UTC microseconds) and what `read` takes from it; a row that cannot be used
    (`read` may refuse it too) is refused at its number. With `ended`, a period needs an end."""
    ix = export.index
    svc_i, start_i, end_i = ix["service"], ix["start"], ix["end"]
    assert svc_i is not None and start_i is not None
    for row_no, row in export.rows():
        export.read += 1
        try:
            if len(row) != export.width:
                raise Refused(export.ragged(row))
            service = _service(row[svc_i], names)
            _wall, months, parse = zones.of(service)
            start, end = _interval(row, start_i, end_i, parse)
            if ended and end >= NEVER:
                raise Refused("no end time (an exclusion is a period with an end)")
            value = read(row)
        except Refused as exc:
            export.refuse(row_no, str(exc.args[0]))
            continue
        export.used += 1
        yield row_no, service, months, start, end, value


def _service(raw: str, names: Names) -> str:
    """The agreement's service a cell names, or Refused."""
    raw = raw.strip()
    if not raw:
        raise Refused("no service")
    service = names.service(raw)
    if service is None:
        known = ", ".join(s.name for s in names.agreement.services) or "none"
        raise Refused(f"unknown service {quoted(raw)} (the agreement has {known})")
    return service


def _interval(
    row: list[str], start_i: int, end_i: int | None, parse: Callable[[str], int]
) -> tuple[int, int]:
    """An outage's start and end (NEVER: it goes on)."""
    if not row[start_i].strip():
        raise Refused("no start time")
    try:
        start = parse(row[start_i])
    except ValueError as exc:
        raise Refused(f"start: {exc}") from None
    end = NEVER
    if end_i is not None and row[end_i].strip():
        try:
            end = parse(row[end_i])
        except ValueError as exc:
            raise Refused(f"end: {exc}") from None
    if end < start:
        raise Refused("ends before it starts")
    return start, end


def _yes_no(text: str) -> bool:
    value = norm(text)
    if value in ("", "no", "n", "false", "f", "0", "unplanned"):
        return False
    if value in ("yes", "y", "true", "t", "1", "planned", "x"):
        return True
    raise Refused(f"planned: {quoted(text.strip())} is not yes or no")


def _intersect(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The intersection of two sorted lists of disjoint intervals."""
    found, i, j = [], 0, 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if a < b:
            found.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return found


def _length(intervals: list[tuple[int, int]]) -> int:
    return sum(b - a for a, b in intervals)


def maintenance_windows(agreement: m.Agreement, start: int, end: int) -> list[tuple[int, int]]:
    """The agreement's maintenance windows between two instants, merged, as UTC microseconds.

    A window is wall-clock time on the local dates of its calendar (`on CAL`, else the agreement's
    first calendar); one crossing midnight runs into the next date.
    """
    found = []
    for mw in agreement.maintenance:
        cal = agreement.maintenance_calendar(mw)
        wall = wall_clock(cal.zone if cal else ZoneInfo("UTC"))
        first = wall.local(start) // DAY - 1
        last = wall.local(min(end, HI)) // DAY
        span = mw.window
        close = span.end + (1440 if span.end <= span.start else 0)
        for day in range(first, last + 1):
            if window_on(mw, date.fromordinal(day + EPOCH_DAY)):
                a = wall.utc(day * DAY + span.start * MINUTE)
                b = wall.utc(day * DAY + close * MINUTE)
                if a < end and b > start:
                    found.append((max(a, start), min(b, end)))
    return merged(found)


def percent(part: int, whole: int, target: Decimal | None = None) -> Decimal:
    """part / whole in percent, rounded half up to three places (LANGUAGE.md: 9,780 of 9,900
    minutes is 98.788%); with more places where three would reach a target the exact share
    misses, or fall short of one it meets, so that a report never shows 99.900% not met."""
    exact = Decimal(part) * 100 / Decimal(whole)
    places = 3
    while True:
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if target is None or (shown >= target) == (exact >= target) or places >= 9:
            return shown
        places += 1


def measure_availability(
    agreement: m.Agreement,
    service: m.Service,
    outages: Sequence[tuple[int, int, bool]],
    start: int,
    end: int,
    exclusions: Sequence[tuple[int, int]] = (),
) -> tuple[int, int, int]:
    """(period, excluded, downtime) microseconds of a service between two instants.

    Outages are merged (overlapping reports count once) and clipped to the period. Excluded is
    the part of planned outages inside maintenance windows when the target says `excluding
    maintenance`, and every agreed exclusion whether it says so or not, each minute once;
    downtime is every other outage minute (so an unplanned outage during excluded time is not
    counted twice: that time is out of the measurement). With `during CAL` each of the three is
    clipped to the open intervals of CAL: only service hours count.
    """
    found = _measure(agreement, service, outages, start, end, exclusions)
    return found.period, found.excluded, found.downtime


class _Measured:
    """What `_measure` finds: the three sums, and for each exclusion its own time in the
    measurement and the time it removed that nothing before it had."""

    __slots__ = ("downtime", "excluded", "period", "removed")

    def __init__(self, period: int, excluded: int, downtime: int, removed: list[tuple[int, int]]) -> None:
        self.period, self.excluded, self.downtime, self.removed = period, excluded, downtime, removed


def _measure(
    agreement: m.Agreement,
    service: m.Service,
    outages: Sequence[tuple[int, int, bool]],
    start: int,
    end: int,
    exclusions: Sequence[tuple[int, int]],
) -> _Measured:
    av = service.availability
    hours = service_hours(agreement, av, start, end)
    period = end - start if hours is None else _length(hours)

    def clip(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return intervals if hours is None else _intersect(intervals, hours)

    down = merged([(max(a, start), min(b, end)) for a, b, _ in outages if a < end and b > start])
    excluded: list[tuple[int, int]] = []
    if av is not None and av.excluding_maintenance:
        planned = merged([(max(a, start), min(b, end)) for a, b, p in outages if p and a < end and b > start])
        for a, b in planned:
            excluded += maintenance_windows(agreement, a, b)
        excluded = clip(merged(excluded))
    # An agreed exclusion removes what no maintenance window and no exclusion before it removed.
    removed = []
    for a, b in exclusions:
        own = clip([(max(a, start), min(b, end))] if a < end and b > start else [])
        before = _length(excluded)
        excluded = merged(excluded + own)
        removed.append((_length(own), _length(excluded) - before))
    down = clip(down)
    return _Measured(period, _length(excluded), _length(down) - _length(_intersect(down, excluded)), removed)


def service_hours(
    agreement: m.Agreement, av: m.Availability | None, start: int, end: int
) -> list[tuple[int, int]] | None:
    """The open intervals between two instants of the calendar an availability target is
    measured `during` (its holidays and closed days and spans closed), or None: the whole time
    counts."""
    cal = agreement.calendar(av.during) if av is not None and av.during else None
    if cal is None:
        return None
    try:
        engine = BusinessCalendar.of(cal)
    except ValueError:  # a calendar that is never open has no service hours
        return []
    return [
        (engine.to_us(a), engine.to_us(b))
        for a, b in engine.open_intervals(engine.from_us(start), engine.from_us(end))
    ]


def _label(first: int, size: int) -> str:
    """A measurement period: 2027-06, 2027-Q2 or 2027."""
    if size == 1:
        return month_label(first)
    return f"{first // 12}-Q{first % 12 // 3 + 1}" if size == 3 else f"{first // 12}"


def availability(
    agreement: m.Agreement,
    zones: Zones,
    outages: Outages | None,
    month: int,
    covered: set[int] | None = None,
    exclusions: Exclusions | None = None,
) -> list[Availability]:
    """Each service with an availability target, or with outages, over its measurement period
    containing the month (complete when the period ends with the month).

    A target is "not measured" - never 100% - when there are no outage data for its service
    (`outages` None: no outages file; or a file that does not name the service), or when the
    data (`covered`: the months from the first instant of the exports to the last) touch no month
    of the measurement period up to this one, or when its `during` calendar has no open minute
    in it. `exclusions` (None: no exclusions file) are listed on each service they bear on."""
    known = outages is not None
    outages = outages or {}
    found = []
    for service in agreement.services:
        av = service.availability
        reported = outages.get(service.name, [])
        if av is None and not reported:
            continue
        wall, months, _ = zones.of(service.name)
        frequency = av.frequency if av else "monthly"
        size = m.FREQUENCY_MONTHS[frequency]
        first = month - month % size
        complete = month == first + size - 1
        start, end = months.start(first), months.start(month + 1)
        agreed = (exclusions or {}).get(service.name, [])
        sums = _measure(agreement, service, reported, start, end, [(a, b) for a, b, _, _ in agreed])
        whole, excluded, down = sums.period, sums.excluded, sums.downtime
        measurable = whole - excluded
        measured: Decimal | None = (
            percent(measurable - down, measurable, av.target if av else None)
            if measurable
            else Decimal("100.000")
        )
        met = None
        why = None
        if not known or service.name not in outages:
            why = f"no outage data for {service.name}"
        elif covered is not None and not covered.intersection(range(first, month + 1)):
            why = f"no data for {_label(first, size)}"
        elif av is not None and av.during and not whole:
            why = f"{av.during} has no open minute in {_label(first, size)}"
        if why is not None:
            measured = None
        elif av is not None:
            met = (measurable - down) * 100 >= av.target * measurable
        label = _label(first, size)
        count = sum(1 for a, b, _ in reported if a < end and b > start)
        found.append(
            Availability(
                service.name,
                av.target if av else None,
                frequency,
                label,
                complete,
                _aware(start, wall),
                _aware(end, wall),
                whole,
                excluded,
                down,
                count,
                measured,
                met,
                why,
                av.during if av else None,
                _listed(agreed, sums.removed, wall, start, end) if exclusions is not None else None,
            )
        )
    return found


def _listed(
    agreed: list[tuple[int, int, str, int]],
    removed: list[tuple[int, int]],
    wall: WallClock,
    start: int,
    end: int,
) -> tuple[Exclusion, ...]:
    """The exclusions that overlap a measurement, each with its time in it (in service hours
    with `during`: perhaps none) and what it removed."""
    return tuple(
        Exclusion(_aware(a, wall), _aware(b, wall), reason, row, own, new)
        for (a, b, reason, row), (own, new) in zip(agreed, removed, strict=True)
        if a < end and b > start
    )


def _aware(us: int, wall: WallClock) -> datetime:
    return from_us(us).astimezone(wall.zone)


__all__ = [
    "Exclusions",
    "Outages",
    "availability",
    "maintenance_windows",
    "measure_availability",
    "percent",
    "read_exclusions",
    "read_outages",
    "service_hours",
]
