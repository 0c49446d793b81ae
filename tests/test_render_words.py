"""Words for people: titles, clauses and the second wave's constructs in every contract, with no
identifier where a title or words exist (LANGUAGE.md, "Second wave: words for people")."""

from __future__ import annotations

import pytest

import sla
from sla.render import render
from tests.conftest import ROOT

AGREEMENT = ROOT / "tests" / "data" / "words.sla"


def text(to: str, locale: str = "en") -> str:
    out = render(sla.load(str(AGREEMENT)).agreements[0], to, locale=locale)
    if isinstance(out, bytes):
        from io import BytesIO

        from pypdf import PdfReader

        return " ".join((page.extract_text() or "") for page in PdfReader(BytesIO(out)).pages)
    return out


@pytest.mark.parametrize("to", ["md", "html"])
def test_the_second_wave_reads_as_words(to: str) -> None:
    found = text(to)
    for words in (
        "by close of business on the working day the ticket is raised",
        "by close of business 1 working day after the working day the ticket is raised",
        "other than “Pentecost Monday”",
        "December 24, 2027, 12:00-24:00",
        "once, on March 13, 2027, 22:00-04:00",
        "measured only during Practice hours",
        "The credits of any 12 consecutive months are capped at 10% of the recurring fees of those months.",
        "A ticket is measured at the most urgent priority it had.",
        "Update interval of P4 (Request)",
        "30 minutes, around the clock",
        "Senior engineer",
        "Onboarding and migration",
        "Around the clock",
    ):
        assert words in found, words
    for identifier in ("praxis", " always", "onboarding ", "engineer "):
        assert identifier not in found.replace("Senior engineer", "").replace("Praxis Dr.", ""), identifier


def test_clauses_follow_the_sla_sections_in_order_under_their_titles() -> None:
    found = text("md")
    liability = found.index("## 11. Limitation of liability")
    assert found.index("The provider's liability is limited") > liability
    assert liability < found.index("## 12. Data protection") < found.index("## 13. Signatures")
    assert found.index("## 10. Rates for additional work") < liability


def test_german_and_pdf_say_the_same() -> None:
    german = text("md", "de")
    assert "bis Geschäftsschluss des Arbeitstags, an dem das Ticket gemeldet wird" in german
    assert "Ein Ticket wird in der dringendsten Priorität gemessen, die es je hatte." in german
    assert "einmalig am 13. März 2027" in german
    pdf = " ".join(text("pdf").split())
    assert "Limitation of liability" in pdf and "Onboarding and migration" in pdf


def test_word_holds_the_clauses_as_headings() -> None:
    from io import BytesIO

    from docx import Document

    out = render(sla.load(str(AGREEMENT)).agreements[0], "docx")
    assert isinstance(out, bytes)
    doc = Document(BytesIO(out))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert "11. Limitation of liability" in headings and "12. Data protection" in headings
