"""Service credits of a month: availability tiers and missed targets, in the agreement's currency, capped."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext

from .. import model as m
from ..instants import month_first_day
from ..money import WIDE, round_money
from ..pricing import monthly_fees
from ..reference import minor_digits
from .report import Availability, CreditLine, Credits

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


__all__ = ["credits"]
