"""Compliance: tickets, status changes and outages measured against an agreement, month by month.

`comply(agreement, tickets_csv, events=..., outages=..., exclusions=..., mapping=..., period=...)`
(or `comply(agreement, events_log=log_csv, ...)` for a log of one row per update of a ticket)
reads the CSV exports of a service desk as a stream and returns a `Report`: per calendar month and
priority, how many response and resolution targets were met and breached (at the priority the
clock's rule picks), every breach with how late it was, the stretches between updates, each
service's availability, and the credits owed, capped. `to_dict` makes it JSON-ready.

Times are integer microseconds since 1970-01-01 UTC throughout (`sla.clock` counts business time
on that scale), so no float ever decides whether a target was met; money is Decimal. The rules
are written out in docs/compliance.md.

The stages, one module each: `inputs` (the export files and their fields), `mapping` (which
column is which), `times` (times as instants, months, zones), `tickets` (tickets and status
changes), `eventlog` (a log of updates read as tickets and status changes), `measure` (targets
settled), `updates` (update intervals), `availability`, `credits`, `report` (the result and its
JSON), and `run`, which reads the files in order and reports each month.
"""

from __future__ import annotations

from ..instants import month_label
from .availability import maintenance_windows, measure_availability
from .inputs import FIELDS, InputError
from .mapping import Mapping, load_mapping, ready_mappings
from .report import (
    Availability,
    Breach,
    BreachList,
    CreditLine,
    Credits,
    Exclusion,
    FileRows,
    MissedUpdate,
    PeriodReport,
    PriorityStats,
    Report,
    RollingCap,
    TargetStats,
    Unusable,
    json_chunks,
    to_dict,
)
from .run import comply, parse_period

__all__ = [
    "FIELDS",
    "Availability",
    "Breach",
    "BreachList",
    "CreditLine",
    "Credits",
    "Exclusion",
    "FileRows",
    "InputError",
    "Mapping",
    "MissedUpdate",
    "PeriodReport",
    "PriorityStats",
    "Report",
    "RollingCap",
    "TargetStats",
    "Unusable",
    "comply",
    "json_chunks",
    "load_mapping",
    "maintenance_windows",
    "measure_availability",
    "month_label",
    "parse_period",
    "ready_mappings",
    "to_dict",
]
