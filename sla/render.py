"""Agreements to readable contracts: a view model of words in a locale, then Markdown, HTML, PDF or DOCX.

`contract_view` turns an agreement and its quote into plain data of already formatted text (the
context every template sees, documented in docs/rendering.md); `render` runs one template over it
in a sandboxed Jinja2 environment and, for PDF, compiles the Typst source it writes. A custom
template (`template_dir`) does all of that in the worker process of `sla.templates.bounded`,
within a time and a memory limit; the built-in ones run here. A Word document is written from the
same view by `sla.render_docx`, without a template.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import traceback
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from . import codes, templates
from . import model as m
from .diagnostics import Diagnostic, SlaError, Span
from .templates import renderers_path
from .values import WEEKDAYS, Duration, TimeSpan
from .words import Words, parse_locale, visible

if TYPE_CHECKING:
    from jinja2 import Environment, Template
    from typst import PDFStandard

    from .pricing import Band, Block, Fee, Line, Quote


@dataclass(frozen=True)
class Format:
    """An output format: the folder of `renderers/` its template lives in, and the file name;
    none for a format written without a template (DOCX, by `sla.render_docx`)."""

    name: str
    folder: str | None
    template: str | None
    extension: str


#: The formats of `sla render --to`; "typst" is the source a PDF is compiled from.
FORMATS: dict[str, Format] = {
    "md": Format("md", "md", "contract.md.j2", ".md"),
    "html": Format("html", "html", "contract.html.j2", ".html"),
    "pdf": Format("pdf", "typst", "contract.typ.j2", ".pdf"),
    "typst": Format("typst", "typst", "contract.typ.j2", ".typ"),
    "docx": Format("docx", None, None, ".docx"),
}


# ------------------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    paragraphs: tuple[str, ...] = ()  # a clause's text


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class PartyView:
    role: str
    #: "For the provider" or "For the customer", above a signature.
    signs_as: str
    name: str
    contact: str | None
    address: str | None
    email: str | None
    phone: str | None
    website: str | None
    #: The website when it is an http(s) address, so a link to it cannot run script.
    website_url: str | None
    #: The stated contact details with their labels, in order.
    details: tuple[Detail, ...]


@dataclass(frozen=True)
class HoursRow:
    days: str
    times: str


@dataclass(frozen=True)
class CalendarView:
    name: str  # the calendar's title, else words: "around the clock", "business hours"
    summary: str
    rows: tuple[HoursRow, ...]
    timezone: str
    holidays: str | None
    closed: tuple[str, ...]
    always: bool


@dataclass(frozen=True)
class ServiceView:
    name: str
    title: str
    quantity: str | None
    calendar: str | None
    hours: str | None
    includes: tuple[str, ...]
    excludes: tuple[str, ...]
    availability: str | None


@dataclass(frozen=True)
class TargetView:
    duration: str | None
    calendar: str | None
    best_effort: bool
    summary: str


@dataclass(frozen=True)
class PriorityView:
    name: str
    title: str
    response: TargetView | None
    resolution: TargetView | None
    updates: TargetView | None


@dataclass(frozen=True)
class AvailabilityView:
    service: str
    target: str
    measured: str


@dataclass(frozen=True)
class MaintenanceView:
    window: str
    calendar: str | None
    notice: str | None


@dataclass(frozen=True)
class CreditTierView:
    below: str
    credit: str
    applies_to: str


@dataclass(frozen=True)
class BreachCreditView:
    target: str
    credit: str


@dataclass(frozen=True)
class CreditsView:
    tiers: tuple[CreditTierView, ...]
    breaches: tuple[BreachCreditView, ...]
    rule: str
    cap: str | None
    claim: str | None


@dataclass(frozen=True)
class PriceLineView:
    description: str
    quantity: str
    unit_price: str
    amount: str


@dataclass(frozen=True)
class PriceYearView:
    title: str
    lines: tuple[PriceLineView, ...]
    total_label: str
    total: str


@dataclass(frozen=True)
class BandView:
    """One band of a tiered fee: its units (`1–100`, `201 or more`), its price, whether it
    applies, and the units priced in it with their amount (none where it prices no unit)."""

    units: str
    price: str
    applies: bool
    count: str | None
    amount: str | None


@dataclass(frozen=True)
class FeeView:
    """What one recurring fee is made of: the service, the quantity counted, the unit price (or
    that it goes by band), how often it is invoiced and one invoice before any increase; for a
    tiered fee the kind of tiers, the rule in a sentence, the column headers and the bands."""

    service: str
    quantity: str | None
    unit_price: str
    frequency: str
    per_invoice: str
    tiers: str | None
    tiers_title: str | None
    tiers_rule: str | None
    band_header: str | None
    price_header: str | None
    bands: tuple[BandView, ...]
    total_count: str | None


@dataclass(frozen=True)
class PriceView:
    currency: str
    one_time: tuple[PriceLineView, ...]
    one_time_total: str
    years: tuple[PriceYearView, ...]
    first_month: str
    term_total: str
    increase: str | None
    recurring: tuple[FeeView, ...] = ()


@dataclass(frozen=True)
class RateView:
    role: str
    rate: str
    increment: str | None
    minimum: str | None


@dataclass(frozen=True)
class MultiplierView:
    when: str
    factor: str
    #: `after_hours`, `weekends` or `holidays`; the calendar whose hours (or holidays) it counts
    #: by, which a weekend does not need.
    kind: str = ""
    calendar: str | None = None


@dataclass(frozen=True)
class DrawView:
    """How many prepaid hours an hour of work draws when it starts at a time of a multiplier."""

    when: str
    hours: str


@dataclass(frozen=True)
class BlockView:
    summary: str
    rollover: str
    overage: str | None
    hours: str = ""
    price: str = ""
    frequency: str = ""
    #: The roles whose work draws on the block, in words.
    drawn_by: str = ""
    #: What happens to unused hours, and at which rate time beyond the block is billed.
    unused: str = ""
    beyond: str = ""


@dataclass(frozen=True)
class Contract:
    """What a template sees as `contract`: every value already in words of the locale."""

    locale: str
    language: str
    region: str | None
    lang: str
    title: str
    id: str | None
    version: str | None
    reference: str
    model: str | None
    model_name: str
    rate_card: bool
    currency: str | None
    provider: PartyView | None
    customer: PartyView | None
    parties: tuple[PartyView, ...]
    details: tuple[Detail, ...]
    start: str | None
    end: str | None
    term: str | None
    renewal: str | None
    term_text: str | None
    governing_law: str | None
    calendars: tuple[CalendarView, ...]
    services: tuple[ServiceView, ...]
    priorities: tuple[PriorityView, ...]
    targets_note: str
    clock: str | None
    clauses: tuple[Section, ...]  # also among `sections`, numbered, after the SLA sections
    availability: tuple[AvailabilityView, ...]
    availability_note: str
    maintenance: tuple[MaintenanceView, ...]
    credits: CreditsView | None
    price: PriceView | None
    blocks: tuple[BlockView, ...]
    #: How work draws on the blocks: the rule in a sentence, and the hours drawn per hour of
    #: work by when it starts (each multiplier, then any other time).
    blocks_note: str | None
    block_draws: tuple[DrawView, ...]
    rates: tuple[RateView, ...]
    multipliers: tuple[MultiplierView, ...]
    charges: tuple[Detail, ...]
    rates_note: str | None
    payment: str | None
    sections: tuple[Section, ...]
    section: dict[str, Section]


# ------------------------------------------------------------------------------------- words


def languages() -> list[str]:
    """The languages with their own fixed text (renderers/locales/LANG.json): en and de."""
    return sorted(p.stem for p in (renderers_path() / "locales").glob("*.json"))


@cache
def _subdivision_names(country: str) -> dict[str, str]:
    """Subdivision code -> name, from the holidays library (in the country's own language)."""
    from .reference import subdivision_names  # a shipped table: no import of holidays to name a region

    return subdivision_names(country)


# ------------------------------------------------------------------------------------- calendars


def _merged(spans: Iterable[TimeSpan]) -> tuple[TimeSpan, ...]:
    """A day's spans in order, with spans that meet (08:00-12:00, 12:00-17:00) joined."""
    merged: list[TimeSpan] = []
    for span in sorted(set(spans), key=lambda s: (s.start, s.end)):
        last = merged[-1] if merged else None
        if last is not None and not last.crosses_midnight and last.end == span.start:
            merged[-1] = TimeSpan(last.start, span.end)
        else:
            merged.append(span)
    return tuple(merged)


def _day_groups(cal: m.Calendar) -> list[tuple[list[int], tuple[TimeSpan, ...]]]:
    """Weekdays with the same opening hours, grouped, in the order of the week."""
    per_day: dict[int, list[TimeSpan]] = {i: [] for i in range(7)}
    for hours in cal.hours:
        for day in hours.days:
            per_day[WEEKDAYS.index(day)].extend(hours.spans)
    groups: dict[tuple[TimeSpan, ...], list[int]] = {}
    for i in range(7):
        spans = _merged(per_day[i])
        if spans:
            groups.setdefault(spans, []).append(i)
    return [(days, spans) for spans, days in groups.items()]


def _days_text(days: list[int], w: Words) -> str:
    """Weekday numbers as words: runs of three or more as "Monday to Friday"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(w.phrase("day_range", first=w.weekday(run[0]), last=w.weekday(run[-1])))
        else:
            parts.extend(w.weekday(day) for day in run)
    return w.join(parts)


def _closed_text(closed: m.DateRange, w: Words) -> str:
    if closed.hours is not None:
        return w.phrase("date_hours", date=w.date(closed.first), hours=str(closed.hours))
    if closed.first == closed.last:
        return w.date(closed.first)
    return w.phrase("date_range", first=w.date(closed.first), last=w.date(closed.last))


def _region_text(region: str, w: Words) -> str:
    """DE-BY as "Bavaria" (English) or "Bayern" (German); a country as its name in the locale."""
    override = w.strings["regions"].get(region)
    if override:
        return str(override)
    country, _, subdivision = region.partition("-")
    if not subdivision:
        return w.country(country)
    return _subdivision_names(country).get(subdivision, subdivision)


def _calendar_view(cal: m.Calendar, w: Words) -> CalendarView:
    zone = cal.timezone or "UTC"
    always = any(h.always for h in cal.hours)
    groups = [] if always else _day_groups(cal)
    rows = tuple(HoursRow(_days_text(days, w), w.join([str(s) for s in spans])) for days, spans in groups)
    if always:
        summary = w.phrase("always", zone=zone)
    else:
        hours = "; ".join(w.phrase("day_hours", days=row.days, spans=row.times) for row in rows)
        summary = w.phrase("in_zone", hours=hours, zone=zone)
    holidays = w.join([_region_text(r, w) for r in cal.holidays]) or None
    closed = tuple(_closed_text(c, w) for c in cal.closed)
    exceptions = []
    if holidays and cal.holidays_except:
        kept = w.join([f"\u201c{name}\u201d" for name in cal.holidays_except])
        exceptions.append(w.phrase("except_holidays_but", regions=holidays, names=kept))
    elif holidays:
        exceptions.append(w.phrase("except_holidays", regions=holidays))
    if closed:
        key = ("and_closed" if holidays else "except_closed") + ("_one" if len(closed) == 1 else "")
        exceptions.append(w.phrase(key, dates="; ".join(closed)))
    if exceptions:
        summary = f"{summary}, {' '.join(exceptions)}"
    words = _calendar_words(cal, w)
    return CalendarView(words[:1].upper() + words[1:], summary, rows, zone, holidays, closed, always)


def _calendar_words(cal: m.Calendar | None, w: Words) -> str:
    """How people read a calendar: its title, else "around the clock" or "business hours"."""
    if cal is None:
        return w.phrase("around_the_clock")
    if cal.title:
        return cal.title
    return w.phrase("around_the_clock" if cal.always else "business_hours")


def _role(fees: m.Fees | None, role: str) -> str:
    """A role as people read it: its rate's title, else its name in words (`field_engineer`:
    "Field engineer")."""
    rate = next((r for r in fees.rates if r.role == role), None) if fees else None
    if rate is not None and rate.title:
        return rate.title
    words = role.replace("_", " ")
    return words[:1].upper() + words[1:]


def _used_calendars(a: m.Agreement) -> list[m.Calendar]:
    """The calendars the agreement refers to (and its first), in the order it sees them."""
    names: set[str | None] = {c.name for c in (a.default_calendar, a.business_calendar) if c is not None}
    names.update(s.calendar for s in a.services)
    names.update(mt.calendar for mt in a.maintenance)
    for p in a.priorities:
        names.update(t.calendar for t in (p.response, p.resolution, p.updates) if t is not None)
    if a.fees:
        names.update(x.outside for x in a.fees.multipliers)
    return [c for c in a.calendars if c.name in names]


# ------------------------------------------------------------------------------------- parts


def _party(role: str, party: m.Party | None, w: Words) -> PartyView | None:
    if party is None:
        return None
    url = party.website if party.website and re.match(r"https?://", party.website, re.IGNORECASE) else None
    keys = ("contact", "address", "email", "phone", "website")
    details = tuple(Detail(w.labels[k], getattr(party, k)) for k in keys if getattr(party, k))
    return PartyView(
        w.labels[role],
        w.labels[f"for_{role}"],
        party.name,
        party.contact,
        party.address,
        party.email,
        party.phone,
        party.website,
        url,
        details,
    )


def _term_words(a: m.Agreement, w: Words) -> tuple[str | None, str | None, str | None, str | None]:
    """(term, end date, renewal, the sentence) in words."""
    term = w.period(a.term) if a.term else None
    end = w.date(a.last_day) if a.last_day else None
    renewal, r = None, a.renewal
    if r is not None:
        if r.period is None:
            renewal = w.phrase("no_renewal")
        elif r.notice is not None:
            renewal = w.phrase("renews_with_notice", period=w.period(r.period), notice=w.period(r.notice))
        else:
            renewal = w.phrase("renews", period=w.period(r.period))
    if term is None:
        return None, None, renewal, None
    sentence = (
        w.phrase("term_sentence", term=term, renewal=renewal)
        if renewal
        else w.phrase("term_sentence_plain", term=term)
    )
    if a.start and end:
        sentence += " " + w.phrase("term_dates", start=w.date(a.start), end=end)
    return term, end, renewal, sentence


def _service_calendars_business(a: m.Agreement) -> bool | None:
    """Whether targets without `on` count business time: True or False when every service's
    calendar agrees, None when they differ (or there is none)."""
    calendars = {a.service_calendar(s) for s in a.services} if a.services else {a.default_calendar}
    kinds = {not c.always for c in calendars if c is not None}
    return kinds.pop() if len(kinds) == 1 else None


def _target(target: m.Target | None, a: m.Agreement, w: Words, every: bool = False) -> TargetView | None:
    if target is None:
        return None
    if target.calendar:
        cal = a.target_calendar(target)
        business = cal is None or not cal.always
    else:
        business = _service_calendars_business(a) is True  # mixed calendars: plain time, said so
    duration = None
    if target.close is not None:
        days = w.duration(Duration.of(days=target.close), True)
        duration = w.phrase("by_close_later", days=days) if target.close else w.phrase("by_close")
    elif target.duration is not None:
        duration = w.every(target.duration, business) if every else w.duration(target.duration, business)
    if duration is None:
        summary = w.phrase("best_effort")
    else:
        cal = a.target_calendar(target)
        if not target.calendar:
            summary = w.phrase("target_service", duration=duration)
        elif cal is not None and not cal.title and not cal.always:
            summary = duration  # "4 business hours" says on which calendar already
        else:
            summary = w.phrase("target_on", duration=duration, calendar=_calendar_words(cal, w))
        if target.best_effort:
            summary = w.phrase("best_effort_aim", target=summary)
    calendar = _calendar_words(a.target_calendar(target), w) if target.calendar else None
    return TargetView(duration, calendar, target.best_effort, summary)


def _priority(p: m.Priority, a: m.Agreement, w: Words) -> PriorityView:
    return PriorityView(
        p.name,
        p.title or "",
        _target(p.response, a, w),
        _target(p.resolution, a, w),
        _target(p.updates, a, w, every=True),
    )


def _availability_target(target: m.Availability, w: Words) -> str:
    return w.phrase(
        "availability_target", target=w.percent(target.target), period=w.word("periods", target.frequency)
    )


def _service(s: m.Service, a: m.Agreement, calendars: dict[str, CalendarView], w: Words) -> ServiceView:
    cal = a.service_calendar(s)
    quantity = None
    if s.quantity is not None:
        quantity = f"{w.number(s.quantity)} {s.unit}" if s.unit else w.number(s.quantity)
    return ServiceView(
        s.name,
        s.title or s.name,
        quantity,
        _calendar_words(cal, w) if cal else None,
        calendars[cal.name].summary if cal else None,
        s.includes,
        s.excludes,
        _availability_target(s.availability, w) if s.availability else None,
    )


def _availability(s: m.Service, target: m.Availability, a: m.Agreement, w: Words) -> AvailabilityView:
    cal = a.service_calendar(s)
    measured = [w.phrase("measured_in", zone=(cal.timezone if cal else None) or "UTC")]
    if target.during:
        measured.append(w.phrase("measured_during", calendar=_calendar_words(a.calendar(target.during), w)))
    if target.excluding_maintenance:
        measured.append(w.phrase("maintenance_excluded"))
    elif a.maintenance:
        measured.append(w.phrase("maintenance_counts"))
    return AvailabilityView(s.title or s.name, _availability_target(target, w), "; ".join(measured))


def _maintenance(mt: m.Maintenance, a: m.Agreement, w: Words) -> MaintenanceView:
    days = w.join([w.weekday(WEEKDAYS.index(d)) for d in mt.days])
    if mt.frequency == "once" and mt.date is not None:
        when = w.phrase("once_on", date=w.date(mt.date), window=str(mt.window))
    elif mt.frequency == "monthly" and mt.ordinal:
        when = w.phrase("monthly", ordinal=w.word("ordinals", mt.ordinal), day=days, window=str(mt.window))
    else:
        when = w.phrase("weekly", days=days, window=str(mt.window))
    cal = a.maintenance_calendar(mt)
    zone = (cal.timezone if cal else None) or "UTC"
    notice = w.phrase("notice_ahead", duration=w.duration(mt.notice)) if mt.notice else None
    window = w.phrase("maintenance_window", when=when, zone=zone)
    return MaintenanceView(window, _calendar_words(cal, w) if cal else None, notice)


def _credits(c: m.Credits, a: m.Agreement, currency: str, w: Words) -> CreditsView:
    # Tiers without `for` apply to every service, or to the others when some have their own.
    general = w.phrase("other_services" if any(t.service for t in c.tiers) else "all_services")
    tiers = []
    for t in c.tiers:
        service = a.service(t.service) if t.service else None
        applies = (service.title or service.name) if service else t.service or general
        credit = w.phrase("tier_credit", credit=w.percent(t.credit))
        tiers.append(CreditTierView(w.percent(t.below), credit, applies))
    breaches = []
    for b in c.breaches:
        p = a.priority(b.priority)
        name = f"{b.priority} ({p.title})" if p and p.title else b.priority
        target = w.phrase("breach_target", kind=w.word("target_kinds", b.target), priority=name)
        credit = w.phrase("per_breach", amount=w.money(b.amount.amount, currency))
        breaches.append(BreachCreditView(target, credit))
    caps = [w.phrase("cap", cap=w.percent(c.cap))] if c.cap is not None else []
    if c.rolling_cap is not None and c.rolling_months is not None:
        caps.append(w.phrase("rolling_cap", cap=w.percent(c.rolling_cap), months=str(c.rolling_months)))
    cap = " ".join(caps) or None
    claim = w.phrase("claim", duration=w.duration(c.claim_within)) if c.claim_within else None
    return CreditsView(tuple(tiers), tuple(breaches), w.phrase("credits_rule"), cap, claim)


def _line_description(line: Line, w: Words) -> str:
    if line.kind == "once" or line.frequency is None:
        return line.description
    what = line.title
    if line.kind == "block" and line.block_hours is not None:
        what = w.phrase("block_of", hours=w.duration(line.block_hours))
    frequency = w.word("frequencies", line.frequency)
    if line.partial:
        rest, period = line.partial
        return w.phrase("line_partial", what=what, frequency=frequency, rest=str(rest), period=str(period))
    return w.phrase("line_recurring", what=what, frequency=frequency)


def _price_line(line: Line, currency: str, w: Words) -> PriceLineView:
    return PriceLineView(
        _line_description(line, w),
        w.number(line.quantity),
        w.money(line.unit_price, currency),
        w.money(line.amount, currency),
    )


def _price(q: Quote, fees: m.Fees | None, w: Words) -> PriceView | None:
    if not q.one_time and not any(y.lines for y in q.years):
        return None  # a rate card: the work is billed as it is done
    cur = q.currency
    years = []
    for y in q.years:
        title = (
            w.phrase("year", n=str(y.year))
            if y.months == 12
            else w.phrase("short_year", n=str(y.year), months=w.unit("month", y.months))
        )
        years.append(
            PriceYearView(
                title,
                tuple(_price_line(line, cur, w) for line in y.lines),
                w.phrase("year_total", n=str(y.year)),
                w.money(y.total, cur),
            )
        )
    increase = w.phrase("increase", percent=w.percent(fees.increase)) if fees and fees.increase else None
    one_time = tuple(_price_line(line, cur, w) for line in q.one_time)
    return PriceView(
        cur,
        one_time,
        w.money(q.one_time_total, cur),
        tuple(years),
        w.money(q.monthly_recurring, cur),
        w.money(q.term_total, cur),
        increase,
        tuple(_fee(fee, cur, w) for fee in q.recurring),
    )


def _counted(quantity: Decimal, fee: Fee, w: Words) -> str:
    unit = fee.unit if quantity == 1 else fee.counted
    return f"{w.number(quantity)} {unit}" if unit else w.number(quantity)


def _band_units(band: Band, w: Words) -> str:
    if band.high is None:
        return w.phrase("band_from", low=w.number(band.low))
    return w.phrase("band_range", low=w.number(band.low), high=w.number(band.high))


def _fee(fee: Fee, currency: str, w: Words) -> FeeView:
    """A recurring fee's terms in words: the numbers are the quote's, never read back from text."""
    quantity = _counted(fee.quantity, fee, w) if fee.quantity is not None else None
    applying = next((b for b in fee.bands if b.applies), None)
    if fee.unit is None:
        unit_price = w.phrase("flat_fee")
    elif fee.tiers == "graduated" or fee.price is None:
        unit_price = w.phrase("by_band")
    elif fee.tiers == "volume" and applying is not None:
        amount = w.money(fee.price, currency)
        unit_price = w.phrase("per_unit_band", amount=amount, unit=fee.unit, band=_band_units(applying, w))
    else:
        unit_price = w.phrase("per_unit", amount=w.money(fee.price, currency), unit=fee.unit)
    tiers_title = tiers_rule = band_header = price_header = total_count = None
    if fee.tiers is not None and fee.unit is not None:
        tiers_title = w.phrase(f"{fee.tiers}_tiers", service=fee.title)
        tiers_rule = w.phrase(f"{fee.tiers}_rule", unit=fee.unit, units=fee.counted or fee.unit)
        if fee.tiers == "volume" and applying is not None and fee.quantity is not None:
            reached = w.phrase("volume_reached", quantity=quantity or "", band=_band_units(applying, w))
            tiers_rule = f"{tiers_rule} {reached}"
        band_header = w.phrase("band_header", units=fee.counted or fee.unit)
        price_header = w.phrase("price_header", unit=fee.unit)
        total_count = w.number(fee.quantity) if fee.quantity is not None else None
    bands = tuple(
        BandView(
            _band_units(b, w),
            w.money(b.price, currency),
            b.applies,
            w.number(b.units) if b.applies else None,
            w.money(b.amount, currency) if b.applies else None,
        )
        for b in fee.bands
    )
    return FeeView(
        fee.title,
        quantity,
        unit_price,
        w.word("frequencies", fee.frequency),
        w.money(fee.invoice, currency),
        fee.tiers,
        tiers_title,
        tiers_rule,
        band_header,
        price_header,
        bands,
        total_count,
    )


def _minimum(x: m.Minimum, w: Words) -> str:
    if x.location is None:
        return w.duration(x.duration)
    return w.phrase("minimum_at", duration=w.duration(x.duration), location=w.word("locations", x.location))


def _rate(r: m.Rate, currency: str, w: Words) -> RateView:
    minimums = [_minimum(x, w) for x in r.minimums]
    return RateView(
        r.title or _role(None, r.role),
        w.phrase("per_hour", amount=w.money(r.price.amount, currency)),
        w.duration(r.increment) if r.increment else None,
        w.join(minimums) or None,
    )


def _multiplier(x: m.Multiplier, fees: m.Fees, a: m.Agreement, w: Words) -> MultiplierView:
    cal = a.after_hours_calendar
    calendar = cal.name if cal else ""
    when = w.phrase("weekends") if x.kind == "weekends" else w.phrase(x.kind, calendar=calendar)
    counts_by = cal.name if cal is not None and x.kind != "weekends" else None
    return MultiplierView(when, w.factor(x.factor), x.kind, counts_by)


def _charges(fees: m.Fees, currency: str, w: Words) -> tuple[Detail, ...]:
    found = []
    if fees.callout is not None:
        amount = w.money(fees.callout.amount, currency)
        found.append(Detail(w.phrase("callout"), w.phrase("per_visit", amount=amount)))
    if fees.travel is not None:
        amount = w.money(fees.travel.price.amount, currency)
        found.append(Detail(w.phrase("travel"), w.phrase("per_unit", amount=amount, unit=fees.travel.unit)))
    if fees.materials_markup is not None:
        markup = w.percent(fees.materials_markup)
        found.append(Detail(w.phrase("materials"), w.phrase("markup", percent=markup)))
    return tuple(found)


def _block(b: Block, currency: str, w: Words, fees: m.Fees | None = None) -> BlockView:
    hours, price = w.duration(b.hours), w.money(b.price, currency)
    frequency = w.word("frequencies", b.frequency)
    summary = w.phrase("block", hours=hours, amount=price, frequency=frequency)
    rollover = w.phrase("rollover", period=w.period(b.rollover)) if b.rollover else w.phrase("no_rollover")
    unused = (
        w.phrase("rollover_short", period=w.period(b.rollover))
        if b.rollover
        else w.word("expiry", b.frequency)
    )
    if b.overage and b.overage_price is not None:
        rate = w.phrase("per_hour", amount=w.money(b.overage_price, currency))
        beyond = w.phrase("beyond_rate", role=_role(fees, b.overage), rate=rate)
    else:
        beyond = w.phrase("beyond_own_rate")
    drawn_by = w.join([_role(fees, r) for r in b.roles]) or w.labels["none"]
    overage = w.phrase("overage", role=_role(fees, b.overage)) if b.overage else None
    return BlockView(summary, rollover, overage, hours, price, frequency, drawn_by, unused, beyond)


def _block_draws(fees: m.Fees, parts: tuple[MultiplierView, ...], w: Words) -> tuple[DrawView, ...]:
    """Prepaid hours per hour of work: each multiplier's factor, then 1 at any other time."""
    draws = [DrawView(view.when, w.number(x.factor)) for x, view in zip(fees.multipliers, parts)]
    return (*draws, DrawView(w.phrase("other_times" if draws else "any_time"), w.number(1)))


