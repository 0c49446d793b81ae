"""Agreements side by side under one workload: costs, spread, downtime, break-even, advice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import model as m
from .codes import diagnostic
from .costs import (
    CostModel,
    Expectation,
    Progress,
    Simulated,
    Summary,
    cost_model,
    expect,
    simulate,
    summarise,
)
from .diagnostics import Diagnostic, SlaError
from .words import plain

MAX_SCALE = Fraction(20)  # break-even is looked for between 0 and 20 times the profile's volume
_BISECT_YEARS = 4096


@dataclass(frozen=True)
class Offer:
    name: str
    model: str
    cost_model: CostModel
    expected: Expectation
    annual: Summary  # paid to the provider
    total: Summary  # with downtime
    tco: Decimal
    term_months: int
    sim: Simulated

    def to_dict(self) -> dict[str, Any]:
        e = self.expected
        return {
            "agreement": self.name,
            "title": self.cost_model.agreement.title,
            "model": self.model,
            "expected_annual_cost": plain(e.annual),
            "p90_annual_cost": plain(self.annual.p90),
            "monthly_volatility": {
                "std": plain(self.annual.monthly_std),
                "cv": round(self.annual.monthly_cv, 4),
            },
            "annual_cost": self.annual.to_dict(),
            "downtime_hours": _two(e.downtime_hours_year),
            "downtime_cost": plain(e.annual_downtime),
            "expected_annual_total": plain(e.annual_total),
            "p90_annual_total": plain(self.total.p90),
            "annual_total": self.total.to_dict(),
            "total_cost_of_ownership": plain(self.tco),
            "term_months": self.term_months,
        }


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    p_a_costs_more: float  # share of simulated years in which a's cost with downtime exceeds b's
    p_b_costs_more: float
    break_even: Fraction | None  # incident volume as a multiple of the profile's
    cheaper_below: str | None  # which is cheaper below the break-even volume

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "p_a_costs_more": round(self.p_a_costs_more, 4),
            "p_b_costs_more": round(self.p_b_costs_more, 4),
            "break_even": None if self.break_even is None else round(float(self.break_even), 3),
            "cheaper_below_break_even": self.cheaper_below,
        }

    def sentence(self, currency: str) -> str:
        text = (
            f"{self.a} costs more than {self.b} in {self.p_a_costs_more:.1%} of simulated years "
            f"(downtime included)"
        )
        if self.break_even is None:
            return text + f"; at no volume up to {MAX_SCALE}x the profile's do they cost the same."
        other = self.b if self.cheaper_below == self.a else self.a
        return text + (
            f"; they cost the same at {float(self.break_even):.2f}x the profile's incident volume: "
            f"below it {self.cheaper_below} is cheaper, above it {other}."
        )


@dataclass(frozen=True)
class Comparison:
    profile: str
    currency: str
    years: int
    seed: int
    offers: list[Offer]
    pairs: list[Pair]

    @property
    def warnings(self) -> list[Diagnostic]:
        """What the profile says that an offer leaves out (SLA221), each once."""
        return list(dict.fromkeys(w for o in self.offers for w in o.cost_model.warnings))

    def to_dict(self) -> dict[str, Any]:
        best = min(self.offers, key=lambda o: o.expected.annual_total)
        return {
            "profile": self.profile,
            "currency": self.currency,
            "simulation": {"years": self.years, "seed": self.seed},
            "offers": [o.to_dict() for o in self.offers],
            "pairs": [p.to_dict() for p in self.pairs],
            "recommended": best.name,
            "recommendation": recommendation(self),
        }


def cost_models(agreements: Sequence[m.Agreement], profile: m.Profile) -> list[CostModel]:
    """Each agreement under the one profile. Raises SlaError naming every way the profile does
    not fit an agreement, or (SLA501, with the warnings met so far) when the agreements are in
    different currencies: there is no currency conversion."""
    models, problems = [], []
    for agreement in agreements:
        try:
            models.append(cost_model(agreement, profile))
        except SlaError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise SlaError(problems)
    if len({cm.currency for cm in models}) > 1:
        warnings = list(dict.fromkeys(w for cm in models for w in cm.warnings))
        listed = ", ".join(f"{_where(cm.agreement)} ({cm.currency})" for cm in models)
        raise SlaError(
            [
                *warnings,
                diagnostic(
                    "SLA501",
                    f"the offers are in different currencies: {listed}; there is no currency conversion",
                    None,
                    "compare offers of one currency together",
                ),
            ]
        )
    return models


def _where(a: m.Agreement) -> str:
    """The file that holds an agreement, else its id or title."""
    return a.span.file if a.span and a.span.file else a.id or a.title


def compare(
    models: Sequence[CostModel], years: int = 10_000, seed: int = 0, progress: Progress | None = None
) -> Comparison:
    """Simulate every agreement on one shared workload and set them side by side (the pairs and
    the recommendation need at least two)."""
    sims = simulate(models, years=years, seed=seed, progress=progress)
    offers = []
    for cm, sim in zip(models, sims):
        e = expect(cm)
        tco = e.total_cost_of_ownership(cm.term_fees, cm.term_months)
        offers.append(
            Offer(
                _name(cm),
                cm.model,
                cm,
                e,
                summarise(sim),
                summarise(sim, total=True),
                tco,
                cm.term_months,
                sim,
            )
        )
    pairs = []
    for i, a in enumerate(offers):
        for j, b in enumerate(offers[i + 1 :], start=i + 1):
            more, less = a.sim.costs_more[j] / years, b.sim.costs_more[i] / years
            scale, cheaper = break_even(a, b)
            pairs.append(Pair(a.name, b.name, more, less, scale, cheaper))
    return Comparison(models[0].profile.title, models[0].currency, years, seed, offers, pairs)


def _name(cm: CostModel) -> str:
    return cm.agreement.id or cm.agreement.title


def _two(value: Fraction) -> str:
    return plain((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))


def _annual_total(cm: CostModel, scale: Fraction) -> Fraction:
    """Expected annual cost with downtime at a multiple of the profile's incident volume."""
    if cm.block is None:
        e = expect(cm, scale)
        return Fraction(e.annual_total)
    sim = simulate([cm], years=_BISECT_YEARS, seed=0, scale=scale)[0]
    return sim.total.mean / Fraction(10**cm.digits)


