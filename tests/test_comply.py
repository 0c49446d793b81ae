"""Compliance (sla.comply, `sla comply`) against hand-computed deadlines, availability and credits."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import sla
from sla.cli import main
from sla.clock import wall_clock
from sla.comply import (
    InputError,
    Mapping,
    comply,
    json_chunks,
    load_mapping,
    parse_period,
    ready_mappings,
    to_dict,
)
from sla.comply.times import Times as _Times

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "compliance"

HEAD = (
    'provider "Contoso IT Services Ltd"; customer "Acme GmbH"; model managed; currency EUR\n'
    "start 2027-01-01; term 36 months\n"
)
#: For an agreement without recurring fees: break-fix, with a rate.
HEAD_BREAK_FIX = HEAD.replace("managed", "break_fix") + "fees { rate engineer 100.00 per hour }\n"

#: The agreement of the credits worked example (LANGUAGE.md, docs/language.md 6.5).
CREDITS = """
calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00 }
calendar always { timezone "Europe/Berlin"; hours 24x7 }
service helpdesk "Service Desk" { }
service servers "Servers" { calendar always; availability 99.9% }
priority P1 { response 30m on always }
credits {
  availability below 99.9% credit 5%
  availability below 99.5% credit 10%
  availability below 99.0% credit 25%
  response missed P1 credit 100.00 each
  cap 30% of monthly fee
}
fees {
  recurring helpdesk 1500.00 monthly
  recurring servers 2000.00 monthly
}
"""

#: Mon-Fri 09:00-17:00 in Berlin with Bavarian holidays, and 24x7; no credits.
DESK = """
calendar desk { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00; holidays DE-BY }
calendar always { timezone "Europe/Berlin"; hours 24x7 }
service helpdesk { calendar desk }
service servers { calendar always; availability 99.9% monthly excluding maintenance }
maintenance weekly sun 02:00-06:00 on always
priority P1 { response 30m on always; resolution 4h on always }
priority P2 { response 1h; resolution 8h }
priority P3 { response 4h; resolution 2d }
priority P4 { response 1d; resolution best_effort }
clock { pause when "Waiting on customer" }
"""

TICKETS = "id,priority,opened,first_response,resolved,service\n"


def agreement(body: str) -> Any:
    head = HEAD if "fees {" in body else HEAD_BREAK_FIX
    return sla.loads(f'agreement "Test" {{\n{head}{body}\n}}').agreements[0]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(
    a: Any,
    tmp_path: Path,
    tickets: str = "",
    events: str | None = None,
    outages: str | None = None,
    period: str | None = None,
    mapping: Mapping | None = None,
) -> dict[str, Any]:
    """The JSON-ready report of CSV texts (a header line is added to tickets without one)."""
    data_first = re.match(r"[^\n]*\d{4}-\d\d-\d\d", tickets) and not tickets.startswith("id,")
    text = TICKETS + tickets if data_first else tickets
    report = comply(
        a,
        write(tmp_path, "tickets.csv", text or TICKETS),
        events=write(tmp_path, "events.csv", events) if events is not None else None,
        outages=write(tmp_path, "outages.csv", outages) if outages is not None else None,
        mapping=mapping,
        period=period,
    )
    data = to_dict(report)
    assert json.loads("".join(json_chunks(report))) == data  # the streamed JSON is the same document
    return data


def month(data: dict[str, Any], label: str) -> dict[str, Any]:
    return next(p for p in data["periods"] if p["period"] == label)


def stats(period: dict[str, Any], priority: str, kind: str) -> dict[str, Any]:
    return next(p for p in period["priorities"] if p["priority"] == priority)[kind]


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["comply", *args], catch_exceptions=False)


# -- the credits worked example ------------------------------------------------------------------


def outage_for(availability: str, start: str = "2027-06-10 10:00:00") -> str:
    """An unplanned servers outage that leaves `availability` percent of June 2027 (43,200 min)."""
    from decimal import Decimal

    seconds = int(43_200 * 60 * (100 - Decimal(availability)) / 100)
    end = datetime.fromisoformat(start) + timedelta(seconds=seconds)
    return f"service,start,end,planned\nservers,{start},{end:%Y-%m-%d %H:%M:%S},no\n"


def missed_responses(n: int) -> str:
    # P1: response 30m on always; each answered 45 minutes after opening, one a day.
    return "".join(f"T{i},P1,2027-06-{i + 1:02d} 10:00,2027-06-{i + 1:02d} 10:45,,\n" for i in range(n))


def test_credits_worked_example(tmp_path: Path) -> None:
    # 99.4% -> below 99.5%, not below 99.0% -> the 10% tier of servers' 2,000.00 = 200.00;
    # three missed P1 responses x 100.00 = 300.00; total 500.00; cap 30% of 3,500.00 = 1,050.00.
    data = run(agreement(CREDITS), tmp_path, missed_responses(3), outages=outage_for("99.4"))
    june = month(data, "2027-06")
    [servers] = june["availability"]
    assert (servers["measured"], servers["period_minutes"], servers["downtime_minutes"]) == (
        "99.400",
        43200,
        259.2,
    )
    credits = june["credits"]
    assert [(line["kind"], line["subject"], line["amount"]) for line in credits["lines"]] == [
        ("availability", "servers", "200.00"),
        ("response", "P1", "300.00"),
    ]
    assert credits["lines"][0]["percent"] == "10" and credits["lines"][0]["base"] == "2000.00"
    assert (credits["total_before_cap"], credits["monthly_fee"], credits["cap"]) == (
        "500.00",
        "3500.00",
        "1050.00",
    )
    assert (credits["owed"], credits["capped"]) == ("500.00", False)


def test_credits_worked_example_capped(tmp_path: Path) -> None:
    # Ten missed P1 responses: 200.00 + 1,000.00 = 1,200.00, capped to 1,050.00.
    data = run(agreement(CREDITS), tmp_path, missed_responses(10), outages=outage_for("99.4"))
    credits = month(data, "2027-06")["credits"]
    assert credits["lines"][1] == {
        "kind": "response",
        "subject": "P1",
        "detail": "10 missed P1 responses x 100.00",
        "count": 10,
        "percent": None,
        "base": "100.00",
        "amount": "1000.00",
        "not_computable": None,
    }
    assert (credits["total_before_cap"], credits["cap"], credits["owed"], credits["capped"]) == (
        "1200.00",
        "1050.00",
        "1050.00",
        True,
    )


@pytest.mark.parametrize(
    ("availability", "tier", "amount"),
    [
        ("99.9", None, None),  # exactly at the threshold is not below it
        ("99.899", "5", "100.00"),
        ("99.5", "5", "100.00"),  # below 99.9 but not below 99.5
        ("99.499", "10", "200.00"),
        ("99.0", "10", "200.00"),
        ("98.999", "25", "500.00"),  # the lowest tier applies, not the sum
    ],
)
def test_credit_tiers_at_their_boundaries(
    tmp_path: Path, availability: str, tier: str | None, amount: str | None
) -> None:
    data = run(agreement(CREDITS), tmp_path, outages=outage_for(availability))
    june = month(data, "2027-06")
    assert june["availability"][0]["measured"] == f"{float(availability):.3f}"
    lines = june["credits"]["lines"]
    assert [(line["percent"], line["amount"]) for line in lines] == ([(tier, amount)] if tier else [])


# -- availability ----------------------------------------------------------------------------------


def test_sixty_minutes_down_in_a_thirty_day_month(tmp_path: Path) -> None:
    data = run(
        agreement(CREDITS), tmp_path, outages="service,start,end\nservers,2027-06-10 10:00,2027-06-10 11:00\n"
    )
    [servers] = month(data, "2027-06")["availability"]
    # (43,200 - 60) / 43,200 = 99.8611...%, cut to 99.861
    assert servers == {
        "service": "servers",
        "target": "99.9",
        "frequency": "monthly",
        "measurement_period": "2027-06",
        "complete": True,
        "start": "2027-06-01T00:00:00+02:00",
        "end": "2027-07-01T00:00:00+02:00",
        "period_minutes": 43200,
        "excluded_minutes": 0,
        "downtime_minutes": 60,
        "outages": 1,
        "measured": "99.861",
        "met": False,
        "not_measured": None,
    }


@pytest.mark.parametrize(
    ("zone", "label", "minutes"),
    [
        ("Europe/Berlin", "2027-03", 31 * 1440 - 60),  # 28 March: 02:00 -> 03:00
        ("Europe/Berlin", "2027-10", 31 * 1440 + 60),  # 31 October: 03:00 -> 02:00
        ("America/New_York", "2027-03", 31 * 1440 - 60),  # 14 March
        ("America/New_York", "2027-11", 30 * 1440 + 60),  # 7 November
        ("America/New_York", "2027-06", 30 * 1440),
    ],
)
def test_a_dst_month_has_sixty_more_or_fewer_minutes(
    tmp_path: Path, zone: str, label: str, minutes: int
) -> None:
    a = agreement(
        f'calendar always {{ timezone "{zone}"; hours 24x7 }}\nservice servers {{ availability 99.9% }}'
    )
    data = run(
        a, tmp_path, period=label, outages="service,start,end\nservers,2027-06-10 10:00,2027-06-10 11:00\n"
    )
    [servers] = month(data, label)["availability"]
    assert servers["period_minutes"] == minutes


def test_an_outage_across_the_period_edge_counts_its_part_inside(tmp_path: Path) -> None:
    outages = "service,start,end,planned\nservers,2027-06-30 23:00,2027-07-01 01:00,no\n"
    data = run(agreement(CREDITS), tmp_path, outages=outages)
    assert [p["period"] for p in data["periods"]] == ["2027-06", "2027-07"]
    assert month(data, "2027-06")["availability"][0]["downtime_minutes"] == 60
    july = month(data, "2027-07")["availability"][0]
    assert (july["downtime_minutes"], july["period_minutes"]) == (60, 31 * 1440)


def test_outages_reported_twice_count_once(tmp_path: Path) -> None:
    outages = "service,start,end\nservers,2027-06-10 10:00,2027-06-10 11:00\nservers,2027-06-10 10:30,2027-06-10 11:30\n"
    data = run(agreement(CREDITS), tmp_path, outages=outages)
    assert month(data, "2027-06")["availability"][0]["downtime_minutes"] == 90


def test_planned_outages_inside_maintenance_windows_are_excluded(tmp_path: Path) -> None:
    # 2027-06-06 and 2027-06-13 are Sundays; the window is 02:00-06:00 on `always` (Berlin).
    outages = (
        "service,start,end,planned\n"
        "servers,2027-06-06 02:30,2027-06-06 05:00,yes\n"  # inside: 150 minutes excluded
        "servers,2027-06-13 05:00,2027-06-13 07:00,yes\n"  # half inside: 60 excluded, 60 down
        "servers,2027-06-15 02:30,2027-06-15 03:00,yes\n"  # a Tuesday: planned, no window: 30 down
        "servers,2027-06-20 03:00,2027-06-20 03:20,no\n"  # in the window, unplanned: 20 down
    )
    data = run(agreement(DESK), tmp_path, outages=outages)
    servers = month(data, "2027-06")["availability"][0]
    assert (servers["excluded_minutes"], servers["downtime_minutes"]) == (210, 110)
    # (43,200 - 210 - 110) / (43,200 - 210) = 42,880 / 42,990 = 99.744...%
    assert servers["measured"] == "99.744"


def test_without_excluding_maintenance_a_planned_outage_is_downtime(tmp_path: Path) -> None:
    body = DESK.replace("availability 99.9% monthly excluding maintenance", "availability 97.0% monthly")
    data = run(
        agreement(body),
        tmp_path,
        outages="service,start,end,planned\nservers,2027-06-06 02:30,2027-06-06 05:00,yes\n",
    )
    servers = month(data, "2027-06")["availability"][0]
    assert (servers["excluded_minutes"], servers["downtime_minutes"]) == (0, 150)


def test_a_monthly_window_across_midnight(tmp_path: Path) -> None:
    # The second Saturday of June 2027 is the 12th; its window runs 22:00 to 02:00 on the 13th.
    body = DESK.replace(
        "maintenance weekly sun 02:00-06:00 on always", "maintenance monthly second sat 22:00-02:00 on always"
    )
    outages = "service,start,end,planned\nservers,2027-06-12 23:00,2027-06-13 03:00,yes\nservers,2027-06-05 23:00,2027-06-06 00:00,yes\n"
    servers = month(run(agreement(body), tmp_path, outages=outages), "2027-06")["availability"][0]
    # 23:00-02:00 excluded (180), 02:00-03:00 down (60); the first Saturday has no window (60 down)
    assert (servers["excluded_minutes"], servers["downtime_minutes"]) == (180, 120)


def test_a_quarterly_target_is_credited_in_the_quarters_last_month(tmp_path: Path) -> None:
    body = CREDITS.replace("availability 99.9% }", "availability 99.9% quarterly }")
    outages = "service,start,end\nservers,2027-04-10 10:00,2027-04-10 14:00\n"  # 240 minutes
    data = run(agreement(body), tmp_path, period="2027-Q2", outages=outages)
    assert [p["period"] for p in data["periods"]] == ["2027-04", "2027-05", "2027-06"]
    april, june = month(data, "2027-04"), month(data, "2027-06")
    assert april["availability"][0]["complete"] is False and not april["credits"]["lines"]
    q2 = june["availability"][0]
    # Q2 in Berlin: 91 days = 131,040 minutes; (131,040 - 240) / 131,040 = 99.8178...%
    assert (q2["measurement_period"], q2["complete"], q2["period_minutes"], q2["measured"]) == (
        "2027-Q2",
        True,
        131040,
        "99.817",
    )
    assert [line["amount"] for line in june["credits"]["lines"]] == ["100.00"]  # 5% of 2,000.00


def test_service_tiers_replace_the_general_ones(tmp_path: Path) -> None:
    body = CREDITS.replace(
        "availability below 99.0% credit 25%",
        "availability below 99.0% credit 25%\n  availability below 99.95% credit 1% for servers",
    )
    data = run(agreement(body), tmp_path, outages=outage_for("99.4"))
    [line] = month(data, "2027-06")["credits"]["lines"]
    assert (line["percent"], line["amount"]) == ("1", "20.00")


# -- deadlines ----------------------------------------------------------------------------------------

# 2027-06-07 is a Monday and 2027-06-11 a Friday; 2027-05-17 is Whit Monday (a DE-BY holiday).


def test_an_event_exactly_at_the_deadline_is_met_and_one_second_later_is_not(tmp_path: Path) -> None:
    # P2 response 1h on desk (09-17): Friday 16:30 + 1h is Monday 09:30.
    data = run(
        agreement(DESK),
        tmp_path,
        "A,P2,2027-06-11 16:30:00,2027-06-14 09:30:00,,helpdesk\n"
        "B,P2,2027-06-11 16:30:00,2027-06-14 09:30:01,,helpdesk\n",
    )
    june = month(data, "2027-06")
    response = stats(june, "P2", "response")
    assert (response["count"], response["met"], response["breached"]) == (2, 1, 1)
    [breach] = [b for b in june["breaches"] if b["target"] == "response"]
    assert (breach["ticket"], breach["deadline"], breach["at"]) == (
        "B",
        "2027-06-14T09:30:00+02:00",
        "2027-06-14T09:30:01+02:00",
    )
    assert (breach["late_business_seconds"], breach["late_wall_seconds"], breach["open"]) == (1, 1, False)


def test_how_late_a_breach_is_in_business_and_wall_time(tmp_path: Path) -> None:
    # Friday 15:30 + 1h = 16:30; answered Monday 09:30: 30m on Friday and 30m on Monday of
    # business time, 65 hours of wall-clock time.
    data = run(
        agreement(DESK), tmp_path, "A,P2,2027-06-11 15:30,2027-06-14 09:30,2027-06-14 10:00,helpdesk\n"
    )
    [breach] = month(data, "2027-06")["breaches"]
    assert (breach["deadline"], breach["late_business_seconds"], breach["late_wall_seconds"]) == (
        "2027-06-11T16:30:00+02:00",
        3600,
        65 * 3600,
    )


def test_tickets_opened_outside_hours_and_on_holidays(tmp_path: Path) -> None:
    tickets = (
        "SAT,P3,2027-06-12 10:00,2027-06-14 12:59,,helpdesk\n"  # Saturday: counts from Monday 09:00
        "SUN,P3,2027-06-13 10:00,2027-06-14 13:01,,helpdesk\n"  # 4h -> Monday 13:00: a minute late
        "HOL,P2,2027-05-17 11:00,2027-05-18 10:00,,helpdesk\n"  # Whit Monday: Tuesday 09:00 + 1h
        "EVE,P2,2027-05-14 16:50,2027-05-18 09:50,,helpdesk\n"  # Friday 16:50 + 1h: Tuesday 09:50
    )
    data = run(agreement(DESK), tmp_path, tickets)
    june, may = month(data, "2027-06"), month(data, "2027-05")
    responses = [(b["ticket"], b["deadline"]) for b in june["breaches"] if b["target"] == "response"]
    assert responses == [("SUN", "2027-06-14T13:00:00+02:00")]
    assert (stats(may, "P2", "response")["met"], stats(may, "P2", "response")["breached"]) == (2, 0)
    assert stats(june, "P3", "response")["median_seconds"] == (3 * 3600 + 59 * 60 + 4 * 3600 + 60) // 2


def test_paused_across_a_weekend(tmp_path: Path) -> None:
    # Friday 16:00, resolution 8h on desk. Waiting on customer from Friday 16:30 to Monday 10:00:
    # 30m before the pause, then 7h on Monday (10:00-17:00) and 30m on Tuesday: 09:30.
    tickets = "A,P2,2027-06-11 16:00,2027-06-11 16:10,2027-06-15 09:30,helpdesk\n"
    events = "ticket,time,status\nA,2027-06-11 16:30,Waiting on customer\nA,2027-06-14 10:00,In progress\n"
    data = run(agreement(DESK), tmp_path, tickets, events=events)
    resolution = stats(month(data, "2027-06"), "P2", "resolution")
    assert (resolution["met"], resolution["breached"], resolution["median_seconds"]) == (1, 0, 8 * 3600)
    later = run(agreement(DESK), tmp_path, tickets.replace("09:30,helpdesk", "09:31,helpdesk"), events=events)
    [breach] = month(later, "2027-06")["breaches"]
    assert (breach["deadline"], breach["late_business_seconds"]) == ("2027-06-15T09:30:00+02:00", 60)


def test_a_pause_that_never_ends_keeps_the_target_open(tmp_path: Path) -> None:
    tickets = "A,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
    events = "ticket,time,status\nA,2027-06-11 16:30,waiting on customer\n"  # statuses match in any case
    data = run(agreement(DESK), tmp_path, tickets, events=events, period="2027-06")
    resolution = stats(month(data, "2027-06"), "P2", "resolution")
    assert (resolution["count"], resolution["open"]) == (0, 1)


def test_daylight_saving_in_berlin_both_ways(tmp_path: Path) -> None:
    tickets = (
        # P1 resolution 4h on always (real time): 28 March 00:30 CET + 4h = 05:30 CEST
        "S,P1,2027-03-28 00:30,2027-03-28 00:40,2027-03-28 05:30,servers\n"
        # 31 October 00:30 CEST + 4h = 03:30 CET; resolved 04:00 CET: 30 minutes late
        "F,P1,2027-10-31 00:30,2027-10-31 00:40,2027-10-31 04:00,servers\n"
        # a business day across the spring change: Friday 26 March 15:00 + 1d = Monday 15:00
        "D,P4,2027-03-26 15:00,2027-03-29 15:00,,helpdesk\n"
    )
    data = run(agreement(DESK), tmp_path, tickets)
    assert stats(month(data, "2027-03"), "P1", "resolution")["met"] == 1
    assert stats(month(data, "2027-03"), "P4", "response")["met"] == 1
    [breach] = month(data, "2027-10")["breaches"]
    assert (breach["deadline"], breach["at"], breach["late_wall_seconds"]) == (
        "2027-10-31T03:30:00+01:00",
        "2027-10-31T04:00:00+01:00",
        1800,
    )


def test_daylight_saving_in_new_york_both_ways(tmp_path: Path) -> None:
    a = agreement(
        'calendar always { timezone "America/New_York"; hours 24x7 }\n'
        "priority P1 { response 30m; resolution 4h }"
    )
    tickets = (
        "S,P1,2027-03-14 00:30,2027-03-14 00:45,2027-03-14 05:30,\n"  # 00:30 EST + 4h = 05:30 EDT: met
        "F,P1,2027-11-07 00:30,2027-11-07 00:45,2027-11-07 03:31,\n"  # 00:30 EDT + 4h = 03:30 EST
    )
    data = run(a, tmp_path, tickets)
    assert stats(month(data, "2027-03"), "P1", "resolution")["met"] == 1
    [breach] = month(data, "2027-11")["breaches"]
    assert (breach["deadline"], breach["late_business_seconds"]) == ("2027-11-07T03:30:00-05:00", 60)


def test_observed_holidays_in_a_us_zone(tmp_path: Path) -> None:
    # Independence Day 2027 is a Sunday, observed on Monday 5 July: Friday 16:00 + 2h is Tuesday 10:00.
    a = agreement(
        'calendar office { timezone "America/New_York"; hours mon-fri 09:00-17:00; holidays US }\n'
        "priority P1 { response 2h }"
    )
    data = run(
        a, tmp_path, "A,P1,2027-07-02 16:00,2027-07-06 10:00,,\nB,P1,2027-07-02 16:00,2027-07-06 10:01,,\n"
    )
    [breach] = month(data, "2027-07")["breaches"]
    assert (breach["ticket"], breach["deadline"]) == ("B", "2027-07-06T10:00:00-04:00")


def test_overnight_and_split_spans(tmp_path: Path) -> None:
    a = agreement(
        'calendar night { timezone "Europe/Berlin"; hours mon-fri 22:00-06:00 }\n'
        'calendar split { timezone "Europe/Berlin"; hours mon-fri 08:00-12:30, 13:15-17:30 }\n'
        "service ops { calendar night }\nservice desk { calendar split }\n"
        "priority P1 { response 8h }\npriority P2 { response 1h }"
    )
    tickets = (
        # Friday 23:00 on nights: Friday's shift runs to Saturday 06:00 (7h), then Monday 22:00 + 1h
        "N,P1,2027-06-11 23:00,2027-06-14 23:00,,ops\n"
        # 12:00 on the split day: 30m before lunch, 30m after: 13:45
        "S,P2,2027-06-07 12:00,2027-06-07 13:46,,desk\n"
    )
    data = run(a, tmp_path, tickets)
    june = month(data, "2027-06")
    assert stats(june, "P1", "response")["met"] == 1
    [breach] = june["breaches"]
    assert (breach["deadline"], breach["late_business_seconds"]) == ("2027-06-07T13:45:00+02:00", 60)


def test_a_target_on_the_tickets_service_calendar(tmp_path: Path) -> None:
    # P3 response 4h without `on`: on desk for helpdesk tickets, on 24x7 for servers tickets.
    tickets = (
        "D,P3,2027-06-11 16:00,2027-06-14 12:00,,helpdesk\nS,P3,2027-06-11 16:00,2027-06-14 12:00,,servers\n"
    )
    breaches = month(run(agreement(DESK), tmp_path, tickets), "2027-06")["breaches"]
    [breach] = [b for b in breaches if b["target"] == "response"]
    assert (breach["ticket"], breach["calendar"], breach["deadline"]) == (
        "S",
        "always",
        "2027-06-11T20:00:00+02:00",
    )


def test_without_a_service_the_first_calendar_counts(tmp_path: Path) -> None:
    breaches = month(run(agreement(DESK), tmp_path, "A,P3,2027-06-11 16:00,2027-06-14 13:01,,\n"), "2027-06")[
        "breaches"
    ]
    [breach] = [b for b in breaches if b["target"] == "response"]
    assert (breach["calendar"], breach["deadline"]) == ("desk", "2027-06-14T12:00:00+02:00")


def test_a_priority_change_counts_from_the_opening(tmp_path: Path) -> None:
    # Raised from P3 to P1 at 10:20: measured as P1 from 10:00, so the 10:40 response is late.
    tickets = "A,P3,2027-06-07 10:00,2027-06-07 10:40,2027-06-07 12:00,helpdesk\n"
    events = "ticket,time,status,priority\nA,2027-06-07 10:20,,P1\n"
    june = month(run(agreement(DESK), tmp_path, tickets, events=events), "2027-06")
    assert stats(june, "P1", "response")["breached"] == 1 and stats(june, "P3", "response")["count"] == 0


def test_a_resolution_without_a_first_response_is_the_response(tmp_path: Path) -> None:
    june = month(
        run(agreement(DESK), tmp_path, "A,P2,2027-06-07 10:00,,2027-06-07 10:50,helpdesk\n"), "2027-06"
    )
    assert stats(june, "P2", "response")["met"] == 1


def test_best_effort_targets_are_not_measured(tmp_path: Path) -> None:
    june = month(
        run(agreement(DESK), tmp_path, "A,P4,2027-06-07 10:00,2027-06-07 11:00,2027-06-09 10:00,helpdesk\n"),
        "2027-06",
    )
    resolution = stats(june, "P4", "resolution")
    assert (resolution["measured"], resolution["reason"], resolution["met"], resolution["count"]) == (
        False,
        "best effort",
        None,
        1,
    )
    assert resolution["median_seconds"] == 16 * 3600  # two business days on desk


# -- open tickets and periods ---------------------------------------------------------------------------


def test_tickets_still_open_are_measured_against_the_period_end(tmp_path: Path) -> None:
    tickets = (
        "LATE,P1,2027-06-30 20:00,,,servers\n"  # response due 20:30: breached, open at the end
        "EDGE,P1,2027-06-30 23:40,,,servers\n"  # due 1 July 00:10: still open at the end of June
        "DONE,P1,2027-06-29 10:00,2027-06-29 10:10,2027-07-01 09:00,servers\n"  # resolution due 14:00
    )
    data = run(agreement(DESK), tmp_path, tickets, period="2027-06")
    june = month(data, "2027-06")
    late = next(b for b in june["breaches"] if b["ticket"] == "LATE" and b["target"] == "response")
    assert (late["at"], late["open"], late["late_wall_seconds"]) == (
        "2027-07-01T00:00:00+02:00",
        True,
        3.5 * 3600,
    )
    response = stats(june, "P1", "response")
    assert (response["met"], response["breached"], response["open"]) == (1, 1, 1)
    done = next(b for b in june["breaches"] if b["ticket"] == "DONE")
    assert (done["open"], done["at"]) == (True, "2027-07-01T00:00:00+02:00")  # resolved after the end


def test_every_month_the_data_touches_is_reported(tmp_path: Path) -> None:
    data = run(
        agreement(DESK), tmp_path, "A,P2,2027-01-10 10:00,2027-01-10 10:10,2027-04-02 10:00,helpdesk\n"
    )
    assert [p["period"] for p in data["periods"]] == ["2027-01", "2027-02", "2027-03", "2027-04"]
    assert stats(month(data, "2027-02"), "P2", "resolution")["count"] == 0
    assert (month(data, "2027-02")["start"], month(data, "2027-02")["end"]) == ("2027-02-01", "2027-02-28")


def test_period_forms() -> None:
    assert parse_period("2027-03") == [2027 * 12 + 2]
    assert parse_period("2027-q2") == [2027 * 12 + 3, 2027 * 12 + 4, 2027 * 12 + 5]
    assert len(parse_period("2027")) == 12
    with pytest.raises(InputError, match="not a month, quarter or year"):
        parse_period("2027-13")


def test_median_and_90th_percentile(tmp_path: Path) -> None:
    # Ten P1 tickets answered after 1..10 minutes: median (5 + 6) / 2 = 5.5 minutes; the 90th
    # percentile is the 9th smallest (nearest rank): 9 minutes.
    tickets = "".join(f"T{i},P1,2027-06-07 10:00,2027-06-07 10:{i:02d},,servers\n" for i in range(1, 11))
    response = stats(month(run(agreement(DESK), tmp_path, tickets), "2027-06"), "P1", "response")
    assert (response["median_seconds"], response["p90_seconds"], response["attainment"]) == (
        330,
        540,
        "100.000",
    )


# -- every row accounted for ----------------------------------------------------------------------


def test_unusable_rows_are_listed_with_line_and_reason(tmp_path: Path) -> None:
    tickets = (
        TICKETS
        + "OK,P2,2027-06-07 10:00,2027-06-07 10:10,,helpdesk\n"
        + ",P2,2027-06-07 10:00,,,helpdesk\n"
        + "B,P2,,,,helpdesk\n"
        + "C,P2,yesterday,,,helpdesk\n"
        + "D,P9,2027-06-07 10:00,,,helpdesk\n"
        + "E,P2,2027-06-07 10:00,,2027-06-07 09:00,helpdesk\n"
        + "F,P2,2027-06-07 10:00,,,kitchen\n"
        + "G,P2,2027-06-07 10:00\n"
        + "\n"
        + '"H\nI",P2,later,,,helpdesk\n'
        + "I,P2,0207-06-07 10:00,,,helpdesk\n"
    )
    data = run(agreement(DESK), tmp_path, tickets)
    rows = data["rows"]
    assert [(u["row"], u["reason"]) for u in rows["unusable"]] == [
        (3, "no ticket id"),
        (4, "no opened time"),
        (5, "opened: 'yesterday' is not a time such as 2027-03-01T09:15:00+01:00 or 2027-03-01 09:15"),
        (6, "unknown priority 'P9' (the agreement has P1, P2, P3, P4)"),
        (7, "resolved before opened"),
        (8, "unknown service 'kitchen'"),
        (9, "has 3 fields where the header has 6"),
        (11, "opened: 'later' is not a time such as 2027-03-01T09:15:00+01:00 or 2027-03-01 09:15"),
        (13, "opened: '0207-06-07 10:00' is out of range (years 1900 to 2199)"),
    ]
    assert (rows["read"], rows["used"], rows["unusable_count"]) == (10, 1, 9)  # the blank line is no row
    assert rows["files"][0] == {
        "kind": "tickets",
        "file": str(tmp_path / "tickets.csv"),
        "read": 10,
        "used": 1,
        "unusable": 9,
    }


def test_unusable_events_and_outages(tmp_path: Path) -> None:
    events = (
        "ticket,time,status,priority\nA,2027-06-07 10:05,Waiting on customer,\nA,soon,In progress,\n"
        "A,2027-06-07 10:06,,P7\nZ,2027-06-07 10:05,In progress,\nBAD,2027-06-07 10:05,In progress,\n"
    )
    outages = "service,start,end,planned\nservers,2027-06-07 10:00,2027-06-07 09:00,no\nmail,2027-06-07 10:00,,no\nservers,2027-06-07 10:00,2027-06-07 10:05,maybe\n"
    data = run(
        agreement(DESK),
        tmp_path,
        "A,P2,2027-06-07 10:00,,,helpdesk\nBAD,P2,,,,helpdesk\n",
        events=events,
        outages=outages,
    )
    reasons = [(u["kind"], u["row"], u["reason"]) for u in data["rows"]["unusable"]]
    assert reasons == [
        ("tickets", 3, "no opened time"),
        ("events", 3, "time: 'soon' is not a time such as 2027-03-01T09:15:00+01:00 or 2027-03-01 09:15"),
        ("events", 4, "unknown priority 'P7' (the agreement has P1, P2, P3, P4)"),
        ("events", 5, "no ticket 'Z' in the tickets file"),
        ("events", 6, "its ticket 'BAD' is unusable (see the tickets file)"),
        ("outages", 2, "ends before it starts"),
        ("outages", 3, "unknown service 'mail' (the agreement has helpdesk, servers)"),
        ("outages", 4, "planned: 'maybe' is not yes or no"),
    ]
    assert [(f["kind"], f["read"], f["used"], f["unusable"]) for f in data["rows"]["files"]] == [
        ("tickets", 2, 1, 1),
        ("events", 5, 1, 4),
        ("outages", 3, 0, 3),
    ]


def test_an_ongoing_outage_counts_to_the_period_end(tmp_path: Path) -> None:
    data = run(
        agreement(CREDITS),
        tmp_path,
        period="2027-06",
        outages="service,start,end\nservers,2027-06-30 23:00,\n",
    )
    assert month(data, "2027-06")["availability"][0]["downtime_minutes"] == 60


# -- times as exports write them ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2027-06-07 10:00:00",
        "2027-06-07T10:00",
        "2027-06-07T08:00:00Z",
        "2027-06-07T10:00:00+02:00",
        "2027-06-07 08:00:00 UTC",
        "2027-06-07 10:00:00 +0200",
        "2027-06-07T10:00:00.0000000+02:00",
        " 2027-06-07 10:00 ",
    ],
)
def test_times_in_common_export_forms(text: str) -> None:
    times = _Times(Mapping())
    assert times.parse(text, wall_clock(ZoneInfo("Europe/Berlin"))) == 1812355200 * 1_000_000


def test_a_mapping_time_format_and_zone() -> None:
    mapping = load_mapping(["time_format=%d/%b/%y %I:%M %p,timezone=UTC"])
    times = _Times(mapping)
    reader = times.reader(wall_clock(ZoneInfo("Europe/Berlin")))
    assert reader("07/Jun/27 8:00 AM") == 1812355200 * 1_000_000


naive_times = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda t: t.replace(microsecond=0)
)


@settings(max_examples=300, deadline=None)
@given(
    naive_times,
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]),
    st.sampled_from([" ", "T"]),
)
def test_the_quick_time_reader_agrees_with_the_full_one(when: datetime, zone: str, sep: str) -> None:
    times = _Times(Mapping())
    wall = wall_clock(ZoneInfo(zone))
    reader = times.reader(wall)
    text = when.isoformat(sep)
    first = reader(text)
    neighbour = (when + timedelta(minutes=7, seconds=13)).isoformat(sep)
    # the second read of an hour goes through the remembered hour
    assert (first, reader(neighbour), reader(text)) == (
        times.parse(text, wall),
        times.parse(neighbour, wall),
        times.parse(text, wall),
    )


# -- mappings ---------------------------------------------------------------------------------------------


SERVICENOW = (
    "number,short_description,priority,state,opened_at,resolved_at\n"
    "INC0010001,Mail down,1 - Critical,Resolved,2027-06-07 10:00:00,2027-06-07 13:00:00\n"
    "INC0010002,Printer,3 - Moderate,Resolved,2027-06-07 10:00:00,2027-06-10 10:00:00\n"
    "INC0010003,Plan,5 - Planning,New,2027-06-07 10:00:00,\n"
)


def test_the_servicenow_mapping(tmp_path: Path) -> None:
    data = run(agreement(DESK), tmp_path, SERVICENOW, mapping=load_mapping(["servicenow"]))
    june = month(data, "2027-06")
    assert stats(june, "P1", "resolution")["met"] == 1
    response = stats(june, "P1", "response")
    assert (response["measured"], response["reason"], response["met"]) == (
        False,
        "the tickets file has no first response times",
        None,
    )
    assert stats(june, "P3", "resolution")["breached"] == 1  # Monday 10:00 + 2d = Wednesday 10:00
    assert [u["reason"] for u in data["rows"]["unusable"]] == [
        "unknown priority '5 - Planning' (the agreement has P1, P2, P3, P4)"
    ]
    assert data["mapping"] == "servicenow"


def test_the_zendesk_mapping_reads_minutes_after_opening(tmp_path: Path) -> None:
    tickets = (
        "Id,Subject,Status,Priority,Created at,Solved at,First reply time in minutes\n"
        "17,VPN,solved,Urgent,2027-06-07 10:00:00,2027-06-07 12:00:00,45\n"
        "18,Mouse,open,Normal,2027-06-07 10:00:00,,20\n"
    )
    june = month(run(agreement(DESK), tmp_path, tickets, mapping=load_mapping(["zendesk"])), "2027-06")
    assert (stats(june, "P1", "response")["breached"], stats(june, "P3", "response")["met"]) == (1, 1)
    [breach] = [b for b in june["breaches"] if b["target"] == "response"]
    assert breach["at"] == "2027-06-07T10:45:00+02:00"


def test_a_mapping_file_with_value_maps(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "desk.toml",
        """
