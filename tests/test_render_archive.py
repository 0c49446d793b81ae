"""Archival PDFs: PDF/A-3 and PDF/UA-1, tagged, with the agreement attached as .sla text and as
JSON that load back to the same model; the same bytes every time; --no-archive leaves it out."""

from __future__ import annotations

import io
import re
import shutil
from functools import cache
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

import sla
from sla import model as m
from sla.cli import main
from sla.render import ATTACHMENTS, archive_files, render
from tests.conftest import ROOT
from tests.test_render import EVIL, _sla_string

EXAMPLES = ROOT / "examples"


@cache
def agreements() -> dict[str, m.Agreement]:
    return {
        f"{path.stem}:{a.id or a.title}": a
        for path in sorted(EXAMPLES.glob("*.sla"))
        for a in sla.load(path).agreements
    }


def pdf(agreement: m.Agreement, locale: str = "en", **options: object) -> bytes:
    data = render(agreement, "pdf", locale, **options)  # type: ignore[arg-type]
    assert isinstance(data, bytes)
    return data


def attachments(data: bytes) -> dict[str, bytes]:
    found = pypdf.PdfReader(io.BytesIO(data)).attachments
    return {name: contents[0] for name, contents in found.items()}


def xmp(data: bytes) -> str:
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    return str(root["/Metadata"].get_object().get_data().decode("utf-8"))


def standards(data: bytes) -> dict[str, str]:
    return dict(re.findall(r"<(pdfa?u?aid:\w+)>([^<]*)<", xmp(data)))


@pytest.mark.parametrize("key", list(agreements()))
@pytest.mark.parametrize("locale", ["en", "de"])
def test_every_example_carries_its_agreement(key: str, locale: str) -> None:
    agreement = agreements()[key]
    data = pdf(agreement, locale)
    assert data == pdf(agreement, locale)  # the same bytes every time
    files = attachments(data)
    assert sorted(files) == sorted(ATTACHMENTS)
    # The JSON export loads back into the same model, and so does the .sla text, on its own
    (back,) = sla.loads_json(files["agreement.json"].decode("utf-8")).agreements
    assert back == agreement
    (written,) = sla.loads(files["agreement.sla"].decode("utf-8")).agreements
    assert written == agreement
    assert standards(data) == {"pdfaid:part": "3", "pdfaid:conformance": "A", "pdfuaid:part": "1"}
    assert f"<rdf:li>{locale}</rdf:li>" in xmp(data)


def test_a_tagged_pdf_with_associated_files() -> None:
    data = pdf(agreements()["managed:MSA-2027-031"])
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert len(root["/AF"]) == 2  # PDF/A-3 declares the attachments as associated files
    relationships = sorted(str(spec.get_object()["/AFRelationship"]) for spec in root["/AF"])
    assert relationships == ["/Alternative", "/Source"]
    assert "1970-01-01T00:00:00" in xmp(data)


def test_the_json_is_the_export_and_the_sla_text_stands_alone() -> None:
    agreement = agreements()["managed:MSA-2027-031"]
    files = archive_files(agreement)
    assert files["agreement.json"] == sla.dumps(m.SlaFile(documents=(agreement,)))
    text = files["agreement.sla"]
    assert "import" not in text and "calendar always {" in text  # the imported calendars, inside
    original = (EXAMPLES / "break-fix.sla").read_text(encoding="utf-8")
    data = pdf(agreements()["break-fix:BF-2027-0112"], source=original)
    assert attachments(data)["agreement.sla"].decode("utf-8") == original  # as written, when given


def test_no_archive_is_a_plain_pdf() -> None:
    agreement = agreements()["block-hours:RET-2027-007"]
    plain = pdf(agreement, archive=False)
    assert attachments(plain) == {} and "pdfaid" not in plain.decode("latin-1")
    reader = pypdf.PdfReader(io.BytesIO(plain))
    assert reader.metadata is not None and "/CreationDate" not in reader.metadata
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])  # tagged all the same


def test_hostile_text_is_carried_exactly() -> None:
    s = {k: _sla_string(v) for k, v in EVIL.items()}
    text = (
        f"agreement {s['title']} {{\n id {s['id']}; provider {s['provider']}; customer {s['customer']}\n"
        " model managed; currency EUR; start 2027-01-01; term 12 months\n"
        f' service desk {s["service"]} {{ quantity 3 users; includes {s["include"]}, "\\u001b[2J" }}\n'
        " fees { recurring desk 1.00 per user monthly }\n}\n"
    )
    (agreement,) = sla.loads(text).agreements
    data = pdf(agreement)
    files = attachments(data)
    (back,) = sla.loads_json(files["agreement.json"].decode("utf-8")).agreements
    assert back == agreement and back.title == EVIL["title"]
    assert sla.loads(files["agreement.sla"].decode("utf-8")).agreements[0] == agreement
    # The page shows a control character written out: no font has a glyph for it
    shown = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "\\x1b[2J" in shown and "\x1b" not in shown


def test_a_character_the_fonts_lack_is_a_clear_error() -> None:
    (agreement,) = sla.loads(
        'agreement "東京 Managed IT" { provider "P"; customer "C"; model managed; currency EUR\n'
        " start 2027-01-01; term 12 months\n service desk { quantity 3 users }\n"
        " fees { recurring desk 1.00 per user monthly }\n}\n"
    ).agreements
    with pytest.raises(sla.SlaError) as caught:
        pdf(agreement)
    (d,) = caught.value.diagnostics
    assert d.code == "SLA402" and "could not be displayed" in d.message
    assert d.hint is not None and "--no-archive" in d.hint
    assert pdf(agreement, archive=False)  # left out, as before


def test_a_custom_template_makes_pdf_a_3b(tmp_path: Path) -> None:
    (tmp_path / "contract.typ.j2").write_text("#{{ contract.title }}\n", encoding="utf-8")
    data = pdf(agreements()["break-fix:BF-2027-0112"], template_dir=tmp_path)
    assert standards(data) == {"pdfaid:part": "3", "pdfaid:conformance": "B"}
    assert sorted(attachments(data)) == sorted(ATTACHMENTS)


# --- sla render --to pdf --archive --------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def test_archive_from_the_command_line(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "managed.sla", tmp_path)
    shutil.copy(EXAMPLES / "calendars.sla", tmp_path)
    out = tmp_path / "signed.pdf"
    code, _ = run("render", str(tmp_path / "managed.sla"), "--to", "pdf", "--archive", "-o", str(out))
    assert code == 0
    data = out.read_bytes()
    assert data == pdf(agreements()["managed:MSA-2027-031"])  # the default, as from Python
    files = attachments(data)
    loaded = sla.load(tmp_path / "managed.sla").agreements[0]
    assert sla.loads_json(files["agreement.json"].decode("utf-8")).agreements[0] == loaded
    code, _ = run("render", str(tmp_path / "managed.sla"), "--to", "pdf", "--no-archive", "-o", str(out))
    assert code == 0 and attachments(out.read_bytes()) == {}
    # One job: Typst, once it has compiled in a process, hangs in a child forked from it, and
    # this test process has compiled (the command itself never compiles before it forks).
    code, _ = run("render", str(tmp_path), "--to", "pdf", "-o", str(tmp_path / "all"), "--jobs", "1")
    assert code == 0 and sorted(attachments((tmp_path / "all" / "managed.pdf").read_bytes())) == sorted(
        ATTACHMENTS
    )
