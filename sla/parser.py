"""Text to parse tree: the LALR parser from the tables shipped with sla, and syntax errors told in words.

The parse tables are made from `grammar/sla.lark` ahead of time and shipped as plain JSON
(`sla/parse_tables.json`), so that starting `sla` neither analyses the grammar (about 0.2 s) nor
reads a cache that someone else could have written: JSON cannot carry code, and the tables are
checked for shape before lark sees them. After changing the grammar, run

    python -m sla.parser --regenerate

(tests/test_parser.py fails until the shipped tables match the grammar again). Tables that are
missing, stale or malformed are ignored and the parser is built from the grammar instead.

`sla.transform.build` reads a file with `reduce_text`, a loop of our own over the same tables that
hands each node to the model builder; `parse_tree` (lark's parser) makes the tree for everything
else and tells the syntax error when the loop stops at one.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .diagnostics import Diagnostic, SlaError, Span, did_you_mean
from .resources import generated_file_main, read_plain_file, shipped

if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

_TABLES = "parse_tables.json"
_FORMAT = "sla-lalr-tables/1"
_TABLES_LIMIT = 4 * 1024 * 1024  # the tables are about 0.3 MB; a file far larger is not them
_LEXER = "sla.lexer.SlaLexer"  # stands for the lexer class in the tables


def grammar_path() -> Path:
    """The grammar shipped inside the package, or the repository's when running from source."""
    return shipped("grammar", "sla.lark")


def tables_path() -> Path:
    """The parse tables shipped inside the package."""
    return shipped(_TABLES)


def _digest(grammar: str) -> str:
    return hashlib.sha256(grammar.encode("utf-8")).hexdigest()


def _options() -> dict[str, Any]:
    from .lexer import SlaLexer

    return {"parser": "lalr", "lexer": SlaLexer, "propagate_positions": True, "maybe_placeholders": False}


