"""Reading: a named file, FIFO, device or stream stops one byte past the size limit; a file sla
finds for itself (in a folder's walk, by an import) is read only when it is a regular file inside
the folder; imports nest without recursion; a pseudo-file's lines are never quoted."""

from __future__ import annotations

import inspect
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sla import SlaError
from sla.loader import MAX_IMPORT_DEPTH, Workspace, read_bytes, read_source, read_stream, walk
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


# ------------------------------------------------------------------------- what a diagnostic may quote


def test_a_regular_file_a_fifo_and_given_text_are_quoted_a_pseudo_file_and_a_device_are_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.sla"
    path.write_text("nonsense here\n")
    assert read_source(path).quotable
    assert not read_source("/proc/self/environ").quotable  # says 0 bytes, reads the environment
    assert not read_source("/dev/null").quotable
    fifo = tmp_path / "fifo.sla"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("x"), daemon=True)
    writer.start()
    assert read_source(fifo) == type(read_source(path))(b"x", True)  # a pipe the user set up
    writer.join(timeout=10)

    ws = Workspace()
    for named in (str(path), "/proc/self/environ"):
        ws.add(named)
    ws.add("given.sla", "nonsense too\n")
    assert ws.read == [str(path), "/proc/self/environ", "given.sla"]
    assert set(ws.texts) == {str(path), "given.sla"}
    assert {d.span.file for d in ws.diagnostics if d.span} == {str(path), "/proc/self/environ", "given.sla"}


def test_a_plain_read_refuses_a_fifo_a_link_and_a_pseudo_file_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.sla"
    os.mkfifo(fifo)  # no writer: an ordinary open would wait for ever
    link = tmp_path / "link.sla"
    link.symlink_to(tmp_path / "a.sla")
    (tmp_path / "a.sla").write_text("")
    for path, message in (
        (fifo, "is a FIFO, not a regular file"),
        (link, "cannot read the file: Too many levels of symbolic links"),
        ("/proc/self/environ", "is not a regular file: it read otherwise than its size"),
        ("/dev/zero", "is a device, not a regular file"),
    ):
        with pytest.raises(SlaError) as caught:
            read_source(path, plain=True)
        assert caught.value.diagnostics[0].message == message


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("a\0b.sla", "the path holds a NUL character"),
        ("\ud800.sla", "the path holds a character no file name can be written in"),
        ("x" * 5000 + ".sla", "cannot read the file: File name too long"),
        ("a\nb.sla", "no such file"),
    ],
)
def test_a_path_no_file_can_have_is_a_diagnostic(path: str, message: str) -> None:
    ws = Workspace()
    assert ws.add(path) is None
    [d] = ws.diagnostics
    assert (d.code, d.message) == ("SLA008", message)
    with pytest.raises(SlaError):
        read_bytes(path)


# ------------------------------------------------------------------------------------- imports


def _check(path: Path) -> list[tuple[str, str]]:
    ws = Workspace()
    ws.add(path)
    return [(d.code, d.message) for d in ws.diagnostics]


def test_an_import_is_read_only_when_it_is_a_regular_file_inside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.sla").write_text("SECRET_TOKEN=hunter2\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "shared.sla").write_text('calendar office { timezone "UTC" }\n')
    links = {
        "secret.sla": outside / "secret.sla",
        "env.sla": Path("/proc/self/environ"),
        "loop.sla": folder / "loop.sla",
        "nothing.sla": folder / "absent.sla",
        "alias.sla": folder / "shared.sla",  # inside: followed
        "up": tmp_path,
    }
    for name, target in links.items():
        (folder / name).symlink_to(target)
    os.mkfifo(folder / "fifo.sla")
    (folder / "sub").mkdir()
    imports = [
        "secret.sla",
        "env.sla",
        "loop.sla",
        "nothing.sla",
        "alias.sla",
        "fifo.sla",
        "sub",
        "shared.sla/x.sla",
        "up/outside/secret.sla",
        "/dev/zero",
        "a\u0000b.sla",
    ]
    root = folder / "root.sla"
    root.write_text("".join(f'import "{i}"\n' for i in imports))
    ws = Workspace()
    ws.add(root)
    found = [(d.code, d.message) for d in ws.diagnostics]
    assert found == [
        ("SLA009", f"import 'secret.sla' reaches outside the folder of {str(root)!r}"),
        ("SLA009", f"import 'env.sla' reaches outside the folder of {str(root)!r}"),
        ("SLA009", "imported file 'loop.sla' is a loop of links"),
        ("SLA009", "imported file 'nothing.sla' does not exist"),
        ("SLA009", "imported file 'fifo.sla' is a FIFO, not a regular file"),
        ("SLA009", "imported file 'sub' is a folder"),
        ("SLA009", "imported file 'shared.sla/x.sla' does not exist"),
        ("SLA009", f"import 'up/outside/secret.sla' reaches outside the folder of {str(root)!r}"),
        ("SLA009", f"import '/dev/zero' reaches outside the folder of {str(root)!r}"),
        ("SLA009", "import 'a\\x00b.sla' holds a NUL character"),
    ]
    assert [f.name for f in ws.by_real_path] == ["root.sla", "shared.sla"]
    assert [c.name for c in ws.visible_calendars(ws.file(root))] == ["office"]
    assert "hunter2" not in "".join(ws.texts.values())


