"""Fuzzing: whatever the input, the library raises nothing but SlaError."""

from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sla
from sla import model as m
from sla.loader import decode
from tests.conftest import DATA

SEEDS = sorted((DATA / "valid").glob("*.sla")) + sorted(Path(__file__).parent.parent.glob("examples/*.sla"))
ALPHABET = '{}";#\n\t ,:.-+%x0123456789abcdefhmwdyEURP24:00\\\x00\ufeff€é'


def _only_our_error(text: str) -> None:
    try:
        sla.check_text(text, "fuzz.sla")
        sla.parse(text, "fuzz.sla")
    except sla.SlaError as exc:
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        i = rng.randrange(len(chars) + 1)
        if op < 0.4 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op < 0.8:
            chars.insert(i, rng.choice(ALPHABET))
        else:  # duplicate a slice: repeated statements, nested blocks
            j = rng.randrange(len(chars) + 1)
            chars[i:i] = chars[min(i, j) : max(i, j)][:80]
    return "".join(chars)


def test_seed_files_exist() -> None:
    assert len(SEEDS) >= 10


def test_mutated_files_raise_only_sla_error() -> None:
    rng = random.Random(20270101)
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for _ in range(40):
            _only_our_error(_mutate(text, rng))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=200))
def test_random_text_raises_only_sla_error(text: str) -> None:
    _only_our_error(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_sla_error(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.sla")
    except sla.SlaError:
        return
    _only_our_error(text)


# --- agreements within the bounds (docs/language.md, "Bounds") ------------------------------------

LARGEST = "999999999999999.999999"
_numbers = st.one_of(
    st.sampled_from([LARGEST, "0.000001", "0", "1", "100"]),
    st.decimals(min_value=0, max_value=Decimal(LARGEST), places=6, allow_nan=False).map(lambda d: f"{d:f}"),
)
_factors = st.one_of(  # at least 1 (SLA124)
    st.sampled_from([LARGEST, "1", "1.000001"]),
    st.decimals(min_value=1, max_value=Decimal(LARGEST), places=6, allow_nan=False).map(lambda d: f"{d:f}"),
)
_shares = st.one_of(  # above 0 and at most 100 (SLA115, SLA121)
    st.sampled_from(["100", "0.000001", "99.999999"]),
    st.decimals(min_value=Decimal("0.000001"), max_value=100, places=6, allow_nan=False).map(
        lambda d: f"{d:f}"
    ),
)
_counts = st.one_of(st.sampled_from([999_999_999_999_998, 1]), st.integers(1, 999_999_999_999_998))
#: Periods in days, at most 100 years (36525 days), and how they are written.
_periods = st.one_of(
    st.sampled_from([(36525, "100 years"), (36525, "1200 months"), (36519, "5217 weeks"), (36525, "36525d")]),
    st.integers(1, 1200).map(lambda n: (n * 30.4375, f"{n} months")),
    st.integers(1, 36525).map(lambda n: (n, f"{n} days")),
)
_terms = st.one_of(
    st.sampled_from([(36525, "100 years"), (36525, "1200 months")]),
    st.integers(1, 1200).map(lambda n: (n * 30.4375, f"{n} months")),
)
#: Durations in minutes, at most 100 years, and how they are written; hours and minutes only
#: where a rate's increment needs them (SLA125).
_minutes = st.one_of(
    st.sampled_from([(52_596_000, "876600h"), (52_596_000, "52596000m"), (1, "1m")]),
    st.tuples(st.integers(0, 876_599), st.integers(1, 59)).map(
        lambda hm: (hm[0] * 60 + hm[1], f"{hm[0]}h{hm[1]}m")
    ),
)
_durations = st.one_of(
    _minutes,
    st.sampled_from([(52_596_000, "36525d"), (52_596_000, "5217w6d")]),
    st.tuples(st.integers(0, 5216), st.integers(0, 6), st.integers(1, 59)).map(
        lambda t: ((t[0] * 7 + t[1]) * 1440 + t[2], f"{t[0]}w{t[1]}d{t[2]}m")
    ),
)
#: Starts from 1900 to 2199: a deadline of up to 100 years of business time can then be counted
#: (sla.clock counts the years 2 to 9998); the whole range of dates has its own test below.
_days = st.one_of(
    st.sampled_from(["1900-01-01", "2199-12-31", "2027-01-01"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)).map(date.isoformat),
)


@st.composite
def _bounded_agreements(draw: st.DrawFn) -> str:
    """An agreement whose every value is within the bounds, often at their edges, written to
    pass the checks (the dates may still run past 9998-12-31: SLA134)."""
    term, renewal, notice = sorted((draw(_terms), draw(_periods), draw(_periods)))[::-1]
    if not term[1].endswith(("months", "years")):  # the longest is the term, quoted in months (SLA202)
        term, renewal = renewal, term
    if notice[0] >= renewal[0]:
        notice = (1, "1 day")
    response, resolution = sorted((draw(_durations), draw(_durations)))
    low, high = sorted((draw(_counts), draw(_counts)))
    tiers = f"tiers {draw(st.sampled_from(['volume', 'graduated']))} {{ 1-{low}: {draw(_numbers)}; {low + 1}+: {draw(_numbers)} }}"
    hours = draw(st.sampled_from(["24x7", "mon-fri 08:00-18:00", "mon-sun 22:00-06:00"]))
    closed = draw(st.sampled_from(["", "; closed 2027-12-24..2027-12-31"]))  # holidays: the test below
    zone = draw(st.sampled_from(["Europe/Berlin", "Pacific/Kiritimati", "Pacific/Niue", "UTC"]))
    below = sorted(draw(st.lists(_shares, min_size=2, max_size=2, unique=True)), key=Decimal, reverse=True)
    credit = sorted(draw(st.lists(_shares, min_size=2, max_size=2, unique=True)), key=Decimal)
    return f"""agreement "Bounds" {{
  provider "P"; customer "C"; model managed; currency {draw(st.sampled_from(["EUR", "JPY", "BHD"]))}
  start {draw(_days)}; term {term[1]}
  renewal {renewal[1]} notice {notice[1]}
  calendar office {{ timezone "{zone}"; hours {hours}{closed} }}
  service desk {{ quantity {high} users; calendar office; availability {below[0]}% monthly excluding maintenance }}
  maintenance weekly sun 02:00-03:00 notice {draw(_durations)[1]}
  priority P1 {{ response {response[1]}; resolution {resolution[1]}; updates every {draw(_durations)[1]} }}
  credits {{
    availability below {below[0]}% credit {credit[0]}%
    availability below {below[1]}% credit {credit[1]}%
    response missed P1 credit {draw(_numbers)} each
    cap {draw(_shares)}% of monthly fee
    claim within {draw(_durations)[1]}
  }}
  fees {{
    recurring desk {draw(_numbers)} per user monthly {tiers if draw(st.booleans()) else ""}
    once setup {draw(_numbers)}
    increase {draw(_numbers)}% yearly
    rate engineer {draw(_numbers)} per hour increment {draw(_minutes)[1]} minimum {draw(_durations)[1]}
    multiplier weekends {draw(_factors)}x
    callout {draw(_numbers)} per visit
    materials markup {draw(_numbers)}%
    payment net {draw(_periods)[1]}
  }}
}}
"""


def _all_jobs(text: str) -> None:
    from sla.clock import BusinessCalendar
    from sla.render import render

    file = sla.loads(text, "bounds.sla")
    agreement = file.agreements[0]
    sla.price(agreement)
    assert isinstance(render(agreement, "md"), str)
    assert agreement.start is not None
    engine = BusinessCalendar.of(agreement.calendars[0])
    begin = engine.localize(datetime.combine(agreement.start, time(9)))
    for priority in agreement.priorities:
        if priority.response and priority.response.duration:
            engine.deadline(begin, priority.response.duration)
    for to in ("json", "yaml", "sla"):
        sla.dumps(file, to)
    assert sla.loads_json(sla.dumps(file)) == file
    sla.diff(agreement, agreement)
    sla.diff(sla.loads(BOUNDS_BASE, "base.sla").agreements[0], agreement)
    if 1900 <= agreement.start.year <= 2199:  # the years a ticket may be opened in
        _comply(agreement, agreement.start.isoformat())


def _comply(agreement: m.Agreement, day: str) -> None:
    from sla.comply import json_chunks

    with tempfile.TemporaryDirectory() as folder:
        tickets, outages = Path(folder, "tickets.csv"), Path(folder, "outages.csv")
        tickets.write_text(
            "id,priority,opened,first_response,resolved,service\n"
            f"T1,P1,{day} 10:00,{day} 10:05,{day} 11:00,desk\nT2,P1,{day} 10:00,,,desk\n",
            encoding="utf-8",
        )
        outages.write_text(f"service,start,end,planned\ndesk,{day} 10:00,{day} 10:30,no\n", encoding="utf-8")
        report = sla.comply(agreement, tickets, outages=outages).report
        assert report.used == 3
        "".join(json_chunks(report))


BOUNDS_BASE = """agreement "Base" {
  provider "P"; customer "C"; model managed; currency EUR; start 2027-01-01; term 12 months
  calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00 }
  service desk { quantity 10 users; calendar office }
  priority P1 { response 1h; resolution 4h }
  fees { recurring desk 40.00 per user monthly }
}
"""


def _only_sla_errors(text: str) -> None:
    try:
        _all_jobs(text)
    except sla.SlaError as exc:
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)


# A few examples in the default run (each compares deadlines of up to a century); more under -m slow.
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bounded_agreements())
def test_agreements_within_the_bounds_price_render_clock_export_and_diff(text: str) -> None:
    _only_sla_errors(text)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bounded_agreements())
