"""sla: service level agreements as text that can be checked, priced, clocked and rendered.

The public surface is small: `load`, `loads`, `parse`, `check`, `dumps`, `loads_json` and
`render`, the model classes in `sla.model`, and one exception, `SlaError`, carrying
`Diagnostic`s. Pricing, billing, costs, clocks and compliance live in `sla.pricing`,
`sla.billing`, `sla.costs`, `sla.clock` and `sla.comply`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, SlaError, Span

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import check, check_text, dumps, load, loads, loads_json, parse
    from .render import render

_API = {"check", "check_text", "dumps", "load", "loads", "loads_json", "parse"}


def __getattr__(name: str) -> Any:
    # The API pulls in lark, the models and the checks: load them on first use, not on import.
    if name == "render":
        from .render import render  # the module is callable too, so either binding works

        return render
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'sla' has no attribute {name!r}")


__all__ = ["Diagnostic", "SlaError", "Span", "check", "check_text", "dumps", "load", "loads",
           "loads_json", "parse", "render", "__version__"]  # fmt: skip
