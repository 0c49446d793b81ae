"""Targets settled: each ticket's response and resolution met, breached or still open, month by month.

Two ways give the same figures, side by side here: `Scalar.settle` takes one target of one ticket
(a ticket with pauses: each has its own), `settle_batch` takes the tickets of a plan without
pauses together with numpy. The tests keep them equal on random tickets.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import model as m
from ..clock import BusinessCalendar, WallClock
from ..instants import MINUTE, NEVER
from ..values import Close, Duration

if TYPE_CHECKING:  # numpy is loaded when a batch of tickets is measured
    import numpy as np
    from numpy.typing import NDArray

    from ..clock import Paused
    from .times import Months, Zones

KINDS = ("response", "resolution")
#: Stands for a missing time in a batch (no time is this early).
NONE = -(2**63)
#: Tickets measured together; a batch takes about 40 bytes a ticket (0: every ticket on its own).
BATCH = 32768

Pauses = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Goal:
    """How one target of one priority is measured for tickets of one service."""

    kind: str
    duration: Duration | Close | None  # None: not measured
    reason: str | None
    engine: BusinessCalendar | None
    calendar: str
    label: str
    #: Without pauses a target of minutes only is a position on the calendar's business-time
    #: line `budget` after the start's; day targets (`days`) go through `deadline_us`.
    budget: int = 0
    days: int = 0
    always: bool = False
    measured: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    priority: str
    service: str | None
    wall: WallClock  # the ticket's zone: naive times and months
    months: Months
    goals: tuple[Goal, Goal]
    number: int  # its place in `Plans.numbered`, which breaches refer to
    tallies: tuple[dict[int, Tally], dict[int, Tally]]  # per target: month -> tally


class Tally:
    __slots__ = ("breached", "count", "met", "values")

    def __init__(self) -> None:
        self.met = self.breached = self.count = 0
        self.values = array("q")  # business time of each settled target, microseconds


class BreachStore:
    """The breaches of one month, kept compact: numbers in arrays, one string per ticket."""

    __slots__ = ("ats", "counts", "deadlines", "kinds", "lates", "opens", "plans", "seqs", "tickets")

    def __init__(self) -> None:
        self.tickets: list[str] = []
        self.plans = array("I")  # Plan.number
        self.kinds = array("b")  # 0 response, 1 resolution
        self.deadlines = array("q")
        self.ats = array("q")
        self.lates = array("q")  # business time, microseconds
        self.opens = array("b")
        self.seqs = array("q")  # the ticket's row among the usable ones: ties keep the file's order
        self.counts: dict[tuple[str, str], int] = {}  # (kind, priority) -> breaches

    def add(
        self, tid: str, plan: Plan, kind: int, deadline: int, at: int, late: int, still_open: bool, seq: int
    ) -> None:
        self.tickets.append(tid)
        self.plans.append(plan.number)
        self.kinds.append(kind)
        self.deadlines.append(deadline)
        self.ats.append(at)
        self.lates.append(late)
        self.opens.append(still_open)
        self.seqs.append(seq)
        key = (KINDS[kind], plan.priority)
        self.counts[key] = self.counts.get(key, 0) + 1

    def add_many(
        self,
        tickets: list[str],
        plan: Plan,
        kind: int,
        deadlines: NDArray[np.int64],
        ats: NDArray[np.int64],
        lates: NDArray[np.int64],
        still_open: NDArray[np.bool_],
        seqs: NDArray[np.int64],
    ) -> None:
        """`add` of many breaches of one target of one plan."""
        import numpy as np

        n = len(tickets)
        self.tickets += tickets
        self.plans.frombytes(np.full(n, plan.number, dtype=f"u{self.plans.itemsize}").tobytes())
        self.kinds.frombytes(np.full(n, kind, dtype=np.int8).tobytes())
        for store, values in (
            (self.deadlines, deadlines),
            (self.ats, ats),
            (self.lates, lates),
            (self.seqs, seqs),
        ):
            store.frombytes(np.ascontiguousarray(values, dtype=np.int64).tobytes())
        self.opens.frombytes(np.ascontiguousarray(still_open, dtype=np.int8).tobytes())
        key = (KINDS[kind], plan.priority)
        self.counts[key] = self.counts.get(key, 0) + n


class Batch:
    """Tickets of one plan without status changes, kept to be measured together (`settle_batch`)."""

    __slots__ = ("opened", "resolved", "responded", "seqs", "tickets")

    def __init__(self) -> None:
        self.tickets: list[str] = []
        self.seqs = array("q")
        self.opened = array("q")
        self.responded = array("q")  # NONE where there is none
        self.resolved = array("q")

    def add(self, tid: str, seq: int, opened: int, responded: int | None, resolved: int | None) -> int:
        """Keep a ticket; how many the batch holds now."""
        self.tickets.append(tid)
        self.seqs.append(seq)
        self.opened.append(opened)
        self.responded.append(NONE if responded is None else responded)
        self.resolved.append(NONE if resolved is None else resolved)
        return len(self.tickets)


class Ledger:
    """What settling found: per priority, target and month a tally; per month the breaches; and
    `pending`, which counts a target +1 from the month it opened and -1 from the month it settled
    (so the sum up to a month is what is still open at its end). Only `selected` months are
    tallied (None: all)."""

    def __init__(self, selected: set[int] | None) -> None:
        self.selected = selected
        #: (priority, target) -> month -> tally; each plan holds its priority's two month maps.
        self.tallies: dict[tuple[str, str], dict[int, Tally]] = {}
        self.pending: dict[tuple[str, str, int], int] = {}
        self.breaches: dict[int, BreachStore] = {}

    def pend(self, priority: str, kind: str, month: int, n: int) -> None:
        key = (priority, kind, month)
        self.pending[key] = self.pending.get(key, 0) + n

    def tally(self, plan: Plan, kind: int, month: int) -> Tally:
        tally = plan.tallies[kind].get(month)
        if tally is None:
            tally = plan.tallies[kind][month] = Tally()
        return tally

    def store(self, month: int) -> BreachStore:
        store = self.breaches.get(month)
        if store is None:
            store = self.breaches[month] = BreachStore()
        return store

    def still_open(self, priority: str, kind: str, month: int) -> int:
        """Targets open at a month's end: opened in it or before, settled after it (or never)."""
        return sum(n for (p, k, mo), n in self.pending.items() if p == priority and k == kind and mo <= month)


