"""sla comply on the second wave (LANGUAGE.md, "What no SLA tool measures yet"): availability in
service hours, one-off maintenance windows, agreed exclusions, priority rules, update intervals and
the rolling cap, each against hand-computed figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import sla
from sla.cli import main
from sla.comply import InputError, comply, json_chunks, load_mapping, measure_availability, to_dict
from sla.comply.words import report_html
from sla.week import window_on

HEAD = 'provider "P"; customer "C"; model managed; currency EUR\nstart 2027-01-01; term 36 months\n'

#: The example of LANGUAGE.md's second wave, as a whole agreement.
VIENNA = """
agreement "Vienna Dental Managed IT" {
  provider "P"
  customer "C"
  model managed
  currency EUR
  start 2027-01-01
  term 12 months
  calendar always { timezone "Europe/Vienna"; hours 24x7 }
  calendar praxis { timezone "Europe/Vienna"; hours mon-fri 07:30-19:00; hours sat 08:00-12:00
                    holidays AT-9 except "Pentecost Monday"
                    closed 2027-12-24 12:00-24:00, 2027-12-31 }
  service pms "Practice management system" {
    calendar praxis
    availability 99.5% monthly during praxis excluding maintenance
  }
  maintenance once 2027-03-13 22:00-04:00 notice 14d on always
  priority P3 "Normal" { response 4h; resolution by close +1d }
  priority P4 "Request" { response by close; resolution 5d; updates every 4h }
  clock { pause when "Awaiting customer"; priority highest }
  credits {
    availability below 99.5% credit 10% for pms
    update missed P4 credit 20.00 each
    cap 30% of monthly fee
    cap 10% of fees over 12 months
  }
  fees { recurring pms 100.00 monthly }
}
"""

#: praxis (Mon-Fri 07:30-19:00, Sat 08:00-12:00, AT-9 holidays: none in June 2027) with June
#: closed but for 14 weekdays and one Saturday: 14 x 690 + 240 = 9,900 open minutes.
PRAXIS = """
calendar praxis { timezone "Europe/Vienna"; hours mon-fri 07:30-19:00; hours sat 08:00-12:00
                  holidays AT-9
                  closed 2027-06-12, 2027-06-19, 2027-06-21..2027-06-30, 2027-08-01..2027-08-31 }
calendar always { timezone "Europe/Vienna"; hours 24x7 }
service pms "Practice management system" { calendar praxis; availability 99.5% monthly during praxis }
credits { availability below 99.5% credit 10% for pms }
fees { recurring pms 100.00 monthly }
"""

TICKETS = "id,priority,opened,first_response,resolved,service\n"


def agreement(body: str) -> Any:
    return sla.loads(f'agreement "Test" {{\n{HEAD}{body}\n}}').agreements[0]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(a: Any, tmp_path: Path, tickets: str = TICKETS, **files: str | None) -> dict[str, Any]:
    """The JSON-ready report of CSV texts; `period` and `mapping` are passed on as they are."""
    period = files.pop("period", None)
    mapping = files.pop("mapping", None)
    paths = {k: write(tmp_path, f"{k}.csv", v) for k, v in files.items() if v is not None}
    report = comply(
        a,
        write(tmp_path, "tickets.csv", tickets),
        period=period,
        mapping=load_mapping([mapping]) if mapping else None,
        **paths,
    )
    data = to_dict(report)
    assert json.loads("".join(json_chunks(report))) == data
    report_html(report)  # every value renders
    return data


def month(data: dict[str, Any], label: str) -> dict[str, Any]:
    return next(p for p in data["periods"] if p["period"] == label)


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["comply", *args], catch_exceptions=False)


# -- availability in service hours ------------------------------------------------------------------


def test_the_worked_example_of_availability_in_service_hours(tmp_path: Path) -> None:
    # Friday 18:00 to Saturday 09:00: 60 minutes on Friday (to 19:00) and 60 on Saturday (from
    # 08:00): 120 minutes in service hours, not 900; (9,900 - 120) / 9,900 = 98.7888...%
    outages = "service,start,end\npms,2027-06-04 18:00,2027-06-05 09:00\n"
    [pms] = month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-06")["availability"]
    assert (pms["period_minutes"], pms["excluded_minutes"], pms["downtime_minutes"]) == (9900, 0, 120)
    assert (pms["measured"], pms["met"], pms["during"]) == ("98.788", False, "praxis")  # cut, not rounded
    assert month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-06")["credits"]["owed"] == "10.00"


def test_an_outage_across_a_closing_time_and_a_weekend(tmp_path: Path) -> None:
    # Friday 4 June 18:00 to Monday 7 June 08:00: Friday 18:00-19:00 (60), Saturday 08:00-12:00
    # (240), Sunday closed, Monday 07:30-08:00 (30): 330 minutes; without `during`, 3,720.
    outages = "service,start,end\npms,2027-06-04 18:00,2027-06-07 08:00\n"
    [pms] = month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-06")["availability"]
    assert (pms["period_minutes"], pms["downtime_minutes"], pms["measured"]) == (9900, 330, "96.667")
    whole = agreement(PRAXIS.replace(" during praxis", ""))
    [pms] = month(run(whole, tmp_path, outages=outages), "2027-06")["availability"]
    assert (pms["period_minutes"], pms["downtime_minutes"], "during" in pms) == (43200, 3720, False)


def test_a_period_without_an_open_minute_is_not_measured(tmp_path: Path) -> None:
    # praxis is closed all August: no open minute, so no figure and no credit, never 100%.
    outages = "service,start,end\npms,2027-08-10 10:00,2027-08-10 11:00\n"
    august = month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-08")
    [pms] = august["availability"]
    assert (pms["measured"], pms["met"], pms["not_measured"]) == (
        None,
        None,
        "praxis has no open minute in 2027-08",
    )
    assert august["credits"]["lines"] == []


def test_holidays_close_service_hours(tmp_path: Path) -> None:
    # Thursday 27 May 2027 is Corpus Christi in Vienna: an outage that day is outside service hours.
    outages = (
        "service,start,end\npms,2027-05-27 08:00,2027-05-27 18:00\npms,2027-05-28 08:00,2027-05-28 09:00\n"
    )
    [pms] = month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-05")["availability"]
    assert pms["downtime_minutes"] == 60


outage_lists = st.lists(
    st.tuples(st.integers(0, 45 * 1440), st.integers(0, 3 * 1440), st.booleans()), max_size=6
)


@settings(max_examples=60, deadline=None)
@given(outage_lists, st.lists(st.tuples(st.integers(0, 45 * 1440), st.integers(1, 2880)), max_size=3))
def test_during_a_24x7_calendar_is_the_whole_period(
    outages: list[tuple[int, int, bool]], exclusions: list[tuple[int, int]]
) -> None:
    body = """
