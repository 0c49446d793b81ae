"""The lexer: one compiled pattern for every token, and keywords recognised by context.

Lark's contextual lexer compiles a scanner for each parser state it meets, which costs more
than the rest of `sla check` on a small file. This lexer compiles one pattern, in the grammar's
priority order, and asks the parser which terminals the current state accepts only to decide
whether a word is a keyword there or a name: a calendar may still be called `always`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, PatternStr

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class SlaLexer(Lexer):
    __future_interface__ = 2

    def __init__(self, conf: LexerConf) -> None:
        self.ignore = frozenset(conf.ignore)
        self.keywords: dict[str, str] = {}
        patterns = []
        for t in conf.terminals:
            if isinstance(t.pattern, PatternStr) and _WORD.fullmatch(t.pattern.value):
                self.keywords[t.pattern.value] = t.name
            else:
                patterns.append(t)
        # Longer literals before their prefixes ("<=" before "<"); then the grammar's priorities.
        patterns.sort(
            key=lambda t: (-t.priority, isinstance(t.pattern, PatternStr) and -len(t.pattern.value))
        )
        self.terminals = patterns  # in the order they are tried
        # Each terminal's name is an empty group after its pattern, not a group around it: the
        # regex engine passes over an alternative that cannot start at the next character at once
        # only when the alternative begins with its first test rather than a group. The matches
        # and their order are the same; the terminal is `lastgroup`, its text the whole match.
        self.pattern = re.compile("|".join(f"(?:{t.pattern.to_regexp()})(?P<{t.name}>)" for t in patterns))
        self.newline_types = frozenset(
            t.name for t in patterns if "\n" in t.pattern.to_regexp() or "\\n" in t.pattern.to_regexp()
        )

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        sliced = lexer_state.text
        text: str = sliced.text
        counter = lexer_state.line_ctr  # kept current, so that a resumed parse goes on from here
        pos, end = counter.char_pos, sliced.end
        line, line_start = counter.line, counter.line_start_pos
        match = self.pattern.match
        keywords, ignore, newline_types = self.keywords, self.ignore, self.newline_types
        states = parser_state.parse_conf.states
        while pos < end:
            m = match(text, pos)
            if m is None:
                accepted = set(states[parser_state.position])
                raise UnexpectedCharacters(  # type: ignore[no-untyped-call]  # lark leaves it unannotated
                    text,
                    pos,
                    line,
                    pos - line_start + 1,
                    allowed=accepted,
                    state=parser_state,
                    token_history=[lexer_state.last_token],
                )
            kind = m.lastgroup
            value = m.group()
            new_pos = m.end()
            if kind == "NAME" and value in keywords:
                keyword = keywords[value]
                if keyword in states[parser_state.position]:
                    kind = keyword
            if kind not in ignore:
                token = Token(kind, value, pos, line, pos - line_start + 1)  # type: ignore[arg-type]
                if kind in newline_types and "\n" in value:
                    token.end_line = line + value.count("\n")
                    token.end_column = new_pos - (text.rfind("\n", pos, new_pos) + 1) + 1
                else:
                    token.end_line = line
                    token.end_column = new_pos - line_start + 1
                token.end_pos = new_pos
                lexer_state.last_token = token
                counter.char_pos, counter.line, counter.line_start_pos = new_pos, token.end_line, line_start
                if kind in newline_types and "\n" in value:
                    counter.line_start_pos = text.rfind("\n", pos, new_pos) + 1
                counter.column = new_pos - counter.line_start_pos + 1
                yield token
            if kind in newline_types:
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = text.rfind("\n", pos, new_pos) + 1
            pos = new_pos
        counter.char_pos, counter.line, counter.line_start_pos = pos, line, line_start
        counter.column = pos - line_start + 1
