"""Quotes: tiers, frequencies, half-up rounding, compounding increases, short years, errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import sla
from sla import model as m
from sla.pricing import Line, Quote, quote, to_dict
from sla.words import money as format_money

ROOT = Path(__file__).parent.parent
D = Decimal


def agreement(
    fees: str,
    services: str = "service desk { quantity 85 users }",
    terms: str = "currency EUR; start 2027-01-01; term 36 months",
) -> m.Agreement:
    """A checked agreement with the given fees; no calendars, so loading stays quick."""
    text = (
        f'agreement "T" {{\n  provider "P"; customer "C"\n  {terms}\n  {services}\n'
        f"  fees {{\n{fees}\n  }}\n}}\n"
    )
    return sla.loads(text).agreements[0]


def only_line(q: Quote, year: int = 1) -> Line:
    (line,) = q.years[year - 1].lines
    return line


def every_line(q: Quote) -> list[Line]:
    return [*q.one_time, *(line for y in q.years for line in y.lines)]


TIERS = "1-50: 45.00; 51-200: 40.00; 201+: 35.00"


# --- tiers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("users", "invoice", "band"),
    [
        (50, "2250.00", "1-50"),
        (51, "2040.00", "51-200"),
        (200, "8000.00", "51-200"),
        (201, "7035.00", "201+"),
    ],
)
def test_volume_tiers_at_each_band_edge(users: int, invoice: str, band: str) -> None:
    q = quote(
        agreement(
            f"recurring desk 45.00 per user monthly tiers volume {{ {TIERS} }}",
            f"service desk {{ quantity {users} users }}",
        )
    )
    line = only_line(q)
    assert (line.quantity, line.unit_price, line.amount) == (D(12), D(invoice), D(invoice) * 12)
    assert f"(volume tier {band})" in line.detail
    assert q.monthly_recurring == D(invoice)


def test_volume_detail_in_words() -> None:
    line = only_line(quote(agreement(f"recurring desk 45.00 per user monthly tiers volume {{ {TIERS} }}")))
    assert line.detail == "85 users x 40.00 (volume tier 51-200) = 3,400.00; 12 monthly invoices of 3,400.00"
    assert line.description == "desk (monthly)"


@pytest.mark.parametrize(
    ("users", "invoice"),
    # 50 x 45; 50 x 45 + 1 x 40; 50 x 45 + 150 x 40 + 1 x 35; the reference's 250 users
    [(50, "2250.00"), (51, "2290.00"), (201, "8285.00"), (250, "10000.00")],
)
def test_graduated_tiers(users: int, invoice: str) -> None:
    q = quote(
        agreement(
            f"recurring desk 45.00 per user monthly tiers graduated {{ {TIERS} }}",
            f"service desk {{ quantity {users} users }}",
        )
    )
    assert only_line(q).unit_price == D(invoice)


def test_graduated_detail_shows_each_band() -> None:
    line = only_line(quote(agreement(f"recurring desk 45.00 per user monthly tiers graduated {{ {TIERS} }}")))
    assert line.detail == (
        "1-50: 50 x 45.00 = 2,250.00; 51-85: 35 x 40.00 = 1,400.00; together 3,650.00; "
        "12 monthly invoices of 3,650.00"
    )
    assert (line.unit_price, line.amount) == (D("3650.00"), D("43800.00"))


def test_graduated_bands_are_summed_exactly_then_rounded_once() -> None:
    # Band by band: 1 x 0.105 = 0.105 and 1 x 0.105 = 0.105 would round to 0.11 + 0.11 = 0.22;
    # the line is their exact sum 0.210, so 0.21.
    q = quote(
        agreement(
            "recurring desk 1 per user monthly tiers graduated { 1-1: 0.105; 2+: 0.105 }",
            "service desk { quantity 2 users }",
        )
    )
    assert only_line(q).unit_price == D("0.21")


def test_fractional_quantity_between_whole_number_bands() -> None:
    tiers = "1-2: 10.00; 3+: 8.00"
    services = "service store { quantity 2.5 tb }"
    volume = quote(agreement(f"recurring store 10.00 per tb monthly tiers volume {{ {tiers} }}", services))
    graduated = quote(
        agreement(f"recurring store 10.00 per tb monthly tiers graduated {{ {tiers} }}", services)
    )
    assert only_line(volume).unit_price == D("20.00")  # 2.5 x 8.00: above 2, so in 3+
    assert only_line(graduated).unit_price == D("24.00")  # 2 x 10.00 + 0.5 x 8.00


# --- flat fees, frequencies, blocks, one-time fees -------------------------------------------------


def test_flat_fee_ignores_the_quantity() -> None:
    line = only_line(quote(agreement("recurring desk 1450.00 monthly")))
    assert (line.quantity, line.unit_price, line.amount) == (D(12), D("1450.00"), D("17400.00"))
    assert line.detail == "flat fee 1,450.00; 12 monthly invoices of 1,450.00"


def test_quarterly_and_yearly_lines() -> None:
    q = quote(
        agreement(
            "recurring desk 300.00 quarterly\n recurring backup 2200.00 yearly",
            "service desk { }; service backup { }",
            "currency EUR; term 12 months",
        )
    )
    quarterly, yearly = q.years[0].lines
    assert (quarterly.quantity, quarterly.unit_price, quarterly.amount) == (D(4), D("300.00"), D("1200.00"))
    assert (yearly.quantity, yearly.unit_price, yearly.amount) == (D(1), D("2200.00"), D("2200.00"))
    assert q.years[0].total == q.term_total == D("3400.00")
    # 300.00 / 3 = 100.00 and 2200.00 / 12 = 183.333... -> 183.33
    assert q.monthly_recurring == D("283.33")


def test_first_month_rounds_each_monthly_share_half_up() -> None:
    # 0.10 / 12 = 0.008333... -> 0.01 and 0.06 / 12 = 0.005 exactly -> 0.01 (half up)
    q = quote(
        agreement(
            "recurring desk 0.10 yearly\n recurring backup 0.06 yearly",
            "service desk { }; service backup { }",
        )
    )
    assert q.monthly_recurring == D("0.02")


def test_block_hours_are_a_recurring_fee() -> None:
    q = quote(
        agreement(
            "block 20h for 2200.00 monthly overage engineer\n"
            " rate engineer 120.00 per hour\n increase 3% yearly"
        )
    )
    line = only_line(q)
    assert (line.description, line.amount) == ("Block of 20h (monthly)", D("26400.00"))
    assert line.detail == "20h prepaid for 2,200.00; 12 monthly invoices of 2,200.00"
    assert only_line(q, 2).unit_price == D("2266.00")
    assert q.monthly_recurring == D("2200.00")


def test_one_time_fees_are_listed_apart_and_counted_in_the_term_total() -> None:
    q = quote(
        agreement(
            "recurring desk 100.00 monthly\n once onboarding 2500.00\n once migration EUR 800.00",
            terms="currency EUR; term 12 months",
        )
    )
    assert [(line.description, line.amount) for line in q.one_time] == [
        ("onboarding", D("2500.00")),
        ("migration", D("800.00")),
    ]
    assert q.one_time[0].detail == "one-time fee 2,500.00, billed in year 1"
    assert q.one_time_total == D("3300.00")
    assert q.years[0].total == D("1200.00")
    assert q.term_total == D("4500.00")
    assert q.monthly_recurring == D("100.00")  # the first month leaves one-time fees out


def test_one_time_fees_alone() -> None:
    q = quote(agreement("once audit 999.995", terms="currency EUR; term 24 months"))
    assert q.one_time[0].amount == D("1000.00")
    assert [y.total for y in q.years] == [D("0.00"), D("0.00")]
    assert (q.monthly_recurring, q.term_total) == (D("0.00"), D("1000.00"))


# --- rounding and increases -----------------------------------------------------------------------


def test_half_a_cent_rounds_up() -> None:
    line = only_line(
        quote(
            agreement(
                "recurring desk 0.335 per user monthly",
                "service desk { quantity 3 users }",
                "currency EUR; term 12 months",
            )
        )
    )
    assert (line.unit_price, line.amount) == (D("1.01"), D("12.12"))
    assert line.detail == "3 users x 0.335 = 1.005, rounded half up to 1.01; 12 monthly invoices of 1.01"


def test_half_a_cent_below_rounds_down() -> None:
    line = only_line(
        quote(
            agreement(
                "recurring desk 0.33499 per user monthly",
                "service desk { quantity 3 users }",
                "currency EUR; term 12 months",
            )
        )
    )
    assert line.unit_price == D("1.00")  # 1.00497


def test_increase_landing_on_half_a_cent_rounds_up() -> None:
    q = quote(
        agreement("recurring desk 10.50 monthly\n increase 5% yearly", terms="currency EUR; term 24 months")
    )
    assert only_line(q, 2).unit_price == D("11.03")  # 10.50 x 1.05 = 11.025
    assert only_line(q, 2).detail == (
        "flat fee 10.50; +5% yearly increase, year 2 (x1.05) = 11.025, rounded half up "
        "to 11.03; 12 monthly invoices of 11.03"
    )


def test_increase_compounds_from_the_second_year() -> None:
    q = quote(agreement("recurring desk 1000.00 monthly\n increase 3% yearly"))
    assert [only_line(q, n).unit_price for n in (1, 2, 3)] == [D("1000.00"), D("1030.00"), D("1060.90")]
    assert [y.total for y in q.years] == [D("12000.00"), D("12360.00"), D("12730.80")]
    assert q.term_total == D("37090.80")
    assert "year 3 (x1.0609)" in only_line(q, 3).detail


def test_reference_example_of_an_increase() -> None:
    # docs/language.md 6.4: 250 users, volume, 3%: 8,750.00, 9,012.50, 9,282.88 (9,282.875 half up)
    q = quote(
        agreement(
            f"recurring desk 45.00 per user monthly tiers volume {{ {TIERS} }}\n increase 3% yearly",
            "service desk { quantity 250 users }",
        )
    )
    assert [only_line(q, n).unit_price for n in (1, 2, 3)] == [D("8750.00"), D("9012.50"), D("9282.88")]


def test_increase_multiplies_the_exact_base_by_the_exact_factor() -> None:
    # 1,015.00 x 1.025^2 = 1,066.384375 -> 1,066.38; rounding year 2 first (1,040.38 x 1.025 =
    # 1,066.3895) would give 1,066.39. 2.5% over ten years needs 31 digits, beyond Decimal's default 28.
    q = quote(
        agreement(
            "recurring desk 29.00 per user monthly\n increase 2.5% yearly",
            "service desk { quantity 35 users }",
            "currency EUR; term 10 years",
        )
    )
    assert [only_line(q, n).unit_price for n in (2, 3)] == [D("1040.38"), D("1066.38")]
    # 1,015.00 x 1.025^9 = 1,267.5978...
    assert only_line(q, 10).unit_price == D("1267.60")


# --- currencies without a minor unit, short years ---------------------------------------------------


def test_jpy_has_no_minor_unit() -> None:
    q = quote(
        agreement(
            "recurring desk 1234 per user monthly\n recurring backup 100.5 monthly\n"
            " once setup 50000\n increase 3% yearly",
            "service desk { quantity 7 users }; service backup { }",
            "currency JPY; term 36 months",
        )
    )
    desk = [q.years[n].lines[0].unit_price for n in range(3)]
    assert desk == [D("8638"), D("8897"), D("9164")]  # 8,638; 8,897.14; 9,164.0542
    assert q.years[0].lines[1].unit_price == D("101")  # 100.5, half up
    assert q.monthly_recurring == D("8739")
    data = to_dict(q)
    assert data["monthly_recurring"] == "8739"
    assert data["years"][0]["total"] == "104868"  # 12 x (8,638 + 101)
    assert format_money(q.monthly_recurring, "JPY") == "¥8,739"


def test_thirty_months_end_with_a_short_year() -> None:
    q = quote(
        agreement(
            "recurring desk 100.00 monthly\n recurring backup 300.00 quarterly\n"
            " recurring audit 1200.00 yearly",
            "service desk { }; service backup { }; service audit { }",
            "currency EUR; term 30 months",
        )
    )
    assert [(y.year, y.months) for y in q.years] == [(1, 12), (2, 12), (3, 6)]
    desk, backup, audit = q.years[2].lines
    assert (desk.quantity, desk.amount) == (D(6), D("600.00"))
    assert (backup.quantity, backup.amount) == (D(2), D("600.00"))
    assert (audit.description, audit.quantity, audit.amount) == (
        "audit (yearly), last 6 of 12 months",
        D(1),
        D("600.00"),
    )
    assert (
        audit.detail
        == "flat fee 1,200.00; the invoice of 1,200.00 x 6/12 for the 6 months left in the term = 600.00"
    )
    assert [y.total for y in q.years] == [D("3600.00"), D("3600.00"), D("1800.00")]
    assert q.term_total == D("9000.00")


def test_a_billing_period_cut_by_the_term_is_billed_pro_rata_half_up() -> None:
    # 14 months: four quarters, then 2 of 3 months: 100.00 x 2/3 = 66.666... -> 66.67
    q = quote(agreement("recurring desk 100.00 quarterly", terms="currency EUR; term 14 months"))
    line = only_line(q, 2)
    assert (q.years[1].months, line.quantity, line.amount) == (2, D(1), D("66.67"))
    assert line.detail.endswith("= 66.67, rounded half up")


def test_one_year_term_written_in_years() -> None:
    q = quote(agreement("recurring desk 10.00 monthly", terms="currency EUR; term 1 year"))
    assert [(y.year, y.months) for y in q.years] == [(1, 12)]


# --- errors ---------------------------------------------------------------------------------------


def codes(excinfo: pytest.ExceptionInfo[sla.SlaError]) -> list[str]:
    return [d.code for d in excinfo.value.diagnostics]


def test_no_currency() -> None:
    a = agreement("recurring desk 10.00 monthly", terms="term 12 months")
    with pytest.raises(sla.SlaError, match="no currency") as excinfo:
        quote(a)
    assert codes(excinfo) == ["SLA201"]
    assert excinfo.value.diagnostics[0].span == a.span


def test_no_term() -> None:
    with pytest.raises(sla.SlaError, match="no term") as excinfo:
        quote(agreement("recurring desk 10.00 monthly", terms="currency EUR"))
    assert codes(excinfo) == ["SLA202"]
    assert excinfo.value.diagnostics[0].hint == "add `term 36 months`"


@pytest.mark.parametrize(
    ("term", "hint"), [("90 days", "write `term 3 months`"), ("12w", "write `term 3 months`")]
)
def test_term_in_days_or_weeks(term: str, hint: str) -> None:
    with pytest.raises(sla.SlaError, match="a quote counts months") as excinfo:
        quote(agreement("recurring desk 10.00 monthly", terms=f"currency EUR; term {term}"))
    assert codes(excinfo) == ["SLA202"]
    assert excinfo.value.diagnostics[0].hint == hint


def test_empty_term_in_an_unchecked_model() -> None:
    text = (
        'agreement "T" { currency EUR; term 0 months; service desk { }\n fees { recurring desk 1 monthly } }'
    )
    with pytest.raises(sla.SlaError, match="nothing to bill") as excinfo:
        quote(sla.parse(text).agreements[0])
    assert codes(excinfo) == ["SLA202"]


def test_no_fees_to_quote() -> None:
    text = 'agreement "T" { currency EUR; term 12 months; fees { payment net 30d } }'
    with pytest.raises(sla.SlaError, match="no recurring, block or one-time fee or rate") as excinfo:
        quote(sla.parse(text).agreements[0])
    assert codes(excinfo) == ["SLA203"]


def test_a_rate_card_alone_quotes_to_zero() -> None:
    q = quote(agreement("rate engineer 100.00 per hour"))
    assert (q.one_time_total, q.monthly_recurring, q.term_total) == (0, 0, 0)
    assert [y.total for y in q.years] == [0, 0, 0]  # a 36-month term


def test_every_missing_statement_is_reported_at_once() -> None:
    text = 'agreement "T" { provider "P"; customer "C" }'
    with pytest.raises(sla.SlaError) as excinfo:
        quote(sla.loads(text).agreements[0])
    assert codes(excinfo) == ["SLA201", "SLA202", "SLA203"]


@pytest.mark.parametrize(
    ("fees", "message"),
    [
        ("recurring desk USD 10.00 monthly", "not in the agreement's currency EUR"),
        ("recurring desk 10.00 per user monthly", "no quantity"),
        ("recurring desk 10.00 monthly tiers volume { 1+: 5.00 }", "tiers but no unit"),
        ("recurring desk 10.00 per user monthly tiers volume { 1-5: 5.00 }", "no tier"),
        (
            "recurring desk 10.00 per user monthly tiers graduated { 1-5: 5.00; 8+: 4.00 }",
            "price 8 of 10 users",
        ),
    ],
)
def test_fees_an_unchecked_model_cannot_price(fees: str, message: str) -> None:
    # `sla.parse` runs no checks; the quote must still refuse rather than invent a price.
    services = "service desk { }" if "no quantity" in message else "service desk { quantity 10 users }"
    text = f'agreement "T" {{ currency EUR; term 12 months; {services}\n fees {{ {fees} }} }}'
    with pytest.raises(sla.SlaError, match=message) as excinfo:
        quote(sla.parse(text).agreements[0])
    assert codes(excinfo) == ["SLA204"]


# --- the example agreement, output ----------------------------------------------------------------


@pytest.fixture(scope="module")
def managed() -> Quote:
    return quote(sla.load(ROOT / "examples" / "managed.sla").agreements[0])


def test_managed_example_adds_up(managed: Quote) -> None:
    assert managed.term_total == managed.one_time_total + sum(y.total for y in managed.years)
    assert managed.monthly_recurring > 0
    assert [y.months for y in managed.years] == [12, 12, 12]
    for line in every_line(managed):
        assert line.quantity * line.unit_price == line.amount
    for year in managed.years:
        assert year.total == sum(line.amount for line in year.lines)


def test_quote_is_deterministic(managed: Quote) -> None:
    assert quote(sla.load(ROOT / "examples" / "managed.sla").agreements[0]) == managed


def test_to_dict_is_json_with_money_as_strings(managed: Quote) -> None:
    data = to_dict(managed)
    assert {
        "currency",
        "one_time",
        "one_time_total",
        "monthly_recurring",
        "years",
        "term_total",
    } <= data.keys()
    assert json.loads(json.dumps(data)) == data
    assert data["currency"] == "EUR"
    assert data["term_total"] == str(managed.term_total)
    year = data["years"][0]
    assert (year["year"], year["months"], year["total"]) == (1, 12, str(managed.years[0].total))
    assert set(year["lines"][0]) == {"description", "quantity", "unit_price", "amount", "detail"}
    assert data["one_time"][0]["amount"] == str(managed.one_time[0].amount)

    def no_floats(value: object) -> None:
        assert not isinstance(value, float)
        for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
            no_floats(item)

    no_floats(data)


def test_format_money_rounds_half_up_before_babel() -> None:
    assert format_money(D("1234.5"), "EUR") == "€1,234.50"
    assert format_money(D("0.125"), "EUR") == "€0.13"  # Babel alone rounds half to even: €0.12
    assert format_money(D("1234.5"), "EUR", locale="de_DE") == "1.234,50\xa0€"
    assert format_money(D("2.5"), "JPY") == "¥3"


def test_units_ending_in_ies_are_matched_singular_or_plural() -> None:
    """`quantity 10 properties` priced `per property`: the checks accept it, and a profile's
    `properties 20` replaces the quantity (it was silently ignored: 1,000.00 instead of 2,000.00)."""
    a = agreement(
        "recurring estate 100.00 per property monthly", services="service estate { quantity 10 properties }"
    )
    assert quote(a).monthly_recurring == Decimal("1000.00")
    assert quote(a, units={"properties": Decimal(20)}).monthly_recurring == Decimal("2000.00")
    assert quote(a, units={"property": Decimal(20)}).monthly_recurring == Decimal("2000.00")


def test_lines_say_what_they_are_without_words_to_parse() -> None:
    """Renderers word a line in their locale from its fields, never from `description`."""
    a = agreement(
        "recurring desk 10.00 per user quarterly\n    block 10h for 900.00 monthly overage engineer\n"
        "    rate engineer 100.00 per hour\n    once onboarding 500.00",
        services='service desk "Service Desk" { quantity 85 users }',
        terms="currency EUR; start 2027-01-01; term 14 months",
    )
    q = quote(a)
    (once,) = q.one_time
    assert (once.kind, once.title, once.frequency, once.partial) == ("once", "onboarding", None, None)
    desk, block = q.years[0].lines
    assert (desk.kind, desk.title, desk.frequency, desk.partial) == (
        "recurring",
        "Service Desk",
        "quarterly",
        None,
    )
    assert (block.kind, str(block.block_hours), block.frequency) == ("block", "10h", "monthly")
    short = [line for line in q.years[1].lines if line.partial]
    assert [(line.title, line.partial) for line in short] == [("Service Desk", (2, 3))]


def test_a_period_cut_short_is_its_rounded_invoice_pro_rata() -> None:
    """docs/pricing.md: `invoice x months left / months in the period`, the invoice rounded
    first. A quarterly 0.005 is invoiced as 0.01; a term of 14 months ends two months into the
    fifth quarter: 0.01 x 2/3 = 0.0066... = 0.01 (from the unrounded 0.005 it would be 0.00)."""
    a = agreement(
        "recurring desk 0.005 per user quarterly",
        services="service desk { quantity 1 users }",
        terms="currency EUR; start 2027-01-01; term 14 months",
    )
    (short,) = [line for line in quote(a).years[1].lines if line.partial]
    assert short.partial == (2, 3) and short.amount == Decimal("0.01")
    assert "the invoice of 0.01 x 2/3" in short.detail


# --- the schedule: what each fee and block is made of -------------------------------------------


def test_volume_fee_terms_name_the_band_that_applies() -> None:
    a = agreement(f"recurring desk 45.00 per user monthly tiers volume {{ {TIERS} }}")
    (fee,) = quote(a).recurring
    assert (fee.service, fee.unit, fee.counted, fee.quantity, fee.tiers) == (
        "desk",
        "user",
        "users",
        D(85),
        "volume",
    )
    assert fee.price == D("40.00") and fee.invoice == D("3400.00")
    assert [(b.low, b.high, b.price, b.applies, b.units) for b in fee.bands] == [
        (1, 50, D("45.00"), False, D(0)),
        (51, 200, D("40.00"), True, D(85)),
        (201, None, D("35.00"), False, D(0)),
    ]


def test_graduated_fee_terms_give_each_band_its_units() -> None:
    a = agreement(f"recurring desk 45.00 per user monthly tiers graduated {{ {TIERS} }}")
    (fee,) = quote(a).recurring
    assert fee.price is None and fee.tiers == "graduated"
    assert [(b.units, b.amount, b.applies) for b in fee.bands] == [
        (D(50), D("2250.00"), True),
        (D(35), D("1400.00"), True),
        (D(0), D(0), False),
    ]
    assert sum(b.amount for b in fee.bands) == fee.exact == fee.invoice == D("3650.00")


def test_flat_and_per_unit_fee_terms() -> None:
    a = agreement(
        "recurring desk 10.005 per user quarterly\n    recurring backup 99.00 yearly",
        services="service desk { quantity 3 users }\n  service backup { quantity 2 servers }",
    )
    desk, backup = quote(a).recurring
    assert (desk.price, desk.quantity, desk.exact, desk.invoice) == (
        D("10.005"),
        D(3),
        D("30.015"),
        D("30.02"),
    )
    assert (backup.unit, backup.quantity, backup.price, backup.frequency) == (
        None,
        None,
        D("99.00"),
        "yearly",
    )


def test_fee_terms_count_a_profiles_units() -> None:
    a = agreement(f"recurring desk 45.00 per user monthly tiers volume {{ {TIERS} }}")
    (fee,) = quote(a, units={"users": D(250)}).recurring
    assert fee.quantity == D(250) and fee.price == D("35.00") and fee.bands[2].applies


def test_block_terms_say_whose_work_draws_on_it() -> None:
    (retainer,) = sla.load(ROOT / "examples" / "block-hours.sla").agreements
    remote, onsite = quote(retainer).blocks
    assert (str(remote.hours), remote.price, remote.roles, remote.overage, remote.overage_price) == (
        "20h",
        D("1900.00"),
        ("consultant",),
        "consultant",
        D("110.00"),
    )
    assert remote.rollover is not None and remote.rollover.count == 3
    assert (onsite.roles, onsite.rollover) == (("technician",), None)
    a = agreement(
        "block 10h for 900.00 monthly overage engineer\n    rate analyst 80.00 per hour\n"
        "    rate engineer 100.00 per hour"
    )
    (block,) = quote(a).blocks
    assert block.roles == ("engineer",) and block.overage_price == D("100.00")


def test_a_rate_card_alone_has_no_fee_terms() -> None:
    (bf,) = sla.load(ROOT / "examples" / "break-fix.sla").agreements
    q = quote(bf)
    assert q.recurring == () and q.blocks == () and q.one_time == []
