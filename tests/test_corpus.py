"""Golden corpus: valid files with their expected JSON, invalid files with their exact diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sla
from tests.conftest import DATA, golden

VALID = sorted((DATA / "valid").glob("*.sla"))
INVALID = sorted((DATA / "invalid").glob("*.sla"))


def test_corpora_are_not_empty() -> None:
    assert len(VALID) >= 10
    assert len(INVALID) >= 30


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_file_loads_to_expected_json(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    diagnostics = sla.check(path.name)
    assert not [d for d in diagnostics if d.is_error], [str(d) for d in diagnostics]
    exported = sla.dumps(sla.load(path.name))
    assert exported == golden(path.with_suffix(".json"), exported)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_json_loads_back_to_the_same_model(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    model = sla.load(path.name)
    assert sla.loads_json(sla.dumps(model)) == model
    with_spans = sla.loads_json(sla.dumps(model, spans=True))
    assert with_spans == model
    assert [n.span for n in with_spans.walk()] == [n.span for n in model.walk()]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_gives_expected_diagnostics(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    diagnostics = sla.check(path.name)
    if path.stem.startswith("warn-"):
        assert diagnostics and not any(d.is_error for d in diagnostics)
    else:
        assert any(d.is_error for d in diagnostics), "an invalid file must give at least one error"
    text = "\n".join(str(d) for d in diagnostics) + "\n"
    assert text == golden(path.with_suffix(".txt"), text)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_refuses_to_load(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    if path.stem.startswith("warn-"):
        sla.load(path.name)  # warnings do not stop a load
        return
    with pytest.raises(sla.SlaError) as info:
        sla.load(path.name)
    assert info.value.errors


def test_expected_json_is_json() -> None:
    for path in VALID:
        json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
