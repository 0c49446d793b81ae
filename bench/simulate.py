"""Benchmark: simulated years per second of the Monte Carlo cost model, on one core.

Run from the repository root:

    python bench/simulate.py            # 100,000 years per agreement, best of 3
    python bench/simulate.py --quick    # 2,000 years, one run (seconds), for a smoke test
    python bench/simulate.py --json     # the figures as JSON on stdout

For each example agreement under examples/profile.sla (the managed offer, which counts incidents
and charges materials, and the break-fix offer, which bills every incident's labour, callout,
travel and materials: about 660 incidents a simulated year), it times `sla.costs.simulate`
over --years years and prints years per second.

Beside it runs the simulation a user would write first with numpy: per incident a lognormal
effort, the onsite and after-hours draws, the cost computed in floats (rounded up to the
increment, raised to the minimum, multiplied), summed per month with `np.bincount`. It is
timed on the same workload and printed as a ratio. (It is not the same model to the cent:
it keeps float money and draws effort afresh; the ratio is what the design buys.)

The aim in the issue: 100,000 simulated years in under a second on one core. numpy runs
these operations on one thread; OPENBLAS_NUM_THREADS and friends are set to 1 anyway.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from typing import Any

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np
from _sla import ROOT, sla

from sla.costs import CostModel, cost_model, simulate


def naive(cm: CostModel, years: int, seed: int) -> np.ndarray:
    """The straightforward per-incident numpy simulation (floats), for comparison."""
    rng = np.random.default_rng(seed)
    months = years * 12
    total = np.full(months, cm.monthly_fee / 10**cm.digits, dtype=np.float64)
    p = cm.profile
    fees = cm.agreement.fees
    rate = fees.rates[0] if fees and fees.rates else None
    spread = float(p.spread or 50) / 100
    sigma = math.sqrt(math.log1p(spread**2))
    for name, count in p.incidents.items():
        n = rng.poisson(float(count), size=months)
        k = int(n.sum())
        month = np.repeat(np.arange(months), n)
        if cm.model == "managed":
            kept = rng.random(k) >= float(p.prevention or 0) / 100
            total += np.bincount(
                month, weights=kept * float(p.materials.amount if p.materials else 0), minlength=months
            )
            continue
        assert rate is not None
        mean = p.effort[name].minutes if name in p.effort else 0
        effort = rng.lognormal(math.log(max(mean, 1)) - sigma**2 / 2, sigma, size=k)
        onsite = rng.random(k) < float(p.onsite or 0) / 100
        after = rng.random(k) < float(p.after_hours or 0) / 100
        step = rate.increment.minutes if rate.increment else 1
        billed = np.ceil(effort / step) * step
        floor_on = rate.minimum_for("onsite").minutes if rate.minimum_for("onsite") else 0
        floor_off = rate.minimum_for("remote").minutes if rate.minimum_for("remote") else 0
        billed = np.maximum(billed, np.where(onsite, floor_on, floor_off))
        factor = np.where(after, 1.5, 1.0)
        cost = np.round(billed / 60 * float(rate.price.amount) * factor, 2)
        cost += onsite * (float(fees.callout.amount) if fees.callout else 0)
        cost += float(p.materials.amount) * 1.12 if p.materials else 0
        total += np.bincount(month, weights=cost, minlength=months)
    return total.reshape(years, 12).sum(axis=1)


def best_of(runs: int, fn: Any) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.years, args.runs = 2_000, 1
    profile = sla.load(str(ROOT / "examples" / "profile.sla")).profiles[0]
    results = []
    for example in ("managed.sla", "offer-break-fix.sla"):
        cm = cost_model(sla.load(str(ROOT / "examples" / example)).agreements[0], profile)
        simulate([cm], years=min(args.years, 1024), seed=0)  # warm the tables and numpy
        ours = best_of(args.runs, lambda cm=cm: simulate([cm], years=args.years, seed=1))
        theirs = best_of(args.runs, lambda cm=cm: naive(cm, args.years, 1))
        incidents = sum(float(c) for c in profile.incidents.values()) * 12
        results.append(
            {
                "agreement": cm.agreement.id,
                "model": cm.model,
                "years": args.years,
                "incidents_per_year": incidents,
                "seconds": round(ours, 3),
                "years_per_second": round(args.years / ours),
                "naive_numpy_seconds": round(theirs, 3),
                "speedup_vs_naive": round(theirs / ours, 2),
            }
        )
    if args.json:
        print(json.dumps({"results": results, "numpy": np.__version__}, indent=2))
        return
    print(
        f"Monte Carlo cost model, {args.years:,} simulated years, best of {args.runs} (numpy {np.__version__})"
    )
    for r in results:
        print(
            f"  {r['agreement']:<14} {r['model']:<10} {r['seconds']:>7.3f} s  {r['years_per_second']:>10,} years/s"
            f"   naive numpy {r['naive_numpy_seconds']:>7.3f} s  ({r['speedup_vs_naive']}x)"
        )
    slowest = max(r["seconds"] * 100_000 / r["years"] for r in results)
    if args.years < 100_000:
        print("aim (100,000 years in under 1 s): run without --quick to measure it")
        return
    print(
        f"aim: 100,000 years in under 1 s on one core: {'met' if slowest < 1 else 'not met'} "
        f"(slowest agreement: {slowest:.2f} s per 100,000 years)"
    )


if __name__ == "__main__":
    main()
