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


def test_a_csv_error_in_a_row_breaks_that_row_only() -> None:
    table = read_csv("a,b\n1,2\n" + '"' + "x" * 200_000 + '"\n3,4\n')
    assert list(table.rows()) == [(2, ["1", "2"]), (4, ["3", "4"])]
    assert table.broken == [(3, "a cell is longer than 131,072 characters, so line 3 was skipped")]


def test_a_csv_error_in_the_header_makes_the_file_unreadable() -> None:
    with pytest.raises(CsvProblem) as caught:
        read_csv('"' + "x" * 200_000 + '",b\n1,2\n')
    assert (caught.value.kind, caught.value.line, caught.value.header) == ("csv", 1, True)
    assert "field larger than field limit" in caught.value.detail


# -- records the csv module cannot read: each is a broken row, and the rows after it are read ------

NEVER_CLOSED = 'its quote (") is never closed, so {} were read as one cell and skipped; close the quote, and write a quote inside a cell as ""'


def test_an_unclosed_quote_at_the_end_is_a_broken_row_naming_the_lines_it_took() -> None:
    table = read_csv('a,b\n1,2\n3,"four\n5,6\n7,8\n')
    assert list(table.rows()) == [(2, ["1", "2"])]
    assert table.broken == [(3, NEVER_CLOSED.format("lines 3 to 5"))]


def test_an_unclosed_quote_on_the_last_line() -> None:
    table = read_csv('a,b\n1,2\n3,"four')
    assert list(table.rows()) == [(2, ["1", "2"])]
    assert table.broken == [
        (
            3,
            'its quote (") is never closed, so line 3 was skipped; close the quote, and write a quote inside a cell as ""',
        )
    ]


def test_a_quote_that_ends_a_cell_in_the_middle_breaks_the_rows_it_spans_and_no_more() -> None:
    # The quote opened on line 3 is taken to close on line 4, where text follows it: lines 3 and
    # 4 are one broken record; line 5 is read again.
    table = read_csv('a,b\n1,2\n3,"four\n5,"6" inches\n7,8\n')
    assert list(table.rows()) == [(2, ["1", "2"]), (5, ["7", "8"])]
    assert table.broken == [
        (
            3,
            (
                'a quote (") ends a cell in the middle on line 4, so lines 3 to 4 were skipped; '
                'write a quote inside a cell as ""'
            ),
        )
    ]


def test_quotes_written_correctly_are_read_as_before() -> None:
    table = read_csv('a,b\n1,"two, with ""quotes"" and\na line break"\n3,4 "inches"\n')
    assert list(table.rows()) == [
        (2, ["1", 'two, with "quotes" and\na line break']),
        (4, ["3", '4 "inches"']),
    ]
    assert table.broken == []


def test_a_megabyte_cell_breaks_its_row_only() -> None:
    table = read_csv("a,b\n1,2\n3," + "x" * (1 << 20) + "\n5,6\n")
    assert list(table.rows()) == [(2, ["1", "2"]), (4, ["5", "6"])]
    assert table.broken == [(3, "a cell is longer than 131,072 characters, so line 3 was skipped")]


def test_a_megabyte_quoted_cell_breaks_its_row_only(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('a,b\n1,2\n3,"' + "x" * (1 << 20) + '"\n5,6\n', encoding="utf-8")
    table = open_csv(str(path))
    assert list(table.rows()) == [(2, ["1", "2"]), (4, ["5", "6"])]
    assert table.broken == [(3, "a cell is longer than 131,072 characters, so line 3 was skipped")]
    table.close()


def test_the_reasons_of_other_csv_errors_name_their_lines() -> None:
    import csv

    table = read_csv("a,b\n1,2\n")
    list(table.rows())
    assert table.unreadable(csv.Error("something else"), 2) == (
        "cannot be read as CSV (something else), so line 2 was skipped"
    )
