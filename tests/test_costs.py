"""The cost model: hand-computed expectations, seeded simulations, downtime, errors."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import sla
from sla import model as m
from sla.cli import main
from sla.compare import compare
from sla.costs import _block_overage, _BlockPlan, cost_model, expect, simulate, summarise

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
D = Decimal

BREAK_FIX = """agreement "Break-fix" {
  id "BF"
  model break_fix
  currency EUR
  start 2027-01-01
  term 12 months
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service desk { quantity 40 users }
  priority P1 { response 2h; resolution 8h }
  priority P2 { response 1d }
  fees {
    rate technician 125.00 per hour increment 15m minimum 30m remote, 1h onsite
    multiplier after_hours 2x
    callout 75.00 per visit
    travel 0.50 per km
    materials markup 10%
  }
}
"""

MANAGED = """agreement "Managed" {
  id "MS"
  model managed
  currency EUR
  start 2027-01-01
  term 24 months
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service desk { quantity 40 users }
  priority P1 { response 30m; resolution 4h }
  priority P2 { response 1h; resolution 8h }
  fees {
    recurring desk 50.00 per user monthly
    increase 10% yearly
  }
}
"""

PROFILE = """profile "Work" {
  units { users 40 }
  incidents monthly { P1 1; P2 4 }
  effort { P1 2h; P2 40m }
  onsite 50%
  after_hours 25%
  downtime_cost 1000.00 per hour
  prevention 50%
  spread 0%
  travel 20 km per visit
  materials 10.00 per incident
}
"""


def load(text: str) -> m.Agreement:
    return sla.loads(text).agreements[0]


def profile(text: str = PROFILE) -> m.Profile:
    return sla.loads(text).profiles[0]


# --- the expectation, by hand ---------------------------------------------------------------------


def test_break_fix_expectation_by_hand() -> None:
    cm = cost_model(load(BREAK_FIX), profile())
    e = expect(cm)
    # P1, 2h of work: remote 2h x 125 = 250.00, after hours x2 = 500.00; onsite adds callout 75.00
    # and travel 20 x 0.50 = 10.00; materials 10.00 x 1.10 = 11.00 on every incident.
    #   mean = 0.5 x (0.75 x 250 + 0.25 x 500) + 0.5 x (0.75 x 250 + 0.25 x 500 + 85) + 11 = 366.00
    # P2, 40m: remote 45m (15m steps) = 93.75 (x2 = 187.50); onsite 1h minimum = 125.00 (x2 = 250.00)
    #   mean = 0.5 x (0.75 x 93.75 + 0.25 x 187.50) + 0.5 x (0.75 x 125 + 0.25 x 250 + 85) + 11
    #        = 0.5 x 117.1875 + 0.5 x 241.25 + 11 = 190.21875
    # month: 1 x 366.00 + 4 x 190.21875 = 1126.875 -> 1126.88 (half up); no fees
    assert e.monthly_fee == D("0.00")
    assert e.monthly_work == D("1126.88")
    # downtime: P1 resolution 8h on 24x7 = 8 hours x 1 incident x 12 = 96 hours a year, 96,000.00
    assert e.downtime_hours_year == 96
    assert e.annual_downtime == D("96000.00")
    assert e.incidents_year == 60


def test_managed_expectation_by_hand() -> None:
    cm = cost_model(load(MANAGED), profile())
    e = expect(cm)
    # fees: 40 users x 50.00 = 2000.00 a month (year 1); the work is covered, materials are not:
    # (1 + 4) incidents x (1 - 50% prevention) x 10.00 = 25.00 a month (no markup stated)
    assert (e.monthly_fee, e.monthly_work, e.annual) == (D("2000.00"), D("25.00"), D("24300.00"))
    # downtime: 0.5 P1 a month x 4h (resolution on 24x7) = 24 hours a year, 24,000.00
    assert e.downtime_hours_year == 24 and e.annual_downtime == D("24000.00")
    # over the 24-month term: fees 24,000.00 + 26,400.00 (10% from year two), work 600.00,
    # downtime 48,000.00
    result = compare([cm, cost_model(load(BREAK_FIX), profile())], years=200, seed=1)
    managed = result.offers[0]
    assert managed.tco == D("24000.00") + D("26400.00") + D("600.00") + D("48000.00")


def test_a_unit_only_another_offer_counts_is_left_out_with_a_warning() -> None:
    cm = cost_model(load(MANAGED), profile(PROFILE.replace("users 40", "users 40; devices 12")))
    (w,) = cm.warnings
    assert (w.code, w.severity) == ("SLA221", "warning") and "'devices'" in w.message
    assert expect(cm).monthly_fee == D("2000.00")


def test_profile_units_price_the_fees() -> None:
    cm = cost_model(load(MANAGED), profile(PROFILE.replace("users 40", "users 10")))
    assert expect(cm).monthly_fee == D("500.00")


def test_best_effort_downtime_uses_the_profile_assumption() -> None:
    text = BREAK_FIX.replace(
        "priority P1 { response 2h; resolution 8h }", "priority P1 { response 2h best_effort }"
    )
    base = PROFILE.replace("spread 0%", "spread 0%\n  assume best_effort response 6h")
    e = expect(cost_model(load(text), profile(base)))
    # the profile's 6h on 24x7, then 2h of hands-on work: 8 hours per P1, 96 a year
    assert e.downtime_hours_year == 96
    # without the assumption: twice the stated aim of 2h = 4h, then 2h of work
    assert expect(cost_model(load(text), profile())).downtime_hours_year == 72


def test_business_hours_downtime_counts_wall_clock_time() -> None:
    office = BREAK_FIX.replace(
        'calendar always { timezone "Europe/Berlin"; hours 24x7 }',
        'calendar office { timezone "UTC"; hours mon-sun 00:00-12:00 }',
    )
    one = PROFILE.replace("after_hours 25%", "after_hours 0%")
    e = expect(cost_model(load(office), profile(one)))
    # 8 business hours on 00:00-12:00 every day, from starts every 20 minutes in the open hours:
    # the 13 starts from 00:00 to 04:00 end within the day (8 hours of wall clock), the 23 from
    # 04:20 to 11:40 cross the 12 closed hours (20 hours): (13 x 8 + 23 x 20) / 36 = 15 2/3 hours
    # per P1, x 12 a year = 188
    assert e.downtime_hours_year == 188


# --- simulation -----------------------------------------------------------------------------------


def spread_profile() -> m.Profile:
    return profile(PROFILE.replace("spread 0%", "spread 60%"))


def test_simulation_is_reproducible_to_the_cent() -> None:
    cm = cost_model(load(BREAK_FIX), spread_profile())
    one, two = simulate([cm], years=3000, seed=7)[0], simulate([cm], years=3000, seed=7)[0]
    assert np.array_equal(one.annual.kept, two.annual.kept) and one.months == two.months
    assert summarise(one) == summarise(two)
    other = simulate([cm], years=3000, seed=8)[0]
    assert not np.array_equal(one.annual.kept, other.annual.kept)
    # batches are seeded by their position, so more years keep the first ones
    longer = simulate([cm], years=5000, seed=7)[0]
    assert longer.annual.kept is not None and longer.downtime.kept is not None
    assert np.array_equal(longer.annual.kept[:3000], one.annual.kept)
    assert np.array_equal(longer.downtime.kept[:3000], one.downtime.kept)


def test_month_statistics_are_gathered_batch_by_batch_as_one_pass_would() -> None:
    """The months are no longer kept: their mean, spread and worst month, combined batch by
    batch, equal numpy's over every month at once."""
    from sla.costs import Running

    rng = np.random.default_rng(1)
    months = rng.integers(0, 10**9, size=12 * 3000, dtype=np.int64)
    stats = Running()
    for batch in np.array_split(months, 7):
        stats.add(batch)
    assert stats.count == months.size and stats.worst == int(months.max())
    assert math.isclose(stats.mean, float(months.mean()), rel_tol=1e-12)
    assert math.isclose(stats.std, float(months.std()), rel_tol=1e-9)


