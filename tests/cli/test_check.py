"""`sla check`: exit codes, the caret under the culprit, folders, JSON and SARIF, and hostile
folders, files and imports (which `fmt` and `render` meet through the same walk)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run
from tests.conftest import DATA, ROOT

VALID = DATA / "valid"
INVALID = DATA / "invalid"


def test_check_clean_file_exits_0() -> None:
    code, out, _ = run("check", str(VALID / "managed.sla"))
    assert code == 0
    assert "1 file checked: no problems" in out


def test_check_errors_exit_1_with_caret() -> None:
    code, out, _ = run("check", str(INVALID / "names-undefined-calendar.sla"))
    assert code == 1
    assert "error SLA102: unknown calendar 'ofice'" in out
    assert "  service desk { calendar ofice }" in out
    assert "hint: did you mean 'office'?" in out
    caret_line = out.splitlines()[out.splitlines().index(" 5 |   service desk { calendar ofice }") + 1]
    assert caret_line == "   |                  ^^^^^^^^^^^^^^"


def test_warnings_exit_0_unless_strict() -> None:
    path = str(INVALID / "warn-priorities-out-of-order.sla")
    assert run("check", path)[0] == 0
    assert run("check", "--strict", path)[0] == 1


def test_missing_path_exits_2() -> None:
    code, _, err = run("check", "no/such/file.sla")
    assert code == 2
    assert "no such file or folder" in err


def test_folders_are_searched(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.sla").write_text((VALID / "minimal.sla").read_text())
    code, out, _ = run("check", str(tmp_path))
    assert code == 0 and "1 file checked" in out
    assert run("check", str(tmp_path / "sub" / ".."), str(tmp_path / "nothing"))[0] == 2


def test_check_json() -> None:
    code, out, _ = run(
        "check", "--format", "json", str(INVALID / "credits-over-100.sla"), str(VALID / "minimal.sla")
    )
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"files": 2, "errors": 2, "warnings": 0}
    first = data["diagnostics"][0]
    assert first["code"] == "SLA115" and first["severity"] == "error"
    assert (first["line"], first["column"]) == (6, 5)
    assert set(first) == {
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "hint",
    }


def test_check_sarif() -> None:
    code, out, _ = run("check", "--format", "sarif", str(INVALID / "ref-unknown-timezone.sla"))
    sarif = json.loads(out)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    [result] = run_["results"]
    assert result["ruleId"] == "SLA103" and ids[result["ruleIndex"]] == "SLA103"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 20, "endLine": 5, "endColumn": 43}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "ref-unknown-timezone.sla"
    )


# ------------------------------------------------------------------------- hostile folders and files

#: What a hostile file would leak: it is in the environment of every run below.
SECRET = "hunter2-do-not-print"


def _hostile_folder(tmp_path: Path) -> Path:
    """A folder of one good agreement and every kind of entry a walk must not read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.sla").write_text(f"token {SECRET}\n")
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "good.sla").write_text((VALID / "minimal.sla").read_text())
    (d / "env.sla").symlink_to("/proc/self/environ")
    (d / "secret.sla").symlink_to(outside / "secret.sla")
    (d / "outside").symlink_to(outside)
    (d / "loop.sla").symlink_to(d / "loop.sla")
    (d / "sub" / "up").symlink_to(d)
    os.mkfifo(d / "fifo.sla")
    return d


def test_a_walk_skips_what_is_not_a_regular_file_inside_with_a_notice(tmp_path: Path) -> None:
    d = _hostile_folder(tmp_path)
    code, out, err = run("check", str(d))
    assert (code, out) == (0, "1 file checked: no problems\n")
    assert err.splitlines() == [
        f"sla: skipped {str(d / 'env.sla')!r}: a link to a file outside {str(d)!r}",
        f"sla: skipped {str(d / 'fifo.sla')!r}: a FIFO, not a regular file",
        f"sla: skipped {str(d / 'loop.sla')!r}: a loop of links",
        f"sla: skipped {str(d / 'outside')!r}: a link to a folder outside {str(d)!r}",
        f"sla: skipped {str(d / 'secret.sla')!r}: a link to a file outside {str(d)!r}",
    ]
    code, out, _ = run("check", "--format", "json", str(d))
    assert code == 0 and json.loads(out)["files"] == [str(d / "good.sla")]


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "v2.sla").write_text((INVALID / "credits-over-100.sla").read_text())
    (tmp_path / "current.sla").symlink_to("v2.sla")
    code, out, err = run("check", str(tmp_path))
    assert (code, err) == (1, "")
    assert "1 file checked" in out  # one file, reached twice


def test_a_folder_of_nothing_but_hostile_entries_is_a_usage_error(tmp_path: Path) -> None:
    d = _hostile_folder(tmp_path)
    (d / "good.sla").unlink()
    code, out, err = run("check", str(d))
    assert (code, out) == (2, "")
    assert err.endswith(f"sla: no .sla files in folder {str(d)!r}\n")


# Each hostile input through the command line, as a user's CI would meet it: the path (relative to
# the case's folder; "{d}" is `_hostile_folder` with its good file replaced by a broken one) and
# the commands that read it as an agreement would (`fmt` follows no import).
ALL, CHECKED = ("check", "fmt", "render"), ("check", "render")
HOSTILE: dict[str, tuple[str, tuple[str, ...]]] = {
    "a folder with links outside, a FIFO and loops": ("{d}", ALL),
    "a link to /proc/self/environ given by name": ("env.sla", ALL),
    "/proc/self/environ": ("/proc/self/environ", ALL),
    "a device": ("/dev/zero", ALL),
    "a device of random bytes": ("/dev/urandom", ALL),
    "a chain of 5000 imports": ("chain/f4999.sla", CHECKED),
    "an import holding a NUL": ("nul.sla", CHECKED),
    "an import of a FIFO": ("imp/imports-fifo.sla", CHECKED),
    "an import of a link to a secret": ("imp/imports-secret.sla", CHECKED),
    "an import of a loop of links": ("imp/imports-loop.sla", CHECKED),
}


