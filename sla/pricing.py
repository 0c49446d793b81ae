"""Quotes: what an agreement's recurring, block and one-time fees cost, year by year, to the minor unit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import (
    Decimal,
)
from typing import Any, Literal

from . import codes
from . import model as m
from .codes import diagnostic, no_currency
from .diagnostics import Diagnostic, SlaError, Span
from .instants import months_elapsed
from .money import EXACT, WIDE, round_money, round_share, sum_money
from .reference import minor_digits
from .values import Duration, Money, Period, same_unit
from .words import plain


@dataclass(frozen=True)
class Line:
    """One line of a quote; `quantity x unit_price = amount`, always exactly.

    In a contract year, `quantity` is the number of invoices of the fee in that year and
    `unit_price` the amount of each invoice (units x price, increased, rounded); a billing period
    cut short by the end of the term is a line of its own with quantity 1. A one-time fee is
    one line with quantity 1. `detail` says in words why the amount is what it is.
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    detail: str
    #: What the line is, for renderers that word it themselves rather than read `description`:
    #: a recurring fee of a service, a block of prepaid hours, or a one-time fee.
    kind: Literal["recurring", "block", "once"] = "recurring"
    #: The service's title (else its name), or the one-time fee's name.
    title: str = ""
    frequency: m.Frequency | None = None
    block_hours: Duration | None = None
    #: (months billed, months in the period) of a billing period cut short by the end of the term.
    partial: tuple[int, int] | None = None


@dataclass(frozen=True)
class Band:
    """One band of a tiered fee: the units from `low` to `high` (None: no end) at `price` each.

    Volume tiers price every unit at the band the total quantity reaches: that band `applies`
    and holds all `units`. Graduated tiers price each band's units at its price: `units` is the
    band's share of the quantity (0 for a band the quantity does not reach). `amount` is
    `units x price`, exact: a line is rounded once, never band by band.
    """

    low: int
    high: int | None
    price: Decimal
    applies: bool
    units: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Fee:
    """What one recurring fee is made of, before any increase; the lines of each year say what
    it costs then. `unit` is the unit the fee is priced per, as the fee writes it (`user`), and
    `counted` as the service's quantity writes it (`users`); both are None for a flat fee, which
    ignores the quantity. `price` is the price of one unit (for volume tiers, that of the band
    that applies; for graduated tiers None: see `bands`), or the flat fee."""

    service: str
    title: str
    frequency: m.Frequency
    unit: str | None
    counted: str | None
    quantity: Decimal | None
    price: Decimal | None
    tiers: Literal["volume", "graduated"] | None
    bands: tuple[Band, ...]
    #: One invoice before any increase, exact and as invoiced (rounded half up).
    exact: Decimal
    invoice: Decimal


@dataclass(frozen=True)
class Block:
    """A block of prepaid hours and how work draws on it (docs/pricing.md, `bill`): the work of
    each role of `roles` draws its billed time times the multiplier of when it starts; time the
    block does not cover is billed at the `overage` role's rate (`overage_price`), or without an
    overage role at the rate of the role that did the work. Unused hours stay for `rollover`
    (None: to the end of the block's own period)."""

    hours: Duration
    price: Decimal
    invoice: Decimal
    frequency: m.Frequency
    rollover: Period | None
    overage: str | None
    overage_price: Decimal | None
    roles: tuple[str, ...]


@dataclass(frozen=True)
class YearQuote:
    """One contract year (1-based); the last one is short when the term is not whole years."""

    year: int
    months: int
    lines: list[Line]
    total: Decimal


