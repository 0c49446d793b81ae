"""What a compliance run reports: per month the targets, breaches, availability and credits; as JSON."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..instants import MINUTE, SECOND
from ..words import plain

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ..clock import WallClock
    from .audit import AuditReport, Disagreement
    from .measure import BreachStore, Plan


@dataclass(frozen=True)
class TargetStats:
    """One priority's response or resolution targets settled in a month.

    A target settles when its event happens by the deadline (met) or when the deadline passes
    without it (breached); `open` counts targets not settled at the month's end. Targets that are
    not measured (best effort, none stated) count their events in `count` only.
    """

    target: str
    measured: bool
    reason: str | None
    count: int
    met: int | None
    breached: int | None
    open: int
    attainment: Decimal | None
    median: int | None  # business time, microseconds
    p90: int | None


@dataclass(frozen=True)
class PriorityStats:
    priority: str
    title: str | None
    response: TargetStats
    resolution: TargetStats
    #: The stretches between updates (`updates every D`); None for a priority without the target.
    updates: TargetStats | None = None


@dataclass(frozen=True)
class Breach:
    """A missed target: `at` is the event, or the month's end when it had not happened by then
    (`open`); how late is business time on the target's calendar and wall-clock time."""

    ticket: str
    priority: str
    target: str
    service: str | None
    calendar: str
    deadline: datetime
    at: datetime
    late_business: int  # microseconds
    late_wall: int
    open: bool


@dataclass(frozen=True)
class MissedUpdate:
    """A stretch between updates longer than `updates every D`: from `since` (the first response
    or an update) the next update or the resolution was due at `deadline`; `at` is when it came,
    or the month's end when it had not come by then (`open`). How late is business time on the
    target's calendar and wall-clock time, in microseconds."""

    ticket: str
    priority: str
    service: str | None
    calendar: str
    since: datetime
    deadline: datetime
    at: datetime
    late_business: int
    late_wall: int
    open: bool


@dataclass(frozen=True)
class Exclusion:
    """An agreed exclusion (`--exclusions`) as it bears on one measurement: its time inside the
    measurement (in service hours with `during`), and the time it removed that no maintenance
    window and no exclusion listed before it had removed. Microseconds."""

    start: datetime
    end: datetime
    reason: str
    row: int  # its line in the exclusions file
    own_us: int
    removed_us: int


@dataclass(frozen=True)
class Availability:
    """A service's availability over its measurement period (or the part of it up to the end of
    the month, `complete` False). Minutes are real minutes, as microseconds."""

    service: str
    target: Decimal | None
    frequency: str
    period: str
    complete: bool
    start: datetime
    end: datetime
    period_us: int
    excluded_us: int
    downtime_us: int
    outages: int
    measured: Decimal | None  # percent, cut (not rounded) to three places; None: not measured
    met: bool | None
    #: Why the availability is not measured (no outage data for the service, no data in the
    #: month, no open minute of its `during` calendar): then `measured` and `met` are None and
    #: no availability credit is computed.
    not_measured: str | None = None
    #: The calendar whose open minutes alone count (`during CAL`); None: the whole period.
    during: str | None = None
    #: The agreed exclusions that bear on the measurement; None: no exclusions file was given.
    exclusions: tuple[Exclusion, ...] | None = None


@dataclass(frozen=True)
class CreditLine:
    kind: str  # availability | response | resolution
    subject: str  # the service or the priority
    detail: str
    count: int | None
    percent: Decimal | None
    base: Decimal  # the monthly fee a percent is taken of, or the amount per breach
    amount: Decimal | None  # None: not computable (the target could not be measured)
    #: Why the credit cannot be computed: then `amount` is None and the total may be too low.
    not_computable: str | None = None


@dataclass(frozen=True)
class RollingCap:
    """`cap P% of fees over N months` in one month: the credits of the N months up to it are at
    most P% of their recurring fees, so the month's credit (after its monthly cap) is cut to what
    is left of that allowance after the credits owed in the N - 1 months before it."""

    percent: Decimal
    months: int
    first: str  # the window's first month, as 2026-02
    last: str  # the month itself
    fees: Decimal  # the recurring fees of the months of the window that count
    allowance: Decimal  # P% of them, rounded half up
    earlier: Decimal  # the credits owed in the months of the window before this one
    left: Decimal  # allowance - earlier, at least 0
    before: Decimal  # the month's credit before the rolling cap (after the monthly cap)
    applied: bool
    #: Months of the window that count as no fee and no credit, as (first, last, why): before the
    #: agreement's start, or outside the data measured.
    uncounted: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Credits:
    lines: list[CreditLine]
    total_before_cap: Decimal
    cap_percent: Decimal | None
    monthly_fee: Decimal | None
    cap: Decimal | None
    owed: Decimal
    capped: bool
    #: True when a credit could not be computed: the credits owed may be understated.
    understated: bool = False
    #: The rolling cap (`cap P% of fees over N months`); None without one. `owed` is after it.
    rolling: RollingCap | None = None


