"""`sla render`: agreements to Markdown, HTML, PDF or Word contracts, many files in parallel."""

from __future__ import annotations

import atexit
import gc
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import click

from ..diagnostics import Diagnostic, SlaError
from ..loader import no_collection
from ..words import visible
from .common import EXIT_OK, EXIT_PROBLEMS, emit, expand, fail

STDOUT = "-"
#: Formats written as bytes: never printed to a terminal, and beside the source without -o.
BINARY = ("pdf", "docx")


@dataclass(frozen=True)
class Job:
    """One .sla file to render, and where its outputs go.

    `target` is the output path when the file must hold exactly one agreement (`-` prints it);
    otherwise each agreement goes to `folder/stem[-ID].EXT`. A job that prints by default also
    has a folder: a file holding several agreements is then written there instead.
    """

    source: str
    to: str
    locale: str
    template_dir: str | None
    target: str | None = None
    folder: str | None = None
    stem: str = ""
    #: A PDF is archival (PDF/A-3 with the agreement attached) unless --no-archive.
    archive: bool = True


@dataclass
class Outcome:
    """What came of one file: the outputs written (or the text to print), the problems met."""

    source: str
    written: list[str] = field(default_factory=list)
    printed: str | bytes | None = None
    failures: list[str] = field(default_factory=list)
    skipped: str | None = None


def _describe(d: Diagnostic, source: str) -> str:
    """One line for a problem: where it is (when not simply the file) and what it is."""
    where = ""
    if d.span is not None:
        same = d.span.file is not None and os.path.abspath(d.span.file) == os.path.abspath(source)
        where = f"line {d.span.line}, column {d.span.column}: " if same else f"{d.span}: "
    hint = f" (hint: {d.hint})" if d.hint else ""
    return f"{where}{d.severity} {d.code}: {d.message}{hint}"


def _problems(exc: SlaError, source: str, prefix: str = "") -> list[str]:
    return [prefix + _describe(d, source) for d in (exc.errors or exc.diagnostics)]


