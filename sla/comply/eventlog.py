"""An event log (one row per update of a ticket) read as the tickets and status changes it stands for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from ..csvtable import CsvTable, norm
from ..instants import EPOCH
from ..values import quoted
from .inputs import FIELDS, Export
from .mapping import Mapping, Names
from .tickets import Events
from .times import TimeReader, Zones

#: Statuses, as the mapping's `[statuses]` translates them (normalised), that mean "not yet
#: answered" and "done".
NEW, DONE = "new", ("resolved", "closed")
#: Rows of the log read between two calls of a progress hook.
_PROGRESS_EVERY = 65536


@dataclass
class LoggedTicket:
    """What a ticket's rows in an event log say about it, times as written (read later in the zone
    of the ticket's service, as a tickets file's are).

    `opened` is the first `opened` cell the log gives, else the time of the ticket's earliest
    row. `first_response` is the time of the first row whose status is not a "new" one (translated
    by the mapping's `[statuses]` as New, in any case). `resolved` is the `resolved` cell of the
    ticket's latest row when the log has the column and the cell a value, else the time of the
    last entry into a status translated as Resolved or Closed that no other status follows (empty:
    still open, or reopened and not resolved since). `priority` is the one of its earliest row
    that names one; the later rows that name another are priority changes. `service` is the last
    one its rows name (in the file's order), `resolution_met` the desk's verdict as its latest row
    that gives one gives it. `line` is its earliest row's line (where a problem with the ticket as
    a whole is reported), `lines` the lines of all its usable rows.
    """

    id: str
    line: int
    lines: list[int] = field(default_factory=list)
    opened: str = ""
    first_response: str = ""
    resolved: str = ""
    priority: str = ""
    service: str = ""
    resolution_met: str = ""


class _Row(NamedTuple):
    """The cells of a row of the log that make its ticket, stripped ("": empty or missing)."""

    time: str
    status: str
    priority: str
    opened: str
    resolved: str
    service: str
    resolution_met: str


class EventLog:
    """An event log read as tickets and status changes: `read` groups its rows by ticket and
    orders each ticket's by time (then by line); `tickets` and `events` are then exports of those
    kinds, made in memory, for `Tickets.read` and `Events.load`, each of their rows numbered with
    the line of the log it comes from; `settle` reports the other rows of a ticket found unusable."""

    def __init__(self, export: Export, mapping: Mapping, names: Names, zones: Zones) -> None:
        self.export, self.mapping, self.names, self.zones = export, mapping, names, zones
        self.by_id: dict[str, LoggedTicket] = {}
        self._states: dict[str, str] = {}  # status as written -> as the mapping translates it, normalised
        self._resolved_column = export.index["resolved"] is not None
        self._tickets: list[tuple[int, list[str]]] = []
        self._events: list[tuple[int, list[str]]] = []

    def read(self, progress: Callable[[int], None] | None = None) -> None:
        """Read the log: a row with no ticket id, no readable time, a priority the agreement
        does not have or another width than the header's is unusable; the other rows of its
        ticket are not."""
        export = self.export
        ix = export.index
        wanted = [ix[name] for name in _Row._fields]
        ticket_i = ix["ticket"]
        assert ticket_i is not None
        by_id: dict[str, list[tuple[int, _Row]]] = {}
        for line, row in export.rows():
            export.read += 1
            reason = export.ragged(row)
            tid = row[ticket_i].strip() if reason is None else ""
            if reason is None and not tid:
                reason = "no ticket id"
            if reason is not None:
                export.refuse(line, reason)
                continue
            cells = _Row(*(row[i].strip() if i is not None else "" for i in wanted))
            by_id.setdefault(tid, []).append((line, cells))
            if progress is not None and export.read % _PROGRESS_EVERY == 0:
                progress(export.table.position())
        for tid, rows in by_id.items():
            self._ticket(tid, rows)
        self._tickets.sort()
        self._events.sort()
        if progress is not None:
            progress(export.table.position())

    @property
    def tickets(self) -> Export:
        """The tickets, one row each (at its earliest row's line), as `Tickets.read` reads them."""
        return _Part(self.export, "tickets", self._tickets)

    @property
    def events(self) -> Export:
        """Every usable row as a status change, naming a priority where it changes, for `Events.load`."""
        return _Part(self.export, "events", self._events)

    def settle(self, events: Events) -> None:
        """After the tickets are read: each other row of a ticket that is unusable is unusable
        too, and the log's rows used are those not unusable."""
        export = self.export
        refused = {u.row for u in export.unusable if u.file == export.path and u.kind == export.kind}
        for tid in events.bad_tickets:
            ticket = self.by_id.get(tid)
            if ticket is None:
                continue
            events.by_ticket.pop(tid, None)
            for line in ticket.lines:
                if line not in refused:
                    export.refuse(line, f"its ticket {quoted(tid)} is unusable (see line {ticket.line})")
                    refused.add(line)
        events.by_ticket.clear()
        export.used = export.read - len(refused)

    def _ticket(self, tid: str, rows: list[tuple[int, _Row]]) -> None:
        """A ticket of its rows (in the file's order): its times read in the zone of its service.

        The tickets and events made of it give each time read as an instant in ISO form, in UTC
        (read again in one call, to the same instant), and a time that cannot be read as
        written, for `Tickets.read` to refuse the ticket with its reason."""
        export, names = self.export, self.names
        service = next((row.service for _, row in reversed(rows) if row.service), "")
        parse = self.zones.of(names.service(service) if service else None)[2]
        timed: list[tuple[int, int, _Row]] = []
        for line, row in rows:
            if not row.time:
                export.refuse(line, "no time")
                continue
            try:
                t = parse(row.time)
            except ValueError as exc:
                export.refuse(line, f"time: {exc}")
                continue
            if row.priority and names.priority(row.priority) is None:  # no row half used
                export.refuse(line, f"unknown priority {quoted(row.priority)}{names.priorities_hint()}")
                continue
            timed.append((t, line, row))
        if not timed:
            return
        timed.sort(key=lambda found: found[:2])
        earliest_at, first, earliest = timed[0]
        ticket = self.by_id[tid] = LoggedTicket(tid, first, [line for _, line, _ in timed], service=service)
        given = next((row.opened for _, _, row in timed if row.opened), "")
        ticket.opened = given or earliest.time
        ticket.priority = next((row.priority for _, _, row in timed if row.priority), "")
        ticket.resolution_met = next(
            (row.resolution_met for _, _, row in reversed(timed) if row.resolution_met), ""
        )
        priority = ticket.priority
        responded = ""
        entered = ""  # the last entry into a done status, while no other status follows
        done = False
        for t, line, row in timed:
            changed = row.priority if row.priority and row.priority != priority and line != first else ""
            priority = row.priority or priority
            at = _iso(t)
            self._events.append((line, [tid, at, row.status, changed]))
            if not row.status:
                continue
            state = self._state(row.status)
            if state != NEW and not ticket.first_response:
                ticket.first_response, responded = row.time, at
            if state in DONE and not done:
                entered, ticket.resolved = at, row.time
            elif state not in DONE:
                entered = ticket.resolved = ""
            done = state in DONE
        resolved = entered
        latest = timed[-1][2].resolved if self._resolved_column else ""
        if latest:
            ticket.resolved, resolved = latest, _read(parse, latest)
        opened = _read(parse, given) if given else _iso(earliest_at)
        self._tickets.append(
            (
                first,
                [tid, ticket.priority, opened, responded, resolved, ticket.service, ticket.resolution_met],
            )
        )

    def _state(self, status: str) -> str:
        found = self._states.get(status)
        if found is None:
            found = self._states[status] = norm(self.mapping.value("statuses", status))
        return found


def _iso(t: int) -> str:
    """An instant in ISO form, in UTC."""
    return (EPOCH + timedelta(microseconds=t)).isoformat()


def _read(parse: TimeReader, text: str) -> str:
    """A time of the log in ISO form, or as written when it cannot be read (the reader of the
    tickets then says why)."""
    try:
        return _iso(parse(text))
    except ValueError:
        return text


#: The columns of the tickets and status changes an event log stands for.
_HEADERS = {
    "tickets": ["id", "priority", "opened", "first_response", "resolved", "service", "resolution_met"],
    "events": ["ticket", "time", "status", "priority"],
}


class _Part(Export):
    """The tickets or status changes of an event log, as an export of that kind read from memory:
    its rows are the log's rows (numbered with their lines), and so are their problems."""

    def __init__(self, log: Export, kind: str, records: list[tuple[int, list[str]]]) -> None:
        header = _HEADERS[kind]
        self.path, self.kind, self.encoding, self.missing = log.path, log.kind, log.encoding, frozenset()
        self.read = self.used = 0  # counted on the log itself
        self.unusable = log.unusable
        self.table = _Records(header, records)
        self.index = {name: self.table.column(name) for name in FIELDS[kind]}
        if kind == "tickets" and log.index.get("resolution_met") is None:
            self.index["resolution_met"] = None  # the log has no verdict of the desk's: no audit
        self.width = self.table.width


class _Records(CsvTable):
    """Records held in memory, each with the line it stands for, read as a CSV table is: by
    `rows`, or by `reader` as `Tickets.read` reads a csv reader (its `line_num` after a record is
    the line before the next one's, as if the lines between had been read with it)."""

    path = None  # not a file: never read by columns

    def __init__(self, header: list[str], records: list[tuple[int, list[str]]]) -> None:
        # no stream to read a header from: the parts of `CsvTable` that reading one sets
        self.header, self.width, self.encoding, self.delimiter = header, len(header), "utf-8", ","
        self.header_row, self.broken, self._in_header = 1, [], False
        self._exact = {h: i for i, h in enumerate(header)}
        self._loose = {norm(h): i for i, h in enumerate(header)}
        self._held = records
        self.reader = _Reader(records)

    def close(self) -> None:
        pass

    def position(self) -> int:
        return 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return iter(self._held)


class _Reader:
    """Records with their lines, read as a csv reader is read (see `_Records`)."""

    def __init__(self, records: list[tuple[int, list[str]]]) -> None:
        self.records = records
        self.line_num = records[0][0] - 1 if records else 0

    def __iter__(self) -> Iterator[list[str]]:
        records = self.records
        for k, (line, cells) in enumerate(records):
            self.line_num = records[k + 1][0] - 1 if k + 1 < len(records) else line
            yield cells


__all__ = ["DONE", "NEW", "EventLog", "LoggedTicket"]