@pytest.mark.parametrize("agreement", [BREAK_FIX, MANAGED])
def test_simulated_mean_is_within_four_standard_errors_of_the_expectation(agreement: str) -> None:
    cm = cost_model(load(agreement), spread_profile())
    sim = simulate([cm], years=20_000, seed=3)[0]
    mean = float(sim.annual.mean) / 100
    standard_error = sim.annual.std / 100 / math.sqrt(sim.years)
    assert abs(mean - float(expect(cm).annual)) < 4 * standard_error
    downtime = float(sim.downtime.mean) / 100
    assert abs(downtime - float(expect(cm).annual_downtime)) < 4 * sim.downtime.std / 100 / math.sqrt(
        sim.years
    )


def test_summary_statistics_are_consistent() -> None:
    cm = cost_model(load(BREAK_FIX), spread_profile())
    s = summarise(simulate([cm], years=5000, seed=1)[0])
    assert s.p50 <= s.p90 <= s.p95 <= s.p99
    assert s.worst_month * 12 >= s.mean
    assert 0 < s.cv < 1 and s.monthly_cv > s.cv  # a month varies more than a year


def test_block_overage_draws_oldest_first_and_expires() -> None:
    # 10h granted monthly (in minutes, 1 tick a minute), unused time kept one month, 60.00/h
    plan = _BlockPlan(granted=600, every=1, keep=1, overage_rate=Fraction(1), den=1)
    demand = np.array([[300, 1000, 700, 0, 0, 1300, 0, 0, 0, 0, 0, 0]], dtype=np.int64)
    # Jan: 600, uses 300, 300 left. Feb: 300 + 600 for 1000: 100 beyond. Mar: 600 for 700: 100
    # beyond. Apr, May: 600 each unused; Jun: May's 600 + June's 600 for 1300: 100 beyond
    # (April's expired). Overage 100 minutes x 1.00 a minute = 100.00 = 10000 cents.
    cents = _block_overage(demand, plan, digits=2)
    assert cents.tolist() == [[0, 10000, 10000, 0, 0, 10000, 0, 0, 0, 0, 0, 0]]


