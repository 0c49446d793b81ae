"""Tests of the `sla` command, one file for each module of sla.cli."""

from __future__ import annotations

from click.testing import CliRunner

from sla.cli import main


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `sla ARGS...` in-process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