name = "Our desk"
[tickets]
id = "Ref"
priority = "Urgency"
opened = ["Logged", "Created"]
first_response = "Answered"
resolved = "Fixed"
[priorities]
"Sev 1" = "P1"
[statuses]
"Pending" = "Waiting on customer"
""",
    )
    tickets = (
        "Ref,Urgency,Created,Answered,Fixed\nX,Sev 1,2027-06-07 10:00,2027-06-07 10:20,2027-06-07 11:00\n"
    )
    data = run(agreement(DESK), tmp_path, tickets, mapping=load_mapping([path]))
    assert stats(month(data, "2027-06"), "P1", "response")["met"] == 1
    assert data["mapping"] == "desk.toml"


def test_inline_mappings_override_a_ready_one() -> None:
    mapping = load_mapping(
        ["servicenow", "service=business_service,first_response=u_responded,events.time=at"]
    )
    assert mapping.columns["tickets"]["service"] == ("business_service",)
    assert mapping.columns["tickets"]["first_response"] == ("u_responded",)
    assert mapping.columns["events"]["time"] == ("at",)
    assert mapping.name == "servicenow + service=business_service,first_response=u_responded,events.time=at"


def test_mapping_mistakes_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no ready mapping 'servicenw'.*did you mean 'servicenow'"):
        load_mapping(["servicenw"])
    with pytest.raises(InputError, match="unknown field 'opend'.*did you mean 'opened'"):
        load_mapping(["opend=Created"])
    with pytest.raises(InputError, match="unexpected 'columns'"):
        load_mapping([write(tmp_path, "bad.toml", "[columns]\nid = 'x'\n")])
    with pytest.raises(InputError, match="unknown time zone"):
        load_mapping(["timezone=Europe/Berlinn"])


def test_missing_value_markers_come_from_the_mapping(tmp_path: Path) -> None:
    assert load_mapping(["missing=?, NULL"]).missing == {"?", "NULL"}
    from_file = load_mapping([write(tmp_path, "m.toml", 'missing = ["?", "-"]\n'), "missing=NULL"])
    assert from_file.missing == {"?", "-", "NULL"}
    with pytest.raises(InputError, match="missing names no marker"):
        load_mapping([write(tmp_path, "empty.toml", "missing = []\n")])
    with pytest.raises(InputError, match="list of markers in quotes"):
        load_mapping([write(tmp_path, "n.toml", "missing = [1]\n")])


def test_the_ready_mappings_load() -> None:
    ready = ready_mappings()
    assert {"servicenow", "jira", "zendesk", "freshservice", "autotask"} <= set(ready)
    for name in ready:
        mapping = load_mapping([name])
        assert mapping.columns["tickets"]["id"] and mapping.columns["tickets"]["opened"]


def test_headers_match_loosely(tmp_path: Path) -> None:
    tickets = "Ticket ID;Priority;Opened;First Response;Resolved\nA;p2;2027-06-07 10:00;2027-06-07 10:30;\n"
    data = run(agreement(DESK), tmp_path, tickets)  # ';' separated, headers in other cases
    assert stats(month(data, "2027-06"), "P2", "response")["met"] == 1


# -- the command ---------------------------------------------------------------------------------------


def example_args(*extra: str) -> list[str]:
    return [
        str(ROOT / "examples" / "managed.sla"),
        "--tickets",
        str(EXAMPLES / "tickets.csv"),
        "--events",
        str(EXAMPLES / "events.csv"),
        "--outages",
        str(EXAMPLES / "outages.csv"),
        *extra,
    ]


def test_the_example_set() -> None:
    result = cli(*example_args("--json"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    [april] = data["periods"]
    assert april["period"] == "2027-04"
    # servers: 60 unplanned + 30 planned outside the Sunday window = 90 down, 150 excluded:
    # 42,960 / 43,050 = 99.791% -> 5% of 12 x 135.00 = 81.00; P1 responses 2 x 150.00,
    # P2 response 50.00, P1 resolution 250.00: 681.00 under a cap of 25% of 9,468.50.
    assert [line["amount"] for line in april["credits"]["lines"]] == ["81.00", "300.00", "50.00", "250.00"]
    assert (april["credits"]["cap"], april["credits"]["owed"]) == ("2367.13", "681.00")
    assert (data["rows"]["read"], data["rows"]["used"], data["rows"]["unusable_count"]) == (24, 20, 4)


def test_the_table_output() -> None:
    result = cli(*example_args())
    assert result.exit_code == 0
    for text in (
        "2027-04 (2027-04-01 to 2027-04-30)",
        "Breaches (7)",
        "99.791%",
        "owed €681.00",
        "tickets.csv:10: unknown priority 'P9'",
        "still open",
    ):
        assert text in result.output


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    sla_path = write(tmp_path, "a.sla", f'agreement "<b>Ours</b>" {{\n{HEAD_BREAK_FIX}{DESK}\n}}')
    tickets = write(
        tmp_path, "t.csv", TICKETS + "<script>x</script>,P1,2027-06-07 10:00,2027-06-07 11:00,,\n"
    )
    out = tmp_path / "report.html"
    result = cli(sla_path, "--tickets", tickets, "--html", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&lt;b&gt;Ours&lt;/b&gt;" in page
    assert "http" not in page.split("</style>")[0]  # no external stylesheet


def test_json_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert cli(*example_args("--json", "-o", str(out))).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["currency"] == "EUR"


def test_table_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    assert cli(*example_args("-o", str(out))).exit_code == 0
    assert "\x1b[" not in out.read_text(encoding="utf-8") and "Breaches" in out.read_text(encoding="utf-8")


def test_strict_exits_1_on_unusable_rows() -> None:
    assert cli(*example_args("--strict")).exit_code == 1


def test_period_option_and_mapping_option(tmp_path: Path) -> None:
    result = cli(*example_args("--json", "--period", "2027-Q2", "--map", "opened=opened"))
    assert [p["period"] for p in json.loads(result.output)["periods"]] == ["2027-04", "2027-05", "2027-06"]
    assert cli(*example_args("--period", "April")).exit_code == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data"),
        (
            b"id,priority,created\nA,P1,2027-06-07\n",
            "has no column for 'first_response', 'resolved'; its columns are 'id', 'priority', 'created'",
        ),
        (
            b"id,priority,opened,first_response,resolved\nA,P1,2027-06-07 10:00,,\xff\xfe\n",
            "is not utf-8-sig text",
        ),
    ],
)
def test_bad_inputs_exit_2_without_a_traceback(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "tickets.csv"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(
        main, ["comply", str(ROOT / "examples" / "managed.sla"), "--tickets", str(path)]
    )
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output


def test_a_missing_column_suggests_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "Number,Priority,Opened\nA,P1,2027-06-07 10:00\n")
    result = cli(str(ROOT / "examples" / "managed.sla"), "--tickets", path)
    assert result.exit_code == 2
    assert (
        "--map first_response=COLUMN,resolved=COLUMN" in result.output and "--map servicenow" in result.output
    )


def test_an_agreement_with_errors_exits_1(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.sla", 'agreement "x" { currency EURO }')
    assert cli(bad, "--tickets", str(EXAMPLES / "tickets.csv")).exit_code == 1


def test_credits_that_cannot_be_priced_exit_1(tmp_path: Path) -> None:
    # Without a currency the agreement checks with a warning, but its cap cannot be priced.
    path = write(
        tmp_path, "a.sla", f'agreement "No currency" {{\n{HEAD.replace("currency EUR", "")}{CREDITS}\n}}'
    )
    result = cli(path, "--tickets", write(tmp_path, "t.csv", TICKETS))
    assert result.exit_code == 1 and "SLA201" in result.output


def test_json_and_html_together_is_a_usage_error() -> None:
    assert cli(*example_args("--json", "--html")).exit_code == 2


def test_the_output_is_deterministic() -> None:
    assert cli(*example_args("--json")).output == cli(*example_args("--json")).output


def test_the_table_output_shows_markup_in_ids_as_text(tmp_path: Path) -> None:
    sla_path = write(tmp_path, "a.sla", f'agreement "[bold]Ours" {{\n{HEAD_BREAK_FIX}{DESK}\n}}')
    tickets = write(tmp_path, "t.csv", TICKETS + "[red]X,P1,2027-06-07 10:00,2027-06-07 11:00,,\n")
    result = cli(sla_path, "--tickets", tickets)
    assert result.exit_code == 0
    assert "[bold]Ours" in result.output and "[red]X" in result.output


def test_utf16_exports_are_named_and_read_with_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes((TICKETS + "A,P2,2027-06-07 10:00,2027-06-07 10:30,,helpdesk\n").encode("utf-16"))
    with pytest.raises(InputError, match="is UTF-16 text"):
        comply(agreement(DESK), str(path))
    report = comply(agreement(DESK), str(path), mapping=load_mapping(["encoding=utf-16"]))
    assert (report.used, report.unusable) == (1, [])


def random_tickets(n: int, seed: int) -> str:
    """Tickets over 2027 in every state: met, late, open, across month ends and DST changes."""
    import random

    rng = random.Random(seed)
    rows = []
    for i in range(n):
        opened = datetime(2027, 1, 1) + timedelta(minutes=rng.randrange(365 * 1440))
        responded = opened + timedelta(minutes=rng.choice([5, 29, 30, 31, 59, 61, 240, 2000]))
        resolved = responded + timedelta(minutes=rng.randrange(1, 8000))
        fields = [
            f"T{i}",
            rng.choice(["P1", "P2", "P3", "P4"]),
            f"{opened:%Y-%m-%d %H:%M:%S}",
            "" if rng.random() < 0.1 else f"{responded:%Y-%m-%d %H:%M:%S}",
            "" if rng.random() < 0.2 else f"{resolved:%Y-%m-%d %H:%M:%S}",
            rng.choice(["helpdesk", "servers", ""]),
        ]
        rows.append(",".join(fields) + "\n")
    return "".join(rows)


@pytest.mark.parametrize(("seed", "period"), [(1, None), (2, "2027-Q1"), (3, "2027-10")])
def test_batches_measure_as_tickets_one_by_one_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, period: str | None
) -> None:
    import sla.comply.measure as engine

    tickets = random_tickets(3000, seed)
    events = "ticket,time,status\nT5,2027-01-01 00:00,Waiting on customer\nT5,2027-12-31 00:00,In progress\n"
    monkeypatch.setattr(engine, "BATCH", 257)  # several batches per plan, and a last one part full
    batched = run(agreement(DESK), tmp_path, tickets, events=events, period=period)
    monkeypatch.setattr(engine, "BATCH", 0)
    assert run(agreement(DESK), tmp_path, tickets, events=events, period=period) == batched
    assert sum(len(p["breaches"]) for p in batched["periods"]) > 100


def test_the_agreement_option_and_help() -> None:
    assert cli(*example_args("--agreement", "MSA-2027-031", "--json")).exit_code == 0
    result = cli(*example_args("--agreement", "nope"))
    assert result.exit_code == 2 and "no agreement 'nope'" in result.output
    help_text = cli("--help").output
    assert "servicenow (ServiceNow incidents)" in help_text and "docs/compliance.md" in help_text


# -- number cells: one rule with sla bill (sla.csvtable.number) ------------------------------------------------

ZENDESK = "Id,Subject,Status,Priority,Created at,Solved at,First reply time in minutes\n"


def first_reply(tmp_path: Path, minutes: str, *maps: str) -> dict[str, Any]:
    tickets = ZENDESK + f'17,VPN,solved,Urgent,2027-06-07 10:00:00,2027-06-07 12:00:00,"{minutes}"\n'
    return run(agreement(DESK), tmp_path, tickets, mapping=load_mapping(["zendesk", *maps]))


@pytest.mark.parametrize("minutes", ["1,5", "1,23", "1,2345", "1.234,5"])
def test_a_comma_that_does_not_group_thousands_is_refused_as_ambiguous(tmp_path: Path, minutes: str) -> None:
    [unusable] = first_reply(tmp_path, minutes)["rows"]["unusable"]
    assert unusable["row"] == 2
    assert unusable["reason"] == (
        f"first response: {minutes!r} is ambiguous: ',' may only group thousands "
        "(1,234.5); write 1.5, or choose a decimal comma: --map decimal=, "
        '(decimal = "," in a mapping file)'
    )


@pytest.mark.parametrize(
    ("minutes", "maps", "seconds"),
    [
        ("1.5", (), 90),
        ("1,440", (), 86_400),
        ("1,5", ("decimal=,",), 90),
        ("1.440", ("decimal=,",), 86_400),
        ("1.234,5", ("decimal=,",), 74_070),
    ],
)
def test_minutes_with_a_decimal_point_or_a_chosen_decimal_comma(
    tmp_path: Path, minutes: str, maps: tuple[str, ...], seconds: int
) -> None:
    data = first_reply(tmp_path, minutes, *maps)
    assert data["rows"]["unusable"] == []
    assert (
        stats(month(data, "2027-06"), "P1", "response")["median_seconds"] == seconds
    )  # P1 is on a 24x7 calendar


@pytest.mark.parametrize("minutes", ["1e3", "NaN", "-5", "١٢"])
def test_exponents_nan_negatives_and_other_digits_are_not_minutes(tmp_path: Path, minutes: str) -> None:
    [unusable] = first_reply(tmp_path, minutes)["rows"]["unusable"]
    assert unusable["reason"] == f"first response: {minutes!r} is not a number of minutes"


def test_the_decimal_mark_in_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "desk.toml", 'decimal = ","\ndelimiter = ";"\n')
    mapping = load_mapping(["zendesk", path])
    assert (mapping.decimal, mapping.delimiter) == (",", ";")
    assert load_mapping(["decimal=,,opened=Created"]).columns["tickets"]["opened"] == ("Created",)
    assert load_mapping(["delimiter=,"]).delimiter == ","
    with pytest.raises(InputError, match=r"the decimal mark is '\.' or ',', not ';'"):
        load_mapping(["decimal=;"])


def test_a_row_of_blank_cells_is_no_row(tmp_path: Path) -> None:
    tickets = TICKETS + "A,P2,2027-06-07 10:00,2027-06-07 10:30,,helpdesk\n , , , , , \n  \n"
    rows = run(agreement(DESK), tmp_path, tickets)["rows"]
    assert (rows["read"], rows["used"], rows["unusable"]) == (1, 1, [])


def test_times_in_a_spring_forward_gap_read_the_same_in_any_order() -> None:
    """2027-03-28 02:00-03:00 does not exist in Europe/Berlin: every time in it reads as the
    moment the clock jumps, whichever row came first (the quick path once cached 03:00 for the
    hour 02 and read 02:10 as 03:10)."""
    from sla.comply.times import Times, time_reader

    wall = wall_clock(ZoneInfo("Europe/Berlin"))
    times = Times(Mapping())
    texts = ["2027-03-28 02:00:00", "2027-03-28 02:10:00", "2027-03-28 03:10:00", "2027-03-28 02:59:59"]
    expected = [times.parse(t, wall) for t in texts]
    for order in (texts, texts[::-1]):
        reader = time_reader(times, wall)
        assert {t: reader(t) for t in order} == dict(zip(texts, expected))
    assert expected[0] == expected[1] == expected[3] != expected[2]


def test_a_day_target_answered_at_the_next_morning_s_opening_is_met(tmp_path: Path) -> None:
    """LANGUAGE.md: a day target ends at the latest instant with its business time. A P4 opened
    at Tuesday's opening (09:00) is due at Wednesday 09:00, not Tuesday 17:00: a response at
    Wednesday's opening is met, one a minute later breaches it by a minute."""
    data = run(
        agreement(DESK),
        tmp_path,
        "ON-TIME,P4,2027-06-08 09:00,2027-06-09 09:00,,helpdesk\n"
        "LATE,P4,2027-06-08 09:00,2027-06-09 09:01,,helpdesk\n",
        period="2027-06",
    )
    june = month(data, "2027-06")
    assert (stats(june, "P4", "response")["met"], stats(june, "P4", "response")["breached"]) == (1, 1)
    (late,) = [b for b in june["breaches"] if b["target"] == "response"]
    assert (late["ticket"], late["deadline"], late["late_business_seconds"]) == (
        "LATE",
        "2027-06-09T09:00:00+02:00",
        60,
    )


