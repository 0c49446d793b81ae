"""The compliance report for people: durations, instants, minutes and money in words, and the
report as one self-contained HTML page (renderers/compliance, rendered sandboxed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .report import Report, RollingCap


def duration(us: int | None) -> str:
    """Business or wall time for people: hours and minutes (a business day has no fixed length),
    seconds when there are any."""
    if us is None:
        return "-"
    sign = "-" if us < 0 else ""
    seconds = abs(us) // 1_000_000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{seconds}s" if seconds else ""]
    return sign + ("".join(parts) or "0m")


def money_text(amount: Any, currency: str | None) -> str:
    from ..words import money

    return f"{amount:,f}" if currency is None else money(amount, currency)


def when(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M") + instant.strftime(" %Z").rstrip()


def unmeasured(stats: Any) -> str:
    why = "" if stats.reason and stats.reason in stats.target else f": {stats.reason}"
    return f"{stats.target} (not measured{why})"


def minutes(us: int) -> str:
    whole, rest = divmod(us, 60_000_000)
    return f"{whole:,}" if not rest else f"{us / 60_000_000:,.3f}"


#: How each `clock { priority ... }` rule is said in a report.
PRIORITY_RULES = {
    "initial": "tickets are measured at the priority they were opened with (clock: priority initial)",
    "final": "tickets are measured at the last priority they had (clock: priority final)",
    "highest": "tickets are measured at the most urgent priority they ever had (clock: priority highest)",
}


def priority_rule(rule: str) -> str:
    return PRIORITY_RULES.get(rule, f"tickets are measured at priority rule {rule!r}")


def rolling_text(r: RollingCap, currency: str | None) -> str:
    """The rolling cap of a month in one sentence."""
    text = (
        f"rolling cap {r.percent}% of the fees of {r.first} to {r.last} ({money_text(r.fees, currency)})"
        f" = {money_text(r.allowance, currency)}; owed in the {r.months - 1} months before: "
        f"{money_text(r.earlier, currency)}; left {money_text(r.left, currency)}"
    )
    if r.applied:
        text += f" (applied: {money_text(r.before, currency)} cut to {money_text(r.left, currency)})"
    return text


def uncounted_text(r: RollingCap) -> list[str]:
    """The months of a rolling cap's window that count as no fee and no credit, and why."""
    return [
        f"  {first} counts as no fee and no credit: {why}"
        if first == last
        else f"  {first} to {last} count as no fee and no credit: {why}"
        for first, last, why in r.uncounted
    ]


def report_html(report: Report) -> str:
    """A self-contained HTML page (inline CSS, every value escaped), from renderers/compliance."""
    from ..templates import environment, renderers_path

    env = environment(renderers_path() / "compliance", autoescape=True, keep_trailing_newline=False)
    return env.get_template("report.html.j2").render(
        r=report,
        duration=duration,
        when=when,
        minutes=minutes,
        unmeasured=unmeasured,
        money=lambda amount: money_text(amount, report.currency),
        priority_rule=priority_rule,
        rolling=lambda r: rolling_text(r, report.currency),
        uncounted=uncounted_text,
    )


__all__ = [
    "PRIORITY_RULES",
    "duration",
    "minutes",
    "money_text",
    "priority_rule",
    "report_html",
    "rolling_text",
    "uncounted_text",
    "unmeasured",
    "when",
]
