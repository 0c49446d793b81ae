"""Parse tree to model: values are read with ASCII digits only and within their bounds (SLA004)."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

import sla
from sla import model as m
from sla.diagnostics import Diagnostic
from sla.values import MAX_DAYS, Duration, Money, OutOfRange, Period, read_count, read_number

BASE = """agreement "Bounds" {
  provider "P"
  customer "C"
  model managed
  currency EUR
  start 2027-01-01
  term 36 months
  renewal 12 months notice 3 months
  calendar office {
    timezone "Europe/Berlin"
    hours mon-fri 08:00-18:00
  }
  service desk {
    quantity 10 users
    calendar office
  }
  priority P1 {
    response 1h
    resolution 4h
  }
  credits {
    response missed P1 credit 50.00 each
    claim within 30d
  }
  fees {
    recurring desk 40.00 per user monthly
    rate engineer 100.00 per hour increment 15m minimum 1h
    payment net 30d
  }
}
"""


def _with(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


def _problems(text: str) -> list[Diagnostic]:
    return [d for d in sla.check_text(text, "bounds.sla") if d.is_error]


def _only(text: str) -> Diagnostic:
    found = _problems(text)
    assert len(found) == 1, found
    return found[0]


def test_the_base_agreement_is_clean() -> None:
    assert _problems(BASE) == []


# --- numbers: under 10^15, at most six decimal places --------------------------------------------

LARGEST = "999999999999999.999999"


@pytest.mark.parametrize(
    ("old", "template"),
    [
        ("quantity 10 users", "quantity {} users"),
        ("40.00 per user", "{} per user"),
        ("credit 50.00 each", "credit {} each"),
        ("rate engineer 100.00", "rate engineer {}"),
    ],
)
def test_amounts_and_quantities_at_the_edge_are_read(old: str, template: str) -> None:
    for value in (LARGEST, "0.000001", "000000000000000000001"):
        file = sla.loads(_with(old, template.format(value)), "bounds.sla")
        assert isinstance(file.documents[0], m.Agreement)


@pytest.mark.parametrize(
    ("old", "template"),
    [
        ("quantity 10 users", "quantity {} users"),
        ("40.00 per user", "{} per user"),
        ("credit 50.00 each", "credit {} each"),
        ("rate engineer 100.00", "rate engineer {}"),
    ],
)
def test_amounts_and_quantities_past_the_edge_are_errors_at_their_place(old: str, template: str) -> None:
    line = BASE[: BASE.index(old)].count("\n") + 1
    column = BASE.index(old) - BASE.rfind("\n", 0, BASE.index(old)) + len(template.split("{}")[0])
    for value, message in [
        ("1000000000000000", "1000000000000000 is too large: numbers are under 10^15"),
        ("1.0000001", "1.0000001 has 7 decimal places: numbers have at most 6"),
        ("45.0000000", "45.0000000 has 7 decimal places: numbers have at most 6"),
    ]:
        d = _only(_with(old, template.format(value)))
        assert (d.code, d.message, d.hint) == (
            "SLA004",
            message,
            "numbers are under 10^15, with at most 6 decimal places",
        )
        assert d.span is not None
        assert (d.span.line, d.span.column) == (line, column)


def test_percentages_multipliers_weights_and_tier_bounds_are_bounded() -> None:
    cases = [
        ("quantity 10 users", "quantity 10 users\n    availability 1000000000000000%"),
        ("payment net 30d", "payment net 30d\n    increase 1.0000001% yearly"),
        ("payment net 30d", "payment net 30d\n    multiplier weekends 1000000000000000x"),
        (
            "40.00 per user monthly",
            "40.00 per user monthly tiers volume { 1-1000000000000000: 5.00 }",
        ),
        ("40.00 per user monthly", "40.00 per user monthly tiers volume { 1000000000000000+: 5.00 }"),
    ]
    for old, new in cases:
        d = _only(_with(old, new))
        assert d.code == "SLA004", new
        assert "is too large" in d.message or "decimal places" in d.message


def test_a_profile_and_requirements_are_bounded_too() -> None:
    profile = 'profile "P" {\n  units { users 1000000000000000 }\n}\n'
    assert _only(profile).message == "1000000000000000 is too large: numbers are under 10^15"
    requirements = 'requirements "R" {\n  monthly_cost <= 1.1234567\n  term <= 101 years\n}\n'
    assert [d.message for d in _problems(requirements)] == [
        "1.1234567 has 7 decimal places: numbers have at most 6",
        "101 years is longer than 100 years",
    ]


def test_a_number_of_ten_thousand_digits_is_refused_without_reading_it() -> None:
    # Python refuses to turn more than 4300 digits into an int (at least 640, when lowered): the
    # bound is checked on the text first
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        _ten_thousand_digits()
    finally:
        sys.set_int_max_str_digits(limit)


def _ten_thousand_digits() -> None:
    digits = "9" * 10_000
    d = _only(_with("quantity 10 users", f"quantity {digits} users"))
    assert d.message == "9" * 64 + "... (10,000 characters) is too large: numbers are under 10^15"
    d = _only(_with("term 36 months", f"term {digits} months"))
    assert d.message.endswith("(10,000 characters) is too large: numbers are under 10^15")
    d = _only(_with("response 1h", f"response {digits}m"))
    assert d.message.endswith(
        "(10,001 characters) is longer than 100 years: a length of time is at most 36525d"
    )


# --- periods: at most 100 years ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edge", "past"),
    [
        ("100 years", "101 years"),
        ("1200 months", "1201 months"),
        ("5217 weeks", "5218 weeks"),
        ("36525 days", "36526 days"),
        ("36525d", "36526d"),
        ("5217w", "5218w"),
    ],
)
def test_a_term_renewal_and_notice_are_at_most_100_years(edge: str, past: str) -> None:
    for old, template in [
        ("term 36 months", "term {}"),
        ("renewal 12 months notice 3 months", "renewal {}"),
        ("payment net 30d", "payment net {}"),
    ]:
        assert _problems(_with(old, template.format(edge))) == [], (old, edge)
        d = _only(_with(old, template.format(past)))
        assert d.code == "SLA004"
        assert "longer than 100 years" in d.message
        assert d.hint == "a term, renewal, notice, payment term, rollover or duration is at most 100 years"


def test_a_notice_past_100_years_is_an_error_at_the_notice() -> None:
    d = _only(_with("notice 3 months", "notice 1201 months"))
    assert (d.code, d.message) == ("SLA004", "1201 months is longer than 100 years")
    assert d.span is not None and (d.span.line, d.span.column) == (8, 28)


# --- durations: at most 100 years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "template"),
    [
        ("resolution 4h", "resolution {}"),
        ("claim within 30d", "claim within {}"),
        ("increment 15m", "increment {}"),
    ],
)
def test_durations_are_at_most_100_years(old: str, template: str) -> None:
    for edge in ("36525d", "876600h", "52596000m", "5217w6d"):
        assert Duration.parse(edge).total_days * 1440 + Duration.parse(edge).minutes == MAX_DAYS * 1440
        found = _problems(_with(old, template.format(edge)))
        assert all(d.code != "SLA004" for d in found), found
    for past in ("36526d", "876601h", "52596001m", "36525d1m", "999999999999999w"):
        d = _only(_with(old, template.format(past)))
        assert (d.code, d.message) == (
            "SLA004",
            f"{past} is longer than 100 years: a length of time is at most 36525d",
        )


def test_the_value_readers_state_their_bounds() -> None:
    assert read_number(LARGEST) == Decimal(LARGEST)
    assert read_count("999999999999999") == 999_999_999_999_999
    for bad in ("1000000000000000", "0.0000001", "1" * 5000):
        with pytest.raises(OutOfRange):
            read_number(bad)
    for bad in ("৪5", "4.5", "", "-1", "1e5"):
        with pytest.raises(ValueError):
            read_count(bad)
    with pytest.raises(OutOfRange):
        Duration.parse("36526d")
    assert Period(count=100, unit="year").too_long is False
    assert Period.model_construct(count=1201, unit="month").too_long is True


def test_a_model_read_from_json_keeps_the_bounds() -> None:
    for bad in ('{"amount": "1e999999999"}', '{"amount": "1000000000000000"}', '{"amount": "0.0000001"}'):
        with pytest.raises(ValueError, match="is too large|decimal places"):
            Money.model_validate_json(bad)
    assert Money.model_validate_json('{"amount": "999999999999999.999999"}').amount == Decimal(LARGEST)
    with pytest.raises(ValueError, match="not from 0 days to 100 years"):
        Period.model_validate_json('{"count": 1201, "unit": "month"}')
    with pytest.raises(ValueError, match="longer than 100 years"):
        Duration.parse("99999999999999999999w")


# --- digits: ASCII only ----------------------------------------------------------------------------


def test_a_bengali_digit_is_an_error_naming_it() -> None:
    # ৪ is a Bengali four that looks like an 8: it must never be priced as 4 (or as 8)
    d = _only(_with("quantity 10 users", "quantity ৪5 users"))
    assert (d.code, d.message, d.hint) == (
        "SLA001",
        "'৪' (BENGALI DIGIT FOUR) is not one of the digits 0-9",
        "write it as 4: numbers are written with the digits 0-9",
    )
    assert d.span is not None and (d.span.line, d.span.column) == (14, 14)


@pytest.mark.parametrize(
    ("old", "new", "char"),
    [
        ("quantity 10 users", "quantity 1٠ users", "٠"),  # Arabic-Indic zero after an ASCII 1
        ("term 36 months", "term ३६ months", "३"),
        ("resolution 4h", "resolution ४h", "४"),
        ("start 2027-01-01", "start ２027-01-01", "２"),  # a fullwidth 2
        ("08:00-18:00", "08:00-1８:00", "８"),
        ("40.00 per user", "4০.00 per user", "০"),
    ],
)
def test_digits_of_other_scripts_are_errors_everywhere(old: str, new: str, char: str) -> None:
    d = _only(_with(old, new))
    assert d.code == "SLA001"
    assert d.message.startswith(f"{char!r} (")
    assert d.message.endswith("is not one of the digits 0-9")


def test_a_duration_or_time_span_read_from_json_is_ascii_only() -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse("৪h")
    from sla.values import TimeSpan

    with pytest.raises(ValueError, match="is not a time of day"):
        TimeSpan.parse("০8:00-18:00")


# --- dates: within the days sla counts (SLA134) -------------------------------------------------


@pytest.mark.parametrize(
    ("start", "term", "renewal", "problem"),
    [
        ("0002-01-01", "12 months", "12 months notice 3 months", None),
        ("0001-12-31", "12 months", "12 months notice 3 months", "the start 0001-12-31 is before 0002-01-01"),
        ("9997-01-01", "12 months", "12 months notice 3 months", None),
        (
            "9997-01-02",
            "12 months",
            "12 months notice 3 months",
            "a renewal of 12 months after the term ends on 9998-01-01 runs past 9998-12-31",
        ),
        ("9998-01-01", "12 months", "none", None),
        ("9998-01-02", "12 months", "none", "the term of 12 months from 9998-01-02 ends after 9998-12-31"),
        ("9998-01-01", "365 days", "none", None),
        ("9998-01-01", "366 days", "none", "the term of 366 days from 9998-01-01 ends after 9998-12-31"),
        ("9900-01-01", "100 years", "none", "the term of 100 years from 9900-01-01 ends after 9998-12-31"),
        ("9899-01-01", "100 years", "none", None),
        (
            "9899-01-01",
            "99 years",
            "100 years notice 3 months",
            "a renewal of 100 years after the term ends on 9997-12-31 runs past 9998-12-31",
        ),
    ],
)
def test_the_start_term_and_renewal_lie_within_the_days_sla_counts(
    start: str, term: str, renewal: str, problem: str | None
) -> None:
    text = _with("start 2027-01-01", f"start {start}")
    text = text.replace("term 36 months", f"term {term}").replace(
        "renewal 12 months notice 3 months", f"renewal {renewal}"
    )
    found = [(d.code, d.message) for d in _problems(text)]
    assert found == ([("SLA134", problem)] if problem else [])


def test_no_rule_is_named_after_a_builder_method_that_is_not_its_own() -> None:
    # The builder finishes a node by the method named after its rule: a rule called `finish`
    # would call the wrong one.
    import re

    from sla.parser import grammar_path

    rules = set(
        re.findall(r"^[?!]?([a-z]\w*)\s*[:.]", grammar_path().read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert rules, "no rules read from the grammar"
    assert not rules & {"finish", "transform", "diagnostics", "file"}


def test_a_parse_with_a_builder_equals_the_tree_then_the_builder() -> None:
    from sla.parser import parse_tree
    from sla.transform import ModelBuilder, build
    from tests.conftest import ROOT

    for path in sorted((ROOT / "examples").glob("*.sla")):
        text = path.read_text(encoding="utf-8")
        builder = ModelBuilder(str(path))
        whole, streamed = builder.transform(parse_tree(text, str(path))), build(text, str(path))
        spans = {"spans": True}  # equal models compare no positions: compare them too
        assert whole.model_dump(mode="json", context=spans) == streamed.model_dump(mode="json", context=spans)


def test_titles_and_clauses_are_read_and_written_back() -> None:
    text = """agreement "Words" {
  calendar praxis "Practice hours" { timezone "Europe/Vienna"; hours mon-fri 08:00-18:00 }
  fees {
    once onboarding "Onboarding and migration" 2500.00
    rate engineer "Senior engineer" 120.00 per hour increment 15m
    rate junior EUR 80.00 per hour
  }
  clause "Limitation of liability" { text "Limited to a year's fees."; text "Not for \\"gross\\" negligence." }
  clause "Data protection" { text "A data processing agreement applies." }
}
"""
    a = sla.parse(text).documents[0]
    assert isinstance(a, m.Agreement) and a.fees is not None
    assert a.calendars[0].title == "Practice hours"
    assert [(f.name, f.title) for f in a.fees.once] == [("onboarding", "Onboarding and migration")]
    assert [(r.role, r.title, str(r.price.amount)) for r in a.fees.rates] == [
        ("engineer", "Senior engineer", "120.00"),
        ("junior", None, "80.00"),
    ]
    assert [(c.title, c.texts) for c in a.clauses] == [
        ("Limitation of liability", ("Limited to a year's fees.", 'Not for "gross" negligence.')),
        ("Data protection", ("A data processing agreement applies.",)),
    ]
    again = sla.loads(sla.dumps(sla.parse(text), to="sla")).documents[0]
    assert again == a and again.clauses == a.clauses


def test_a_misspelt_unit_of_time_is_quoted_as_written() -> None:
    with pytest.raises(sla.SlaError) as caught:
        sla.loads('agreement "A" {\n  term 12 monthz\n}\n')
    (found,) = caught.value.diagnostics
    assert found.message == "'monthz' is not a unit of time: use days, weeks, months or years"
    assert found.hint == "did you mean 'months'?"
