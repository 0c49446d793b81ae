"""The exports a compliance run reads: their fields, the errors that stop a run, each file as a table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..csvtable import CsvProblem, CsvTable, open_csv
from ..diagnostics import Diagnostic, SlaError, Span, did_you_mean
from .report import Unusable

if TYPE_CHECKING:
    from .mapping import Mapping


class InputError(SlaError):
    """A problem with the inputs (a CSV file, a mapping, a period) that stops the run."""

    def __init__(
        self,
        code: str,
        message: str,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        span = Span(file=file, line=line, column=1, end_line=line, end_column=2) if line else None
        super().__init__([Diagnostic(code, "error", message, span, hint)])
        self.file, self.line = file, line

    @property
    def message(self) -> str:
        """One line for people: the file (and line) first, then what is wrong and the hint."""
        d = self.diagnostics[0]
        where = (
            f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        )
        return where + d.message + (f" ({d.hint})" if d.hint else "")


class Refused(Exception):
    """A row that cannot be used, with the reason (`Export.refuse` records it)."""


#: The fields of each input file. `first_response_minutes` and `resolved_minutes` stand in for an
#: export that gives minutes after opening (wall-clock) instead of a time. The `_met` fields hold
#: the desk's own verdict on a target (a word its mapping's `[verdicts]` reads, or a signed time
#: left such as `-02:15`) and the `_business_minutes` fields the desk's own business time, for
#: `sla comply --audit` to compare with the agreement's. An `eventlog` has one row per update of a
#: ticket (`sla.comply.eventlog` makes tickets and status changes of it): `opened` and `resolved`
#: are the ticket's times as the log repeats them on each row, `resolution_met` the desk's verdict.
FIELDS: dict[str, tuple[str, ...]] = {
    "tickets": (
        "id",
        "priority",
        "opened",
        "first_response",
        "resolved",
        "service",
        "first_response_minutes",
        "resolved_minutes",
        "response_met",
        "resolution_met",
        "response_business_minutes",
        "resolution_business_minutes",
    ),
    "events": ("ticket", "time", "status", "priority", "kind", "value"),
    "outages": ("service", "start", "end", "planned"),
    "exclusions": ("service", "start", "end", "reason"),
    "eventlog": ("ticket", "time", "status", "priority", "opened", "resolved", "service", "resolution_met"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "tickets": ("id", "priority", "opened", "first_response", "resolved"),
    "events": ("ticket", "time", "status"),
    "outages": ("service", "start", "end"),
    "exclusions": ("service", "start", "end"),
    "eventlog": ("ticket", "time", "status"),
}
#: A required time that an export may give as minutes after opening instead.
OR_MINUTES = {"first_response": "first_response_minutes", "resolved": "resolved_minutes"}
#: A required field that another column can stand in for: an events file may hold priority
#: changes or updates without statuses (`kind`, `priority`).
OR_COLUMNS = {("events", "status"): ("kind", "priority")}
#: Header names tried, after the field's own name, when no mapping names a column.
ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "id"): ("ticket", "ticket_id", "number", "key"),
    ("tickets", "opened"): ("created", "opened_at", "created_at"),
    ("tickets", "first_response"): ("responded", "first_response_at"),
    ("tickets", "resolved"): ("resolved_at",),
    ("events", "ticket"): ("id", "ticket_id"),
    ("events", "time"): ("at", "changed", "timestamp"),
    ("events", "kind"): ("event_type",),
    ("outages", "start"): ("from", "started"),
    ("outages", "end"): ("to", "ended"),
    ("exclusions", "start"): ("from", "started"),
    ("exclusions", "end"): ("to", "ended"),
    ("exclusions", "reason"): ("why", "cause", "description"),
    ("eventlog", "ticket"): ("number", "id", "ticket_id", "key"),
    ("eventlog", "time"): ("updated", "updated_at", "sys_updated_at", "at", "changed", "timestamp"),
    ("eventlog", "status"): ("state", "incident_state"),
    ("eventlog", "opened"): ("created", "opened_at", "created_at"),
    ("eventlog", "resolved"): ("resolved_at",),
}


class Export:
    """One export file read as a stream (sla.csvtable): its header matched to the fields of its
    kind, then numbered rows; rows that cannot be used are recorded in `unusable`."""

    def __init__(self, path: str, kind: str, mapping: Mapping, unusable: list[Unusable]) -> None:
        self.path, self.kind, self.encoding = path, kind, mapping.encoding
        self.missing = mapping.missing  # cells that read as empty
        self.read = self.used = 0
        self.unusable = unusable
        try:
            self.table = open_csv(path, mapping.encoding, mapping.delimiter)
        except CsvProblem as exc:
            raise self._error(exc) from None
        try:
            self.index = _resolve(self.table, kind, mapping, path)
        except BaseException:
            self.close()
            raise
        self.width = self.table.width

    def close(self) -> None:
        if hasattr(self, "table"):
            self.table.close()

    @property
    def reader(self) -> Any:
        """The csv reader, for a caller that loops over it itself (inside `guard`)."""
        return self.table.reader

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Text that cannot be decoded, or a CSV the csv module cannot read, as an InputError."""
        try:
            with self.table.guard():
                yield
        except CsvProblem as exc:
            raise self._error(exc) from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of each data row after the header, a missing-value marker read as an
        empty cell; the caller checks `ragged`. Records that cannot be read as CSV (an unclosed
        quote, say) are read and unusable rows."""
        missing = self.missing
        with self.guard():
            if missing:
                for line, cells in self.table.rows():
                    yield line, blanked(cells, missing)
            else:
                yield from self.table.rows()
        for line, why in self.table.broken:
            self.read += 1
            self.refuse(line, why)

    def ragged(self, record: list[str]) -> str | None:
        return self.table.ragged(record)

    def refuse(self, row: int, reason: str) -> None:
        """A row that cannot be used, with the reason."""
        self.unusable.append(Unusable(self.path, self.kind, row, reason))

    @property
    def _a(self) -> str:
        return "an" if self.kind[0] in "aeiou" else "a"

    def _error(self, problem: CsvProblem) -> InputError:
        """A file that cannot be read at all, in the words and codes of SLA301 to SLA303."""
        path, kind = self.path, problem.kind
        if kind in ("folder", "missing", "unreadable"):
            message = {"folder": "is a folder, not a CSV file", "missing": "no such file"}.get(
                kind, f"cannot read the file: {problem.detail}"
            )
            return InputError("SLA301", message, path)
        if kind == "utf16":
            return InputError(
                "SLA302", "is UTF-16 text", path, hint="name its encoding in a mapping: --map encoding=utf-16"
            )
        if kind == "binary":
            return InputError("SLA302", "is not a CSV text file (it holds binary data)", path)
        if kind == "empty":
            return InputError(
                "SLA303",
                f"is empty: {self._a} {self.kind} file starts with a header row such as "
                f"{','.join(REQUIRED[self.kind])}",
                path,
            )
        if kind == "headless":
            return InputError(
                "SLA303", f"is empty: {self._a} {self.kind} file starts with a header row", path
            )
        if kind == "decode":
            return InputError(
                "SLA302",
                f"is not {self.encoding} text (byte {problem.detail}) near this line",
                path,
                problem.line,
                'save it as UTF-8, or name its encoding in a mapping: encoding = "cp1252"',
            )
        return InputError("SLA302", f"is not a readable CSV file: {problem.detail}", path, problem.line)


def blanked(cells: list[str], missing: frozenset[str]) -> list[str]:
    """The cells with each one that is a missing-value marker (`Mapping.missing`, after strip)
    made empty. A row of markers stays a row (with nothing in it), as it is when read by columns."""
    return ["" if cell.strip() in missing else cell for cell in cells]


def _resolve(table: CsvTable, kind: str, mapping: Mapping, path: str) -> dict[str, int | None]:
    """The column index of each field (None: not in the export), or an InputError."""
    mapped = mapping.columns[kind]
    index: dict[str, int | None] = {}
    for name in FIELDS[kind]:
        if name not in mapped:
            index[name] = table.column(name, *ALIASES.get((kind, name), ()), as_written=False)
            continue
        wanted = mapped[name]
        found = table.column(*wanted) if wanted else None
        if found is None and wanted and (name in REQUIRED[kind] or len(wanted) == 1):
            shown = " or ".join(repr(c) for c in wanted)
            hint = did_you_mean(wanted[0], table.header) or "check the mapping"
            if kind == "tickets" and name in OR_MINUTES:  # an export may have no such times at all
                what = name.replace("_", " ")
                hint += f"; if the export has no {what} times, --map {name}= reports those targets as not measured"
            raise InputError(
                "SLA304",
                f"has no column {shown} for {name!r}; its columns are {_columns(table.header)}",
                path,
                1,
                hint,
            )
        index[name] = found  # None: the export has no such field, or an optional one some exports leave out
    missing = [
        name
        for name in REQUIRED[kind]
        if index[name] is None
        and mapped.get(name) != ()
        and not (name in OR_MINUTES and index.get(OR_MINUTES[name]) is not None)
        and not any(index.get(other) is not None for other in OR_COLUMNS.get((kind, name), ()))
    ]
    if missing:
        names = ", ".join(repr(n) for n in missing)
        # a bare field name maps the first kind that has it, never an event log: name the kind
        example = ",".join(f"{kind}.{n}=COLUMN" if kind == "eventlog" else f"{n}=COLUMN" for n in missing)
        raise InputError(
            "SLA304",
            f"has no column for {names}; its columns are {_columns(table.header)}",
            path,
            1,
            f"map them with --map {example}, or use a ready mapping such as "
            "--map servicenow (see `sla comply --help`)",
        )
    return index


def _columns(header: list[str]) -> str:
    shown = ", ".join(repr(h) for h in header[:30])
    return shown + (f" and {len(header) - 30} more" if len(header) > 30 else "") if header else "none"


__all__ = [
    "ALIASES",
    "FIELDS",
    "OR_COLUMNS",
    "OR_MINUTES",
    "REQUIRED",
    "Export",
    "InputError",
    "Refused",
    "blanked",
]
