"""Billing a worklog: increments, minimums, multipliers, callouts, travel, markup, block hours.

Every expected amount is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from click.testing import CliRunner

import sla
from sla import model as m
from sla.billing import Bill, bill, parse_duration, parse_time, to_csv, to_dict
from sla.cli import main
from sla.values import Period

D = Decimal

# LANGUAGE.md's worked example: office Mon-Fri 08:00-17:00.
RATE_CARD = """
    rate technician 125.00 per hour increment 15m minimum 30m remote, 1h onsite
    multiplier after_hours 1.5x outside office
    multiplier weekends 2x
    callout 75.00 per visit
    materials markup 15%
"""


def agreement(fees: str = RATE_CARD, extra: str = "", start: str = "2027-01-01") -> m.Agreement:
    text = f"""agreement "T&M" {{
  model break_fix
  currency EUR
  start {start}
  term 12 months
  calendar office {{ timezone "Europe/Berlin"; hours mon-fri 08:00-17:00; holidays DE-BY; closed 2027-12-24 }}
  {extra}
  fees {{
{fees}
  }}
}}
"""
    return sla.loads(text).agreements[0]


def billed(
    rows: str, a: m.Agreement | None = None, header: str = "start,duration,role,location,materials"
) -> Bill:
    return bill(a or agreement(), header + "\n" + rows.strip() + "\n")


def amounts(b: Bill) -> list[Decimal]:
    return [e.amount for e in b.entries]


# --- the worked example ---------------------------------------------------------------------------


def test_language_worked_example_totals_721_25() -> None:
    b = billed("""