class Plans:
    """How each (priority, service) of the tickets is measured: its zone and its two goals."""

    def __init__(self, agreement: m.Agreement, zones: Zones, ledger: Ledger) -> None:
        self.agreement, self.zones, self.ledger = agreement, zones, ledger
        self.by_key: dict[tuple[str, str | None], Plan] = {}
        self.numbered: list[Plan] = []
        #: The tickets file has no such column (its mapping says so): the target is not measured.
        self.no_first_response = self.no_resolved = False

    def plan(self, priority: str, service: str | None) -> Plan:
        key = (priority, service)
        plan = self.by_key.get(key)
        if plan is None:
            p = self.agreement.priority(priority)
            assert p is not None
            wall, months, _ = self.zones.of(service)
            goals = (
                self._goal("response", p.response, service),
                self._goal("resolution", p.resolution, service),
            )
            tallies = (
                self.ledger.tallies.setdefault((priority, "response"), {}),
                self.ledger.tallies.setdefault((priority, "resolution"), {}),
            )
            plan = self.by_key[key] = Plan(
                priority, service, wall, months, goals, len(self.numbered), tallies
            )
            self.numbered.append(plan)
        return plan

    def _goal(self, kind: str, target: m.Target | None, service: str | None) -> Goal:
        a = self.agreement
        svc = a.service(service) if service else None
        cal = a.target_calendar(target, svc)
        name = cal.name if cal else "none"
        engine = BusinessCalendar.of(cal) if cal else None
        missing = self.no_first_response if kind == "response" else self.no_resolved
        if target is None:
            return Goal(kind, None, "no target", engine, name, "none")
        label = f"{target.length}" + (f" on {target.calendar}" if target.calendar else "")
        if target.length is None or target.best_effort:
            label = f"{target.length} best effort" if target.length else "best effort"
            return Goal(kind, None, "best effort", engine, name, label)
        if engine is None:
            return Goal(kind, None, "the agreement has no calendar", None, name, label)
        if missing:
            what = "first response" if kind == "response" else "resolution"
            return Goal(kind, None, f"the tickets file has no {what} times", engine, name, label)
        d = target.length
        if isinstance(d, Close):  # a close of business: always through `deadline_us`
            return Goal(kind, d, None, engine, name, label, 0, d.days + 1, False, True)
        budget = (d.total_minutes if engine.always else d.minutes) * MINUTE
        return Goal(
            kind,
            d,
            None,
            engine,
            name,
            label,
            budget,
            0 if engine.always else d.total_days,
            engine.always,
            True,
        )


# ------------------------------------------------------------------------------- one at a time


