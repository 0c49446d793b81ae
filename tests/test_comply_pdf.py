"""The compliance report as a PDF for the customer (`sla comply --pdf`, `report_pdf`): its text
in English and German, a not-measured availability, the chart of a multi-month report, the same
bytes for the same input, and hostile text shown as written; and as a Word document (`--docx`)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner

import sla
from sla.cli import main
from sla.comply import comply
from sla.comply.words import report_docx, report_pdf

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "compliance"
VIENNA = EXAMPLES / "vienna"


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["comply", *args], catch_exceptions=False)


def example_args(*extra: str, outages: bool = True) -> list[str]:
    args = [str(ROOT / "examples" / "managed.sla"), "--tickets", str(EXAMPLES / "tickets.csv")]
    args += ["--events", str(EXAMPLES / "events.csv")]
    if outages:
        args += ["--outages", str(EXAMPLES / "outages.csv")]
    return args + list(extra)


def text_of(pdf: bytes) -> str:
    """The PDF's text, each run of white space one space (table cells are on one line)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def vienna_report() -> Any:
    agreement = sla.load(VIENNA / "vienna.sla").agreements[0]
    return comply(
        agreement,
        str(VIENNA / "tickets.csv"),
        events=str(VIENNA / "events.csv"),
        outages=str(VIENNA / "outages.csv"),
        exclusions=str(VIENNA / "exclusions.csv"),
    )


