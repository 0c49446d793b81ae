"""Semantic checks: each rule a small function with a stable code, registered in one ordered list."""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple, TypeVar

from . import model as m
from .codes import CODES, Code
from .diagnostics import Diagnostic, Severity, Span, did_you_mean
from .instants import FIRST_DAY, LAST_DAY, last_day
from .targets import target_minutes
from .values import MINUTES_PER_DAY, WEEKDAYS, Money, Period, same_unit, singular
from .week import open_by_day, window_on

D = TypeVar("D", m.Agreement, m.Profile, m.Requirements)
Found = tuple[str, Span | None, str | None]  # message, where, hint


class Rule(NamedTuple):  # not a dataclass, whose making costs every start a third of a millisecond
    code: str
    severity: Severity
    applies_to: type
    check: Callable[..., Iterable[Found]]

    @property
    def summary(self) -> str:
        return (self.check.__doc__ or "").strip().splitlines()[0]


RULES: list[Rule] = []


def rule(
    code: str, severity: Severity, applies_to: type[D]
) -> Callable[[Callable[[D], Iterable[Found]]], Callable[[D], Iterable[Found]]]:
    """Register a check; the docstring's first line is its summary (shown in SARIF).

    The docstring ends with a failing example: a line `Failing example: ...` in words (the one
    docs/language.md shows), then indented lines `in BLOCK: STATEMENTS` that tests/test_checks.py
    runs. It puts the statements into that block of a clean base document (each replaces the
    base's statement of its kind and name) and expects this check to report its code.
    """

    def register(fn: Callable[[D], Iterable[Found]]) -> Callable[[D], Iterable[Found]]:
        RULES.append(Rule(code, severity, applies_to, fn))
        return fn

    return register


def all_codes() -> dict[str, Code]:
    """Every code sla gives, in order: `sla.codes.CODES` and each rule's."""
    found = dict(CODES)
    for r in RULES:
        found.setdefault(r.code, Code(r.code, r.severity, r.summary))
    return dict(sorted(found.items()))


def check_document(doc: m.Agreement | m.Profile | m.Requirements, home: str | None) -> list[Diagnostic]:
    """Run every rule on one document; findings inside files it imports belong to those files."""
    found = []
    _checking.doc, _checking.money = doc, None
    try:
        for r in RULES:
            if isinstance(doc, r.applies_to):
                for message, span, hint in r.check(doc):
                    if span is None or home is None or span.file in (home, None):
                        found.append(Diagnostic(r.code, r.severity, message, span, hint))
    finally:
        _checking.doc = _checking.money = None
    return found


class _Checking(threading.local):
    """The document whose rules run on this thread, and its amounts once found: several rules
    read them, one walk over the document finds them."""

    doc: m.Node | None = None
    money: tuple[list[Money], list[Span | None]] | None = None


_checking = _Checking()


def check_calendars(calendars: tuple[m.Calendar, ...]) -> list[Diagnostic]:
    """The calendar rules on calendars no agreement owns (top-level, or in requirements)."""
    holder = m.Agreement.model_construct(title="", calendars=calendars)
    return [
        Diagnostic(r.code, r.severity, message, span, hint)
        for r in RULES
        if r.check in _CALENDAR_RULES
        for message, span, hint in r.check(holder)
    ]


# ------------------------------------------------------------------------------ helpers


def _own_calendars(a: m.Agreement | m.Requirements) -> list[m.Calendar]:
    """Calendars written in the document itself (not shared ones it can see)."""
    if a.span is None:
        return list(a.calendars)
    return [
        c for c in a.calendars if c.span is None or c.span.file == a.span.file and _inside(c.span, a.span)
    ]


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) <= (outer.end_line, outer.end_column)


_DEFINE = {
    "role": "rate {name} 120.00 per hour",
    "service": "service {name} {{ ... }}",
    "calendar": "calendar {name} {{ ... }}",
    "priority": "priority {name} {{ ... }}",
}


def _undefined(kind: str, name: str, known: Iterable[str], span: Span | None) -> Found:
    names = list(known)
    hint = did_you_mean(name, names) or (
        f"define it with `{_DEFINE[kind].format(name=name)}`"
        if not names
        else f"known: {', '.join(names[:8])}"
    )
    return f"unknown {kind} {name!r}", span, hint


def _duplicates(kind: str, items: Iterable[tuple[str, Span | None]]) -> Iterator[Found]:
    first: dict[str, Span | None] = {}
    for name, span in items:
        if name in first:
            where = first[name]
            at = (
                f"{where.file}:{where.line}"
                if where and where.file
                else f"line {where.line}"
                if where
                else "earlier"
            )
            yield f"{kind} {name!r} is defined twice", span, f"the first is at {at}; rename or remove one"
        else:
            first[name] = span


def _money_fields(node: m.Node) -> Iterator[tuple[Money, Span | None]]:
    if node is not _checking.doc:
        return _find_money(node)
    if _checking.money is None:
        # Two lists, not a list of pairs: while the checks run the collector is on, and
        # every object kept would bring its next pass over the whole file nearer.
        amounts: list[Money] = []
        spans: list[Span | None] = []
        for money, span in _find_money(node):
            amounts.append(money)
            spans.append(span)
        _checking.money = amounts, spans
    return zip(*_checking.money)


