"""The `sla` command. Exit codes: 0 clean (or warnings only), 1 problems found, 2 usage or I/O."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .diagnostics import Diagnostic, SlaError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"sla: {message}", err=True)
    sys.exit(code)


def use_colour(stream: object = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def expand(paths: Sequence[str]) -> list[str]:
    """Files as given, and every .sla file under each folder, in a stable order."""
    found: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            inside = sorted(str(f) for f in path.rglob("*.sla") if f.is_file())
            if not inside:
                fail(f"no .sla files in folder {p!r}")
            found.extend(inside)
        elif path.exists():
            found.append(p)
        else:
            fail(f"no such file or folder: {p!r}")
    return list(dict.fromkeys(found))


def print_diagnostics(diagnostics: Sequence[Diagnostic], texts: dict[str, str], err: bool = False) -> None:
    from .report import human

    if diagnostics:
        stream = sys.stderr if err else sys.stdout
        click.echo(human(diagnostics, texts.get, colour=use_colour(stream)), err=err)


# Commands that live in their own modules, imported only when run (or listed by --help), so
# that `sla check` does not pay for numpy, typst or matplotlib. name -> "module:attribute".
LAZY_COMMANDS = {
    "bill": "sla.commands.money:bill",
    "estimate": "sla.commands.money:estimate",
    "compare": "sla.commands.money:compare",
    "comply": "sla.commands.comply:comply",
    "render": "sla.commands.render:render",
    "evaluate": "sla.commands.procure:evaluate",
    "diff": "sla.commands.procure:diff",
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        # in the order they are defined, not alphabetical; lazy ones after `clock`
        eager = list(self.commands)
        lazy = [name for name in LAZY_COMMANDS if self._lazy(name) is not None]
        at = eager.index("clock") + 1 if "clock" in eager else len(eager)
        return eager[:at] + lazy + eager[at:]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name) or self._lazy(name)

    @staticmethod
    def _lazy(name: str) -> click.Command | None:
        import importlib

        target = LAZY_COMMANDS.get(name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        try:
            command = getattr(importlib.import_module(module), attribute)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            return None  # not built yet
        return command if isinstance(command, click.Command) else None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sla")
def main() -> None:
    """Service level agreements as text: check, format, export, and more.

    An agreement is a .sla file: parties, calendars, services, priorities with response and
    resolution targets, credits and fees. Start with `sla init` and `sla check`.
    """


# ------------------------------------------------------------------------------------- check


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["human", "json", "sarif"]), default="human",
              show_default=True, help="How to print the diagnostics.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(paths: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check agreements, profiles and requirements for mistakes.

    PATHS are .sla files or folders (searched for .sla files). Imported files are checked too.
    Exit code 0 when clean or only warnings, 1 on errors (or warnings with --strict), 2 when a
    path cannot be used.
    """
    from .api import check_workspace
    from .loader import Workspace

    files = expand(paths)
    ws = Workspace()
    for f in files:
        ws.add(f)
    diagnostics = check_workspace(ws)
    if fmt == "json":
        from .report import to_json

        click.echo(to_json(diagnostics, files))
    elif fmt == "sarif":
        from .report import to_sarif

        click.echo(to_sarif(diagnostics, base=os.getcwd()))
    else:
        from .report import summary

        print_diagnostics(diagnostics, ws.texts)
        s = summary(diagnostics, len(ws.texts))
        counted = f"{s['errors']} error{'s' * (s['errors'] != 1)}, {s['warnings']} warning{'s' * (s['warnings'] != 1)}"
        checked = f"{s['files']} file{'s' * (s['files'] != 1)} checked"
        click.echo(f"{checked}: {counted}" if diagnostics else f"{checked}: no problems")
    errors = any(d.is_error for d in diagnostics)
    sys.exit(EXIT_PROBLEMS if errors or (strict and diagnostics) else EXIT_OK)


# ------------------------------------------------------------------------------------- fmt


