"""sla: service level agreements as text that can be checked, priced, clocked and rendered.

The public surface is small: `load`, `loads`, `parse`, `check`, `dumps`, `loads_json` and
`render`; one function for each job of the command line, taking models or the paths of .sla
files and returning a result whose `to_dict()` is what the command prints with --json:
`price`, `bill`, `estimate`, `compare`, `comply`, `evaluate` and `diff`; the model classes in
`sla.model`; and one exception, `SlaError`, carrying `Diagnostic`s. The stages themselves live
in `sla.pricing`, `sla.billing`, `sla.costs`, `sla.clock`, `sla.comply` and their neighbours.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, SlaError, Span

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import (
        bill,
        check,
        check_text,
        compare,
        comply,
        diff,
        dumps,
        estimate,
        evaluate,
        load,
        loads,
        loads_json,
        parse,
        price,
    )
    from .render import render

__all__ = [
    "Diagnostic",
    "SlaError",
    "Span",
    "__version__",
    "bill",
    "check",
    "check_text",
    "compare",
    "comply",
    "diff",
    "dumps",
    "estimate",
    "evaluate",
    "load",
    "loads",
    "loads_json",
    "parse",
    "price",
    "render",
]

#: What `__getattr__` finds in sla.api: the functions of __all__ but render.
_API = frozenset(__all__) - {"Diagnostic", "SlaError", "Span", "__version__", "render"}
#: Jobs named like the module that does them: `sla.compare` is both.
_MODULE_JOBS = {"compare", "comply", "diff", "evaluate"}


def __getattr__(name: str) -> Any:
    # The API pulls in lark, the models and the checks: load them on first use, not on import.
    if name == "render":
        from .render import render  # the module is callable too, so either binding works

        return render
    if name in _MODULE_JOBS:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")  # made callable as it is bound, below
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'sla' has no attribute {name!r}")


class _JobModule(types.ModuleType):
    """A module that does the job it is named for when called: `sla.compare(...)` runs
    `sla.api.compare`, and `sla.compare.Comparison` is still the module's class."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from . import api

        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Importing sla.compare binds the module to the package's `compare`, hiding the function
        # of that name; the module is made to run the function instead, so both bindings work.
        if name in _MODULE_JOBS and type(value) is types.ModuleType:
            value.__class__ = _JobModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
