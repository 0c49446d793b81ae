"""Quick fixes: a diagnostic whose hint names what was meant ("did you mean 'office'?") offers
to write that in place of the word the message names."""

from __future__ import annotations

import re

from ..diagnostics import Span

_MEANT = re.compile(r"did you mean (.+)\?\s*\Z")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def suggestions(hint: str) -> list[str]:
    """What a hint says was meant, in its order: `did you mean 'a' or 'b'?` gives a and b."""
    found = _MEANT.search(hint)
    if found is None:
        return []
    return [a or b for a, b in _QUOTED.findall(found.group(1))]


def fixes(text: str, span: Span, message: str, hint: str) -> list[tuple[str, Span, str]]:
    """The quick fixes of one diagnostic: (title, the stretch to replace, the text to write).
    The word replaced is the first the message quotes that is written inside the diagnostic's
    stretch (`unknown calendar 'ofice'` on `calendar ofice`)."""
    meant = suggestions(hint)
    if not meant or span.line != span.end_line:
        return []
    lines = text.split("\n")
    if not 0 < span.line <= len(lines):
        return []
    line = lines[span.line - 1]
    inside = line[span.column - 1 : span.end_column - 1]
    for a, b in _QUOTED.findall(message):
        culprit = a or b
        at = _word(inside, culprit)
        if culprit and at >= 0 and culprit not in meant:
            column = span.column + at
            where = Span(
                file=span.file,
                line=span.line,
                column=column,
                end_line=span.line,
                end_column=column + len(culprit),
            )
            return [(f"Change {culprit!r} to {m!r}", where, m) for m in meant]
    return []


def _word(text: str, word: str) -> int:
    """Where `word` is written in `text` as a whole word (not inside a longer one), or -1."""
    for found in re.finditer(re.escape(word), text):
        before = text[found.start() - 1 : found.start()]
        after = text[found.end() : found.end() + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return found.start()
    return -1