_ORDER = (
    "parties",
    "term",
    "services",
    "hours",
    "priorities",
    "availability",
    "maintenance",
    "credits",
    "fees",
    "rates",
    "payment",
    "signatures",
)
# A break-fix agreement reads as a rate card first, then the response terms that apply.
_RATE_CARD_ORDER = (
    "parties",
    "term",
    "rates",
    "priorities",
    "services",
    "hours",
    "availability",
    "maintenance",
    "credits",
    "fees",
    "payment",
    "signatures",
)


def contract_view(agreement: m.Agreement, locale: str = "en", quote: Quote | None = None) -> Contract:
    """The agreement in words of `locale`: what templates see as `contract`. The quote is
    computed when not given; it raises SlaError when the agreement cannot be priced."""
    return _view(agreement, Words(locale), quote)


def _view(a: m.Agreement, w: Words, quote: Quote | None = None) -> Contract:
    from .pricing import quote as price

    q = quote if quote is not None else price(a)
    cur = q.currency
    pause = a.clock.pause if a.clock else ()
    rule = a.clock.priority if a.clock else None
    clock = " ".join(
        ([w.phrase("clock_pause", statuses=w.join(pause))] if pause else [])
        + ([w.phrase(f"priority_{rule}")] if rule else [])
    )
    calendars = {c.name: _calendar_view(c, w) for c in _used_calendars(a)}
    parts: dict[str, Any] = {
        "calendars": tuple(calendars.values()),
        "services": tuple(_service(s, a, calendars, w) for s in a.services),
        "priorities": tuple(_priority(p, a, w) for p in a.priorities),
        "availability": tuple(_availability(s, s.availability, a, w) for s in a.services if s.availability),
        "maintenance": tuple(_maintenance(x, a, w) for x in a.maintenance),
        "credits": _credits(a.credits, a, cur, w) if a.credits else None,
        "price": _price(q, a.fees, w),
        "clock": clock or None,
        "clauses": tuple(Section("clause", 0, c.title, c.texts) for c in a.clauses),
        **_fee_parts(a, q, w),
    }
    rate_card = a.model == "break_fix"
    sections = _sections(parts, rate_card, w)
    term, end, renewal, term_text = _term_words(a, w)
    model_name = w.word("models", a.model or "unknown")
    details = [Detail(w.labels[k], v) for k, v in (("agreement_id", a.id), ("version", a.version)) if v]
    details.append(Detail(w.labels["model"], model_name))
    details.append(Detail(w.labels["currency"], cur))
    if a.governing_law:
        details.append(Detail(w.labels["governing_law"], a.governing_law))
    provider, customer = _party("provider", a.provider, w), _party("customer", a.customer, w)
    reference = w.phrase("reference", id=a.id, version=a.version) if a.id and a.version else a.id or a.title
    return Contract(
        locale=w.locale,
        language=w.babel.language,
        # Typst knows regions by two letters only (not `419`, Latin America)
        region=territory if len(territory := w.babel.territory or "") == 2 else None,
        lang=w.locale.replace("_", "-"),
        title=a.title,
        id=a.id,
        version=a.version,
        reference=reference,
        model=a.model,
        model_name=model_name,
        rate_card=rate_card,
        currency=cur,
        provider=provider,
        customer=customer,
        parties=tuple(p for p in (provider, customer) if p is not None),
        details=tuple(details),
        start=w.date(a.start) if a.start else None,
        end=end,
        term=term,
        renewal=renewal,
        term_text=term_text,
        governing_law=a.governing_law,
        targets_note=w.phrase("targets_note"),
        availability_note=w.phrase("availability_note"),
        sections=sections,
        section={s.key: s for s in sections},
        **parts,
    )


