"""The public functions, one per job: models or paths in, a result whose to_dict() is what the
command prints with --json, and SlaError for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sla
from sla import model as m
from sla.api import NO_SUCH_DOCUMENT, SEVERAL_DOCUMENTS, document, pick_agreement, pick_profile
from sla.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
MANAGED, REVISED = str(EXAMPLES / "managed.sla"), str(EXAMPLES / "managed-revised.sla")
BREAK_FIX, OFFER_BREAK_FIX = str(EXAMPLES / "break-fix.sla"), str(EXAMPLES / "offer-break-fix.sla")
BASIC, PROFILE = str(EXAMPLES / "offer-managed-basic.sla"), str(EXAMPLES / "profile.sla")
REQUIREMENTS, WORKLOG = str(EXAMPLES / "requirements.sla"), str(EXAMPLES / "worklog.csv")
DESK = EXAMPLES / "compliance"
TICKETS, EVENTS, OUTAGES = str(DESK / "tickets.csv"), str(DESK / "events.csv"), str(DESK / "outages.csv")
YEARS = 500  # enough simulated years to exercise the simulation, few enough to be quick


def cli_json(*args: str) -> Any:
    """What a command prints with --json, parsed."""
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # bill and evaluate exit 1 with a result
    return json.loads(result.stdout)


def agreement(path: str) -> m.Agreement:
    return sla.load(path).agreements[0]


def profile() -> m.Profile:
    return sla.load(PROFILE).profiles[0]


# --- every job: a model or a path, and the same data as the command -------------------------------


@pytest.mark.parametrize("source", [MANAGED, Path(MANAGED), "model", "file"])
def test_price(source: Any) -> None:
    given = agreement(MANAGED) if source == "model" else sla.load(MANAGED) if source == "file" else source
    quote = sla.price(given)
    assert isinstance(quote.term_total, Decimal)
    assert quote.to_dict() == cli_json("price", MANAGED)


@pytest.mark.parametrize("source", [BREAK_FIX, "model"])
def test_bill_from_a_path_or_text(source: str) -> None:
    given = agreement(BREAK_FIX) if source == "model" else source
    expected = cli_json("bill", BREAK_FIX, WORKLOG)
    assert sla.bill(given, WORKLOG).to_dict() == expected
    assert sla.bill(given, text=Path(WORKLOG).read_text(encoding="utf-8")).to_dict() == expected
    with pytest.raises(TypeError):
        sla.bill(given)


@pytest.mark.parametrize("source", [MANAGED, "model"])
def test_estimate(source: str) -> None:
    given = agreement(MANAGED) if source == "model" else source
    result = sla.estimate(given, profile() if source == "model" else PROFILE, years=YEARS, seed=2)
    assert result.to_dict() == cli_json(
        "estimate", MANAGED, "--profile", PROFILE, "--years", str(YEARS), "--seed", "2"
    )
    assert result.agreement.id == "MSA-2027-031" and result.profile.title == "Kessler 2027 expected workload"


def test_estimate_finds_a_profile_by_title_in_the_agreements_file(tmp_path: Path) -> None:
    both = tmp_path / "both.sla"
    both.write_text(
        Path(OFFER_BREAK_FIX).read_text(encoding="utf-8") + Path(PROFILE).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "calendars.sla").write_text(
        (EXAMPLES / "calendars.sla").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = sla.estimate(both, "Kessler 2027 expected workload", years=YEARS)
    assert result.to_dict() == cli_json(
        "estimate", str(both), "--profile", "Kessler 2027 expected workload", "--years", str(YEARS)
    )


@pytest.mark.parametrize("source", ["paths", "models"])
def test_compare(source: str) -> None:
    if source == "models":
        result = sla.compare([agreement(MANAGED), agreement(OFFER_BREAK_FIX)], profile(), years=YEARS)
    else:
        result = sla.compare([MANAGED, OFFER_BREAK_FIX], PROFILE, years=YEARS)
    assert result.to_dict() == cli_json(
        "compare", MANAGED, OFFER_BREAK_FIX, "--profile", PROFILE, "--years", str(YEARS)
    )
    with pytest.raises(ValueError, match="at least two"):
        sla.compare([MANAGED], PROFILE)
    with pytest.raises(TypeError):
        sla.compare(MANAGED, PROFILE)  # one path is a string, not a list of them


@pytest.mark.parametrize("source", ["paths", "models"])
def test_evaluate(source: str) -> None:
    offers = [MANAGED, BASIC, OFFER_BREAK_FIX]
    if source == "models":
        result = sla.evaluate(
            sla.load(REQUIREMENTS).requirements[0], [agreement(p) for p in offers], profile=profile()
        )
    else:
        result = sla.evaluate(REQUIREMENTS, offers, profile=PROFILE)
    assert result.to_dict() == cli_json("evaluate", REQUIREMENTS, *offers, "--profile", PROFILE)


def test_evaluate_finds_the_profiles_the_requirements_import() -> None:
    offers = [MANAGED, BASIC, OFFER_BREAK_FIX]
    assert sla.evaluate(REQUIREMENTS, offers).to_dict() == cli_json("evaluate", REQUIREMENTS, *offers)
    # a requirements model knows no files: its profiles are given
    result = sla.evaluate(sla.load(REQUIREMENTS).requirements[0], offers, profiles=[profile()])
    assert result.to_dict() == cli_json("evaluate", REQUIREMENTS, *offers)


@pytest.mark.parametrize("source", ["paths", "files", "models"])
def test_diff(source: str) -> None:
    if source == "models":
        result = sla.diff(agreement(MANAGED), agreement(REVISED))
    elif source == "files":
        result = sla.diff(sla.load(MANAGED), sla.load(REVISED))
    else:
        result = sla.diff(MANAGED, REVISED)
    assert result.to_dict() == cli_json("diff", MANAGED, REVISED)
    assert result.worse and result.summary == result.to_dict()["summary"]


@pytest.mark.parametrize("source", [MANAGED, "model"])
def test_comply(source: str) -> None:
    given = agreement(MANAGED) if source == "model" else source
    result = sla.comply(given, TICKETS, events=EVENTS, outages=OUTAGES)
    assert result.to_dict() == cli_json(
        "comply", MANAGED, "--tickets", TICKETS, "--events", EVENTS, "--outages", OUTAGES
    )
    assert result.report.agreement_id == "MSA-2027-031"


# --- bad input is an SlaError --------------------------------------------------------------------

JOBS: dict[str, Callable[[str], Any]] = {
    "price": lambda path: sla.price(path),
    "bill": lambda path: sla.bill(path, WORKLOG),
    "estimate": lambda path: sla.estimate(path, PROFILE, years=10),
    "compare": lambda path: sla.compare([path, OFFER_BREAK_FIX], PROFILE, years=10),
    "comply": lambda path: sla.comply(path, TICKETS),
    "evaluate": lambda path: sla.evaluate(REQUIREMENTS, [path]),
    "diff": lambda path: sla.diff(path, MANAGED),
}


@pytest.fixture
def broken(tmp_path: Path) -> str:
    path = tmp_path / "broken.sla"
    path.write_text('agreement "Broken" {\n  id "X"\n  currency EUR EUR\n', encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("job", sorted(JOBS))
def test_a_missing_file(job: str, tmp_path: Path) -> None:
    with pytest.raises(sla.SlaError) as excinfo:
        JOBS[job](str(tmp_path / "missing.sla"))
    assert [d.code for d in excinfo.value.errors] == ["SLA008"]
    assert excinfo.value.errors[0].message == "no such file"


@pytest.mark.parametrize("job", sorted(JOBS))
def test_a_syntax_error(job: str, broken: str) -> None:
    with pytest.raises(sla.SlaError) as excinfo:
        JOBS[job](broken)
    error = excinfo.value.errors[0]
    assert (
        error.code == "SLA001" and error.span is not None and (error.span.line, error.span.column) == (3, 16)
    )


@pytest.mark.parametrize("job", ["estimate", "compare", "evaluate"])
def test_a_profile_title_that_does_not_exist(job: str) -> None:
    calls: dict[str, Callable[[], Any]] = {
        "estimate": lambda: sla.estimate(MANAGED, "Kessler 2027 expected workloa"),
        "compare": lambda: sla.compare([MANAGED, OFFER_BREAK_FIX], "Kessler 2027 expected workloa"),
        "evaluate": lambda: sla.evaluate(REQUIREMENTS, [MANAGED], profile="Kessler 2027 expected workloa"),
    }
    with pytest.raises(sla.SlaError) as excinfo:
        calls[job]()
    d = excinfo.value.errors[0]
    assert (d.code, d.message) == (
        NO_SUCH_DOCUMENT,
        "no file or profile named 'Kessler 2027 expected workloa'",
    )
    if job == "evaluate":  # the requirements import the profile, so a close title is suggested
        assert d.hint == "did you mean 'Kessler 2027 expected workload'?"


@pytest.mark.parametrize("job", ["price", "bill", "estimate", "comply"])
def test_an_agreement_id_that_does_not_exist(job: str) -> None:
    calls: dict[str, Callable[[], Any]] = {
        "price": lambda: sla.price(MANAGED, agreement="MSA-2099"),
        "bill": lambda: sla.bill(MANAGED, WORKLOG, agreement="MSA-2099"),
        "estimate": lambda: sla.estimate(MANAGED, PROFILE, agreement="MSA-2099"),
        "comply": lambda: sla.comply(MANAGED, TICKETS, agreement="MSA-2099"),
    }
    with pytest.raises(sla.SlaError) as excinfo:
        calls[job]()
    d = excinfo.value.errors[0]
    assert (d.code, d.message, d.hint) == (
        NO_SUCH_DOCUMENT,
        f"no agreement 'MSA-2099' in {MANAGED}",
        "it holds 'MSA-2027-031'",
    )
    assert d.span is not None and d.span.file == MANAGED


def test_other_bad_input_is_an_sla_error_too(tmp_path: Path) -> None:
    two = tmp_path / "two.sla"
    two.write_text('agreement "A" { id "A" }\nagreement "B" { id "B" }\n', encoding="utf-8")
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: sla.price(PROFILE), "SLA010"),  # a file without an agreement
        (lambda: sla.price(two), "SLA011"),  # several, none chosen
        (lambda: sla.estimate(MANAGED, MANAGED), "SLA010"),  # a profile file without a profile
        (lambda: sla.evaluate(MANAGED, [MANAGED]), "SLA010"),  # no requirements
        (lambda: sla.bill(BREAK_FIX, tmp_path / "missing.csv"), "SLA008"),
        (lambda: sla.bill(BREAK_FIX, text=""), "SLA210"),
        (lambda: sla.comply(MANAGED, TICKETS, period="2027-13"), "SLA306"),
        (lambda: sla.estimate(str(EXAMPLES / "block-hours.sla"), PROFILE), "SLA220"),
    ]
    for call, code in cases:
        with pytest.raises(sla.SlaError) as excinfo:
            call()
        assert excinfo.value.errors[0].code == code


def test_offers_in_different_currencies_are_not_compared(tmp_path: Path) -> None:
    usd = tmp_path / "usd.sla"
    usd.write_text(
        Path(OFFER_BREAK_FIX)
        .read_text(encoding="utf-8")
        .replace("currency EUR", "currency USD")
        .replace("EUR ", "USD "),
        encoding="utf-8",
    )
    (tmp_path / "calendars.sla").write_text(
        (EXAMPLES / "calendars.sla").read_text(encoding="utf-8"), encoding="utf-8"
    )
    neutral = sla.loads(Path(PROFILE).read_text(encoding="utf-8").replace("EUR ", "")).profiles[0]
    with pytest.raises(sla.SlaError) as excinfo:
        sla.compare([MANAGED, usd], neutral, years=10)
    d = excinfo.value.errors[0]
    assert d.code == "SLA501"
    assert d.message == (
        f"the offers are in different currencies: {MANAGED} (EUR), {usd} (USD); "
        "there is no currency conversion"
    )


# --- choosing a document ---------------------------------------------------------------------------


def test_choosing_a_document(tmp_path: Path) -> None:
    two = tmp_path / "two.sla"
    two.write_text('agreement "Alpha" { id "A" }\nagreement "Beta" { id "B" }\n', encoding="utf-8")
    file = sla.load(two)
    assert pick_agreement(file, "B").title == "Beta"
    assert pick_agreement(two, "Alpha").id == "A"
    assert pick_agreement(agreement(MANAGED)).id == "MSA-2027-031"
    with pytest.raises(sla.SlaError) as excinfo:
        pick_agreement(file)
    d = excinfo.value.errors[0]
    assert (d.code, d.message, d.hint) == (
        SEVERAL_DOCUMENTS,
        f"{two} holds 2 agreements",
        "choose one by its id or title",
    )
    assert (
        document(sla.load(REQUIREMENTS), m.Requirements).title
        == "Kessler Präzisionstechnik IT Tender 2027-02"
    )
    with pytest.raises(TypeError):
        document(profile(), m.Agreement)  # type: ignore[type-var]


def test_picking_a_profile() -> None:
    p = profile()
    assert pick_profile(p) is p
    assert pick_profile(PROFILE) == p
    assert pick_profile(Path(PROFILE)) == p
    assert pick_profile(p.title, [sla.load(PROFILE)]) == p
    with pytest.raises(sla.SlaError, match="no file or profile named 'Nope'"):
        pick_profile("Nope", [sla.load(PROFILE)])
    with pytest.raises(sla.SlaError, match="no such file"):
        pick_profile(Path("missing.sla"))  # a Path is always a path, never a title


def test_a_path_with_a_dot_folder_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert sla.load("./examples/managed.sla").agreements[0].id == "MSA-2027-031"
    assert sla.price("./examples/managed.sla").to_dict() == cli_json("price", MANAGED)


# --- one total cost of ownership -----------------------------------------------------------------


def test_one_total_cost_of_ownership() -> None:
    est = sla.estimate(MANAGED, PROFILE, years=YEARS)
    e, months = est.expected, est.term_months
    assert est.total_cost_of_ownership == est.term_fees + (e.monthly_work + e.monthly_downtime) * months
    offer = sla.compare([MANAGED, OFFER_BREAK_FIX], PROFILE, years=YEARS).offers[0]
    assert offer.tco == est.total_cost_of_ownership
    # a `total_cost` requirement is the same total without its downtime
    without = e.total_cost_of_ownership(est.term_fees, months, downtime=False)
    assert without == est.term_fees + e.monthly_work * months
    evaluation = sla.evaluate(REQUIREMENTS, [MANAGED], profile=PROFILE)
    verdict = next(r.verdict for r in evaluation.offers[0].results if r.requirement.metric == "total_cost")
    assert verdict.actual == f"€{without:,.2f} over {months} months"


# --- hostile paths ----------------------------------------------------------------------------------

#: Pieces of paths no file has or sla must not trip on: a NUL, a newline, a lone surrogate, `..`.
_PIECES = st.sampled_from(["..", ".", "", "a", "a.sla", "\0", "\n", "é", "\ud800", "x" * 300, "~", "-", " "])
hostile_paths = st.one_of(
    st.text(max_size=50),
    st.lists(_PIECES, max_size=40).map("/".join),
    st.builds(
        lambda head, n: head + "../" * n, st.sampled_from(["", "/", "a/", "x.sla/"]), st.integers(0, 300)
    ),
    st.text(alphabet="ab\0\n./", min_size=250, max_size=5000),
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(paths=st.lists(hostile_paths, min_size=1, max_size=3))
def test_check_never_raises_for_a_path(
    paths: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    found = sla.check(paths)
    assert found and all(d.code in ("SLA008", "SLA006", "SLA007") for d in found), found
    for path in paths:
        with pytest.raises(sla.SlaError):
            sla.load(path)
        with pytest.raises(sla.SlaError) if "\0" in path or "\ud800" in path else _nothing():
            sla.loads('agreement "A" {}', path=path)


@FUZZ
@given(target=hostile_paths)
def test_check_never_raises_for_an_import(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shared.sla").write_text("calendar office {}\n")
    root = tmp_path / "root.sla"
    root.write_text(f"import {json.dumps(target)}\n", encoding="utf-8")
    found = sla.check(root)
    assert all(d.code in ("SLA004", "SLA009", "SLA131") or d.code.startswith("SLA1") for d in found), found


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def test_a_path_of_the_wrong_type_is_a_type_error() -> None:
    for wrong in (b"managed.sla", 3, [3], [None]):
        with pytest.raises(TypeError, match="expected the path of a .sla file"):
            sla.check(wrong)  # type: ignore[arg-type]


# --- the package ----------------------------------------------------------------------------------


def test_every_public_name_is_there() -> None:
    for name in sla.__all__:
        assert getattr(sla, name) is not None, name
    for job in ("price", "bill", "estimate", "compare", "comply", "evaluate", "diff", "render"):
        assert job in sla.__all__ and callable(getattr(sla, job)), job
        assert job in (sla.__doc__ or ""), job


def test_importing_sla_stays_cheap_and_module_jobs_stay_callable() -> None:
    script = """
import sys
import sla
heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("lark", "numpy") or name == "sla.api")
assert not heavy, heavy
from sla import compare, diff
import sla.evaluate as module
import sla.comply
from sla.compare import Comparison
assert callable(compare) and callable(diff) and callable(module) and callable(sla.comply)
assert sla.compare is compare and sla.evaluate is module and sla.compare.Comparison is Comparison
print(sla.diff("examples/managed.sla", "examples/managed-revised.sla").summary)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'better': 2, 'worse': 3, 'neutral': 1}"
