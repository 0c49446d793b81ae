"""A text that does not parse, mended: the least the parser must leave out or add to read the rest.

An editor's text is broken most of the time it is being typed. `mend` feeds the tokens to the
LALR parser one at a time; where one is refused it tries a few repairs - add a `{`, `}` or `;`
before it, leave it out, leave out the statement it is in (back to where the statement began),
or leave out the `}` closed last (a stray one) - and keeps the one that lets the parser read
furthest past it, the cheapest among equals. The repairs are made to the text itself, so that
the mended text goes through the same loader and checks as any file: a token left out becomes
spaces (its line ends kept), and an added brace or semicolon shifts only the rest of its line,
which `Mended.original` maps back. Each syntax error after the first is described in the words
`sla check` would use once the ones before it were fixed, unless it comes so soon after the last
repair that it is more likely that repair's echo than a mistake of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeAlias

from ..diagnostics import Diagnostic, SlaError, Span

if TYPE_CHECKING:
    from lark import Token, Tree

#: lark's InteractiveParser, whose methods lark leaves unannotated.
InteractiveParser: TypeAlias = Any

#: What a repair may add before a refused token.
_ADDED = ("}", ";", "{", "};", "}}", "}};", "}}}", "}}};")
_TERMINAL = {"{": "LBRACE", "}": "RBRACE", ";": "_SEP"}
#: How many tokens past a repair are tried to judge it; reaching the end counts as one more.
_HORIZON = 8
#: What reading one more token past a repair is worth, in tokens left out or added.
_WORTH = 4
#: A token refused this soon after the last repair is taken for its echo, not a new error.
_ECHO = 3
#: A text needing more repairs than this is not mended (each costs up to a few hundred feeds).
MAX_REPAIRS = 200


@dataclass
class Mended:
    """A text made to parse: the mended text, the syntax errors after the first, and where each
    added character went (so that a position in the mended text can be mapped back)."""

    text: str
    errors: list[Diagnostic]
    #: Per line of the mended text (1-based): the columns (1-based, of the mended line) of the
    #: characters added to it, in order.
    added: dict[int, list[int]] = field(default_factory=dict)
    last_line: int = 1
    last_column: int = 1
    #: Where the text was changed, as (line, column) of the text as written.
    repairs: list[tuple[int, int]] = field(default_factory=list)

    def original(self, line: int, column: int) -> tuple[int, int]:
        """A position in the mended text as a position in the text as written."""
        if line > self.last_line:
            return self.last_line, self.last_column
        added = self.added.get(line)
        if not added:
            return line, column
        return line, column - bisect_right(added, column - 1)

    def touches(self, span: Span) -> bool:
        """Whether a span (of the text as written) holds a place the text was changed."""
        start, end = (span.line, span.column), (span.end_line, span.end_column)
        return any(start <= at <= end for at in self.repairs)


class _AnyWord:
    """Stands for a parser state in which no word is a keyword, so that the lexer makes every
    word a NAME: whether it is a keyword is decided when the token is fed (as `SlaLexer` does)."""

    position = 0

    class parse_conf:  # the attribute lark's lexer reads
        states: ClassVar[dict[int, dict[str, Any]]] = {0: {}}


def scan(text: str) -> tuple[list[Token], list[tuple[int, int]]]:
    """Every token of a text by the parser's own lexer, every word a NAME; and the stretches
    (start, end) of characters no token matches, which are skipped (an unterminated string up
    to the end of its line)."""
    from lark.exceptions import UnexpectedCharacters
    from lark.lexer import LexerState, LineCounter
    from lark.utils import TextSlice

    from ..parser import get_parser

    lexer = get_parser().parser.lexer
    found: list[Token] = []
    skipped: list[tuple[int, int]] = []
    counter = LineCounter("\n")  # type: ignore[no-untyped-call]  # lark leaves it unannotated
    while True:
        state = LexerState(TextSlice(text, 0, len(text)), counter)
        try:
            found.extend(lexer.lex(state, _AnyWord()))
            return found, skipped
        except UnexpectedCharacters as exc:
            at, line, column = exc.pos_in_stream or 0, exc.line or 1, exc.column or 1
            end = text.find("\n", at) if text[at] == '"' else at + 1
            end = len(text) if end < 0 else end
            skipped.append((at, end))
            counter = LineCounter("\n")  # type: ignore[no-untyped-call]
            counter.line_start_pos = at - column + 1
            counter.char_pos, counter.line = end, line
            counter.column = end - counter.line_start_pos + 1


def mend(text: str, path: str | None) -> Mended | None:
    """The text mended so that it parses, or None when no repair lets the parser go on (or
    there are more than MAX_REPAIRS to make)."""
    return _Mender(text, path).run()


def parser_after(text: str) -> tuple[InteractiveParser, str | None] | None:
    """The parser (no tree kept) after reading a text - the part of a file before a cursor -
    repaired as `mend` repairs it, and the kind of the token it read last; None when it could
    not be read to its end."""
    mender = _Mender(text, None)
    if mender.run(to_the_end=False) is None:
        return None
    return mender.ip, mender.last


def parse_mended(text: str, path: str | None) -> tuple[Mended, Tree[Token]] | None:
    """The mended text and its parse tree, or None when it cannot be mended."""
    from ..parser import parse_tree

    mended = mend(text, path)
    if mended is None:
        return None
    try:
        return mended, parse_tree(mended.text, path)
    except SlaError:  # the text did not take a repair as the trial did
        return None


def _takes_end(ip: InteractiveParser, end: Token) -> bool:
    try:
        ip.feed_token(end)
    except Exception:  # noqa: BLE001 - lark refuses the end in more than one way
        return False
    return True


class _Frame(NamedTuple):
    """Where a statement began: its first token, the parser before it, the characters added
    so far, and the kind of the token fed last (a line end, a `{`, or None at the start)."""

    start: int
    parser: InteractiveParser
    added: int
    last: str | None


class _Mender:
    def __init__(self, text: str, path: str | None) -> None:
        from ..parser import comments, get_parser

        self.text, self.path = text, path
        self.lark = get_parser()
        self.keywords: dict[str, str] = self.lark.parser.lexer.keywords
        self.tokens, skipped = scan(text)
        found = comments(text)
        self.ends_in_comment = bool(found) and found[-1][0] == text.count("\n") + 1
        self.blank: list[tuple[int, int]] = skipped  # stretches written over with spaces
        self.added: list[tuple[int, str]] = []  # (offset in the text, character)
        self.errors: list[Diagnostic] = []
        ip: InteractiveParser = self.lark.parse_interactive("")
        # No tree is built here (the mended text is parsed again): lark's callbacks are skipped.
        conf = copy(ip.parser_state.parse_conf)
        conf.callbacks = {}
        ip.parser_state.parse_conf = conf
        self.ip: InteractiveParser = ip
        self.last: str | None = None  # the kind of the token fed last
        self.frames = [_Frame(0, ip.copy(deepcopy_values=False), 0, None)]
        # The `}` fed last: the index of the token after it; the parser, frames, number of
        # additions and kind of token before it; and whether it was written (not added).
        self.closed: tuple[int, InteractiveParser, list[_Frame], int, str | None, bool] | None = None

    # -- feeding ------------------------------------------------------------------------------

    def typed(self, token: Token, ip: InteractiveParser) -> Token:
        """A word as the keyword it is, where the parser's state takes that keyword."""
        from lark import Token

        keyword = self.keywords.get(token.value) if token.type == "NAME" else None
        if keyword is not None and keyword in ip.choices():
            return Token.new_borrow_pos(keyword, token.value, token)
        return token

    @staticmethod
    def feeds(ip: InteractiveParser, token: Token, last: str | None) -> bool:
        """Feed one token; False (the parser perhaps reduced on the way) when it is refused. A
        line end right after another is taken as read: with nothing but spaces left between
        them, the lexer makes one token of the two in the mended text."""
        from lark.exceptions import UnexpectedToken

        if token.type == "_SEP" and last == "_SEP":
            return True
        if token.type not in ip.choices():
            return False
        try:
            ip.feed_token(token)
        except UnexpectedToken:
            return False
        return True

    def feed(self, token: Token, after: int, written: bool = True) -> bool:
        """Feed a token to the parser itself (`after` is the index of the token to feed next),
        keeping the frames of the statements it is in."""
        closing = None
        if token.type == "RBRACE":
            before = self.ip.copy(deepcopy_values=False)
            closing = (after, before, list(self.frames), len(self.added), self.last, written)
        if not self.feeds(self.ip, token, self.last):
            return False
        if token.type == "_SEP" and self.last == "_SEP":
            return True
        self.last = token.type
        if token.type == "LBRACE":
            self.frames.append(_Frame(after, self.ip.copy(deepcopy_values=False), len(self.added), "LBRACE"))
        elif token.type == "_SEP":
            self.frames[-1] = _Frame(after, self.ip.copy(deepcopy_values=False), len(self.added), "_SEP")
        elif closing is not None:
            self.closed = closing
            if len(self.frames) > 1:
                self.frames.pop()
        return True

    def reach(self, ip: InteractiveParser, last: str | None, start: int, made: Sequence[Token] = ()) -> int:
        """How far a copy of the parser reads from token `start` (after the tokens `made`): the
        number of tokens, at most _HORIZON, and one more for reaching the end; -1 when it does
        not take `made`."""
        trial = ip.copy(deepcopy_values=False)
        for token in made:
            if not self.feeds(trial, token, last):
                return -1
            last = token.type
        read = 0
        for token in self.tokens[start : start + _HORIZON]:
            if not self.feeds(trial, self.typed(token, trial), last):
                return read
            last = token.type
            read += 1
        if start + read >= len(self.tokens) and self.closing(trial, last) is not None:
            read += 1
        return read

    def closing(self, ip: InteractiveParser, last: str | None) -> str | None:
        """The `}`s that let the parser take the end of the text where it is (none, when it
        takes it as it is), or None when no number of them does. When the text ends in a
        comment they go on a line of their own."""
        from lark import Token

        end = self.end_token()
        for n in range(len(self.frames) + 2):
            trial = ip.copy(deepcopy_values=False)
            made = [Token.new_borrow_pos("RBRACE", "}", end) for _ in range(n)]
            if n and self.ends_in_comment:
                made.insert(0, Token.new_borrow_pos("_SEP", "\n", end))
            if all(self.feeds(trial, token, last) for token in made) and _takes_end(trial, end):
                return "".join(token.value for token in made)
        return None

    def end_token(self) -> Token:
        from lark import Token

        if self.tokens:
            return Token.new_borrow_pos("$END", "", self.tokens[-1])
        return Token("$END", "", 0, 1, 1)

    # -- the run ------------------------------------------------------------------------------

    def run(self, to_the_end: bool = True) -> Mended | None:
        """Read every token, repairing where one is refused; then (`to_the_end`) close what is
        still open. None when no repair lets the parser go on."""
        i, since, repairs = 0, _ECHO, 0
        skipped = iter(sorted(self.blank))
        skip = next(skipped, None)
        while True:
            at = self.tokens[i].start_pos if i < len(self.tokens) else len(self.text)
            while skip is not None and at is not None and skip[0] < at:
                if since >= _ECHO:  # characters no token matches, as the lexer reports them
                    self.record_characters(skip[0])
                skip, since = next(skipped, None), 0
            if i < len(self.tokens):
                token = self.typed(self.tokens[i], self.ip)
                if self.feed(token, i + 1):
                    i, since = i + 1, since + 1
                    continue
            elif not to_the_end:
                return self.result()
            else:
                closing = self.closing(self.ip, self.last)
                if closing is not None:
                    if closing and since >= _ECHO:
                        self.record(self.end_token())
                    if closing:
                        self.added.append((len(self.text), closing))
                    return self.result()
                token = self.end_token()
            repairs += 1
            if repairs > MAX_REPAIRS:
                return None
            if since >= _ECHO:
                self.record(token)
            repaired = self.repair(i)
            if repaired is None:
                return None
            i, since = repaired, 0

    def record(self, token: Token) -> None:
        from lark.exceptions import UnexpectedToken

        from ..parser import describe_syntax_error

        expected = {s for s in self.ip.choices() if s.isupper()}
        exc = UnexpectedToken(  # type: ignore[no-untyped-call]  # lark leaves it unannotated
            token, expected, state=self.ip.parser_state, interactive_parser=self.ip
        )
        self.errors.append(describe_syntax_error(exc, self.text, self.path))

    def record_characters(self, at: int) -> None:
        from lark.exceptions import UnexpectedCharacters

        from ..parser import describe_syntax_error

        line = self.text.count("\n", 0, at) + 1
        column = at - (self.text.rfind("\n", 0, at) + 1) + 1
        expected = {s for s in self.ip.choices() if s.isupper()}
        exc = UnexpectedCharacters(self.text, at, line, column, allowed=expected)  # type: ignore[no-untyped-call]
        self.errors.append(describe_syntax_error(exc, self.text, self.path))

    def made(self, chars: str, i: int) -> list[Token]:
        from lark import Token

        at = self.tokens[i] if i < len(self.tokens) else self.end_token()
        return [Token.new_borrow_pos(_TERMINAL[c], c, at) for c in chars]

    def repair(self, i: int) -> int | None:
        """Make the best repair where token `i` (or the end) is refused; the index of the token
        to feed next, or None when nothing helps."""
        at = self.tokens[i] if i < len(self.tokens) else None
        # (worth, -cost, what, detail): a token read is worth _WORTH tokens left out or added,
        # so that leaving out a whole block to reach the end is not taken for a good repair.
        best: tuple[int, int, str, Any] | None = None

        def consider(score: int, cost: int, what: str, detail: Any) -> None:
            nonlocal best
            worth = score * _WORTH - cost
            if score > 0 and (best is None or (worth, -cost) > best[:2]):
                best = (worth, -cost, what, detail)

        for chars in _ADDED:
            if _TERMINAL[chars[0]] in self.ip.choices() and not (
                at is not None and at.type == "_SEP" == _TERMINAL[chars[-1]]
            ):
                consider(self.reach(self.ip, self.last, i, self.made(chars, i)), len(chars), "add", chars)
        if at is not None and "\n" not in at.value:
            consider(self.reach(self.ip, self.last, i + 1), 1, "drop", None)
        for depth in (1, 2):
            if len(self.frames) >= depth:
                frame = self.frames[-depth]
                end = self.statement_end(frame.start, i, depth)
                ip, last = self.restart(frame, end, trial=True)
                consider(self.reach(ip, last, end), end - frame.start + depth, "statement", (depth, end))
        if self.closed is not None and self.closed[0] <= i:
            after, before, _, _, last, _ = self.closed
            between = i - after
            read = self.reach_past(before, last, after, between)
            consider(read, between + 2, "unclose", None)

        if best is None:
            return self.fallback(i, at)
        _, _, what, detail = best
        if what == "add":
            offset = at.start_pos if at is not None and at.start_pos is not None else len(self.text)
            for token in self.made(detail, i):
                self.added.append((offset, token.value))
                self.feed(token, i, written=False)
            return i
        if what == "drop":
            self.drop(i, i + 1)
            return i + 1
        if what == "statement":
            depth, end = int(detail[0]), int(detail[1])
            frame = self.frames[-depth]
            del self.frames[len(self.frames) - depth + 1 :]
            self.ip, self.last = self.restart(frame, end, trial=False)
            return end
        assert self.closed is not None
        after, before, frames, added, last, written = self.closed
        self.ip, self.frames, self.last, self.closed = before, frames, last, None
        del self.added[added:]
        if written:
            self.drop(after - 1, after)
        return after

    def fallback(self, i: int, at: Token | None) -> int | None:
        """When no repair reads on: leave the token out all the same, or the statement when
        it holds a line end; at the end, close what is open."""
        if at is None:
            return None
        if "\n" not in at.value:
            self.drop(i, i + 1)
            return i + 1
        frame = self.frames[-1]
        end = max(self.statement_end(frame.start, i, 1), i + 1)
        self.ip, self.last = self.restart(frame, end, trial=False)
        return end

    def reach_past(self, ip: InteractiveParser, last: str | None, start: int, between: int) -> int:
        """How far past the refused token the parser reads from `start`, once it has read the
        `between` tokens before it again; 0 when it cannot."""
        trial = ip.copy(deepcopy_values=False)
        for token in self.tokens[start : start + between]:
            if not self.feeds(trial, self.typed(token, trial), last):
                return 0
            last = token.type
        return max(0, self.reach(trial, last, start + between))

    def statement_end(self, start: int, i: int, depth: int) -> int:
        """The index of the token that ends the statement begun at `start` and holding token
        `i`: its line end, or the `}` of the block it is in; braces opened on the way are
        matched (`depth` 2: the statement of the enclosing block, past the current one's `}`)."""
        level = depth - 1
        for k in range(i, len(self.tokens)):
            kind = self.tokens[k].type
            if kind == "LBRACE":
                level += 1
            elif kind == "RBRACE":
                if level == 0:
                    return k
                level -= 1
            elif kind == "_SEP" and level == 0:
                return k
        return len(self.tokens)

    def restart(self, frame: _Frame, end: int, trial: bool) -> tuple[InteractiveParser, str | None]:
        """The parser where `frame`'s statement began, the tokens up to `end` left out; when
        the text left out holds a line end after a `{` or at the start, that line end read."""
        from lark import Token

        ip = frame.parser.copy(deepcopy_values=False)
        last = frame.last
        left_out = self.tokens[frame.start : end]
        if not trial:
            del self.added[frame.added :]
            self.drop(frame.start, end)
            if self.closed is not None and self.closed[0] > frame.start:
                self.closed = None
        if last != "_SEP" and any("\n" in t.value for t in left_out):
            line_end = Token.new_borrow_pos("_SEP", "\n", left_out[-1])
            if self.feeds(ip, line_end, last):
                last = "_SEP"
        return ip, last

    def drop(self, start: int, end: int) -> None:
        for token in self.tokens[start:end]:
            assert token.start_pos is not None and token.end_pos is not None
            self.blank.append((token.start_pos, token.end_pos))

    # -- the mended text ----------------------------------------------------------------------

    def result(self) -> Mended:
        chars = list(self.text)
        for start, end in self.blank:
            for k in range(start, end):
                if chars[k] != "\n":
                    chars[k] = " "
        added: dict[int, list[int]] = {}
        out: list[str] = []
        done = 0
        line, line_start = 1, 0
        for offset, char in sorted(self.added, key=lambda item: item[0]):
            piece = "".join(chars[done:offset])
            newlines = piece.count("\n")
            if newlines:
                line += newlines
                line_start = done + piece.rfind("\n") + 1
            out.append(piece)
            if "\n" not in char:  # added on a new last line: nothing written follows it
                columns = added.setdefault(line, [])
                for _ in char:
                    columns.append(offset - line_start + 1 + len(columns))
            out.append(char)
            done = offset
        out.append("".join(chars[done:]))
        lines = self.text.split("\n")
        starts = [0]
        for line_text in lines[:-1]:
            starts.append(starts[-1] + len(line_text) + 1)
        repairs = []
        for offset in sorted({start for start, _ in self.blank} | {offset for offset, _ in self.added}):
            line = bisect_right(starts, offset)
            repairs.append((line, offset - starts[line - 1] + 1))
        return Mended("".join(out), self.errors, added, len(lines), len(lines[-1]) + 1, repairs)
