"""Tickets and their status changes read from exports: opened, first response, resolution, pauses."""

from __future__ import annotations

import csv
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..csvtable import AmbiguousNumber, blank, norm, number
from ..instants import LAST_INPUT_YEAR, MINUTE, NEVER
from ..values import quoted, shown
from .inputs import Export, Refused
from .mapping import DECIMAL_HINT, Mapping, Names
from .measure import Batch, Ledger, Pauses, Plan, Plans, Scalar, settle_batch
from .times import HI, Months, TimeReader, Zones

if TYPE_CHECKING:
    from .updates import Updates

#: A ticket's status changes in time order: (time, row, status, priority or "").
TicketEvents = list[tuple[int, int, str, str]]


class Events:
    """Status changes, kept by ticket id until their ticket is read (whose service says in which
    zone a naive time is); a ticket's changes give its pauses and its last priority."""

    def __init__(self, names: Names, mapping: Mapping, pause: set[str]) -> None:
        self.names, self.mapping = names, mapping
        self.pause = pause  # the normalised statuses the agreement's clock pauses in
        self.by_ticket: dict[str, list[tuple[int, str, str, str]]] = {}  # rows not yet read by a ticket
        self.bad_tickets: set[str] = set()  # ids of ticket rows that are unusable
        self.export: Export | None = None
        #: The rows that mark an update (`kind` update), by their line: `updates every` counts them.
        self.update_rows: set[int] = set()
        clock = names.agreement.clock
        #: Which of a ticket's priorities it is measured at (`clock { priority ... }`).
        self.rule = (clock.priority if clock else None) or "final"
        self._urgency = {p.name: i for i, p in enumerate(names.agreement.priorities)}  # most urgent first

    def load(self, export: Export) -> None:
        """Keep each event row by ticket id, as text: times are read with their ticket."""
        self.export = export
        ix = export.index
        ticket_i, time_i, status_i, prio_i = ix["ticket"], ix["time"], ix["status"], ix["priority"]
        kind_i, value_i = ix["kind"], ix["value"]
        by_ticket = self.by_ticket
        for row_no, row in export.rows():
            export.read += 1
            reason = export.ragged(row)
            tid = row[ticket_i].strip() if ticket_i is not None and ticket_i < len(row) else ""
            if reason is None and not tid:
                reason = "no ticket id"
            if reason is not None:
                export.refuse(row_no, reason)
                continue
            status = row[status_i].strip() if status_i is not None else ""
            prio = row[prio_i].strip() if prio_i is not None else ""
            if kind_i is not None and row[kind_i].strip():
                kind = norm(self.mapping.value("kinds", row[kind_i]))
                value = row[value_i].strip() if value_i is not None else ""
                if kind == "update":
                    self.update_rows.add(row_no)
                elif kind == "priority":
                    prio = prio or value
                    if not prio:
                        export.refuse(row_no, "a change of kind 'priority' names no priority")
                        continue
                elif kind == "status":
                    status = status or value
                    if not status:
                        export.refuse(row_no, "a change of kind 'status' names no status")
                        continue
            by_ticket.setdefault(tid, []).append(
                (row_no, row[time_i] if time_i is not None else "", status, prio)
            )

    def of_ticket(self, tid: str, parse: TimeReader) -> tuple[TicketEvents, str | None]:
        """The usable changes of a ticket in time order, and the last priority they name."""
        rows = self.by_ticket.pop(tid, None)
        export = self.export
        if not rows or export is None:
            return [], None
        found = []
        for row_no, text, status, prio in rows:
            try:
                t = parse(text) if text.strip() else None
            except ValueError as exc:
                export.refuse(row_no, f"time: {exc}")
                continue
            if t is None:
                export.refuse(row_no, "no time")
                continue
            name = None
            if prio:
                name = self.names.priority(prio)
                if name is None:
                    export.refuse(row_no, f"unknown priority {quoted(prio)}{self.names.priorities_hint()}")
                    continue
            found.append((t, row_no, status, name or ""))
            export.used += 1
        found.sort()
        final = next((p for _, _, _, p in reversed(found) if p), None)
        return found, final

    def measured_priority(self, events: TicketEvents, opened: int, written: str | None) -> str | None:
        """The priority a ticket is measured at, by the agreement's rule (LANGUAGE.md, "Priority
        changes"): `final`, the last its changes name (the default); `initial`, the one it was
        opened with; `highest`, the most urgent it ever had (priorities are listed from most to
        least urgent). It was opened with the priority of its last change at or before the
        opening, else with the tickets file's (`written`; None: unknown)."""
        named = [(t, p) for t, _, _, p in events if p]
        if self.rule == "final":
            return named[-1][1] if named else written
        at_opening = [p for t, p in named if t <= opened]
        first = at_opening[-1] if at_opening else written
        if self.rule == "initial" or first is None:
            return first
        urgency = self._urgency
        return min([first, *(p for t, p in named if t > opened)], key=lambda p: urgency.get(p, len(urgency)))

    def updates(self, events: TicketEvents) -> list[int]:
        """The times of a ticket's updates (events of kind `update`), in order."""
        rows = self.update_rows
        return [t for t, row, _, _ in events if row in rows] if rows else []

    def pauses(self, events: TicketEvents, resolved: int | None) -> Pauses:
        """Paused intervals: from a status the agreement's clock names to the next status it does
        not; one still paused ends at the resolution, or never."""
        found: Pauses = []
        since = None
        for t, _, status, _ in events:
            if not status:
                continue
            if norm(self.mapping.value("statuses", status)) in self.pause:
                if since is None:
                    since = t
            elif since is not None:
                found.append((since, t))
                since = None
        if since is not None:
            found.append((since, resolved if resolved is not None and resolved > since else NEVER))
        return found

    def leftovers(self) -> None:
        """The changes no usable ticket claimed, as unusable rows."""
        if self.export is None:
            return
        for tid, rows in self.by_ticket.items():
            reason = (
                f"its ticket {quoted(tid)} is unusable (see the tickets file)"
                if tid in self.bad_tickets
                else f"no ticket {quoted(tid)} in the tickets file"
            )
            for row_no, *_ in rows:
                self.export.refuse(row_no, reason)


