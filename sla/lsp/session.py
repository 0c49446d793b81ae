"""The files the language server knows: the editor's open documents (read from its buffers, not
the disk) and every .sla file of the folders it works in; their diagnostics as `sla check` gives
them, and which files import which."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, SlaError
from ..loader import Workspace
from .analysis import SYNTAX_CODES, Analysis

if TYPE_CHECKING:
    from .. import model as m

#: At most this many .sla files of a folder are read to find importers, references and renames.
MAX_FOLDER_FILES = 2000
#: A folder is walked again for its .sla files once its last walk is this old (seconds).
WALK_AGAIN = 5.0
# An import statement as it is written, at the start of a line or after a `;`.
_IMPORT = re.compile(r'(?m)(?:^|;)[ \t]*import[ \t]+("(?:[^"\\\n]|\\.)*")')


def key(path: str | os.PathLike[str]) -> str:
    """A file as the session names it: its absolute path (links not followed)."""
    return os.path.abspath(path)


@dataclass
class Document:
    """An open document: its text (line ends made `\\n`) and version."""

    path: str
    text: str
    version: int | None = None
    _analysis: Analysis | None = field(default=None, repr=False)

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None or self._analysis.text != self.text:
            self._analysis = Analysis(self.path, self.text)
        return self._analysis


class _Buffers(Workspace):
    """The loader's workspace, reading the editor's open documents rather than the disk, each
    as its analysis checks it (mended, when it does not parse as written)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def _read(self, path: Path, text: str | None, plain: bool) -> tuple[m.SlaFile | None, Path | None, bool]:
        if text is None:
            doc = self.session.documents.get(key(path))
            if doc is not None:
                text = doc.analysis.checked_text
        return super()._read(path, text, plain)


