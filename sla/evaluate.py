"""Offers against requirements: a verdict per requirement, eligibility, a score and a ranking.

Each metric of `sla.checks.METRICS` has one small function here, registered in `CHECKS`, that
reads the offer's statement and returns a `Verdict`: passed or not, the offer's value as text,
where the offer states it, and by how much it falls short. docs/procurement.md gives the rules.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import codes
from . import model as m
from .diagnostics import SlaError, Span
from .targets import REAL_TIME, compare, compare_targets, period_pair
from .values import Close, Duration, Money, Period
from .week import spans_by_day
from .words import duration_text, money, number, plain


@dataclass(frozen=True)
class Verdict:
    """One requirement against one offer."""

    passed: bool
    actual: str  # the offer's value, as text
    where: Span | None = None  # the offer's statement of it
    shortfall: str | None = None  # for a failure: by how much, or why


@dataclass(frozen=True)
class Result:
    requirement: m.Requirement
    verdict: Verdict

    @property
    def label(self) -> str:
        return describe(self.requirement)


@dataclass
class OfferResult:
    agreement: m.Agreement
    results: list[Result]
    expected_annual_cost: Decimal | None = None  # fees + work a year under the report's profile
    cost_note: str | None = None  # why there is no expected cost

    @property
    def name(self) -> str:
        return self.agreement.id or self.agreement.title

    @property
    def file(self) -> str | None:
        return self.agreement.span.file if self.agreement.span else None

    @property
    def eligible(self) -> bool:
        return all(r.verdict.passed for r in self.results if not r.requirement.preferred)

    @property
    def score(self) -> Decimal:
        """The weights of the preferences met; a preference without a weight counts 1."""
        met = [r.requirement for r in self.results if r.requirement.preferred and r.verdict.passed]
        return sum((item.weight or Decimal(1) for item in met), Decimal(0))

    @property
    def reasons(self) -> list[str]:
        """Why the offer is out: each hard requirement it fails, in words."""
        return [
            f"fails {r.label}: {r.verdict.shortfall or 'not met'}"
            for r in self.results
            if not r.requirement.preferred and not r.verdict.passed
        ]


@dataclass
class Evaluation:
    requirements: m.Requirements
    profile: m.Profile | None  # the profile of the cost table and the ranking's tie-break
    currency: str | None
    offers: list[OfferResult]

    @property
    def ranking(self) -> list[OfferResult]:
        """Eligible offers by score (highest first), then expected annual cost (lowest first);
        then the ineligible ones, in the order given."""
        eligible = [o for o in self.offers if o.eligible]
        eligible.sort(key=lambda o: (-o.score, o.expected_annual_cost is None, o.expected_annual_cost or 0))
        return eligible + [o for o in self.offers if not o.eligible]

    @property
    def winner(self) -> OfferResult | None:
        ranked = self.ranking
        return ranked[0] if ranked and ranked[0].eligible else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirements": self.requirements.title,
            "file": self.requirements.span.file if self.requirements.span else None,
            "profile": self.profile.title if self.profile else None,
            "currency": self.currency,
            "offers": [_offer_dict(o) for o in self.offers],
            "ranking": [
                {
                    "rank": i,
                    "agreement": o.name,
                    "eligible": o.eligible,
                    "score": _number(o.score),
                    "expected_annual_cost": _text(o.expected_annual_cost),
                    "reasons": o.reasons,
                }
                for i, o in enumerate(self.ranking, 1)
            ],
            "winner": self.winner.name if self.winner else None,
        }


def _offer_dict(o: OfferResult) -> dict[str, Any]:
    return {
        "agreement": o.name,
        "title": o.agreement.title,
        "file": o.file,
        "eligible": o.eligible,
        "score": _number(o.score),
        "expected_annual_cost": _text(o.expected_annual_cost),
        "cost_note": o.cost_note,
        "results": [
            {
                "requirement": r.label,
                "line": r.requirement.span.line if r.requirement.span else None,
                "preferred": r.requirement.preferred,
                "weight": _number(r.requirement.weight or Decimal(1)) if r.requirement.preferred else None,
                "passed": r.verdict.passed,
                "actual": r.verdict.actual,
                "where": where_text(r.verdict.where),
                "shortfall": r.verdict.shortfall,
            }
            for r in o.results
        ],
        "reasons": o.reasons,
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def where_text(span: Span | None) -> str | None:
    """`file:line` of a statement."""
    return f"{span.file or '<string>'}:{span.line}" if span else None


# ------------------------------------------------------------------------------------- text


def value_text(r: m.Requirement) -> str:
    """The requirement's value as written."""
    v = r.value
    if isinstance(v, Decimal):
        return f"{v}%"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, Close):
        return str(v).removeprefix("by ")  # as a requirement writes it: `close +1d`
    return "" if v is None else str(v)


