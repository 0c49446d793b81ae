"""`sla clock`: business time on an agreement's calendar, a deadline or the time elapsed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import click

from .common import AGREEMENT, fail, load_or_exit, pick_agreement

if TYPE_CHECKING:
    from ..clock import BusinessCalendar
    from ..model import Agreement
    from ..values import Close, Duration


def _instant(text: str, option: str, calendar: BusinessCalendar) -> datetime:
    """An ISO 8601 time (instants.read_time, strict); one without an offset is local to the calendar."""
    from ..instants import read_time

    try:
        when = read_time(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a time such as 2027-01-15T16:50 or 2027-01-15T16:50:00-05:00")
    return calendar.localize(when) if when.tzinfo is None else when


def _target(
    agreement: Agreement, priority: str, kind: str, service: str | None
) -> tuple[Duration | Close, str | None]:
    """What a priority's response or resolution target counts (a duration or `by close`), and
    the name of the calendar it is counted on (Agreement.target_calendar: its own, else the
    service's, else the default)."""
    p = agreement.priority(priority)
    if p is None:
        names = ", ".join(x.name for x in agreement.priorities) or "none"
        fail(f"--priority: no priority {priority!r} in the agreement (it has {names})")
    target = getattr(p, kind)
    if target is None or target.length is None:
        fail(
            f"priority {priority} has no {kind} time to count: it is {'best effort' if target else 'not stated'}"
        )
    svc = agreement.service(service) if service else None
    if service and svc is None and not target.calendar:
        fail(f"--service: no service {service!r} in the agreement")
    cal = agreement.target_calendar(target, svc)
    return target.length, cal.name if cal else None


def _length(text: str) -> Duration | Close:
    """`--add`: a duration, or `by close` / `by close +Nd` as in the language."""
    from ..values import Close, Duration

    words = text.split()
    if words[:2] == ["by", "close"]:
        if len(words) == 2:
            return Close(0)
        later = words[2] if len(words) == 3 else ""
        try:
            days = Duration.parse(later.removeprefix("+")) if later.startswith("+") else None
        except ValueError:
            days = None
        if days is None or days.minutes or not days.total_days:
            fail(
                f"--add: {text!r}: write 'by close' or 'by close +Nd' with whole days, such as 'by close +1d'"
            )
        return Close(days.total_days)
    try:
        return Duration.parse(text)
    except ValueError as exc:
        fail(f"--add: {exc}")


@click.command()
@click.argument("path", type=click.Path())
@click.option("--calendar", "calendar_name", help="The calendar to count on (default: the target's).")
@click.option(
    "--from", "start", required=True, help="The start: ISO 8601, local to the calendar without an offset."
)
@click.option(
    "--add", "add", help="A duration such as 4h or 1d, or 'by close' or 'by close +1d': print the deadline."
)
@click.option("--to", "end", help="An end time: print the business time elapsed.")
@click.option("--priority", help="Take the target and its calendar from this priority.")
@click.option(
    "--target",
    "kind",
    type=click.Choice(["response", "resolution"]),
    default="response",
    show_default=True,
    help="Which target of --priority.",
)
@click.option("--service", help="The ticket's service, for a target without `on CALENDAR`.")
@AGREEMENT
@click.option("--json", "as_json", is_flag=True, help='Print {"deadline": ...} or {"elapsed_seconds": ...}.')
def clock(
    path: str,
    calendar_name: str | None,
    start: str,
    add: str | None,
    end: str | None,
    priority: str | None,
    kind: str,
    service: str | None,
    wanted: str | None,
    as_json: bool,
) -> None:
    """Business time on an agreement's calendar: a deadline, or the time elapsed.

    `--add 1h` prints the earliest instant at which one business hour has passed since --from
    (ISO 8601 with the calendar's offset); `--to TIME` prints the business time between the two.
    With --priority, the target's duration and calendar come from the agreement.
    """
    from ..clock import BusinessCalendar
    from ..values import Duration

    if priority is None and (add is None) == (end is None):
        fail("give --add DURATION or --to TIME (or --priority)")
    if add is not None and end is not None:
        fail("give --add or --to, not both")
    agreement = pick_agreement(load_or_exit(path), wanted)
    duration = None
    if priority is not None and end is None:
        duration, target_calendar = _target(agreement, priority, kind, service)
        calendar_name = calendar_name or target_calendar
    elif add is not None:
        duration = _length(add)
    if calendar_name is None:
        default = agreement.default_calendar
        if default is None:
            fail("the agreement has no calendar to count on")
        calendar_name = default.name
    cal = agreement.calendar(calendar_name)
    if cal is None:
        from ..diagnostics import did_you_mean

        hint = did_you_mean(calendar_name, [c.name for c in agreement.calendars])
        fail(f"--calendar: no calendar {calendar_name!r} in the agreement" + (f"; {hint}" if hint else ""))
    engine = BusinessCalendar.of(cal)
    begin = _instant(start, "--from", engine)
    if duration is not None:
        due = engine.deadline(begin, duration).isoformat()
        click.echo(json.dumps({"deadline": due}) if as_json else due)  # one line, unlike the other reports
        return
    assert end is not None
    seconds = engine.elapsed(begin, _instant(end, "--to", engine)).total_seconds()
    whole = int(seconds) if seconds == int(seconds) else seconds
    if as_json:
        click.echo(json.dumps({"elapsed_seconds": whole}))
    else:
        minutes, rest = divmod(int(seconds), 60)
        shown = str(Duration.of(minutes=minutes)) + (f"{rest}s" if rest else "")
        click.echo(f"{shown} of business time on {cal.name} ({whole} seconds)")
