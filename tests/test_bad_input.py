"""Bad input is normal input: each case is accepted or refused with a clear diagnostic, fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import sla
from sla.loader import MAX_BYTES

GOOD = """agreement "X" {
  provider "P"; customer "C"; model break_fix; currency EUR; start 2027-01-01; term 12 months
  calendar office { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }
  fees { rate engineer 100.00 per hour }
}
"""


def _write(tmp_path: Path, data: bytes, name: str = "a.sla") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode())
    assert sla.check(path) == []


def test_crlf_and_tabs_are_accepted_with_the_same_positions(tmp_path: Path) -> None:
    crlf = GOOD.replace("\n", "\r\n").replace("  ", "\t")
    path = _write(tmp_path, crlf.encode())
    assert sla.check(path) == []
    bad = _write(tmp_path, crlf.replace("EUR", "EUX").encode(), "b.sla")
    [d] = sla.check(bad)
    assert (d.code, d.span.line, d.span.column) == ("SLA105", 2, 47)  # a tab is one column


def test_non_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("Europe/Berlin", "Europe/B\xe9rlin").encode("latin-1"))
    [d] = sla.check(path)
    assert (d.code, d.span.line, d.span.column) == ("SLA007", 3, 39)
    assert d.hint == "save the file as UTF-8"


def test_empty_file_is_a_warning(tmp_path: Path) -> None:
    [d] = sla.check(_write(tmp_path, b""))
    assert (d.code, d.severity) == ("SLA131", "warning")


def _fifty_mib(tmp_path: Path) -> Path:
    path = tmp_path / "big.sla"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return path


def test_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    [d] = sla.check(_fifty_mib(tmp_path))
    assert d.code == "SLA006"
    assert "over the 10 MiB limit" in d.message
    assert MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.slow
def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = _fifty_mib(tmp_path)
    start = time.perf_counter()
    [d] = sla.check(path)
    assert time.perf_counter() - start < 1
    assert d.code == "SLA006"


def test_size_limit_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, GOOD.encode())
    monkeypatch.setenv("SLA_MAX_BYTES", "100")
    assert sla.check(path)[0].code == "SLA006"
    monkeypatch.setenv("SLA_MAX_BYTES", "100000")
    assert sla.check(path) == []


def _priorities(n: int) -> str:
    prios = "\n".join(f"  priority P{i} {{ response {i + 1}m; resolution {i + 60}m }}" for i in range(n))
    return GOOD[: GOOD.rstrip().rfind("}")] + prios + "\n}\n"


def test_ten_thousand_priorities_are_checked() -> None:
    assert not [d for d in sla.check_text(_priorities(10_000)) if d.is_error]


@pytest.mark.slow
def test_ten_thousand_priorities_in_linear_time() -> None:
    def timed(n: int) -> float:
        t = time.perf_counter()
        assert not [d for d in sla.check_text(_priorities(n)) if d.is_error]
        return time.perf_counter() - t

    timed(100)
    small, large = timed(1000), timed(10000)
    assert large < 20 * small + 0.5  # 10x the input, well under 100x the time


def test_unterminated_string_points_at_the_quote() -> None:
    [d] = sla.check_text('agreement "X {\n}\n')
    assert (d.code, d.span.line, d.span.column, d.message) == ("SLA001", 1, 11, "unterminated string")


def test_impossible_date_names_the_month_length() -> None:
    [d] = sla.check_text(GOOD.replace("2027-01-01", "2027-02-30"))
    assert d.message == "2027-02-30 is not a date"
    assert d.hint == "February 2027 has 28 days"


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    diagnostics = sla.check(_write(tmp_path, bytes(range(256)) * 4))
    assert diagnostics and diagnostics[0].is_error


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert sla.check(tmp_path / "nope.sla")[0].code == "SLA008"
    assert sla.check(tmp_path)[0].code == "SLA008"


def test_deep_nesting_and_long_lines_do_not_crash() -> None:
    deep = 'agreement "x" {' * 5000
    assert sla.check_text(deep)[0].is_error
    long_line = GOOD.replace('"P"', '"' + "p" * 200_000 + '"')
    assert not [d for d in sla.check_text(long_line) if d.is_error]
