"""A workload profile learnt from history: incidents, effort, after-hours and onsite shares from a
service desk's tickets and a worklog, each estimate with its 95% confidence interval."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from . import model as m
from .instants import EPOCH
from .values import quoted

if TYPE_CHECKING:
    from .billing import RateCard
    from .comply.mapping import Names

#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054
#: Student's t quantile (two-sided 95%) by degrees of freedom; beyond 30 the normal's is close enough.
T95 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
}
#: Below these a history is too short to trust: a warning says so.
MIN_MONTHS, MIN_TICKETS = 6, 5
#: Worklog columns that name the ticket the work was for, tried in turn.
TICKET_COLUMNS = ("ticket", "ticket_id", "incident", "number")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Estimate:
    """One learnt figure and its 95% interval; `basis` says what it rests on, in words."""

    value: float
    low: float
    high: float
    basis: str
    warning: str | None = None


@dataclass
class History:
    """What the tickets (and a worklog) say; `to_sla` writes it as a profile."""

    title: str
    source: str
    tickets: int
    months: int
    first_month: str
    last_month: str
    incidents: dict[str, Estimate] = field(default_factory=dict)
    effort: dict[str, Estimate] = field(default_factory=dict)
    onsite: Estimate | None = None
    after_hours: Estimate | None = None
    #: Why a figure is left out or how it was taken, as comments in the profile.
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Rows that could not be used: (file, line, reason).
    unusable: list[tuple[str, int, str]] = field(default_factory=list)

    def to_sla(self) -> str:
        """The profile as `.sla` text, each estimate's interval as a comment on its line."""
        out = [
            (
                f"# Learnt by `sla profile` from {self.source}: {_n(self.tickets, 'ticket')} opened in "
                f"{_n(self.months, 'month')} ({self.first_month} to {self.last_month})."
            ),
            "# Each comment gives the 95% confidence interval of the figure on its line.",
        ]
        out += [f"# note: {n}" for n in self.notes]
        if self.unusable:
            out.append(f"# {_n(len(self.unusable), 'row')} could not be used (sla profile lists them).")
        out.append(f"profile {_string(self.title)} {{")
        out += [f"  # warning: {w}" for w in self.warnings]
        out.append("  incidents monthly {")
        for name, e in self.incidents.items():
            out.append(f"    {name} {_rate(e.value)}  # {_interval(e, _rate)}")
        out.append("  }")
        if self.effort:
            out.append("  # mean hands-on time per incident, over the incidents with work logged")
            out.append("  effort {")
            for name, e in self.effort.items():
                out.append(f"    {name} {_minutes(e.value)}  # {_interval(e, _minutes)}")
            out.append("  }")
        for label, share in (("onsite", self.onsite), ("after_hours", self.after_hours)):
            if share is not None:
                out.append(f"  {label} {_percent(share.value)}  # {_interval(share, _percent)}")
        out.append("}")
        return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------- intervals


def poisson_interval(count: int, months: int) -> tuple[float, float, float]:
    """A monthly rate and its 95% score interval: (k + z²/2 ± z·√(k + z²/4)) / n, which stays
    above zero and gives an upper bound when no incident was seen."""
    z2 = Z95 * Z95
    half = Z95 * math.sqrt(count + z2 / 4)
    return count / months, max(0.0, (count + z2 / 2 - half) / months), (count + z2 / 2 + half) / months


def wilson_interval(hits: int, total: int) -> tuple[float, float, float]:
    """A share and its 95% Wilson score interval."""
    p = hits / total
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = Z95 * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """A mean and its 95% interval by Student's t (the normal beyond 30 degrees of freedom); one
    value has no spread to measure, so its interval is the value itself."""
    n = len(values)
    mean = sum(values) / n
    if n == 1:
        return mean, mean, mean
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = T95.get(n - 1, Z95) * sd / math.sqrt(n)
    return mean, max(0.0, mean - half), mean + half


