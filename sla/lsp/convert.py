"""Positions, ranges and diagnostics between sla's terms (1-based lines and columns counted in
characters, `Span`, `Diagnostic`) and the protocol's (0-based, columns in the code units the
client and server agreed on)."""

from __future__ import annotations

from lsprotocol import types

from ..diagnostics import Diagnostic, Span
from ..report import PROJECT_URL

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


class Lines:
    """The lines of one text, to turn positions one way or the other."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.lines = text.split("\n")
        self.encoding = encoding

    def _units(self, text: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(text)
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(text.encode("utf-8"))
        return len(text.encode("utf-16-le")) // 2

    def position(self, line: int, column: int) -> types.Position:
        """A 1-based line and column (in characters) as a protocol position."""
        if line > len(self.lines):
            return types.Position(len(self.lines) - 1, self._units(self.lines[-1]))
        text = self.lines[max(line, 1) - 1]
        before = max(column, 1) - 1
        # A span may end one past the last character (the end of the file): kept as it is.
        return types.Position(max(line, 1) - 1, self._units(text[:before]) + max(0, before - len(text)))

    def range(self, span: Span) -> types.Range:
        return types.Range(
            self.position(span.line, span.column), self.position(span.end_line, span.end_column)
        )

    def point(self, position: types.Position) -> tuple[int, int]:
        """A protocol position as a 1-based line and column (in characters)."""
        if position.line >= len(self.lines):
            return len(self.lines), len(self.lines[-1]) + 1
        text = self.lines[position.line]
        if self.encoding == types.PositionEncodingKind.Utf32:
            return position.line + 1, min(position.character, len(text)) + 1
        units = 0
        for i, char in enumerate(text):
            if units >= position.character:
                return position.line + 1, i + 1
            units += self._units(char)
        return position.line + 1, len(text) + 1

    def span(self, range_: types.Range, file: str | None = None) -> Span:
        line, column = self.point(range_.start)
        end_line, end_column = self.point(range_.end)
        return Span(file=file, line=line, column=column, end_line=end_line, end_column=end_column)


def diagnostic(d: Diagnostic, lines: Lines, uri: str) -> types.Diagnostic:
    """A diagnostic as the protocol carries it: the code (linked to the project), the message
    as `sla check` gives it, and the hint twice - as related information at the same place,
    which editors show under the message ("hint: did you mean 'office'?"), and in `data`, where
    the quick fixes read it. A diagnostic without a place is put at the start of the file."""
    span = d.span or Span(file=None, line=1, column=1, end_line=1, end_column=1)
    where = lines.range(span)
    related = None
    if d.hint:
        related = [types.DiagnosticRelatedInformation(types.Location(uri, where), f"hint: {d.hint}")]
    return types.Diagnostic(
        range=where,
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=PROJECT_URL),
        source="sla",
        related_information=related,
        data={"hint": d.hint} if d.hint else None,
    )
