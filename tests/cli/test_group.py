"""The `sla` group (sla/cli/__init__.py): the listing of commands, the entry points, and the
package's layout: commands import no other command, and importing sla.cli loads nothing heavy."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sla.cli import COMMANDS
from tests.cli import run
from tests.conftest import ROOT

PACKAGE = ROOT / "sla" / "cli"
#: The modules of sla.cli that are not commands: what every command may share.
SHARED = {"__init__", "common", "terminal"}


def _python(code: str) -> str:
    """Run `code` in a fresh interpreter (so nothing is imported yet) and return what it prints."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return proc.stdout


def _imported(path: Path) -> set[str]:
    """The modules of sla.cli that a module imports, by name (`common`, `price`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from .x import y, from . import x
                found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            elif node.level == 0 and (node.module or "").startswith("sla.cli."):
                found.add(node.module.split(".")[2])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("sla.cli.")}
    return found


def test_every_command_module_is_listed_and_every_listed_module_exists() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} - SHARED
    assert modules == {module for module, _ in COMMANDS.values()}
    for name, (module, _) in COMMANDS.items():
        command = getattr(importlib.import_module(f"sla.cli.{module}"), name)
        assert isinstance(command, click.Command) and command.name == name


def test_commands_import_no_other_command() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        imported = _imported(path)
        allowed = set() if path.stem in ("common", "terminal") else {"common", "terminal"}
        assert imported <= allowed - {path.stem}, f"{path.name} imports {sorted(imported - allowed)}"


def test_each_summary_is_the_first_paragraph_of_its_command_help() -> None:
    for name, (module, summary) in COMMANDS.items():
        command = getattr(importlib.import_module(f"sla.cli.{module}"), name)
        first = (command.help or "").split("\n\n")[0]
        assert " ".join(first.split()) == summary, name


def test_help_lists_the_commands_as_click_would() -> None:
    class InOrder(click.Group):  # click's own listing, every command imported, in the order added
        def list_commands(self, ctx: click.Context) -> list[str]:
            return list(self.commands)

    code, out, _ = run("--help")
    plain = InOrder("sla", context_settings={"max_content_width": 100})
    for name, (module, _) in COMMANDS.items():
        plain.add_command(getattr(importlib.import_module(f"sla.cli.{module}"), name))
    expected = CliRunner().invoke(plain, ["--help"]).stdout
    assert code == 0
    assert out[out.index("Commands:") :] == expected[expected.index("Commands:") :]


def test_importing_the_package_loads_nothing_heavy() -> None:
    loaded = _python("import sys, sla.cli; print(' '.join(sorted(sys.modules)))").split()
    heavy = [
        name
        for name in loaded
        if name.split(".")[0] in ("lark", "numpy", "rich", "matplotlib", "typst")
        or name in ("sla.model", "sla.api", "sla.loader")
    ]
    assert heavy == []


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys\nfrom sla.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(m for m in sys.modules if m.startswith('sla.cli.'))))"
    )
    out = _python(code)
    assert out.splitlines()[-1] == "MODULES sla.cli.common"


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("sla, version ")


def test_console_script_runs_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sla"
    bad.write_bytes(b"\xff\xfe\x00junk")
    proc = subprocess.run(
        [sys.executable, "-m", "sla", "check", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "SLA007" in proc.stdout


def test_an_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sla import cli

    def broken(**_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.delenv("SLA_DEBUG", raising=False)
    monkeypatch.setattr(cli, "main", broken)
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    assert exit_.value.code == 3
    assert capsys.readouterr().err == (
        "sla: internal error: RuntimeError: boom (set SLA_DEBUG=1 for details; please report it)\n"
    )