def test_without_outage_data_availability_is_not_measured_and_earns_no_credit(tmp_path: Path) -> None:
    """Without --outages (or with a file that does not name the service) availability is "not
    measured", never 100% met, and no availability credit is computed."""
    for outages in (None, "service,start,end\nhelpdesk,2027-06-10 10:00,2027-06-10 11:00\n"):
        data = run(agreement(CREDITS), tmp_path, missed_responses(1), outages=outages, period="2027-06")
        [servers] = [a for a in month(data, "2027-06")["availability"] if a["service"] == "servers"]
        assert (servers["measured"], servers["met"], servers["not_measured"]) == (
            None,
            None,
            "no outage data for servers",
        )
        assert [line["kind"] for line in month(data, "2027-06")["credits"]["lines"]] == ["response"]
    out = cli(
        str(write(tmp_path, "a.sla", f'agreement "Test" {{\n{HEAD}{CREDITS}\n}}')),
        "--tickets",
        write(tmp_path, "t.csv", TICKETS + missed_responses(1)),
    ).output
    assert "not measured: no outage data for servers" in out and "100.000%" not in out


def test_a_month_the_data_do_not_cover_is_not_measured(tmp_path: Path) -> None:
    data = run(agreement(CREDITS), tmp_path, outages=outage_for("99.4"), period="2027-09")
    [servers] = month(data, "2027-09")["availability"]
    assert (servers["measured"], servers["not_measured"]) == (None, "no data for 2027-09")
    assert month(data, "2027-09")["credits"]["lines"] == []


