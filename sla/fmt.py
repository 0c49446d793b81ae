"""The canonical layout: one statement a line, blocks indented by two spaces, comments kept.

Formatting works on the token stream, so it needs no rule per statement: tokens are joined by
one space, `{` ends a line, `}` stands on its own, `;` becomes a new line, a line break after a
comma is kept, and one blank line survives where the source had any. Text inside tokens is never
changed, so the model before and after is equal; `format_text` proves it before returning.
"""

from __future__ import annotations

from .diagnostics import SlaError
from .loader import normalise_newlines, parse
from .parser import comments as find_comments
from .parser import get_parser

INDENT = "  "
_NO_SPACE_BEFORE = {"_COMMA", "COLON"}


class _Printer:
    def __init__(self, source_lines: list[str]) -> None:
        self.source = source_lines
        self.lines: list[str] = []
        self.current: list[str] = []
        self.depth = 0
        self.last_line = 0  # the last source line whose content was printed
        self.break_pending = False

    def flush(self) -> None:
        if self.current:
            self.lines.append(INDENT * self.depth + " ".join(self.current))
            self.current = []

    def newline_for(self, source_line: int, block_edge: bool = False) -> None:
        """Start a new output line for content from `source_line`, keeping one blank line."""
        self.flush()
        had_blank = any(not self.source[i - 1].strip() for i in range(self.last_line + 1, source_line))
        if had_blank and not block_edge and self.lines and not self.lines[-1].endswith("{"):
            self.lines.append("")

    def word(self, text: str, source_line: int) -> None:
        if self.break_pending:
            self.break_pending = False
            self.flush()
            self.current.append(INDENT + text)  # a list continued on the next line
        elif not self.current:
            self.newline_for(source_line)
            self.current.append(text)
        else:
            self.current.append(text)
        self.last_line = source_line

    def attach(self, text: str) -> None:
        """Glue text to the previous word (a comma, a colon)."""
        if self.current:
            self.current[-1] += text
        else:
            self.lines[-1] += text

    def comment(self, text: str, line: int, trailing: bool) -> None:
        if trailing:
            if self.current:
                self.current[-1] += "  " + text
            else:
                self.lines[-1] += "  " + text
        else:
            self.newline_for(line)
            self.lines.append(INDENT * self.depth + text)
        self.last_line = line


def format_text(text: str, path: str | None = None) -> str:
    """The canonical layout of a .sla text; raises SlaError if it does not parse."""
    text = normalise_newlines(text)
    before = parse(text, path)  # raises on syntax and value errors
    out = _layout(text, path)
    after = parse(out, path)
    if after != before or [c[2] for c in find_comments(out)] != [c[2] for c in find_comments(text)]:
        raise AssertionError(f"the formatter changed the meaning of {path or 'the text'}")  # a bug of ours
    return out


def _layout(text: str, path: str | None) -> str:
    from lark.exceptions import UnexpectedInput

    from .parser import describe_syntax_error

    printer = _Printer(text.split("\n"))
    pending = list(find_comments(text))
    pending.reverse()
    last_token_line = 0
    interactive = get_parser().parse_interactive(text)
    try:
        tokens = list(interactive.iter_parse())
        interactive.resume_parse()  # type: ignore[no-untyped-call]  # lark leaves it unannotated
    except UnexpectedInput as exc:  # pragma: no cover - parse() above already refused it
        raise SlaError([describe_syntax_error(exc, text, path)]) from None

    for tok in tokens:
        kind = tok.type
        if kind == "$END":
            break
        # Every token the lexer makes has its positions; lark types them as optional.
        assert tok.line is not None and tok.column is not None and tok.end_line is not None
        while pending and (pending[-1][0], pending[-1][1]) < (tok.line, tok.column):
            line, _, body = pending.pop()
            printer.comment(body, line, trailing=line == last_token_line)
        if kind == "_SEP":
            printer.flush()
            continue
        if kind == "_COMMA":
            printer.attach(",")
            if "\n" in tok.value:
                printer.break_pending = True
            continue
        if kind == "LBRACE":
            printer.word("{", tok.line)
            printer.flush()
            printer.depth += 1
        elif kind == "RBRACE":
            printer.flush()
            printer.depth -= 1
            printer.current.append("}")
            printer.last_line = tok.end_line
        elif kind in _NO_SPACE_BEFORE:
            printer.attach(tok.value)
        elif kind == "PLUS" or tok.value == "+":  # `by close +1d`: the sign joins its days
            printer.word("+\0", tok.line)
        elif kind == "DOUBLE_DOT" or tok.value == "..":
            printer.attach("..")
            printer.break_pending = False
            printer.current[-1] += "\0"  # the next word joins this one
        else:
            if printer.current and printer.current[-1].endswith("\0"):
                printer.current[-1] = printer.current[-1][:-1] + tok.value
                printer.last_line = tok.end_line
            else:
                printer.word(tok.value, tok.line)
        last_token_line = tok.end_line
    while pending:
        line, _, body = pending.pop()
        printer.comment(body, line, trailing=line == last_token_line)
    printer.flush()
    result = "\n".join(line.rstrip() for line in printer.lines).strip("\n")
    return result + "\n" if result else ""
