from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent

#: Set SLA_REGEN=1 to rewrite golden files from the current output (then review the diff).
REGEN = os.environ.get("SLA_REGEN") == "1"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the parser and reference caches of the tests out of the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def golden(path: Path, actual: str) -> str:
    """The expected text for a golden file, written first when regenerating."""
    if REGEN or not path.exists():
        if not REGEN:
            pytest.fail(f"missing golden file {path}; run with SLA_REGEN=1 and review it")
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")