2027-03-02T10:00,40m,technician,remote,
2027-03-06T11:00,20m,technician,onsite,100.00
2027-03-03T17:00,1h,technician,remote,
""")
    # Tue 40m -> 45m x 125 = 93.75; Sat 20m onsite -> 1h minimum x 125 x 2 = 250 + callout 75
    # + materials 100 x 1.15 = 115 -> 440.00; Wed 17:00 is closed: 1h x 125 x 1.5 = 187.50
    assert amounts(b) == [D("93.75"), D("440.00"), D("187.50")]
    assert b.total == D("721.25")
    sat = b.entries[1]
    assert [(c.kind, c.amount) for c in sat.charges] == [
        ("labour", D("250.00")),
        ("callout", D("75.00")),
        ("materials", D("115.00")),
    ]
    assert sat.billed == 60 and sat.time_class.name == "weekend"
    assert "raised to the onsite minimum of 1h" in sat.charges[0].detail
    assert b.totals_by_kind() == {"labour": D("531.25"), "callout": D("75.00"), "materials": D("115.00")}


# --- increments and minimums ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("worked", "location", "minutes", "amount"),
    [
        ("40m", "remote", 45, "93.75"),  # up to the 15m increment
        ("45m", "remote", 45, "93.75"),  # already whole: unchanged
        ("46m", "remote", 60, "125.00"),  # a started increment counts
        ("10m", "remote", 30, "62.50"),  # raised to the remote minimum of 30m
        ("10m", "onsite", 60, "125.00"),  # and to the onsite minimum of 1h (+ callout below)
        ("1h10m", "onsite", 75, "156.25"),
        ("1:05", "remote", 75, "156.25"),  # h:mm
    ],
)
def test_increment_then_minimum(worked: str, location: str, minutes: int, amount: str) -> None:
    b = billed(f"2027-03-02T10:00,{worked},technician,{location},")
    (entry,) = b.entries
    assert entry.billed == minutes
    assert entry.charges[0].amount == D(amount)


def test_a_minimum_without_location_applies_everywhere() -> None:
    a = agreement("    rate engineer 180.00 per hour increment 30m minimum 1h")
    b = billed("2027-03-02T10:00,5m,engineer,remote,\n2027-03-02T12:00,5m,engineer,onsite,", a)
    assert amounts(b) == [D("180.00"), D("180.00")]


def test_no_increment_bills_the_minutes_worked() -> None:
    a = agreement("    rate engineer 120.00 per hour")
    b = billed("2027-03-02T10:00,7m,engineer,remote,", a)
    assert amounts(b) == [D("14.00")]  # 7/60 x 120


# --- multipliers ----------------------------------------------------------------------------------

CLASSES = RATE_CARD + "    multiplier holidays 3x\n"


@pytest.mark.parametrize(
    ("start", "time_class", "amount"),
    [
        ("2027-03-02T08:00", "normal", "125.00"),  # opening time is open
        ("2027-03-02T07:59", "after_hours", "187.50"),  # a minute before
        ("2027-03-02T16:59", "normal", "125.00"),
        ("2027-03-02T17:00", "after_hours", "187.50"),  # closing time is closed: spans are half-open
        ("2027-03-06T11:00", "weekend", "250.00"),  # Saturday
        ("2027-03-07T23:00", "weekend", "250.00"),  # Sunday night: weekend beats after hours
        ("2027-01-06T10:00", "holiday", "375.00"),  # Epiphany, a Bavarian holiday, on a Wednesday
        ("2027-12-24T10:00", "holiday", "375.00"),  # a `closed` date counts as a holiday
        ("2027-05-01T10:00", "holiday", "375.00"),  # Labour Day on a Saturday: holiday beats weekend
        ("2027-03-02T09:00+00:00", "normal", "125.00"),  # 10:00 in Berlin
        ("2027-03-02T17:00+01:00", "after_hours", "187.50"),
        ("2027-03-02T16:30Z", "after_hours", "187.50"),  # 17:30 in Berlin
    ],
)
def test_the_highest_time_class_applies(start: str, time_class: str, amount: str) -> None:
    b = billed(f"{start},1h,technician,remote,", agreement(CLASSES))
    (entry,) = b.entries
    assert (entry.time_class.name, entry.amount) == (time_class, D(amount))


def test_a_class_without_multiplier_falls_to_the_next() -> None:
    # no weekends or holidays multiplier: a Saturday and a holiday are only closed, after hours
    a = agreement("    rate technician 125.00 per hour\n    multiplier after_hours 1.5x")
    b = billed("2027-03-06T11:00,1h,technician,remote,\n2027-01-06T10:00,1h,technician,remote,", a)
    assert [e.time_class.name for e in b.entries] == ["after_hours", "after_hours"]
    assert amounts(b) == [D("187.50"), D("187.50")]


def test_after_hours_counts_on_the_named_calendar() -> None:
    # `outside late`: 08:00-20:00, so 18:00 is normal although office closes at 17:00
    extra = 'calendar late { timezone "Europe/Berlin"; hours mon-fri 08:00-20:00 }'
    a = agreement("    rate technician 100.00 per hour\n    multiplier after_hours 2x outside late", extra)
    b = billed("2027-03-02T18:00,1h,technician,remote,\n2027-03-02T20:00,1h,technician,remote,", a)
    assert amounts(b) == [D("100.00"), D("200.00")]


def test_multipliers_apply_to_labour_only() -> None:
    a = agreement(CLASSES + "    travel 0.65 per km")
    b = billed(
        "2027-03-06T11:00,2h,technician,onsite,40.00,18",
        a,
        header="start,duration,role,location,materials,travel",
    )
    # 2h x 125 x 2 = 500.00; callout 75.00; travel 18 x 0.65 = 11.70; materials 40 x 1.15 = 46.00
    assert [(c.kind, c.amount) for c in b.entries[0].charges] == [
        ("labour", D("500.00")),
        ("callout", D("75.00")),
        ("travel", D("11.70")),
        ("materials", D("46.00")),
    ]
    assert b.total == D("632.70")


def test_each_onsite_entry_has_one_callout() -> None:
    b = billed(
        "2027-03-02T10:00,1h,technician,onsite,\n2027-03-02T14:00,1h,technician,onsite,\n"
        "2027-03-02T15:00,1h,technician,remote,"
    )
    assert [sum(1 for c in e.charges if c.kind == "callout") for e in b.entries] == [1, 1, 0]


# --- rounding at half a cent ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "amount"),
    [
        ("100.01", "25.00"),  # 15m x 100.01 = 25.0025 -> 25.00
        ("100.02", "25.01"),  # 15m x 100.02 = 25.005 -> 25.01 (half up)
        ("100.03", "25.01"),  # 25.0075 -> 25.01
    ],
)
def test_labour_rounds_half_up_per_line(rate: str, amount: str) -> None:
    a = agreement(f"    rate engineer {rate} per hour increment 15m")
    assert amounts(billed("2027-03-02T10:00,15m,engineer,remote,", a)) == [D(amount)]


def test_materials_markup_rounds_half_up() -> None:
    # 0.05 x 1.10 = 0.055 -> 0.06; 0.15 x 1.10 = 0.165 -> 0.17
    a = agreement("    rate engineer 60.00 per hour\n    materials markup 10%")
    b = billed("2027-03-02T10:00,1m,engineer,remote,0.05\n2027-03-02T11:00,1m,engineer,remote,0.15", a)
    assert [e.charges[-1].amount for e in b.entries] == [D("0.06"), D("0.17")]


def test_yen_has_no_minor_unit() -> None:
    text = agreement("    rate engineer 1000 per hour increment 15m").model_copy(update={"currency": "JPY"})
    b = bill(text, "start,duration,role\n2027-03-02T10:00+09:00,10m,engineer\n")
    assert amounts(b) == [D("250")]


# --- block hours ----------------------------------------------------------------------------------

BLOCKS = """
    block 10h for 1000.00 monthly rollover 1 months overage engineer
    rate engineer 120.00 per hour increment 15m
    rate technician 80.00 per hour
    multiplier after_hours 1.5x
