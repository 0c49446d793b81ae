"""`sla fmt`: printing, --check and --write, standard input, and files it must leave alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.cli import run
from tests.conftest import DATA

VALID = DATA / "valid"


def test_fmt_prints_check_and_write(tmp_path: Path) -> None:
    messy = tmp_path / "messy.sla"
    messy.write_text((VALID / "comments-and-layout.sla").read_text())
    code, out, _ = run("fmt", str(messy))
    assert code == 0 and out.startswith("# Comments everywhere")
    assert run("fmt", "--check", str(messy))[0] == 1
    assert run("fmt", "--write", str(messy))[0] == 0
    assert messy.read_text() == out
    assert run("fmt", "--check", str(messy))[0] == 0


def test_fmt_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sla"
    broken.write_text('agreement "x" {\n  term 36\n}\n')
    before = broken.read_bytes()
    code, _, err = run("fmt", "--write", str(broken))
    assert code == 1 and "SLA001" in err
    assert broken.read_bytes() == before


def test_fmt_stdin() -> None:
    code, out, _ = run("fmt", "-", input='agreement "x" { id "1"; version "2" }')
    assert code == 0
    assert out == 'agreement "x" {\n  id "1"\n  version "2"\n}\n'


def test_fmt_write_failure_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messy = tmp_path / "messy.sla"
    messy.write_text((VALID / "comments-and-layout.sla").read_text())

    def refuse(path: str, data: str, **options: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sla.files.write_atomic", refuse)
    code, _, err = run("fmt", "--write", str(messy))
    assert code == 2
    assert "cannot write" in err and "Permission denied" in err


def test_fmt_check_and_write_together_is_a_usage_error() -> None:
    code, _, err = run("fmt", "--check", "--write", str(VALID / "minimal.sla"))
    assert (code, err) == (2, "sla: use --check or --write, not both\n")


def test_fmt_of_a_folder_formats_only_regular_files_inside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.sla"
    outside.write_text('agreement "x" { id "1" }')
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.sla").write_text('agreement "a" { id "1" }')
    (d / "out.sla").symlink_to(outside)
    os.mkfifo(d / "fifo.sla")
    code, _, err = run("fmt", "--write", str(d))
    assert code == 0
    assert err.splitlines() == [
        f"sla: skipped {str(d / 'fifo.sla')!r}: a FIFO, not a regular file",
        f"sla: skipped {str(d / 'out.sla')!r}: a link to a file outside {str(d)!r}",
        f"reformatted {d / 'a.sla'}",
    ]
    assert outside.read_text() == 'agreement "x" { id "1" }'


def test_fmt_write_on_a_link_rewrites_the_file_it_leads_to(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    target = versions / "v2.sla"
    target.write_text('agreement "x" { id "1" }')
    target.chmod(0o640)
    link = tmp_path / "current.sla"
    link.symlink_to("versions/v2.sla")
    code, _, err = run("fmt", "--write", str(link))
    assert (code, err) == (0, f"reformatted {link}\n")
    assert link.is_symlink() and os.readlink(link) == "versions/v2.sla"
    assert target.read_text() == 'agreement "x" {\n  id "1"\n}\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_fmt_stdin_filename_names_it_in_messages() -> None:
    code, out, err = run(
        "fmt", "--stdin-filename", "drafts/x.sla", "-", input='agreement "x" {\n  term 36\n}\n'
    )
    assert (code, out) == (1, "")
    assert err.startswith("drafts/x.sla:2:10: error SLA001")
    assert "  term 36" in err  # the line is quoted from what was read
    code, _, err = run("fmt", "--check", "--stdin-filename", "x.sla", "-", input='agreement "x" { id "1" }')
    assert (code, err) == (1, "would reformat x.sla\n")
    assert run("fmt", "--check", "-", input='agreement "x" {\n  id "1"\n}\n')[:3] == (0, "", "")


def test_fmt_stdin_over_the_size_limit_is_refused_while_reading() -> None:
    code, out, err = run("fmt", "-", input="# " + "x" * 200, env={"SLA_MAX_BYTES": "100"})
    assert (code, out) == (1, "")
    assert "<stdin>:1:1: error SLA006: the file is over the 100 bytes limit" in err


def test_fmt_stdin_filename_without_dash_is_a_usage_error() -> None:
    code, _, err = run("fmt", "--stdin-filename", "x.sla", str(VALID / "minimal.sla"))
    assert (code, err) == (2, "sla: --stdin-filename names standard input: give - among the paths\n")
