"""Names across files: what a calendar, service, priority, role or import at a position stands
for, every place that names the same thing, and renaming it in every file of the folder.

A name is looked up where the loader looks it up. A service, priority or role is the
agreement's own. A calendar is the document's own, else one at the top of the file, else one
of the files it imports, depth first in the order of the imports (`Workspace.visible_calendars`),
so that renaming a shared calendar renames it in each file that imports it - and not in a file
that has a calendar of that name of its own.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Span
from .session import Session, key
from .symbols import Name

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_WORDS = {"calendar": "calendar", "service": "service", "priority": "priority", "role": "role"}


@dataclass(frozen=True)
class Place:
    """A name written in a file."""

    path: str
    name: Name


class RenameError(ValueError):
    """A rename that cannot be made, in words for the user."""


def name_at(session: Session, path: str, line: int, column: int) -> Place | None:
    analysis = session.analysis(path)
    found = analysis.index.at(line, column) if analysis else None
    return Place(key(path), found) if found else None


def definition(session: Session, place: Place) -> Place | None:
    """The definition a name stands for (itself, for a definition); for an import, the first
    line of the file imported. None when nothing defines it."""
    name = place.name
    if name.defines:
        return place
    if name.kind == "file":
        target = key(Path(place.path).parent / name.name)
        if not os.path.isfile(target):
            return None
        start = Span(file=target, line=1, column=1, end_line=1, end_column=1)
        return Place(target, Name("file", name.name, start, True, None))
    analysis = session.analysis(place.path)
    if analysis is None:
        return None
    names = analysis.index.names
    own = _defined(names, name.kind, name.name, name.document)
    if own is not None:
        return Place(place.path, own)
    if name.kind != "calendar":
        return None
    if name.document is not None:
        top = _defined(names, "calendar", name.name, None)
        if top is not None:
            return Place(place.path, top)
    for imported in imported_files(session, place.path):
        found = session.analysis(imported)
        top = _defined(found.index.names, "calendar", name.name, None) if found else None
        if top is not None:
            return Place(imported, top)
    return None


def references(session: Session, place: Place, include_definition: bool = True) -> list[Place]:
    """Every place naming what the name at `place` stands for, in the file and, for what other
    files can see (a calendar at the top of a file, an imported file), in the folder's files."""
    target = definition(session, place)
    if target is None:
        return [place]
    if target.name.kind == "file":
        real = os.path.realpath(target.path)
        found = [
            Place(f, n)
            for f in session.folder_files(near=place.path)
            for n in _names(session, f)
            if n.kind == "file" and os.path.realpath(Path(f).parent / n.name) == real
        ]
        return found
    if target.name.document is not None:
        files = [target.path]
    else:
        files = [target.path] + [f for f in session.folder_files(near=target.path) if f != target.path]
    found = []
    for f in files:
        for n in _names(session, f):
            if n.kind != target.name.kind or n.name != target.name.name:
                continue
            if n.defines and not include_definition:
                continue
            here = Place(f, n)
            if here == target or not n.defines and definition(session, here) == target:
                found.append(here)
    return found


def rename(session: Session, place: Place, new: str) -> dict[str, list[tuple[Span, str]]]:
    """The edits, by file, that rename what the name at `place` stands for to `new`; raises
    RenameError when it cannot be renamed or not to that."""
    target = prepare(session, place)
    if not _NAME.fullmatch(new):
        raise RenameError(f"{new!r} is not a name: use letters, digits, '_' and '-', starting with a letter")
    if new == target.name.name:
        return {}
    clash = _clash(session, target, new)
    if clash is not None:
        raise RenameError(clash)
    edits: dict[str, list[tuple[Span, str]]] = {}
    for found in references(session, target):
        edits.setdefault(found.path, []).append((found.name.span, new))
    for path, changes in edits.items():
        _still_parses(session, path, changes, new)
    return edits


def prepare(session: Session, place: Place) -> Place:
    """The definition a rename at `place` would rename; raises RenameError when there is none."""
    if place.name.kind == "file":
        raise RenameError("an import names a file: rename the file, then the import")
    target = definition(session, place)
    if target is None:
        raise RenameError(f"no {_WORDS[place.name.kind]} {place.name.name!r} is defined to rename")
    return target


def _clash(session: Session, target: Place, new: str) -> str | None:
    """Why `new` cannot be the name: something of that kind already has it where the
    definition is seen."""
    kind, word = target.name.kind, _WORDS[target.name.kind]
    seen = definition(
        session, Place(target.path, Name(kind, new, target.name.span, False, target.name.document))
    )
    if seen is not None:
        where = "" if seen.path == target.path else f" in {os.path.basename(seen.path)}"
        return f"a {word} named {new!r} is already defined{where}"
    return None


def _still_parses(session: Session, path: str, changes: list[tuple[Span, str]], new: str) -> None:
    """Refuse a new name that a file would read as a keyword where it is written."""
    from ..diagnostics import SlaError
    from ..parser import parse_tree

    analysis = session.analysis(path)
    if analysis is None or analysis.mended is not None or analysis.tree is None:
        return  # a file that does not parse as written is renamed as well as it can be
    lines = analysis.text.split("\n")
    for span, text in sorted(changes, key=lambda c: (c[0].line, c[0].column), reverse=True):
        line = lines[span.line - 1]
        lines[span.line - 1] = line[: span.column - 1] + text + line[span.end_column - 1 :]
    try:
        parse_tree("\n".join(lines), path)
    except SlaError:
        raise RenameError(
            f"{new!r} cannot be a name there: it would be read as a word of the language"
        ) from None


def _defined(names: list[Name], kind: str, name: str, document: int | None) -> Name | None:
    return next(
        (n for n in names if n.defines and n.kind == kind and n.name == name and n.document == document), None
    )


def _names(session: Session, path: str) -> list[Name]:
    analysis = session.analysis(path)
    return analysis.index.names if analysis else []


def imported_files(session: Session, path: str) -> list[str]:
    """The files a file imports, transitively, depth first in the order of its imports, each
    once (`Workspace.visible_calendars`)."""
    found: list[str] = []
    seen = {os.path.realpath(path)}
    stack = list(reversed(session.imports_of(path)))
    while stack:
        f = stack.pop()
        real = os.path.realpath(f)
        if real in seen or not os.path.isfile(f) and key(f) not in session.documents:
            continue
        seen.add(real)
        found.append(f)
        stack.extend(reversed(session.imports_of(f)))
    return found
