"""The mapping settings desk exports need: several time formats, Windows time-zone names,
`[verdicts]`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla.clock import wall_clock
from sla.comply import InputError, load_mapping
from sla.comply.times import Times, time_reader

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
    with pytest.raises(ValueError, match=r"is not a time in the format '%d.%m.%Y %H:%M'"):
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
        "load_mapping(['servicenow', 'timezone=Europe/Berlin'])\n"
        "assert 'babel' not in sys.modules\n"
        "load_mapping(['timezone=Eastern Standard Time'])\n"
        "assert 'babel' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