def test_many_agreements_within_the_bounds(text: str) -> None:
    _only_sla_errors(text)


@pytest.mark.parametrize(
    ("start", "term"),
    [
        ("0002-01-01", "12 months"),
        ("0002-01-01", "100 years"),
        ("9897-01-01", "100 years"),
        ("9998-01-01", "12 months"),
    ],
)
@pytest.mark.parametrize("hours", ["24x7", "mon-fri 08:00-18:00; holidays DE"])
def test_agreements_at_the_ends_of_the_days_sla_counts_run_every_job(
    start: str, term: str, hours: str
) -> None:
    text = BOUNDS_BASE.replace("start 2027-01-01; term 12 months", f"start {start}; term {term}")
    text = text.replace("hours mon-fri 08:00-18:00", f"hours {hours}")
    # A calendar of its own: sla.clock shares one timeline per calendar, and one grown from 2027
    # down to the year 2 would hold two thousand years of holidays.
    _all_jobs(text.replace("office", f"edge_{start[:4]}"))


def test_a_deadline_past_the_years_the_clock_counts_is_an_sla_error() -> None:
    text = BOUNDS_BASE.replace("start 2027-01-01", "start 9998-01-01").replace(
        "response 1h", "response 36525d"
    )
    text = text.replace("office", "late").replace("resolution 4h", "resolution 36525d")
    with pytest.raises(sla.SlaError) as excinfo:
        _all_jobs(text)
    assert "SLA030" in {d.code for d in excinfo.value.diagnostics}


