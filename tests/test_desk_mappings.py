"""The ready mappings against exports shaped as each desk writes them (tests/data/desks/NAME.csv),
with met and breached counts worked out by hand; and the mapping settings they rest on: several
time formats, Windows time-zone names, `[verdicts]`, repeated header names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import sla
from sla.cli import main
from sla.clock import wall_clock
from sla.comply import InputError, comply, load_mapping, ready_mappings, to_dict
from sla.comply.times import Times, time_reader
from sla.csvtable import read_csv

DESKS = Path(__file__).parent / "data" / "desks"

HEAD = (
    'provider "Contoso IT Services Ltd"; customer "Acme GmbH"; model break_fix; currency EUR\n'
    "start 2027-01-01; term 36 months\nfees { rate engineer 100.00 per hour }\n"
)
#: Office hours Mon-Fri 09:00-17:00 in Berlin (CEST, UTC+2, in June 2027), P1 around the clock.
#: 2027-06-07 is a Monday.
BODY = """
calendar office { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }
calendar always { timezone "Europe/Berlin"; hours 24x7 }
service desk "Service Desk" { calendar office }
priority P1 { response 30m on always; resolution 4h on always }
priority P2 { response 1h; resolution 8h }
priority P3 { response 4h; resolution 16h }
priority P4 { response 8h; resolution best_effort }
clock { pause when "Waiting on customer" }
"""
AGREEMENT = f'agreement "Desk" {{\n{HEAD}{BODY}\n}}\n'

MET, BREACHED = (1, 0), (0, 1)


def report(desk: str, *maps: str) -> dict[str, Any]:
    agreement = sla.loads(AGREEMENT).agreements[0]
    return to_dict(comply(agreement, str(DESKS / f"{desk}.csv"), mapping=load_mapping([desk, *maps])))


def counts(data: dict[str, Any]) -> dict[str, tuple[tuple[int, int], ...]]:
    """(met, breached) of response and of resolution (where measured) per priority, June 2027."""
    [june] = [p for p in data["periods"] if p["period"] == "2027-06"]
    found = {}
    for p in june["priorities"]:
        targets = (p["response"], p["resolution"])
        found[p["priority"]] = tuple((t["met"], t["breached"]) for t in targets if t["measured"])
    return found


# Each row's deadline is worked out in the desk's fixture: office time is counted from 09:00 to
# 17:00 Berlin; P1 counts every minute.
EXPECTED = {
    "jira": {
        # SD-101 answered after 20 min, resolved after 3 h; SD-102 opened Mon 16:30, answered Tue
        # 09:40 (70 office minutes), resolved Tue 14:00 (5.5 h); SD-103 Tue 09:00, answered 11:00,
        # resolved Thu 11:00 (18 h of 16); SD-104 answered after 30 min, resolution best effort
        "P1": (MET, MET),
        "P2": (BREACHED, MET),
        "P3": (MET, BREACHED),
        "P4": (MET,),
    },
    "freshservice": {
        # INC-101 answered after 45 min (of 30), resolved after 3.5 h; INC-102 Mon 11:00 to Tue
        # 12:00 is 9 office hours (of 8); SR-103 10 h; INC-104 answered after 6 h
        "P1": (BREACHED, MET),
        "P2": (MET, BREACHED),
        "P3": (MET, MET),
        "P4": (MET,),
    },
    "zendesk": {
        # times in UTC (the account's zone, given by --map timezone=UTC), so 08:00 is 10:00 in
        # Berlin: 201 replied after 25 min, solved after 5 h (of 4); 202 opened 16:30 Berlin,
        # replied 17:45 (30 office minutes), solved Tue 10:00 (1.5 h); 203 2 h and 12 h;
        # 204 replied after 25 h, a whole office day late
        "P1": (MET, BREACHED),
        "P2": (MET, MET),
        "P3": (MET, MET),
        "P4": (BREACHED,),
    },
    "autotask": {
        # resolved (not completed) times: T..0001 5 h (of 4); T..0002 Mon 13:00 to Tue 11:00 is
        # 6 office hours; T..0003 answered after 5 h (of 4), resolved after 14 h
        "P1": (MET, BREACHED),
        "P2": (MET, MET),
        "P3": (BREACHED, MET),
        "P4": ((0, 0),),
    },
    "connectwise": {
        # UTC instants: 5301 20 min and 3.5 h; 5302 opened 15:00 Berlin, responded 16:30
        # (1.5 h), resolved Tue 12:00 (5 h); 5303 2 h, then Tue 09:00 to Thu 14:00 (21 h of 16);
        # 5304 5 h; 5305's "Priority 5 - Next Time" is no priority of the agreement
        "P1": (MET, MET),
        "P2": (BREACHED, MET),
        "P3": (MET, BREACHED),
        "P4": (MET,),
    },
    "halopsa": {
        # New York wall times (timezone=Eastern Standard Time): 04:00 is 10:00 in Berlin.
        # 1001 responded after 45 min (of 30); 1002 Mon 14:00 to Tue 11:00 Berlin, 5 h; 1003
        # opened Tue 09:00 Berlin, responded 14:30 (5.5 h of 4), closed Wed 15:00 (14 h)
        "P1": (BREACHED, MET),
        "P2": (MET, MET),
        "P3": (BREACHED, MET),
        "P4": (MET,),
    },
}
MAPS = {"zendesk": ("timezone=UTC",), "halopsa": ("timezone=Eastern Standard Time",)}


@pytest.mark.parametrize("desk", sorted(EXPECTED))
def test_a_desk_export_measured_through_its_ready_mapping(desk: str) -> None:
    data = report(desk, *MAPS.get(desk, ()))
    assert counts(data) == EXPECTED[desk]
    assert data["mapping"] == " + ".join((desk, *MAPS.get(desk, ())))
    unusable = [u["reason"] for u in data["rows"]["unusable"]]
    if desk == "connectwise":
        assert unusable == ["unknown priority 'Priority 5 - Next Time' (the agreement has P1, P2, P3, P4)"]
    else:
        assert unusable == []


def test_every_desk_has_a_fixture_and_every_fixture_a_ready_mapping() -> None:
    assert {p.stem for p in DESKS.glob("*.csv")} == set(EXPECTED)
    assert set(EXPECTED) <= set(ready_mappings())


def test_the_zone_of_a_zendesk_export_decides_office_time() -> None:
    # read in the calendar's zone instead of the account's UTC, ticket 202 opens at 14:30 Berlin
    # and its reply 75 minutes later is late
    assert counts(report("zendesk"))["P2"] == (BREACHED, MET)


def test_halopsa_by_windows_zone_name_on_the_command_line(tmp_path: Path) -> None:
    agreement = tmp_path / "desk.sla"
    agreement.write_text(AGREEMENT, encoding="utf-8")
    args = ["comply", str(agreement), "--tickets", str(DESKS / "halopsa.csv"), "--map", "halopsa"]
    result = CliRunner().invoke(main, [*args, "--map", "timezone=Eastern Standard Time", "--json"])
    assert result.exit_code == 0, result.output
    assert counts(json.loads(result.output)) == EXPECTED["halopsa"]
    # read as the ready mapping's UTC instead, 1003 opens at 05:00 Berlin, before office hours,
    # and its response at 10:30 is in time
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert counts(json.loads(result.output))["P3"] == (MET, MET)


def test_the_ready_mappings_are_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["comply", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for name in ("connectwise (ConnectWise Manage service tickets)", "halopsa (HaloPSA tickets)"):
        assert name in text


def test_the_desks_own_verdicts_are_mapped() -> None:
    assert load_mapping(["freshservice"]).values["verdicts"] == {
        "within_sla": "met",
        "sla_violated": "breached",
    }
    assert load_mapping(["halopsa"]).values["verdicts"] == {"i": "met", "o": "breached"}
    assert load_mapping(["connectwise"]).values["verdicts"] == {"true": "met", "false": "breached"}
    assert load_mapping(["autotask"]).values["verdicts"]["no"] == "breached"
    jira = load_mapping(["jira"]).columns["tickets"]
    assert jira["response_met"][0] == "Custom field (Time to first response)"
    assert jira["resolution_met"][0] == "Custom field (Time to resolution)"
    zendesk = load_mapping(["zendesk"]).columns["tickets"]
    assert (
        zendesk["resolution_business_minutes"][0] == "Full resolution time in minutes within business hours"
    )


# -- [verdicts] ------------------------------------------------------------------------------------


def test_a_verdicts_table_maps_export_values_to_met_or_breached(tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    path.write_text('[verdicts]\n"Within SLA" = "met"\n"SLA Violated" = "Breached"\n"true" = "met"\n')
    mapping = load_mapping([str(path)])
    assert mapping.values["verdicts"] == {"within_sla": "met", "sla_violated": "breached", "true": "met"}
    assert mapping.value("verdicts", "within sla") == "met"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '[verdicts]\n"Late" = "breach"\n',
            "must map to \"met\" or \"breached\", not 'breach'.*did you mean 'breached'",
        ),
        ('[verdicts]\n"Late" = "overdue"\n', 'must map to "met" or "breached", not \'overdue\''),
        ('[verdicts]\n"Late" = 0\n', "must map to a name in quotes"),
    ],
)
def test_a_verdict_other_than_met_or_breached_is_refused(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "desk.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=error) as caught:
        load_mapping([str(path)])
    assert caught.value.diagnostics[0].code == "SLA305"


# -- several time formats ------------------------------------------------------------------------


BERLIN = wall_clock(ZoneInfo("Europe/Berlin"))
#: 2027-06-07 08:00 UTC, 10:00 in Berlin
TEN = 1812355200 * 1_000_000


def test_time_formats_are_tried_in_order_after_iso(tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    path.write_text('time_format = ["%d/%b/%y %I:%M %p", "%d.%m.%Y %H:%M"]\n')
    mapping = load_mapping([str(path)])
    assert mapping.time_formats == ("%d/%b/%y %I:%M %p", "%d.%m.%Y %H:%M")
    times = Times(mapping)
    read = times.reader(BERLIN)
    for text in ("07/Jun/27 10:00 AM", "07.06.2027 10:00", "2027-06-07 10:00:00", "2027-06-07T08:00:00Z"):
        assert times.parse(text, BERLIN) == read(text) == TEN
    with pytest.raises(ValueError, match=r"in any of the formats '%d/%b/%y %I:%M %p', '%d.%m.%Y %H:%M'"):
        read("June 7th")


def test_map_time_format_sets_one_format() -> None:
    mapping = load_mapping(["jira", "time_format=%d.%m.%Y %H:%M"])
    assert mapping.time_formats == ("%d.%m.%Y %H:%M",)
    with pytest.raises(
        ValueError, match=r"is not a time in ISO 8601 \(2027-03-01 09:15\) nor in the format '%d.%m.%Y %H:%M'"
    ):
        Times(mapping).parse("07/Jun/27 10:00 AM", BERLIN)


@pytest.mark.parametrize("value", ["[]", '[""]', "[1]"])
def test_a_time_format_list_holds_formats(tmp_path: Path, value: str) -> None:
    path = tmp_path / "desk.toml"
    path.write_text(f"time_format = {value}\n")
    with pytest.raises(InputError, match="time_format is a strptime format in quotes, or a list of them"):
        load_mapping([str(path)])


def test_the_quick_reader_remembers_hours_of_iso_text_only() -> None:
    # minutes before hours: "08:08:00" is 08:08 and "08:09:00" is 09:08, which a reader that
    # remembered "2027/06/07 08" as the hour 08 would read as 08:09
    times = Times(load_mapping(["time_format=%Y/%m/%d %M:%H:%S"]))
    read = time_reader(times, BERLIN)
    assert read("2027/06/07 08:08:00") == times.parse("2027/06/07 08:08:00", BERLIN)
    assert read("2027/06/07 08:09:00") == times.parse("2027/06/07 08:09:00", BERLIN) == TEN - 52 * 60_000_000


# -- Windows time-zone names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("Eastern Standard Time", "America/New_York"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("GMT Standard Time", "Europe/London"),
        ("tokyo standard time", "Asia/Tokyo"),
        ("UTC", "UTC"),
        ("America/New_York", "America/New_York"),
    ],
)
def test_a_windows_zone_name_is_read_as_cldr_maps_it(name: str, zone: str) -> None:
    assert load_mapping([f"timezone={name}"]).timezone == zone


def test_an_unknown_zone_is_named_with_iana_and_windows_suggestions(tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match="unknown time zone 'Estern Standard Time'.*'Eastern Standard Time'"
    ) as e:
        load_mapping(["timezone=Estern Standard Time"])
    assert e.value.diagnostics[0].code == "SLA305"
    path = tmp_path / "m.toml"
    path.write_text('timezone = "Europe/Berlinn"\n')
    with pytest.raises(
        InputError, match="m.toml: unknown time zone 'Europe/Berlinn'.*did you mean 'Europe/Berlin'"
    ):
        load_mapping([str(path)])


def test_babel_is_loaded_only_for_a_name_that_is_not_an_iana_zone() -> None:
    code = (
        "import sys\n"
        "from sla.comply import load_mapping\n"
        "load_mapping(['halopsa', 'timezone=Europe/Berlin'])\n"
        "assert 'babel' not in sys.modules\n"
        "load_mapping(['timezone=Eastern Standard Time'])\n"
        "assert 'babel' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


# -- repeated header names -----------------------------------------------------------------------


def test_a_header_with_repeated_names_loads_and_a_name_is_its_first_column() -> None:
    header = (DESKS / "jira.csv").read_text(encoding="utf-8").splitlines()[0]
    table = read_csv(header + "\n")
    assert table.header.count("Watchers") == table.header.count("Comment") == 2
    assert table.column("Watchers") == table.header.index("Watchers")
    assert table.column("comment") == table.header.index("Comment")
    assert table.column("Sprint") == table.header.index("Sprint")


def test_a_mapped_column_that_is_repeated_is_read_from_its_first_occurrence() -> None:
    # Labels is written twice; SD-101's first is "mail", its second "outage"
    data = report("jira", "service=Labels")
    assert [u["reason"] for u in data["rows"]["unusable"]] == [
        "unknown service 'mail'",
        "unknown service 'vpn'",
        "unknown service 'printer'",
    ]
