"""Benchmark: PDF contracts through Typst, next to WeasyPrint on the same contracts' HTML.

Run from the repository root:

    python bench/render.py            # the full benchmark (a few minutes)
    python bench/render.py --quick    # few runs and a batch of 40 (seconds), for tests
    python bench/render.py --json     # the figures as JSON on stdout (progress on stderr)

Three comparisons, each of equal work or saying where it is not:

1. One contract in a warm process. For each example agreement (managed, break-fix, block-hours,
   managed-plus-tm), after one untimed warm-up per path, the best and median of --runs, where
   every timed run renders a contract not rendered before (the example with its id, customer
   and quantities changed, so every price in it changes too): Typst keeps a cache of what it laid
   out, and a benchmark that compiles the same source again measures that cache, which
   WeasyPrint does not have.
     typst       sla.render.render(agreement, "pdf"): the view model, the Jinja2 template and the
                 Typst compilation in this process (split into the Typst source and the compile)
     weasyprint  sla.render.render(agreement, "html"), then weasyprint.HTML(string=...).write_pdf():
                 the same view model, our own HTML (with its print style sheet) turned into PDF
   Both paths start from the loaded agreement: parsing and checking are not timed.
2. One contract as a whole process: `sla render managed-K.sla --to pdf -o FILE` next to
   `weasyprint managed-K.html FILE` on the HTML `sla render --to html` made of the same agreement
   (made beforehand, untimed), in turn (A B A B ...) after a warm-up of each, --process-runs
   pairs, pair K on the K-th distinct version of examples/managed.sla (as in 1); the ratio is
   taken pair by pair and its median quoted, for wall and for CPU time. sla's process does more:
   it reads, parses and checks the .sla file and makes the contract's text, where WeasyPrint
   starts from the HTML. Both get the same environment (bytecode cached, as after an install).
3. A batch: 1,000 distinct contracts (variants of the four examples, as in 1) rendered to PDF by
   one `sla render FILES --to pdf -o FOLDER --jobs 2` process, timed as a whole. WeasyPrint's time
   for the same batch is estimated from 1 (its median per contract, times the batch, over 2 cores)
   rather than run, and is labelled so.

The issue's aims, printed first, side by side with the figures they are about: the whole
process at least 10x faster than WeasyPrint's (median of the pairwise wall-time ratios), and the
batch of 1,000 on 2 cores in under 25 s. The load average of the machine is printed beside 2 and
3: on a machine other work keeps busy, wall times grow and CPU times are the steadier figure.
WeasyPrint is in the `bench` extra; without it the WeasyPrint figures are skipped.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLES = ("managed", "break-fix", "block-hours", "managed-plus-tm")
PROCESS_AIM = 10.0
BATCH = 1000
BATCH_AIM_SECONDS = 25.0
JOBS = 2

from _sla import HERE, sla
from startup import environment, one_run, sla_command

from sla.render import compile_typst, render

EXAMPLES_DIR = HERE.parent / "examples"


def note(message: str) -> None:
    """Progress on stderr, so that stdout holds only the table or the JSON."""
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ distinct contracts


def variant(text: str, k: int) -> str:
    """The k-th distinct version of an example: another id, customer and quantities (so every
    price of the contract differs), still a valid agreement."""
    text = re.sub(r'(\bid ")([^"]*)(")', lambda m: f"{m[1]}{m[2]}-V{k}{m[3]}", text, count=1)
    text = re.sub(r'(\bcustomer ")([^"]*)(")', lambda m: f"{m[1]}{m[2]} (branch {k}){m[3]}", text, count=1)
    return re.sub(r"\bquantity (\d+)", lambda m: f"quantity {int(m[1]) + k}", text)


def write_variants(folder: Path, name: str, count: int, first: int = 0) -> list[Path]:
    """`count` distinct versions of an example written into `folder` (its imports beside them)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "calendars.sla").exists():
        shutil.copy(EXAMPLES_DIR / "calendars.sla", folder / "calendars.sla")
    text = (EXAMPLES_DIR / f"{name}.sla").read_text(encoding="utf-8")
    paths = []
    for k in range(first, first + count):
        path = folder / f"{name}-{k:04d}.sla"
        path.write_text(variant(text, k), encoding="utf-8")
        paths.append(path)
    return paths


