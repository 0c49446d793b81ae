"""Jinja environments for every template sla renders, and the worker process a user's templates run in, within limits.

The templates sla ships are ours and run in the calling process. A user's template (`sla render
--template DIR`) is code from someone else: `bounded` runs the work on it in a separate worker
process with a time and a memory limit, so a template that loops or allocates without end costs
one diagnostic, never a hang or the process. The worker has no way onto the network.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import json
import os
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from types import CodeType
from typing import IO, TYPE_CHECKING, Any

from .diagnostics import Diagnostic, SlaError, Span

if TYPE_CHECKING:
    import socket

    from jinja2 import BaseLoader, Environment, FileSystemLoader
    from jinja2.bccache import BytecodeCache
    from jinja2.sandbox import ImmutableSandboxedEnvironment


def renderers_path() -> Path:
    """The templates shipped inside the package, or the repository's when running from source.

    The wheel carries the repository's `renderers/` as `sla/_data/renderers` (pyproject.toml's
    force-include), so an installed sla finds them beside its modules.
    """
    from .resources import shipped

    return shipped("renderers")


# ------------------------------------------------------------------------------------- loading

#: A template file larger than this is refused (the largest built-in one is under 12 KiB).
TEMPLATE_SIZE = 1 << 20


class TemplateRefused(Exception):
    """A template file that exists but is not read: it leads outside its folder, is not a plain
    file (a FIFO, a device), is too large, or is not UTF-8 text."""


@cache
def _folder_loader() -> type[FileSystemLoader]:
    from jinja2 import FileSystemLoader
    from jinja2.exceptions import TemplateNotFound
    from jinja2.loaders import split_template_path

    from .resources import read_plain_file

    class FolderLoader(FileSystemLoader):
        """The templates of one folder and nothing outside it: a symlink may point to another
        file of the folder, never out of it; only plain files of at most TEMPLATE_SIZE are read,
        without waiting (a FIFO) or reading without end (a device)."""

        def __init__(self, folder: str | os.PathLike[str]) -> None:
            super().__init__(os.fspath(folder))
            self.root = os.path.realpath(folder)

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            pieces = split_template_path(template)  # refuses `..`
            shown = os.path.join(self.root, *pieces)
            real = os.path.realpath(shown)
            if not os.path.lexists(shown):
                raise TemplateNotFound(template)
            if os.path.commonpath([self.root, real]) != self.root:
                raise TemplateRefused(
                    f"the template {template!r} leads outside the template folder {self.root!r}"
                )
            data = read_plain_file(real, TEMPLATE_SIZE)
            if data is None:
                if not os.path.exists(real):
                    raise TemplateNotFound(template)
                raise TemplateRefused(
                    f"the template {template!r} is not a plain file of at most {TEMPLATE_SIZE >> 20} MiB"
                )
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateRefused(f"the template {template!r} is not UTF-8 text") from None
            mtime = os.stat(real).st_mtime

            def uptodate() -> bool:
                try:
                    return os.stat(os.path.realpath(shown)).st_mtime == mtime
                except OSError:
                    return False

            return source, shown, uptodate

    return FolderLoader


def folder_loader_class() -> type[FileSystemLoader]:
    """The loader of a folder's templates that never reads outside it (see TemplateRefused), to
    subclass for a loader that also checks what it loads."""
    return _folder_loader()


def environment(
    source: str | os.PathLike[str] | BaseLoader,
    *,
    autoescape: bool = False,
    finalize: Callable[[Any], Any] | None = None,
    keep_trailing_newline: bool = True,
    compiled_ahead: bool = False,
) -> ImmutableSandboxedEnvironment:
    """An environment over a folder of templates (or a loader of one, for a loader that checks
    what it loads).

    Templates run in Jinja's immutable sandbox: they cannot reach Python internals or change the
    values they are given, and a folder's templates see nothing outside it (`folder_loader_class`).
    An undefined name is an error, not an empty string. Values are HTML-escaped when `autoescape`
    is true, and passed through `finalize` (a format's own escaping) when given. Block tags leave
    no blank lines (`trim_blocks`, `lstrip_blocks`).

    `compiled_ahead` is for the templates sla ships: their Python, compiled ahead of time, is
    used where it was made from the same text (see `compiled_path`).
    """
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loader = _folder_loader()(source) if isinstance(source, (str, os.PathLike)) else source
    return ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
        bytecode_cache=_compiled_ahead()() if compiled_ahead else None,
    )


# ------------------------------------------------------------------------------------- compiled ahead
#
# Jinja turns a template into Python source and compiles that before the template first renders:
# for the contract templates about 50 ms, most of a process that renders one contract to text and
# a sixth of one that makes a PDF. The Python of the templates sla ships is made ahead of time
# (`python -m sla.templates --regenerate`) and shipped in renderers/compiled/, where Python keeps
# its bytecode as for any module. It stands in for Jinja's work only when its first line says it
# was made from the same template text, by the same Jinja, for an environment of the same options;
# otherwise the template is compiled as usual. Nothing is ever written there at run time, and a
# user's template is always compiled.

_COMPILED = "sla-jinja/1"
#: The largest compiled template read (the contract templates compile to about 50 kB).
COMPILED_SIZE = 1 << 20


def compiled_path(folder: str, name: str) -> Path:
    """Where the Python of the built-in template `renderers/FOLDER/NAME` is shipped."""
    return renderers_path() / "compiled" / folder / (name.removesuffix(".j2") + ".py")


def _options(env: Environment) -> str:
    """What of an environment the Python of a template depends on, as a short digest: Jinja's
    version, the sandbox, autoescaping, the finalizer (Jinja applies it to constants while it
    compiles) and how the template text is read."""
    import jinja2

    finalize = env.finalize
    finalizer = None
    if finalize is not None:
        inner = [getattr(c.cell_contents, "__qualname__", "") for c in finalize.__closure__ or ()]
        finalizer = (finalize.__module__, finalize.__qualname__, inner)
    options = (
        jinja2.__version__,
        type(env).__module__,
        type(env).__qualname__,
        env.autoescape if isinstance(env.autoescape, bool) else "by name",
        finalizer,
        (env.block_start_string, env.block_end_string, env.variable_start_string),
        (env.variable_end_string, env.comment_start_string, env.comment_end_string),
        (env.line_statement_prefix, env.line_comment_prefix, env.newline_sequence),
        (env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.optimized, env.is_async),
        sorted(env.extensions),
    )
    return hashlib.sha256(repr(options).encode()).hexdigest()[:16]


def _first_line(env: Environment, checksum: str) -> str:
    return f"# {_COMPILED} environment={_options(env)} source-sha1={checksum}"


def _renamed(code: CodeType, filename: str) -> CodeType:
    """The code with every function in it naming `filename` (the template, not its Python), as
    Jinja's own compiling does: its messages and tracebacks then point at the template."""
    consts = tuple(_renamed(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _compiled_code(env: Environment, name: str, filename: str | None, checksum: str) -> CodeType | None:
    """The code of the shipped Python of a built-in template, when it was made from this text for
    an environment like `env`; else None."""
    from importlib.machinery import SourceFileLoader

    from .resources import read_plain_file

    if filename is None:
        return None
    path = compiled_path(os.path.basename(os.path.dirname(filename)), name)
    raw = read_plain_file(path, COMPILED_SIZE)
    if raw is None or raw.split(b"\n", 1)[0] != _first_line(env, checksum).encode():
        return None
    try:  # through Python's loader, which keeps (and checks) the bytecode in __pycache__
        code = SourceFileLoader("sla_compiled_template", str(path)).get_code("sla_compiled_template")
    except (OSError, SyntaxError, ValueError, ImportError):
        return None
    return None if code is None else _renamed(code, filename)


@cache
def _compiled_ahead() -> type[BytecodeCache]:
    from jinja2.bccache import Bucket, BytecodeCache

    class CompiledAhead(BytecodeCache):
        """Jinja's bytecode cache, read-only, holding the shipped Python of the built-in templates."""

        def get_bucket(
            self, environment: Environment, name: str, filename: str | None, source: str
        ) -> Bucket:
            checksum = self.get_source_checksum(source)
            bucket = Bucket(environment, name, checksum)
            bucket.code = _compiled_code(environment, name, filename, checksum)
            return bucket

        def load_bytecode(self, bucket: Bucket) -> None:
            pass

        def dump_bytecode(self, bucket: Bucket) -> None:
            pass  # a template compiled here is not written anywhere

    return CompiledAhead


def compiled_text(env: Environment, name: str) -> str:
    """The Python Jinja makes of the template `name` of `env`, as shipped in renderers/compiled/."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    checksum = _compiled_ahead()().get_source_checksum(source)
    code = env.compile(source, name, filename, raw=True)
    folder = os.path.basename(os.path.dirname(filename or ""))
    return (
        f"{_first_line(env, checksum)}\n"
        f"# The template renderers/{folder}/{name} as Python, made by Jinja with\n"
        "# `python -m sla.templates --regenerate`: do not edit.\n"
        f"{code}\n"
    )


def _main(argv: list[str]) -> int:
    """`python -m sla.templates --regenerate | --check`: the compiled Python of the built-in
    templates (`sla.render.compiled_ahead`)."""
    from .render import compiled_ahead
    from .resources import generated_file_main

    if argv not in (["--regenerate"], ["--check"]):
        print("usage: python -m sla.templates --regenerate | --check", file=sys.stderr)
        return 2
    codes = [
        generated_file_main(
            argv, "sla.templates", compiled_path(folder, name), partial(compiled_text, env, name)
        )
        for env, folder, name in compiled_ahead()
    ]
    return max(codes)


# ------------------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """What one piece of work on a user's template may take: wall-clock seconds, and bytes of
    memory for the worker process (its data: the heap and every private mapping it writes)."""

    seconds: float = 60.0
    memory: int = 1 << 30

    def seconds_text(self) -> str:
        return "1 second" if self.seconds == 1 else f"{self.seconds:g} seconds"

    def memory_text(self) -> str:
        return f"{self.memory >> 30} GiB" if self.memory % (1 << 30) == 0 else f"{self.memory >> 20} MiB"


#: The limits of every render with a user's template; the memory limit holds on Linux (where
#: RLIMIT_DATA counts every allocation), the time limit everywhere.
LIMITS = Limits()

# After the worker's own timer has had its chance to stop the work at a line of the template,
# the parent kills it: work stuck in Typst or in one long C call never returns to Python.
_GRACE = 2.0


class TimeUp(BaseException):
    """Raised inside the worker when the time limit passes, wherever the work is (a template
    cannot catch it: it is not an Exception)."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(f"did not finish within {limits.seconds_text()}")
        self.limits = limits


class OverLimit(Exception):
    """Work on a user's template was stopped: `what` is "time", "memory", or "stopped" (the
    worker ended some other way, `signal` telling how); `stage` is what it was doing (see
    `stage`), "template" until it said otherwise."""

    def __init__(self, what: str, stage: str, limits: Limits, signal: int | None = None) -> None:
        super().__init__(f"{what} limit in {stage}")
        self.what, self.stage, self.limits, self.signal = what, stage, limits, signal


# ------------------------------------------------------------------------------------- the worker
#
# The parent writes requests (pickles: it trusts itself) to the worker's standard input; the
# worker answers on its standard output in frames that are never unpickled: JSON, or the bytes of
# a result. A frame is its length (4 bytes), a kind (J or D), and the payload.

_HEADER = struct.Struct(">IB")


def _write_frame(stream: IO[bytes], kind: bytes, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload), kind[0]) + payload)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> tuple[bytes, bytes] | None:
    """(kind, payload), or None at the end of the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    size, kind = _HEADER.unpack(header)
    payload = stream.read(size)
    return None if len(payload) < size else (bytes([kind]), payload)


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    span = None
    if data.get("line") is not None:
        span = Span(
            file=data["file"],
            line=data["line"],
            column=data["column"],
            end_line=data["end_line"],
            end_column=data["end_column"],
        )
    return Diagnostic(data["code"], data["severity"], data["message"], span, data["hint"])


class _Worker:
    """One worker process, started for the process that uses it (a fresh interpreter: nothing of
    the parent's threads or state comes along), kept for the next piece of work."""

    def __init__(self) -> None:
        import subprocess  # this module's machinery for a user's template, imported when it is used

        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        self.owner = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", "from sla.templates import _serve; _serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # Typst's panics and backtraces: the answer says what failed
            env=env,
        )

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def stop(self) -> None:
        """End the worker now, and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.close()

    def finish(self) -> None:
        """Let an idle worker end as a process ends (so that what it made, such as its Typst
        compiler's folder, is removed); stop it when it does not within a second."""
        import subprocess

        if self.process.stdin is not None:
            try:
                self.process.stdin.close()  # its loop ends at the end of its requests
            except OSError:
                pass
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        self.stop()

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def call(self, target: str, args: tuple[Any, ...], limits: Limits) -> Any:
        import pickle
        import queue
        import signal
        import time

        assert self.process.stdin is not None and self.process.stdout is not None
        request = pickle.dumps((target, args, limits))
        _write_frame(self.process.stdin, b"J", request)
        answers: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue()
        stdout = self.process.stdout

        def read() -> None:  # until the answer: a stage note is followed by more
            while True:
                frame = _read_frame(stdout)
                answers.put(frame)
                if frame is None or frame[0] != b"J" or not frame[1].startswith(b'{"stage"'):
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        stage = "template"
        deadline = time.monotonic() + limits.seconds + _GRACE
        try:
            while True:
                try:
                    frame = answers.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise OverLimit("time", stage, limits) from None
                if frame is None:
                    code = self.process.wait()
                    if code == -getattr(signal, "SIGABRT", 6):  # Rust's answer to a failed allocation
                        raise OverLimit("memory", stage, limits)
                    raise OverLimit("stopped", stage, limits, -code if code < 0 else None)
                kind, payload = frame
                if kind == b"D":
                    return payload
                answer = json.loads(payload)
                if "stage" in answer:
                    stage = answer["stage"]
                    continue
                return _answer(answer, stage, limits)
        finally:
            if reader.is_alive():
                self.stop()  # the reader sees the end of the stream and returns
            reader.join()


def _answer(answer: dict[str, Any], stage: str, limits: Limits) -> Any:
    if "diagnostics" in answer:
        raise SlaError([_diagnostic(d) for d in answer["diagnostics"]])
    if "over" in answer:
        raise OverLimit(answer["over"], answer.get("stage", stage), limits)
    if "internal" in answer:
        raise RuntimeError(f"the template worker failed: {answer['internal']}")
    return answer.get("text")


_worker: _Worker | None = None
_lock = threading.Lock()


def _forget_in_child() -> None:
    """In a forked child (a batch's worker processes): the parent's worker is the parent's; close
    this copy of its pipes, and start a worker of its own when one is needed."""
    global _worker, _lock
    _lock = threading.Lock()  # another thread may have held it at the fork
    if _worker is not None:
        _worker.close()
        _inherited.append(_worker)  # never collected: Popen would warn about a process not ours
        _worker = None


_inherited: list[_Worker] = []
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


@atexit.register
def _stop_worker() -> None:
    if _worker is not None and _worker.owner == os.getpid():
        _worker.finish()


def bounded(function: Callable[..., str | bytes | None], *args: Any) -> str | bytes | None:
    """`function(*args)` run in the worker process within LIMITS: its result (text, bytes or
    None), or the SlaError it raised. Raises OverLimit when the work takes longer than the time
    limit or more than the memory limit, or the worker stops; a new worker takes the next call.

    `function` is named by its module and name, and the arguments are pickled, so both must be
    importable and picklable."""
    global _worker
    target = f"{function.__module__}:{function.__qualname__}"
    limits = LIMITS
    with _lock:
        for attempt in (1, 2):
            if _worker is None or not _worker.alive():
                if _worker is not None and _worker.owner == os.getpid():
                    _worker.stop()
                _worker = _Worker()
            worker = _worker
            try:
                return worker.call(target, args, limits)  # type: ignore[no-any-return]
            except BrokenPipeError:  # it ended between two calls: start another, once
                worker.stop()
                _worker = None
                if attempt == 2:
                    raise
            except OverLimit:
                worker.stop()
                _worker = None
                raise
    raise AssertionError("unreachable")


# ------------------------------------------------------------------------------------- in the worker

_answers: IO[bytes] | None = None
_blocker: socket.socket | None = None


def in_worker() -> bool:
    """Whether this process is the worker a user's template runs in."""
    return _answers is not None


def stage(name: str) -> None:
    """Tell the parent what the work in the worker does now ("typst"), so that a limit reached
    is put to the right stage. Does nothing outside the worker."""
    if _answers is None:
        return
    import signal

    frame = json.dumps({"stage": name}).encode()
    if hasattr(signal, "pthread_sigmask"):  # the timer must not cut a frame in half
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            _write_frame(_answers, b"J", frame)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    else:
        _write_frame(_answers, b"J", frame)


def _close_network() -> None:
    """Send every connection through a proxy that refuses it: a port this process holds bound
    and never listens on. Typst fetches packages through the proxy its environment names, so it
    can fetch none; no other work of the worker uses the network."""
    import socket

    global _blocker
    proxy = "http://127.0.0.1:9"  # discard: closed, should binding below fail
    try:
        _blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        _blocker.bind(("127.0.0.1", 0))
        proxy = f"http://127.0.0.1:{_blocker.getsockname()[1]}"
    except OSError:
        pass
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        os.environ[name] = os.environ[name.upper()] = proxy
    for name in ("no_proxy", "NO_PROXY"):
        os.environ.pop(name, None)


def _limit(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: the parent's time limit still holds
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        soft = limits.memory if hard == resource.RLIM_INFINITY else min(limits.memory, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
    except (ValueError, OSError):  # a system that will not set it: the time limit still holds
        pass


def _time_up(limits: Limits) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        raise TimeUp(limits)

    return handler


def _run(target: str, args: tuple[Any, ...], limits: Limits) -> tuple[bytes, bytes]:
    """One request: the frame that answers it."""
    import signal

    timer = hasattr(signal, "setitimer")
    if timer:
        signal.signal(signal.SIGALRM, _time_up(limits))
        signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    try:
        module, _, name = target.partition(":")
        function: Any = importlib.import_module(module)
        for part in name.split("."):
            function = getattr(function, part)
        result = function(*args)
        if isinstance(result, bytes):
            return b"D", result
        return b"J", json.dumps({"text": result}).encode()
    except SlaError as exc:
        return b"J", json.dumps({"diagnostics": [d.to_dict() for d in exc.diagnostics]}).encode()
    except TimeUp:
        return b"J", b'{"over": "time"}'
    except MemoryError:
        return b"J", b'{"over": "memory"}'
    except Exception as exc:  # noqa: BLE001 - a bug: said to the parent, which reports it
        return b"J", json.dumps({"internal": f"{type(exc).__name__}: {exc}"}).encode()
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _serve() -> None:
    """The worker's loop: requests from standard input, answers on standard output, until the
    parent closes the pipe."""
    import pickle

    global _answers, LIMITS
    requests, _answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdin = sys.stdout = sys.stderr  # nothing printed can get into the answers
    _close_network()
    while (frame := _read_frame(requests)) is not None:
        target, args, limits = pickle.loads(frame[1])
        LIMITS = limits  # what the work's own messages quote
        _limit(limits)
        try:
            kind, payload = _run(target, args, limits)
        except TimeUp:  # the timer went off between the work and its answer
            kind, payload = b"J", b'{"over": "time"}'
        _write_frame(_answers, kind, payload)


__all__ = [
    "LIMITS",
    "TEMPLATE_SIZE",
    "Limits",
    "OverLimit",
    "TemplateRefused",
    "TimeUp",
    "bounded",
    "compiled_path",
    "compiled_text",
    "environment",
    "folder_loader_class",
    "in_worker",
    "renderers_path",
    "stage",
]


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
