"""What an agreement costs a customer under a workload profile: expected, simulated, compared.

The cost model (docs/pricing.md states every formula): incidents of each priority arrive as a
Poisson process at the profile's monthly rate, cut by `prevention` under a managed agreement.
Each incident takes hands-on effort drawn from a lognormal distribution with the profile's mean
and `spread` as its coefficient of variation, starts after hours with the `after_hours` share
and needs a visit with the `onsite` share. What it costs follows the billing rules of
`sla.billing` exactly (increment, minimum, multiplier, callout, travel, materials, block hours),
and each P1 incident keeps the business down until its resolution deadline.

Money stays exact: every possible per-incident amount is computed once in Decimal and rounded
half up as an invoice line, then held as integer minor units; a simulation only adds integers.
The random draws are the only floats, and they never touch an amount.

The per-incident effort is discretised on a grid of 4,096 equally likely quantiles, and the
onsite, after-hours and prevention shares are resolved to 1/65,536: one 64-bit random integer
per incident carries all four draws. The analytic expectation is taken over the same grid, so
it is the exact mean of the distribution the simulation samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from . import model as m
from .billing import RateCard
from .codes import diagnostic, no_currency
from .diagnostics import Diagnostic, SlaError, did_you_mean
from .instants import SECOND
from .money import round_money
from .reference import minor_digits
from .targets import REAL_TIME, sample_starts
from .values import Close, Duration, same_unit
from .words import number, plain

if TYPE_CHECKING:
    import numpy as np

SLOTS = 1 << 16  # the resolution of the onsite, after-hours and prevention shares
EFFORT_SLOTS = 1 << 12  # equally likely effort quantiles: a table small enough for the cache
CHUNK_YEARS = 1024  # years per seeded batch: a batch is always drawn whole, so N years are a prefix of more
#: The most incidents a month a profile may expect: each is drawn one by one, so a batch of years
#: holds CHUNK_YEARS x 12 x this many draws (about 120 million, 1 GB) at the most.
MAX_INCIDENTS_A_MONTH = 10_000
DEFAULT_SPREAD = Fraction(1, 2)  # effort coefficient of variation when a profile states none
DEFAULT_BEST_EFFORT = {"response": Duration.of(days=1), "resolution": Duration.of(days=5)}
_SAMPLE_WEEKS, _SAMPLE_STEP = 8, timedelta(minutes=20)


def model_of(a: m.Agreement) -> str:
    """The agreement's service model, stated or read off its fees."""
    if a.model:
        return a.model
    fees = a.fees
    if fees and fees.recurring:
        return "managed"
    if fees and fees.blocks:
        return "block_hours"
    return "break_fix"


# --- the workload, resolved against one agreement -------------------------------------------------


@dataclass(frozen=True)
class PriorityCosts:
    """What one incident of a priority costs, slot by slot (integer minor units)."""

    name: str
    rate: Fraction  # incidents per month, before prevention
    charges: np.ndarray  # int32 [4 * EFFORT_SLOTS]: (onsite, after_hours) combination x effort slot
    block_ticks: np.ndarray | None  # int32 [4 * EFFORT_SLOTS] block time drawn, in ticks; None: no block
    downtime: int  # minor units per incident kept (P1 only)
    downtime_hours: Fraction

    @property
    def constant(self) -> int | None:
        """The charge of every incident when it does not depend on the draws (a managed
        agreement charges materials only), so a simulation need only count incidents."""
        if self.block_ticks is not None:
            return None
        first = int(self.charges[0])
        return first if bool((self.charges == first).all()) else None


@dataclass(frozen=True)
class Thresholds:
    """The shares as stated (for the expectation) and as counts of the 65,536 values of a
    16-bit draw (for the simulation, within 1/131,072 of the stated share)."""

    onsite_share: Fraction
    after_hours_share: Fraction
    keep_share: Fraction  # 1 - prevention under a managed agreement, else 1

    @property
    def onsite(self) -> int:
        return _slots(self.onsite_share)

    @property
    def after_hours(self) -> int:
        return _slots(self.after_hours_share)

    @property
    def keep(self) -> int:
        return _slots(self.keep_share)

    def share(self, name: str) -> Fraction:
        return getattr(self, f"{name}_share")  # type: ignore[no-any-return]


@dataclass
class CostModel:
    """One agreement under one profile, ready to estimate and simulate."""

    agreement: m.Agreement
    profile: m.Profile
    model: str
    currency: str
    digits: int
    monthly_fee: int  # minor units, first contract year (blocks included)
    priorities: list[PriorityCosts]
    thresholds: Thresholds
    term_months: int
    quote_total: Decimal | None  # the contract's fees over the term, from `sla price`
    block: _BlockPlan | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)  # e.g. a profile unit left out

    @property
    def unit(self) -> Decimal:
        return Decimal(1).scaleb(-self.digits)

    @property
    def term_fees(self) -> Decimal:
        """The contract's fees over the term, as `sla price` quotes them."""
        return self.quote_total if self.quote_total is not None else Decimal(0)

    def money(self, minor: Fraction | float) -> Decimal:
        """Minor units as an amount, rounded half up to the minor unit."""
        if isinstance(minor, float):
            minor = Fraction(minor)
        return round_money(Fraction(minor) / 10**self.digits, self.digits)


@dataclass(frozen=True)
class _BlockPlan:
    """The block that incident work draws from, in ticks (1/den minute)."""

    granted: int  # ticks per grant
    every: int  # months between grants
    keep: int  # months unused time may roll over
    overage_rate: Fraction  # money per tick
    den: int