def test_a_per_breach_credit_of_an_unmeasured_target_is_not_computable(tmp_path: Path) -> None:
    """An export without first-response times cannot tell missed responses: the credit per
    missed P1 response is "not computable" and the credits owed may be understated."""
    tickets = "id,priority,opened,resolved,service\nT1,P1,2027-06-02 10:00,2027-06-02 11:00,\n"
    data = run(
        agreement(CREDITS),
        tmp_path,
        tickets,
        outages=outage_for("99.95"),
        period="2027-06",
        mapping=load_mapping(["first_response="]),
    )
    credits = month(data, "2027-06")["credits"]
    [line] = credits["lines"]
    assert (line["kind"], line["amount"], line["not_computable"]) == (
        "response",
        None,
        "the tickets file has no first response times",
    )
    assert credits["understated"] is True and credits["owed"] == "0.00"


# -- bounds: the largest amounts keep every digit; minutes past the input years are refused ------

LARGEST = "999999999999999.999999"


def test_credits_of_the_largest_amounts_keep_every_digit(tmp_path: Path) -> None:
    body = (
        CREDITS.replace('servers "Servers" {', f'servers "Servers" {{ quantity {LARGEST} servers;')
        .replace("2000.00 monthly", f"{LARGEST} per server monthly")
        .replace("credit 100.00 each", f"credit {LARGEST} each")
        .replace("cap 30%", "cap 100%")
    )
    data = run(agreement(body), tmp_path, missed_responses(10), outages=outage_for("99.4"))
    credits = month(data, "2027-06")["credits"]
    with localcontext() as wide:
        wide.prec = 100
        cent = Decimal("0.01")
        fee = (Decimal(LARGEST) * Decimal(LARGEST)).quantize(cent, ROUND_HALF_UP)  # 31 digits
        tier = (fee / 10).quantize(cent, ROUND_HALF_UP)
        each = (Decimal(LARGEST) * 10).quantize(cent, ROUND_HALF_UP)
        monthly = fee + Decimal("1500.00")
        total = tier + each
    assert [line["amount"] for line in credits["lines"]] == [f"{tier:f}", f"{each:f}"]
    assert credits["monthly_fee"] == f"{monthly:f}" and len(credits["monthly_fee"]) > 30
    assert credits["total_before_cap"] == f"{total:f}"
    assert (credits["cap"], credits["owed"], credits["capped"]) == (f"{monthly:f}", f"{total:f}", False)
    text = "".join(
        json_chunks(comply(agreement(body), write(tmp_path, "t.csv", TICKETS + missed_responses(1))))
    )
    assert not re.search(r"[0-9][eE][+-]?[0-9]", text)