def _find_money(node: m.Node) -> Iterator[tuple[Money, Span | None]]:
    for n in _walk_nodes(node):
        for key, value in n.__dict__.items():  # the fields, without pydantic's model_fields each time
            if isinstance(value, Money):
                yield value, n.where(key)


def _walk_nodes(node: m.Node) -> Iterator[m.Node]:
    return m._walk(node)


# ------------------------------------------------------------------------------ agreement: required


@rule("SLA107", "warning", m.Agreement)
def missing_statements(a: m.Agreement) -> Iterator[Found]:
    """An agreement states its parties, model, currency, start and term.

    Failing example: `agreement "X" { provider "P" }` (no customer, model, ...).

        in file: agreement "X" { provider "P" }
    """
    missing = [
        key
        for key in ("provider", "customer", "model", "currency", "start", "term")
        if getattr(a, key) is None
    ]
    if missing:
        listed = ", ".join(missing[:-1]) + " or " + missing[-1] if len(missing) > 1 else missing[0]
        yield (
            f"the agreement {a.title!r} states no {listed}",
            a.span,
            "add " + "; ".join(f"`{_REQUIRED_EXAMPLES[k]}`" for k in missing),
        )


_REQUIRED_EXAMPLES = {
    "provider": 'provider "Contoso IT Services Ltd"',
    "customer": 'customer "Acme GmbH"',
    "model": "model managed",
    "currency": "currency EUR",
    "start": "start 2027-01-01",
    "term": "term 36 months",
}


# ------------------------------------------------------------------------------ names


@rule("SLA101", "error", m.Agreement)
def duplicate_names(a: m.Agreement) -> Iterator[Found]:
    """Calendars, services, priorities, roles, one-time fees and multipliers have unique names.

    Failing example: two `service helpdesk { ... }` blocks.

        in agreement: service helpdesk { quantity 10 users }; service helpdesk { quantity 10 users }
    """
    yield from _duplicate_calendars(a)
    yield from _duplicates("service", ((s.name, s.span) for s in a.services))
    yield from _duplicates("priority", ((p.name, p.span) for p in a.priorities))
    if a.fees:
        yield from _duplicates("rate for role", ((r.role, r.span) for r in a.fees.rates))
        yield from _duplicates("one-time fee", ((o.name, o.span) for o in a.fees.once))
        yield from _duplicates("multiplier", ((x.kind, x.span) for x in a.fees.multipliers))
        yield from _duplicates("recurring fee for service", ((r.service, r.span) for r in a.fees.recurring))


def _duplicate_calendars(a: m.Agreement | m.Requirements) -> Iterator[Found]:
    """Two calendars of one name: reported where the document can fix it, even when the other
    one comes from an imported file."""
    home = a.span.file if a.span else None
    first: dict[str, m.Calendar] = {}
    for cal in a.calendars:
        if cal.name not in first:
            first[cal.name] = cal
            continue
        earlier = first[cal.name]
        later_is_here = home is None or (cal.span is not None and cal.span.file == home)
        here, other = (cal, earlier) if later_is_here else (earlier, cal)
        where = f"{other.span.file}:{other.span.line}" if other.span else "elsewhere"
        yield (
            f"calendar {cal.name!r} is defined twice",
            here.span,
            f"the other is at {where}; rename or remove one",
        )


@rule("SLA101", "error", m.Requirements)
def duplicate_requirement_calendars(r: m.Requirements) -> Iterator[Found]:
    """Calendars seen by requirements have unique names.

    Failing example: a `calendar business` in the requirements and in a file they import.

        in requirements: calendar business { timezone "Europe/Berlin"; hours 24x7 }
        in imported file: calendar business { timezone "Europe/Berlin"; hours 24x7 }
    """
    yield from _duplicate_calendars(r)


@rule("SLA102", "error", m.Agreement)
def undefined_names(a: m.Agreement) -> Iterator[Found]:
    """Every calendar, service, priority and role an agreement names is defined.

    Failing example: `calendar ofice` in a service when the calendar is `office`.

        in service helpdesk: calendar ofice
    """
    calendars = list(dict.fromkeys(c.name for c in a.calendars))
    services = list(dict.fromkeys(s.name for s in a.services))
    priorities = list(dict.fromkeys(p.name for p in a.priorities))
    roles = list(dict.fromkeys(r.role for r in a.fees.rates)) if a.fees else []
    known = {
        "calendar": set(calendars),
        "service": set(services),
        "priority": set(priorities),
        "role": set(roles),
    }

    def cal(name: str | None, span: Span | None) -> Iterator[Found]:
        if name is not None and name not in known["calendar"]:
            yield _undefined("calendar", name, calendars, span)

    for s in a.services:
        yield from cal(s.calendar, s.where("calendar"))
        if s.availability is not None:
            yield from cal(s.availability.during, s.availability.span)
    for mw in a.maintenance:
        yield from cal(mw.calendar, mw.span)
    for p in a.priorities:
        for t in (p.response, p.resolution, p.updates):
            if t is not None:
                yield from cal(t.calendar, t.span)
    if a.credits:
        for b in a.credits.breaches:
            if b.priority not in known["priority"]:
                yield _undefined("priority", b.priority, priorities, b.span)
        for tier in a.credits.tiers:
            if tier.service is not None and tier.service not in known["service"]:
                yield _undefined("service", tier.service, services, tier.span)
    if a.fees:
        for fee in a.fees.recurring:
            if fee.service not in known["service"]:
                yield _undefined("service", fee.service, services, fee.span)
        for mult in a.fees.multipliers:
            yield from cal(mult.outside, mult.span)
        for block in a.fees.blocks:
            if block.overage is not None and block.overage not in known["role"]:
                yield _undefined("role", block.overage, roles, block.span)


