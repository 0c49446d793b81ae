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
                    holidays AT-9 except "Whit Monday"
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
    # 08:00): 120 minutes in service hours, not 900; (9,900 - 120) / 9,900 = 98.7878...%
    outages = "service,start,end\npms,2027-06-04 18:00,2027-06-05 09:00\n"
    [pms] = month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-06")["availability"]
    assert (pms["period_minutes"], pms["excluded_minutes"], pms["downtime_minutes"]) == (9900, 0, 120)
    assert (pms["measured"], pms["met"], pms["during"]) == ("98.787", False, "praxis")  # cut, not rounded
    assert month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-06")["credits"]["owed"] == "10.00"


def test_an_outage_across_a_closing_time_and_a_weekend(tmp_path: Path) -> None:
    # Friday 4 June 18:00 to Monday 7 June 08:00: Friday 18:00-19:00 (60), Saturday 08:00-12:00
    # (240), Sunday closed, Monday 07:30-08:00 (30): 330 minutes; without `during`, 3,720.
    outages = "service,start,end\npms,2027-06-04 18:00,2027-06-07 08:00\n"
    [pms] = month(run(agreement(PRAXIS), tmp_path, outages=outages), "2027-06")["availability"]
    assert (pms["period_minutes"], pms["downtime_minutes"], pms["measured"]) == (9900, 330, "96.666")
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
