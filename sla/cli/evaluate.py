"""`sla evaluate`: offers against procurement requirements, as a table, JSON, HTML or PDF."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..diagnostics import SlaError
from .common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    agreements_or_exit,
    emit,
    fail,
    load_all,
    load_profile,
    problems,
    sentence,
)

if TYPE_CHECKING:
    from ..evaluate import Evaluation
    from ..model import Agreement, Requirements, SlaFile


@click.command()
@click.argument("requirements_path", metavar="REQUIREMENTS", type=click.Path())
@click.argument("offers", nargs=-1, required=True, type=click.Path())
@click.option(
    "--profile",
    "profile_ref",
    help="The workload profile for cost requirements without `with profile`: a .sla file or a title.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@click.option("--html", "as_html", is_flag=True, help="Write a self-contained HTML report.")
@click.option("--pdf", "as_pdf", is_flag=True, help="Write the report as PDF (needs -o).")
@click.option("-o", "--output", type=click.Path(), help="Write the report to this file instead of printing.")
def evaluate(
    requirements_path: str,
    offers: tuple[str, ...],
    profile_ref: str | None,
    as_json: bool,
    as_html: bool,
    as_pdf: bool,
    output: str | None,
) -> None:
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
    agreements: list[Agreement] = []
    for path in offers:
        file, reached = load_all(path)
        agreements.extend(agreements_or_exit(file))
        near.extend(reached)
    chosen = load_profile(profile_ref, near) if profile_ref is not None else None
    try:
        result = run(requirements, agreements, profile=chosen, profiles=profiles_in(near))
    except SlaError as exc:
        for d in exc.diagnostics:
            click.echo("sla: " + sentence(d), err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        from ..jsonout import to_json

        emit(to_json(result.to_dict()), output)
    elif as_html or as_pdf:
        from ..evaluate import report_html, report_pdf

        try:
            report = report_html(result) if as_html else report_pdf(result)
        except SlaError as exc:
            problems(exc.diagnostics)
        emit(report, output)
    else:
        _print_evaluation(result, output)
    sys.exit(EXIT_OK if result.winner else EXIT_PROBLEMS)


def _requirements(path: str) -> tuple[Requirements, list[SlaFile]]:
    from ..api import document
    from ..model import Requirements

    file, reached = load_all(path)
    try:
        return document(file, Requirements), reached
    except SlaError as exc:
        fail(f"{exc.diagnostics[0].message}; give a file with one")


def _print_evaluation(result: Evaluation, output: str | None) -> None:
    from ..evaluate import amount_text
    from ..words import number
    from .terminal import console, line, recorded, table

    screen = console(record=bool(output))
    offers = len(result.offers)
    profile = f', costs under "{result.profile.title}"' if result.profile else ""
    screen.print(line((result.requirements.title, "bold"), f": {offers} offer{'s' * (offers != 1)}{profile}"))
    t = table("requirement", *(o.name for o in result.offers))
    for i, item in enumerate(result.requirements.items):
        cells = []
        for o in result.offers:
            v = o.results[i].verdict
            mark = ("✓", "green") if v.passed else ("✗", "yellow" if item.preferred else "red")
            cells.append(line(mark, " " + v.actual + (f"\n  {v.shortfall}" if v.shortfall else "")))
        t.add_row(result.offers[-1].results[i].label if result.offers else "", *cells)
    screen.print(t)
    screen.print(line("\n", ("ranking", "bold")))
    for rank, o in enumerate(result.ranking, 1):
        cost = (
            f", expected annual cost {amount_text(o.expected_annual_cost, result.currency)}"
            if o.expected_annual_cost is not None
            else ""
        )
        if o.eligible:
            screen.print(f"{rank}. {o.name}: eligible, score {number(o.score)}{cost}")
        else:
            screen.print(f"{rank}. {o.name}: not eligible{cost}: {'; '.join(o.reasons)}")
    screen.print(f"\nwinner: {result.winner.name}" if result.winner else "\nno offer is eligible")
    if output:
        emit(recorded(screen), output)
