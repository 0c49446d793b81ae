"""`sla init`: starters that pass `sla check` and `sla fmt --check`."""

from __future__ import annotations

from pathlib import Path

import pytest

import sla
from tests.cli import run


@pytest.mark.parametrize("model", ["managed", "break_fix", "block_hours"])
def test_init_writes_a_clean_starter(tmp_path: Path, model: str) -> None:
    path = tmp_path / f"{model}.sla"
    assert run("init", str(path), "--model", model, "--title", "Acme Support")[0] == 0
    assert sla.check(path) == []
    assert sla.load(path).agreements[0].model == model
    assert run("fmt", "--check", str(path))[0] == 0
    assert run("init", str(path))[0] == 2  # never overwrites without --force


def test_init_refuses_a_title_it_cannot_write(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "a.sla"), "--title", 'say "hi"')
    assert code == 2 and "may not contain quotes" in err
    assert not (tmp_path / "a.sla").exists()
