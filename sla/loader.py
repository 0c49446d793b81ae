"""Files to models: reading safely, decoding, following imports, and resolving names across them."""

from __future__ import annotations

import gc
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import model as m
from .diagnostics import Diagnostic, SlaError, Span

#: Files above this size are refused before parsing (override with SLA_MAX_BYTES).
MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 1024 * 1024


def max_bytes() -> int:
    try:
        return int(os.environ.get("SLA_MAX_BYTES", MAX_BYTES))
    except ValueError:
        return MAX_BYTES


def _file_span(path: str | None, line: int = 1, column: int = 1) -> Span:
    return Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MiB".replace(".0 MiB", " MiB") if n >= 1_048_576 else f"{n:,} bytes"


def _too_big(size: int | None, path: str | None) -> SlaError:
    """SLA006; `size` None for a stream, a FIFO or a device, whose end was never reached."""
    said = f"the file is {_size(size)}, over" if size is not None else "the file is over"
    return SlaError.one(
        "SLA006",
        f"{said} the {_size(max_bytes())} limit",
        _file_span(path),
        "split it into files that import each other, or raise the limit with SLA_MAX_BYTES",
    )


def decode(data: bytes, path: str | None = None) -> str:
    """UTF-8 text with a BOM dropped and line ends made `\\n`; refuses other encodings."""
    if len(data) > max_bytes():
        raise _too_big(len(data), path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise SlaError.one(
            "SLA007",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            _file_span(path, line, column),
            "save the file as UTF-8",
        ) from None
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_stream(stream: BinaryIO, name: str = "<stdin>") -> bytes:
    """The bytes of an open binary stream (standard input, a pipe, a device, a file), reading
    at most one byte more than the limit: a larger stream is refused with SLA006 as soon as it
    passes the limit, whatever its size was said to be (/dev/zero and /proc files say 0)."""
    limit = max_bytes()
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        # Chunks, not read(limit + 1): a pipe gives a little at a time, and each read would
        # reserve the whole limit again.
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise _too_big(None, name)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a .sla file (or a FIFO or device named as one), refusing what is too big or
    cannot be read."""
    name = str(path)
    try:
        with open(name, "rb", buffering=0) as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes():
                raise _too_big(info.st_size, name)  # refused before reading it into memory
            return read_stream(fh, name)
    except IsADirectoryError:
        raise SlaError.one("SLA008", "is a folder, not a file", _file_span(name)) from None
    except FileNotFoundError:
        raise SlaError.one("SLA008", "no such file", _file_span(name), "check the path") from None
    except OSError as exc:
        raise SlaError.one("SLA008", f"cannot read the file: {exc.strerror}", _file_span(name)) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a .sla file, refusing what is too big, unreadable or not UTF-8."""
    return decode(read_bytes(path), str(path))


def parse(text: str, path: str | None = None) -> m.SlaFile:
    """One file's model as written: no imports followed, no names resolved, no checks run."""
    from .parser import parse_tree
    from .transform import build

    text = normalise_newlines(text)
    if len(text) > max_bytes():
        decode(text.encode("utf-8"), path)
    # Parsing makes many small objects and no cycles: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return build(parse_tree(text, path), path)
    finally:
        if collecting:
            gc.enable()


@dataclass
class Workspace:
    """Every file reached from the roots, parsed once, with the diagnostics met on the way."""

    files: dict[str, m.SlaFile] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The same files by resolved path, so a file imported under two spellings is read once.
    by_real_path: dict[Path, m.SlaFile] = field(default_factory=dict)

    def add(self, path: str | os.PathLike[str], text: str | None = None) -> m.SlaFile | None:
        return self._add(Path(path), text, ())

    def file(self, path: str | os.PathLike[str]) -> m.SlaFile:
        """A file added before, by the path it was added as (`./a.sla` and `a.sla` are one key)."""
        return self.files[str(Path(path))]

    def _add(self, path: Path, text: str | None, chain: tuple[str, ...]) -> m.SlaFile | None:
        key, real = str(path), path.resolve()
        if real in self.by_real_path:
            return self.by_real_path[real]
        try:
            if text is None:
                text = read_text(key)
            self.texts[key] = text
            parsed = parse(text, key)
        except SlaError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None
        self.files[key] = self.by_real_path[real] = parsed
        folder = real.parent
        for imp in parsed.imports:
            target = (folder / imp.path).resolve()
            shown = os.path.relpath(target) if target.is_relative_to(Path.cwd()) else str(target)
            if not target.is_relative_to(folder):
                self._error(
                    "SLA009",
                    f"import {imp.path!r} reaches outside the folder of {key!r}",
                    imp.span,
                    "keep imported files in the same folder or below it",
                )
            elif str(target) in chain or target == real:
                cycle = " -> ".join([*(os.path.basename(c) for c in chain), path.name, target.name])
                self._error("SLA009", f"import cycle: {cycle}", imp.span, "remove one of the imports")
            elif not target.is_file():
                self._error(
                    "SLA009", f"imported file {imp.path!r} does not exist", imp.span, f"looked for {shown}"
                )
            else:
                self._add(Path(shown), None, (*chain, str(real)))
        return parsed

    def _error(self, code: str, message: str, span: Span | None, hint: str | None) -> None:
        self.diagnostics.append(Diagnostic(code, "error", message, span, hint))

    def visible_calendars(self, file: m.SlaFile) -> tuple[m.Calendar, ...]:
        """Top-level calendars of a file, then of what it imports (transitively), in order."""
        seen: set[str] = set()
        found: list[m.Calendar] = []

        def visit(f: m.SlaFile) -> None:
            if f.path in seen:
                return
            seen.add(f.path or "")
            found.extend(f.calendars)
            for imp in f.imports:
                target = self._imported(f, imp)
                if target is not None:
                    visit(target)

        visit(file)
        return tuple(found)

    def _imported(self, f: m.SlaFile, imp: m.Import) -> m.SlaFile | None:
        folder = Path(f.path or ".").parent.resolve()
        return self.by_real_path.get((folder / imp.path).resolve())

    def resolve(self, file: m.SlaFile) -> m.SlaFile:
        """The file with every agreement and requirements document also holding the calendars
        it can see: its own first, then the file's top-level ones, then imported ones."""
        shared = self.visible_calendars(file)
        if not shared:
            return file
        documents = tuple(
            d if isinstance(d, m.Profile) else d.model_copy(update={"calendars": d.calendars + shared})
            for d in file.documents
        )
        return file.model_copy(update={"documents": documents})