# -------------------------------------------------------------------------------------- learning


def learn(
    tickets: str,
    *,
    worklog: str | None = None,
    mappings: Sequence[str] = (),
    agreement: m.Agreement | None = None,
    title: str | None = None,
) -> History:
    """The workload the tickets file (read as `sla comply` reads it, through `mappings`) and a
    worklog (in `sla bill`'s format) show. Raises SlaError for a file that cannot be read."""
    import os

    from .clock import BusinessCalendar

    opened, unusable = _read_tickets(tickets, mappings, agreement)
    calendar = agreement.after_hours_calendar if agreement else None
    zone = ZoneInfo("UTC") if calendar is None else BusinessCalendar.of(calendar).zone
    if not opened:
        from .comply.inputs import InputError

        raise InputError(
            "SLA303", "has no usable ticket: a profile needs at least one", tickets, hint=_first(unusable)
        )
    local = {tid: _instant(t).astimezone(zone) for tid, (t, _) in opened.items()}
    month_of = {tid: when.year * 12 + when.month - 1 for tid, when in local.items()}
    first, last = min(month_of.values()), max(month_of.values())
    months = last - first + 1
    name = os.path.basename(tickets)
    h = History(
        title=title or f"Workload learnt from {name}",
        # on one comment line, whatever the file names hold
        source=" ".join((name + (f" and {os.path.basename(worklog)}" if worklog else "")).split()),
        tickets=len(opened),
        months=months,
        first_month=_label(first),
        last_month=_label(last),
        unusable=unusable,
    )
    if months < MIN_MONTHS:
        h.warnings.append(
            f"the history covers {_n(months, 'month')}, fewer than {MIN_MONTHS}: the rates are rough"
        )
    counts: dict[str, int] = {p.name: 0 for p in agreement.priorities} if agreement else {}
    for _, priority in opened.values():
        counts[priority] = counts.get(priority, 0) + 1
    order = list(counts) if agreement else sorted(counts)
    for priority in order:
        k = counts[priority]
        rate, low, high = poisson_interval(k, months)
        warning = f"fewer than {MIN_TICKETS} tickets" if k < MIN_TICKETS else None
        if warning:
            h.warnings.append(
                f"{priority} has {_n(k, 'ticket')}, fewer than {MIN_TICKETS}: its rate is rough"
            )
        h.incidents[priority] = Estimate(
            rate, low, high, f"{_n(k, 'ticket')} in {_n(months, 'month')}", warning
        )
    if calendar is None:
        h.notes.append("after_hours is left out: it needs the agreement's business calendar (--agreement)")
    else:
        engine = BusinessCalendar.of(calendar)
        outside = sum(1 for when in local.values() if not engine.is_open(when))
        share, low, high = wilson_interval(outside, len(local))
        h.after_hours = Estimate(
            share, low, high, f"{outside} of {len(local)} tickets opened outside {calendar.name}"
        )
    if worklog is None:
        h.notes.append("effort and onsite are left out: they need a worklog (--worklog)")
    else:
        _learn_work(h, worklog, {tid: p for tid, (_, p) in opened.items()}, agreement)
    return h