def cost_model(agreement: m.Agreement, profile: m.Profile) -> CostModel:
    """Resolve a profile against an agreement; raises SlaError naming every mismatch."""
    problems: list[Diagnostic] = []
    if not agreement.currency:
        problems.append(no_currency(agreement.span))
        raise SlaError(problems)
    currency = agreement.currency
    kind = model_of(agreement)
    warnings: list[Diagnostic] = []
    _check_profile(agreement, profile, kind, problems, warnings)
    monthly = sum(profile.incidents.values(), Decimal(0)) / m.FREQUENCY_MONTHS[profile.incidents_frequency]
    if monthly > MAX_INCIDENTS_A_MONTH:
        problems.append(
            diagnostic(
                "SLA225",
                f"the profile expects {number(monthly)} incidents a month; the cost model simulates at most "
                f"{MAX_INCIDENTS_A_MONTH:,}",
                profile.where("incidents"),
                "describe the workload of one customer, or split it into several profiles",
            )
        )
    if problems:
        raise SlaError(problems)
    digits = minor_digits(currency)
    fee, quote_total, term = _fees(agreement, profile)
    card = RateCard(agreement) if agreement.fees and agreement.fees.rates else None
    covered = kind == "managed"
    plan = _block_plan(agreement, card) if card and agreement.fees and agreement.fees.blocks else None
    thresholds = Thresholds(
        onsite_share=_share(profile.onsite),
        after_hours_share=_share(profile.after_hours),
        keep_share=1 - (_share(profile.prevention) if kind == "managed" else Fraction(0)),
    )
    per_month = m.FREQUENCY_MONTHS[profile.incidents_frequency]
    spread = Fraction(profile.spread) / 100 if profile.spread is not None else DEFAULT_SPREAD
    notes = []
    if not covered and card is None and any(profile.incidents.values()):
        notes.append("the agreement has no rates, so incident work is not charged")
    downtime = _downtime(agreement, profile, digits)
    priorities = []
    try:
        for name, count in profile.incidents.items():
            effort = profile.effort.get(name)
            charges, ticks = _incident_table(
                card=None if covered else card,
                block_den=plan.den if plan else None,
                effort=effort.total_minutes if effort else 0,
                spread=spread,
                profile=profile,
                digits=digits,
            )
            hours, each = downtime if name == _p1(agreement) and downtime else (Fraction(0), 0)
            priorities.append(PriorityCosts(name, Fraction(count) / per_month, charges, ticks, each, hours))
    except OverflowError:
        priorities = []
    # Simulated months add incidents' costs as 64-bit integers of minor units: a month of the most
    # incidents at the dearest cost must fit, or the sums would wrap around without a word.
    dearest = max((int(pc.charges.max()) + pc.downtime for pc in priorities if pc.charges.size), default=0)
    if (profile.incidents and not priorities) or dearest * MAX_INCIDENTS_A_MONTH * 12 >= 2**62:
        raise SlaError(
            [
                diagnostic(
                    "SLA225",
                    "the profile's amounts are too large for the cost model to add up exactly",
                    profile.span,
                    "state efforts, downtime costs and materials a real incident could have",
                )
            ]
        )
    return CostModel(
        agreement,
        profile,
        kind,
        currency,
        digits,
        fee,
        priorities,
        thresholds,
        term,
        quote_total,
        plan,
        notes,
        warnings,
    )


def _share(percent: Decimal | None) -> Fraction:
    return Fraction(0) if percent is None else Fraction(percent) / 100


def _slots(share: Fraction) -> int:
    """A share as a count of the 65,536 equally likely values of a 16-bit draw."""
    return int(round_money(Fraction(share) * SLOTS, 0))


def _check_profile(
    a: m.Agreement, p: m.Profile, kind: str, problems: list[Diagnostic], warnings: list[Diagnostic]
) -> None:
    names = [x.name for x in a.priorities]
    for name in p.incidents:
        if a.priority(name) is None:
            problems.append(
                diagnostic(
                    "SLA220",
                    f"the profile counts incidents of priority {name!r}, "
                    f"which the agreement {a.id or a.title!r} does not have",
                    p.where("incidents"),
                    "its priorities are " + (", ".join(names) or "none"),
                )
            )
    units = _agreement_units(a)
    for unit in p.units:
        if any(same_unit(unit, u) for u in units):
            continue
        # A profile describes a customer, not one offer: a unit that only another offer counts
        # (`devices` beside a managed offer priced per user) is left out with a warning. One
        # that looks like a misspelt unit of the agreement would silently keep the agreement's
        # own quantity, a wrong number: that is an error.
        near = did_you_mean(unit, sorted(units))
        if near and unit.lower() not in {u.lower() for u in units}:
            problems.append(
                diagnostic(
                    "SLA221",
                    f"the profile counts {unit!r}, a unit the agreement "
                    f"{a.id or a.title!r} neither counts nor prices",
                    p.where("units"),
                    near,
                )
            )
        else:
            warnings.append(
                diagnostic(
                    "SLA221",
                    f"the profile counts {unit!r}, a unit the agreement "
                    f"{a.id or a.title!r} neither counts nor prices; it is left out",
                    p.where("units"),
                    "its units are " + (", ".join(sorted(units)) or "none"),
                    "warning",
                )
            )
    if kind != "managed":
        for name, count in p.incidents.items():
            if count and name not in p.effort:
                problems.append(
                    diagnostic(
                        "SLA222",
                        f"the profile has incidents of {name!r} but no "
                        "effort for them, so their work cannot be costed",
                        p.where("effort"),
                        f"add `{name} 1h` to the profile's effort",
                    )
                )
    travel = a.fees.travel if a.fees else None
    if travel and p.travel_unit and not same_unit(travel.unit, p.travel_unit):
        problems.append(
            diagnostic(
                "SLA223",
                f"the profile travels in {p.travel_unit!r} but the "
                f"agreement charges travel per {travel.unit!r}",
                p.where("travel_distance"),
                f"state the distance in {travel.unit}s",
            )
        )
    if p.downtime_cost is not None and p.downtime_cost.currency and p.downtime_cost.currency != a.currency:
        problems.append(_foreign(p, "downtime_cost", p.downtime_cost.currency, a))
    if p.materials is not None and p.materials.currency and p.materials.currency != a.currency:
        problems.append(_foreign(p, "materials", p.materials.currency, a))


def _foreign(p: m.Profile, field_name: str, currency: str, a: m.Agreement) -> Diagnostic:
    return diagnostic(
        "SLA224",
        f"the profile's {field_name.replace('_', ' ')} is in {currency}, "
        f"the agreement {a.id or a.title!r} in {a.currency}",
        p.where(field_name),
        "compare offers in one currency; there is no currency conversion",
    )


