"""What the commands share: exit codes, failing with a message, reading inputs, writing -o, the
shared options, and loading a checked file (or printing its diagnostics and exiting)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

import click

from ..diagnostics import Diagnostic, SlaError

if TYPE_CHECKING:  # the models and the loader pull in lark and pydantic: only commands that run need them
    from .. import model as m
    from ..loader import Workspace

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

#: --agreement, for the commands that take one agreement of a file.
AGREEMENT = click.option(
    "--agreement", "wanted", help="The agreement's id or title, when the file holds several."
)
#: --profile, --years and --seed of the commands that simulate costs.
PROFILE = click.option(
    "--profile",
    "profile_ref",
    required=True,
    help="A .sla file holding the workload profile, or a profile's title.",
)
YEARS = click.option(
    "--years", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True, help="Simulated years."
)
SEED = click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="The random seed: the same seed gives the same figures.",
)
#: --stdin-filename of the commands that read standard input as `-`.
STDIN_FILENAME = click.option(
    "--stdin-filename",
    metavar="PATH",
    help="The path standard input (-) stands for: named in messages; imports are found from its folder.",
)


class Finished(SystemExit):
    """`sys.exit(code)` for a command that has written everything it will, to standard output
    and error only, and holds no thread, child process or open file. Run by the program itself
    (`sla.cli.run`), the process then ends at once, its output flushed: tearing down every
    module and object would take about 10 ms, a fifteenth of `sla check`, and leave nothing done."""

    code: int

    def __init__(self, code: int) -> None:
        super().__init__(code)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Say what is wrong on stderr, after `sla: `, and exit (2 unless told)."""
    click.echo(f"sla: {message}", err=True)
    sys.exit(code)


