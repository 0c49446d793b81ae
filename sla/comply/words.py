"""The compliance report for people: durations, instants, minutes and money in words, and the
report as one self-contained HTML page (renderers/compliance, rendered sandboxed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .report import Report


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
    )


__all__ = ["duration", "minutes", "money_text", "report_html", "unmeasured", "when"]
