"""Hostile files under the size limit check in time and memory linear in their size.

Each file is checked in a child process whose address space is capped (RLIMIT_AS), so that a
regression fails here instead of eating the machine. Before, a MiB of blank lines, of `;` or of
one string took 750 to 930 MB (the lexer's patterns kept an entry per character), and a MiB of
statements on one line with a diagnostic each ran out of 8 GB (every diagnostic printed the
whole line). The default run checks files of a MiB or less; the full 10 MiB ones are marked slow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

MiB = 1024 * 1024


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


CASES: dict[str, Callable[[int], str]] = {
    "blank lines": lambda size: _fill("\n", size),
    "comment lines": lambda size: _fill("# a comment line\n", size),
    "short comment lines": lambda size: _fill("#\n", size),
    "semicolons": lambda size: _fill(";", size),
    "one string": lambda size: _fill("x", size, 'agreement "', '" {\n}\n'),
    "one line of statements": lambda size: _fill('id "x"; ', size, 'agreement "A" { ', "}\n"),
}
# The one case that makes a statement and a diagnostic per 8 bytes (1.3 million of them in
# 10 MiB): linear, but not cheap.
HEAVY = "one line of statements"

_CHILD = """
import json, resource, sys, time
limit, path = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from sla import reference
from sla.api import check_workspace
from sla.loader import Workspace
from sla.parser import get_parser
from sla.report import human

get_parser(), reference.currencies()  # what any run pays before it reads a file
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.process_time()
ws = Workspace()
ws.add(path)
diagnostics = check_workspace(ws)
printed = human(diagnostics, ws.texts.get)
print(json.dumps({
    "seconds": time.process_time() - start,
    "grown_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
    "diagnostics": len(diagnostics),
    "printed": len(printed),
}))
"""


def _check(tmp_path: Path, case: str, size: int, limit: int) -> dict[str, float]:
    """Check a file of the case and size in a child capped at `limit` bytes of address space."""
    path = tmp_path / f"{case.replace(' ', '-')}-{size}.sla"
    path.write_text(CASES[case](size), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SLA_MAX_BYTES": str(max(size, 10 * MiB))}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(limit), str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    path.unlink()
    assert done.returncode == 0, f"{case} at {size:,} bytes: {done.stderr[-800:]}"
    figures: dict[str, float] = json.loads(done.stdout)
    assert figures["printed"] < 100_000, f"{case}: {figures['printed']:,} characters of diagnostics"
    return figures


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mebibyte_checks_in_linear_time_and_memory(tmp_path: Path, case: str) -> None:
    size = MiB if case != HEAVY else MiB // 2  # half of it is enough to see the heavy one's slope
    small = _check(tmp_path, case, size // 4, 2 << 30)
    large = _check(tmp_path, case, size, 2 << 30)
    # Four times the text: about four times the work, with room for noise and fixed costs;
    # anything quadratic is sixteen times.
    assert large["seconds"] <= 8 * small["seconds"] + 0.5, (case, small, large)
    assert large["grown_mb"] <= 8 * small["grown_mb"] + 40, (case, small, large)
    if case != HEAVY:
        assert large["seconds"] < 2 and large["grown_mb"] < 100, (case, large)
    else:
        assert large["seconds"] < 10 and large["grown_mb"] < 100, (case, large)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_ten_mebibytes_check_in_seconds(tmp_path: Path, case: str) -> None:
    if case != HEAVY:
        figures = _check(tmp_path, case, 10 * MiB, 2 << 30)
        assert figures["seconds"] < 10 and figures["grown_mb"] < 300, (case, figures)
    else:
        # 1.3 million statements, each parsed by lark at its pace (about 30 s on this machine,
        # as any 10 MiB of statements takes) and each with a diagnostic kept for JSON and SARIF;
        # no tree is held whole (about 550 MB, from 2.7 GB).
        one = _check(tmp_path, case, MiB, 1 << 30)
        ten = _check(tmp_path, case, 10 * MiB, 2 << 30)
        assert ten["seconds"] <= 20 * one["seconds"] + 5, (one, ten)  # linear is 10x; quadratic 100x
        assert ten["grown_mb"] <= 15 * one["grown_mb"] + 100 and ten["grown_mb"] < 800, (one, ten)
