"""`sla estimate`: the expected cost and downtime of an agreement under a workload profile, and
its spread over simulated years."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from ..diagnostics import SlaError
from .common import (
    AGREEMENT,
    PROFILE,
    SEED,
    YEARS,
    emit,
    load_or_exit,
    load_profile,
    pick_agreement,
    print_diagnostics,
    problems,
)
from .terminal import progress


@click.command()
@click.argument("path", type=click.Path())
@PROFILE
@click.option("--json", "as_json", is_flag=True, help="Print the estimate as JSON (money as strings).")
@YEARS
@SEED
@AGREEMENT
def estimate(path: str, profile_ref: str, as_json: bool, years: int, seed: int, wanted: str | None) -> None:
    """Expected cost and downtime of an agreement under a workload profile, and its spread.

    The expectation is exact under the cost model (docs/pricing.md); a Monte Carlo simulation
    over --years years (seeded) gives the percentiles, the worst month and the coefficient of
    variation of the annual cost: how predictable it is.
    """
    from ..api import estimate as run

    file = load_or_exit(path)
    profile = load_profile(profile_ref, [file])
    agreement = pick_agreement(file, wanted)
    try:
        with progress(years, "simulating years") as advance:
            result = run(agreement, profile, years=years, seed=seed, progress=advance)
    except SlaError as exc:
        problems(exc.diagnostics)
    print_diagnostics(result.warnings, err=True)
    if as_json:
        from ..jsonout import to_json

        emit(to_json(result.to_dict()), None)
        return
    _print_estimate(result.to_dict())


def _print_estimate(r: dict[str, Any]) -> None:
    from ..words import money
    from .terminal import console, line, styled, table

    def amount(text: str | Decimal) -> str:
        return money(Decimal(text), r["currency"])

    screen = console()
    screen.print(
        line(
            (r["title"], "bold"),
            f' ({r["agreement"]}), {r["model"].replace("_", "-")}, under "{r["profile"]}"',
        )
    )
    e, sim = r["expected"], r["simulation"]
    t = table("expected", "per month", "per year", right=("per month", "per year"))
    t.add_row("fees", amount(e["monthly_fees"]), amount(Decimal(e["monthly_fees"]) * 12))
    t.add_row(
        f"incident work ({e['incidents_per_year']} incidents a year)",
        amount(e["monthly_work"]),
        amount(Decimal(e["monthly_work"]) * 12),
    )
    t.add_row(
        styled("cost", "bold"), styled(amount(e["monthly"]), "bold"), styled(amount(e["annual"]), "bold")
    )
    t.add_row(
        f"downtime ({e['downtime_hours_per_year']} hours a year)", "", amount(e["downtime_cost_per_year"])
    )
    t.add_row("cost with downtime", "", amount(e["annual_total"]))
    screen.print(t)
    if r["downtime_basis"]:
        screen.print(f"downtime per P1: {r['downtime_basis']}")
    term = r["term"]
    screen.print(
        f"total cost of ownership over {term['months']} months: {amount(term['total_cost_of_ownership'])} "
        f"(fees {amount(term['fees'])})"
    )
    a = sim["annual"]
    screen.print(f"\nsimulated {sim['years']:,} years (seed {sim['seed']}), annual cost:")
    stats = table("statistic", "annual cost", right=("annual cost",), header=False)
    for label, key in (
        ("mean", "mean"),
        ("P50", "p50"),
        ("P90", "p90"),
        ("P95", "p95"),
        ("P99", "p99"),
        ("standard deviation", "std"),
        ("worst month", "worst_month"),
    ):
        stats.add_row(label, amount(a[key]))
    stats.add_row("coefficient of variation", f"{a['cv']:.1%} (monthly {a['monthly_cv']:.1%})")
    screen.print(stats)
    if not e["exact"]:
        screen.print("the expectation is simulated: block hours make overage depend on the whole month")
    for note in r["notes"]:
        screen.print(f"note: {note}")