def break_even(a: Offer, b: Offer) -> tuple[Fraction | None, str | None]:
    """The incident volume (a multiple of the profile's) at which the expected annual costs with
    downtime are equal, and which offer is cheaper below it; None when they never meet in
    (0, MAX_SCALE]. Exact for linear costs; by bisection when block hours bend a curve."""

    def gap(k: Fraction) -> Fraction:
        return _annual_total(a.cost_model, k) - _annual_total(b.cost_model, k)

    low, high = Fraction(0), MAX_SCALE
    g_low, g_high = gap(low), gap(high)
    if g_low == 0 or (g_low > 0) == (g_high > 0):
        return None, None
    cheaper = a.name if g_low < 0 else b.name
    if a.cost_model.block is None and b.cost_model.block is None:
        # both lines: gap(k) = g_low + k (g_high - g_low) / MAX_SCALE
        return g_low * MAX_SCALE / (g_low - g_high), cheaper
    for _ in range(40):
        mid = (low + high) / 2
        g_mid = gap(mid)
        if (g_mid > 0) == (g_low > 0):
            low, g_low = mid, g_mid
        else:
            high = mid
        if high - low < Fraction(1, 1000):
            break
    return (low + high) / 2, cheaper


def recommendation(c: Comparison) -> str:
    """A plain-language recommendation that states the numbers behind it."""
    from .words import money as format_money

    def money(amount: Decimal) -> str:
        return format_money(amount, c.currency)

    ranked = sorted(c.offers, key=lambda o: o.expected.annual_total)
    best, runner = ranked[0], ranked[1]
    e, r = best.expected, runner.expected
    pair = next(p for p in c.pairs if {p.a, p.b} == {best.name, runner.name})
    p_less = pair.p_b_costs_more if pair.a == best.name else pair.p_a_costs_more
    text = [
        f"Recommendation: {best.name} ({best.model.replace('_', '-')}).",
        (
            f'Under "{c.profile}" it is expected to cost {money(e.annual_total)} a year: {money(e.annual)} paid '
            f"to the provider and {money(e.annual_downtime)} for {_two(e.downtime_hours_year)} hours of downtime. "
            f"{runner.name} ({runner.model.replace('_', '-')}) is expected to cost {money(r.annual_total)} "
            f"({money(r.annual)} paid, {money(r.annual_downtime)} for {_two(r.downtime_hours_year)} hours of downtime)."
        ),
        (
            f"{best.name} costs less in {p_less:.1%} of {c.years:,} simulated years; in nine years out of ten "
            f"it costs at most {money(best.total.p90)}, against {money(runner.total.p90)}."
        ),
        (
            f"Its annual cost varies by {best.total.cv:.1%} (coefficient of variation), against "
            f"{runner.total.cv:.1%} for {runner.name}."
        ),
    ]
    if pair.break_even is not None:
        other = runner.name if pair.cheaper_below == best.name else best.name
        text.append(
            f"At {float(pair.break_even):.2f}x the profile's incident volume the two cost the same; "
            f"{pair.cheaper_below} is cheaper below it and {other} above it."
        )
    else:
        text.append(f"{best.name} stays cheaper at any incident volume up to {MAX_SCALE}x the profile's.")
    if best.expected.annual > runner.expected.annual:
        text.append(
            f"Without downtime, {runner.name} would be cheaper by "
            f"{money(best.expected.annual - runner.expected.annual)} a year: the difference is the "
            f"cost of the downtime its targets allow."
        )
    for rest in ranked[2:]:
        text.append(f"{rest.name} is expected to cost {money(rest.expected.annual_total)} a year.")
    return " ".join(text)