def test_a_chain_of_5000_imports_is_refused_past_the_depth_limit(tmp_path: Path) -> None:
    for i in range(5000):
        head = f'import "f{i - 1:04d}.sla"\n' if i else ""
        (tmp_path / f"f{i:04d}.sla").write_text(f'{head}calendar c{i} {{ timezone "UTC" }}\n')
    ws = Workspace()
    ws.add(tmp_path / "f4999.sla")  # followed with the workspace's own stack: no RecursionError
    [d] = ws.diagnostics
    assert (d.code, d.message) == ("SLA009", f"imports nest more than {MAX_IMPORT_DEPTH} files deep")
    assert d.span is not None and d.span.file == str(tmp_path / f"f{4999 - MAX_IMPORT_DEPTH + 1:04d}.sla")
    assert len(ws.files) == MAX_IMPORT_DEPTH
    assert len(ws.visible_calendars(ws.file(tmp_path / "f4999.sla"))) == MAX_IMPORT_DEPTH

    # Every file named, as a folder's walk names them: no chain of imports grows past the limit
    # by reaching a file read before, so a file's calendars are found in bounded time.
    ws = Workspace()
    for f in walk(tmp_path)[0]:
        ws.add(f)
    assert len(ws.files) == 5000
    assert {d.message for d in ws.diagnostics} == {f"imports nest more than {MAX_IMPORT_DEPTH} files deep"}
    assert max(len(ws.visible_calendars(f)) for f in ws.files.values()) == MAX_IMPORT_DEPTH


def test_a_file_imported_by_many_that_cannot_be_read_is_tried_once(tmp_path: Path) -> None:
    (tmp_path / "broken.sla").write_bytes(b"\xff")
    for i in range(3):
        (tmp_path / f"f{i}.sla").write_text('import "broken.sla"\n')
    ws = Workspace()
    for i in range(3):
        ws.add(tmp_path / f"f{i}.sla")
    assert [d.code for d in ws.diagnostics] == ["SLA007"]


# ------------------------------------------------------------------------------------- walks


def test_a_walk_takes_regular_files_inside_and_skips_the_rest(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.sla").write_text("secret")
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a.sla").write_text("")
    (d / "sub" / "b.sla").write_text("")
    (d / "notes.txt").write_text("")
    (d / "dir.sla").mkdir()  # a folder of that name is walked, not read
    (d / "dir.sla" / "c.sla").write_text("")
    (d / "alias.sla").symlink_to(d / "sub" / "b.sla")  # inside: followed
    (d / "env.sla").symlink_to("/proc/self/environ")
    (d / "secret.sla").symlink_to(outside / "secret.sla")
    (d / "other").symlink_to(outside)
    (d / "again").symlink_to(d)  # a link to a folder inside is never entered: no loop
    (d / "sub" / "up.sla").symlink_to(d)
    (d / "loop.sla").symlink_to(d / "loop.sla")
    (d / "gone.sla").symlink_to(d / "absent")
    (d / "txt.sla").symlink_to(d / "notes.txt")  # a regular file inside, whatever its name
    os.mkfifo(d / "fifo.sla")
    found, skipped = walk(d)
    assert found == [str(d / n) for n in ("a.sla", "alias.sla", "dir.sla/c.sla", "sub/b.sla", "txt.sla")]
    assert skipped == [
        (str(d / "env.sla"), f"a link to a file outside {str(d)!r}"),
        (str(d / "fifo.sla"), "a FIFO, not a regular file"),
        (str(d / "gone.sla"), "a link to nothing"),
        (str(d / "loop.sla"), "a loop of links"),
        (str(d / "other"), f"a link to a folder outside {str(d)!r}"),
        (str(d / "secret.sla"), f"a link to a file outside {str(d)!r}"),
    ]


def test_a_walk_of_a_folder_reached_by_a_link_stays_in_what_it_leads_to(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.sla").write_text("")
    (tmp_path / "named").symlink_to(tmp_path / "real")
    assert walk(tmp_path / "named") == ([str(tmp_path / "named" / "a.sla")], [])


def test_a_walk_keeps_its_own_stack(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(300):
        deep = deep / "d"
        deep.mkdir()
    (deep / "a.sla").write_text("")
    limit = sys.getrecursionlimit()
    # Far fewer frames than folders: a walk that recursed would fail. (Folders deeper than the
    # usual limit would make the test's own clean-up, shutil.rmtree, fail instead.)
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        found = walk(tmp_path)[0]
    finally:
        sys.setrecursionlimit(limit)
    assert found == [str(deep / "a.sla")]