def load_variants(folder: Path, name: str, count: int) -> list[Any]:
    return [sla.load(path).agreements[0] for path in write_variants(folder, name, count)]


# ------------------------------------------------------------------------------ 1. in a warm process


def timed(runs: int, fn: Callable[[int], object]) -> dict[str, float]:
    """Best and median seconds of `runs` calls fn(1) ... fn(runs), after an untimed fn(0)."""
    fn(0)
    times = []
    for k in range(1, runs + 1):
        gc.collect()
        t0 = time.perf_counter()
        fn(k)
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": statistics.median(times)}


def weasyprint_module() -> Any:
    try:
        import weasyprint
    except ImportError:
        return None
    return weasyprint


def bench(runs: int) -> dict[str, Any]:
    """Comparison 1: every example, `runs` distinct contracts a path, in this process."""
    weasy = weasyprint_module()
    if weasy is None:
        note("WeasyPrint is not installed (pip install '.[bench]'): its column is skipped")
    with tempfile.TemporaryDirectory(prefix="sla-bench-render-") as tmp:
        # Variants 0 (the warm-up) to runs for each path; runs + 1 to 2 runs + 1 for the compile
        # alone, so that none of its sources was compiled before; the last for the sizes.
        agreements = {name: load_variants(Path(tmp), name, 2 * runs + 3) for name in EXAMPLES}
    t0 = time.perf_counter()
    render(agreements[EXAMPLES[0]][-1], "pdf")
    first = time.perf_counter() - t0
    contracts: dict[str, dict[str, Any]] = {}
    for name, versions_of_it in agreements.items():
        note(f"timing {name} ({runs} distinct contracts a path) ...")
        contracts[name] = bench_contract(versions_of_it, runs, weasy)
    result: dict[str, Any] = {
        "runs": runs,
        "first_typst_render_seconds": first,
        "contracts": contracts,
        "versions": versions(weasy),
    }
    if weasy is not None:
        ratios = [c["ratio_median"] for c in contracts.values()]
        result["aims"] = {"lowest_ratio": min(ratios), "mean_ratio": statistics.fmean(ratios)}
    return result


def bench_contract(agreements: list[Any], runs: int, weasy: Any) -> dict[str, Any]:
    """The timings of distinct versions of one agreement on each path, and the size of each PDF."""
    pdf = render(agreements[-1], "pdf")
    assert isinstance(pdf, bytes)
    sources = [render(a, "typst") for a in agreements[runs + 1 : 2 * runs + 2]]
    figures: dict[str, Any] = {
        "pdf_bytes": len(pdf),
        "typst": timed(runs, lambda k: render(agreements[k], "pdf")),
        "typst_source": timed(runs, lambda k: render(agreements[k], "typst")),
        "typst_compile": timed(runs, lambda k: compile_typst(str(sources[k]))),
    }
    if weasy is None:
        return figures

    def through_weasyprint(k: int) -> bytes:
        page = render(agreements[k], "html")
        assert isinstance(page, str)
        return bytes(weasy.HTML(string=page).write_pdf())

    figures["weasyprint_pdf_bytes"] = len(through_weasyprint(-1))
    figures["weasyprint"] = timed(runs, through_weasyprint)
    figures["ratio_median"] = figures["weasyprint"]["median"] / figures["typst"]["median"]
    figures["ratio_best"] = figures["weasyprint"]["best"] / figures["typst"]["best"]
    return figures


# ------------------------------------------------------------------------------ 2. whole processes