class Tickets:
    """Reads the tickets file row by row and settles both targets of each ticket: tickets without
    status changes in batches per plan (`settle_batch`), the others one by one (`Scalar`)."""

    def __init__(
        self,
        mapping: Mapping,
        names: Names,
        zones: Zones,
        plans: Plans,
        ledger: Ledger,
        events: Events,
        batch_size: int,
    ) -> None:
        self.mapping, self.names, self.zones, self.plans, self.events = mapping, names, zones, plans, events
        self.ledger, self.scalar = ledger, Scalar(ledger)
        self.batch_size = batch_size  # 0: every ticket on its own (the tests compare the two ways)
        self.batches: dict[int, Batch] = {}  # Plan.number -> tickets waiting to be measured

    #: Told how many bytes of the tickets file are read, after each batch: a progress bar's hook.
    progress: Callable[[int], None] | None = None
    #: Counts the stretches between updates of each ticket, when the events file marks updates.
    updates: Updates | None = None
    _export: Export | None = None

    def read(self, export: Export) -> None:
        """The loop is written out (no generator, few calls per row) because it runs a million times."""
        self._export = export
        id_i, prio_i, opened_i, resp_i, res_i, svc_i = self._columns(export)
        later = Later(export.index, self.mapping)
        width, by_minutes, events = export.width, later.by_minutes, self.events.by_ticket
        walls, plans, names, services = (
            self.zones.by_service,
            self.plans.by_key,
            self.names.priorities,
            self.names.services,
        )
        batches, batch_size, updates = self.batches, self.batch_size, self.updates
        reader = export.reader
        line, read, used = reader.line_num, 0, 0
        with export.guard(), _no_collection():
            while True:  # once more after each record the csv module cannot read
                try:
                    for row in reader:
                        row_no, line = line + 1, reader.line_num
                        if not row or not any(row):
                            continue
                        read += 1
                        try:
                            if len(row) != width:
                                raise Refused(export.ragged(row))
                            tid = row[id_i].strip()
                            if not tid:
                                raise Refused("no ticket id")
                            service = None
                            if svc_i is not None and (raw := row[svc_i]):
                                service = services[raw] if raw in services else self._service(raw)
                            _wall, months, parse = walls.get(service) or self.zones.of(service)
                            text = row[opened_i]
                            try:
                                opened = parse(text)
                            except ValueError as exc:
                                raise Refused(
                                    f"opened: {exc}" if text.strip() else "no opened time"
                                ) from None
                            try:  # the common case; any trouble, or minutes after opening, is sorted out by `later`
                                responded = parse(row[resp_i]) if resp_i is not None and row[resp_i] else None
                                resolved = parse(row[res_i]) if res_i is not None and row[res_i] else None
                                if by_minutes:
                                    raise ValueError
                            except ValueError:
                                responded, resolved = later(row, opened, parse)
                            if (resolved is not None and resolved < opened) or (
                                responded is not None and responded < opened
                            ):
                                raise Refused(
                                    "resolved before opened"
                                    if resolved is not None and resolved < opened
                                    else "first response before opened"
                                )
                            raw_priority = row[prio_i]
                            priority = (
                                names[raw_priority]
                                if raw_priority in names
                                else self.names.priority(raw_priority)
                            )
                            evs: TicketEvents = []
                            if events and tid in events:
                                evs, _final = self.events.of_ticket(tid, parse)
                                priority = self.events.measured_priority(evs, opened, priority)
                            if priority is None:
                                raise Refused(
                                    f"unknown priority {quoted(raw_priority.strip())}{self.names.priorities_hint()}"
                                )
                        except Refused as exc:
                            read -= self._refuse(export, row_no, row, id_i, str(exc.args[0]))
                            continue
                        used += 1
                        plan = plans.get((priority, service)) or self.plans.plan(priority, service)
                        if responded is None:
                            responded = resolved  # a resolution is a response
                        if updates is not None:
                            updates.settle(tid, plan, responded, resolved, evs, used)
                        if evs or not batch_size:
                            self._one(tid, plan, months, opened, responded, resolved, evs, used)
                            continue
                        batch = batches.get(plan.number) or self._batch(plan)
                        if batch.add(tid, used, opened, responded, resolved) >= batch_size:
                            self._flush(plan)
                    break
                except csv.Error as exc:  # an unclosed quote, say: the reader goes on at the next line
                    read += 1
                    export.refuse(line + 1, export.table.unreadable(exc, line + 1))
                    line = reader.line_num
        for plan_number in list(batches):
            self._flush(self.plans.numbered[plan_number])
        export.read, export.used = read, used

    def _columns(self, export: Export) -> tuple[int, int, int, int | None, int | None, int | None]:
        """The columns of the fields, and what the header says about the later times."""
        ix = export.index
        resp_i, res_i = ix["first_response"], ix["resolved"]
        resp_min_i, res_min_i = ix["first_response_minutes"], ix["resolved_minutes"]
        mapped = self.mapping.columns["tickets"]
        self.plans.no_first_response = (
            resp_i is None and resp_min_i is None and mapped.get("first_response") == ()
        )
        self.plans.no_resolved = res_i is None and res_min_i is None and mapped.get("resolved") == ()
        id_i, prio_i, opened_i = ix["id"], ix["priority"], ix["opened"]
        assert id_i is not None and prio_i is not None and opened_i is not None
        return id_i, prio_i, opened_i, resp_i, res_i, ix["service"]

    def _service(self, raw: str) -> str | None:
        service = self.names.service(raw)
        if service is None and raw.strip():
            raise Refused(f"unknown service {quoted(raw.strip())}")
        return service

    def _refuse(self, export: Export, row_no: int, row: list[str], id_i: int, reason: str) -> int:
        """Record an unusable row; 1 when it is no row at all (its cells are all spaces)."""
        if blank(row):
            return 1
        export.refuse(row_no, reason)
        if id_i < len(row) and row[id_i].strip():
            self.events.bad_tickets.add(row[id_i].strip())
        return 0

    def _one(
        self,
        tid: str,
        plan: Plan,
        months: Months,
        opened: int,
        responded: int | None,
        resolved: int | None,
        evs: TicketEvents,
        seq: int,
    ) -> None:
        """Settle a ticket on its own: it has status changes (so pauses), or batches are off."""
        touch = self.zones.touch
        touch(months, opened)
        for t in (responded, resolved, evs[-1][0] if evs else None):
            if t is not None:
                touch(months, t)
        pauses = self.events.pauses(evs, resolved) if evs else None
        first = months.index(opened)
        self.scalar.settle(tid, plan, 0, opened, first, responded, pauses, seq)
        self.scalar.settle(tid, plan, 1, opened, first, resolved, pauses, seq)

    def _batch(self, plan: Plan) -> Batch:
        batch = self.batches[plan.number] = Batch()
        return batch

    def _flush(self, plan: Plan) -> None:
        settle_batch(self.ledger, self.zones, plan, self.batches.pop(plan.number))
        if self.progress is not None and self._export is not None:
            self.progress(self._export.table.position())  # a batch is 32,768 tickets: cheap to say