def _build(grammar: str) -> Lark:
    from lark import Lark

    return Lark(grammar, **_options())


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The LALR parser, once per process: from the shipped tables when they were made from this
    grammar, else built from the grammar itself."""
    grammar = grammar_path().read_text(encoding="utf-8")
    parser = _from_tables(grammar, tables_path()) or _build(grammar)
    _finish_as_reduced(parser)
    return parser


# The parse in progress on this thread, if it finishes nodes as they are reduced (see below).
_parsing = threading.local()


def _finish_as_reduced(parser: Lark) -> None:
    """Let a parse hand each node to a `finish` function as soon as its parent is reduced.

    Lark builds the whole tree first, at about a hundred bytes per byte of text, and a
    transformer then walks it; a file of a million statements held its tree and its models at
    once. Here each reduction, once lark has built the node and given it its position, finishes
    the node's direct children (a model or statement in place of each subtree), so a subtree
    lives only until its parent is reduced. A parse without `finish` builds the plain tree.
    Inlined rules (`_name`, lark's repetitions) hold children finished when they were reduced;
    a repetition's list is reused as it grows, so only its newest items are looked for.
    """
    from lark import Tree

    callbacks: dict[Any, Callable[[list[Any]], Any]] = parser._callbacks  # one dict with the parser's

    def finishing(build: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
        def reduce(children: list[Any]) -> Any:
            node = build(children)
            finish = getattr(_parsing, "finish", None)
            if finish is None or not children or any(node is c for c in children):
                return node  # no builder, nothing to finish, or a child passed up as it is
            kept = node.children
            for child in children:
                if isinstance(child, Tree) and child.data[0] != "_":
                    for at in range(len(kept) - 1, -1, -1):
                        if kept[at] is child:
                            kept[at] = finish(child)
                            break
            return node

        return reduce

    for rule, build in callbacks.items():
        callbacks[rule] = finishing(build)


def _from_tables(grammar: str, path: Path) -> Lark | None:
    from lark import Lark

    raw = read_plain_file(path, _TABLES_LIMIT)
    if raw is None:
        return None
    try:
        return Lark.load(_lark_data(json.loads(raw), _digest(grammar)))
    except Exception:  # noqa: BLE001 - malformed in any way, or from a lark laid out otherwise: rebuild
        return None


# The tables file, one JSON object (lists where lark has objects, to keep it small and quick):
#   format          _FORMAT
#   grammar_sha256  of the grammar's text; tables for another grammar are not used
#   ignore          the terminals the lexer skips (the start rule is `start`)
#   terminals       [name, "str" or "re", pattern, pattern as written, priority], in lark's order
#   rules           [origin, [symbol, ...], [positions of symbols left out of the tree], order,
#                    alias, [keep_all_tokens, expand1, priority, template_source, empty_indices]]
#   tokens          the symbols the table moves on, by number
#   states          per state: [token number, 0 shift or 1 reduce, state or rule number], ...
#   start_state, end_state


def tables_text(grammar: str) -> str:
    """The parse tables for a grammar as the JSON text shipped in `sla/parse_tables.json`."""
    from lark.grammar import Terminal
    from lark.parsers.lalr_analysis import Shift

    parser = _build(grammar)
    table = parser.parser.parser._parse_table
    rule_number = {id(rule): i for i, rule in enumerate(parser.rules)}
    tokens = sorted({str(token) for moves in table.states.values() for token in moves})
    token_number = {name: i for i, name in enumerate(tokens)}
    # Lark numbers states in an order that follows Python's string hashing, which changes from
    # run to run: number them in the order a walk from the start meets them instead, so that
    # the same grammar always gives the same bytes.
    order: dict[int, int] = {}
    walk = [table.start_states["start"]]
    for state in walk:
        if state not in order:
            order[state] = len(order)
            walk.extend(arg for _, (action, arg) in sorted(table.states[state].items()) if action is Shift)
    states: list[list[list[int]]] = [[] for _ in order]
    for state, moves in table.states.items():
        states[order[state]] = [
            [token_number[token], 0, order[arg]]
            if action is Shift
            else [token_number[token], 1, rule_number[id(arg)]]
            for token, (action, arg) in sorted(moves.items())
        ]
    doc = {
        "format": _FORMAT,
        "grammar_sha256": _digest(grammar),
        "ignore": sorted(parser.lexer_conf.ignore),
        "terminals": [
            [t.name, t.pattern.type, t.pattern.value, t.pattern.raw, t.priority] for t in parser.terminals
        ],
        "rules": [
            [
                str(r.origin.name),
                [str(s.name) for s in r.expansion],
                [i for i, s in enumerate(r.expansion) if isinstance(s, Terminal) and s.filter_out],
                r.order,
                r.alias,
                [
                    r.options.keep_all_tokens,
                    r.options.expand1,
                    r.options.priority,
                    r.options.template_source,
                    list(r.options.empty_indices),
                ],
            ]
            for r in parser.rules
        ],
        "tokens": tokens,
        "states": states,
        "start_state": order[table.start_states["start"]],
        "end_state": order[table.end_states["start"]],
    }

    def dump(value: object) -> str:
        return json.dumps(value, separators=(",", ":"))

    def entry(key: str, value: object) -> str:  # one terminal, rule or state a line, for readable diffs
        if key in ("terminals", "rules", "states") and isinstance(value, list):
            return f"{dump(key)}:[\n" + ",\n".join(map(dump, value)) + "]"
        return f"{dump(key)}:{dump(value)}"

    return "{" + ",\n".join(entry(key, value) for key, value in doc.items()) + "}\n"


class _NotTables(ValueError):
    """The file is not parse tables for this grammar, or one of its shifts or reductions leads nowhere."""


def _need(ok: object) -> None:
    if not ok:
        raise _NotTables


def _is(value: object, *types: type) -> bool:  # exactly: JSON's true is not the number 1
    return type(value) in types


def _lark_data(doc: Any, digest: str) -> dict[str, Any]:
    """The tables as `Lark.load` takes them, their terminals and rules made here rather than by
    lark's generic loader; raises unless every symbol, shift and reduction in them exists."""
    _need(_is(doc, dict) and doc.get("format") == _FORMAT and doc.get("grammar_sha256") == digest)
    terminals = _terminal_defs(doc["terminals"], doc["ignore"])
    rules = _rules(doc["rules"], {t.name for t in terminals})
    tokens, states = doc["tokens"], doc["states"]
    symbols = {t.name for t in terminals} | {r.origin.name for r in rules} | {"$END"}
    _need(_is(tokens, list) and set(tokens) <= symbols)  # only strings equal the symbols' names
    refs = [{"@": len(terminals) + i} for i in range(len(rules))]
    table = _table(states, len(tokens), refs)
    ends = doc["start_state"], doc["end_state"]
    _need(all(_is(s, int) and 0 <= s < len(table) for s in ends))
    options = _options()
    front = {
        "lexer_conf": {
            "terminals": [{"@": i} for i in range(len(terminals))],
            "ignore": doc["ignore"],
            "g_regex_flags": 0,
            "use_bytes": False,
            "lexer_type": options["lexer"],
            "__type__": "LexerConf",
        },
        "parser_conf": {"rules": refs, "start": ["start"], "parser_type": "lalr", "__type__": "ParserConf"},
        "parser": {
            "tokens": dict(enumerate(tokens)),
            "states": table,
            "start_states": {"start": ends[0]},
            "end_states": {"start": ends[1]},
        },
    }
    memo = dict(enumerate([*terminals, *rules]))
    return {"data": {"options": options, "rules": refs, "parser": front}, "memo": memo}


def _terminal_defs(rows: Any, ignore: Any) -> list[TerminalDef]:
    from lark.lexer import PatternRE, PatternStr, TerminalDef

    _need(_is(rows, list))
    terminals = []
    for name, kind, value, raw, priority in rows:
        _need(_is(name, str) and _is(value, str) and _is(raw, str, type(None)) and _is(priority, int))
        _need(kind in ("str", "re"))
        terminals.append(
            TerminalDef(name, (PatternStr if kind == "str" else PatternRE)(value, (), raw), priority)
        )
    names = {t.name for t in terminals}
    _need(len(names) == len(terminals) and _is(ignore, list) and all(i in names for i in ignore))
    return terminals


def _rules(rows: Any, terminals: set[str]) -> list[Rule]:
    from lark.grammar import NonTerminal, Rule, RuleOptions, Terminal

    _need(_is(rows, list) and all(_is(row, list) and row and _is(row[0], str) for row in rows))
    origins = {row[0] for row in rows}
    _need("start" in origins and not origins & terminals)
    known = terminals | origins
    symbols: dict[tuple[str, bool], Terminal | NonTerminal] = {}
    rules = []
    for origin, expansion, filtered, order, alias, options in rows:
        _need(
            _is(expansion, list) and _is(filtered, list) and _is(order, int) and _is(alias, str, type(None))
        )
        _need(set(expansion) <= known)
        _need(all(_is(i, int) and 0 <= i < len(expansion) and expansion[i] in terminals for i in filtered))
        keep, expand1, priority, template, empty = options
        _need(_is(keep, bool) and _is(expand1, bool) and _is(priority, int, type(None)))
        _need(_is(template, str, type(None)) and _is(empty, list) and all(_is(e, bool) for e in empty))
        line = []
        for i, name in enumerate(expansion):
            key = (name, i in filtered)
            if key not in symbols:
                symbols[key] = Terminal(name, key[1]) if name in terminals else NonTerminal(name)
            line.append(symbols[key])
        rules.append(
            Rule(
                NonTerminal(origin),
                line,
                order,
                alias,
                RuleOptions(keep, expand1, priority, template, tuple(empty)),
            )
        )
    return rules


def _table(rows: Any, tokens: int, rules: list[dict[str, int]]) -> dict[int, dict[int, tuple[int, Any]]]:
    """Each state's moves as lark's loader takes them: (0, state) to shift, (1, rule) to reduce."""
    _need(_is(rows, list))
    states = len(rows)
    table = {}
    for number, moves in enumerate(rows):
        row: dict[int, tuple[int, Any]] = {}
        for token, action, arg in moves:  # checked inline: a function call per move would cost a millisecond
            if type(token) is not int or type(arg) is not int or not 0 <= token < tokens:
                raise _NotTables
            if action == 0 and type(action) is int and 0 <= arg < states:
                row[token] = (0, arg)
            elif action == 1 and type(action) is int and 0 <= arg < len(rules):
                row[token] = (1, rules[arg])
            else:
                raise _NotTables
        table[number] = row
    return table


def parse_tree(
    text: str, file: str | None = None, finish: Callable[[Tree[Token]], Any] | None = None
) -> Tree[Token]:
    """Parse text into a lark tree, or raise SlaError with the syntax error in words.

    With `finish`, every node but the root is handed to it as soon as its parent is reduced and
    replaced by what it returns, so the tree is never held whole; the root is left to the caller.
    """
    from lark.exceptions import UnexpectedInput

    parser = get_parser()
    _parsing.finish = finish
    try:
        return parser.parse(text)
    except UnexpectedInput as exc:
        raise SlaError([describe_syntax_error(exc, text, file)]) from None
    finally:
        _parsing.finish = None


# ---------------------------------------------------------------------------- the loop for models

# Lark's `feed_token` and tree builder do generic work for every token and every reduction
# (a Token with eight positions, a Tree with a Meta of twelve, wrappers that test what any
# grammar might need), which took more than half the time of loading a large file. Here one
# loop reads the same tables (lark made them; they stay the grammar's authority) and reduces
# straight to the transformer's handlers, in the same order as `_finish_as_reduced`. Anything
# the tables do not allow stops it; lark's parser then reads the text again and tells the error.
#
# On its value stack a token is (start, end, terminal), a node waiting for its parent is
# (start, end, handler, children) and an inlined rule (`_name`, lark's repetitions) is
# (start, end, items); start and end are offsets into the text (None for a node of no text)
# and become lines and columns only when a handler asks (`Lines`). A node is handed to its
# handler with that tuple as its `meta`.

_TOKEN, _NODE, _SPLICE = 0, 1, 2


class Unexpected(Exception):
    """The loop met text or a token the tables do not allow here."""


class _Rule(NamedTuple):
    size: int  # symbols on the right-hand side
    origin: str  # the rule's name, to look up the state after it
    name: str | None  # the handler's name; None for a rule inlined into its parent
    parts: tuple[tuple[int, int], ...]  # (position, _TOKEN, _NODE or _SPLICE) of what is kept


class _Tables(NamedTuple):
    match: Callable[[str, int], re.Match[str] | None]
    keywords: dict[str, str]
    ignore: frozenset[str]
    rows: list[dict[str, int]]  # per state: terminal or rule -> state (>= 0) or ~rule (< 0)
    rules: list[_Rule]
    start: int
    end: int


@lru_cache(maxsize=1)
def _loop_tables() -> _Tables | None:
    """The parser's tables in the shape the loop reads, or None when the grammar needs what only
    lark's own builder does (a `?rule`, placeholders, a name inlined one way and called another)."""
    from lark.parsers.lalr_analysis import Shift

    from .lexer import SlaLexer

    parser = get_parser()
    if parser.options.maybe_placeholders or not parser.options.propagate_positions:
        return None
    lexer = parser.parser.lexer
    if type(lexer) is not SlaLexer or parser.options.postlex is not None or parser.options.lexer_callbacks:
        return None
    table = parser.parser.parser.parser.parse_table
    rules: list[_Rule] = []
    number: dict[int, int] = {}
    rows: list[dict[str, int]] = [{} for _ in table.states]
    if sorted(table.states) != list(range(len(rows))):
        return None
    for state, moves in table.states.items():
        row = rows[state]
        for symbol, (action, arg) in moves.items():
            if action is Shift:
                row[symbol] = arg
                continue
            if id(arg) not in number:
                rule = _rule(arg)
                if rule is None:
                    return None
                number[id(arg)] = len(rules)
                rules.append(rule)
            row[symbol] = ~number[id(arg)]
    return _Tables(
        lexer.pattern.match,
        lexer.keywords,
        lexer.ignore,
        rows,
        rules,
        table.start_states["start"],
        table.end_states["start"],
    )


def _rule(rule: Rule) -> _Rule | None:
    """How the loop reduces by a rule: lark's `ParseTreeBuilder` for this grammar's options."""
    options = rule.options
    name = str(rule.alias or options.template_source or rule.origin.name)
    inlined = rule.origin.name.startswith("_")
    if options.expand1 or name.startswith("_") != inlined:
        return None
    from lark.grammar import Terminal

    parts = []
    for at, symbol in enumerate(rule.expansion):
        if isinstance(symbol, Terminal):
            if options.keep_all_tokens or not symbol.filter_out:
                parts.append((at, _TOKEN))
        else:
            parts.append((at, _SPLICE if symbol.name.startswith("_") else _NODE))
    return _Rule(len(rule.expansion), str(rule.origin.name), None if inlined else name, tuple(parts))


class Lines:
    """Lines and columns of offsets into a text, found by bisection over where its lines start."""

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.starts = starts

    def span(self, start: int, end: int, file: str | None) -> Span:
        starts = self.starts
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, end)
        if _SET_SPAN is None:
            return Span(
                file=file,
                line=line,
                column=start - starts[line - 1] + 1,
                end_line=end_line,
                end_column=end - starts[end_line - 1] + 1,
            )
        span = _new_object(Span)
        set_file, set_line, set_column, set_end_line, set_end_column = _SET_SPAN
        set_file(span, file)
        set_line(span, line)
        set_column(span, start - starts[line - 1] + 1)
        set_end_line(span, end_line)
        set_end_column(span, end - starts[end_line - 1] + 1)
        return span


