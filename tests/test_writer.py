"""The writer: every corpus file and example back to text and to the same model, tricky values,
unwritable models refused, and `sla export --to sla`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import sla
from sla import model as m
from sla.cli import main
from sla.cli.init import starter
from sla.fmt import format_text
from sla.loader import Workspace, parse, read_text
from sla.values import Duration, Money, Period, TimeSpan
from sla.writer import write
from tests.conftest import DATA, ROOT
from tests.strategies import agreements, layouts

VALID = sorted((DATA / "valid").glob("*.sla"))
EXAMPLES = sorted((ROOT / "examples").glob("*.sla"))
STARTERS = sorted((ROOT / "sla" / "starters").glob("*.sla"))
FILES = VALID + EXAMPLES
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_corpora_are_not_empty() -> None:
    assert len(VALID) >= 10
    assert len(EXAMPLES) >= 8
    assert len(STARTERS) == 3


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _imported_calendars(path: Path) -> tuple[m.Calendar, ...]:
    """The calendars a file sees through its imports (not its own top-level ones)."""
    ws = Workspace()
    ws.add(path)
    file = ws.files[str(path)]
    return ws.visible_calendars(file)[len(file.calendars) :]


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_text_model_text_model(path: Path) -> None:
    model = parse(read_text(path), str(path))
    text = write(model)
    assert parse(text, str(path)) == model
    assert write(parse(text, str(path))) == text  # writing what was written changes nothing
    assert format_text(text) == text  # already in the canonical layout


@pytest.mark.parametrize("kind", [p.stem for p in STARTERS])
def test_starters_round_trip(kind: str) -> None:
    model = sla.parse(starter(kind, "Acme Support", "agreement.sla"))
    text = write(model)
    assert sla.parse(text) == model
    assert format_text(text) == text
    assert not [d for d in sla.check_text(text) if d.is_error]


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_a_loaded_file_is_written_without_the_calendars_it_sees(path: Path) -> None:
    loaded = sla.load(path)
    text = write(loaded)
    assert text == write(parse(read_text(path), str(path)))  # the spans tell own calendars apart
    assert sla.loads(text, str(path)) == loaded  # loaded beside the same imports: the same model


@pytest.mark.parametrize("path", VALID, ids=_name)
def test_golden_json_model_text_model(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus JSON is what `sla export --to json` wrote: a loaded file, without spans."""
    monkeypatch.chdir(path.parent)
    model = sla.loads_json(path.with_suffix(".json").read_text(encoding="utf-8"))
    text = write(model, shared=_imported_calendars(Path(path.name)))
    assert sla.loads(text, path.name) == model
    assert format_text(text) == text


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_json_model_text_model(path: Path) -> None:
    parsed = parse(read_text(path), str(path))
    from_json = sla.loads_json(sla.dumps(parsed))
    assert parse(write(from_json), str(path)) == parsed
    loaded = sla.load(path)
    with_spans = sla.loads_json(sla.dumps(loaded, spans=True))  # spans tell imported calendars apart
    assert sla.loads(write(with_spans), str(path)) == loaded
    exported = sla.loads_json(sla.dumps(loaded))
    assert sla.loads(write(exported, shared=_imported_calendars(path)), str(path)) == loaded


def test_top_level_calendars_are_recognised_without_spans(tmp_path: Path) -> None:
    text = 'calendar office { timezone "UTC"; hours 24x7 }\nagreement "A" { calendar own { hours 24x7 } }\n'
    exported = sla.loads_json(sla.dumps(sla.loads(text)))
    assert [c.name for c in exported.agreements[0].calendars] == ["own", "office"]
    written = write(exported)
    assert written.count("calendar office") == 1 and written.count("calendar own") == 1
    assert sla.loads(written) == exported


def test_a_spanless_export_needs_the_imported_calendars_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "valid")
    path = Path("imports.sla")
    exported = sla.loads_json(path.with_suffix(".json").read_text(encoding="utf-8"))
    inline = write(exported)  # nothing says the calendars were imported: they are written inline
    assert parse(inline, str(path)) == exported
    assert "  calendar office {" in inline
    with pytest.raises(sla.SlaError, match="SLA101"):  # the import brings them a second time
        sla.loads(inline, str(path))
    written = write(exported, shared=_imported_calendars(path))
    assert "calendar office {" not in written and written.startswith('import "calendars.sla"\n')
    assert sla.loads(written, str(path)) == exported


