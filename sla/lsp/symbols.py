"""What a file defines and names, from its parse tree: the outline, and every calendar, service,
priority, role and imported file it defines or refers to, each with where it is written.

A file that cannot be parsed even once mended (`sla.lsp.recover`) still gets an outline, from
a scan of its tokens: a statement that opens a block and names something is an entry, and the
braces say what is inside what. That scan finds no references, so such a file takes no part in
going to a definition or renaming.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from ..diagnostics import Span

if TYPE_CHECKING:
    from lark import Token, Tree

#: The kinds of name a file can define or refer to.
Kind = Literal["calendar", "service", "priority", "role", "file"]

#: Maps a (line, column) of the parsed text to one of the text as written.
Mapper = Callable[[int, int], tuple[int, int]]


@dataclass
class Symbol:
    """An entry of the outline: what it is (`agreement`, `calendar`, `recurring`, ...), its
    name, a detail, the whole statement and the word that names it, and what is inside it."""

    kind: str
    name: str
    detail: str | None
    span: Span
    name_span: Span
    children: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True)
class Name:
    """A calendar, service, priority, role or imported file written in a file: defined there
    (`calendar office {`) or referred to (`on office`). `document` is the index of the
    agreement, profile or requirements the name is written in, None at the top level."""

    kind: Kind
    name: str
    span: Span
    defines: bool
    document: int | None


@dataclass
class Index:
    """The outline and the names of one file."""

    outline: list[Symbol]
    names: list[Name]
    #: Each document's kind and title, by its index (the order they are written in).
    documents: list[tuple[str, str]]

    def at(self, line: int, column: int) -> Name | None:
        """The name written at a position (1-based), if any."""
        for n in self.names:
            s = n.span
            if s.line == line and s.column <= column <= s.end_column:
                return n
        return None


# How each statement that defines or refers to a name is read: the rule, the kind of name, and
# whether it defines it; the name is the rule's first NAME (or STRING, for an import).
_NAMES: dict[str, tuple[Kind, bool]] = {
    "calendar": ("calendar", True),
    "service": ("service", True),
    "priority": ("priority", True),
    "rate": ("role", True),
    "service_calendar": ("calendar", False),
    "on_calendar": ("calendar", False),
    "multiplier": ("calendar", False),
    "recurring": ("service", False),
    "credit_tier": ("service", False),
    "breach_credit": ("priority", False),
    "overage": ("role", False),
    "import_stmt": ("file", False),
}
_DOCUMENTS = ("agreement", "profile", "requirements")
# The statements the outline lists (under their document), each with the token that names it
# (None: it is named by its own word).
_ENTRIES: dict[str, str | None] = {
    "import_stmt": "STRING",
    "calendar": "NAME",
    "provider": "STRING",
    "customer": "STRING",
    "service": "NAME",
    "maintenance": None,
    "priority": "NAME",
    "clock": None,
    "credits": None,
    "fees": None,
    "recurring": "NAME",
    "once": "NAME",
    "rate": "NAME",
    "block": "DURATION",
    "units": None,
    "incidents": None,
    "effort": None,
    "requirement": None,
}
# Blocks whose statements are listed inside them.
_NESTED = {"fees": ("recurring", "once", "rate", "block")}


def _span(path: str | None, first: tuple[int, int], last: tuple[int, int]) -> Span:
    return Span(file=path, line=first[0], column=first[1], end_line=last[0], end_column=last[1])


def _plain(mapper: Mapper | None) -> Mapper:
    return mapper or (lambda line, column: (line, column))


class _Reader:
    def __init__(self, text: str, path: str | None, mapper: Mapper | None) -> None:
        self.text, self.path = text, path
        self.at = _plain(mapper)
        self.names: list[Name] = []
        self.documents: list[tuple[str, str]] = []

    def token_span(self, token: Token) -> Span:
        assert token.line is not None and token.column is not None
        assert token.end_line is not None and token.end_column is not None
        return _span(self.path, self.at(token.line, token.column), self.at(token.end_line, token.end_column))

    def tree_span(self, tree: Tree[Token]) -> Span:
        m = tree.meta
        if m.empty:
            return _span(self.path, (1, 1), (1, 1))
        return _span(self.path, self.at(m.line, m.column), self.at(m.end_line, m.end_column))

    def read(self, tree: Tree[Token]) -> list[Symbol]:
        outline: list[Symbol] = []
        for child in _trees(tree):
            if child.data in _DOCUMENTS:
                outline.append(self.document(child, len(self.documents)))
            else:
                self.collect(child, None)
                symbol = self.entry(child)
                if symbol is not None:
                    outline.append(symbol)
        return outline

    def document(self, tree: Tree[Token], number: int) -> Symbol:
        title_token = _first(tree, "STRING")
        title = _unquote(title_token) if title_token is not None else ""
        self.documents.append((str(tree.data), title))
        ident = next((t for t in _trees(tree) if t.data == "id"), None)
        detail = _unquote(_first(ident, "STRING")) if ident is not None else None
        span = self.tree_span(tree)
        symbol = Symbol(
            str(tree.data),
            title,
            detail,
            span,
            self.token_span(title_token) if title_token is not None else span,
        )
        for child in _trees(tree):
            self.collect(child, number)
            entry = self.entry(child)
            if entry is not None:
                symbol.children.append(entry)
        return symbol

    def collect(self, tree: Tree[Token], document: int | None) -> None:
        """Every name defined or referred to in a statement and what is inside it."""
        for node in tree.iter_subtrees_topdown():  # type: ignore[no-untyped-call]  # lark leaves it unannotated
            read = _NAMES.get(str(node.data))
            if read is None:
                continue
            kind, defines = read
            token = _first(node, "STRING" if kind == "file" else "NAME")
            if token is None:
                continue
            name = _unquote(token) if kind == "file" else str(token)
            self.names.append(Name(kind, name, self.token_span(token), defines, document))

    def entry(self, tree: Tree[Token]) -> Symbol | None:
        """The outline entry of a statement, None for one the outline leaves out."""
        kind = str(tree.data)
        if kind not in _ENTRIES:
            return None
        span = self.tree_span(tree)
        naming = _ENTRIES[kind]
        named = _first(tree, naming) if naming else None
        if kind == "requirement":
            name = " ".join(self.text[tree.meta.start_pos : tree.meta.end_pos].split())
        elif named is not None:
            name = _unquote(named) if named.type == "STRING" else str(named)
        else:
            name = kind
        detail: str | None = ("import" if kind == "import_stmt" else kind) if named is not None else None
        if kind in ("service", "priority"):
            title = [t for t in _tokens(tree) if t.type == "STRING"]
            detail = _unquote(title[0]) if title else None
        if named is not None:
            name_span = self.token_span(named)
        else:  # named by the word it begins with
            word = name.split(" ", 1)[0] if kind == "requirement" else kind
            name_span = replace(span, end_line=span.line, end_column=span.column + len(word))
        symbol = Symbol(kind, name, detail, span, name_span)
        for child in _trees(tree):
            if child.data in _NESTED.get(kind, ()):
                entry = self.entry(child)
                if entry is not None:
                    symbol.children.append(entry)
        return symbol


def _trees(tree: Tree[Token] | None) -> Iterator[Tree[Token]]:
    from lark import Tree

    if tree is not None:
        for child in tree.children:
            if isinstance(child, Tree):
                yield child


def _tokens(tree: Tree[Token]) -> Iterator[Token]:
    from lark import Token

    for child in tree.children:
        if isinstance(child, Token):
            yield child


def _first(tree: Tree[Token] | None, kind: str) -> Token | None:
    if tree is None:
        return None
    return next((t for t in _tokens(tree) if t.type == kind), None)


def _unquote(token: Token | None) -> str:
    if token is None:
        return ""
    try:
        return str(json.loads(str(token), strict=False))
    except ValueError:
        return str(token)[1:-1]


def index(tree: Tree[Token], text: str, path: str | None, mapper: Mapper | None = None) -> Index:
    """The outline and names of a parsed file, from its tree and the text it was parsed from
    (`mapper` maps positions of a mended text back to the text as written)."""
    reader = _Reader(text, path, mapper)
    outline = reader.read(tree)
    return Index(outline, reader.names, reader.documents)


# ------------------------------------------------------------------------------ the tolerant scan

# Words that open a block when a name or title follows them, and the kind of entry they make.
_OPENERS = {
    "agreement",
    "profile",
    "requirements",
    "calendar",
    "service",
    "priority",
    "provider",
    "customer",
    "clock",
    "credits",
    "fees",
    "units",
    "incidents",
    "effort",
}


def scan_outline(text: str, path: str | None) -> Index:
    """An outline from the tokens alone, for a text the parser cannot read even mended: a
    statement beginning with one of the block words and opening a `{` is an entry, named by
    the name or title after the word, holding what is written inside its braces."""
    from .recover import scan

    tokens, _ = scan(text)
    top: list[Symbol] = []
    stack: list[tuple[Symbol | None, list[Symbol]]] = [(None, top)]
    start = True  # at the start of a statement
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "LBRACE":
            stack.append((None, stack[-1][1]))  # a block no entry opened: its entries go up
            start = True
        elif kind == "RBRACE":
            if len(stack) > 1:
                opened, _ = stack.pop()
                if opened is not None:
                    assert token.end_line is not None and token.end_column is not None
                    opened.span = replace(opened.span, end_line=token.end_line, end_column=token.end_column)
            start = False
        elif kind == "_SEP":
            start = True
        elif start and kind == "NAME" and token.value in _OPENERS:
            brace = next(
                (k for k in range(i + 1, min(len(tokens), i + 12)) if tokens[k].type in ("LBRACE", "_SEP")),
                None,
            )
            if brace is not None and tokens[brace].type == "LBRACE":
                named = next((t for t in tokens[i + 1 : brace] if t.type in ("NAME", "STRING")), None)
                first = named or token
                name = (_unquote(named) if named.type == "STRING" else str(named)) if named else token.value
                symbol = Symbol(
                    token.value,
                    name,
                    token.value if named else None,
                    _span(path, (token.line or 1, token.column or 1), (token.line or 1, token.column or 1)),
                    _span(
                        path,
                        (first.line or 1, first.column or 1),
                        (first.end_line or 1, first.end_column or 1),
                    ),
                )
                stack[-1][1].append(symbol)
                stack.append((symbol, symbol.children))
                i = brace + 1
                start = True
                continue
            start = False
        else:
            start = False
        i += 1
    written = [t for t in tokens if t.type != "_SEP"]
    if written:  # entries still open run to the last token
        last = written[-1]
        for opened, _ in stack:
            if opened is not None:
                opened.span = replace(
                    opened.span, end_line=last.end_line or 1, end_column=last.end_column or 1
                )
    return Index(top, [], [])
