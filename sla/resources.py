"""Where sla finds what it ships (the grammar, templates, mappings, starters) and where it may
keep a cache: the one module that knows either."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A source checkout (the package beside grammar/ and pyproject.toml); never an installed
# package's neighbours in site-packages.
_SOURCE = _PACKAGE.parent if (_PACKAGE.parent / "pyproject.toml").is_file() else _PACKAGE / "_data"


def shipped(*parts: str) -> Path:
    """A file or folder that ships with sla: inside an installed wheel the build puts the
    repository's `grammar/` and `renderers/` under `sla/_data/`; from a source checkout they are
    read where they are; `mappings/` and `starters/` live inside the package either way."""
    for base in (_PACKAGE / "_data", _PACKAGE, _SOURCE):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return _PACKAGE.joinpath(*parts)  # absent: the caller's error names the expected place


def cache_folder() -> Path:
    """`$XDG_CACHE_HOME/sla`, by default `~/.cache/sla`; it may not exist or be writable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sla"


__all__ = ["cache_folder", "shipped"]
