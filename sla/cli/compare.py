"""`sla compare`: agreements side by side under one workload profile, with a recommendation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..diagnostics import SlaError
from .common import (
    EXIT_PROBLEMS,
    PROFILE,
    SEED,
    YEARS,
    agreements_or_exit,
    emit,
    fail,
    load_or_exit,
    load_profile,
    pick_agreement,
    print_diagnostics,
    problems,
)
from .terminal import progress

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from .. import model as m
    from ..compare import Comparison, Offer


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@PROFILE
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON (money as strings).")
@click.option(
    "--chart", type=click.Path(), help="Write an SVG (or PNG, PDF) of the annual cost distributions."
)
@YEARS
@SEED
@click.option(
    "--agreement",
    "wanted",
    multiple=True,
    help="An agreement's id or title, for a file that holds several (repeat to take several from it).",
)
def compare(
    paths: tuple[str, ...],
    profile_ref: str,
    as_json: bool,
    chart: str | None,
    years: int,
    seed: int,
    wanted: tuple[str, ...],
) -> None:
    """Compare agreements side by side under one workload profile.

    For each: expected and P90 annual cost, monthly volatility, downtime hours and cost, the
    total cost of ownership over its term. For each pair: the probability that one costs more
    than the other in a year (downtime included, on the same simulated workload) and the
    break-even incident volume. Ends with a recommendation and the numbers behind it.
    """
    from ..api import compare as run
    from ..compare import recommendation

    files = [load_or_exit(p) for p in paths]
    profile = load_profile(profile_ref, files)
    agreements = [a for f in files for a in _chosen(f, wanted)]
    if len(agreements) < 2:
        fail("give at least two agreements to compare")
    try:
        with progress(years, "simulating years") as advance:
            result = run(agreements, profile, years=years, seed=seed, progress=advance)
    except SlaError as exc:
        currencies = [d for d in exc.errors if d.code == "SLA501"]
        if currencies:  # the profile fits each offer, but the offers cannot be set side by side
            print_diagnostics([d for d in exc.diagnostics if not d.is_error], err=True)
            fail(currencies[0].message, EXIT_PROBLEMS)
        problems(exc.diagnostics)
    print_diagnostics(result.warnings, err=True)
    if chart:
        from ..compare import chart as draw

        try:
            draw(result, chart)
        except OSError as exc:
            fail(f"cannot write {chart!r}: {exc.strerror}")
        except ValueError as exc:
            fail(f"--chart: {exc}")
    if as_json:
        from ..jsonout import to_json

        emit(to_json(result.to_dict()), None)
        return
    _print_comparison(result)
    from .terminal import visible

    click.echo("\n" + visible(recommendation(result)))


def _chosen(file: m.SlaFile, wanted: tuple[str, ...]) -> list[m.Agreement]:
    """A file's one agreement, or those of its several that --agreement names."""
    every = agreements_or_exit(file)
    if len(every) == 1:
        return every
    named = [pick_agreement(file, name) for name in wanted if any(name in (a.id, a.title) for a in every)]
    if not named:
        ids = ", ".join(repr(a.id or a.title) for a in every)
        fail(f"{file.path} holds {len(every)} agreements ({ids}); choose with --agreement ID (repeatable)")
    return list(dict.fromkeys(named))


def _print_comparison(result: Comparison) -> None:
    from ..words import money
    from .terminal import console, table

    def amount(value: Decimal) -> str:
        return money(value, result.currency)

    screen = console()
    screen.print(
        f'under "{result.profile}", {result.years:,} simulated years (seed {result.seed}), {result.currency}'
    )
    headers = [f"{o.name}\n{o.model.replace('_', '-')}" for o in result.offers]
    t = table("", *headers, right=headers)
    rows: list[tuple[str, Callable[[Offer], str]]] = [
        ("expected annual cost", lambda o: amount(o.expected.annual)),
        ("P90 annual cost", lambda o: amount(o.annual.p90)),
        ("monthly volatility (CV)", lambda o: f"{o.annual.monthly_cv:.1%}"),
        ("annual volatility (CV)", lambda o: f"{o.annual.cv:.1%}"),
        ("worst month", lambda o: amount(o.annual.worst_month)),
        ("downtime hours a year", lambda o: f"{float(o.expected.downtime_hours_year):.1f}"),
        ("downtime cost a year", lambda o: amount(o.expected.annual_downtime)),
        ("expected cost with downtime", lambda o: amount(o.expected.annual_total)),
        ("P90 cost with downtime", lambda o: amount(o.total.p90)),
        ("total cost of ownership", lambda o: f"{amount(o.tco)} ({o.term_months} months)"),
    ]
    for label, cell in rows:
        t.add_row(label, *(cell(o) for o in result.offers))
    screen.print(t)
    for pair in result.pairs:
        screen.print(pair.sentence(result.currency))
