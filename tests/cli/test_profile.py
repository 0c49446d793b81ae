"""`sla profile`: a profile learnt from tickets and a worklog, written atomically or printed, that
sla check, sla estimate and sla compare take."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sla.cli import main

from ..test_history import ROOT, _files

BREAK_FIX = str(ROOT / "examples" / "break-fix.sla")


def test_writes_a_profile_that_check_estimate_and_compare_take(tmp_path: Path) -> None:
    tickets, worklog = _files(tmp_path)
    assert worklog is not None
    out = tmp_path / "profile.sla"
    args = ["profile", "--tickets", tickets, "--worklog", worklog, "--agreement", BREAK_FIX, "-o", str(out)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "tickets.csv:12: row not used: unknown priority 'P7'" in done.output  # on stderr
    assert "sla: warning: P1 has 3 tickets, fewer than 5: its rate is rough" in done.output
    assert "    P1 0.5  # 95% CI 0.17 to 1.47;" in out.read_text(encoding="utf-8")
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0
    estimate = CliRunner().invoke(
        main, ["estimate", BREAK_FIX, "--profile", str(out), "--years", "20", "--json"]
    )
    assert estimate.exit_code == 0, estimate.output
    # (0.5 + 1) incidents a month
    assert json.loads(estimate.output)["expected"]["incidents_per_year"] == "18"
    # the break-fix versus managed question, on this history
    offers = [str(ROOT / "examples" / f"offer-{name}.sla") for name in ("break-fix", "managed-basic")]
    learnt = tmp_path / "eur.sla"
    args = [
        "profile",
        "--tickets",
        tickets,
        "--worklog",
        worklog,
        "--agreement",
        offers[0],
        "-o",
        str(learnt),
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    compare = CliRunner().invoke(main, ["compare", *offers, "--profile", str(learnt), "--years", "20"])
    assert compare.exit_code == 0, compare.output


def test_prints_without_o_and_with_o_dash(tmp_path: Path) -> None:
    tickets, _ = _files(tmp_path, None)
    for extra in ([], ["-o", "-"]):
        done = CliRunner().invoke(main, ["profile", "--tickets", tickets, *extra])
        assert done.exit_code == 0, done.output
        assert 'profile "Workload learnt from tickets.csv" {' in done.output
        assert "# note: effort and onsite are left out: they need a worklog (--worklog)" in done.output


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["profile", "--tickets", str(tmp_path / "none.csv")])
    assert done.exit_code == 2
    assert done.output == f"sla: {tmp_path / 'none.csv'}: no such file\n"


def test_listed_in_help() -> None:
    done = CliRunner().invoke(main, ["--help"])
    assert "profile" in done.output
