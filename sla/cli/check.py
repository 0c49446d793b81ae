"""`sla check`: every diagnostic of files and folders, for people, as JSON or as SARIF."""

from __future__ import annotations

import os

import click

from .. import transform  # noqa: F401 - the parser, loaded with the command while start-up pauses the collector
from ..api import check_workspace
from ..diagnostics import SlaError
from ..loader import Workspace
from ..report import summary, to_json, to_sarif
from .common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    STDIN_FILENAME,
    Finished,
    expand,
    fail,
    print_diagnostics,
    read_input,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json", "sarif"]),
    default="human",
    show_default=True,
    help="How to print the diagnostics.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@STDIN_FILENAME
def check(paths: tuple[str, ...], fmt: str, strict: bool, stdin_filename: str | None) -> None:
    """Check agreements, profiles and requirements for mistakes.

    PATHS are .sla files or folders (searched for .sla files), or - for standard input, whose
    imports are found from the folder of --stdin-filename (else the current folder). Imported
    files are checked too. Exit code 0 when clean or only warnings, 1 on errors (or warnings
    with --strict), 2 when a path cannot be used.
    """
    if stdin_filename is not None and "-" not in paths:
        fail("--stdin-filename names standard input: give - among the paths")
    files = expand([p for p in paths if p != "-"])
    ws = Workspace()
    for f in files:
        ws.add(f)
    if "-" in paths:
        name = stdin_filename or "<stdin>"
        files.append(name)
        try:
            ws.add(name, read_input("-", name).text)
        except SlaError as exc:  # too big, or not UTF-8: a diagnostic like any file's
            ws.read.append(name)
            ws.diagnostics.extend(exc.diagnostics)
    diagnostics = check_workspace(ws)
    if fmt == "json":
        click.echo(to_json(diagnostics, files))
    elif fmt == "sarif":
        click.echo(to_sarif(diagnostics, base=os.getcwd()))
    else:
        print_diagnostics(diagnostics, ws.texts)
        s = summary(diagnostics, len(ws.read))
        counted = f"{s['errors']} error{'s' * (s['errors'] != 1)}, {s['warnings']} warning{'s' * (s['warnings'] != 1)}"
        checked = f"{s['files']} file{'s' * (s['files'] != 1)} checked"
        click.echo(f"{checked}: {counted}" if diagnostics else f"{checked}: no problems")
    errors = any(d.is_error for d in diagnostics)
    raise Finished(EXIT_PROBLEMS if errors or (strict and diagnostics) else EXIT_OK)
