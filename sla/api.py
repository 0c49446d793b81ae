"""The public API: load, parse and check agreements; dump them as JSON, YAML or .sla text."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, Literal

from . import codes
from . import model as m
from .codes import diagnostic
from .diagnostics import Diagnostic, SlaError, sort_key
from .loader import Workspace, parse


def check_workspace(ws: Workspace) -> list[Diagnostic]:
    from .checks import check_calendars, check_document

    found = list(ws.diagnostics)
    for path, file in ws.files.items():
        found += check_calendars(file.calendars)
        resolved = ws.resolve(file)
        for doc in resolved.documents:
            found += check_document(doc, home=path)
            if isinstance(doc, m.Requirements):
                own = tuple(c for c in doc.calendars if c.span and c.span.file == path)
                found += check_calendars(own)
        if not (file.documents or file.calendars or file.imports):
            found.append(diagnostic("SLA131", "the file holds no agreement, profile, requirements or "
                                    "calendar", file.span, "run `sla init` for a starter agreement"))  # fmt: skip
    unique = {(d.code, d.message, d.span): d for d in found}
    return sorted(unique.values(), key=sort_key)


def check(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Diagnostic]:
    """Every diagnostic for the given files and what they import; never raises for bad input."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ws = Workspace()
    for path in paths:
        ws.add(path)
    return check_workspace(ws)


def check_text(text: str, path: str | None = None) -> list[Diagnostic]:
    ws = Workspace()
    ws.add(path or "<string>", text)
    return check_workspace(ws)


def _load(ws: Workspace, key: str) -> m.SlaFile:
    diagnostics = check_workspace(ws)
    if any(d.is_error for d in diagnostics):
        raise SlaError(diagnostics)
    return ws.resolve(ws.files[key])


def load(path: str | os.PathLike[str]) -> m.SlaFile:
    """Load a .sla file and what it imports, resolve shared calendars, and check everything;
    raises SlaError with every diagnostic when there is an error."""
    ws = Workspace()
    ws.add(path)
    return _load(ws, str(path))


def loads(text: str, path: str | None = None) -> m.SlaFile:
    """Like load, from text (imports are relative to `path`, else to the current folder)."""
    ws = Workspace()
    key = path or "<string>"
    ws.add(key, text)
    return _load(ws, key)


def dump_data(file: m.SlaFile, *, spans: bool = False) -> dict[str, Any]:
    return file.model_dump(mode="json", context={"spans": spans})


def dumps(file: m.SlaFile, to: Literal["json", "yaml", "sla"] = "json", *, spans: bool = False) -> str:
    """The model as JSON (money as strings, durations as "1h30m"), YAML of the same data, or
    .sla text in the canonical layout (`sla.writer.write`; `spans` is for JSON and YAML only)."""
    if to == "sla":
        from .writer import write

        return write(file)
    if to == "yaml":
        import yaml

        return str(yaml.safe_dump(dump_data(file, spans=spans), sort_keys=False, allow_unicode=True))
    from .jsonout import to_json

    return to_json(dump_data(file, spans=spans))


def loads_json(text: str) -> m.SlaFile:
    """A model back from `dumps(..., to="json")`; raises SlaError if the JSON is not one."""
    from pydantic import ValidationError

    try:
        return m.SlaFile.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise codes.error("SLA020", f"not an sla model: {first['msg']} at {where or 'the top'}") from None


__all__ = ["check", "check_text", "check_workspace", "dump_data", "dumps", "load", "loads", "loads_json", "parse"]