def weasyprint_command() -> list[str] | None:
    """WeasyPrint's own command beside the interpreter, else `python -m weasyprint`."""
    script = Path(sys.executable).parent / "weasyprint"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "weasyprint"] if weasyprint_module() is not None else None


def bench_process(pairs: int) -> dict[str, Any]:
    """Comparison 2: one contract, sla's whole process against WeasyPrint's on the same HTML;
    pair k renders the k-th distinct version of the managed example on both sides."""
    weasy = weasyprint_command()
    with tempfile.TemporaryDirectory(prefix="sla-bench-render-") as tmp_name:
        tmp = Path(tmp_name)
        env = environment("cached", tmp / "pycache")
        sla_cmd = sla_command()
        sources = write_variants(tmp / "contracts", "managed", pairs + 1)  # the first is the warm-up
        html = tmp / "html"
        made = subprocess.run(
            [*sla_cmd, "render", *map(str, sources), "--to", "html", "-o", str(html)],
            env=env,
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            raise SystemExit(f"sla render --to html failed:\n{made.stderr}")

        def ours(k: int) -> list[str]:
            return [*sla_cmd, "render", str(sources[k]), "--to", "pdf", "-o", str(tmp / f"sla-{k}.pdf")]

        def theirs(k: int) -> list[str] | None:
            page = html / f"{sources[k].stem}.html"
            return [*weasy, str(page), str(tmp / f"weasyprint-{k}.pdf")] if weasy else None

        note(
            f"timing sla render --to pdf{' and weasyprint' if weasy else ''} as whole processes ({pairs} pairs) ..."
        )
        load_before = os.getloadavg()
        for cmd in (ours(0), theirs(0)):
            if cmd is not None:
                one_run(cmd, env, HERE.parent)  # warm-up: bytecode written, files in the page cache
        rows = []
        for k in range(1, pairs + 1):
            a = one_run(ours(k), env, HERE.parent)
            their = theirs(k)
            b = one_run(their, env, HERE.parent) if their else None
            if a[2] != 0 or (b is not None and b[2] != 0):
                raise SystemExit("a render process failed")
            rows.append((a, b))
        result: dict[str, Any] = {
            "pairs": pairs,
            "sla": {
                "wall": statistics.median(a[0] for a, _ in rows),
                "cpu": statistics.median(a[1] for a, _ in rows),
            },
            "sla_pdf_bytes": (tmp / f"sla-{pairs}.pdf").stat().st_size,
            "load_average": [load_before[0], os.getloadavg()[0]],
        }
        if weasy:
            result["weasyprint"] = {
                "wall": statistics.median(b[0] for _, b in rows if b),
                "cpu": statistics.median(b[1] for _, b in rows if b),
            }
            result["weasyprint_pdf_bytes"] = (tmp / f"weasyprint-{pairs}.pdf").stat().st_size
            result["ratio_wall"] = statistics.median(b[0] / a[0] for a, b in rows if b)
            result["ratio_cpu"] = statistics.median(b[1] / a[1] for a, b in rows if b)
    return result


def bench_batch(count: int, jobs: int) -> dict[str, Any]:
    """Comparison 3: `count` distinct contracts to PDF by one `sla render --jobs` process."""
    with tempfile.TemporaryDirectory(prefix="sla-bench-render-") as tmp_name:
        tmp = Path(tmp_name)
        env = environment("cached", tmp / "pycache")
        sources = tmp / "contracts"
        paths: list[Path] = []
        for i, name in enumerate(EXAMPLES):
            share = count // len(EXAMPLES) + (i < count % len(EXAMPLES))
            paths += write_variants(sources, name, share)
        out = tmp / "pdf"
        cmd = [*sla_command(), "render", *map(str, paths), "--to", "pdf", "-o", str(out), "--jobs", str(jobs)]
        warm = [*sla_command(), "render", str(paths[0]), "--to", "pdf", "-o", str(tmp / "warm.pdf")]
        one_run(warm, env, HERE.parent)  # bytecode written, libraries in the page cache
        note(f"rendering a batch of {count:,} distinct contracts on {jobs} processes ...")
        load_before = os.getloadavg()
        wall, cpu, code = one_run(cmd, env, HERE.parent)
        load_after = os.getloadavg()
        if code != 0:
            raise SystemExit(f"the batch failed with exit code {code}")
        pdfs = list(out.glob("*.pdf"))
        return {
            "contracts": count,
            "jobs": jobs,
            "cpus": os.cpu_count(),
            "seconds": wall,
            "cpu_seconds": cpu,
            "pdfs": len(pdfs),
            "pdf_megabytes": sum(p.stat().st_size for p in pdfs) / 1e6,
            "load_average": [load_before[0], load_after[0]],
        }


# ------------------------------------------------------------------------------ report


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


def weasyprint_batch_estimate(result: dict[str, Any]) -> float | None:
    """WeasyPrint's seconds for the batch, estimated from comparison 1 (its median per contract in
    a warm process, so without its start-up, spread over the batch's cores): not run."""
    batch, contracts = result.get("batch"), result["contracts"].values()
    if not batch or not all("weasyprint" in c for c in contracts):
        return None
    per = statistics.fmean(c["weasyprint"]["median"] for c in contracts)
    return float(per * batch["contracts"] / batch["jobs"])


def aims_table(result: dict[str, Any]) -> list[str]:
    """The two aims of the issue beside the figures they are about."""
    proc, batch, met = result.get("process"), result.get("batch"), result.get("aims_met", {})
    lines = [f"  {'':<42} {'sla':>9} {'WeasyPrint':>14} {'ratio':>7}   aim"]
    if proc:
        weasy = proc.get("weasyprint")
        for key, label in (("wall", "one contract as a whole process, wall"), ("cpu", "  cpu")):
            theirs = f"{weasy[key] * 1000:>11,.0f} ms" if weasy else f"{'-':>14}"
            ratio = f"{proc[f'ratio_{key}']:>6.1f}x" if weasy else f"{'-':>7}"
            aim = ""
            if key == "wall":
                verdict = {True: "met", False: "NOT met"}.get(met.get("process_10x"), "not measured")
                aim = f"   at least {PROCESS_AIM:g}x: {verdict}"
            lines.append(f"  {label:<42} {proc['sla'][key] * 1000:>6,.0f} ms {theirs} {ratio}{aim}")
    if batch:
        estimate = weasyprint_batch_estimate(result)
        theirs = f"{estimate:>7,.0f} s est." if estimate else f"{'-':>14}"
        ratio = f"{estimate / batch['seconds']:>6.1f}x" if estimate else f"{'-':>7}"
        verdict = {True: "met", False: "NOT met"}.get(
            met.get("batch_under_25s"), f"not measured (a batch of {batch['contracts']:,})"
        )
        label = f"{batch['contracts']:,} distinct contracts, --jobs {batch['jobs']}, wall"
        lines.append(
            f"  {label:<42} {batch['seconds']:>7.1f} s {theirs} {ratio}   "
            f"{BATCH:,} in under {BATCH_AIM_SECONDS:g} s: {verdict}"
        )
        lines.append(
            f"  {'  cpu':<42} {batch['cpu_seconds']:>7.1f} s"
            f"   ({batch['cpu_seconds'] / batch['contracts'] * 1000:.0f} ms of CPU a contract)"
        )
    return lines


def table(result: dict[str, Any]) -> str:
    v = result["versions"]
    lines = [
        f"sla {v['sla']} | Python {v['python']} | typst {v['typst']} | jinja2 {v['jinja2']}"
        + (f" | WeasyPrint {v['weasyprint']}" if "weasyprint" in v else " | WeasyPrint not installed"),
    ]
    loads = [x for key in ("process", "batch") for x in result.get(key, {}).get("load_average", [])]
    if loads:
        lines.append(
            f"load average {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} CPUs while 2 and 3 ran"
        )
    if result.get("process") or result.get("batch"):
        lines += ["", "The aims of the issue, side by side with what they are about (2 and 3 below):"]
        lines += aims_table(result)
    lines += [
        "",
        (
            "1. One contract in a warm process: PDF time per contract, ms, best / median of "
            f"{result['runs']} distinct contracts"
        ),
        f"   (first Typst render of the process: {result['first_typst_render_seconds'] * 1000:.1f} ms)",
        "",
    ]
    weasy = "weasyprint" in v
    head = f"  {'contract':<18} {'typst':>15} {'(source':>9} {'compile)':>9}"
    if weasy:
        head += f" {'weasyprint':>17} {'ratio':>8}"
    lines.append(head)
    for name, c in result["contracts"].items():
        ms = {
            key: {k: x * 1000 for k, x in c[key].items()}
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
    proc = result.get("process")
    if proc:
        lines += [
            "",
            (
                f"2. One contract as a whole process, {proc['pairs']} pairs in turn after a warm-up, each "
                "pair a distinct version of managed.sla; medians"
            ),
            (
                f"  sla render managed-K.sla --to pdf -o FILE          {proc['sla']['wall'] * 1000:>7.0f} ms wall"
                f" {proc['sla']['cpu'] * 1000:>7.0f} ms cpu"
            ),
        ]
        if "weasyprint" in proc:
            lines += [
                (
                    f"  weasyprint managed-K.html FILE (the same contract) {proc['weasyprint']['wall'] * 1000:>7.0f} ms wall"
                    f" {proc['weasyprint']['cpu'] * 1000:>7.0f} ms cpu"
                ),
                (
                    f"  WeasyPrint / sla: {proc['ratio_wall']:.1f}x wall, {proc['ratio_cpu']:.1f}x cpu "
                    "(median of the pairwise ratios)"
                ),
            ]
    batch = result.get("batch")
    if batch:
        lines += [
            "",
            (
                f"3. A batch: {batch['contracts']:,} distinct contracts, sla render FILES --to pdf -o FOLDER "
                f"--jobs {batch['jobs']} ({batch['cpus']} CPUs)"
            ),
            (
                f"  {batch['seconds']:.1f} s wall, {batch['cpu_seconds']:.1f} s cpu, {batch['pdfs']:,} PDFs, "
                f"{batch['pdf_megabytes']:.1f} MB; {batch['contracts'] / batch['seconds']:.0f} contracts/s"
            ),
        ]
        estimate = weasyprint_batch_estimate(result)
        if estimate is not None:
            lines.append(
                f"  WeasyPrint, estimated from 1 (not run): {estimate:.0f} s on {batch['jobs']} cores"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--runs", type=int, default=None, help="distinct contracts per example and path (default 10)"
    )
    ap.add_argument("--process-runs", type=int, default=None, help="whole-process pairs (default 11)")
    ap.add_argument("--batch", type=int, default=None, help=f"contracts in the batch (default {BATCH:,})")
    ap.add_argument("--quick", action="store_true", help="few runs and a batch of 40, for tests")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    runs = args.runs if args.runs is not None else 2 if args.quick else 10
    pairs = args.process_runs if args.process_runs is not None else 2 if args.quick else 11
    batch = args.batch if args.batch is not None else 40 if args.quick else BATCH
    if min(runs, pairs, batch) < 1:
        ap.error("--runs, --process-runs and --batch must be positive")
    result = bench(runs)
    result["process"] = bench_process(pairs)
    result["batch"] = bench_batch(batch, JOBS)
    aims: dict[str, bool] = {}
    if "ratio_wall" in result["process"]:
        aims["process_10x"] = result["process"]["ratio_wall"] >= PROCESS_AIM
    if batch >= BATCH:
        aims["batch_under_25s"] = result["batch"]["seconds"] < BATCH_AIM_SECONDS
    result["aims_met"] = aims
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
