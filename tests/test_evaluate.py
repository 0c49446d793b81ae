"""`sla evaluate`: every requirement kind passing, failing and at its boundary; calendar-aware
targets; bad input; the ranking, the exit codes, JSON, HTML and PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import sla
from sla.cli import main
from sla.diagnostics import SlaError
from sla.evaluate import CHECKS, Verdict, compare_targets, evaluate
from sla.values import Duration
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
TENDER = [
    str(EXAMPLES / f)
    for f in ("requirements.sla", "managed.sla", "offer-managed-basic.sla", "offer-break-fix.sla")
]

OFFER = """
agreement "Offer" {
  id "O-1"
  provider "P"; customer "C"; model managed; currency EUR
  start 2027-01-04; term 24 months
  renewal 12 months notice 3 months
  governing_law "Ireland"
  calendar office { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service desk "Desk" { quantity 10 users; includes "Password resets", "Backups" }
  service servers "Servers" { quantity 2 servers; calendar always; availability 99.9% monthly }
  priority P1 { response 30m on always; resolution 4h on always; updates every 1h on always }
  priority P2 { response 1h; resolution 1d }
  priority P3 { response 4h; resolution best_effort }
  credits { availability below 99.9% credit 5%; cap 20% of monthly fee; claim within 30d }
  fees { recurring desk 50.00 per user monthly; recurring servers 100.00 per server monthly; payment net 30d }
}
profile "Load" { units { users 10; servers 2 }; incidents monthly { P1 1 }; effort { P1 1h } }
"""

CALENDARS = """
  calendar business { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00 }
  calendar around { timezone "Europe/Berlin"; hours 24x7 }
"""


def judge(line: str, offer: str = OFFER) -> Verdict:
    requirements = sla.loads(f'requirements "R" {{{CALENDARS}  {line}\n}}\n').requirements[0]
    file = sla.loads(offer)
    return evaluate(requirements, file.agreements, file.profiles).offers[0].results[0].verdict


CASES = [
    # model
    ("model managed", True, None),
    ("model break_fix", False, "it is managed, not break_fix"),
    # targets on the offer's own calendar, at and around the boundary
    ("response P1 <= 30m", True, None),
    ("response P1 < 30m", False, "exactly the limit, not below it"),
    ("response P1 <= 15m", False, "15m too slow"),
    ("response P1 < 45m", True, None),
    ("response P1 >= 30m", True, None),
    ("response P1 > 30m", False, "exactly the limit, not above it"),
    ("response P1 >= 45m", False, "15m too fast"),
    ("response P1 == 30m", True, None),
    ("response P1 == 1h", False, "30m too fast"),
    ("resolution P1 <= 4h", True, None),
    ("resolution P1 <= 3h", False, "1h too slow"),
    ("resolution P3 <= 3d", False, "best effort, no promise"),
    ("updates P1 <= 1h", True, None),
    ("updates P1 < 1h", False, "exactly the limit, not below it"),
    ("updates P2 <= 4h", False, "priority P2 states no updates target"),
    ("response P9 <= 1h", False, "the offer has no priority 'P9' (it has P1, P2, P3)"),
    # availability
    ("availability servers >= 99.9%", True, None),
    ("availability servers > 99.9%", False, "exactly the limit, not above it"),
    ("availability servers >= 99.95%", False, "0.05 percentage points below"),
    ("availability servers < 99.95%", True, None),
    ("availability servers <= 99.8%", False, "0.1 percentage points above"),
    ("availability desk >= 99%", False, "service desk states no availability target"),
    ("availability mail >= 99%", False, "the offer has no service 'mail' (it has desk, servers)"),
    # credits
    ("credits cap >= 20%", True, None),
    ("credits cap > 20%", False, "exactly the limit, not above it"),
    ("credits cap >= 25%", False, "5 percentage points below"),
    ("credits cap <= 20%", True, None),
    ("claim >= 30d", True, None),
    ("claim > 30d", False, "exactly the limit, not above it"),
    ("claim >= 45d", False, "15d shorter"),
    ("claim <= 1w", False, "23d longer"),
    # costs: 10 users x 50.00 + 2 servers x 100.00 = 700.00 a month, the work covered
    ('monthly_cost <= EUR 700.00 with profile "Load"', True, None),
    ('monthly_cost < 700.00 with profile "Load"', False, "exactly the limit, not below it"),
    ('monthly_cost <= 650.00 with profile "Load"', False, "€50.00 over"),
    ('monthly_cost >= 700.01 with profile "Load"', False, "€0.01 under"),
    ('annual_cost <= 8400.00 with profile "Load"', True, None),
    ('annual_cost < 8399.99 with profile "Load"', False, "€0.01 over"),
    ('total_cost <= 16800.00 with profile "Load"', True, None),
    ('total_cost > 16800.00 with profile "Load"', False, "exactly the limit, not above it"),
    ("monthly_cost <= 700.00", True, None),  # the only profile loaded
    (
        'monthly_cost <= 700.00 with profile "Nope"',
        False,
        "no profile 'Nope' among those loaded ('Load'): import its file or give --profile",
    ),
    # periods: exact in one kind of unit, else in days with a month of 30.4375 days
    ("term <= 24 months", True, None),
    ("term < 24 months", False, "exactly the limit, not below it"),
    ("term <= 2 years", True, None),
    ("term >= 25 months", False, "1 month too short"),
    ("term <= 730 days", False, "0.5 days (a month taken as 30.4375 days) too long"),
    ("notice <= 3 months", True, None),
    ("notice <= 90d", False, "1.3125 days (a month taken as 30.4375 days) too long"),
    ("payment >= 30d", True, None),
    ("payment > 30 days", False, "exactly the limit, not above it"),
    ("payment >= 45 days", False, "15 days too short"),
    ("payment == 30 days", True, None),
    # texts
    ('includes desk "Password resets"', True, None),
    ('includes desk == "Backups"', True, None),
    (
        'includes desk "Password reset"',
        False,
        "service desk does not list 'Password reset'; the closest is 'Password resets'",
    ),
    ('includes mail "Backups"', False, "the offer has no service 'mail' (it has desk, servers)"),
    ('governing_law == "Ireland"', True, None),
    ('governing_law "Germany"', False, "the law of 'Ireland', not 'Germany'"),
]


@pytest.mark.parametrize(("line", "passed", "shortfall"), CASES, ids=[c[0] for c in CASES])
def test_requirement_kinds(line: str, passed: bool, shortfall: str | None) -> None:
    verdict = judge(line)
    assert (verdict.passed, verdict.shortfall) == (passed, shortfall)


def test_every_metric_has_a_check_and_cases() -> None:
    from sla.checks import METRICS

    assert set(CHECKS) == set(METRICS)
    assert {c[0].split()[0] for c in CASES} == set(METRICS)


def test_verdict_says_where_the_offer_states_it() -> None:
    verdict = judge("response P1 <= 30m")
    assert verdict.actual == "30m on always"
    assert verdict.where is not None and verdict.where.line == 12


def test_missing_statements_fail_with_a_reason() -> None:
    bare = OFFER.replace(
        "  credits { availability below 99.9% credit 5%; cap 20% of monthly fee; claim within 30d }\n", ""
    )
    assert judge("credits cap >= 10%", bare).shortfall == "the offer grants no service credits"
    uncapped = OFFER.replace("cap 20% of monthly fee; ", "")
    assert judge("credits cap >= 50%", uncapped).passed
    assert judge("credits cap <= 50%", uncapped).shortfall == "the credits are not capped"
    unclaimed = OFFER.replace("; claim within 30d", "")
    assert judge("claim >= 30d", unclaimed).shortfall == "the offer states no claim window"
    no_renewal = OFFER.replace("renewal 12 months notice 3 months", "renewal none")
    assert judge("notice <= 30d", no_renewal) == Verdict(
        True, "no renewal, so no notice", judge("notice <= 30d", no_renewal).where
    )
    assert not judge("notice >= 30d", no_renewal).passed


# -- calendar-aware targets ------------------------------------------------------------------------


def test_an_hour_around_the_clock_is_stricter_than_an_hour_of_business_hours() -> None:
    # the offer answers P2 within 1h of office hours; the customer asks 1h of real time
    verdict = judge("response P2 <= 1h on around")
    assert not verdict.passed
    assert verdict.actual == "1h on office"
    assert verdict.shortfall is not None and verdict.shortfall.startswith(
        "up to 2d16h too slow (for a start at Fri "
    )
    # an hour around the clock meets an hour of business hours
    assert judge("response P1 <= 30m on business").passed


def _calendars() -> tuple[sla.model.Calendar, sla.model.Calendar]:
    a = sla.loads(OFFER).agreements[0]
    office, always = a.calendar("office"), a.calendar("always")
    assert office is not None and always is not None
    return office, always


def test_a_day_of_business_hours_against_eight_hours() -> None:
    office, always = _calendars()
    one_day, eight_hours = Duration.parse("1d"), Duration.parse("8h")
    # On 09:00-17:00 a working day holds eight open hours, but a day target ends at the LATEST
    # instant with its business time and an hour target at the earliest: from Thursday 17:00, 8h
    # is due at Friday's closing and 1d at Monday's opening. 8h is never later than 1d.
    assert compare_targets(eight_hours, office, "<=", one_day, office) == (True, None)
    ok, why = compare_targets(one_day, office, "<=", eight_hours, office)
    assert (
        not ok and why is not None and why.startswith("up to 0m of office time (2d16h on the clock) too slow")
    )
    assert not compare_targets(one_day, office, "==", eight_hours, office)[0]
    ok, why = compare_targets(eight_hours, office, "<", one_day, office)
    assert not ok and why is not None and why.startswith("no faster than required")
    ok, why = compare_targets(one_day, office, "<=", Duration.parse("7h"), office)
    assert (
        not ok and why is not None and why.startswith("up to 1h of office time (2d17h on the clock) too slow")
    )
    # a day of real time is later than eight business hours for some starts, sooner for others
    assert not compare_targets(one_day, always, "<=", eight_hours, office)[0]
    assert not compare_targets(one_day, always, ">=", eight_hours, office)[0]


def test_a_target_without_on_is_compared_on_the_offers_calendar() -> None:
    # the offer's P2 resolution is 1d on office, its first calendar; 8h there holds the same
    # business time but ends at a closing where 1d ends at the next opening
    assert judge("resolution P2 <= 1d").passed
    assert not judge("resolution P2 <= 8h").passed
    verdict = judge("resolution P2 <= 7h")
    assert verdict.shortfall is not None and verdict.shortfall.startswith(
        "up to 1h of office time (2d17h on the clock) too slow"
    )


def test_holidays_of_the_required_calendar_count() -> None:
    offer = OFFER.replace("hours mon-fri 09:00-17:00 }", "hours mon-fri 09:00-17:00; holidays DE-BY }", 1)
    # on the offer's calendar the holidays are closed, so on them it answers later
    verdict = judge("response P2 <= 1h on business", offer)
    assert verdict.shortfall == (
        "up to 8h of business time (1d on the clock) too slow "
        "(for a start at Tue 2027-01-05 16:15 Europe/Berlin)"
    )  # 6 January is Epiphany


# -- bad input -------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_offers_in_different_currencies_are_refused(tmp_path: Path) -> None:
    requirements = sla.loads('requirements "R" { term <= 36 months }').requirements[0]
    eur = sla.loads(OFFER).agreements[0]
    usd = sla.loads(OFFER.replace("currency EUR", "currency USD").replace('"O-1"', '"O-2"')).agreements[0]
    with pytest.raises(SlaError) as caught:
        evaluate(requirements, [eur, usd])
    assert caught.value.diagnostics[0].code == "SLA501"
    assert "different currencies" in caught.value.diagnostics[0].message
    r = _write(tmp_path, "r.sla", 'requirements "R" { term <= 36 months }\n')
    a = _write(tmp_path, "a.sla", OFFER)
    b = _write(tmp_path, "b.sla", OFFER.replace("currency EUR", "currency USD"))
    result = CliRunner().invoke(main, ["evaluate", r, a, b])
    assert result.exit_code == 2
    assert "sla: the offers and requirements are in different currencies (EUR: O-1" in result.stderr
    assert "USD: O-1" in result.stderr and "sla never converts currencies" in result.stderr


def test_a_requirement_in_another_currency_is_refused() -> None:
    requirements = sla.loads('requirements "R" { monthly_cost <= USD 700.00 }').requirements[0]
    file = sla.loads(OFFER)
    with pytest.raises(SlaError, match="different currencies"):
        evaluate(requirements, file.agreements, file.profiles)


def test_an_offer_that_cannot_be_costed_fails_the_cost_requirement() -> None:
    offer = OFFER.replace("incidents monthly { P1 1 }", "incidents monthly { P1 1; P7 2 }")
    verdict = judge('monthly_cost <= 700.00 with profile "Load"', offer)
    assert (
        not verdict.passed
        and verdict.shortfall is not None
        and verdict.shortfall.startswith("cannot be costed: ")
    )


# -- ranking and the command -----------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_tender_ranks_the_managed_offer_first() -> None:
    code, out, _ = run("evaluate", *TENDER, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"requirements", "file", "profile", "currency", "offers", "ranking", "winner"}
    assert data["winner"] == "MSA-2027-031"
    assert data["profile"] == "Kessler 2027 expected workload"
    assert [r["agreement"] for r in data["ranking"]] == ["MSA-2027-031", "LMS-2027-112", "BF-2027-0207"]
    assert [r["eligible"] for r in data["ranking"]] == [True, False, False]
    basic = data["offers"][1]
    assert set(basic) == {
        "agreement",
        "title",
        "file",
        "eligible",
        "score",
        "expected_annual_cost",
        "cost_note",
        "results",
        "reasons",
    }
    assert basic["reasons"] == [
        "fails resolution P1 <= 4h: 4h too slow",
        "fails credits cap >= 20%: 10 percentage points below",
    ]
    result = basic["results"][2]
    assert result == {
        "requirement": "resolution P1 <= 4h",
        "line": 22,
        "preferred": False,
        "weight": None,
        "passed": False,
        "actual": "8h on office",
        "where": f"{TENDER[2]}:64",
        "shortfall": "4h too slow",
    }
    assert data["offers"][0]["score"] == 2 and data["offers"][0]["expected_annual_cost"] == "131025.72"
    preferred = [r for r in data["offers"][0]["results"] if r["preferred"]]
    assert [r["weight"] for r in preferred] == [3, 2, 2, 1.5]


def test_ranking_by_score_then_cost() -> None:
    requirements = sla.loads(
        'requirements "R" {\n  term <= 36 months\n  prefer term <= 12 months weight 2\n'
        "  prefer payment >= 30d\n}\n"
    ).requirements[0]
    file = sla.loads(OFFER)
    cheap = sla.loads(
        OFFER.replace('"O-1"', '"cheap"').replace("50.00 per user", "40.00 per user")
    ).agreements[0]
    short = sla.loads(
        OFFER.replace('"O-1"', '"short"')
        .replace("term 24 months", "term 12 months")
        .replace("notice 3 months", "notice 1 month")
    ).agreements[0]
    result = evaluate(requirements, [file.agreements[0], cheap, short], file.profiles)
    assert [(o.name, o.score) for o in result.ranking] == [("short", 3), ("cheap", 1), ("O-1", 1)]


def test_human_output_and_exit_1_when_no_offer_is_eligible() -> None:
    code, out, _ = run("evaluate", TENDER[0], TENDER[3])
    assert code == 1
    assert "✗ break_fix" in out and "it is break_fix, not managed" in out
    assert (
        "1. BF-2027-0207: not eligible, expected annual cost €96,670.44: fails model managed: it is break_fix"
        in out
    )
    assert "no offer is eligible" in out
    code, out, _ = run("evaluate", *TENDER)
    assert code == 0
    assert "1. MSA-2027-031: eligible, score 2, expected annual cost €131,025.72" in out
    assert "winner: MSA-2027-031" in out


def test_profile_option_and_output_file(tmp_path: Path) -> None:
    r = _write(tmp_path, "r.sla", 'requirements "R" { monthly_cost <= 700.00 }\n')
    offer = _write(tmp_path, "o.sla", OFFER.split("profile")[0])
    profile = _write(tmp_path, "p.sla", "profile" + OFFER.split("profile")[1])
    code, _, _ = run("evaluate", r, offer, "--json")
    assert code == 1  # no profile to cost with
    out = tmp_path / "out.json"
    code, _, _ = run("evaluate", r, offer, "--profile", profile, "--json", "-o", str(out))
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["profile"] == "Load" and data["offers"][0]["results"][0]["actual"] == "€700.00 a month"
    text = tmp_path / "out.txt"
    assert run("evaluate", r, offer, "--profile", profile, "-o", str(text))[0] == 0
    assert "winner: O-1" in text.read_text(encoding="utf-8")


def test_usage_errors(tmp_path: Path) -> None:
    assert run("evaluate", *TENDER, "--json", "--html")[0] == 2
    code, _, err = run("evaluate", *TENDER, "--pdf")
    assert code == 2 and "--pdf needs -o FILE.pdf" in err
    code, _, err = run("evaluate", TENDER[1], TENDER[1])
    assert code == 2 and "holds no requirements documents" in err
    code, _, err = run("evaluate", TENDER[0], str(EXAMPLES / "profile.sla"))
    assert code == 2 and "holds no agreement" in err


def test_html_report_escapes_agreement_text(tmp_path: Path) -> None:
    r = _write(
        tmp_path,
        "r.sla",
        'requirements "R <b>" {\n  monthly_cost <= 700.00 with profile "Load"\n'
        '  includes desk "<script>alert(2)</script>"\n}\n',
    )
    hostile = OFFER.replace('agreement "Offer"', 'agreement "<script>alert(1)</script>"').replace(
        'id "O-1"\n', ""
    )
    offer = _write(tmp_path, "o.sla", hostile)
    out = tmp_path / "report.html"
    code, _, _ = run("evaluate", r, offer, "--html", "-o", str(out))
    assert code == 1  # the include is missing
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "R &lt;b&gt;" in html
    assert "<svg" in html and "€700.00" in html
    code, out_text, _ = run("evaluate", r, offer, "--html")
    assert out_text.startswith("<!DOCTYPE html>")


def test_html_report_of_the_tender() -> None:
    code, html, _ = run("evaluate", *TENDER, "--html")
    assert code == 0
    for text in (
        "Best eligible offer: <strong>MSA-2027-031</strong>",
        "fails resolution P1 &lt;= 4h: 4h too slow",
        "€131,025.72",
        "Distribution of the annual cost",
        "examples/managed.sla:85",
    ):
        assert text in html


def test_pdf_report_holds_the_ranking(tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "report.pdf"
    hostile = _write(
        tmp_path,
        "o.sla",
        OFFER.replace('agreement "Offer"', 'agreement "#strong[x] $y$ \\"z\\""').replace('id "O-1"\n', ""),
    )
    code, _, _ = run("evaluate", *TENDER, hostile, "--pdf", "-o", str(out))
    assert code == 0
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Ranking" in text and "Best eligible offer: MSA-2027-031" in text
    assert "fails resolution P1 <= 4h: 4h too slow" in text
    assert '#strong[x] $y$ "z"' in text  # shown as written, never read as markup


# --- the second wave: `close` targets and availability `during` ------------------------------------

CLOSING = OFFER.replace("resolution 1d }", "resolution by close +1d }").replace(
    "availability 99.9% monthly }", "availability 99.9% monthly during office }"
)


@pytest.mark.parametrize(
    ("line", "passed", "shortfall"),
    [
        ("resolution P2 <= close +1d", True, None),
        ("resolution P2 <= close +2d", True, None),
        ("resolution P2 <= close", False, "1d too slow"),
        ("resolution P2 <= 3d", True, None),
        (  # an hour passes the day's close for a start in its last hour
            "response P2 <= close",
            False,
            "up to 45m of office time (2d16h45m on the clock) too slow (for a start at Fri 2027-01-08 16:45 Europe/Berlin)",
        ),
        ("availability servers >= 99.9% during business", True, None),
        ("availability servers >= 99.9%", False, "measured only during office, not around the clock"),
        (
            "availability servers >= 99.9% during around",
            False,
            "measured only during office, not around the clock",
        ),
    ],
)
def test_close_targets_and_availability_during(line: str, passed: bool, shortfall: str | None) -> None:
    verdict = judge(line, CLOSING)
    assert (verdict.passed, verdict.shortfall) == (passed, shortfall)


def test_availability_around_the_clock_does_not_meet_business_hours() -> None:
    verdict = judge("availability servers >= 99.9% during business")
    assert (verdict.passed, verdict.shortfall) == (False, "measured around the clock, not during business")
