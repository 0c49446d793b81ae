"""Where sla finds what it ships (the grammar, parse tables, templates, mappings, starters) and
where it may keep a cache, and how such a file is read: the one module that knows either."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A source checkout (the package beside grammar/ and pyproject.toml); never an installed
# package's neighbours in site-packages.
_SOURCE = _PACKAGE.parent if (_PACKAGE.parent / "pyproject.toml").is_file() else _PACKAGE / "_data"

# Never follow a link at the last step (a cache entry pointing at /proc or a secret) and never
# wait for a writer (a FIFO opened for reading blocks until one comes); both are refused below.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def shipped(*parts: str) -> Path:
    """A file or folder that ships with sla: inside an installed wheel the build puts the
    repository's `grammar/` and `renderers/` under `sla/_data/`; from a source checkout they are
    read where they are; `mappings/`, `starters/` and the parse tables live inside the package
    either way."""
    for base in (_PACKAGE / "_data", _PACKAGE, _SOURCE):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return _PACKAGE.joinpath(*parts)  # absent: the caller's error names the expected place


def cache_folder() -> Path:
    """`$XDG_CACHE_HOME/sla`, by default `~/.cache/sla`; it may not exist or be writable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sla"


def read_plain_file(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, or None for anything else: a missing
    or unreadable file, a symlink, a FIFO, a device, a folder, or a larger file. Opening never
    waits and reading stops after `limit + 1` bytes, whatever the file claims its size is.

    For caches and data files: what comes back is still only bytes, to be checked before use."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return None if left <= 0 else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


__all__ = ["cache_folder", "read_plain_file", "shipped"]


def generated_file_main(argv: list[str], module: str, target: Path, make: Callable[[], str]) -> int:
    """`python -m MODULE --regenerate` writes a shipped file generated from its sources (`make`);
    `--check` says whether the shipped one is current (exit 1 when it is stale)."""
    if argv not in (["--regenerate"], ["--check"]):
        print(f"usage: python -m {module} --regenerate | --check", file=sys.stderr)
        return 2
    text = make()
    if argv == ["--check"]:
        current = target.is_file() and target.read_text(encoding="utf-8") == text
        print(f"{target}: {'current' if current else f'stale: run python -m {module} --regenerate'}")
        return 0 if current else 1
    from .files import write_atomic

    write_atomic(target, text)
    print(f"wrote {target}")
    return 0
