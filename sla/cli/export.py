"""`sla export` and `sla schema`: a checked file as JSON, YAML or .sla text, and the JSON Schema
of an export."""

from __future__ import annotations

import click

from .common import emit, fail, load_or_exit


@click.command()
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
    from ..api import dumps

    if spans and to == "sla":
        fail("--spans is for --to json or yaml; .sla text has no positions to include")
    file = load_or_exit(path)
    emit(dumps(file, to, spans=spans), output)  # type: ignore[arg-type]


@click.command()
@click.option("-o", "--output", type=click.Path(), help="Write to this file instead of printing.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of an exported file."""
    from ..jsonout import to_json
    from ..model import SlaFile

    emit(to_json(SlaFile.model_json_schema()), output)