"""


def test_block_hours_roll_over_then_expire_and_overage_is_billed() -> None:
    a = agreement(BLOCKS, start="2027-05-01")
    b = billed(
        """
2027-05-03T09:00,6h,engineer,remote,
2027-06-01T09:00,12h,engineer,remote,
2027-07-01T09:00,13h,engineer,remote,
2027-07-02T09:00,2h,technician,remote,
2027-09-01T09:00,1h,engineer,remote,
""",
        a,
    )
    # May: 10h granted, 6h used, 4h carried. June: 10h + 4h; 12h drawn oldest first (4h May + 8h
    # June), 2h carried. July: 10h + 2h = 12h for 13h: 1h beyond at 120.00. The technician has no
    # block and pays the rate (2h x 80.00).
    assert amounts(b) == [D("0.00"), D("0.00"), D("120.00"), D("160.00"), D("0.00")]
    ledger = {
        r.month: (
            r.granted / 60,
            r.carried_in / 60,
            r.used / 60,
            r.overage / 60,
            r.expired / 60,
            r.remaining / 60,
        )
        for r in b.blocks
    }
    assert ledger == {
        "2027-05": (10, 0, 6, 0, 0, 4),
        "2027-06": (10, 4, 12, 0, 0, 2),
        "2027-07": (10, 2, 12, 1, 0, 0),
        "2027-08": (10, 0, 0, 0, 0, 10),
        # August's 10h: 1h used in September, the other 9h may not pass into October
        "2027-09": (10, 10, 1, 0, 9, 10),
    }
    assert b.total == D("280.00")


def test_without_rollover_hours_expire_at_month_end() -> None:
    a = agreement(BLOCKS.replace("rollover 1 months", "rollover none"), start="2027-05-01")
    b = billed("2027-05-03T09:00,4h,engineer,remote,\n2027-06-01T09:00,12h,engineer,remote,", a)
    # May leaves 6h that expire; June has only its own 10h: 2h beyond at 120.00 = 240.00
    assert amounts(b) == [D("0.00"), D("240.00")]
    assert [(r.month, r.expired / 60) for r in b.blocks] == [("2027-05", 6), ("2027-06", 0)]


def test_a_quarterly_block_lasts_to_the_end_of_its_quarter() -> None:
    """docs/pricing.md: a block granted quarterly with `rollover none` is drawn on for its whole
    quarter (February to April), then expires; May gets the next quarter's grant."""
    a = agreement(BLOCKS.replace("monthly rollover 1 months", "quarterly"), start="2027-02-01")
    b = billed(
        """
2027-02-03T09:00,4h,engineer,remote,
2027-03-03T09:00,4h,engineer,remote,
2027-04-05T09:00,4h,engineer,remote,
2027-05-04T09:00,2h,engineer,remote,
""",
        a,
    )
    # 10h for the quarter: 4h + 4h drawn, then April's 4h has 2h left and 2h beyond at 120.00;
    # May draws on the new quarter's 10h.
    assert amounts(b) == [D("0.00"), D("0.00"), D("240.00"), D("0.00")]
    ledger = [(r.month, r.granted / 60, r.expired / 60) for r in b.blocks]
    assert ledger == [("2027-02", 10, 0), ("2027-03", 0, 0), ("2027-04", 0, 0), ("2027-05", 10, 0)]