def use_colour(stream: object = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def print_diagnostics(
    diagnostics: Sequence[Diagnostic], texts: dict[str, str] | None = None, err: bool = False
) -> None:
    """Diagnostics as people read them, with the source line when `texts` holds the file."""
    from ..report import human

    if diagnostics:
        stream = sys.stderr if err else sys.stdout
        click.echo(human(diagnostics, (texts or {}).get, colour=use_colour(stream)), err=err)


def sentence(d: Diagnostic, where: str = "") -> str:
    """A diagnostic as one line for a file that is not an agreement (a worklog, an offer set):
    `WHERE: message (hint: ...)`."""
    return (f"{where}: " if where else "") + d.message + (f" (hint: {d.hint})" if d.hint else "")


def problems(diagnostics: Sequence[Diagnostic]) -> NoReturn:
    """Print the diagnostics of a job that cannot be done on stderr and exit 1."""
    print_diagnostics(diagnostics, err=True)
    sys.exit(EXIT_PROBLEMS)


# ------------------------------------------------------------------------------------- input


def expand(paths: Sequence[str]) -> list[str]:
    """Files as given, and every .sla file under each folder, in a stable order. A path given is
    used as it is; a folder's walk takes only regular files inside the folder (`sla.loader.walk`)
    and names on stderr, one line each, what it skipped: a link leading outside, a FIFO, a device."""
    from ..loader import walk

    found: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            inside, skipped = walk(p)
            for where, why in skipped:
                click.echo(f"sla: skipped {where!r}: {why}", err=True)
            if not inside:
                fail(f"no .sla files in folder {p!r}")
            found.extend(inside)
        elif path.exists():
            found.append(p)
        else:
            fail(f"no such file or folder: {p!r}")
    return list(dict.fromkeys(found))


class Input(NamedTuple):
    """A file or standard input as read: its text, its bytes, and whether a diagnostic may show
    its lines (not a device's or a /proc file's: `sla.loader.Source`)."""

    text: str
    raw: bytes
    quotable: bool


def read_input(path: str, name: str | None = None) -> Input:
    """The decoded text of a file, or of standard input for `-`, and the bytes it had; raises
    SlaError (naming it `name`) when it is too big or not UTF-8 text."""
    from ..loader import Source, decode, read_source, read_stream

    if path == "-":
        source = Source(read_stream(sys.stdin.buffer, name or "<stdin>"), quotable=True)
    else:
        source = read_source(path)
    text = decode(source.data, name or ("<stdin>" if path == "-" else path))
    return Input(text, source.data, source.quotable)


def load_workspace_or_exit(path: str) -> tuple[m.SlaFile, Workspace]:
    """A checked file, resolved, and the workspace holding it and every file it imports; prints
    the errors and exits 1 when there are any (2 when the path is not a file)."""
    from ..api import check_workspace
    from ..loader import Workspace

    if not Path(path).is_file():
        fail(f"no such file: {path!r}")
    ws = Workspace()
    ws.add(path)
    diagnostics = check_workspace(ws)
    if any(d.is_error for d in diagnostics):
        print_diagnostics([d for d in diagnostics if d.is_error], ws.texts, err=True)
        sys.exit(EXIT_PROBLEMS)
    return ws.resolve(ws.file(path)), ws


def load_or_exit(path: str) -> m.SlaFile:
    """Load a file, or print its diagnostics and exit 1 (2 if it cannot be read at all)."""
    return load_workspace_or_exit(path)[0]


def load_all(path: str) -> tuple[m.SlaFile, list[m.SlaFile]]:
    """A checked file, resolved, and every file it reached (itself and its imports)."""
    file, ws = load_workspace_or_exit(path)
    return file, list(ws.files.values())


def pick_agreement(file: m.SlaFile, wanted: str | None) -> m.Agreement:
    """The one agreement of a file, or the one whose id or title is `wanted` (sla.api.document);
    exits 2 with the reason when there is no such agreement."""
    from ..api import SEVERAL_DOCUMENTS
    from ..api import pick_agreement as pick

    try:
        return pick(file, wanted)
    except SlaError as exc:
        d = exc.diagnostics[0]
        if d.code == SEVERAL_DOCUMENTS:
            fail(f"{d.message}; choose one with --agreement ID")
        fail(d.message + (f"; {d.hint}" if d.hint else ""))


def agreements_or_exit(file: m.SlaFile) -> list[m.Agreement]:
    """Every agreement of a file; exits 2 when it holds none."""
    from ..api import agreements_in

    try:
        return agreements_in(file)
    except SlaError as exc:
        fail(exc.diagnostics[0].message)


def load_profile(ref: str, near: Iterable[m.SlaFile] = ()) -> m.Profile:
    """The profile of --profile: a file's only profile, or one by title among the profiles of
    `near` (sla.api.pick_profile); exits 2 with the reason when there is none."""
    from ..api import SEVERAL_DOCUMENTS, pick_profile

    try:
        return pick_profile(ref, near, load=load_or_exit)
    except SlaError as exc:
        d = exc.diagnostics[0]
        if d.code == SEVERAL_DOCUMENTS:
            fail(f"--profile: {d.message}; give one's title instead")
        fail(f"--profile: {d.message}" + (f"; {d.hint}" if d.hint else ""))


# ------------------------------------------------------------------------------------- output


def emit(data: str | bytes, output: str | None) -> None:
    """Print (`-o -` or none), or write the file atomically; exits 2 when it cannot be written."""
    if output and output != "-":
        from ..files import write_atomic

        try:
            write_atomic(output, data)
        except OSError as exc:
            fail(f"cannot write {output!r}: {exc.strerror}")
    elif isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data, nl=not data.endswith("\n"))


__all__ = [
    "AGREEMENT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "PROFILE",
    "SEED",
    "STDIN_FILENAME",
    "YEARS",
    "Finished",
    "Input",
    "agreements_or_exit",
    "emit",
    "expand",
    "fail",
    "load_all",
    "load_or_exit",
    "load_profile",
    "load_workspace_or_exit",
    "pick_agreement",
    "print_diagnostics",
    "problems",
    "read_input",
    "use_colour",
]