def test_block_hours_agreement_is_simulated() -> None:
    text = BREAK_FIX.replace("model break_fix", "model block_hours").replace(
        "    rate technician",
        "    block 10h for 1200.00 monthly rollover 1 months overage technician\n    rate technician",
    )
    cm = cost_model(load(text), profile())
    e = expect(cm)
    assert not e.exact and e.monthly_fee == D("1200.00")
    # 9 hours of work a month on average fits the block mostly: overage is small but not zero
    assert D("1200.00") < e.monthly < D("1200.00") + D("1126.88")


# --- compare --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (
            ("P1 1; P2 4 }", "P1 1; P2 4; P9 1 }"),
            "SLA220",
            "priority 'P9', which the agreement 'BF' does not have",
        ),
        (("users 40", "usres 40"), "SLA221", "counts 'usres', a unit the agreement 'BF'"),
        (("travel 20 km", "travel 20 miles"), "SLA223", "travels in 'miles'"),
        (("downtime_cost 1000.00", "downtime_cost USD 1000.00"), "SLA224", "downtime cost is in USD"),
        (("effort { P1 2h; P2 40m }", "effort { P1 2h }"), "SLA222", "incidents of 'P2' but no effort"),
    ],
)
def test_a_profile_that_does_not_fit_is_refused(change: tuple[str, str], code: str, words: str) -> None:
    with pytest.raises(sla.SlaError) as info:
        cost_model(load(BREAK_FIX), profile(PROFILE.replace(*change)))
    d = next(d for d in info.value.diagnostics if d.code == code)  # (P9 also lacks an effort)
    assert words in d.message and d.span is not None