class Session:
    """The open documents and the folders they are in."""

    def __init__(self, folders: Iterable[str] = ()) -> None:
        self.folders = [key(f) for f in folders]
        self.documents: dict[str, Document] = {}
        self._disk: dict[str, tuple[tuple[int, int], Analysis]] = {}
        self._imports: dict[str, tuple[tuple[int, int], list[str]]] = {}
        self._walked: dict[str, tuple[float, list[str]]] = {}

    # -- documents ----------------------------------------------------------------------------

    def open(self, path: str, text: str, version: int | None = None) -> Document:
        from ..loader import normalise_newlines

        doc = Document(key(path), normalise_newlines(text), version)
        self.documents[doc.path] = doc
        return doc

    def close(self, path: str) -> None:
        self.documents.pop(key(path), None)

    def analysis(self, path: str) -> Analysis | None:
        """A file's analysis: of its open document, else of the file on disk (None when it
        cannot be read)."""
        doc = self.documents.get(key(path))
        if doc is not None:
            return doc.analysis
        return self._from_disk(key(path))

    def model(self, path: str) -> m.SlaFile | None:
        """A file's model as the loader reads it (mended, when it does not parse), holding the
        calendars it can see; None when it cannot be read or holds a value error."""
        analysis = self.analysis(path)
        if analysis is None:
            return None
        ws = _Buffers(self)
        file = ws.add(key(path), analysis.checked_text)
        return ws.resolve(file) if file is not None else None

    def _from_disk(self, path: str) -> Analysis | None:
        from ..loader import decode, read_source

        try:
            info = os.stat(path)
            stamp = (info.st_mtime_ns, info.st_size)
            cached = self._disk.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            text = decode(read_source(path, plain=True).data, path)
        except (OSError, SlaError):
            return None
        found = Analysis(path, text)
        self._disk[path] = (stamp, found)
        return found

    # -- folders ------------------------------------------------------------------------------

    def folder_files(self, near: str | None = None) -> list[str]:
        """Every .sla file of the folders (`sla.loader.walk`: regular files inside only), the
        open documents, and - without folders - the files beside `near`."""
        from ..loader import walk

        found: dict[str, None] = {}
        folders = self.folders or ([str(Path(near).parent)] if near else [])
        for folder in folders:
            walked = self._walked.get(folder)
            if walked is None or time.monotonic() - walked[0] > WALK_AGAIN:
                files = walk(folder)[0][:MAX_FOLDER_FILES] if os.path.isdir(folder) else []
                walked = self._walked[folder] = (time.monotonic(), [key(f) for f in files])
            found.update(dict.fromkeys(walked[1]))
        found.update(dict.fromkeys(self.documents))
        return list(found)

    def imports_of(self, path: str) -> list[str]:
        """The files a file imports, as written (missing ones too)."""
        found = self.analysis(path)
        if found is None:
            return []
        folder = Path(path).parent
        return [key(folder / n.name) for n in found.index.names if n.kind == "file"]

    def _written_imports(self, path: str) -> list[str]:
        """The files a file imports, found by a glance at its text rather than a parse: enough
        to know which files to check again, and quick for a folder of thousands."""
        doc = self.documents.get(path)
        if doc is not None:
            text = doc.text
        else:
            try:
                info = os.stat(path)
                stamp = (info.st_mtime_ns, info.st_size)
                cached = self._imports.get(path)
                if cached is not None and cached[0] == stamp:
                    return cached[1]
                from ..loader import decode, read_source

                text = decode(read_source(path, plain=True).data, path)
            except (OSError, SlaError):
                return []
        folder = Path(path).parent
        found = []
        for written in _IMPORT.findall(text):
            try:
                found.append(key(folder / json.loads(written)))
            except ValueError:
                continue
        if doc is None:
            self._imports[path] = (stamp, found)
        return found

    def importers(self, path: str) -> list[str]:
        """Every file of the folders and open documents that imports `path`, directly or
        through others, nearest first."""
        files = self.folder_files(near=path)
        target = os.path.realpath(path)
        imported_by: dict[str, list[str]] = {}
        for f in files:
            if f == path:  # what it imports does not say who imports it
                continue
            for imported in self._written_imports(f):
                imported_by.setdefault(os.path.realpath(imported), []).append(f)
        found: list[str] = []
        seen = {target}
        todo = [target]
        while todo:
            for f in imported_by.get(todo.pop(0), []):
                real = os.path.realpath(f)
                if real not in seen:
                    seen.add(real)
                    found.append(f)
                    todo.append(real)
        return found

    # -- diagnostics --------------------------------------------------------------------------

    def diagnose(self, path: str) -> dict[str, list[Diagnostic]]:
        """The diagnostics of a file and of every file it imports, by file, as `sla check PATH`
        gives them, the open documents read from their buffers. When an open document does not
        parse, the checks run on it mended: its first syntax error is the one `sla check`
        gives, and what follows it is still checked."""
        from ..api import check_workspace

        path = key(path)
        doc = self.documents.get(path)
        ws = _Buffers(self)
        ws.add(path, doc.text if doc is not None else None)
        found = check_workspace(ws)
        if doc is not None and path not in ws.files and _broken(found, path):
            analysis = doc.analysis
            if analysis.mended is not None:
                ws = _Buffers(self)
                ws.add(path, analysis.mended.text)
                again = check_workspace(ws)
                found = list(analysis.syntax_errors)
                for d in again:
                    if d.span is not None and key(d.span.file or path) == path:
                        d = Diagnostic(d.code, d.severity, d.message, analysis.original(d.span), d.hint)
                        if analysis.echo(d):
                            continue
                    found.append(d)
        by_file: dict[str, list[Diagnostic]] = {path: []}
        for f in ws.read:
            by_file.setdefault(key(f), [])
        for d in found:
            by_file.setdefault(key(d.span.file) if d.span and d.span.file else path, []).append(d)
        return by_file


def _broken(found: list[Diagnostic], path: str) -> bool:
    return any(
        d.code in SYNTAX_CODES and d.span is not None and key(d.span.file or "") == path for d in found
    )
