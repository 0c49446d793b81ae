"""Diagnostics as data: where a problem is, what it is, and how to fix it; one exception root."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A stretch of source: 1-based line and column, the end column exclusive.

    A plain slotted dataclass, not a model: a file of a million statements holds a million of
    them, and a pydantic model costs ten times the memory of these 72 bytes."""

    file: str | None = None
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file or '<string>'}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable code (SLA101), a severity, one short sentence, where, and a hint."""

    code: str
    severity: Severity
    message: str
    span: Span | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        return str(self.span) if self.span else "<unknown>"

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity} {self.code}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        span = self.span
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": span.file if span else None,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "hint": self.hint,
        }


class SlaError(Exception):
    """The one exception the library raises for bad input; it carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__(self.diagnostics)

    def __reduce__(self) -> tuple[type[SlaError], tuple[list[Diagnostic]]]:
        return (type(self), (self.diagnostics,))

    @classmethod
    def one(cls, code: str, message: str, span: Span | None = None, hint: str | None = None) -> SlaError:
        return cls([Diagnostic(code, "error", message, span, hint)])

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def __str__(self) -> str:
        shown = self.errors or list(self.diagnostics)
        if not shown:
            return "invalid input"
        first = str(shown[0])
        return first if len(shown) == 1 else f"{first} (and {len(shown) - 1} more)"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known names to a misspelt one, or None."""
    import difflib  # only a misspelling needs it: not loaded on every start

    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    s = d.span
    return (s.file or "", s.line, s.column, d.code) if s else ("", 0, 0, d.code)
