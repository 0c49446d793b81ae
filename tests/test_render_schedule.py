"""The price schedule in full: tiers, blocks and rate cards in words, and the text of the PDF for
every example agreement, in English and German (golden Markdown and HTML: test_render)."""

from __future__ import annotations

import io
import re
from functools import cache

import pypdf
import pytest

import sla
from sla import model as m
from sla.render import Contract, contract_view, render
from tests.conftest import ROOT

NAMES = sorted(p.stem for p in (ROOT / "examples").glob("*.sla") if sla.load(p).agreements)


@cache
def example(name: str) -> m.Agreement:
    (agreement,) = sla.load(ROOT / "examples" / f"{name}.sla").agreements
    return agreement


def test_every_example_agreement_is_here() -> None:
    assert len(NAMES) >= 7 and {"managed", "break-fix", "block-hours"} <= set(NAMES)


# --- what the view says -------------------------------------------------------------------------


def test_volume_tiers_name_the_band_reached() -> None:
    price = contract_view(example("managed")).price
    assert price is not None
    desk = price.recurring[0]
    assert (desk.service, desk.quantity, desk.unit_price, desk.frequency, desk.per_invoice) == (
        "Service Desk",
        "140 users",
        "€38.50 per user (band 101–200)",
        "monthly",
        "€5,390.00",
    )
    assert desk.tiers == "volume" and desk.tiers_title == "Service Desk: volume tiers"
    assert desk.tiers_rule == (
        "Every user is priced at the band that the total quantity reaches. "
        "The quantity of 140 users falls in the band 101–200."
    )
    assert [(b.units, b.price, b.applies, b.count, b.amount) for b in desk.bands] == [
        ("1–100", "€42.00", False, None, None),
        ("101–200", "€38.50", True, "140", "€5,390.00"),
        ("201 or more", "€35.00", False, None, None),
    ]


def test_graduated_tiers_give_each_band_its_units_in_german() -> None:
    price = contract_view(example("managed"), "de").price
    assert price is not None
    m365 = price.recurring[3]
    assert m365.unit_price == "nach Staffel, siehe unten" and m365.per_invoice == "799,50\xa0€"
    assert m365.band_header == "Staffel (mailboxes)" and m365.price_header == "Preis pro mailbox"
    assert [(b.units, b.count, b.amount) for b in m365.bands] == [
        ("1–50", "50", "300,00\xa0€"),
        ("51–150", "100", "480,00\xa0€"),
        ("ab 151", "5", "19,50\xa0€"),
    ]
    assert m365.total_count == "155"


def test_flat_fees_and_blocks() -> None:
    view = contract_view(example("block-hours"))
    assert view.price is not None
    (check,) = view.price.recurring
    assert (check.quantity, check.unit_price, check.frequency, check.per_invoice) == (
        None,
        "flat fee",
        "quarterly",
        "£350.00",
    )
    remote, onsite = view.blocks
    assert (remote.hours, remote.price, remote.drawn_by, remote.unused, remote.beyond) == (
        "20 hours",
        "£1,900.00",
        "Consultant",
        "roll over for 3 months",
        "billed at the Consultant rate, £110.00 per hour",
    )
    assert remote.summary == "20 hours for £1,900.00 monthly"  # the sentences stay for templates
    assert onsite.unused == "expire at the end of their month"
    assert [(d.when, d.hours) for d in view.block_draws] == [
        ("Outside the hours of calendar office", "1.5"),
        ("At any other time", "1"),
    ]
    assert view.blocks_note is not None and "times the factor of when it starts" in view.blocks_note


def test_multipliers_name_the_calendar_they_count_by() -> None:
    view = contract_view(example("break-fix"))
    assert [(x.kind, x.calendar, x.factor) for x in view.multipliers] == [
        ("after_hours", "office", "1.5×"),
        ("weekends", None, "2×"),
        ("holidays", "office", "2.5×"),
    ]
    assert view.price is None and view.blocks == () and view.blocks_note is None


# --- the PDF's text, every example, English and German ------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"[ \t\r\n]+", " ", " ".join(page.extract_text() for page in reader.pages)).strip()


def schedule_phrases(view: Contract) -> list[str]:
    """What the price schedule and the rate card must show, from the view."""
    found = [s.title for s in view.sections]
    if view.price is not None:
        price = view.price
        found += [price.term_total, price.first_month]
        found += [year.total for year in price.years]
        for fee in price.recurring:
            found += [fee.service, fee.per_invoice]
            found += [fee.quantity] if fee.quantity else []
            if fee.tiers_title:
                found += [fee.tiers_title]
            for band in fee.bands:
                found += [band.units, band.price]
                found += [band.amount] if band.amount else []
        found += [line.amount for line in price.one_time]
    for block in view.blocks:
        found += [block.hours, block.price, block.drawn_by]
    found += [r.rate for r in view.rates] + [x.factor for x in view.multipliers]
    found += [c.value for c in view.charges]
    return found


@pytest.mark.parametrize("locale", ["en", "de"])
@pytest.mark.parametrize("name", NAMES)
def test_pdf_shows_the_whole_schedule(name: str, locale: str) -> None:
    data = render(example(name), "pdf", locale)
    assert isinstance(data, bytes)
    text = pdf_text(data)
    view = contract_view(example(name), locale)
    assert view.title in text and view.reference in text
    for phrase in schedule_phrases(view):
        assert re.sub(r"[ \t\r\n]+", " ", phrase) in text, phrase


def test_pdf_schedule_reads_in_order() -> None:
    text = pdf_text(render(example("managed"), "pdf", archive=False))  # type: ignore[arg-type]
    assert (
        "Recurring fees Service Quantity Unit price Invoiced Per invoice Service Desk 140 users "
        "€38.50 per user (band 101–200) monthly €5,390.00"
    ) in text
    assert (
        "Band (users) Price per user Units priced Amount 1–100 €42.00 — — 101–200 €38.50 140 €5,390.00"
        in text
    )
    assert "Recurring fees rise by 2.5% each contract year, from the second year on." in text
    german = pdf_text(render(example("managed"), "pdf", "de"))  # type: ignore[arg-type]
    assert "Service Desk: angestoßene Staffel." in german
    assert "Microsoft 365 Administration: durchgerechnete Staffel." in german
    assert "ab 151 3,90\xa0€ 5 19,50\xa0€ Je Rechnung 155 799,50\xa0€" in german
