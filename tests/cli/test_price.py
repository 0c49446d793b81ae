"""`sla price`: the quote as JSON and as a table, and what it refuses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tests.cli import run
from tests.conftest import DATA, ROOT

VALID = DATA / "valid"
INVALID = DATA / "invalid"


def test_price_json_contract() -> None:
    code, out, _ = run("price", str(VALID / "managed.sla"), "--json")
    data = json.loads(out)
    assert code == 0
    assert {"currency", "one_time_total", "monthly_recurring", "years", "term_total"} <= set(data)
    assert data["currency"] == "EUR" and [y["year"] for y in data["years"]] == [1, 2, 3]
    assert all(isinstance(y["total"], str) for y in data["years"])
    years = sum(Decimal(y["total"]) for y in data["years"])
    assert Decimal(data["term_total"]) == years + Decimal(data["one_time_total"])


def test_price_human_and_refusals() -> None:
    code, out, _ = run("price", str(VALID / "managed.sla"))
    assert code == 0 and "term total" in out
    assert run("price", str(VALID / "profile.sla"))[0] == 2  # no agreement in the file
    assert run("price", str(INVALID / "calendar-no-hours.sla"))[0] == 1


EXAMPLES = ROOT / "examples"


def test_a_rate_card_says_there_is_no_recurring_fee() -> None:
    code, out, _ = run("price", str(EXAMPLES / "break-fix.sla"))
    assert code == 0
    assert "There is no recurring fee and no one-time fee: work is billed as it is done." in out
    assert "year total" not in out and "$0.00" not in out
    assert "technician   $115.00  15m        30m remote, 1h onsite" in out
    code, out, _ = run("price", str(EXAMPLES / "break-fix.sla"), "--json")
    assert code == 0 and json.loads(out)["years"][0] == {
        "year": 1,
        "months": 12,
        "lines": [],
        "total": "0.00",
    }


def test_one_time_fees_alone_print_no_empty_years(tmp_path: Path) -> None:
    path = tmp_path / "once.sla"
    path.write_text(
        'agreement "T" {\n provider "P"; customer "C"; model break_fix\n currency EUR; start 2027-01-01\n'
        " term 24 months\n fees { once setup 500.00; rate engineer 100.00 per hour }\n}\n",
        encoding="utf-8",
    )
    code, out, _ = run("price", str(path))
    assert code == 0 and "There is no recurring fee." in out
    assert "year total" not in out and "once  setup  €500.00" in out and "term total       €500.00" in out
