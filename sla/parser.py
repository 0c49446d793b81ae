"""Text to parse tree: the cached LALR parser, and syntax errors told in words."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, SlaError, Span, did_you_mean
from .resources import cache_folder, shipped

if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput


def grammar_path() -> Path:
    """The grammar shipped inside the package, or the repository's when running from source."""
    return shipped("grammar", "sla.lark")


def _cache_file() -> str | bool:
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / "parser.lark-cache")


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The LALR parser, built once per process and cached on disk between processes."""
    from lark import Lark, logger

    from .lexer import SlaLexer

    logger.setLevel(100)  # a cache that cannot be written is not worth a warning
    text = grammar_path().read_text(encoding="utf-8")
    cache = _cache_file()
    try:
        return Lark(
            text, parser="lalr", lexer=SlaLexer, propagate_positions=True,
            maybe_placeholders=False, cache=cache,
        )  # fmt: skip
    except Exception:  # a corrupt or foreign cache file: build from the grammar instead
        if cache is False:
            raise
        return Lark(
            text, parser="lalr", lexer=SlaLexer, propagate_positions=True,
            maybe_placeholders=False,
        )  # fmt: skip


def parse_tree(text: str, file: str | None = None) -> Tree[Token]:
    """Parse text into a lark tree, or raise SlaError with the syntax error in words."""
    from lark.exceptions import UnexpectedInput

    parser = get_parser()
    try:
        return parser.parse(text)
    except UnexpectedInput as exc:
        raise SlaError([describe_syntax_error(exc, text, file)]) from None


# ---------------------------------------------------------------------------- syntax errors in words

_WORDS = {
    "STRING": 'a quoted string such as "Acme GmbH"',
    "NAME": "a name such as office or P1",
    "DURATION": "a duration such as 30m or 4h",
    "NUMBER": "a number such as 45.00",
    "PERCENT": "a percentage such as 99.9%",
    "MULTIPLIER": "a multiplier such as 1.5x",
    "DATE": "a date such as 2027-01-01",
    "SPAN": "a time span such as 08:00-18:00",
    "ALWAYS": "24x7",
    "RANGE": "a tier range such as 1-50 or 201+",
    "COMPARISON": "a comparison such as <= or >=",
    "_SEP": "the end of the statement",
    "_COMMA": "','",
    "$END": "the end of the file",
}

# What a NAME means right after a keyword.
_NAME_AFTER = {
    "model": "managed, break_fix or block_hours",
    "currency": "a currency code such as EUR",
    "calendar": "a calendar name such as office",
    "on": "a calendar name such as office",
    "outside": "a calendar name such as office",
    "holidays": "a holiday region such as DE-BY or US",
    "hours": "weekdays such as mon-fri or 24x7",
    "weekly": "weekdays such as sun or mon-fri",
    "service": "a service name such as helpdesk",
    "priority": "a priority name such as P1",
    "recurring": "a service name such as helpdesk",
    "rate": "a role such as engineer",
    "overage": "a role such as engineer",
    "once": "a fee name such as onboarding",
    "missed": "a priority name such as P1",
    "per": "a unit such as user",
    "travel": "a unit such as mile or km",
}
_UNIT_AFTER = {"term", "renewal", "notice", "rollover", "net"}
_STATEMENT_HINT_LIMIT = 8


def _keyword(parser: Lark, terminal: str) -> str | None:
    """The literal text of a keyword or punctuation terminal, or None for a token class."""
    from lark.lexer import PatternStr

    try:
        pattern = parser.get_terminal(terminal).pattern
    except KeyError:
        return None
    return pattern.value if isinstance(pattern, PatternStr) else None


def _describe_found(token: Token) -> str:
    kind = token.type
    if kind == "$END":
        return "end of file"
    if kind == "_SEP":
        return "end of line" if "\n" in token.value else "';'"
    if kind == "STRING":
        return f"string {token.value}"
    if kind == "NAME":
        return f"name {token.value!r}"
    return repr(str(token.value))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _open_blocks(stack: list[object]) -> list[tuple[str, Token]]:
    """The blocks still open on the parser's value stack, outermost first: (keyword, brace)."""
    from lark import Token

    blocks: list[tuple[str, Token]] = []
    for i, item in enumerate(stack):
        if isinstance(item, Token) and item.type == "RBRACE" and blocks:
            blocks.pop()  # a block closed, its statement not yet reduced
        elif isinstance(item, Token) and item.type == "LBRACE":
            word = next(
                (t.value for t in reversed(stack[:i])
                 if isinstance(t, Token) and t.value.isidentifier() and t.type == t.value.upper()),
                "block",
            )  # fmt: skip
            blocks.append((word, item))
    return blocks


