"""Time and materials: a worklog billed by an agreement's rate card, to the minor unit.

Each work entry is rounded up to its rate's increment, raised to the minimum for its location,
and multiplied by the factor of the time class in which it starts (holiday > weekend > after
hours > normal; only the highest class with a multiplier applies). A callout per onsite entry,
travel and materials plus markup are never multiplied. Block hours are drawn down first, oldest
hours first, and what they do not cover is billed at the block's overage rate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import model as m
from .clock import BusinessCalendar
from .codes import diagnostic, no_currency
from .csvtable import AmbiguousNumber, CsvProblem, read_csv
from .csvtable import number as read_number
from .diagnostics import Diagnostic, SlaError, did_you_mean
from .instants import FIRST_INPUT_YEAR, LAST_INPUT_YEAR, month_index, month_label, read_time
from .money import EXACT, round_money, sum_money
from .reference import minor_digits
from .values import MAX_MINUTES, Duration, OutOfRange, bounded, quoted, shown
from .words import fraction_minutes_text, minutes_text, number, plain, units_of

#: The columns of a worklog; `start`, `duration` and `role` are required.
COLUMNS = ("start", "duration", "role", "location", "materials", "travel", "description")
REQUIRED = ("start", "duration", "role")
TIME_CLASSES = ("holiday", "weekend", "after_hours", "normal")
_MULTIPLIER_OF: dict[str, m.MultiplierKind] = {
    "holiday": "holidays",
    "weekend": "weekends",
    "after_hours": "after_hours",
}


# --- the rate card --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeClass:
    """When a piece of work starts, as the rate card sees it."""

    name: str  # holiday | weekend | after_hours | normal
    factor: Fraction
    multiplier: m.Multiplier | None
    because: str | None = None  # the holiday's name, or "a closed date"

    @property
    def label(self) -> str:
        if self.multiplier is None:
            return "normal hours"
        why = f": {self.because}" if self.because else ""
        return f"{self.name.replace('_', ' ')} {number(self.multiplier.factor)}x{why}"


def block_for(blocks: Sequence[m.BlockHours], roles: Container[str], role: str) -> m.BlockHours | None:
    """The block a role's work draws from: the one whose overage is billed at that role's rate,
    else none when some block belongs to a role of `roles`, else the first block."""
    named = [b for b in blocks if b.overage == role]
    if named:
        return named[0]
    if not blocks or any(b.overage in roles for b in blocks):
        return None
    return blocks[0]


class RateCard:
    """An agreement's fees for work as done: rates, multipliers, callout, travel, materials."""

    def __init__(self, agreement: m.Agreement) -> None:
        problems: list[Diagnostic] = []
        if not agreement.currency:
            problems.append(no_currency(agreement.span))
        fees = agreement.fees or m.Fees.model_construct()
        if not fees.rates:
            problems.append(
                diagnostic(
                    "SLA205",
                    "the agreement has no `rate` to bill work at",
                    agreement.where("fees") if agreement.fees else agreement.span,
                    "add `rate engineer 120.00 per hour increment 15m` to the fees",
                )
            )
        if problems:
            raise SlaError(problems)
        assert agreement.currency
        self.agreement = agreement
        self.currency = agreement.currency
        self.digits = minor_digits(self.currency)
        self.rates: dict[str, m.Rate] = {}
        for rate in fees.rates:
            self.rates.setdefault(rate.role, rate)  # the first of a role wins, as everywhere
        self.multipliers = {mu.kind: mu for mu in fees.multipliers}
        self.callout = fees.callout.amount if fees.callout else None
        self.travel = fees.travel
        self.markup = fees.materials_markup
        self.blocks = fees.blocks
        self.calendar = agreement.after_hours_calendar
        self.engine = BusinessCalendar.of(self.calendar) if self.calendar else None

    def block_for(self, role: str) -> m.BlockHours | None:
        """The block a role draws from (`block_for` below)."""
        return block_for(self.blocks, self.rates, role)

    @property
    def first_role(self) -> str:
        return next(iter(self.rates))

    def local(self, instant: datetime) -> datetime:
        """An instant on the agreement's clock; a naive time is local to its calendar."""
        if self.engine is None:
            return instant
        if instant.tzinfo is None:
            return self.engine.localize(instant)
        return instant.astimezone(self.engine.zone)

    def time_class(self, start: datetime) -> TimeClass:
        """The highest class with a multiplier in which `start` falls, else normal."""
        local = self.local(start)
        day = local.date()
        applies = {
            "holiday": self.engine is not None and self.engine.closed_on(day),
            "weekend": local.weekday() >= 5,
            "after_hours": self.engine is not None and not self.engine.is_open(local),
        }
        for name in ("holiday", "weekend", "after_hours"):
            multiplier = self.multipliers.get(_MULTIPLIER_OF[name])
            if applies[name] and multiplier is not None:
                because = self.engine.closed_because(day) if name == "holiday" and self.engine else None
                return TimeClass(name, Fraction(multiplier.factor), multiplier, because)
        return TimeClass("normal", Fraction(1), None)

    def billed_minutes(self, rate: m.Rate, worked: int, location: m.Location) -> tuple[int, str]:
        """Worked minutes rounded up to the increment, then raised to the location's minimum."""
        billed, why = worked, f"{minutes_text(worked)} worked"
        if rate.increment is not None and rate.increment.total_minutes > 0:
            step = rate.increment.total_minutes
            billed = -(-worked // step) * step
            if billed != worked:
                why += f", rounded up to {minutes_text(billed)} ({minutes_text(step)} increments)"
        floor = rate.minimum_for(location)
        if floor is not None and billed < floor.total_minutes:
            billed = floor.total_minutes
            own = any(x.location == location for x in rate.minimums)
            why += f", raised to the {location + ' ' if own else ''}minimum of {minutes_text(billed)}"
        return billed, why

    def labour(self, rate: m.Rate, billed: int, factor: Fraction) -> Decimal:
        return round_money(Fraction(rate.price.amount) * billed / 60 * factor, self.digits)

    def materials(self, cost: Decimal) -> Decimal:
        if not self.markup:
            return round_money(cost, self.digits)
        return round_money(Fraction(cost) * (1 + Fraction(self.markup) / 100), self.digits)

    def travel_charge(self, distance: Decimal) -> Decimal:
        assert self.travel is not None
        return round_money(Fraction(distance) * Fraction(self.travel.price.amount), self.digits)


# --- the worklog ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkEntry:
    row: int
    start: datetime
    worked: int  # minutes
    role: str
    location: m.Location
    materials: Decimal
    distance: Decimal
    description: str = ""


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


class _RowError(Exception):
    def __init__(self, column: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def parse_duration(text: str) -> int:
    """Minutes from `40m`, `1h30m` or `1:30` (digits 0-9, at most 100 years); a bare number is
    ambiguous and refused."""
    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if (
            len(parts) in (2, 3)
            and all(p.isascii() and p.isdigit() for p in parts)
            and len(parts[1]) == 2
            and (len(parts) == 2 or len(parts[2]) <= 2)
        ):
            if len(parts[0]) > len(str(MAX_MINUTES)):
                raise ValueError(f"{shown(text)} is longer than 100 years")
            h, mi = int(parts[0]), int(parts[1])
            sec = int(parts[2]) if len(parts) == 3 else 0
            if mi < 60 and sec < 60:
                minutes = h * 60 + mi + (1 if sec else 0)  # a started minute counts
                if minutes > MAX_MINUTES:
                    raise ValueError(f"{shown(text)} is longer than 100 years")
                return minutes
        raise ValueError(f"{quoted(text)} is not a duration; write 40m, 1h30m or 1:30")
    try:
        return Duration.parse(text).total_minutes
    except OutOfRange as exc:
        raise ValueError(str(exc)) from None
    except ValueError:
        hint = " (minutes or hours? write 40m or 1h)" if text.replace(".", "", 1).isdigit() else ""
        raise ValueError(f"{quoted(text)} is not a duration{hint}; write 40m, 1h30m or 1:30") from None


def parse_time(text: str) -> datetime:
    """ISO 8601 with or without an offset (`2027-03-02T10:00`, `2027-03-02 10:00:00+01:00`, `Z`)."""
    try:
        return read_time(text)
    except ValueError:
        raise ValueError(
            f"{quoted(text.strip())} is not a time; write 2027-03-02T10:00 or 2027-03-02T10:00-06:00"
        ) from None


#: How a worklog with numbers such as 1,5 is billed: `sla bill --decimal-comma`.
_DECIMAL_COMMA = {".": "or bill it with --decimal-comma", ",": "or bill it without --decimal-comma"}


def _number(text: str, decimal: str, what: str, cell: str, example: str) -> Decimal:
    """A number cell (sla.csvtable.number), or a ValueError naming the column and the whole cell."""
    try:
        return bounded(read_number(text, decimal), text.strip())
    except AmbiguousNumber as exc:
        raise ValueError(f"{what} {exc}, {_DECIMAL_COMMA[decimal]}") from None
    except OutOfRange as exc:
        raise ValueError(f"{what} {exc}") from None
    except ValueError:
        raise ValueError(f"{what} {quoted(cell)} is not {example}") from None


def _money(text: str, currency: str, what: str, decimal: str = ".") -> Decimal:
    raw = text.strip()
    code, _, amount = raw.rpartition(" ")
    if code and code.upper() != currency:
        raise ValueError(
            f"{what} {quoted(raw)} is in {code.upper()}, but the agreement is in {currency} "
            "(there is no currency conversion)"
        )
    value = _number(amount, decimal, what, raw, "an amount such as 35.00")
    if value < 0:
        raise ValueError(f"{what} {quoted(raw)} must be a positive amount or empty")
    return value


def read_worklog(
    text: str, card: RateCard, decimal: str = "."
) -> tuple[list[WorkEntry], list[RowProblem], int]:
    """The usable entries of a worklog CSV, the rows that are not, and how many rows were read.

    Rows are numbered as sla.csvtable numbers them: by the line they start on, the header's being
    row 1. Number cells follow `sla.csvtable.number` with `decimal` as the decimal mark.
    """
    try:
        table = read_csv(text)
    except CsvProblem as exc:
        raise _unreadable(exc) from None
    index = {name: i for name in COLUMNS if (i := table.column(name, as_written=False)) is not None}
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        found = ", ".join(repr(h) for h in table.header) or "none"
        raise SlaError.one(
            "SLA210",
            f"the worklog has no column {missing[0]!r} (found {found})",
            None,
            "the header must name start, duration and role; location, materials, "
            "travel and description are optional",
        )
    entries: list[WorkEntry] = []
    problems: list[RowProblem] = []
    count = 0
    try:
        for number_, row in table.rows():
            count += 1
            if len(row) > table.width:  # a cell holding the separator, unquoted: its columns shifted
                problems.append(
                    RowProblem(
                        number_,
                        f"{table.ragged(row)}; a cell that holds {table.delimiter!r} must be in quotes",
                    )
                )
                continue
            cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            try:
                entries.append(_entry(number_, cells, card, decimal))
            except _RowError as exc:
                problems.append(RowProblem(number_, exc.reason, exc.column))
    except CsvProblem as exc:
        raise _unreadable(exc) from None
    if table.broken:  # records the csv module could not read (an unclosed quote, say), in order
        count += len(table.broken)
        problems = sorted(
            problems + [RowProblem(line, why) for line, why in table.broken], key=lambda p: p.row
        )
    return entries, problems, count


def _unreadable(problem: CsvProblem) -> SlaError:
    """A worklog that cannot be read at all, in the words of SLA210."""
    if problem.kind in ("empty", "headless"):
        return SlaError.one(
            "SLA210",
            "the worklog is empty; it needs a header row with the columns " + ", ".join(COLUMNS),
            None,
        )
    hint = "export the worklog as comma-separated UTF-8 text"
    if problem.kind == "binary":
        return SlaError.one("SLA210", "the worklog is not CSV text (it holds binary data)", None, hint)
    if problem.header:
        return SlaError.one(
            "SLA210", f"the worklog's header cannot be read as CSV: {problem.detail}", None, hint
        )
    return SlaError.one(
        "SLA210", f"the worklog cannot be read as CSV at line {problem.line}: {problem.detail}", None, hint
    )


def _entry(number: int, cells: dict[str, str], card: RateCard, decimal: str = ".") -> WorkEntry:
    def need(column: str) -> str:
        if not cells.get(column):
            raise _RowError(column, f"the {column} is missing")
        return cells[column]

    try:
        start = parse_time(need("start"))
    except ValueError as exc:
        raise _RowError("start", str(exc)) from None
    if not FIRST_INPUT_YEAR <= start.year <= LAST_INPUT_YEAR:
        raise _RowError(
            "start",
            f"{quoted(cells['start'])} is out of range (years {FIRST_INPUT_YEAR} to {LAST_INPUT_YEAR})",
        )
    if start.tzinfo is None and card.engine is None:
        raise _RowError(
            "start",
            f"{quoted(cells['start'])} has no offset and the agreement has no calendar "
            "to read it in; write it with an offset such as +01:00",
        )
    try:
        worked = parse_duration(need("duration"))
    except ValueError as exc:
        raise _RowError("duration", str(exc)) from None
    if worked <= 0:
        raise _RowError("duration", "the duration is zero; drop the row or state the time worked")
    role = need("role")
    if role not in card.rates:
        hint = did_you_mean(role, card.rates)
        known = ", ".join(repr(r) for r in card.rates)
        raise _RowError(
            "role",
            f"no rate for role {quoted(role)} (the agreement has {known})" + (f"; {hint}" if hint else ""),
        )
    location = (cells.get("location") or "remote").lower()
    if location not in ("remote", "onsite"):
        raise _RowError("location", f"location {quoted(cells['location'])} is not remote or onsite")
    try:
        materials = (
            _money(cells["materials"], card.currency, "materials", decimal)
            if cells.get("materials")
            else Decimal(0)
        )
    except ValueError as exc:
        raise _RowError("materials", str(exc)) from None
    try:
        distance = _distance(cells.get("travel", ""), card, location, decimal)
    except ValueError as exc:
        raise _RowError("travel", str(exc)) from None
    return WorkEntry(
        number,
        start,
        worked,
        role,
        location,  # type: ignore[arg-type]  # checked above to be remote or onsite
        materials,
        distance,
        cells.get("description", ""),
    )


def _distance(text: str, card: RateCard, location: str, decimal: str = ".") -> Decimal:
    if not text:
        return Decimal(0)
    value = _number(text.split()[0], decimal, "travel", text, "a distance such as 18")
    if value < 0:
        raise ValueError(f"travel {quoted(text)} must be a positive distance or empty")
    if value and card.travel is None:
        raise ValueError(f"travel {quoted(text)} is given, but the agreement has no `travel` charge")
    if value and location != "onsite":
        raise ValueError(
            f"travel {quoted(text)} is given for remote work; travel is charged per onsite visit"
        )
    return value


# --- the bill -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Charge:
    """One amount of an entry: labour, block, overage, callout, travel or materials."""

    kind: str
    amount: Decimal
    detail: str


@dataclass(frozen=True)
class EntryBill:
    entry: WorkEntry
    local_start: datetime
    billed: int  # minutes after increment and minimum
    time_class: TimeClass
    charges: list[Charge]
    amount: Decimal
    block_minutes: Fraction = Fraction(0)  # block time drawn, in block minutes


@dataclass
class BlockMonth:
    """One block in one month: hours granted, used, carried over and expired (in minutes)."""

    block: str
    month: str
    granted: Fraction = Fraction(0)
    carried_in: Fraction = Fraction(0)
    used: Fraction = Fraction(0)
    expired: Fraction = Fraction(0)
    remaining: Fraction = Fraction(0)
    overage: Fraction = Fraction(0)


@dataclass
class Bill:
    agreement: m.Agreement
    currency: str
    entries: list[EntryBill]
    problems: list[RowProblem]
    rows_read: int
    blocks: list[BlockMonth] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum_money((e.amount for e in self.entries), minor_digits(self.currency))

    def totals_by_kind(self) -> dict[str, Decimal]:
        digits = minor_digits(self.currency)
        out: dict[str, Decimal] = {}
        for e in self.entries:
            for c in e.charges:
                out[c.kind] = EXACT.add(out.get(c.kind, round_money(Decimal(0), digits)), c.amount)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, what `sla bill --json` prints: money as strings."""
        return to_dict(self)


def bill(agreement: m.Agreement, worklog: str, *, decimal: str = ".") -> Bill:
    """Bill a worklog (CSV text) by an agreement's rate card and blocks; `decimal` is the decimal
    mark of its number cells, "." or "," (then "." groups thousands: 1.234,50)."""
    if decimal not in (".", ","):
        raise ValueError(f"the decimal mark is '.' or ',', not {decimal!r}")
    card = RateCard(agreement)
    entries, problems, count = read_worklog(worklog, card, decimal)
    inside = []
    for entry in entries:
        outside = _outside_the_term(agreement, card.local(entry.start).date())
        if outside:
            problems.append(RowProblem(entry.row, outside, "start"))
        else:
            inside.append(entry)
    problems.sort(key=lambda p: p.row)
    inside.sort(key=lambda e: (card.local(e.start), e.row))
    ledger = _BlockLedger(card) if card.blocks else None
    billed = [_bill_entry(card, entry, ledger) for entry in inside]
    if ledger is not None:
        ledger.close()
    billed.sort(key=lambda e: e.entry.row)
    return Bill(agreement, card.currency, billed, problems, count, ledger.months if ledger else [], [])


def _outside_the_term(agreement: m.Agreement, day: date) -> str | None:
    """Why work on a local date cannot be billed by the agreement: before its start or after its
    term's last day (the rate card and the blocks sold hold for the term only)."""
    if agreement.start is not None and day < agreement.start:
        return f"the row starts on {day.isoformat()}, before the agreement's start on {agreement.start.isoformat()}"
    last = agreement.last_day
    if last is not None and day > last:
        return f"the row starts on {day.isoformat()}, after the agreement's term ended on {last.isoformat()}"
    return None


def _bill_entry(card: RateCard, entry: WorkEntry, ledger: _BlockLedger | None) -> EntryBill:
    rate = card.rates[entry.role]
    local = card.local(entry.start)
    billed, why = card.billed_minutes(rate, entry.worked, entry.location)
    tc = card.time_class(local)
    charges: list[Charge] = []
    drawn = Fraction(0)
    block = card.block_for(entry.role) if ledger else None
    labour_minutes = Fraction(billed) * tc.factor
    if ledger is not None and block is not None:
        drawn = ledger.draw(block, local, labour_minutes)
        rest = labour_minutes - drawn
        said = why + (
            f" x {number(tc.factor)} ({tc.label}) = {fraction_minutes_text(labour_minutes)}"
            if tc.factor != 1
            else ""
        )
        if drawn:
            charges.append(
                Charge(
                    "block",
                    Decimal(0).scaleb(-card.digits),
                    f"{said}: {fraction_minutes_text(drawn)} from the block",
                )
            )
            said = ""
        if rest:
            overage_rate = card.rates[block.overage] if block.overage else rate
            amount = round_money(Fraction(overage_rate.price.amount) * rest / 60, card.digits)
            reason = "beyond the block" if drawn else "with the block used up"
            charges.append(
                Charge(
                    "overage",
                    amount,
                    f"{said + ': ' if said else ''}{fraction_minutes_text(rest)} {reason}, at "
                    f"{overage_rate.role} {plain(overage_rate.price.amount)}/h = {amount}",
                )
            )
    else:
        amount = card.labour(rate, billed, tc.factor)
        factor_note = f" x {number(tc.factor)} ({tc.label})" if tc.factor != 1 else f" ({tc.label})"
        charges.append(
            Charge(
                "labour",
                amount,
                f"{why}; {minutes_text(billed)} at {entry.role} "
                f"{plain(rate.price.amount)}/h{factor_note} = {amount}",
            )
        )
    if entry.location == "onsite" and card.callout is not None:
        amount = round_money(card.callout, card.digits)
        charges.append(Charge("callout", amount, f"callout per onsite visit {amount}"))
    if entry.distance:
        amount = card.travel_charge(entry.distance)
        assert card.travel is not None
        unit = units_of(card.travel.unit, entry.distance)
        charges.append(
            Charge(
                "travel",
                amount,
                f"{plain(entry.distance)} {unit} x {plain(card.travel.price.amount)} = {amount}",
            )
        )
    if entry.materials:
        amount = card.materials(entry.materials)
        plus = f" + {number(card.markup)}% markup" if card.markup else ""
        charges.append(Charge("materials", amount, f"materials {plain(entry.materials)}{plus} = {amount}"))
    total = sum_money((c.amount for c in charges), card.digits)
    return EntryBill(entry, local, billed, tc, charges, total, drawn)


class _BlockLedger:
    """Block hours month by month: granted at the start of each billing period of the term (a
    month, quarter or year from the start month), drawn oldest first, usable to the end of that
    period and for `rollover` months after it, then expired. No block is granted after the term."""

    def __init__(self, card: RateCard) -> None:
        self.card = card
        self.blocks = card.blocks
        zone = card.engine.zone if card.engine else None
        self.zone = zone
        self.start = card.agreement.start
        last = card.agreement.last_day
        self.last_month = month_index(last) if last is not None else None
        # per block: list of [granted-for month index, minutes left]
        self.lots: dict[int, list[list[Any]]] = {i: [] for i in range(len(self.blocks))}
        self.month: int | None = None  # the month index the ledger has reached
        self.months: list[BlockMonth] = []
        self._current: dict[int, BlockMonth] = {}

    def draw(self, block: m.BlockHours, local: datetime, wanted: Fraction) -> Fraction:
        self._advance(month_index(local.date()))
        i = self.blocks.index(block)
        drawn = Fraction(0)
        for lot in self.lots[i]:
            take = min(lot[1], wanted - drawn)
            lot[1] -= take
            drawn += take
            if drawn == wanted:
                break
        self._current[i].used += drawn
        self._current[i].overage += wanted - drawn
        return drawn

    def close(self) -> None:
        if self.month is not None:
            self._finish(self.month)

    def _advance(self, target: int) -> None:
        if self.month is None:
            first = month_index(self.start) if self.start and month_index(self.start) <= target else target
            self.month = first
            self._open(first)
        while self.month < target:
            self._finish(self.month)
            self.month += 1
            self._open(self.month)

    def _open(self, month: int) -> None:
        first = month_index(self.start) if self.start else month
        for i, block in enumerate(self.blocks):
            record = BlockMonth(f"{minutes_text(block.hours.total_minutes)} block", month_label(month))
            record.carried_in = sum((lot[1] for lot in self.lots[i]), Fraction(0))
            in_term = self.last_month is None or month <= self.last_month
            if in_term and (month - first) % m.FREQUENCY_MONTHS[block.frequency] == 0:
                record.granted = Fraction(block.hours.total_minutes)
                self.lots[i].append([month, record.granted])
            self._current[i] = record

    def _finish(self, month: int) -> None:
        """Close a month: hours that may not be used next month expire now."""
        for i, block in enumerate(self.blocks):
            record = self._current[i]
            # a grant lasts its own billing period (a quarter, a year), then `rollover` months
            keep = (
                m.FREQUENCY_MONTHS[block.frequency] - 1 + (_months(block.rollover) if block.rollover else 0)
            )
            for lot in list(self.lots[i]):
                if month + 1 - lot[0] > keep:
                    record.expired += lot[1]
                    self.lots[i].remove(lot)
            record.remaining = sum((lot[1] for lot in self.lots[i]), Fraction(0))
            self.months.append(record)


def _months(period: Any) -> int:
    return period.months or 0


# --- output ---------------------------------------------------------------------------------------


def to_dict(b: Bill) -> dict[str, Any]:
    """The bill as JSON-ready data; money as strings."""
    return {
        "agreement": b.agreement.id or b.agreement.title,
        "currency": b.currency,
        "lines": [_line_dict(e) for e in b.entries],
        "blocks": [
            {
                "block": r.block,
                "month": r.month,
                "granted": fraction_minutes_text(r.granted),
                "carried_in": fraction_minutes_text(r.carried_in),
                "used": fraction_minutes_text(r.used),
                "overage": fraction_minutes_text(r.overage),
                "expired": fraction_minutes_text(r.expired),
                "remaining": fraction_minutes_text(r.remaining),
            }
            for r in b.blocks
        ],
        "totals": {kind: plain(amount) for kind, amount in b.totals_by_kind().items()},
        "total": plain(b.total),
        "rows": {"read": b.rows_read, "billed": len(b.entries), "unbillable": len(b.problems)},
        "unbillable": [{"row": p.row, "column": p.column, "reason": p.reason} for p in b.problems],
        "notes": b.notes,
    }


def _line_dict(e: EntryBill) -> dict[str, Any]:
    amounts = {c.kind: plain(c.amount) for c in e.charges}
    return {
        "row": e.entry.row,
        "start": e.local_start.isoformat(),
        "role": e.entry.role,
        "location": e.entry.location,
        "worked": minutes_text(e.entry.worked),
        "billed": minutes_text(e.billed),
        "time_class": e.time_class.name,
        "multiplier": number(e.time_class.factor),
        **amounts,
        "amount": plain(e.amount),
        "detail": "; ".join(c.detail for c in e.charges),
        "description": e.entry.description,
    }


CSV_COLUMNS = (
    "row",
    "start",
    "role",
    "location",
    "worked",
    "billed",
    "time_class",
    "multiplier",
    "labour",
    "block",
    "overage",
    "callout",
    "travel",
    "materials",
    "amount",
    "detail",
    "description",
)


def to_csv(b: Bill) -> str:
    """Invoice lines as CSV, one per billed entry, with a total row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in b.entries:
        line = _line_dict(e)
        writer.writerow([line.get(c, "") for c in CSV_COLUMNS])
    writer.writerow(["", "", "", "", "", "", "", "", *([""] * 6), plain(b.total), "total", ""])
    return out.getvalue()