def describe(r: m.Requirement) -> str:
    """The requirement in its own words: `response P1 <= 30m on business`."""
    parts = ["prefer"] if r.preferred else []
    parts += [r.metric, r.subject or "", r.op or "", value_text(r)]
    if r.calendar:
        parts += ["on", r.calendar]
    if r.during:
        parts += ["during", r.during]
    return " ".join(p for p in parts if p)


# ------------------------------------------------------------------------------------- context


class Context:
    """One offer under evaluation, with what its requirements may draw on."""

    def __init__(
        self,
        requirements: m.Requirements,
        offer: m.Agreement,
        profiles: list[m.Profile],
        profile: m.Profile | None,
    ) -> None:
        self.requirements = requirements
        self.offer = offer
        self.profiles = profiles
        self.profile = profile
        self._costs: dict[str, Any] = {}

    def calendar(self, name: str) -> m.Calendar | None:
        return next((c for c in self.requirements.calendars if c.name == name), None)

    def profile_for(self, r: m.Requirement) -> tuple[m.Profile | None, str]:
        if r.profile is None:
            if self.profile is not None:
                return self.profile, ""
            return None, 'no profile to estimate the cost with: add `with profile "TITLE"` or give --profile'
        found = next((p for p in self.profiles if p.title == r.profile), None)
        if found is None:
            known = ", ".join(repr(p.title) for p in self.profiles) or "none"
            return (
                None,
                f"no profile {r.profile!r} among those loaded ({known}): import its file or give --profile",
            )
        return found, ""

    def cost(self, profile: m.Profile) -> tuple[Any, Any] | str:
        """(CostModel, Expectation) of the offer under a profile, or why it cannot be costed."""
        if profile.title not in self._costs:
            self._costs[profile.title] = cost_of(self.offer, profile)
        return self._costs[profile.title]  # type: ignore[no-any-return]


def cost_of(offer: m.Agreement, profile: m.Profile) -> tuple[Any, Any] | str:
    from .costs import cost_model, expect

    try:
        cm = cost_model(offer, profile)
        return cm, expect(cm)
    except SlaError as exc:
        return "cannot be costed: " + "; ".join(d.message for d in exc.errors or exc.diagnostics)


Check = Callable[[m.Requirement, Context], Verdict]
#: metric -> the function that judges it; adding a metric touches this table and nothing else.
CHECKS: dict[str, Check] = {}