def test_no_block_after_the_term_and_work_outside_it_cannot_be_billed() -> None:
    """Work before the start or after the term's last day is a row that cannot be billed (the
    rate card and the blocks hold for the term), and no block is granted after the term."""
    text = BLOCKS.replace("rollover 1 months", "rollover 3 months")
    a = agreement(text, start="2027-02-01").model_copy(update={"term": Period(count=2, unit="month")})
    b = billed(
        """
2027-01-29T09:00,1h,engineer,remote,
2027-03-31T09:00,1h,engineer,remote,
2027-04-01T09:00,1h,engineer,remote,
""",
        a,
    )
    assert [str(p) for p in b.problems] == [
        "row 2, column 'start': the row starts on 2027-01-29, before the agreement's start on 2027-02-01",
        "row 4, column 'start': the row starts on 2027-04-01, after the agreement's term ended on 2027-03-31",
    ]
    assert [e.entry.row for e in b.entries] == [3]
    assert [r.month for r in b.blocks if r.granted] == ["2027-02", "2027-03"]  # none after March


def test_after_hours_work_draws_the_block_at_its_multiplier() -> None:
    a = agreement(BLOCKS, start="2027-05-01")
    b = billed("2027-05-04T19:00,8h,engineer,remote,", a)
    # 8h x 1.5 = 12h of block time: 10h from the block, 2h beyond at 120.00 = 240.00
    assert amounts(b) == [D("240.00")]
    assert "2h beyond the block" in b.entries[0].charges[-1].detail


# --- rows that cannot be billed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (",1h,technician,remote,", "start", "the start is missing"),
        ("2027-02-30T10:00,1h,technician,remote,", "start", "'2027-02-30T10:00' is not a time"),
        ("2027-03-02T10:00,1x,technician,remote,", "duration", "'1x' is not a duration"),
        ("2027-03-02T10:00,90,technician,remote,", "duration", "(minutes or hours? write 40m or 1h)"),
        ("2027-03-02T10:00,0m,technician,remote,", "duration", "the duration is zero"),
        ("2027-03-02T10:00,1h,tecnician,remote,", "role", "did you mean 'technician'?"),
        ("2027-03-02T10:00,1h,technician,office,", "location", "is not remote or onsite"),
        ("2027-03-02T10:00,1h,technician,remote,-5.00", "materials", "must be a positive amount"),
        (
            "2027-03-02T10:00,1h,technician,remote,USD 5.00",
            "materials",
            "is in USD, but the agreement is in EUR",
        ),
        ("2027-03-02T10:00,1h,technician,remote,abc", "materials", "is not an amount"),
    ],
)
def test_unbillable_rows_are_reported_with_their_number(row: str, column: str, reason: str) -> None:
    b = billed(f"2027-03-02T09:00,1h,technician,remote,\n{row}\n2027-03-02T11:00,1h,technician,remote,")
    assert [e.entry.row for e in b.entries] == [2, 4]  # the good rows around it are billed
    (problem,) = b.problems
    assert (problem.row, problem.column) == (3, column)
    assert reason in problem.reason
    assert b.rows_read == 3


def test_a_worklog_without_a_required_column_is_refused() -> None:
    with pytest.raises(sla.SlaError, match="no column 'role'"):
        bill(agreement(), "start,duration,who\n2027-03-02T10:00,1h,x\n")


@pytest.mark.parametrize("text", ["", "\n\n", "\x00\x01binary\x00junk,,\n1,2\x00,3\n"])
def test_empty_or_binary_worklogs_are_refused(text: str) -> None:
    with pytest.raises(sla.SlaError):
        bill(agreement(), text)