def _fee_parts(a: m.Agreement, q: Quote, w: Words) -> dict[str, Any]:
    """Blocks, rates, multipliers, other charges and payment terms, each empty without fees."""
    fees = a.fees or m.Fees()
    currency = q.currency
    multipliers = tuple(_multiplier(x, fees, a, w) for x in fees.multipliers)
    return {
        "blocks": tuple(_block(b, currency, w, fees) for b in q.blocks),
        "blocks_note": w.phrase("blocks_note") if q.blocks else None,
        "block_draws": _block_draws(fees, multipliers, w) if q.blocks else (),
        "rates": tuple(_rate(r, currency, w) for r in fees.rates),
        "multipliers": multipliers,
        "charges": _charges(fees, currency, w),
        "rates_note": w.phrase("rates_note") if fees.rates else None,
        "payment": w.phrase("payment", period=w.period(fees.payment)) if fees.payment else None,
    }


def _sections(parts: dict[str, Any], rate_card: bool, w: Words) -> tuple[Section, ...]:
    """The sections with something to say, numbered in the order of the kind of agreement."""
    present = {
        "parties": True,
        "term": True,
        "services": parts["services"],
        "hours": parts["calendars"],
        "priorities": parts["priorities"] or parts["clock"],
        "availability": parts["availability"],
        "maintenance": parts["maintenance"],
        "credits": parts["credits"],
        "fees": parts["price"] or parts["blocks"],
        "rates": parts["rates"] or parts["multipliers"] or parts["charges"],
        "payment": parts["payment"],
        "signatures": True,
    }
    renamed = {"rates": "section_rate_card", "priorities": "section_response_terms"} if rate_card else {}
    keys = [k for k in (_RATE_CARD_ORDER if rate_card else _ORDER) if present[k]]
    found = [Section(k, 0, w.labels[renamed.get(k, f"section_{k}")]) for k in keys]
    found[-1:-1] = parts["clauses"]  # the clauses, in order, after the SLA sections and before the signatures
    return tuple(Section(s.key, n, s.title, s.paragraphs) for n, s in enumerate(found, 1))


