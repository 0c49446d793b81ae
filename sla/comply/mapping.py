"""Mappings: which column of a service desk's export holds each field, and how its values translate."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .. import model as m
from ..csvtable import norm
from ..diagnostics import did_you_mean
from ..resources import shipped
from .inputs import FIELDS, InputError

_VALUE_MAPS = ("priorities", "services", "statuses", "kinds", "verdicts")
#: What a desk's own verdict on a target may be translated to (`[verdicts]`).
VERDICTS = ("met", "breached")
_SETTINGS = ("time_format", "timezone", "delimiter", "encoding", "decimal", "missing")
#: How to choose the other decimal mark, for a number refused as ambiguous.
DECIMAL_HINT = {
    ".": 'choose a decimal comma: --map decimal=, (decimal = "," in a mapping file)',
    ",": "drop the decimal comma from the mapping",
}


@dataclass
class Mapping:
    """Which CSV column holds each field, how values translate, and how times are written.

    `columns[kind][field]` is the column names to look for, the first found wins (an empty tuple:
    the export does not have the field). Value maps (`priorities`, `services`, `statuses`,
    `kinds`, `verdicts`) are keyed by the normalised export value; `verdicts` translates the
    desk's own verdict on a target (`response_met`, `resolution_met`) to `met` or `breached`.
    `time_formats` are the strptime formats tried in order after ISO 8601; `timezone` is an IANA
    name (a Windows name in the mapping is stored as the IANA zone CLDR gives for it).
    """

    names: list[str] = field(default_factory=list)
    columns: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=lambda: {k: {} for k in FIELDS})
    values: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in _VALUE_MAPS})
    time_formats: tuple[str, ...] = ()
    timezone: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    decimal: str = (
        "."  # the decimal mark of number cells (sla.csvtable.number); "," makes "." group thousands
    )
    #: Cells that mean "no value" in this export (ServiceNow's `?`, `NULL`, `-`), read as empty.
    missing: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return " + ".join(self.names) if self.names else "default"

    def set(self, key: str, value: str | list[str], source: str) -> None:
        """One `field=column` (or `kind.field=column`, or a setting) from a mapping; a list names
        columns to try in turn."""
        key = key.strip()
        if key == "missing":
            self._missing(value, source)
            return
        if key == "time_format":
            self._time_formats(value, source)
            return
        if key in _SETTINGS and isinstance(value, str):
            self._setting(key, value, source)
            return
        kind, dot, name = key.partition(".")
        if not dot:
            kind, name = next((k for k in FIELDS if key in FIELDS[k]), ""), key
        if kind not in FIELDS or name not in FIELDS[kind]:
            known = [f"{k}.{f}" for k in FIELDS for f in FIELDS[k]] + [f for k in FIELDS for f in FIELDS[k]]
            hint = did_you_mean(key, known + list(_SETTINGS)) or (
                "fields are " + ", ".join(sorted({f for k in FIELDS for f in FIELDS[k]}))
            )
            raise InputError("SLA305", f"{source}: unknown field {key!r}", hint=hint)
        names = [value] if isinstance(value, str) else value
        self.columns[kind][name] = tuple(v.strip() for v in names if v.strip())

    def _missing(self, value: str | list[str], source: str) -> None:
        """Markers of a missing value: a list in a mapping file, or comma-separated after --map."""
        markers = value.split(",") if isinstance(value, str) else value
        if not all(isinstance(v, str) for v in markers):
            raise InputError(
                "SLA305", f'{source}: missing must be a list of markers in quotes, such as ["?"]'
            )
        cleaned = {v.strip() for v in markers if v.strip()}
        if not cleaned:
            raise InputError(
                "SLA305", f"{source}: missing names no marker", hint='such as missing = ["?", "NULL"]'
            )
        self.missing = self.missing | cleaned

    def _time_formats(self, value: str | list[str], source: str) -> None:
        """strptime formats, tried in order after ISO 8601: a list in a mapping file, one format
        after --map (a format may hold commas)."""
        formats = [value] if isinstance(value, str) else value
        if not formats or not all(isinstance(f, str) and f.strip() for f in formats):
            raise InputError(
                "SLA305",
                f"{source}: time_format is a strptime format in quotes, or a list of them",
                hint='such as time_format = ["%d/%b/%y %I:%M %p", "%Y-%m-%d %H:%M"]',
            )
        self.time_formats = tuple(f.strip() for f in formats)

    def _setting(self, key: str, value: str, source: str) -> None:
        if key == "timezone":
            value = zone_name(value, source)
        if key == "decimal" and value not in (".", ","):
            raise InputError("SLA305", f"{source}: the decimal mark is '.' or ',', not {value!r}")
        if key == "delimiter" and len(value.replace("\\t", "\t")) != 1:
            raise InputError("SLA305", f"{source}: the delimiter must be one character, not {value!r}")
        if key == "encoding":
            import codecs

            try:
                codecs.lookup(value)
            except LookupError:
                raise InputError(
                    "SLA305", f"{source}: unknown encoding {value!r}", hint="such as utf-8, cp1252 or latin-1"
                ) from None
        setattr(self, key, value.replace("\\t", "\t") if key == "delimiter" else value)

    def value(self, table: str, raw: str) -> str:
        """An export value translated by a value map (or as it is)."""
        return self.values[table].get(norm(raw), raw.strip())


def ready_mappings() -> dict[str, str]:
    """The mappings shipped with sla, by name, each with its title."""
    found = {}
    for entry in shipped("mappings").iterdir():
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
            for pair in _PAIRS.split(spec):
                key, eq, column = pair.partition("=")
                if not eq:
                    raise InputError(
                        "SLA305",
                        f"--map: {pair!r} is not FIELD=COLUMN",
                        hint="such as --map opened=Created,priority=Priority",
                    )
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
        text = shipped("mappings", f"{spec}.toml").read_text(encoding="utf-8")
        _apply(mapping, tomllib.loads(text), spec)
        mapping.names.append(spec)
    return mapping


#: Pairs are separated by a comma that a `NAME=` follows, so `decimal=,` and `delimiter=,` are values.
_PAIRS = re.compile(r",(?=\s*[A-Za-z_][\w.]*\s*=)")
#: Settings a mapping file may give as a list.
_LISTS = ("missing", "time_format")


def zone_name(value: str, source: str) -> str:
    """The IANA zone a mapping's `timezone` names: an IANA name as it is, or a Windows name
    (`Eastern Standard Time`, as HaloPSA and Windows exports write zones) as CLDR's windowsZones
    table gives it (through Babel, loaded only for a name that is not an IANA zone)."""
    name = value.strip()
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    windows = _windows_zones()
    found = windows.get(name) or {k.lower(): v for k, v in windows.items()}.get(name.lower())
    if found:
        return found
    # a long name is no slip of the pen, and comparing it with every zone would take long
    hint = did_you_mean(name, sorted(available_timezones()) + sorted(windows)) if len(name) <= 64 else None
    raise InputError("SLA305", f"{source}: unknown time zone {value!r}", hint=hint or _ZONE_HINT)


_ZONE_HINT = (
    "use an IANA name such as Europe/Berlin or UTC, or a Windows name such as W. Europe Standard Time"
)


def _windows_zones() -> dict[str, str]:
    """CLDR's Windows zone names with the IANA zone of each (its territory "001" entry)."""
    from babel.core import get_global

    return dict(get_global("windows_zone_mapping"))


