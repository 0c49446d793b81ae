"""`sla comply`: service desk exports measured against an agreement, as tables, JSON or HTML."""

from __future__ import annotations

import sys
from io import StringIO
from typing import Any

import click

from ..cli import EXIT_OK, EXIT_PROBLEMS, fail, load_or_exit, pick_agreement, print_diagnostics
from ..comply import Report, json_chunks, load_mapping, ready_mappings
from ..comply import comply as measure
from ..diagnostics import SlaError

#: How many breaches and unusable rows the table output shows per period (JSON and HTML show all).
SHOWN = 50


def _epilog() -> str:
    names = ", ".join(f"{name} ({title})" for name, title in ready_mappings().items())
    return f"Ready mappings for --map: {names}. Columns and rules: docs/compliance.md."


@click.command(epilog=_epilog())
@click.argument("path", type=click.Path())
@click.option("--tickets", required=True, type=click.Path(),
              help="CSV of tickets: id, priority, opened, first_response, resolved[, service].")
@click.option("--events", type=click.Path(), help="CSV of status changes: ticket, time, status[, priority].")
@click.option("--outages", type=click.Path(), help="CSV of outages: service, start, end[, planned].")
@click.option("--period", help="A month (2027-03), quarter (2027-Q1) or year (2027); default: every month "
              "the data touches.")
@click.option("--map", "maps", multiple=True, metavar="MAPPING",
              help="A ready mapping's name, a mapping .toml file, or FIELD=COLUMN,...; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (money as strings).")
@click.option("--html", "as_html", is_flag=True, help="Write a self-contained HTML report.")
@click.option("-o", "--output", type=click.Path(), help="Write to this file (atomically) instead of printing.")
@click.option("--strict", is_flag=True, help="Exit 1 when any row cannot be used.")
@click.option("--agreement", "wanted", help="The agreement's id or title, when the file holds several.")
def comply(path: str, tickets: str, events: str | None, outages: str | None, period: str | None,
           maps: tuple[str, ...], as_json: bool, as_html: bool, output: str | None, strict: bool,
           wanted: str | None) -> None:  # fmt: skip
    """Measure service desk exports against an agreement, month by month.

    For each priority: response and resolution targets met and breached, attainment, median and
    90th percentile business time; each breach with how late it was, in business time on the
    target's calendar and in wall-clock time; each service's availability; the credits owed,
    tier by tier and breach by breach, capped. Tickets still open at a month's end are measured
    against that end.

    Rows that cannot be used (a missing or malformed time, an unknown priority, resolved before
    opened) are listed with their line number and reason. Exit code 0 when the report is made
    (breaches and unusable rows included; 1 with --strict when a row is unusable), 1 when the
    agreement has errors, 2 when an input cannot be read.
    """
    from ..cli import emit
    from ..comply import InputError

    if as_json and as_html:
        fail("use --json or --html, not both")
    agreement = pick_agreement(load_or_exit(path), wanted)
    try:
        mapping = load_mapping(maps)
        report = measure(agreement, tickets, events=events, outages=outages, mapping=mapping, period=period)
    except InputError as exc:
        fail(exc.message)
    except SlaError as exc:
        print_diagnostics(exc.diagnostics, {}, err=True)
        sys.exit(EXIT_PROBLEMS)
    if as_json and output in (None, "-"):
        for chunk in json_chunks(report):  # streamed: a month may hold a great many breaches
            click.echo(chunk, nl=False)
        click.echo()
    elif as_json:
        emit("".join(json_chunks(report)) + "\n", output)
    elif as_html:
        emit(html(report), output)
    else:
        emit(text(report, colour=output in (None, "-")), output)
    sys.exit(EXIT_PROBLEMS if strict and report.unusable else EXIT_OK)


# ------------------------------------------------------------------------------------- words


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


def _money(amount: Any, currency: str | None) -> str:
    if currency is None:
        return f"{amount:,f}"
    from ..pricing import format_money

    return format_money(amount, currency)


def _when(instant: Any) -> str:
    return instant.strftime("%Y-%m-%d %H:%M") + instant.strftime(" %Z").rstrip()


# ------------------------------------------------------------------------------------- tables