@rule("SLA102", "error", m.Requirements)
def undefined_requirement_calendars(r: m.Requirements) -> Iterator[Found]:
    """A requirement's `on CALENDAR` names a calendar the requirements can see.

    Failing example: `response P1 <= 30m on always` with no calendar `always`.

        in requirements: response P1 <= 30m on always
    """
    calendars = [c.name for c in r.calendars]
    known = set(calendars)
    for item in r.items:
        for name in (item.calendar, item.during):
            if name is not None and name not in known:
                yield _undefined("calendar", name, calendars, item.span)


# ------------------------------------------------------------------------------ reference data


@rule("SLA103", "error", m.Agreement)
def unknown_timezones(a: m.Agreement) -> Iterator[Found]:
    """A calendar's time zone is an IANA name such as Europe/Berlin.

    Failing example: `timezone "Europe/Berln"`.

        in calendar office: timezone "Europe/Berln"
    """
    from .reference import timezone_problem

    for c in _own_calendars(a):
        if c.timezone is not None:
            hint = timezone_problem(c.timezone)
            if hint is not None:
                yield f"unknown time zone {c.timezone!r}", c.where("timezone"), hint


@rule("SLA104", "error", m.Agreement)
def unknown_holiday_regions(a: m.Agreement) -> Iterator[Found]:
    """Holiday regions are countries or subdivisions the holidays library knows.

    Failing example: `holidays DE-XY`.

        in calendar office: holidays DE-XY
    """
    from .reference import holiday_region_problem

    for c in _own_calendars(a):
        for region in c.holidays:
            problem = holiday_region_problem(region)
            if problem is not None:
                yield problem[0], c.where("holidays"), problem[1]


@rule("SLA135", "error", m.Agreement)
def unknown_holidays_kept_open(a: m.Agreement) -> Iterator[Found]:
    """A holiday kept open (`holidays REGION except "NAME"`) is one of the region's holidays.

    Failing example: `holidays DE-BY except "Chrismas Day"`.

        in calendar office: holidays DE-BY except "Chrismas Day"
    """
    from .reference import holiday_region_problem

    first = a.start.year if a.start else 2027
    for c in _own_calendars(a):
        if not c.holidays_except or any(holiday_region_problem(r) for r in c.holidays):
            continue  # an unknown region is told already
        from .clock import holiday_names  # the business clock: only for holidays kept open

        names = {n for r in c.holidays for n in holiday_names(r, range(first, first + 3))}
        known = {n.casefold() for n in names}
        for name in c.holidays_except:
            if name.casefold() not in known:
                regions = ", ".join(c.holidays)
                yield (
                    f"{regions} has no holiday called {name!r}",
                    c.where("holidays_except"),
                    did_you_mean(name, sorted(names)) or "its holidays: " + ", ".join(sorted(names)),
                )


@rule("SLA105", "error", m.Agreement)
def unknown_currency(a: m.Agreement) -> Iterator[Found]:
    """The agreement's currency is an ISO 4217 code.

    Failing example: `currency EUX`.

        in agreement: currency EUX
    """
    from .reference import currencies

    known = currencies()
    codes = {a.currency} | {money.currency for money, _ in _money_fields(a)} - {None}
    for code in sorted(c for c in codes if c):
        if code not in known:
            where = a.where("currency") if code == a.currency else a.span
            yield (
                f"unknown currency {code!r}",
                where,
                did_you_mean(code, known) or "use an ISO 4217 code such as EUR",
            )


@rule("SLA105", "error", m.Profile)
def unknown_profile_currency(p: m.Profile) -> Iterator[Found]:
    """Amounts in a profile use ISO 4217 codes.

    Failing example: `downtime_cost XYZ 10.00 per hour`.

        in profile: downtime_cost XYZ 10.00 per hour
    """
    yield from _unknown_codes(p)


@rule("SLA105", "error", m.Requirements)
def unknown_requirement_currency(r: m.Requirements) -> Iterator[Found]:
    """Amounts in requirements use ISO 4217 codes.

    Failing example: `monthly_cost <= XYZ 9000.00`.

        in requirements: monthly_cost <= XYZ 9000.00
    """
    yield from _unknown_codes(r)


def _unknown_codes(doc: m.Node) -> Iterator[Found]:
    from .reference import currencies

    known = currencies()
    for money, span in _money_fields(doc):
        if money.currency and money.currency not in known:
            yield (
                f"unknown currency {money.currency!r}",
                span,
                did_you_mean(money.currency, known) or "use an ISO 4217 code such as EUR",
            )


@rule("SLA106", "error", m.Agreement)
def foreign_money(a: m.Agreement) -> Iterator[Found]:
    """Every amount is in the agreement's currency: sla never converts currencies.

    Failing example: `callout USD 75.00 per visit` in a EUR agreement.

        in fees: callout USD 75.00 per visit
    """
    for money, span in _money_fields(a):
        if money.currency and a.currency and money.currency != a.currency:
            yield (
                f"{money} is in {money.currency}, but the agreement is in {a.currency}",
                span,
                f"write the amount in {a.currency} (a bare amount is in {a.currency})",
            )


