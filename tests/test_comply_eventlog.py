"""`sla comply --events-log`: a service desk's log of updates measured as tickets, against hand-computed
times; and missing-value markers (`missing = ["?"]`) read as empty cells in every export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sla
from sla.comply import comply, json_chunks, load_mapping, to_dict

AGREEMENT = """
agreement "T" {
  provider "P"; customer "C"; model break_fix; currency EUR
  start 2027-01-01; term 36 months
  fees { rate engineer 100.00 per hour }
  calendar desk { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service helpdesk { calendar desk }
  service servers { calendar always; availability 99.9% }
  priority P1 { response 30m on always; resolution 4h on always }
  priority P2 { response 1h; resolution 8h }
  priority P3 { response 4h; resolution 2d }
  clock { pause when "Waiting on customer" }
}
"""


def agreement(rule: str | None = None) -> Any:
    """The agreement, its clock measuring a ticket at the priority `rule` picks when one is given."""
    text = AGREEMENT
    if rule is not None:
        text = text.replace('when "Waiting on customer" }', f'when "Waiting on customer"; priority {rule} }}')
    return sla.loads(text).agreements[0]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def report(
    a: Any,
    tmp_path: Path,
    maps: tuple[str, ...] = (),
    *,
    tickets: str | None = None,
    events: str | None = None,
    outages: str | None = None,
    exclusions: str | None = None,
) -> dict[str, Any]:
    """The JSON-ready report of CSV texts."""

    def path(kind: str, text: str | None) -> str | None:
        return write(tmp_path, f"{kind}.csv", text) if text is not None else None

    found = comply(
        a,
        str(path("tickets", tickets)),
        events=path("events", events),
        outages=path("outages", outages),
        exclusions=path("exclusions", exclusions),
        mapping=load_mapping(maps),
    )
    data = to_dict(found)
    assert json.loads("".join(json_chunks(found))) == data  # the streamed JSON is the same document
    return data


def unusable(data: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(u["kind"], u["row"], u["reason"]) for u in data["rows"]["unusable"]]


def target(data: dict[str, Any], priority: str, kind: str, period: str | None = None) -> dict[str, Any]:
    chosen = next(p for p in data["periods"] if period is None or p["period"] == period)
    stats: dict[str, Any] = next(p for p in chosen["priorities"] if p["priority"] == priority)[kind]
    return stats


def breaches(data: dict[str, Any]) -> list[tuple[str, str, str, str, bool]]:
    return [
        (b["ticket"], b["priority"], b["target"], b["at"], b["open"])
        for p in data["periods"]
        for b in p["breaches"]
    ]


# -- missing-value markers -------------------------------------------------------------------------

MARKED_TICKETS = (
    "id,priority,opened,first_response,resolved,service\n"
    "A,P2,2027-03-01 10:00:00,?,2027-03-01 10:30:00, ?\n"  # no response (the resolution is one), no service
    "B,P2,2027-03-01 10:00:00,2027-03-01 12:20:00,NULL,helpdesk\n"  # still open
    "?,P2,2027-03-01 10:00:00,,,\n"  # no ticket id
    "C,P2, ? ,,,\n"  # no opened time
    "D,NULL,2027-03-01 10:00:00,,,\n"  # no priority
    "E,P1,2027-03-01 10:00:00,2027-03-01 10:10:00,?,servers\n"  # open, paused by its events
    "?,?,?,?,?,?\n"  # a row of markers is a row with nothing in it
)
MARKED_EVENTS = (
    "ticket,time,status,priority\n"
    "E,2027-03-01 10:30:00,Waiting on customer,?\n"
    "E,2027-03-01 11:00:00,NULL,\n"  # no status: the clock stays paused
    "E,?,In progress,\n"  # no time
    "?,2027-03-01 11:00:00,In progress,\n"  # no ticket id
    "E,2027-03-01 13:00:00,In progress,NULL\n"
)
MARKED_REFUSED = [
    ("tickets", 4, "no ticket id"),
    ("tickets", 5, "no opened time"),
    ("tickets", 6, "unknown priority '' (the agreement has P1, P2, P3)"),
    ("tickets", 8, "no ticket id"),
    ("events", 4, "no time"),
    ("events", 5, "no ticket id"),
]


def _marked(tmp_path: Path) -> dict[str, Any]:
    return report(
        agreement(),
        tmp_path,
        ("missing=?,NULL",),
        tickets=MARKED_TICKETS,
        events=MARKED_EVENTS,
        outages="service,start,end,planned\nservers,2027-03-31 23:00:00,?,NULL\n",
        exclusions="service,start,end,reason\nservers,2027-03-31 23:30:00,2027-04-01 00:00:00,?\n",
    )


def _checked(data: dict[str, Any]) -> None:
    assert sorted(unusable(data), key=lambda u: (u[0] != "tickets", u[1])) == MARKED_REFUSED
    p2 = target(data, "P2", "response")
    assert (p2["count"], p2["met"], p2["breached"]) == (2, 1, 1)  # A at 10:30, B at 12:20
    resolution = target(data, "P2", "resolution")
    assert (resolution["met"], resolution["breached"]) == (1, 1)  # B, still open past its deadline
    # E: opened 10:00, answered 10:10, paused 10:30 to 13:00, open: 4h from 10:00 less 2h30 paused is 16:30
    late = [b for b in data["periods"][0]["breaches"] if b["ticket"] == "E"]
    assert [(b["target"], b["deadline"], b["open"]) for b in late] == [
        ("resolution", "2027-03-01T16:30:00+01:00", True)
    ]
    [servers] = data["periods"][0]["availability"]
    # the outage goes on (its end is `?`) to the month's end, its last 30 minutes agreed to be left out
    assert (servers["excluded_minutes"], servers["downtime_minutes"]) == (30, 30)
    assert [x["reason"] for x in servers["exclusions"]] == [""]  # as an empty cell reads


def test_missing_value_markers_read_as_empty_by_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sla.comply.tickets as reader

    monkeypatch.setattr(reader, "BY_COLUMNS", False)
    _checked(_marked(tmp_path))


def test_missing_value_markers_read_as_empty_by_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sla.comply.tickets as reader

    pytest.importorskip("pyarrow")  # the `fast` extra
    taken: list[str] = []
    tickets, events = reader.ByColumns.read, reader.Events._load_chunk

    def tickets_read(self: Any, chunks: Any) -> None:
        taken.append("tickets")
        tickets(self, chunks)

    def events_read(self: Any, *args: Any) -> None:
        taken.append("events")
        events(self, *args)

    monkeypatch.setattr(reader.ByColumns, "read", tickets_read)
    monkeypatch.setattr(reader.Events, "_load_chunk", events_read)
    by_columns = _marked(tmp_path)
    assert {"tickets", "events"} <= set(taken), "the files were not read by columns"
    _checked(by_columns)
    monkeypatch.setattr(reader, "BY_COLUMNS", False)
    assert _marked(tmp_path) == by_columns


def test_without_markers_a_question_mark_is_a_value(tmp_path: Path) -> None:
    data = report(agreement(), tmp_path, tickets=MARKED_TICKETS)
    assert ("tickets", 3, "resolved: 'NULL' is not a time such as 2027-03-01T09:15:00+01:00") in [
        (kind, row, reason.split(" or ")[0]) for kind, row, reason in unusable(data)
    ]


def test_a_marker_column_by_columns_keeps_the_other_values() -> None:
    pytest.importorskip("pyarrow")
    import pyarrow as pa  # type: ignore[import-untyped]

    from sla.comply.tickets import _Texts

    array = pa.array(["x", "abc", " ? ", "NULL", "x?", "", "?? ", "?", "ü", " ü", "2027"])[1:]  # an offset
    texts = _Texts.of(array).without(frozenset({"?", "NULL", "ü"}))
    assert [texts[i] for i in range(len(texts))] == ["abc", "", "", "x?", "", "?? ", "", "", "", "2027"]
    assert _Texts.made(["?", "?"]).without(frozenset({"?"}))[1] == ""
