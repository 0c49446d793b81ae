"""`sla price`: the quote of an agreement, as a table or as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..diagnostics import SlaError
from .common import AGREEMENT, emit, load_or_exit, pick_agreement, problems

if TYPE_CHECKING:
    from decimal import Decimal

    from ..model import Agreement
    from ..pricing import Quote


@click.command()
@click.argument("path", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the quote as JSON (money as strings).")
@AGREEMENT
def price(path: str, as_json: bool, wanted: str | None) -> None:
    """Quote an agreement: one-time fees, the first month, each contract year and the term.

    Every invoice line is rounded to the currency's minor unit, half up; a yearly increase
    compounds from the second contract year.
    """
    from ..api import price as quote

    agreement = pick_agreement(load_or_exit(path), wanted)
    try:
        q = quote(agreement)
    except SlaError as exc:
        problems(exc.diagnostics)
    if as_json:
        from ..jsonout import to_json

        emit(to_json(q.to_dict()), None)
        return
    _print_quote(agreement, q)


def _print_quote(agreement: Agreement, q: Quote) -> None:
    from ..words import money
    from .terminal import console, line, styled, table

    def amount(value: Decimal) -> str:
        return money(value, q.currency)

    screen = console()
    screen.print(line((agreement.title, "bold"), f" ({agreement.id or 'no id'}), {q.currency}"))
    recurring = any(year.lines for year in q.years)
    if not recurring and not q.one_time:
        # A rate card alone: a table of zero year totals would say nothing, and wrongly.
        screen.print("There is no recurring fee and no one-time fee: work is billed as it is done.")
        _print_rates(agreement, q.currency)
        return
    t = table("year", "line", "amount", "why", right=("amount",))
    for item in q.one_time:
        t.add_row("once", item.description, amount(item.amount), item.detail)
    for year in q.years if recurring else ():
        label = f"{year.year}" + (f" ({year.months} months)" if year.months != 12 else "")
        for item in year.lines:
            t.add_row(label, item.description, amount(item.amount), item.detail)
            label = ""
        t.add_row("", styled("year total", "bold"), styled(amount(year.total), "bold"), "")
    screen.print(t)
    if not recurring:
        screen.print("There is no recurring fee.")
    screen.print(f"one-time total   {amount(q.one_time_total)}")
    screen.print(f"first month      {amount(q.monthly_recurring)}")
    screen.print(styled(f"term total       {amount(q.term_total)}", "bold"))


def _print_rates(agreement: Agreement, currency: str) -> None:
    """The rates work is billed at, when they are all there is (`sla bill` bills a worklog)."""
    from ..words import money
    from .terminal import console, table

    fees = agreement.fees
    if fees is None or not fees.rates:
        return
    t = table("role", "per hour", "increment", "minimum", right=("per hour",))
    for rate in fees.rates:
        minimums = ", ".join(
            f"{x.duration} {x.location}" if x.location else str(x.duration) for x in rate.minimums
        )
        t.add_row(rate.role, money(rate.price.amount, currency), str(rate.increment or "-"), minimums or "-")
    console().print(t)
    console().print("sla bill PATH WORKLOG bills a worklog (CSV) at these rates.")
