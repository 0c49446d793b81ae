"""`sla check`: exit codes, the caret under the culprit, folders, JSON and SARIF."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import run
from tests.conftest import DATA

VALID = DATA / "valid"
INVALID = DATA / "invalid"


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
    code, out, _ = run(
        "check", "--format", "json", str(INVALID / "credits-over-100.sla"), str(VALID / "minimal.sla")
    )
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"files": 2, "errors": 2, "warnings": 0}
    first = data["diagnostics"][0]
    assert first["code"] == "SLA115" and first["severity"] == "error"
    assert (first["line"], first["column"]) == (6, 5)
    assert set(first) == {
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "hint",
    }


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
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "ref-unknown-timezone.sla"
    )
