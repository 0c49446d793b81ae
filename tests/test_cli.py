"""The `sla` command: exit codes, output formats, fmt, export, schema and init."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import sla
from sla.cli import main
from tests.conftest import DATA

VALID = DATA / "valid"
INVALID = DATA / "invalid"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_check_clean_file_exits_0() -> None:
    code, out, _ = run("check", str(VALID / "managed.sla"))
    assert code == 0
    assert "1 file checked: no problems" in out


def test_check_errors_exit_1_with_caret() -> None:
    code, out, _ = run("check", str(INVALID / "names-undefined-calendar.sla"))
    assert code == 1
    assert "error SLA102: unknown calendar 'ofice'" in out
    assert "  service desk { calendar ofice }" in out
    assert "hint: did you mean 'office'?" in out
    caret_line = out.splitlines()[out.splitlines().index(" 5 |   service desk { calendar ofice }") + 1]
    assert caret_line == "   |                  ^^^^^^^^^^^^^^"


def test_warnings_exit_0_unless_strict() -> None:
    path = str(INVALID / "warn-priorities-out-of-order.sla")
    assert run("check", path)[0] == 0
    assert run("check", "--strict", path)[0] == 1


def test_missing_path_exits_2() -> None:
    code, _, err = run("check", "no/such/file.sla")
    assert code == 2
    assert "no such file or folder" in err


def test_folders_are_searched(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.sla").write_text((VALID / "minimal.sla").read_text())
    code, out, _ = run("check", str(tmp_path))
    assert code == 0 and "1 file checked" in out
    assert run("check", str(tmp_path / "sub" / ".."), str(tmp_path / "nothing"))[0] == 2


def test_check_json() -> None:
    code, out, _ = run("check", "--format", "json", str(INVALID / "credits-over-100.sla"), str(VALID / "minimal.sla"))
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"files": 2, "errors": 2, "warnings": 0}
    first = data["diagnostics"][0]
    assert first["code"] == "SLA115" and first["severity"] == "error"
    assert (first["line"], first["column"]) == (6, 5)
    assert set(first) == {"code", "severity", "message", "file", "line", "column", "end_line", "end_column", "hint"}


def test_check_sarif() -> None:
    code, out, _ = run("check", "--format", "sarif", str(INVALID / "ref-unknown-timezone.sla"))
    sarif = json.loads(out)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    [result] = run_["results"]
    assert result["ruleId"] == "SLA103" and ids[result["ruleIndex"]] == "SLA103"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 20, "endLine": 5, "endColumn": 43}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("ref-unknown-timezone.sla")


def test_fmt_prints_check_and_write(tmp_path: Path) -> None:
    messy = tmp_path / "messy.sla"
    messy.write_text((VALID / "comments-and-layout.sla").read_text())
    code, out, _ = run("fmt", str(messy))
    assert code == 0 and out.startswith("# Comments everywhere")
    assert run("fmt", "--check", str(messy))[0] == 1
    assert run("fmt", "--write", str(messy))[0] == 0
    assert messy.read_text() == out
    assert run("fmt", "--check", str(messy))[0] == 0


def test_fmt_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sla"
    broken.write_text('agreement "x" {\n  term 36\n}\n')
    before = broken.read_bytes()
    code, _, err = run("fmt", "--write", str(broken))
    assert code == 1 and "SLA001" in err
    assert broken.read_bytes() == before


def test_fmt_stdin() -> None:
    code, out, _ = run("fmt", "-", input='agreement "x" { id "1"; version "2" }')
    assert code == 0
    assert out == 'agreement "x" {\n  id "1"\n  version "2"\n}\n'


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


def test_schema_is_a_json_schema() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "SlaFile"
    assert "Agreement" in schema["$defs"]


@pytest.mark.parametrize("model", ["managed", "break_fix", "block_hours"])
def test_init_writes_a_clean_starter(tmp_path: Path, model: str) -> None:
    path = tmp_path / f"{model}.sla"
    assert run("init", str(path), "--model", model, "--title", "Acme Support")[0] == 0
    assert sla.check(path) == []
    assert sla.load(path).agreements[0].model == model
    assert run("fmt", "--check", str(path))[0] == 0
    assert run("init", str(path))[0] == 2  # never overwrites without --force


def test_console_script_runs_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sla"
    bad.write_bytes(b"\xff\xfe\x00junk")
    proc = subprocess.run([sys.executable, "-m", "sla", "check", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "SLA007" in proc.stdout


def test_fmt_write_failure_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messy = tmp_path / "messy.sla"
    messy.write_text((VALID / "comments-and-layout.sla").read_text())

    def refuse(path: str, data: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sla.files.write_atomic", refuse)
    code, _, err = run("fmt", "--write", str(messy))
    assert code == 2
    assert "cannot write" in err and "Permission denied" in err


def test_price_json_contract() -> None:
    code, out, _ = run("price", str(VALID / "managed.sla"), "--json")
    data = json.loads(out)
    assert code == 0
    assert {"currency", "one_time_total", "monthly_recurring", "years", "term_total"} <= set(data)
    assert data["currency"] == "EUR" and [y["year"] for y in data["years"]] == [1, 2, 3]
    assert all(isinstance(y["total"], str) for y in data["years"])
    from decimal import Decimal

    years = sum(Decimal(y["total"]) for y in data["years"])
    assert Decimal(data["term_total"]) == years + Decimal(data["one_time_total"])


def test_price_human_and_refusals() -> None:
    code, out, _ = run("price", str(VALID / "managed.sla"))
    assert code == 0 and "term total" in out
    assert run("price", str(VALID / "profile.sla"))[0] == 2  # no agreement in the file
    assert run("price", str(INVALID / "calendar-no-hours.sla"))[0] == 1


NEW_YORK = """agreement "NY" {
  provider "P"; customer "C"; model break_fix; currency USD; start 2027-01-01; term 12 months
  calendar office { timezone "America/New_York"; hours mon-fri 09:00-17:00; holidays US }
  calendar always { timezone "America/New_York"; hours 24x7 }
  priority P1 { response 1h; resolution 4h on always }
  priority P4 { response 1d; resolution best_effort }
  fees { rate engineer 100.00 per hour }
}
"""


@pytest.fixture()
def new_york(tmp_path: Path) -> str:
    path = tmp_path / "ny.sla"
    path.write_text(NEW_YORK)
    return str(path)


def test_clock_deadline_json(new_york: str) -> None:
    # Friday 16:50 + 1h: Monday 2027-01-18 is Martin Luther King Jr. Day, so Tuesday 09:50.
    code, out, _ = run("clock", new_york, "--calendar", "office", "--from", "2027-01-15T16:50", "--add", "1h", "--json")
    assert code == 0 and json.loads(out) == {"deadline": "2027-01-19T09:50:00-05:00"}


def test_clock_elapsed_json(new_york: str) -> None:
    code, out, _ = run("clock", new_york, "--calendar", "office", "--from", "2027-01-14T09:00-05:00",
                       "--to", "2027-01-19T10:00", "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == {"elapsed_seconds": (8 + 8 + 1) * 3600}


def test_clock_priority_target_across_dst(new_york: str) -> None:
    code, out, _ = run("clock", new_york, "--priority", "P1", "--target", "resolution",
                       "--from", "2027-03-13T23:00", "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == {"deadline": "2027-03-14T04:00:00-04:00"}
    code, out, _ = run("clock", new_york, "--priority", "P1", "--from", "2027-01-15T16:30")
    assert (code, out.strip()) == (0, "2027-01-19T09:30:00-05:00")


def test_clock_refusals(new_york: str) -> None:
    assert run("clock", new_york, "--calendar", "offfice", "--from", "2027-01-15T16:50", "--add", "1h")[0] == 2
    assert run("clock", new_york, "--from", "soon", "--add", "1h")[0] == 2
    assert run("clock", new_york, "--from", "2027-01-15T16:50", "--add", "1x")[0] == 2
    assert run("clock", new_york, "--from", "2027-01-15T16:50")[0] == 2
    code, _, err = run("clock", new_york, "--priority", "P4", "--target", "resolution", "--from", "2027-01-15T16:50")
    assert code == 2 and "best effort" in err