def _read_tickets(
    path: str, mappings: Sequence[str], agreement: m.Agreement | None
) -> tuple[dict[str, tuple[int, str]], list[tuple[str, int, str]]]:
    """Each ticket's opening (microseconds, UTC) and priority, by id, read through the comply
    inputs; an id on several rows (an event log, one row per update) is one ticket, opened at
    its earliest opening."""
    from .clock import BusinessCalendar, wall_clock
    from .comply.inputs import Export
    from .comply.mapping import Names, load_mapping
    from .comply.report import Unusable
    from .comply.times import Times

    mapping = load_mapping(mappings)
    for unused in ("first_response", "resolved"):  # a profile needs only the opening
        mapping.columns["tickets"][unused] = ()
    calendar = agreement.after_hours_calendar if agreement else None
    wall = wall_clock(BusinessCalendar.of(calendar).zone if calendar else ZoneInfo("UTC"))
    read = Times(mapping).reader(wall)
    names = Names(agreement, mapping) if agreement else None
    refused: list[Unusable] = []
    export = Export(path, "tickets", mapping, refused)
    found: dict[str, tuple[int, str]] = {}
    try:
        ix = export.index
        id_i, prio_i, opened_i = ix["id"], ix["priority"], ix["opened"]
        for line, row in export.rows():
            export.read += 1
            reason = export.ragged(row)
            if reason is not None:
                export.refuse(line, reason)
                continue
            tid = row[id_i].strip() if id_i is not None else ""
            raw = row[prio_i].strip() if prio_i is not None else ""
            text = row[opened_i].strip() if opened_i is not None else ""
            if not tid:
                export.refuse(line, "no ticket id")
                continue
            if not text:
                export.refuse(line, "no opening time")
                continue
            try:
                t = read(text)
            except ValueError as exc:
                export.refuse(line, f"opened: {exc}")
                continue
            priority = _priority(raw, names, mapping.value("priorities", raw))
            if priority.startswith("!"):
                export.refuse(line, priority[1:])
                continue
            export.used += 1
            if tid not in found or t < found[tid][0]:
                found[tid] = (t, found[tid][1] if tid in found else priority)
    finally:
        export.close()
    return found, [(u.file, u.row, u.reason) for u in refused]


def _priority(raw: str, names: Names | None, mapped: str) -> str:
    """The priority's name, or "!" and why it cannot be one."""
    if not raw:
        return "!no priority"
    if names is not None:
        found = names.priority(raw)
        return found if found else f"!unknown priority {quoted(raw)}{names.priorities_hint()}"
    if not _NAME.fullmatch(mapped):
        return (
            f"!priority {quoted(mapped)} is not a name a profile can hold; translate it in a "
            'mapping\'s [priorities] table ("1 - Critical" = "P1"), or give --agreement'
        )
    return mapped


def _learn_work(h: History, path: str, priority_of: dict[str, str], agreement: m.Agreement | None) -> None:
    """Effort per priority and the onsite share from a worklog in `sla bill`'s format, joined to
    the tickets by a ticket column when it has one."""
    from .billing import read_worklog
    from .csvtable import CsvProblem, read_csv

    text = _read_text(path)
    entries, problems, _ = read_worklog(text, _any_role_card(agreement))
    name = path
    h.unusable += [(name, p.row, str(p)) for p in problems]
    try:
        table = read_csv(text)
        column = table.column(*TICKET_COLUMNS, as_written=False)
        ticket_of = {
            line: row[column].strip()
            for line, row in table.rows()
            if column is not None and column < len(row)
        }
    except CsvProblem:  # read_worklog has read it: it cannot fail here
        column, ticket_of = None, {}
    if not entries:
        h.notes.append("effort and onsite are left out: the worklog has no usable row")
        return
    if column is None:
        h.notes.append(
            "effort is left out: the worklog has no ticket column ("
            + ", ".join(TICKET_COLUMNS)
            + ") to join its work to the tickets' priorities"
        )
        onsite = sum(1 for e in entries if e.location == "onsite")
        share, low, high = wilson_interval(onsite, len(entries))
        h.onsite = Estimate(share, low, high, f"{onsite} of {len(entries)} worklog entries onsite")
        return
    worked: dict[str, int] = {}
    visited: set[str] = set()
    unmatched = 0
    for e in entries:
        tid = ticket_of.get(e.row, "")
        if tid not in priority_of:
            unmatched += 1
            continue
        worked[tid] = worked.get(tid, 0) + e.worked
        if e.location == "onsite":
            visited.add(tid)
    if unmatched:
        h.notes.append(
            f"{_n(unmatched, 'worklog entry')} "
            + (
                "names no ticket of the tickets file and is"
                if unmatched == 1
                else "name no ticket of the tickets file and are"
            )
            + " left out"
        )
    if not worked:
        h.notes.append("effort and onsite are left out: no worklog entry names a ticket of the tickets file")
        return
    by_priority: dict[str, list[float]] = {}
    for tid, minutes in worked.items():
        by_priority.setdefault(priority_of[tid], []).append(float(minutes))
    for priority in h.incidents:
        if priority in by_priority:
            values = by_priority[priority]
            mean, low, high = mean_interval(values)
            h.effort[priority] = Estimate(mean, low, high, f"{_n(len(values), 'incident')} with work logged")
    share, low, high = wilson_interval(len(visited), len(worked))
    h.onsite = Estimate(share, low, high, f"{len(visited)} of {len(worked)} incidents needed a visit")


