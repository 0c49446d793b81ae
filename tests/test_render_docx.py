"""Word contracts: opened with python-docx, their headings are Word heading styles, their tables
Word tables, their footer numbers the pages; golden text for every example in English and German;
the same bytes every time; agreement text shown as text."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

import sla
from sla import model as m
from sla.cli import main
from sla.render import contract_view, render
from tests.conftest import DATA, ROOT, golden
from tests.test_render import EVIL, _sla_string

GOLDEN = DATA / "render"
EXAMPLES = ROOT / "examples"


def agreements() -> list[tuple[str, m.Agreement]]:
    """Every agreement of the examples, by file stem."""
    found = []
    for path in sorted(EXAMPLES.glob("*.sla")):
        for agreement in sla.load(path).agreements:
            found.append((path.stem, agreement))
    return found


AGREEMENTS = agreements()


@cache
def example(name: str) -> m.Agreement:
    return dict(AGREEMENTS)[name]


def word(agreement: m.Agreement, locale: str = "en") -> bytes:
    data = render(agreement, "docx", locale)
    assert isinstance(data, bytes)
    return data


def opened(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def rows(table: Table) -> list[list[str]]:
    """The text of each row, a merged cell once."""
    found = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        found.append(cells)
    return found


def as_text(doc: Document) -> str:
    """The document as lines: each paragraph with its style, each table row as `| a | b |`,
    and the page header and footer."""
    section = doc.sections[0]
    lines = [f"header: {p.text}" for p in section.header.paragraphs]
    lines += [f"footer: {p.text}" for p in section.footer.paragraphs]
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, doc)
            if paragraph.text:
                lines.append(f"[{paragraph.style.name if paragraph.style else ''}] {paragraph.text}")
        elif child.tag == qn("w:tbl"):
            lines += ["| " + " | ".join(cells) + " |" for cells in rows(Table(child, doc))]
            lines.append("")
    return "\n".join(lines) + "\n"


def styled(doc: Document, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == style]


def table_with(doc: Document, *header: str) -> Table:
    """The one table whose header row starts with these cells."""
    (table,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells[: len(header)]] == list(header)]
    return table


# --- golden text, every example, English and German -------------------------------------------


def test_every_example_is_covered() -> None:
    assert {name for name, _ in AGREEMENTS} >= {"managed", "break-fix", "block-hours", "managed-plus-tm"}


@pytest.mark.parametrize("locale", ["en", "de"])
@pytest.mark.parametrize("name", [name for name, _ in AGREEMENTS])
def test_golden_text(name: str, locale: str) -> None:
    data = word(example(name), locale)
    assert data == word(example(name), locale)  # the same bytes every time
    actual = as_text(opened(data))
    suffix = "" if locale == "en" else f".{locale}"
    assert actual == golden(GOLDEN / f"{name}{suffix}.docx.txt", actual)


# --- Word's own structure -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def managed() -> Document:
    return opened(word(example("managed")))


def test_headings_are_word_heading_styles(managed: Document) -> None:
    view = contract_view(example("managed"))
    assert styled(managed, "Title") == ["Kessler Präzisionstechnik Managed IT Services"]
    assert styled(managed, "Heading 1") == [f"{s.number}. {s.title}" for s in view.sections]
    assert styled(managed, "Heading 1")[:3] == ["1. Parties", "2. Term and renewal", "3. Services"]
    level2 = styled(managed, "Heading 2")
    assert level2[:2] == ["Service Desk", "Server and Backup Management"]
    assert {"Recurring fees", "One-time fees", "Year 1", "Year 3"} <= set(level2)
    assert styled(managed, "TOC Heading") == ["Contents"]


def test_tables_are_word_tables(managed: Document) -> None:
    parties = rows(managed.tables[0])
    assert parties[0] == ["", "Provider", "Customer"]
    assert parties[1] == ["Name", "Alpenwerk IT Services GmbH", "Kessler Präzisionstechnik GmbH"]
    bands = rows(table_with(managed, "Band (users)"))
    assert bands == [
        ["Band (users)", "Price per user", "Units priced", "Amount"],
        ["1–100", "€42.00", "—", "—"],
        ["101–200", "€38.50", "140", "€5,390.00"],
        ["201 or more", "€35.00", "—", "—"],
        ["Per invoice", "140", "€5,390.00"],
    ]
    reached = table_with(managed, "Band (users)").rows[2].cells[0].paragraphs[0].runs[0]
    assert reached.bold
    graduated = rows(table_with(managed, "Band (mailboxes)"))
    assert [r[2] for r in graduated[1:-1]] == ["50", "100", "5"]
    assert graduated[-1] == ["Per invoice", "155", "€799.50"]
    recurring = rows(table_with(managed, "Service", "Quantity"))
    assert recurring[1] == [
        "Service Desk",
        "140 users",
        "€38.50 per user (band 101–200)",
        "monthly",
        "€5,390.00",
    ]
    assert any(["Total for year 1", "€113,622.00"] in rows(t) for t in managed.tables)
    for table in managed.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None  # repeats


def test_page_numbers_header_and_language(managed: Document) -> None:
    section = managed.sections[0]
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert section.footer.paragraphs[0].text.startswith("Page 1 of ")
    assert (
        section.header.paragraphs[0].text
        == "MSA-2027-031, version 1.2\tKessler Präzisionstechnik Managed IT Services"
    )
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    german = opened(word(example("managed"), "de"))
    assert german.sections[0].footer.paragraphs[0].text.startswith("Seite 1 von ")
    assert styled(german, "Heading 1")[0] == "1. Vertragsparteien"
    assert 'w:val="de"' in german.styles["Normal"].element.xml


def test_contents_is_a_table_of_contents_field(managed: Document) -> None:
    body = managed.element.body.xml
    assert 'TOC \\o "1-1"' in body
    assert "1. Parties" in [p.text for p in managed.paragraphs]


def test_the_same_bytes_fixed_dates_nothing_of_the_template() -> None:
    data = word(example("block-hours"), "de")
    assert data == word(example("block-hours"), "de")
    package = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    names = package.namelist()
    assert names[0] == "[Content_Types].xml" and "word/document.xml" in names
    assert not any("thumbnail" in n or n == "docProps/app.xml" for n in names)
    core = opened(data).core_properties
    assert core.created == core.modified == datetime(1970, 1, 1, tzinfo=UTC)
    assert core.title == "Marlow Bennett Architects Support Retainer"
    assert core.author == "Fenwick & Hale IT Ltd; Marlow Bennett Architects LLP"
    assert core.last_modified_by == "" and core.comments == "" and core.language == "de"


def test_block_hours_say_who_draws_and_how_much() -> None:
    doc = opened(word(example("block-hours")))
    blocks = rows(table_with(doc, "Block"))
    assert blocks[1] == [
        "20 hours",
        "£1,900.00",
        "monthly",
        "Consultant",
        "roll over for 3 months",
        "billed at the Consultant rate, £110.00 per hour",
    ]
    assert blocks[2][3:5] == ["Technician", "expire at the end of their month"]
    draws = rows(table_with(doc, "Work started", "Prepaid hours per hour of work"))
    assert draws[1:] == [["Outside the hours of calendar office", "1.5"], ["At any other time", "1"]]


def test_a_rate_card_reads_as_one(managed: Document) -> None:
    doc = opened(word(example("break-fix")))
    assert styled(doc, "Heading 1")[2] == "3. Rate card"
    rates = rows(table_with(doc, "Role"))
    assert rates[1] == [
        "Technician",
        "$115.00 per hour",
        "15 minutes",
        "30 minutes remote and 1 hour on site",
    ]
    text = as_text(doc)
    assert "Call-out: $85.00 per visit" in text and "Travel: $0.70 per mile" in text
    assert "Materials: cost plus 18%" in text and "Price schedule" not in text


# --- text is text -------------------------------------------------------------------------------


def test_agreement_text_is_text() -> None:
    s = {k: _sla_string(v) for k, v in EVIL.items()}
    control = '"Desk \\u001b[31m red \\u0007 bell \\u0085 next \\t tab"'
    text = (
        f"agreement {s['title']} {{\n id {s['id']}; version {s['version']}\n"
        f" provider {s['provider']}\n customer {s['customer']}\n"
        " model managed; currency EUR; start 2027-01-01; term 12 months\n"
        f" governing_law {s['law']}\n"
        ' calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00 }\n'
        f" service desk {control} {{ quantity 3 users\n  includes {s['include']}\n"
        f"  excludes {s['exclude']}\n }}\n"
        f" priority P1 {s['priority']} {{ response 1h }}\n clock {{ pause when {s['status']} }}\n"
        " fees { recurring desk 1.00 per user monthly }\n}\n"
    )
    (agreement,) = sla.loads(text).agreements
    shown = as_text(opened(word(agreement)))
    for key, value in EVIL.items():
        assert value in shown or key == "service", value
    assert "Desk \\x1b[31m red \\x07 bell \\x85 next   tab" in shown
    assert "\x1b" not in shown and "\x07" not in shown


# --- sla render --to docx -----------------------------------------------------------------------


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_batch_beside_each_source_and_into_a_folder(tmp_path: Path) -> None:
    src = tmp_path / "contracts"
    src.mkdir()
    for name in ("managed", "break-fix", "calendars"):
        shutil.copy(EXAMPLES / f"{name}.sla", src / f"{name}.sla")
    code, _, err = run("render", str(src), "--to", "docx", "-o", str(tmp_path / "out"), "--jobs", "2")
    assert code == 0 and err.rstrip().endswith("rendered 2, failed 0, skipped 1")
    written = tmp_path / "out" / "managed.docx"
    assert written.read_bytes() == word(example("managed"))
    code, _, _ = run("render", str(src / "break-fix.sla"), "--to", "docx", "--locale", "de")
    assert code == 0 and (src / "break-fix.docx").read_bytes() == word(example("break-fix"), "de")
    code, out, _ = run("render", str(src / "break-fix.sla"), "--to", "docx", "-o", "-")
    assert code == 0 and out == word(example("break-fix"))


def test_docx_takes_no_template(tmp_path: Path) -> None:
    code, _, err = run("render", str(EXAMPLES / "managed.sla"), "--to", "docx", "--template", str(tmp_path))
    assert code == 2 and "a DOCX contract is written without a template" in err
    with pytest.raises(ValueError, match="written without a template"):
        render(example("managed"), "docx", template_dir=tmp_path)
