"""`sla compare` and `sla estimate` on a file that holds several agreements: --agreement."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sla.cli import main

from ..test_costs import BREAK_FIX, MANAGED, PROFILE


def _files(tmp_path: Path) -> tuple[str, str]:
    offers = tmp_path / "offers.sla"
    offers.write_text(MANAGED + "\n" + BREAK_FIX, encoding="utf-8")
    profile = tmp_path / "profile.sla"
    profile.write_text(PROFILE, encoding="utf-8")
    return str(offers), str(profile)


def test_compare_takes_several_agreements_of_one_file_by_id(tmp_path: Path) -> None:
    offers, profile = _files(tmp_path)
    args = ["compare", offers, "--profile", profile, "--years", "50", "--json"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2
    assert "holds 2 agreements ('MS', 'BF'); choose with --agreement ID" in refused.output
    done = CliRunner().invoke(main, [*args, "--agreement", "MS", "--agreement", "BF"])
    assert done.exit_code == 0, done.output
    assert [o["agreement"] for o in json.loads(done.output)["offers"]] == ["MS", "BF"]


def test_estimate_takes_one_agreement_of_a_file_by_id(tmp_path: Path) -> None:
    offers, profile = _files(tmp_path)
    done = CliRunner().invoke(
        main, ["estimate", offers, "--profile", profile, "--years", "50", "--json", "--agreement", "BF"]
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["agreement"] == "BF"