def test_cli_estimate_and_compare(tmp_path: Path) -> None:
    (tmp_path / "bf.sla").write_text(BREAK_FIX)
    (tmp_path / "ms.sla").write_text(MANAGED)
    (tmp_path / "p.sla").write_text(PROFILE)
    runner = CliRunner()
    est = runner.invoke(
        main,
        [
            "estimate",
            str(tmp_path / "bf.sla"),
            "--profile",
            str(tmp_path / "p.sla"),
            "--json",
            "--years",
            "500",
        ],
    )
    assert est.exit_code == 0, est.output
    data = json.loads(est.stdout)
    assert data["expected"]["monthly"] == "1126.88" and data["currency"] == "EUR"
    assert set(data["simulation"]["annual"]) >= {
        "mean",
        "p50",
        "p90",
        "p95",
        "p99",
        "std",
        "worst_month",
        "cv",
    }
    chart_path = tmp_path / "costs.svg"
    cmp = runner.invoke(
        main,
        [
            "compare",
            str(tmp_path / "ms.sla"),
            str(tmp_path / "bf.sla"),
            "--profile",
            str(tmp_path / "p.sla"),
            "--json",
            "--years",
            "500",
            "--chart",
            str(chart_path),
        ],
    )
    assert cmp.exit_code == 0, cmp.output
    result = json.loads(cmp.stdout)
    assert [o["agreement"] for o in result["offers"]] == ["MS", "BF"]
    assert {
        "expected_annual_cost",
        "p90_annual_cost",
        "monthly_volatility",
        "downtime_hours",
        "downtime_cost",
        "total_cost_of_ownership",
    } <= set(result["offers"][0])
    assert result["pairs"][0]["break_even"] is not None
    assert result["recommendation"].startswith("Recommendation:")
    assert chart_path.read_bytes().startswith(b"<?xml")
    human = runner.invoke(
        main,
        [
            "compare",
            str(tmp_path / "ms.sla"),
            str(tmp_path / "bf.sla"),
            "--profile",
            str(tmp_path / "p.sla"),
            "--years",
            "500",
        ],
    )
    assert human.exit_code == 0 and "Recommendation: " in human.stdout
    # a profile that does not fit, different currencies: exit 1 with the reason, no traceback
    (tmp_path / "usd.sla").write_text(BREAK_FIX.replace("currency EUR", "currency USD"))
    mixed = runner.invoke(
        main,
        [
            "compare",
            str(tmp_path / "ms.sla"),
            str(tmp_path / "usd.sla"),
            "--profile",
            str(tmp_path / "p.sla"),
        ],
    )
    assert mixed.exit_code == 1
    assert "SLA224" in mixed.stderr or "different currencies" in mixed.stderr
    nope = runner.invoke(main, ["estimate", str(tmp_path / "bf.sla"), "--profile", "Nothing"])
    assert nope.exit_code == 2 and "no file or profile named 'Nothing'" in nope.stderr


def test_a_resolution_not_stated_at_all_takes_the_profile_s_assumption() -> None:
    """docs/pricing.md: "a best-effort or missing resolution" takes `assume best_effort
    resolution`. The break-fix offer's P1 states only a response: its downtime comes from the
    profile's 5 working days, not from the response and the hands-on effort."""
    from sla.costs import downtime_basis

    offer = sla.load(str(EXAMPLES / "offer-break-fix.sla")).agreements[0]
    workload = sla.load(str(EXAMPLES / "profile.sla")).profiles[0]
    basis = downtime_basis(offer, workload)
    assert basis is not None
    assert basis.how == "P1 resolution is not stated; the profile assumes 5d"
    assert basis.hours > 5 * 24  # five working days on a business calendar, in wall-clock hours


def test_figures_in_json_are_never_in_exponent_form() -> None:
    """`sla estimate --json` once printed "downtime_hours_per_year": "3E+1"."""
    from sla.costs import _figure

    assert [_figure(Fraction(30)), _figure(Fraction(1188, 10)), _figure(Fraction(1, 3))] == [
        "30",
        "118.80",
        "0.33",
    ]
    cm = cost_model(load(MANAGED), profile())
    exponent = re.compile(r"^-?\d+(\.\d+)?[eE][+-]?\d+$")

    def strings(data: object) -> list[str]:
        if isinstance(data, dict):
            return [s for v in data.values() for s in strings(v)]
        if isinstance(data, list):
            return [s for v in data for s in strings(v)]
        return [data] if isinstance(data, str) else []

    result = sla.estimate(cm.agreement, cm.profile, years=200).to_dict()
    assert not [s for s in strings(result) if exponent.match(s)]


