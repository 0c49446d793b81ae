"""The desk's own verdict on each target, audited against the agreement's: how often they agree, and why not.

A service desk exports its own verdict on a ticket's targets (ServiceNow's `made_sla`, Freshservice's
`Resolution Status`, Jira's signed time left `-02:15`, ConnectWise's `isInSla`, Autotask's SLA met)
or its own business minutes (Zendesk). `sla comply --audit` sets each beside the agreement's verdict
on the same target. Where they differ, the cause is found by measuring again with one thing
changed, and named when that alone gives the desk's verdict: the priority the ticket was written
with instead of the one the agreement's rule measures, no pauses, no holidays or closed dates,
the clock running around the clock. Each such measurement is the agreement's own engine
(`BusinessCalendar.deadline_us`, the one `measure` settles targets with), so the audit's verdict
is the report's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .. import model as m
from ..clock import BusinessCalendar
from ..csvtable import norm, number
from ..instants import MINUTE, NEVER
from ..values import quoted
from .availability import percent
from .measure import KINDS, Goal, Pauses, Plan, Plans
from .words import duration, when

MET, BREACHED = "met", "breached"
#: The export's fields with the desk's verdict and its business minutes, per target.
VERDICT_FIELDS = ("response_met", "resolution_met")
MINUTES_FIELDS = ("response_business_minutes", "resolution_business_minutes")

#: What desks write for a target met or breached when the mapping's `[verdicts]` does not say.
_WORDS = {
    **dict.fromkeys(("true", "yes", "y", "1", "met", "within_sla", "achieved", "in_sla"), MET),
    **dict.fromkeys(
        ("false", "no", "n", "0", "breached", "violated", "sla_violated", "missed", "overdue", "not_met"),
        BREACHED,
    ),
}
#: Time left on a target as Jira Service Management writes it: `02:15`, `-02:15` (negative: breached).
_TIME_LEFT = re.compile(r"\s*([+-]?)\s*(\d{1,7}):([0-5]\d)(?::([0-5]\d))?\s*")

#: Why the verdicts differ, from the most to the least specific; the JSON's `cause`.
CAUSES = {
    "priority": "a priority change",
    "pause": "a pause",
    "holiday": "a holiday or closed date",
    "calendar": "a deadline on a different calendar",
    "other": "another target or clock",
}


def desk_verdict(text: str, verdicts: dict[str, str]) -> str | None:
    """`met`, `breached`, or None for an empty cell; ValueError for a word no one has said means either.

    `verdicts` is the mapping's `[verdicts]` table (by normalised export value); then the words
    desks commonly write, then a signed time left such as `-02:15`.
    """
    raw = text.strip()
    if not raw:
        return None
    key = norm(raw)
    found = verdicts.get(key) or _WORDS.get(key)
    if found is not None:
        return found
    left = _TIME_LEFT.fullmatch(raw)
    if left is not None:
        negative = left.group(1) == "-" and any(int(g) for g in left.groups()[1:] if g)
        return BREACHED if negative else MET
    raise ValueError(f"{quoted(raw)} is neither met nor breached")


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One target on which the agreement and the desk give different verdicts, and why."""

    ticket: str
    priority: str
    target: str  # response or resolution
    agreement: str  # met or breached
    desk: str
    deadline: datetime | None  # the agreement's, in the ticket's calendar zone; None: a pause never ends
    at: datetime | None  # the response or resolution; None: not yet
    cause: str  # a key of CAUSES
    reason: str  # in words


@dataclass(frozen=True)
class AuditReport:
    """Targets with a verdict on both sides, how many agree, and every disagreement."""

    compared: int
    agreed: int
    #: Per target (response, resolution): (compared, agreed).
    targets: dict[str, tuple[int, int]]
    #: Disagreements per cause (CAUSES' keys).
    causes: dict[str, int]
    disagreements: list[Disagreement]
    #: Desk verdicts not compared, per reason (a ticket still open, a target not measured, ...).
    not_compared: dict[str, int]
    #: Why nothing could be audited (the export has no column with the desk's verdict); else None.
    reason: str | None = None

    @property
    def rate(self) -> Decimal | None:
        """The share of compared targets on which both agree, in percent."""
        return percent(self.agreed, self.compared) if self.compared else None