def test_minutes_after_opening_past_the_input_years_are_refused_at_their_row(tmp_path: Path) -> None:
    tickets = (
        "id,priority,opened,first_response_minutes,resolved_minutes\n"
        "T1,P1,2027-06-01 10:00,20,99999999999999999999\n"
        "T2,P1,2027-06-01 10:00,20,60\n"
        f"T3,P1,2027-06-01 10:00,20,1{'0' * 5000}\n"
    )
    data = run(agreement(CREDITS), tmp_path, tickets)
    assert [(u["row"], u["reason"]) for u in data["rows"]["unusable"]] == [
        (2, "resolved: 99999999999999999999 minutes after the opening is past 2199"),
        (4, "resolved: 1" + "0" * 63 + "... (5,001 characters) minutes after the opening is past 2199"),
    ]
    assert data["rows"]["used"] == 1


# -- CSV that the csv module cannot read: the row is unusable, and says which lines it took -------

UNCLOSED = 'its quote (") is never closed, so {} were read as one cell and skipped'


def _unusable(data: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(u["kind"], u["row"], u["reason"]) for u in data["rows"]["unusable"]]


def test_an_unclosed_quote_in_the_tickets_is_an_unusable_row(tmp_path: Path) -> None:
    tickets = (
        TICKETS + "A,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
        'B,"P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n'
        "C,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
    )
    data = run(agreement(DESK), tmp_path, tickets)
    [(kind, row, reason)] = _unusable(data)
    assert (kind, row) == ("tickets", 3) and reason.startswith(UNCLOSED.format("lines 3 to 4"))
    assert (data["rows"]["read"], data["rows"]["used"]) == (2, 1)


