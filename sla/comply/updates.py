"""Update intervals (`updates every D`): from the first response to the resolution, each stretch of
business time between updates, met or missed, month by month."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from .. import model as m
from ..clock import BusinessCalendar
from ..instants import NEVER
from ..values import Duration
from .measure import Ledger, Pauses, Plan, Plans, Tally
from .report import MissedUpdate, TargetStats
from .tickets import Events, TicketEvents

KIND = "update"


@dataclass(frozen=True, slots=True)
class Interval:
    """How the update interval of one priority is measured for tickets of one service."""

    duration: Duration | None  # None: not measured (`reason` says why)
    reason: str | None
    engine: BusinessCalendar | None
    calendar: str
    label: str


@dataclass
class _Missed:
    """The missed updates of one month, kept as numbers until they are reported."""

    tickets: list[str] = field(default_factory=list)
    plans: array[int] = field(default_factory=lambda: array("I"))
    numbers: array[int] = field(default_factory=lambda: array("q"))  # since, deadline, at, late: 4 a row
    opens: array[int] = field(default_factory=lambda: array("b"))
    seqs: array[int] = field(default_factory=lambda: array("q"))


class Updates:
    """Counts the stretches between updates of each ticket read (`settle`), and reports them per
    month (`stats`, `missed`, `counts`).

    A stretch runs from the first response, or an update, to the next update or the resolution
    (updates at or before the first response and at or after the resolution do not start one).
    It is met when its end comes at or before the deadline of the interval counted from its
    start on the target's calendar, less paused time (`BusinessCalendar.deadline_us`, as for any
    target): met in the month of its end, missed in the month of its deadline, open until then.
    A ticket not yet resolved has a last stretch without an end.
    """

    def __init__(self, agreement: m.Agreement, events: Events, ledger: Ledger, plans: Plans) -> None:
        self.agreement, self.events, self.ledger, self.plans = agreement, events, ledger, plans
        #: Why no interval is measured (no events file, none marks an update); None: measured.
        self.reason: str | None = None
        self.intervals: dict[tuple[str, str | None], Interval | None] = {}
        self.tallies: dict[str, dict[int, Tally]] = {}  # priority -> month -> tally
        self._missed: dict[int, _Missed] = {}
        self._plans: dict[int, Plan] = {}

    def interval(self, priority: str, service: str | None) -> Interval | None:
        """The update interval of a priority for tickets of a service; None without one."""
        key = (priority, service)
        if key in self.intervals:
            return self.intervals[key]
        a = self.agreement
        p = a.priority(priority)
        target = p.updates if p else None
        found = None
        if target is not None:
            cal = a.target_calendar(target, a.service(service) if service else None)
            name = cal.name if cal else "none"
            label = f"every {target.duration}" + (f" on {target.calendar}" if target.calendar else "")
            reason = self.reason
            if target.duration is None:  # the grammar gives every interval a duration
                reason = "no interval"
            elif cal is None:
                reason = "the agreement has no calendar"
            elif reason is None and self.plans.no_first_response:
                reason = "the tickets file has no first response times"
            engine = BusinessCalendar.of(cal) if cal is not None else None
            found = Interval(target.duration if reason is None else None, reason, engine, name, label)
        self.intervals[key] = found
        return found

    def settle(
        self,
        tid: str,
        plan: Plan,
        responded: int | None,
        resolved: int | None,
        events: TicketEvents,
        seq: int,
    ) -> None:
        """Count the stretches between the updates of one ticket, measured at `plan`'s priority."""
        interval = self.interval(plan.priority, plan.service)
        if interval is None or interval.duration is None or responded is None:
            return
        engine = interval.engine
        assert engine is not None
        ends = [
            t for t in self.events.updates(events) if responded < t and (resolved is None or t < resolved)
        ]
        if resolved is not None and resolved > responded:
            ends.append(resolved)
        pauses: Pauses = self.events.pauses(events, resolved) if events else []
        starts = [responded, *ends]
        stretches: list[tuple[int, int | None]] = list(zip(starts, ends, strict=False))
        if resolved is None:
            stretches.append((starts[-1], None))
        for start, end in stretches:
            self._settle(tid, plan, interval, engine, start, end, pauses, seq)

    def _settle(
        self,
        tid: str,
        plan: Plan,
        interval: Interval,
        engine: BusinessCalendar,
        start: int,
        end: int | None,
        pauses: Pauses,
        seq: int,
    ) -> None:
        assert interval.duration is not None
        ledger, months = self.ledger, plan.months
        deadline = engine.deadline_us(start, interval.duration, pauses)
        met = end is not None and end <= deadline
        settled = end if met else (deadline if deadline < NEVER else None)
        first = months.index(start)
        if settled is None:
            ledger.pend(plan.priority, KIND, first, 1)
            return
        month = months.index(settled)
        if month != first:
            ledger.pend(plan.priority, KIND, first, 1)
            ledger.pend(plan.priority, KIND, month, -1)
        if ledger.selected is not None and month not in ledger.selected:
            return
        tally = self.tallies.setdefault(plan.priority, {}).setdefault(month, Tally())
        tally.count += 1
        if met:
            assert end is not None
            tally.met += 1
            tally.values.append(engine.elapsed_us(start, end, pauses))
            return
        tally.breached += 1
        month_end = months.start(month + 1)
        still_open = end is None or end >= month_end
        at = month_end if still_open or end is None else end
        tally.values.append(engine.elapsed_us(start, at, pauses))
        store = self._missed.setdefault(month, _Missed())
        store.tickets.append(tid)
        store.plans.append(plan.number)
        store.numbers.extend((start, deadline, at, engine.elapsed_us(deadline, at, pauses)))
        store.opens.append(still_open)
        store.seqs.append(seq)
        self._plans[plan.number] = plan

    # -- the report ------------------------------------------------------------------------------

    def stats(self, priority: str, month: int) -> TargetStats | None:
        """The stretches of a priority settled in a month; None for a priority without `updates`.
        A priority whose interval differs by service is shown by the first service's."""
        from .availability import percent

        label_of = [i for (p, _), i in self.intervals.items() if p == priority and i is not None]
        interval = label_of[0] if label_of else self.interval(priority, None)
        if interval is None:
            return None
        tally = self.tallies.get(priority, {}).get(month) or Tally()
        measured = interval.duration is not None
        median = p90 = None
        values = sorted(tally.values)
        if values:
            n = len(values)
            mid = n // 2
            median = values[mid] if n % 2 else (values[mid - 1] + values[mid]) // 2
            p90 = values[-(-9 * n // 10) - 1]
        return TargetStats(
            target=interval.label,
            measured=measured,
            reason=interval.reason,
            count=tally.count,
            met=tally.met if measured else None,
            breached=tally.breached if measured else None,
            open=self.ledger.still_open(priority, KIND, month),
            attainment=percent(tally.met, tally.count) if measured and tally.count else None,
            median=median,
            p90=p90,
        )

    def counts(self, month: int) -> dict[str, int]:
        """Missed updates in a month, by priority."""
        store = self._missed.get(month)
        found: dict[str, int] = {}
        for number in store.plans if store else ():
            priority = self._plans[number].priority
            found[priority] = found.get(priority, 0) + 1
        return found

    def missed(self, month: int) -> list[MissedUpdate]:
        """The missed updates of a month in deadline order (ties in the order of the tickets file)."""
        store = self._missed.get(month)
        if store is None:
            return []
        found = []
        for j in sorted(range(len(store.tickets)), key=lambda j: (store.numbers[4 * j + 1], store.seqs[j])):
            plan = self._plans[store.plans[j]]
            interval = self.interval(plan.priority, plan.service)
            assert interval is not None and interval.engine is not None
            since, deadline, at, late = store.numbers[4 * j : 4 * j + 4]
            show = interval.engine.from_us
            found.append(
                MissedUpdate(
                    store.tickets[j],
                    plan.priority,
                    plan.service,
                    interval.calendar,
                    show(since),
                    show(deadline),
                    show(at),
                    late,
                    at - deadline,
                    bool(store.opens[j]),
                )
            )
        return found


__all__ = ["Interval", "Updates"]