class Scalar:
    """Settles one target of one ticket at a time, into a ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._last_engine: BusinessCalendar | None = None
        self._last_start = self._last_position = 0

    def settle(
        self,
        tid: str,
        plan: Plan,
        kind: int,
        opened: int,
        first: int,
        event: int | None,
        pauses: Pauses | None,
        seq: int,
    ) -> None:
        """Settle one target of a ticket opened in month `first`: met in the month of its event,
        breached in the month of its deadline, or open until then."""
        goal = plan.goals[kind]
        met, settled, p0 = self._deadline(goal, opened, event, pauses)
        ledger = self.ledger
        if settled is None:
            ledger.pend(plan.priority, goal.kind, first, 1)
            return
        months = plan.months
        month = first
        i = month - months.first
        if not months.starts[i] <= settled < months.starts[i + 1]:
            month = months.index(settled)
            ledger.pend(plan.priority, goal.kind, first, 1)
            ledger.pend(plan.priority, goal.kind, month, -1)
        if ledger.selected is not None and month not in ledger.selected:
            return
        tally = ledger.tally(plan, kind, month)
        tally.count += 1
        engine = goal.engine
        if met:
            tally.met += 1
            if event is not None and engine is not None:
                if pauses or not goal.measured:
                    tally.values.append(engine.elapsed_us(opened, event, pauses or ()))
                else:
                    tally.values.append((event if goal.always else engine.position_us(event)) - p0)
            return
        assert engine is not None
        tally.breached += 1
        end = months.start(month + 1)
        still_open = event is None or event >= end
        at = end if still_open else event
        assert at is not None
        if pauses:
            tally.values.append(engine.elapsed_us(opened, at, pauses))
            late = engine.elapsed_us(settled, at, pauses)
        else:
            position = at if goal.always else engine.position_us(at)
            tally.values.append(position - p0)
            late = position - (settled if goal.always else engine.position_us(settled))
        ledger.store(month).add(tid, plan, kind, settled, at, late, still_open, seq)

    def _deadline(
        self, goal: Goal, opened: int, event: int | None, pauses: Pauses | None
    ) -> tuple[bool, int | None, int]:
        """(met, when the target settles or None: not yet, the opening's business-time position)."""
        engine = goal.engine
        if not goal.measured:
            return True, event, 0
        assert engine is not None and goal.duration is not None
        if pauses:
            deadline = engine.deadline_us(opened, goal.duration, pauses)
            met = event is not None and event <= deadline
            return met, event if met else (None if deadline >= NEVER else deadline), 0
        if goal.always:  # real time: a position is the instant itself
            deadline = opened + goal.budget
            met = event is not None and event <= deadline
            return met, event if met else deadline, opened
        if engine is self._last_engine and opened == self._last_start:
            p0 = self._last_position  # the other target of the ticket, on the same calendar
        else:
            p0 = self._last_position = engine.position_us(opened)
            self._last_engine, self._last_start = engine, opened
        if goal.days:
            deadline = engine.deadline_us(opened, goal.duration)
        else:
            deadline = engine.at_position_us(p0 + goal.budget)
        met = event is not None and event <= deadline
        return met, event if met else deadline, p0


# ------------------------------------------------------------------------------- many at once


@dataclass
class Group:
    """Tickets of one plan measured together: their times (NONE where there is none), their
    rows among the usable ones, their ids (read only for a breach), and their pauses (None:
    none has any; else as `clock.Paused`, by the index of the ticket)."""

    opened: NDArray[np.int64]
    responded: NDArray[np.int64]
    resolved: NDArray[np.int64]
    seqs: NDArray[np.int64]
    tickets: Sequence[str]
    paused: Paused | None = None


def settle_batch(ledger: Ledger, zones: Zones, plan: Plan, batch: Batch) -> None:
    """`Scalar.settle` for a batch of tickets of one plan without pauses, both targets, with numpy."""
    import numpy as np

    settle_group(
        ledger,
        zones,
        plan,
        Group(
            np.frombuffer(batch.opened, dtype=np.int64),
            np.frombuffer(batch.responded, dtype=np.int64),
            np.frombuffer(batch.resolved, dtype=np.int64),
            np.frombuffer(batch.seqs, dtype=np.int64),
            batch.tickets,
        ),
    )


def settle_group(ledger: Ledger, zones: Zones, plan: Plan, group: Group) -> None:
    """`Scalar.settle` for tickets of one plan, both targets, with numpy: the same tallies and
    breaches, with their pauses when they have any."""
    opened = group.opened
    if not len(opened):
        return
    months = plan.months
    zones.touch(months, int(opened.min()))
    zones.touch(months, max(int(opened.max()), int(group.responded.max()), int(group.resolved.max())))
    first = months.indexes(opened)
    for kind, event in ((0, group.responded), (1, group.resolved)):
        _settle_target(ledger, plan, kind, group, first, event)


def _settle_target(
    ledger: Ledger, plan: Plan, kind: int, group: Group, first: NDArray[np.int64], event: NDArray[np.int64]
) -> None:
    """One target of a group: which settle in which month, met or breached, into the ledger."""
    import numpy as np

    goal = plan.goals[kind]
    months, engine, opened, paused = plan.months, goal.engine, group.opened, group.paused
    has = event != NONE
    if goal.measured:
        assert engine is not None and goal.duration is not None
        deadline = engine.deadlines_us(opened, goal.duration, paused)
        met = has & (event <= deadline)
        settles = met | (deadline < NEVER)  # a pause that never ends keeps it open
    else:
        deadline, met, settles = event, has, has
    settled = np.where(met, event, deadline)
    month = np.where(settles, months.indexes(np.where(settles, settled, opened)), first)
    _pend(ledger, plan.priority, goal.kind, first, month, settles)
    chosen = settles if ledger.selected is None else settles & np.isin(month, list(ledger.selected))
    rows = np.nonzero(chosen)[0]
    if not len(rows):
        return
    if paused is not None:  # the pauses of the chosen tickets, numbered among them
        place = np.full(len(opened), -1, dtype=np.int64)
        place[rows] = np.arange(len(rows))
        keep = place[paused[0]] >= 0
        paused = (place[paused[0][keep]], paused[1][keep], paused[2][keep])
    event, met, deadline, month = event[rows], met[rows], deadline[rows], month[rows]
    end = months.starts_array()[month - months.first + 1]
    still_open = (event == NONE) | (event >= end)
    at = np.where(met, event, np.where(still_open, end, event))  # a breach is measured to `at`
    values = late = at
    if engine is not None:
        values = engine.elapsed_many_us(opened[rows], at, paused)
        missed = ~met
        late = np.zeros(len(rows), dtype=np.int64)
        if missed.any():
            late[missed] = engine.elapsed_many_us(deadline[missed], at[missed], _among(paused, missed))
    # by month: the rows in month order (stable: the order they came in), cut where it changes
    order = np.argsort(month, kind="stable")
    months_in_order = month[order]
    cuts = np.flatnonzero(months_in_order[1:] != months_in_order[:-1]) + 1
    missed_rows = ~met
    for part in np.split(order, cuts):
        month_key = int(month[part[0]])
        tally = ledger.tally(plan, kind, month_key)
        good = int(met[part].sum())
        tally.count += len(part)
        tally.met += good
        tally.breached += len(part) - good
        if engine is not None:
            tally.values.frombytes(values[part].tobytes())
        missed_here = part[missed_rows[part]]
        if len(missed_here):
            ledger.store(month_key).add_many(
                _pick(group.tickets, rows[missed_here]),
                plan,
                kind,
                deadline[missed_here],
                at[missed_here],
                late[missed_here],
                still_open[missed_here],
                group.seqs[rows[missed_here]],
            )


def _pick(tickets: Sequence[str], rows: NDArray[np.int64]) -> list[str]:
    """The ids of some tickets of a group (a sequence that picks many at once does so)."""
    pick = getattr(tickets, "pick", None)
    if pick is not None:
        return list(pick(rows))
    return [tickets[i] for i in rows.tolist()]


def _among(paused: Paused | None, chosen: NDArray[np.bool_]) -> Paused | None:
    """The pauses of the `chosen` tickets, numbered among them."""
    import numpy as np

    if paused is None:
        return None
    place = np.cumsum(chosen) - 1
    keep = chosen[paused[0]]
    return place[paused[0][keep]], paused[1][keep], paused[2][keep]


def _pend(
    ledger: Ledger,
    priority: str,
    kind: str,
    first: NDArray[np.int64],
    month: NDArray[np.int64],
    settles: NDArray[np.bool_],
) -> None:
    """`Ledger.pend` for a batch: +1 from the month a target opened, -1 from the month it settled."""
    import numpy as np

    moved = settles & (month != first)
    for where, sign in ((first[moved | ~settles], 1), (month[moved], -1)):
        if not len(where):
            continue
        low = int(where.min())
        counts = np.bincount(where - low)  # months are few and close: no sort
        for offset in np.flatnonzero(counts).tolist():
            ledger.pend(priority, kind, low + offset, sign * int(counts[offset]))


__all__ = [
    "BATCH",
    "KINDS",
    "NONE",
    "Batch",
    "BreachStore",
    "Goal",
    "Group",
    "Ledger",
    "Plan",
    "Plans",
    "Scalar",
    "Tally",
    "settle_batch",
    "settle_group",
]
