"""The desk's own verdicts audited against the agreement's (sla.comply.audit), by hand."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import sla
from sla.cli import main
from sla.comply import comply, load_mapping, to_dict
from sla.comply.audit import BREACHED, MET, Audit, desk_verdict
from sla.comply.mapping import Mapping
from sla.comply.measure import Ledger, Plans
from sla.comply.times import Times, Zones
from tests.test_desk_mappings import AGREEMENT as DESK_AGREEMENT
from tests.test_desk_mappings import DESKS, MAPS

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
    assert dis.cause == "pause" and "2h of business time waiting" in dis.reason


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


# -- through sla comply ----------------------------------------------------------------------------

EXAMPLE = Path(__file__).parent.parent / "examples" / "compliance" / "servicenow"
SAMPLE = EXAMPLE / "event-log.csv"


@pytest.mark.parametrize(
    ("desk", "compared", "agreed", "causes"),
    [
        # Autotask and ConnectWise count their SLA around the clock in these rows: a resolution
        # in office time is late on a 24x7 clock
        ("autotask", 3, 2, {"calendar": 1}),
        ("connectwise", 3, 2, {"calendar": 1}),
        ("freshservice", 7, 7, {}),
        ("halopsa", 7, 7, {}),
        ("jira", 7, 7, {}),
        ("zendesk", 5, 5, {}),
    ],
)
def test_each_desks_own_verdicts_audited(
    desk: str, compared: int, agreed: int, causes: dict[str, int]
) -> None:
    a = sla.loads(DESK_AGREEMENT).agreements[0]
    mapping = load_mapping([desk, *MAPS.get(desk, ())])
    audit = comply(a, str(DESKS / f"{desk}.csv"), mapping=mapping, audit=True).audit
    assert audit is not None and audit.reason is None
    assert (audit.compared, audit.agreed, audit.causes) == (compared, agreed, causes)


def test_the_servicenow_event_log_audited_end_to_end() -> None:
    args = [
        "comply",
        str(EXAMPLE / "desk.sla"),
        "--events-log",
        str(SAMPLE),
        "--map",
        "servicenow",
        "--audit",
    ]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    audit = data["audit"]
    # every one of the 32 incidents carries made_sla; the agreement's verdict on resolution
    assert (audit["compared"], audit["targets"]["resolution"]["compared"]) == (32, 32)
    assert audit["agreed"] + len(audit["disagreements"]) == 32
    assert audit["agreement_rate"] == str((Decimal(audit["agreed"]) * 100 / 32).quantize(Decimal("0.001")))
    by_ticket = {d["ticket"]: d for d in audit["disagreements"]}
    # INC0000070 waits on the caller for days: met by the agreement, which pauses, not by made_sla
    assert by_ticket["INC0000070"]["agreement"] == "met" and by_ticket["INC0000070"]["desk"] == "breached"
    assert by_ticket["INC0000070"]["cause"] == "pause"
    # the agreement's breaches the desk calls made are the report's resolution breaches
    breached = {b["ticket"] for p in data["periods"] for b in p["breaches"] if b["target"] == "resolution"}
    said_met = {t for t, d in by_ticket.items() if d["agreement"] == "breached"}
    assert said_met <= breached
    terminal = CliRunner().invoke(main, args)
    assert "The desk's verdicts audited" in terminal.output
    assert f"agree on {audit['agreed']} of 32 targets" in terminal.output
    html = CliRunner().invoke(main, [*args, "--html"])
    assert "<h2>The desk's verdicts audited</h2>" in html.output
    assert "the agreement pauses the clock for" in html.output


def test_an_export_without_the_desks_verdict_says_it_cannot_be_audited(tmp_path: Path) -> None:
    agreement = tmp_path / "desk.sla"
    agreement.write_text(DESK_AGREEMENT, encoding="utf-8")
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened,first_response,resolved\n1,P2,2027-06-07T10:00+02:00,,\n")
    result = CliRunner().invoke(
        main, ["comply", str(agreement), "--tickets", str(tickets), "--audit", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["audit"]["not_audited"].startswith(
        "Not audited: the tickets have no column"
    )
    result = CliRunner().invoke(main, ["comply", str(agreement), "--tickets", str(tickets), "--audit"])
    assert "Not audited" in result.output
    plain = CliRunner().invoke(main, ["comply", str(agreement), "--tickets", str(tickets), "--json"])
    assert "audit" not in json.loads(plain.output)  # only when asked for


def test_the_audits_verdict_is_the_reports(tmp_path: Path) -> None:
    """A desk that calls every target met disagrees exactly where the report lists a breach."""
    a = sla.loads(AGREEMENT).agreements[0]
    rng = random.Random(7)
    lines = ["id,priority,opened,first_response,resolved,response_met,resolution_met"]
    events = ["ticket,time,status"]
    for i in range(400):
        opened = datetime(2027, 3, 1, 8, tzinfo=BERLIN) + timedelta(minutes=rng.randrange(0, 60 * 24 * 40))
        responded = opened + timedelta(minutes=rng.randrange(1, 180))
        resolved = responded + timedelta(minutes=rng.randrange(1, 60 * 30))
        if rng.random() < 0.3:
            start = responded + (resolved - responded) / 3
            events += [
                f"{i},{start.isoformat()},Waiting on customer",
                f"{i},{(start + timedelta(hours=2)).isoformat()},Open",
            ]
        lines.append(
            f"{i},{rng.choice(['P1', 'P2'])},{opened.isoformat()},{responded.isoformat()},{resolved.isoformat()},true,true"
        )
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "e.csv").write_text("\n".join(events) + "\n")
    report = comply(a, str(tmp_path / "t.csv"), events=str(tmp_path / "e.csv"), audit=True)
    assert report.audit is not None and report.audit.compared == 800
    breaches = {(b.ticket, b.target) for p in report.periods for b in p.breaches}
    disagreements = {(d.ticket, d.target) for d in report.audit.disagreements}
    assert breaches and disagreements == breaches
    assert report.audit.agreed == 800 - len(breaches)
    assert to_dict(report)["audit"]["compared"] == 800


def test_the_servicenow_example_of_the_docs() -> None:
    """docs/compliance.md, "ServiceNow": the example set's figures as the docs give them."""
    a = sla.load(EXAMPLE / "desk.sla").agreements[0]
    report = comply(a, events_log=str(SAMPLE), mapping=load_mapping(["servicenow"]), audit=True)
    data = to_dict(report)
    assert (data["rows"]["read"], data["rows"]["used"], data["rows"]["unusable_count"]) == (198, 198, 0)
    feb = next(p for p in data["periods"] if p["period"] == "2016-02")
    p3 = next(p for p in feb["priorities"] if p["priority"] == "P3")["response"]
    assert (p3["count"], p3["met"], p3["breached"]) == (26, 11, 15)
    late = [b for b in feb["breaches"] if b["priority"] == "P3" and b["target"] == "response"]
    assert sum(b["open"] for b in late) == 10
    inc60 = next(b for b in late if b["ticket"] == "INC0000060")
    assert inc60["deadline"] == "2016-02-29T12:00:00+00:00"
    inc62 = next(b for b in feb["breaches"] if b["ticket"] == "INC0000062")
    assert (inc62["priority"], inc62["late_business_seconds"]) == ("P2", (6 * 60 + 51) * 60)
    audit = data["audit"]
    assert (audit["compared"], audit["agreed"]) == (32, 17)
    by_ticket = {d["ticket"]: d for d in audit["disagreements"]}
    assert by_ticket["INC0000070"]["cause"] == "pause"
    assert "pauses the clock for 56h29m of business time" in by_ticket["INC0000070"]["reason"]
    assert by_ticket["INC0000062"]["cause"] == "calendar"


