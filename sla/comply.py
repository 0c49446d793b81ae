"""Compliance: tickets, status changes and outages measured against an agreement, month by month.

`comply(agreement, tickets_csv, events=..., outages=..., mapping=..., period=...)` reads the CSV
exports of a service desk as a stream and returns a `Report`: per calendar month and priority,
how many response and resolution targets were met and breached, every breach with how late it
was, each service's availability, and the credits owed, capped. `to_dict` makes it JSON-ready.

Times are integer microseconds since 1970-01-01 UTC throughout (`sla.clock` counts business time
on that scale), so no float ever decides whether a target was met; money is Decimal. The rules
are written out in docs/compliance.md.
"""

from __future__ import annotations

import csv
import gc
import os
import re
import tomllib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from importlib.resources import files as package_files
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import model as m
from .clock import NEVER, BusinessCalendar, WallClock, merged, wall_clock
from .diagnostics import Diagnostic, SlaError, Span, did_you_mean
from .values import Duration

if TYPE_CHECKING:  # numpy is loaded when a batch of tickets is measured
    import numpy as np
    from numpy.typing import NDArray

_SECOND = 1_000_000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
_DAY = 1440 * _MINUTE
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_US = timedelta(microseconds=1)
#: Times outside these years are refused as typing slips (0207 for 2027), and keep the
#: calendars from building timelines for centuries nobody asked about.
_FIRST, _LAST = datetime(1900, 1, 1), datetime(2200, 1, 1)
_LO, _HI = (_FIRST - _NAIVE_EPOCH) // _US, (_LAST - _NAIVE_EPOCH) // _US
_KINDS = ("response", "resolution")

# --------------------------------------------------------------------------------- input errors


class InputError(SlaError):
    """A problem with the inputs (a CSV file, a mapping, a period) that stops the run."""

    def __init__(self, code: str, message: str, file: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:  # fmt: skip
        span = Span(file=file, line=line, column=1, end_line=line, end_column=2) if line else None
        super().__init__([Diagnostic(code, "error", message, span, hint)])
        self.file, self.line = file, line

    @property
    def message(self) -> str:
        """One line for people: the file (and line) first, then what is wrong and the hint."""
        d = self.diagnostics[0]
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        return where + d.message + (f" ({d.hint})" if d.hint else "")


# --------------------------------------------------------------------------------- column mappings

#: The fields of each input file. `first_response_minutes` and `resolved_minutes` stand in for an
#: export that gives minutes after opening (wall-clock) instead of a time.
FIELDS: dict[str, tuple[str, ...]] = {
    "tickets": ("id", "priority", "opened", "first_response", "resolved", "service",
                "first_response_minutes", "resolved_minutes"),
    "events": ("ticket", "time", "status", "priority"),
    "outages": ("service", "start", "end", "planned"),
}  # fmt: skip
_REQUIRED: dict[str, tuple[str, ...]] = {
    "tickets": ("id", "priority", "opened", "first_response", "resolved"),
    "events": ("ticket", "time", "status"),
    "outages": ("service", "start", "end"),
}
#: A required time that an export may give as minutes after opening instead.
_OR_MINUTES = {"first_response": "first_response_minutes", "resolved": "resolved_minutes"}
#: Header names tried, after the field's own name, when no mapping names a column.
_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "id"): ("ticket", "ticket_id", "number", "key"),
    ("tickets", "opened"): ("created", "opened_at", "created_at"),
    ("tickets", "first_response"): ("responded", "first_response_at"),
    ("tickets", "resolved"): ("resolved_at",),
    ("events", "ticket"): ("id", "ticket_id"),
    ("events", "time"): ("at", "changed", "timestamp"),
    ("outages", "start"): ("from", "started"),
    ("outages", "end"): ("to", "ended"),
}
_VALUE_MAPS = ("priorities", "services", "statuses")
_SETTINGS = ("time_format", "timezone", "delimiter", "encoding")


def _norm(text: str) -> str:
    """A header or value for lenient matching: lower case, runs of other characters as one `_`."""
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


@dataclass
class Mapping:
    """Which CSV column holds each field, how values translate, and how times are written.

    `columns[kind][field]` is the column names to look for, the first found wins (an empty tuple:
    the export does not have the field). Value maps (`priorities`, `services`, `statuses`) are
    keyed by the normalised export value.
    """

    names: list[str] = field(default_factory=list)
    columns: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=lambda: {k: {} for k in FIELDS})
    values: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in _VALUE_MAPS})
    time_format: str | None = None
    timezone: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8-sig"

    @property
    def name(self) -> str:
        return " + ".join(self.names) if self.names else "default"

    def set(self, key: str, value: str | list[str], source: str) -> None:
        """One `field=column` (or `kind.field=column`, or a setting) from a mapping; a list names
        columns to try in turn."""
        key = key.strip()
        if key in _SETTINGS and isinstance(value, str):
            self._setting(key, value, source)
            return
        kind, dot, name = key.partition(".")
        if not dot:
            kind, name = next((k for k in FIELDS if key in FIELDS[k]), ""), key
        if kind not in FIELDS or name not in FIELDS[kind]:
            known = [f"{k}.{f}" for k in FIELDS for f in FIELDS[k]] + [f for k in FIELDS for f in FIELDS[k]]
            hint = did_you_mean(key, known + list(_SETTINGS)) or (
                "fields are " + ", ".join(sorted({f for k in FIELDS for f in FIELDS[k]})))
            raise InputError("SLA305", f"{source}: unknown field {key!r}", hint=hint)
        names = [value] if isinstance(value, str) else value
        self.columns[kind][name] = tuple(v.strip() for v in names if v.strip())

    def _setting(self, key: str, value: str, source: str) -> None:
        if key == "timezone":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise InputError("SLA305", f"{source}: unknown time zone {value!r}",
                                 hint="use an IANA name such as Europe/Berlin or UTC") from None  # fmt: skip
        if key == "delimiter" and len(value.replace("\\t", "\t")) != 1:
            raise InputError("SLA305", f"{source}: the delimiter must be one character, not {value!r}")
        if key == "encoding":
            import codecs

            try:
                codecs.lookup(value)
            except LookupError:
                raise InputError("SLA305", f"{source}: unknown encoding {value!r}",
                                 hint="such as utf-8, cp1252 or latin-1") from None  # fmt: skip
        setattr(self, key, value.replace("\\t", "\t") if key == "delimiter" else value)

    def value(self, table: str, raw: str) -> str:
        """An export value translated by a value map (or as it is)."""
        return self.values[table].get(_norm(raw), raw.strip())


def ready_mappings() -> dict[str, str]:
    """The mappings shipped with sla, by name, each with its title."""
    found = {}
    for entry in package_files("sla").joinpath("mappings").iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            found[entry.name.removesuffix(".toml")] = str(data.get("name", entry.name))
    return dict(sorted(found.items()))


def load_mapping(specs: Sequence[str] = ()) -> Mapping:
    """A mapping from `--map` values, applied in order: a ready mapping's name (`servicenow`), a
    TOML file, or `field=column` pairs separated by commas (`opened=Created,priority=Priority`)."""
    mapping = Mapping()
    for spec in specs:
        if "=" in spec and not spec.endswith(".toml"):
            for pair in spec.split(","):
                key, eq, column = pair.partition("=")
                if not eq:
                    raise InputError("SLA305", f"--map: {pair!r} is not FIELD=COLUMN",
                                     hint="such as --map opened=Created,priority=Priority")  # fmt: skip
                mapping.set(key, column, "--map")
            mapping.names.append(spec)
            continue
        if os.path.isfile(spec) or spec.endswith(".toml") or os.sep in spec:
            try:
                with open(spec, "rb") as fh:
                    data = tomllib.load(fh)
            except OSError as exc:
                raise InputError("SLA301", f"cannot read the mapping file: {exc.strerror}", spec) from None
            except tomllib.TOMLDecodeError as exc:
                raise InputError("SLA305", f"the mapping file is not TOML: {exc}", spec) from None
            _apply(mapping, data, spec)
            mapping.names.append(os.path.basename(spec))
            continue
        ready = ready_mappings()
        if spec not in ready:
            hint = did_you_mean(spec, ready) or "ready mappings: " + ", ".join(ready)
            raise InputError("SLA305", f"--map: no ready mapping {spec!r} and no such file", hint=hint)
        text = package_files("sla").joinpath("mappings", f"{spec}.toml").read_text(encoding="utf-8")
        _apply(mapping, tomllib.loads(text), spec)
        mapping.names.append(spec)
    return mapping