def test_a_quote_ending_a_cell_early_in_the_tickets_leaves_the_later_rows(tmp_path: Path) -> None:
    tickets = (
        TICKETS + 'A,"P2"x,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n'
        "B,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
    )
    data = run(agreement(DESK), tmp_path, tickets)
    assert _unusable(data) == [
        (
            "tickets",
            2,
            'a quote (") ends a cell in the middle on line 2, so line 2 was skipped; write a quote inside a cell as ""',
        )
    ]
    assert data["rows"]["used"] == 1


def test_a_megabyte_cell_in_the_tickets_is_unusable_and_the_others_measured(tmp_path: Path) -> None:
    tickets = (
        TICKETS + "A,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
        f"B,P2,2027-06-11 16:00,2027-06-11 16:10,,{'x' * (1 << 20)}\n"
        "C,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
    )
    data = run(agreement(DESK), tmp_path, tickets)
    assert _unusable(data) == [
        ("tickets", 3, "a cell is longer than 131,072 characters, so line 3 was skipped")
    ]
    assert data["rows"]["used"] == 2


def test_an_unclosed_quote_in_the_events_and_outages_is_an_unusable_row(tmp_path: Path) -> None:
    tickets = TICKETS + "A,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
    events = 'ticket,time,status\nA,2027-06-11 16:30,"Waiting on customer\nA,2027-06-14 10:00,In progress\n'
    outages = (
        "service,start,end,planned\nservers,2027-06-20 03:00,2027-06-20 03:20,no\n"
        'servers,"2027-06-21 03:00,2027-06-21 03:20,no\nservers,2027-06-22 03:00,2027-06-22 03:20,no\n'
    )
    data = run(agreement(DESK), tmp_path, tickets, events=events, outages=outages)
    found = _unusable(data)
    assert [(kind, row) for kind, row, _ in found] == [("events", 2), ("outages", 3)]
    assert found[0][2].startswith(UNCLOSED.format("lines 2 to 3"))
    assert found[1][2].startswith(UNCLOSED.format("lines 3 to 4"))
    files = {f["kind"]: f for f in data["rows"]["files"]}
    assert (files["events"]["read"], files["events"]["unusable"]) == (1, 1)
    assert (files["outages"]["read"], files["outages"]["used"], files["outages"]["unusable"]) == (2, 1, 1)
    assert month(data, "2027-06")["availability"][0]["downtime_minutes"] == 20


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_far_years_in_every_export_are_unusable_rows_and_the_others_measured(
    tmp_path: Path, year: str
) -> None:
    tickets = (
        TICKETS + "A,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
        f"B,P2,{year}-06-11 16:00,{year}-06-11 16:10,,helpdesk\n"
        "C,P2,2027-06-11 16:00,2027-06-11 16:10,,helpdesk\n"
    )
    events = f"ticket,time,status\nA,{year}-06-11 16:30,Waiting on customer\nC,2027-06-11 16:30,In progress\n"
    outages = (
        f"service,start,end,planned\nservers,{year}-06-20 03:00,{year}-06-20 03:20,no\n"
        "servers,2027-06-22 03:00,2027-06-22 03:20,no\n"
    )
    data = run(agreement(DESK), tmp_path, tickets, events=events, outages=outages)
    out_of_range = f"'{year}-06-11 16:00' is out of range (years 1900 to 2199)"
    assert _unusable(data) == [
        ("tickets", 3, f"opened: {out_of_range}"),
        ("events", 2, f"time: '{year}-06-11 16:30' is out of range (years 1900 to 2199)"),
        ("outages", 2, f"start: '{year}-06-20 03:00' is out of range (years 1900 to 2199)"),
    ]
    assert data["rows"]["used"] == 2 + 1 + 1
    assert month(data, "2027-06")["availability"][0]["downtime_minutes"] == 20


