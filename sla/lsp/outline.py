"""The outline of a file as the protocol's document symbols."""

from __future__ import annotations

from lsprotocol import types

from .convert import Lines
from .symbols import Symbol

_KINDS = {
    "import_stmt": types.SymbolKind.File,
    "agreement": types.SymbolKind.Module,
    "profile": types.SymbolKind.Module,
    "requirements": types.SymbolKind.Module,
    "calendar": types.SymbolKind.Event,
    "provider": types.SymbolKind.Object,
    "customer": types.SymbolKind.Object,
    "service": types.SymbolKind.Class,
    "maintenance": types.SymbolKind.Event,
    "priority": types.SymbolKind.EnumMember,
    "clock": types.SymbolKind.Object,
    "credits": types.SymbolKind.Object,
    "fees": types.SymbolKind.Object,
    "recurring": types.SymbolKind.Property,
    "once": types.SymbolKind.Property,
    "rate": types.SymbolKind.Field,
    "block": types.SymbolKind.Property,
    "requirement": types.SymbolKind.Property,
}


def symbols(outline: list[Symbol], lines: Lines) -> list[types.DocumentSymbol]:
    return [_symbol(s, lines) for s in outline]


def _symbol(s: Symbol, lines: Lines) -> types.DocumentSymbol:
    whole = lines.range(s.span)
    name = lines.range(s.name_span)
    if not _within(name, whole):  # the protocol wants the name inside the whole
        name = types.Range(whole.start, whole.start)
    return types.DocumentSymbol(
        name=s.name or s.kind,
        detail=s.detail,
        kind=_KINDS.get(s.kind, types.SymbolKind.Object),
        range=whole,
        selection_range=name,
        children=[_symbol(c, lines) for c in s.children] or None,
    )


def _within(inner: types.Range, outer: types.Range) -> bool:
    def at(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return at(outer.start) <= at(inner.start) and at(inner.end) <= at(outer.end)
