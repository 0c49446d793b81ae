"""Tables and lines for people, the same in every command: one Console, one table style, and
text from an agreement shown as it is, never obeyed.

An agreement's title or a worklog's role is printed literally: the Console reads no rich markup
(`[/bold]` is text) and no emoji codes, and every control character but tab and newline is
written out (`\\x1b`), so an escape sequence in a title cannot move the cursor, retitle the
window or hide a line. Styles come only from `Text` built here (`styled`, `line`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..words import visible

#: The width of everything that does not go to a terminal (a pipe, a file, -o FILE): the same on
#: every machine, and wide enough that a table's lines stay whole for grep and diff.
WIDTH = 200


class _Console(Console):
    """A Console that shows every string it renders (printed, a table cell, a header) visibly."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)


def console(*, stderr: bool = False, record: bool = False) -> Console:
    """The Console of a command's output: standard output (or error) at the terminal's width, or
    at WIDTH when the stream is not a terminal. With `record`, what is printed is kept instead,
    at WIDTH, for `recorded` (a report written to -o FILE)."""
    if record:
        return _Console(file=StringIO(), record=True, width=WIDTH, markup=False, emoji=False, highlight=False)
    stream = sys.stderr if stderr else sys.stdout
    terminal = bool(getattr(stream, "isatty", lambda: False)())
    return _Console(
        stderr=stderr, width=None if terminal else WIDTH, markup=False, emoji=False, highlight=False
    )


def recorded(screen: Console) -> str:
    """What a `console(record=True)` was given to print, as plain text."""
    return screen.export_text()


def table(*columns: str, right: Collection[str] = (), header: bool = True, title: str | None = None) -> Table:
    """A table without borders, with a bold header; the columns named in `right` (numbers) are
    right-aligned, and a cell too wide for its column folds onto the next line."""
    t = Table(
        box=None, header_style="bold", pad_edge=False, show_header=header, title=title, title_justify="left"
    )
    for name in columns:
        t.add_column(name, justify="right" if name in right else "left", overflow="fold")
    return t


def styled(text: str, style: str) -> Text:
    """Text in a style (`bold`, `green`), shown as it is."""
    return Text(visible(text), style=style)


def line(*parts: str | tuple[str, str]) -> Text:
    """A line in parts, each plain text or (text, style)."""
    return Text.assemble(*(visible(p) if isinstance(p, str) else (visible(p[0]), p[1]) for p in parts))


__all__ = ["WIDTH", "console", "line", "recorded", "styled", "table", "visible"]


#: Below this many steps a job ends before a bar would be worth drawing.
PROGRESS_FROM = 100_000


@contextmanager
def progress(
    total: int, what: str, minimum: int = PROGRESS_FROM, in_bytes: bool = False
) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for a long job, when stderr is a terminal; yields a function told
    how many of `total` steps (bytes, shown as MB, with `in_bytes`) are done. Piped, or for a job
    under `minimum` steps, nothing is drawn."""
    if total < minimum or not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    count = DownloadColumn() if in_bytes else MofNCompleteColumn()
    columns = (TextColumn(what), BarColumn(), count, TimeRemainingColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.update(task, completed=done)