@SETTINGS
@given(agreements())
def test_generated_agreements_round_trip(text: str) -> None:
    model = sla.parse(text, "x.sla")
    written = write(model)
    assert sla.parse(written, "x.sla") == model
    assert format_text(written) == written
    assert sla.parse(write(sla.loads_json(sla.dumps(model))), "x.sla") == model


@SETTINGS
@given(layouts())
def test_the_layout_of_the_source_does_not_matter(text: str) -> None:
    assert write(sla.parse(text)) == write(sla.parse(format_text(text)))


# ------------------------------------------------------------------------------ tricky values


def _agreement(body: str) -> m.Agreement:
    return sla.parse(f'agreement "A" {{\n{body}\n}}\n').agreements[0]


def _round_trip(file: m.SlaFile) -> str:
    text = write(file)
    assert sla.parse(text) == file
    assert format_text(text) == text
    return text


def _one(doc: m.Agreement | m.Profile | m.Requirements) -> m.SlaFile:
    return m.SlaFile(documents=(doc,))


def test_strings_with_quotes_backslashes_and_line_breaks() -> None:
    title = 'He said "stop" \\ C:\\path\nsecond line\r\tand a tab, é, 顧客, \x7f, \u2028, \x85, \x00'
    party = m.Party(name="Müller", contact='"quoted"', website="https://x.example/?a=1&b=\\")
    text = _round_trip(_one(m.Agreement(title=title, provider=party)))
    head = text.split("\n")[0]
    assert head == (
        'agreement "He said \\"stop\\" \\\\ C:\\\\path\\nsecond line\\r\\tand a tab, é, 顧客, '
        '\\u007f, \\u2028, \\u0085, \\u0000" {'
    )
    assert '    contact "\\"quoted\\""' in text


def test_money_in_a_foreign_currency_and_bare() -> None:
    a = _agreement("currency EUR\nfees {\n callout USD 75.00 per visit\n travel 0.45 per km\n}")
    text = _round_trip(_one(a))
    assert "    callout USD 75.00 per visit\n    travel 0.45 per km\n" in text


def test_numbers_are_written_without_exponents() -> None:
    fees = m.Fees(callout=Money(amount=Decimal("1E+2")), materials_markup=Decimal("1E-6"))
    text = write(_one(m.Agreement(title="A", fees=fees)))
    assert "    callout 100 per visit\n    materials markup 0.000001%\n" in text


def test_spans_across_midnight_and_to_24_00() -> None:
    a = _agreement(
        'calendar shifts {\n timezone "UTC"\n hours fri 22:00-06:00, 06:00-08:00\n'
        " hours mon-thu 18:00-24:00\n hours sat 22:00-00:00\n}"
    )
    text = _round_trip(_one(a))
    assert (
        "    hours fri 22:00-06:00, 06:00-08:00\n    hours mon-thu 18:00-24:00\n    hours sat 22:00-00:00\n"
        in text
    )


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("mon-fri", "mon-fri"),
        ("sat,sun", "sat, sun"),
        ("fri-mon", "fri-mon"),
        ("sun-sat", "mon-sun"),
        ("mon,wed,fri", "mon, wed, fri"),
        ("wed, sat-mon", "wed, sat-mon"),
        ("MON-Tue", "mon, tue"),
    ],
)
def test_weekdays_are_written_as_runs(written: str, canonical: str) -> None:
    a = _agreement(f"calendar c {{ hours {written} 09:00-17:00 }}\nmaintenance weekly {written} 01:00-02:00")
    text = _round_trip(_one(a))
    assert f"    hours {canonical} 09:00-17:00\n" in text
    assert f"  maintenance weekly {canonical} 01:00-02:00\n" in text


def test_holidays_and_closed_dates() -> None:
    cal = m.Calendar(
        name="c",
        hours=(m.Hours(always=True),),
        holidays=("DE-BY", "AT", "not a name"),
        closed=(
            m.DateRange(first=date(2027, 12, 24), last=date(2027, 12, 31)),
            m.DateRange(first=date(2028, 1, 2), last=date(2028, 1, 2)),
        ),
    )
    text = _round_trip(m.SlaFile(calendars=(cal,)))
    assert text == (
        'calendar c {\n  hours 24x7\n  holidays DE-BY, AT, "not a name"\n'
        "  closed 2027-12-24..2027-12-31, 2028-01-02\n}\n"
    )