def _metric(*names: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        for name in names:
            CHECKS[name] = fn
        return fn

    return register


# ------------------------------------------------------------------------------------- comparing


def _missing(what: str, where: Span | None = None) -> Verdict:
    return Verdict(False, "not stated", where, f"the offer states no {what}")


def _no(kind: str, name: str | None, present: list[str], where: Span | None) -> Verdict:
    has = ", ".join(present) or "none"
    return Verdict(False, f"no {kind} {name}", where, f"the offer has no {kind} {name!r} (it has {has})")


@_metric("model")
def _model(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    if a.model is None:
        return _missing("model", a.span)
    ok = a.model == r.subject
    return Verdict(ok, a.model, a.where("model"), None if ok else f"it is {a.model}, not {r.subject}")


@_metric("response", "resolution", "updates")
def _target(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    required = r.value
    assert r.subject is not None and isinstance(required, (Duration, Close))
    p = a.priority(r.subject)
    if p is None:
        return _no("priority", r.subject, [x.name for x in a.priorities], a.where("priorities"))
    t: m.Target | None = getattr(p, r.metric)
    where = p.where(r.metric)
    if t is None:
        return Verdict(False, "not stated", where, f"priority {r.subject} states no {r.metric} target")
    if t.best_effort or t.length is None:
        aim = f" ({t.length} aimed at)" if t.length else ""
        return Verdict(False, f"best effort{aim}", where, "best effort, no promise")
    offer_cal = a.target_calendar(t) or REAL_TIME
    required_cal = ctx.calendar(r.calendar) if r.calendar else offer_cal
    assert required_cal is not None  # SLA102 has refused an unknown calendar
    actual = f"{t.length} on {offer_cal.name}"
    ok, shortfall = compare_targets(t.length, offer_cal, r.op, required, required_cal, a.start)
    return Verdict(ok, actual, where, shortfall)


@_metric("availability")
def _availability(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    s = a.service(r.subject or "")
    if s is None:
        return _no("service", r.subject, [x.name for x in a.services], a.where("services"))
    if s.availability is None:
        return Verdict(False, "not stated", s.span, f"service {r.subject} states no availability target")
    av = s.availability
    excluding = " excluding maintenance" if av.excluding_maintenance else ""
    during = f" during {av.during}" if av.during else ""
    actual = f"{number(av.target)}% {av.frequency}{during}{excluding}"
    ok, shortfall = compare(
        av.target, r.op, r.percent, lambda d: f"{number(d)} percentage points", "above", "below"
    )
    if shortfall and av.frequency != "monthly":
        shortfall += f" (measured {av.frequency})"
    hours = _measured_hours(a, av.during, ctx.calendar(r.during) if r.during else None, r.during)
    if ok and hours is not None:
        ok, shortfall = False, hours
    return Verdict(ok, actual, s.where("availability"), shortfall)


def _measured_hours(
    a: m.Agreement, offered: str | None, required: m.Calendar | None, named: str | None
) -> str | None:
    """Why availability is not measured over the hours a requirement names, or None when it is:
    a percentage of some hours says nothing of another's, so only the same open time counts
    (and around the clock meets only around the clock)."""
    offer_cal = a.calendar(offered) if offered else None
    if offer_cal is not None and offer_cal.always:
        offer_cal = None
    if required is not None and required.always:
        required = None
    if offer_cal is None and required is None:
        return None
    if offer_cal is None:
        return f"measured around the clock, not during {named}"
    if required is None:
        return f"measured only during {offered}, not around the clock"
    same = spans_by_day(offer_cal) == spans_by_day(required) and (
        set(offer_cal.holidays),
        offer_cal.closed,
        offer_cal.timezone,
    ) == (set(required.holidays), required.closed, required.timezone)
    return None if same else f"measured during {offered}, whose hours are not those of {named}"


def _credits_stated(a: m.Agreement) -> bool:
    return a.credits is not None and bool(a.credits.tiers or a.credits.breaches)


@_metric("credits")
def _credits_cap(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    if not _credits_stated(a):
        return Verdict(False, "no service credits", a.where("credits"), "the offer grants no service credits")
    assert a.credits is not None and r.percent is not None
    if a.credits.cap is None:  # no cap: credits are not limited
        ok = r.op in (">=", ">")
        return Verdict(
            ok, "no cap (credits unlimited)", a.where("credits"), None if ok else "the credits are not capped"
        )
    ok, shortfall = compare(
        a.credits.cap, r.op, r.percent, lambda d: f"{number(d)} percentage points", "above", "below"
    )
    return Verdict(ok, f"{number(a.credits.cap)}% of the monthly fee", a.credits.where("cap"), shortfall)


@_metric("claim")
def _claim(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    if not _credits_stated(a):
        return Verdict(False, "no service credits", a.where("credits"), "the offer grants no service credits")
    assert a.credits is not None and r.duration is not None
    within = a.credits.claim_within
    if within is None:
        return _missing("claim window", a.where("credits"))
    asked = r.duration.total_minutes
    ok, shortfall = compare(within.total_minutes, r.op, asked, duration_text, "longer", "shorter")
    return Verdict(ok, f"within {within}", a.credits.where("claim_within"), shortfall)


def _period_gap(unit: str) -> Callable[[Decimal], str]:
    def gap(d: Decimal) -> str:
        n = d.normalize()
        word = unit.split(" ")[0] + ("" if n == 1 else "s")
        return f"{n:f} {word}" + unit[len(unit.split(" ")[0]) :]

    return gap


def _period_verdict(
    r: m.Requirement, offered: Period, where: Span | None, actual: str | None = None
) -> Verdict:
    asked = r.period if r.period is not None else Period.from_duration(r.duration)  # type: ignore[arg-type]
    x, y, unit = period_pair(offered, asked)
    ok, shortfall = compare(x, r.op, y, _period_gap(unit), "too long", "too short")
    return Verdict(ok, actual or str(offered), where, shortfall)


@_metric("term")
def _term(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    return _period_verdict(r, a.term, a.where("term")) if a.term else _missing("term", a.span)


@_metric("notice")
def _notice(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    if a.renewal is None:
        return _missing("renewal and notice", a.span)
    if a.renewal.period is None:  # `renewal none`: the agreement ends with its term, no notice due
        return _period_verdict(r, Period(count=0, unit="day"), a.where("renewal"), "no renewal, so no notice")
    if a.renewal.notice is None:
        return _missing("renewal notice", a.where("renewal"))
    return _period_verdict(r, a.renewal.notice, a.where("renewal"))


@_metric("payment")
def _payment(r: m.Requirement, ctx: Context) -> Verdict:
    fees = ctx.offer.fees
    if fees is None or fees.payment is None:
        return _missing("payment terms", fees.span if fees else ctx.offer.span)
    return _period_verdict(r, fees.payment, fees.where("payment"), f"net {fees.payment}")


@_metric("includes")
def _includes(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    s = a.service(r.subject or "")
    if s is None:
        return _no("service", r.subject, [x.name for x in a.services], a.where("services"))
    assert r.text is not None
    if r.text in s.includes:
        return Verdict(True, f'"{r.text}"', s.where("includes"))
    close = difflib.get_close_matches(r.text, s.includes, n=1, cutoff=0.6)
    hint = f"; the closest is {close[0]!r}" if close else ""
    listed = f"{len(s.includes)} item{'s' * (len(s.includes) != 1)} listed"
    return Verdict(
        False,
        listed,
        s.where("includes") if s.includes else s.span,
        f"service {s.name} does not list {r.text!r}{hint}",
    )


@_metric("governing_law")
def _governing_law(r: m.Requirement, ctx: Context) -> Verdict:
    a = ctx.offer
    if a.governing_law is None:
        return _missing("governing law", a.span)
    ok = a.governing_law == r.text
    return Verdict(
        ok,
        f'"{a.governing_law}"',
        a.where("governing_law"),
        None if ok else f"the law of {a.governing_law!r}, not {r.text!r}",
    )


@_metric("monthly_cost", "annual_cost", "total_cost")
def _cost(r: m.Requirement, ctx: Context) -> Verdict:
    from .words import money as format_money

    a = ctx.offer
    where = a.where("fees")
    profile, why = ctx.profile_for(r)
    if profile is None:
        return Verdict(False, "not costed", where, why)
    costed = ctx.cost(profile)
    if isinstance(costed, str):
        return Verdict(False, "not costed", where, costed)
    cm, e = costed
    assert r.money is not None
    if r.metric == "monthly_cost":
        value, per = e.monthly, "a month"
    elif r.metric == "annual_cost":
        value, per = e.annual, "a year"
    else:  # the total cost of ownership without its downtime (docs/procurement.md)
        value = e.total_cost_of_ownership(cm.term_fees, cm.term_months, downtime=False)
        per = f"over {cm.term_months} months"

    def gap(d: Decimal) -> str:
        return str(format_money(d, cm.currency))

    ok, shortfall = compare(value, r.op, r.money.amount, gap, "over", "under")
    return Verdict(ok, f"{format_money(value, cm.currency)} {per}", where, shortfall)


# ------------------------------------------------------------------------------------- evaluate


def currency_of(requirements: m.Requirements, offers: list[m.Agreement]) -> str | None:
    """The one currency of the offers and the requirements' amounts; raises SlaError (SLA501)
    when they differ: there is no currency conversion."""
    stated: dict[str, list[str]] = {}
    for a in offers:
        if a.currency:
            stated.setdefault(a.currency, []).append(f"{a.id or a.title} ({where_text(a.span) or 'offer'})")
    for item in requirements.items:
        if isinstance(item.money, Money) and item.money.currency:
            stated.setdefault(item.money.currency, []).append(f"requirement {describe(item)}")
    if len(stated) > 1:
        listed = "; ".join(f"{code}: {', '.join(names)}" for code, names in stated.items())
        raise codes.error(
            "SLA501",
            f"the offers and requirements are in different currencies ({listed}); "
            "sla never converts currencies",
            requirements.span,
            "evaluate offers of one currency together",
        )
    return next(iter(stated), None)


def report_profile(
    requirements: m.Requirements, profiles: list[m.Profile], chosen: m.Profile | None = None
) -> m.Profile | None:
    """The profile of the cost table and the ranking's tie-break: the one given, else the one the
    first cost requirement names, else the only one loaded."""
    if chosen is not None:
        return chosen
    for item in requirements.items:
        if item.profile is not None:
            found = next((p for p in profiles if p.title == item.profile), None)
            if found is not None:
                return found
    return profiles[0] if len({p.title for p in profiles}) == 1 else None


def evaluate(
    requirements: m.Requirements,
    offers: Sequence[m.Agreement],
    profiles: Sequence[m.Profile] = (),
    profile: m.Profile | None = None,
) -> Evaluation:
    """Judge every offer against every requirement. `profiles` are those the cost requirements
    may name by title; `profile` (e.g. --profile) is used where a cost requirement names none.
    Raises SlaError (SLA501) when offers or amounts are in different currencies."""
    currency = currency_of(requirements, list(offers))
    known = [*([profile] if profile else []), *profiles]
    chosen = report_profile(requirements, known, profile)
    results = []
    for offer in offers:
        ctx = Context(requirements, offer, known, profile or chosen)
        judged = [Result(item, CHECKS[item.metric](item, ctx)) for item in requirements.items]
        result = OfferResult(offer, judged)
        if chosen is not None:
            costed = ctx.cost(chosen)
            if isinstance(costed, str):
                result.cost_note = costed
            else:
                result.expected_annual_cost = costed[1].annual
        else:
            result.cost_note = "no profile to estimate the cost with"
        results.append(result)
    return Evaluation(requirements, chosen, currency, results)


# ------------------------------------------------------------------------------------- report

#: Simulated years behind the cost table's P90 and the chart of the HTML and PDF reports.
REPORT_YEARS = 10_000


def report_view(evaluation: Evaluation) -> dict[str, Any]:
    """The data of the HTML and PDF reports (renderers/evaluation): plain strings, numbers and
    lists only, described in docs/procurement.md."""
    costs, chart = _cost_table(evaluation)
    offers = [
        {
            "name": o.name,
            "title": o.agreement.title,
            "file": o.file or "",
            "eligible": o.eligible,
            "score": number(o.score),
        }
        for o in evaluation.offers
    ]
    matrix = []
    for i, item in enumerate(evaluation.requirements.items):
        cells = [
            {
                "passed": o.results[i].verdict.passed,
                "actual": o.results[i].verdict.actual,
                "shortfall": o.results[i].verdict.shortfall or "",
                "where": where_text(o.results[i].verdict.where) or "",
            }
            for o in evaluation.offers
        ]
        matrix.append(
            {
                "label": describe(item),
                "preferred": item.preferred,
                "weight": number(item.weight or Decimal(1)),
                "cells": cells,
            }
        )
    ranking = [
        {
            "rank": n,
            "name": o.name,
            "eligible": o.eligible,
            "score": number(o.score),
            "cost": amount_text(o.expected_annual_cost, evaluation.currency),
            "reasons": o.reasons,
        }
        for n, o in enumerate(evaluation.ranking, 1)
    ]
    return {
        "title": evaluation.requirements.title,
        "profile": evaluation.profile.title if evaluation.profile else "",
        "currency": evaluation.currency or "",
        "offers": offers,
        "matrix": matrix,
        "costs": costs,
        "chart": chart,
        "ranking": ranking,
        "winner": evaluation.winner.name if evaluation.winner else "",
    }


def amount_text(amount: Decimal | None, currency: str | None) -> str:
    """An expected cost for people: money in the currency, the bare number without one, and a
    dash when the offer was not costed."""
    if amount is None:
        return "—"
    return money(amount, currency) if currency else str(amount)


def _cost_table(evaluation: Evaluation) -> tuple[list[dict[str, str]], str]:
    """Rows of the cost table, one per offer, and the SVG of the cost distributions ("" when
    no offer can be costed)."""
    import os
    import tempfile
    from pathlib import Path

    from .costs import cost_model

    rows: list[dict[str, str]] = []
    models = []
    for o in evaluation.offers:
        if evaluation.profile is None or o.expected_annual_cost is None:
            rows.append({"name": o.name, "note": o.cost_note or "not costed"})
            continue
        try:
            models.append(cost_model(o.agreement, evaluation.profile))
        except SlaError as exc:  # pragma: no cover - the evaluation has costed it already
            rows.append({"name": o.name, "note": "; ".join(d.message for d in exc.diagnostics)})
    if not models:
        return rows, ""
    from .compare import chart
    from .compare import compare as simulate

    comparison = simulate(models, years=REPORT_YEARS, seed=0)
    by_name = {offer.name: offer for offer in comparison.offers}
    for o in evaluation.offers:
        c = by_name.get(o.name)
        if c is None:
            continue
        e = c.expected
        amounts = {
            "monthly_fees": e.monthly_fee,
            "monthly_work": e.monthly_work,
            "monthly": e.monthly,
            "annual": e.annual,
            "p90": c.annual.p90,
            "downtime": e.annual_downtime,
            "annual_total": e.annual_total,
            "tco": c.tco,
        }
        row = {key: amount_text(amount, evaluation.currency) for key, amount in amounts.items()}
        rows.append({"name": o.name, "note": "", "term_months": str(c.term_months), **row})
    order = {o.name: i for i, o in enumerate(evaluation.offers)}
    rows.sort(key=lambda r: order[r["name"]])
    with tempfile.TemporaryDirectory(prefix="sla-chart-") as tmp:  # matplotlib writes files
        path = os.path.join(tmp, "costs.svg")
        chart(comparison, path)
        svg = Path(path).read_text(encoding="utf-8")
    return rows, svg[svg.find("<svg") :]


def report_html(evaluation: Evaluation) -> str:
    """A self-contained HTML report (renderers/evaluation/report.html.j2): every value is
    escaped; the chart is the one SVG inlined."""
    from markupsafe import Markup

    from .templates import environment, renderers_path

    view = report_view(evaluation)
    view["chart"] = Markup(view["chart"])  # drawn by matplotlib, which escapes its text
    env = environment(
        renderers_path() / "evaluation", autoescape=True, finalize=lambda v: "" if v is None else v
    )
    return str(env.get_template("report.html.j2").render(report=view))


def report_pdf(evaluation: Evaluation) -> bytes:
    """The report as PDF, compiled by Typst from renderers/evaluation/report.typ.j2; raises
    SlaError (SLA402) when Typst cannot compile it."""
    from .render import compile_typst, typst_value
    from .templates import environment, renderers_path

    env = environment(renderers_path() / "evaluation", autoescape=False, finalize=typst_value)
    return compile_typst(env.get_template("report.typ.j2").render(report=report_view(evaluation)))


__all__ = [
    "CHECKS",
    "REPORT_YEARS",
    "Evaluation",
    "OfferResult",
    "Result",
    "Verdict",
    "amount_text",
    "compare_targets",
    "describe",
    "evaluate",
    "period_pair",
    "report_html",
    "report_pdf",
    "report_view",
]