def _span_setters() -> tuple[Callable[[Span, Any], None], ...] | None:
    """The slots of a Span, set directly: its frozen dataclass `__init__` takes three times as
    long, and a large file has a Span for every statement. None if Span is no longer a plain
    slotted class of these five fields."""
    fields = ("file", "line", "column", "end_line", "end_column")
    if getattr(Span, "__slots__", None) != fields or hasattr(Span, "__post_init__"):
        return None
    return tuple(Span.__dict__[name].__set__ for name in fields)


_new_object = object.__new__
_SET_SPAN = _span_setters()


Handler = Callable[[Any, list[Any]], Any]


def reduce_text(text: str, handler: Callable[[str], Handler | None], lines: Lines) -> Any:
    """Parse text, handing each node's children to the handler of its rule (`handler(name)`)
    as soon as its parent is reduced; what the root's handler returns. A rule without a handler
    gives a lark Tree, as `parse_tree` does. Raises `Unexpected` where the text does not parse
    (then `parse_tree` says why), or LookupError when the tables are not fit for the loop."""
    tables = _loop_tables()
    if tables is None:
        raise LookupError("the grammar needs lark's tree builder")
    match, keywords, ignore, rows, rules, state, end_state = tables
    handlers = {}
    for rule in rules:
        if rule.name is not None and rule.name not in handlers:
            handlers[rule.name] = handler(rule.name) or _tree_maker(rule.name, lines)
    plan = [(r.size, r.origin, handlers.get(r.name) if r.name else None, r.parts) for r in rules]
    new_token = str.__new__
    from lark import Token

    states = [state]
    values: list[Any] = []
    pop_value, pop_state, push_value, push_state = values.pop, states.pop, values.append, states.append
    row = rows[state]
    pos, length = 0, len(text)
    kind = ""
    start: int | None = None
    end: int | None = None
    while True:
        if pos < length:
            m = match(text, pos)
            if m is None:
                raise Unexpected
            kind = m.lastgroup  # type: ignore[assignment]  # every alternative is a named group
            end = m.end()
            if kind in ignore:
                pos = end
                continue
            if kind == "NAME":
                keyword = keywords.get(m.group())
                if keyword is not None and keyword in row:
                    kind = keyword
            start, pos = pos, end
        else:
            kind, start, end = "$END", None, None
        while True:
            action = row.get(kind)
            if action is None:
                raise Unexpected
            if action >= 0:
                if start is None:
                    raise Unexpected  # shifting the end of the text: not a table lark made
                push_state(action)
                push_value((start, end, kind))
                row = rows[action]
                break
            size, origin, build, parts = plan[~action]
            if size == 1:
                child = pop_value()
                pop_state()
                children = [child]
                first, last = child[0], child[1]
                if first is None:
                    last = None
            elif size:
                children = values[-size:]
                del values[-size:]
                del states[-size:]
                first, last = children[0][0], children[-1][1]
                if first is None or last is None:  # a child of no text: lark looks further
                    placed = [c for c in children if c[0] is not None]
                    first, last = (placed[0][0], placed[-1][1]) if placed else (None, None)
            else:
                children, first, last = [], None, None
            kept: list[Any] = []
            for at, part in parts:
                child = children[at]
                if part == _NODE:
                    kept.append(child[2](child, child[3]))
                elif part == _TOKEN:
                    a, b, terminal = child
                    word = text[a:b]
                    token = new_token(Token, word)
                    token.type, token.value, token.start_pos, token.end_pos = terminal, word, a, b
                    token.line = token.column = token.end_line = token.end_column = None
                    kept.append(token)
                elif kept:
                    kept += child[2]
                else:
                    kept = child[2]  # a repetition's list grows in place, as lark's does
            value: Any = (first, last, kept) if build is None else (first, last, build, kept)
            goto = rows[states[-1]][origin]
            push_state(goto)
            push_value(value)
            row = rows[goto]
            if goto == end_state and start is None:
                return value[2](value, value[3])


