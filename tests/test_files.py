"""Writing a file atomically: permissions kept, links replaced or written through, and anything
but a regular file refused rather than replaced."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from sla.files import write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new" / "a.sla", "new")
    finally:
        os.umask(umask)
    assert (tmp_path / "new" / "a.sla").read_text() == "new"
    assert _mode(tmp_path / "new" / "a.sla") == 0o640
    old = tmp_path / "old.sla"
    old.write_text("old")
    old.chmod(0o604)
    write_atomic(old, b"bytes")
    assert (old.read_bytes(), _mode(old)) == (b"bytes", 0o604)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "old.sla"]  # no temporary left


def test_a_link_is_replaced_unless_written_through(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "secret"
    target.parent.mkdir()
    target.write_text("secret")
    target.chmod(0o600)
    link = tmp_path / "cache.json"
    link.symlink_to(target)
    write_atomic(link, "cache")  # a link planted where a cache is kept never leads the write away
    assert not link.is_symlink() and link.read_text() == "cache"
    assert target.read_text() == "secret"

    agreement = tmp_path / "current.sla"
    agreement.symlink_to(target)
    write_atomic(agreement, "formatted", through_link=True)
    assert agreement.is_symlink() and os.readlink(agreement) == str(target)
    assert (target.read_text(), _mode(target)) == ("formatted", 0o600)
    assert sorted(p.name for p in target.parent.iterdir()) == ["secret"]


def test_a_link_to_nothing_written_through_makes_its_target(tmp_path: Path) -> None:
    link = tmp_path / "a.sla"
    link.symlink_to("b.sla")
    write_atomic(link, "text", through_link=True)
    assert link.is_symlink() and (tmp_path / "b.sla").read_text() == "text"


def test_a_loop_of_links_a_fifo_and_a_folder_are_refused_not_replaced(tmp_path: Path) -> None:
    loop = tmp_path / "loop.sla"
    loop.symlink_to(loop)
    fifo = tmp_path / "fifo.sla"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.sla"
    folder.mkdir()
    for path, through, code, message in (
        (loop, True, errno.ELOOP, os.strerror(errno.ELOOP)),
        (fifo, False, errno.EINVAL, "it is not a regular file"),
        (fifo, True, errno.EINVAL, "it is not a regular file"),
        (folder, False, errno.EISDIR, "it is a folder"),
    ):
        with pytest.raises(OSError) as caught:
            write_atomic(path, "x", through_link=through)
        assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
            code,
            message,
            str(path),
        )
    assert loop.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode) and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.sla", "folder.sla", "loop.sla"]
