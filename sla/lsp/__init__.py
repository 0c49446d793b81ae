"""The language server: `sla lsp` (or `python -m sla.lsp`) serves diagnostics, hovers, names,
completion, an outline, formatting and quick fixes to an editor over stdio.

Importing this package costs nothing; pygls and lsprotocol are imported by `sla.lsp.server`
only, when the server starts."""
