"""`sla price`: the quote as JSON and as a table, and what it refuses."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.cli import run
from tests.conftest import DATA

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