# --- worklogs and service-desk exports ------------------------------------------------------------

EXAMPLES = Path(__file__).parent.parent / "examples"
CSV_SEEDS = {
    "worklog": (EXAMPLES / "worklog.csv").read_bytes(),
    **{
        name: (EXAMPLES / "compliance" / f"{name}.csv").read_bytes()
        for name in ("tickets", "events", "outages")
    },
}
_CELLS = [
    b'"',
    b'""',
    b",",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b";",
    b"\t",
    b"9" * 5000,
    b"1e999999999",
    b"0001",
    b"9999",
]


def _mutate_csv(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    """Byte edits, truncations, quotes, huge cells, NUL bytes, other digits and other encodings."""
    for op, at, pick in ops:
        i = at % (len(data) + 1)
        if op == 0:  # replace a byte
            data = data[:i] + _CELLS[pick % len(_CELLS)] + data[i + 1 :]
        elif op == 1:  # insert
            data = data[:i] + _CELLS[pick % len(_CELLS)] + data[i:]
        elif op == 2:  # cut a piece out, or truncate
            data = data[:i] + (data[i + pick % 200 :] if pick % 3 else b"")
        elif op == 3:  # a cell over the csv module's field size limit, or of a megabyte
            data = data[:i] + b"x" * (200_000 if pick % 2 else 1 << 20) + data[i:]
        elif op == 4:  # a year far out, a digit of another script
            data = data.replace(b"2027", [b"0001", b"9999", "২০২৭".encode()][pick % 3], 1 + pick % 3)
        else:  # another encoding
            text = data.decode("utf-8", "replace").replace("e", "é", 1 + pick % 5)
            data = text.encode(["utf-16", "latin-1", "cp1252", "utf-8-sig"][pick % 4], "replace")
    return data


_csv_ops = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=4
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=_csv_ops)
def test_mutated_worklogs_raise_only_sla_error(tmp_path: Path, ops: list[tuple[int, int, int]]) -> None:
    from sla.billing import to_csv, to_dict
    from sla.jsonout import to_json

    path = tmp_path / "worklog.csv"
    path.write_bytes(_mutate_csv(CSV_SEEDS["worklog"], ops))
    try:
        bill = sla.bill(str(EXAMPLES / "break-fix.sla"), str(path))
    except sla.SlaError as exc:
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)
        return
    assert bill.rows_read == len(bill.entries) + len(bill.problems)
    to_json(to_dict(bill))
    to_csv(bill)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(kind=st.sampled_from(["tickets", "events", "outages"]), ops=_csv_ops)
def test_mutated_exports_raise_only_sla_error(
    tmp_path: Path, kind: str, ops: list[tuple[int, int, int]]
) -> None:
    from sla.comply import InputError, json_chunks

    files = {name: tmp_path / f"{name}.csv" for name in ("tickets", "events", "outages")}
    for name, path in files.items():
        path.write_bytes(_mutate_csv(CSV_SEEDS[name], ops) if name == kind else CSV_SEEDS[name])
    try:
        result = sla.comply(
            str(EXAMPLES / "managed.sla"), files["tickets"], events=files["events"], outages=files["outages"]
        )
    except sla.SlaError as exc:  # InputError is one
        assert isinstance(exc, InputError) and exc.diagnostics[0].message
        return
    report = result.report
    assert report.read == report.used + len(report.unusable)
    "".join(json_chunks(report))
