"""Diagnostics as text: a bounded window of a long line, a bounded count per file, linear time."""

from __future__ import annotations

import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from sla.diagnostics import Diagnostic, Span
from sla.report import HUMAN_LIMIT, _Lines, human, to_json, to_sarif


def _at(
    line: int, column: int, end: int | None = None, file: str = "a.sla", message: str = "bad"
) -> Diagnostic:
    span = Span(file=file, line=line, column=column, end_line=line, end_column=end or column + 1)
    return Diagnostic("SLA001", "error", message, span, "a hint")


def test_a_short_line_is_printed_whole_with_the_caret_under_the_span() -> None:
    text = 'agreement "X" {\n\tcurrency EUX\n}\n'
    assert human([_at(2, 11, 14)], {"a.sla": text}.get) == (
        "a.sla:2:11: error SLA001: bad\n 2 |  currency EUX\n   |           ^^^\n  hint: a hint"
    )


def test_a_span_running_onto_the_next_line_is_underlined_to_the_end_of_its_first() -> None:
    d = Diagnostic("SLA002", "error", "open", Span(file="a.sla", line=1, column=3, end_line=2, end_column=2))
    assert human([d], {"a.sla": "ab{cd\n}\n"}.get).splitlines()[-1] == "   |   ^^^"


def test_lines_outside_the_text_or_a_missing_text_print_no_excerpt() -> None:
    for line in (0, 4):
        assert (
            human([_at(line, 1)], {"a.sla": "a\nb\n"}.get)
            == f"a.sla:{line}:1: error SLA001: bad\n  hint: a hint"
        )
    nothing: dict[str, str] = {}
    assert human([_at(1, 1)], nothing.get) == "a.sla:1:1: error SLA001: bad\n  hint: a hint"
    assert human([_at(1, 1)], {"a.sla": ""}.get).splitlines()[1] == " 1 | "


def test_a_long_line_is_shown_as_a_window_around_the_caret() -> None:
    line = "".join(f"{i:>9}," for i in range(10_000))  # 100,000 columns; column c shows c's number
    text = "x\n" + line + "\n"
    start, middle, end = human(
        [_at(2, 5, 8), _at(2, 50_001, 50_004), _at(2, 99_999, 100_002)], {"a.sla": text}.get
    ).split("a.sla:")[1:]
    assert start.splitlines()[1] == " 2 | " + line[:120] + "..."
    assert start.splitlines()[2] == "   | " + " " * 4 + "^^^"
    assert middle.splitlines()[1] == " 2 | ..." + line[49_960:50_080] + "..."
    assert middle.splitlines()[2] == "   | " + " " * 43 + "^^^"
    assert end.splitlines()[1] == " 2 | ..." + line[-120:]
    assert end.splitlines()[2] == "   | " + " " * (3 + 118) + "^^"  # the carets stop at the line's end


def test_at_most_a_hundred_diagnostics_of_a_file_are_printed_then_the_rest_are_counted() -> None:
    text = "\n".join(f"line {i}" for i in range(1000))
    diagnostics = [_at(i + 1, 1, file="a.sla") for i in range(250)] + [_at(1, 1, file="b.sla")]
    out = human(diagnostics, {"a.sla": text, "b.sla": text}.get)
    assert out.count("a.sla:") == HUMAN_LIMIT == 100
    assert out.count("b.sla:") == 1
    assert "a.sla:100:1:" in out and "a.sla:101:1:" not in out
    assert "\n... and 150 more in a.sla; sla check --format json lists them all\nb.sla:1:1:" in out
    assert len(json.loads(to_json(diagnostics, ["a.sla", "b.sla"]))["diagnostics"]) == 251
    assert len(json.loads(to_sarif(diagnostics))["runs"][0]["results"]) == 251


def test_a_very_long_message_is_cut_in_the_middle() -> None:
    d = _at(1, 1, message="the agreement '" + "x" * 1_000_000 + "' has no provider")
    first = human([d], {"a.sla": "x"}.get).splitlines()[0]
    assert len(first) < 500 and first.startswith("a.sla:1:1: error SLA001: the agreement 'xxx")
    assert first.endswith("xxx' has no provider") and " ... " in first


def test_a_million_diagnostics_on_one_long_line_print_in_linear_time() -> None:
    """Before, each diagnostic split the whole text again and printed the whole line:
    32,000 duplicates on a line took 48 s, and a million never finished."""
    line = 'id "x"; ' * 131_072  # 1 MiB on one line
    text = 'agreement "A" { ' + line + "}\n"
    diagnostics = [_at(1, 17 + 8 * i, 19 + 8 * i) for i in range(100)] + [_at(1, 25, 27)] * 999_900
    start = time.perf_counter()
    out = human(diagnostics, {"a.sla": text}.get)
    assert time.perf_counter() - start < 10
    assert len(out) < 100 * 400 and out.endswith(
        "... and 999,900 more in a.sla; sla check --format json lists them all"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n", max_size=12_000), st.integers(0, 4000))
def test_lines_are_found_as_splitting_would_find_them(text: str, line: int) -> None:
    lines = text.split("\n")
    where = _Lines(text).span(line)
    if 1 <= line <= len(lines):
        assert where is not None and text[where[0] : where[1]] == lines[line - 1]
    else:
        assert where is None


def test_control_characters_of_a_file_are_shown_not_sent_to_the_terminal() -> None:
    """An OSC sequence in a .sla file set the terminal's title when its line was printed."""
    line = 'title "\x1b]0;pwned\x07x" \x1b[2J; currency EUX'
    d = Diagnostic(
        "SLA004",
        "error",
        "'EUX' is not a currency code \x1b[8m",
        Span(file="a\x1b[31m.sla", line=1, column=len(line) - 2, end_line=1, end_column=len(line) + 1),
        "hint \x9b",
    )
    out = human([d], {"a\x1b[31m.sla": line + "\n"}.get)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert out.splitlines() == [
        "a\\x1b[31m.sla:1:36: error SLA004: 'EUX' is not a currency code \\x1b[8m",
        ' 1 | title "\\x1b]0;pwned\\x07x" \\x1b[2J; currency EUX',
        "   | " + " " * 44 + "^^^",
        "  hint: hint \\x9b",
    ]
    coloured = human([d], {"a\x1b[31m.sla": line}.get, colour=True)
    assert "\x1b]" not in coloured and "\x1b[2J" not in coloured and "\x1b[1;31m" in coloured


def test_carets_stay_under_a_span_of_control_characters_and_a_crlf_line_keeps_its_form() -> None:
    out = human([_at(1, 3, 5)], {"a.sla": "ab\x00\x01cd\r\nx\r\n"}.get).splitlines()
    assert out[1:3] == [" 1 | ab\\x00\\x01cd", "   |   ^^^^^^^^"]
