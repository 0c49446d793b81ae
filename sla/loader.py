"""Files to models: reading safely, decoding, following imports, and resolving names across them."""

from __future__ import annotations

import errno
import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

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


class Source(NamedTuple):  # not a dataclass, whose making costs every start a third of a millisecond
    """The bytes of a file, and whether a diagnostic may show its lines. A device or a file that
    reads otherwise than its size says (the pseudo-files of /proc and /sys: an environment, a
    command line) holds the machine's data, not an agreement: it is checked, but never quoted."""

    data: bytes
    quotable: bool


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a .sla file (or a FIFO or device named as one), refusing what is too big or
    cannot be read."""
    return read_source(path).data


def read_source(path: str | os.PathLike[str], *, plain: bool = False) -> Source:
    """A file's bytes within the size limit (see `read_bytes`); with `plain`, only a regular
    file is read, never a link at the last step, a FIFO, a device or a pseudo-file (SLA008)."""
    name = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    if plain:  # never wait for a writer, never follow a link swapped in since it was looked at
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(name, flags)
    except IsADirectoryError:
        raise SlaError.one("SLA008", "is a folder, not a file", _file_span(name)) from None
    except FileNotFoundError:
        raise SlaError.one("SLA008", "no such file", _file_span(name), "check the path") from None
    except OSError as exc:
        raise SlaError.one("SLA008", f"cannot read the file: {exc.strerror}", _file_span(name)) from None
    except ValueError:  # a NUL or a lone surrogate in the path: no file has that name
        raise _bad_path(name) from None
    try:
        info = os.fstat(fd)
        regular = stat.S_ISREG(info.st_mode)
        if stat.S_ISDIR(info.st_mode):
            raise SlaError.one("SLA008", "is a folder, not a file", _file_span(name))
        if plain and not regular:
            raise SlaError.one("SLA008", f"is {_kind(info.st_mode)}, not a regular file", _file_span(name))
        if regular and info.st_size > max_bytes():
            raise _too_big(info.st_size, name)  # refused before reading it into memory
        with open(fd, "rb", buffering=0, closefd=False) as fh:
            data = read_stream(fh, name)
    except OSError as exc:
        raise SlaError.one("SLA008", f"cannot read the file: {exc.strerror}", _file_span(name)) from None
    finally:
        os.close(fd)
    honest = len(data) == info.st_size if regular else stat.S_ISFIFO(info.st_mode)
    if plain and not honest:
        raise SlaError.one(
            "SLA008", "is not a regular file: it read otherwise than its size", _file_span(name)
        )
    return Source(data, honest)


def _bad_path(name: str) -> SlaError:
    """SLA008 for a path no file can have: one holding a NUL, or a lone surrogate (`"\\ud800"`)."""
    why = "a NUL character" if "\0" in name else "a character no file name can be written in"
    return SlaError.one("SLA008", f"the path holds {why}", _file_span(name), "check the path")


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    for test, what in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "an unusual kind of file"


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a .sla file, refusing what is too big, unreadable or not UTF-8."""
    return decode(read_bytes(path), str(path))


# ------------------------------------------------------------------------- files reached, not named

#: How deep imports may nest: a chain of imports longer than this is refused (SLA009).
MAX_IMPORT_DEPTH = 100


def reach(path: Path, folder: Path) -> tuple[Path | None, str | None]:
    """Where a file reached rather than named leads (links followed), and what keeps it from
    being read, None when nothing does: "outside" when it leads outside `folder` (resolved),
    "missing", or what it is instead ("a folder", "a loop of links", "a FIFO, not a regular
    file", ...).

    The one rule for the files sla finds for itself, in a folder's walk (`walk`) and by an
    import: only a regular file inside the folder is read, so that a link or a FIFO in someone
    else's folder never makes sla read a file outside it (a secret, /proc/self/environ) or wait
    for ever."""
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (RuntimeError, OSError, ValueError) as exc:  # RuntimeError: a loop of links, until 3.13
        if isinstance(exc, ValueError):
            return None, "a path no file can have"
        if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
            return None, "a loop of links"
        if not isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            return None, f"unreadable ({exc.strerror})"
        try:
            real = path.resolve()
        except ValueError:  # a NUL past the first missing folder
            return None, "a path no file can have"
        except (RuntimeError, OSError):
            return None, "a loop of links"
        return real, "missing" if real.is_relative_to(folder) else "outside"
    if not real.is_relative_to(folder):
        return real, "outside"
    if stat.S_ISREG(info.st_mode):
        return real, None
    return real, "a folder" if stat.S_ISDIR(info.st_mode) else f"{_kind(info.st_mode)}, not a regular file"


