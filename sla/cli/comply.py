"""`sla comply`: service desk exports measured against an agreement, as tables, JSON, HTML, PDF or Word."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..comply import PeriodReport, Report, json_chunks, load_mapping, ready_mappings
from ..comply import comply as measure
from ..comply.words import (
    duration,
    minutes,
    money_text,
    priority_rule,
    report_html,
    rolling_text,
    uncounted_text,
    unmeasured,
    when,
)
from ..diagnostics import SlaError
from .common import AGREEMENT, EXIT_OK, EXIT_PROBLEMS, emit, fail, load_or_exit, pick_agreement, problems
from .terminal import progress

if TYPE_CHECKING:  # rich is loaded when tables are printed
    from rich.console import Console

    from ..comply.audit import AuditReport

#: How many breaches and unusable rows the table output shows per period (JSON and HTML show all).
SHOWN = 50


def _epilog() -> str:
    names = ", ".join(f"{name} ({title})" for name, title in ready_mappings().items())
    return f"Ready mappings for --map: {names}. Columns and rules: docs/compliance.md."


@click.command(epilog=_epilog())
@click.argument("path", type=click.Path())
@click.option(
    "--tickets",
    type=click.Path(),
    help="CSV of tickets: id, priority, opened, first_response, resolved[, service] (or --events-log).",
)
@click.option(
    "--events",
    type=click.Path(),
    help="CSV of status changes, priority changes and updates: ticket, time, status[, priority][, kind].",
)
@click.option(
    "--events-log",
    "events_log",
    type=click.Path(),
    metavar="FILE",
    help="Instead of --tickets and --events: CSV of one row per update of a ticket (a ServiceNow "
    "incident event log): ticket, time, status[, priority][, opened][, resolved][, service].",
)
@click.option("--outages", type=click.Path(), help="CSV of outages: service, start, end[, planned].")
@click.option(
    "--exclusions",
    type=click.Path(),
    help="CSV of periods both parties agreed to leave out of availability: service, start, end, reason.",
)
@click.option(
    "--period",
    help="A month (2027-03), quarter (2027-Q1) or year (2027); default: every month the data touches.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="MAPPING",
    help="A ready mapping's name, a mapping .toml file, or FIELD=COLUMN,...; repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (money as strings).")
@click.option("--html", "as_html", is_flag=True, help="Write a self-contained HTML report.")
@click.option(
    "-o", "--output", type=click.Path(), help="Write to this file (atomically) instead of printing."
)
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(),
    metavar="FILE",
    help="Also write the report as a PDF document for the customer to FILE.",
)
@click.option(
    "--docx",
    "docx",
    type=click.Path(),
    metavar="FILE",
    help="Also write the report as a Word document to FILE.",
)
@click.option(
    "--locale",
    default="en",
    show_default=True,
    help="The language and formats of the PDF and the Word document: en, de, de_AT, ...",
)
@click.option(
    "--audit",
    is_flag=True,
    help="Set the desk's own verdict on each target (its SLA met column, or its business minutes) "
    "beside the agreement's: how often they agree, and why they differ.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any row cannot be used.")
@AGREEMENT
def comply(
    path: str,
    tickets: str | None,
    events: str | None,
    events_log: str | None,
    outages: str | None,
    exclusions: str | None,
    period: str | None,
    maps: tuple[str, ...],
    as_json: bool,
    as_html: bool,
    output: str | None,
    pdf: str | None,
    docx: str | None,
    locale: str,
    audit: bool,
    strict: bool,
    wanted: str | None,
) -> None:
    """Measure service desk exports against an agreement, month by month.

    For each priority: response and resolution targets met and breached, attainment, median and
    90th percentile business time, and the update intervals kept and missed; each breach with how
    late it was, in business time on the target's calendar and in wall-clock time; each
    service's availability (in service hours with `during`, less maintenance windows and agreed
    exclusions); the credits owed, tier by tier and breach by breach, capped monthly and over the
    rolling window. Tickets still open at a month's end are measured against that end.

    The exports are a tickets file (--tickets, one row per ticket) with its status changes
    (--events), or an event log (--events-log, one row per update of a ticket, as a ServiceNow
    incident event log): each ticket's rows in time order give its opening, its first response
    (the first update out of a status the mapping translates as New), its resolution (the last
    entry into Resolved or Closed, or the log's resolved column), its pauses and its priority
    changes.

    With --audit, the desk's own verdict on each target (ServiceNow's made_sla, Freshservice's
    Resolution Status, Jira's time left, ConnectWise's isInSla, Autotask's Has Met SLA, or
    Zendesk's business minutes: the mapping's response_met, resolution_met and business minutes
    columns) is set beside the agreement's: the rate they agree, and each disagreement with its
    cause in words (a holiday the desk's schedule lacks, a pause it did not apply, a priority
    change, a deadline on a different calendar).

    Rows that cannot be used (a missing or malformed time, an unknown priority, resolved before
    opened) are listed with their line number and reason. Exit code 0 when the report is made
    (breaches and unusable rows included; 1 with --strict when a row is unusable), 1 when the
    agreement has errors, 2 when an input cannot be read.
    """
    from ..comply import InputError

    if events_log is not None and tickets is not None:
        fail("use --tickets or --events-log, not both: an event log holds the tickets")
    if events_log is not None and events is not None:
        fail("use --events or --events-log, not both: an event log holds the status changes")
    if events_log is None and tickets is None:
        fail(
            "give the tickets: --tickets FILE (one row per ticket) or --events-log FILE (one row per update)"
        )
    if as_json and as_html:
        fail("use --json or --html, not both")
    for option, file in (("--pdf", pdf), ("--docx", docx)):
        if file is not None:
            _check_document(option, file, locale)
    agreement = pick_agreement(load_or_exit(path), wanted)
    try:
        mapping = load_mapping(maps)
        with progress(
            _size(events_log or tickets or ""), "reading tickets", minimum=10_000_000, in_bytes=True
        ) as advance:
            report = measure(
                agreement,
                tickets,
                events_log=events_log,
                events=events,
                outages=outages,
                mapping=mapping,
                period=period,
                progress=advance,
                exclusions=exclusions,
                audit=audit,
            )
    except InputError as exc:
        fail(exc.message)
    except SlaError as exc:
        problems(exc.diagnostics)
    if pdf is not None:
        _write_document(report, "pdf", pdf, locale)
    if docx is not None:
        _write_document(report, "docx", docx, locale)
    to_file = output not in (None, "-")
    if as_json and not to_file:
        for chunk in json_chunks(report):  # streamed: a month may hold a great many breaches
            click.echo(chunk, nl=False)
        click.echo()
    elif as_json:
        emit("".join(json_chunks(report)) + "\n", output)
    elif as_html:
        emit(report_html(report), output)
    else:
        from .terminal import console, recorded

        screen = console(record=to_file)
        _print_report(screen, report)
        if to_file:
            emit(recorded(screen), output)
    sys.exit(EXIT_PROBLEMS if strict and report.unusable else EXIT_OK)


# ------------------------------------------------------------------------------------- tables


def _print_report(screen: Console, report: Report) -> None:
    """The report as tables, period by period, then the rows read and those that were unusable."""
    from .terminal import line

    name = (
        f"{report.agreement_title} ({report.agreement_id})" if report.agreement_id else report.agreement_title
    )
    mapped = f", columns mapped by {report.mapping}" if report.mapping != "default" else ""
    screen.print(line((name, "bold"), ": compliance" + mapped))
    if report.priority_rule is not None:
        screen.print(priority_rule(report.priority_rule))
    if not report.periods:
        screen.print("No period to report: the files hold no usable times (give --period to report one).")
    for p in report.periods:
        screen.print(line("\n", (p.period, "bold"), f" ({p.start} to {p.end})"))
        _targets(screen, p)
        _breaches(screen, p)
        _missed_updates(screen, p)
        _availability(screen, p)
        _credits(screen, p, report.currency)
    if report.audit is not None:
        _audit(screen, report.audit)
    screen.print(f"\nRows: {report.read} read, {report.used} used, {len(report.unusable)} unusable")
    for f in report.files:
        screen.print(f"  {f.kind}: {f.file}: {f.read} read, {f.used} used, {f.unusable} unusable")
    for u in report.unusable[:SHOWN]:
        screen.print(f"  {u.file}:{u.row}: {u.reason}")
    if len(report.unusable) > SHOWN:
        screen.print(f"  ... and {len(report.unusable) - SHOWN} more (all of them with --json or --html)")


def _audit(screen: Console, a: AuditReport) -> None:
    """The desk's verdicts beside the agreement's: the rate, per target, each disagreement."""
    from .terminal import line, table

    screen.print(line("\n", ("The desk's verdicts audited", "bold")))
    if a.reason is not None:
        screen.print(a.reason)
    elif a.compared:
        screen.print(f"The desk and the agreement agree on {a.agreed} of {a.compared} targets ({a.rate}%).")
        t = table("target", "compared", "agreed", right=("compared", "agreed"))
        for kind, (n, agreed) in a.targets.items():
            t.add_row(kind, str(n), str(agreed))
        screen.print(t)
    else:
        screen.print("No target had a verdict from both the desk and the agreement.")
    if a.disagreements:
        screen.print(line("\n", ("Disagreements", "bold"), f" ({len(a.disagreements)})"))
        t = table("ticket", "priority", "target", "agreement", "desk", "why they differ")
        for d in a.disagreements[:SHOWN]:
            t.add_row(d.ticket, d.priority, d.target, d.agreement, d.desk, d.reason)
        screen.print(t)
        if len(a.disagreements) > SHOWN:
            screen.print(f"... and {len(a.disagreements) - SHOWN} more (all of them with --json or --html)")
    for why, n in a.not_compared.items():
        screen.print(f"  not compared: {n} target{'s' if n != 1 else ''}: {why}")


def _targets(screen: Console, p: PeriodReport) -> None:
    from .terminal import table

    t = table(
        "priority",
        "target",
        "rule",
        "count",
        "met",
        "breached",
        "open",
        "attainment",
        "median",
        "p90",
        right=("count", "met", "breached", "open", "attainment", "median", "p90"),
    )
    for s in p.priorities:
        kinds = [("response", s.response), ("resolution", s.resolution)]
        if s.updates is not None:
            kinds.append(("updates", s.updates))
        for kind, stats in kinds:
            if not stats.measured:
                t.add_row(
                    s.priority,
                    kind,
                    unmeasured(stats),
                    str(stats.count),
                    "-",
                    "-",
                    str(stats.open),
                    "-",
                    duration(stats.median),
                    duration(stats.p90),
                )
                continue
            attainment = f"{stats.attainment}%" if stats.attainment is not None else "-"
            t.add_row(
                s.priority,
                kind,
                stats.target,
                str(stats.count),
                str(stats.met),
                str(stats.breached),
                str(stats.open),
                attainment,
                duration(stats.median),
                duration(stats.p90),
            )
    screen.print(t)


def _breaches(screen: Console, p: PeriodReport) -> None:
    from .terminal import line, table

    if not p.breaches:
        return
    screen.print(line("\n", ("Breaches", "bold"), f" ({len(p.breaches)})"))
    t = table(
        "ticket",
        "priority",
        "target",
        "calendar",
        "deadline",
        "at",
        "late (business)",
        "late (wall)",
        right=("late (business)", "late (wall)"),
    )
    for b in p.breaches[:SHOWN]:
        at = when(b.at) + (" (still open)" if b.open else "")
        t.add_row(
            b.ticket,
            b.priority,
            b.target,
            b.calendar,
            when(b.deadline),
            at,
            duration(b.late_business),
            duration(b.late_wall),
        )
    screen.print(t)
    if len(p.breaches) > SHOWN:
        screen.print(f"... and {len(p.breaches) - SHOWN} more (all of them with --json or --html)")


def _missed_updates(screen: Console, p: PeriodReport) -> None:
    from .terminal import line, table

    if not p.missed_updates:
        return
    screen.print(line("\n", ("Missed updates", "bold"), f" ({len(p.missed_updates)})"))
    t = table(
        "ticket",
        "priority",
        "calendar",
        "since",
        "due",
        "at",
        "late (business)",
        "late (wall)",
        right=("late (business)", "late (wall)"),
    )
    for u in p.missed_updates[:SHOWN]:
        at = when(u.at) + (" (still open)" if u.open else "")
        t.add_row(
            u.ticket,
            u.priority,
            u.calendar,
            when(u.since),
            when(u.deadline),
            at,
            duration(u.late_business),
            duration(u.late_wall),
        )
    screen.print(t)
    if len(p.missed_updates) > SHOWN:
        screen.print(f"... and {len(p.missed_updates) - SHOWN} more (all of them with --json or --html)")


def _availability(screen: Console, p: PeriodReport) -> None:
    from .terminal import line, table

    if not p.availability:
        return
    screen.print(line("\n", ("Availability", "bold")))
    t = table(
        "service",
        "target",
        "measured over",
        "minutes",
        "excluded",
        "downtime",
        "availability",
        "met",
        right=("minutes", "excluded", "downtime", "availability"),
    )
    for av in p.availability:
        over = (
            av.period + ("" if av.complete else " (to date)") + (f" during {av.during}" if av.during else "")
        )
        met = "-" if av.met is None else "yes" if av.met else "no"
        if av.not_measured is not None:
            t.add_row(
                av.service,
                f"{av.target}%" if av.target is not None else "-",
                over,
                "-",
                "-",
                "-",
                f"not measured: {av.not_measured}",
                "-",
            )
            continue
        t.add_row(
            av.service,
            f"{av.target}%" if av.target is not None else "-",
            over,
            minutes(av.period_us),
            minutes(av.excluded_us),
            minutes(av.downtime_us),
            f"{av.measured}%",
            met,
        )
    screen.print(t)
    _exclusions(screen, p)


def _exclusions(screen: Console, p: PeriodReport) -> None:
    """The agreed exclusions that bear on each measurement, with the minutes each removed."""
    from .terminal import line, table

    listed = [(av, x) for av in p.availability for x in av.exclusions or ()]
    if not listed:
        return
    screen.print(line("\n", ("Agreed exclusions", "bold"), f" ({len(listed)})"))
    t = table("service", "from", "to", "reason", "minutes", "removed", right=("minutes", "removed"))
    for av, x in listed:
        t.add_row(
            av.service, when(x.start), when(x.end), x.reason or "-", minutes(x.own_us), minutes(x.removed_us)
        )
    screen.print(t)


def _credits(screen: Console, p: PeriodReport, currency: str | None) -> None:
    from .terminal import line, styled, table

    c = p.credits
    if not c.lines and c.cap is None and c.rolling is None:
        return
    screen.print(line("\n", ("Credits", "bold")))
    t = table("credit", "for", "why", "amount", right=("amount",))
    for item in c.lines:
        amount = "not computable" if item.amount is None else money_text(item.amount, currency)
        t.add_row(item.kind, item.subject, item.detail, amount)
    screen.print(t)
    summary = f"total {money_text(c.total_before_cap, currency)}"
    if c.cap is not None:
        summary += (
            f"; cap {c.cap_percent}% of the monthly fee {money_text(c.monthly_fee, currency)}"
            f" = {money_text(c.cap, currency)}" + (" (applied)" if c.capped else "")
        )
    screen.print(summary)
    if c.rolling is not None:
        screen.print(rolling_text(c.rolling, currency))
        for text in uncounted_text(c.rolling):
            screen.print(text)
    screen.print(styled(f"owed {money_text(c.owed, currency)}", "bold"))
    if c.understated:
        screen.print("the credits owed may be understated: a credit above could not be computed")


# ------------------------------------------------------------------------------------- PDF and Word


def _check_document(option: str, file: str, locale: str) -> None:
    """Refuse a document that cannot be written before anything is measured."""
    from ..words import parse_locale

    if file in ("", "-"):
        fail(f"{option} needs a file name: the report is printed as well")
    try:
        parse_locale(locale)
    except ValueError as exc:
        fail(f"--locale: {exc}")


def _write_document(report: Report, kind: str, file: str, locale: str) -> None:
    from ..comply.words import report_docx, report_pdf

    try:
        data = report_pdf(report, locale) if kind == "pdf" else report_docx(report, locale)
    except SlaError as exc:
        problems(exc.diagnostics)
    emit(data, file)


# ------------------------------------------------------------------------------------- HTML


def _size(path: str) -> int:
    """The bytes of a file, for a progress bar; 0 when it has no size to tell."""
    import os

    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0
