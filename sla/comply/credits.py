"""Service credits of a month: availability tiers and missed targets, in the agreement's currency, capped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, localcontext

from .. import model as m
from ..instants import month_first_day, month_label
from ..money import WIDE, round_money
from ..pricing import monthly_fees
from ..reference import minor_digits
from .report import Availability, CreditLine, Credits, RollingCap

FeeTable = Callable[[], tuple[dict[str, Decimal], Decimal]]  # (monthly fee per service, monthly total)


def credits(
    agreement: m.Agreement,
    month: int,
    availability: list[Availability],
    breaches: dict[tuple[str, str], int],
    unmeasured: dict[tuple[str, str], str] | None = None,
) -> Credits:
    """The credits owed for a month: a line per availability tier fallen below (in the month that
    completes the measurement period) and per missed target with a credit, then the cap.
    `breaches` counts the month's breaches by (target, priority); `unmeasured` names the targets
    the data could not measure, with why: their credits are lines that cannot be computed, and
    the credits owed may then be understated."""
    with localcontext(WIDE):  # products and sums of amounts keep every digit
        return _credits(agreement, month, availability, breaches, unmeasured or {})


def _credits(
    agreement: m.Agreement,
    month: int,
    availability: list[Availability],
    breaches: dict[tuple[str, str], int],
    unmeasured: dict[tuple[str, str], str],
) -> Credits:
    c = agreement.credits
    digits = minor_digits(agreement.currency) if agreement.currency else 2
    zero = round_money(Decimal(0), digits)
    if c is None:
        return Credits([], zero, None, None, None, zero, False)
    fees: list[tuple[dict[str, Decimal], Decimal]] = []

    def fee_table() -> tuple[dict[str, Decimal], Decimal]:
        if not fees:  # priced only when a line or the cap needs it
            fees.append(monthly_fees(agreement, on=month_first_day(month)))
        return fees[0]

    lines = _availability_lines(c, availability, fee_table, digits, zero)
    lines += _breach_lines(c, breaches, digits, unmeasured)
    total = zero
    for line in lines:
        if line.amount is not None:
            total += line.amount
    cap = monthly = None
    if c.cap is not None:
        monthly = fee_table()[1]
        cap = round_money((monthly * c.cap).scaleb(-2), digits)
    owed = min(total, cap) if cap is not None else total
    understated = any(line.amount is None for line in lines)
    return Credits(lines, total, c.cap, monthly, cap, owed, cap is not None and total > cap, understated)


def roll(
    agreement: m.Agreement,
    month: int,
    owed: Credits,
    earlier: Callable[[int], Decimal],
    fee: Callable[[int], Decimal],
    data_from: int,
) -> Credits:
    """A month's credits under `cap P% of fees over N months` (LANGUAGE.md, "Rolling cap"): the
    credit owed after the monthly cap is cut to what is left of P% of the recurring fees of the N
    months up to this one after the credits owed in the N - 1 months before it (`earlier`, each
    after its own cut: the months are rolled in order). Months before the agreement's start, or
    before `data_from` (the first month the data measured), count as no fee and no credit.
    `fee` is the agreement's total monthly recurring fee in a month."""
    c = agreement.credits
    assert c is not None and c.rolling_cap is not None and c.rolling_months
    digits = minor_digits(agreement.currency) if agreement.currency else 2
    zero = round_money(Decimal(0), digits)
    first = month - c.rolling_months + 1
    start = agreement.start.year * 12 + agreement.start.month - 1 if agreement.start else None
    counted_from = max(data_from, start) if start is not None else data_from
    counted = range(max(first, counted_from), month + 1)
    with localcontext(WIDE):
        fees = sum((fee(k) for k in counted), zero)
        allowance = round_money((fees * c.rolling_cap).scaleb(-2), digits)
        before = sum((earlier(k) for k in counted if k < month), zero)
        left = max(allowance - before, zero)
        cut = min(owed.owed, left)
    uncounted = []
    lo = first
    if start is not None and lo < start:
        uncounted.append((lo, min(start - 1, month), "before the start of the agreement"))
        lo = start
    if lo < data_from and lo <= month:
        uncounted.append((lo, min(data_from - 1, month), "outside the data measured"))
    rolling = RollingCap(
        c.rolling_cap,
        c.rolling_months,
        month_label(first),
        month_label(month),
        fees,
        allowance,
        before,
        left,
        owed.owed,
        cut < owed.owed,
        tuple((month_label(a), month_label(b), why) for a, b, why in uncounted),
    )
    return replace(owed, owed=cut, rolling=rolling)


def _availability_lines(
    c: m.Credits, availability: list[Availability], fee_table: FeeTable, digits: int, zero: Decimal
) -> list[CreditLine]:
    lines = []
    for av in availability:
        if not av.complete or av.met is not False:
            continue
        own = [t for t in c.tiers if t.service == av.service]
        tiers = own or [t for t in c.tiers if t.service is None]
        # The lowest tier whose threshold the measured value is below (exactly: not the cut figure).
        below = [
            t
            for t in tiers
            if (av.period_us - av.excluded_us - av.downtime_us) * 100
            < t.below * (av.period_us - av.excluded_us)
        ]
        if not below:
            continue
        tier = min(below, key=lambda t: t.below)
        fee = fee_table()[0].get(av.service, zero)
        amount = round_money((fee * tier.credit).scaleb(-2), digits)
        lines.append(
            CreditLine(
                "availability",
                av.service,
                f"{av.measured}% is below {tier.below}%: {tier.credit}% of the monthly fee {fee:,f}",
                None,
                tier.credit,
                fee,
                amount,
            )
        )
    return lines


def _breach_lines(
    c: m.Credits, counted: dict[tuple[str, str], int], digits: int, unmeasured: dict[tuple[str, str], str]
) -> list[CreditLine]:
    lines = []
    for bc in c.breaches:
        why = unmeasured.get((bc.target, bc.priority))
        if why is not None:
            detail = f"not computable: {bc.priority} {bc.target} not measured ({why})"
            lines.append(CreditLine(bc.target, bc.priority, detail, None, None, bc.amount.amount, None, why))
            continue
        n = counted.get((bc.target, bc.priority), 0)
        if not n:
            continue
        each = bc.amount.amount
        amount = round_money(each * n, digits)
        lines.append(
            CreditLine(
                bc.target,
                bc.priority,
                f"{n} missed {bc.priority} {bc.target}{'s' if n != 1 else ''} x {each:,f}",
                n,
                None,
                each,
                amount,
            )
        )
    return lines


__all__ = ["credits", "roll"]
