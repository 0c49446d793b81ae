"""`sla export` and `sla schema`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sla
from tests.cli import run
from tests.conftest import DATA

VALID = DATA / "valid"
INVALID = DATA / "invalid"


def test_export_json_loads_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(VALID)
    out_file = tmp_path / "out.json"
    assert run("export", "imports.sla", "--to", "json", "-o", str(out_file))[0] == 0
    assert sla.loads_json(out_file.read_text()) == sla.load("imports.sla")
    data = json.loads(out_file.read_text())
    calendars = [c["name"] for c in data["documents"][0]["calendars"]]
    assert calendars == ["office", "night", "late", "always"]  # imported calendars are resolved


def test_export_yaml() -> None:
    import yaml

    code, out, _ = run("export", str(VALID / "managed.sla"), "--to", "yaml")
    assert code == 0
    data = yaml.safe_load(out)
    assert data["documents"][0]["fees"]["recurring"][0]["price"] == {"amount": "45.00", "currency": None}


def test_export_refuses_an_invalid_file() -> None:
    code, out, err = run("export", str(INVALID / "calendar-no-hours.sla"))
    assert code == 1 and out == "" and "SLA110" in err


def test_export_spans_are_not_for_sla_text() -> None:
    code, _, err = run("export", str(VALID / "managed.sla"), "--to", "sla", "--spans")
    assert code == 2 and "--spans is for --to json or yaml" in err


def test_schema_is_a_json_schema() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "SlaFile"
    assert "Agreement" in schema["$defs"]
    assert out.endswith("}\n")