def _apply(mapping: Mapping, data: dict[str, Any], source: str) -> None:
    for key, value in data.items():
        if key in ("name", "description"):
            continue
        if key in _SETTINGS and isinstance(value, str):
            mapping.set(key, value, source)
        elif key in FIELDS and isinstance(value, dict):
            for name, column in value.items():
                if not (isinstance(column, str) or isinstance(column, list) and all(isinstance(c, str) for c in column)):
                    raise InputError("SLA305", f"{source}: [{key}] {name} must be a column name in quotes, "
                                     "or a list of them")  # fmt: skip
                mapping.set(f"{key}.{name}", column, source)
        elif key in _VALUE_MAPS and isinstance(value, dict):
            for raw, name in value.items():
                if not isinstance(name, str):
                    raise InputError("SLA305", f"{source}: [{key}] {raw!r} must map to a name in quotes")
                mapping.values[key][_norm(raw)] = name
        else:
            allowed = ["name", "description", *_SETTINGS, *(f"[{k}]" for k in (*FIELDS, *_VALUE_MAPS))]
            raise InputError("SLA305", f"{source}: unexpected {key!r}", hint="a mapping holds " + ", ".join(allowed))


# --------------------------------------------------------------------------------- reading CSV


class _Table:
    """One CSV file read as a stream: the header matched to the fields, then numbered rows.

    A row's number is the line it starts on, the header being line 1. Lines that are empty or
    hold only separators are skipped and not counted.
    """

    def __init__(self, path: str, kind: str, mapping: Mapping) -> None:
        self.path, self.kind, self.mapping = path, kind, mapping
        self.read = self.used = 0
        try:
            with open(path, "rb") as probe:
                head = probe.read(65536)
            self._fh = open(path, encoding=mapping.encoding, newline="")
        except IsADirectoryError:
            raise InputError("SLA301", "is a folder, not a CSV file", path) from None
        except FileNotFoundError:
            raise InputError("SLA301", "no such file", path) from None
        except OSError as exc:
            raise InputError("SLA301", f"cannot read the file: {exc.strerror}", path) from None
        try:
            self._start(head)
        except BaseException:
            self.close()
            raise

    def _start(self, head: bytes) -> None:
        """Sniff the separator, read the header and match it to the fields."""
        kind, path, mapping = self.kind, self.path, self.mapping
        wide = mapping.encoding.lower().replace("-", "").replace("_", "").startswith("utf16")
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not wide:
            raise InputError("SLA302", "is UTF-16 text", path, hint='name its encoding in a mapping: --map encoding=utf-16')
        if b"\x00" in head and not wide:
            raise InputError("SLA302", "is not a CSV text file (it holds binary data)", path)
        if not head.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
            raise InputError("SLA303", f"is empty: a {kind} file starts with a header row such as "
                             f"{','.join(_REQUIRED[kind])}", path)  # fmt: skip
        lines = head.decode(mapping.encoding, errors="ignore").lstrip("\ufeff").splitlines()
        first = lines[0] if lines else ""
        delimiter = mapping.delimiter or max(",;\t|", key=lambda d: (first.count(d), d == ","))
        self._reader = csv.reader(self._fh, delimiter=delimiter)
        self._stream = self._records()
        header = next(self._stream, None)
        if header is None:
            raise InputError("SLA303", f"is empty: a {kind} file starts with a header row", path)
        self.header = [h.strip().lstrip("\ufeff") for h in header[1]]
        self.width = len(self.header)
        self.index = self._resolve()

    def close(self) -> None:
        self._fh.close()

    @property
    def reader(self) -> Any:
        """The csv reader, for a caller that loops over it itself (inside `guard`)."""
        return self._reader

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Text that cannot be decoded, or a CSV the csv module cannot read, as an InputError."""
        reader = self._reader
        try:
            yield
        except UnicodeDecodeError as exc:
            raise InputError("SLA302", f"is not {self.mapping.encoding} text (byte 0x{exc.object[exc.start]:02x}) "
                             "near this line", self.path, reader.line_num + 1,
                             "save it as UTF-8, or name its encoding in a mapping: encoding = \"cp1252\"") from None  # fmt: skip
        except csv.Error as exc:
            raise InputError("SLA302", f"is not a readable CSV file: {exc}", self.path, reader.line_num) from None

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        line = reader.line_num
        with self.guard():
            for record in reader:
                start, line = line + 1, reader.line_num
                if record and any(record):
                    yield start, record

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, fields) of each data row after the header; the caller checks `ragged`."""
        return self._stream

    def ragged(self, record: list[str]) -> str | None:
        if len(record) != self.width:
            return f"has {len(record)} fields where the header has {self.width}"
        return None

    def _resolve(self) -> dict[str, int | None]:
        """The column index of each field (None: not in the export), or an InputError."""
        exact = {h: i for i, h in reversed(list(enumerate(self.header)))}
        loose = {_norm(h): i for i, h in reversed(list(enumerate(self.header)))}
        mapped = self.mapping.columns[self.kind]
        index: dict[str, int | None] = {}
        missing: list[str] = []
        for name in FIELDS[self.kind]:
            if name in mapped:
                wanted = mapped[name]
                if not wanted:
                    index[name] = None
                    continue
                found = next((i for c in wanted for i in (exact.get(c), loose.get(_norm(c))) if i is not None), None)
                if found is None:
                    if name not in _REQUIRED[self.kind] and len(wanted) > 1:
                        index[name] = None  # an optional field some exports of the desk leave out
                        continue
                    shown = " or ".join(repr(c) for c in wanted)
                    raise InputError("SLA304", f"has no column {shown} for {name!r}; its columns are "
                                     f"{_columns(self.header)}", self.path, 1,
                                     did_you_mean(wanted[0], self.header) or "check the mapping")  # fmt: skip
                index[name] = found
                continue
            candidates = (name, *_ALIASES.get((self.kind, name), ()))
            index[name] = next((loose[c] for c in candidates if c in loose), None)
        for name in _REQUIRED[self.kind]:
            if index[name] is None and mapped.get(name) != ():
                alternative = _OR_MINUTES.get(name)
                if alternative and index.get(alternative) is not None:
                    continue
                missing.append(name)
        if missing:
            names = ", ".join(repr(n) for n in missing)
            example = ",".join(f"{n}=COLUMN" for n in missing)
            raise InputError("SLA304", f"has no column for {names}; its columns are {_columns(self.header)}",
                             self.path, 1, f"map them with --map {example}, or use a ready mapping such as "
                             "--map servicenow (see `sla comply --help`)")  # fmt: skip
        return index


def _columns(header: list[str]) -> str:
    shown = ", ".join(repr(h) for h in header[:30])
    return shown + (f" and {len(header) - 30} more" if len(header) > 30 else "") if header else "none"


# --------------------------------------------------------------------------------- times


class _Times:
    """Times as written in exports: ISO 8601 (with an offset, or naive: local wall time), or the
    mapping's `time_format`; a naive time is read in the mapping's `timezone` when it names one,
    else in the zone `reader(wall)` is made for."""

    _FRACTION = re.compile(r"(\.\d{6})\d+")
    _SPACED_OFFSET = re.compile(r"\s+([+-]\d\d:?\d\d)$")

    def __init__(self, mapping: Mapping) -> None:
        self.format = mapping.time_format
        self.fixed = wall_clock(ZoneInfo(mapping.timezone)) if mapping.timezone else None

    def reader(self, wall: WallClock) -> TimeReader:
        return _time_reader(self, self.fixed or wall)

    def parse(self, text: str, wall: WallClock) -> int:
        """Microseconds since 1970-01-01 UTC; ValueError with the reason when it is not a time."""
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            when = self._lenient(text)
        if when.tzinfo is None:
            local = (when - _NAIVE_EPOCH) // _US
            if not _LO <= local < _HI:
                raise ValueError(f"{text!r} is out of range (years 1900 to 2199)") from None
            return wall.utc(local)
        utc = (when - _EPOCH) // _US
        if not _LO <= utc < _HI:
            raise ValueError(f"{text!r} is out of range (years 1900 to 2199)")
        return utc

    def _lenient(self, text: str) -> datetime:
        cleaned = text.strip()
        for suffix in (" UTC", " GMT", "UTC", "GMT"):
            if cleaned.upper().endswith(suffix):
                cleaned = cleaned[: -len(suffix)].rstrip() + "+00:00"
                break
        cleaned = self._SPACED_OFFSET.sub(r"\1", self._FRACTION.sub(r"\1", cleaned))
        try:
            return datetime.fromisoformat(cleaned)
        except ValueError:
            pass
        if self.format:
            try:
                return datetime.strptime(text.strip(), self.format)
            except ValueError:
                raise ValueError(f"{text!r} is not a time in the format {self.format!r}") from None
        raise ValueError(f"{text!r} is not a time such as 2027-03-01T09:15:00+01:00 or 2027-03-01 09:15") from None


