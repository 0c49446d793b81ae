"""`sla comply` reading a tickets file by columns gives the report it gives reading it row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sla
from sla.comply import comply, to_dict

AGREEMENT = """
agreement "T" {
  provider "P"; customer "C"; model break_fix; currency EUR
  start 2027-01-01; term 36 months
  fees { rate engineer 100.00 per hour }
  calendar desk { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00; holidays DE-BY }
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service helpdesk { calendar desk }
  service servers { calendar always }
  priority P1 { response 30m on always; resolution 4h on always }
  priority P2 { response 1h; resolution 8h }
  priority P3 { response 4h; resolution 2d }
  priority P4 { response 1d; resolution best_effort }
  clock { pause when "Waiting on customer" }
}
"""


def agreement() -> Any:
    return sla.loads(AGREEMENT).agreements[0]


def test_every_row_naming_an_unknown_service_is_unusable(tmp_path: Path) -> None:
    """Before, only the first row naming an unknown service was refused; later rows naming the
    same one were measured as if they named none."""
    tickets = tmp_path / "t.csv"
    tickets.write_text(
        "id,priority,opened,first_response,resolved,service\n"
        "A,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,,foo\n"
        "B,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,,foo\n"
        "C,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,,helpdesk\n",
        encoding="utf-8",
    )
    data = to_dict(comply(agreement(), str(tickets)))
    assert [(u["row"], u["reason"]) for u in data["rows"]["unusable"]] == [
        (2, "unknown service 'foo'"),
        (3, "unknown service 'foo'"),
    ]
    assert data["rows"]["used"] == 1
