"""docs/pricing.md's worked example is computed, not just written: its numbers are checked here."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import sla
from sla.costs import cost_model, expect

DOC = Path(__file__).parent.parent / "docs" / "pricing.md"


def test_the_worked_example_holds() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```sla\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 2, "the worked example has an agreement and a profile"
    agreement = sla.loads(blocks[0]).agreements[0]
    profile = sla.loads(blocks[1]).profiles[0]
    e = expect(cost_model(agreement, profile))
    assert e.monthly == Decimal("1126.88") and "**EUR 1,126.88**" in text
    assert e.annual == Decimal("13522.56") and "**EUR 13,522.56**" in text
    assert e.downtime_hours_year == 96 and "**96 hours**" in text
    assert e.annual_downtime == Decimal("96000.00") and "**EUR 96,000.00**" in text
