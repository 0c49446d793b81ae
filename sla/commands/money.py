"""`sla bill`, `sla estimate` and `sla compare`: what work costs, and what each model would."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any, NoReturn

import click

from ..cli import EXIT_OK, EXIT_PROBLEMS, emit, fail, load_or_exit, pick_agreement, print_diagnostics
from ..diagnostics import SlaError

_YEARS = click.option("--years", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True,
                      help="Simulated years.")  # fmt: skip
_SEED = click.option("--seed", type=int, default=0, show_default=True,
                     help="The random seed: the same seed gives the same figures.")  # fmt: skip
_PROFILE = click.option("--profile", "profile_ref", required=True,
                        help="A .sla file holding the workload profile, or a profile's title.")  # fmt: skip


def _or_exit(exc: SlaError) -> NoReturn:
    print_diagnostics(exc.diagnostics, {}, err=True)
    sys.exit(EXIT_PROBLEMS)


# ------------------------------------------------------------------------------------- bill


@click.command()
@click.argument("path", type=click.Path())
@click.argument("worklog", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the bill as JSON (money as strings).")
@click.option("--csv", "as_csv", is_flag=True, help="Print the invoice lines as CSV.")
@click.option("-o", "--output", type=click.Path(), help="Write to this file instead of printing.")
@click.option("--agreement", "wanted", help="The agreement's id or title, when the file holds several.")
@click.option("--decimal-comma", is_flag=True,
              help="Numbers in the worklog use a decimal comma (1.234,50); by default a point (1,234.50).")
def bill(path: str, worklog: str, as_json: bool, as_csv: bool, output: str | None, wanted: str | None,
         decimal_comma: bool) -> None:  # fmt: skip
    """Bill a worklog (CSV) by an agreement's rates, multipliers and block hours.

    WORKLOG has a header row naming the columns start, duration and role, and optionally
    location (remote or onsite; empty is remote), materials (their cost), travel (the distance
    of an onsite visit) and description. A start without an offset is local to the agreement's
    calendar. Each line says why its amount is what it is. Rows that cannot be billed are
    listed with their row number; the exit code is then 1.
    """
    from ..api import bill as make_bill
    from ..billing import to_csv

    if as_json and as_csv:
        fail("give --json or --csv, not both")
    agreement = pick_agreement(load_or_exit(path), wanted)
    text = _read_worklog(worklog)
    try:
        result = make_bill(agreement, text=text, decimal="," if decimal_comma else ".")
    except SlaError as exc:
        for d in exc.diagnostics:
            click.echo(f"sla: {worklog}: {d.message}" + (f" (hint: {d.hint})" if d.hint else ""), err=True)
        sys.exit(EXIT_PROBLEMS)
    if as_json:
        emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    elif as_csv:
        emit(to_csv(result), output)
    else:
        _print_bill(result, worklog, output)
    for p in result.problems:
        click.echo(f"sla: {worklog}: {p}", err=True)
    for note in result.notes:
        click.echo(f"sla: note: {note}", err=True)
    sys.exit(EXIT_PROBLEMS if result.problems else EXIT_OK)


def _read_worklog(worklog: str) -> str:
    from ..loader import decode, read_bytes

    try:
        raw = sys.stdin.buffer.read() if worklog == "-" else read_bytes(worklog)
        return decode(raw, worklog)
    except SlaError as exc:
        d = exc.diagnostics[0]
        fail(f"{worklog}: {d.message}" + (f" (hint: {d.hint})" if d.hint else ""))


def _print_bill(result: Any, worklog: str, output: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..billing import show_time
    from ..pricing import format_money

    def money(amount: Decimal) -> str:
        return format_money(amount, result.currency)

    import io

    console = Console(highlight=False, file=io.StringIO() if output else None, record=bool(output))
    if output or not console.is_terminal:
        console.width = 200  # a file or a pipe gets whole lines, not a table folded to 80 columns
    a = result.agreement
    console.print(f"[bold]{a.title}[/bold] ({a.id or 'no id'}): {worklog}, {result.currency}")
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, justify in (("row", "right"), ("start", "left"), ("role", "left"), ("billed", "right"),
                          ("class", "left"), ("amount", "right"), ("why", "left")):  # fmt: skip
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for e in result.entries:
        table.add_row(str(e.entry.row), e.local_start.strftime("%a %Y-%m-%d %H:%M"), e.entry.role,
                      show_time(e.billed), e.time_class.name.replace("_", " "), money(e.amount),
                      "; ".join(c.detail for c in e.charges))  # fmt: skip
    console.print(table)
    if result.blocks:
        blocks = Table(box=None, header_style="bold", pad_edge=False, title="block hours", title_justify="left")
        for name in ("month", "block", "granted", "carried in", "used", "beyond", "expired", "left"):
            blocks.add_column(name, justify="left" if name in ("month", "block") else "right")
        for r in result.blocks:
            blocks.add_row(r.month, r.block, show_time(r.granted), show_time(r.carried_in), show_time(r.used), show_time(r.overage),
                           show_time(r.expired), show_time(r.remaining))  # fmt: skip
        console.print(blocks)
    for kind, amount in result.totals_by_kind().items():
        console.print(f"{kind:<12} {money(amount):>14}")
    console.print(f"[bold]{'total':<12} {money(result.total):>14}[/bold]  "
                  f"({len(result.entries)} of {result.rows_read} rows billed)")  # fmt: skip
    if output:
        emit(console.export_text(), output)


# ------------------------------------------------------------------------------------- profiles


def load_profile(ref: str, near: Any = ()) -> Any:
    """The profile of --profile: a file's only profile, or one by title among the profiles of
    `near` (sla.api.pick_profile); exits 2 with the reason when there is none."""
    from ..api import SEVERAL_DOCUMENTS, pick_profile

    try:
        return pick_profile(ref, near, load=load_or_exit)
    except SlaError as exc:
        d = exc.diagnostics[0]
        if d.code == SEVERAL_DOCUMENTS:
            fail(f"--profile: {d.message}; give one's title instead")
        fail(f"--profile: {d.message}" + (f"; {d.hint}" if d.hint else ""))


def _warn(warnings: list[Any]) -> None:
    if warnings:
        print_diagnostics(warnings, {}, err=True)


# ------------------------------------------------------------------------------------- estimate


@click.command()
@click.argument("path", type=click.Path())
@_PROFILE
@click.option("--json", "as_json", is_flag=True, help="Print the estimate as JSON (money as strings).")
@_YEARS
@_SEED
@click.option("--agreement", "wanted", help="The agreement's id or title, when the file holds several.")
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
        result = run(agreement, profile, years=years, seed=seed)
    except SlaError as exc:
        _or_exit(exc)
    _warn(result.warnings)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_estimate(result.to_dict())


def _print_estimate(r: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..pricing import format_money

    def money(text: str) -> str:
        return format_money(Decimal(text), r["currency"])

    console = Console(highlight=False)
    console.print(f"[bold]{r['title']}[/bold] ({r['agreement']}), {r['model'].replace('_', '-')}, "
                  f"under \"{r['profile']}\"")  # fmt: skip
    e, sim = r["expected"], r["simulation"]
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("expected")
    table.add_column("per month", justify="right")
    table.add_column("per year", justify="right")
    monthly_work = Decimal(e["monthly_work"])
    table.add_row("fees", money(e["monthly_fees"]), money(str(Decimal(e["monthly_fees"]) * 12)))
    table.add_row(f"incident work ({e['incidents_per_year']} incidents a year)", money(e["monthly_work"]),
                  money(str(monthly_work * 12)))  # fmt: skip
    table.add_row("[bold]cost[/bold]", f"[bold]{money(e['monthly'])}[/bold]", f"[bold]{money(e['annual'])}[/bold]")
    table.add_row(f"downtime ({e['downtime_hours_per_year']} hours a year)", "",
                  money(e["downtime_cost_per_year"]))  # fmt: skip
    table.add_row("cost with downtime", "", money(e["annual_total"]))
    console.print(table)
    if r["downtime_basis"]:
        console.print(f"downtime per P1: {r['downtime_basis']}")
    console.print(f"total cost of ownership over {r['term']['months']} months: {money(r['term']['total_cost_of_ownership'])} "
                  f"(fees {money(r['term']['fees'])})")  # fmt: skip
    a = sim["annual"]
    console.print(f"\nsimulated {sim['years']:,} years (seed {sim['seed']}), annual cost:")
    stats = Table(box=None, show_header=False, pad_edge=False)
    stats.add_column("statistic")
    stats.add_column("annual cost", justify="right")
    for label, key in (("mean", "mean"), ("P50", "p50"), ("P90", "p90"), ("P95", "p95"), ("P99", "p99"),
                       ("standard deviation", "std"), ("worst month", "worst_month")):  # fmt: skip
        stats.add_row(label, money(a[key]))
    stats.add_row("coefficient of variation", f"{a['cv']:.1%} (monthly {a['monthly_cv']:.1%})")
    console.print(stats)
    if not e["exact"]:
        console.print("the expectation is simulated: block hours make overage depend on the whole month")
    for note in r["notes"]:
        console.print(f"note: {note}")


# ------------------------------------------------------------------------------------- compare


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_PROFILE
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON (money as strings).")
@click.option("--chart", type=click.Path(), help="Write an SVG (or PNG, PDF) of the annual cost distributions.")
@_YEARS
@_SEED
def compare(paths: tuple[str, ...], profile_ref: str, as_json: bool, chart: str | None, years: int,
            seed: int) -> None:  # fmt: skip
    """Compare agreements side by side under one workload profile.

    For each: expected and P90 annual cost, monthly volatility, downtime hours and cost, the
    total cost of ownership over its term. For each pair: the probability that one costs more
    than the other in a year (downtime included, on the same simulated workload) and the
    break-even incident volume. Ends with a recommendation and the numbers behind it.
    """
    from ..api import compare as run
    from ..compare import recommendation

    if len(paths) < 2:
        fail("give at least two agreements to compare")
    files = [load_or_exit(p) for p in paths]
    profile = load_profile(profile_ref, files)
    agreements = [pick_agreement(f, None) for f in files]
    try:
        result = run(agreements, profile, years=years, seed=seed)
    except SlaError as exc:
        currencies = [d for d in exc.errors if d.code == "SLA501"]
        if currencies:  # the profile fits each offer, but the offers cannot be set side by side
            _warn([d for d in exc.diagnostics if not d.is_error])
            fail(currencies[0].message, EXIT_PROBLEMS)
        _or_exit(exc)
    _warn(result.warnings)
    if chart:
        from ..compare import chart as draw

        try:
            draw(result, chart)
        except OSError as exc:
            fail(f"cannot write {chart!r}: {exc.strerror}")
        except ValueError as exc:
            fail(f"--chart: {exc}")
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_comparison(result)
    click.echo("\n" + recommendation(result))


def _print_comparison(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..pricing import format_money

    def money(amount: Decimal) -> str:
        return format_money(amount, result.currency)

    console = Console(highlight=False)
    console.print(f"under \"{result.profile}\", {result.years:,} simulated years (seed {result.seed}), {result.currency}")
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("")
    for o in result.offers:
        table.add_column(f"{o.name}\n{o.model.replace('_', '-')}", justify="right")
    rows = [
        ("expected annual cost", lambda o: money(o.expected.annual)),
        ("P90 annual cost", lambda o: money(o.annual.p90)),
        ("monthly volatility (CV)", lambda o: f"{o.annual.monthly_cv:.1%}"),
        ("annual volatility (CV)", lambda o: f"{o.annual.cv:.1%}"),
        ("worst month", lambda o: money(o.annual.worst_month)),
        ("downtime hours a year", lambda o: f"{float(o.expected.downtime_hours_year):.1f}"),
        ("downtime cost a year", lambda o: money(o.expected.annual_downtime)),
        ("expected cost with downtime", lambda o: money(o.expected.annual_total)),
        ("P90 cost with downtime", lambda o: money(o.total.p90)),
        ("total cost of ownership", lambda o: f"{money(o.tco)} ({o.term_months} months)"),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(o) for o in result.offers))
    console.print(table)
    for pair in result.pairs:
        console.print(pair.sentence(result.currency))
