"""Benchmark: how fast `sla` starts, as whole processes, next to importing what it is built on.

Run from the repository root:

    python bench/startup.py            # 21 pairs per command (about half a minute)
    python bench/startup.py --quick    # 3 pairs each (seconds), for tests
    python bench/startup.py --json     # the figures as JSON on stdout (progress on stderr)

Each command runs as a fresh process, in turn with its anchor (A B A B ...), after one untimed
warm-up of each; the ratio is taken pair by pair, so that a machine whose speed drifts still
gives a fair ratio, and the median of the pairs is quoted. Wall time is measured around the
process; CPU time (user + system) is the operating system's account of the finished child.

  sla check examples/managed.sla       the issue's aim: within 1.5x of the anchor (median ratio)
  sla --help                           lists every command without importing any
  sla render examples/managed.sla --to md -o FILE
  anchor: python -c "import pydantic, lark"   what sla is built on, imported and nothing done
  floor:  python -c pass                      the interpreter alone (one run per pair, no ratio)

Both sides get the same environment: bytecode cached in a private folder (PYTHONPYCACHEPREFIX,
filled by the warm-up), as for an installed package whose .pyc files were written at install;
`--bytecode env` keeps the environment as given instead (with PYTHONDONTWRITEBYTECODE set and no
__pycache__ beside the sources, every start then compiles sla's modules again: the anchor's
libraries ship compiled, so that is not equal treatment, and the table says so). The sla measured
is the one this script imports (PYTHONPATH is set to it), so a checkout is measured as it stands.

Beside the times, one run of each sla command under `python -X importtime` lists the third-party
libraries it loaded, so that a library loaded for nothing (holidays to name a region, typst for
Markdown) shows. `--where N` adds where the time of `sla check` goes beyond the anchor's: the N
modules it imports that the anchor does not, by their own import time (the least of the runs,
without what they import in turn).

    python bench/startup.py --only check --where 25
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _sla import ROOT, sla

AIM = 1.5
ANCHOR = ["-c", "import pydantic, lark"]
#: Libraries worth naming when a command loads them (the rest are the standard library or small).
LIBRARIES = (
    "pydantic",
    "lark",
    "click",
    "jinja2",
    "babel",
    "holidays",
    "numpy",
    "typst",
    "rich",
    "matplotlib",
    "yaml",
    "pyarrow",
)


def note(message: str) -> None:
    """Progress on stderr, so that stdout holds only the table or the JSON."""
    print(message, file=sys.stderr, flush=True)


def environment(setting: str, pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    source = str(Path(sla.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = source + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if setting == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def sla_command() -> list[str]:
    """The console script beside the interpreter (what a user runs), else `python -m sla`."""
    folder = Path(sys.executable).parent  # not resolved: a venv's python is a symlink
    for name in ("sla", "sla.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    return [sys.executable, "-m", "sla"]


def one_run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and the exit code of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def pairs(a: list[str], b: list[str], env: dict[str, str], cwd: Path, runs: int) -> dict[str, Any]:
    """A and B in turn, `runs` times each after one warm-up each; medians and pairwise ratios."""
    for cmd in (a, b):
        _, _, code = one_run(cmd, env, cwd)
        if code != 0:
            done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
            raise SystemExit(f"{' '.join(cmd)} exited with {code}:\n{done.stdout}{done.stderr}")
    rows: list[tuple[float, float, float, float]] = []
    for _ in range(runs):
        one_wall, one_cpu, _ = one_run(a, env, cwd)
        other_wall, other_cpu, _ = one_run(b, env, cwd)
        rows.append((one_wall, one_cpu, other_wall, other_cpu))
    wall_a, cpu_a, wall_b, cpu_b = (list(column) for column in zip(*rows))
    return {
        "a": {"wall": statistics.median(wall_a), "cpu": statistics.median(cpu_a), "wall_min": min(wall_a)},
        "b": {"wall": statistics.median(wall_b), "cpu": statistics.median(cpu_b), "wall_min": min(wall_b)},
        "ratio_wall": statistics.median(x / y for x, y in zip(wall_a, wall_b)),
        "ratio_cpu": statistics.median(x / y for x, y in zip(cpu_a, cpu_b)),
        "runs": runs,
    }


def libraries(cmd: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    """The named libraries a command loads, from one run under `python -X importtime`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    found = set(re.findall(r"^import time:.*\|\s*([A-Za-z_][\w]*)", done.stderr, re.MULTILINE))
    return [name for name in LIBRARIES if name in found]


def _self_times(cmd: list[str], env: dict[str, str], cwd: Path, runs: int) -> dict[str, int]:
    """Each module's own import time in µs (not counting what it imports), the least of `runs`
    runs under `python -X importtime`."""
    least: dict[str, int] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *cmd],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        for own, name in re.findall(r"^import time:\s*(\d+) \|\s*\d+ \|\s*(\S+)", done.stderr, re.MULTILINE):
            least[name] = min(least.get(name, int(own)), int(own))
    return least


def where(args: list[str], env: dict[str, str], cwd: Path, runs: int) -> dict[str, Any]:
    """The modules a command imports beyond the anchor's, by their own import time."""
    command = _self_times(["-m", "sla", *args], env, cwd, runs)
    anchor = _self_times(ANCHOR, env, cwd, runs)
    beyond = sorted(((us, name) for name, us in command.items() if name not in anchor), reverse=True)
    return {
        "modules": [[name, us] for us, name in beyond],
        "beyond_us": sum(us for us, _ in beyond),
        "command_us": sum(command.values()),
        "anchor_us": sum(anchor.values()),
    }


