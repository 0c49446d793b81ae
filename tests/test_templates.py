"""A user's templates: confined to their folder, run in a worker within a time and a memory limit,
and unable to reach a Typst package, whatever the template does."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

import sla
from sla import model as m
from sla import templates
from sla.cli import main
from sla.diagnostics import Diagnostic, SlaError
from sla.render import render
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
TEMPLATE = {"md": "contract.md.j2", "html": "contract.html.j2", "pdf": "contract.typ.j2"}


@cache
def example(name: str = "break-fix") -> m.Agreement:
    (agreement,) = sla.load(EXAMPLES / f"{name}.sla").agreements
    return agreement


def folder(tmp_path: Path, body: str, to: str = "md") -> Path:
    where = tmp_path / "templates"
    where.mkdir(parents=True, exist_ok=True)
    (where / TEMPLATE[to]).write_text(body, encoding="utf-8")
    return where


def failure(tmp_path: Path, body: str, to: str = "md") -> Diagnostic:
    where = folder(tmp_path, body, to)
    with pytest.raises(SlaError) as caught:
        render(example(), to, template_dir=where)
    (d,) = caught.value.diagnostics
    return d


@pytest.fixture
def short(monkeypatch: pytest.MonkeyPatch) -> templates.Limits:
    """One second for each render: enough for every example, not for a template without end."""
    limits = templates.Limits(seconds=1.0)
    monkeypatch.setattr(templates, "LIMITS", limits)
    return limits


# --- the folder ----------------------------------------------------------------------------------


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    where = folder(tmp_path, "{% include 'alias.j2' %}")
    (where / "parts").mkdir()
    (where / "parts" / "title.j2").write_text("{{ contract.title }}", encoding="utf-8")
    os.symlink(where / "parts" / "title.j2", where / "alias.j2")
    assert render(example(), "md", template_dir=where) == example().title


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "../outside.j2"])
def test_a_link_out_of_the_folder_is_refused(tmp_path: Path, target: str) -> None:
    where = folder(tmp_path, "ok\n{% include 'secret.j2' %}\n")
    (tmp_path / "outside.j2").write_text("outside", encoding="utf-8")
    os.symlink(target, where / "secret.j2")
    d = failure(tmp_path, (where / "contract.md.j2").read_text())
    assert d.code == "SLA401"
    assert d.message == (
        f"the template 'secret.j2' leads outside the template folder {str(where)!r}: "
        "a template reads only plain files of its own folder"
    )
    assert d.span is not None and d.span.line == 2 and d.span.file == str(where / "contract.md.j2")


def test_the_main_template_may_not_be_a_link_out(tmp_path: Path) -> None:
    where = tmp_path / "templates"
    where.mkdir()
    (tmp_path / "elsewhere.j2").write_text("{{ contract.title }}", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.j2", where / "contract.md.j2")
    with pytest.raises(SlaError, match="'contract.md.j2' leads outside the template folder"):
        render(example(), "md", template_dir=where)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    where = folder(tmp_path, "{% include 'pipe.j2' %}")
    os.mkfifo(where / "pipe.j2")
    d = failure(tmp_path, "{% include 'pipe.j2' %}")
    assert d.code == "SLA401" and "'pipe.j2' is not a plain file of at most 1 MiB" in d.message


def test_a_large_or_binary_template_is_refused(tmp_path: Path) -> None:
    where = folder(tmp_path, "{% include 'big.j2' %}")
    (where / "big.j2").write_bytes(b"x" * (templates.TEMPLATE_SIZE + 1))
    assert "'big.j2' is not a plain file" in failure(tmp_path, "{% include 'big.j2' %}").message
    (where / "big.j2").write_bytes(b"\xff\xfe")
    assert "'big.j2' is not UTF-8 text" in failure(tmp_path, "{% include 'big.j2' %}").message


# --- limits --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' * 10**10 }}",
        "{{ 'x'.center(10**10) }}",
        "{% set xs = range(100000) | list %}{{ xs * 100000 }}",
    ],
)
def test_a_template_that_allocates_without_end_is_stopped(tmp_path: Path, body: str) -> None:
    d = failure(tmp_path, "{{ contract.title }}\n" + body + "\n")
    assert d.code == "SLA401" and d.message == "the template ran out of memory"
    assert d.span is not None and d.span.line == 2
    assert d.hint is not None and "1 GiB of memory" in d.hint


@pytest.mark.parametrize(
    "body",
    [
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "{% for a in range(100000) %}{{ lipsum(100) }}{% endfor %}",
    ],
)
def test_a_template_that_loops_without_end_is_stopped(
    tmp_path: Path, short: templates.Limits, body: str
) -> None:
    started = time.monotonic()
    d = failure(tmp_path, "{{ contract.title }}\n" + body + "\n")
    assert time.monotonic() - started < short.seconds + 5
    assert d.code == "SLA401" and d.message == "the template did not finish within 1 second"
    assert d.span is not None and d.span.line == 2 and d.span.file is not None
    assert d.span.file.endswith("contract.md.j2")


def test_the_sandbox_refuses_a_huge_range_itself(tmp_path: Path) -> None:
    d = failure(tmp_path, "{% for i in range(10**12) %}{% endfor %}")
    assert d.code == "SLA401" and "Range too big" in d.message


@pytest.mark.parametrize(
    "body",
    [
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "{% include 'contract.md.j2' %}",
    ],
)
def test_a_template_that_calls_itself_without_end_is_stopped(tmp_path: Path, body: str) -> None:
    d = failure(tmp_path, body)
    assert d.code == "SLA401" and d.message.startswith("the template recurses too deeply")


def test_typst_that_allocates_without_end_is_stopped(tmp_path: Path) -> None:
    # Typst answers a failed allocation by aborting its process: here the worker's, not ours.
    where = folder(tmp_path, '#let s = "x" * 10000000000\n#{{ contract.title }}\n', "pdf")
    with pytest.raises(SlaError) as caught:
        render(example(), "pdf", template_dir=where)
    (d,) = caught.value.diagnostics
    assert d.code == "SLA402"
    assert d.message == (
        f"Typst could not compile the contract from {str(where / 'contract.typ.j2')!r}: "
        "it needs more than 1 GiB of memory"
    )


def test_typst_that_loops_without_end_is_stopped(tmp_path: Path, short: templates.Limits) -> None:
    body = "#let n = range(100000).map(i => range(100000).len()).sum()\n"
    where = folder(tmp_path, body, "pdf")
    started = time.monotonic()
    with pytest.raises(SlaError) as caught:
        render(example(), "pdf", template_dir=where)
    assert time.monotonic() - started < short.seconds + 5
    (d,) = caught.value.diagnostics
    assert d.code == "SLA402" and d.message.endswith("it did not finish within 1 second")


def test_the_worker_is_replaced_after_a_limit(tmp_path: Path, short: templates.Limits) -> None:
    loop = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    assert failure(tmp_path / "a", loop).code == "SLA401"
    assert render(example(), "md", template_dir=folder(tmp_path / "b", "{{ contract.id }}")) == "BF-2027-0112"
    assert failure(tmp_path / "c", '#let s = "x" * 10000000000\n', "pdf").code == "SLA402"  # an abort
    assert render(example(), "md", template_dir=folder(tmp_path / "d", "{{ contract.id }}")) == "BF-2027-0112"


def test_a_custom_pdf_after_a_builtin_one_in_the_same_process(tmp_path: Path) -> None:
    # Typst leaves threads behind in a process that compiled: a worker forked from it would hang.
    assert isinstance(render(example(), "pdf"), bytes)
    pdf = render(example(), "pdf", template_dir=folder(tmp_path, "#{{ contract.title }}\n", "pdf"))
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_builtin_templates_run_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a built-in template went to the worker")

    monkeypatch.setattr(templates, "bounded", refuse)
    for to in ("md", "html", "typst"):
        assert render(example(), to)


def test_errors_and_values_come_back_whole(tmp_path: Path) -> None:
    unpriced = sla.loads(
        'agreement "No term" {\n provider "P"; customer "C"; model break_fix\n currency EUR\n'
        " fees { rate engineer 100.00 per hour }\n}\n"
    ).agreements[0]
    with pytest.raises(SlaError) as caught:
        render(unpriced, "md", template_dir=folder(tmp_path, "{{ contract.title }}"))
    assert [d.code for d in caught.value.diagnostics] == ["SLA202"]
    with pytest.raises(ValueError, match="unknown locale 'xx'"):
        render(example(), "md", locale="xx", template_dir=folder(tmp_path, "x"))
    text = "\x00 \x1b[31m \u2028 \U0001f600"
    assert render(example(), "md", template_dir=folder(tmp_path, text)) == text


# --- Typst packages ------------------------------------------------------------------------------


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """A proxy in this process's environment that records every connection made through it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    seen: list[bytes] = []

    def accept() -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            seen.append(client.recv(200))
            client.close()

    threading.Thread(target=accept, daemon=True).start()
    address = f"http://127.0.0.1:{server.getsockname()[1]}"
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, address)
        monkeypatch.setenv(name.upper(), address)
    monkeypatch.setenv("no_proxy", "")
    templates._stop_worker()  # the next worker starts with this environment, and the one after without
    templates._worker = None
    yield seen
    templates._stop_worker()
    templates._worker = None
    server.close()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('#import "@preview/cetz:0.2.2": canvas\n', "SLA401"),  # refused when read, with a clear message
        ('#import ("@" + "preview/cetz:0.2.2"): canvas\n', "SLA402"),
        ('#import "\\u{40}preview/cetz:0.2.2": canvas\n', "SLA402"),
        ("#import {{ '@' ~ 'preview/cetz:0.2.2' }}: canvas\n", "SLA402"),
        ('#import "@local/secret:1.0.0": *\n', "SLA401"),
        ('#let p = "@" + "local/secret:1.0.0"\n#import p: *\n', "SLA402"),
    ],
)
def test_typst_never_reaches_a_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxy: list[bytes], body: str, code: str
) -> None:
    # A package where Typst looks by default must not be found either.
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME"):
        home = tmp_path / variable
        for name in ("cetz/0.2.2", "secret/1.0.0"):
            for namespace in ("preview", "local"):
                package = home / "typst" / "packages" / namespace / name
                package.mkdir(parents=True)
                (package / "typst.toml").write_text(
                    f'[package]\nname = "{name.split("/")[0]}"\nversion = "{name.split("/")[1]}"\n'
                    'entrypoint = "lib.typ"\n',
                    encoding="utf-8",
                )
                (package / "lib.typ").write_text("#let canvas = 1\n", encoding="utf-8")
        monkeypatch.setenv(variable, str(home))
    d = failure(tmp_path, body + "#{{ contract.title }}\n", "pdf")
    assert d.code == code
    if code == "SLA402":
        assert d.hint is not None and "a template cannot use Typst packages" in d.hint
    else:
        assert "may not use the package" in d.message
    assert proxy == []


