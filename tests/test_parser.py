"""The parser comes from tables shipped as plain JSON: current, equal to the grammar's, never from a cache."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sla import parser
from tests.conftest import ROOT

GRAMMAR = parser.grammar_path().read_text(encoding="utf-8")
SAMPLES = sorted((ROOT / "examples").glob("*.sla")) + sorted((ROOT / "tests" / "data").rglob("*.sla"))


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def test_the_shipped_tables_are_made_from_the_grammar() -> None:
    shipped = parser.tables_path().read_text(encoding="utf-8")
    assert shipped == parser.tables_text(GRAMMAR), (
        "the grammar changed: run python -m sla.parser --regenerate"
    )


def test_the_tables_are_the_same_bytes_whatever_the_string_hashing() -> None:
    # lark numbers its states after Python's string hashing: another seed must not change a byte
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "sla.parser", "--check"],
            env=_env(PYTHONHASHSEED=seed),
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_parser_is_loaded_from_the_tables_not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(grammar: str) -> None:
        raise AssertionError("the grammar was analysed although the tables are current")

    monkeypatch.setattr(parser, "_build", refuse)
    assert parser.get_parser.__wrapped__().parse('agreement "X" {}\n')


def _shape(node: Any) -> str:
    """A tree as text with every token's place; rule names as plain strings (lark's are tokens)."""
    from lark import Token

    if isinstance(node, Token):
        return f"{node.type}:{node.value!r}@{node.line}:{node.column}-{node.end_line}:{node.end_column}"
    return f"{node.data!s}(" + " ".join(_shape(child) for child in node.children) + ")"


def _outcome(p: Any, text: str) -> str:
    from lark.exceptions import UnexpectedInput

    try:
        return _shape(p.parse(text))
    except UnexpectedInput as exc:
        expected = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()
        return f"{type(exc).__name__} {exc.line}:{exc.column} {sorted(expected)}"


def test_the_loaded_parser_reads_every_sample_as_the_built_one_does() -> None:
    loaded = parser._from_tables(GRAMMAR, parser.tables_path())
    built = parser._build(GRAMMAR)
    assert loaded is not None and len(SAMPLES) > 20
    for path in SAMPLES:
        text = path.read_bytes().decode("utf-8", "replace")
        for variant in (text, text.replace("}", "", 1), text.replace("\n", " ; priority {\n", 1)):
            assert _outcome(loaded, variant) == _outcome(built, variant), path


# ---------------------------------------------------------------------------- hostile table files


def _tables() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(parser.tables_path().read_text(encoding="utf-8"))
    return doc


def _bent(change: str) -> Any:
    doc = _tables()
    if change == "shift to a missing state":
        doc["states"][0][0] = [doc["states"][0][0][0], 0, len(doc["states"])]
    elif change == "reduce by a missing rule":
        doc["states"][1][0] = [doc["states"][1][0][0], 1, len(doc["rules"])]
    elif change == "a boolean for a number":
        doc["states"][0][0][1] = False
    elif change == "an unknown symbol":
        doc["rules"][0][1][0] = "NOWHERE"
    elif change == "a terminal twice":
        doc["terminals"].append(doc["terminals"][0])
    elif change == "another grammar":
        doc["grammar_sha256"] = "0" * 64
    elif change == "a missing key":
        del doc["states"]
    elif change == "a short row":
        doc["rules"][0] = doc["rules"][0][:3]
    elif change == "objects where lists go":
        doc["terminals"] = {"DATE": doc["terminals"][0]}
    return doc


CHANGES = [
    "shift to a missing state",
    "reduce by a missing rule",
    "a boolean for a number",
    "an unknown symbol",
    "a terminal twice",
    "another grammar",
    "a missing key",
    "a short row",
    "objects where lists go",
]


@pytest.mark.parametrize("change", CHANGES)
def test_tables_of_the_wrong_shape_are_ignored(tmp_path: Path, change: str) -> None:
    path = tmp_path / "parse_tables.json"
    path.write_text(json.dumps(_bent(change)), encoding="utf-8")
    assert parser._from_tables(GRAMMAR, path) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"null", b"[]", b"{}", b'"tables"', b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b'{"format":'],
)
def test_files_that_are_not_tables_are_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "parse_tables.json"
    path.write_bytes(content)
    assert parser._from_tables(GRAMMAR, path) is None


def test_a_symlink_fifo_device_folder_or_huge_file_is_ignored_at_once(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(parser.tables_path().read_bytes())
    assert parser._from_tables(GRAMMAR, good) is not None
    link = tmp_path / "link.json"
    link.symlink_to(good)  # even to good tables: a link in a writable place may point anywhere
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    start = time.monotonic()
    for path in (link, fifo, Path("/dev/zero"), Path("/dev/null"), tmp_path, huge, tmp_path / "absent.json"):
        assert parser._from_tables(GRAMMAR, path) is None, path
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("kind", ["fifo", "wrong shape", "symlink to /dev/zero"])
def test_the_parser_is_built_from_the_grammar_when_the_tables_are_bad(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = tmp_path / "parse_tables.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "wrong shape":
        path.write_text(json.dumps(_bent("shift to a missing state")), encoding="utf-8")
    else:
        path.symlink_to("/dev/zero")
    monkeypatch.setattr(parser, "tables_path", lambda: path)
    tree = parser.get_parser.__wrapped__().parse('agreement "X" { id "A-1" }\n')
    assert tree.data == "start"


def test_a_crafted_cache_file_runs_no_code(tmp_path: Path) -> None:
    """Before, lark unpickled `$XDG_CACHE_HOME/sla/parser.lark-cache` (checking its hash only
    afterwards): whoever could write there ran code in the next `sla` command."""
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.mkdir, (str(marker),))

    cache = tmp_path / "cache" / "sla"
    cache.mkdir(parents=True)
    for name in ("parser.lark-cache", "parse_tables.json", "parser.json", "reference.json"):
        (cache / name).write_bytes(b"0\n" + pickle.dumps(Payload()))
    done = subprocess.run(
        [sys.executable, "-m", "sla", "check", str(ROOT / "examples" / "managed.sla")],
        env=_env(XDG_CACHE_HOME=str(tmp_path / "cache")),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not marker.exists()


def test_regenerate_and_check_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "parse_tables.json"
    monkeypatch.setattr(parser, "tables_path", lambda: target)
    assert parser._main(["--check"]) == 1
    assert parser._main(["--regenerate"]) == 0
    assert target.read_text(encoding="utf-8") == parser.tables_text(GRAMMAR)
    assert parser._main(["--check"]) == 0
    assert parser._main([]) == 2
