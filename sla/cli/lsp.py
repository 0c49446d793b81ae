"""`sla lsp`: the language server for editors, over stdio."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (the only way; accepted for editors that pass it).",
)
def lsp(stdio: bool) -> None:
    """Run the language server for editors, over standard input and output.

    Editors start it themselves (see docs/editors.md): it checks .sla files as they are typed
    and offers hovers, go to definition, references, rename, completion, an outline,
    formatting and quick fixes.
    """
    from ..lsp.server import main

    main()