def test_the_example_month_in_english(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = cli(*example_args("--pdf", str(out)))
    assert result.exit_code == 0, result.output
    assert "Breaches (7)" in result.output  # the tables are printed as well
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in (
        "Service level report",
        "Kessler Präzisionstechnik Managed IT Services",
        "MSA-2027-031",
        "April 1, 2027 – April 30, 2027",
        "April 2027 (2027-04)",
        "P1 response 30m on always 3 1 2 0 33.333%",  # a target with its attainment
        "INC-1002 P1 response always 2027-04-07 22:40 CEST 2027-04-07 22:55 CEST 15m 15m",  # a breach
        "2027-05-01 00:00 CEST (still open)",
        "servers 99.9% 2027-04 43,200 150 90 99.791% no",
        "network 99.8% 2027-Q2 (to date)",
        "availability 99.791%: 5% of the monthly fee €1,620.00 €81.00",
        "2 missed × €150.00 €300.00",
        "Cap: 25% of the monthly fee €9,468.50 €2,367.13",
        "Owed €681.00",
        "Rows: 24 read, 20 used, 4 not used.",
        "unknown priority 'P9' (the agreement has P1, P2, P3, P4)",
        "no ticket 'INC-2000' in the tickets file",
    ):
        assert expected in text, expected


def test_availability_not_measured_is_a_row(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert cli(*example_args("--pdf", str(out), outages=False)).exit_code == 0
    text = text_of(out.read_bytes())
    assert "servers 99.9% 2027-04 not measured: no outage data for servers -" in text


def test_german(tmp_path: Path) -> None:
    out = tmp_path / "bericht.pdf"
    assert cli(*example_args("--pdf", str(out), "--locale", "de")).exit_code == 0
    text = text_of(out.read_bytes())
    for expected in (
        "Service-Level-Bericht",
        "1. April 2027 – 30. April 2027",
        "April 2027 (2027-04)",
        "Priorität Ziel Vereinbart Anzahl Eingehalten Verletzt Offen Erfüllungsgrad",
        "P1 Reaktion 30m on always 3 1 2 0 33,333 %",
        "INC-1003 P2 Lösung extended",
        "(noch offen)",
        "servers 99,9 % 2027-04 43.200 150 90 99,791 % nein",
        "Verfügbarkeit 99,791 %: 5 % der Monatsgebühr 1.620,00 € 81,00 €",
        "Obergrenze: 25 % der Monatsgebühr 9.468,50 € 2.367,13 €",
        "Geschuldet 681,00 €",
        "Nicht verwendete Zeilen",
        "Zeilen: 24 gelesen, 20 verwendet, 4 nicht verwendet.",
        "Seite 1 von 2",
    ):
        assert expected in text, expected


def test_several_months_have_a_chart_and_a_page_each() -> None:
    report = vienna_report()
    for locale, words in (
        ("en", ("Targets met, month by month", "Jan 2027", "72.7%", "100%", "Rolling cap: 10%")),
        ("de", ("Eingehaltene Ziele je Monat", "Jan. 2027", "72,7 %", "Rollierende Obergrenze")),
    ):
        pdf = report_pdf(report, locale)
        text = text_of(pdf)
        for expected in words:
            assert expected in text, expected
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        starts = [
            i
            for i, page in enumerate(reader.pages)
            if re.search(r"^\d \S+ 2027 \(2027-0\d\)$", page.extract_text(), re.MULTILINE)
        ]
        assert len(starts) == 4  # each month begins a page of its own


def test_one_month_has_no_chart(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert cli(*example_args("--pdf", str(out))).exit_code == 0
    assert "Targets met, month by month" not in text_of(out.read_bytes())


def test_same_input_same_bytes() -> None:
    report = vienna_report()
    assert report_pdf(report, "de") == report_pdf(vienna_report(), "de")
    assert report_pdf(report) != report_pdf(report, "de")


def test_archival_and_tagged() -> None:
    pdf = report_pdf(vienna_report())
    assert b"pdfaid:part" in pdf or b"<pdfaid:part>3" in pdf
    assert b"/StructTreeRoot" in pdf
    assert b"/CreationDate (D:19700101000000Z)" in pdf or b"D:19700101000000Z" in pdf


HOSTILE = '#set page(fill: red)] $x^2$ <a> @b *bold* _it_ {{ 7*7 }} \\" \\\\ x'


def test_hostile_text_is_shown_as_written(tmp_path: Path) -> None:
    body = (
        'provider "P"; customer "C"; model break_fix; currency EUR; start 2027-01-01; term 12 months\n'
        "fees { rate engineer 100.00 per hour }\n"
        'calendar always { timezone "Europe/Berlin"; hours 24x7 }\n'
        "priority P1 { response 30m on always }\n"
    )
    path = tmp_path / "a.sla"
    path.write_text(f'agreement "{HOSTILE}" {{\n{body}}}\n', encoding="utf-8")
    tickets = tmp_path / "t.csv"
    ticket_id = "#pagebreak() [x](y) $z$ \x1b"
    tickets.write_text(
        f'id,priority,opened,first_response,resolved\n"{ticket_id}",P1,2027-06-07 10:00,2027-06-07 11:00,\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.pdf"
    result = cli(str(path), "--tickets", str(tickets), "--pdf", str(out))
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    text = text_of(pdf)
    title = sla.load(path).agreements[0].title
    assert title in text  # every character as written, none read as Typst markup
    assert "49" not in text.replace("2027-06", "")
    assert "#pagebreak() [x](y) $z$ \\x1b P1 response" in text  # a control character written out
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1  # no page break was obeyed


def test_a_character_without_a_glyph_gives_a_plain_pdf(tmp_path: Path) -> None:
    """PDF/A must show every character: a ticket id the built-in fonts cannot show makes a plain
    PDF rather than no report."""
    tickets = tmp_path / "t.csv"
    tickets.write_text(
        (EXAMPLES / "tickets.csv").read_text(encoding="utf-8").replace("INC-1002", "票-1002"),
        encoding="utf-8",
    )
    args = example_args("--pdf", str(tmp_path / "r.pdf"))
    args[args.index(str(EXAMPLES / "tickets.csv"))] = str(tickets)
    assert cli(*args).exit_code == 0
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"pdfaid:part" not in pdf
    assert "Owed €681.00" in text_of(pdf)


def test_an_empty_report(tmp_path: Path) -> None:
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened,first_response,resolved\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert (
        cli(str(ROOT / "examples" / "managed.sla"), "--tickets", str(tickets), "--pdf", str(out)).exit_code
        == 0
    )
    assert "No period to report" in text_of(out.read_bytes())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--pdf", "-"), "--pdf needs a file name"),
        (("--pdf", "x.pdf", "--locale", "xx"), "unknown locale 'xx'"),
    ],
)
def test_usage_errors(extra: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(main, ["comply", *example_args(*extra)])
    assert result.exit_code == 2 and message in result.output


def test_other_locales_have_english_words_and_their_own_numbers() -> None:
    text = text_of(report_pdf(vienna_report(), "fr"))
    assert "Targets met, month by month" in text and "72,7 %" in text
    assert "Targets met, month by month" in text_of(
        report_pdf(vienna_report(), "es_419")
    )  # a region Typst lacks


# -- Word ----------------------------------------------------------------------------------------


def docx_text(data: bytes) -> tuple[Any, str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [" | ".join(c.text for c in row.cells) for table in document.tables for row in table.rows]
    return document, "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_word_document_in_german(tmp_path: Path) -> None:
    out = tmp_path / "bericht.docx"
    result = cli(*example_args("--docx", str(out), "--locale", "de", outages=False))
    assert result.exit_code == 0, result.output
    document, text = docx_text(out.read_bytes())
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "April 2027 (2027-04)") in headings
    assert ("Heading 2", "Verfügbarkeit") in headings and ("Heading 1", "Nicht verwendete Zeilen") in headings
    assert document.paragraphs[1].style.name == "Title"
    for expected in (
        "P1 | Reaktion | 30m on always | 3 | 1 | 2 | 0 | 33,333\xa0%",
        "INC-1002 | P1 | Reaktion | always | 2027-04-07 22:40 CEST",
        "servers | 99,9\xa0% | 2027-04 | - | - | - | nicht gemessen: no outage data for servers | -",
        "Geschuldet | Geschuldet | Geschuldet | 600,00\xa0€",
        "unknown priority 'P9'",
    ):
        assert expected in text, expected


def test_word_document_has_the_months_and_the_same_bytes() -> None:
    report = vienna_report()
    data = report_docx(report)
    assert data == report_docx(vienna_report())
    _, text = docx_text(data)
    assert "Jan 2027 | 72.7%" in text and "Targets met, month by month" in text


def test_word_document_shows_hostile_text_as_written() -> None:
    agreement = sla.loads(
        'agreement "<w:t>x</w:t> \\u001b" { provider "P"; customer "C"; model break_fix; currency EUR\n'
        "start 2027-01-01; term 12 months; fees { rate engineer 100.00 per hour }\n"
        'calendar always { timezone "Europe/Berlin"; hours 24x7 }\npriority P1 { response 30m on always } }'
    ).agreements[0]
    report = comply(agreement, str(EXAMPLES / "tickets.csv"))
    document, _ = docx_text(report_docx(report))
    assert agreement.title == "<w:t>x</w:t> \x1b"
    assert document.paragraphs[1].text == "<w:t>x</w:t> \\x1b"  # the control character written out
