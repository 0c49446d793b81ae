"""Reading a named file, FIFO, device or stream stops one byte past the size limit."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sla import SlaError
from sla.loader import read_bytes, read_stream
from tests.conftest import ROOT


class Endless(io.RawIOBase):
    """A stream that never ends, and counts what was taken from it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), 65536)  # as a pipe gives it: a little at a time
        buffer[:n] = b"\n" * n
        self.taken += n
        return n


def test_a_stream_is_read_to_its_end_within_the_limit() -> None:
    assert read_stream(io.BytesIO(b"agreement")) == b"agreement"
    assert read_stream(io.BytesIO(b"")) == b""


def test_an_endless_stream_is_refused_one_byte_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLA_MAX_BYTES", "1000000")
    endless = Endless()
    with pytest.raises(SlaError) as caught:
        read_stream(io.BufferedReader(endless), "<stdin>")  # as sys.stdin.buffer is
    [d] = caught.value.diagnostics
    assert (d.code, d.message) == ("SLA006", "the file is over the 1,000,000 bytes limit")
    assert d.span is not None and d.span.file == "<stdin>"
    assert 1_000_001 <= endless.taken <= 1_000_001 + 65536


def test_a_stream_exactly_at_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLA_MAX_BYTES", "100")
    assert read_stream(io.BytesIO(b"x" * 100)) == b"x" * 100
    with pytest.raises(SlaError):
        read_stream(io.BytesIO(b"x" * 101))


def test_a_device_that_never_ends_is_refused() -> None:
    with pytest.raises(SlaError) as caught:
        read_bytes("/dev/zero")
    assert caught.value.diagnostics[0].code == "SLA006"


def test_a_fifo_is_read_while_it_is_written_and_refused_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLA_MAX_BYTES", "100000")
    fifo = tmp_path / "in.sla"
    os.mkfifo(fifo)

    def write(size: int) -> None:
        try:
            with open(fifo, "wb") as fh:
                fh.write(b"#" * size)
        except BrokenPipeError:  # the reader stopped at the limit, as it should
            pass

    for size, refused in ((50_000, False), (10_000_000, True)):
        writer = threading.Thread(target=write, args=(size,), daemon=True)
        writer.start()
        if refused:
            with pytest.raises(SlaError):
                read_bytes(fifo)
        else:
            assert read_bytes(fifo) == b"#" * size
        writer.join(timeout=10)


def test_a_regular_file_over_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.sla"
    with open(path, "wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    with pytest.raises(SlaError) as caught:
        read_bytes(path)
    assert caught.value.diagnostics[0].message == "the file is 20 MiB, over the 10 MiB limit"


def test_sla_check_of_dev_zero_is_refused_quickly() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _UNDER_A_MEMORY_LIMIT, "check", "/dev/zero"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "SLA006" in done.stdout and "over the 10 MiB limit" in done.stdout


# `sla` under a 1 GiB address-space limit, so that a regression fails instead of eating the machine.
_UNDER_A_MEMORY_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from sla.cli import run
sys.argv = ["sla", *sys.argv[1:]]
run()
"""
