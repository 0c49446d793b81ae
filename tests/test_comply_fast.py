"""`sla comply` reading a tickets file by columns gives the report it gives reading it row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sla
from sla.comply import comply, to_dict

AGREEMENT = """
agreement "T" {
  provider "P"; customer "C"; model break_fix; currency EUR
  start 2027-01-01; term 36 months
  fees { rate engineer 100.00 per hour }
  calendar desk { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00; holidays DE-BY }
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service helpdesk { calendar desk }
  service servers { calendar always }
  priority P1 { response 30m on always; resolution 4h on always }
  priority P2 { response 1h; resolution 8h }
  priority P3 { response 4h; resolution 2d }
  priority P4 { response 1d; resolution best_effort }
  clock { pause when "Waiting on customer" }
}
"""


def agreement(rule: str | None = None) -> Any:
    """The agreement, its clock measuring a ticket at the priority `rule` picks when one is given."""
    text = AGREEMENT
    if rule is not None:
        text = text.replace('when "Waiting on customer" }', f'when "Waiting on customer"; priority {rule} }}')
    return sla.loads(text).agreements[0]


def test_every_row_naming_an_unknown_service_is_unusable(tmp_path: Path) -> None:
    """Before, only the first row naming an unknown service was refused; later rows naming the
    same one were measured as if they named none."""
    tickets = tmp_path / "t.csv"
    tickets.write_text(
        "id,priority,opened,first_response,resolved,service\n"
        "A,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,,foo\n"
        "B,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,,foo\n"
        "C,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,,helpdesk\n",
        encoding="utf-8",
    )
    data = to_dict(comply(agreement(), str(tickets)))
    assert [(u["row"], u["reason"]) for u in data["rows"]["unusable"]] == [
        (2, "unknown service 'foo'"),
        (3, "unknown service 'foo'"),
    ]
    assert data["rows"]["used"] == 1


# -- the same report by columns as by rows -------------------------------------------------------


def _tickets(seed: int, n: int, newline: str = "\n") -> str:
    """Tickets over 2027 in every state and every way a row can be unusable: met, late, open,
    across month ends and both DST changes (times in the gap and in the fold), in the other time
    forms exports use, and rows with no id, spaces around the id, unknown services and
    priorities, bad and missing times, times out of order, too few or too many cells, blank
    lines and rows of empty cells."""
    import random
    from datetime import datetime, timedelta

    rng = random.Random(seed)
    rows = ["id,priority,opened,first_response,resolved,service"]
    nights = [datetime(2027, 3, 28, 1, 30), datetime(2027, 10, 31, 1, 30), datetime(2027, 3, 31, 23, 50)]
    for i in range(n):
        if rng.random() < 0.15:
            opened = rng.choice(nights) + timedelta(minutes=rng.randrange(0, 120, 5))
        else:
            opened = datetime(2027, 1, 1) + timedelta(
                minutes=rng.randrange(365 * 1440), seconds=rng.choice([0, 7])
            )
        responded = opened + timedelta(minutes=rng.choice([5, 29, 30, 31, 59, 61, 240, 2000]))
        resolved = responded + timedelta(minutes=rng.randrange(1, 8000))

        def when(t: datetime) -> str:
            form = rng.random()
            if form < 0.75:
                return f"{t:%Y-%m-%d %H:%M:%S}"
            if form < 0.85:
                return f"{t:%Y-%m-%dT%H:%M:%S}"
            if form < 0.9:
                return f"{t:%Y-%m-%d %H:%M}"
            if form < 0.95:
                return f"{t:%Y-%m-%dT%H:%M:%S}+01:00"
            return f"{t:%Y-%m-%d %H:%M:%S}.250000Z"

        cells = [
            rng.choice([f"T{i}", f"T{i}", f"T{i}", f" T{i} ", f"T{i % 50}", "", "  ", f"Tü{i}"]),
            rng.choice(["P1", "P2", "P3", "P4", "P2", "P3", "p2", "Critical", "P9", ""]),
            when(opened)
            if rng.random() > 0.03
            else rng.choice(["", "yesterday", "2027-02-30 10:00:00", "0207-01-01 10:00:00"]),
            ""
            if rng.random() < 0.1
            else when(responded)
            if rng.random() > 0.02
            else rng.choice(["soon", "  "]),
            ""
            if rng.random() < 0.2
            else when(resolved)
            if rng.random() > 0.02
            else f"{opened - timedelta(hours=1):%Y-%m-%d %H:%M:%S}",
            rng.choice(["helpdesk", "servers", "", "helpdesk", "kitchen", "Servers"]),
        ]
        odd = rng.random()
        if odd < 0.01:
            cells = cells[:3]
        elif odd < 0.02:
            cells.append("x")
        elif odd < 0.025:
            cells = [""] * 6
        rows.append(",".join(cells))
        if rng.random() < 0.01:
            rows.append(rng.choice(["", "   "]))
    return newline.join(rows) + newline


def _events(seed: int, n: int) -> str:
    import random
    from datetime import datetime, timedelta

    rng = random.Random(seed)
    rows = ["ticket,time,status,priority"]
    for i in range(0, n, 7):
        start = datetime(2027, 1, 1) + timedelta(minutes=rng.randrange(365 * 1440))
        for _ in range(rng.choice([1, 2, 4])):
            start += timedelta(minutes=rng.randrange(1, 3000))
            status = rng.choice(["Waiting on customer", "In progress", "waiting on customer", ""])
            prio = rng.choice(["", "", "", "P1", "P3", "P7"])
            rows.append(f"T{i},{start:%Y-%m-%d %H:%M:%S},{status},{prio}")
    rows.append("T999999,2027-05-05 10:00:00,In progress,")
    rows.append(",2027-05-05 10:00:00,In progress,")
    return "\n".join(rows) + "\n"


def _report(
    tmp_path: Path, tickets: str, events: str | None, period: str | None = None, rule: str | None = None
) -> tuple[dict[str, Any], str]:
    from sla.comply import json_chunks

    path = tmp_path / "tickets.csv"
    path.write_bytes(tickets.encode("utf-8"))
    events_path = None
    if events is not None:
        events_path = tmp_path / "events.csv"
        events_path.write_text(events, encoding="utf-8")
    events_file = str(events_path) if events_path else None
    report = comply(agreement(rule), str(path), events=events_file, period=period)
    return to_dict(report), "".join(json_chunks(report))


def _three_ways(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tickets: str,
    events: str | None,
    period: str | None = None,
    rule: str | None = None,
) -> dict[str, Any]:
    """The report by columns, by rows in batches, and by rows one ticket at a time: all equal."""
    import sla.comply.tickets as reader
    from sla import csvtable
    from sla.comply import measure

    pytest.importorskip("pyarrow")  # the `fast` extra
    taken: list[int] = []
    original = reader.ByColumns.read

    def counted(self: Any, chunks: Any) -> None:
        taken.append(1)
        original(self, chunks)

    monkeypatch.setattr(reader.ByColumns, "read", counted)
    monkeypatch.setattr(csvtable, "CHUNK", 4096)  # many chunks, lines cut between reads
    by_columns = _report(tmp_path, tickets, events, period, rule)
    assert taken, "the file was not read by columns"
    monkeypatch.setattr(reader, "BY_COLUMNS", False)
    by_rows = _report(tmp_path, tickets, events, period, rule)
    monkeypatch.setattr(measure, "BATCH", 0)
    one_by_one = _report(tmp_path, tickets, events, period, rule)
    assert by_columns[0] == by_rows[0] == one_by_one[0]
    assert by_columns[1] == by_rows[1]  # the JSON text, to the byte
    return by_columns[0]


@pytest.mark.parametrize(
    ("seed", "newline", "period"), [(1, "\n", None), (2, "\r\n", None), (3, "\n", "2027-Q2")]
)
def test_by_columns_by_rows_and_one_by_one_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, newline: str, period: str | None
) -> None:
    data = _three_ways(tmp_path, monkeypatch, _tickets(seed, 3000, newline), _events(seed, 3000), period)
    reasons = {u["reason"].split(":")[0] for u in data["rows"]["unusable"]}
    assert {
        "no ticket id",
        "opened",
        "first response",
        "resolved before opened",
        "unknown service 'kitchen'",
    } <= reasons
    assert any(r.startswith("has ") for r in reasons) and any(
        r.startswith("unknown priority") for r in reasons
    )
    assert sum(len(p["breaches"]) for p in data["periods"]) > 100


@pytest.mark.parametrize("rule", ["initial", "highest"])
def test_the_clock_s_priority_rule_by_columns_as_by_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: str
) -> None:
    _three_ways(tmp_path, monkeypatch, _tickets(8, 2000), _events(8, 2000), rule=rule)


def test_without_events_and_without_a_service_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _tickets(4, 1000).splitlines()
    tickets = "\n".join(",".join(line.split(",")[:5]) for line in lines) + "\n"
    _three_ways(tmp_path, monkeypatch, tickets, None)


@pytest.mark.parametrize(
    "twist",
    [
        'a quoted cell: "T1"',
        "a carriage return alone: \r",
        "a NUL: \x00",
        "a line longer than the csv module's limit: " + "x" * (1 << 18),
    ],
)
def test_a_file_not_plain_enough_is_read_by_rows(tmp_path: Path, twist: str) -> None:
    from sla.csvtable import column_chunks, open_csv

    pytest.importorskip("pyarrow")
    text = _tickets(5, 2000)  # over 64 KiB: a NUL further in than the start a file is probed at
    path = tmp_path / "t.csv"
    path.write_text(
        text + twist.split(": ", 1)[1] + ",P1,2027-01-01 10:00:00,,,\n", encoding="utf-8", newline=""
    )
    table = open_csv(str(path))
    try:
        assert column_chunks(table) is None
    finally:
        table.close()
    plain = tmp_path / "plain.csv"
    plain.write_text(text, encoding="utf-8", newline="")
    table = open_csv(str(plain))
    try:
        assert column_chunks(table) is not None
    finally:
        table.close()


def test_a_file_not_utf8_is_refused_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sla.comply import InputError

    path = tmp_path / "t.csv"
    path.write_bytes(_tickets(6, 200).encode("utf-8") + b"X,P1,2027-01-01 10:00:00,,,caf\xe9\n")
    with pytest.raises(InputError, match="is not utf-8-sig text"):
        comply(agreement(), str(path))


def test_breaches_as_json_text_are_what_the_encoder_writes(tmp_path: Path) -> None:
    """Breaches are written as JSON in bulk: the same text as encoding each breach's dict, in
    zones with a half-hour offset, a negative one, around DST changes and with microseconds."""
    import json

    from sla.comply.report import BreachList

    body = AGREEMENT.replace('"Europe/Berlin"; hours mon-fri', '"America/St_Johns"; hours mon-fri').replace(
        'calendar always { timezone "Europe/Berlin"', 'calendar always { timezone "Australia/Lord_Howe"'
    )
    a = sla.loads(body).agreements[0]
    path = tmp_path / "t.csv"
    path.write_text(_tickets(7, 2000).replace(".250000Z", ".250001Z"), encoding="utf-8")
    report = comply(a, str(path))
    encode = json.JSONEncoder(ensure_ascii=False).encode
    seen = 0
    for period in report.periods:
        assert isinstance(period.breaches, BreachList)
        assert list(period.breaches.json_lines()) == [encode(d) for d in period.breaches.dicts()]
        seen += len(period.breaches)
    assert seen > 100
