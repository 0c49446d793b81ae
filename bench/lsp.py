"""Benchmark: how soon `sla lsp` answers an editor.

Run from the repository root:

    .venv/bin/python bench/lsp.py              # 5 cold starts, 30 edits
    .venv/bin/python bench/lsp.py --quick      # 1 cold start, 5 edits (seconds), for tests
    .venv/bin/python bench/lsp.py --json       # the figures as JSON on stdout

1. Cold start. `python -m sla lsp` is started as an editor starts it, over stdio; the clock runs
   from starting the process, through `initialize`, to the first `publishDiagnostics` after
   `didOpen` of examples/managed.sla (which imports calendars.sla). Printed: the whole, and
   `didOpen` to diagnostics alone. Best and median of --runs fresh processes (bytecode cached,
   as for an installed package). The aim: the first didOpen answered within 1 s.
2. Edits. A generated agreement of exactly 1,000 lines is opened, then changed --edits times
   (one target's duration in the middle, back and forth, as incremental changes); each edit
   is timed from sending `didChange` to the `publishDiagnostics` of its version, the server's
   debounce (20 ms) included. Median and worst, and (where /proc tells) the server's processor
   time per edit: on a busy machine the wall-clock figures grow, that one does not. The aim:
   within 100 ms.

Only the standard library and sla itself are used: the client is a few lines of JSON-RPC.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _sla import ROOT, sla

EXAMPLE = ROOT / "examples" / "managed.sla"


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Client:
    """A language client over a child process's stdio: requests, notifications, and waiting for
    the diagnostics of one version of a document."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(Path(sla.__file__).parent.parent)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sla", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return ident

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server ended")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        ident = self.send(method, params, request=True)
        while True:
            message = self.receive()
            if message.get("id") == ident and "method" not in message:
                return message.get("result")

    def diagnostics(self, uri: str, version: int | None = None) -> list[Any]:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and (version is None or params.get("version") == version):
                    return list(params["diagnostics"])

    def cpu(self) -> float | None:
        """The server's processor time so far (user and system, seconds), where /proc says it."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def initialize(self, folder: Path) -> None:
        self.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {}},
        )
        self.send("initialized", {})

    def open(self, path: Path, text: str) -> None:
        item = {"uri": path.as_uri(), "languageId": "sla", "version": 1, "text": text}
        self.send("textDocument/didOpen", {"textDocument": item})

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.send("exit", None)
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def cold_start() -> tuple[float, float]:
    """Seconds from starting the server to the diagnostics of its first document; and from
    sending didOpen to them."""
    client = Client()
    try:
        client.initialize(EXAMPLE.parent)
        text = EXAMPLE.read_text(encoding="utf-8")
        opened = time.perf_counter()
        client.open(EXAMPLE, text)
        found = client.diagnostics(EXAMPLE.as_uri())
        done = time.perf_counter()
        if found:
            raise RuntimeError(f"{EXAMPLE.name} should check cleanly: {found[0]['message']}")
        return done - client.started, done - opened
    finally:
        client.close()


def thousand_lines() -> str:
    """An agreement of exactly 1,000 lines that checks cleanly."""
    head = [
        'agreement "Benchmark of a thousand lines" {',
        '  provider "Contoso IT Services Ltd"',
        '  customer "Acme Manufacturing GmbH"',
        "  model managed",
        "  currency EUR",
        "  start 2027-01-01",
        "  term 36 months",
        "  calendar office {",
        '    timezone "Europe/Berlin"',
        "    hours mon-fri 08:00-18:00",
        "    holidays DE-BY",
        "  }",
        '  calendar always { timezone "Europe/Berlin"; hours 24x7 }',
    ]
    body: list[str] = []
    fees: list[str] = []
    n = 0
    while len(head) + len(body) + len(fees) + 5 + 9 <= 1000:
        body += [
            f'  service s{n} "Service {n}" {{',
            f"    quantity {n + 1} users",
            "    calendar office",
            '    includes "Patching", "Monitoring"',
            "  }",
            f'  priority P{n} "Priority {n}" {{',
            "    response 30m on always",
            "    resolution 4h",
            "  }",
        ]
        fees.append(f"    recurring s{n} 10.00 per user monthly")
        n += 1
    lines = [*head, *body, "  fees {", *fees, "  }", "}"]
    while len(lines) < 1000:
        lines.insert(len(head), "  # a line of comment to make up the thousand")
    assert len(lines) == 1000
    return "\n".join(lines) + "\n"


def edits(count: int, folder: Path) -> tuple[list[float], float | None]:
    """Seconds from each didChange to the diagnostics of its version; and the server's
    processor time per edit (None where it cannot be read), which a busy machine does not
    inflate as it does the wall-clock time."""
    text = thousand_lines()
    path = folder / "thousand.sla"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    line = next(i for i in range(len(lines) // 2, len(lines)) if "response 30m" in lines[i])
    column = lines[line].index("30m")
    client = Client()
    times = []
    try:
        client.initialize(folder)
        client.open(path, text)
        if client.diagnostics(path.as_uri()):
            raise RuntimeError("the generated agreement should check cleanly")
        cpu = client.cpu()
        for version in range(2, count + 2):
            new = "45m" if version % 2 == 0 else "30m"
            change = {
                "range": {
                    "start": {"line": line, "character": column},
                    "end": {"line": line, "character": column + 3},
                },
                "text": new,
            }
            sent = time.perf_counter()
            client.send(
                "textDocument/didChange",
                {"textDocument": {"uri": path.as_uri(), "version": version}, "contentChanges": [change]},
            )
            client.diagnostics(path.as_uri(), version)
            times.append(time.perf_counter() - sent)
        after = client.cpu()
    finally:
        client.close()
    return times, (after - cpu) / count if cpu is not None and after is not None else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts (default 5)")
    parser.add_argument("--edits", type=int, default=30, help="edits of the 1,000-line file (default 30)")
    parser.add_argument("--quick", action="store_true", help="1 cold start and 5 edits")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    runs, count = (1, 5) if args.quick else (args.runs, args.edits)

    import tempfile

    note("warming up (bytecode)...")
    cold_start()
    starts = []
    for i in range(runs):
        note(f"cold start {i + 1} of {runs}...")
        starts.append(cold_start())
    note(f"{count} edits of a 1,000-line agreement...")
    with tempfile.TemporaryDirectory() as folder:
        changes, cpu = edits(count, Path(folder))
    whole = [s[0] for s in starts]
    opened = [s[1] for s in starts]
    figures = {
        "cold_start_s": {"best": min(whole), "median": statistics.median(whole)},
        "first_did_open_s": {"best": min(opened), "median": statistics.median(opened)},
        "edit_1000_lines_ms": {
            "median": statistics.median(changes) * 1000,
            "worst": max(changes) * 1000,
            "server_cpu_per_edit": cpu * 1000 if cpu is not None else None,
        },
        "runs": runs,
        "edits": count,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"sla lsp on {sys.platform}, Python {sys.version.split()[0]}")
    print(
        f"  start to first diagnostics (examples/managed.sla): best {min(whole):.2f} s, "
        f"median {statistics.median(whole):.2f} s   (aim: within 1 s)"
    )
    print(
        f"    of which didOpen to diagnostics: best {min(opened) * 1000:.0f} ms, median {statistics.median(opened) * 1000:.0f} ms"
    )
    print(
        f"  edit of a 1,000-line file to its diagnostics: median {statistics.median(changes) * 1000:.0f} ms, "
        f"worst {max(changes) * 1000:.0f} ms   (aim: within 100 ms; {count} edits, the 20 ms debounce included)"
    )
    if cpu is not None:
        print(
            f"    the server's processor time per edit: {cpu * 1000:.0f} ms (the rest is the debounce and waiting)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
