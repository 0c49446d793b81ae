"""Tickets and their status changes read from exports: opened, first response, resolution, pauses."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from ..clock import merged
from ..csvtable import AmbiguousNumber, Columns, blank, column_chunks, norm, number
from ..instants import LAST_INPUT_YEAR, MINUTE, NEVER
from ..loader import no_collection
from ..values import quoted, shown
from .inputs import Export, Refused, blanked
from .mapping import DECIMAL_HINT, Mapping, Names
from .measure import NONE, Batch, Group, Ledger, Pauses, Plan, Plans, Scalar, settle_batch, settle_group
from .times import HI, Months, TimeReader, Zone, Zones, naive_many

if TYPE_CHECKING:
    from ..clock import WallClock

if TYPE_CHECKING:  # numpy is loaded when a file is read by columns
    import numpy as np
    from numpy.typing import NDArray

    from ..clock import Paused

if TYPE_CHECKING:
    from .audit import Audit
    from .updates import Updates

#: A ticket's status changes in time order: (time, row, status, priority or "").
TicketEvents = list[tuple[int, int, str, str]]


class Events:
    """Status changes, kept by ticket id until their ticket is read (whose service says in which
    zone a naive time is); a ticket's changes give its pauses and its last priority."""

    def __init__(self, names: Names, mapping: Mapping, pause: set[str]) -> None:
        self.names, self.mapping = names, mapping
        self.pause = pause  # the normalised statuses the agreement's clock pauses in
        #: The rows no ticket has read yet: (line, time as written, status, priority, and the time
        #: as a wall time in microseconds when it has the common form and was read in bulk).
        self.by_ticket: dict[str, list[tuple[int, str, str, str, int | None]]] = {}
        self.bad_tickets: set[str] = set()  # ids of ticket rows that are unusable
        self.export: Export | None = None
        self._pausing: dict[str, bool] = {}  # status as written -> whether the clock stops in it
        #: The rows that mark an update (`kind` update), by their line: `updates every` counts them.
        self.update_rows: set[int] = set()
        clock = names.agreement.clock
        #: Which of a ticket's priorities it is measured at (`clock { priority ... }`).
        self.rule = (clock.priority if clock else None) or "final"
        self._urgency = {p.name: i for i, p in enumerate(names.agreement.priorities)}  # most urgent first

    def load(self, export: Export) -> None:
        """Keep each event row by ticket id, as text: times are read with their ticket (a plain
        file is read by columns, its times of the common form read as wall times at once)."""
        self.export = export
        ix = export.index
        ticket_i, time_i, status_i, prio_i = ix["ticket"], ix["time"], ix["status"], ix["priority"]
        kind_i, value_i = ix["kind"], ix["value"]
        # by columns unless the export is a log of kinds of change (read row by row)
        chunks = column_chunks(export.table) if BY_COLUMNS and kind_i is None else None
        if chunks is not None:
            for chunk in chunks:
                self._load_chunk(export, chunk, ticket_i, time_i, status_i, prio_i)
            return
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
                (row_no, row[time_i] if time_i is not None else "", status, prio, None)
            )

    def _load_chunk(
        self,
        export: Export,
        chunk: Columns,
        ticket_i: int | None,
        time_i: int | None,
        status_i: int | None,
        prio_i: int | None,
    ) -> None:
        """`load` of the rows of a chunk read by columns: the same rows kept, the same refused."""
        import numpy as np

        for line, cells in chunk.ragged:
            if not blank(cells):
                export.read += 1
                export.refuse(line, str(export.ragged(cells)))
        columns = [_Texts.of(c) for c in chunk.columns]
        n = len(chunk.lines)
        if not n:
            return
        maybe_blank = np.logical_and.reduce([(c.lengths == 0) | c.odd_edges() for c in columns])
        rows = np.arange(n, dtype=np.int64)
        if maybe_blank.any():  # rows of spaces are no rows: `CsvTable.rows` leaves them out
            every = [c.many(np.flatnonzero(maybe_blank)) for c in columns]
            gone = [
                i for i, cells in zip(np.flatnonzero(maybe_blank).tolist(), zip(*every)) if blank(list(cells))
            ]
            rows = np.delete(rows, gone)
        export.read += len(rows)
        if export.missing:  # in the columns read, a missing-value marker is an empty cell
            used = {ticket_i, time_i, status_i, prio_i}
            columns = [c.without(export.missing) if i in used else c for i, c in enumerate(columns)]
        empty = [""] * len(rows)
        tids = [t.strip() for t in columns[ticket_i].many(rows)] if ticket_i is not None else empty
        texts = columns[time_i].many(rows) if time_i is not None else empty
        statuses = [t.strip() for t in columns[status_i].many(rows)] if status_i is not None else empty
        prios = [t.strip() for t in columns[prio_i].many(rows)] if prio_i is not None else empty
        walls: list[int | None] = [None] * len(rows)
        if time_i is not None:
            times = columns[time_i]
            local, ok = naive_many(times.offsets, times.data)
            local, ok = local[rows], ok[rows]
            walls = [int(t) if good else None for t, good in zip(local.tolist(), ok.tolist())]
        by_ticket = self.by_ticket
        lines = chunk.lines[rows].tolist()
        for line, tid, text, status, prio, wall in zip(lines, tids, texts, statuses, prios, walls):
            if not tid:
                export.refuse(line, "no ticket id")
                continue
            by_ticket.setdefault(tid, []).append((line, text, status, prio, wall))

    def of_ticket(
        self, tid: str, parse: TimeReader, wall: WallClock | None = None
    ) -> tuple[TicketEvents, str | None]:
        """The usable changes of a ticket in time order, and the last priority they name. A time
        read in bulk as a wall time is put in the ticket's zone by `wall`, as `parse` would."""
        rows = self.by_ticket.pop(tid, None)
        export = self.export
        if not rows or export is None:
            return [], None
        found = []
        for row_no, text, status, prio, local in rows:
            try:
                if local is not None and wall is not None:
                    t: int | None = wall.utc(local)
                else:
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
        pausing = self._pausing
        for t, _, status, _ in events:
            if not status:
                continue
            stops = pausing.get(status)
            if stops is None:
                stops = pausing[status] = norm(self.mapping.value("statuses", status)) in self.pause
            if stops:
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
    #: Keeps each ticket with the desk's own verdict, for `sla comply --audit`.
    audit: Audit | None = None
    _export: Export | None = None

    def read(self, export: Export) -> None:
        """The loop is written out (no generator, few calls per row) because it runs a million times.

        A file plain enough is read by columns instead (`ByColumns`), with the same result."""
        self._export = export
        id_i, prio_i, opened_i, resp_i, res_i, svc_i = self._columns(export)
        if (
            self.batch_size
            and BY_COLUMNS
            and self.updates is None  # updates are counted ticket by ticket, as they are read
            and self.audit is None  # so is what an audit keeps of each ticket
            and not Later(export.index, self.mapping).by_minutes
        ):
            chunks = column_chunks(export.table)
            if chunks is not None:
                with no_collection():
                    ByColumns(self, export).read(chunks)
                return
        later = Later(export.index, self.mapping)
        width, by_minutes, events = export.width, later.by_minutes, self.events.by_ticket
        walls, plans, names, services = (
            self.zones.by_service,
            self.plans.by_key,
            self.names.priorities,
            self.names.services,
        )
        batches, batch_size, updates, audit = self.batches, self.batch_size, self.updates, self.audit
        if audit is not None:
            audit.columns(export.index)
        missing = export.missing
        reader = export.reader
        line, read, used = reader.line_num, 0, 0
        with export.guard(), no_collection():
            while True:  # once more after each record the csv module cannot read
                try:
                    for record in reader:
                        row_no, line = line + 1, reader.line_num
                        if not record or not any(record):
                            continue
                        read += 1
                        row = blanked(record, missing) if missing else record
                        try:
                            if len(row) != width:
                                raise Refused(export.ragged(row))
                            tid = row[id_i].strip()
                            if not tid:
                                raise Refused("no ticket id")
                            service = None
                            if svc_i is not None and (raw := row[svc_i]):
                                service = services.get(raw) or self._service(raw)
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
                            written = priority = (
                                names[raw_priority]
                                if raw_priority in names
                                else self.names.priority(raw_priority)
                            )
                            evs: TicketEvents = []
                            if events and tid in events:
                                evs, _final = self.events.of_ticket(tid, parse)
                                priority = self.events.measured_priority(evs, opened, written)
                            if priority is None:
                                raise Refused(
                                    f"unknown priority {quoted(raw_priority.strip())}{self.names.priorities_hint()}"
                                )
                        except Refused as exc:
                            read -= self._refuse(export, row_no, record, id_i, str(exc.args[0]))
                            continue
                        used += 1
                        plan = plans.get((priority, service)) or self.plans.plan(priority, service)
                        if responded is None:
                            responded = resolved  # a resolution is a response
                        if updates is not None:
                            updates.settle(tid, plan, responded, resolved, evs, used)
                        if audit is not None:
                            pauses = self.events.pauses(evs, resolved) if evs else []
                            changed = evs[-1][0] if evs else None
                            audit.keep(tid, plan, written, opened, responded, resolved, pauses, row, changed)
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