def _money_axis(currency: str) -> Callable[[float], str]:
    """Axis labels in the currency, shortened: €950, €250k, €1.25M."""
    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(currency, locale="en")

    def label(x: float) -> str:
        size = abs(x)
        if size >= 1e6:
            text = f"{x / 1e6:.2f}".rstrip("0").rstrip(".") + "M"
        elif size >= 1e3:
            text = f"{x / 1e3:.1f}".rstrip("0").rstrip(".") + "k"
        else:
            text = f"{x:.0f}"
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"

    return label


def chart(c: Comparison, path: str) -> None:
    """The distributions of annual cost with downtime: one outlined histogram per offer and the
    cumulative share of years beside it, the cost axes in the currency (€250k), written
    atomically as SVG, PNG or PDF (by the file's extension) with no date inside."""
    import io
    import os

    fmt = os.path.splitext(path)[1].lower().lstrip(".") or "svg"
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"cannot draw a .{fmt} file; name it .svg, .png or .pdf")
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from .files import write_atomic

    scale = 10 ** c.offers[0].cost_model.digits
    money = _money_axis(c.currency)
    with plt.rc_context({"svg.hashsalt": "sla", "svg.fonttype": "none", "font.size": 9}):
        fig, (ax, cdf) = plt.subplots(1, 2, figsize=(10, 4.5), dpi=100, width_ratios=(3, 2))
        # every simulated year, or the first KEEP_YEARS of a longer simulation
        everything = np.concatenate([o.sim.shown for o in c.offers]) / scale
        low, high = float(np.percentile(everything, 0.1)), float(np.percentile(everything, 99.9))
        if high <= low:  # every simulated year costs the same (a flat fee and no work)
            low, high = low - 1, high + 1
        bins = np.linspace(low, high, 80)
        for n, o in enumerate(c.offers):
            values = np.sort(o.sim.shown / scale)
            colour = f"C{n % 10}"
            label = f"{o.name} ({o.model.replace('_', '-')})"
            # a light fill and a strong outline: overlapping distributions stay apart
            ax.hist(values, bins=list(bins), histtype="stepfilled", alpha=0.15, color=colour)
            ax.hist(values, bins=list(bins), histtype="step", linewidth=1.5, color=colour, label=label)
            ax.axvline(float(o.expected.annual_total), color=colour, linestyle="-", linewidth=1)
            ax.axvline(float(o.total.p90), color=colour, linestyle=":", linewidth=1)
            share = np.arange(1, len(values) + 1) / len(values)
            cdf.step(values, share, where="post", color=colour, linewidth=1.5, label=label)
        ax.set_xlabel("annual cost with downtime; solid line: mean, dotted: P90")
        drawn = len(c.offers[0].sim.shown)
        ax.set_ylabel(
            f"simulated years (of {c.years:,})"
            if drawn == c.years
            else f"the first {drawn:,} of {c.years:,} years"
        )
        ax.set_title(f'Annual cost under "{c.profile}"')
        ax.legend(frameon=False)
        cdf.set_xlabel("annual cost with downtime")
        cdf.set_ylabel("share of years costing at most this")
        cdf.set_title("Cumulative")
        cdf.set_xlim(low, high)
        cdf.set_ylim(0, 1)
        cdf.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        cdf.grid(alpha=0.3)
        for axis in (ax, cdf):
            axis.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: money(x)))
            axis.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(6))
        fig.tight_layout()
        out = io.BytesIO()
        metadata: dict[str, Any] = {
            "svg": {"Date": None},
            "pdf": {"CreationDate": None, "ModDate": None},
            "png": {"Software": None},
        }[fmt]
        fig.savefig(out, format=fmt, metadata=metadata)
        plt.close(fig)
    write_atomic(path, out.getvalue())