def test_negative_rates_cannot_be_written() -> None:
    with pytest.raises(sla.SlaError, match="SLA00"):
        agreement("    rate engineer -120.00 per hour")


@pytest.mark.parametrize(("text", "minutes"), [("40m", 40), ("1h30m", 90), ("1:30", 90), ("0:45:10", 46)])
def test_worklog_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


# --- output ---------------------------------------------------------------------------------------


def test_json_and_csv_carry_every_line() -> None:
    b = billed("2027-03-02T10:00,40m,technician,remote,\n2027-03-06T11:00,20m,technician,onsite,100.00")
    data = to_dict(b)
    assert data["total"] == "533.75" and data["currency"] == "EUR"
    assert [line["amount"] for line in data["lines"]] == ["93.75", "440.00"]
    assert data["lines"][1]["callout"] == "75.00" and data["lines"][1]["time_class"] == "weekend"
    rows = to_csv(b).splitlines()
    assert rows[0].startswith("row,start,role,location,worked,billed,time_class")
    assert rows[-1].endswith("533.75,total,")


def test_cli_bill(tmp_path: Path) -> None:
    sla_file = tmp_path / "tm.sla"
    sla_file.write_text(f"""agreement "T&M" {{
  model break_fix; currency EUR; start 2027-01-01; term 12 months
  calendar office {{ timezone "Europe/Berlin"; hours mon-fri 08:00-17:00 }}
  fees {{ {RATE_CARD} }}
}}
""")
    log = tmp_path / "log.csv"
    log.write_text(
        "start,duration,role,location,materials\n2027-03-02T10:00,40m,technician,remote,\n"
        "2027-03-06T11:00,20m,technician,onsite,100.00\n2027-03-03T17:00,1h,technician,remote,\n"
    )
    runner = CliRunner()
    result = runner.invoke(main, ["bill", str(sla_file), str(log), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == "721.25"
    human = runner.invoke(main, ["bill", str(sla_file), str(log)])
    assert (
        human.exit_code == 0 and "721.25" in human.stdout and "raised to the onsite minimum" in human.stdout
    )
    csv_out = runner.invoke(main, ["bill", str(sla_file), str(log), "--csv"])
    assert csv_out.stdout.splitlines()[-1].endswith("721.25,total,")
    log.write_text(log.read_text() + "2027-03-04T10:00,1h,enginer,remote,\n")
    bad = runner.invoke(main, ["bill", str(sla_file), str(log), "--json"])
    assert bad.exit_code == 1
    assert "row 5, column 'role': no rate for role 'enginer'" in bad.stderr
    assert json.loads(bad.stdout)["unbillable"][0]["row"] == 5
    missing = runner.invoke(main, ["bill", str(sla_file), str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_bill_the_block_hours_example() -> None:
    a = sla.load(str(Path(__file__).parent.parent / "examples" / "block-hours.sla")).agreements[0]
    b = bill(
        a,
        "start,duration,role,location\n2027-05-04T09:00,21h,consultant,remote\n"
        "2027-05-05T10:00,3h,technician,onsite\n",
    )
    # consultant: 20h block, 1h beyond at 110.00; technician: 3h from the 7h30m on-site block
    assert amounts(b) == [D("110.00"), D("0.00")]


# --- number cells: one rule with sla comply (sla.csvtable.number) -----------------------------------


@pytest.mark.parametrize("cell", ['"1,5"', '"1,23"', '"1,2345"', '"1.234,50"'])
def test_a_comma_that_does_not_group_thousands_is_refused_as_ambiguous(cell: str) -> None:
    b = billed(f"2027-03-02T09:00,1h,technician,remote,\n2027-03-02T10:00,1h,technician,remote,{cell}")
    (problem,) = b.problems
    assert (problem.row, problem.column) == (3, "materials")
    assert f"materials {cell.strip(chr(34))!r} is ambiguous" in problem.reason
    assert "write 1.5" in problem.reason and "--decimal-comma" in problem.reason


def test_a_comma_may_group_thousands() -> None:
    b = billed('2027-03-02T10:00,1h,technician,remote,"1,234.50"')
    assert (b.problems, b.entries[0].entry.materials) == ([], D("1234.50"))


@pytest.mark.parametrize("cell", ["1e3", "NaN", "Infinity", "١٢"])
def test_exponents_nan_infinities_and_other_digits_are_not_amounts(cell: str) -> None:
    (problem,) = billed(f"2027-03-02T10:00,1h,technician,remote,{cell}").problems
    assert problem.reason == f"materials {cell!r} is not an amount such as 35.00"


def test_travel_follows_the_same_rule() -> None:
    a = agreement(CLASSES + "    travel 0.65 per km")
    header = "start,duration,role,location,materials,travel"
    b = billed('2027-03-02T10:00,1h,technician,onsite,,"1,5 km"', a, header)
    assert b.problems[0].column == "travel" and "travel '1,5' is ambiguous" in b.problems[0].reason
    assert (
        billed('2027-03-02T10:00,1h,technician,onsite,,"1,000"', a, header).entries[0].entry.distance == 1000
    )


def test_a_decimal_comma_is_chosen_for_the_whole_worklog() -> None:
    a = agreement(CLASSES + "    travel 0.65 per km")
    log = (
        "start;duration;role;location;materials;travel\n"
        "2027-03-06T11:00;2h;technician;onsite;EUR 1.040,00;18,5\n"
    )
    b = bill(a, log, decimal=",")
    assert b.problems == []
    assert (b.entries[0].entry.materials, b.entries[0].entry.distance) == (D("1040.00"), D("18.5"))
    (problem,) = bill(a, log.replace("18,5", "18.5"), decimal=",").problems
    assert "travel '18.5' is ambiguous: '.' may only group thousands (1.234,5); write 1,5" in problem.reason


def test_a_row_with_more_cells_than_the_header_is_refused() -> None:
    b = billed("2027-03-02T10:00,1h,technician,remote,1,234.50")  # the amount should have been quoted
    (problem,) = b.problems
    assert (problem.row, problem.column) == (2, None)
    assert problem.reason.startswith("has 6 fields where the header has 5")


def test_cli_bill_decimal_comma(tmp_path: Path) -> None:
    sla_file = tmp_path / "tm.sla"
    sla_file.write_text(f"""agreement "T&M" {{
  model break_fix; currency EUR; start 2027-01-01; term 12 months
  calendar office {{ timezone "Europe/Berlin"; hours mon-fri 08:00-17:00 }}
  fees {{ {RATE_CARD} }}
}}
""")
    log = tmp_path / "log.csv"
    log.write_text("start;duration;role;location;materials\n2027-03-02T10:00;40m;technician;remote;100,00\n")
    runner = CliRunner()
    refused = runner.invoke(main, ["bill", str(sla_file), str(log), "--json"])
    assert refused.exit_code == 1 and "'100,00' is ambiguous" in refused.stderr
    assert "--decimal-comma" in refused.stderr
    result = runner.invoke(main, ["bill", str(sla_file), str(log), "--json", "--decimal-comma"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lines"][0]["materials"] == "115.00"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2027-03-02T10:00", "2027-03-02T10:00:00"),
        (" 2027-03-02 10:00:00+01:00 ", "2027-03-02T10:00:00+01:00"),
        ("2027-03-02T09:00Z", "2027-03-02T09:00:00+00:00"),
        ("2027-03-02T09:00z", "2027-03-02T09:00:00+00:00"),
    ],
)
def test_worklog_times_are_strict_iso_8601(text: str, iso: str) -> None:
    assert parse_time(text).isoformat() == iso


@pytest.mark.parametrize("text", ["2027-03-02 10:00 UTC", "2027-03-02 10:00 GMT", "02/03/2027 10:00", "soon"])
def test_worklog_times_in_other_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time; write 2027-03-02T10:00 or 2027-03-02T10:00-06:00"):
        parse_time(text)


def test_a_line_at_the_holiday_multiplier_names_the_holiday() -> None:
    a = agreement(RATE_CARD + "    multiplier holidays 3x\n")
    b = billed("2027-05-17T10:00,1h,technician,remote,", a)  # Whit Monday in Bavaria
    assert b.entries[0].time_class.label == "holiday 3x: Pentecost Monday"
    assert "(holiday 3x: Pentecost Monday)" in b.entries[0].charges[0].detail
    closed = billed("2027-12-24T10:00,1h,technician,remote,", a)  # the calendar's closed date
    assert closed.entries[0].time_class.label == "holiday 3x: a closed date"


# --- bounds: rows beyond them are reported, totals keep every digit --------------------------------


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            "0001-01-01T00:00,1h,technician,remote,",
            "start",
            "'0001-01-01T00:00' is out of range (years 1900 to 2199)",
        ),
        (
            "9999-12-31T23:59,1h,technician,remote,",
            "start",
            "'9999-12-31T23:59' is out of range (years 1900 to 2199)",
        ),
        ("1899-12-31T23:59,1h,technician,remote,", "start", "is out of range (years 1900 to 2199)"),
        ("2200-01-01T00:00,1h,technician,remote,", "start", "is out of range (years 1900 to 2199)"),
        (
            "2027-03-02T10:00,1h,technician,remote,1e999999999",
            "materials",
            "materials '1e999999999' is not an amount",
        ),
        (
            "2027-03-02T10:00,1h,technician,remote,1000000000000000",
            "materials",
            "materials 1000000000000000 is too large: numbers are under 10^15",
        ),
        (
            "2027-03-02T10:00,1h,technician,remote,1.0000001",
            "materials",
            "materials 1.0000001 has 7 decimal places: numbers have at most 6",
        ),
        ("2027-03-02T10:00,36526d,technician,remote,", "duration", "36526d is longer than 100 years"),
        ("2027-03-02T10:00,876601:00,technician,remote,", "duration", "876601:00 is longer than 100 years"),
        ("2027-03-02T10:00,১:30,technician,remote,", "duration", "'১:30' is not a duration"),
        ("2027-03-02T10:00,1h,technician,remote,১২", "materials", "materials '১২' is not an amount"),
        (
            "2027-03-02T10:00,1h," + "x" * 1000 + ",remote,",
            "role",
            "no rate for role '" + "x" * 64 + "'... (1,000 characters)",
        ),
    ],
)
def test_rows_beyond_the_bounds_are_reported_and_the_others_billed(
    row: str, column: str, reason: str
) -> None:
    b = billed(f"2027-03-02T09:00,1h,technician,remote,\n{row}\n2027-03-02T11:00,1h,technician,remote,")
    assert [e.entry.row for e in b.entries] == [2, 4]
    (problem,) = b.problems
    assert (problem.row, problem.column) == (3, column)
    assert reason in problem.reason


