"""Diagnostics for people and machines: caret-pointed text, JSON, and SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence

from . import __version__
from .diagnostics import Diagnostic

_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "hint": "\x1b[36m",
            "bold": "\x1b[1m", "dim": "\x1b[2m", "reset": "\x1b[0m"}  # fmt: skip


def rule_descriptions() -> dict[str, tuple[str, str]]:
    """Every code with its default severity and one-line summary (`sla.codes.table`)."""
    from .checks import all_codes

    return {code: (c.severity, c.summary) for code, c in all_codes().items()}


def human(
    diagnostics: Sequence[Diagnostic], source: Callable[[str], str | None], colour: bool = False
) -> str:
    """rustc-style text: location, severity and code, message, the source line with a caret."""

    def c(name: str, text: str) -> str:
        return f"{_COLOURS[name]}{text}{_COLOURS['reset']}" if colour else text

    out: list[str] = []
    for d in diagnostics:
        out.append(f"{c('bold', d.location())}: {c(d.severity, d.severity)} {d.code}: {d.message}")
        span = d.span
        text = source(span.file) if span and span.file else None
        if span and text is not None:
            lines = text.split("\n")
            if 1 <= span.line <= len(lines):
                line = lines[span.line - 1].replace("\t", " ")
                width = len(str(span.line))
                end = span.end_column if span.end_line == span.line else len(line) + 1
                carets = "^" * max(1, min(end, len(line) + 1) - span.column)
                out.append(c("dim", f" {span.line} | ") + line)
                out.append(c("dim", f" {' ' * width} | ") + " " * (span.column - 1) + c(d.severity, carets))
        if d.hint:
            out.append(f"  {c('hint', 'hint:')} {d.hint}")
    return "\n".join(out)


def summary(diagnostics: Sequence[Diagnostic], files: int) -> dict[str, int]:
    errors = sum(d.is_error for d in diagnostics)
    return {"files": files, "errors": errors, "warnings": len(diagnostics) - errors}


def to_json(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    return json.dumps(
        {"files": list(files), "diagnostics": [d.to_dict() for d in diagnostics],
         "summary": summary(diagnostics, len(files))},
        indent=2, ensure_ascii=False,
    )  # fmt: skip


def to_sarif(diagnostics: Sequence[Diagnostic], base: str | None = None) -> str:
    """SARIF 2.1.0, as code-scanning services read it: one run, rules, results with regions."""
    rules = rule_descriptions()
    index = {code: i for i, code in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, 0),
            "level": d.severity,
            "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
        }
        if d.span and d.span.file:
            uri = os.path.relpath(d.span.file, base) if base else d.span.file
            result["locations"] = [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri.replace(os.sep, "/")},
                    "region": {"startLine": d.span.line, "startColumn": d.span.column,
                               "endLine": d.span.end_line, "endColumn": d.span.end_column},
                }
            }]  # fmt: skip
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sla", "version": __version__, "informationUri": "https://pypi.org/project/sla/",
                "rules": [
                    {"id": code, "name": code, "shortDescription": {"text": text},
                     "defaultConfiguration": {"level": severity}}
                    for code, (severity, text) in rules.items()
                ],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }  # fmt: skip
    return json.dumps(doc, indent=2, ensure_ascii=False)
