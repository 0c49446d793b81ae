"""`sla init`: a starter agreement that passes `sla check`, to edit from there."""

from __future__ import annotations

import os

import click

from .common import fail

#: The title of each kind of starter when --title is not given.
TITLES = {
    "managed": "Managed IT Services",
    "break_fix": "Pay-as-you-go IT Support",
    "block_hours": "Prepaid IT Support Hours",
}


def _model_choice(value: str) -> str:
    model = value.strip().lower().replace("-", "_")
    if model not in TITLES:
        raise click.BadParameter(f"{value!r} is not one of managed, break_fix, block_hours")
    return model


def starter(kind: str, title: str, file: str) -> str:
    """The text of the starter `kind` (sla/starters), titled, starting on the first of next month."""
    from datetime import date

    from ..resources import shipped

    text = shipped("starters", f"{kind}.sla").read_text(encoding="utf-8")
    today = date.today()
    start = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return text.replace("{title}", title).replace("{start}", start.isoformat()).replace("{file}", file)


@click.command()
@click.argument("path", type=click.Path(), default="agreement.sla")
@click.option(
    "--model",
    default="managed",
    show_default=True,
    callback=lambda c, p, v: _model_choice(v),
    help="The kind of agreement to start from: managed, break_fix or block_hours.",
)
@click.option("--title", default=None, help="The agreement's title.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: str, model: str, title: str | None, force: bool) -> None:
    """Write a starter agreement that passes `sla check`, to edit from there."""
    from ..files import write_atomic

    if os.path.exists(path) and not force:
        fail(f"{path!r} exists; use --force to overwrite it")
    if title is not None and ('"' in title or "\\" in title or "\n" in title):
        fail("the title may not contain quotes, backslashes or line breaks")
    text = starter(model, title or TITLES[model], path)
    try:
        write_atomic(path, text)
    except OSError as exc:
        fail(f"cannot write {path!r}: {exc.strerror}")
    click.echo(f"wrote {path}: a {model.replace('_', '-')} agreement; next: sla check {path}", err=True)