# ------------------------------------------------------------------------------------- escaping

_MD_ANYWHERE = re.compile(
    r"[\\`*_\[\]<>|~$#]|&(?=#?\w+;)|(?<!\w):(?=[\w+-]+:)|:(?=//)|(?<=www)\.|@", re.IGNORECASE
)
_MD_LEADING = re.compile(r"^(?:[-+=](?=[\s=+-]|$)|(\d{1,9})([.)])(?=\s|$))")
_SPACES = re.compile(r"[ \t\r\n\f\v\x85\u2028\u2029]+")  # not the no-break spaces of money
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_")
#: Shown as nothing, between an e-mail address's `@` and its domain: GitHub links an address
#: (even one whose `@` or `.` is escaped) unless something that is not part of one stands there.
_WORD_JOINER = "\u2060"


def _md_escape(found: re.Match[str]) -> str:
    mark, text, at = found.group(0), found.string, found.start()
    if mark != "@":
        return "\\" + mark
    after = text[at + 1 : at + 2]
    domain = after.isascii() and (after.isalnum() or after in ("-", "_", "."))
    email = at > 0 and text[at - 1] in _EMAIL_LOCAL and domain
    return "\\@" + _WORD_JOINER if email else "\\@"


def markdown_text(text: str) -> str:
    """Text that GitHub-flavoured Markdown shows as written, in a paragraph, list or table cell:
    every character that could start markup, a link, HTML, math, a mention or a cell is
    backslash-escaped, and line breaks become spaces (no-break spaces stay). So are the `:` of
    `https://`, the `.` of `www.` and a leading `---` or `===` (GitHub's autolinks, a rule, a
    heading); an e-mail address gets a word joiner (U+2060, shown as nothing) after its `@`."""
    text = _SPACES.sub(" ", text).strip()
    text = _MD_ANYWHERE.sub(_md_escape, text)
    return _MD_LEADING.sub(lambda f: f"{f[1]}\\{f[2]}" if f[1] else "\\" + f.group(0), text)


