"""Writing files so that a crash or a full disk never leaves one half-written."""

from __future__ import annotations

import errno
import os
import stat
import tempfile


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, through_link: bool = False) -> None:
    """Write to a temporary file in the target's folder, then rename it over the target.

    A link at `path` is replaced by the new file, so that a link planted where sla keeps a cache
    or writes its output never leads the write elsewhere; with `through_link` the file it leads
    to is rewritten instead and the link stays (`sla fmt --write` on an agreement kept behind a
    link). The file keeps the permission bits it had; a new one gets 0o666 less the umask.
    Anything but a regular file or a link (a folder, a FIFO, a device such as /dev/null) is
    refused with OSError, never replaced."""
    given = os.fspath(path)
    target = os.path.realpath(given) if through_link else os.path.abspath(given)
    try:
        kind: int | None = os.lstat(target).st_mode
    except FileNotFoundError:
        kind = None  # a new file, or the target of a link to nothing
    if kind is not None and stat.S_ISLNK(kind) and through_link:  # realpath stops at a loop
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), given)
    if kind is not None and not (stat.S_ISREG(kind) or stat.S_ISLNK(kind)):
        is_folder = stat.S_ISDIR(kind)
        raise OSError(
            errno.EISDIR if is_folder else errno.EINVAL,
            "it is a folder" if is_folder else "it is not a regular file",
            given,
        )
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=".sla-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
