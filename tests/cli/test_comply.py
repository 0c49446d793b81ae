"""`sla comply`: the example sets against their golden outputs, and the options of the second wave."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli import run

ROOT = Path(__file__).parent.parent.parent
VIENNA = Path("examples") / "compliance" / "vienna"
#: Set to write the golden files again from what `sla comply` prints now (then read the diff).
REGENERATE = os.environ.get("SLA_REGENERATE_GOLDEN") == "1"


def vienna(*extra: str) -> tuple[int, str, str]:
    """`sla comply` on the second-wave example set, with paths as the golden files show them."""
    return run(
        "comply",
        str(VIENNA / "vienna.sla"),
        "--tickets",
        str(VIENNA / "tickets.csv"),
        "--events",
        str(VIENNA / "events.csv"),
        "--outages",
        str(VIENNA / "outages.csv"),
        "--exclusions",
        str(VIENNA / "exclusions.csv"),
        *extra,
    )


@pytest.mark.parametrize(("golden", "extra"), [("report.txt", ()), ("report.json", ("--json",))])
def test_the_second_wave_example_set_matches_its_golden_output(
    monkeypatch: pytest.MonkeyPatch, golden: str, extra: tuple[str, ...]
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = vienna(*extra)
    assert code == 0, err
    path = VIENNA / golden
    if REGENERATE:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_the_second_wave_example_set_shows_each_construct(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    data = json.loads(vienna("--json")[1])
    assert data["priority_rule"] == "highest"
    _, february, march, _ = data["periods"]
    # February: Friday 18:00 to Saturday 09:00 is 120 minutes in praxis's hours; the one-off window
    # excludes 17:30-19:00 of a planned outage; the power cut is an agreed exclusion
    [pms] = february["availability"]
    assert (pms["period_minutes"], pms["excluded_minutes"], pms["downtime_minutes"], pms["measured"]) == (
        14760,
        180,
        120,
        "99.177",
    )
    assert [(x["minutes"], x["removed_minutes"]) for x in pms["exclusions"]] == [(60, 0), (90, 90)]
    # March: VD-303, raised from P3 to P1 and back, is measured as a P1; two updates were missed
    assert [b["ticket"] for b in march["breaches"]] == ["VD-303"]
    assert [(u["ticket"], u["late_business_seconds"]) for u in march["missed_updates"]] == [
        ("VD-301", 60),
        ("VD-302", 3600),
    ]
    # the rolling cap of 10% of three months' fees binds in January (one month of fees) and April
    assert [p["credits"]["rolling_cap"]["applied"] for p in data["periods"]] == [True, False, False, True]
    assert [p["credits"]["owed"] for p in data["periods"]] == ["120.00", "120.00", "90.00", "150.00"]


def test_the_second_wave_as_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.html"
    assert vienna("--html", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    for text in (
        "most urgent priority they ever had",
        "2027-02 <span",
        "during praxis",
        "<h3>Agreed exclusions</h3>",
        "Customer power cut (building works)",
        "<h3>Missed updates (2)</h3>",
        "<td>updates</td>",
        "rolling cap 10% of the fees of 2027-02 to 2027-04",
        "count as no fee and no credit: before the start of the agreement",
    ):
        assert text in page, text


def test_an_exclusions_file_that_cannot_be_read_stops_the_run(tmp_path: Path) -> None:
    code, _, err = run(
        "comply",
        str(ROOT / VIENNA / "vienna.sla"),
        "--tickets",
        str(ROOT / VIENNA / "tickets.csv"),
        "--exclusions",
        str(tmp_path / "missing.csv"),
    )
    assert code == 2 and "missing.csv: no such file" in err