_TYPST_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_TYPST_ESCAPES.update(
    {
        c: f"\\u{{{c:x}}}"
        for c in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
        if c not in _TYPST_ESCAPES
    }
)


def typst_string(text: str) -> str:
    """A Typst string literal of the text: `"..."` with `\\`, `"` and control characters escaped,
    so it is shown as written and is never read as markup or code."""
    return '"' + text.translate(_TYPST_ESCAPES) + '"'


def typst_value(value: Any) -> str:
    """A template value as Typst source: text as a string literal (each control character but
    tab and newline written out, `\\x1b`, as on a terminal: no font has a glyph for it, and a
    PDF/A may show none that is missing), numbers as numbers, lists as arrays; anything else is
    refused rather than guessed at."""
    if isinstance(value, Markup):
        return str(value)  # `|safe`: the template's own choice to write code
    if isinstance(value, str):
        return typst_string(visible(value))
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or (isinstance(value, (Decimal, float)) and math.isfinite(value)):
        return f"{value:f}" if isinstance(value, Decimal) else repr(value)
    if isinstance(value, (list, tuple)):
        return "(" + "".join(typst_value(v) + ", " for v in value) + ")" if value else "()"
    raise TypeError(f"a {type(value).__name__} cannot be written into Typst source; write its fields")