def test_tiers_with_an_open_top_band_and_multiplier_outside_a_calendar() -> None:
    a = _agreement(
        "fees {\n recurring desk 45 per user monthly tiers graduated { 1-50: 45.00; 51+: EUR 40 }\n"
        " multiplier after_hours 1.5x outside office\n multiplier weekends 2x\n}"
    )
    text = _round_trip(_one(a))
    assert text.endswith(
        "  fees {\n    recurring desk 45 per user monthly tiers graduated {\n      1-50: 45.00\n"
        "      51+: EUR 40\n    }\n    multiplier after_hours 1.5x outside office\n"
        "    multiplier weekends 2x\n  }\n}\n"
    )


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("renewal none", "renewal none"),
        ("renewal 1 year", "renewal 1 year"),
        ("renewal 12 months notice 90d", "renewal 12 months notice 90 days"),
        ("renewal 2w", "renewal 2 weeks"),
    ],
)
def test_renewal(written: str, canonical: str) -> None:
    assert f"  {canonical}\n" in _round_trip(_one(_agreement(written)))


def test_best_effort_targets() -> None:
    a = _agreement(
        "priority P3 { response 4h best_effort; resolution best_effort }\n"
        "priority P4 { response 1d on always best_effort; resolution 1w2d on always }"
    )
    text = _round_trip(_one(a))
    assert (
        "  priority P3 {\n    response 4h best_effort\n    resolution best_effort\n  }\n"
        "  priority P4 {\n    response 1d on always best_effort\n    resolution 1w2d on always\n  }\n"
    ) in text


def test_rates_blocks_and_the_rest_of_the_fees() -> None:
    a = _agreement(
        "fees {\n rate engineer 120 per hour increment 15m minimum 1h remote, 2h onsite, 30m\n"
        " rate tech 80 per hour\n block 20h for 2200.00 quarterly rollover 3 months overage tech\n"
        " block 5h for 500 yearly rollover none\n once setup 100\n increase 3% yearly\n"
        " materials markup 15%\n payment net 45 days\n}"
    )
    text = _round_trip(_one(a))
    assert (
        "    rate engineer 120 per hour increment 15m minimum 1h remote, 2h onsite, 30m\n"
        "    rate tech 80 per hour\n    materials markup 15%\n    payment net 45 days\n"
        "    block 20h for 2200.00 quarterly rollover 3 months overage tech\n"
        "    block 5h for 500 yearly\n"
    ) in text


def test_credits_and_clock() -> None:
    a = _agreement(
        "credits { response missed P1 credit EUR 100 each; availability below 99.9% credit 5% for desk\n"
        ' claim within 2w; cap 30% of monthly fee }\nclock { pause when "a"; pause when "b", "c" }'
    )
    text = _round_trip(_one(a))
    assert (
        '  clock {\n    pause when "a", "b", "c"\n  }\n\n  credits {\n'
        "    availability below 99.9% credit 5% for desk\n    response missed P1 credit EUR 100 each\n"
        "    cap 30% of monthly fee\n    claim within 2w\n  }\n"
    ) in text


def test_a_long_list_goes_on_after_a_comma() -> None:
    items = tuple(f"Item number {i} of a long list" for i in range(8))
    text = _round_trip(_one(m.Agreement(title="A", services=(m.Service(name="desk", includes=items),))))
    lines = text.split("\n")
    assert lines[2].startswith('    includes "Item number 0') and lines[3].startswith('      "Item number')
    assert all(len(line) <= 100 for line in lines)


def test_profile_statements() -> None:
    profile = sla.parse(
        'profile "P" { incidents quarterly { }\n travel 18 miles per visit\n'
        " assume best_effort resolution 3d\n assume best_effort response 4h\n"
        " downtime_cost 1500 per hour; spread 0% }"
    ).profiles[0]
    text = _round_trip(_one(profile))
    assert text == (
        'profile "P" {\n  incidents quarterly {\n  }\n  downtime_cost 1500 per hour\n  spread 0%\n'
        "  travel 18 miles per visit\n  assume best_effort resolution 3d\n"
        "  assume best_effort response 4h\n}\n"
    )