def _any_role_card(agreement: m.Agreement | None) -> RateCard:
    """A rate card for reading a worklog whatever its roles (effort counts all work, billed or
    not): it knows the agreement's calendar for naive times and its currency for materials."""
    from .billing import RateCard
    from .clock import BusinessCalendar

    class AnyRole(dict[str, m.Rate]):
        def __contains__(self, key: object) -> bool:
            return True

    card = RateCard.__new__(RateCard)
    card.rates = AnyRole()
    calendar = agreement.after_hours_calendar if agreement else None
    # The times of work do not matter here, only that a naive one can be read: without an
    # agreement, on UTC as the tickets' naive times are.
    always = m.Calendar(name="utc", timezone="UTC", hours=(m.Hours(days=(), spans=(), always=True),))
    card.engine = BusinessCalendar.of(calendar or always)
    card.currency = (agreement.currency if agreement else None) or "XXX"
    fees = agreement.fees if agreement else None
    card.travel = (fees.travel if fees else None) or m.Travel.model_construct()
    return card


def _read_text(path: str) -> str:
    from .comply.inputs import InputError

    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError("SLA301", "no such file", path) from None
    except IsADirectoryError:
        raise InputError("SLA301", "is a folder, not a CSV file", path) from None
    except UnicodeDecodeError:
        raise InputError("SLA302", "is not UTF-8 text", path, hint="save it as UTF-8") from None
    except OSError as exc:
        raise InputError("SLA301", f"cannot read the file: {exc.strerror}", path) from None


def _first(unusable: list[tuple[str, int, str]]) -> str | None:
    if not unusable:
        return None
    _, line, reason = unusable[0]
    return f"line {line}: {reason}" + (f" (and {len(unusable) - 1} more)" if len(unusable) > 1 else "")


# ------------------------------------------------------------------------------------- writing


def _instant(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def _n(count: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {noun if count == 1 else plural}"


def _label(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _string(text: str) -> str:
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _rate(value: float) -> str:
    """Incidents a month: two decimal places, four below 0.1 so that a rare priority is not 0."""
    places = Decimal("0.01") if value >= 0.1 or value == 0 else Decimal("0.0001")
    return _plain(Decimal(repr(value)).quantize(places, ROUND_HALF_UP))


def _minutes(value: float) -> str:
    """A length of time in whole minutes, as the language writes it: 1h30m."""
    total = int(Decimal(repr(value)).quantize(Decimal(1), ROUND_HALF_UP))
    hours, minutes = divmod(total, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


def _percent(value: float) -> str:
    return _plain((Decimal(repr(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)) + "%"


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _interval(e: Estimate, shown: Callable[[float], str]) -> str:
    text = f"95% CI {shown(e.low)} to {shown(e.high)}; {e.basis}"
    return text + (f"; warning: {e.warning}" if e.warning else "")


__all__ = [
    "Estimate",
    "History",
    "learn",
    "mean_interval",
    "poisson_interval",
    "wilson_interval",
]