@rule("SLA108", "warning", m.Agreement)
def calendar_without_timezone(a: m.Agreement) -> Iterator[Found]:
    """A calendar states its time zone; without one its hours are read as UTC.

    Failing example: `calendar office { hours mon-fri 09:00-17:00 }`.

        in agreement: calendar office { hours mon-fri 09:00-17:00 }
    """
    for c in _own_calendars(a):
        if c.timezone is None:
            yield (
                f"calendar {c.name!r} states no time zone; its hours are read as UTC",
                c.span,
                'add `timezone "Europe/Berlin"` (or the zone the hours are in)',
            )


# ------------------------------------------------------------------------------ calendars


@rule("SLA110", "error", m.Agreement)
def calendar_never_open(a: m.Agreement) -> Iterator[Found]:
    """A calendar has open hours.

    Failing example: `calendar office { timezone "Europe/Berlin" }`.

        in agreement: calendar office { timezone "Europe/Berlin" }
    """
    for c in _own_calendars(a):
        if not any(day for day in open_by_day(c)):
            yield (
                f"calendar {c.name!r} has no open hours",
                c.span,
                "add hours, such as `hours mon-fri 09:00-17:00` or `hours 24x7`",
            )


@rule("SLA111", "error", m.Agreement)
def overlapping_spans(a: m.Agreement) -> Iterator[Found]:
    """A calendar's spans do not overlap (a span after midnight counts on the next day).

    Failing example: `hours mon-fri 08:00-12:00, 11:00-17:00`.

        in calendar office: hours mon-fri 08:00-12:00, 11:00-17:00
    """
    from .values import format_clock

    for c in _own_calendars(a):
        clashes: dict[tuple[int, int], list[str]] = defaultdict(list)
        for d, intervals in enumerate(open_by_day(c)):
            intervals.sort()
            for (_, e1), (s2, e2) in itertools.pairwise(intervals):
                if s2 < e1:
                    clashes[(s2, min(e1, e2))].append(WEEKDAYS[d])
                    break
        for (start, end), days in clashes.items():
            span = next((h.span for h in c.hours if h.always or days[0] in h.days), c.span)
            yield (
                (
                    f"calendar {c.name!r} opens twice on {', '.join(days)} between "
                    f"{format_clock(start)} and {format_clock(end)}"
                ),
                span,
                "merge the overlapping spans into one",
            )


_CALENDAR_RULES = {
    duplicate_names,
    unknown_timezones,
    unknown_holiday_regions,
    calendar_without_timezone,
    calendar_never_open,
    overlapping_spans,
}


# ------------------------------------------------------------------------------ targets


@rule("SLA112", "error", m.Agreement)
def resolution_before_response(a: m.Agreement) -> Iterator[Found]:
    """A priority's resolution target is not shorter than its response target.

    Failing example: `priority P1 { response 4h; resolution 1h }`.

        in agreement: priority P1 { response 4h; resolution 1h }
    """
    for p in a.priorities:
        if not (p.response and p.resolution):
            continue
        resp_cal, res_cal = a.target_calendar(p.response), a.target_calendar(p.resolution)
        resp, res = target_minutes(p.response, resp_cal), target_minutes(p.resolution, res_cal)
        comparable = resp_cal is res_cal or (res_cal is not None and res_cal.always)
        if resp is not None and res is not None and comparable and res < resp:
            yield (
                (
                    f"priority {p.name!r} must be resolved ({p.resolution.length}) before its "
                    f"response is due ({p.response.length})"
                ),
                p.where("resolution"),
                "make the resolution target at least as long as the response target",
            )


@rule("SLA113", "warning", m.Agreement)
def priorities_out_of_order(a: m.Agreement) -> Iterator[Found]:
    """Priorities run from most to least urgent: a later one has no stricter target.

    Failing example: `priority P1 { response 1h }` then `priority P2 { response 30m }`.

        in agreement: priority P1 { response 1h }; priority P2 { response 30m }
    """
    for kind in ("response", "resolution"):
        strictest: tuple[Decimal, m.Priority, m.Calendar | None] | None = None
        for p in a.priorities:
            target: m.Target | None = getattr(p, kind)
            if target is None or target.length is None or target.best_effort:
                continue
            cal = a.target_calendar(target)
            minutes = target_minutes(target, cal)
            assert minutes is not None
            if strictest is not None:
                limit, higher, higher_cal = strictest
                stricter = minutes < limit and (cal is higher_cal or (cal is not None and cal.always))
                if stricter:
                    yield (
                        (
                            f"priority {p.name!r} has a stricter {kind} target ({target.length}) than "
                            f"the more urgent {higher.name!r}"
                        ),
                        p.where(kind),
                        f"list priorities from most to least urgent, or relax {p.name}",
                    )
                    continue
            if strictest is None or minutes > strictest[0]:
                strictest = (minutes, p, cal)


@rule("SLA132", "error", m.Agreement)
def zero_targets(a: m.Agreement) -> Iterator[Found]:
    """A response, resolution or update target is longer than zero.

    Failing example: `response 0m`.

        in priority P1: response 0m
    """
    for p in a.priorities:
        for kind in ("response", "resolution", "updates"):
            target: m.Target | None = getattr(p, kind)
            if target is not None and target.duration is not None and not target.duration:
                yield (
                    f"priority {p.name!r} has a {kind} target of 0m",
                    p.where(kind),
                    "a target must be longer than zero",
                )


