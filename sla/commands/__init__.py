"""Subcommands that import heavy libraries, loaded by `sla.cli` only when they run."""