def _slug(text: str) -> str:
    """A file-name part from an agreement id or title."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "agreement"


def _names(agreements: Sequence[Any]) -> list[str]:
    """A distinct suffix per agreement of a file holding several: its id, else its title."""
    names: list[str] = []
    for a in agreements:
        base = _slug(a.id or a.title)
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}-{n}"
        names.append(name)
    return names


def _internal(exc: Exception, label: str = "") -> str:
    """A bug, reported for its file so that the rest of the batch goes on; SLA_DEBUG=1 raises it."""
    if os.environ.get("SLA_DEBUG"):
        raise exc
    return f"{label}internal error: {type(exc).__name__}: {exc} (please report it)"


def run_job(job: Job) -> Outcome:
    """Render every agreement of one file. Never raises: each problem becomes a failure."""
    from ..api import load
    from ..files import write_atomic
    from ..render import FORMATS, render

    outcome = Outcome(job.source)
    try:
        agreements = load(job.source).agreements  # checked: raises SlaError with every diagnostic
    except SlaError as exc:
        outcome.failures += _problems(exc, job.source)
        return outcome
    except Exception as exc:  # noqa: BLE001 pragma: no cover - a bug, reported for its file; the batch goes on
        outcome.failures.append(_internal(exc))
        return outcome
    if not agreements:
        outcome.skipped = "holds no agreement"
        return outcome
    target = job.target
    if target is not None and len(agreements) > 1:
        if job.folder is None:
            outcome.failures.append(
                f"holds {len(agreements)} agreements; give -o a folder to write one file for each"
            )
            return outcome
        target = None  # printing was the default, not asked for: write each beside the source
    names = _names(agreements) if len(agreements) > 1 else [""]
    for agreement, name in zip(agreements, names):
        label = f"agreement {agreement.id or agreement.title!r}: " if len(agreements) > 1 else ""
        try:
            data = render(agreement, job.to, job.locale, job.template_dir, archive=job.archive)
        except SlaError as exc:
            outcome.failures += _problems(exc, job.source, label)
            continue
        except Exception as exc:  # noqa: BLE001 pragma: no cover - as above
            outcome.failures.append(_internal(exc, label))
            continue
        if target == STDOUT:
            outcome.printed = data
            continue
        path = target or os.path.join(
            job.folder or ".", job.stem + (f"-{name}" if name else "") + FORMATS[job.to].extension
        )
        try:
            write_atomic(path, data)
        except OSError as exc:
            outcome.failures.append(f"{label}cannot write {path!r}: {exc.strerror}")
            continue
        outcome.written.append(path)
    return outcome


# ------------------------------------------------------------------------------------- planning


def _sources(paths: Sequence[str]) -> list[tuple[str, str]]:
    """(file, output stem) for every .sla file: a file's stem is its name; a file found in a
    folder keeps its place below that folder, so two files of one name do not collide."""
    found: dict[str, str] = {}
    for p in paths:
        for f in expand([p]):
            rel = os.path.relpath(f, p) if os.path.isdir(p) else os.path.basename(f)
            found.setdefault(f, os.path.splitext(rel)[0])
    return list(found.items())


def plan(
    paths: Sequence[str],
    to: str,
    locale: str,
    template_dir: str | None,
    output: str | None,
    archive: bool = True,
) -> list[Job]:
    """The jobs of one command line; a usage problem exits 2 before anything is rendered."""
    from ..render import FORMATS

    sources = _sources(paths)
    ext = FORMATS[to].extension
    single = len(sources) == 1
    into_folder = (
        output is not None and output != STDOUT and (os.path.isdir(output) or output.endswith(("/", os.sep)))
    )
    if output == STDOUT and not single:
        fail("-o - prints one agreement; give -o a folder to render several files")
    if output == STDOUT and to in BINARY and sys.stdout.isatty():
        fail(f"a {to.upper()} is not printed to a terminal; give -o FILE.{to} or redirect the output")
    if output is not None and not single and not into_folder:
        if os.path.exists(output):
            fail(f"{output!r} is a file; give -o a folder to render several files")
        into_folder = True
    job = partial(Job, to=to, locale=locale, template_dir=template_dir, archive=archive)
    if single and output is not None and not into_folder:
        return [job(sources[0][0], target=output)]
    if single and output is None and to not in BINARY:
        first = sources[0][0]
        return [job(first, target=STDOUT, folder=os.path.dirname(first), stem=Path(first).stem)]
    jobs = []
    seen: dict[str, str] = {}
    for source, stem in sources:
        folder = output if into_folder else os.path.dirname(source)
        assert folder is not None
        key = os.path.normpath(os.path.join(folder, stem + ext))
        if key in seen:
            fail(f"{seen[key]} and {source} would both be written to {key}")
        seen[key] = source
        jobs.append(job(source, folder=folder, stem=stem))
    return jobs


# ------------------------------------------------------------------------------------- running


@contextmanager
def _progress(total: int) -> Iterator[tuple[Callable[[], None], Callable[[str], None]]]:
    """A progress bar on stderr when it is a terminal; yields (advance, report a line). A line is
    shown visibly: a file's name or a template's message may hold an escape sequence."""
    if total < 2 or not sys.stderr.isatty():
        yield (lambda: None), (lambda line: click.echo(visible(line), err=True))
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .terminal import console

    screen = console(stderr=True)
    columns = (TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=screen, transient=True) as bar:
        task = bar.add_task("render", total=total)
        yield (lambda: bar.advance(task)), screen.print


@contextmanager
def _kept_for_good() -> Iterator[None]:
    """What is loaded inside (the parser, the template, the locale data, the libraries) lives as
    long as the process. No garbage collection runs while it loads, and it is frozen afterwards
    (`gc.freeze`), so that a collection walks only what the contracts make, and the workers of a
    batch, forked later, share its memory pages. At exit it is frozen again and left to the
    operating system rather than walked by Python's last collection: with the first, about 60 ms
    less CPU for a process that renders one PDF. A caller that goes on after the command (a test
    invoking it) gets its collector back as it was."""
    atexit.unregister(gc.freeze)  # once, however often the command runs in a process
    atexit.register(gc.freeze)
    click.get_current_context().call_on_close(gc.unfreeze)
    with no_collection():
        try:
            yield
        finally:
            gc.freeze()


def _results(jobs: list[Job], workers: int, stack: ExitStack) -> Iterator[Outcome]:
    """Outcomes in the order of the jobs. With several workers every job is handed to a process
    pool at once, so the workers are forked now, before a progress bar starts its thread."""
    if workers <= 1 or len(jobs) == 1:
        return map(run_job, jobs)
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only for a batch

    pool = stack.enter_context(ProcessPoolExecutor(max_workers=min(workers, len(jobs))))
    return pool.map(run_job, jobs)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--to",
    "to",
    type=click.Choice(["md", "html", "pdf", "docx"]),
    default="md",
    show_default=True,
    help="Markdown (GitHub-flavoured), one self-contained HTML file, PDF (Typst) or Word (DOCX).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    help="A file for one agreement (- prints it), or a folder for several.",
)
@click.option(
    "--template",
    "template_dir",
    type=click.Path(),
    help="A folder holding your own contract.md.j2, contract.html.j2 or contract.typ.j2 (not for docx).",
)
@click.option(
    "--locale",
    default="en",
    show_default=True,
    help="Language and formats of money, dates and numbers, such as en, en_GB or de.",
)
@click.option(
    "--archive/--no-archive",
    default=True,
    show_default=True,
    help="A PDF is PDF/A-3 carrying the agreement as .sla text and as JSON; --no-archive leaves both out.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Files rendered at once, in separate processes [default: 1 for one file, else all CPUs].",
)
def render(
    paths: tuple[str, ...],
    to: str,
    output: str | None,
    template_dir: str | None,
    locale: str,
    archive: bool,
    jobs: int | None,
) -> None:
    """Render agreements as readable contracts: Markdown, HTML, PDF or Word.

    PATHS are .sla files or folders (searched for .sla files); each agreement becomes one
    contract. One agreement in Markdown or HTML is printed unless -o is given; otherwise each
    output (always a PDF or DOCX) is written beside its source (acme.sla -> acme.pdf), or into the folder -o names,
    with the agreement's id added when a file holds several. A file that fails is reported and
    the rest go on; files with no agreement (profiles, requirements) are skipped. Exit 0 when
    all rendered, 1 when any failed, 2 for a usage problem.

    A PDF is archival: PDF/A-3 (and PDF/UA-1), tagged, with the agreement attached as .sla text
    and as JSON (sla export), so the signed file carries its machine-readable agreement.
    """
    from ..render import FORMATS, parse_locale, prepare

    try:
        parse_locale(locale)
    except ValueError as exc:
        fail(f"--locale: {exc}")
    if template_dir is not None:
        name = FORMATS[to].template
        if name is None:
            fail(f"--template: a {to.upper()} contract is written without a template; leave --template out")
        if not os.path.isdir(template_dir):
            fail(f"--template: no such folder: {template_dir!r}")
        if not os.path.isfile(os.path.join(template_dir, name)):
            fail(f"--template: {template_dir!r} holds no {name}; start from a copy of the built-in one")
    try:
        with _kept_for_good():
            prepare(to, locale, template_dir)  # a template that does not parse fails once, not per file
    except SlaError as exc:
        for d in exc.diagnostics:
            click.echo(visible(f"sla: {_describe(d, '')}"), err=True)
        sys.exit(EXIT_PROBLEMS)
    work = plan(paths, to, locale, template_dir, output, archive)
    workers = jobs if jobs is not None else (1 if len(work) == 1 else os.cpu_count() or 1)
    rendered = failed = skipped = 0
    with ExitStack() as stack:
        results = _results(work, workers, stack)
        with _progress(len(work)) as (advance, report):
            for outcome in results:
                advance()
                for line in outcome.failures:
                    report(f"{outcome.source}: {line}")
                failed += len(outcome.failures) > 0
                if outcome.skipped:
                    report(f"{outcome.source}: {outcome.skipped}; skipped")
                    skipped += 1
                rendered += len(outcome.written) + (outcome.printed is not None)
                if outcome.printed is not None:
                    emit(outcome.printed, None)
    if not (len(work) == 1 and work[0].target == STDOUT and rendered == 1):
        summary = f"rendered {rendered}, failed {failed}" + (f", skipped {skipped}" if skipped else "")
        click.echo(summary, err=True)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


__all__ = ["Job", "Outcome", "plan", "render", "run_job"]
