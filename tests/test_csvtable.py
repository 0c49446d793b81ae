"""The CSV room (sla.csvtable): number cells, separators, headers, numbered rows, unreadable files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla.csvtable import AmbiguousNumber, CsvProblem, number, open_csv, read_csv

D = Decimal

# -- number cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", "1.5"),
        ("35.00", "35.00"),
        ("1,234.50", "1234.50"),
        ("12,345", "12345"),
        ("1,234,567.8", "1234567.8"),
        ("0", "0"),
        (" 18 ", "18"),
        (".5", "0.5"),
        ("5.", "5"),
        ("-5.00", "-5.00"),
        ("+3", "3"),
        ("1234", "1234"),
    ],
)
def test_a_point_is_the_decimal_mark_and_a_comma_groups_thousands(text: str, value: str) -> None:
    assert number(text) == D(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5", "1.5"),
        ("1.234,5", "1234.5"),
        ("12.345", "12345"),
        ("1.234.567,89", "1234567.89"),
        ("35,00", "35.00"),
        ("7", "7"),
        ("-0,25", "-0.25"),
    ],
)
def test_a_decimal_comma_when_chosen(text: str, value: str) -> None:
    assert number(text, decimal=",") == D(value)


@pytest.mark.parametrize("text", ["1,5", "1,23", "1,2345", "1.234,5", "0,5", "1234,567", "1,234,56", ",5"])
def test_any_other_comma_is_ambiguous(text: str) -> None:
    with pytest.raises(
        AmbiguousNumber, match=r"is ambiguous: ',' may only group thousands \(1,234.5\); write 1.5"
    ):
        number(text)


@pytest.mark.parametrize("text", ["1.5", "1.23", "1.2345", "1,234.5"])
def test_with_a_decimal_comma_any_other_point_is_ambiguous(text: str) -> None:
    with pytest.raises(AmbiguousNumber, match=r"'\.' may only group thousands \(1.234,5\); write 1,5"):
        number(text, decimal=",")


@pytest.mark.parametrize(
    "text",
    [
        "1e3",
        "1E3",
        "NaN",
        "nan",
        "inf",
        "-Infinity",
        "١٢",
        "１２",
        "1_000",
        "1 000",
        "",
        "abc",
        "1.2.3",
        "--1",
        "0x10",
        "12%",
    ],
)
def test_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number") as caught:
        number(text)
    assert not isinstance(caught.value, AmbiguousNumber)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9))
def test_numbers_written_with_grouping_read_back(value: Decimal) -> None:
    english = f"{value:,f}"
    assert number(english) == value
    german = english.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert number(german, decimal=",") == value


# -- tables ---------------------------------------------------------------------------------------


def test_rows_are_numbered_by_the_line_they_start_on(tmp_path: Path) -> None:
    text = 'a;b\n1;2\n\n;\n  ;  \n"x\ny";3\n4;5;6\n'
    table = read_csv(text)
    assert (table.delimiter, table.header, table.header_row) == (";", ["a", "b"], 1)
    rows = list(table.rows())
    assert rows == [(2, ["1", "2"]), (6, ["x\ny", "3"]), (8, ["4", "5", "6"])]
    assert table.ragged(rows[-1][1]) == "has 3 fields where the header has 2"


def test_headers_are_found_as_written_or_normalised() -> None:
    table = read_csv("Ticket ID,Opened At,opened_at\n")
    assert table.column("Ticket ID") == 0 and table.column("ticket_id") == 0
    assert table.column("opened_at") == 2 and table.column("opened_at", as_written=False) == 1
    assert table.column("nope", "OPENED-AT") == 1 and table.column("nope") is None


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", "empty"),
        (b" \r\n\t", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\x89PNG\x00\x00", "binary"),
        ("a,b\n".encode("utf-16"), "utf16"),
        (b",,,\n , \n", "headless"),
    ],
)
def test_files_that_are_no_csv(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(CsvProblem) as caught:
        open_csv(str(path))
    assert caught.value.kind == kind


def test_files_that_cannot_be_opened(tmp_path: Path) -> None:
    for path, kind in ((tmp_path, "folder"), (tmp_path / "nope.csv", "missing")):
        with pytest.raises(CsvProblem) as caught:
            open_csv(str(path))
        assert caught.value.kind == kind


def test_encodings(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffname;wert\nä;1\n".encode())
    table = open_csv(str(path))
    assert (table.header, list(table.rows())) == (["name", "wert"], [(2, ["ä", "1"])])
    table.close()
    path.write_bytes("name,wert\nä,1\n".encode("utf-16"))
    table = open_csv(str(path), encoding="utf-16")
    assert list(table.rows()) == [(2, ["ä", "1"])]
    table.close()
    path.write_bytes(b"name,wert\n" + b"a,1\n" * 10_000 + b"\xe4,1\n")  # decoded in chunks: near the line
    table = open_csv(str(path))
    with pytest.raises(CsvProblem) as caught:
        list(table.rows())
    table.close()
    assert (caught.value.kind, caught.value.detail, caught.value.header) == ("decode", "0xe4", False)
    assert 1 < (caught.value.line or 0) <= 10_002


def test_a_csv_error_names_its_line() -> None:
    table = read_csv("a,b\n1,2\n" + '"' + "x" * 200_000 + '"\n')
    with pytest.raises(CsvProblem) as caught:
        list(table.rows())
    assert (caught.value.kind, caught.value.line) == ("csv", 3)
    assert "field larger than field limit" in caught.value.detail
