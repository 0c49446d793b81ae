"""Files in writable places are read as plain data, never followed, waited on or read without end."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sla import reference
from sla.resources import read_plain_file


def test_a_small_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 100)
    assert read_plain_file(path, 100) == b"x" * 100
    assert read_plain_file(path, 99) is None


def test_links_fifos_devices_folders_and_missing_files_are_refused_at_once(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("secret")
    link = tmp_path / "link"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    start = time.monotonic()
    for path in (link, fifo, Path("/dev/zero"), Path("/dev/null"), tmp_path, tmp_path / "absent", "a\0b"):
        assert read_plain_file(path, 1 << 20) is None, path
    assert time.monotonic() - start < 1


def test_a_file_that_grows_while_read_is_cut_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "grows"
    path.write_bytes(b"x" * 10)
    with open(path, "ab") as writer:
        writer.write(b"y" * 10)  # st_size said 10 when asked; reading must not trust it
        writer.flush()
        assert read_plain_file(path, 15) is None
        assert read_plain_file(path, 20) == b"x" * 10 + b"y" * 10


# ---------------------------------------------------------------------------- the reference cache


@pytest.fixture
def cache_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "reference.json"
    monkeypatch.setattr(reference, "_cache_path", lambda: str(path))
    monkeypatch.setattr(reference, "_shipped", lambda: None)  # as when other versions are installed
    reference._data.cache_clear()
    yield path
    reference._data.cache_clear()


def test_the_reference_lists_are_cached_and_read_back(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = reference._data()
    assert cache_file.is_file() and json.loads(cache_file.read_text()) == first
    reference._data.cache_clear()
    monkeypatch.setattr(reference, "_compute", lambda: pytest.fail("computed although the cache is good"))
    assert reference._data() == first


BAD = {
    "not json": b"\x80\x81 not json",
    "a list": b"[]",
    "a key missing": json.dumps({"currencies": {"EUR": 2}, "countries": ["DE"]}).encode(),
    "a key too many": json.dumps({"currencies": {}, "countries": [], "subdivisions": {}, "x": 1}).encode(),
    "digits as text": json.dumps({"currencies": {"EUR": "2"}, "countries": [], "subdivisions": {}}).encode(),
    "digits as a boolean": json.dumps(
        {"currencies": {"EUR": True}, "countries": [], "subdivisions": {}}
    ).encode(),
    "absurd digits": json.dumps({"currencies": {"EUR": 10**9}, "countries": [], "subdivisions": {}}).encode(),
    "countries as text": json.dumps({"currencies": {}, "countries": "DE", "subdivisions": {}}).encode(),
    "a number for a subdivision": json.dumps(
        {"currencies": {}, "countries": [], "subdivisions": {"DE": [1]}}
    ).encode(),
    "deep nesting": b"[" * 200_000 + b"]" * 200_000,
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_reference_cache_of_the_wrong_shape_is_rebuilt(cache_file: Path, kind: str) -> None:
    cache_file.write_bytes(BAD[kind])
    assert reference.minor_digits("JPY") == 0 and reference.minor_digits("EUR") == 2
    assert reference.holiday_region_problem("DE-BY") is None
    assert json.loads(cache_file.read_text())["currencies"]["EUR"] == 2  # rewritten


@pytest.mark.parametrize("kind", ["symlink to a secret", "symlink to /dev/zero", "fifo", "huge", "folder"])
def test_a_reference_cache_that_is_not_a_small_regular_file_is_ignored(
    cache_file: Path, tmp_path: Path, kind: str
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"currencies": {"EUR": 5}, "countries": [], "subdivisions": {}}))
    if kind == "symlink to a secret":
        cache_file.symlink_to(secret)
    elif kind == "symlink to /dev/zero":
        cache_file.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(cache_file)
    elif kind == "huge":
        cache_file.write_text(" " * (2 << 20) + secret.read_text())
    else:
        cache_file.mkdir()
    start = time.monotonic()
    assert reference.minor_digits("EUR") == 2
    assert time.monotonic() - start < 10
    assert json.loads(secret.read_text())["currencies"]["EUR"] == 5  # never written through a link
