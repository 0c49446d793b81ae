"""What a statement means, shown on hover: a target in words with the deadline it gives for a
start now and for a start on Friday at 16:00 (`sla.clock`, `sla.words`); a fee line's monthly
amount (`sla.pricing`); a holiday region's next holidays (`sla.reference`, `sla.clock`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from .. import model as m
from ..diagnostics import SlaError, Span

if TYPE_CHECKING:
    from ..clock import BusinessCalendar
    from ..words import Words
    from .analysis import Analysis
    from .session import Session

#: How many holidays a region's hover lists.
HOLIDAYS_SHOWN = 5


def hover(
    session: Session, path: str, line: int, column: int, now: datetime | None = None
) -> tuple[str, Span] | None:
    """The text (Markdown) to show for the statement at a position, and the stretch it covers."""
    analysis = session.analysis(path)
    file = session.model(path)
    if analysis is None or file is None:
        return None
    at = (line, column)
    for doc in file.documents:
        if not isinstance(doc, m.Agreement) or not _holds(analysis, doc.span, at):
            continue
        for p in doc.priorities:
            for kind in ("response", "resolution", "updates"):
                target = getattr(p, kind)
                span = p.where(kind) if target is not None else None
                if target is not None and span is not None and _holds(analysis, span, at):
                    return _target(doc, p, kind, target, now), analysis.original(span)
        fees = doc.fees
        if fees is not None:
            lines: tuple[m.RecurringFee | m.BlockHours | m.OneTimeFee, ...] = (
                *fees.recurring,
                *fees.blocks,
                *fees.once,
            )
            for fee in lines:
                if _holds(analysis, fee.span, at):
                    assert fee.span is not None
                    return _fee(doc, fee), analysis.original(fee.span)
    for cal in _calendars(file):
        span = cal.where("holidays") if cal.holidays else None
        if span is not None and _holds(analysis, span, at):
            region = _region_at(analysis, cal, span, at)
            return _holidays(region, now), analysis.original(span)
    return None


def _holds(analysis: Analysis, span: Span | None, at: tuple[int, int]) -> bool:
    if span is None:
        return False
    s = analysis.original(span)
    return (s.line, s.column) <= at <= (s.end_line, s.end_column)


def _calendars(file: m.SlaFile) -> list[m.Calendar]:
    found = list(file.calendars)
    for doc in file.documents:
        if isinstance(doc, (m.Agreement, m.Requirements)):
            found.extend(c for c in doc.calendars if c.span and c.span.file == file.path)
    return found


# ------------------------------------------------------------------------------------ targets


def _target(a: m.Agreement, p: m.Priority, kind: str, target: m.Target, now: datetime | None) -> str:
    from ..words import Words

    w = Words("en")
    cal = a.target_calendar(target)
    heading = f"**{kind.capitalize()} target of {p.name}**"
    if target.duration is None:
        return f"{heading}: best effort, no deadline."
    where = (
        f"on calendar `{target.calendar}`"
        if target.calendar
        else "on the calendar of the ticket's service"
        + (f"; without a service, on `{cal.name}`, the agreement's first" if cal else "")
    )
    if cal is None:
        return f"{heading}: {w.duration(target.duration)} {where} (no such calendar)."
    business = not cal.always
    duration = (
        w.every(target.duration, business) if kind == "updates" else w.duration(target.duration, business)
    )
    lines = [f"{heading}: {duration} {where}" + (", best effort" if target.best_effort else "") + "."]
    lines.append("")
    lines.append(f"Counted on `{cal.name}` ({_calendar_words(cal)}):")
    lines.append("")
    try:
        from ..clock import BusinessCalendar

        engine = BusinessCalendar.of(cal)
        now = (now or datetime.now(cal.zone)).astimezone(cal.zone)
        friday = _next_friday_16(now.replace(tzinfo=None), engine)
        for label, start in (("started now", now), ("started on Friday at 16:00", friday)):
            due = engine.deadline(start, target.duration)
            lines.append(f"- {label} ({_when(w, start)}): due {_when(w, due)}")
    except (SlaError, ValueError) as exc:
        lines.append(f"- no deadline can be counted: {exc}")
    return "\n".join(lines)


def _next_friday_16(now: datetime, engine: BusinessCalendar) -> datetime:
    """The next Friday at 16:00 on the calendar's clock (today, when it is Friday before 16:00)."""
    day = now.date() + timedelta(days=(4 - now.weekday()) % 7)
    start = datetime.combine(day, datetime.min.time()).replace(hour=16)
    if start <= now:
        start += timedelta(days=7)
    return engine.localize(start)


