"""`sla diff`: changes by meaning, each judged for the customer; reformatted text is no change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import sla
from sla.cli import main
from sla.diff import diff, summary
from sla.fmt import format_text
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"

BASE = """agreement "A" {
  id "A-1"; version "1"
  provider "P"; customer "C"; model managed; currency EUR
  start 2027-01-04; term 24 months
  renewal 12 months notice 3 months
  calendar office { timezone "Europe/Berlin"; hours mon-fri 09:00-17:00; holidays DE-BY }
  calendar always { timezone "Europe/Berlin"; hours 24x7 }
  service desk "Desk" { quantity 10 users; includes "Password resets", "Backups"; excludes "Printers" }
  service servers "Servers" { quantity 2 servers; calendar always; availability 99.9% monthly excluding maintenance }
  maintenance weekly sun 02:00-04:00 notice 5d
  priority P1 { response 30m on always; resolution 4h on always }
  priority P2 { response 2h; resolution 1d }
  clock { pause when "Waiting on customer" }
  credits { availability below 99.9% credit 5%; response missed P1 credit 100.00 each; cap 20% of monthly fee; claim within 30d }
  fees {
    recurring desk 50.00 per user monthly
    recurring servers 100.00 per server monthly
    once onboarding 1000.00
    increase 3% yearly
    rate engineer 120.00 per hour increment 15m minimum 1h
    multiplier after_hours 1.5x
    payment net 30d
  }
}
"""


def changes(old: str, new: str) -> list[tuple[str, str | None, str | None, str]]:
    a = sla.loads(BASE).agreements[0]
    b = sla.loads(BASE.replace(old, new, 1)).agreements[0]
    assert BASE.replace(old, new, 1) != BASE, old
    return [(c.what, c.old, c.new, c.effect) for c in diff(a, b)]


CASES = [
    # targets
    (
        "response 30m on always",
        "response 15m on always",
        ("priority P1 response", "30m on always", "15m on always", "better"),
    ),
    (
        "response 30m on always",
        "response 1h on always",
        ("priority P1 response", "30m on always", "1h on always", "worse"),
    ),
    (
        "resolution 4h on always",
        "resolution 4h best_effort",
        ("priority P1 resolution", "4h on always", "best effort (4h)", "worse"),
    ),
    (
        "response 2h; resolution 1d",
        "response 2h on always; resolution 1d",
        ("priority P2 response", "2h", "2h on always", "better"),
    ),
    (
        "resolution 1d }",
        "resolution 8h }",
        ("priority P2 resolution", "1d", "8h", "better"),
    ),  # on 09:00-17:00 the same business time, but 8h ends at a closing and 1d at the next opening
    ("  priority P2 { response 2h; resolution 1d }\n", "", ("priority P2", "P2", None, "worse")),
    # calendars
    (
        "hours mon-fri 09:00-17:00",
        "hours mon-fri 08:00-18:00",
        ("calendar office hours", "mon-fri 09:00-17:00", "mon-fri 08:00-18:00", "better"),
    ),
    (
        "hours mon-fri 09:00-17:00",
        "hours mon-thu 09:00-17:00",
        ("calendar office hours", "mon-fri 09:00-17:00", "mon-thu 09:00-17:00", "worse"),
    ),
    (
        "holidays DE-BY }",
        "holidays DE-BY; closed 2027-12-24 }",
        ("calendar office closed", None, "2027-12-24", "worse"),
    ),
    ("holidays DE-BY }", "holidays DE-BY, AT }", ("calendar office holidays", None, "AT", "worse")),
    ("; holidays DE-BY }", " }", ("calendar office holidays", "DE-BY", None, "better")),
    (
        'calendar office { timezone "Europe/Berlin"',
        'calendar office { timezone "Europe/Vienna"',
        ("calendar office timezone", "Europe/Berlin", "Europe/Vienna", "neutral"),
    ),
    # services and scope
    (
        'includes "Password resets", "Backups"',
        'includes "Password resets", "Backups", "Laptops"',
        ("service desk includes", None, "Laptops", "better"),
    ),
    (
        'includes "Password resets", "Backups"',
        'includes "Password resets"',
        ("service desk includes", "Backups", None, "worse"),
    ),
    (
        'excludes "Printers"',
        'excludes "Printers", "Phones"',
        ("service desk excludes", None, "Phones", "worse"),
    ),
    (
        "availability 99.9% monthly",
        "availability 99.95% monthly",
        ("service servers availability", "99.9%", "99.95%", "better"),
    ),
    (
        "availability 99.9% monthly",
        "availability 99.9% quarterly",
        ("service servers availability period", "monthly", "quarterly", "worse"),
    ),
    (
        "quantity 2 servers",
        "quantity 3 servers",
        ("service servers quantity", "2 servers", "3 servers", "neutral"),
    ),
    (
        "calendar always; availability",
        "availability",
        ("service servers calendar", "always", "office", "worse"),
    ),
    (
        "maintenance weekly sun 02:00-04:00",
        "maintenance weekly sun 02:00-06:00",
        ("maintenance weekly sun window", "02:00-04:00", "02:00-06:00", "worse"),
    ),
    (
        'clock { pause when "Waiting on customer" }',
        'clock { pause when "Waiting on customer", "Scheduled" }',
        ("clock pauses when", None, "Scheduled", "worse"),
    ),
    # credits
    (
        "below 99.9% credit 5%",
        "below 99.9% credit 10%",
        ("credit availability below 99.9%", "5%", "10%", "better"),
    ),
    ("credit 100.00 each", "credit 50.00 each", ("credit response missed P1", "100.00", "50.00", "worse")),
    ("cap 20% of monthly fee", "cap 10% of monthly fee", ("credit cap", "20%", "10%", "worse")),
    ("; cap 20% of monthly fee", "", ("credit cap", "20%", "none", "better")),
    ("claim within 30d", "claim within 60d", ("credit claim window", "30d", "60d", "better")),
    # fees
    (
        "recurring desk 50.00 per user",
        "recurring desk 45.00 per user",
        ("fee recurring desk", "50.00 per user monthly", "45.00 per user monthly", "better"),
    ),
    (
        "once onboarding 1000.00",
        "once onboarding 1500.00",
        ("fee once onboarding", "1000.00", "1500.00", "worse"),
    ),
    ("increase 3% yearly", "increase 2% yearly", ("yearly increase", "3%", "2%", "better")),
    ("rate engineer 120.00", "rate engineer 130.00", ("rate engineer", "120.00", "130.00", "worse")),
    ("increment 15m", "increment 30m", ("rate engineer increment", "15m", "30m", "worse")),
    (
        "multiplier after_hours 1.5x",
        "multiplier after_hours 1.25x",
        ("multiplier after_hours", "1.5x", "1.25x", "better"),
    ),
    ("payment net 30d", "payment net 14d", ("payment terms", "30 days", "14 days", "worse")),
    ("payment net 30d", "callout 60.00 per visit\n    payment net 30d", ("callout", None, "60.00", "worse")),
    ("payment net 30d", "travel 0.50 per km\n    payment net 30d", ("travel", None, "0.50 per km", "worse")),
    (
        "payment net 30d",
        "materials markup 10%\n    payment net 30d",
        ("materials markup", None, "10%", "worse"),
    ),
    ("    multiplier after_hours 1.5x\n", "", ("multiplier after_hours", "1.5x", None, "better")),
    ("minimum 1h", "minimum 30m", ("rate engineer minimum remote", "1h", "30m", "better")),
    (
        "  maintenance weekly sun",
        "  maintenance weekly sat 20:00-22:00\n  maintenance weekly sun",
        ("maintenance weekly sat", None, "weekly sat 20:00-22:00", "worse"),
    ),
    (
        "  maintenance weekly sun 02:00-04:00 notice 5d\n",
        "",
        ("maintenance weekly sun", "weekly sun 02:00-04:00 notice 5d", None, "better"),
    ),
    (
        '  service servers "Servers"',
        '  service phones "Phones" { }\n  service servers "Servers"',
        ("service phones", None, "Phones", "better"),
    ),
    # the second wave
    (
        "resolution 1d }",
        "resolution by close +1d }",
        ("priority P2 resolution", "1d", "by close +1d", "worse"),
    ),
    ("resolution 1d }", "resolution by close }", ("priority P2 resolution", "1d", "by close", "better")),
    ("response 2h;", "response by close;", ("priority P2 response", "2h", "by close", "neutral")),
    (
        "holidays DE-BY }",
        'holidays DE-BY except "Epiphany" }',
        ("calendar office holidays kept open", None, "Epiphany", "better"),
    ),
    (
        "holidays DE-BY }",
        "holidays DE-BY; closed 2027-12-24 12:00-24:00 }",
        ("calendar office closed", None, "2027-12-24 12:00-24:00", "worse"),
    ),
    (
        "availability 99.9% monthly excluding",
        "availability 99.9% monthly during office excluding",
        ("service servers availability measured during", "all the time", "office", "worse"),
    ),
    (
        'clock { pause when "Waiting on customer" }',
        'clock { pause when "Waiting on customer"; priority highest }',
        ("clock measures tickets at priority", "final", "highest", "better"),
    ),
    (
        "cap 20% of monthly fee;",
        "cap 20% of monthly fee; cap 10% of fees over 12 months;",
        ("rolling credit cap", "none", "10% over 12 months", "worse"),
    ),
    (
        "  maintenance weekly sun 02:00-04:00 notice 5d\n",
        "  maintenance weekly sun 02:00-04:00 notice 5d\n  maintenance once 2027-03-13 22:00-04:00\n",
        ("maintenance once 2027-03-13", None, "once 2027-03-13 22:00-04:00", "worse"),
    ),
    # words for people
    (
        "once onboarding 1000.00",
        'once onboarding "Onboarding" 1000.00',
        ("fee once onboarding title", None, "Onboarding", "neutral"),
    ),
    (
        "calendar always {",
        'calendar always "Around the clock" {',
        ("calendar always title", None, "Around the clock", "neutral"),
    ),
    (
        "  fees {",
        '  clause "Liability" { text "Limited to the fees of a year." }\n  fees {',
        ("clause Liability", None, "Liability", "neutral"),
    ),
    # term and notice
    ("term 24 months", "term 36 months", ("term", "24 months", "36 months", "worse")),
    ("notice 3 months", "notice 1 month", ("renewal notice", "3 months", "1 month", "better")),
    ("renewal 12 months notice 3 months", "renewal none", ("renewal period", "12 months", "none", "better")),
    ('version "1"', 'version "2"', ("version", "1", "2", "neutral")),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES, ids=[c[2][0] + " " + c[2][3] for c in CASES])
def test_each_kind_of_change_is_judged(
    old: str, new: str, expected: tuple[str, str | None, str | None, str]
) -> None:
    found = changes(old, new)
    assert expected in found, found


def test_reformatted_moved_and_reordered_text_is_no_change() -> None:
    a = sla.loads(BASE).agreements[0]
    moved = BASE.replace(
        '  service desk "Desk" { quantity 10 users; includes "Password resets", "Backups"; excludes "Printers" }\n',
        "",
    )
    moved = moved.replace(
        "  maintenance",
        '  service desk "Desk" {\n    excludes "Printers"\n    includes "Backups",\n'
        '      "Password resets"\n    quantity 10 users\n  }\n  maintenance',
    )
    moved = moved.replace(
        "recurring desk 50.00 per user monthly\n    recurring servers 100.00 per server monthly",
        "recurring servers 100.00 per server monthly\n    recurring desk 50.00 per user monthly",
    )
    assert diff(a, sla.loads(moved).agreements[0]) == []
    assert diff(a, sla.loads(format_text(BASE)).agreements[0]) == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.sla")), ids=lambda p: p.name)
def test_every_example_against_its_formatted_self_is_empty(path: Path) -> None:
    original = sla.load(path)
    formatted = sla.loads(format_text(path.read_text(encoding="utf-8"), str(path)), str(path))
    assert len(original.agreements) == len(formatted.agreements)
    for a, b in zip(original.agreements, formatted.agreements):
        assert diff(a, b) == []


def test_examples_exist() -> None:
    assert any(sla.load(p).agreements for p in EXAMPLES.glob("*.sla"))


def test_the_revised_draft() -> None:
    old = sla.load(EXAMPLES / "managed.sla").agreements[0]
    new = sla.load(EXAMPLES / "managed-revised.sla").agreements[0]
    found = diff(old, new)
    assert [(c.what, c.old, c.new, c.effect) for c in found] == [
        ("version", "1.2", "1.3", "neutral"),
        ("service servers includes", "Quarterly restore test", None, "worse"),
        ("service servers availability", "99.9%", "99.95%", "better"),
        ("priority P2 response", "1h on extended", "45m on extended", "better"),
        ("credit cap", "25%", "20%", "worse"),
        (
            "fee recurring helpdesk",
            "42.00 per user monthly tiers volume 1-100: 42.00; 101-200: 38.50; 201+: 35.00",
            "42.00 per user monthly tiers volume 1-100: 42.00; 101-200: 39.50; 201+: 35.00",
            "worse",
        ),
    ]
    assert summary(found) == {"better": 2, "worse": 3, "neutral": 1}
    assert found[-1].note == "5390.00 -> 5530.00 a month at the stated quantity"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_json_and_fail_on() -> None:
    old, new = str(EXAMPLES / "managed.sla"), str(EXAMPLES / "managed-revised.sla")
    code, out, _ = run("diff", old, new, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"old", "new", "changes", "summary"}
    assert data["old"] == old and data["new"] == new
    assert data["summary"] == {"better": 2, "worse": 3, "neutral": 1}
    assert data["changes"][4] == {
        "kind": "credits",
        "what": "credit cap",
        "old": "25%",
        "new": "20%",
        "effect": "worse",
        "old_line": 123,
        "new_line": 125,
        "note": None,
    }
    assert run("diff", old, new, "--fail-on", "worse")[0] == 1
    code, out, _ = run("diff", old, new)
    assert code == 0
    assert "6 changes: 2 better, 3 worse, 1 neutral for the customer" in out
    assert "credit cap" in out and "123 -> 125" in out


def test_cli_no_change_and_better_only(tmp_path: Path) -> None:
    a = tmp_path / "a.sla"
    a.write_text(BASE, encoding="utf-8")
    b = tmp_path / "b.sla"
    b.write_text(format_text(BASE), encoding="utf-8")
    code, out, _ = run("diff", str(a), str(b), "--fail-on", "worse")
    assert code == 0 and "no change in meaning" in out
    b.write_text(BASE.replace("credit 5%", "credit 10%"), encoding="utf-8")
    code, out, _ = run("diff", str(a), str(b), "--fail-on", "worse", "--json")
    assert code == 0 and json.loads(out)["summary"] == {"better": 1, "worse": 0, "neutral": 0}


def test_cli_bad_input(tmp_path: Path) -> None:
    code, _, err = run("diff", str(EXAMPLES / "profile.sla"), str(EXAMPLES / "managed.sla"))
    assert code == 2 and "holds no agreement" in err
    assert run("diff", str(tmp_path / "missing.sla"), str(EXAMPLES / "managed.sla"))[0] == 2
    broken = tmp_path / "broken.sla"
    broken.write_text('agreement "x" {', encoding="utf-8")
    assert run("diff", str(broken), str(EXAMPLES / "managed.sla"))[0] == 1


def _diff_texts(old: str, new: str) -> list[tuple[str, str | None, str | None, str, str | None]]:
    a, b = sla.loads(old).agreements[0], sla.loads(new).agreements[0]
    return [(c.what, c.old, c.new, c.effect, c.note) for c in diff(a, b)]


def test_a_renamed_calendar_service_role_and_priority_is_one_neutral_change_each() -> None:
    """A name that changed with the content kept is "renamed", neutral; what refers to it (the
    fees of a service, the credits of a priority, the calendar of a service or a target) is
    matched under the new name instead of being removed and added."""
    renamed = (
        BASE.replace("calendar office", "calendar praxis")
        .replace("service desk ", "service helpdesk ")
        .replace("recurring desk", "recurring helpdesk")
        .replace("rate engineer", "rate technician")
        .replace("priority P1", "priority Critical")
        .replace("missed P1", "missed Critical")
        .replace("calendar always", "calendar around")
        .replace("on always", "on around")
    )
    found = _diff_texts(BASE, renamed)
    assert sorted(found) == sorted(
        [
            ("calendar office", "office", "praxis", "neutral", "renamed"),
            ("calendar always", "always", "around", "neutral", "renamed"),
            ("service desk", "desk", "helpdesk", "neutral", "renamed"),
            ("priority P1", "P1", "Critical", "neutral", "renamed"),
            ("role engineer", "engineer", "technician", "neutral", "renamed"),
        ]
    )


def test_a_renamed_service_with_changes_is_renamed_then_compared_by_its_title() -> None:
    changed = BASE.replace("service desk ", "service helpdesk ").replace(
        "recurring desk", "recurring helpdesk"
    )
    changed = changed.replace("quantity 10 users", "quantity 12 users")
    found = _diff_texts(BASE, changed)
    assert ("service desk", "desk", "helpdesk", "neutral", "renamed") in found
    assert [f for f in found if f[0].startswith("service helpdesk")] == [
        ("service helpdesk quantity", "10 users", "12 users", "neutral", "the fees follow the quantity")
    ]
    assert not [f for f in found if f[3] == "worse"]


def test_a_replaced_service_is_still_a_removal_and_an_addition() -> None:
    replaced = BASE.replace('service desk "Desk"', 'service laptops "Laptops"').replace(
        "recurring desk", "recurring laptops"
    )
    found = _diff_texts(BASE, replaced)
    assert not [f for f in found if f[4] == "renamed"]
    assert ("service desk", "Desk", None, "worse", None) in found
