"""The lexer's patterns match what they always matched, in time and memory linear in the token."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from sla import parser
from tests.conftest import ROOT

# The patterns as they were before their repeated groups became possessive: the same language,
# but Python's re kept an entry for every repetition (gigabytes for one long token).
BEFORE = {
    "DURATION": r"\d+[wdhm](\d+[wdhm])*",
    "STRING": r'"(?:[^"\\\n\r]|\\[^\n\r])*"',
    "_COMMA": r",([ \t\f\r]*(#[^\n]*)?\n)*[ \t\f\r]*",
    "_SEP": r"[;\n]([ \t\f\r;\n]|#[^\n]*)*",
}
COMMENTS_BEFORE = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"?|#[^\n]*')


def _now() -> dict[str, re.Pattern[str]]:
    terminals = {t.name: t for t in parser.get_parser().terminals}
    return {name: re.compile(terminals[name].pattern.to_regexp()) for name in BEFORE}


NOW = _now()
ALPHABET = ' \t\f\r\n;#"\\,x1dhmw9.'


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24), st.sampled_from(sorted(BEFORE)))
def test_each_pattern_matches_the_same_text_as_before(text: str, name: str) -> None:
    before = re.compile(BEFORE[name]).match(text)
    now = NOW[name].match(text)
    assert (before and before.group()) == (now and now.group())


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_comments_are_found_as_before(text: str) -> None:
    before = [(m.start(), m.group()) for m in COMMENTS_BEFORE.finditer(text)]
    now = [(m.start(), m.group()) for m in parser._STRING_OR_COMMENT.finditer(text)]
    assert before == now


# One long token, matched in a child process whose address space is capped: before, each of
# these took 300 to 900 MB per million characters.
LONG_TOKENS = {
    "_SEP": "'\\n' * N",
    "_SEP of comment lines": "'\\n' + '#\\n' * (N // 2)",
    "_SEP of semicolons": "';' * N",
    "STRING": "'\"' + 'x' * N + '\"'",
    "STRING of escapes": "'\"' + '\\\\\\\\' * (N // 2) + '\"'",
    "unterminated STRING": "'\"' + 'x' * N",
    "_COMMA": "',' + ' \\n' * (N // 2)",
    "DURATION": "'1d' * (N // 2)",
}
_CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from sla.parser import get_parser
N = 2_000_000
text = {text}
pattern = get_parser().parser.lexer.pattern
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
m = pattern.match(text)
print(m.end() if m else 0, time.perf_counter() - start,
      (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


def test_one_long_token_takes_no_memory_beyond_its_text() -> None:
    for name, text in LONG_TOKENS.items():
        code = _CHILD.format(limit=1 << 30, text=text)
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PYTHONPATH": str(ROOT)},
            check=False,
        )
        assert done.returncode == 0, f"{name}: {done.stderr[-500:]}"
        end, seconds, grown_mb = done.stdout.split()
        assert float(seconds) < 1 and float(grown_mb) < 16, f"{name}: {seconds} s, {grown_mb} MB"
        assert int(end) > 1_000_000 or name == "unterminated STRING", name