#: Read a plain tickets file by columns (False: row by row, as the tests compare).
BY_COLUMNS = True


class ByColumns:
    """The tickets of a file read by columns (`csvtable.column_chunks`), a chunk of about 16 MB
    at a time: each check of `Tickets.read` made on whole columns with numpy, in the same order,
    so that every row gets the same verdict and reason; the usable tickets measured by plan
    (`measure.settle_group`), those with pauses together with their pauses. What is rare (an
    unusual time, a row to refuse, a ticket with status changes) is done row by row, as
    `Tickets.read` does it."""

    def __init__(self, tickets: Tickets, export: Export) -> None:
        self.t, self.export = tickets, export
        self.columns = tickets._columns(export)
        self.read_rows = self.used = 0
        self._with_changes: NDArray[np.uint64] | None = None  # the hashes of the ids with changes

    def read(self, chunks: Iterator[Columns]) -> None:
        t, export = self.t, self.export
        for chunk in chunks:
            position = chunk.position
            self._chunk(chunk)
            del chunk  # before the next is read
            if t.progress is not None:
                t.progress(position)
        export.read, export.used = self.read_rows, self.used

    def _chunk(self, chunk: Columns) -> None:
        import numpy as np

        t, export = self.t, self.export
        id_i, prio_i, opened_i, resp_i, res_i, svc_i = self.columns
        for line, cells in chunk.ragged:
            if any(cells):
                self.read_rows += 1 - t._refuse(export, line, cells, id_i, str(export.ragged(cells)))
        lines = chunk.lines
        if not len(lines):
            return
        columns = [_Texts.of(c) for c in chunk.columns]
        rows = np.flatnonzero(np.logical_or.reduce([c.lengths > 0 for c in columns]))  # a cell not empty
        self.read_rows += len(rows)
        if len(rows) < len(lines):
            columns = [c.pick(rows) for c in columns]
            lines = lines[rows]
        n = len(lines)
        why: dict[int, str] = {}  # row -> the first reason it is refused
        fields = columns  # the cells read, a missing-value marker made empty; `columns` as written
        if export.missing:
            read_here = {id_i, prio_i, opened_i, resp_i, res_i, svc_i}
            fields = [c.without(export.missing) if i in read_here else c for i, c in enumerate(columns)]

        # the ticket id
        ids = fields[id_i]
        odd = ids.odd_edges()  # spaces around the id, or a character not ASCII there
        for i in np.flatnonzero(ids.lengths == 0).tolist():
            why[i] = "no ticket id"
        for i in np.flatnonzero(odd).tolist():
            if not ids[i].strip():
                why[i] = "no ticket id"

        # the service, and so the zone its times are read in
        zones: list[Zone] = []
        if svc_i is None:
            services: list[str | None] = [None]
            service_of = np.zeros(n, dtype=np.int64)
            zones.append(t.zones.of(None))
        else:
            service_of, raws = fields[svc_i].distinct()
            services = []
            for k, raw in enumerate(raws):
                try:
                    services.append(t.names.services.get(raw) or t._service(raw) if raw else None)
                except Refused as exc:
                    services.append(None)
                    for i in np.flatnonzero(service_of == k).tolist():
                        why.setdefault(i, str(exc.args[0]))
            zones = [t.zones.of(service) for service in services]
        zone_of = self._zone_numbers(zones, service_of)

        # the times
        opened = self._times(fields[opened_i], zones, zone_of, why, "opened", required=True)
        responded = (
            self._times(fields[resp_i], zones, zone_of, why, "first response") if resp_i is not None else None
        )
        resolved = self._times(fields[res_i], zones, zone_of, why, "resolved") if res_i is not None else None
        nothing = np.full(n, NONE, dtype=np.int64)
        responded = nothing if responded is None else responded
        resolved = nothing if resolved is None else resolved
        for i in np.flatnonzero((resolved != NONE) & (resolved < opened)).tolist():
            why.setdefault(i, "resolved before opened")
        for i in np.flatnonzero((responded != NONE) & (responded < opened)).tolist():
            why.setdefault(i, "first response before opened")

        # the priority, and the status changes that may change it
        priority_of, raws = fields[prio_i].distinct()
        names: list[str | None] = [
            t.names.priorities[raw] if raw in t.names.priorities else t.names.priority(raw) for raw in raws
        ]
        changes: dict[int, TicketEvents] = {}
        events = t.events.by_ticket
        fixed = t.zones.times.fixed
        if events:
            if self._with_changes is None:  # ids claimed since are filtered out below
                self._with_changes = np.unique(_Texts.made(list(events)).hashes())
            known = self._with_changes  # sorted
            hashes = ids.hashes()
            place = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
            wanted = np.flatnonzero((known[place] == hashes) | odd)
            for i, raw in zip(wanted.tolist(), ids.many(wanted), strict=True):
                tid = raw.strip()
                if i in why or tid not in events:
                    continue
                zone = zones[zone_of[i]]
                evs, _final = t.events.of_ticket(tid, zone[2], fixed or zone[0])
                written = names[priority_of[i]]
                measured = t.events.measured_priority(evs, int(opened[i]), written)
                if measured != written:
                    priority_of[i] = len(names)
                    names.append(measured)
                if evs:
                    changes[i] = evs
        unknown = [k for k, name in enumerate(names) if name is None]
        if unknown:
            for i in np.flatnonzero(np.isin(priority_of, unknown)).tolist():
                if i not in why:
                    raw = fields[prio_i][i]
                    why[i] = f"unknown priority {quoted(raw.strip())}{t.names.priorities_hint()}"

        # the rows refused, and the usable ones measured
        usable = np.ones(n, dtype=bool)
        for i, reason in sorted(why.items()):
            usable[i] = False
            cells = [c[i] for c in columns]
            self.read_rows -= t._refuse(self.export, int(lines[i]), cells, id_i, reason)
        seqs = self.used + np.cumsum(usable)
        self.used += int(usable.sum())
        responded = np.where(responded == NONE, resolved, responded)  # a resolution is a response
        paused: dict[int, Pauses] = {}
        if changes:  # `Tickets._one` touches each time of such a ticket: the earliest and latest do
            changed = np.array(list(changes), dtype=np.int64)
            last = np.array([evs[-1][0] for evs in changes.values()], dtype=np.int64)
            for k in _present(zone_of[changed]):
                here = zone_of[changed] == k
                times = [opened[changed[here]], responded[changed[here]], resolved[changed[here]], last[here]]
                seen = np.concatenate(times)
                seen = seen[seen != NONE]
                t.zones.touch(zones[k][1], int(seen.min()))
                t.zones.touch(zones[k][1], int(seen.max()))
        for i, evs in changes.items():
            pauses = t.events.pauses(evs, None if resolved[i] == NONE else int(resolved[i]))
            if pauses:
                paused[i] = merged(pauses)
        with_pauses = np.zeros(n, dtype=bool)
        with_pauses[list(paused)] = True
        plan_of = priority_of * len(services) + service_of
        for code in _present(plan_of[usable]):
            name = names[code // len(services)]
            assert name is not None
            service = services[code % len(services)]
            plan = t.plans.by_key.get((name, service)) or t.plans.plan(name, service)
            mine = usable & (plan_of == code)
            for pauses_here in (False, True):
                chosen = np.flatnonzero(mine & (with_pauses == pauses_here))
                if not len(chosen):
                    continue
                # in the order they opened: the calendar's lookups then run along its timeline
                chosen = chosen[np.argsort(opened[chosen], kind="stable")]
                group = Group(
                    opened[chosen], responded[chosen], resolved[chosen], seqs[chosen], _Picked(ids, chosen)
                )
                if pauses_here:
                    group.paused = _paused([paused[i] for i in chosen.tolist()])
                settle_group(t.ledger, t.zones, plan, group)

    @staticmethod
    def _zone_numbers(zones: list[Zone], service_of: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each row's zone as an index into `zones` (services that share a zone share its index)."""
        import numpy as np

        first = {id(zone): k for k, zone in reversed(list(enumerate(zones)))}
        found: NDArray[np.int64] = np.array([first[id(zone)] for zone in zones], dtype=np.int64)[service_of]
        return found

    def _times(
        self,
        texts: _Texts,
        zones: list[Zone],
        zone_of: NDArray[np.int64],
        why: dict[int, str],
        what: str,
        required: bool = False,
    ) -> NDArray[np.int64]:
        """A column of times as instants (NONE where empty), each read in its row's zone: the
        common form with numpy, any other one by one as `Tickets.read` reads it, its reason
        recorded for a row not already refused."""
        import numpy as np

        local, ok = naive_many(texts.offsets, texts.data)
        found = np.full(len(local), NONE, dtype=np.int64)
        fixed = self.t.zones.times.fixed
        for k in _present(zone_of):
            here = ok & (zone_of == k)
            if here.any():
                found[here] = (fixed or zones[k][0]).utc_many(local[here])
        for i in np.flatnonzero(~ok).tolist():
            if i in why:
                continue
            text = texts[i]
            if not text and not required:
                continue
            try:
                found[i] = zones[int(zone_of[i])][2](text)
            except ValueError as exc:
                if text.strip():
                    why[i] = f"{what}: {exc}"
                elif required:
                    why[i] = "no opened time"
        return found


#: The bytes `str.strip` removes that are ASCII; a byte of 128 or more may begin or end another.
_SPACES = bytes(range(9, 14)) + bytes(range(28, 33))
#: The multiplier of the hash of a value's bytes (FNV-1's prime).
_PRIME = 1099511628211


class _Texts:
    """Strings read through the buffers of an Arrow string array with numpy (no Arrow compute
    kernel, whose first use alone takes some 40 MB, and no conversion that would look for pandas):
    values, lengths, and hashes to group equal values by."""

    def __init__(self, offsets: NDArray[np.int32], data: NDArray[np.uint8]) -> None:
        self.offsets, self.data = offsets, data
        self.lengths = (offsets[1:] - offsets[:-1]).astype("int64")

    @classmethod
    def of(cls, array: Any) -> _Texts:
        """The values of an Arrow string array."""
        import numpy as np

        buffers = array.buffers()
        offsets = np.frombuffer(buffers[1], dtype=np.int32)[array.offset : array.offset + len(array) + 1]
        return cls(offsets, np.frombuffer(buffers[2] or b"\0", dtype=np.uint8))

    @classmethod
    def made(cls, values: list[str]) -> _Texts:
        """Python strings as such values."""
        import numpy as np

        encoded = [v.encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(offsets.astype(np.int32), np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8))

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, i: int) -> str:
        return self.data[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8")

    def many(self, rows: NDArray[np.int64]) -> list[str]:
        """The values of some rows: their bytes gathered with numpy, a line feed after each
        (no value holds one), and decoded and split at once."""
        import numpy as np

        if not len(rows):
            return []
        starts, lengths = self.offsets[rows].astype(np.int64), self.lengths[rows]
        ends = np.cumsum(lengths + 1)
        joined = np.full(int(ends[-1]), 10, dtype=np.uint8)
        total = int(lengths.sum())
        if total:
            row = np.repeat(np.arange(len(rows)), lengths)  # the row of each byte
            within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)  # its place in it
            joined[(ends - lengths - 1)[row] + within] = self.data[starts[row] + within]
        return joined.tobytes().decode("utf-8").split("\n")[:-1]

    def without(self, markers: frozenset[str]) -> _Texts:
        """The values with each one that is a missing-value marker (after strip) made empty, as
        `inputs.blanked` makes a row's cells: markers of the same bytes found with numpy, those
        with spaces or other characters at an edge looked at one by one."""
        import numpy as np

        starts = self.offsets[:-1].astype(np.int64)
        hit = np.zeros(len(self), dtype=bool)
        for marker in markers:
            code = marker.encode("utf-8")
            rows = np.flatnonzero(self.lengths == len(code))
            for j, byte in enumerate(code):
                rows = rows[self.data[starts[rows] + j] == byte]
            hit[rows] = True
        odd = np.flatnonzero(self.odd_edges() & ~hit)
        if len(odd):
            hit[odd[[value.strip() in markers for value in self.many(odd)]]] = True
        if not hit.any():
            return self
        gone = np.where(hit, self.lengths, 0)  # the bytes each value loses
        lengths = self.lengths[hit]
        total = int(lengths.sum())
        # the place of each byte dropped: each hit's start, plus 0, 1, ... within it
        within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        data = np.delete(self.data, np.repeat(starts[hit], lengths) + within)
        offsets = self.offsets - np.concatenate(([0], np.cumsum(gone)))
        return _Texts(offsets.astype(np.int32), data if len(data) else np.zeros(1, dtype=np.uint8))

    def pick(self, rows: NDArray[np.int64]) -> _Texts:
        """The values of some rows, on their own."""
        return _Texts.made(self.many(rows))

    def odd_edges(self) -> NDArray[np.bool_]:
        """Values that `str.strip` might change: a space or a character not ASCII first or last."""
        import numpy as np

        some = self.lengths > 0
        first = self.data[np.where(some, self.offsets[:-1], 0)]
        last = self.data[np.where(some, self.offsets[1:] - 1, 0)]
        spaces = np.zeros(256, dtype=bool)
        spaces[list(_SPACES)] = True
        spaces[128:] = True
        found: NDArray[np.bool_] = some & (spaces[first] | spaces[last])
        return found

    def hashes(self) -> NDArray[np.uint64]:
        """A 64-bit hash of each value's bytes: equal values, equal hashes."""
        import numpy as np

        lengths, starts = self.lengths, self.offsets[:-1].astype(np.int64)
        found = lengths.astype(np.uint64)
        prime = np.uint64(_PRIME)
        shortest = int(lengths.min()) if len(lengths) else 0
        with np.errstate(over="ignore"):
            for j in range(int(lengths.max()) if len(lengths) else 0):
                if j < shortest:
                    found = (found * prime) ^ self.data[starts + j]
                else:
                    rows = np.flatnonzero(lengths > j)
                    found[rows] = (found[rows] * prime) ^ self.data[starts[rows] + j]
        return found

    def packed(self) -> NDArray[np.uint64]:
        """Values of at most 8 bytes as the number their bytes make (no value holds a NUL, so
        the zeros after a shorter one tell it apart)."""
        import numpy as np

        lengths, starts = self.lengths, self.offsets[:-1].astype(np.int64)
        found = np.zeros(len(lengths), dtype=np.uint64)
        for j in range(int(lengths.max()) if len(lengths) else 0):
            rows = np.flatnonzero(lengths > j)
            found[rows] |= self.data[starts[rows] + j].astype(np.uint64) << np.uint64(8 * j)
        return found

    def distinct(self) -> tuple[NDArray[np.int64], list[str]]:
        """Each value's number among the distinct values, and those values (a handful, in a
        column of priorities or services)."""
        import numpy as np

        longest = int(self.lengths.max()) if len(self.lengths) else 0
        first, numbers = _groups(self.packed() if longest <= 8 else self.hashes())
        if longest <= 8:  # each value's bytes are its key: equal keys, equal values
            return numbers, self.many(first)
        same = self.lengths == self.lengths[first][numbers]  # a hash shared by two values?
        starts, theirs = self.offsets[:-1].astype(np.int64), self.offsets[first][numbers].astype(np.int64)
        for j in range(int(self.lengths.max()) if len(self.lengths) else 0):
            rows = np.flatnonzero(same & (self.lengths > j))
            same[rows] &= self.data[starts[rows] + j] == self.data[theirs[rows] + j]
        if not same.all():  # pragma: no cover - two values with one 64-bit hash
            values = self.many(np.arange(len(self), dtype=np.int64))
            known: dict[str, int] = {}
            found = np.array([known.setdefault(v, len(known)) for v in values], dtype=np.int64)
            return found, list(known)
        numbers = numbers.astype(np.int64).reshape(-1)
        return numbers, self.many(first.astype(np.int64))


def _present(numbers: NDArray[np.int64]) -> list[int]:
    """The distinct values of small numbers (indexes into short lists), in order, without a sort."""
    import numpy as np

    return np.flatnonzero(np.bincount(numbers)).tolist() if len(numbers) else []


def _groups(hashes: NDArray[np.uint64], few: int = 16) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The first place of each distinct hash and each one's number among them: by one pass per
    distinct value while there are few (a column of priorities or services), else by a sort."""
    import numpy as np

    numbers = np.full(len(hashes), -1, dtype=np.int64)
    first: list[int] = []
    left = np.arange(len(hashes))
    while len(left) and len(first) < few:
        at = int(left[0])
        same = left[hashes[left] == hashes[at]]
        numbers[same] = len(first)
        first.append(at)
        left = left[numbers[left] < 0]
    if len(left):
        _, firsts, found = np.unique(hashes, return_index=True, return_inverse=True)
        return firsts.astype(np.int64), found.astype(np.int64).reshape(-1)
    return np.array(first, dtype=np.int64), numbers


def _paused(pauses: list[Pauses]) -> Paused:
    """The pauses of each ticket of a group as `clock.Paused` arrays."""
    import numpy as np

    owner = np.repeat(np.arange(len(pauses)), [len(p) for p in pauses])
    flat = [pair for p in pauses for pair in p]
    return (
        owner.astype(np.int64),
        np.array([a for a, _ in flat], dtype=np.int64),
        np.array([b for _, b in flat], dtype=np.int64),
    )


class _Picked(Sequence[str]):
    """The ids of some rows of a chunk, by their place among them."""

    def __init__(self, ids: _Texts, rows: NDArray[np.int64]) -> None:
        self.ids, self.rows = ids, rows

    def __len__(self) -> int:
        return len(self.rows)

    def pick(self, places: NDArray[np.int64]) -> list[str]:
        """The ids at many places at once."""
        return [tid.strip() for tid in self.ids.many(self.rows[places])]

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self.ids[int(j)].strip() for j in self.rows[i]]
        return self.ids[int(self.rows[i])].strip()


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


__all__ = ["BY_COLUMNS", "ByColumns", "Events", "Tickets"]