def bench(runs: int, setting: str, only: list[str] | None = None, where_runs: int = 0) -> dict[str, Any]:
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="sla-bench-startup-") as tmp_name:
        tmp = Path(tmp_name)
        env = environment(setting, tmp / "pycache")
        example = "examples/managed.sla"
        sla_cmd = sla_command()
        commands = {
            "check": [*sla_cmd, "check", example],
            "help": [*sla_cmd, "--help"],
            "render_md": [*sla_cmd, "render", example, "--to", "md", "-o", str(tmp / "managed.md")],
        }
        labels = {
            "check": f"sla check {example}",
            "help": "sla --help",
            "render_md": f"sla render {example} --to md -o FILE",
        }
        result: dict[str, Any] = {"setting": setting, "runs": runs, "commands": {}}
        for key, args in commands.items():
            if only and key not in only:
                continue
            note(f"timing {labels[key]} against the anchor ({runs} pairs) ...")
            figures = pairs(args, [python, *ANCHOR], env, ROOT, runs)
            figures["label"] = labels[key]
            figures["libraries"] = libraries(["-m", "sla", *args[len(sla_cmd) :]], env, ROOT)
            result["commands"][key] = figures
        note("timing python -c pass ...")
        floor = pairs([python, "-c", "pass"], [python, *ANCHOR], env, ROOT, runs)
        result["floor"] = floor["a"]
        result["anchor_libraries"] = libraries(ANCHOR, env, ROOT)
        result["sla_command"] = " ".join(sla_cmd)
        if where_runs:
            note(f"sla check under python -X importtime, {where_runs} runs ...")
            result["where"] = where(commands["check"][len(sla_cmd) :], env, ROOT, where_runs)
    if "check" in result["commands"]:
        result["aim_met"] = result["commands"]["check"]["ratio_wall"] <= AIM
    return result


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "sla": sla.__version__,
        "pydantic": version("pydantic"),
        "lark": version("lark"),
        "click": version("click"),
        "platform": platform.platform(),
        "sla_from": str(Path(sla.__file__).resolve().parent),
    }


def table(result: dict[str, Any]) -> str:
    v = result["versions"]
    setting = (
        "bytecode cached in a private folder (as an installed package)"
        if result["setting"] == "cached"
        else "the environment as given"
        + (
            " (PYTHONDONTWRITEBYTECODE is set: sla's modules are compiled at every start, the anchor's are not)"
            if os.environ.get("PYTHONDONTWRITEBYTECODE")
            else ""
        )
    )
    lines = [
        f"sla {v['sla']} | Python {v['python']} | pydantic {v['pydantic']} | lark {v['lark']} | click {v['click']}",
        "",
        f"Start-up as whole processes, {setting};",
        f"each command in turn with the anchor, {result['runs']} pairs after a warm-up; medians, ms",
        (
            'anchor: python -c "import pydantic, lark" '
            f"(loads {', '.join(result['anchor_libraries'])}); "
            f"python -c pass: {result['floor']['wall'] * 1000:.0f} ms"
        ),
        "",
        f"  {'command':<46} {'wall':>6} {'cpu':>6} {'anchor':>7} {'ratio':>7} {'(cpu)':>7}  libraries loaded",
    ]
    for c in result["commands"].values():
        lines.append(
            f"  {c['label']:<46} {c['a']['wall'] * 1000:>6.0f} {c['a']['cpu'] * 1000:>6.0f} "
            f"{c['b']['wall'] * 1000:>7.0f} {c['ratio_wall']:>6.2f}x {c['ratio_cpu']:>6.2f}x  "
            f"{', '.join(c['libraries'])}"
        )
    check = result["commands"].get("check")
    if check is not None:
        ok = "met" if result["aim_met"] else "NOT met"
        lines += [
            "",
            (
                f"Aim: sla check within {AIM:g}x of the anchor (median of the pairwise wall ratios): {ok} "
                f"({check['ratio_wall']:.2f}x)"
            ),
        ]
    if "where" in result:
        w = result["where"]
        lines += [
            "",
            (
                f"Where sla check's time goes beyond the anchor's, by import (own time, µs, under "
                f"-X importtime): {w['beyond_us']:,} in {len(w['modules'])} modules the anchor does "
                f"not import ({w['command_us']:,} in all imports, the anchor's {w['anchor_us']:,})"
            ),
            *(f"  {us:>7,}  {name}" for name, us in w["modules"][: result["where_shown"]]),
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=None, help="pairs per command (default 21; 3 with --quick)")
    ap.add_argument("--quick", action="store_true", help="few pairs, for tests")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--only",
        action="append",
        choices=("check", "help", "render_md"),
        help="time only this command (may be repeated)",
    )
    ap.add_argument(
        "--where",
        type=int,
        default=0,
        metavar="N",
        help="list the N modules of sla check beyond the anchor's that take longest to import",
    )
    ap.add_argument(
        "--bytecode",
        choices=("cached", "env"),
        default="cached",
        help="cached: bytecode in a private folder (default); env: the environment as given",
    )
    args = ap.parse_args(argv)
    runs = args.runs if args.runs is not None else 3 if args.quick else 21
    if runs < 1:
        ap.error("--runs must be positive")
    result = bench(runs, args.bytecode, args.only, max(runs, 5) if args.where else 0)
    result["where_shown"] = args.where
    result["versions"] = versions()
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