def _agreement_units(a: m.Agreement) -> set[str]:
    units = {s.unit for s in a.services if s.unit}
    if a.fees:
        units |= {f.unit for f in a.fees.recurring if f.unit}
    return units


def _fees(a: m.Agreement, p: m.Profile) -> tuple[int, Decimal | None, int]:
    """The first month's recurring fees (minor units), the term's fees from a quote, the term."""
    from .pricing import monthly_fees, quote

    fees = a.fees
    digits = minor_digits(a.currency or "EUR")
    term = a.term.months if a.term is not None and a.term.months else 12
    if fees is None or not (fees.recurring or fees.blocks or fees.once):
        return 0, Decimal(0).scaleb(-digits), term
    _, total = monthly_fees(a, units=p.units)
    q = quote(a, units=p.units)
    return int(total.scaleb(digits)), q.term_total, term


def _block_plan(a: m.Agreement, card: RateCard) -> _BlockPlan | None:
    """The block incident work draws from (that of the first rate's role), counted in ticks
    small enough that every multiplier gives a whole number of them per minute."""
    block = card.block_for(card.first_role)
    if block is None:
        return None
    factors = [Fraction(mu.factor) for mu in card.multipliers.values()] + [Fraction(1)]
    den = math.lcm(*(f.denominator for f in factors))
    overage = card.rates.get(block.overage or card.first_role, card.rates[card.first_role])
    every = m.FREQUENCY_MONTHS[block.frequency]
    keep = block.rollover.months or 0 if block.rollover else 0
    return _BlockPlan(
        block.hours.total_minutes * den, every, keep, Fraction(overage.price.amount) / 60 / den, den
    )


@lru_cache(maxsize=1)
def _normal_quantiles() -> np.ndarray:
    import numpy as np

    inv = NormalDist().inv_cdf
    return np.array([inv((j + 0.5) / EFFORT_SLOTS) for j in range(EFFORT_SLOTS)])


def effort_grid(mean: int, spread: Fraction) -> np.ndarray:
    """Hands-on minutes at 4,096 equally likely quantiles of a lognormal with this mean and
    coefficient of variation (its mean is the stated mean up to the grid's resolution)."""
    import numpy as np

    if mean <= 0:
        return np.zeros(EFFORT_SLOTS)
    if spread == 0:
        return np.full(EFFORT_SLOTS, float(mean))
    sigma2 = math.log1p(float(spread) ** 2)
    mu = math.log(mean) - sigma2 / 2
    return np.exp(mu + math.sqrt(sigma2) * _normal_quantiles())


