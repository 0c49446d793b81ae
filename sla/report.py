"""Diagnostics for people and machines: caret-pointed text, JSON, and SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import accumulate

from . import __version__
from .diagnostics import Diagnostic, Span
from .words import visible

_COLOURS = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "hint": "\x1b[36m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "reset": "\x1b[0m",
}


def rule_descriptions() -> dict[str, tuple[str, str]]:
    """Every code with its default severity and one-line summary (`sla.codes.table`)."""
    from .checks import all_codes

    return {code: (c.severity, c.summary) for code, c in all_codes().items()}


#: At most this many diagnostics of one file are printed as text; JSON and SARIF carry them all.
HUMAN_LIMIT = 100
#: A longer source line is shown as a window of this many columns around the caret.
_WINDOW = 120
_BEFORE = 40  # columns of the window before the caret
_TEXT_LIMIT = 400  # characters of a message or hint before the middle is left out
_BLOCK = 4096


class _Lines:
    """Where each line of one file starts, found without splitting the text: the number of
    newlines up to the end of each block of 4096 characters narrows the search to one block."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = list(accumulate(text.count("\n", i, i + _BLOCK) for i in range(0, len(text), _BLOCK)))
        self.found: dict[int, tuple[int, int]] = {}

    def span(self, line: int) -> tuple[int, int] | None:
        """Where the 1-based line starts and ends (before its newline), or None past the end."""
        if line in self.found:
            return self.found[line]
        before = line - 1  # newlines before the line
        if before < 0 or self.newlines and before > self.newlines[-1] or not self.newlines and before:
            return None
        block = bisect_left(self.newlines, before)
        start, seen = (block * _BLOCK, self.newlines[block - 1]) if block else (0, 0)
        while seen < before:
            start = self.text.index("\n", start) + 1
            seen += 1
        end = self.text.find("\n", start)
        self.found[line] = start, len(self.text) if end < 0 else end
        return self.found[line]


def _clip(text: str) -> str:
    """A message or hint of reasonable length: one quoting a 10 MiB name would flood the terminal."""
    if len(text) <= _TEXT_LIMIT:
        return text
    return text[: _TEXT_LIMIT * 2 // 3] + " ... " + text[-_TEXT_LIMIT // 4 :]


def human(
    diagnostics: Sequence[Diagnostic], source: Callable[[str], str | None], colour: bool = False
) -> str:
    """rustc-style text: location, severity and code, message, the source line with a caret.

    Linear in the number of diagnostics and the size of the files: each file's lines are
    indexed once, a line longer than 120 columns is shown as a window around the caret, and
    after HUMAN_LIMIT diagnostics of one file the rest are counted rather than printed."""

    def c(name: str, text: str) -> str:
        return f"{_COLOURS[name]}{text}{_COLOURS['reset']}" if colour else text

    totals = Counter(d.span.file if d.span else None for d in diagnostics)
    printed: Counter[str | None] = Counter()
    indexes: dict[str, _Lines | None] = {}
    out: list[str] = []
    for d in diagnostics:
        span = d.span
        file = span.file if span else None
        printed[file] += 1
        if printed[file] > HUMAN_LIMIT:
            continue
        location, message = visible(d.location()), visible(_clip(d.message))
        out.append(f"{c('bold', location)}: {c(d.severity, d.severity)} {d.code}: {message}")
        if span and file:
            if file not in indexes:
                text = source(file)
                indexes[file] = _Lines(text) if text is not None else None
            lines = indexes[file]
            where = lines.span(span.line) if lines else None
            if lines and where:
                shown, indent, carets = _excerpt(lines.text, where, span)
                width = len(str(span.line))
                out.append(c("dim", f" {span.line} | ") + shown)
                out.append(c("dim", f" {' ' * width} | ") + indent + c(d.severity, carets))
        if d.hint:
            out.append(f"  {c('hint', 'hint:')} {visible(_clip(d.hint))}")
        if printed[file] == HUMAN_LIMIT and totals[file] > HUMAN_LIMIT:
            rest = totals[file] - HUMAN_LIMIT
            place = f"in {visible(file)}" if file else "without a file"
            out.append(f"... and {rest:,} more {place}; sla check --format json lists them all")
    return "\n".join(out)


def _excerpt(text: str, where: tuple[int, int], span: Span) -> tuple[str, str, str]:
    """The source line (or a window of it around the span), the spaces before the carets, and
    the carets under the span. The line is shown visibly (an escape sequence in it is written
    out, never sent to the terminal), and the carets stay under the span."""
    start, end = where
    if end > start and text[end - 1] == "\r":  # a CRLF file's line, without its CR
        end -= 1
    length = end - start
    stop = span.end_column if span.end_line == span.line else length + 1
    if length <= _WINDOW:
        left, right, before, after = 0, length, "", ""
    else:
        left = max(0, min(span.column - 1 - _BEFORE, length - _WINDOW))
        right = left + _WINDOW
        before, after = ("..." if left else ""), ("..." if right < length else "")
    first = start + min(max(span.column - 1, left), right)  # where the carets start
    last = start + min(max(stop - 1, span.column), right)
    lead = _shown(text[start + left : first])
    marked = _shown(text[first:last])
    shown = before + lead + marked + _shown(text[last : start + right]) + after
    return shown, " " * (len(before) + len(lead)), "^" * max(1, len(marked))


def _shown(text: str) -> str:
    return visible(text).replace("\t", " ")


def summary(diagnostics: Sequence[Diagnostic], files: int) -> dict[str, int]:
    errors = sum(d.is_error for d in diagnostics)
    return {"files": files, "errors": errors, "warnings": len(diagnostics) - errors}


def to_json(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    return json.dumps(
        {
            "files": list(files),
            "diagnostics": [d.to_dict() for d in diagnostics],
            "summary": summary(diagnostics, len(files)),
        },
        indent=2,
        ensure_ascii=False,
    )


#: The project's page on the package index (the distribution is sla-lang: `sla` is another's).
PROJECT_URL = "https://pypi.org/project/sla-lang/"


def to_sarif(diagnostics: Sequence[Diagnostic], base: str | None = None) -> str:
    """SARIF 2.1.0, as code-scanning services read it: one run, rules, results with regions."""
    import hashlib

    rules = rule_descriptions()
    index = {code: i for i, code in enumerate(rules)}
    results = []
    seen: dict[tuple[str | None, str], int] = {}
    for d in diagnostics:
        # Code scanning follows a finding across commits by this fingerprint: the code and the
        # message (which names the culprit, not its line), numbered when a file repeats them.
        print_ = hashlib.sha256(f"{d.code}\0{d.message}".encode()).hexdigest()[:16]
        key = (d.span.file if d.span else None, print_)
        seen[key] = seen.get(key, 0) + 1
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, 0),
            "level": d.severity,
            "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
            "partialFingerprints": {"primaryLocationLineHash": f"{print_}:{seen[key]}"},
        }
        if d.span and d.span.file:
            uri = os.path.relpath(d.span.file, base) if base else d.span.file
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri.replace(os.sep, "/")},
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.column,
                            "endLine": d.span.end_line,
                            "endColumn": d.span.end_column,
                        },
                    }
                }
            ]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sla",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [
                            {
                                "id": code,
                                "name": code,
                                "shortDescription": {"text": text},
                                "fullDescription": {"text": text},
                                "help": {
                                    "text": f"{code}: {text} See the diagnostics table of the language "
                                    "reference (docs/language.md, section 7).",
                                },
                                "helpUri": PROJECT_URL,
                                "defaultConfiguration": {"level": severity},
                            }
                            for code, (severity, text) in rules.items()
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