@rule("SLA133", "warning", m.Agreement)
def breach_credit_on_best_effort(a: m.Agreement) -> Iterator[Found]:
    """A per-breach credit is for a target that can be breached, not a best-effort one.

    Failing example: `response missed P4 credit 50.00 each` when P4's response is best_effort.

        in agreement: priority P4 { response best_effort }
        in credits: response missed P4 credit 50.00 each
    """
    if not a.credits:
        return
    for b in a.credits.breaches:
        p = a.priority(b.priority)
        field = "updates" if b.target == "update" else b.target
        target = getattr(p, field) if p else None
        if p is not None and (target is None or target.best_effort):
            if b.target == "update":
                yield (
                    f"credit for a missed update of {p.name!r}, which states no `updates every`",
                    b.span,
                    f"give {p.name} an update interval (updates every 4h), or drop the credit",
                )
                continue
            what = "best effort" if target else "not stated"
            yield (
                f"credit for a missed {b.target} of {p.name!r}, whose {b.target} target is {what}",
                b.span,
                f"give {p.name} a firm {b.target} target, or drop the credit",
            )


@rule("SLA109", "warning", m.Agreement)
def priority_without_targets(a: m.Agreement) -> Iterator[Found]:
    """A priority states a response or resolution target.

    Failing example: `priority P3 "Normal" { }`.

        in agreement: priority P3 "Normal" { }
    """
    for p in a.priorities:
        if p.response is None and p.resolution is None:
            yield (
                f"priority {p.name!r} has no response or resolution target",
                p.span,
                "add `response 4h`, say",
            )


# ------------------------------------------------------------------------------ availability and credits


@rule("SLA121", "error", m.Agreement)
def percentages_in_range(a: m.Agreement) -> Iterator[Found]:
    """Availability targets and thresholds lie above 0% and at most 100%.

    Failing example: `availability 199.9%`.

        in service helpdesk: availability 199.9%
    """
    for s in a.services:
        if s.availability and not 0 < s.availability.target <= 100:
            yield (
                f"availability {s.availability.target}% is not a percentage of time",
                s.availability.span,
                "use a value such as 99.9%",
            )
    if a.credits:
        for tier in a.credits.tiers:
            if not 0 < tier.below <= 100:
                yield (
                    f"availability below {tier.below}% can never happen",
                    tier.span,
                    "use a value such as 99.5%",
                )


@rule("SLA114", "error", m.Agreement)
def credit_tiers_in_order(a: m.Agreement) -> Iterator[Found]:
    """Credit tiers run from the highest threshold to the lowest, each crediting more.

    Failing example: `below 99.0% credit 25%` before `below 99.9% credit 5%`.

        in credits: availability below 99.0% credit 25%; availability below 99.9% credit 5%
    """
    if not a.credits:
        return
    by_service: dict[str | None, list[m.CreditTier]] = defaultdict(list)
    for tier in a.credits.tiers:
        by_service[tier.service].append(tier)
    for tiers in by_service.values():
        for prev, tier in itertools.pairwise(tiers):
            if tier.below >= prev.below:
                yield (
                    f"tier below {tier.below}% comes after the tier below {prev.below}%",
                    tier.span,
                    "list tiers from the highest threshold to the lowest",
                )
            elif tier.credit <= prev.credit:
                yield (
                    (
                        f"availability below {tier.below}% credits {tier.credit}%, no more than "
                        f"below {prev.below}% ({prev.credit}%)"
                    ),
                    tier.span,
                    "a lower availability should earn a larger credit",
                )


@rule("SLA115", "error", m.Agreement)
def credits_at_most_everything(a: m.Agreement) -> Iterator[Found]:
    """No credit and no cap exceeds 100% of the fee.

    Failing example: `cap 130% of monthly fee`.

        in credits: cap 130% of monthly fee
    """
    if not a.credits:
        return
    for tier in a.credits.tiers:
        if tier.credit > 100:
            yield (
                f"a credit of {tier.credit}% is more than the whole fee",
                tier.span,
                "credits are at most 100%",
            )
    if a.credits.cap is not None and a.credits.cap > 100:
        yield (
            f"a cap of {a.credits.cap}% is more than the whole fee",
            a.credits.where("cap"),
            "caps are at most 100%",
        )


