"""What `sla check` loads when it starts: nothing a check does not use (bench/startup.py times it;
these tests only look at which modules a fresh process imported, never at the clock)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_run_by_the_program_a_check_ends_at_once_with_its_output_and_code(tmp_path: Path) -> None:
    program = tmp_path / "sla_program.py"  # as the console script: run() at the top of a file
    program.write_text(
        "import atexit\natexit.register(lambda: print('TORN DOWN'))\nfrom sla.cli import run\nrun()\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.sla"
    bad.write_text('agreement "A" {\n  currency EUX\n}\n', encoding="utf-8")
    for args, code, last in [
        (["check", "examples/managed.sla"], 0, "2 files checked: no problems"),
        (["check", str(bad)], 1, "1 file checked: 1 error, 1 warning"),
        (["--version"], 0, "TORN DOWN"),  # a command that does not end at once
    ]:
        proc = subprocess.run(
            [sys.executable, str(program), *args], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert (proc.returncode, proc.stdout.splitlines()[-1]) == (code, last), proc.stderr


def test_run_in_a_program_that_goes_on_exits_as_sys_exit_and_collects_again() -> None:
    code = """
import contextlib, gc, io, sys
from sla.cli import run
for args in (["check", "examples/managed.sla"], ["check", "--no-such-option"]):
    sys.argv = ["sla", *args]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            run()
        except SystemExit as exc:
            ended = exc.code
    print(args[-1], ended, gc.isenabled())
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.stdout.splitlines() == ["examples/managed.sla 0 True", "--no-such-option 2 True"]
