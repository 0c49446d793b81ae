"""The parser's own loop reads every text as lark's parser does: the same models, positions and
diagnostics, and lark's error where the text does not parse."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree

from sla import model as m
from sla import parser
from sla.diagnostics import SlaError, Span
from sla.transform import ModelBuilder, _new, build
from sla.values import Money, Period
from tests.conftest import ROOT
from tests.strategies import layouts

SAMPLES = sorted((ROOT / "examples").glob("*.sla")) + sorted((ROOT / "tests" / "data").rglob("*.sla"))


def _dumped(result: m.SlaFile) -> dict[str, Any]:
    return result.model_dump(mode="json", context={"spans": True})  # positions compared too


def _through_lark(text: str, file: str | None) -> object:
    """What `build` gave before the loop: lark's parser, each node finished as it is reduced."""
    builder = ModelBuilder(file)
    try:
        result = builder.finish(parser.parse_tree(text, file, builder.finish))
    except SlaError as exc:
        return exc.diagnostics
    return builder.diagnostics or _dumped(result)


def _through_loop(text: str, file: str | None) -> object:
    try:
        return _dumped(build(text, file))
    except SlaError as exc:
        return exc.diagnostics


def _variants(text: str) -> list[str]:
    return [
        text,
        text.replace("}", "", 1),  # a block left open
        text.replace("\n", " ; priority {\n", 1),  # a statement where none goes
        text.replace("1", "1.5", 3),  # whole numbers that are not
        text.replace("h", "x", 5),  # words and durations misspelt
        text.replace("\n", "\r\n"),
        text[: len(text) // 2],
    ]


def test_every_sample_and_its_broken_variants_read_as_through_lark() -> None:
    assert len(SAMPLES) > 20
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        for variant in _variants(text):
            assert _through_loop(variant, str(path)) == _through_lark(variant, str(path)), path


# Words and marks that break a text in the ways people do.
_INSERTS = [
    "}",
    "{",
    ";",
    "\n",
    '"',
    "#",
    ",",
    "1.5x",
    "99.9%",
    "2027-02-30",
    "agreement",
    "fees",
    "per",
    "Ω",
    "٣",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(), st.data())
def test_generated_agreements_read_as_through_lark(text: str, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["as written", "cut", "inserted", "deleted"]))
    at = data.draw(st.integers(0, len(text)))
    if kind == "cut":
        text = text[:at]
    elif kind == "inserted":
        text = text[:at] + data.draw(st.sampled_from(_INSERTS)) + text[at:]
    elif kind == "deleted":
        text = text[:at] + text[at + data.draw(st.integers(1, 12)) :]
    assert _through_loop(text, "x.sla") == _through_lark(text, "x.sla")


def test_a_text_that_parses_never_reaches_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("lark's parser was run")

    monkeypatch.setattr(parser, "parse_tree", refuse)
    for path in sorted((ROOT / "examples").glob("*.sla")):
        assert isinstance(build(path.read_text(encoding="utf-8"), str(path)), m.SlaFile)


def test_the_loop_stops_where_the_text_does_not_parse() -> None:
    builder = ModelBuilder(None)
    for text in ('agreement "A" {\n', 'agreement "A" { id }\n', "agreement ~\n", '"'):
        with pytest.raises(parser.Unexpected):
            parser.reduce_text(text, builder.handler, parser.Lines(text))


# ---------------------------------------------------------------------------- positions


def _same_tree(ours: Any, lark: Any) -> None:
    """A tree from the loop (every rule without a handler) against lark's: the same nodes with
    the same positions, the same tokens at the same offsets."""
    if isinstance(lark, Token):
        assert isinstance(ours, Token)
        assert (ours.type, ours.value, ours.start_pos, ours.end_pos) == (
            lark.type,
            lark.value,
            lark.start_pos,
            lark.end_pos,
        )
        return
    assert isinstance(ours, Tree) and isinstance(lark, Tree)
    assert ours.data == lark.data and len(ours.children) == len(lark.children)
    assert ours.meta.empty == lark.meta.empty
    if not lark.meta.empty:
        keys = ("line", "column", "end_line", "end_column", "start_pos", "end_pos")
        assert [getattr(ours.meta, k) for k in keys] == [getattr(lark.meta, k) for k in keys]
    for a, b in zip(ours.children, lark.children, strict=True):
        _same_tree(a, b)