@pytest.mark.parametrize("cell", ["1e999999999", "NaN", "১২", "9" * 5000])
def test_minutes_that_are_no_number_are_unusable_rows(tmp_path: Path, cell: str) -> None:
    tickets = (
        "id,priority,opened,first_response_minutes,resolved_minutes\n"
        f"T1,P1,2027-06-01 10:00,20,{cell}\nT2,P1,2027-06-01 10:00,20,60\n"
    )
    data = run(agreement(CREDITS), tmp_path, tickets)
    [(kind, row, reason)] = _unusable(data)
    assert (kind, row) == ("tickets", 2) and reason.startswith("resolved: ")
    assert data["rows"]["used"] == 1


@pytest.mark.parametrize("period", ["২০২৭", "২০২৭-03", "2027-০3", "২০২৭-Q1"])
def test_a_period_in_another_scripts_digits_is_refused(period: str) -> None:
    with pytest.raises(InputError, match="is not a month, quarter or year"):
        parse_period(period)


def test_reading_a_large_export_reports_its_progress_in_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`progress` is told how much of the tickets file is read after each batch (made small
    here), never more than the file holds."""
    from sla.comply import measure as settling

    monkeypatch.setattr(settling, "BATCH", 50)
    rows = "".join(
        f"T{i},P3,2027-06-0{1 + i % 9} 10:00,2027-06-0{1 + i % 9} 10:30,,helpdesk\n" for i in range(400)
    )
    path = write(tmp_path, "tickets.csv", TICKETS + rows)
    seen: list[int] = []
    comply(agreement(DESK), path, progress=seen.append)
    assert seen and all(0 < n <= Path(path).stat().st_size for n in seen)
    assert seen == sorted(seen)


def test_freshservice_as_it_exports(tmp_path: Path) -> None:
    # the header exactly as Freshservice writes it (Created Time, Initial Response Time, Resolved Time)
    tickets = (
        "Ticket ID,Subject,Status,Priority,Created Time,Initial Response Time,Resolved Time\n"
        "SR-1,Printer,Closed,High,2027-06-07 10:00,2027-06-07 10:30,2027-06-07 16:00\n"
    )
    data = run(agreement(DESK), tmp_path, tickets, mapping=load_mapping(["freshservice"]))
    assert stats(month(data, "2027-06"), "P2", "response")["met"] == 1
    assert stats(month(data, "2027-06"), "P2", "resolution")["met"] == 1


def test_autotask_resolution_is_the_resolved_event_not_complete(tmp_path: Path) -> None:
    # resolved on Monday within 8 business hours; completed on Wednesday after the customer confirmed
    tickets = (
        "Ticket Number,Priority,Created,First Response,Resolved,Complete Date\n"
        "T20270607.0001,High,6/7/2027 10:00 AM,6/7/2027 10:30 AM,6/7/2027 4:00 PM,6/9/2027 11:00 AM\n"
    )
    data = run(agreement(DESK), tmp_path, tickets, mapping=load_mapping(["autotask"]))
    assert stats(month(data, "2027-06"), "P2", "resolution")["met"] == 1
