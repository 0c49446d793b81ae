"""Fuzzing: whatever the input, the library raises nothing but SlaError."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sla
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