@dataclass(frozen=True)
class PeriodReport:
    period: str
    start: date
    end: date  # the last day
    priorities: list[PriorityStats]
    breaches: Sequence[Breach]  # a BreachList: each Breach is made when read
    availability: list[Availability]
    credits: Credits
    #: Stretches between updates longer than `updates every`; None when no priority has one.
    missed_updates: list[MissedUpdate] | None = None


@dataclass(frozen=True)
class Unusable:
    file: str
    kind: str
    row: int
    reason: str


@dataclass(frozen=True)
class FileRows:
    kind: str
    file: str
    read: int
    used: int
    unusable: int


@dataclass(frozen=True)
class Report:
    agreement_id: str | None
    agreement_title: str
    currency: str | None
    mapping: str
    periods: list[PeriodReport]
    files: list[FileRows]
    unusable: list[Unusable]
    #: The agreement's `clock { priority ... }` rule; None when it states none (`final`).
    priority_rule: str | None = None
    #: The desk's own verdicts set against the agreement's (`--audit`); None when not asked for.
    audit: AuditReport | None = None

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def used(self) -> int:
        return sum(f.used for f in self.files)


class BreachList(Sequence["Breach"]):
    """The breaches of a month in deadline order (ties in the order of the tickets file), each
    made when it is read, so a month with a million breaches costs arrays, not objects."""

    def __init__(self, store: BreachStore | None = None, plans: Sequence[Plan] = ()) -> None:
        if store is None:
            from .measure import BreachStore

            store = BreachStore()
        self._store = store
        self._plans = plans
        if len(self._store.deadlines) > 1:
            import numpy as np

            deadlines = np.frombuffer(self._store.deadlines, dtype=np.int64)
            seqs = np.frombuffer(self._store.seqs, dtype=np.int64)
            kinds = np.frombuffer(self._store.kinds, dtype=np.int8)
            self._order: Sequence[int] = np.lexsort((kinds, seqs, deadlines)).tolist()
        else:
            self._order = range(len(self._store.deadlines))

    @property
    def counts(self) -> dict[tuple[str, str], int]:
        """Breaches by (target, priority)."""
        return self._store.counts

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._make(j) for j in self._order[i]]
        return self._make(self._order[i])

    def __iter__(self) -> Iterator[Breach]:
        return (self._make(j) for j in self._order)

    def _make(self, j: int) -> Breach:
        return Breach(*self._fields(j))

    def dicts(self) -> Iterator[dict[str, Any]]:
        """The breaches as JSON-ready dicts, without making a Breach of each (a month may hold
        a great many)."""
        for j in self._order:
            ticket, priority, target, service, calendar, deadline, at, late, wall, still_open = self._fields(
                j
            )
            yield {
                "ticket": ticket,
                "priority": priority,
                "target": target,
                "service": service,
                "calendar": calendar,
                "deadline": deadline.isoformat(),
                "at": at.isoformat(),
                "open": still_open,
                "late_business_seconds": _seconds(late),
                "late_wall_seconds": _seconds(wall),
            }

    def json_lines(self) -> Iterator[str]:
        """`dicts` as JSON text, each as `json.JSONEncoder(ensure_ascii=False).encode` writes it,
        made in bulk: the times of all breaches turned to text at once, per calendar."""
        import json

        import numpy as np

        s, order = self._store, np.asarray(self._order, dtype=np.int64)
        if not len(order):
            return
        text = json.encoder.encode_basestring  # what the encoder uses without ensure_ascii
        deadlines = np.frombuffer(s.deadlines, dtype=np.int64)[order]
        ats = np.frombuffer(s.ats, dtype=np.int64)[order]
        plans = np.frombuffer(s.plans, dtype=f"u{s.plans.itemsize}")[order]
        kinds = np.frombuffer(s.kinds, dtype=np.int8)[order]
        target = plans.astype(np.int64) * 2 + kinds  # a plan's target: its calendar and its words
        deadline_text = np.empty(len(order), dtype=object)
        at_text = np.empty(len(order), dtype=object)
        fields: dict[int, str] = {}
        for key in np.unique(target).tolist():
            plan = self._plans[key // 2]
            goal = plan.goals[key % 2]
            assert goal.engine is not None
            here = target == key
            deadline_text[here] = _iso_many(goal.engine.wall, deadlines[here])
            at_text[here] = _iso_many(goal.engine.wall, ats[here])
            service = "null" if plan.service is None else text(plan.service)
            fields[key] = (
                f'"priority": {text(plan.priority)}, "target": {text(goal.kind)}, '
                f'"service": {service}, "calendar": {text(goal.calendar)}'
            )
        tickets = s.tickets
        opens = np.where(np.frombuffer(s.opens, dtype=np.int8)[order] != 0, "true", "false").tolist()
        late = _json_seconds_many(np.frombuffer(s.lates, dtype=np.int64)[order])
        wall = _json_seconds_many(ats - deadlines)
        heads = [fields[k] for k in target.tolist()]
        for i, j in enumerate(order.tolist()):
            yield (
                f'{{"ticket": {text(tickets[j])}, {heads[i]}, '
                f'"deadline": "{deadline_text[i]}", "at": "{at_text[i]}", "open": {opens[i]}, '
                f'"late_business_seconds": {late[i]}, "late_wall_seconds": {wall[i]}}}'
            )

    def _fields(self, j: int) -> tuple[Any, ...]:
        s = self._store
        plan = self._plans[s.plans[j]]
        goal = plan.goals[s.kinds[j]]
        assert goal.engine is not None
        deadline, at = s.deadlines[j], s.ats[j]
        return (
            s.tickets[j],
            plan.priority,
            goal.kind,
            plan.service,
            goal.calendar,
            goal.engine.from_us(deadline),
            goal.engine.from_us(at),
            s.lates[j],
            at - deadline,
            bool(s.opens[j]),
        )


# --------------------------------------------------------------------------------- JSON


def _seconds(us: int | None) -> int | float | None:
    """Microseconds as seconds for JSON: whole seconds as an integer, else to the microsecond."""
    if us is None:
        return None
    whole, rest = divmod(us, SECOND)
    return whole if not rest else round(us / SECOND, 6)


def _json_seconds(us: int) -> str:
    """`_seconds` as the JSON encoder writes it."""
    whole, rest = divmod(us, SECOND)
    return str(whole) if not rest else float.__repr__(round(us / SECOND, 6))


def _json_seconds_many(us: NDArray[np.int64]) -> list[str]:
    """`_json_seconds` of many: whole seconds written by numpy, the others one by one."""
    import numpy as np

    whole = us % SECOND == 0
    found: list[str] = (us // SECOND).astype(str).tolist()
    for i in np.flatnonzero(~whole).tolist():
        found[i] = _json_seconds(int(us[i]))
    return found


def _iso_many(wall: WallClock, instants: NDArray[np.int64]) -> list[str]:
    """`datetime.isoformat` of each instant in a zone (as `BusinessCalendar.from_us` makes it):
    the wall time to the second, the microseconds when there are any, and the offset."""
    import numpy as np

    if not len(instants):
        return []
    local = wall.local_many(instants)
    seconds = np.datetime_as_string((local // SECOND).astype("datetime64[s]"), unit="s")
    offsets = local - instants
    low = int(offsets.min()) // MINUTE
    minutes = offsets // MINUTE - low
    exact = offsets % MINUTE == 0
    if exact.all() and int(minutes.max()) < 1 << 16:  # offsets of whole minutes, a day or so apart
        present = np.flatnonzero(np.bincount(minutes))
        names = np.full(int(minutes.max()) + 1, "", dtype="<U9")
        names[present] = [_offset_text((low + int(m)) * MINUTE) for m in present]
        found: list[str] = np.char.add(seconds, names[minutes]).tolist()
    else:
        found = [
            day + _offset_text(int(o)) for day, o in zip(seconds.tolist(), offsets.tolist(), strict=True)
        ]
    for i in np.flatnonzero(instants % SECOND).tolist():  # with microseconds: a few, if any
        day, offset, us = str(seconds[i]), int(offsets[i]), int(instants[i] % SECOND)
        found[i] = f"{day}.{us:06d}{_offset_text(offset)}"
    return found


def _offset_text(offset: int) -> str:
    """An offset from UTC in microseconds as `isoformat` writes it: +01:00, -03:30, +00:53:28."""
    sign = "-" if offset < 0 else "+"
    hours, rest = divmod(abs(offset), 3600 * SECOND)
    minutes, rest = divmod(rest, 60 * SECOND)
    seconds, micro = divmod(rest, SECOND)
    found = f"{sign}{hours:02d}:{minutes:02d}"
    if seconds or micro:
        found += f":{seconds:02d}" + (f".{micro:06d}" if micro else "")
    return found


def _minutes(us: int) -> int | float:
    whole, rest = divmod(us, MINUTE)
    return whole if not rest else round(us / MINUTE, 3)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def to_dict(report: Report) -> dict[str, Any]:
    """JSON-ready data: money and percentages as strings, times as ISO 8601 with offsets,
    durations in seconds and availability in minutes. The shape is in docs/compliance.md."""
    return _report_dict(report, list)


def json_chunks(report: Report, indent: int = 2) -> Iterator[str]:
    """`to_dict` as indented JSON text in pieces, for a report too large to hold as dicts: the
    breaches and unusable rows are made and encoded one at a time, each on a line of its own."""
    import json
    import uuid

    token = uuid.uuid4().hex  # stands for a long list in the skeleton; no input can guess it
    lists: list[_Mapped] = []

    def later(items: _Mapped) -> str:
        lists.append(items)
        return f"{token}:{len(lists) - 1}"

    skeleton = json.dumps(_report_dict(report, later), indent=indent, ensure_ascii=False)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # the fast C encoder: no indent
    at = 0
    for found in re.finditer(f'"{token}:(\\d+)"', skeleton):
        yield skeleton[at : found.start()]
        at = found.end()
        line = skeleton[skeleton.rfind("\n", 0, found.start()) + 1 : found.start()]
        pad = " " * (len(line) - len(line.lstrip(" ")))
        items = lists[int(found[1])]
        total = len(items.source)
        if not total:
            yield "[]"
            continue
        inner = ",\n" + pad + " " * indent
        yield "[\n" + pad + " " * indent
        batch: list[str] = []
        source = items.source
        lines = source.json_lines() if isinstance(source, BreachList) else map(encode, items)
        for done, line in enumerate(lines, 1):
            batch.append(line)
            if len(batch) == 1000 and done < total:
                yield inner.join(batch) + inner
                batch = []
        yield inner.join(batch) + "\n" + pad + "]"
    yield skeleton[at:]


class _Mapped:
    """A list's items as dicts, made as they are read; it knows its source (and so its length)."""

    def __init__(self, function: Any, source: Sequence[Any]) -> None:
        self.function, self.source = function, source

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.source, BreachList):
            return self.source.dicts()
        return map(self.function, self.source)


def _report_dict(report: Report, sequence: Any) -> dict[str, Any]:
    return {
        "agreement": {"id": report.agreement_id, "title": report.agreement_title},
        "currency": report.currency,
        "mapping": report.mapping,
        **({"priority_rule": report.priority_rule} if report.priority_rule is not None else {}),
        "periods": [_period_dict(p, sequence) for p in report.periods],
        "rows": {
            "read": report.read,
            "used": report.used,
            "unusable_count": len(report.unusable),
            "files": [
                {"kind": f.kind, "file": f.file, "read": f.read, "used": f.used, "unusable": f.unusable}
                for f in report.files
            ],
            "unusable": sequence(_Mapped(_unusable_dict, report.unusable)),
        },
        **({"audit": _audit_dict(report.audit, sequence)} if report.audit is not None else {}),
    }


def _audit_dict(a: AuditReport, sequence: Any) -> dict[str, Any]:
    return {
        **({"not_audited": a.reason} if a.reason is not None else {}),
        "compared": a.compared,
        "agreed": a.agreed,
        "agreement_rate": _text(a.rate),
        "targets": {k: {"compared": n, "agreed": agreed} for k, (n, agreed) in a.targets.items()},
        "causes": a.causes,
        "not_compared": [{"reason": why, "count": n} for why, n in a.not_compared.items()],
        "disagreements": sequence(_Mapped(_disagreement_dict, a.disagreements)),
    }


def _disagreement_dict(d: Disagreement) -> dict[str, Any]:
    return {
        "ticket": d.ticket,
        "priority": d.priority,
        "target": d.target,
        "agreement": d.agreement,
        "desk": d.desk,
        "deadline": d.deadline.isoformat() if d.deadline is not None else None,
        "at": d.at.isoformat() if d.at is not None else None,
        "cause": d.cause,
        "reason": d.reason,
    }


def _unusable_dict(u: Unusable) -> dict[str, Any]:
    return {"file": u.file, "kind": u.kind, "row": u.row, "reason": u.reason}


def _period_dict(p: PeriodReport, sequence: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "period": p.period,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "priorities": [_priority_dict(s) for s in p.priorities],
        "breaches": sequence(_Mapped(None, p.breaches)),
        **(
            {"missed_updates": sequence(_Mapped(_missed_dict, p.missed_updates))}
            if p.missed_updates is not None
            else {}
        ),
        "availability": [_availability_dict(av) for av in p.availability],
        "credits": {
            "lines": [
                {
                    "kind": line.kind,
                    "subject": line.subject,
                    "detail": line.detail,
                    "count": line.count,
                    "percent": _text(line.percent),
                    "base": _text(line.base),
                    "amount": _text(line.amount),
                    "not_computable": line.not_computable,
                }
                for line in p.credits.lines
            ],
            "total_before_cap": _text(p.credits.total_before_cap),
            "cap_percent": _text(p.credits.cap_percent),
            "monthly_fee": _text(p.credits.monthly_fee),
            "cap": _text(p.credits.cap),
            "capped": p.credits.capped,
            "owed": _text(p.credits.owed),
            "understated": p.credits.understated,
            **({"rolling_cap": _rolling_dict(p.credits.rolling)} if p.credits.rolling else {}),
        },
    }
    return found


def _priority_dict(s: PriorityStats) -> dict[str, Any]:
    found: dict[str, Any] = {
        "priority": s.priority,
        "title": s.title,
        "response": _stats_dict(s.response),
        "resolution": _stats_dict(s.resolution),
    }
    if s.updates is not None:
        found["updates"] = _stats_dict(s.updates)
    return found


def _missed_dict(u: MissedUpdate) -> dict[str, Any]:
    return {
        "ticket": u.ticket,
        "priority": u.priority,
        "service": u.service,
        "calendar": u.calendar,
        "since": u.since.isoformat(),
        "deadline": u.deadline.isoformat(),
        "at": u.at.isoformat(),
        "open": u.open,
        "late_business_seconds": _seconds(u.late_business),
        "late_wall_seconds": _seconds(u.late_wall),
    }


def _rolling_dict(r: RollingCap) -> dict[str, Any]:
    return {
        "percent": _text(r.percent),
        "months": r.months,
        "first": r.first,
        "last": r.last,
        "fees": _text(r.fees),
        "allowance": _text(r.allowance),
        "earlier": _text(r.earlier),
        "left": _text(r.left),
        "before": _text(r.before),
        "applied": r.applied,
        "uncounted": [{"first": a, "last": b, "why": why} for a, b, why in r.uncounted],
    }


def _availability_dict(av: Availability) -> dict[str, Any]:
    found: dict[str, Any] = {
        "service": av.service,
        "target": _text(av.target),
        "frequency": av.frequency,
        "measurement_period": av.period,
        "complete": av.complete,
        "start": av.start.isoformat(),
        "end": av.end.isoformat(),
        "period_minutes": _minutes(av.period_us),
        "excluded_minutes": _minutes(av.excluded_us),
        "downtime_minutes": _minutes(av.downtime_us),
        "outages": av.outages,
        "measured": _text(av.measured),
        "met": av.met,
        "not_measured": av.not_measured,
    }
    # keys of the second wave, present only where they say something: a report without them
    # is the same document as before
    if av.during is not None:
        found["during"] = av.during
    if av.exclusions is not None:
        found["exclusions"] = [
            {
                "start": x.start.isoformat(),
                "end": x.end.isoformat(),
                "reason": x.reason,
                "row": x.row,
                "minutes": _minutes(x.own_us),
                "removed_minutes": _minutes(x.removed_us),
            }
            for x in av.exclusions
        ]
    return found


def _stats_dict(s: TargetStats) -> dict[str, Any]:
    return {
        "target": s.target,
        "measured": s.measured,
        "reason": s.reason,
        "count": s.count,
        "met": s.met,
        "breached": s.breached,
        "open": s.open,
        "attainment": _text(s.attainment),
        "median_seconds": _seconds(s.median),
        "p90_seconds": _seconds(s.p90),
    }


__all__ = [
    "Availability",
    "Breach",
    "BreachList",
    "CreditLine",
    "Credits",
    "Exclusion",
    "FileRows",
    "MissedUpdate",
    "PeriodReport",
    "PriorityStats",
    "Report",
    "RollingCap",
    "TargetStats",
    "Unusable",
    "json_chunks",
    "to_dict",
]