def test_typst_reads_no_file_outside_its_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2", encoding="utf-8")
    d = failure(tmp_path, f'#read("{secret}")\n#read("../../../../{secret}")\n', "pdf")
    assert d.code == "SLA402" and "file not found" in d.message and "hunter2" not in d.message


# --- a batch -------------------------------------------------------------------------------------


def test_a_batch_goes_on_after_a_template_over_its_limit(tmp_path: Path, short: templates.Limits) -> None:
    src = tmp_path / "contracts"
    src.mkdir()
    for name in ("managed", "calendars", "break-fix", "block-hours"):
        shutil.copy(EXAMPLES / f"{name}.sla", src / f"{name}.sla")
    body = (
        "{{ contract.title }}\n{% if contract.model == 'break_fix' %}"
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}{% endif %}\n"
    )
    where = folder(tmp_path, body)
    out = tmp_path / "out"
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main, ["render", str(src), "--template", str(where), "-o", str(out), "--jobs", jobs]
        )
        assert result.exit_code == 1, result.output
        assert sorted(p.name for p in out.iterdir()) == ["block-hours.md", "managed.md"]
        assert (
            f"{src / 'break-fix.sla'}: {where / 'contract.md.j2'}:2:1: error SLA401: "
            "the template did not finish within 1 second"
        ) in result.stderr
        assert result.stderr.rstrip().endswith("rendered 2, failed 1, skipped 1")
        shutil.rmtree(out)
