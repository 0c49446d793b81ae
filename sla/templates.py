"""Jinja environments for every template sla renders: sandboxed, strict about undefined names, escaping where asked."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import BaseLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment


def renderers_path() -> Path:
    """The templates shipped inside the package, or the repository's when running from source.

    The wheel carries the repository's `renderers/` as `sla/_data/renderers` (pyproject.toml's
    force-include), so an installed sla finds them beside its modules.
    """
    from .resources import shipped

    return shipped("renderers")


def environment(
    source: str | os.PathLike[str] | BaseLoader,
    *,
    autoescape: bool = False,
    finalize: Callable[[Any], Any] | None = None,
    keep_trailing_newline: bool = True,
) -> ImmutableSandboxedEnvironment:
    """An environment over a folder of templates (or a loader of one, for a loader that checks
    what it loads).

    Templates run in Jinja's immutable sandbox: they cannot reach Python internals or change the
    values they are given, so a template written by a user is as safe as ours. An undefined name
    is an error, not an empty string. Values are HTML-escaped when `autoescape` is true, and
    passed through `finalize` (a format's own escaping) when given. Block tags leave no blank
    lines (`trim_blocks`, `lstrip_blocks`).
    """
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loader = FileSystemLoader(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else source
    return ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )


__all__ = ["environment", "renderers_path"]
