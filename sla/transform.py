"""Parse tree to model: one method per grammar rule; values are typed here, meaning is checked later."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from lark import Token, Transformer, Tree, v_args
from pydantic import BaseModel

from . import model as m
from .diagnostics import Diagnostic, SlaError, Span, did_you_mean
from .values import (
    TIME_BOUNDS,
    WEEKDAYS,
    Duration,
    Money,
    OutOfRange,
    Period,
    TimeSpan,
    read_count,
    read_number,
    shown,
)

if TYPE_CHECKING:
    from .parser import Lines

M = TypeVar("M", bound=BaseModel)
_KEPT = 4096  # values kept per kind, read once (a file of a million distinct ones keeps the first)
_MODELS = ("managed", "break_fix", "block_hours")
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


class Stmt(NamedTuple):
    """One statement of a block: the model field it sets, its value and where it was written."""

    key: str
    value: Any
    span: Span
    many: bool = False
    word: str | None = None


class Opt(NamedTuple):
    """A clause inside a statement (`on always`, `notice 5d`, `tiers volume {...}`)."""

    name: str
    value: Any
    span: Span


def _tokens(children: list[Any], kind: str | None = None) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and (kind is None or c.type == kind)]


def _opts(children: list[Any]) -> dict[str, Opt]:
    return {c.name: c for c in children if isinstance(c, Opt)}


def _repeated(children: list[Any]) -> list[Opt]:
    """Clauses given more than once in one statement (`notice 5d notice 2d`)."""
    seen: set[str] = set()
    again = []
    for c in children:
        if isinstance(c, Opt):
            if c.name in seen:
                again.append(c)
            seen.add(c.name)
    return again


# ------------------------------------------------------------------ models from trusted values

_REQUIRED = object()
_set = object.__setattr__


class _Plan(NamedTuple):
    template: dict[str, Any]  # every field in order, with its default or _REQUIRED
    fields: frozenset[str]
    required: frozenset[str]
    fresh: tuple[tuple[str, Callable[[], Any]], ...]  # defaults pydantic copies for each model


_PLANS: dict[type, _Plan | None] = {}


def _plan(cls: type[BaseModel]) -> _Plan | None:
    """What `model_construct` does for a model class, worked out once; None where it does more
    than fill in defaults (a post-init hook, private attributes, aliases, factories, extras)."""
    if (
        cls.__pydantic_post_init__
        or cls.__pydantic_root_model__
        or cls.__private_attributes__
        or cls.model_config.get("extra") == "allow"
    ):
        return None
    template: dict[str, Any] = {}
    fresh = []
    for name, field in cls.__pydantic_fields__.items():
        if field.alias is not None or field.validation_alias is not None or field.default_factory:
            return None
        if field.is_required():
            template[name] = _REQUIRED
            continue
        default = template[name] = field.default
        if field.get_default(call_default_factory=True) is not default:  # copied for each model
            if type(default) in (dict, list, set) and not default:  # as pydantic copies them
                fresh.append((name, default.copy))
            else:
                fresh.append((name, partial(field.get_default, call_default_factory=True)))
    required = frozenset(k for k, v in template.items() if v is _REQUIRED)
    return _Plan(template, frozenset(template), required, tuple(fresh))


def _new(cls: type[M], **values: Any) -> M:
    """`cls.model_construct(**values)`, without its generic work for each field: the same
    `__dict__` (fields in order, defaults filled in), fields set, extra and private parts
    (tests/test_parser_loop.py compares them). Like model_construct it validates nothing: the
    builder hands it values it has read and checked."""
    try:
        plan = _PLANS[cls]
    except KeyError:
        plan = _PLANS[cls] = _plan(cls)
    keys = values.keys()
    if plan is None or not plan.required <= keys or not keys <= plan.fields:
        return cls.model_construct(**values)  # a field missing, or one it would drop
    data = plan.template.copy()
    data.update(values)
    for name, copy in plan.fresh:
        if name not in values:
            data[name] = copy()
    model = cls.__new__(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", set(keys))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


@v_args(meta=True)
class ModelBuilder(Transformer[Token, m.SlaFile]):
    """Builds the model, collecting every value error instead of stopping at the first."""

    def __init__(self, file: str | None, lines: Lines | None = None) -> None:
        super().__init__(visit_tokens=False)
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self._words: dict[str, str] = {}
        self._handlers: dict[str, Callable[[Any, list[Any]], Any] | None] = {}
        # With `lines`, a node's meta is the parser's (start, end, ...) tuple of offsets and a
        # token's place is its offsets; otherwise lark's Meta and Token positions.
        self._lines = lines
        self._last: tuple[Any, Span] | None = None
        # Values read, by their text: a file writes the same few amounts and durations many
        # times, and every one read is immutable (errors are not kept: each is reported).
        self._numbers: tuple[dict[str, Decimal], dict[str, Decimal]] = ({}, {})
        self._durations: dict[str, Duration] = {}
        self._timespans: dict[str, TimeSpan] = {}

    def handler(self, rule: str) -> Callable[[Any, list[Any]], Any] | None:
        """The method that finishes a node of the rule, called with (meta, children)."""
        try:
            return self._handlers[rule]
        except KeyError:
            # looked up once per rule: lark's v_args wraps the method anew on every lookup
            method = getattr(self, rule, None)
            handler = self._handlers[rule] = method.base_func if method is not None else None
            return handler

    def finish(self, node: Tree[Token]) -> Any:
        """A node whose children are finished: its model, statement or value, or the node
        itself where no method is named after its rule."""
        handler = self.handler(node.data)
        return node if handler is None else handler(node.meta, node.children)

    # ------------------------------------------------------------------ helpers

    def _span(self, meta: Any) -> Span:
        last = self._last
        if last is not None and last[0] is meta:  # a statement and its model: one span
            return last[1]
        if self._lines is not None:
            span = self._lines.span(meta[0], meta[1], self.file)
        else:
            span = Span(
                file=self.file,
                line=meta.line,
                column=meta.column,
                end_line=meta.end_line,
                end_column=meta.end_column,
            )
        self._last = meta, span
        return span

    def _empty(self, meta: Any) -> bool:
        """Whether a node holds no text (an empty file's `start`)."""
        return meta[0] is None if self._lines is not None else bool(meta.empty)

    def _at(self, token: Token) -> Span:
        if token.line is None and self._lines is not None and token.start_pos is not None:
            assert token.end_pos is not None  # the loop sets both
            return self._lines.span(token.start_pos, token.end_pos, self.file)
        line, column, end_line, end_column = token.line, token.column, token.end_line, token.end_column
        # The lexer sets every position; lark's types leave them optional.
        assert line is not None and column is not None and end_line is not None and end_column is not None
        return Span(file=self.file, line=line, column=column, end_line=end_line, end_column=end_column)

    def _error(self, message: str, span: Span, hint: str | None = None, code: str = "SLA004") -> None:
        # A file may repeat one mistake a million times: its words are kept once.
        words = self._words
        message = words.setdefault(message, message)
        if hint is not None:
            hint = words.setdefault(hint, hint)
        self.diagnostics.append(Diagnostic(code, "error", message, span, hint))

    def _refuse(self, exc: ValueError, token: Token) -> None:
        """A value that cannot be read, or is beyond its bounds (then the hint states them)."""
        self._error(str(exc), self._at(token), exc.hint if isinstance(exc, OutOfRange) else None)

    def _string(self, token: Token) -> str:
        if "\\" not in token:  # no escapes: the text between the quotes, without json's decoder
            return token[1:-1]
        try:
            text = str(json.loads(token, strict=False))
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            self._error(
                f"string {token} holds half of a surrogate pair",
                self._at(token),
                "write the character itself, or both halves of its \\u escape",
            )
            return text.encode("utf-8", "replace").decode("utf-8")
        except ValueError:
            self._error(
                f"invalid escape in string {token}",
                self._at(token),
                'use JSON escapes: \\" \\\\ \\n \\t \\u00e9',
            )
            return str(token[1:-1])

    def _decimal(self, token: Token, strip: int = 0) -> Decimal:
        """A number, percentage (strip 1: the `%`) or multiplier (the `x`) within the bounds."""
        known = self._numbers[strip]
        number = known.get(token.value)
        if number is None:
            try:
                number = read_number(token[: len(token) - strip] if strip else str(token))
            except ValueError as exc:
                self._refuse(exc, token)
                return Decimal(0)
            if len(known) < _KEPT:
                known[token.value] = number
        return number

    def _int(self, token: Token, what: str) -> int:
        text = str(token)
        if "." in text:
            self._error(f"{what} must be a whole number, not {shown(text)}", self._at(token))
            text = text.split(".")[0]
        try:
            return read_count(text)
        except ValueError as exc:
            self._refuse(exc, token)
            return 0

    def _value(self, parse: Any, token: Token, fallback: Any, known: dict[str, Any]) -> Any:
        value = known.get(token.value)
        if value is None:
            try:
                value = parse(str(token))
            except ValueError as exc:
                self._refuse(exc, token)
                return fallback
            if len(known) < _KEPT:
                known[token.value] = value
        return value

    def _duration(self, token: Token) -> Duration:
        return self._value(Duration.parse, token, Duration(), self._durations)  # type: ignore[no-any-return]

    def _timespan(self, token: Token) -> TimeSpan:
        return self._value(TimeSpan.parse, token, TimeSpan(0, 60), self._timespans)  # type: ignore[no-any-return]

    def _date(self, token: Token) -> date:
        try:
            return date.fromisoformat(token)
        except ValueError:
            year, month, _ = (int(p) for p in token.split("-"))
            hint = "write a real calendar date such as 2027-02-28"
            if 1 <= month <= 12:
                import calendar

                days = calendar.monthrange(max(year, 1), month)[1]
                hint = f"{calendar.month_name[month]} {year} has {days} days"
            self._error(f"{token} is not a date", self._at(token), hint)
            return date(2000, 1, 1)

    def _weekdays(self, token: Token) -> list[str]:
        word = token.lower()
        first, sep, last = word.partition("-")
        names = [first, last] if sep else [first]
        for name in names:
            if name not in WEEKDAYS:
                hint = (
                    did_you_mean(name, WEEKDAYS)
                    or "use mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri"
                )
                self._error(f"{name!r} is not a weekday", self._at(token), hint)
                return []
        if not sep:
            return [first]
        i, j = WEEKDAYS.index(first), WEEKDAYS.index(last)
        return [WEEKDAYS[(i + k) % 7] for k in range((j - i) % 7 + 1)]

    def _fold(self, stmts: list[Any], owner: str) -> tuple[dict[str, Any], dict[str, Span]]:
        """Gather a block's statements into model fields; a statement given twice is an error."""
        values: dict[str, Any] = {}
        spans: dict[str, Span] = {}
        for st in stmts:
            if not isinstance(st, Stmt):
                continue
            if st.many:
                items = values.setdefault(st.key, [])
                items.extend(st.value if isinstance(st.value, (list, tuple)) else [st.value])
                spans.setdefault(st.key, st.span)
            elif st.key in values:
                word = st.word or st.key
                self._error(
                    f"{owner} states {word!r} twice",
                    st.span,
                    f"the first is at line {spans[st.key].line}; keep one",
                    "SLA005",
                )
            else:
                values[st.key] = st.value
                spans[st.key] = st.span
        return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}, spans

    # ------------------------------------------------------------------ file

    def start(self, meta: Any, children: list[Any]) -> m.SlaFile:
        imports = tuple(c for c in children if isinstance(c, m.Import))
        calendars = tuple(c.value for c in children if isinstance(c, Stmt))
        documents = tuple(c for c in children if isinstance(c, (m.Agreement, m.Profile, m.Requirements)))
        span = (
            self._span(meta)
            if not self._empty(meta)
            else Span(file=self.file, line=1, column=1, end_line=1, end_column=1)
        )
        return _new(
            m.SlaFile, path=self.file, imports=imports, calendars=calendars, documents=documents, span=span
        )

    def import_stmt(self, meta: Any, children: list[Any]) -> m.Import:
        return _new(m.Import, path=self._string(children[0]), span=self._span(meta))

    # ------------------------------------------------------------------ agreement

    def agreement(self, meta: Any, children: list[Any]) -> m.Agreement:
        values, spans = self._fold(children[1:], "the agreement")
        return _new(
            m.Agreement, title=self._string(children[0]), span=self._span(meta), field_spans=spans, **values
        )

    def _simple(self, key: str, meta: Any, value: Any, word: str | None = None) -> Stmt:
        return Stmt(key, value, self._span(meta), word=word)

    def id(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("id", meta, self._string(children[0]))

    def version(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("version", meta, self._string(children[0]))

    def _party(self, role: str, meta: Any, children: list[Any]) -> Stmt:
        details, spans = self._fold(children[1:], f"the {role}")
        party = _new(
            m.Party, name=self._string(children[0]), span=self._span(meta), field_spans=spans, **details
        )
        return self._simple(role, meta, party)

    def provider(self, meta: Any, children: list[Any]) -> Stmt:
        return self._party("provider", meta, children)

    def customer(self, meta: Any, children: list[Any]) -> Stmt:
        return self._party("customer", meta, children)

    def party_detail(self, meta: Any, children: list[Any]) -> Stmt:
        key = children[0].value
        return self._simple(key, meta, self._string(children[1]))

    def party_key(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("key", str(children[0]), self._span(meta))

    def model(self, meta: Any, children: list[Any]) -> Stmt:
        word = children[0]
        if word not in _MODELS:
            hint = did_you_mean(str(word), _MODELS) or "use managed, break_fix or block_hours"
            self._error(f"unknown model {str(word)!r}", self._at(word), hint)
            return self._simple("model", meta, None)
        return self._simple("model", meta, str(word))

    def currency(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("currency", meta, self._currency(children[0]))

    def _currency(self, token: Token) -> str:
        if not _CURRENCY_CODE.fullmatch(token):
            self._error(
                f"{str(token)!r} is not a currency code",
                self._at(token),
                f"write an ISO 4217 code in capitals, such as {token.upper()[:3] if len(token) == 3 else 'EUR'}",
            )
        return str(token)

    def start_date(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("start", meta, self._date(children[0]))

    def term(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("term", meta, children[0])

    def renewal(self, meta: Any, children: list[Any]) -> Stmt:
        periods = [c for c in children if isinstance(c, Period)]
        renewal = _new(
            m.Renewal,
            period=periods[0] if periods else None,
            notice=periods[1] if len(periods) > 1 else None,
            span=self._span(meta),
        )
        return self._simple("renewal", meta, renewal)

    def governing_law(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("governing_law", meta, self._string(children[0]))

    def period(self, meta: Any, children: list[Any]) -> Period:
        if children[0].type == "DURATION":
            try:
                return Period.from_duration(self._duration(children[0]))
            except ValueError as exc:
                self._error(str(exc), self._at(children[0]))
                return _new(Period, count=0, unit="day")
        count = self._int(children[0], "a period")
        try:
            unit = Period.parse_unit(str(children[1]))
        except ValueError as exc:
            self._error(
                str(exc),
                self._at(children[1]),
                did_you_mean(children[1].lower(), ["days", "weeks", "months", "years"]),
            )
            unit = "month"
        period = _new(Period, count=count, unit=unit)
        if period.too_long:
            self._error(f"{period} is longer than 100 years", self._span(meta), TIME_BOUNDS)
            return _new(Period, count=0, unit=unit)
        return period

    # ------------------------------------------------------------------ calendars

    def calendar(self, meta: Any, children: list[Any]) -> Stmt:
        name = children[0]
        title = self._string(children[1]) if len(children) > 1 and isinstance(children[1], Token) else None
        stmts = [s for c in children[1:] for s in (c if isinstance(c, list) else [c])]
        values, spans = self._fold(stmts, f"calendar {str(name)!r}")
        cal = _new(
            m.Calendar, name=str(name), title=title, span=self._span(meta), field_spans=spans, **values
        )
        return Stmt("calendars", cal, self._span(meta), many=True)

    def timezone(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("timezone", meta, self._string(children[0]))

    def hours(self, meta: Any, children: list[Any]) -> Stmt:
        span = self._span(meta)
        if isinstance(children[0], Token) and children[0].type == "ALWAYS":
            return Stmt("hours", _new(m.Hours, always=True, span=span), span, many=True)
        days = children[0]
        spans = tuple(self._timespan(t) for t in _tokens(children[1:], "SPAN"))
        return Stmt("hours", _new(m.Hours, days=days, spans=spans, span=span), span, many=True)

    def days(self, meta: Any, children: list[Any]) -> tuple[str, ...]:
        chosen: set[str] = set()
        for token in children:
            chosen.update(self._weekdays(token))
        return tuple(d for d in WEEKDAYS if d in chosen)

    def holidays(self, meta: Any, children: list[Any]) -> Stmt | list[Stmt]:
        regions = [
            self._string(t) if t.type == "STRING" else str(t) for t in children if isinstance(t, Token)
        ]
        stmt = Stmt("holidays", regions, self._span(meta), many=True)
        kept_open = [c for c in children if isinstance(c, Stmt)]
        return [stmt, *kept_open] if kept_open else stmt  # the calendar takes both

    def holiday_except(self, meta: Any, children: list[Any]) -> Stmt:
        return Stmt("holidays_except", [self._string(t) for t in children], self._span(meta), many=True)

    def closed(self, meta: Any, children: list[Any]) -> Stmt:
        return Stmt("closed", children, self._span(meta), many=True)

    def closed_dates(self, meta: Any, children: list[Any]) -> m.DateRange:
        first = self._date(children[0])
        if len(children) > 1 and children[1].type == "SPAN":
            hours = self._timespan(children[1])
            return _new(m.DateRange, first=first, last=first, hours=hours, span=self._span(meta))
        last = self._date(children[1]) if len(children) > 1 else first
        if last < first:
            self._error(
                f"the range {children[0]}..{children[1]} ends before it starts",
                self._span(meta),
                "write the earlier date first",
            )
            last = first
        return _new(m.DateRange, first=first, last=last, span=self._span(meta))

    # ------------------------------------------------------------------ services

    def service(self, meta: Any, children: list[Any]) -> Stmt:
        name = children[0]
        title = self._string(children[1]) if len(children) > 1 and isinstance(children[1], Token) else None
        values, spans = self._fold(children[1:], f"service {str(name)!r}")
        if "quantity" in values:
            values["quantity"], values["unit"] = values["quantity"]
        svc = _new(m.Service, name=str(name), title=title, span=self._span(meta), field_spans=spans, **values)
        return Stmt("services", svc, self._span(meta), many=True)

    def quantity(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("quantity", meta, (self._decimal(children[0]), str(children[1])))

    def service_calendar(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("calendar", meta, str(children[0]))

    def includes(self, meta: Any, children: list[Any]) -> Stmt:
        return Stmt("includes", [self._string(t) for t in children], self._span(meta), many=True)

    def excludes(self, meta: Any, children: list[Any]) -> Stmt:
        return Stmt("excludes", [self._string(t) for t in children], self._span(meta), many=True)

    def availability(self, meta: Any, children: list[Any]) -> Stmt:
        opts = _opts(children)
        avail = _new(
            m.Availability,
            target=self._decimal(children[0], strip=1),
            frequency=opts["frequency"].value if "frequency" in opts else "monthly",
            excluding_maintenance="excluding" in opts,
            during=opts["during"].value if "during" in opts else None,
            span=self._span(meta),
        )
        return self._simple("availability", meta, avail)

    def during(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("during", str(children[0]), self._span(meta))

    def excluding(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("excluding", True, self._span(meta))

    def frequency(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("frequency", str(children[0]), self._span(meta))

    def _once(self, children: list[Any], owner: str) -> dict[str, Opt]:
        for opt in _repeated(children):
            self._error(f"{owner} states {opt.name!r} twice", opt.span, "keep one", "SLA005")
        return _opts(children)

    def maintenance(self, meta: Any, children: list[Any]) -> Stmt:
        opts = self._once(children, "a maintenance window")
        when = opts.get("weekly") or opts.get("monthly") or opts["once"]
        window = self._timespan(_tokens(children, "SPAN")[0])
        ordinal, days, on = None, (), None
        if when.name == "weekly":
            days = when.value
        elif when.name == "monthly":
            ordinal, days = when.value
        else:
            on = when.value
        notice, cal = opts.get("notice"), opts.get("on")
        maint = _new(
            m.Maintenance,
            frequency=when.name,
            days=days,
            ordinal=ordinal,
            date=on,
            window=window,
            notice=notice.value if notice else None,
            calendar=cal.value if cal else None,
            span=self._span(meta),
        )
        return Stmt("maintenance", maint, self._span(meta), many=True)

    def one_off(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("once", self._date(children[0]), self._span(meta))

    def weekly(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("weekly", children[0], self._span(meta))

    def monthly(self, meta: Any, children: list[Any]) -> Opt:
        days = self._weekdays(children[1])
        if len(days) > 1:
            self._error(
                f"a monthly window falls on one weekday, not {str(children[1])!r}", self._at(children[1])
            )
        return Opt("monthly", (children[0].value, tuple(days[:1])), self._span(meta))

    def ordinal(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("ordinal", str(children[0]), self._span(meta))

    def notice(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("notice", self._duration(children[0]), self._span(meta))

    def on_calendar(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("on", str(children[0]), self._span(meta))

    # ------------------------------------------------------------------ priorities

    def priority(self, meta: Any, children: list[Any]) -> Stmt:
        name = children[0]
        title = self._string(children[1]) if len(children) > 1 and isinstance(children[1], Token) else None
        values, spans = self._fold(children[1:], f"priority {str(name)!r}")
        prio = _new(
            m.Priority, name=str(name), title=title, span=self._span(meta), field_spans=spans, **values
        )
        return Stmt("priorities", prio, self._span(meta), many=True)

    def response(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("response", meta, children[0])

    def resolution(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("resolution", meta, children[0])

    def target(self, meta: Any, children: list[Any]) -> m.Target:
        opts = _opts(children)
        durations = _tokens(children, "DURATION")
        return _new(
            m.Target,
            duration=self._duration(durations[0]) if durations else None,
            calendar=opts["on"].value if "on" in opts else None,
            best_effort="best_effort" in opts,
            close=opts["close"].value if "close" in opts else None,
            span=self._span(meta),
        )

    def by_close(self, meta: Any, children: list[Any]) -> Opt:
        """`by close`, or `by close +Nd`: N whole working days, written in days."""
        later = 0
        if children:
            days = self._duration(children[0])
            later = days.total_days
            if days.minutes or not later:
                self._error(
                    f"`by close +{children[0]}` counts working days",
                    self._at(children[0]),
                    "write whole days, such as +1d or +2d, or just `by close` for the same day",
                )
        return Opt("close", later, self._span(meta))

    def best_effort(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("best_effort", True, self._span(meta))

    def updates(self, meta: Any, children: list[Any]) -> Stmt:
        opts = _opts(children)
        target = _new(
            m.Target,
            duration=self._duration(children[0]),
            calendar=opts["on"].value if "on" in opts else None,
            span=self._span(meta),
        )
        return self._simple("updates", meta, target)

    def clock(self, meta: Any, children: list[Any]) -> Stmt:
        values, spans = self._fold(children, "the clock")
        return self._simple("clock", meta, _new(m.Clock, span=self._span(meta), field_spans=spans, **values))

    def priority_rule(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("priority", meta, str(children[1]), word="priority")

    def clause(self, meta: Any, children: list[Any]) -> Stmt:
        texts = tuple(c for c in children[1:] if isinstance(c, str) and not isinstance(c, Token))
        found = _new(m.Clause, title=self._string(children[0]), texts=texts, span=self._span(meta))
        return Stmt("clauses", found, self._span(meta), many=True)

    def clause_text(self, meta: Any, children: list[Any]) -> str:
        return self._string(children[0])

    def pause(self, meta: Any, children: list[Any]) -> Stmt:
        return Stmt("pause", [self._string(t) for t in children], self._span(meta), many=True)

    # ------------------------------------------------------------------ credits

    def credits(self, meta: Any, children: list[Any]) -> Stmt:
        values, spans = self._fold(children, "the credits")
        if "rolling_cap" in values:
            values["rolling_cap"], values["rolling_months"] = values["rolling_cap"]
        return self._simple(
            "credits", meta, _new(m.Credits, span=self._span(meta), field_spans=spans, **values)
        )

    def credit_tier(self, meta: Any, children: list[Any]) -> Stmt:
        percents = _tokens(children, "PERCENT")
        names = _tokens(children, "NAME")
        tier = _new(
            m.CreditTier,
            below=self._decimal(percents[0], 1),
            credit=self._decimal(percents[1], 1),
            service=str(names[0]) if names else None,
            span=self._span(meta),
        )
        return Stmt("tiers", tier, self._span(meta), many=True)

    def breach_credit(self, meta: Any, children: list[Any]) -> Stmt:
        kind, priority, amount = children[0].value, children[1], children[2]
        credit = _new(
            m.BreachCredit, target=kind, priority=str(priority), amount=amount, span=self._span(meta)
        )
        return Stmt("breaches", credit, self._span(meta), many=True)

    def breach_kind(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("kind", str(children[0]), self._span(meta))

    target_kind = breach_kind  # `assume best_effort response`: the same words, fewer of them

    def cap(self, meta: Any, children: list[Any]) -> Stmt:
        share = self._decimal(children[0], 1)
        if len(children) > 1 and isinstance(children[1], Stmt):  # over N months
            months = children[1]
            return Stmt("rolling_cap", (share, months.value), self._span(meta), word="cap ... over")
        return self._simple("cap", meta, share)

    def rolling(self, meta: Any, children: list[Any]) -> Stmt:
        count, unit = children
        months = None
        try:
            months = read_count(str(count)) * {"month": 1, "months": 1, "year": 12, "years": 12}[str(unit)]
        except KeyError:
            self._error(f"a rolling cap counts months, not {str(unit)!r}", self._at(unit), "write 12 months")
        except ValueError as exc:
            self._refuse(exc, count)
        if months is not None and not 1 <= months <= 120:
            self._error(f"a rolling cap over {months} months", self._span(meta), "count 1 to 120 months")
            months = None
        return Stmt("rolling", months, self._span(meta))

    def claim(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("claim_within", meta, self._duration(children[0]), word="claim")

    # ------------------------------------------------------------------ fees

    def fees(self, meta: Any, children: list[Any]) -> Stmt:
        values, spans = self._fold(children, "the fees")
        return self._simple("fees", meta, _new(m.Fees, span=self._span(meta), field_spans=spans, **values))

    def money(self, meta: Any, children: list[Any]) -> Money:
        currency = self._currency(children[0]) if len(children) > 1 else None
        return _new(Money, amount=self._decimal(children[-1]), currency=currency)

    def recurring(self, meta: Any, children: list[Any]) -> Stmt:
        opts = _opts(children)
        names = _tokens(children, "NAME")
        tiers = opts.get("tiers")
        fee = _new(
            m.RecurringFee,
            service=str(names[0]),
            price=children[1],
            unit=str(names[1]) if len(names) > 1 else None,
            frequency=opts["frequency"].value,
            tiers=tiers.value if tiers else None,
            span=self._span(meta),
        )
        return Stmt("recurring", fee, self._span(meta), many=True)

    def tiers(self, meta: Any, children: list[Any]) -> Opt:
        kind = children[0].value
        bands = tuple(c for c in children[1:] if isinstance(c, m.Tier))
        return Opt("tiers", _new(m.Tiers, kind=kind, bands=bands, span=self._span(meta)), self._span(meta))

    def tier_kind(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("kind", str(children[0]), self._span(meta))

    def tier(self, meta: Any, children: list[Any]) -> m.Tier:
        token = children[0]
        text = str(token)
        high: int | None
        try:
            if text.endswith("+"):
                low, high = read_count(text[:-1]), None
            else:
                first, last = text.split("-")
                low, high = read_count(first), read_count(last)
        except ValueError as exc:
            self._refuse(exc, token)
            low, high = 1, None
        return _new(m.Tier, low=low, high=high, price=children[1], span=self._span(meta))

    def once(self, meta: Any, children: list[Any]) -> Stmt:
        title = self._string(children[1]) if isinstance(children[1], Token) else None
        fee = _new(
            m.OneTimeFee, name=str(children[0]), title=title, price=children[-1], span=self._span(meta)
        )
        return Stmt("once", fee, self._span(meta), many=True)

    def increase(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("increase", meta, self._decimal(children[0], 1))

    def rate(self, meta: Any, children: list[Any]) -> Stmt:
        opts = self._once(children, f"rate {str(children[0])!r}")
        increment, minimum = opts.get("increment"), opts.get("minimum")
        titled = isinstance(children[1], Token)
        rate = _new(
            m.Rate,
            role=str(children[0]),
            title=self._string(children[1]) if titled else None,
            price=children[2 if titled else 1],
            increment=increment.value if increment else None,
            minimums=minimum.value if minimum else (),
            span=self._span(meta),
        )
        return Stmt("rates", rate, self._span(meta), many=True)

    def increment(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("increment", self._duration(children[0]), self._span(meta))

    def minimum(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("minimum", tuple(children), self._span(meta))

    def minimum_item(self, meta: Any, children: list[Any]) -> m.Minimum:
        location = children[1].value if len(children) > 1 else None
        return _new(m.Minimum, duration=self._duration(children[0]), location=location, span=self._span(meta))

    def location(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("location", str(children[0]), self._span(meta))

    def multiplier(self, meta: Any, children: list[Any]) -> Stmt:
        names = _tokens(children, "NAME")
        mult = _new(
            m.Multiplier,
            kind=children[0].value,
            factor=self._decimal(children[1], 1),
            outside=str(names[0]) if names else None,
            span=self._span(meta),
        )
        return Stmt("multipliers", mult, self._span(meta), many=True)

    def multiplier_kind(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("kind", str(children[0]), self._span(meta))

    def callout(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("callout", meta, children[0])

    def travel(self, meta: Any, children: list[Any]) -> Stmt:
        travel = _new(m.Travel, price=children[0], unit=str(children[1]), span=self._span(meta))
        return self._simple("travel", meta, travel)

    def materials(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("materials_markup", meta, self._decimal(children[0], 1), word="materials")

    def payment(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("payment", meta, children[0])

    def block(self, meta: Any, children: list[Any]) -> Stmt:
        opts = self._once(children, "a block of hours")
        rollover = opts.get("rollover")
        overage = opts.get("overage")
        block = _new(
            m.BlockHours,
            hours=self._duration(children[0]),
            price=children[1],
            frequency=opts["frequency"].value,
            rollover=rollover.value if rollover else None,
            overage=overage.value if overage else None,
            span=self._span(meta),
        )
        return Stmt("blocks", block, self._span(meta), many=True)

    def rollover(self, meta: Any, children: list[Any]) -> Opt:
        period = children[0] if children and isinstance(children[0], Period) else None
        return Opt("rollover", period, self._span(meta))

    def overage(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("overage", str(children[0]), self._span(meta))

    # ------------------------------------------------------------------ profiles

    def profile(self, meta: Any, children: list[Any]) -> m.Profile:
        values, spans = self._fold(children[1:], "the profile")
        if "incidents" in values:
            values["incidents_frequency"], values["incidents"] = values["incidents"]
        if "travel" in values:
            values["travel_distance"], values["travel_unit"] = values.pop("travel")
        assumed = {k.split(":")[1]: values.pop(k) for k in list(values) if k.startswith("assume:")}
        if assumed:
            values["assume_best_effort"] = assumed
        return _new(
            m.Profile, title=self._string(children[0]), span=self._span(meta), field_spans=spans, **values
        )

    def _table(self, meta: Any, children: list[Any], key: str, word: str) -> Stmt:
        table: dict[str, Any] = {}
        for name, value, span in children:
            if name in table:
                self._error(f"{word} states {name!r} twice", span, "keep one", "SLA005")
            table[name] = value
        return self._simple(key, meta, table, word=word)

    def units(self, meta: Any, children: list[Any]) -> Stmt:
        return self._table(meta, children, "units", "units")

    def unit_count(self, meta: Any, children: list[Any]) -> tuple[str, Decimal, Span]:
        return str(children[0]), self._decimal(children[1]), self._span(meta)

    def incidents(self, meta: Any, children: list[Any]) -> Stmt:
        stmt = self._table(meta, children[1:], "incidents", "incidents")
        return stmt._replace(value=(children[0].value, stmt.value))

    def incident_rate(self, meta: Any, children: list[Any]) -> tuple[str, Decimal, Span]:
        return str(children[0]), self._decimal(children[1]), self._span(meta)

    def effort(self, meta: Any, children: list[Any]) -> Stmt:
        return self._table(meta, children, "effort", "effort")

    def effort_item(self, meta: Any, children: list[Any]) -> tuple[str, Duration, Span]:
        return str(children[0]), self._duration(children[1]), self._span(meta)

    def _percent_stmt(self, key: str, meta: Any, children: list[Any]) -> Stmt:
        return self._simple(key, meta, self._decimal(children[0], 1))

    def onsite(self, meta: Any, children: list[Any]) -> Stmt:
        return self._percent_stmt("onsite", meta, children)

    def after_hours(self, meta: Any, children: list[Any]) -> Stmt:
        return self._percent_stmt("after_hours", meta, children)

    def prevention(self, meta: Any, children: list[Any]) -> Stmt:
        return self._percent_stmt("prevention", meta, children)

    def spread(self, meta: Any, children: list[Any]) -> Stmt:
        return self._percent_stmt("spread", meta, children)

    def downtime_cost(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("downtime_cost", meta, children[0])

    def travel_distance(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("travel", meta, (self._decimal(children[0]), str(children[1])))

    def materials_cost(self, meta: Any, children: list[Any]) -> Stmt:
        return self._simple("materials", meta, children[0])

    def assume(self, meta: Any, children: list[Any]) -> Stmt:
        kind = children[0].value
        return self._simple(
            f"assume:{kind}", meta, self._duration(children[1]), word=f"assume best_effort {kind}"
        )

    # ------------------------------------------------------------------ requirements

    def requirements(self, meta: Any, children: list[Any]) -> m.Requirements:
        calendars = tuple(c.value for c in children[1:] if isinstance(c, Stmt))
        items = tuple(c for c in children[1:] if isinstance(c, m.Requirement))
        return _new(
            m.Requirements,
            title=self._string(children[0]),
            calendars=calendars,
            items=items,
            span=self._span(meta),
        )

    def requirement(self, meta: Any, children: list[Any]) -> m.Requirement:
        opts = _opts(children)
        names = _tokens(children, "NAME")
        ops = _tokens(children, "COMPARISON")
        values: dict[str, Any] = {}
        for kind in ("duration", "percent", "money", "period", "text", "close", "during"):
            if kind in opts:
                values[kind] = opts[kind].value
        return _new(
            m.Requirement,
            metric=str(names[0]),
            subject=str(names[1]) if len(names) > 1 else None,
            op=str(ops[0]) if ops else None,
            calendar=opts["on"].value if "on" in opts else None,
            profile=opts["profile"].value if "profile" in opts else None,
            weight=opts["weight"].value if "weight" in opts else None,
            preferred="prefer" in opts,
            span=self._span(meta),
            **values,
        )

    def prefer(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("prefer", True, self._span(meta))

    def duration_value(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("duration", self._duration(children[0]), self._span(meta))

    def close_value(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("close", self.by_close(meta, children).value, self._span(meta))

    def percent_value(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("percent", self._decimal(children[0], 1), self._span(meta))

    def money_value(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("money", children[0], self._span(meta))

    def period_value(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("period", self.period(meta, children), self._span(meta))

    def word_value(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("text", self._string(children[0]), self._span(meta))

    def with_profile(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("profile", self._string(children[0]), self._span(meta))

    def weight(self, meta: Any, children: list[Any]) -> Opt:
        return Opt("weight", self._decimal(children[0]), self._span(meta))


def build(text: str, file: str | None) -> m.SlaFile:
    """The model of one file's text; raises SlaError with the syntax error, or listing every
    value error found. Each node becomes its model as soon as its parent is parsed."""
    from .parser import Lines, Unexpected, parse_tree, reduce_text

    lines = Lines(text)
    builder = ModelBuilder(file, lines)
    try:
        result = reduce_text(text, builder.handler, lines)
        read = True
    except (Unexpected, LookupError):
        read = False
    if not read:  # lark's parser reads it again (with a fresh builder): the error in its words
        builder = ModelBuilder(file)
        result = builder.finish(parse_tree(text, file, builder.finish))
    if builder.diagnostics:
        raise SlaError(builder.diagnostics)
    if not isinstance(result, m.SlaFile):
        raise TypeError(f"the start rule built {type(result).__name__}")
    return result