def _hostile_inputs(tmp_path: Path) -> Path:
    d = _hostile_folder(tmp_path)
    (d / "good.sla").write_text('agreement "x" {\n  term 36\n}\n')
    (d / "env.sla").rename(tmp_path / "env.sla")
    chain = tmp_path / "chain"
    chain.mkdir()
    for i in range(5000):
        (chain / f"f{i:04d}.sla").write_text(f'import "f{i - 1:04d}.sla"\n' if i else "calendar c {}\n")
    (tmp_path / "nul.sla").write_text('import "a\\u0000b.sla"\n')
    imp = tmp_path / "imp"
    imp.mkdir()
    (imp / "secret.sla").symlink_to(tmp_path / "outside" / "secret.sla")
    (imp / "loop.sla").symlink_to(imp / "loop.sla")
    os.mkfifo(imp / "fifo.sla")
    for name in ("fifo", "secret", "loop"):
        (imp / f"imports-{name}.sla").write_text(f'import "{name}.sla"\n')
    return d


# Every case in one child process (starting one per case would take half a minute): `sla`'s own
# entry point, which turns any exception into exit 3, with SECRET first in its environment.
_RUN_ALL = """
import contextlib, io, json, sys
from sla.cli import run
results = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["sla", *args]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run()
            code = 0
        except SystemExit as exc:
            code = exc.code
    results.append([args, code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def test_hostile_inputs_end_in_exit_1_or_2_never_a_traceback_or_a_secret(tmp_path: Path) -> None:
    d = _hostile_inputs(tmp_path)
    runs = [
        [command, *(["--format", "json"] if command == "check" and i % 2 else []), path.format(d=d)]
        for i, (path, commands) in enumerate(HOSTILE.values())
        for command in commands
    ]
    done = subprocess.run(
        [sys.executable, "-c", _RUN_ALL, json.dumps(runs)],
        cwd=tmp_path,
        env={"SLA_TEST_SECRET": SECRET, **os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == len(runs)
    for args, code, out, err in results:
        assert code in (1, 2), (args, code, err)
        assert "Traceback" not in err and "internal error" not in err, (args, err)
        assert SECRET not in out + err, args


@pytest.mark.parametrize("fmt", ["human", "json"])
def test_a_pseudo_file_is_checked_but_its_lines_are_never_shown(fmt: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sla", "check", "--format", fmt, "/proc/self/environ"],
        env={"SLA_TEST_SECRET": SECRET, **os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "unknown word 'SLA_TEST_SECRET'" in done.stdout  # the name the user gave: read as named
    assert SECRET not in done.stdout + done.stderr and " | " not in done.stdout


# ------------------------------------------------------------------------- standard input


def test_check_reads_standard_input_as_dash() -> None:
    text = (INVALID / "names-undefined-calendar.sla").read_text()
    code, out, _ = run("check", "-", input=text)
    assert code == 1
    assert "<stdin>:5:18: error SLA102: unknown calendar 'ofice'" in out
    assert "  service desk { calendar ofice }" in out  # the line is quoted from what was read
    assert out.endswith("1 file checked: 1 error, 0 warnings\n")
    assert run("check", "-", input=(VALID / "minimal.sla").read_text())[:2] == (
        0,
        "1 file checked: no problems\n",
    )


def test_stdin_filename_names_the_text_and_finds_its_imports() -> None:
    text = (VALID / "imports.sla").read_text()
    assert run("check", "-", input=text)[0] == 1  # calendars.sla is not in the current folder
    name = str(VALID / "imports.sla")
    code, out, _ = run("check", "--format", "json", "--stdin-filename", name, "-", input=text)
    data = json.loads(out)
    assert code == 0, out
    assert data["files"] == [name] and data["diagnostics"] == []
    code, out, _ = run(
        "check", "--format", "sarif", "--stdin-filename", "drafts/x.sla", "-", input="agreement {"
    )
    [result] = json.loads(out)["runs"][0]["results"]
    assert code == 1 and result["ruleId"] == "SLA001"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "drafts/x.sla"


def test_stdin_is_checked_beside_files_and_within_the_size_limit() -> None:
    code, out, _ = run("check", "--format", "json", str(VALID / "minimal.sla"), "-", input="agreement {")
    data = json.loads(out)
    assert code == 1 and data["files"] == [str(VALID / "minimal.sla"), "<stdin>"]
    code, out, _ = run("check", "-", input="# " + "x" * 200, env={"SLA_MAX_BYTES": "100"})
    assert code == 1
    assert "<stdin>:1:1: error SLA006: the file is over the 100 bytes limit" in out
    code, out, _ = run("check", "-", input=b"\xff\xfe")  # type: ignore[arg-type]  # click takes bytes too
    assert code == 1 and "<stdin>:1:1: error SLA007: the file is not UTF-8 text (byte 0xff)" in out


def test_stdin_filename_without_dash_is_a_usage_error() -> None:
    code, _, err = run("check", "--stdin-filename", "x.sla", str(VALID / "minimal.sla"))
    assert (code, err) == (2, "sla: --stdin-filename names standard input: give - among the paths\n")
