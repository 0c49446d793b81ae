"""`sla profile`: a workload profile learnt from a service desk's tickets and a worklog."""

from __future__ import annotations

import click

from ..diagnostics import SlaError
from .common import emit, fail, load_or_exit


@click.command()
@click.option(
    "--tickets", "tickets", required=True, type=click.Path(), help="The tickets (CSV), as for sla comply."
)
@click.option(
    "--worklog", type=click.Path(), help="A worklog (CSV) in sla bill's format, for effort and onsite."
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="MAPPING",
    help="How the tickets' columns and values are named, as for sla comply; repeatable.",
)
@click.option(
    "--agreement",
    "agreement_path",
    type=click.Path(),
    help="An .sla file: its priorities, and its business calendar for the after-hours share.",
)
@click.option("--title", help="The profile's title (default: from the tickets file's name).")
@click.option("-o", "--output", metavar="FILE", help="Write the profile to FILE (atomically); - prints it.")
def profile(
    tickets: str,
    worklog: str | None,
    mappings: tuple[str, ...],
    agreement_path: str | None,
    title: str | None,
    output: str | None,
) -> None:
    """A workload profile learnt from a service desk's tickets and a worklog.

    Incidents per priority per month over the months the tickets span, mean effort per priority
    (from a worklog with a ticket column), the after-hours share (tickets opened outside the
    agreement's business calendar) and the onsite share, each with its 95% confidence interval
    as a comment. The profile works with sla estimate and sla compare --profile.
    """
    from ..api import pick_agreement
    from ..history import learn

    agreement = None
    if agreement_path is not None:
        try:
            agreement = pick_agreement(load_or_exit(agreement_path), None)
        except SlaError as exc:
            fail(f"--agreement: {exc.diagnostics[0].message}; a file with one agreement is needed")
    try:
        history = learn(tickets, worklog=worklog, mappings=mappings, agreement=agreement, title=title)
    except SlaError as exc:
        from ..comply.inputs import InputError

        fail(exc.message if isinstance(exc, InputError) else exc.diagnostics[0].message)
    for file, line, reason in history.unusable:
        click.echo(f"sla: {file}:{line}: row not used: {reason}", err=True)
    for warning in history.warnings:
        click.echo(f"sla: warning: {warning}", err=True)
    emit(history.to_sla(), output)