#: ":MM:SS" -> microseconds into the hour, for `_time_reader`: a lookup that also checks the form.
_MINUTES_SECONDS = {f":{m:02d}:{s:02d}": (m * 60 + s) * _SECOND for m in range(60) for s in range(60)}


TimeReader = Callable[[str], int]


def _time_reader(times: _Times, wall: WallClock) -> TimeReader:
    """`_Times.parse` for one zone, quick for the commonest export form.

    A naive "YYYY-MM-DD HH:MM:SS" (or with T) is read the full way once per hour of the wall
    clock; the instant that hour starts at is then remembered (only for an hour whose offset does
    not change), and the next time of that hour is that instant plus its minutes and seconds.
    A closure rather than a class: it is called three times per ticket.
    """
    hours: dict[str, int] = {}
    seen = hours.get
    within = _MINUTES_SECONDS.get
    parse, local, steady = times.parse, wall.local, wall.steady_offset

    def read(text: str) -> int:
        if len(text) == 19:
            base = seen(text[:13])
            if base is not None:
                rest = within(text[13:])
                if rest is not None:
                    return base + rest
        utc = parse(text, wall)
        if len(text) == 19 and text[13] == ":" and text[16] == ":":  # naive: an offset needs more room
            here = local(utc)
            hour = here - here % _HOUR
            offset = steady(hour)
            if offset is not None and utc == here - offset:  # an hour without a change
                hours[text[:13]] = hour - offset
        return utc

    return read


# --------------------------------------------------------------------------------- periods