def _when(w: Words, instant: datetime) -> str:
    """An instant for people: Friday, January 15, 2027, 16:30 CET."""
    return f"{w.weekday(instant.weekday())}, {w.date(instant.date())}, {instant:%H:%M} {instant.tzname()}"


def _calendar_words(cal: m.Calendar) -> str:
    zone = cal.timezone or "UTC"
    return f"24x7, elapsed time, {zone}" if cal.always else f"business time, {zone}"


# ------------------------------------------------------------------------------------ fees


def _fee(a: m.Agreement, fee: m.RecurringFee | m.BlockHours | m.OneTimeFee) -> str:
    from ..pricing import monthly_fees, quote
    from ..words import money

    assert a.fees is not None
    only: dict[str, tuple[m.Node, ...]] = {"recurring": (), "blocks": (), "once": ()}
    if isinstance(fee, m.RecurringFee):
        only["recurring"] = (fee,)
        heading = f"**recurring {fee.service}**"
    elif isinstance(fee, m.BlockHours):
        only["blocks"] = (fee,)
        heading = f"**block of {fee.hours}**"
    else:
        only["once"] = (fee,)
        heading = f"**once {fee.name}**"
    alone = a.model_copy(update={"fees": a.fees.model_copy(update=only)})
    try:
        if isinstance(fee, m.OneTimeFee):
            line = quote(alone).one_time[0]
            return (
                f"{heading}: {money(line.amount, a.currency or '')} once, billed in the first contract year."
            )
        _, monthly = monthly_fees(alone)
        first = quote(alone).years[0].lines[0]
    except SlaError as exc:
        d = exc.diagnostics[0]
        return f"{heading}: cannot be priced: {d.message}" + (f" ({d.hint})" if d.hint else "")
    currency = a.currency or ""
    text = f"{heading}: {money(monthly, currency)} a month in the first contract year"
    if first.frequency and first.frequency != "monthly":
        text += f" (its {first.frequency} invoice of {money(first.unit_price, currency)}, by the month)"
    return text + f".\n\n{first.detail}."


# ------------------------------------------------------------------------------------ holidays


def _region_at(analysis: Analysis, cal: m.Calendar, span: Span, at: tuple[int, int]) -> str:
    """The region of a `holidays` statement under the cursor (the first when it is not on one)."""
    text = analysis.text.split("\n")[span.line - 1] if span.line == span.end_line else ""
    if span.line == at[0] and text:
        for region in cal.holidays:
            start = text.find(region, span.column - 1)
            if start >= 0 and start + 1 <= at[1] <= start + 1 + len(region):
                return region
    return cal.holidays[0]


def _holidays(region: str, now: datetime | None) -> str:
    from ..clock import BusinessCalendar
    from ..reference import holiday_region_problem
    from ..words import Words

    problem = holiday_region_problem(region)
    if problem is not None:
        message, hint = problem
        return f"**{region}**: {message}" + (f" ({hint})" if hint else "")
    w = Words("en")
    country, _, subdivision = region.partition("-")
    name = w.country(country) + (f", {subdivision}" if subdivision else "")
    # The region's holidays as a calendar open around the clock closes on them.
    engine = BusinessCalendar.of(m.Calendar(name=region, hours=(m.Hours(always=True),), holidays=(region,)))
    today = (now or datetime.now()).date()
    found: list[tuple[date, str]] = []
    day = today
    while len(found) < HOLIDAYS_SHOWN and day < today + timedelta(days=2 * 366):
        why = engine.closed_because(day)
        if why is not None:
            found.append((day, why))
        day += timedelta(days=1)
    lines = [f"**{region}**: public holidays of {name} (from the holidays library). The next:", ""]
    lines += [f"- {w.weekday(d.weekday())}, {w.date(d)}: {why}" for d, why in found]
    return "\n".join(lines)
