"""JSON as every command and library result writes it: two-space indent, UTF-8 text, a final
newline, and amounts as plain decimal strings (never `3E+1`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .words import plain


def to_json(data: Any) -> str:
    """`data` (dicts, lists, strings, numbers, Decimals) as JSON text ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n"


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    raise TypeError(f"{type(value).__name__} is not JSON data")


__all__ = ["to_json"]
