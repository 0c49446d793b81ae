"""The `sla` command: a click group whose commands each live in a module of this package.

A command's module is imported only when that command runs, so that `sla check` does not pay
for numpy, typst or matplotlib, and `sla --help` lists every command from `COMMANDS` without
importing any of them. Run as the program (`run`), the start-up (importing the command, its
libraries and its models) runs with the cyclic garbage collector paused, and a command that ends
with `common.Finished` (`sla check`) ends the process at once. Shared helpers are in
`sla.cli.common`, terminal output in `sla.cli.terminal`. Exit codes: 0 clean (or warnings only),
1 problems found, 2 usage or I/O, 3 an internal error.
"""

from __future__ import annotations

import gc
import os
import sys
from types import FrameType
from typing import NoReturn

import click

from .. import __version__
from ..diagnostics import SlaError
from .common import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, Finished

#: Every command, in the order `sla --help` lists them: name -> (its module in this package,
#: the first paragraph of its help). The command is the module's attribute of the same name;
#: a test keeps each summary equal to the command's own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "Check agreements, profiles and requirements for mistakes."),
    "fmt": ("fmt", "Format .sla files in the one canonical layout, keeping every comment."),
    "export": (
        "export",
        (
            'Export a checked file as JSON or YAML (money as strings, durations as "1h30m"), '
            "or as .sla text written from its model."
        ),
    ),
    "schema": ("export", "Print the JSON Schema of an exported file."),
    "price": (
        "price",
        "Quote an agreement: one-time fees, the first month, each contract year and the term.",
    ),
    "clock": ("clock", "Business time on an agreement's calendar: a deadline, or the time elapsed."),
    "bill": ("bill", "Bill a worklog (CSV) by an agreement's rates, multipliers and block hours."),
    "estimate": (
        "estimate",
        ("Expected cost and downtime of an agreement under a workload profile, and its spread."),
    ),
    "compare": ("compare", "Compare agreements side by side under one workload profile."),
    "profile": ("profile", "A workload profile learnt from a service desk's tickets and a worklog."),
    "comply": ("comply", "Measure service desk exports against an agreement, month by month."),
    "render": ("render", "Render agreements as readable contracts: Markdown, HTML, PDF or Word."),
    "evaluate": ("evaluate", "Evaluate offers against procurement requirements."),
    "diff": ("diff", "Compare two versions of an agreement by meaning, not by text."),
    "init": ("init", "Write a starter agreement that passes `sla check`, to edit from there."),
    "lsp": ("lsp", "Run the language server for editors, over standard input and output."),
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        import importlib

        if name not in COMMANDS:
            return None
        command = getattr(importlib.import_module(f"{__name__}.{COMMANDS[name][0]}"), name)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own listing asks every command for its short help, which imports them all
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=summary).get_short_help_str(limit))
            for name, (_, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sla")
def main() -> None:
    """Service level agreements as text: check, format, export, and more.

    An agreement is a .sla file: parties, calendars, services, priorities with response and
    resolution targets, credits and fees. Start with `sla init` and `sla check`.
    """
    _collect_again()


#: Whether `run` turned the cyclic garbage collector off for the start-up, to turn on again.
_collector_paused = False


def _collect_again() -> None:
    """The command is imported and about to parse its arguments (or ended before it ran):
    collect garbage again."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()  # what start-up made lives as long as the process: never scan it again
        gc.enable()


def _the_program(caller: FrameType) -> bool:
    """Whether `run` was called by the top level of the program itself (the `sla` console script,
    `python -m sla`), writing to the process's own streams: then nothing comes after it. Not so
    for `python -c`, a test, or a program that captures the output and goes on."""
    return (
        caller.f_code.co_name == "<module>"
        and caller.f_globals.get("__name__") == "__main__"
        and "__file__" in caller.f_globals
        and sys.stdout is sys.__stdout__
        and sys.stderr is sys.__stderr__
    )


def _end_now(end: Finished) -> NoReturn:
    """End the process with the command's exit code, its output flushed, skipping the teardown."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a reader gone, or a stream closed: end as any other command
        raise end from None
    os._exit(end.code)


def run() -> None:
    """The console entry point: bad input never ends in a traceback."""
    global _collector_paused
    if gc.isenabled():
        # Start-up (importing the command, its libraries and its models) makes some hundred
        # thousand objects and frees almost none; collecting among them is about a tenth of
        # a short command's time.
        gc.disable()
        _collector_paused = True
    try:
        main(standalone_mode=True)
    except Finished as end:
        if _the_program(sys._getframe(1)):
            _end_now(end)
        raise
    except SlaError as exc:  # a path through the library that did not print its own diagnostics
        for d in exc.diagnostics:
            click.echo(f"sla: {d}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:
        if os.environ.get("SLA_DEBUG"):
            raise
        click.echo(
            f"sla: internal error: {type(exc).__name__}: {exc} (set SLA_DEBUG=1 for details; "
            "please report it)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    finally:
        _collect_again()  # for a caller that goes on after --help or a usage error


__all__ = ["COMMANDS", "main", "run"]
