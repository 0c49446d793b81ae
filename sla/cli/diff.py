"""`sla diff`: two versions of an agreement compared by meaning, each change better or worse for
the customer."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .common import EXIT_OK, EXIT_PROBLEMS, agreements_or_exit, emit, load_or_exit

if TYPE_CHECKING:
    from ..diff import Change

#: The colour of each effect of a change on a terminal.
COLOURS = {"better": "green", "worse": "red", "neutral": "dim"}


@click.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(["worse"]),
    help="Exit 1 when a change is worse for the customer (for review pipelines).",
)
def diff(old: str, new: str, as_json: bool, fail_on: str | None) -> None:
    """Compare two versions of an agreement by meaning, not by text.

    Each change to targets, calendars, services and scope, credits, fees, term and notice is
    listed with its old and new value and whether it is better or worse for the customer.
    Moved, reordered or reformatted text is no change. Exit code 0 (also when there are
    changes), 1 with --fail-on worse when a change is worse, 2 on bad input.
    """
    from ..diff import diff_versions

    old_file, new_file = load_or_exit(old), load_or_exit(new)
    result = diff_versions(agreements_or_exit(old_file), agreements_or_exit(new_file), old, new)
    if as_json:
        from ..jsonout import to_json

        emit(to_json(result.to_dict()), None)
    else:
        _print_diff(old, new, result.changes, result.summary)
    sys.exit(EXIT_PROBLEMS if fail_on == "worse" and result.worse else EXIT_OK)


def _print_diff(old: str, new: str, changes: list[Change], counts: dict[str, int]) -> None:
    from .terminal import console, styled, table

    screen = console()
    if not changes:
        screen.print(f"{old} -> {new}: no change in meaning")
        return
    screen.print(
        f"{old} -> {new}: {len(changes)} change{'s' * (len(changes) != 1)}: {counts['better']} better, "
        f"{counts['worse']} worse, {counts['neutral']} neutral for the customer"
    )
    t = table("effect", "what", "old", "new", "lines")
    for c in changes:
        lines = f"{c.old_span.line if c.old_span else '—'} -> {c.new_span.line if c.new_span else '—'}"
        note = f" ({c.note})" if c.note else ""
        t.add_row(styled(c.effect, COLOURS[c.effect]), c.what + note, c.old or "—", c.new or "—", lines)
    screen.print(t)