calendar always { timezone "Europe/Vienna"; hours 24x7 }
service pms { calendar always; availability 99.5% monthly excluding maintenance }
maintenance weekly sun 02:00-06:00
maintenance once 2027-03-27 22:00-04:00
fees { recurring pms 100.00 monthly }
"""
    plain = agreement(body)
    during = agreement(body.replace("monthly excluding", "monthly during always excluding"))
    minute = 60_000_000
    base = 1_803_855_600_000_000  # 2027-03-01 00:00 in Vienna, UTC microseconds
    spans = [(base + a * minute, base + (a + n) * minute, p) for a, n, p in outages]
    agreed = [(base + a * minute, base + (a + n) * minute) for a, n in exclusions]
    start, end = base, base + 31 * 1440 * minute - 60 * minute  # March: the clocks go forward
    assert measure_availability(plain, plain.services[0], spans, start, end, agreed) == measure_availability(
        during, during.services[0], spans, start, end, agreed
    )


# -- one-off maintenance windows ------------------------------------------------------------------------


ONCE = """
calendar always { timezone "Europe/Vienna"; hours 24x7 }
service pms { calendar always; availability 99.0% monthly excluding maintenance }
maintenance once 2027-03-27 22:00-04:00 notice 14d on always
fees { recurring pms 100.00 monthly }
"""


def test_a_one_off_window_falls_on_its_date_only() -> None:
    window = agreement(ONCE).maintenance[0]
    assert [d for d in range(1, 32) if window_on(window, date(2027, 3, d))] == [27]
    assert not window_on(window, date(2028, 3, 27))


def test_a_one_off_window_across_midnight_on_a_dst_night(tmp_path: Path) -> None:
    # Saturday 27 March 22:00 to Sunday 04:00 belongs to the 27th; the clocks go forward at 02:00,
    # so the window is five real hours (21:00 to 02:00 UTC). A planned outage from 21:00 to 05:00
    # local (seven real hours) is 300 minutes excluded and 120 down; the same a week later (no
    # window) is all downtime (480 minutes: no clock change that night).
    outages = (
        "service,start,end,planned\n"
        "pms,2027-03-27 21:00,2027-03-28 05:00,yes\n"
        "pms,2027-04-03 21:00,2027-04-04 05:00,yes\n"
    )
    data = run(agreement(ONCE), tmp_path, outages=outages)
    march, april = (month(data, m)["availability"][0] for m in ("2027-03", "2027-04"))
    assert (march["period_minutes"], march["excluded_minutes"], march["downtime_minutes"]) == (
        44580,
        300,
        120,
    )
    assert (april["excluded_minutes"], april["downtime_minutes"]) == (0, 480)


def test_a_one_off_window_on_the_night_the_clocks_go_back(tmp_path: Path) -> None:
    body = ONCE.replace("2027-03-27", "2027-10-30")
    outages = "service,start,end,planned\npms,2027-10-30 22:00,2027-10-31 04:00,yes\n"
    [pms] = month(run(agreement(body), tmp_path, outages=outages), "2027-10")["availability"]
    assert (pms["period_minutes"], pms["excluded_minutes"], pms["downtime_minutes"]) == (44700, 420, 0)


def test_the_example_of_language_md_counts_its_one_off_window(tmp_path: Path) -> None:
    # 13 March 2027 22:00 to 14 March 04:00 on `always`: a planned outage 22:30-03:00 is inside it
    # (270 minutes); one on Monday 15 March 07:00-08:30 is planned but in no window (90 minutes).
    outages = (
        "service,start,end,planned\n"
        "pms,2027-03-13 22:30,2027-03-14 03:00,yes\n"
        "pms,2027-03-15 07:00,2027-03-15 08:30,yes\n"
    )
    whole = sla.loads(VIENNA.replace(" during praxis", "")).agreements[0]
    [pms] = month(run(whole, tmp_path, outages=outages), "2027-03")["availability"]
    assert (pms["excluded_minutes"], pms["downtime_minutes"]) == (270, 90)
    # in service hours, Saturday night is closed and Monday opens at 07:30: nothing excluded, 60 down
    [pms] = month(run(sla.loads(VIENNA).agreements[0], tmp_path, outages=outages), "2027-03")["availability"]
    assert (pms["excluded_minutes"], pms["downtime_minutes"], pms["during"]) == (0, 60, "praxis")


# -- agreed exclusions --------------------------------------------------------------------------------------

EXCLUDING = """
calendar always { timezone "Europe/Berlin"; hours 24x7 }
service servers { calendar always; availability 99.9% monthly excluding maintenance }
service mail { calendar always; availability 97.0% monthly }
maintenance weekly sun 02:00-06:00 on always
fees { recurring servers 1000.00 monthly; recurring mail 500.00 monthly }
"""


def test_an_exclusion_overlapping_a_planned_window_counts_once(tmp_path: Path) -> None:
    # Sunday 6 June 2027: a planned outage 02:00-04:00 inside the window (120 excluded); an agreed
    # exclusion 03:00-05:00 adds 60 more (04:00-05:00); an unplanned outage 04:30-05:30 is down
    # 30 minutes (05:00-05:30), its first half being excluded already.
    outages = (
        "service,start,end,planned\n"
        "servers,2027-06-06 02:00,2027-06-06 04:00,yes\n"
        "servers,2027-06-06 04:30,2027-06-06 05:30,no\n"
    )
    exclusions = (
        "service,start,end,reason\n"
        "servers,2027-06-06 03:00,2027-06-06 05:00,Customer power cut\n"
        "servers,2027-06-06 04:40,2027-06-06 04:50,Reported twice\n"
    )
    data = run(agreement(EXCLUDING), tmp_path, outages=outages, exclusions=exclusions)
    [servers, mail] = month(data, "2027-06")["availability"]
    assert (servers["excluded_minutes"], servers["downtime_minutes"]) == (180, 30)
    assert servers["exclusions"] == [
        {
            "start": "2027-06-06T03:00:00+02:00",
            "end": "2027-06-06T05:00:00+02:00",
            "reason": "Customer power cut",
            "row": 2,
            "minutes": 120,
            "removed_minutes": 60,
        },
        {
            "start": "2027-06-06T04:40:00+02:00",
            "end": "2027-06-06T04:50:00+02:00",
            "reason": "Reported twice",
            "row": 3,
            "minutes": 10,
            "removed_minutes": 0,
        },
    ]
    # (43,200 - 180 - 30) / (43,200 - 180) = 42,990 / 43,020
    assert servers["measured"] == "99.930"
    assert mail["not_measured"] == "no outage data for mail" and mail["exclusions"] == []


def test_an_exclusion_counts_without_excluding_maintenance(tmp_path: Path) -> None:
    outages = "service,start,end,planned\nmail,2027-06-09 10:00,2027-06-09 12:00,no\n"
    exclusions = "service,start,end,reason\nmail,2027-06-09 11:00,2027-06-09 13:00,Force majeure\n"
    [_, mail] = month(run(agreement(EXCLUDING), tmp_path, outages=outages, exclusions=exclusions), "2027-06")[
        "availability"
    ]
    # 11:00-13:00 is out of the measurement; 10:00-11:00 is down
    assert (mail["excluded_minutes"], mail["downtime_minutes"]) == (120, 60)
    assert [(x["minutes"], x["removed_minutes"]) for x in mail["exclusions"]] == [(120, 120)]


def test_exclusions_in_service_hours(tmp_path: Path) -> None:
    outages = "service,start,end\npms,2027-06-04 18:00,2027-06-05 09:00\n"
    exclusions = "service,start,end,reason\npms,2027-06-04 18:30,2027-06-04 20:00,Customer power cut\n"
    [pms] = month(run(agreement(PRAXIS), tmp_path, outages=outages, exclusions=exclusions), "2027-06")[
        "availability"
    ]
    # only 18:30-19:00 is in service hours: 30 excluded, 120 - 30 = 90 down
    assert (pms["excluded_minutes"], pms["downtime_minutes"], pms["exclusions"][0]["minutes"]) == (30, 90, 30)


def test_without_an_exclusions_file_the_report_is_as_before(tmp_path: Path) -> None:
    outages = "service,start,end\nservers,2027-06-06 02:00,2027-06-06 04:00\n"
    [servers, _] = month(run(agreement(EXCLUDING), tmp_path, outages=outages), "2027-06")["availability"]
    assert "exclusions" not in servers and "during" not in servers


def test_unusable_exclusions_are_listed(tmp_path: Path) -> None:
    exclusions = (
        "service,start,end,reason\n"
        "printers,2027-06-01 10:00,2027-06-01 11:00,x\n"
        "servers,2027-06-01 10:00,,open-ended\n"
        "servers,2027-06-01 10:00,2027-06-01 09:00,backwards\n"
        ",2027-06-01 10:00,2027-06-01 11:00,x\n"
        "servers,yesterday,2027-06-01 11:00,x\n"
        "servers,2027-06-01 10:00,2027-06-01 11:00\n"
        "servers,2027-06-02 10:00,2027-06-02 11:00,\n"
    )
    data = run(agreement(EXCLUDING), tmp_path, outages="service,start,end\n", exclusions=exclusions)
    assert [(u["row"], u["reason"]) for u in data["rows"]["unusable"]] == [
        (2, "unknown service 'printers' (the agreement has servers, mail)"),
        (3, "no end time (an exclusion is a period with an end)"),
        (4, "ends before it starts"),
        (5, "no service"),
        (6, "start: 'yesterday' is not a time such as 2027-03-01T09:15:00+01:00 or 2027-03-01 09:15"),
        (7, "has 3 fields where the header has 4"),
    ]
    [exclusions_file] = [f for f in data["rows"]["files"] if f["kind"] == "exclusions"]
    assert (exclusions_file["read"], exclusions_file["used"], exclusions_file["unusable"]) == (7, 1, 6)


def test_an_exclusions_file_needs_its_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has no column for 'end'"):
        run(agreement(EXCLUDING), tmp_path, exclusions="service,start,reason\n")
    mapped = "Dienst,Von,Bis,Grund\nservers,2027-06-09 11:00,2027-06-09 13:00,Stromausfall\n"
    data = run(
        agreement(EXCLUDING),
        tmp_path,
        outages="service,start,end\nservers,2027-06-01 00:00,2027-06-01 00:01\n",
        exclusions=mapped,
        mapping="exclusions.service=Dienst,exclusions.start=Von,exclusions.end=Bis,reason=Grund",
    )
    assert month(data, "2027-06")["availability"][0]["exclusions"][0]["reason"] == "Stromausfall"


def test_exclusions_on_the_command_line(tmp_path: Path) -> None:
    sla_path = write(tmp_path, "a.sla", f'agreement "Test" {{\n{HEAD}{EXCLUDING}\n}}')
    tickets = write(tmp_path, "t.csv", TICKETS)
    outages = write(tmp_path, "o.csv", "service,start,end\nservers,2027-06-09 10:00,2027-06-09 12:00\n")
    exclusions = write(
        tmp_path,
        "x.csv",
        "service,start,end,reason\nservers,2027-06-09 11:00,2027-06-09 13:00,Customer <b>works</b>\n",
    )
    args = (sla_path, "--tickets", tickets, "--outages", outages, "--exclusions", exclusions)
    table = cli(*args)
    assert table.exit_code == 0, table.output
    assert "Agreed exclusions (1)" in table.output and "Customer <b>works</b>" in table.output
    assert (
        "2027-06-09 11:00 CEST  2027-06-09 13:00 CEST  Customer <b>works</b>      120      120"
        in table.output
    )
    page = tmp_path / "r.html"
    assert cli(*args, "--html", "-o", str(page)).exit_code == 0
    assert "Customer &lt;b&gt;works&lt;/b&gt;" in page.read_text(encoding="utf-8")
    data = json.loads(cli(*args, "--json").output)
    assert data["periods"][0]["availability"][0]["exclusions"][0]["removed_minutes"] == 120
    assert sla.comply(sla_path, tickets, outages=outages, exclusions=exclusions).to_dict() == data


# -- priority changes ----------------------------------------------------------------------------------

RULES = """
calendar always { timezone "Europe/Berlin"; hours 24x7 }
service servers { calendar always }
priority P1 { response 30m; resolution 4h }
priority P2 { response 1h; resolution 8h }
priority P3 { response 4h; resolution 2d }
fees { recurring servers 1000.00 monthly }
"""

#: A is raised from P3 to P1 an hour after opening; B is raised to P1, then lowered to P2; C is
#: written P1 in the tickets file (its priority now) and was opened as P3 (an event at opening).
#: Each is answered at 10:30 and resolved at 15:00 on Monday 7 June 2027, opened at 09:00.
RAISED_TICKETS = TICKETS + "".join(
    f"{t},{p},2027-06-07 09:00,2027-06-07 10:30,2027-06-07 15:00,servers\n"
    for t, p in (("A", "P3"), ("B", "P3"), ("C", "P1"))
)
RAISED_EVENTS = (
    "ticket,time,status,priority\n"
    "A,2027-06-07 10:00,In progress,P1\n"
    "B,2027-06-07 10:00,,P1\n"
    "B,2027-06-07 11:00,,P2\n"
    "C,2027-06-07 09:00,New,P3\n"
    "C,2027-06-07 10:00,,P1\n"
)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # both targets count from 09:00 in every case
        # P1: response due 09:30 (late 60m), resolution due 13:00 (late 2h); P2: response due 10:00
        # (late 30m), resolution due 17:00 (met); P3: both met.
        (None, {"A": "P1", "B": "P2", "C": "P1"}),
        ("final", {"A": "P1", "B": "P2", "C": "P1"}),
        ("initial", {"A": "P3", "B": "P3", "C": "P3"}),
        ("highest", {"A": "P1", "B": "P1", "C": "P1"}),
    ],
)
def test_a_ticket_raised_from_p3_to_p1_under_each_rule(
    tmp_path: Path, rule: str | None, expected: dict[str, str]
) -> None:
    body = RULES + (f"clock {{ priority {rule} }}\n" if rule else "")
    data = run(agreement(body), tmp_path, RAISED_TICKETS, events=RAISED_EVENTS)
    june = month(data, "2027-06")
    counted = {p["priority"]: (p["response"]["count"], p["resolution"]["count"]) for p in june["priorities"]}
    for priority in ("P1", "P2", "P3"):
        n = sum(1 for p in expected.values() if p == priority)
        assert counted[priority] == (n, n), (priority, counted)
    late = {(b["ticket"], b["target"]): (b["priority"], b["late_business_seconds"]) for b in june["breaches"]}
    wanted = {}
    for ticket, priority in expected.items():
        if priority == "P1":
            wanted[(ticket, "response")] = ("P1", 3600)
            wanted[(ticket, "resolution")] = ("P1", 7200)
        elif priority == "P2":
            wanted[(ticket, "response")] = ("P2", 1800)
    assert late == wanted


def test_an_unknown_opening_priority_is_an_unusable_row_under_initial(tmp_path: Path) -> None:
    tickets = TICKETS + "A,urgent,2027-06-07 09:00,2027-06-07 10:30,2027-06-07 15:00,servers\n"
    events = "ticket,time,status,priority\nA,2027-06-07 10:00,,P1\n"
    final = run(agreement(RULES), tmp_path, tickets, events=events)
    assert final["rows"]["unusable"] == []  # the last change names P1: measured as P1
    initial = run(agreement(RULES + "clock { priority initial }\n"), tmp_path, tickets, events=events)
    assert [u["reason"] for u in initial["rows"]["unusable"]] == [
        "unknown priority 'urgent' (the agreement has P1, P2, P3)"
    ]


def test_priority_changes_from_an_event_log_of_kinds_and_values(tmp_path: Path) -> None:
    events = (
        "ticket,time,kind,value\n"
        "A,2027-06-07 10:00,priority,P1\n"
        "B,2027-06-07 10:00,Priority,P1\n"
        "B,2027-06-07 11:00,priority,P2\n"
        "C,2027-06-07 09:00,priority,P3\n"
        "C,2027-06-07 10:00,priority,P1\n"
        "C,2027-06-07 10:10,priority,\n"
        "C,2027-06-07 10:20,status,\n"
        "C,2027-06-07 10:30,comment,looked at it\n"
    )
    data = run(agreement(RULES + "clock { priority highest }\n"), tmp_path, RAISED_TICKETS, events=events)
    assert {b["ticket"] for b in month(data, "2027-06")["breaches"]} == {"A", "B", "C"}
    assert [(u["row"], u["reason"]) for u in data["rows"]["unusable"]] == [
        (7, "a change of kind 'priority' names no priority"),
        (8, "a change of kind 'status' names no status"),
    ]


# -- update intervals ----------------------------------------------------------------------------------

UPDATES = """
calendar office { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }
service desk { calendar office }
priority P4 { response 1d; resolution 5d; updates every 4h }
clock { pause when "Waiting on customer" }
credits { update missed P4 credit 20.00 each }
fees { recurring desk 1000.00 monthly }
"""

#: Monday 7 June 2027, office hours 09:00-17:00.
UPDATE_TICKETS = TICKETS + (
    # updates at 13:30 (4h after the response) and Tuesday 09:30 (4h of office time later): both
    # exactly at the interval; resolved 4h01m after the last: one missed update, 1 minute late
    "U1,P4,2027-06-07 09:00,2027-06-07 09:30,2027-06-08 13:31,desk\n"
    # no updates: the response to the resolution is one stretch, of exactly 4h, then of 4h01m
    "U2,P4,2027-06-07 09:00,2027-06-07 09:10,2027-06-07 13:10,desk\n"
    "U3,P4,2027-06-07 09:00,2027-06-07 09:10,2027-06-07 13:11,desk\n"
    # paused 10:00-12:00: the update at 15:00 is 4h of office time after the response less the pause
    "U4,P4,2027-06-07 08:00,2027-06-07 09:00,2027-06-07 15:30,desk\n"
    # answered on Wednesday 09:00 and never updated nor resolved: missed at 13:00, still open
    "U5,P4,2027-06-09 08:00,2027-06-09 09:00,,desk\n"
)
UPDATE_EVENTS = (
    "ticket,time,status,kind\n"
    "U1,2027-06-07 09:20,,update\n"  # before the first response: starts no stretch
    "U1,2027-06-07 13:30,,update\n"
    "U1,2027-06-08 09:30,In progress,Update\n"
    "U1,2027-06-08 14:00,,update\n"  # after the resolution
    "U4,2027-06-07 10:00,Waiting on customer,\n"
    "U4,2027-06-07 12:00,In progress,\n"
    "U4,2027-06-07 15:00,,update\n"
)


def test_updates_exactly_at_and_one_minute_past_the_interval(tmp_path: Path) -> None:
    data = run(agreement(UPDATES), tmp_path, UPDATE_TICKETS, events=UPDATE_EVENTS)
    june = month(data, "2027-06")
    [p4] = june["priorities"]
    # stretches: U1 three (met, met, missed), U2 one met, U3 one missed, U4 two met (to the
    # update, then 30 minutes to the resolution), U5 one missed (its deadline passed in June)
    assert {k: p4["updates"][k] for k in ("target", "measured", "count", "met", "breached", "open")} == {
        "target": "every 4h",
        "measured": True,
        "count": 8,
        "met": 5,
        "breached": 3,
        "open": 0,
    }
    assert [
        (u["ticket"], u["since"], u["deadline"], u["at"], u["open"], u["late_business_seconds"])
        for u in june["missed_updates"]
    ] == [
        (
            "U3",
            "2027-06-07T09:10:00+02:00",
            "2027-06-07T13:10:00+02:00",
            "2027-06-07T13:11:00+02:00",
            False,
            60,
        ),
        (
            "U1",
            "2027-06-08T09:30:00+02:00",
            "2027-06-08T13:30:00+02:00",
            "2027-06-08T13:31:00+02:00",
            False,
            60,
        ),
        # Wednesday 13:00-17:00, Thursday and Friday, then 13 working days to the end of June: 124h
        (
            "U5",
            "2027-06-09T09:00:00+02:00",
            "2027-06-09T13:00:00+02:00",
            "2027-07-01T00:00:00+02:00",
            True,
            446400,
        ),
    ]
    [line] = june["credits"]["lines"]
    assert (line["kind"], line["subject"], line["count"], line["amount"]) == ("update", "P4", 3, "60.00")
    assert line["detail"] == "3 missed P4 updates x 20.00"


def test_updates_without_update_events_are_not_measured(tmp_path: Path) -> None:
    events = "ticket,time,status\nU4,2027-06-07 10:00,Waiting on customer\n"
    june = month(run(agreement(UPDATES), tmp_path, UPDATE_TICKETS, events=events), "2027-06")
    updates = june["priorities"][0]["updates"]
    assert (updates["measured"], updates["met"], updates["reason"]) == (
        False,
        None,
        "the events file marks no updates",
    )
    assert june["missed_updates"] == []
    [line] = june["credits"]["lines"]
    assert (line["amount"], line["not_computable"]) == (
        None,
        "the events file marks no updates",
    )
    assert june["credits"]["understated"] is True
    without = month(run(agreement(UPDATES), tmp_path, UPDATE_TICKETS), "2027-06")
    assert without["priorities"][0]["updates"]["reason"] == ("no events file marks updates")


def test_a_mapping_names_the_kind_column_and_its_update_value(tmp_path: Path) -> None:
    events = (
        "ticket,time,status,Type\nU3,2027-06-07 11:00,,Public reply\nU3,2027-06-07 12:00,,Internal note\n"
    )
    toml = tmp_path / "desk.toml"
    toml.write_text('[events]\nkind = "Type"\n[kinds]\n"Public reply" = "update"\n', encoding="utf-8")
    data = run(agreement(UPDATES), tmp_path, UPDATE_TICKETS, events=events, mapping=str(toml))
    updates = month(data, "2027-06")["priorities"][0]["updates"]
    # U3: 09:10 -> 11:00 -> 13:11 (2h11m): both met; U5 missed; U1, U2 and U4 as single stretches:
    # U1 09:30 -> Tuesday 13:31 (12h01m) missed, U2 met, U4 09:00 -> 15:30 (6h30m, no pause now) missed
    assert (updates["count"], updates["met"], updates["breached"]) == (6, 3, 3)
    assert "updates" not in month(run(agreement(RULES), tmp_path, RAISED_TICKETS), "2027-06")["priorities"][0]


# -- the rolling cap -----------------------------------------------------------------------------------

ROLLING = """
calendar always { timezone "Europe/Berlin"; hours 24x7 }
service servers { calendar always }
priority P1 { response 1h; resolution 1h }
credits {
  resolution missed P1 credit 100.00 each
  cap 50% of monthly fee
  cap 10% of fees over 12 months
}
fees { recurring servers 1000.00 monthly }
"""


def missed_resolutions(counts: dict[str, int]) -> str:
    """Tickets resolved an hour late: `counts[month]` of them on the 10th of each month."""
    rows = [
        f"T{month}-{i},P1,{month}-10 10:00,{month}-10 10:10,{month}-10 12:00,servers\n"
        for month, n in counts.items()
        for i in range(n)
    ]
    return TICKETS + "".join(rows)


#: 100.00 in January 2027, 300.00 in June and September, 400.00 in December and January 2028.
CREDITED = {"2027-01": 1, "2027-06": 3, "2027-09": 3, "2027-12": 4, "2028-01": 4, "2028-02": 1}


def test_a_rolling_cap_binding_in_month_13_but_not_in_month_12(tmp_path: Path) -> None:
    data = run(agreement(ROLLING), tmp_path, missed_resolutions(CREDITED))
    owed = {p["period"]: p["credits"]["owed"] for p in data["periods"]}
    rolling = {p["period"]: p["credits"]["rolling_cap"] for p in data["periods"]}
    # January 2027: 10% of one month's fee (the months before the start count as no fee) = 100.00
    assert (rolling["2027-01"]["fees"], rolling["2027-01"]["allowance"], owed["2027-01"]) == (
        "1000.00",
        "100.00",
        "100.00",
    )
    assert rolling["2027-01"]["uncounted"] == [
        {"first": "2026-02", "last": "2026-12", "why": "before the start of the agreement"}
    ]
    # December 2027, month 12: 10% of 12,000.00 = 1,200.00; 700.00 before it; 400.00 fits
    assert {
        k: rolling["2027-12"][k] for k in ("first", "allowance", "earlier", "left", "before", "applied")
    } == {
        "first": "2027-01",
        "allowance": "1200.00",
        "earlier": "700.00",
        "left": "500.00",
        "before": "400.00",
        "applied": False,
    }
    assert owed["2027-12"] == "400.00"
    # January 2028, month 13: January 2027 has left the window; 1,000.00 before it leaves 200.00
    assert {
        k: rolling["2028-01"][k] for k in ("first", "allowance", "earlier", "left", "before", "applied")
    } == {
        "first": "2027-02",
        "allowance": "1200.00",
        "earlier": "1000.00",
        "left": "200.00",
        "before": "400.00",
        "applied": True,
    }
    assert owed["2028-01"] == "200.00"
    # February 2028: 300 + 300 + 400 + 200 = 1,200.00 before it: nothing is left
    assert (rolling["2028-02"]["left"], owed["2028-02"]) == ("0.00", "0.00")
    assert rolling["2028-01"]["uncounted"] == []


def test_a_rolling_cap_looks_back_beyond_the_period_asked_for(tmp_path: Path) -> None:
    whole = run(agreement(ROLLING), tmp_path, missed_resolutions(CREDITED))
    asked = run(agreement(ROLLING), tmp_path, missed_resolutions(CREDITED), period="2028-01")
    assert asked["periods"] == [month(whole, "2028-01")]


def test_months_outside_the_data_count_as_no_fee_and_no_credit(tmp_path: Path) -> None:
    later = {k: v for k, v in CREDITED.items() if k >= "2027-06"}
    data = run(agreement(ROLLING), tmp_path, missed_resolutions(later))
    january = month(data, "2028-01")["credits"]["rolling_cap"]
    assert january["uncounted"] == [
        {"first": "2027-02", "last": "2027-05", "why": "outside the data measured"}
    ]
    # 8 months of fees: 800.00; owed before it, each month cut by its own window: June 100.00
    # (one month's fees), September 300.00, December 300.00 (700.00 - 400.00): 100.00 is left
    assert (january["fees"], january["allowance"], january["earlier"], january["left"]) == (
        "8000.00",
        "800.00",
        "700.00",
        "100.00",
    )
    june = month(data, "2027-06")["credits"]["rolling_cap"]
    assert june["uncounted"] == [
        {"first": "2026-07", "last": "2026-12", "why": "before the start of the agreement"},
        {"first": "2027-01", "last": "2027-05", "why": "outside the data measured"},
    ]
    assert (june["allowance"], month(data, "2027-06")["credits"]["owed"]) == ("100.00", "100.00")


def test_an_empty_or_binary_exclusions_file_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match=r"is empty: an exclusions file starts with a header row such as service,start,end"
    ):
        run(agreement(EXCLUDING), tmp_path, exclusions="")
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x00\x01\x02service,start")
    with pytest.raises(InputError, match="binary data"):
        comply(agreement(EXCLUDING), write(tmp_path, "t.csv", TICKETS), exclusions=str(binary))


def test_a_share_is_rounded_half_up_but_never_onto_a_target_it_misses() -> None:
    from decimal import Decimal

    from sla.comply.availability import percent

    assert percent(9780, 9900) == Decimal("98.788")  # LANGUAGE.md's worked example
    assert percent(42960, 43050) == Decimal("99.791")
    assert percent(998_999_500, 1_000_000_000, Decimal("99.9")) == Decimal("99.89995")
    assert percent(998_999_500, 1_000_000_000) == Decimal("99.900")
    assert percent(999, 1000, Decimal("99.9")) == Decimal("99.900")  # met exactly


# -- end-of-day targets in measurement ---------------------------------------------------------------

BY_CLOSE = """
calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-12:00, 13:00-18:00; holidays DE-BY }
service desk { calendar office }
priority P4 { response by close; resolution by close +1d }
clock { pause when "Awaiting customer" }
fees { recurring desk 100.00 monthly }
"""


def _targets(data: dict[str, Any], label: str) -> dict[str, Any]:
    (row,) = [r for r in month(data, label)["priorities"] if r["priority"] == "P4"]
    return row


@pytest.mark.parametrize("with_events", [False, True])
def test_by_close_is_measured_to_the_close_of_the_working_day(tmp_path: Path, with_events: bool) -> None:
    tickets = TICKETS + (
        # Friday 10:00, answered 17:59: met; resolved Monday 18:00 (the next day's close): met
        "A,P4,2027-03-05 10:00,2027-03-05 17:59,2027-03-08 18:00,desk\n"
        # Friday 19:00 (after closing): due Monday 18:00; answered Monday 18:01: missed by a minute
        "B,P4,2027-03-05 19:00,2027-03-08 18:01,2027-03-09 17:00,desk\n"
        # Saturday: due Monday 18:00, resolution Tuesday 18:00; resolved Wednesday: missed
        "C,P4,2027-03-06 10:00,2027-03-08 09:00,2027-03-10 09:00,desk\n"
        # Wednesday before Corpus Christi (Thursday, DE-BY): resolution due Friday 18:00: met
        "D,P4,2027-05-26 10:00,2027-05-26 11:00,2027-05-28 17:30,desk\n"
        # Friday 10:00 with a pause 11:00-12:30 (one open hour): the response is due Monday 09:00
        "E,P4,2027-03-05 10:00,2027-03-08 08:59,2027-03-08 10:00,desk\n"
    )
    events = "ticket,at,status\nE,2027-03-05 11:00,Awaiting customer\nE,2027-03-05 12:30,In progress\n"
    data = run(agreement(BY_CLOSE), tmp_path, tickets, events=events if with_events else None)
    march, may = _targets(data, "2027-03"), _targets(data, "2027-05")
    if with_events:
        assert (march["response"]["met"], march["response"]["breached"]) == (3, 1)  # B late; E in time
    else:  # without the pause E was due on Friday at 18:00
        assert (march["response"]["met"], march["response"]["breached"]) == (2, 2)
    assert (march["resolution"]["met"], march["resolution"]["breached"]) == (3, 1)  # C late
    assert (may["resolution"]["met"], may["resolution"]["breached"]) == (1, 0)
    late = [b for b in month(data, "2027-03")["breaches"] if b["ticket"] == "B"]
    assert late and late[0]["deadline"].startswith("2027-03-08T18:00")