def _incident_table(
    *,
    card: RateCard | None,
    block_den: int | None,
    effort: int,
    spread: Fraction,
    profile: m.Profile,
    digits: int,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per (onsite, after hours) combination and effort slot: the charges of one incident in
    minor units, and the block ticks it draws (when work draws from a block)."""
    import numpy as np

    markup = Fraction(card.markup) / 100 if card and card.markup else Fraction(0)
    materials = Fraction(profile.materials.amount) if profile.materials else Fraction(0)
    charges = np.zeros(4 * EFFORT_SLOTS, dtype=np.int64)
    ticks = np.zeros(4 * EFFORT_SLOTS, dtype=np.int64) if block_den else None
    materials_minor = int(round_money(materials * (1 + markup), digits).scaleb(digits)) if materials else 0
    if card is None:  # covered by the fee: only materials are charged
        charges += materials_minor
        return _small(charges), ticks
    rate = card.rates[card.first_role]
    grid = effort_grid(effort, spread)
    step = rate.increment.total_minutes if rate.increment and rate.increment.total_minutes else 1
    # whole increments, up from the worked time (a hair of float noise is not a started increment)
    steps = np.ceil(grid / step - 1e-9).astype(np.int64)
    after = card.multipliers.get("after_hours")
    factors = (Fraction(1), Fraction(after.factor) if after else Fraction(1))
    callout = Fraction(card.callout) if card.callout is not None else Fraction(0)
    travel = Fraction(0)
    if card.travel is not None and profile.travel_distance:
        travel = Fraction(profile.travel_distance) * Fraction(card.travel.price.amount)
    for onsite in (0, 1):
        location = "onsite" if onsite else "remote"
        floor = rate.minimum_for(location)  # type: ignore[arg-type]
        billed = np.maximum(steps * step, floor.total_minutes if floor else 0)
        values, inverse = np.unique(billed, return_inverse=True)
        extra = 0
        if onsite:
            extra = int(round_money(callout, digits).scaleb(digits)) + int(
                round_money(travel, digits).scaleb(digits)
            )
        for after_hours in (0, 1):
            factor = factors[after_hours]
            at = slice(
                (onsite * 2 + after_hours) * EFFORT_SLOTS, (onsite * 2 + after_hours + 1) * EFFORT_SLOTS
            )
            if ticks is not None and block_den is not None:
                ticks[at] = billed * int(factor * block_den)
                charges[at] = extra + materials_minor
                continue
            labour = np.array(
                [int(card.labour(rate, int(b), factor).scaleb(digits)) for b in values], dtype=np.int64
            )
            charges[at] = labour[inverse] + extra + materials_minor
    return _small(charges), None if ticks is None else _small(ticks)


def _small(table: np.ndarray) -> np.ndarray:
    """int32 when every value fits (a table that stays in the cache), else int64."""
    import numpy as np

    fits = table.size == 0 or (int(table.max()) < 2**31 and int(table.min()) >= -(2**31))
    return table.astype(np.int32) if fits else table


def _p1(a: m.Agreement) -> str | None:
    """The priority whose incidents stop the business: P1, else the first."""
    if a.priority("P1") is not None:
        return "P1"
    return a.priorities[0].name if a.priorities else None


# --- downtime -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DowntimeBasis:
    hours: Fraction
    how: str


def downtime_basis(a: m.Agreement, p: m.Profile) -> DowntimeBasis | None:
    """Expected wall-clock hours from the start of a P1 incident to its resolution."""
    name = _p1(a)
    if name is None:
        return None
    priority = a.priority(name)
    assert priority is not None
    resolution = priority.resolution
    if resolution is not None and resolution.length is not None and not resolution.best_effort:
        hours = _wall_hours(p, resolution.length, a.target_calendar(resolution), a.start)
        return DowntimeBasis(hours, f"{name} resolution {resolution.length}{_on(resolution.calendar)}")
    assumed = p.assume_best_effort.get("resolution")
    if assumed is not None:
        # a best-effort resolution and one the priority does not state at all alike
        # (docs/pricing.md: "with a best-effort or missing resolution")
        cal = a.target_calendar(resolution)
        state = "best effort" if resolution is not None else "not stated"
        hours = _wall_hours(p, assumed, cal, a.start)
        return DowntimeBasis(hours, f"{name} resolution is {state}; the profile assumes {assumed}")
    response = priority.response
    effort = p.effort.get(name)
    effort_hours = Fraction(effort.total_minutes, 60) if effort else Fraction(0)
    wait: Duration | Close
    if response is not None and response.length is not None and not response.best_effort:
        wait, said = response.length, f"{name} response {response.length}{_on(response.calendar)}"
    else:
        stated = response.duration if response is not None else None
        wait = p.assume_best_effort.get("response") or (
            Duration(0, stated.days * 2, stated.minutes * 2) if stated else DEFAULT_BEST_EFFORT["response"]
        )
        origin = (
            "the profile's assumption"
            if p.assume_best_effort.get("response")
            else "twice the stated aim"
            if stated
            else "the default assumption"
        )
        said = f"{name} response is best effort; {origin} of {wait}"
    hours = _wall_hours(p, wait, a.target_calendar(response), a.start) + effort_hours
    return DowntimeBasis(hours, f"{said}, then {number(effort_hours)}h of hands-on work")


def _on(calendar: str | None) -> str:
    return f" on {calendar}" if calendar else ""


def _wall_hours(
    p: m.Profile, target: Duration | Close, cal: m.Calendar | None, first: date | None
) -> Fraction:
    """Mean wall-clock hours to a deadline, over starts every 20 minutes for eight weeks from
    the agreement's start, weighted so that the profile's after-hours share start when closed."""
    from .clock import BusinessCalendar

    if (cal is None or cal.always) and isinstance(target, Duration):
        return Fraction(target.total_minutes, 60)
    engine = BusinessCalendar.of(cal or REAL_TIME)
    open_sum = closed_sum = Fraction(0)
    open_n = closed_n = 0
    for t in sample_starts(engine, [first or date(2027, 1, 4)], _SAMPLE_STEP, timedelta(weeks=_SAMPLE_WEEKS)):
        wall = Fraction((engine.deadline_us(t, target) - t) // SECOND, 3600)
        if engine.is_open(engine.from_us(t)):
            open_sum, open_n = open_sum + wall, open_n + 1
        else:
            closed_sum, closed_n = closed_sum + wall, closed_n + 1
    after = Fraction(p.after_hours or 0) / 100
    mean_open = open_sum / open_n if open_n else Fraction(0)
    mean_closed = closed_sum / closed_n if closed_n else mean_open
    return (1 - after) * mean_open + after * mean_closed


def _downtime(a: m.Agreement, p: m.Profile, digits: int) -> tuple[Fraction, int] | None:
    basis = downtime_basis(a, p)
    if basis is None or p.downtime_cost is None:
        return (basis.hours, 0) if basis else None
    each = round_money(basis.hours * Fraction(p.downtime_cost.amount), digits)
    return basis.hours, int(each.scaleb(digits))


# --- the analytic expectation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    monthly_fee: Decimal
    monthly_work: Decimal  # incident charges per month
    monthly_downtime: Decimal
    downtime_hours_year: Fraction
    incidents_year: Fraction
    exact: bool  # False when block hours make the mean a simulated one
    #: 12 x the expected downtime cost of a month, rounded once (docs/pricing.md): not 12 x the
    #: rounded monthly figure, which can be cents off
    annual_downtime: Decimal

    @property
    def monthly(self) -> Decimal:
        return self.monthly_fee + self.monthly_work

    @property
    def annual(self) -> Decimal:
        return self.monthly * 12

    @property
    def annual_total(self) -> Decimal:
        return self.annual + self.annual_downtime

    def total_cost_of_ownership(self, term_fees: Decimal, months: int, *, downtime: bool = True) -> Decimal:
        """The fees over the term plus the expected work, and downtime unless `downtime` is
        False (a `total_cost` requirement leaves it out), of each month of the term."""
        monthly = self.monthly_work + self.monthly_downtime if downtime else self.monthly_work
        return term_fees + monthly * months


def combo_weights(t: Thresholds) -> list[Fraction]:
    """P(onsite, after hours) for the four combinations, in table order."""
    on, ah = t.share("onsite"), t.share("after_hours")
    return [(1 - on) * (1 - ah), (1 - on) * ah, on * (1 - ah), on * ah]


def expected_per_incident(pc: PriorityCosts, t: Thresholds) -> Fraction:
    """The exact mean charge of one incident of a priority over the grid (minor units)."""
    weights = combo_weights(t)
    size = EFFORT_SLOTS
    return sum(
        (
            w * Fraction(int(pc.charges[c * size : (c + 1) * size].sum(dtype="int64")), size)
            for c, w in enumerate(weights)
        ),
        Fraction(0),
    )


def expect(cm: CostModel, scale: Fraction = Fraction(1)) -> Expectation:
    """The expected monthly cost; exact for managed and break-fix (up to the grid), simulated
    (20,000 years, seed 0) when work draws on block hours, whose overage is not linear."""
    keep = cm.thresholds.share("keep")
    work = downtime = Fraction(0)
    hours = incidents = Fraction(0)
    for pc in cm.priorities:
        rate = pc.rate * scale * keep
        incidents += rate * 12
        work += rate * expected_per_incident(pc, cm.thresholds)
        downtime += rate * pc.downtime
        hours += rate * 12 * pc.downtime_hours
    exact = cm.block is None
    if not exact:
        sim = simulate([cm], years=20_000, seed=0, scale=scale)[0]
        work = sim.annual.mean / 12 - cm.monthly_fee
    return Expectation(
        cm.money(cm.monthly_fee),
        cm.money(work),
        cm.money(downtime),
        hours,
        incidents,
        exact,
        cm.money(downtime * 12),
    )


# --- simulation -----------------------------------------------------------------------------------


#: Years whose yearly figures a simulation keeps whole (8 MB a figure and agreement); a longer
#: one keeps running sums and histograms, and finds its exact percentiles in further passes over
#: the same seeded years: its memory does not grow with the years.
KEEP_YEARS = 1 << 20
#: The percentiles a summary states.
PERCENTS = (50, 90, 95, 99)
_BINS = 1 << 20  # bins of a streamed histogram (8 MB); a percentile's bin is looked into again


@dataclass
class Running:
    """Mean, spread and maximum of simulated values, gathered batch by batch so that no array
    of them all is kept (the months: 12 x 8 bytes a year, 960 MB at 10 million years). The
    spread combines each batch's own (two-pass, stable) with the others (Chan et al.)."""

    count: int = 0
    mean: float = 0.0
    m2: float = 0.0  # the sum of squared differences from the mean
    worst: int = 0

    def add(self, values: np.ndarray) -> None:
        import numpy as np

        n = int(values.size)
        if not n:
            return
        floats = values.astype(np.float64)
        mean = float(floats.mean())
        m2 = float(((floats - mean) ** 2).sum())
        worst = int(values.max())
        total = self.count + n
        delta = mean - self.mean
        self.m2 += m2 + delta * delta * self.count * n / total
        self.mean += delta * n / total
        self.worst = worst if self.count == 0 else max(self.worst, worst)
        self.count = total

    @property
    def std(self) -> float:
        return (self.m2 / self.count) ** 0.5 if self.count else 0.0


class _Histogram:
    """Counts of integer values in bins 2**shift wide, never more than _BINS of them: the bins
    double in width as the values spread. Only values from `low` to `high` are counted."""

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low, self.high = low, high
        self.shift = 0
        self.first = 0  # the bin of counts[0], in units of 2**shift
        self.counts: np.ndarray | None = None
        self._waiting: np.ndarray | None = None  # one buffer, as a window's
        self._filled = 0

    def add(self, values: np.ndarray) -> None:
        """Count values; they wait in a buffer, so that a small batch does not pay for a pass
        over a million bins."""
        import numpy as np

        if self.low is not None and self.high is not None:
            values = values[(values >= self.low) & (values <= self.high)]
        if self._waiting is None:
            self._waiting = np.empty(_BINS // 4, dtype=np.int64)
        if self._filled + values.size > len(self._waiting):
            self._flush()
        if values.size > len(self._waiting):
            self._count(values)
        else:
            self._waiting[self._filled : self._filled + values.size] = values
            self._filled += values.size

    def _flush(self) -> None:
        if self._waiting is not None and self._filled:
            self._count(self._waiting[: self._filled])
            self._filled = 0

    def _count(self, values: np.ndarray) -> None:
        import numpy as np

        low, high = int(values.min()) >> self.shift, int(values.max()) >> self.shift
        if self.counts is None:
            self.first, self.counts = low, np.zeros(1, dtype=np.int64)
        first, last = min(self.first, low), max(self.first + len(self.counts) - 1, high)
        while last - first + 1 > _BINS:
            self._widen()
            first, last = first >> 1, last >> 1
        if first < self.first or last >= self.first + len(self.counts):
            grown = np.zeros(last - first + 1, dtype=np.int64)
            grown[self.first - first : self.first - first + len(self.counts)] = self.counts
            self.first, self.counts = first, grown
        self.counts += np.bincount((values >> self.shift) - self.first, minlength=len(self.counts))

    def _widen(self) -> None:
        import numpy as np

        assert self.counts is not None
        first = self.first >> 1
        wider = np.zeros(((self.first + len(self.counts) - 1) >> 1) - first + 1, dtype=np.int64)
        np.add.at(wider, ((np.arange(len(self.counts)) + self.first) >> 1) - first, self.counts)
        self.first, self.counts, self.shift = first, wider, self.shift + 1

    def find(self, rank: int) -> tuple[int, int, int]:
        """The values (low, high) of the bin holding the value of 0-based `rank`, and its rank
        among the values of that bin."""
        import numpy as np

        self._flush()
        assert self.counts is not None
        below = np.cumsum(self.counts)
        at = int(np.searchsorted(below, rank, side="right"))
        within = rank - (int(below[at - 1]) if at else 0)
        start = (self.first + at) << self.shift
        return start, start + (1 << self.shift) - 1, within


def percentile_ranks(count: int, percents: Sequence[int]) -> list[int]:
    """The 0-based positions in `count` sorted values that numpy's `inverted_cdf` percentiles
    take: the smallest value with at least that share of values at or below it."""
    import numpy as np

    index = count * (np.asarray(percents, dtype=np.float64) / 100) - 1
    below = np.floor(index)
    at = np.where(index - below > 0, below + 1, below)
    return [min(max(int(i), 0), count - 1) for i in at]


class _Window:
    """The values of a stretch from `low` to `high`, as distinct values and their counts, and
    how many values fell below it: enough to name any rank whose value lies inside."""

    def __init__(self, low: int, high: int) -> None:
        import numpy as np

        self.low, self.high, self.below = low, high, 0
        self.values = self.counts = np.zeros(0, dtype=np.int64)
        # Values wait in one buffer made once: small arrays kept between the batches' large
        # ones would pin the heap, which then grows with the years.
        self._waiting = np.empty(1 << 16, dtype=np.int64)
        self._filled = 0

    def add(self, values: np.ndarray) -> None:
        import numpy as np

        self.below += int(np.count_nonzero(values < self.low))
        inside = values[(values >= self.low) & (values <= self.high)]
        if self._filled + inside.size > len(self._waiting):
            self._merge(inside)
        else:
            self._waiting[self._filled : self._filled + inside.size] = inside
            self._filled += inside.size

    def _merge(self, more: np.ndarray | None = None) -> None:
        import numpy as np

        parts = [self.values, self._waiting[: self._filled]] + ([more] if more is not None else [])
        values, where = np.unique(np.concatenate(parts), return_inverse=True)
        weights = np.concatenate([self.counts, np.ones(len(where) - len(self.counts), dtype=np.int64)])
        self.values, self.counts = values, np.bincount(where, weights=weights).astype(np.int64)
        self._filled = 0

    def find(self, rank: int) -> int | None:
        """The value of a 0-based rank among all values, if it lies inside."""
        import numpy as np

        self._merge()
        if rank < self.below:
            return None
        at = int(np.searchsorted(np.cumsum(self.counts), rank - self.below, side="right"))
        return int(self.values[at]) if at < len(self.values) else None


class Tally:
    """One yearly figure of every simulated year (a cost, a cost with downtime, downtime),
    gathered batch by batch: its exact sum, its spread, and either every value (up to
    KEEP_YEARS years) or, for a longer simulation, the values near each percentile: the first
    KEEP_YEARS years tell where the percentiles will lie (within eight standard errors), and the
    values of every year near them are counted exactly. A percentile that falls outside its
    window anyway is found by `simulate` in further passes."""

    def __init__(self, years: int, percentiles: bool = True) -> None:
        self.running = Running()
        self.sum = 0
        self.streamed = years > KEEP_YEARS
        self._percentiles = percentiles
        self._parts: list[np.ndarray] | None = []
        self._windows: list[_Window] = []
        self.percentiles: dict[int, int] = {}

    def add(self, values: np.ndarray) -> None:
        self.running.add(values)
        self.sum += int(values.sum())
        if self._parts is not None:
            self._parts.append(values)
            if self.streamed and self.count >= KEEP_YEARS:
                if self._percentiles:
                    self._window()  # the windows count the first years, this batch's included
                    return
                self._parts = None
        for window in self._windows:
            window.add(values)

    def _window(self) -> None:
        """Windows around the percentiles of the first years, which are then let go."""
        import numpy as np

        assert self._parts is not None
        sample = np.sort(np.concatenate(self._parts))
        self._parts, count = None, len(sample)
        for percent, rank in zip(PERCENTS, percentile_ranks(count, PERCENTS)):
            share = percent / 100
            margin = 64 + int(8 * math.sqrt(count * share * (1 - share)))
            window = _Window(int(sample[max(rank - margin, 0)]), int(sample[min(rank + margin, count - 1)]))
            window.add(sample)
            self._windows.append(window)

    @property
    def count(self) -> int:
        return self.running.count

    @property
    def kept(self) -> np.ndarray | None:
        """Every value, in the order of the years, when they are kept."""
        import numpy as np

        if self._parts is None or self.streamed:
            return None
        if len(self._parts) != 1:
            self._parts = [np.concatenate(self._parts) if self._parts else np.zeros(0, dtype=np.int64)]
        return self._parts[0]

    @property
    def mean(self) -> Fraction:
        return Fraction(self.sum, self.count)

    @property
    def std(self) -> float:
        """The population standard deviation: numpy's over the kept values, else the running one."""
        kept = self.kept
        return float(kept.std()) if kept is not None else self.running.std

    def find_percentiles(self) -> list[tuple[int, int]]:
        """Settle the percentiles that the values kept can tell (numpy's `inverted_cdf`: actual
        simulated values); the (percent, rank) of those they cannot."""
        import numpy as np

        kept = self.kept
        if kept is not None:
            found = np.percentile(kept, PERCENTS, method="inverted_cdf")
            self.percentiles = {p: int(v) for p, v in zip(PERCENTS, found)}
            return []
        missing = []
        for n, (percent, rank) in enumerate(zip(PERCENTS, percentile_ranks(self.count, PERCENTS))):
            value = self._windows[n].find(rank) if self._windows else None
            if value is None:
                missing.append((percent, rank))
            else:
                self.percentiles[percent] = value
        return missing


@dataclass
class Simulated:
    """Simulated years of one agreement, in integer minor units: the months, and each year's
    cost paid to the provider, with downtime, and of downtime alone."""

    model: CostModel
    years: int
    seed: int
    months: Running  # the cost paid to the provider each month
    annual: Tally  # paid to the provider
    total: Tally  # with downtime
    downtime: Tally  # the cost of downtime
    costs_more: list[int]  # per agreement simulated alongside: the years this one's total was higher
    shown: np.ndarray  # the totals of the first years (up to KEEP_YEARS), for a chart


#: Told how many simulated years are done, after each batch: a progress bar's hook.
Progress = Callable[[int], None]


def simulate(
    models: Sequence[CostModel],
    years: int = 10_000,
    seed: int = 0,
    scale: Fraction = Fraction(1),
    progress: Progress | None = None,
) -> list[Simulated]:
    """Monte Carlo over `years` years for each model on one shared workload: the same incident
    counts, efforts, locations and times for every agreement (common random numbers), so that
    differences between them are differences of the agreements, not of luck.

    Memory does not grow with the years: beyond KEEP_YEARS, the years' figures are gathered as
    they are simulated, and the exact percentiles are found by simulating the same seeded years
    again (usually once more) and counting only the values near each percentile."""
    import numpy as np

    if years < 1:
        raise ValueError("simulate at least one year")
    priorities = _shared_priorities(models)
    months = [Running() for _ in models]
    annual, total = [Tally(years) for _ in models], [Tally(years) for _ in models]
    downtime = [Tally(years, percentiles=False) for _ in models]
    more = [[0] * len(models) for _ in models]
    shown: list[list[np.ndarray]] = [[] for _ in models]
    for first, size, figures in _years(models, priorities, years, seed, scale):
        totals = []
        for i, (month_cost, paid, down) in enumerate(figures):
            months[i].add(month_cost)
            annual[i].add(paid)
            downtime[i].add(down)
            totals.append(paid + down)
            total[i].add(totals[-1])
            if first < KEEP_YEARS:
                shown[i].append(totals[-1][: KEEP_YEARS - first])
        for i, mine in enumerate(totals):
            for j, theirs in enumerate(totals):
                if i != j:
                    more[i][j] += int(np.count_nonzero(mine > theirs))
        if progress is not None:
            progress(first + size)
    _find_percentiles(models, priorities, years, seed, scale, [*annual, *total])
    return [
        Simulated(
            cm, years, seed, months[i], annual[i], total[i], downtime[i], more[i], np.concatenate(shown[i])
        )
        for i, cm in enumerate(models)
    ]


def _years(
    models: Sequence[CostModel],
    priorities: list[tuple[str, Fraction]],
    years: int,
    seed: int,
    scale: Fraction,
) -> Iterator[tuple[int, int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]]:
    """Batches of simulated years: per model, the cost of each month, and the cost of each year
    paid to the provider and of its downtime."""
    import numpy as np

    for first, size, counts, draws in _scenarios(priorities, years, seed, scale):
        months = size * 12
        figures = []
        for cm in models:
            month_cost = np.full(months, cm.monthly_fee, dtype=np.int64)
            month_ticks = np.zeros(months, dtype=np.int64) if cm.block else None
            down = np.zeros(months, dtype=np.int64)
            for pc in cm.priorities:
                n, fields = counts[pc.name], draws[pc.name]
                kept = None if cm.thresholds.keep == SLOTS else fields[:, 3] < cm.thresholds.keep
                kept_n = n if kept is None else _per_month(kept, n)
                if pc.constant is not None:
                    month_cost += kept_n * pc.constant
                else:
                    index = _combo_index(fields, cm.thresholds)
                    charge = pc.charges[index] if kept is None else np.where(kept, pc.charges[index], 0)
                    month_cost += _per_month(charge, n)
                    if month_ticks is not None and pc.block_ticks is not None:
                        ticks = (
                            pc.block_ticks[index]
                            if kept is None
                            else np.where(kept, pc.block_ticks[index], 0)
                        )
                        month_ticks += _per_month(ticks, n)
                if pc.downtime:
                    down += kept_n * pc.downtime
            if month_ticks is not None and cm.block is not None:
                month_cost += _block_overage(month_ticks.reshape(size, 12), cm.block, cm.digits).ravel()
            paid = month_cost.reshape(size, 12).sum(axis=1)
            figures.append((month_cost, paid, down.reshape(size, 12).sum(axis=1)))
        yield first, size, figures


def _find_percentiles(
    models: Sequence[CostModel],
    priorities: list[tuple[str, Fraction]],
    years: int,
    seed: int,
    scale: Fraction,
    tallies: list[Tally],
) -> None:
    """The exact percentiles that a tally's windows missed: simulating the same years again, the
    values are counted in bins, then the values of the bin holding the percentile in finer bins,
    until a bin is one value wide (two passes while the values span less than 2**40 minor
    units). `tallies` are the models' annual costs, then their costs with downtime."""
    # (tally, percent) -> (histogram, rank within it); each pass fills the histograms, then
    # replaces them by finer ones around the percentiles still not found
    looking = {
        (t, percent): (_Histogram(), rank)
        for t, tally in enumerate(tallies)
        for percent, rank in tally.find_percentiles()
    }
    while looking:
        for _first, _size, figures in _years(models, priorities, years, seed, scale):
            for (t, _percent), (histogram, _rank) in looking.items():
                paid, down = figures[t % len(models)][1:]
                histogram.add(paid if t < len(models) else paid + down)
        finer: dict[tuple[int, int], tuple[_Histogram, int]] = {}
        for (t, percent), (histogram, rank) in looking.items():
            low, high, within = histogram.find(rank)
            if low == high:
                tallies[t].percentiles[percent] = low
            else:
                finer[(t, percent)] = (_Histogram(low, high), within)
        looking = finer


def _shared_priorities(models: Sequence[CostModel]) -> list[tuple[str, Fraction]]:
    """Priorities and monthly rates; every model comes from one profile, so they agree."""
    seen: dict[str, Fraction] = {}
    for cm in models:
        for pc in cm.priorities:
            seen.setdefault(pc.name, pc.rate)
    return list(seen.items())


def _scenarios(
    priorities: list[tuple[str, Fraction]], years: int, seed: int, scale: Fraction
) -> Iterator[tuple[int, int, dict[str, np.ndarray], dict[str, np.ndarray]]]:
    """Batches of simulated years: per priority, the incidents of each month and one 64-bit
    draw per incident. Batch k is seeded by (seed, k), so any number of years gives the same
    first years."""
    import numpy as np

    for first in range(0, years, CHUNK_YEARS):
        size = min(CHUNK_YEARS, years - first)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, first // CHUNK_YEARS])))
        counts, draws = {}, {}
        for name, rate in priorities:
            lam = float(rate * scale)
            whole = (
                rng.poisson(lam, size=CHUNK_YEARS * 12)
                if lam > 0
                else np.zeros(CHUNK_YEARS * 12, dtype=np.int64)
            )
            n = whole[: size * 12]
            counts[name] = n
            # the draws of the whole batch, so that a shorter run reads the same ones
            total = int(whole.sum())
            # one 64-bit draw per incident, read as four 16-bit fields: effort slot, onsite,
            # after hours, prevention
            draws[name] = rng.bit_generator.random_raw(total)[: int(n.sum())].view(np.uint16).reshape(-1, 4)
        yield first, size, counts, draws


def _combo_index(fields: np.ndarray, t: Thresholds) -> np.ndarray:
    """Table positions: the (onsite, after hours) combination from the second and third 16-bit
    field of each draw, the effort slot from the first."""
    import numpy as np

    code = (fields[:, 1] < t.onsite).astype(np.int32) << 13
    code |= (fields[:, 2] < t.after_hours).astype(np.int32) << 12
    code |= fields[:, 0] >> 4
    return code


def _per_month(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of consecutive runs: `counts[i]` values belong to month i."""
    import numpy as np

    out = np.zeros(len(counts), dtype=np.int64)
    if len(values) == 0:
        return out
    starts = np.cumsum(counts) - counts
    nonempty = counts > 0
    out[nonempty] = np.add.reduceat(values, starts[nonempty], dtype=np.int64)
    return out


def _block_overage(ticks: np.ndarray, plan: _BlockPlan, digits: int) -> np.ndarray:
    """Overage charges per month (rounded half up per month) after drawing each year's block
    time oldest first, with unused time kept for `keep` months; each simulated year is the
    first contract year, starting with nothing carried over."""
    import numpy as np

    years = ticks.shape[0]
    lots = np.zeros((years, 12), dtype=np.int64)  # time granted in month g, still unused
    overage = np.zeros_like(ticks)
    for month in range(12):
        if month % plan.every == 0:
            lots[:, month] = plan.granted
        if month - plan.keep - 1 >= 0:
            lots[:, month - plan.keep - 1] = 0  # expired
        wanted = ticks[:, month].copy()
        for g in range(max(0, month - plan.keep), month + 1):
            take = np.minimum(lots[:, g], wanted)
            lots[:, g] -= take
            wanted -= take
        overage[:, month] = wanted
    # money = round_half_up(ticks * rate) in minor units, integer arithmetic
    rate = plan.overage_rate * 10**digits
    num, den = rate.numerator, rate.denominator
    money: np.ndarray = (overage * (2 * num) + den) // (2 * den)
    return money


# --- summaries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The distribution of a simulated annual cost, and how predictable it is."""

    mean: Decimal
    std: Decimal
    p50: Decimal
    p90: Decimal
    p95: Decimal
    p99: Decimal
    worst_month: Decimal
    monthly_std: Decimal
    cv: float  # coefficient of variation of the annual cost: std / mean
    monthly_cv: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: plain(v) for k, v in self.__dict__.items() if isinstance(v, Decimal)}
        out["cv"] = round(self.cv, 4)
        out["monthly_cv"] = round(self.monthly_cv, 4)
        return out


def summarise(sim: Simulated, total: bool = False) -> Summary:
    """Mean, percentiles (actual simulated values), standard deviation, worst month, CV."""
    cm = sim.model
    tally = sim.total if total else sim.annual
    mean, std, q = tally.mean, tally.std, [tally.percentiles[p] for p in PERCENTS]
    monthly_mean = sim.months.mean
    monthly_std = sim.months.std
    return Summary(
        mean=cm.money(mean),
        std=cm.money(std),
        p50=cm.money(int(q[0])),
        p90=cm.money(int(q[1])),
        p95=cm.money(int(q[2])),
        p99=cm.money(int(q[3])),
        worst_month=cm.money(sim.months.worst),
        monthly_std=cm.money(monthly_std),
        cv=std / float(mean) if mean else 0.0,
        monthly_cv=monthly_std / monthly_mean if monthly_mean else 0.0,
    )


# --- an estimate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """What one agreement is expected to cost under a profile, and how much that varies: the
    exact expectation, a seeded simulation's spread, the downtime basis and the term's total
    cost of ownership. `to_dict` is what `sla estimate --json` prints."""

    cost_model: CostModel
    expected: Expectation
    simulation: Simulated
    annual: Summary  # paid to the provider
    annual_total: Summary  # with downtime
    downtime: DowntimeBasis | None  # how long a P1 keeps the business down, and why

    @property
    def agreement(self) -> m.Agreement:
        return self.cost_model.agreement

    @property
    def profile(self) -> m.Profile:
        return self.cost_model.profile

    @property
    def currency(self) -> str:
        return self.cost_model.currency

    @property
    def term_months(self) -> int:
        return self.cost_model.term_months

    @property
    def term_fees(self) -> Decimal:
        return self.cost_model.term_fees

    @property
    def total_cost_of_ownership(self) -> Decimal:
        return self.expected.total_cost_of_ownership(self.term_fees, self.term_months)

    @property
    def notes(self) -> list[str]:
        return self.cost_model.notes

    @property
    def warnings(self) -> list[Diagnostic]:
        """What the profile says that this agreement leaves out (SLA221)."""
        return self.cost_model.warnings

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: money as strings, counts and hours to two places."""
        a, e = self.agreement, self.expected
        return {
            "agreement": a.id or a.title,
            "title": a.title,
            "profile": self.profile.title,
            "model": self.cost_model.model,
            "currency": self.currency,
            "expected": {
                "monthly_fees": plain(e.monthly_fee),
                "monthly_work": plain(e.monthly_work),
                "monthly": plain(e.monthly),
                "annual": plain(e.annual),
                "incidents_per_year": _figure(e.incidents_year),
                "downtime_hours_per_year": _figure(e.downtime_hours_year),
                "downtime_cost_per_year": plain(e.annual_downtime),
                "annual_total": plain(e.annual_total),
                "exact": e.exact,
            },
            "downtime_basis": self.downtime.how if self.downtime else None,
            "term": {
                "months": self.term_months,
                "fees": plain(self.term_fees),
                "total_cost_of_ownership": plain(self.total_cost_of_ownership),
            },
            "simulation": {
                "years": self.simulation.years,
                "seed": self.simulation.seed,
                "annual": self.annual.to_dict(),
                "annual_total": self.annual_total.to_dict(),
            },
            "notes": self.notes,
        }


def estimate(
    agreement: m.Agreement,
    profile: m.Profile,
    years: int = 10_000,
    seed: int = 0,
    progress: Progress | None = None,
) -> Estimate:
    """The expected cost and downtime of an agreement under a profile, and their spread over
    `years` simulated years (the same seed gives the same figures); raises SlaError naming
    every way the profile does not fit the agreement (ValueError for fewer than one year)."""
    cm = cost_model(agreement, profile)
    sim = simulate([cm], years=years, seed=seed, progress=progress)[0]
    return Estimate(
        cm, expect(cm), sim, summarise(sim), summarise(sim, total=True), downtime_basis(agreement, profile)
    )


def _figure(value: Fraction) -> str:
    """A count or hours to two places, a whole number without them: 9, 118.80, 497.25."""
    exact = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))
    return str(int(exact)) if exact == exact.to_integral() else plain(exact)
