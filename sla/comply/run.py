"""One compliance run: the exports read in order (events, tickets or an event log, outages), then each month reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from .. import model as m
from ..csvtable import norm
from ..instants import month_first_day, month_label, period_months
from ..pricing import monthly_fees
from . import measure
from .audit import Audit
from .availability import Exclusions, Outages, availability, percent, read_exclusions, read_outages
from .credits import credits, roll
from .eventlog import EventLog
from .inputs import Export, InputError
from .mapping import Mapping, Names
from .measure import Goal, Ledger, Plans, Tally
from .report import BreachList, FileRows, PeriodReport, PriorityStats, Report, TargetStats, Unusable
from .tickets import Events, Tickets
from .times import Times, Zones
from .updates import Updates


def parse_period(text: str) -> list[int]:
    """The months of `--period`: 2027-03, 2027-Q1 or 2027 (month index = year * 12 + month - 1)."""
    try:
        return period_months(text)
    except ValueError as exc:
        raise InputError("SLA306", f"--period: {exc}", hint="such as 2027-03, 2027-Q1 or 2027") from None


def comply(
    agreement: m.Agreement,
    tickets: str | None = None,
    *,
    events: str | None = None,
    outages: str | None = None,
    mapping: Mapping | None = None,
    period: str | None = None,
    progress: Callable[[int], None] | None = None,
    exclusions: str | None = None,
    events_log: str | None = None,
    audit: bool = False,
) -> Report:
    """Measure the tickets (and status changes, outages and agreed exclusions) of CSV files
    against an agreement.

    `events_log`, a log of one row per update of a ticket (sla.comply.eventlog), stands for both
    the tickets and the events file: give it or `tickets`, not both (ValueError).

    Raises InputError for a file or mapping that cannot be used at all, and SlaError when the
    agreement's credits cannot be priced; rows that cannot be used are listed in the report.
    `progress`, when given, is told how many bytes of the tickets file (or the log) are read as it goes.
    `audit` sets the desk's own verdict on each target beside the agreement's (sla.comply.audit):
    the report's `audit`.
    """
    if (tickets is None) == (events_log is None) or (events_log is not None and events is not None):
        raise ValueError("give a tickets file (and maybe an events file) or an event log, which holds both")
    mapping = mapping or Mapping()
    months = parse_period(period) if period is not None else None
    c = agreement.credits
    if c and (c.tiers or c.cap is not None or c.rolling_cap is not None):
        monthly_fees(agreement)  # an agreement whose credits cannot be priced fails before any reading
    run = Run.start(agreement, mapping, months)
    exports: list[Export] = []
    try:
        reader = Tickets(mapping, run.names, run.zones, run.plans, run.ledger, run.events, measure.BATCH)
        if audit:
            run.audit = reader.audit = Audit(
                agreement,
                run.plans,
                mapping.values["verdicts"],
                mapping.decimal,
                set(months) if months is not None else None,
            )
        log = None
        if events_log is not None:
            exports.append(Export(events_log, "eventlog", mapping, run.unusable))
            log = EventLog(exports[0], mapping, run.names, run.zones)
            log.read(progress)
            run.events.load(log.events)
            table = log.tickets
        else:
            assert tickets is not None
            if events:
                exports.append(Export(events, "events", mapping, run.unusable))
                run.events.load(exports[-1])
            exports.insert(0, Export(tickets, "tickets", mapping, run.unusable))
            table = exports[0]
            reader.progress = progress
        if run.updates is not None:
            if log is not None:
                run.updates.reason = "an event log does not mark which updates reach the customer"
            elif not events:
                run.updates.reason = "no events file marks updates"
            elif not run.events.update_rows:
                run.updates.reason = "the events file marks no updates"
            else:
                reader.updates = run.updates
        reader.read(table)
        if log is not None:
            log.settle(run.events)
        else:
            run.events.leftovers()
        if outages:
            exports.append(Export(outages, "outages", mapping, run.unusable))
            run.outages = read_outages(exports[-1], run.names, run.zones)
        if exclusions:
            exports.append(Export(exclusions, "exclusions", mapping, run.unusable))
            run.exclusions = read_exclusions(exports[-1], run.names, run.zones)
    finally:
        for export in exports:
            export.close()
    return run.report(exports)


@dataclass
class Run:
    """What one run gathers: the agreement's names and zones, the plans and the ledger of settled
    targets, the outages, and the rows that could not be used."""

    agreement: m.Agreement
    mapping: Mapping
    requested: list[int] | None
    names: Names
    zones: Zones
    ledger: Ledger
    plans: Plans
    events: Events
    outages: Outages | None = None  # None: no outages file was given
    exclusions: Exclusions | None = None  # None: no exclusions file was given
    updates: Updates | None = None  # None: no priority has `updates every`
    audit: Audit | None = None  # None: no audit was asked for
    unusable: list[Unusable] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)  # the months from the first to the last the data touch
    _reports: dict[int, PeriodReport] = field(default_factory=dict)  # each month's, once made
    _fees: dict[int, Decimal] = field(default_factory=dict)  # the total monthly fee of each month
    _data_from: int = 0  # the first month the data measured (for the rolling cap)

    @classmethod
    def start(cls, agreement: m.Agreement, mapping: Mapping, months: list[int] | None) -> Run:
        names = Names(agreement, mapping)
        zones = Zones(agreement, Times(mapping))
        # A rolling cap looks back at every month before the ones asked for: all are tallied.
        rolling = agreement.credits is not None and agreement.credits.rolling_cap is not None
        ledger = Ledger(set(months) if months is not None and not rolling else None)
        pause = {norm(s) for s in (agreement.clock.pause if agreement.clock else ())}
        plans = Plans(agreement, zones, ledger)
        events = Events(names, mapping, pause)
        run = cls(agreement, mapping, months, names, zones, ledger, plans, events)
        if any(p.updates is not None for p in agreement.priorities):
            run.updates = Updates(agreement, events, ledger, plans)
        return run

    def report(self, exports: list[Export]) -> Report:
        """The report of every month asked for, or of every month from the first to the last the
        data touches."""
        a = self.agreement
        order = {e.path: i for i, e in enumerate(exports)}
        unusable = sorted(self.unusable, key=lambda u: (order.get(u.file, 0), u.row))
        files = [
            FileRows(
                e.kind,
                e.path,
                e.read,
                e.used,
                sum(1 for u in unusable if u.file == e.path and u.kind == e.kind),
            )
            for e in exports
        ]
        self.covered = set(self.zones.touched())
        months = sorted(set(self.requested)) if self.requested is not None else sorted(self.covered)
        if months and a.credits is not None and a.credits.rolling_cap is not None:
            # each month's rolling cap needs the credits owed before it: roll from the first month
            # that counts
            self._data_from = min(self.covered | set(months))
            start = a.start.year * 12 + a.start.month - 1 if a.start else self._data_from
            for month in range(max(self._data_from, start), months[-1]):
                self.month_report(month)
        periods = [self.month_report(month) for month in months]
        rule = a.clock.priority if a.clock else None
        audited = self.audit.report() if self.audit is not None else None
        return Report(a.id, a.title, a.currency, self.mapping.name, periods, files, unusable, rule, audited)

    def month_report(self, month: int) -> PeriodReport:
        """A month's report, made once: with the rolling cap applied in order, month by month."""
        found = self._reports.get(month)
        if found is None:
            found = self.period(month)
            c = self.agreement.credits
            if c is not None and c.rolling_cap is not None:
                rolled = roll(self.agreement, month, found.credits, self._owed, self._fee, self._data_from)
                found = replace(found, credits=rolled)
            self._reports[month] = found
        return found

    def _owed(self, month: int) -> Decimal:
        return self.month_report(month).credits.owed

    def _fee(self, month: int) -> Decimal:
        if month not in self._fees:
            self._fees[month] = monthly_fees(self.agreement, on=month_first_day(month))[1]
        return self._fees[month]

    def period(self, month: int) -> PeriodReport:
        priorities = []
        updates = self.updates
        for p in self.agreement.priorities:
            plan = self.plans.plan(p.name, None)
            response, resolution = (self.target_stats(month, p.name, goal) for goal in plan.goals)
            intervals = updates.stats(p.name, month) if updates is not None else None
            priorities.append(PriorityStats(p.name, p.title, response, resolution, intervals))
        breaches = BreachList(self.ledger.breaches.get(month), self.plans.numbered)
        services = availability(
            self.agreement, self.zones, self.outages, month, self.covered, self.exclusions
        )
        # targets the data could not measure: their per-breach credits cannot be computed
        unmeasured = {
            (kind, s.priority): getattr(s, kind).reason or "not measured"
            for s in priorities
            for kind in ("response", "resolution")
            if not getattr(s, kind).measured
        }
        counts = breaches.counts
        missed = None
        if updates is not None:
            unmeasured.update(
                (("update", s.priority), s.updates.reason or "not measured")
                for s in priorities
                if s.updates is not None and not s.updates.measured
            )
            counts = {**counts, **{("update", p): n for p, n in updates.counts(month).items()}}
            missed = updates.missed(month)
        owed = credits(self.agreement, month, services, counts, unmeasured)
        last = month_first_day(month + 1) - timedelta(days=1)
        return PeriodReport(
            month_label(month), month_first_day(month), last, priorities, breaches, services, owed, missed
        )

    def target_stats(self, month: int, priority: str, goal: Goal) -> TargetStats:
        """The tallies of a month for one target of a priority, over every service's plan."""
        tally = self.ledger.tallies.get((priority, goal.kind), {}).get(month) or Tally()
        measured = goal.duration is not None and goal.engine is not None
        count = tally.count
        median = p90 = None
        if tally.values:
            import numpy as np

            values = np.sort(np.frombuffer(tally.values, dtype=np.int64))
            n = len(values)
            mid = n // 2
            median = int(values[mid]) if n % 2 else (int(values[mid - 1]) + int(values[mid])) // 2
            p90 = int(values[-(-9 * n // 10) - 1])  # nearest rank: the ceil(0.9 n)-th smallest
        return TargetStats(
            target=goal.label,
            measured=measured,
            reason=goal.reason,
            count=count,
            met=tally.met if measured else None,
            breached=tally.breached if measured else None,
            open=self.ledger.still_open(priority, goal.kind, month),
            attainment=percent(tally.met, count) if measured and count else None,
            median=median,
            p90=p90,
        )


__all__ = ["Run", "comply", "parse_period"]
