"""`sla render`: the Word format and archival PDFs from the command line (the rest of the command is
tested in tests/test_render.py)."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pypdf
import pytest

from sla.cli.render import plan
from tests.cli import run
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_help_names_docx_and_the_archive() -> None:
    code, out, _ = run("render", "--help")
    assert code == 0
    assert "[md|html|pdf|docx]" in out and "--archive / --no-archive" in out
    assert "PDF/A-3" in out


def test_binary_formats_go_beside_their_source(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "break-fix.sla", tmp_path / "dental.sla")
    for to in ("docx", "pdf"):
        code, out, err = run("render", str(tmp_path / "dental.sla"), "--to", to)
        assert code == 0 and out == "" and "rendered 1, failed 0" in err
        assert (tmp_path / f"dental.{to}").stat().st_size > 10_000


@pytest.mark.parametrize("to", ["pdf", "docx"])
def test_binary_formats_are_not_printed_to_a_terminal(monkeypatch: pytest.MonkeyPatch, to: str) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(SystemExit) as exited:
        plan([str(EXAMPLES / "break-fix.sla")], to, "en", None, "-")
    assert exited.value.code == 2


def test_no_archive_makes_a_plain_pdf(tmp_path: Path) -> None:
    out = tmp_path / "plain.pdf"
    code, _, _ = run(
        "render", str(EXAMPLES / "block-hours.sla"), "--to", "pdf", "--no-archive", "-o", str(out)
    )
    assert code == 0
    reader = pypdf.PdfReader(out)
    assert reader.attachments == {}
    code, _, _ = run("render", str(EXAMPLES / "block-hours.sla"), "--to", "pdf", "--archive", "-o", str(out))
    assert code == 0 and sorted(pypdf.PdfReader(out).attachments) == ["agreement.json", "agreement.sla"]


def test_the_archive_flags_leave_other_formats_alone() -> None:
    plain = run("render", str(EXAMPLES / "break-fix.sla"))
    assert run("render", str(EXAMPLES / "break-fix.sla"), "--no-archive") == plain


def test_a_character_the_pdf_cannot_show_fails_that_file_with_a_hint(tmp_path: Path) -> None:
    text = (EXAMPLES / "break-fix.sla").read_text(encoding="utf-8").replace("Lakeside", "湖畔 Lakeside", 1)
    (tmp_path / "cjk.sla").write_text(text, encoding="utf-8")
    code, _, err = run("render", str(tmp_path / "cjk.sla"), "--to", "pdf")
    assert code == 1 and "error SLA402" in err and "could not be displayed" in err
    assert "--no-archive" in err and "Traceback" not in err
    code, _, _ = run("render", str(tmp_path / "cjk.sla"), "--to", "pdf", "--no-archive")
    assert code == 0 and (tmp_path / "cjk.pdf").is_file()