def _read(path: str) -> tuple[str, bytes]:
    """The decoded text of a file (or of stdin for -) and the bytes it had on disk."""
    from .loader import decode, read_bytes

    raw = sys.stdin.buffer.read() if path == "-" else read_bytes(path)
    return decode(raw, "<stdin>" if path == "-" else path), raw


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not formatted.")
@click.option("--write", is_flag=True, help="Rewrite the files in place (atomically).")
def fmt(paths: tuple[str, ...], check_only: bool, write: bool) -> None:
    """Format .sla files in the one canonical layout, keeping every comment.

    Without --check or --write the formatted text is printed. A file that does not parse is
    reported and left untouched. Use - to read standard input.
    """
    from .files import write_atomic
    from .fmt import format_text

    if check_only and write:
        fail("use --check or --write, not both")
    files = ["-"] if paths == ("-",) else expand([p for p in paths if p != "-"]) + ["-"] * ("-" in paths)
    problems = unwritable = 0
    for path in files:
        name, text = ("<stdin>" if path == "-" else path), ""
        try:
            text, raw = _read(path)
            formatted = format_text(text, name)
        except SlaError as exc:
            print_diagnostics(exc.diagnostics, {name: text}, err=True)
            problems += 1
            continue
        changed = formatted.encode("utf-8") != raw  # a BOM or CRLF line ends count as changes
        if check_only:
            if changed:
                click.echo(f"would reformat {path}", err=True)
                problems += 1
        elif write and path != "-":
            if changed:
                try:
                    write_atomic(path, formatted)
                except OSError as exc:
                    click.echo(f"sla: cannot write {path!r}: {exc.strerror}", err=True)
                    unwritable += 1
                    continue
                click.echo(f"reformatted {path}", err=True)
        else:
            click.echo(formatted, nl=False)
    sys.exit(EXIT_USAGE if unwritable else EXIT_PROBLEMS if problems else EXIT_OK)


# ------------------------------------------------------------------------------------- export


def load_workspace_or_exit(path: str) -> tuple[Any, Any]:
    """A checked file, resolved, and the workspace holding it and every file it imports; prints
    the errors and exits 1 when there are any (2 when the path is not a file)."""
    from .api import check_workspace
    from .loader import Workspace

    if not Path(path).is_file():
        fail(f"no such file: {path!r}")
    ws = Workspace()
    ws.add(path)
    diagnostics = check_workspace(ws)
    if any(d.is_error for d in diagnostics):
        print_diagnostics([d for d in diagnostics if d.is_error], ws.texts, err=True)
        sys.exit(EXIT_PROBLEMS)
    return ws.resolve(ws.file(path)), ws


def load_or_exit(path: str) -> object:
    """Load a file, or print its diagnostics and exit 1 (2 if it cannot be read at all)."""
    return load_workspace_or_exit(path)[0]


def emit(text: str, output: str | None) -> None:
    """Print, or write a file atomically."""
    if output and output != "-":
        from .files import write_atomic

        try:
            write_atomic(output, text)
        except OSError as exc:
            fail(f"cannot write {output!r}: {exc.strerror}")
    else:
        click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("path", type=click.Path())
