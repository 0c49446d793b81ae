"""Benchmark: PDF time per contract, through Typst in process, next to WeasyPrint on our HTML.

Run from the repository root:

    .venv/bin/python bench/render.py            # 10 timed runs per contract and path
    .venv/bin/python bench/render.py --quick    # 2 runs each (seconds), for tests
    .venv/bin/python bench/render.py --json     # the figures as JSON on stdout (progress on stderr)

For each example agreement (managed, break-fix, block-hours, managed-plus-tm), after one untimed
warm-up per path, the best and median of --runs:
  typst       sla.render.render(agreement, "pdf"): the view model, the Jinja2 template, and the
              Typst compilation in this process (split into the Typst source and the compile)
  weasyprint  sla.render.render(agreement, "html"), then weasyprint.HTML(string=...).write_pdf():
              the same view model, our own HTML file (with its print style sheet) turned into PDF
Both paths start from the loaded agreement, so parsing and checking are not timed. The first
Typst render of the process (templates compiled, embedded fonts loaded) is reported apart.
WeasyPrint is only in the `bench` extra; without it the WeasyPrint column is skipped.

The issue's aim, printed at the end: the Typst path at least 5x faster than the WeasyPrint path
for every contract (median times).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

EXAMPLES = ("managed", "break-fix", "block-hours", "managed-plus-tm")
AIM = 5.0

from _sla import HERE, sla

from sla.render import compile_typst, render


def note(message: str) -> None:
    """Progress on stderr, so that stdout holds only the table or the JSON."""
    print(message, file=sys.stderr, flush=True)


def timed(runs: int, fn: Callable[[], object]) -> dict[str, float]:
    """Best and median seconds of `runs` calls, after one untimed warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": statistics.median(times)}


def weasyprint_module() -> Any:
    try:
        import weasyprint
    except ImportError:
        return None
    return weasyprint


def bench(runs: int) -> dict[str, Any]:
    weasy = weasyprint_module()
    if weasy is None:
        note("WeasyPrint is not installed (pip install '.[bench]'): its column is skipped")
    agreements = {name: sla.load(HERE.parent / "examples" / f"{name}.sla").agreements[0] for name in EXAMPLES}
    t0 = time.perf_counter()
    render(agreements[EXAMPLES[0]], "pdf")
    first = time.perf_counter() - t0
    contracts: dict[str, dict[str, Any]] = {}
    for name, agreement in agreements.items():
        note(f"timing {name} ({runs} runs a path) ...")
        contracts[name] = bench_contract(agreement, runs, weasy)
    result: dict[str, Any] = {
        "runs": runs,
        "first_typst_render_seconds": first,
        "contracts": contracts,
        "versions": versions(weasy),
    }
    if weasy is not None:
        ratios = [c["ratio_median"] for c in contracts.values()]
        result["aims"] = {
            "typst_at_least_5x_faster": min(ratios) >= AIM,
            "lowest_ratio": min(ratios),
            "mean_ratio": statistics.fmean(ratios),
        }
    return result


def bench_contract(agreement: Any, runs: int, weasy: Any) -> dict[str, Any]:
    """The timings of one agreement on each path, and the size of each PDF."""
    pdf = render(agreement, "pdf")
    source = render(agreement, "typst")
    assert isinstance(pdf, bytes) and isinstance(source, str)
    figures: dict[str, Any] = {
        "pdf_bytes": len(pdf),
        "typst": timed(runs, lambda: render(agreement, "pdf")),
        "typst_source": timed(runs, lambda: render(agreement, "typst")),
        "typst_compile": timed(runs, lambda: compile_typst(source)),
    }
    if weasy is None:
        return figures

    def through_weasyprint() -> bytes:
        page = render(agreement, "html")
        assert isinstance(page, str)
        return bytes(weasy.HTML(string=page).write_pdf())

    figures["weasyprint_pdf_bytes"] = len(through_weasyprint())
    figures["weasyprint"] = timed(runs, through_weasyprint)
    figures["ratio_median"] = figures["weasyprint"]["median"] / figures["typst"]["median"]
    figures["ratio_best"] = figures["weasyprint"]["best"] / figures["typst"]["best"]
    return figures


def versions(weasy: Any) -> dict[str, str]:
    from importlib.metadata import version

    found = {
        "python": platform.python_version(),
        "sla": sla.__version__,
        "typst": version("typst"),
        "jinja2": version("jinja2"),
        "platform": platform.platform(),
    }
    if weasy is not None:
        found["weasyprint"] = weasy.__version__
    return found


def table(result: dict[str, Any]) -> str:
    v = result["versions"]
    lines = [
        f"sla {v['sla']} | Python {v['python']} | typst {v['typst']} | jinja2 {v['jinja2']}"
        + (f" | WeasyPrint {v['weasyprint']}" if "weasyprint" in v else " | WeasyPrint not installed"),
        "",
        f"PDF time per contract, milliseconds, best / median of {result['runs']} runs after a warm-up",
        f"(first Typst render of the process: {result['first_typst_render_seconds'] * 1000:.1f} ms)",
        "",
    ]
    weasy = "weasyprint" in v
    head = f"  {'contract':<18} {'typst':>15} {'(source':>9} {'compile)':>9}"
    if weasy:
        head += f" {'weasyprint':>17} {'ratio':>8}"
    lines.append(head)
    for name, c in result["contracts"].items():
        ms = {
            key: {k: v * 1000 for k, v in c[key].items()}
            for key in ("typst", "typst_source", "typst_compile")
        }
        row = (
            f"  {name:<18} {ms['typst']['best']:>6.1f} / {ms['typst']['median']:>6.1f}"
            f" {ms['typst_source']['median']:>9.1f} {ms['typst_compile']['median']:>9.1f}"
        )
        if weasy:
            row += (
                f" {c['weasyprint']['best'] * 1000:>7.1f} / {c['weasyprint']['median'] * 1000:>7.1f}"
                f" {c['ratio_median']:>7.1f}x"
            )
        lines.append(row)
    aims = result.get("aims")
    if aims:
        ok = "met" if aims["typst_at_least_5x_faster"] else "NOT met"
        spread = f"lowest {aims['lowest_ratio']:.1f}x, mean {aims['mean_ratio']:.1f}x, medians"
        aim = f"Aim: Typst at least {AIM:g}x faster than WeasyPrint for every contract: {ok} ({spread})"
        lines += ["", aim]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--runs", type=int, default=None, help="timed runs per contract and path (default 10; 2 with --quick)"
    )
    ap.add_argument("--quick", action="store_true", help="few runs, for tests")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    runs = args.runs if args.runs is not None else 2 if args.quick else 10
    if runs < 1:
        ap.error("--runs must be positive")
    result = bench(runs)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
