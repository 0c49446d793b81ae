"""What `sla check` loads when it starts: nothing a check does not use (bench/startup.py times it;
these tests only look at which modules a fresh process imported, never at the clock)."""

from __future__ import annotations

import subprocess
import sys

from sla.cli import COMMANDS
from tests.conftest import ROOT

#: Run the console entry point as `sla ARGS...` and print, as it exits, whether the cyclic
#: collector is on and every module imported.
_REPORT = """
import atexit, gc, sys
atexit.register(lambda: print("GC", gc.isenabled(), "MODULES", *sorted(sys.modules)))
sys.argv = ["sla", *sys.argv[1:]]
from sla.cli import run
run()
"""

#: Libraries and stages that `sla check` never needs (the first word of a module's name, or the
#: whole name): output and simulation libraries, the other stages of sla, and
#: importlib.metadata, whose first use reads every installed distribution (pydantic does that
#: to find its plugins when it first builds a validator).
_NOT_FOR_CHECK = (
    "babel",
    "holidays",
    "jinja2",
    "matplotlib",
    "numpy",
    "rich",
    "typst",
    "yaml",
    "docx",
    "difflib",
    "importlib.metadata",
    "pydantic.plugin._loader",
    "sla.billing",
    "sla.clock",
    "sla.compare",
    "sla.comply",
    "sla.costs",
    "sla.diff",
    "sla.evaluate",
    "sla.pricing",
    "sla.render",
    "sla.render_docx",
    "sla.templates",
    "sla.writer",
)


def _start(*args: str) -> tuple[bool, set[str], str]:
    """Whether the collector was on at exit, the modules imported, and what was printed."""
    proc = subprocess.run(
        [sys.executable, "-c", _REPORT, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    line = next(x for x in proc.stdout.splitlines() if x.startswith("GC "))
    words = line.split()
    return words[1] == "True", set(words[3:]), proc.stdout


def test_check_loads_nothing_it_does_not_use() -> None:
    # managed.sla imports a file, names a time zone and keeps holidays: the whole of a check runs
    collecting, modules, out = _start("check", "examples/managed.sla")
    assert "2 files checked: no problems" in out
    assert "sla.checks" in modules  # the check ran
    unused = sorted(
        name for name in modules if name.split(".")[0] in _NOT_FOR_CHECK or name.startswith(_NOT_FOR_CHECK)
    )
    assert unused == []
    commands = {f"sla.cli.{module}" for module, _ in COMMANDS.values()}
    assert sorted(commands & modules) == ["sla.cli.check"]
    assert collecting  # paused for the start-up only


def test_the_collector_is_on_again_when_a_command_runs() -> None:
    code = "import gc, sys\nsys.argv = ['sla', 'init', '--help']\nfrom sla.cli import run\n"
    code += "import click\nclick.Command.get_help = lambda self, ctx: f'COLLECTING {gc.isenabled()}'\nrun()\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "COLLECTING True"
