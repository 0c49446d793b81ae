"""`sla fmt`: .sla files in the one canonical layout, printed, checked or rewritten in place."""

from __future__ import annotations

import sys

import click

from ..diagnostics import SlaError
from .common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    STDIN_FILENAME,
    expand,
    fail,
    print_diagnostics,
    read_input,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not formatted."
)
@click.option("--write", is_flag=True, help="Rewrite the files in place (atomically).")
@STDIN_FILENAME
def fmt(paths: tuple[str, ...], check_only: bool, write: bool, stdin_filename: str | None) -> None:
    """Format .sla files in the one canonical layout, keeping every comment.

    Without --check or --write the formatted text is printed. A file that does not parse is
    reported and left untouched. Use - to read standard input (its formatted text is printed,
    with --write too).
    """
    from ..files import write_atomic
    from ..fmt import format_text

    if check_only and write:
        fail("use --check or --write, not both")
    if stdin_filename is not None and "-" not in paths:
        fail("--stdin-filename names standard input: give - among the paths")
    files = ["-"] if paths == ("-",) else expand([p for p in paths if p != "-"]) + ["-"] * ("-" in paths)
    problems = unwritable = 0
    for path in files:
        name, shown = ((stdin_filename or "<stdin>") if path == "-" else path), {}
        try:
            got = read_input(path, name)
            shown = {name: got.text} if got.quotable else {}
            formatted = format_text(got.text, name)
        except SlaError as exc:
            print_diagnostics(exc.diagnostics, shown, err=True)
            problems += 1
            continue
        changed = formatted.encode("utf-8") != got.raw  # a BOM or CRLF line ends count as changes
        if check_only:
            if changed:
                click.echo(f"would reformat {stdin_filename or path if path == '-' else path}", err=True)
                problems += 1
        elif write and path != "-":
            if changed:
                try:
                    write_atomic(path, formatted, through_link=True)  # a link stays a link
                except OSError as exc:
                    click.echo(f"sla: cannot write {path!r}: {exc.strerror}", err=True)
                    unwritable += 1
                    continue
                click.echo(f"reformatted {path}", err=True)
        else:
            click.echo(formatted, nl=False)
    sys.exit(EXIT_USAGE if unwritable else EXIT_PROBLEMS if problems else EXIT_OK)
