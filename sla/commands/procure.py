"""`sla evaluate` and `sla diff`: offers against requirements, and two versions of an agreement."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import click

from ..cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, emit, fail, load_workspace_or_exit, print_diagnostics
from ..diagnostics import SlaError


def load_all(path: str) -> tuple[Any, list[Any]]:
    """A checked file, resolved, and every file it reached (itself and its imports)."""
    file, ws = load_workspace_or_exit(path)
    return file, list(ws.files.values())


# ------------------------------------------------------------------------------------- evaluate


@click.command()
@click.argument("requirements_path", metavar="REQUIREMENTS", type=click.Path())
@click.argument("offers", nargs=-1, required=True, type=click.Path())
@click.option("--profile", "profile_ref",
              help="The workload profile for cost requirements without `with profile`: a .sla file or a title.")
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@click.option("--html", "as_html", is_flag=True, help="Write a self-contained HTML report.")
@click.option("--pdf", "as_pdf", is_flag=True, help="Write the report as PDF (needs -o).")
@click.option("-o", "--output", type=click.Path(), help="Write the report to this file instead of printing.")
def evaluate(requirements_path: str, offers: tuple[str, ...], profile_ref: str | None, as_json: bool,
             as_html: bool, as_pdf: bool, output: str | None) -> None:  # fmt: skip
    """Evaluate offers against procurement requirements.

    For each offer and requirement: pass or fail, the offer's value and the line that states it,
    and for a failure by how much. Hard requirements decide eligibility; `prefer` requirements
    score by weight; cost requirements are estimated with a workload profile. The ranking lists
    eligible offers by score, then expected annual cost, then the ineligible ones and why.
    Exit code 0 when an offer is eligible, 1 when none is, 2 on bad input (such as offers in
    different currencies).
    """
    from ..api import evaluate as run
    from ..api import profiles_in

    if as_json + as_html + as_pdf > 1:
        fail("give one of --json, --html and --pdf")
    if as_pdf and (not output or output == "-"):
        fail("--pdf needs -o FILE.pdf")
    requirements, near = _requirements(requirements_path)
    agreements = []
    for path in offers:
        file, reached = load_all(path)
        agreements.extend(_agreements(file))
        near.extend(reached)
    chosen = None
    if profile_ref is not None:
        from .money import load_profile

        chosen = load_profile(profile_ref, near)
    try:
        result = run(requirements, agreements, profile=chosen, profiles=profiles_in(near))
    except SlaError as exc:
        for d in exc.diagnostics:
            click.echo(f"sla: {d.message}" + (f" (hint: {d.hint})" if d.hint else ""), err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    elif as_html or as_pdf:
        from ..evaluate import report_html, report_pdf

        try:
            report = report_html(result) if as_html else report_pdf(result)
        except SlaError as exc:
            print_diagnostics(exc.diagnostics, {}, err=True)
            sys.exit(EXIT_PROBLEMS)
        _write(report, output)
    else:
        _print_evaluation(result, output)
    sys.exit(EXIT_OK if result.winner else EXIT_PROBLEMS)


def _requirements(path: str) -> tuple[Any, list[Any]]:
    from ..api import document
    from ..model import Requirements

    file, reached = load_all(path)
    try:
        return document(file, Requirements), reached
    except SlaError as exc:
        fail(f"{exc.diagnostics[0].message}; give a file with one")


def _agreements(file: Any) -> list[Any]:
    from ..api import agreements_in

    try:
        return agreements_in(file)
    except SlaError as exc:
        fail(exc.diagnostics[0].message)


def _write(report: str | bytes, output: str | None) -> None:
    if output and output != "-":
        from ..files import write_atomic

        try:
            write_atomic(output, report)
        except OSError as exc:
            fail(f"cannot write {output!r}: {exc.strerror}")
    elif isinstance(report, bytes):  # pragma: no cover - --pdf requires -o
        sys.stdout.buffer.write(report)
    else:
        click.echo(report, nl=not report.endswith("\n"))


def _print_evaluation(result: Any, output: str | None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..evaluate import amount_text
    from ..words import number

    console = Console(highlight=False, file=io.StringIO() if output else None, record=bool(output))
    if output or not console.is_terminal:
        console.width = 200
    profile = f", costs under \"{escape(result.profile.title)}\"" if result.profile else ""
    console.print(f"[bold]{escape(result.requirements.title)}[/bold]: {len(result.offers)} "
                  f"offer{'s' * (len(result.offers) != 1)}{profile}")  # fmt: skip
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("requirement", overflow="fold")
    for o in result.offers:
        table.add_column(escape(o.name), overflow="fold")
    for i, item in enumerate(result.requirements.items):
        cells = []
        for o in result.offers:
            v = o.results[i].verdict
            mark = "[green]✓[/green]" if v.passed else ("[yellow]✗[/yellow]" if item.preferred else "[red]✗[/red]")
            cell = f"{mark} {escape(v.actual)}"
            if v.shortfall:
                cell += f"\n  {escape(v.shortfall)}"
            cells.append(cell)
        table.add_row(escape(o.results[i].label if result.offers else ""), *cells)
    console.print(table)
    console.print("\n[bold]ranking[/bold]")
    for rank, o in enumerate(result.ranking, 1):
        cost = f", expected annual cost {amount_text(o.expected_annual_cost, result.currency)}" \
            if o.expected_annual_cost is not None else ""  # fmt: skip
        if o.eligible:
            console.print(f"{rank}. {escape(o.name)}: eligible, score {number(o.score)}{cost}")
        else:
            console.print(f"{rank}. {escape(o.name)}: not eligible{cost}: {escape('; '.join(o.reasons))}")
    console.print(f"\nwinner: {escape(result.winner.name)}" if result.winner else "\nno offer is eligible")
    if output:
        emit(console.export_text(), output)


# ------------------------------------------------------------------------------------- diff


@click.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option("--fail-on", "fail_on", type=click.Choice(["worse"]),
              help="Exit 1 when a change is worse for the customer (for review pipelines).")
def diff(old: str, new: str, as_json: bool, fail_on: str | None) -> None:
    """Compare two versions of an agreement by meaning, not by text.

    Each change to targets, calendars, services and scope, credits, fees, term and notice is
    listed with its old and new value and whether it is better or worse for the customer.
    Moved, reordered or reformatted text is no change. Exit code 0 (also when there are
    changes), 1 with --fail-on worse when a change is worse, 2 on bad input.
    """
    from ..diff import diff_versions

    old_file, new_file = load_all(old)[0], load_all(new)[0]
    result = diff_versions(_agreements(old_file), _agreements(new_file), old, new)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_diff(old, new, result.changes, result.summary)
    sys.exit(EXIT_PROBLEMS if fail_on == "worse" and result.worse else EXIT_OK)


def _print_diff(old: str, new: str, changes: list[Any], counts: dict[str, int]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 200
    if not changes:
        console.print(f"{escape(old)} -> {escape(new)}: no change in meaning")
        return
    console.print(f"{escape(old)} -> {escape(new)}: {len(changes)} change{'s' * (len(changes) != 1)}: "
                  f"{counts['better']} better, {counts['worse']} worse, {counts['neutral']} neutral for the customer")  # fmt: skip
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("effect", "what", "old", "new", "lines"):
        table.add_column(name, overflow="fold")
    colour = {"better": "green", "worse": "red", "neutral": "dim"}
    for c in changes:
        lines = f"{c.old_span.line if c.old_span else '—'} -> {c.new_span.line if c.new_span else '—'}"
        note = f" ({escape(c.note)})" if c.note else ""
        table.add_row(f"[{colour[c.effect]}]{c.effect}[/{colour[c.effect]}]", escape(c.what) + note,
                      escape(c.old or "—"), escape(c.new or "—"), lines)  # fmt: skip
    console.print(table)
