"""`sla clock`: deadlines and elapsed business time, from a calendar or a priority's target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import run

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
    code, out, _ = run(
        "clock", new_york, "--calendar", "office", "--from", "2027-01-15T16:50", "--add", "1h", "--json"
    )
    assert code == 0 and json.loads(out) == {"deadline": "2027-01-19T09:50:00-05:00"}


def test_clock_elapsed_json(new_york: str) -> None:
    code, out, _ = run(
        "clock",
        new_york,
        "--calendar",
        "office",
        "--from",
        "2027-01-14T09:00-05:00",
        "--to",
        "2027-01-19T10:00",
        "--json",
    )
    assert code == 0 and json.loads(out) == {"elapsed_seconds": (8 + 8 + 1) * 3600}


def test_clock_priority_target_across_dst(new_york: str) -> None:
    code, out, _ = run(
        "clock",
        new_york,
        "--priority",
        "P1",
        "--target",
        "resolution",
        "--from",
        "2027-03-13T23:00",
        "--json",
    )
    assert code == 0 and json.loads(out) == {"deadline": "2027-03-14T04:00:00-04:00"}
    code, out, _ = run("clock", new_york, "--priority", "P1", "--from", "2027-01-15T16:30")
    assert (code, out.strip()) == (0, "2027-01-19T09:30:00-05:00")


def test_clock_refusals(new_york: str) -> None:
    assert (
        run("clock", new_york, "--calendar", "offfice", "--from", "2027-01-15T16:50", "--add", "1h")[0] == 2
    )
    assert run("clock", new_york, "--from", "soon", "--add", "1h")[0] == 2
    assert run("clock", new_york, "--from", "2027-01-15T16:50", "--add", "1x")[0] == 2
    assert run("clock", new_york, "--from", "2027-01-15T16:50")[0] == 2
    code, _, err = run(
        "clock", new_york, "--priority", "P4", "--target", "resolution", "--from", "2027-01-15T16:50"
    )
    assert code == 2 and "best effort" in err


def test_clock_elapsed_in_words(new_york: str) -> None:
    code, out, _ = run(
        "clock", new_york, "--calendar", "office", "--from", "2027-01-14T16:59:30", "--to", "2027-01-15T09:01"
    )
    assert (code, out) == (0, "1m30s of business time on office (90 seconds)\n")