class Later:
    """A ticket's first response and resolution, each a time, minutes (wall-clock) after the
    opening when the export gives those, or empty; a malformed one makes the row unusable."""

    def __init__(self, index: dict[str, int | None], mapping: Mapping) -> None:
        resp_i, res_i = index["first_response"], index["resolved"]
        resp_min_i, res_min_i = index["first_response_minutes"], index["resolved_minutes"]
        self.columns = ((resp_i, resp_min_i, "first response"), (res_i, res_min_i, "resolved"))
        self.decimal = mapping.decimal
        #: The export gives one of them in minutes only: every row goes through `__call__`.
        self.by_minutes = (resp_i is None and resp_min_i is not None) or (
            res_i is None and res_min_i is not None
        )

    def __call__(self, row: list[str], opened: int, parse: TimeReader) -> list[int | None]:
        found = []
        for at, minutes_at, what in self.columns:
            value = None
            if at is not None:
                text = row[at]
                if text:
                    try:
                        value = parse(text)
                    except ValueError as exc:
                        if text.strip():
                            raise Refused(f"{what}: {exc}") from None
            elif minutes_at is not None:
                value = self._after(row[minutes_at], opened, what)
            found.append(value)
        return found

    def _after(self, text: str, opened: int, what: str) -> int | None:
        """A time given as minutes (wall-clock) after the opening."""
        text = text.strip()
        if not text:
            return None
        try:
            minutes = number(text, self.decimal)
        except AmbiguousNumber as exc:
            raise Refused(f"{what}: {exc}, or {DECIMAL_HINT[self.decimal]}") from None
        except ValueError:
            raise Refused(f"{what}: {quoted(text)} is not a number of minutes") from None
        if minutes < 0:
            raise Refused(f"{what}: {quoted(text)} is not a number of minutes")
        if minutes * MINUTE >= HI - opened:  # checked before int(): the cell may hold a million digits
            raise Refused(f"{what}: {shown(text)} minutes after the opening is past {LAST_INPUT_YEAR}")
        return opened + int(minutes * MINUTE)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The garbage collector off: a million short-lived rows hold no cycles, it would only walk them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


__all__ = ["Events", "Tickets"]