@dataclass(slots=True)
class _Kept:
    ticket: str
    plan: Plan
    written: str | None  # the priority the export writes, when the agreement's rule chose another
    opened: int
    events: tuple[int | None, int | None]  # the first response (or resolution) and the resolution
    pauses: Pauses
    desk: tuple[str, str]  # the desk's verdict cells, per target ("" when none)
    minutes: tuple[str, str]  # the desk's business minutes cells, per target


class Audit:
    """Keeps what the audit needs of each ticket as the tickets are read, then compares."""

    def __init__(
        self,
        agreement: m.Agreement,
        plans: Plans,
        verdicts: dict[str, str],
        decimal: str,
        months: set[int] | None = None,
    ) -> None:
        self.agreement, self.plans = agreement, plans
        self.verdicts, self.decimal = verdicts, decimal
        self.months = months  # only tickets opened in these months are audited (None: all)
        self.outside = 0  # targets with a verdict of tickets opened outside those months
        self.kept: list[_Kept] = []
        self.verdict_at: tuple[int | None, int | None] = (None, None)
        self.minutes_at: tuple[int | None, int | None] = (None, None)
        self.latest = 0  # the latest time the tickets show: a ticket still open is judged at it

    def columns(self, index: dict[str, int | None]) -> None:
        """The columns of the desk's verdicts and business minutes in the tickets file."""
        self.verdict_at = (index.get(VERDICT_FIELDS[0]), index.get(VERDICT_FIELDS[1]))
        self.minutes_at = (index.get(MINUTES_FIELDS[0]), index.get(MINUTES_FIELDS[1]))

    @property
    def possible(self) -> bool:
        """Whether the tickets file has a column with the desk's own verdict or minutes."""
        return any(i is not None for i in (*self.verdict_at, *self.minutes_at))

    def keep(
        self,
        ticket: str,
        plan: Plan,
        written: str | None,
        opened: int,
        responded: int | None,
        resolved: int | None,
        pauses: Pauses,
        row: Sequence[str],
        changed: int | None = None,
    ) -> None:
        """A usable ticket, as measured: `written` is the priority its row names, `changed` the
        time of its last status change (the export shows the desk's state up to the latest)."""
        desk = tuple(row[i].strip() if i is not None else "" for i in self.verdict_at)
        minutes = tuple(row[i].strip() if i is not None else "" for i in self.minutes_at)
        for t in (opened, responded, resolved, changed):
            if t is not None and t > self.latest:
                self.latest = t
        if not any(desk) and not any(minutes):
            return
        if self.months is not None and plan.months.index(opened) not in self.months:
            self.outside += sum(1 for k in (0, 1) if desk[k] or minutes[k])
            return
        self.kept.append(
            _Kept(
                ticket,
                plan,
                written if written != plan.priority else None,
                opened,
                (responded, resolved),
                pauses,
                (desk[0], desk[1]),
                (minutes[0], minutes[1]),
            )
        )

    def report(self) -> AuditReport:
        compared = agreed = 0
        targets = {kind: [0, 0] for kind in KINDS}
        causes: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        found: list[Disagreement] = []
        for kept in self.kept:
            for kind in (0, 1):
                outcome = self._compare(kept, kind)
                if isinstance(outcome, str):
                    skipped[outcome] += 1
                    continue
                if outcome is None:
                    continue
                compared += 1
                targets[KINDS[kind]][0] += 1
                if outcome is True:
                    agreed += 1
                    targets[KINDS[kind]][1] += 1
                elif isinstance(outcome, Disagreement):
                    found.append(outcome)
                    causes[outcome.cause] += 1
        if self.outside:
            skipped["the ticket was opened outside the period asked for"] = self.outside
        reason = None
        if not self.possible:
            reason = (
                "Not audited: the tickets have no column with the desk's own verdict or business "
                "minutes (map one, such as --map resolution_met=COLUMN; the ready mappings do where "
                "the desk exports one)"
            )
        return AuditReport(
            compared,
            agreed,
            {k: (v[0], v[1]) for k, v in targets.items()},
            dict(causes),
            found,
            dict(skipped),
            reason,
        )

    # -- one target --------------------------------------------------------------------------

    def _compare(self, kept: _Kept, kind: int) -> Disagreement | bool | str | None:
        """True when both agree, a Disagreement, a reason the target is not compared, or None
        when the desk says nothing of it."""
        verdict_text, minutes_text = kept.desk[kind], kept.minutes[kind]
        if not verdict_text and not minutes_text:
            return None
        goal = kept.plan.goals[kind]
        if not goal.measured or goal.engine is None or goal.duration is None:
            return f"the agreement does not measure the {goal.kind} target of {kept.plan.priority} ({goal.reason})"
        desk_minutes: int | None = None
        desk: str | None
        if verdict_text:
            try:
                desk = desk_verdict(verdict_text, self.verdicts)
            except ValueError as exc:
                return f"the desk's verdict {exc} (map it in the mapping's [verdicts])"
            assert desk is not None
        else:
            try:
                value = number(minutes_text, self.decimal)
            except ValueError:
                return f"the desk's business minutes {quoted(minutes_text)} are not a number"
            if value < 0:
                return "the desk's business minutes are negative"
            if goal.days or goal.always:
                return (
                    "the desk's business minutes cannot be set against a target in days, by close "
                    "of business or on a 24x7 clock"
                )
            desk_minutes = int(value * MINUTE)
            desk = MET if desk_minutes <= goal.budget else BREACHED
        event = kept.events[kind]
        ours = self._verdict(goal.engine, goal, kept.opened, event, kept.pauses)
        if ours is None:
            return "the ticket is still open and its deadline has not passed"
        verdict, deadline = ours
        if verdict == desk:
            return True
        cause, reason = self._why(kept, kind, goal, desk, desk_minutes, deadline)
        engine = goal.engine
        return Disagreement(
            kept.ticket,
            kept.plan.priority,
            goal.kind,
            verdict,
            desk,
            engine.from_us(deadline) if deadline < NEVER else None,
            engine.from_us(event) if event is not None else None,
            cause,
            reason,
        )

    def _verdict(
        self, engine: BusinessCalendar, goal: Goal, opened: int, event: int | None, pauses: Pauses
    ) -> tuple[str, int] | None:
        """The agreement's verdict and deadline on `engine`; None while the ticket is open and
        its deadline has not passed by the latest time in the export."""
        assert goal.duration is not None
        deadline = engine.deadline_us(opened, goal.duration, pauses)
        if event is not None:
            return (MET if event <= deadline else BREACHED), deadline
        if deadline < NEVER and deadline < self.latest:
            return BREACHED, deadline
        return None

    def _why(
        self, kept: _Kept, kind: int, goal: Goal, desk: str, desk_minutes: int | None, deadline: int
    ) -> tuple[str, str]:
        """The cause (a key of CAUSES) and the reason in words."""
        engine = goal.engine
        assert engine is not None and goal.duration is not None
        event, opened, pauses = kept.events[kind], kept.opened, kept.pauses
        said = f"the desk says {desk}"
        if desk_minutes is not None:
            ours = engine.elapsed_us(opened, event, pauses) if event is not None else None
            said = f"the desk counts {_minutes(desk_minutes)} business minutes" + (
                f", the agreement {_minutes(ours)}" if ours is not None else ""
            )
        # the priority the export writes, measured by its own target
        if kept.written is not None and self.agreement.priority(kept.written) is not None:
            other = self.plans.plan(kept.written, kept.plan.service).goals[kind]
            if other.measured and other.engine is not None:
                again = self._verdict(other.engine, other, opened, event, pauses)
                if again is not None and again[0] == desk:
                    return "priority", (
                        f"the priority changed: the agreement measures {kept.plan.priority} "
                        f"({goal.label}), the desk {kept.written} ({other.label}); {said}"
                    )
        if pauses:
            again = self._verdict(engine, goal, opened, event, [])
            if again is not None and again[0] == desk:
                end = event if event is not None else again[1]
                paused = sum(engine.elapsed_us(a, min(b, end)) for a, b in pauses if a < end)
                return "pause", (
                    f"the agreement pauses the clock for {duration(paused)} of business time "
                    f"waiting, which the desk did not apply; {said}"
                )
        calendar = engine.calendar
        if calendar.holidays or calendar.closed:
            plain = BusinessCalendar.of(
                calendar.model_copy(update={"holidays": (), "holidays_except": (), "closed": ()})
            )
            again = self._verdict(plain, goal, opened, event, pauses)
            if again is not None and again[0] == desk:
                # the closed dates that moved the agreement's deadline: up to it
                end = deadline if deadline < NEVER else again[1]
                days = _closed_days(engine, engine.from_us(opened).date(), engine.from_us(end).date())
                return "holiday", (
                    f"{days} on the agreement's calendar, which the desk's schedule lacks; {said}"
                )
        if not engine.always:
            around = BusinessCalendar.of(
                m.Calendar(name="24x7", timezone=calendar.timezone, hours=(m.Hours(always=True),))
            )
            again = self._verdict(around, goal, opened, event, pauses)
            if again is not None and again[0] == desk:
                return "calendar", (
                    f"the desk's clock runs around the clock (its deadline {_when(engine, again[1])}), "
                    f"the agreement's on the {goal.calendar} calendar "
                    f"(its deadline {_when(engine, deadline)}); {said}"
                )
        what = "first response" if kind == 0 else "resolution"
        came = f"the {what} came {when(engine.from_us(event))}" if event is not None else f"no {what} yet"
        return "other", (
            f"the agreement's deadline is {_when(engine, deadline)} ({_target(goal)}) and {came}; "
            f"{said}, so its target or clock for the ticket differs from the agreement's"
        )