def month_label(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def parse_period(text: str) -> list[int]:
    """The months of `--period`: 2027-03, 2027-Q1 or 2027 (month index = year * 12 + month - 1)."""
    spec = text.strip().upper()
    if found := re.fullmatch(r"(\d{4})-(\d{2})", spec):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return [year * 12 + month - 1]
    elif found := re.fullmatch(r"(\d{4})-Q([1-4])", spec):
        year, quarter = int(found[1]), int(found[2])
        return [year * 12 + (quarter - 1) * 3 + i for i in range(3)]
    elif found := re.fullmatch(r"\d{4}", spec):
        return [int(spec) * 12 + i for i in range(12)]
    raise InputError("SLA306", f"--period: {text!r} is not a month, quarter or year",
                     hint="such as 2027-03, 2027-Q1 or 2027")  # fmt: skip


class _Months:
    """The starts of the local calendar months of one zone as UTC microseconds."""

    def __init__(self, wall: WallClock) -> None:
        self.wall = wall
        self.first = 0  # the month index of starts[0]
        self.starts: list[int] = []
        self._array_key: tuple[int, int] | None = None
        self._array: NDArray[np.int64]

    def index(self, t: int) -> int:
        """The month an instant falls in."""
        starts = self.starts
        if not starts or t < starts[0] or t >= starts[-1]:
            local = date.fromordinal(self.wall.local(t) // _DAY + _EPOCH_DAY)
            self._cover(local.year * 12 + local.month - 1)
            starts = self.starts
        return self.first + bisect_right(starts, t) - 1

    def start(self, index: int) -> int:
        """The first instant of a month (the end of the month before)."""
        self._cover(index)
        return self.starts[index - self.first]

    def indexes(self, instants: NDArray[np.int64]) -> NDArray[np.int64]:
        """`index` of many instants at once; `starts_array` then holds their months and the next."""
        import numpy as np

        self.index(int(instants.min()))
        self.index(int(instants.max()))
        found: NDArray[np.int64] = self.first + np.searchsorted(self.starts_array(), instants, side="right") - 1
        return found

    def starts_array(self) -> NDArray[np.int64]:
        import numpy as np

        if self._array_key != (self.first, len(self.starts)):
            self._array = np.array(self.starts, dtype=np.int64)
            self._array_key = (self.first, len(self.starts))
        return self._array

    def _cover(self, index: int) -> None:
        lo, hi = index // 12 * 12, (index // 12 + 1) * 12  # whole years, and the month after
        if self.starts:
            lo, hi = min(lo, self.first), max(hi, self.first + len(self.starts) - 1)
            if lo == self.first and hi == self.first + len(self.starts) - 1:
                return
        self.first = lo
        self.starts = [self.wall.utc((date(i // 12, i % 12 + 1, 1).toordinal() - _EPOCH_DAY) * _DAY)
                       for i in range(lo, hi + 1)]  # fmt: skip


_EPOCH_DAY = date(1970, 1, 1).toordinal()


# --------------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class TargetStats:
    """One priority's response or resolution targets settled in a month.

    A target settles when its event happens by the deadline (met) or when the deadline passes
    without it (breached); `open` counts targets not settled at the month's end. Targets that are
    not measured (best effort, none stated) count their events in `count` only.
    """

    target: str
    measured: bool
    reason: str | None
    count: int
    met: int | None
    breached: int | None
    open: int
    attainment: Decimal | None
    median: int | None  # business time, microseconds
    p90: int | None


@dataclass(frozen=True)
class PriorityStats:
    priority: str
    title: str | None
    response: TargetStats
    resolution: TargetStats


@dataclass(frozen=True)
class Breach:
    """A missed target: `at` is the event, or the month's end when it had not happened by then
    (`open`); how late is business time on the target's calendar and wall-clock time."""

    ticket: str
    priority: str
    target: str
    service: str | None
    calendar: str
    deadline: datetime
    at: datetime
    late_business: int  # microseconds
    late_wall: int
    open: bool


@dataclass(frozen=True)
class Availability:
    """A service's availability over its measurement period (or the part of it up to the end of
    the month, `complete` False). Minutes are real minutes, as microseconds."""

    service: str
    target: Decimal | None
    frequency: str
    period: str
    complete: bool
    start: datetime
    end: datetime
    period_us: int
    excluded_us: int
    downtime_us: int
    outages: int
    measured: Decimal  # percent, cut (not rounded) to three places
    met: bool | None


@dataclass(frozen=True)
class CreditLine:
    kind: str  # availability | response | resolution
    subject: str  # the service or the priority
    detail: str
    count: int | None
    percent: Decimal | None
    base: Decimal  # the monthly fee a percent is taken of, or the amount per breach
    amount: Decimal


@dataclass(frozen=True)
class Credits:
    lines: list[CreditLine]
    total_before_cap: Decimal
    cap_percent: Decimal | None
    monthly_fee: Decimal | None
    cap: Decimal | None
    owed: Decimal
    capped: bool


@dataclass(frozen=True)
class PeriodReport:
    period: str
    start: date
    end: date  # the last day
    priorities: list[PriorityStats]
    breaches: Sequence[Breach]  # a BreachList: each Breach is made when read
    availability: list[Availability]
    credits: Credits


@dataclass(frozen=True)
class Unusable:
    file: str
    kind: str
    row: int
    reason: str


@dataclass(frozen=True)
class FileRows:
    kind: str
    file: str
    read: int
    used: int
    unusable: int


@dataclass(frozen=True)
class Report:
    agreement_id: str | None
    agreement_title: str
    currency: str | None
    mapping: str
    periods: list[PeriodReport]
    files: list[FileRows]
    unusable: list[Unusable]

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def used(self) -> int:
        return sum(f.used for f in self.files)


# --------------------------------------------------------------------------------- plans


@dataclass(frozen=True, slots=True)
class _Goal:
    """How one target of one priority is measured for tickets of one service."""

    kind: str
    duration: Duration | None  # None: not measured
    reason: str | None
    engine: BusinessCalendar | None
    calendar: str
    label: str
    #: Without pauses a target of minutes only is a position on the calendar's business-time
    #: line `budget` after the start's; day targets (`days`) go through `deadline_us`.
    budget: int = 0
    days: int = 0
    always: bool = False
    measured: bool = False


@dataclass(frozen=True, slots=True)
class _Plan:
    priority: str
    service: str | None
    wall: WallClock  # the ticket's zone: naive times and months
    months: _Months
    goals: tuple[_Goal, _Goal]
    number: int  # its place in `_Run.plan_list`, which breaches refer to
    tallies: tuple[dict[int, _Tally], dict[int, _Tally]]  # per target: month -> tally


class _Unusable(Exception):
    """A row that cannot be used, with the reason."""


class _Tally:
    __slots__ = ("met", "breached", "count", "values")

    def __init__(self) -> None:
        self.met = self.breached = self.count = 0
        self.values = array("q")  # business time of each settled target, microseconds


class _BreachStore:
    """The breaches of one month, kept compact: numbers in arrays, one string per ticket."""

    __slots__ = ("tickets", "plans", "kinds", "deadlines", "ats", "lates", "opens", "seqs", "counts")

    def __init__(self) -> None:
        self.tickets: list[str] = []
        self.plans = array("I")  # _Plan.number
        self.kinds = array("b")  # 0 response, 1 resolution
        self.deadlines = array("q")
        self.ats = array("q")
        self.lates = array("q")  # business time, microseconds
        self.opens = array("b")
        self.seqs = array("q")  # the ticket's row among the usable ones: ties keep the file's order
        self.counts: dict[tuple[str, str], int] = {}  # (kind, priority) -> breaches

    def add(self, tid: str, plan: _Plan, kind: int, deadline: int, at: int, late: int, still_open: bool,
            seq: int) -> None:  # fmt: skip
        self.tickets.append(tid)
        self.plans.append(plan.number)
        self.kinds.append(kind)
        self.deadlines.append(deadline)
        self.ats.append(at)
        self.lates.append(late)
        self.opens.append(still_open)
        self.seqs.append(seq)
        key = (_KINDS[kind], plan.priority)
        self.counts[key] = self.counts.get(key, 0) + 1


class _Batch:
    """Tickets of one plan without status changes, kept to be measured together (`_Run.flush`)."""

    __slots__ = ("tickets", "seqs", "opened", "responded", "resolved")

    def __init__(self) -> None:
        self.tickets: list[str] = []
        self.seqs = array("q")
        self.opened = array("q")
        self.responded = array("q")  # _NONE where there is none
        self.resolved = array("q")


#: Stands for a missing time in a batch (no time is this early).
_NONE = -(2**63)
#: Tickets measured together; a batch takes about 40 bytes a ticket.
BATCH = 32768


class BreachList(Sequence["Breach"]):
    """The breaches of a month in deadline order (ties in the order of the tickets file), each
    made when it is read, so a month with a million breaches costs arrays, not objects."""

    def __init__(self, store: _BreachStore | None = None, plans: Sequence[_Plan] = ()) -> None:
        self._store = store or _BreachStore()
        self._plans = plans
        if len(self._store.deadlines) > 1:
            import numpy as np

            deadlines = np.frombuffer(self._store.deadlines, dtype=np.int64)
            seqs = np.frombuffer(self._store.seqs, dtype=np.int64)
            self._order: Sequence[int] = np.lexsort((self._store.kinds, seqs, deadlines)).tolist()
        else:
            self._order = range(len(self._store.deadlines))

    @property
    def counts(self) -> dict[tuple[str, str], int]:
        """Breaches by (target, priority)."""
        return self._store.counts

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._make(j) for j in self._order[i]]
        return self._make(self._order[i])

    def __iter__(self) -> Iterator[Breach]:
        return (self._make(j) for j in self._order)

    def _make(self, j: int) -> Breach:
        return Breach(*self._fields(j))

    def dicts(self) -> Iterator[dict[str, Any]]:
        """The breaches as JSON-ready dicts, without making a Breach of each (a month may hold
        a great many)."""
        for j in self._order:
            ticket, priority, target, service, calendar, deadline, at, late, wall, still_open = self._fields(j)
            yield {"ticket": ticket, "priority": priority, "target": target, "service": service,
                   "calendar": calendar, "deadline": deadline.isoformat(), "at": at.isoformat(), "open": still_open,
                   "late_business_seconds": _seconds(late), "late_wall_seconds": _seconds(wall)}  # fmt: skip

    def _fields(self, j: int) -> tuple[Any, ...]:
        s = self._store
        plan = self._plans[s.plans[j]]
        goal = plan.goals[s.kinds[j]]
        assert goal.engine is not None
        deadline, at = s.deadlines[j], s.ats[j]
        return (s.tickets[j], plan.priority, goal.kind, plan.service, goal.calendar, goal.engine.from_us(deadline),
                goal.engine.from_us(at), s.lates[j], at - deadline, bool(s.opens[j]))  # fmt: skip


class _Run:
    """The state of one compliance run: plans, tallies, breaches and outages."""

    def __init__(self, agreement: m.Agreement, mapping: Mapping, months: list[int] | None) -> None:
        self.a = agreement
        self.mapping = mapping
        self.times = _Times(mapping)
        self.selected = set(months) if months is not None else None
        self.requested = months
        self.pause = {_norm(s) for s in (agreement.clock.pause if agreement.clock else ())}
        self.plans: dict[tuple[str, str | None], _Plan] = {}
        self.plan_list: list[_Plan] = []
        self.batches: dict[int, _Batch] = {}  # _Plan.number -> tickets waiting to be measured
        self.batch_size = BATCH  # 0: every ticket on its own (the tests compare the two ways)
        self.walls: dict[str | None, tuple[WallClock, _Months, TimeReader]] = {}
        self.zones: dict[WallClock, tuple[WallClock, _Months, TimeReader]] = {}
        #: (priority, target) -> month -> tally; each plan holds its priority's two month maps.
        self.tallies: dict[tuple[str, str], dict[int, _Tally]] = {}
        self.pending: dict[tuple[str, str, int], int] = {}
        self.breaches: dict[int, _BreachStore] = {}
        self.spans: dict[_Months, list[int]] = {}  # [earliest, latest] instant seen in each zone
        self.unusable: list[Unusable] = []
        self.outages: dict[str, list[tuple[int, int, bool]]] = {}
        self.events: dict[str, list[tuple[int, str, str, str]]] = {}
        self.bad_tickets: set[str] = set()
        self.files: list[FileRows] = []
        self.no_first_response = self.no_resolved = False
        self._priority_names: dict[str, str | None] = {}
        self._last_engine: BusinessCalendar | None = None
        self._last_start = self._last_position = 0
        self._service_names: dict[str, str | None] = {}

    # -- names ------------------------------------------------------------------------------

    def priority_name(self, raw: str) -> str | None:
        """The agreement's priority for an export value: mapped, by name or by title, any case."""
        return self._named(self._priority_names, "priorities", raw, self.a.priorities)

    def service_name(self, raw: str) -> str | None:
        """The agreement's service for an export value, the same way."""
        return self._named(self._service_names, "services", raw, self.a.services)

    def _named(self, known: dict[str, str | None], table: str, raw: str,
               items: Sequence[m.Priority | m.Service]) -> str | None:  # fmt: skip
        try:
            return known[raw]
        except KeyError:
            pass
        value = self.mapping.value(table, raw)
        wanted = _norm(value)
        found = next((x.name for x in items
                      if x.name == value or _norm(x.name) == wanted or (x.title and _norm(x.title) == wanted)),
                     None)  # fmt: skip
        known[raw] = found
        return found

    def zone_of(self, service: str | None) -> tuple[WallClock, _Months, TimeReader]:
        """The wall clock, months and time reader of a service's calendar's zone (the agreement's
        first calendar's without a service)."""
        try:
            return self.walls[service]
        except KeyError:
            pass
        cal = self.a.service_calendar(self.a.service(service) if service else None)
        wall = wall_clock(cal.zone if cal else ZoneInfo("UTC"))
        if wall not in self.zones:
            self.zones[wall] = (wall, _Months(wall), self.times.reader(wall))
        found = self.walls[service] = self.zones[wall]
        return found

    def plan(self, priority: str, service: str | None) -> _Plan:
        key = (priority, service)
        plan = self.plans.get(key)
        if plan is None:
            p = self.a.priority(priority)
            assert p is not None
            wall, months, _ = self.zone_of(service)
            goals = (self._goal("response", p.response, service), self._goal("resolution", p.resolution, service))
            tallies = (self.tallies.setdefault((priority, "response"), {}),
                       self.tallies.setdefault((priority, "resolution"), {}))  # fmt: skip
            plan = self.plans[key] = _Plan(priority, service, wall, months, goals, len(self.plan_list), tallies)
            self.plan_list.append(plan)
        return plan

    def _goal(self, kind: str, target: m.Target | None, service: str | None) -> _Goal:
        svc = self.a.service(service) if service else None
        cal = self.a.calendar(target.calendar) if target and target.calendar else self.a.service_calendar(svc)
        name = cal.name if cal else "none"
        engine = BusinessCalendar.of(cal) if cal else None
        missing = self.no_first_response if kind == "response" else self.no_resolved
        if target is None:
            return _Goal(kind, None, "no target", engine, name, "none")
        label = f"{target.duration}" + (f" on {target.calendar}" if target.calendar else "")
        if target.duration is None or target.best_effort:
            label = f"{target.duration} best effort" if target.duration else "best effort"
            return _Goal(kind, None, "best effort", engine, name, label)
        if engine is None:
            return _Goal(kind, None, "the agreement has no calendar", None, name, label)
        if missing:
            what = "first response" if kind == "response" else "resolution"
            return _Goal(kind, None, f"the tickets file has no {what} times", engine, name, label)
        d = target.duration
        budget = (d.total_minutes if engine.always else d.minutes) * _MINUTE
        return _Goal(kind, d, None, engine, name, label, budget, 0 if engine.always else d.total_days, engine.always,
                     True)  # fmt: skip

    def unusable_row(self, table: _Table, row: int, reason: str) -> None:
        self.unusable.append(Unusable(table.path, table.kind, row, reason))

    def touch(self, months: _Months, t: int) -> None:
        span = self.spans.get(months)
        if span is None:
            self.spans[months] = [t, t]
        elif t < span[0]:
            span[0] = t
        elif t > span[1]:
            span[1] = t

    # -- events -----------------------------------------------------------------------------

    def load_events(self, table: _Table) -> None:
        """Keep each event row by ticket id; they are read when their ticket is (whose service
        says in which zone a naive time is)."""
        ix = table.index
        ticket_i, time_i, status_i, prio_i = ix["ticket"], ix["time"], ix["status"], ix["priority"]
        events = self.events
        for row_no, row in table.rows():
            table.read += 1
            reason = table.ragged(row)
            tid = row[ticket_i].strip() if ticket_i is not None and ticket_i < len(row) else ""
            if reason is None and not tid:
                reason = "no ticket id"
            if reason is not None:
                self.unusable_row(table, row_no, reason)
                continue
            status = row[status_i].strip() if status_i is not None else ""
            prio = row[prio_i].strip() if prio_i is not None else ""
            events.setdefault(tid, []).append((row_no, row[time_i] if time_i is not None else "", status, prio))

    def ticket_events(self, tid: str, wall: WallClock, parse: TimeReader, table: _Table | None
                      ) -> tuple[list[tuple[int, int, str, str]], str | None]:  # fmt: skip
        """The usable events of a ticket in time order, as (time, row, status, priority), and the
        last priority they name."""
        rows = self.events.pop(tid, None)
        if not rows or table is None:
            return [], None
        found = []
        for row_no, text, status, prio in rows:
            try:
                t = parse(text) if text.strip() else None
            except ValueError as exc:
                self.unusable_row(table, row_no, f"time: {exc}")
                continue
            if t is None:
                self.unusable_row(table, row_no, "no time")
                continue
            name = None
            if prio:
                name = self.priority_name(prio)
                if name is None:
                    self.unusable_row(table, row_no, f"unknown priority {prio!r}{self._priorities_hint()}")
                    continue
            found.append((t, row_no, status, name or ""))
            table.used += 1
        found.sort()
        final = next((p for _, _, _, p in reversed(found) if p), None)
        return found, final

    def pauses(self, events: list[tuple[int, int, str, str]], resolved: int | None) -> list[tuple[int, int]]:
        """Paused intervals: from a status the agreement's clock names to the next status it does
        not; one still paused ends at the resolution, or never."""
        found: list[tuple[int, int]] = []
        since = None
        for t, _, status, _ in events:
            if not status:
                continue
            paused = self.mapping.value("statuses", status)
            if _norm(paused) in self.pause:
                if since is None:
                    since = t
            elif since is not None:
                found.append((since, t))
                since = None
        if since is not None:
            found.append((since, resolved if resolved is not None and resolved > since else NEVER))
        return found

    def _priorities_hint(self) -> str:
        names = ", ".join(p.name for p in self.a.priorities) or "none"
        return f" (the agreement has {names})"

    # -- tickets ----------------------------------------------------------------------------

    def run_tickets(self, table: _Table, events: _Table | None) -> None:
        """Read the tickets file row by row and settle both targets of each ticket. The loop is
        written out (no generator, no per-field calls) because it runs a million times."""
        ix = table.index
        id_i, prio_i, opened_i = ix["id"], ix["priority"], ix["opened"]
        resp_i, res_i, svc_i = ix["first_response"], ix["resolved"], ix["service"]
        resp_min_i, res_min_i = ix["first_response_minutes"], ix["resolved_minutes"]
        mapped = self.mapping.columns["tickets"]
        self.no_first_response = resp_i is None and resp_min_i is None and mapped.get("first_response") == ()
        self.no_resolved = res_i is None and res_min_i is None and mapped.get("resolved") == ()
        width = table.width
        later = ((resp_i, resp_min_i, "first response"), (res_i, res_min_i, "resolved"))
        by_minutes = (resp_i is None and resp_min_i is not None) or (res_i is None and res_min_i is not None)
        has_events = bool(self.events)
        walls, plans, measure = self.walls, self.plans, self.measure
        batches, batch_size = self.batches, self.batch_size
        names, services = self._priority_names, self._service_names
        reader = table.reader
        line = reader.line_num
        read = used = 0
        collecting = gc.isenabled()
        gc.disable()  # a million short-lived rows hold no cycles; the collector would only walk them
        with table.guard(), _collecting_after(collecting):
            for row in reader:
                row_no, line = line + 1, reader.line_num
                if not row or not any(row):
                    continue
                read += 1
                try:
                    if len(row) != width:
                        raise _Unusable(table.ragged(row))
                    tid = row[id_i].strip()
                    if not tid:
                        raise _Unusable("no ticket id")
                    service = None
                    if svc_i is not None and (raw := row[svc_i]):
                        service = services[raw] if raw in services else self.service_name(raw)
                        if service is None and raw.strip():
                            raise _Unusable(f"unknown service {raw.strip()!r}")
                    wall, months, parse = walls.get(service) or self.zone_of(service)
                    text = row[opened_i]
                    try:
                        opened = parse(text)
                    except ValueError as exc:
                        raise _Unusable(f"opened: {exc}" if text.strip() else "no opened time") from None
                    try:  # the common case; any trouble is sorted out by `_later_times`
                        responded = parse(row[resp_i]) if resp_i is not None and row[resp_i] else None
                        resolved = parse(row[res_i]) if res_i is not None and row[res_i] else None
                    except ValueError:
                        responded, resolved = self._later_times(row, later, opened, parse)
                    if by_minutes:
                        responded, resolved = self._later_times(row, later, opened, parse)
                    if resolved is not None and resolved < opened:
                        raise _Unusable("resolved before opened")
                    if responded is not None and responded < opened:
                        raise _Unusable("first response before opened")
                    raw_priority = row[prio_i]
                    priority = names[raw_priority] if raw_priority in names else self.priority_name(raw_priority)
                    evs: list[tuple[int, int, str, str]] = []
                    if has_events and tid in self.events:
                        evs, final = self.ticket_events(tid, wall, parse, events)
                        if final is not None:
                            priority = final
                    if priority is None:
                        raise _Unusable(f"unknown priority {raw_priority.strip()!r}{self._priorities_hint()}")
                except _Unusable as exc:
                    self.unusable_row(table, row_no, str(exc.args[0]))
                    if id_i < len(row) and row[id_i].strip():
                        self.bad_tickets.add(row[id_i].strip())
                    continue
                used += 1
                plan = plans.get((priority, service)) or self.plan(priority, service)
                if responded is None and resolved is not None:
                    responded = resolved  # a resolution is a response
                if not evs and batch_size:
                    batch = batches.get(plan.number)
                    if batch is None:
                        batch = batches[plan.number] = _Batch()
                    batch.tickets.append(tid)
                    batch.seqs.append(used)
                    batch.opened.append(opened)
                    batch.responded.append(_NONE if responded is None else responded)
                    batch.resolved.append(_NONE if resolved is None else resolved)
                    if len(batch.tickets) >= batch_size:
                        self.flush(plan, batch)
                        del batches[plan.number]
                    continue
                self.touch(months, opened)
                for t in (responded, resolved, evs[-1][0] if evs else None):
                    if t is not None:
                        self.touch(months, t)
                pauses = self.pauses(evs, resolved) if evs else None
                first = months.index(opened)
                measure(tid, plan, 0, opened, first, responded, pauses, used)
                measure(tid, plan, 1, opened, first, resolved, pauses, used)
        for number, batch in list(batches.items()):
            self.flush(self.plan_list[number], batch)
        batches.clear()
        table.read, table.used = read, used

    def _later_times(self, row: list[str], later: tuple[tuple[int | None, int | None, str], ...], opened: int,
                     parse: TimeReader) -> list[int | None]:  # fmt: skip
        """The first response and the resolution of a row, each a time, minutes after the opening,
        or empty; a malformed one makes the row unusable, naming the field."""
        found = []
        for at, minutes_at, what in later:
            value = None
            if at is not None:
                text = row[at]
                if text:
                    try:
                        value = parse(text)
                    except ValueError as exc:
                        if text.strip():
                            raise _Unusable(f"{what}: {exc}") from None
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
            minutes = Decimal(text.replace(",", "."))
        except ArithmeticError:
            raise _Unusable(f"{what}: {text!r} is not a number of minutes") from None
        if not minutes.is_finite() or minutes < 0:
            raise _Unusable(f"{what}: {text!r} is not a number of minutes")
        return opened + int(minutes * _MINUTE)

    def measure(self, tid: str, plan: _Plan, kind: int, opened: int, first: int, event: int | None,
                pauses: list[tuple[int, int]] | None, seq: int) -> None:  # fmt: skip
        """Settle one target of a ticket: met in the month of its event, breached in the month of
        its deadline, or open until then (`pending` counts +1 from the month it opened, -1 from
        the month it settles)."""
        goal = plan.goals[kind]
        engine = goal.engine
        priority, name = plan.priority, goal.kind
        months = plan.months
        p0 = 0
        if not goal.measured:
            met, settled = True, event
        elif pauses:
            deadline = engine.deadline_us(opened, goal.duration, pauses)
            met = event is not None and event <= deadline
            settled = event if met else (None if deadline >= NEVER else deadline)
        elif goal.always:  # real time: a position is the instant itself
            p0 = opened
            deadline = opened + goal.budget
            met = event is not None and event <= deadline
            settled = event if met else deadline
        else:
            if engine is self._last_engine and opened == self._last_start:
                p0 = self._last_position  # the other target of the ticket, on the same calendar
            else:
                p0 = self._last_position = engine.position_us(opened)
                self._last_engine, self._last_start = engine, opened
            if goal.days:
                deadline = engine.deadline_us(opened, goal.duration)
            else:
                deadline = engine.at_position_us(p0 + goal.budget)
            met = event is not None and event <= deadline
            settled = event if met else deadline
        if settled is None:
            key = (priority, name, first)
            self.pending[key] = self.pending.get(key, 0) + 1
            return
        month = first
        starts = months.starts
        i = month - months.first
        if not starts[i] <= settled < starts[i + 1]:
            month = months.index(settled)
            key = (priority, name, first)
            self.pending[key] = self.pending.get(key, 0) + 1
            key = (priority, name, month)
            self.pending[key] = self.pending.get(key, 0) - 1
        if self.selected is not None and month not in self.selected:
            return
        tally = plan.tallies[kind].get(month)
        if tally is None:
            tally = plan.tallies[kind][month] = _Tally()
        tally.count += 1
        if met:
            tally.met += 1
            if event is not None and engine is not None:
                if pauses or not goal.measured:
                    tally.values.append(engine.elapsed_us(opened, event, pauses or ()))
                else:
                    tally.values.append((event if goal.always else engine.position_us(event)) - p0)
            return
        assert engine is not None
        tally.breached += 1
        end = months.start(month + 1)
        still_open = event is None or event >= end
        at = end if still_open else event
        assert at is not None
        if pauses:
            tally.values.append(engine.elapsed_us(opened, at, pauses))
            late = engine.elapsed_us(settled, at, pauses)
        else:
            position = at if goal.always else engine.position_us(at)
            tally.values.append(position - p0)
            late = position - (settled if goal.always else engine.position_us(settled))
        store = self.breaches.get(month)
        if store is None:
            store = self.breaches[month] = _BreachStore()
        store.add(tid, plan, kind, settled, at, late, still_open, seq)

    def flush(self, plan: _Plan, batch: _Batch) -> None:
        """Measure a batch of tickets with numpy: `measure` for many tickets at once (tickets with
        status changes are measured one by one, since their pauses differ)."""
        import numpy as np

        opened = np.frombuffer(batch.opened, dtype=np.int64)
        events = (np.frombuffer(batch.responded, dtype=np.int64), np.frombuffer(batch.resolved, dtype=np.int64))
        months = plan.months
        self.touch(months, int(opened.min()))
        latest = max(int(opened.max()), *(int(e.max()) for e in events))
        self.touch(months, latest)
        first = months.indexes(opened)
        for kind in (0, 1):
            self._settle(plan, kind, batch, opened, first, events[kind])

    def _settle(self, plan: _Plan, kind: int, batch: _Batch, opened: NDArray[np.int64], first: NDArray[np.int64],
                event: NDArray[np.int64]) -> None:  # fmt: skip
        """`measure` of one target for a batch of tickets without pauses."""
        import numpy as np

        goal = plan.goals[kind]
        engine = goal.engine
        months = plan.months
        has = event != _NONE
        p0 = opened if engine is None else engine.positions_us(opened)
        if not goal.measured:
            met, settles = has, has
            deadline = event
        else:
            assert engine is not None and goal.duration is not None
            if goal.days:
                deadline_us, duration = engine.deadline_us, goal.duration
                deadline = np.fromiter((deadline_us(o, duration) for o in opened.tolist()), np.int64, len(opened))
            else:
                deadline = engine.at_positions_us(p0 + goal.budget)
            met = has & (event <= deadline)
            settles = np.ones(len(opened), dtype=bool)
        settled = np.where(met, event, deadline)
        month = np.where(settles, months.indexes(np.where(settles, settled, opened)), first)
        self._pend(plan.priority, goal.kind, first, month, settles)
        chosen = settles if self.selected is None else settles & np.isin(month, list(self.selected))
        rows = np.nonzero(chosen)[0]
        if not len(rows):
            return
        event, has, met, deadline, month, p0 = event[rows], has[rows], met[rows], deadline[rows], month[rows], p0[rows]
        end = months.starts_array()[month - months.first + 1]
        still_open = ~has | (event >= end)
        at = np.where(met, event, np.where(still_open, end, event))  # a breach is measured to `at`
        values = late = at
        if engine is not None:
            position = engine.positions_us(at)
            values = position - p0
            late = position - engine.positions_us(np.where(met, at, deadline))
        tallies = plan.tallies[kind]
        for month_key in np.unique(month).tolist():
            here = month == month_key
            tally = tallies.get(month_key)
            if tally is None:
                tally = tallies[month_key] = _Tally()
            count, good = int(here.sum()), int((here & met).sum())
            tally.count += count
            tally.met += good
            tally.breached += count - good
            if engine is not None:
                tally.values.frombytes(values[here].tobytes())
            missed = np.nonzero(here & ~met)[0].tolist()
            if missed:
                store = self.breaches.get(month_key)
                if store is None:
                    store = self.breaches[month_key] = _BreachStore()
                for j in missed:
                    store.add(batch.tickets[rows[j]], plan, kind, int(deadline[j]), int(at[j]), int(late[j]),
                              bool(still_open[j]), batch.seqs[rows[j]])  # fmt: skip

    def _pend(self, priority: str, kind: str, first: NDArray[np.int64], month: NDArray[np.int64],
              settles: NDArray[np.bool_]) -> None:  # fmt: skip
        """`pending` for a batch: +1 from the month a target opened, -1 from the month it settled."""
        import numpy as np

        pending = self.pending
        moved = settles & (month != first)
        for where, sign in ((first[moved | ~settles], 1), (month[moved], -1)):
            found, counts = np.unique(where, return_counts=True)
            for month_index, n in zip(found.tolist(), counts.tolist()):
                key = (priority, kind, month_index)
                pending[key] = pending.get(key, 0) + sign * n

    # -- outages ----------------------------------------------------------------------------

    def load_outages(self, table: _Table) -> None:
        ix = table.index
        svc_i, start_i, end_i, planned_i = ix["service"], ix["start"], ix["end"], ix["planned"]
        for row_no, row in table.rows():
            table.read += 1
            try:
                if len(row) != table.width:
                    raise _Unusable(table.ragged(row))
                raw = row[svc_i].strip()
                if not raw:
                    raise _Unusable("no service")
                service = self.service_name(raw)
                if service is None:
                    names = ", ".join(s.name for s in self.a.services) or "none"
                    raise _Unusable(f"unknown service {raw!r} (the agreement has {names})")
                wall, months, parse = self.zone_of(service)
                if not row[start_i].strip():
                    raise _Unusable("no start time")
                try:
                    start = parse(row[start_i])
                except ValueError as exc:
                    raise _Unusable(f"start: {exc}") from None
                end = NEVER
                if end_i is not None and row[end_i].strip():
                    try:
                        end = parse(row[end_i])
                    except ValueError as exc:
                        raise _Unusable(f"end: {exc}") from None
                if end < start:
                    raise _Unusable("ends before it starts")
                planned = _yes_no(row[planned_i]) if planned_i is not None else False
            except _Unusable as exc:
                self.unusable_row(table, row_no, str(exc.args[0]))
                continue
            table.used += 1
            self.touch(months, start)
            if end < NEVER:
                self.touch(months, end)
            self.outages.setdefault(service, []).append((start, end, planned))


@contextmanager
def _collecting_after(collecting: bool) -> Iterator[None]:
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _yes_no(text: str) -> bool:
    value = _norm(text)
    if value in ("", "no", "n", "false", "f", "0", "unplanned"):
        return False
    if value in ("yes", "y", "true", "t", "1", "planned", "x"):
        return True
    raise _Unusable(f"planned: {text.strip()!r} is not yes or no")


# --------------------------------------------------------------------------------- availability


def _intersect(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The intersection of two sorted lists of disjoint intervals."""
    found, i, j = [], 0, 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if a < b:
            found.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return found


def _length(intervals: list[tuple[int, int]]) -> int:
    return sum(b - a for a, b in intervals)


def maintenance_windows(agreement: m.Agreement, start: int, end: int) -> list[tuple[int, int]]:
    """The agreement's maintenance windows between two instants, merged, as UTC microseconds.

    A window is wall-clock time on the local dates of its calendar (`on CAL`, else the agreement's
    first calendar); one crossing midnight runs into the next date.
    """
    from .checks import window_on  # the rule of which dates a window falls on, as the checks read it

    found = []
    for mw in agreement.maintenance:
        cal = agreement.calendar(mw.calendar) if mw.calendar else agreement.default_calendar
        wall = wall_clock(cal.zone if cal else ZoneInfo("UTC"))
        first = wall.local(start) // _DAY - 1
        last = wall.local(min(end, _HI)) // _DAY
        span = mw.window
        close = span.end + (1440 if span.end <= span.start else 0)
        for day in range(first, last + 1):
            if window_on(mw, date.fromordinal(day + _EPOCH_DAY)):
                a = wall.utc(day * _DAY + span.start * _MINUTE)
                b = wall.utc(day * _DAY + close * _MINUTE)
                if a < end and b > start:
                    found.append((max(a, start), min(b, end)))
    return merged(found)


def _percent(part: int, whole: int) -> Decimal:
    """part / whole in percent, cut to three places (so 99.8999% shows as 99.899, never 99.900)."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_DOWN)


def measure_availability(agreement: m.Agreement, service: m.Service,
                         outages: Sequence[tuple[int, int, bool]], start: int, end: int
                         ) -> tuple[int, int, int]:  # fmt: skip
    """(period, excluded, downtime) microseconds of a service between two instants.

    Outages are merged (overlapping reports count once) and clipped to the period. Excluded is
    the part of planned outages inside maintenance windows when the target says `excluding
    maintenance`; downtime is every other outage minute (so an unplanned outage during excluded
    time is not counted twice: that time is out of the measurement).
    """
    down = merged([(max(a, start), min(b, end)) for a, b, _ in outages if a < end and b > start])
    excluded: list[tuple[int, int]] = []
    av = service.availability
    if av is not None and av.excluding_maintenance:
        planned = merged([(max(a, start), min(b, end)) for a, b, p in outages if p and a < end and b > start])
        for a, b in planned:
            excluded += maintenance_windows(agreement, a, b)
        excluded = merged(excluded)
    x = _length(excluded)
    return end - start, x, _length(down) - _length(_intersect(down, excluded))


# --------------------------------------------------------------------------------- the run


def comply(
    agreement: m.Agreement,
    tickets: str,
    *,
    events: str | None = None,
    outages: str | None = None,
    mapping: Mapping | None = None,
    period: str | None = None,
) -> Report:
    """Measure the tickets (and status changes and outages) of CSV files against an agreement.

    Raises InputError for a file or mapping that cannot be used at all, and SlaError when the
    agreement's credits cannot be priced; rows that cannot be used are listed in the report.
    """
    from .pricing import monthly_fees

    mapping = mapping or Mapping()
    months = parse_period(period) if period is not None else None
    if agreement.credits and (agreement.credits.tiers or agreement.credits.cap is not None):
        monthly_fees(agreement)  # an agreement whose credits cannot be priced fails before any reading
    run = _Run(agreement, mapping, months)
    tables: list[_Table] = []
    try:
        event_table = _Table(events, "events", mapping) if events else None
        if event_table:
            tables.append(event_table)
            run.load_events(event_table)
        ticket_table = _Table(tickets, "tickets", mapping)
        tables.insert(0, ticket_table)
        run.run_tickets(ticket_table, event_table)
        if event_table:
            for tid, rows in run.events.items():
                reason = (f"its ticket {tid!r} is unusable (see the tickets file)" if tid in run.bad_tickets
                          else f"no ticket {tid!r} in the tickets file")  # fmt: skip
                for row_no, *_ in rows:
                    run.unusable_row(event_table, row_no, reason)
        if outages:
            outage_table = _Table(outages, "outages", mapping)
            tables.append(outage_table)
            run.load_outages(outage_table)
    finally:
        for t in tables:
            t.close()
    order = {t.path: i for i, t in enumerate(tables)}
    unusable = sorted(run.unusable, key=lambda u: (order.get(u.file, 0), u.row))
    files = [FileRows(t.kind, t.path, t.read, t.used, sum(1 for u in unusable if u.file == t.path and u.kind == t.kind))
             for t in tables]  # fmt: skip
    periods = [_period(run, month) for month in _months_to_report(run)]
    return Report(agreement.id, agreement.title, agreement.currency, mapping.name, periods, files, unusable)


def _months_to_report(run: _Run) -> list[int]:
    """The months asked for, or every month from the first to the last the data touches."""
    if run.requested is not None:
        return sorted(set(run.requested))
    touched = [months.index(t) for months, span in run.spans.items() for t in span]
    return list(range(min(touched), max(touched) + 1)) if touched else []


def _period(run: _Run, month: int) -> PeriodReport:
    a = run.a
    priorities = []
    for p in a.priorities:
        stats = []
        for kind in _KINDS:
            goal = run.plan(p.name, None).goals[_KINDS.index(kind)]
            stats.append(_target_stats(run, month, p.name, goal))
        priorities.append(PriorityStats(p.name, p.title, stats[0], stats[1]))
    breaches = BreachList(run.breaches.get(month), run.plan_list)
    availability = _availability(run, month)
    credits = _credits(run, month, availability, breaches)
    year, m0 = divmod(month, 12)
    last = date(year + (m0 == 11), (m0 + 1) % 12 + 1, 1) - timedelta(days=1)
    return PeriodReport(month_label(month), date(year, m0 + 1, 1), last, priorities, breaches, availability, credits)


def _target_stats(run: _Run, month: int, priority: str, goal: _Goal) -> TargetStats:
    """The tallies of a month for one target of a priority, over every service's plan."""
    tally = run.tallies.get((priority, goal.kind), {}).get(month) or _Tally()
    # Targets still open at the month's end: opened in it or before, settled after it (or never).
    pending = sum(n for (p, kind, mo), n in run.pending.items() if p == priority and kind == goal.kind and mo <= month)
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
        target=goal.label, measured=measured, reason=goal.reason, count=count,
        met=tally.met if measured else None, breached=tally.breached if measured else None,
        open=pending, attainment=_percent(tally.met, count) if measured and count else None,
        median=median, p90=p90,
    )  # fmt: skip


def _availability(run: _Run, month: int) -> list[Availability]:
    """Each service with an availability target, or with outages, over its measurement period
    containing the month (complete when the period ends with the month)."""
    found = []
    for service in run.a.services:
        av = service.availability
        outages = run.outages.get(service.name, [])
        if av is None and not outages:
            continue
        wall, months, _ = run.zone_of(service.name)
        frequency = av.frequency if av else "monthly"
        size = {"monthly": 1, "quarterly": 3, "yearly": 12}[frequency]
        first = month - month % size
        complete = month == first + size - 1
        start, end = months.start(first), months.start(month + 1)
        whole, excluded, down = measure_availability(run.a, service, outages, start, end)
        measurable = whole - excluded
        measured = _percent(measurable - down, measurable) if measurable else Decimal("100.000")
        met = None
        if av is not None:
            met = (measurable - down) * 100 >= av.target * measurable
        label = month_label(first) if size == 1 else (
            f"{first // 12}-Q{first % 12 // 3 + 1}" if size == 3 else f"{first // 12}")
        count = sum(1 for a, b, _ in outages if a < end and b > start)
        found.append(Availability(service.name, av.target if av else None, frequency, label, complete,
                                  _aware(start, wall), _aware(end, wall), whole, excluded, down, count,
                                  measured, met))  # fmt: skip
    return found


def _aware(us: int, wall: WallClock) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(wall.zone)


def _credits(run: _Run, month: int, availability: list[Availability], breaches: BreachList) -> Credits:
    from .pricing import monthly_fees
    from .pricing import round_money as _round
    from .reference import minor_digits

    a = run.a
    c = a.credits
    currency = a.currency
    digits = minor_digits(currency) if currency else 2
    zero = _round(Decimal(0), digits)
    if c is None:
        return Credits([], zero, None, None, None, zero, False)
    year, m0 = divmod(month, 12)
    fees: tuple[dict[str, Decimal], Decimal] | None = None

    def fee_table() -> tuple[dict[str, Decimal], Decimal]:
        nonlocal fees
        if fees is None:
            fees = monthly_fees(a, on=date(year, m0 + 1, 1))
        return fees

    lines: list[CreditLine] = []
    for av in availability:
        if not av.complete or av.met is not False:
            continue
        own = [t for t in c.tiers if t.service == av.service]
        tiers = own or [t for t in c.tiers if t.service is None]
        # The lowest tier whose threshold the measured value is below (exactly: not the cut figure).
        below = [t for t in tiers if (av.period_us - av.excluded_us - av.downtime_us) * 100
                 < t.below * (av.period_us - av.excluded_us)]  # fmt: skip
        if not below:
            continue
        tier = min(below, key=lambda t: t.below)
        fee = fee_table()[0].get(av.service, zero)
        amount = _round((fee * tier.credit).scaleb(-2), digits)
        lines.append(CreditLine("availability", av.service,
                                f"{av.measured}% is below {tier.below}%: {tier.credit}% of the monthly fee "
                                f"{fee:,f}", None, tier.credit, fee, amount))  # fmt: skip
    counted = breaches.counts
    for bc in c.breaches:
        n = counted.get((bc.target, bc.priority), 0)
        if not n:
            continue
        each = bc.amount.amount
        amount = _round(each * n, digits)
        lines.append(CreditLine(bc.target, bc.priority, f"{n} missed {bc.priority} {bc.target}"
                                f"{'s' if n != 1 else ''} x {each:,f}", n, None, each, amount))  # fmt: skip
    total = zero
    for line in lines:
        total += line.amount
    cap = monthly = None
    if c.cap is not None:
        monthly = fee_table()[1]
        cap = _round((monthly * c.cap).scaleb(-2), digits)
    owed = min(total, cap) if cap is not None else total
    return Credits(lines, total, c.cap, monthly, cap, owed, cap is not None and total > cap)


# --------------------------------------------------------------------------------- output


def _seconds(us: int | None) -> int | float | None:
    """Microseconds as seconds for JSON: whole seconds as an integer, else to the microsecond."""
    if us is None:
        return None
    whole, rest = divmod(us, _SECOND)
    return whole if not rest else round(us / _SECOND, 6)


def _minutes(us: int) -> int | float:
    whole, rest = divmod(us, _MINUTE)
    return whole if not rest else round(us / _MINUTE, 3)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def to_dict(report: Report) -> dict[str, Any]:
    """JSON-ready data: money and percentages as strings, times as ISO 8601 with offsets,
    durations in seconds and availability in minutes. The shape is in docs/compliance.md."""
    return _report_dict(report, list)


def json_chunks(report: Report, indent: int = 2) -> Iterator[str]:
    """`to_dict` as indented JSON text in pieces, for a report too large to hold as dicts: the
    breaches and unusable rows are made and encoded one at a time, each on a line of its own."""
    import json
    import uuid

    token = uuid.uuid4().hex  # stands for a long list in the skeleton; no input can guess it
    lists: list[_Mapped] = []

    def later(items: _Mapped) -> str:
        lists.append(items)
        return f"{token}:{len(lists) - 1}"

    skeleton = json.dumps(_report_dict(report, later), indent=indent, ensure_ascii=False)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # the fast C encoder: no indent
    at = 0
    for found in re.finditer(f'"{token}:(\\d+)"', skeleton):
        yield skeleton[at : found.start()]
        at = found.end()
        line = skeleton[skeleton.rfind("\n", 0, found.start()) + 1 : found.start()]
        pad = " " * (len(line) - len(line.lstrip(" ")))
        items = lists[int(found[1])]
        total = len(items.source)
        if not total:
            yield "[]"
            continue
        inner = ",\n" + pad + " " * indent
        yield "[\n" + pad + " " * indent
        batch: list[str] = []
        for done, item in enumerate(items, 1):
            batch.append(encode(item))
            if len(batch) == 1000 and done < total:
                yield inner.join(batch) + inner
                batch = []
        yield inner.join(batch) + "\n" + pad + "]"
    yield skeleton[at:]


class _Mapped:
    """A list's items as dicts, made as they are read; it knows its source (and so its length)."""

    def __init__(self, function: Any, source: Sequence[Any]) -> None:
        self.function, self.source = function, source

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.source, BreachList):
            return self.source.dicts()
        return map(self.function, self.source)


def _report_dict(report: Report, sequence: Any) -> dict[str, Any]:
    return {
        "agreement": {"id": report.agreement_id, "title": report.agreement_title},
        "currency": report.currency,
        "mapping": report.mapping,
        "periods": [_period_dict(p, sequence) for p in report.periods],
        "rows": {
            "read": report.read,
            "used": report.used,
            "unusable_count": len(report.unusable),
            "files": [{"kind": f.kind, "file": f.file, "read": f.read, "used": f.used, "unusable": f.unusable}
                      for f in report.files],  # fmt: skip
            "unusable": sequence(_Mapped(_unusable_dict, report.unusable)),
        },
    }


def _unusable_dict(u: Unusable) -> dict[str, Any]:
    return {"file": u.file, "kind": u.kind, "row": u.row, "reason": u.reason}


def _period_dict(p: PeriodReport, sequence: Any) -> dict[str, Any]:
    return {
        "period": p.period,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "priorities": [
            {"priority": s.priority, "title": s.title, "response": _stats_dict(s.response),
             "resolution": _stats_dict(s.resolution)}
            for s in p.priorities
        ],  # fmt: skip
        "breaches": sequence(_Mapped(None, p.breaches)),
        "availability": [
            {"service": av.service, "target": _text(av.target), "frequency": av.frequency,
             "measurement_period": av.period, "complete": av.complete, "start": av.start.isoformat(),
             "end": av.end.isoformat(), "period_minutes": _minutes(av.period_us),
             "excluded_minutes": _minutes(av.excluded_us), "downtime_minutes": _minutes(av.downtime_us),
             "outages": av.outages, "measured": _text(av.measured), "met": av.met}
            for av in p.availability
        ],  # fmt: skip
        "credits": {
            "lines": [
                {"kind": line.kind, "subject": line.subject, "detail": line.detail, "count": line.count,
                 "percent": _text(line.percent), "base": _text(line.base), "amount": _text(line.amount)}
                for line in p.credits.lines
            ],
            "total_before_cap": _text(p.credits.total_before_cap),
            "cap_percent": _text(p.credits.cap_percent),
            "monthly_fee": _text(p.credits.monthly_fee),
            "cap": _text(p.credits.cap),
            "capped": p.credits.capped,
            "owed": _text(p.credits.owed),
        },  # fmt: skip
    }


def _stats_dict(s: TargetStats) -> dict[str, Any]:
    return {
        "target": s.target, "measured": s.measured, "reason": s.reason, "count": s.count, "met": s.met,
        "breached": s.breached, "open": s.open, "attainment": _text(s.attainment),
        "median_seconds": _seconds(s.median), "p90_seconds": _seconds(s.p90),
    }  # fmt: skip


__all__ = [
    "FIELDS", "Availability", "Breach", "CreditLine", "Credits", "FileRows", "InputError", "Mapping",
    "PeriodReport", "PriorityStats", "Report", "TargetStats", "Unusable", "comply", "load_mapping",
    "BreachList", "json_chunks", "maintenance_windows", "measure_availability", "month_label", "parse_period",
    "ready_mappings", "to_dict",
]  # fmt: skip