def maintenance_share(a: m.Agreement, frequency: str) -> Decimal:
    """The largest share (in %) of a measurement period that the maintenance windows can take,
    over the periods of two sample years (one of them a leap year) and the year of each one-off
    window."""
    if not a.maintenance:
        return Decimal(0)
    years = {2027, 2028} | {mw.date.year for mw in a.maintenance if mw.date is not None}
    days = [
        date(year, 1, 1) + timedelta(days=i)
        for year in sorted(years)
        for i in range((date(year, 12, 31) - date(year, 1, 1)).days + 1)
    ]
    months = m.FREQUENCY_MONTHS[frequency]
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for day in days:
        key = (day.year, (day.month - 1) // months)
        totals[key][1] += MINUTES_PER_DAY
        for mw in a.maintenance:
            if window_on(mw, day):
                totals[key][0] += mw.window.length
    return max(Decimal(100) * used / whole for used, whole in totals.values())


@rule("SLA116", "error", m.Agreement)
def availability_possible(a: m.Agreement) -> Iterator[Found]:
    """An availability target leaves room for the maintenance windows, unless it excludes them.

    Failing example: `availability 99.9% monthly` with `maintenance weekly sun 02:00-06:00`.

        in service helpdesk: availability 99.9% monthly
        in agreement: maintenance weekly sun 02:00-06:00
    """
    for s in a.services:
        av = s.availability
        if av is None or av.excluding_maintenance or not a.maintenance:
            continue
        share = maintenance_share(a, av.frequency)
        best = Decimal(100) - share
        if best < av.target:
            yield (
                (
                    f"service {s.name!r} cannot reach {av.target}%: maintenance windows can take "
                    f"{share:.2f}% of a {av.frequency.removesuffix('ly')}"
                ),
                av.span,
                "add `excluding maintenance` or lower the target",
            )


# ------------------------------------------------------------------------------ fees


@rule("SLA117", "error", m.Agreement)
def managed_has_recurring_fee(a: m.Agreement) -> Iterator[Found]:
    """A managed agreement has a recurring fee.

    Failing example: `model managed` with fees holding only rates.

        in agreement: model managed; fees { rate engineer 120.00 per hour }
    """
    if a.model == "managed" and not (a.fees and a.fees.recurring):
        yield (
            "a managed agreement needs a recurring fee",
            a.where("model"),
            "add `recurring SERVICE 45.00 per user monthly` to the fees",
        )


@rule("SLA118", "error", m.Agreement)
def break_fix_has_rate(a: m.Agreement) -> Iterator[Found]:
    """A break-fix agreement has an hourly rate.

    Failing example: `model break_fix` with no `rate` in the fees.

        in agreement: model break_fix; fees { recurring helpdesk 45.00 per user monthly }
    """
    if a.model == "break_fix" and not (a.fees and a.fees.rates):
        yield (
            "a break-fix agreement needs an hourly rate",
            a.where("model"),
            "add `rate technician 125.00 per hour` to the fees",
        )


@rule("SLA119", "error", m.Agreement)
def block_hours_complete(a: m.Agreement) -> Iterator[Found]:
    """Block hours come with a block and say how overage is billed.

    Failing example: `block 20h for 2200.00 monthly` with no `overage ROLE`.

        in fees: block 20h for 2200.00 monthly
    """
    blocks = a.fees.blocks if a.fees else ()
    if a.model == "block_hours" and not blocks:
        yield (
            "a block-hours agreement needs a block of hours",
            a.where("model"),
            "add `block 20h for 2200.00 monthly overage engineer` to the fees",
        )
    for block in blocks:
        if block.overage is None:
            yield (
                "block hours without overage terms",
                block.span,
                "add `overage ROLE` naming the rate for hours beyond the block",
            )


@rule("SLA122", "error", m.Agreement)
def tiers_cover_quantities(a: m.Agreement) -> Iterator[Found]:
    """Price tiers start at 1, follow on without gaps or overlaps, and cover the quantity.

    Failing example: `tiers volume { 1-50: 45.00; 60-200: 40.00 }`.

        in fees: recurring helpdesk 45.00 per user monthly tiers volume { 1-50: 45.00; 60-200: 40.00 }
    """
    if not a.fees:
        return
    for fee in a.fees.recurring:
        if fee.tiers is None:
            continue
        expected_low = 1
        top: int | None = 0
        for band in fee.tiers.bands:
            if band.low != expected_low:
                what = "a gap" if band.low > expected_low else "an overlap"
                yield (
                    f"tier {band.low}-{band.high or ''} leaves {what} after {expected_low - 1}",
                    band.span,
                    f"start this tier at {expected_low}",
                )
            if band.high is not None and band.high < band.low:
                yield (
                    f"tier {band.low}-{band.high} ends before it starts",
                    band.span,
                    "write the smaller number first",
                )
            if top is None:
                yield "a tier follows the open-ended one", band.span, "make the `N+` tier the last"
            top = band.high
            expected_low = (band.high or band.low) + 1
        service = a.service(fee.service)
        if service and service.quantity is not None and top is not None and service.quantity > top:
            yield (
                (
                    f"service {service.name!r} has {service.quantity} {service.unit or 'units'}, beyond "
                    f"the last tier ({top})"
                ),
                fee.tiers.span,
                f"end with an open tier such as `{top + 1}+: ...`",
            )


@rule("SLA123", "error", m.Agreement)
def per_unit_fee_has_quantity(a: m.Agreement) -> Iterator[Found]:
    """A fee per unit (and every tiered fee) names the unit its service is counted in.

    Failing example: `recurring helpdesk 45.00 per device monthly` when helpdesk counts users.

        in fees: recurring helpdesk 45.00 per device monthly
    """
    if not a.fees:
        return
    for fee in a.fees.recurring:
        service = a.service(fee.service)
        if fee.unit is None and fee.tiers is not None:
            yield (
                f"the fee for {fee.service!r} has tiers but no unit to count",
                fee.span,
                "write `per UNIT` before the frequency, such as `per user monthly`",
            )
        if fee.unit is None or service is None:
            continue
        if service.quantity is None:
            yield (
                f"the fee for {service.name!r} is per {fee.unit}, but the service states no quantity",
                fee.span,
                f"add `quantity 10 {fee.unit}s` to service {service.name!r}",
            )
        elif service.unit and not same_unit(service.unit, fee.unit):
            yield (
                f"the fee for {service.name!r} is per {fee.unit}, but the service counts {service.unit}",
                fee.span,
                f"write `per {singular(service.unit)}`",
            )


@rule("SLA124", "warning", m.Agreement)
def multipliers_raise(a: m.Agreement) -> Iterator[Found]:
    """A time multiplier is at least 1x.

    Failing example: `multiplier weekends 0.5x`.

        in fees: multiplier weekends 0.5x
    """
    if a.fees:
        for mult in a.fees.multipliers:
            if mult.factor < 1:
                yield (
                    f"multiplier {mult.kind} {mult.factor}x lowers the rate",
                    mult.span,
                    "multipliers are usually 1.25x or more",
                )


@rule("SLA125", "error", m.Agreement)
def rate_terms_sensible(a: m.Agreement) -> Iterator[Found]:
    """Billing increments are longer than zero and in hours or minutes; one minimum a location.

    Failing example: `rate engineer 120.00 per hour increment 0m`.

        in fees: rate engineer 120.00 per hour increment 0m
    """
    if not a.fees:
        return
    for rate in a.fees.rates:
        if rate.increment is not None and not rate.increment:
            yield f"rate {rate.role!r} has an increment of 0m", rate.span, "use an increment such as 15m"
        if rate.increment and rate.increment.total_days:
            yield (
                f"rate {rate.role!r} bills in increments of {rate.increment}",
                rate.span,
                "use an increment in hours or minutes, such as 15m",
            )
        locations = [mn.location for mn in rate.minimums]
        for loc in sorted({loc or "" for loc in locations if locations.count(loc) > 1}):
            yield (
                f"rate {rate.role!r} has two minimums for {loc or 'all locations'}",
                rate.span,
                "keep one minimum for each of remote, onsite, or none",
            )


# ------------------------------------------------------------------------------ term


@rule("SLA120", "error", m.Agreement)
def term_renewal_notice(a: m.Agreement) -> Iterator[Found]:
    """Term, renewal and notice fit together: notice is shorter than the term and the renewal.

    Failing example: `term 12 months` with `renewal 12 months notice 13 months`.

        in agreement: term 12 months; renewal 12 months notice 13 months
    """
    if a.term is not None and a.term.count <= 0:
        yield "the term is empty", a.where("term"), "write a term such as 36 months"
    r = a.renewal
    if r is None or r.notice is None:
        return
    if a.term is not None and r.notice.approx_days >= a.term.approx_days:
        yield (
            f"notice of {r.notice} is not shorter than the term of {a.term}",
            r.span,
            "shorten the notice period or lengthen the term",
        )
    if r.period is not None and r.notice.approx_days >= r.period.approx_days:
        yield (
            f"notice of {r.notice} is not shorter than the renewal period of {r.period}",
            r.span,
            "shorten the notice period: otherwise a renewed agreement could never be ended",
        )


@rule("SLA134", "error", m.Agreement)
def dates_within_the_calendar(a: m.Agreement) -> Iterator[Found]:
    """The start, the term and one renewal after it lie within the days sla counts, 0002-01-01 to 9998-12-31.

    Failing example: `start 9995-01-01` with `term 10 years`.

        in agreement: start 9995-01-01; term 10 years; renewal none
    """
    if a.start is None:
        return
    hint = f"sla counts days from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
    if a.start < FIRST_DAY:
        yield f"the start {a.start.isoformat()} is before {FIRST_DAY.isoformat()}", a.where("start"), hint
        return
    if a.term is None:
        return
    last = _last_day(a.start, a.term)
    if last is None:
        yield (
            f"the term of {a.term} from {a.start.isoformat()} ends after {LAST_DAY.isoformat()}",
            a.where("term"),
            f"{hint}: start earlier or shorten the term",
        )
        return
    renewal = a.renewal.period if a.renewal else None
    if renewal is not None and _last_day(last + timedelta(days=1), renewal) is None:
        yield (
            f"a renewal of {renewal} after the term ends on {last.isoformat()} runs past {LAST_DAY.isoformat()}",
            a.renewal.span if a.renewal else None,
            f"{hint}: start earlier, or shorten the term or the renewal",
        )


def _last_day(start: date, period: Period) -> date | None:
    """The last day of a period from `start` (`sla.instants.last_day`), or None after LAST_DAY."""
    if period.count <= 0:  # an empty term is SLA120's
        return start
    if period.unit in ("day", "week"):
        ordinal = start.toordinal() + period.count * (7 if period.unit == "week" else 1) - 1
        return date.fromordinal(ordinal) if ordinal <= LAST_DAY.toordinal() else None
    if start.year + (start.month - 1 + (period.months or 0)) // 12 > LAST_DAY.year + 1:
        return None  # the next period would start past year 9999, where no date can be made
    last = last_day(start, period)
    return last if last <= LAST_DAY else None


# ------------------------------------------------------------------------------ profiles and requirements


@rule("SLA127", "error", m.Profile)
def profile_percentages(p: m.Profile) -> Iterator[Found]:
    """A profile's shares are between 0% and 100%.

    Failing example: `onsite 120%`.

        in profile: onsite 120%
    """
    for key in ("onsite", "after_hours", "prevention", "spread"):
        value = getattr(p, key)
        if value is not None and value > 100:
            yield f"{key} {value}% is more than all of it", p.where(key), "use a value from 0% to 100%"


@rule("SLA128", "warning", m.Profile)
def effort_without_incidents(p: m.Profile) -> Iterator[Found]:
    """A profile that gives effort for a priority also gives its incidents.

    Failing example: `effort { P5 2h }` with no `P5` in `incidents`.

        in profile: effort { P5 2h }
    """
    for name in p.effort:
        if name not in p.incidents:
            yield (
                f"the profile gives effort for {name!r} but no incidents",
                p.where("effort"),
                f"add `{name} 1` to the incidents",
            )


#: Requirement metrics: the kind of value each compares and what its subject names.
METRICS: dict[str, tuple[str | None, str | None]] = {
    "model": (None, "model"),
    "response": ("duration", "priority"),
    "resolution": ("duration", "priority"),
    "updates": ("duration", "priority"),
    "availability": ("percent", "service"),
    "credits": ("percent", "cap"),
    "claim": ("duration", None),
    "monthly_cost": ("money", None),
    "annual_cost": ("money", None),
    "total_cost": ("money", None),
    "term": ("period", None),
    "notice": ("period", None),
    "payment": ("period", None),
    "includes": ("text", "service"),
    "governing_law": ("text", None),
}
_VALUE_EXAMPLES = {
    "duration": "30m",
    "percent": "99.9%",
    "money": "EUR 9000.00",
    "period": "36 months",
    "text": '"Password resets"',
}


_TARGET_METRICS = {"response", "resolution", "updates"}
_COST_METRICS = {"monthly_cost", "annual_cost", "total_cost"}


@rule("SLA126", "error", m.Requirements)
def requirements_well_formed(r: m.Requirements) -> Iterator[Found]:
    """Each requirement names a known metric, the subject it needs and a value of its kind.

    Failing example: `response <= 30m` (no priority) or `availability servers <= 4h`.

        in requirements: response <= 30m; availability servers <= 4h
    """
    for item in r.items:
        problem = _requirement_problem(item)
        if problem is not None:
            yield problem[0], item.span, problem[1]
        if item.weight is not None and not item.preferred:
            yield "a weight is for `prefer` requirements", item.span, f"write `prefer {item.metric} ...`"


def _requirement_problem(item: m.Requirement) -> tuple[str, str | None] | None:
    if item.metric not in METRICS:
        return f"unknown requirement {item.metric!r}", did_you_mean(
            item.metric, METRICS
        ) or "known: " + ", ".join(METRICS)
    kind, subject = METRICS[item.metric]
    written = item.metric
    example = '"Ireland"' if written == "governing_law" else _VALUE_EXAMPLES[kind or "text"]
    if subject and item.subject is None:
        return (
            f"`{written}` needs a {subject}",
            f"write `{written} {'P1' if subject == 'priority' else 'NAME'} ...`",
        )
    if subject is None and item.subject is not None:
        return f"`{written}` takes no {item.subject!r}", f"write `{written} <= {example}`"
    if item.metric == "credits" and item.subject != "cap":
        return f"unknown credits requirement {item.subject!r}", "write `credits cap >= 20%`"
    if item.metric == "model":
        if item.subject not in ("managed", "break_fix", "block_hours"):
            return f"unknown model {item.subject!r}", did_you_mean(
                item.subject or "", ["managed", "break_fix", "block_hours"]
            )
        return None
    if item.calendar is not None and item.metric not in _TARGET_METRICS:
        return f"`on {item.calendar}` is for response, resolution and updates targets", None
    if item.during is not None and item.metric != "availability":
        return f"`during {item.during}` is for availability", None
    if item.close is not None:
        if item.metric not in ("response", "resolution"):
            return (
                f"`close` is a response or resolution target, not {written}",
                f"write `{written} <= {example}`",
            )
        return None if item.op is not None else (f"`{written}` needs a comparison", None)
    if item.profile is not None and item.metric not in _COST_METRICS:
        return f"`with profile` is for {', '.join(sorted(_COST_METRICS))}", None
    value_kind = next(
        (k for k in ("duration", "percent", "money", "period", "text") if getattr(item, k) is not None), None
    )
    if value_kind is None:
        op = " " if kind == "text" else " <= "
        return (
            f"`{written}` needs a value",
            f"write `{written}{' ' + item.subject if item.subject else ''}{op}{example}`",
        )
    if kind == "text":
        if value_kind != "text":
            return f"`{written}` compares a text, not a {value_kind}", f"write {example}"
        if item.op not in (None, "=="):
            return f"`{written}` can only be equal to a text", f"write `{written} == {example}`"
        return None
    if item.op is None:
        return (
            f"`{written}` needs a comparison",
            f"write `{written}{' ' + item.subject if item.subject else ''} <= {example}`",
        )
    if kind == "period" and value_kind == "duration":
        assert item.duration is not None
        if item.duration.minutes:
            return f"`{written}` compares days, months or years, not {item.duration}", f"write {example}"
        return None  # `notice <= 90d` reads as days
    if value_kind != kind:
        return f"`{written}` compares a {kind}, not a {value_kind}", f"write a {kind} such as {example}"
    return None


@rule("SLA130", "warning", m.Requirements)
def requirements_not_empty(r: m.Requirements) -> Iterator[Found]:
    """A requirements document states at least one requirement.

    Failing example: `requirements "RFP" { }`.

        in file: requirements "RFP" { }
    """
    if not r.items:
        yield f"requirements {r.title!r} state nothing", r.span, "add `response P1 <= 30m`, say"