def _finalizer(escape: Callable[[Any], Any]) -> Callable[[Any], Any]:
    from jinja2 import Undefined

    def finalize(value: Any) -> Any:
        if isinstance(value, Undefined):
            str(value)  # StrictUndefined raises here, naming what is missing
        return escape(value)

    return finalize


def _markdown_value(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return markdown_text(str(value)) if isinstance(value, str) else str(value)


def _html_value(value: Any) -> Any:
    return "" if value is None else value


# ------------------------------------------------------------------------------------- templates

_PACKAGE = re.compile(r"@[a-z][a-z0-9-]*/[a-z0-9_-]+(?::|\b)", re.IGNORECASE)


def _guarded_loader(folder: str, to: str) -> Any:
    from jinja2 import TemplateSyntaxError

    class GuardedLoader(templates.folder_loader_class()):  # type: ignore[misc]
        """Reads only the template folder, and refuses a Typst template that names a package:
        a clear message early. The barrier itself is the compiler's (see `compile_typst`): a
        name built at run time finds no package either."""

        def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            if to in ("pdf", "typst"):
                found = _PACKAGE.search(source)
                if found:
                    line = source.count("\n", 0, found.start()) + 1
                    raise TemplateSyntaxError(
                        f"a PDF template may not use the package {found.group(0)!r}: no package is fetched",
                        line,
                        template,
                        filename,
                    )
            return source, filename, uptodate

    return GuardedLoader(folder)


@lru_cache(maxsize=16)
def _environment(to: str, folder: str) -> Environment:
    """One sandboxed environment per format and template folder: undefined names are errors,
    and every value printed is escaped for the format. The built-in template of a format is
    not compiled again where its Python was shipped (`compiled_ahead`)."""
    escape = {"md": _markdown_value, "html": _html_value}.get(to, typst_value)
    return templates.environment(
        _guarded_loader(folder, to),
        autoescape=to == "html",
        finalize=_finalizer(escape),
        compiled_ahead=folder == str(template_folder(to)),
    )


def compiled_ahead() -> list[tuple[Environment, str, str]]:
    """The built-in templates whose Python is made ahead of time and shipped (see
    `sla.templates.compiled_path`): each one's environment, folder and file name."""
    found = []
    for to in ("md", "html", "pdf"):
        folder, name = FORMATS[to].folder, FORMATS[to].template
        assert folder is not None and name is not None
        found.append((_environment(to, str(template_folder(to))), folder, name))
    return found


def template_folder(to: str, template_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder the template of a format is read from: `template_dir`, else the built-in one.
    Raises ValueError for an unknown format, or for DOCX, which is written without a template."""
    if to not in FORMATS:
        raise ValueError(f"unknown format {to!r}: use one of {', '.join(f for f in FORMATS)}")
    folder = FORMATS[to].folder
    if folder is None:
        raise ValueError(f"a {to.upper()} contract is written without a template")
    return Path(template_dir).resolve() if template_dir else renderers_path() / folder


def _template_name(to: str) -> str:
    name = FORMATS[to].template
    assert name is not None  # only the formats with a template get here
    return name


def _template_error(exc: BaseException, name: str, folder: Path) -> SlaError:
    """A template problem as a diagnostic at the template's file and line."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateNotFound

    if isinstance(exc, TemplateNotFound):
        return codes.error(
            "SLA403",
            f"no template {exc.name!r} in {str(folder)!r}",
            None,
            f"write {exc.name} there, starting from a copy of the built-in one",
        )
    line, file = None, str(folder / name)
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        line, file = exc.lineno, exc.filename or file
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                line, file = frame.lineno, frame.filename
                break
    hint = "see docs/rendering.md for what a template can use"
    if isinstance(exc, SecurityError):
        message = f"the template tried something the sandbox forbids: {exc}"
    elif isinstance(exc, UndefinedError):
        message = f"the template uses an undefined value: {exc}"
    elif isinstance(exc, TemplateSyntaxError):
        message = f"the template does not parse: {exc.message}"
    elif isinstance(exc, templates.TemplateRefused):
        message = f"{exc}: a template reads only plain files of its own folder"
    elif isinstance(exc, templates.TimeUp):
        message = f"the template {exc}"
        hint = _limits_hint()
    elif isinstance(exc, MemoryError):
        message = "the template ran out of memory"
        hint = _limits_hint()
    elif isinstance(exc, RecursionError):
        message = "the template recurses too deeply: a macro or include that never stops?"
    else:
        message = f"the template failed: {type(exc).__name__}: {exc}"
    span = Span(file=file, line=line, column=1, end_line=line, end_column=2) if line else None
    return codes.error("SLA401", message, span, hint)


def _limits_hint() -> str:
    limits = templates.LIMITS
    return (
        f"a custom template may take {limits.seconds_text()} and {limits.memory_text()} of "
        "memory for each contract; see docs/rendering.md"
    )


def _template(to: str, folder: Path) -> Template:
    env = _environment(to, str(folder))
    name = _template_name(to)
    try:
        return env.get_template(name)
    except (Exception, templates.TimeUp) as exc:  # noqa: BLE001 - a user's template may fail any way
        raise _template_error(exc, name, folder) from None


def _check_template(to: str, folder: Path) -> None:
    """Read and compile the template, for `prepare`: in the worker for a custom one."""
    _template(to, folder)


def prepare(to: str, locale: str = "en", template_dir: str | os.PathLike[str] | None = None) -> None:
    """Do once what every render of a batch needs: read and compile the template (raising
    SlaError when it is missing or does not parse, so the batch stops before it starts), load the
    locale's data and the libraries. Worker processes forked afterwards start with all of it."""
    from . import api, checks, pricing, writer  # noqa: F401 - loaded here, inherited by the workers
    from .parser import get_parser

    if to == "docx":
        if template_dir is not None:
            template_folder(to)  # the ValueError: a DOCX has no template
        import docx  # noqa: F401 - loaded here, inherited by the workers
    else:
        folder = template_folder(to, template_dir)
        if template_dir is None:
            _template(to, folder)
        else:
            _bounded(folder, to, _check_template, to, folder)
    w = Words(locale)  # Babel reads a locale's data on first use: use each kind once
    w.number(Decimal("1.5"))
    w.percent(Decimal(1))
    w.join(["a", "b"])
    w.date(date(2000, 1, 1))
    w.money(Decimal(1), "EUR")
    _subdivision_names("DE")
    get_parser()


def _run(template: Template, to: str, folder: Path, contract: Contract, w: Words) -> str:
    try:
        return template.render(contract=contract, labels=w.labels, locale=contract.locale, format=to)
    except templates.TimeUp:
        from jinja2.debug import rewrite_traceback_stack

        # Jinja maps its code's lines to the template's only for an Exception; do it here.
        raise _template_error(rewrite_traceback_stack(), _template_name(to), folder) from None
    except Exception as exc:  # noqa: BLE001 - a user's template may fail any way: each becomes SLA401
        raise _template_error(exc, _template_name(to), folder) from None


# ------------------------------------------------------------------------------------- PDF


@lru_cache(maxsize=1)
def _fonts() -> Any:
    """The fonts Typst ships inside the package, and no others: no system font, no download."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)


_PACKAGE_ERROR = re.compile(r"package|@[a-z][a-z0-9-]*/", re.IGNORECASE)


#: Each process and thread compiles with its own Typst compiler: (process id, thread id) -> the
#: compiler and its folder. A compiler keeps its world (the fonts, the standard library) from one
#: contract to the next, and one compiler may not be used by two threads at once.
_compilers: dict[tuple[int, int], tuple[Any, str]] = {}


def _compiler() -> Any:
    """This thread's Typst compiler, made on its first contract (`_new_compiler`). Its folder
    lives as long as the process (a folder deleted while its path is still Typst's root could be
    made again by someone else, even as a link), and is removed when the process ends."""
    import threading

    key = (os.getpid(), threading.get_ident())
    held = _compilers.get(key)
    if held is not None:
        return held[0]
    folder = tempfile.mkdtemp(prefix="sla-typst-")
    _remove_at_exit(folder)
    compiler = _new_compiler(folder)
    _compilers[key] = (compiler, folder)
    return compiler


def _new_compiler(folder: str) -> Any:
    """A Typst compiler whose root, the only folder Typst can read, is an empty folder nobody can
    write to inside `folder`, and whose package folders are another, so no package is found."""
    import typst

    root, packages = os.path.join(folder, "root"), os.path.join(folder, "packages")
    os.mkdir(root, mode=0o555)
    os.mkdir(packages, mode=0o555)
    return typst.Compiler(root=root, font_paths=_fonts(), package_path=packages, package_cache_path=packages)


def _remove_at_exit(folder: str) -> None:
    import atexit

    owner = os.getpid()

    def remove() -> None:
        if os.getpid() != owner:  # a forked child: the folder is its parent's
            return
        for path in (os.path.join(folder, "root"), os.path.join(folder, "packages"), folder):
            try:
                os.rmdir(path)
            except OSError:
                pass

    atexit.register(remove)
    if "multiprocessing" in sys.modules:  # a pool's worker process ends without atexit, after these
        from multiprocessing.util import Finalize

        Finalize(None, remove, exitpriority=0)


def compile_typst(source: str, standards: Sequence[PDFStandard] = ()) -> bytes:
    """Compile Typst source to PDF, to the PDF `standards` named (`a-3a`, `ua-1`); the creation
    time is fixed.

    The source is compiled from memory by this thread's compiler (`_compiler`; in the worker a
    user's template runs in, a compiler of its own), whose root is an empty folder: the only
    folder Typst can read, so a template reads no file. No package is found
    in its package folders; a package Typst would download is refused by the network, which a
    user's template never reaches (it runs in the worker of `sla.templates.bounded`, whose proxy
    refuses every connection)."""
    import typst

    options = {"timestamp": 0, "format": "pdf", "pdf_standards": list(standards)}
    try:
        if templates.in_worker():  # a user's template: nothing kept, as the worker may be stopped
            with tempfile.TemporaryDirectory(prefix="sla-typst-") as folder:
                pdf = _new_compiler(folder).compile(input=source.encode("utf-8"), **options)
        else:
            pdf = _compiler().compile(input=source.encode("utf-8"), **options)
    except typst.TypstError as exc:
        hints = list(getattr(exc, "hints", None) or [])
        message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()[0]
        if _PACKAGE_ERROR.search(message):
            hints.append("a template cannot use Typst packages: none is read or fetched")
        raise codes.error(
            "SLA402", f"Typst could not compile the contract: {message}", None, "; ".join(hints) or None
        ) from None
    assert isinstance(pdf, bytes)
    return pdf


# ------------------------------------------------------------------------------------- archive

#: The standards of an archival PDF from the built-in template: PDF/A-3a (part 3 allows the
#: attached files; "a" asks for a tagged, accessible document) and PDF/UA-1. A custom template's
#: is PDF/A-3b: PDF/UA asks for what only the template can give (a title, alt text for images).
ARCHIVE: tuple[PDFStandard, ...] = ("a-3a", "ua-1")
ARCHIVE_CUSTOM: tuple[PDFStandard, ...] = ("a-3b",)
#: The names of the two attachments of an archival PDF.
ATTACHMENTS = ("agreement.sla", "agreement.json")


def archive_files(agreement: m.Agreement, source: str | None = None) -> dict[str, str]:
    """What an archival PDF carries: the agreement as .sla text (`source`, the text it was read
    from, when given; else written from the model with every calendar it uses, so that it loads
    on its own) and as JSON (`sla export`), which loads back to the same model."""
    from .api import dumps
    from .writer import write

    alone = m.SlaFile(documents=(agreement,))
    if source is None:
        # A calendar imported from another file is written inside the agreement: the writer
        # keeps a calendar with no place in a file as the agreement's own.
        calendars = tuple(c.model_copy(update={"span": None}) for c in agreement.calendars)
        source = write(m.SlaFile(documents=(agreement.model_copy(update={"calendars": calendars}),)))
    return {ATTACHMENTS[0]: source, ATTACHMENTS[1]: dumps(alone)}


def _archive_code(agreement: m.Agreement, source: str | None) -> str:
    """Typst code that dates the document (PDF/A needs a date to attach files; Typst's clock is
    fixed at 1970-01-01) and attaches the agreement, after whatever the template wrote."""
    files = archive_files(agreement, source)
    what = {
        ATTACHMENTS[0]: ("source", "text/plain", f"{agreement.title}: the agreement as .sla text"),
        ATTACHMENTS[1]: (
            "alternative",
            "application/json",
            f"{agreement.title}: the agreement as JSON (sla export)",
        ),
    }
    code = ["", "#set document(date: auto)"]
    for name, data in files.items():
        relationship, mime, description = what[name]
        code.append(
            f"#pdf.attach({typst_string(name)}, bytes({typst_string(data)}), relationship: "
            f"{typst_string(relationship)}, mime-type: {typst_string(mime)}, "
            f"description: {typst_string(description)})"
        )
    return "\n".join(code) + "\n"


# ------------------------------------------------------------------------------------- render


def _render(
    agreement: m.Agreement,
    to: str,
    locale: str,
    folder: Path | None,
    standards: Sequence[PDFStandard] = (),
    source: str | None = None,
) -> str | bytes:
    """The work of `render`, here or in the worker; `standards` makes an archival PDF."""
    w = Words(locale)
    if folder is None:
        from .render_docx import write

        return write(_view(agreement, w), w.labels)
    template = _template(to, folder)
    text = _run(template, to, folder, _view(agreement, w), w)
    if to != "pdf":
        return text
    if standards:
        text += _archive_code(agreement, source)
    templates.stage("typst")
    try:
        return compile_typst(text, standards)
    except SlaError as exc:
        if standards and any(_NO_GLYPH in d.message for d in exc.diagnostics):
            raise SlaError([_no_glyph(d) for d in exc.diagnostics]) from None
        raise


_NO_GLYPH = "could not be displayed with font"


def _no_glyph(d: Diagnostic) -> Diagnostic:
    """Typst's refusal of a character its fonts cannot show, with what to do about it."""
    if _NO_GLYPH not in d.message:
        return d
    hint = (
        "an archival PDF (PDF/A) must show every character, and the fonts built into the PDF have "
        "no glyph for this one: write it otherwise, or render with --no-archive (archive=False), "
        "where it is left out"
    )
    return replace(d, hint=hint)


def _bounded(folder: Path, to: str, function: Callable[..., str | bytes | None], *args: Any) -> Any:
    """`function(*args)` on a user's template, in the worker within its limits; a limit reached
    is SLA401 while the template runs and SLA402 while Typst compiles, naming the template."""
    try:
        return templates.bounded(function, *args)
    except templates.OverLimit as over:
        file = str(folder / _template_name(to))
        if over.what == "time":
            what = f"did not finish within {over.limits.seconds_text()}"
        elif over.what == "memory":
            what = f"needs more than {over.limits.memory_text()} of memory"
        else:
            what = f"stopped the worker process (signal {over.signal})"
        if over.stage == "typst":
            message = f"Typst could not compile the contract from {file!r}: it {what}"
            raise codes.error("SLA402", message, None, _limits_hint()) from None
        raise codes.error("SLA401", f"the template {file!r} {what}", None, _limits_hint()) from None


def render(
    agreement: m.Agreement,
    to: Literal["md", "html", "pdf", "typst", "docx"] | str = "md",
    locale: str = "en",
    template_dir: str | os.PathLike[str] | None = None,
    *,
    archive: bool = True,
    source: str | None = None,
) -> str | bytes:
    """An agreement as a readable contract: Markdown or HTML text, PDF or Word (`docx`) bytes,
    or (`typst`) the Typst source of the PDF. Raises SlaError when the agreement cannot be priced,
    or the template fails (SLA401, SLA403) or does not compile (SLA402); ValueError for an unknown
    format or locale, or a template for DOCX (which is written without one).

    A PDF is archival unless `archive` is false: PDF/A-3 (and PDF/UA-1 from the built-in
    template) with the agreement attached as .sla text and as JSON (`archive_files`; `source` is
    the .sla text to attach, else it is written from the model).

    The built-in templates run in this process. A custom one (`template_dir`) runs in a worker
    process within `sla.templates.LIMITS`; going past them is SLA401 (SLA402 while Typst compiles).
    """
    if to == "docx":
        if template_dir is not None:
            template_folder(to)  # the ValueError: a DOCX has no template
        return _render(agreement, to, locale, None)
    folder = template_folder(to, template_dir)
    standards: tuple[PDFStandard, ...] = ()
    if to == "pdf" and archive:
        standards = ARCHIVE if template_dir is None else ARCHIVE_CUSTOM
    if template_dir is None:
        return _render(agreement, to, locale, folder, standards, source)
    parse_locale(locale)  # the ValueError here, not in the worker
    result = _bounded(folder, to, _render, agreement, to, locale, folder, standards, source)
    assert isinstance(result, (str, bytes))
    return result


class _RenderModule(types.ModuleType):
    """This module, callable as `render`. `sla.render` names both the module and, re-exported
    from the package, the function; importing the module makes the package attribute the module,
    so the module renders when it is called and `sla.render(agreement, "pdf")` always works."""

    def __call__(
        self,
        agreement: m.Agreement,
        to: str = "md",
        locale: str = "en",
        template_dir: str | os.PathLike[str] | None = None,
        *,
        archive: bool = True,
        source: str | None = None,
    ) -> str | bytes:
        return render(agreement, to, locale, template_dir, archive=archive, source=source)


sys.modules[__name__].__class__ = _RenderModule

__all__ = [
    "ARCHIVE",
    "ATTACHMENTS",
    "FORMATS",
    "Contract",
    "Format",
    "archive_files",
    "compile_typst",
    "contract_view",
    "languages",
    "markdown_text",
    "parse_locale",
    "prepare",
    "render",
    "renderers_path",
    "template_folder",
    "typst_string",
]