def test_a_period_audits_the_tickets_opened_in_it() -> None:
    a = sla.load(EXAMPLE / "desk.sla").agreements[0]
    mapping = load_mapping(["servicenow"])
    february = comply(a, events_log=str(SAMPLE), mapping=mapping, audit=True, period="2016-02").audit
    march = comply(a, events_log=str(SAMPLE), mapping=mapping, audit=True, period="2016-03").audit
    assert february is not None and march is not None
    assert (february.compared, february.agreed) == (32, 17)  # every incident was opened in February
    assert march.compared == 0
    assert march.not_compared == {"the ticket was opened outside the period asked for": 32}


def test_a_pause_that_never_ends_leaves_no_deadline(tmp_path: Path) -> None:
    """A ticket still waiting on the customer has no deadline: the disagreement says so (no crash)."""
    agreement = tmp_path / "a.sla"
    agreement.write_text(AGREEMENT, encoding="utf-8")
    (tmp_path / "t.csv").write_text(
        "id,priority,opened,first_response,resolved,rm\nN4,P2,2027-06-07T10:00,,,breached\n"
    )
    (tmp_path / "e.csv").write_text("ticket,time,status\nN4,2027-06-07T10:20,Waiting on customer\n")
    args = [
        "comply",
        str(agreement),
        "--tickets",
        str(tmp_path / "t.csv"),
        "--events",
        str(tmp_path / "e.csv"),
    ]
    args += ["--map", "resolution_met=rm", "--audit"]
    # the response: never came, and its clock is paused for good; the desk's resolution verdict
    # is compared only once a deadline has passed, so nothing here is compared
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["audit"]["compared"] == 0
    # answered during the pause, the response is met; a desk that says breached disagrees
    (tmp_path / "t.csv").write_text(
        "id,priority,opened,first_response,resolved,rm\nN4,P2,2027-06-07T10:00,2027-06-07T11:30,,breached\n"
    )
    args[-2] = "response_met=rm"
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    (d,) = json.loads(result.output)["audit"]["disagreements"]
    assert (d["agreement"], d["desk"], d["deadline"]) == ("met", "breached", None)
    terminal = CliRunner().invoke(main, args)
    assert terminal.exit_code == 0 and "Disagreements (1)" in terminal.output