def text(report: Report, colour: bool = True) -> str:
    """The report as tables for a terminal (plain when `colour` is False)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    buffer = StringIO()
    console = Console(file=buffer, highlight=False, width=140, force_terminal=colour and sys.stdout.isatty(),
                      no_color=not colour)  # fmt: skip

    def table(*columns: str, right: tuple[str, ...] = ()) -> Table:
        t = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for c in columns:
            t.add_column(c, justify="right" if c in right else "left", overflow="fold")
        return t

    name = f"{report.agreement_title} ({report.agreement_id})" if report.agreement_id else report.agreement_title
    console.print(f"[bold]{escape(name)}[/bold]: compliance" + (f", columns mapped by {escape(report.mapping)}"
                                                      if report.mapping != "default" else ""))  # fmt: skip
    if not report.periods:
        console.print("No period to report: the files hold no usable times (give --period to report one).")
    for p in report.periods:
        console.print(f"\n[bold]{p.period}[/bold] ({p.start} to {p.end})")
        t = table("priority", "target", "rule", "count", "met", "breached", "open", "attainment", "median", "p90",
                  right=("count", "met", "breached", "open", "attainment", "median", "p90"))  # fmt: skip
        for s in p.priorities:
            for kind, stats in (("response", s.response), ("resolution", s.resolution)):
                if not stats.measured:
                    t.add_row(s.priority, kind, _unmeasured(stats), str(stats.count),
                              "-", "-", str(stats.open), "-", duration(stats.median), duration(stats.p90))  # fmt: skip
                    continue
                attainment = f"{stats.attainment}%" if stats.attainment is not None else "-"
                t.add_row(s.priority, kind, stats.target, str(stats.count), str(stats.met), str(stats.breached),
                          str(stats.open), attainment, duration(stats.median), duration(stats.p90))  # fmt: skip
        console.print(t)
        if p.breaches:
            console.print(f"\n[bold]Breaches[/bold] ({len(p.breaches)})")
            t = table("ticket", "priority", "target", "calendar", "deadline", "at", "late (business)",
                      "late (wall)", right=("late (business)", "late (wall)"))  # fmt: skip
            for b in p.breaches[:SHOWN]:
                at = _when(b.at) + (" (still open)" if b.open else "")
                t.add_row(escape(b.ticket), b.priority, b.target, b.calendar, _when(b.deadline), at,
                          duration(b.late_business), duration(b.late_wall))  # fmt: skip
            console.print(t)
            if len(p.breaches) > SHOWN:
                console.print(f"... and {len(p.breaches) - SHOWN} more (all of them with --json or --html)")
        if p.availability:
            console.print("\n[bold]Availability[/bold]")
            t = table("service", "target", "measured over", "minutes", "excluded", "downtime", "availability",
                      "met", right=("minutes", "excluded", "downtime", "availability"))  # fmt: skip
            for av in p.availability:
                over = av.period + ("" if av.complete else " (to date)")
                met = "-" if av.met is None else "yes" if av.met else "no"
                t.add_row(av.service, f"{av.target}%" if av.target is not None else "-", over,
                          _minutes(av.period_us), _minutes(av.excluded_us), _minutes(av.downtime_us),
                          f"{av.measured}%", met)  # fmt: skip
            console.print(t)
        c = p.credits
        if c.lines or c.cap is not None:
            console.print("\n[bold]Credits[/bold]")
            t = table("credit", "for", "why", "amount", right=("amount",))
            for line in c.lines:
                t.add_row(line.kind, line.subject, line.detail, _money(line.amount, report.currency))
            console.print(t)
            summary = f"total {_money(c.total_before_cap, report.currency)}"
            if c.cap is not None:
                summary += (f"; cap {c.cap_percent}% of the monthly fee {_money(c.monthly_fee, report.currency)}"
                            f" = {_money(c.cap, report.currency)}" + (" (applied)" if c.capped else ""))  # fmt: skip
            console.print(summary)
            console.print(f"[bold]owed {_money(c.owed, report.currency)}[/bold]")
    console.print(f"\nRows: {report.read} read, {report.used} used, {len(report.unusable)} unusable")
    for f in report.files:
        console.print(f"  {f.kind}: {f.file}: {f.read} read, {f.used} used, {f.unusable} unusable", markup=False)
    for u in report.unusable[:SHOWN]:
        console.print(f"  {u.file}:{u.row}: {u.reason}", markup=False)
    if len(report.unusable) > SHOWN:
        console.print(f"  ... and {len(report.unusable) - SHOWN} more (all of them with --json or --html)")
    return buffer.getvalue()


def _unmeasured(stats: Any) -> str:
    why = "" if stats.reason and stats.reason in stats.target else f": {stats.reason}"
    return f"{stats.target} (not measured{why})"


def _minutes(us: int) -> str:
    whole, rest = divmod(us, 60_000_000)
    return f"{whole:,}" if not rest else f"{us / 60_000_000:,.3f}"


# ------------------------------------------------------------------------------------- HTML

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Compliance: {{ r.agreement_title }}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.4rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e8eb; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #656d76; }
.bad { color: #b42318; font-weight: 600; }
.good { color: #1a7f37; }
.owed { font-size: 1.1rem; font-weight: 700; }
</style>
</head>
<body>
<h1>{{ r.agreement_title }}</h1>
<p class="muted">{% if r.agreement_id %}{{ r.agreement_id }} &middot; {% endif %}compliance report
{%- if r.mapping != "default" %} &middot; columns mapped by {{ r.mapping }}{% endif %}</p>
{% if not r.periods %}<p>No period to report: the files hold no usable times.</p>{% endif %}
{% for p in r.periods %}
<h2>{{ p.period }} <span class="muted">({{ p.start }} to {{ p.end }})</span></h2>
<h3>Targets</h3>
<table>
<tr><th>Priority</th><th>Target</th><th>Rule</th><th class="n">Count</th><th class="n">Met</th>
<th class="n">Breached</th><th class="n">Open</th><th class="n">Attainment</th><th class="n">Median</th>
<th class="n">P90</th></tr>
{% for s in p.priorities %}{% for kind, t in (("response", s.response), ("resolution", s.resolution)) %}
<tr><td>{{ s.priority }}</td><td>{{ kind }}</td>
<td>{% if t.measured %}{{ t.target }}{% else %}{{ unmeasured(t) }}{% endif %}</td>
<td class="n">{{ t.count }}</td><td class="n">{{ "-" if t.met is none else t.met }}</td>
<td class="n{% if t.breached %} bad{% endif %}">{{ "-" if t.breached is none else t.breached }}</td>
<td class="n">{{ t.open }}</td><td class="n">{{ "-" if t.attainment is none else t.attainment ~ "%" }}</td>
<td class="n">{{ duration(t.median) }}</td><td class="n">{{ duration(t.p90) }}</td></tr>
{% endfor %}{% endfor %}
</table>
{% if p.breaches %}
<h3>Breaches ({{ p.breaches|length }})</h3>
<table>
<tr><th>Ticket</th><th>Priority</th><th>Target</th><th>Calendar</th><th>Deadline</th><th>At</th>
<th class="n">Late (business)</th><th class="n">Late (wall)</th></tr>
{% for b in p.breaches %}
<tr><td>{{ b.ticket }}</td><td>{{ b.priority }}</td><td>{{ b.target }}</td><td>{{ b.calendar }}</td>
<td>{{ when(b.deadline) }}</td><td>{{ when(b.at) }}{% if b.open %} <span class="muted">(still open)</span>{% endif %}</td>
<td class="n">{{ duration(b.late_business) }}</td><td class="n">{{ duration(b.late_wall) }}</td></tr>
{% endfor %}
</table>
{% endif %}
{% if p.availability %}
<h3>Availability</h3>
<table>
<tr><th>Service</th><th class="n">Target</th><th>Measured over</th><th class="n">Minutes</th>
<th class="n">Excluded</th><th class="n">Downtime</th><th class="n">Availability</th><th>Met</th></tr>
{% for av in p.availability %}
<tr><td>{{ av.service }}</td><td class="n">{{ "-" if av.target is none else av.target ~ "%" }}</td>
<td>{{ av.period }}{% if not av.complete %} <span class="muted">(to date)</span>{% endif %}</td>
<td class="n">{{ minutes(av.period_us) }}</td><td class="n">{{ minutes(av.excluded_us) }}</td>
<td class="n">{{ minutes(av.downtime_us) }}</td><td class="n">{{ av.measured }}%</td>
<td>{% if av.met is none %}-{% elif av.met %}<span class="good">yes</span>{% else %}<span class="bad">no</span>{% endif %}</td></tr>
{% endfor %}
</table>
{% endif %}
{% set c = p.credits %}
{% if c.lines or c.cap is not none %}
<h3>Credits</h3>
<table>
<tr><th>Credit</th><th>For</th><th>Why</th><th class="n">Amount</th></tr>
{% for line in c.lines %}
<tr><td>{{ line.kind }}</td><td>{{ line.subject }}</td><td>{{ line.detail }}</td>
<td class="n">{{ money(line.amount) }}</td></tr>
{% endfor %}
<tr><td colspan="3">Total before the cap</td><td class="n">{{ money(c.total_before_cap) }}</td></tr>
{% if c.cap is not none %}
<tr><td colspan="3">Cap: {{ c.cap_percent }}% of the monthly fee {{ money(c.monthly_fee) }}
{%- if c.capped %} (applied){% endif %}</td><td class="n">{{ money(c.cap) }}</td></tr>
{% endif %}
<tr><td colspan="3" class="owed">Owed</td><td class="n owed">{{ money(c.owed) }}</td></tr>
</table>
{% endif %}
{% endfor %}
<h2>Rows</h2>
<p>{{ r.read }} read, {{ r.used }} used, {{ r.unusable|length }} unusable.</p>
<table>
<tr><th>File</th><th>Kind</th><th class="n">Read</th><th class="n">Used</th><th class="n">Unusable</th></tr>
{% for f in r.files %}
<tr><td>{{ f.file }}</td><td>{{ f.kind }}</td><td class="n">{{ f.read }}</td><td class="n">{{ f.used }}</td>
<td class="n">{{ f.unusable }}</td></tr>
{% endfor %}
</table>
{% if r.unusable %}
<table>
<tr><th>File</th><th class="n">Line</th><th>Reason</th></tr>
{% for u in r.unusable %}
<tr><td>{{ u.file }}</td><td class="n">{{ u.row }}</td><td>{{ u.reason }}</td></tr>
{% endfor %}
</table>
{% endif %}
</body>
</html>
"""


def html(report: Report) -> str:
    """A self-contained HTML page (inline CSS, every value escaped)."""
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(_TEMPLATE)
    return template.render(r=report, duration=duration, when=_when, minutes=_minutes, unmeasured=_unmeasured,
                           money=lambda amount: _money(amount, report.currency))  # fmt: skip