def test_worklog_durations_at_the_edge() -> None:
    assert parse_duration("36525d") == parse_duration("876600:00") == 36525 * 1440
    assert parse_duration("0:45:5") == 46


LARGEST = "999999999999999.999999"


def test_totals_of_the_largest_amounts_keep_every_digit_and_no_exponent() -> None:
    a = agreement(
        f"    rate technician {LARGEST} per hour increment 876600h\n"
        f"    multiplier weekends {LARGEST}x\n"
        f"    callout {LARGEST} per visit\n    materials markup {LARGEST}%"
    )
    b = billed(f"2027-03-02T10:00,1h,technician,remote,\n2027-03-06T10:00,1h,technician,onsite,{LARGEST}", a)
    assert b.problems == []
    with localcontext() as wide:
        wide.prec = 100  # the test's own arithmetic exact too
        cent = D("0.01")
        labour = D(LARGEST) * 876600  # the increment rounds the hour up to 876600 hours
        weekend = D(LARGEST) * 876600 * D(LARGEST)
        materials = D(LARGEST) * (1 + D(LARGEST) / 100)
        exact = [
            labour.quantize(cent, ROUND_HALF_UP),
            weekend.quantize(cent, ROUND_HALF_UP)
            + D(LARGEST).quantize(cent, ROUND_HALF_UP)
            + materials.quantize(cent, ROUND_HALF_UP),
        ]
        total = exact[0] + exact[1]
    assert amounts(b) == exact
    assert len(str(total).replace(".", "")) > 28  # past Python's default precision
    data = to_dict(b)
    assert data["total"] == f"{total:f}"
    assert not re.search(r"[0-9][eE][+-]?[0-9]", json.dumps(data) + to_csv(b))
    assert [line["amount"] for line in data["lines"]] == [f"{x:f}" for x in exact]
    assert to_csv(b).splitlines()[-1].endswith(f",{total:f},total,")


