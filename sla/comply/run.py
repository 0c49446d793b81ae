"""One compliance run: the exports read in order (events, tickets, outages), then each month reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from .. import model as m
from ..csvtable import norm
from ..instants import month_first_day, month_label, period_months
from ..pricing import monthly_fees
from . import measure
from .availability import Exclusions, Outages, availability, percent, read_exclusions, read_outages
from .credits import credits
from .inputs import Export, InputError
from .mapping import Mapping, Names
from .measure import Goal, Ledger, Plans, Tally
from .report import BreachList, FileRows, PeriodReport, PriorityStats, Report, TargetStats, Unusable
from .tickets import Events, Tickets
from .times import Times, Zones


def parse_period(text: str) -> list[int]:
    """The months of `--period`: 2027-03, 2027-Q1 or 2027 (month index = year * 12 + month - 1)."""
    try:
        return period_months(text)
    except ValueError as exc:
        raise InputError("SLA306", f"--period: {exc}", hint="such as 2027-03, 2027-Q1 or 2027") from None


def comply(
    agreement: m.Agreement,
    tickets: str,
    *,
    events: str | None = None,
    outages: str | None = None,
    mapping: Mapping | None = None,
    period: str | None = None,
    progress: Callable[[int], None] | None = None,
    exclusions: str | None = None,
) -> Report:
    """Measure the tickets (and status changes, outages and agreed exclusions) of CSV files
    against an agreement.

    Raises InputError for a file or mapping that cannot be used at all, and SlaError when the
    agreement's credits cannot be priced; rows that cannot be used are listed in the report.
    `progress`, when given, is told how many bytes of the tickets file are read as it goes.
    """
    mapping = mapping or Mapping()
    months = parse_period(period) if period is not None else None
    if agreement.credits and (agreement.credits.tiers or agreement.credits.cap is not None):
        monthly_fees(agreement)  # an agreement whose credits cannot be priced fails before any reading
    run = Run.start(agreement, mapping, months)
    exports: list[Export] = []
    try:
        if events:
            exports.append(Export(events, "events", mapping, run.unusable))
            run.events.load(exports[-1])
        exports.insert(0, Export(tickets, "tickets", mapping, run.unusable))
        reader = Tickets(mapping, run.names, run.zones, run.plans, run.ledger, run.events, measure.BATCH)
        reader.progress = progress
        reader.read(exports[0])
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
    unusable: list[Unusable] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)  # the months from the first to the last the data touch

    @classmethod
    def start(cls, agreement: m.Agreement, mapping: Mapping, months: list[int] | None) -> Run:
        names = Names(agreement, mapping)
        zones = Zones(agreement, Times(mapping))
        ledger = Ledger(set(months) if months is not None else None)
        pause = {norm(s) for s in (agreement.clock.pause if agreement.clock else ())}
        return cls(
            agreement,
            mapping,
            months,
            names,
            zones,
            ledger,
            Plans(agreement, zones, ledger),
            Events(names, mapping, pause),
        )

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
        periods = [self.period(month) for month in months]
        return Report(a.id, a.title, a.currency, self.mapping.name, periods, files, unusable)

    def period(self, month: int) -> PeriodReport:
        priorities = []
        for p in self.agreement.priorities:
            plan = self.plans.plan(p.name, None)
            response, resolution = (self.target_stats(month, p.name, goal) for goal in plan.goals)
            priorities.append(PriorityStats(p.name, p.title, response, resolution))
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
        owed = credits(self.agreement, month, services, breaches.counts, unmeasured)
        last = month_first_day(month + 1) - timedelta(days=1)
        return PeriodReport(
            month_label(month), month_first_day(month), last, priorities, breaches, services, owed
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