def test_nodes_without_a_handler_are_lark_trees_with_lark_positions() -> None:
    for text in [
        "",
        "# only a comment\n\n",
        *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.sla"))),
    ]:
        ours = parser.reduce_text(text, lambda rule: None, parser.Lines(text))
        _same_tree(ours, parser.parse_tree(text))


def test_lines_give_the_spans_lark_gives() -> None:
    text = 'ab\ncd\n\nxyz\n"é"'
    lines = parser.Lines(text)
    assert lines.span(3, 9, "f") == Span(file="f", line=2, column=1, end_line=4, end_column=3)
    assert lines.span(0, 0, None) == Span(line=1, column=1, end_line=1, end_column=1)
    assert lines.span(6, 7, None) == Span(line=3, column=1, end_line=4, end_column=1)
    assert lines.span(11, 14, None) == Span(line=5, column=1, end_line=5, end_column=4)
    made = lines.span(3, 9, "f")
    assert hash(made) == hash(Span(file="f", line=2, column=1, end_line=4, end_column=3))
    assert repr(made) == repr(Span(file="f", line=2, column=1, end_line=4, end_column=3))


# ---------------------------------------------------------------------------- models


def _models() -> list[type[Any]]:
    found = [c for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Node)]
    return [*found, Money, Period]


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_a_model_made_quickly_is_the_one_model_construct_makes(data: st.DataObject) -> None:
    span = Span(line=1, column=1, end_line=1, end_column=2)
    for cls in _models():
        fields = list(cls.__pydantic_fields__)
        chosen = data.draw(st.lists(st.sampled_from(fields), unique=True), label=cls.__name__)
        values = {name: span if name == "span" else f"value of {name}" for name in chosen}
        if data.draw(st.booleans()):
            values["not_a_field"] = 1  # model_construct drops it: so must we
        ours, theirs = _new(cls, **values), cls.model_construct(**values)
        assert type(ours) is type(theirs)
        assert list(ours.__dict__.items()) == list(theirs.__dict__.items())  # the order too
        assert ours.__pydantic_fields_set__ == theirs.__pydantic_fields_set__
        assert ours.__pydantic_extra__ == theirs.__pydantic_extra__
        assert ours.__pydantic_private__ == theirs.__pydantic_private__
        for name, value in ours.__dict__.items():
            if isinstance(value, dict) and name not in values:
                assert value is not cls.__pydantic_fields__[name].default  # a default of its own


# ---------------------------------------------------------------------------- the lexer's pattern


def _scan(pattern: Any, text: str) -> list[tuple[str | None, int, int]]:
    """Every match of the pattern from the start, one after another, as (terminal, start, end)."""
    found, pos = [], 0
    while pos < len(text):
        m = pattern.match(text, pos)
        if m is None:
            found.append((None, pos, pos))
            break
        found.append((m.lastgroup, pos, m.end()))
        pos = m.end()
    return found


def _named_around(lexer: Any) -> Any:
    """The lexer's pattern as lark writes one: each terminal's pattern inside its named group."""
    import re

    return re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in lexer.terminals))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(), st.text(max_size=30))
def test_names_after_the_patterns_match_as_names_around_them(text: str, noise: str) -> None:
    lexer = parser.get_parser().parser.lexer
    around = _named_around(lexer)
    for sample in (text, text[: len(text) // 2] + noise + text[len(text) // 2 :]):
        assert _scan(lexer.pattern, sample) == _scan(around, sample)


def test_names_after_the_patterns_match_every_sample_as_names_around_them() -> None:
    lexer = parser.get_parser().parser.lexer
    around = _named_around(lexer)
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _scan(lexer.pattern, text) == _scan(around, text), path