def _when(engine: BusinessCalendar, us: int) -> str:
    """An instant for people; a deadline a pause that never ends keeps off, said so."""
    return when(engine.from_us(us)) if us < NEVER else "never: the clock is paused and not yet restarted"


def _target(goal: Goal) -> str:
    """A target with its calendar: "4h on the office calendar", "1h on always"."""
    return goal.label if " on " in goal.label else f"{goal.label} on the {goal.calendar} calendar"


def _closed_days(engine: BusinessCalendar, first: date, last: date) -> str:
    """The closed dates from `first` to `last`, named: "2027-04-05 (Easter Monday) is closed"."""
    named: list[str] = []
    day, last = first, min(last, first + timedelta(days=3660))  # ten years are enough to name
    while day <= last:
        why = engine.closed_because(day)
        if why is not None:
            named.append(f"{day.isoformat()} ({why})")
        day += timedelta(days=1)
    if not named:
        return "a closed date"
    shown = ", ".join(named[:6]) + (f" and {len(named) - 6} more" if len(named) > 6 else "")
    return shown + (" is closed" if len(named) == 1 else " are closed")


def _minutes(us: int | None) -> str:
    if us is None:
        return "-"
    whole, rest = divmod(us, MINUTE)
    return f"{whole:,}" if not rest else f"{us / MINUTE:,.1f}"


__all__ = ["CAUSES", "Audit", "AuditReport", "Disagreement", "desk_verdict"]