def test_requirement_forms() -> None:
    text = (
        'requirements "R" {\n  model managed\n  monthly_cost <= 9000 with profile "P" weight 2\n'
        '  annual_cost < USD 100000.00\n  includes desk "Password resets"\n'
        '  governing_law == "Ireland"\n  response P1 <= 30m on always\n  term <= 36 months\n'
        "  notice <= 90d\n  prefer availability servers >= 99.95% weight 1.5\n  prefer credits cap\n}\n"
    )
    file = sla.parse(text)
    assert _round_trip(file) == text


def test_a_model_built_in_python_is_written_and_checks_clean() -> None:
    office = m.Calendar(
        name="office",
        timezone="Europe/Dublin",
        hours=(m.Hours(days=("mon", "tue", "wed", "thu", "fri"), spans=(TimeSpan.parse("09:00-17:00"),)),),
        holidays=("IE",),
    )
    agreement = m.Agreement(
        title="Generated",
        provider=m.Party(name="P"),
        customer=m.Party(name="C"),
        model="break_fix",
        currency="EUR",
        start=date(2027, 1, 1),
        term=Period(count=12, unit="month"),
        calendars=(office,),
        priorities=(m.Priority(name="P1", response=m.Target(duration=Duration.of(hours=4))),),
        fees=m.Fees(rates=(m.Rate(role="engineer", price=Money(amount=Decimal("120.00"))),)),
    )
    text = _round_trip(_one(agreement))
    assert sla.loads(text).agreements[0] == agreement
    assert "    hours mon-fri 09:00-17:00\n" in text and "  term 12 months\n" in text


def test_the_path_is_not_part_of_the_text() -> None:
    file = m.SlaFile(path="a.sla", imports=(m.Import(path="shared/calendars.sla"),))
    assert write(file) == 'import "shared/calendars.sla"\n'
    assert write(m.SlaFile()) == ""


# ------------------------------------------------------------------------------ unwritable models


def _refusal(doc: m.Agreement) -> str:
    with pytest.raises(sla.SlaError) as info:
        write(_one(doc))
    [d] = info.value.diagnostics
    assert d.code == "SLA020"
    return d.message


def test_a_name_that_is_not_a_name_is_refused() -> None:
    message = _refusal(m.Agreement(title="A", services=(m.Service(name="help desk"),)))
    assert (
        message
        == "the model cannot be written as .sla text: unexpected name 'desk' in the 'agreement' block in `service help desk {`"
    )


def test_a_negative_amount_is_refused() -> None:
    message = _refusal(m.Agreement(title="A", fees=m.Fees(callout=Money(amount=Decimal(-5)))))
    assert message.endswith("in `callout -5 per visit`")


def test_what_no_statement_says_is_refused() -> None:
    updates = m.Target(duration=Duration.of(hours=1), best_effort=True)
    message = _refusal(m.Agreement(title="A", priorities=(m.Priority(name="P1", updates=updates),)))
    assert message == (
        "the model cannot be written as .sla text: documents.0.priorities.0.updates.best_effort "
        "would read back as False, not True"
    )
    always_on_mondays = m.Calendar(name="c", hours=(m.Hours(days=("mon",), always=True),))
    assert "calendars.0.hours.0.days would read back as (), not ('mon',)" in _refusal(
        m.Agreement(title="A", calendars=(always_on_mondays,))
    )


def test_dumps_to_sla() -> None:
    model = sla.load(DATA / "valid" / "managed.sla")
    assert sla.dumps(model, to="sla") == write(model)


# ------------------------------------------------------------------------------ the command


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_export_to_sla(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "valid")
    code, out, _ = _run("export", "imports.sla", "--to", "sla")
    assert code == 0
    assert out == write(parse(read_text("imports.sla")))
    assert out.startswith('import "calendars.sla"\n\nagreement "Uses shared calendars" {\n')
    assert sla.loads(out, "imports.sla") == sla.load("imports.sla")
    written = tmp_path / "out.sla"
    assert _run("export", "managed.sla", "--to", "sla", "-o", str(written)) == (0, "", "")
    assert sla.load(written).documents == sla.load("managed.sla").documents


def test_export_to_sla_refuses_spans_and_invalid_files() -> None:
    code, out, err = _run("export", str(DATA / "valid" / "minimal.sla"), "--to", "sla", "--spans")
    assert (code, out) == (2, "") and "--spans is for --to json or yaml" in err
    code, out, err = _run("export", str(DATA / "invalid" / "calendar-no-hours.sla"), "--to", "sla")
    assert code == 1 and out == "" and "SLA110" in err