def _tree_maker(name: str, lines: Lines) -> Handler:
    """A lark Tree for a rule without a handler, with the positions lark would give it."""
    from lark import Tree
    from lark.tree import Meta

    def make(meta: Any, children: list[Any]) -> Tree[Any]:
        node_meta = Meta()  # type: ignore[no-untyped-call]  # lark leaves it unannotated
        if meta[0] is not None:
            span = lines.span(meta[0], meta[1], None)
            places = {
                "line": span.line,
                "column": span.column,
                "start_pos": meta[0],
                "end_line": span.end_line,
                "end_column": span.end_column,
                "end_pos": meta[1],
            }
            for key, value in places.items():  # a node's container is itself (no `?rule` here)
                setattr(node_meta, key, value)
                setattr(node_meta, f"container_{key}", value)
            node_meta.empty = False
        return Tree(name, children, node_meta)

    return make


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
# Longer words are not compared with the keywords: none could be close, and difflib would index
# every character of a 10 MiB word.
_SUGGEST_LIMIT = 64
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
                (
                    t.value
                    for t in reversed(stack[:i])
                    if isinstance(t, Token) and t.value.isidentifier() and t.type == t.value.upper()
                ),
                "block",
            )
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
            return Diagnostic(
                "SLA001", "error", "unterminated string", span, 'close the string with " on the same line'
            )
        if char in "\x00\ufffd" or not char.isprintable() and not char.isspace():
            return Diagnostic(
                "SLA001",
                "error",
                f"unexpected character {char!r}",
                span,
                "is this a text file? .sla files are UTF-8 text",
            )
        at = exc.pos_in_stream or 0
        ahead = text[at : at + 200]  # not a copy of the rest of the file
        word = ahead.split(None, 1)[0][:40] if ahead.strip() else char
        foreign = _foreign_digit(text, at, span)
        if foreign is not None:
            return foreign
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
        span = Span(
            file=file,
            line=token.line,
            column=token.column,
            end_line=token.line,
            end_column=end_column or token.column + 1,
        )

    if token.type != "$END" and token.start_pos is not None:
        foreign = _foreign_digit(text, token.start_pos, span)
        if foreign is not None:
            return foreign

    if token.type == "$END" and blocks:
        word, brace = blocks[-1]
        return Diagnostic(
            "SLA002",
            "error",
            f"unexpected end of file: the {word!r} block opened at line {brace.line} is not closed",
            span,
            "add the missing '}'",
        )

    keywords = [k for k in (_keyword(parser, e) for e in expected) if k and k.isidentifier()]
    where = f" in the {blocks[-1][0]!r} block" if blocks else ""
    found = _describe_found(token)
    if token.type == "NAME" and keywords and "NAME" not in expected:
        close = did_you_mean(token.value, keywords) if len(token.value) <= _SUGGEST_LIMIT else None
        hint = close or _expected_hint(parser, expected, _last_keyword(stack))
        return Diagnostic("SLA003", "error", f"unknown word {token.value!r}{where}", span, hint)

    message = f"unexpected {found}{where}"
    hint = _expected_hint(parser, expected, _last_keyword(stack))
    return Diagnostic("SLA001", "error", message, span, hint)


def _foreign_digit(text: str, at: int, span: Span) -> Diagnostic | None:
    """A digit of another script in the word at `at` (where `span` starts), as its own error: the
    grammar reads only 0-9, so `1٠` or `08:00-1８:00` stop at a token that is not the culprit."""
    end = at
    while end < len(text) and end < at + 64 and not text[end].isspace():
        end += 1
    for i in range(at, end):
        char = text[i]
        if not char.isascii() and unicodedata.category(char) == "Nd":
            column = span.column + i - at
            return Diagnostic(
                "SLA001",
                "error",
                f"{char!r} ({unicodedata.name(char, 'a digit')}) is not one of the digits 0-9",
                Span(
                    file=span.file, line=span.line, column=column, end_line=span.line, end_column=column + 1
                ),
                f"write it as {unicodedata.digit(char)}: numbers are written with the digits 0-9",
            )
    return None


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


# Possessive (*+) for the reason given beside the grammar's STRING.
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]+|\\[^\n])*+"?|#[^\n]*')


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


def _main(argv: list[str]) -> int:
    return generated_file_main(
        argv, "sla.parser", tables_path(), lambda: tables_text(grammar_path().read_text(encoding="utf-8"))
    )


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
