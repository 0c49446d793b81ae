"""`sla bill`: a worklog billed by an agreement's rate card, as a table, JSON or CSV."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..diagnostics import SlaError
from .common import (
    AGREEMENT,
    EXIT_OK,
    EXIT_PROBLEMS,
    emit,
    fail,
    load_or_exit,
    pick_agreement,
    read_input,
    sentence,
)

if TYPE_CHECKING:
    from ..billing import Bill


@click.command()
@click.argument("path", type=click.Path())
@click.argument("worklog", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the bill as JSON (money as strings).")
@click.option("--csv", "as_csv", is_flag=True, help="Print the invoice lines as CSV.")
@click.option("-o", "--output", type=click.Path(), help="Write to this file instead of printing.")
@AGREEMENT
@click.option(
    "--decimal-comma",
    is_flag=True,
    help="Numbers in the worklog use a decimal comma (1.234,50); by default a point (1,234.50).",
)
def bill(
    path: str,
    worklog: str,
    as_json: bool,
    as_csv: bool,
    output: str | None,
    wanted: str | None,
    decimal_comma: bool,
) -> None:
    """Bill a worklog (CSV) by an agreement's rates, multipliers and block hours.

    WORKLOG has a header row naming the columns start, duration and role, and optionally
    location (remote or onsite; empty is remote), materials (their cost), travel (the distance
    of an onsite visit) and description. A start without an offset is local to the agreement's
    calendar. Each line says why its amount is what it is. Rows that cannot be billed are
    listed with their row number; the exit code is then 1.
    """
    from ..api import bill as make_bill

    if as_json and as_csv:
        fail("give --json or --csv, not both")
    agreement = pick_agreement(load_or_exit(path), wanted)
    try:
        text = read_input(worklog, worklog)[0]
    except SlaError as exc:
        d = exc.diagnostics[0]
        fail(sentence(d, worklog))
    try:
        result = make_bill(agreement, text=text, decimal="," if decimal_comma else ".")
    except SlaError as exc:
        for d in exc.diagnostics:
            click.echo("sla: " + sentence(d, worklog), err=True)
        sys.exit(EXIT_PROBLEMS)
    if as_json:
        from ..jsonout import to_json

        emit(to_json(result.to_dict()), output)
    elif as_csv:
        from ..billing import to_csv

        emit(to_csv(result), output)
    else:
        _print_bill(result, worklog, output)
    for p in result.problems:
        click.echo(f"sla: {worklog}: {p}", err=True)
    for note in result.notes:
        click.echo(f"sla: note: {note}", err=True)
    sys.exit(EXIT_PROBLEMS if result.problems else EXIT_OK)


def _print_bill(result: Bill, worklog: str, output: str | None) -> None:
    from ..words import fraction_minutes_text, minutes_text, money
    from .terminal import console, line, recorded, table

    screen = console(record=bool(output))
    a = result.agreement
    screen.print(line((a.title, "bold"), f" ({a.id or 'no id'}): {worklog}, {result.currency}"))
    t = table("row", "start", "role", "billed", "class", "amount", "why", right=("row", "billed", "amount"))
    for e in result.entries:
        t.add_row(
            str(e.entry.row),
            e.local_start.strftime("%a %Y-%m-%d %H:%M"),
            e.entry.role,
            minutes_text(e.billed),
            e.time_class.name.replace("_", " "),
            money(e.amount, result.currency),
            "; ".join(c.detail for c in e.charges),
        )
    screen.print(t)
    if result.blocks:
        blocks = table(
            "month",
            "block",
            "granted",
            "carried in",
            "used",
            "beyond",
            "expired",
            "left",
            right=("granted", "carried in", "used", "beyond", "expired", "left"),
            title="block hours",
        )
        for r in result.blocks:
            blocks.add_row(
                r.month,
                r.block,
                *(
                    fraction_minutes_text(minutes)
                    for minutes in (r.granted, r.carried_in, r.used, r.overage, r.expired, r.remaining)
                ),
            )
        screen.print(blocks)
    for kind, amount in result.totals_by_kind().items():
        screen.print(f"{kind:<12} {money(amount, result.currency):>14}")
    screen.print(
        line(
            (f"{'total':<12} {money(result.total, result.currency):>14}", "bold"),
            f"  ({len(result.entries)} of {result.rows_read} rows billed)",
        )
    )
    if output:
        emit(recorded(screen), output)