def test_a_servicenow_log_without_made_sla_is_measured_and_not_audited(tmp_path: Path) -> None:
    rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    at = rows[0].split(",").index("made_sla")
    log = tmp_path / "log.csv"
    log.write_text("\n".join(",".join(c for i, c in enumerate(r.split(",")) if i != at) for r in rows) + "\n")
    a = sla.load(EXAMPLE / "desk.sla").agreements[0]
    report = comply(a, events_log=str(log), mapping=load_mapping(["servicenow"]), audit=True)
    assert report.used == 198 and report.audit is not None
    assert report.audit.reason is not None and report.audit.reason.startswith("Not audited")


def test_time_left_in_seconds_below_zero_is_breached() -> None:
    assert desk_verdict("-00:00:30", {}) == BREACHED
    assert desk_verdict("00:00:30", {}) == MET
    assert desk_verdict("-00:00:00", {}) == MET


def test_around_the_clock_is_the_calendars_own_days(tmp_path: Path) -> None:
    """By close on 24x7 is the end of the local day (LANGUAGE.md), in the calendar's zone."""
    text = AGREEMENT.replace(
        "priority P1 { response 30m; resolution 4h }",
        'calendar chi { timezone "America/Chicago"; hours mon-fri 08:00-12:00, 13:00-17:00 }\n'
        "  priority P1 { response 30m on chi; resolution by close +2d on chi }",
    )
    a = sla.loads(text).agreements[0]
    (tmp_path / "t.csv").write_text(
        "id,priority,opened,first_response,resolved,rm\n"
        "C1,P1,2027-06-07T10:00-05:00,2027-06-07T10:10-05:00,2027-06-09T20:00-05:00,met\n"
    )
    report = comply(a, str(tmp_path / "t.csv"), mapping=load_mapping(["resolution_met=rm"]), audit=True)
    assert report.audit is not None
    (d,) = report.audit.disagreements
    # the agreement's close of business two days on is Wednesday 17:00; around the clock, midnight
    assert (d.agreement, d.desk, d.cause) == (BREACHED, MET, "calendar")
    assert "its deadline 2027-06-10 00:00 CDT" in d.reason


def test_an_open_ticket_is_judged_at_the_latest_time_the_export_shows(tmp_path: Path) -> None:
    """Its status changes count: one two days after opening shows the 8h resolution overdue."""
    a = sla.loads(AGREEMENT).agreements[0]
    (tmp_path / "t.csv").write_text(
        "id,priority,opened,first_response,resolved,rm\nL1,P2,2027-06-07T10:00+02:00,2027-06-07T10:30+02:00,,breached\n"
    )
    (tmp_path / "e.csv").write_text("ticket,time,status\nL1,2027-06-09T12:00+02:00,In progress\n")
    mapping = load_mapping(["resolution_met=rm"])
    report = comply(a, str(tmp_path / "t.csv"), events=str(tmp_path / "e.csv"), mapping=mapping, audit=True)
    assert report.audit is not None and (report.audit.compared, report.audit.agreed) == (1, 1)
