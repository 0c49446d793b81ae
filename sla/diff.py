"""Two versions of an agreement compared by meaning: each change and whether it helps the customer.

Services, priorities, calendars, fees and credit tiers are matched by name (or by what they are
about), lists are compared as sets, and source positions are ignored, so moved, reordered or
reformatted text is no change. docs/procurement.md lists every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from . import model as m
from .diagnostics import Span
from .targets import REAL_TIME, compare_targets, period_pair
from .values import WEEKDAYS, Duration, Money, Period
from .week import spans_by_day, weekly_open_minutes
from .words import number

Effect = Literal["better", "worse", "neutral"]


@dataclass(frozen=True)
class Change:
    kind: str  # terms, calendar, service, maintenance, priority, clock, credits, fees, agreement
    what: str  # "priority P1 response"
    old: str | None
    new: str | None
    effect: Effect  # for the customer
    old_span: Span | None = None
    new_span: Span | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "old": self.old,
            "new": self.new,
            "effect": self.effect,
            "old_line": self.old_span.line if self.old_span else None,
            "new_line": self.new_span.line if self.new_span else None,
            "note": self.note,
        }


def summary(changes: Iterable[Change]) -> dict[str, int]:
    counts = {"better": 0, "worse": 0, "neutral": 0}
    for c in changes:
        counts[c.effect] += 1
    return counts


def _sign(old: Any, new: Any, lower_is_better: bool) -> Effect:
    if old == new:
        return "neutral"
    return "better" if (new < old) == lower_is_better else "worse"


class _Differ:
    def __init__(self, old: m.Agreement, new: m.Agreement) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def add(
        self,
        kind: str,
        what: str,
        old: Any,
        new: Any,
        effect: Effect,
        old_span: Span | None,
        new_span: Span | None,
        note: str | None = None,
    ) -> None:
        self.changes.append(Change(kind, what, _show(old), _show(new), effect, old_span, new_span, note))

    def value(
        self,
        kind: str,
        what: str,
        old_node: m.Node | None,
        new_node: m.Node | None,
        field: str,
        judge: Callable[[Any, Any], Effect | tuple[Effect, str]] | None = None,
        unit: str = "",
    ) -> None:
        """One statement of two matched nodes: a change when its values differ."""
        a = getattr(old_node, field) if old_node is not None else None
        b = getattr(new_node, field) if new_node is not None else None
        if a == b:
            return
        verdict = judge(a, b) if judge else "neutral"
        effect, note = verdict if isinstance(verdict, tuple) else (verdict, None)
        shown = [None if v is None else f"{_show(v)}{unit}" for v in (a, b)]
        self.add(kind, what, shown[0], shown[1], effect, _at(old_node, field), _at(new_node, field), note)

    def matched(
        self,
        kind: str,
        label: str,
        old: Iterable[Any],
        new: Iterable[Any],
        key: Callable[[Any], Any],
        added: Effect,
        removed: Effect,
        inner: Callable[[str, Any, Any], None],
    ) -> None:
        """Items matched by key: added, removed, or compared by `inner`."""
        before = {key(x): x for x in old}
        after = {key(x): x for x in new}
        for k, x in before.items():
            if k not in after:
                self.add(kind, f"{label} {k}", _brief(x), None, removed, x.span, None)
        for k, y in after.items():
            if k not in before:
                self.add(kind, f"{label} {k}", None, _brief(y), added, None, y.span)
            elif before[k] != y:
                inner(f"{label} {k}", before[k], y)

    def texts(
        self, kind: str, what: str, old_node: m.Node, new_node: m.Node, field: str, more_is: Effect
    ) -> None:
        """A list of texts compared as a set: each item added or removed is one change."""
        less_is: Effect = {"better": "worse", "worse": "better", "neutral": "neutral"}[more_is]  # type: ignore[assignment]
        a, b = getattr(old_node, field), getattr(new_node, field)
        for text in a:
            if text not in b:
                self.add(kind, what, text, None, less_is, _at(old_node, field), _at(new_node, field))
        for text in b:
            if text not in a:
                self.add(kind, what, None, text, more_is, _at(old_node, field), _at(new_node, field))


def _at(node: m.Node | None, field: str) -> Span | None:
    return node.where(field) if node is not None else None


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, tuple):
        return ", ".join(_show(v) or "" for v in value)
    if isinstance(value, m.Node):
        return _brief(value)
    return str(value)


def _brief(node: Any) -> str:
    """A node in a few words."""
    if isinstance(node, m.Target):
        if node.best_effort:
            return "best effort" + (f" ({node.duration})" if node.duration else "")
        return f"{node.length}" + (f" on {node.calendar}" if node.calendar else "")
    if isinstance(node, m.Availability):
        excluding = " excluding maintenance" if node.excluding_maintenance else ""
        during = f" during {node.during}" if node.during else ""
        return f"{_show(node.target)}% {node.frequency}{during}{excluding}"
    if isinstance(node, m.Service):
        return node.title or node.name
    if isinstance(node, m.Clause):
        return node.title
    if isinstance(node, m.Priority):
        return node.title or node.name
    if isinstance(node, m.Calendar):
        return f"{weekly_open_minutes(node) / 60:g} open hours a week"
    if isinstance(node, m.CreditTier):
        return f"credit {_show(node.credit)}%"
    if isinstance(node, m.BreachCredit):
        return f"{node.amount} each"
    if isinstance(node, (m.RecurringFee, m.OneTimeFee, m.Rate)):
        return _price(node)
    if isinstance(node, m.Multiplier):
        return f"{_show(node.factor)}x"
    if isinstance(node, m.Maintenance):
        return _maintenance(node)
    if isinstance(node, m.BlockHours):
        return f"{node.hours} for {node.price} {node.frequency}"
    if isinstance(node, m.Travel):
        return f"{node.price} per {node.unit}"
    if isinstance(node, m.Renewal):
        return f"{node.period or 'none'}" + (f" notice {node.notice}" if node.notice else "")
    return type(node).__name__.lower()


def _price(node: m.RecurringFee | m.OneTimeFee | m.Rate) -> str:
    text = str(node.price)
    if isinstance(node, m.RecurringFee):
        text += (f" per {node.unit}" if node.unit else "") + f" {node.frequency}"
        if node.tiers:
            text += f" tiers {node.tiers.kind} " + "; ".join(
                f"{t.low}-{t.high}: {t.price}" if t.high else f"{t.low}+: {t.price}" for t in node.tiers.bands
            )
    if isinstance(node, m.Rate):
        text += " per hour"
    return text


def _maintenance(w: m.Maintenance) -> str:
    days = ",".join(w.days)
    when = f"{w.ordinal} {days}" if w.ordinal else w.date.isoformat() if w.date else days
    return f"{w.frequency} {when} {w.window}" + (f" notice {w.notice}" if w.notice else "")


# ------------------------------------------------------------------------------------- judging


def _longer_better(a: Any, b: Any) -> Effect:
    return _sign(_minutes_or_days(a), _minutes_or_days(b), lower_is_better=False)


def _shorter_better(a: Any, b: Any) -> Effect:
    return _sign(_minutes_or_days(a), _minutes_or_days(b), lower_is_better=True)


def _minutes_or_days(v: Any) -> Decimal:
    if isinstance(v, Duration):
        return Decimal(v.total_minutes)
    if isinstance(v, Period):
        return v.approx_days * 1440
    if isinstance(v, Money):
        return v.amount
    if isinstance(v, m.Travel):
        return v.price.amount
    if v is None:
        return Decimal(0)
    return Decimal(v)


def _period_judge(lower_is_better: bool) -> Callable[[Any, Any], Effect | tuple[Effect, str]]:
    def judge(a: Period | None, b: Period | None) -> Effect | tuple[Effect, str]:
        if a is None or b is None:
            return "neutral", "stated on one side only"
        x, y, _ = period_pair(a, b)
        return _sign(x, y, lower_is_better)

    return judge


def _percent_higher_better(a: Decimal | None, b: Decimal | None) -> Effect:
    if a is None or b is None:
        return "neutral"
    return _sign(a, b, lower_is_better=False)


def _week_text(cal: m.Calendar) -> str:
    week = spans_by_day(cal)
    if isinstance(week, str):
        return week
    groups: list[tuple[list[str], tuple[str, ...]]] = []
    for day, spans in zip(WEEKDAYS, week):
        if not spans:
            continue
        if groups and groups[-1][1] == spans and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(day) - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], spans))
    return "; ".join((f"{g[0]}-{g[-1]}" if len(g) > 1 else g[0]) + " " + ", ".join(s) for g, s in groups)


def _closed(cal: m.Calendar) -> set[tuple[Any, Any, Any]]:
    return {(r.first, r.last, r.hours) for r in cal.closed}


# ------------------------------------------------------------------------------------- walking


def diff(old: m.Agreement, new: m.Agreement) -> list[Change]:
    """Every change from `old` to `new` by meaning, each judged for the customer."""
    d = _Differ(old, new)
    _renames(d)
    _terms(d)
    _calendars(d)
    _services(d)
    _windows(d)
    _priorities(d)
    _clock(d)
    _credits(d)
    _fees(d)
    _clauses(d)
    return d.changes


def _clauses(d: _Differ) -> None:
    """Free-text clauses by title: their words cannot be judged, only pointed at."""

    def inner(what: str, a: m.Clause, b: m.Clause) -> None:
        if a.texts != b.texts:
            d.add(
                "clause",
                what,
                " ".join(a.texts),
                " ".join(b.texts),
                "neutral",
                a.span,
                b.span,
                "read the new wording",
            )

    d.matched(
        "clause", "clause", d.old.clauses, d.new.clauses, lambda c: c.title, "neutral", "neutral", inner
    )


# ------------------------------------------------------------------------------------- renames


_NAMED = (
    ("calendar", "calendars", "name"),
    ("service", "services", "name"),
    ("priority", "priorities", "name"),
    ("rate", "fees.rates", "role"),
)


def _renames(d: _Differ) -> None:
    """Calendars, services, priorities and roles whose name changed but whose content did not
    (after what they refer to is renamed too), or the one removed and the one added with the
    same title: each is one change, "renamed", neutral for the customer. From then on the old
    agreement is read under the new names, so what refers to them is matched, not removed and
    added again."""
    names: dict[str, dict[str, str]] = {}
    for kind, field, key in _NAMED:
        old, new = _items(_with_names(d.old, names), field), _items(d.new, field)
        before = {getattr(x, key): x for x in old}
        after = {getattr(y, key): y for y in new}
        gone = [k for k in before if k not in after]
        came = [k for k in after if k not in before]
        pairs = []
        for k in gone:
            same = [j for j in came if before[k].model_copy(update={key: j}) == after[j]]
            if same:
                pairs.append((k, same[0]))
                came.remove(same[0])
        rest = [k for k in gone if k not in dict(pairs)]
        if len(rest) == 1 and len(came) == 1:
            title = getattr(before[rest[0]], "title", None)
            if title and title == getattr(after[came[0]], "title", None):
                pairs.append((rest[0], came[0]))
        for k, j in pairs:
            names.setdefault(kind, {})[k] = j
            label = "role" if kind == "rate" else kind
            d.add(
                "fees" if kind == "rate" else kind,
                f"{label} {k}",
                k,
                j,
                "neutral",
                before[k].span,
                after[j].span,
                "renamed",
            )
    d.old = _with_names(d.old, names)


def _items(a: m.Agreement, field: str) -> tuple[Any, ...]:
    if field == "fees.rates":
        return a.fees.rates if a.fees else ()
    return tuple(getattr(a, field))


def _with_names(a: m.Agreement, names: dict[str, dict[str, str]]) -> m.Agreement:
    """The agreement with calendars, services, priorities and roles renamed, and every reference
    to them."""
    if not names:
        return a

    def new(kind: str, name: str | None) -> str | None:
        return names.get(kind, {}).get(name, name) if name is not None else None

    def target(t: m.Target | None) -> m.Target | None:
        return t.model_copy(update={"calendar": new("calendar", t.calendar)}) if t is not None else None

    update: dict[str, Any] = {
        "calendars": tuple(c.model_copy(update={"name": new("calendar", c.name)}) for c in a.calendars),
        "services": tuple(
            s.model_copy(update={"name": new("service", s.name), "calendar": new("calendar", s.calendar)})
            for s in a.services
        ),
        "priorities": tuple(
            p.model_copy(
                update={
                    "name": new("priority", p.name),
                    "response": target(p.response),
                    "resolution": target(p.resolution),
                    "updates": target(p.updates),
                }
            )
            for p in a.priorities
        ),
        "maintenance": tuple(
            w.model_copy(update={"calendar": new("calendar", w.calendar)}) for w in a.maintenance
        ),
    }
    if a.credits:
        update["credits"] = a.credits.model_copy(
            update={
                "tiers": tuple(
                    t.model_copy(update={"service": new("service", t.service)}) for t in a.credits.tiers
                ),
                "breaches": tuple(
                    b.model_copy(update={"priority": new("priority", b.priority)}) for b in a.credits.breaches
                ),
            }
        )
    if a.fees:
        f = a.fees
        update["fees"] = f.model_copy(
            update={
                "recurring": tuple(
                    r.model_copy(update={"service": new("service", r.service)}) for r in f.recurring
                ),
                "rates": tuple(r.model_copy(update={"role": new("rate", r.role)}) for r in f.rates),
                "blocks": tuple(b.model_copy(update={"overage": new("rate", b.overage)}) for b in f.blocks),
                "multipliers": tuple(
                    x.model_copy(update={"outside": new("calendar", x.outside)}) for x in f.multipliers
                ),
            }
        )
    return a.model_copy(update=update)


def _windows(d: _Differ) -> None:
    """Maintenance windows by when they recur: a longer window or shorter notice is worse."""

    def key(w: m.Maintenance) -> str:
        days = w.date.isoformat() if w.date else ",".join(w.days)
        return f"{w.frequency} {w.ordinal + ' ' if w.ordinal else ''}{days}"

    def inner(what: str, a: m.Maintenance, b: m.Maintenance) -> None:
        if a.window != b.window:
            d.add(
                "maintenance",
                f"{what} window",
                a.window,
                b.window,
                _sign(a.window.length, b.window.length, lower_is_better=True),
                a.where("window"),
                b.where("window"),
            )
        d.value("maintenance", f"{what} notice", a, b, "notice", _longer_better)
        d.value("maintenance", f"{what} calendar", a, b, "calendar")

    d.matched(
        "maintenance", "maintenance", d.old.maintenance, d.new.maintenance, key, "worse", "better", inner
    )


def _terms(d: _Differ) -> None:
    o, n = d.old, d.new
    for field in ("title", "id", "version", "model", "currency", "start", "governing_law"):
        d.value("terms", field.replace("_", " "), o, n, field)
    for role in ("provider", "customer"):
        for field in m.Party.model_fields:
            if field not in ("span", "field_spans"):
                d.value("terms", f"{role} {field}", o.__dict__[role], n.__dict__[role], field)
    d.value("terms", "term", o, n, "term", _period_judge(lower_is_better=True))
    ro, rn = o.renewal, n.renewal
    if ro != rn and ro is not None and rn is not None:
        if ro.period != rn.period:  # `renewal none` renews never: the shortest commitment
            d.add(
                "terms",
                "renewal period",
                ro.period or "none",
                rn.period or "none",
                _sign(
                    ro.period.approx_days if ro.period else 0, rn.period.approx_days if rn.period else 0, True
                ),
                ro.where("period") or ro.span,
                rn.where("period") or rn.span,
            )
        d.value("terms", "renewal notice", ro, rn, "notice", _period_judge(lower_is_better=True))
    elif ro != rn:
        d.add(
            "terms",
            "renewal",
            ro,
            rn,
            "neutral",
            o.where("renewal"),
            n.where("renewal"),
            "stated on one side only",
        )


def _calendar_effect(a: m.Calendar, b: m.Calendar) -> tuple[Effect, str | None]:
    """More open hours a week and fewer closed days are better for the customer: deadlines come
    sooner and less work is after hours. Mixed or unmeasurable changes are neutral."""
    signs = set()
    hours = _sign(weekly_open_minutes(a), weekly_open_minutes(b), lower_is_better=False)
    if hours != "neutral":
        signs.add(hours)
    if set(a.holidays) != set(b.holidays) or _closed(a) != _closed(b):
        more = set(b.holidays) > set(a.holidays) or (
            _closed(b) > _closed(a) and set(b.holidays) >= set(a.holidays)
        )
        fewer = set(b.holidays) < set(a.holidays) or (
            _closed(b) < _closed(a) and set(b.holidays) <= set(a.holidays)
        )
        signs.add("worse" if more else "better" if fewer else "neutral")  # type: ignore[arg-type]
    kept_a, kept_b = {n.casefold() for n in a.holidays_except}, {n.casefold() for n in b.holidays_except}
    if kept_a != kept_b:  # a holiday kept open is a day more to work on
        signs.add("better" if kept_b > kept_a else "worse" if kept_b < kept_a else "neutral")  # type: ignore[arg-type]
    if a.timezone != b.timezone:
        return "neutral", "the time zone changed: cannot be judged"
    if len(signs) == 1:
        return signs.pop(), None
    return "neutral", "some hours or days open, others close: cannot be judged" if signs else None


def _calendars(d: _Differ) -> None:
    def inner(what: str, a: m.Calendar, b: m.Calendar) -> None:
        d.value("calendar", f"{what} title", a, b, "title")
        if a.timezone != b.timezone:
            d.add(
                "calendar",
                f"{what} timezone",
                a.timezone,
                b.timezone,
                "neutral",
                a.where("timezone"),
                b.where("timezone"),
                "the time zone changed: cannot be judged",
            )
        if spans_by_day(a) != spans_by_day(b):
            effect = _sign(weekly_open_minutes(a), weekly_open_minutes(b), lower_is_better=False)
            d.add(
                "calendar",
                f"{what} hours",
                _week_text(a),
                _week_text(b),
                effect,
                a.where("hours"),
                b.where("hours"),
                f"{weekly_open_minutes(a) / 60:g} -> {weekly_open_minutes(b) / 60:g} open hours a week",
            )
        d.texts("calendar", f"{what} holidays", a, b, "holidays", more_is="worse")
        d.texts("calendar", f"{what} holidays kept open", a, b, "holidays_except", more_is="better")
        spans = a.where("closed"), b.where("closed")
        for first, last, hours in sorted(_closed(a) - _closed(b), key=str):
            d.add("calendar", f"{what} closed", _range(first, last, hours), None, "better", *spans)
        for first, last, hours in sorted(_closed(b) - _closed(a), key=str):
            d.add("calendar", f"{what} closed", None, _range(first, last, hours), "worse", *spans)

    d.matched(
        "calendar",
        "calendar",
        d.old.calendars,
        d.new.calendars,
        lambda c: c.name,
        "neutral",
        "neutral",
        inner,
    )


def _range(first: Any, last: Any, hours: Any = None) -> str:
    return f"{first} {hours}" if hours else str(first) if first == last else f"{first}..{last}"


def _services(d: _Differ) -> None:
    def inner(what: str, a: m.Service, b: m.Service) -> None:
        d.value("service", f"{what} title", a, b, "title")
        if (a.quantity, a.unit) != (b.quantity, b.unit):
            d.add(
                "service",
                f"{what} quantity",
                _quantity(a),
                _quantity(b),
                "neutral",
                a.where("quantity"),
                b.where("quantity"),
                "the fees follow the quantity",
            )
        if a.calendar != b.calendar:
            ca, cb = d.old.service_calendar(a), d.new.service_calendar(b)
            effect, note = _calendar_effect(ca, cb) if ca and cb else ("neutral", None)
            d.add(
                "service",
                f"{what} calendar",
                ca.name if ca else a.calendar,
                cb.name if cb else b.calendar,
                effect,
                a.where("calendar"),
                b.where("calendar"),
                note,
            )
        d.texts("service", f"{what} includes", a, b, "includes", more_is="better")
        d.texts("service", f"{what} excludes", a, b, "excludes", more_is="worse")
        _availability(d, what, a, b)

    d.matched(
        "service", "service", d.old.services, d.new.services, lambda s: s.name, "better", "worse", inner
    )


def _quantity(s: m.Service) -> str | None:
    return None if s.quantity is None else f"{_show(s.quantity)} {s.unit or ''}".strip()


def _availability(d: _Differ, what: str, a: m.Service, b: m.Service) -> None:
    x, y = a.availability, b.availability
    if x == y:
        return
    where = (a.where("availability"), b.where("availability"))
    if x is None or y is None:
        d.add("service", f"{what} availability", x, y, "better" if x is None else "worse", *where)
        return
    if x.target != y.target:
        d.add(
            "service",
            f"{what} availability",
            f"{_show(x.target)}%",
            f"{_show(y.target)}%",
            _sign(x.target, y.target, lower_is_better=False),
            *where,
        )
    if x.frequency != y.frequency:  # a longer period averages a bad month away
        d.add(
            "service",
            f"{what} availability period",
            x.frequency,
            y.frequency,
            _sign(m.FREQUENCY_MONTHS[x.frequency], m.FREQUENCY_MONTHS[y.frequency], lower_is_better=True),
            *where,
        )
    if x.excluding_maintenance != y.excluding_maintenance:
        d.add(
            "service",
            f"{what} availability excluding maintenance",
            x.excluding_maintenance,
            y.excluding_maintenance,
            "worse" if y.excluding_maintenance else "better",
            *where,
        )
    if x.during != y.during:  # fewer minutes measured: an outage outside them no longer counts
        before, after = (
            (d.old.calendar(x.during) if x.during else None),
            (d.new.calendar(y.during) if y.during else None),
        )
        minutes = [
            weekly_open_minutes(c) if c is not None and not c.always else 7 * 1440 for c in (before, after)
        ]
        d.add(
            "service",
            f"{what} availability measured during",
            x.during or "all the time",
            y.during or "all the time",
            _sign(minutes[0], minutes[1], lower_is_better=False),
            *where,
            f"{minutes[0] / 60:g} -> {minutes[1] / 60:g} hours a week measured",
        )


def _target_effect(d: _Differ, a: m.Target | None, b: m.Target | None) -> tuple[Effect, str | None]:
    """A firm target beats best effort beats none; two firm ones compare by their deadlines."""
    rank = {None: 0, True: 1, False: 2}

    def firmness(t: m.Target | None) -> int:
        return rank[None] if t is None else rank[t.best_effort or t.length is None]

    if firmness(a) != firmness(b):
        return ("better" if firmness(b) > firmness(a) else "worse"), None
    if a is None or b is None or a.length is None or b.length is None:
        return "neutral", None
    old, new = a.length, b.length
    ca = d.old.target_calendar(a) or REAL_TIME
    cb = d.new.target_calendar(b) or REAL_TIME
    start = d.new.start or d.old.start
    if compare_targets(new, cb, "<=", old, ca, start)[0]:
        if compare_targets(new, cb, ">=", old, ca, start)[0]:
            return "neutral", "the same deadlines"
        return "better", None
    if compare_targets(new, cb, ">=", old, ca, start)[0]:
        return "worse", None
    return "neutral", "sooner for some starts, later for others"


def _priorities(d: _Differ) -> None:
    def inner(what: str, a: m.Priority, b: m.Priority) -> None:
        d.value("priority", f"{what} title", a, b, "title")
        for kind in ("response", "resolution", "updates"):
            x, y = getattr(a, kind), getattr(b, kind)
            if x != y:
                effect, note = _target_effect(d, x, y)
                d.add("priority", f"{what} {kind}", x, y, effect, a.where(kind), b.where(kind), note)

    d.matched(
        "priority",
        "priority",
        d.old.priorities,
        d.new.priorities,
        lambda p: p.name,
        "neutral",
        "worse",
        inner,
    )


def _clock(d: _Differ) -> None:
    a, b = d.old.clock or m.Clock(), d.new.clock or m.Clock()
    d.texts("clock", "clock pauses when", a, b, "pause", more_is="worse")

    def rule(x: str | None, y: str | None) -> tuple[Effect, str]:
        # the most urgent priority a ticket had gives the strictest targets
        if "highest" in (x, y):
            return ("better" if y == "highest" else "worse"), "measured at the most urgent priority it had"
        return "neutral", "better or worse depending on whether tickets are raised or lowered"

    if (a.priority or "final") != (b.priority or "final"):
        d.add(
            "clock",
            "clock measures tickets at priority",
            a.priority or "final",
            b.priority or "final",
            *rule(a.priority or "final", b.priority or "final")[:1],
            a.where("priority"),
            b.where("priority"),
            rule(a.priority or "final", b.priority or "final")[1],
        )


def _credits(d: _Differ) -> None:
    a, b = d.old.credits or m.Credits(), d.new.credits or m.Credits()
    if a == b:
        return

    def tier_key(t: m.CreditTier) -> str:
        return f"below {_show(t.below)}%" + (f" for {t.service}" if t.service else "")

    def tier(what: str, x: m.CreditTier, y: m.CreditTier) -> None:
        d.value("credits", what, x, y, "credit", _percent_higher_better, unit="%")

    def breach(what: str, x: m.BreachCredit, y: m.BreachCredit) -> None:
        d.value("credits", what, x, y, "amount", _longer_better)

    d.matched("credits", "credit availability", a.tiers, b.tiers, tier_key, "better", "worse", tier)
    d.matched(
        "credits",
        "credit",
        a.breaches,
        b.breaches,
        lambda x: f"{x.target} missed {x.priority}",
        "better",
        "worse",
        breach,
    )
    if a.cap != b.cap:  # no cap is no limit
        unlimited = Decimal("Infinity")
        d.add(
            "credits",
            "credit cap",
            f"{_show(a.cap)}%" if a.cap is not None else "none",
            f"{_show(b.cap)}%" if b.cap is not None else "none",
            _sign(
                a.cap if a.cap is not None else unlimited, b.cap if b.cap is not None else unlimited, False
            ),
            a.where("cap"),
            b.where("cap"),
        )
    if (a.rolling_cap, a.rolling_months) != (b.rolling_cap, b.rolling_months):  # none is no limit
        unlimited = Decimal("Infinity")
        shown = [
            f"{_show(c.rolling_cap)}% over {c.rolling_months} months" if c.rolling_cap is not None else "none"
            for c in (a, b)
        ]
        effect = _sign(
            a.rolling_cap if a.rolling_cap is not None else unlimited,
            b.rolling_cap if b.rolling_cap is not None else unlimited,
            False,
        )
        d.add(
            "credits",
            "rolling credit cap",
            shown[0],
            shown[1],
            effect,
            a.where("rolling_cap"),
            b.where("rolling_cap"),
        )
    d.value("credits", "credit claim window", a, b, "claim_within", _longer_better)


def _fees(d: _Differ) -> None:
    a, b = d.old.fees or m.Fees(), d.new.fees or m.Fees()
    if a == b:
        return
    lines_old, lines_new = _monthly(d.old), _monthly(d.new)

    def recurring(what: str, x: m.RecurringFee, y: m.RecurringFee) -> None:
        before, after = lines_old.get(x.service), lines_new.get(y.service)
        if before is not None and after is not None and before != after:
            effect: Effect = _sign(before, after, lower_is_better=True)
            note = f"{before} -> {after} a month at the stated quantity"
        elif x.price != y.price and x.tiers == y.tiers:
            effect, note = _sign(x.price.amount, y.price.amount, lower_is_better=True), None
        else:
            effect, note = "neutral", "the monthly amount is the same"
        d.add("fees", what, _price(x), _price(y), effect, x.span, y.span, note)

    def once(what: str, x: m.OneTimeFee, y: m.OneTimeFee) -> None:
        d.value("fees", what, x, y, "price", _shorter_better)
        d.value("fees", f"{what} title", x, y, "title")

    def rate(what: str, x: m.Rate, y: m.Rate) -> None:
        d.value("fees", what, x, y, "price", _shorter_better)
        d.value("fees", f"{what} title", x, y, "title")
        d.value("fees", f"{what} increment", x, y, "increment", _shorter_better)
        for location in ("remote", "onsite"):
            p, q = x.minimum_for(location), y.minimum_for(location)
            if p != q:
                d.add(
                    "fees",
                    f"{what} minimum {location}",
                    p,
                    q,
                    _shorter_better(p, q),
                    x.where("minimums"),
                    y.where("minimums"),
                )

    def multiplier(what: str, x: m.Multiplier, y: m.Multiplier) -> None:
        d.value("fees", what, x, y, "factor", _shorter_better, unit="x")
        d.value("fees", f"{what} outside", x, y, "outside")

    def block(what: str, x: m.BlockHours, y: m.BlockHours) -> None:
        d.value("fees", f"{what} price", x, y, "price", _shorter_better)
        d.value("fees", f"{what} rollover", x, y, "rollover", _period_judge(lower_is_better=False))
        d.value("fees", f"{what} overage", x, y, "overage")

    d.matched(
        "fees", "fee recurring", a.recurring, b.recurring, lambda f: f.service, "worse", "better", recurring
    )
    d.matched("fees", "fee once", a.once, b.once, lambda f: f.name, "worse", "better", once)
    d.matched("fees", "rate", a.rates, b.rates, lambda r: r.role, "neutral", "neutral", rate)
    d.matched(
        "fees", "multiplier", a.multipliers, b.multipliers, lambda x: x.kind, "worse", "better", multiplier
    )
    d.matched(
        "fees", "block", a.blocks, b.blocks, lambda x: f"{x.hours} {x.frequency}", "neutral", "neutral", block
    )
    d.value("fees", "yearly increase", a, b, "increase", _shorter_better, unit="%")
    d.value("fees", "callout", a, b, "callout", _shorter_better)
    d.value("fees", "travel", a, b, "travel", _shorter_better)
    d.value("fees", "materials markup", a, b, "materials_markup", _shorter_better, unit="%")
    d.value("fees", "payment terms", a, b, "payment", _period_judge(lower_is_better=False))


def _monthly(a: m.Agreement) -> dict[str, Decimal]:
    """The monthly fee per service in the first month, when the agreement can be priced."""
    from .diagnostics import SlaError
    from .pricing import monthly_fees

    try:
        return monthly_fees(a)[0]
    except SlaError:
        return {}


Pair = tuple[m.Agreement | None, m.Agreement | None]


def pair_agreements(old: list[m.Agreement], new: list[m.Agreement]) -> Iterator[Pair]:
    """Agreements of two files paired: the only one of each, else by id or title."""
    if len(old) == 1 and len(new) == 1:
        yield old[0], new[0]
        return
    after = {a.id or a.title: a for a in new}
    for a in old:
        yield a, after.pop(a.id or a.title, None)
    for b in after.values():
        yield None, b


__all__ = ["Change", "diff", "pair_agreements", "summary"]


# --- two files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diff:
    """Two versions compared, agreement by agreement: `to_dict` is what `sla diff --json` prints."""

    old: str  # what the versions are called: their files
    new: str
    changes: list[Change]

    @property
    def summary(self) -> dict[str, int]:
        """How many changes are better, worse and neutral for the customer."""
        return summary(self.changes)

    @property
    def worse(self) -> bool:
        return any(c.effect == "worse" for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "changes": [c.to_dict() for c in self.changes],
            "summary": self.summary,
        }


def diff_versions(
    old: list[m.Agreement], new: list[m.Agreement], old_name: str = "old", new_name: str = "new"
) -> Diff:
    """The agreements of two files compared: paired as `pair_agreements` pairs them, an agreement
    on one side only being a change of its own."""
    changes: list[Change] = []
    for a, b in pair_agreements(old, new):
        if a is None or b is None:
            present = a or b
            assert present is not None
            changes.append(
                Change(
                    "agreement",
                    f"agreement {present.id or present.title}",
                    present.title if a else None,
                    present.title if b else None,
                    "neutral",
                    a.span if a else None,
                    b.span if b else None,
                )
            )
        else:
            changes.extend(diff(a, b))
    return Diff(old_name, new_name, changes)


__all__ += ["Diff", "diff_versions"]
