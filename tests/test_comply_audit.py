"""The desk's own verdicts audited against the agreement's (sla.comply.audit), by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import sla
from sla.comply.audit import BREACHED, MET, Audit, desk_verdict
from sla.comply.mapping import Mapping
from sla.comply.measure import Ledger, Plans
from sla.comply.times import Times, Zones

BERLIN = ZoneInfo("Europe/Berlin")

AGREEMENT = """
agreement "Audit" {
  provider "Contoso IT Services Ltd"; customer "Acme GmbH"; model break_fix; currency EUR
  start 2027-01-01; term 36 months
  fees { rate engineer 100.00 per hour }
  calendar desk { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00; holidays DE-BY }
  priority P1 { response 30m; resolution 4h }
  priority P2 { response 1h; resolution 8h }
  clock { pause when "Waiting on customer" }
}
"""


def us(*args: int) -> int:
    """Microseconds since 1970 of a Berlin wall time."""
    return int(datetime(*args, tzinfo=BERLIN).timestamp()) * 1_000_000  # type: ignore[arg-type,misc]


class Desk:
    """An audit over the agreement above, fed tickets by hand."""

    def __init__(self) -> None:
        a = sla.loads(AGREEMENT).agreements[0]
        zones = Zones(a, Times(Mapping()))
        self.plans = Plans(a, zones, Ledger(None))
        self.audit = Audit(a, self.plans, {"within_sla": MET, "sla_violated": BREACHED}, ".")
        self.audit.columns({"response_met": 0, "resolution_met": 1, "resolution_business_minutes": 2})

    def ticket(
        self,
        tid: str,
        priority: str,
        opened: int,
        responded: int | None,
        resolved: int | None,
        desk: tuple[str, str, str],
        pauses: list[tuple[int, int]] | None = None,
        written: str | None = None,
    ) -> None:
        plan = self.plans.plan(priority, None)
        self.audit.keep(tid, plan, written or priority, opened, responded, resolved, pauses or [], desk)

    def report(self) -> Any:
        return self.audit.report()


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("true", MET),
        ("FALSE", BREACHED),
        ("Within SLA", MET),
        ("SLA Violated", BREACHED),
        ("02:15", MET),
        ("-02:15", BREACHED),
        ("-0:00", MET),
        ("  ", None),
    ],
)
def test_desk_verdicts_in_the_words_desks_write(text: str, verdict: str | None) -> None:
    assert desk_verdict(text, {"within_sla": MET, "sla_violated": BREACHED}) == verdict


def test_a_word_no_one_has_said_means_met_or_breached_is_refused() -> None:
    with pytest.raises(ValueError, match="'perhaps' is neither met nor breached"):
        desk_verdict("perhaps", {})
    assert desk_verdict("perhaps", {"perhaps": BREACHED}) == BREACHED


def test_agreeing_verdicts_are_counted_and_the_rate_is_their_share() -> None:
    d = Desk()
    # Monday 2027-03-01 10:00, responded 10:20 (30m: met), resolved 13:00 (4h by 14:00: met)
    d.ticket("A", "P1", us(2027, 3, 1, 10), us(2027, 3, 1, 10, 20), us(2027, 3, 1, 13), ("true", "true", ""))
    # resolved 15:00: an hour late; the desk says breached too
    d.ticket("B", "P1", us(2027, 3, 1, 10), us(2027, 3, 1, 10, 5), us(2027, 3, 1, 15), ("", "false", ""))
    r = d.report()
    assert (r.compared, r.agreed, r.rate) == (3, 3, 100)
    assert r.targets == {"response": (1, 1), "resolution": (2, 2)}
    assert r.disagreements == []


def test_a_holiday_the_desks_schedule_lacks() -> None:
    d = Desk()
    # Thursday 2027-03-25 15:00, P2 resolution 8h: 2h Thursday, Good Friday and Easter Monday are
    # Bavarian holidays, so 6h more on Tuesday 2027-03-30: deadline 15:00. Resolved Tuesday 11:00:
    # met. A desk without the holidays counts 2h Thursday + 6h Friday: deadline Friday 15:00, breached.
    d.ticket("H", "P2", us(2027, 3, 25, 15), None, us(2027, 3, 30, 11), ("", "SLA Violated", ""))
    r = d.report()
    assert (r.compared, r.agreed) == (1, 0)
    (dis,) = r.disagreements
    assert (dis.ticket, dis.target, dis.agreement, dis.desk, dis.cause) == (
        "H",
        "resolution",
        MET,
        BREACHED,
        "holiday",
    )
    assert dis.deadline == datetime(2027, 3, 30, 15, tzinfo=BERLIN)
    assert "2027-03-26 (Good Friday)" in dis.reason and "2027-03-29 (Easter Monday)" in dis.reason
    assert r.causes == {"holiday": 1}


def test_a_pause_the_desk_did_not_apply() -> None:
    d = Desk()
    # Monday 10:00, P1 resolution 4h (14:00); waiting on the customer 11:00-13:00 moves it to 16:00;
    # resolved 15:30: met by the agreement, breached by a desk that does not pause.
    pauses = [(us(2027, 3, 1, 11), us(2027, 3, 1, 13))]
    d.ticket(
        "W",
        "P1",
        us(2027, 3, 1, 10),
        us(2027, 3, 1, 10, 10),
        us(2027, 3, 1, 15, 30),
        ("", "false", ""),
        pauses,
    )
    (dis,) = d.report().disagreements
    assert dis.cause == "pause" and "2h of waiting" in dis.reason


def test_a_priority_change() -> None:
    d = Desk()
    # Measured at P1 by the agreement's rule (4h: breached at 15:00), written P2 by the desk (8h: met).
    d.ticket(
        "P",
        "P1",
        us(2027, 3, 1, 10),
        us(2027, 3, 1, 10, 10),
        us(2027, 3, 1, 15),
        ("", "true", ""),
        written="P2",
    )
    (dis,) = d.report().disagreements
    assert (dis.agreement, dis.desk, dis.cause) == (BREACHED, MET, "priority")
    assert "measures P1 (4h), the desk P2 (8h)" in dis.reason


def test_a_deadline_on_a_different_calendar() -> None:
    d = Desk()
    # Monday 16:00, P1 resolution 4h: 1h Monday + 3h Tuesday = Tuesday 12:00. Resolved Monday 21:00:
    # met. Around the clock the deadline is Monday 20:00: breached.
    d.ticket("C", "P1", us(2027, 3, 1, 16), us(2027, 3, 1, 16, 5), us(2027, 3, 1, 21), ("", "false", ""))
    (dis,) = d.report().disagreements
    assert dis.cause == "calendar" and "2027-03-01 20:00" in dis.reason and "2027-03-02 12:00" in dis.reason


def test_business_minutes_are_set_against_the_target() -> None:
    d = Desk()
    # Zendesk-style: the desk counts 300 business minutes for a P1 resolution (4h = 240: breached);
    # the agreement counts 10:00-13:00 = 180: met.
    d.ticket("Z", "P1", us(2027, 3, 1, 10), us(2027, 3, 1, 10, 10), us(2027, 3, 1, 13), ("", "", "300"))
    r = d.report()
    (dis,) = r.disagreements
    assert (dis.agreement, dis.desk) == (MET, BREACHED)
    assert "the desk counts 300 business minutes, the agreement 180" in dis.reason


def test_what_cannot_be_compared_is_counted_with_its_reason() -> None:
    d = Desk()
    d.ticket("O", "P1", us(2027, 3, 1, 10), None, None, ("", "true", ""))  # open, deadline not passed
    d.ticket("U", "P1", us(2027, 3, 1, 9), us(2027, 3, 1, 9, 5), us(2027, 3, 1, 9, 30), ("maybe", "", ""))
    r = d.report()
    assert r.compared == 0 and r.rate is None
    assert r.not_compared == {
        "the ticket is still open and its deadline has not passed": 1,
        "the desk's verdict 'maybe' is neither met nor breached (map it in the mapping's [verdicts])": 1,
    }