def test_the_annual_downtime_cost_is_rounded_once() -> None:
    """docs/pricing.md: annual downtime = 12 x rate_P1 x keep x downtime cost per P1, rounded
    once. 0.3 P1 a month, half prevented, 4h of downtime at 1,000.01 an hour (4,000.04 each):
    600.006 a month, 7,200.072 a year = 7,200.07 (not 12 x 600.01 = 7,200.12)."""
    text = PROFILE.replace("P1 1;", "P1 0.3;").replace("downtime_cost 1000.00", "downtime_cost 1000.01")
    e = expect(cost_model(load(MANAGED), profile(text)))
    assert e.monthly_downtime == D("600.01")
    assert e.annual_downtime == D("7200.07")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("P1 1;", "P1 50000;"),
            "the profile expects 50004 incidents a month; the cost model simulates at most 10,000",
        ),
        (
            ("downtime_cost 1000.00", "downtime_cost 999999999999999.99"),
            "the profile's amounts are too large for the cost model to add up exactly",
        ),
    ],
)
def test_a_profile_beyond_what_the_model_simulates_is_refused(change: tuple[str, str], message: str) -> None:
    """Never an internal error, never a sum that wraps around: SLA225."""
    with pytest.raises(sla.SlaError) as excinfo:
        cost_model(load(MANAGED), profile(PROFILE.replace(*change)))
    assert [(d.code, d.message) for d in excinfo.value.errors] == [("SLA225", message)]


def test_the_simulation_reports_its_progress_batch_by_batch() -> None:
    cm = cost_model(load(MANAGED), profile())
    seen: list[int] = []
    simulate([cm], years=2500, seed=0, progress=seen.append)
    assert seen == [1024, 2048, 2500]


def test_percentile_ranks_are_the_positions_numpy_takes() -> None:
    import numpy as np

    from sla.costs import PERCENTS, percentile_ranks

    rng = np.random.default_rng(7)
    for count in [1, 2, 3, 7, 10, 99, 100, 101, 1000, 12_345]:
        values = np.sort(rng.integers(-50, 50, size=count))
        expected = np.percentile(values, PERCENTS, method="inverted_cdf")
        assert list(values[percentile_ranks(count, PERCENTS)]) == list(expected), count


@pytest.mark.parametrize("spread", [1, 1000, 2**40, 2**61])
def test_a_histogram_finds_the_bin_of_any_rank(spread: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from sla import costs

    monkeypatch.setattr(costs, "_BINS", 16)  # widen often
    rng = np.random.default_rng(spread % 1000)
    batches = [rng.integers(-spread, spread, size=50, endpoint=True) for _ in range(20)]
    histogram = costs._Histogram()
    for batch in batches:
        histogram.add(batch)
    ordered = np.sort(np.concatenate(batches))
    assert histogram.counts is not None and len(histogram.counts) <= 16
    for rank in [0, 1, 499, 500, 998, 999]:
        low, high, within = histogram.find(rank)
        inside = ordered[(ordered >= low) & (ordered <= high)]
        assert low <= ordered[rank] <= high and inside[within] == ordered[rank]


@pytest.mark.parametrize("windows", ["hit", "missed"])
def test_a_long_simulation_keeps_no_years_and_finds_the_same_figures(
    windows: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sla import costs

    models = [cost_model(load(text), spread_profile()) for text in (BREAK_FIX, MANAGED)]
    kept = costs.simulate(models, years=5000, seed=4)
    monkeypatch.setattr(costs, "KEEP_YEARS", 2048)  # keep none of the 5,000 years
    if windows == "missed":  # every percentile found again by simulating the years again
        monkeypatch.setattr(costs._Window, "find", lambda self, rank: None)
        monkeypatch.setattr(costs, "_BINS", 32)  # in several passes
    streamed = costs.simulate(models, years=5000, seed=4)
    for a, b in zip(kept, streamed):
        assert a.annual.kept is not None and b.annual.kept is None and b.total.kept is None
        assert len(b.shown) == 2048 and list(b.shown) == list(a.shown[:2048])
        assert b.costs_more == a.costs_more
        for total in (False, True):
            x, y = costs.summarise(a, total), costs.summarise(b, total)
            assert (x.mean, x.p50, x.p90, x.p95, x.p99, x.worst_month) == (
                y.mean,
                y.p50,
                y.p90,
                y.p95,
                y.p99,
                y.worst_month,
            )
            assert abs(x.std - y.std) <= Decimal("0.01")


def test_a_p1_resolved_by_close_is_down_until_the_end_of_the_day() -> None:
    from sla.costs import downtime_basis

    text = MANAGED.replace("resolution 4h", "resolution by close on always", 1)
    assert text != MANAGED
    basis = downtime_basis(load(text), profile())
    assert basis is not None and basis.how == "P1 resolution by close on always"
    # starts every 20 minutes from midnight: on average 24h - 71 x 20m / 2 = 730 minutes to 24:00
    assert basis.hours == Fraction(730, 60)