def _last_keyword(stack: list[object]) -> str | None:
    from lark import Token

    for item in reversed(stack):
        if isinstance(item, Token):
            if item.type in ("LBRACE", "_SEP"):
                return None
            if item.value.isidentifier() and item.type == item.value.upper():
                return str(item.value)
    return None


def describe_syntax_error(exc: UnexpectedInput, text: str, file: str | None) -> Diagnostic:
    """Turn a lark exception into a diagnostic that names what was found and what was expected."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    parser = get_parser()
    line, column = exc.line, exc.column
    if line is None or line < 1:  # the end of the file: point just past the last character
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
    span = Span(file=file, line=line, column=column, end_line=line, end_column=column + 1)

    if isinstance(exc, UnexpectedCharacters):
        char = exc.char
        if char == '"':
            return Diagnostic("SLA001", "error", "unterminated string", span,
                              'close the string with " on the same line')  # fmt: skip
        if char in "\x00\ufffd" or not char.isprintable() and not char.isspace():
            return Diagnostic("SLA001", "error", f"unexpected character {char!r}", span,
                              "is this a text file? .sla files are UTF-8 text")  # fmt: skip
        word = text[exc.pos_in_stream :].split(None, 1)[0][:40] if text[exc.pos_in_stream :].strip() else char
        expected = sorted(exc.allowed or ())
        message = f"unexpected {word!r}"
        hint = _expected_hint(parser, expected, None)
        return Diagnostic("SLA001", "error", message, span, hint)

    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    stack: list[object] = []
    if exc.interactive_parser is not None:
        stack = list(exc.interactive_parser.parser_state.value_stack)
    blocks = _open_blocks(stack)
    expected = sorted(exc.expected)
    if token.type != "$END" and token.line is not None:
        end_column = token.end_column if token.end_line == token.line else token.column + 1
        if token.type == "_SEP":
            end_column = token.column + 1
        span = Span(file=file, line=token.line, column=token.column, end_line=token.line,
                    end_column=end_column or token.column + 1)  # fmt: skip

    if token.type == "$END" and blocks:
        word, brace = blocks[-1]
        return Diagnostic(
            "SLA002", "error",
            f"unexpected end of file: the {word!r} block opened at line {brace.line} is not closed",
            span, "add the missing '}'",
        )  # fmt: skip

    keywords = [k for k in (_keyword(parser, e) for e in expected) if k and k.isidentifier()]
    where = f" in the {blocks[-1][0]!r} block" if blocks else ""
    found = _describe_found(token)
    if token.type == "NAME" and keywords and "NAME" not in expected:
        hint = did_you_mean(token.value, keywords) or _expected_hint(parser, expected, _last_keyword(stack))
        return Diagnostic("SLA003", "error", f"unknown word {token.value!r}{where}", span, hint)

    message = f"unexpected {found}{where}"
    hint = _expected_hint(parser, expected, _last_keyword(stack))
    return Diagnostic("SLA001", "error", message, span, hint)


def _expected_hint(parser: Lark, expected: list[str], after: str | None) -> str | None:
    words: list[str] = []
    if {"NAME", "NUMBER"} <= set(expected):  # where money goes: an amount, perhaps with a code
        words.append("an amount such as 120.00 or EUR 120.00")
        expected = [e for e in expected if e not in ("NAME", "NUMBER", "money")]
    for terminal in expected:
        if terminal == "NAME" and after in _NAME_AFTER:
            word = _NAME_AFTER[after]
        elif terminal == "NAME" and after in _UNIT_AFTER:
            word = "a unit such as days, months or years"
        elif terminal in _WORDS:
            word = _WORDS[terminal]
        else:
            literal = _keyword(parser, terminal)
            word = repr(literal) if literal is not None else terminal.lower()
        if word not in words:
            words.append(word)
    if not words:
        return None
    if len(words) > _STATEMENT_HINT_LIMIT:
        words = words[:_STATEMENT_HINT_LIMIT] + ["another statement"]
    return "expected " + _join(words)


# ---------------------------------------------------------------------------- comments


_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"?|#[^\n]*')


def comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment as (line, column, text), found by skipping strings (which are one line)."""
    found = []
    line = 1
    line_start = 0
    scanned = 0
    for m in _STRING_OR_COMMENT.finditer(text):
        if m.group().startswith("#"):
            newlines = text.count("\n", scanned, m.start())
            if newlines:
                line += newlines
                line_start = text.rfind("\n", scanned, m.start()) + 1
            scanned = m.start()
            found.append((line, m.start() - line_start + 1, m.group().rstrip()))
    return found