@dataclass(frozen=True)
class Quote:
    """What an agreement costs. `one_time` fees are billed in year 1 but kept out of the year
    totals, so `term_total = one_time_total + sum(year totals)`.

    `monthly_recurring` is the first month: the first invoice of every monthly fee plus the
    monthly share of each quarterly and yearly invoice (that invoice / 3 or / 12, rounded half
    up), before any increase and without one-time fees.
    """

    currency: str
    one_time: list[Line]
    one_time_total: Decimal
    years: list[YearQuote]
    monthly_recurring: Decimal
    term_total: Decimal
    #: What each recurring fee and each block is made of, in the order of the fees.
    recurring: tuple[Fee, ...] = ()
    blocks: tuple[Block, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, what `sla price --json` prints: money and quantities as strings."""
        return to_dict(self)


@dataclass(frozen=True)
class _Charge:
    """A recurring fee or block before increases: the exact, unrounded amount of one invoice."""

    description: str
    frequency: m.Frequency
    amount: Decimal
    detail: str
    kind: Literal["recurring", "block"]
    title: str
    block_hours: Duration | None = None
    #: The fee's terms (a recurring fee), or the block's (a block).
    terms: Fee | Block | None = None


def quote(agreement: m.Agreement, units: Mapping[str, Decimal] | None = None) -> Quote:
    """Price an agreement over its term; raises SlaError when it cannot be priced.

    `units` (such as a profile's `users 85`) replaces the quantity of each service counted in
    that unit; a unit is matched singular or plural (`user` and `users`).
    """
    currency, months, fees = _priceable(agreement)
    digits = minor_digits(currency)
    charges = _charges(agreement, fees, currency, units)
    one_time = [_one_time_line(fee, currency, digits) for fee in fees.once]
    years = [_year(charges, year, length, fees.increase, digits) for year, length in _contract_years(months)]
    one_time_total = sum_money((line.amount for line in one_time), digits)
    return Quote(
        currency=currency,
        one_time=one_time,
        one_time_total=one_time_total,
        years=years,
        monthly_recurring=_first_month(charges, digits),
        term_total=sum_money([one_time_total, *(y.total for y in years)], digits),
        recurring=tuple(c.terms for c in charges if isinstance(c.terms, Fee)),
        blocks=tuple(c.terms for c in charges if isinstance(c.terms, Block)),
    )


def monthly_fees(
    agreement: m.Agreement, on: date | None = None, units: Mapping[str, Decimal] | None = None
) -> tuple[dict[str, Decimal], Decimal]:
    """The monthly recurring fee in force on the day `on` (default: the first month), per service
    with a recurring fee, and the agreement's total (blocks included).

    The contract year of `on` counts from the agreement's start and sets the yearly increase; a
    quarterly or yearly invoice counts as its monthly share (/ 3, / 12, rounded half up). These
    are the fees that percent credits and their cap are taken of.
    """
    currency, _, fees = _priceable(agreement)
    digits = minor_digits(currency)
    year = 1
    if on is not None and agreement.start is not None and on >= agreement.start:
        year += months_elapsed(agreement.start, on) // 12
    factor = _factor(fees.increase, year)
    per_service: dict[str, Decimal] = {}
    total = round_money(Decimal(0), digits)
    for fee, charge in zip([*fees.recurring, *fees.blocks], _charges(agreement, fees, currency, units)):
        invoice = round_money(EXACT.multiply(charge.amount, factor), digits)
        period = m.FREQUENCY_MONTHS[charge.frequency]
        monthly = invoice if period == 1 else round_share(invoice, period, digits)
        if isinstance(fee, m.RecurringFee):
            per_service[fee.service] = EXACT.add(
                per_service.get(fee.service, round_money(Decimal(0), digits)), monthly
            )
        total = EXACT.add(total, monthly)
    return per_service, total


def _charges(
    a: m.Agreement, fees: m.Fees, currency: str, units: Mapping[str, Decimal] | None
) -> list[_Charge]:
    charges = [_recurring_charge(a, fee, currency, units or {}) for fee in fees.recurring]
    digits = minor_digits(currency)
    rates: dict[str, Decimal] = {}
    for rate in fees.rates:
        rates.setdefault(rate.role, rate.price.amount)  # the first of a role wins, as in billing
    return charges + [_block_charge(block, fees.blocks, rates, currency, digits) for block in fees.blocks]


# --- what a quote needs -------------------------------------------------------------------------


def _priceable(a: m.Agreement) -> tuple[str, int, m.Fees]:
    """The currency, the term in months and the fees; every missing one is reported at once."""
    problems: list[Diagnostic] = []
    if not a.currency:
        problems.append(no_currency(a.span))
    months = _term_months(a, problems)
    fees = a.fees
    # A rate card alone (break-fix) quotes to zero: its work is billed as it is done.
    if fees is None or not (fees.recurring or fees.blocks or fees.once or fees.rates):
        problems.append(
            diagnostic(
                "SLA203",
                "the agreement has no recurring, block or one-time fee or rate to quote",
                a.where("fees") if fees else a.span,
                "add `recurring SERVICE 45.00 per user monthly` to the fees; rates "
                "are charged as work is done and are not part of a quote",
            )
        )
    if problems:
        raise SlaError(problems)
    assert a.currency and months and fees  # narrowed by the problems above
    return a.currency, months, fees


def _term_months(a: m.Agreement, problems: list[Diagnostic]) -> int | None:
    if a.term is None:
        problems.append(
            diagnostic(
                "SLA202",
                "the agreement states no term, so there is no period to quote",
                a.span,
                "add `term 36 months`",
            )
        )
        return None
    months = a.term.months
    if months is None:
        # Fees are billed by months, quarters and years; a term in days or weeks does not say
        # how many invoices fall in it, and guessing would put a wrong total in a quote.
        near = max(1, round(a.term.approx_days / Decimal("30.4375")))
        problems.append(
            diagnostic(
                "SLA202",
                f"a term of {a.term} cannot be quoted: a quote counts months",
                a.where("term"),
                f"write `term {near} months`",
            )
        )
        return None
    if months <= 0:
        problems.append(
            diagnostic(
                "SLA202",
                f"a term of {a.term} has nothing to bill",
                a.where("term"),
                "write a term of at least one month",
            )
        )
        return None
    return months


def _amount(money: Money, currency: str, span: Span | None) -> Decimal:
    """The amount of a price; a foreign code is refused (the checks refuse it too, SLA106)."""
    if money.currency is not None and money.currency != currency:
        raise codes.error(
            "SLA204",
            f"{money} is not in the agreement's currency {currency}",
            span,
            "sla never converts currencies: write the amount in " + currency,
        )
    return money.amount


# --- recurring fees and blocks ------------------------------------------------------------------


def _recurring_charge(
    a: m.Agreement, fee: m.RecurringFee, currency: str, units: Mapping[str, Decimal]
) -> _Charge:
    service = a.service(fee.service)
    title = service.title if service and service.title else fee.service
    description = f"{title} ({fee.frequency})"
    price = _amount(fee.price, currency, fee.span)

    digits = minor_digits(currency)

    def charge(
        amount: Decimal,
        detail: str,
        quantity: Decimal | None = None,
        each: Decimal | None = price,
        bands: tuple[Band, ...] = (),
    ) -> _Charge:
        terms = Fee(
            fee.service,
            title,
            fee.frequency,
            fee.unit,
            ((service.unit if service else None) or fee.unit) if fee.unit else None,
            quantity,
            each,
            fee.tiers.kind if fee.tiers else None,
            bands,
            amount,
            round_money(amount, digits),
        )
        return _Charge(description, fee.frequency, amount, detail, "recurring", title, terms=terms)

    if fee.unit is None:
        if fee.tiers is not None:
            raise codes.error(
                "SLA204",
                f"the fee for {fee.service!r} has tiers but no unit to count",
                fee.span,
                "write `per UNIT` before the frequency, such as `per user`",
            )
        return charge(price, f"flat fee {_show(price)}")
    counted = next((q for unit, q in units.items() if same_unit(unit, fee.unit)), None)
    if counted is not None and service is not None:
        service = service.model_copy(update={"quantity": counted})
    if service is None or service.quantity is None:
        raise codes.error(
            "SLA204",
            f"the fee for {fee.service!r} is per {fee.unit}, but no quantity of the service is stated",
            fee.span,
            f"add `quantity 10 {fee.unit}s` to service {fee.service!r}",
        )
    quantity = service.quantity
    counted_units = _units(quantity, service.unit or fee.unit, fee.unit)
    if fee.tiers is None:
        amount = EXACT.multiply(quantity, price)
        return charge(amount, f"{counted_units} x {_show(price)} = {_show(amount)}", quantity)
    bands = [(band, _amount(band.price, currency, band.span)) for band in fee.tiers.bands]
    if fee.tiers.kind == "volume":
        amount, detail, priced = _volume(quantity, counted_units, bands, fee)
        each = next((b.price for b in priced if b.applies), None)
    else:
        amount, detail, priced = _graduated(quantity, counted_units, bands, fee)
        each = None
    return charge(amount, detail, quantity, each, priced)


def _volume(
    quantity: Decimal, units: str, bands: list[tuple[m.Tier, Decimal]], fee: m.RecurringFee
) -> tuple[Decimal, str, tuple[Band, ...]]:
    """Every unit at the price of the band the total quantity reaches."""
    if quantity <= 0:
        return Decimal(0), f"{units}: nothing to charge", _unpriced(bands)
    for band, price in bands:
        # A band LOW-HIGH holds the quantities above LOW - 1 up to HIGH, so a fractional
        # quantity (2.5 TB) between two whole-number bands belongs to the upper one.
        if band.low - 1 < quantity and (band.high is None or quantity <= band.high):
            amount = EXACT.multiply(quantity, price)
            priced = tuple(
                Band(b.low, b.high, p, True, quantity, amount)
                if b is band
                else Band(b.low, b.high, p, False, Decimal(0), Decimal(0))
                for b, p in bands
            )
            detail = f"{units} x {_show(price)} (volume tier {_label(band)}) = {_show(amount)}"
            return amount, detail, priced
    raise codes.error(
        "SLA204",
        f"no tier of the fee for {fee.service!r} holds {units}",
        fee.span,
        "make the tiers start at 1 and end with an open tier such as `201+: ...`",
    )


def _graduated(
    quantity: Decimal, units: str, bands: list[tuple[m.Tier, Decimal]], fee: m.RecurringFee
) -> tuple[Decimal, str, tuple[Band, ...]]:
    """Each band's units at that band's price.

    Each band is a separate computation, kept exact; the line amount is their sum, rounded once
    per line (by the caller, as an invoice line), never band by band.
    """
    if quantity <= 0:
        return Decimal(0), f"{units}: nothing to charge", _unpriced(bands)
    amount, counted, parts = Decimal(0), Decimal(0), []
    priced: list[Band] = []
    for band, price in bands:
        floor = Decimal(band.low - 1)
        top = quantity if band.high is None else min(quantity, Decimal(band.high))
        if top <= floor:
            priced.append(Band(band.low, band.high, price, False, Decimal(0), Decimal(0)))
            continue
        count = EXACT.subtract(top, floor)
        part = EXACT.multiply(count, price)
        priced.append(Band(band.low, band.high, price, True, count, part))
        amount, counted = EXACT.add(amount, part), EXACT.add(counted, count)
        shown = _label(band) if top < band.low else f"{band.low}-{_show(top)}"
        parts.append(f"{shown}: {_show(count)} x {_show(price)} = {_show(part)}")
    if counted != quantity:
        # Gaps leave units unpriced and overlaps price them twice; the checks refuse both
        # (SLA122), but a model that skipped them must not get a wrong price.
        raise codes.error(
            "SLA204",
            f"the tiers of the fee for {fee.service!r} price {_show(counted)} of {units}",
            fee.span,
            "make the tiers follow on from 1 without gaps or overlaps",
        )
    if len(parts) > 1:
        parts.append(f"together {_show(amount)}")
    return amount, "; ".join(parts), tuple(priced)


def _unpriced(bands: list[tuple[m.Tier, Decimal]]) -> tuple[Band, ...]:
    return tuple(Band(b.low, b.high, p, False, Decimal(0), Decimal(0)) for b, p in bands)


def _block_charge(
    block: m.BlockHours,
    blocks: tuple[m.BlockHours, ...],
    rates: dict[str, Decimal],
    currency: str,
    digits: int,
) -> _Charge:
    from .billing import block_for  # the rule of which work draws on which block is billing's

    price = _amount(block.price, currency, block.span)
    roles = tuple(role for role in rates if block_for(blocks, rates, role) is block)
    terms = Block(
        block.hours,
        price,
        round_money(price, digits),
        block.frequency,
        block.rollover,
        block.overage,
        rates.get(block.overage) if block.overage else None,
        roles,
    )
    return _Charge(
        f"Block of {block.hours} ({block.frequency})",
        block.frequency,
        price,
        f"{block.hours} prepaid for {_show(price)}",
        "block",
        f"Block of {block.hours}",
        block.hours,
        terms,
    )


def _units(quantity: Decimal, plural: str, singular: str) -> str:
    return f"{_show(quantity)} {singular if quantity == 1 else plural}"


def _label(band: m.Tier) -> str:
    return f"{band.low}+" if band.high is None else f"{band.low}-{band.high}"


# --- contract years -----------------------------------------------------------------------------


def _contract_years(months: int) -> list[tuple[int, int]]:
    """(year, months in it): whole years, then a short last year for the months left over."""
    whole, rest = divmod(months, 12)
    return [(n, 12) for n in range(1, whole + 1)] + ([(whole + 1, rest)] if rest else [])


def _year(charges: list[_Charge], year: int, months: int, increase: Decimal | None, digits: int) -> YearQuote:
    lines = [line for c in charges for line in _charge_lines(c, year, months, increase, digits)]
    return YearQuote(year, months, lines, sum_money((line.amount for line in lines), digits))


def _factor(increase: Decimal | None, year: int) -> Decimal:
    """(1 + p/100) ** (year - 1), exact: an increase compounds from the second contract year."""
    step = EXACT.add(Decimal(1), increase.scaleb(-2)) if increase else Decimal(1)
    factor = Decimal(1)
    for _ in range(year - 1):
        factor = EXACT.multiply(factor, step)
    return factor


def _charge_lines(
    charge: _Charge, year: int, months: int, increase: Decimal | None, digits: int
) -> list[Line]:
    """A charge's invoices in one contract year.

    The increase multiplies the exact base amount by the exact factor and only the result is
    rounded, so year n is round(base x (1 + p/100)^(n-1)), not a chain of rounded years.
    """
    factor = _factor(increase, year)
    exact = EXACT.multiply(charge.amount, factor)
    invoice = round_money(exact, digits)
    why = charge.detail
    if factor != 1:
        assert increase is not None
        why += f"; +{_show(increase)}% yearly increase, year {year} (x{_show(factor)}) = {_show(exact)}"
    period = m.FREQUENCY_MONTHS[charge.frequency]
    full, rest = divmod(months, period)
    lines = []
    if full:
        count = f"{full} {charge.frequency} invoice{'' if full == 1 else 's'}"
        lines.append(
            Line(
                charge.description,
                Decimal(full),
                invoice,
                EXACT.multiply(invoice, full),
                f"{why}{_rounding(exact, invoice)}; {count} of {_show(invoice)}",
                charge.kind,
                charge.title,
                charge.frequency,
                charge.block_hours,
            )
        )
    if rest:
        # The term ends inside a billing period: that period is billed for its months only,
        # pro rata, as one invoice line of its own.
        share = EXACT.multiply(invoice, rest)  # the period's invoice, pro rata (docs/pricing.md)
        part = round_share(share, period, digits)
        tie = "" if EXACT.multiply(part, period) == share else ", rounded half up"
        lines.append(
            Line(
                f"{charge.description}, last {rest} of {period} months",
                Decimal(1),
                part,
                part,
                f"{why}{_rounding(exact, invoice)}; the invoice of {_show(invoice)} x {rest}/{period} "
                f"for the {rest} months left in the term = {_show(part)}{tie}",
                charge.kind,
                charge.title,
                charge.frequency,
                charge.block_hours,
                (rest, period),
            )
        )
    return lines


def _first_month(charges: list[_Charge], digits: int) -> Decimal:
    """The first month's invoices of monthly fees, plus each other fee's first invoice divided
    by the months it covers: a monthly figure to compare offers and to cap credits with."""
    shares = []
    for charge in charges:
        invoice = round_money(charge.amount, digits)
        period = m.FREQUENCY_MONTHS[charge.frequency]
        shares.append(invoice if period == 1 else round_share(invoice, period, digits))
    return sum_money(shares, digits)


# --- one-time fees ------------------------------------------------------------------------------


def _one_time_line(fee: m.OneTimeFee, currency: str, digits: int) -> Line:
    price = _amount(fee.price, currency, fee.span)
    amount = round_money(price, digits)
    return Line(
        fee.title or fee.name,
        Decimal(1),
        amount,
        amount,
        f"one-time fee {_show(price)}{_rounding(price, amount)}, billed in year 1",
        "once",
        fee.title or fee.name,
    )


# --- exact arithmetic and rounding --------------------------------------------------------------


def _rounding(exact: Decimal, rounded: Decimal) -> str:
    """Words for the rounding of a line; nothing when no digit was dropped."""
    return "" if exact == rounded else f", rounded half up to {_show(rounded)}"


def _show(value: Decimal) -> str:
    """A number for the words of a detail: thousands separated, never in exponent notation, with
    the trailing zeros of an exact product trimmed down to those of a price (3,502.0000 ->
    3,502.00; 1.0609 and 85 stay as they are)."""
    trimmed = value.normalize(WIDE)
    if _exponent(value) <= -2 < _exponent(trimmed):
        trimmed = trimmed.quantize(Decimal("0.01"), context=WIDE)
    return f"{trimmed:,f}"


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # amounts are finite
    return exponent


# --- output -------------------------------------------------------------------------------------


def to_dict(q: Quote) -> dict[str, Any]:
    """JSON-ready data: money and quantities as strings, so no amount passes through a float."""
    return {
        "currency": q.currency,
        "monthly_recurring": plain(q.monthly_recurring),
        "one_time": [_line_dict(line) for line in q.one_time],
        "one_time_total": plain(q.one_time_total),
        "years": [
            {
                "year": y.year,
                "months": y.months,
                "lines": [_line_dict(line) for line in y.lines],
                "total": plain(y.total),
            }
            for y in q.years
        ],
        "term_total": plain(q.term_total),
    }


def _line_dict(line: Line) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": plain(line.quantity),
        "unit_price": plain(line.unit_price),
        "amount": plain(line.amount),
        "detail": line.detail,
    }


__all__ = ["Band", "Block", "Fee", "Line", "Quote", "YearQuote", "quote", "to_dict"]
