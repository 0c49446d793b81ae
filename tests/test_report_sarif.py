"""SARIF for code scanning (sla.report.to_sarif): our own project page, help per rule, and
fingerprints that follow a finding when lines move."""

from __future__ import annotations

import json

import sla
from sla.report import PROJECT_URL, to_sarif

TEXT = 'agreement "A" {\n  calendar office { timezone "Europe/Berln"; hours mon-fri 09:00-17:00 }\n}\n'


def _sarif(text: str) -> dict[str, object]:
    return json.loads(to_sarif(sla.check_text(text, "a.sla")))  # type: ignore[no-any-return]


def test_the_driver_points_at_this_project_and_every_rule_has_help() -> None:
    driver = _sarif(TEXT)["runs"][0]["tool"]["driver"]  # type: ignore[index]
    assert driver["informationUri"] == PROJECT_URL == "https://pypi.org/project/sla-lang/"
    for rule in driver["rules"]:
        assert rule["helpUri"] == PROJECT_URL
        assert rule["help"]["text"].startswith(rule["id"] + ": ")


def test_a_finding_keeps_its_fingerprint_when_lines_move() -> None:
    before = _sarif(TEXT)["runs"][0]["results"]  # type: ignore[index]
    after = _sarif("# a comment added above\n\n" + TEXT)["runs"][0]["results"]  # type: ignore[index]
    prints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in before]
    assert prints == [r["partialFingerprints"]["primaryLocationLineHash"] for r in after]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after
    ]
    assert all(p.endswith(":1") for p in prints)
