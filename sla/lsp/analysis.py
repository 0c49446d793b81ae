"""One text as the language server reads it: its parse tree (of the text mended, when it does
not parse as written), its outline and names, and its syntax errors."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, SlaError, Span
from .recover import Mended, parse_mended
from .symbols import Index, index, scan_outline

if TYPE_CHECKING:
    from lark import Token, Tree

#: The codes of a text that does not parse (`sla.parser.describe_syntax_error`).
SYNTAX_CODES = frozenset({"SLA001", "SLA002", "SLA003"})
# Outline entries whose name a diagnostic may quote.
_NAMED = frozenset(
    {"agreement", "profile", "requirements", "calendar", "service", "priority", "rate", "recurring", "once"}
)


@dataclass
class Analysis:
    """A text (line ends made `\\n`) at a path, read as far as it can be."""

    path: str
    text: str

    @cached_property
    def _parsed(self) -> tuple[Tree[Token] | None, Mended | None, list[Diagnostic]]:
        from ..loader import decode
        from ..parser import parse_tree

        if self.too_big:  # refused by the loader: not read at all
            try:
                decode(self.text.encode("utf-8"), self.path)
            except SlaError as exc:
                return None, None, exc.diagnostics
        try:
            return parse_tree(self.text, self.path), None, []
        except SlaError as exc:
            first = exc.diagnostics
        found = parse_mended(self.text, self.path)
        if found is None:
            return None, None, first
        mended, tree = found
        seen = {_where(d) for d in first}
        later = [d for d in mended.errors if _where(d) not in seen and _after(d, first[0])]
        return tree, mended, first + later

    @cached_property
    def too_big(self) -> bool:
        """Over the loader's size limit (`sla.loader.max_bytes`), in its bytes."""
        from ..loader import max_bytes

        return len(self.text) > max_bytes() // 4 and len(self.text.encode("utf-8")) > max_bytes()

    @property
    def tree(self) -> Tree[Token] | None:
        """The parse tree of the text, or of the mended text; None when it cannot be mended."""
        return self._parsed[0]

    @property
    def mended(self) -> Mended | None:
        """The mended text, when the text as written does not parse."""
        return self._parsed[1]

    @property
    def syntax_errors(self) -> list[Diagnostic]:
        """The first syntax error as `sla check` gives it, then those found past it."""
        return self._parsed[2]

    @property
    def checked_text(self) -> str:
        """What the loader and the checks are given: the text, or the text mended."""
        mended = self.mended
        return mended.text if mended is not None else self.text

    @cached_property
    def index(self) -> Index:
        """The outline and names (from a scan of the tokens when the text cannot be mended)."""
        tree, mended = self.tree, self.mended
        if tree is None:
            return Index([], [], []) if self.too_big else scan_outline(self.text, self.path)
        if mended is None:
            return index(tree, self.text, self.path)
        return index(tree, mended.text, self.path, mended.original)

    def echo(self, d: Diagnostic) -> bool:
        """Whether a diagnostic of the mended text may be only an echo of the mending: it is
        about a block the mending changed (its stretch holds a repair), or it names something
        whose block was changed (`credit for a missed response of 'P2'` when P2's misspelt
        `respons` line was left out)."""
        mended = self.mended
        if mended is None:
            return False
        if d.span is not None and mended.touches(d.span):
            return True
        return any(repr(name) in d.message for name in self._changed_names)

    @cached_property
    def _changed_names(self) -> set[str]:
        """The names of the calendars, services, priorities, roles, fee lines and documents
        whose statements hold a repair."""
        mended = self.mended
        found: set[str] = set()
        if mended is None:
            return found
        stack = list(self.index.outline)
        while stack:
            symbol = stack.pop()
            stack.extend(symbol.children)
            if symbol.kind in _NAMED and mended.touches(symbol.span):
                found.add(symbol.name)
        return found

    def original(self, span: Span) -> Span:
        """A span of the checked text as a span of the text as written."""
        mended = self.mended
        if mended is None:
            return span
        line, column = mended.original(span.line, span.column)
        end_line, end_column = mended.original(span.end_line, span.end_column)
        return replace(span, line=line, column=column, end_line=end_line, end_column=end_column)


def _where(d: Diagnostic) -> tuple[str, str, int, int]:
    s = d.span
    return (d.code, d.message, s.line if s else 0, s.column if s else 0)


def _after(d: Diagnostic, first: Diagnostic) -> bool:
    if d.span is None or first.span is None:
        return True
    return (d.span.line, d.span.column) > (first.span.line, first.span.column)
