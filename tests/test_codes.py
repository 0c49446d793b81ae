"""One table of diagnostic codes: every code the package gives is in it, once, with its meaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sla
from sla.billing import RateCard
from sla.checks import all_codes as table
from sla.codes import CODES
from sla.pricing import quote

PACKAGE = Path(sla.__file__).parent


def test_every_code_in_the_source_is_in_the_table() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert sources
    used = {code for path in sources for code in re.findall(r"SLA\d{3}", path.read_text(encoding="utf-8"))}
    known = table()
    assert used - set(known) == set()
    assert {"SLA001", "SLA101", "SLA201", "SLA301", "SLA401", "SLA501"} <= set(known)


def test_checks_and_the_table_do_not_share_codes() -> None:
    from sla.checks import RULES

    # A code may cover one mistake in several kinds of document (SLA101 in agreements and in
    # requirements), always at one severity.
    severities: dict[str, set[str]] = {}
    for r in RULES:
        severities.setdefault(r.code, set()).add(r.severity)
    assert all(len(s) == 1 for s in severities.values())
    assert set(severities).isdisjoint(CODES)


def test_every_code_has_a_severity_and_a_sentence() -> None:
    for code, entry in table().items():
        assert entry.severity in ("error", "warning"), code
        assert entry.summary.endswith(".") and entry.summary[0].isupper(), code


NO_CURRENCY = """agreement "X" {
  model managed
  start 2027-01-01
  term 12 months
  service desk { quantity 10 users }
  fees { recurring desk 10.00 per user monthly; rate engineer 100.00 per hour }
}
"""


def test_a_missing_currency_reads_the_same_wherever_it_is_found() -> None:
    agreement = sla.parse(NO_CURRENCY).agreements[0]
    found = []
    for attempt in (lambda: quote(agreement), lambda: RateCard(agreement)):
        with pytest.raises(sla.SlaError) as excinfo:
            attempt()
        found += [(d.code, d.message, d.hint) for d in excinfo.value.diagnostics if d.code == "SLA201"]
    assert len(found) == 2 and len(set(found)) == 1
    assert found[0][:2] == ("SLA201", "the agreement states no currency")