@click.option("--to", "to", type=click.Choice(["json", "yaml", "sla"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(), help="Write to this file instead of printing.")
@click.option("--spans", is_flag=True, help="Include the source position of every node (json and yaml).")
def export(path: str, to: str, output: str | None, spans: bool) -> None:
    """Export a checked file as JSON or YAML (money as strings, durations as "1h30m"), or as
    .sla text written from its model.

    A JSON export loads back to the same model (sla.loads_json). The .sla text is in the
    canonical layout, without comments, with every value in one canonical form (90 days, 1h30m).
    """
    from .api import dumps

    if spans and to == "sla":
        fail("--spans is for --to json or yaml; .sla text has no positions to include")
    file = load_or_exit(path)
    emit(dumps(file, to, spans=spans), output)  # type: ignore[arg-type]


@main.command()
@click.option("-o", "--output", type=click.Path(), help="Write to this file instead of printing.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of an exported file."""
    import json

    from .model import SlaFile

    emit(json.dumps(SlaFile.model_json_schema(), indent=2) + "\n", output)


# ------------------------------------------------------------------------------------- price


def pick_agreement(file: Any, wanted: str | None) -> Any:
    """The one agreement of a file, or the one whose id or title is `wanted` (sla.api.document);
    exits 2 with the reason when there is no such agreement."""
    from .api import SEVERAL_DOCUMENTS
    from .api import pick_agreement as pick

    try:
        return pick(file, wanted)
    except SlaError as exc:
        d = exc.diagnostics[0]
        if d.code == SEVERAL_DOCUMENTS:
            fail(f"{d.message}; choose one with --agreement ID")
        fail(d.message + (f"; {d.hint}" if d.hint else ""))


@main.command()
@click.argument("path", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the quote as JSON (money as strings).")
@click.option("--agreement", "wanted", help="The agreement's id or title, when the file holds several.")
def price(path: str, as_json: bool, wanted: str | None) -> None:
    """Quote an agreement: one-time fees, the first month, each contract year and the term.

    Every invoice line is rounded to the currency's minor unit, half up; a yearly increase
    compounds from the second contract year.
    """
    from .api import price as quote

    agreement = pick_agreement(load_or_exit(path), wanted)
    try:
        q = quote(agreement)
    except SlaError as exc:
        print_diagnostics(exc.diagnostics, {}, err=True)
        sys.exit(EXIT_PROBLEMS)
    if as_json:
        import json

        click.echo(json.dumps(q.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_quote(agreement, q)


def _print_quote(agreement: Any, q: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from .pricing import format_money

    def money(amount: Any) -> str:
        return format_money(amount, q.currency)

    console = Console(highlight=False)
    console.print(f"[bold]{agreement.title}[/bold] ({agreement.id or 'no id'}), {q.currency}")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("year")
    table.add_column("line")
    table.add_column("amount", justify="right")
    table.add_column("why", overflow="fold")
    for line in q.one_time:
        table.add_row("once", line.description, money(line.amount), line.detail)
    for year in q.years:
        label = f"{year.year}" + (f" ({year.months} months)" if year.months != 12 else "")
        for line in year.lines:
            table.add_row(label, line.description, money(line.amount), line.detail)
            label = ""
        table.add_row("", "[bold]year total[/bold]", f"[bold]{money(year.total)}[/bold]", "")
    console.print(table)
    console.print(f"one-time total   {money(q.one_time_total)}")
    console.print(f"first month      {money(q.monthly_recurring)}")
    console.print(f"[bold]term total       {money(q.term_total)}[/bold]")


# ------------------------------------------------------------------------------------- clock


def _instant(text: str, option: str, calendar: Any) -> Any:
    """An ISO 8601 time (instants.read_time, strict); one without an offset is local to the calendar."""
    from .instants import read_time

    try:
        when = read_time(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a time such as 2027-01-15T16:50 or 2027-01-15T16:50:00-05:00")
    return calendar.localize(when) if when.tzinfo is None else when


def _clock_target(agreement: Any, priority: str, kind: str, service: str | None) -> tuple[Any, str | None]:
    """The duration and calendar name of a priority's response or resolution target."""
    p = agreement.priority(priority)
    if p is None:
        names = ", ".join(x.name for x in agreement.priorities) or "none"
        fail(f"--priority: no priority {priority!r} in the agreement (it has {names})")
    target = getattr(p, kind)
    if target is None or target.duration is None:
        fail(f"priority {priority} has no {kind} time to count: it is {'best effort' if target else 'not stated'}")
    svc = agreement.service(service) if service else None
    if service and svc is None and not target.calendar:
        fail(f"--service: no service {service!r} in the agreement")
    cal = agreement.target_calendar(target, svc)
    return target.duration, cal.name if cal else None


@main.command()
@click.argument("path", type=click.Path())
@click.option("--calendar", "calendar_name", help="The calendar to count on (default: the target's).")
@click.option("--from", "start", required=True, help="The start: ISO 8601, local to the calendar without an offset.")
@click.option("--add", "add", help="A duration such as 4h or 1d: print the deadline.")
@click.option("--to", "end", help="An end time: print the business time elapsed.")
@click.option("--priority", help="Take the target and its calendar from this priority.")
@click.option("--target", "kind", type=click.Choice(["response", "resolution"]), default="response",
              show_default=True, help="Which target of --priority.")
@click.option("--service", help="The ticket's service, for a target without `on CALENDAR`.")
@click.option("--agreement", "wanted", help="The agreement's id or title, when the file holds several.")
@click.option("--json", "as_json", is_flag=True, help='Print {"deadline": ...} or {"elapsed_seconds": ...}.')
def clock(path: str, calendar_name: str | None, start: str, add: str | None, end: str | None,
          priority: str | None, kind: str, service: str | None, wanted: str | None, as_json: bool) -> None:
    """Business time on an agreement's calendar: a deadline, or the time elapsed.

    `--add 1h` prints the earliest instant at which one business hour has passed since --from
    (ISO 8601 with the calendar's offset); `--to TIME` prints the business time between the two.
    With --priority, the target's duration and calendar come from the agreement.
    """  # fmt: skip
    import json

    from .clock import BusinessCalendar
    from .values import Duration

    if priority is None and (add is None) == (end is None):
        fail("give --add DURATION or --to TIME (or --priority)")
    if add is not None and end is not None:
        fail("give --add or --to, not both")
    agreement = pick_agreement(load_or_exit(path), wanted)
    duration = None
    if priority is not None and end is None:
        duration, target_calendar = _clock_target(agreement, priority, kind, service)
        calendar_name = calendar_name or target_calendar
    elif add is not None:
        try:
            duration = Duration.parse(add)
        except ValueError as exc:
            fail(f"--add: {exc}")
    if calendar_name is None:
        default = agreement.default_calendar
        if default is None:
            fail("the agreement has no calendar to count on")
        calendar_name = default.name
    cal = agreement.calendar(calendar_name)
    if cal is None:
        from .diagnostics import did_you_mean

        hint = did_you_mean(calendar_name, [c.name for c in agreement.calendars])
        fail(f"--calendar: no calendar {calendar_name!r} in the agreement" + (f"; {hint}" if hint else ""))
    engine = BusinessCalendar.of(cal)
    begin = _instant(start, "--from", engine)
    if duration is not None:
        due = engine.deadline(begin, duration).isoformat()
        click.echo(json.dumps({"deadline": due}) if as_json else due)
        return
    assert end is not None
    seconds = engine.elapsed(begin, _instant(end, "--to", engine)).total_seconds()
    whole = int(seconds) if seconds == int(seconds) else seconds
    if as_json:
        click.echo(json.dumps({"elapsed_seconds": whole}))
    else:
        minutes, rest = divmod(int(seconds), 60)
        shown = str(Duration.of(minutes=minutes)) + (f"{rest}s" if rest else "")
        click.echo(f"{shown} of business time on {cal.name} ({whole} seconds)")


# ------------------------------------------------------------------------------------- init


def _model_choice(value: str) -> str:
    model = value.strip().lower().replace("-", "_")
    if model not in ("managed", "break_fix", "block_hours"):
        raise click.BadParameter(f"{value!r} is not one of managed, break_fix, block_hours")
    return model


def starter(kind: str, title: str, file: str) -> str:
    from datetime import date

    from .resources import shipped

    text = shipped("starters", f"{kind}.sla").read_text(encoding="utf-8")
    today = date.today()
    start = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return text.replace("{title}", title).replace("{start}", start.isoformat()).replace("{file}", file)


@main.command()
@click.argument("path", type=click.Path(), default="agreement.sla")
@click.option("--model", default="managed", show_default=True, callback=lambda c, p, v: _model_choice(v),
              help="The kind of agreement to start from: managed, break_fix or block_hours.")
@click.option("--title", default=None, help="The agreement's title.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: str, model: str, title: str | None, force: bool) -> None:
    """Write a starter agreement that passes `sla check`, to edit from there."""
    from .files import write_atomic

    if os.path.exists(path) and not force:
        fail(f"{path!r} exists; use --force to overwrite it")
    default_title = {"managed": "Managed IT Services", "break_fix": "Pay-as-you-go IT Support",
                     "block_hours": "Prepaid IT Support Hours"}[model]  # fmt: skip
    if title is not None and ('"' in title or "\\" in title or "\n" in title):
        fail("the title may not contain quotes, backslashes or line breaks")
    text = starter(model, title or default_title, path)
    try:
        write_atomic(path, text)
    except OSError as exc:
        fail(f"cannot write {path!r}: {exc.strerror}")
    click.echo(f"wrote {path}: a {model.replace('_', '-')} agreement; next: sla check {path}", err=True)


def run() -> None:
    """The console entry point: bad input never ends in a traceback."""
    try:
        main(standalone_mode=True)
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
        click.echo(f"sla: internal error: {type(exc).__name__}: {exc} (set SLA_DEBUG=1 for details; "
                   "please report it)", err=True)  # fmt: skip
        sys.exit(3)