def _verdict(raw: str, name: str, source: str) -> str:
    """`met` or `breached`, the words a `[verdicts]` table translates a desk's verdict to."""
    word = name.strip().lower()
    if word not in VERDICTS:
        raise InputError(
            "SLA305",
            f'{source}: [verdicts] {raw!r} must map to "met" or "breached", not {name!r}',
            hint=did_you_mean(word, VERDICTS) or 'such as "Within SLA" = "met", "SLA Violated" = "breached"',
        )
    return word


def _apply(mapping: Mapping, data: dict[str, Any], source: str) -> None:
    for key, value in data.items():
        if key in ("name", "description"):
            continue
        if key in _SETTINGS and (isinstance(value, str) or key in _LISTS and isinstance(value, list)):
            mapping.set(key, value, source)
        elif key in FIELDS and isinstance(value, dict):
            for name, column in value.items():
                if not (
                    isinstance(column, str)
                    or isinstance(column, list)
                    and all(isinstance(c, str) for c in column)
                ):
                    raise InputError(
                        "SLA305",
                        f"{source}: [{key}] {name} must be a column name in quotes, or a list of them",
                    )
                mapping.set(f"{key}.{name}", column, source)
        elif key in _VALUE_MAPS and isinstance(value, dict):
            for raw, name in value.items():
                if not isinstance(name, str):
                    raise InputError("SLA305", f"{source}: [{key}] {raw!r} must map to a name in quotes")
                if key == "verdicts":
                    name = _verdict(raw, name, source)
                mapping.values[key][norm(raw)] = name
        else:
            allowed = ["name", "description", *_SETTINGS, *(f"[{k}]" for k in (*FIELDS, *_VALUE_MAPS))]
            raise InputError(
                "SLA305", f"{source}: unexpected {key!r}", hint="a mapping holds " + ", ".join(allowed)
            )


class Names:
    """The agreement's priority and service for each export value (mapped, by name or by title,
    any case), remembered: a million tickets name a handful of them."""

    def __init__(self, agreement: m.Agreement, mapping: Mapping) -> None:
        self.agreement, self.mapping = agreement, mapping
        self.priorities: dict[str, str | None] = {}  # export value -> priority name (None: unknown)
        self.services: dict[str, str | None] = {}

    def priority(self, raw: str) -> str | None:
        return self._named(self.priorities, "priorities", raw, self.agreement.priorities)

    def service(self, raw: str) -> str | None:
        return self._named(self.services, "services", raw, self.agreement.services)

    def priorities_hint(self) -> str:
        names = ", ".join(p.name for p in self.agreement.priorities) or "none"
        return f" (the agreement has {names})"

    def _named(
        self, known: dict[str, str | None], table: str, raw: str, items: Sequence[m.Priority | m.Service]
    ) -> str | None:
        try:
            return known[raw]
        except KeyError:
            pass
        value = self.mapping.value(table, raw)
        wanted = norm(value)
        found = next(
            (
                x.name
                for x in items
                if x.name == value or norm(x.name) == wanted or (x.title and norm(x.title) == wanted)
            ),
            None,
        )
        known[raw] = found
        return found


__all__ = ["VERDICTS", "Mapping", "Names", "load_mapping", "ready_mappings", "zone_name"]
