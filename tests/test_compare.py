"""Offers side by side (sla.compare): break-even, the recommendation, the chart, the examples."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sla.cli import main
from sla.compare import break_even, chart, compare, recommendation
from sla.costs import cost_model, expect

from .test_costs import BREAK_FIX, EXAMPLES, MANAGED, D, load, profile


def test_break_even_makes_expected_costs_equal() -> None:
    p = profile()
    result = compare([cost_model(load(MANAGED), p), cost_model(load(BREAK_FIX), p)], years=500, seed=0)
    (pair,) = result.pairs
    assert pair.break_even is not None
    # at the break-even volume both expected annual costs with downtime are the same, up to the
    # rounding of each monthly figure to the cent (12 x 2 x half a cent, for each offer)
    at = [expect(o.cost_model, pair.break_even).annual_total for o in result.offers]
    assert abs(at[0] - at[1]) <= D("0.24")
    # below it, the break-fix agreement (no fee) is the cheaper one
    assert pair.cheaper_below == "BF"
    assert 0 <= pair.p_a_costs_more <= 1 and pair.p_a_costs_more + pair.p_b_costs_more <= 1
    assert break_even(result.offers[0], result.offers[1])[0] == pair.break_even


def test_recommendation_states_its_numbers() -> None:
    p = profile()
    result = compare([cost_model(load(MANAGED), p), cost_model(load(BREAK_FIX), p)], years=500, seed=0)
    text = recommendation(result)
    best = min(result.offers, key=lambda o: o.expected.annual_total)
    assert text.startswith(f"Recommendation: {best.name}")
    (pair,) = result.pairs
    assert f"costs less in {pair.p_b_costs_more:.1%} of 500 simulated years" in text  # MS is pair.a
    for o in result.offers:
        assert f"€{o.expected.annual_total:,}" in text
    # the costs meet (see the test above): the advice says where, in plain words, not "break-even"
    assert pair.break_even is not None and pair.cheaper_below == "BF"
    assert (
        f"At {float(pair.break_even):.2f}x the profile's incident volume the two cost the same; "
        "BF is cheaper below it and MS above it."
    ) in text
    assert "break-even" not in text.lower() and "stays cheaper" not in text
    # a dearer copy of the same offer never meets it: no volume at which they cost the same
    dearer = MANAGED.replace('id "MS"', 'id "MS+"').replace("50.00 per user", "60.00 per user")
    apart = compare([cost_model(load(dearer), p), cost_model(load(MANAGED), p)], years=500, seed=0)
    assert apart.pairs[0].break_even is None
    text = recommendation(apart)
    assert text.startswith("Recommendation: MS (managed).")
    assert "MS stays cheaper at any incident volume up to 20x the profile's." in text
    assert "cost the same" not in text


def test_chart_is_an_svg_and_deterministic(tmp_path: Path) -> None:
    p = profile()
    result = compare([cost_model(load(MANAGED), p), cost_model(load(BREAK_FIX), p)], years=300, seed=0)
    chart(result, str(tmp_path / "one.svg"))
    chart(result, str(tmp_path / "two.svg"))
    one = (tmp_path / "one.svg").read_bytes()
    assert one.startswith(b"<?xml") and b"<svg" in one
    assert one == (tmp_path / "two.svg").read_bytes()
    with pytest.raises(ValueError, match="name it .svg"):
        chart(result, str(tmp_path / "x.gif"))


# --- bad input ------------------------------------------------------------------------------------


def test_examples_compare() -> None:
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(EXAMPLES / "managed.sla"),
            str(EXAMPLES / "offer-break-fix.sla"),
            "--profile",
            str(EXAMPLES / "profile.sla"),
            "--years",
            "1000",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recommended"] == "MSA-2027-031"
    assert re.search(r"MSA-2027-031 costs less in \d+\.\d% of 1,000 simulated years", data["recommendation"])


def test_the_chart_reads_as_money() -> None:
    from sla.compare import _money_axis

    euros = _money_axis("EUR")
    assert [euros(x) for x in (950, 250_000, 1_250_000, 2_000_000, -1500)] == [
        "€950",
        "€250k",
        "€1.25M",
        "€2M",
        "-€1.5k",
    ]
    assert _money_axis("USD")(12_500) == "$12.5k"