# --- CSV that the csv module cannot read: the row is reported, nothing is lost without a word -----


def test_an_unclosed_quote_is_a_row_problem_naming_the_rows_it_took() -> None:
    b = billed(
        "2027-03-02T09:00,1h,technician,remote,\n"
        '2027-03-02T10:00,1h,technician,remote,"5.00\n'
        "2027-03-02T11:00,1h,technician,remote,\n"
        "2027-03-02T12:00,1h,technician,remote,"
    )
    assert [e.entry.row for e in b.entries] == [2]
    assert [(p.row, p.column) for p in b.problems] == [(3, None)]
    assert b.problems[0].reason.startswith(
        'its quote (") is never closed, so lines 3 to 5 were read as one cell'
    )
    assert b.rows_read == 2


def test_a_quote_ending_a_cell_early_is_reported_in_row_order() -> None:
    b = billed(
        "2027-03-02T09:00,1h,technician,remote,\n"
        '2027-03-02T10:00,1h,technician,remote,"5.00"0\n'
        "2027-03-02T11:00,1h,tecnician,remote,\n"
        "2027-03-02T12:00,1h,technician,remote,"
    )
    assert [e.entry.row for e in b.entries] == [2, 5]
    assert [(p.row, p.column) for p in b.problems] == [(3, None), (4, "role")]
    assert b.problems[0].reason.startswith('a quote (") ends a cell in the middle on line 3')
    assert b.rows_read == 4


