"""Model to text: any file's model written as .sla statements in the formatter's canonical layout.

`write` is the way back from a model (parsed, loaded, built in Python or read from a JSON
export) to text. The text parses back to an equal model, and `sla fmt` leaves it as it is.
Where the model cannot tell how something was written, one canonical form is chosen: statements
in the order of the language reference, bare names where a name will do, `90 days` for a period,
`1h30m` for a duration, the frequency of an availability target always stated, a statement
given twice (`pause when`, `includes`, `holidays`, `closed`) written once with every value, and
no comments (the model keeps none).

A loaded file's agreements and requirements also hold the calendars they see from the file's
top level and from its imports (`Workspace.resolve`). Those are left out of the documents, so
that the text, loaded beside the same imports, gives the same model again: the top-level
calendars are written at the top level, and the `import` statements bring the rest. The writer
tells a document's own calendars from the others by their spans (a loaded model, or a JSON
export made with `--spans`) or, without spans, by their being equal to a top-level calendar of
the file or to one passed as `shared`. A JSON export without spans does not say which of a
document's calendars came from an imported file: pass them as `shared` (the top-level calendars
of the imported files), else they are written into the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import TypeVar

from . import model as m
from .diagnostics import SlaError, Span
from .fmt import INDENT
from .values import WEEKDAYS, Duration, Money, Period

#: A list (`includes`, `pause when`, `holidays`, `closed`) going past this column goes on on
#: the next line after a comma, as the examples do; the formatter keeps such a break.
WIDTH = 100

_T = TypeVar("_T")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# JSON escapes the C0 controls; these are escaped too, so that no string holds a character that
# an editor or `str.splitlines` takes for a line break, or half of a surrogate pair.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def write(file: m.SlaFile, *, shared: Iterable[m.Calendar] = ()) -> str:
    """The .sla text of a model: imports, top-level calendars, then the documents, in order.

    Raises SlaError (SLA020) naming the field when the model holds what the language cannot
    say (a name with a space, a negative amount, a best-effort update target); the text is
    parsed back before it is returned, so what is returned always reads back to the model.
    """
    intended = _own(file, tuple(shared))
    text = _text(intended)
    _prove(text, intended)
    return text


# ------------------------------------------------------------------------------ resolved files


def _own(file: m.SlaFile, shared: tuple[m.Calendar, ...]) -> m.SlaFile:
    """The file with each document holding only the calendars written inside it."""
    outside = (*file.calendars, *shared)
    documents: list[m.Agreement | m.Profile | m.Requirements] = []
    for doc in file.documents:
        if isinstance(doc, m.Profile):
            documents.append(doc)
            continue
        own = tuple(c for c in doc.calendars if _is_own(c, doc.span, outside))
        documents.append(doc if own == doc.calendars else doc.model_copy(update={"calendars": own}))
    return file.model_copy(update={"documents": tuple(documents)})


def _is_own(cal: m.Calendar, home: Span | None, outside: tuple[m.Calendar, ...]) -> bool:
    if cal.span is not None and home is not None:
        return cal.span.file == home.file and _inside(cal.span, home)
    return cal not in outside


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) <= (outer.end_line, outer.end_column)


# ------------------------------------------------------------------------------ the proof


def _prove(text: str, intended: m.SlaFile) -> None:
    """Refuse a text that does not read back to the model (the model said what text cannot)."""
    from .loader import parse

    try:
        back = parse(text, intended.path)
    except SlaError as exc:
        first = (exc.errors or exc.diagnostics)[0]
        line = text.split("\n")[first.span.line - 1].strip() if first.span else ""
        where = f" in `{line}`" if line else ""
        raise SlaError.one(
            "SLA020",
            f"the model cannot be written as .sla text: {first.message}{where}",
            hint="the model holds a value the language cannot write; change it",
        ) from None
    found = _difference(intended, back, "")
    if found is not None:
        where, before, after = found
        raise SlaError.one(
            "SLA020",
            f"the model cannot be written as .sla text: {where} would read back as {after!r}, not {before!r}",
            hint="the language has no statement for this value; change it in the model",
        )


def _difference(a: object, b: object, path: str) -> tuple[str, object, object] | None:
    """The first place where two models differ, as a dotted path (documents.0.title)."""
    if isinstance(a, m.Node) and type(a) is type(b):
        for key in type(a).model_fields:
            if key not in ("span", "field_spans"):
                found = _difference(a.__dict__[key], b.__dict__[key], f"{path}.{key}" if path else key)
                if found is not None:
                    return found
        return None
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            found = _difference(x, y, f"{path}.{i}")
            if found is not None:
                return found
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        a, b = list(a.items()), list(b.items())  # the model compares tables in order
    return None if a == b else (path or "the file", a, b)


# ------------------------------------------------------------------------------ layout


class _Printer:
    """Lines at the current depth; a blank line only where `gap` asked and a statement follows."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0
        self.pending_gap = False

    def line(self, text: str) -> None:
        if self.pending_gap and self.lines and not self.lines[-1].endswith("{"):
            self.lines.append("")
        self.pending_gap = False
        self.lines.append(INDENT * self.depth + text)

    def gap(self) -> None:
        self.pending_gap = True

    @contextmanager
    def block(self, head: str) -> Iterator[None]:
        self.line(head + " {")
        self.depth += 1
        yield
        self.depth -= 1
        self.pending_gap = False  # no blank line before `}`
        self.line("}")

    def listed(self, head: str, items: list[str]) -> None:
        """`head a, b, c`, going on after a comma on a line indented once more past WIDTH."""
        indent = INDENT * self.depth
        line = head
        for i, item in enumerate(items):
            last = i == len(items) - 1
            piece = item + ("" if last else ",")
            if line != head and len(f"{indent}{line} {piece}") > WIDTH:
                self.line(line)
                line = INDENT + piece
            else:
                line = f"{line} {piece}"
        self.line(line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n" if self.lines else ""


def _text(file: m.SlaFile) -> str:
    p = _Printer()
    for imp in file.imports:
        p.line(f"import {_string(imp.path)}")
    for cal in file.calendars:
        p.gap()
        _calendar(p, cal)
    for doc in file.documents:
        p.gap()
        if isinstance(doc, m.Agreement):
            _agreement(p, doc)
        elif isinstance(doc, m.Profile):
            _profile(p, doc)
        else:
            _requirements(p, doc)
    return p.text()


# ------------------------------------------------------------------------------ values


def _string(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda c: f"\\u{ord(c.group()):04x}", quoted)


def _number(value: Decimal | int) -> str:
    return str(value) if isinstance(value, int) else format(value, "f")  # never 1E+2: no exponents


def _percent(value: Decimal) -> str:
    return _number(value) + "%"


def _money(value: Money) -> str:
    return f"{value.currency} {_number(value.amount)}" if value.currency else _number(value.amount)


def _period(value: Period) -> str:
    return str(value)  # 36 months, 1 year, 90 days


def _duration(value: Duration) -> str:
    return str(value)  # 1w2d, 1h30m, 0m


def _date(value: date) -> str:
    return value.isoformat()


def _days(days: tuple[str, ...]) -> str:
    """Weekdays as runs: `mon-fri`, `sat, sun`, `fri-mon` (a run may wrap past Sunday)."""
    chosen = [d in days for d in WEEKDAYS]
    if all(chosen):
        return "mon-sun"
    parts: list[str] = []
    for i, d in enumerate(WEEKDAYS):
        if not chosen[i] or chosen[i - 1]:
            continue  # not the first day of a run
        run = [d]
        while chosen[(i + len(run)) % 7]:
            run.append(WEEKDAYS[(i + len(run)) % 7])
        parts.extend([f"{run[0]}-{run[-1]}"] if len(run) > 2 else run)
    return ", ".join(parts) if parts else ""


def _words(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _clause(word: str, value: str | None) -> str | None:
    """`word value`, or nothing when the value is absent."""
    return None if value is None else f"{word} {value}"


def _maybe(value: _T | None, show: Callable[[_T], str]) -> str | None:
    return None if value is None else show(value)


# ------------------------------------------------------------------------------ calendars


def _calendar(p: _Printer, cal: m.Calendar) -> None:
    with p.block(_words(f"calendar {cal.name}", _maybe(cal.title, _string))):
        if cal.timezone is not None:
            p.line(f"timezone {_string(cal.timezone)}")
        for h in cal.hours:
            spans = ", ".join(str(s) for s in h.spans)
            p.line("hours 24x7" if h.always else _words("hours", _days(h.days), spans))
        if cal.holidays:
            regions = [r if _NAME.fullmatch(r) else _string(r) for r in cal.holidays]
            if cal.holidays_except:
                regions[-1] = _words(
                    regions[-1], "except", ", ".join(_string(h) for h in cal.holidays_except)
                )
            p.listed("holidays", regions)
        if cal.closed:
            dates = [
                _words(_date(r.first), _maybe(r.hours, str))
                if r.first == r.last
                else f"{_date(r.first)}..{_date(r.last)}"
                for r in cal.closed
            ]
            p.listed("closed", dates)


# ------------------------------------------------------------------------------ agreements


def _agreement(p: _Printer, a: m.Agreement) -> None:
    with p.block(f"agreement {_string(a.title)}"):
        for key in ("id", "version"):
            value = getattr(a, key)
            if value is not None:
                p.line(f"{key} {_string(value)}")
        for role, party in (("provider", a.provider), ("customer", a.customer)):
            if party is not None:
                _party(p, role, party)
        if a.model is not None:
            p.line(f"model {a.model}")
        if a.currency is not None:
            p.line(f"currency {a.currency}")
        if a.start is not None:
            p.line(f"start {_date(a.start)}")
        if a.term is not None:
            p.line(f"term {_period(a.term)}")
        if a.renewal is not None:
            r = a.renewal
            if r.period is None:
                p.line(_words("renewal none", _clause("notice", _maybe(r.notice, _period))))
            else:
                p.line(_words("renewal", _period(r.period), _clause("notice", _maybe(r.notice, _period))))
        if a.governing_law is not None:
            p.line(f"governing_law {_string(a.governing_law)}")
        p.gap()
        for cal in a.calendars:
            _calendar(p, cal)
        p.gap()
        for service in a.services:
            _service(p, service)
        p.gap()
        for mw in a.maintenance:
            _maintenance(p, mw)
        p.gap()
        for prio in a.priorities:
            _priority(p, prio)
        if a.clock is not None:
            p.gap()
            with p.block("clock"):
                if a.clock.pause:
                    p.listed("pause when", [_string(s) for s in a.clock.pause])
                if a.clock.priority is not None:
                    p.line(f"priority {a.clock.priority}")
        if a.credits is not None:
            p.gap()
            _credits(p, a.credits)
        if a.fees is not None:
            p.gap()
            _fees(p, a.fees)
        for clause in a.clauses:
            p.gap()
            with p.block(f"clause {_string(clause.title)}"):
                for text in clause.texts:
                    p.line(f"text {_string(text)}")


def _party(p: _Printer, role: str, party: m.Party) -> None:
    head = f"{role} {_string(party.name)}"
    details = [(key, getattr(party, key)) for key in ("contact", "address", "email", "phone", "website")]
    details = [(key, value) for key, value in details if value is not None]
    if not details:
        p.line(head)
        return
    with p.block(head):
        for key, value in details:
            p.line(f"{key} {_string(value)}")


def _service(p: _Printer, s: m.Service) -> None:
    with p.block(_words(f"service {s.name}", _maybe(s.title, _string))):
        if s.quantity is not None or s.unit is not None:
            p.line(_words("quantity", _maybe(s.quantity, _number), s.unit))
        if s.calendar is not None:
            p.line(f"calendar {s.calendar}")
        if s.includes:
            p.listed("includes", [_string(t) for t in s.includes])
        if s.excludes:
            p.listed("excludes", [_string(t) for t in s.excludes])
        if s.availability is not None:
            av = s.availability
            excluding = "excluding maintenance" if av.excluding_maintenance else None
            during = _clause("during", av.during)
            p.line(_words("availability", _percent(av.target), av.frequency, during, excluding))


def _maintenance(p: _Printer, mw: m.Maintenance) -> None:
    when = {
        "weekly": lambda: _days(mw.days),
        "monthly": lambda: _words(mw.ordinal, *mw.days),
        "once": lambda: _date(mw.date) if mw.date else "",
    }[mw.frequency]()
    p.line(
        _words(
            "maintenance",
            mw.frequency,
            when,
            str(mw.window),
            _clause("notice", _maybe(mw.notice, _duration)),
            _clause("on", mw.calendar),
        )
    )


def _priority(p: _Printer, prio: m.Priority) -> None:
    with p.block(_words(f"priority {prio.name}", _maybe(prio.title, _string))):
        for key in ("response", "resolution"):
            target: m.Target | None = getattr(prio, key)
            if target is not None:
                p.line(_words(key, _target(target), "best_effort" if target.best_effort else None))
        if prio.updates is not None:
            p.line(_words("updates every", _target(prio.updates)))


def _target(t: m.Target) -> str:
    close = None if t.close is None else "by close" if not t.close else f"by close +{t.close}d"
    return _words(_maybe(t.duration, _duration), close, _clause("on", t.calendar))


def _credits(p: _Printer, c: m.Credits) -> None:
    with p.block("credits"):
        for tier in c.tiers:
            p.line(
                _words(
                    f"availability below {_percent(tier.below)} credit {_percent(tier.credit)}",
                    _clause("for", tier.service),
                )
            )
        for b in c.breaches:
            p.line(f"{b.target} missed {b.priority} credit {_money(b.amount)} each")
        if c.cap is not None:
            p.line(f"cap {_percent(c.cap)} of monthly fee")
        if c.rolling_cap is not None and c.rolling_months is not None:
            p.line(f"cap {_percent(c.rolling_cap)} of fees over {c.rolling_months} months")
        if c.claim_within is not None:
            p.line(f"claim within {_duration(c.claim_within)}")


def _fees(p: _Printer, f: m.Fees) -> None:
    with p.block("fees"):
        for fee in f.recurring:
            head = _words(
                "recurring", fee.service, _money(fee.price), _clause("per", fee.unit), fee.frequency
            )
            if fee.tiers is None:
                p.line(head)
                continue
            with p.block(f"{head} tiers {fee.tiers.kind}"):
                for band in fee.tiers.bands:
                    low, high = _number(band.low), band.high
                    p.line(f"{low}{'+' if high is None else '-' + _number(high)}: {_money(band.price)}")
        for once in f.once:
            p.line(_words(f"once {once.name}", _maybe(once.title, _string), _money(once.price)))
        if f.increase is not None:
            p.line(f"increase {_percent(f.increase)} yearly")
        for rate in f.rates:
            minimums = ", ".join(_words(_duration(mn.duration), mn.location) for mn in rate.minimums)
            p.line(
                _words(
                    _words(
                        f"rate {rate.role}", _maybe(rate.title, _string), f"{_money(rate.price)} per hour"
                    ),
                    _clause("increment", _maybe(rate.increment, _duration)),
                    _clause("minimum", minimums or None),
                )
            )
        for mult in f.multipliers:
            p.line(
                _words(f"multiplier {mult.kind} {_number(mult.factor)}x", _clause("outside", mult.outside))
            )
        if f.callout is not None:
            p.line(f"callout {_money(f.callout)} per visit")
        if f.travel is not None:
            p.line(f"travel {_money(f.travel.price)} per {f.travel.unit}")
        if f.materials_markup is not None:
            p.line(f"materials markup {_percent(f.materials_markup)}")
        if f.payment is not None:
            p.line(f"payment net {_period(f.payment)}")
        for block in f.blocks:
            p.line(
                _words(
                    f"block {_duration(block.hours)} for {_money(block.price)} {block.frequency}",
                    _clause("rollover", _maybe(block.rollover, _period)),
                    _clause("overage", block.overage),
                )
            )


# ------------------------------------------------------------------------------ profiles


def _profile(p: _Printer, pr: m.Profile) -> None:
    with p.block(f"profile {_string(pr.title)}"):
        if pr.units:
            with p.block("units"):
                for name, count in pr.units.items():
                    p.line(f"{name} {_number(count)}")
        if pr.incidents or pr.incidents_frequency != "monthly":
            with p.block(f"incidents {pr.incidents_frequency}"):
                for name, rate in pr.incidents.items():
                    p.line(f"{name} {_number(rate)}")
        if pr.effort:
            with p.block("effort"):
                for name, effort in pr.effort.items():
                    p.line(f"{name} {_duration(effort)}")
        for key in ("onsite", "after_hours"):
            share: Decimal | None = getattr(pr, key)
            if share is not None:
                p.line(f"{key} {_percent(share)}")
        if pr.downtime_cost is not None:
            p.line(f"downtime_cost {_money(pr.downtime_cost)} per hour")
        for key in ("prevention", "spread"):
            share = getattr(pr, key)
            if share is not None:
                p.line(f"{key} {_percent(share)}")
        if pr.travel_distance is not None or pr.travel_unit is not None:
            p.line(_words("travel", _maybe(pr.travel_distance, _number), pr.travel_unit, "per visit"))
        if pr.materials is not None:
            p.line(f"materials {_money(pr.materials)} per incident")
        for kind, assumed in pr.assume_best_effort.items():
            p.line(f"assume best_effort {kind} {_duration(assumed)}")


# ------------------------------------------------------------------------------ requirements


def _requirements(p: _Printer, r: m.Requirements) -> None:
    with p.block(f"requirements {_string(r.title)}"):
        for cal in r.calendars:
            _calendar(p, cal)
        p.gap()
        for item in r.items:
            p.line(_requirement(item))


def _requirement(r: m.Requirement) -> str:
    if r.op is not None:
        compared = _words(r.op, _value(r), _clause("on", r.calendar), _clause("during", r.during))
    else:
        compared = _string(r.text) if r.text is not None else ""
    return _words(
        "prefer" if r.preferred else None,
        r.metric,
        r.subject,
        compared,
        _clause("with profile", _maybe(r.profile, _string)),
        _clause("weight", _maybe(r.weight, _number)),
    )


def _value(r: m.Requirement) -> str | None:
    if r.close is not None:
        return f"close +{r.close}d" if r.close else "close"
    if r.duration is not None:
        return _duration(r.duration)
    if r.percent is not None:
        return _percent(r.percent)
    if r.money is not None:
        return _money(r.money)
    if r.period is not None:
        return _period(r.period)
    if r.text is not None:
        return _string(r.text)
    return None