def walk(folder: str | os.PathLike[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Every .sla file in a folder and its subfolders, in a stable order, and what was skipped
    with the reason, as (path, reason).

    Subfolders are walked, but a link to a folder is never entered: one inside the folder leads
    to files the walk finds anyway (or to a loop), one outside is skipped. A link to a file is
    followed when it leads to a regular file inside the folder; anything else named *.sla (a link
    outside or to nothing, a loop of links, a FIFO, a device) is skipped (`reach`). An unreadable
    subfolder is skipped too. The walk keeps its own stack, so no depth of folders is too deep."""
    root = Path(folder)
    home = root.resolve()
    found: list[str] = []
    skipped: list[tuple[str, str]] = []
    stack = [str(root)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            skipped.append((current, f"cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            try:
                link = entry.is_symlink()
                if not link and entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
            except OSError as exc:
                skipped.append((entry.path, f"cannot be read ({exc.strerror})"))
                continue
            sla = entry.name.endswith(".sla")
            if not (sla or link):
                continue
            real, problem = reach(Path(entry.path), home)
            if problem is None:
                if sla:
                    found.append(entry.path)
            elif problem == "outside":
                what = "folder" if real is not None and real.is_dir() else "file"
                if sla or what == "folder":
                    skipped.append((entry.path, f"a link to a {what} outside {str(root)!r}"))
            elif problem == "a folder":
                pass  # a link to a folder inside: its files are found where they are
            elif sla:
                skipped.append((entry.path, "a link to nothing" if problem == "missing" else problem))
    return sorted(found), sorted(skipped)


def parse(text: str, path: str | None = None) -> m.SlaFile:
    """One file's model as written: no imports followed, no names resolved, no checks run."""
    from .transform import build

    text = normalise_newlines(text)
    if len(text) > max_bytes():
        decode(text.encode("utf-8"), path)
    with no_collection():  # parsing makes many small objects and no cycles
        return build(text, path)


@contextmanager
def no_collection() -> Iterator[None]:
    """Python's cyclic garbage collector off for a stretch that makes many objects and no cycles
    (parsing, checking, a million rows): a collection would only walk them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _shown(path: Path) -> str:
    """A resolved path as diagnostics name it: relative to the current folder when inside it."""
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


class _Frame:
    """A file whose imports are being followed: what is left of them, and the longest chain of
    imports found below it so far."""

    __slots__ = ("file", "pending", "real", "tallest")

    def __init__(self, file: m.SlaFile, real: Path, pending: Iterator[m.Import]) -> None:
        self.file, self.real, self.pending = file, real, pending
        self.tallest = 0


@dataclass
class Workspace:
    """Every file reached from the roots, parsed once, with the diagnostics met on the way."""

    files: dict[str, m.SlaFile] = field(default_factory=dict)
    #: The text of each file read that a diagnostic may quote: not a device's or a pseudo-file's
    #: (`Source.quotable`), whose lines are the machine's data, not an agreement.
    texts: dict[str, str] = field(default_factory=dict)
    #: Every file read as text, by path, quoted or not.
    read: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The same files by resolved path, so a file imported under two spellings is read once.
    by_real_path: dict[Path, m.SlaFile] = field(default_factory=dict)
    #: What the imports of each file (by path) led to, in order: the files whose calendars it sees.
    imported: dict[str | None, list[m.SlaFile]] = field(default_factory=dict)
    #: The longest chain of imports from each file read (itself counted), by resolved path.
    _heights: dict[Path, int] = field(default_factory=dict, init=False, repr=False)
    #: Files that could not be read or parsed, so that a file imported by many is tried once.
    _failed: set[Path] = field(default_factory=set, init=False, repr=False)

    def add(self, path: str | os.PathLike[str], text: str | None = None) -> m.SlaFile | None:
        """A file named by the user (read as named: a link, a FIFO or a device too) and, depth
        first, every file it imports (regular files inside its folder only: `reach`); None when
        it cannot be read or parsed, with the reason in `diagnostics`."""
        parsed, real, new = self._read(Path(path), text, plain=False)
        if parsed is None or real is None or not new:
            return parsed
        # Our own stack rather than recursion, so that no chain of imports is too long for it.
        stack = [_Frame(parsed, real, iter(parsed.imports))]
        while stack:
            frame = stack[-1]
            imp = next(frame.pending, None)
            if imp is None:
                stack.pop()
                self._heights[frame.real] = height = frame.tallest + 1
                if stack:
                    stack[-1].tallest = max(stack[-1].tallest, height)
                continue
            target = self._follow(frame.file, frame.real, imp, [f.real for f in stack])
            if target is None:
                continue
            child, child_real, new = self._read(target, None, plain=True)
            if child is None or child_real is None:
                continue
            self.imported.setdefault(frame.file.path, []).append(child)
            if new:
                stack.append(_Frame(child, child_real, iter(child.imports)))
            else:
                frame.tallest = max(frame.tallest, self._heights.get(child_real, 0))
        return parsed

    def file(self, path: str | os.PathLike[str]) -> m.SlaFile:
        """A file added before, by the path it was added as (`./a.sla` and `a.sla` are one key)."""
        return self.files[str(Path(path))]

    def _read(self, path: Path, text: str | None, plain: bool) -> tuple[m.SlaFile | None, Path | None, bool]:
        """One file parsed, its resolved path, and whether it is new to the workspace."""
        key = str(path)
        try:
            real = path.resolve()
        except ValueError:
            self.diagnostics.extend(_bad_path(key).diagnostics)
            return None, None, False
        except (RuntimeError, OSError):  # a loop of links (RuntimeError until Python 3.13)
            loop = f"cannot read the file: {os.strerror(errno.ELOOP)}"
            self.diagnostics.append(Diagnostic("SLA008", "error", loop, _file_span(key)))
            return None, None, False
        if real in self.by_real_path:
            return self.by_real_path[real], real, False
        if real in self._failed:
            return None, real, False
        try:
            quotable = True  # text handed over is the caller's own
            if text is None:
                source = read_source(key, plain=plain)
                text, quotable = decode(source.data, key), source.quotable
            self.read.append(key)
            if quotable:
                self.texts[key] = text
            parsed = parse(text, key)
        except SlaError as exc:
            self.diagnostics.extend(exc.diagnostics)
            self._failed.add(real)
            return None, real, False
        self.files[key] = self.by_real_path[real] = parsed
        return parsed, real, True

    def _follow(self, file: m.SlaFile, real: Path, imp: m.Import, chain: list[Path]) -> Path | None:
        """The path to read for an import of `file` (at `real`, imported along `chain`), or None
        after recording why it is not read."""
        key, folder = file.path, real.parent
        target, problem = reach(folder / imp.path, folder)
        if problem == "outside":
            self._error(
                "SLA009",
                f"import {imp.path!r} reaches outside the folder of {key!r}",
                imp.span,
                "keep imported files in the same folder or below it",
            )
        elif target is not None and target in chain:
            names = [*(c.name for c in chain[:-1]), Path(key or "").name, target.name]
            self._error(
                "SLA009", f"import cycle: {' -> '.join(names)}", imp.span, "remove one of the imports"
            )
            self.imported.setdefault(key, []).append(self.by_real_path[target])
        elif problem == "missing" and target is not None:
            self._error(
                "SLA009",
                f"imported file {imp.path!r} does not exist",
                imp.span,
                f"looked for {_shown(target)}",
            )
        elif problem == "a path no file can have":
            why = "holds a NUL character" if "\0" in imp.path else "is a path no file can have"
            self._error("SLA009", f"import {imp.path!r} {why}", imp.span, "check the path")
        elif problem is not None:
            self._error(
                "SLA009",
                f"imported file {imp.path!r} is {problem}",
                imp.span,
                "import a regular .sla file inside the folder",
            )
        elif target is not None and len(chain) + self._heights.get(target, 1) > MAX_IMPORT_DEPTH:
            self._error(
                "SLA009",
                f"imports nest more than {MAX_IMPORT_DEPTH} files deep",
                imp.span,
                "import shared calendars through fewer files",
            )
        elif target is not None:
            return Path(_shown(target))
        return None

    def _error(self, code: str, message: str, span: Span | None, hint: str | None) -> None:
        self.diagnostics.append(Diagnostic(code, "error", message, span, hint))

    def visible_calendars(self, file: m.SlaFile) -> tuple[m.Calendar, ...]:
        """Top-level calendars of a file, then of what it imports (transitively), in order."""
        seen: set[str | None] = set()
        found: list[m.Calendar] = []
        stack = [file]
        while stack:  # depth first, each file once, with our own stack: no chain is too long
            f = stack.pop()
            if f.path in seen:
                continue
            seen.add(f.path)
            found.extend(f.calendars)
            stack.extend(reversed(self._imports_of(f)))
        return tuple(found)

    def _imports_of(self, f: m.SlaFile) -> list[m.SlaFile]:
        """What a file's imports led to: as recorded when it was read, or (for a file from
        elsewhere) looked up among the files read."""
        if f.path in self.imported or f.path in self.files:
            return self.imported.get(f.path, [])
        found = []
        for imp in f.imports:
            try:
                target = (Path(f.path or ".").parent / imp.path).resolve()
            except (RuntimeError, OSError, ValueError):
                continue
            if target in self.by_real_path:
                found.append(self.by_real_path[target])
        return found

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