def test_a_megabyte_cell_is_reported_at_its_row_and_the_others_billed() -> None:
    b = billed(
        "2027-03-02T09:00,1h,technician,remote,\n"
        "2027-03-02T10:00,1h,technician,remote,," + "x" * (1 << 20) + "\n"
        "2027-03-02T11:00,1h,technician,remote,",
        header="start,duration,role,location,materials,description",
    )
    assert [e.entry.row for e in b.entries] == [2, 4]
    assert [(p.row, p.reason) for p in b.problems] == [
        (3, "a cell is longer than 131,072 characters, so line 3 was skipped")
    ]


def test_cli_bill_exits_1_for_an_unclosed_quote(tmp_path: Path) -> None:
    sla_file = tmp_path / "tm.sla"
    sla_file.write_text(
        'agreement "T" { model break_fix; currency EUR; start 2027-01-01; term 12 months\n'
        'calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-17:00 }\n'
        "fees { rate technician 100.00 per hour } }\n",
        encoding="utf-8",
    )
    worklog = tmp_path / "w.csv"
    worklog.write_text(
        "start,duration,role,description\n2027-03-02T09:00,1h,technician,ok\n"
        '2027-03-02T10:00,1h,technician,"unclosed\n2027-03-02T11:00,1h,technician,lost\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["bill", "--json", str(sla_file), str(worklog)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["rows"] == {"read": 2, "billed": 1, "unbillable": 1}
    assert data["unbillable"][0]["row"] == 3 and "lines 3 to 4" in data["unbillable"][0]["reason"]


def test_the_csv_keeps_the_description_and_travel_reads_as_written() -> None:
    """`sla bill --csv` keeps each entry's description; a distance reads "15 km", "15 miles"."""
    card = RATE_CARD + "    travel 0.50 per km\n"
    b = billed(
        "2027-03-02T10:00,1h,technician,onsite,,15,Server room visit",
        agreement(card),
        header="start,duration,role,location,materials,travel,description",
    )
    rows = list(csv.reader(io.StringIO(to_csv(b))))
    assert rows[0][-1] == "description" and rows[1][-1] == "Server room visit"
    assert "15 km x 0.50 = 7.50" in b.entries[0].charges[-1].detail
    miles = billed(
        "2027-03-02T10:00,1h,technician,onsite,,15,",
        agreement(RATE_CARD + "    travel 0.65 per mile\n"),
        header="start,duration,role,location,materials,travel,description",
    )
    assert "15 miles x 0.65" in miles.entries[0].charges[-1].detail
