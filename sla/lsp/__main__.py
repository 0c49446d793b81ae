"""`python -m sla.lsp`: the language server over stdio, as `sla lsp`."""

from .server import main

main()
