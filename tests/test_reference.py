"""The shipped reference table: current for the installed libraries, read without importing them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sla import reference

ROOT = Path(__file__).parent.parent


@pytest.fixture
def fresh() -> Iterator[None]:
    reference._data.cache_clear()
    yield
    reference._data.cache_clear()


def test_the_shipped_table_is_current() -> None:
    """Fails after an upgrade of holidays or Babel: run `python -m sla.reference --regenerate`."""
    shipped = reference.tables_path().read_text(encoding="utf-8")
    assert shipped == reference.tables_text(), "stale: run python -m sla.reference --regenerate"


def test_the_shipped_table_is_read_when_its_versions_are_installed(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reference, "_compute", lambda: pytest.fail("computed although the table is current"))
    monkeypatch.setattr(reference, "_cache_path", lambda: pytest.fail("looked for a cache"))
    assert reference.holiday_region_problem("DE-BY") is None
    assert reference.minor_digits("JPY") == 0
    assert reference.subdivision_names("DE")["BY"] == "Bayern"
    assert reference.subdivision_names("XX") == {}


def test_other_installed_versions_fall_back_to_the_libraries(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    doc = json.loads(reference.tables_path().read_text(encoding="utf-8"))
    doc["versions"]["holidays"] = "0.0.1"
    doc["data"]["countries"] = ["XX"]  # would show if the table were used
    table = tmp_path / "reference_tables.json"
    table.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(reference, "tables_path", lambda: table)
    monkeypatch.setattr(reference, "_cache_path", lambda: str(tmp_path / "cache.json"))
    assert reference.holiday_region_problem("DE-BY") is None
    assert (tmp_path / "cache.json").is_file()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": "sla-reference/0", "versions": {}, "data": {}}',
        '{"format": "sla-reference/1"}',
    ],
)
def test_a_damaged_table_is_not_used(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str
) -> None:
    table = tmp_path / "reference_tables.json"
    table.write_text(text, encoding="utf-8")
    monkeypatch.setattr(reference, "tables_path", lambda: table)
    assert reference._shipped() is None


def test_the_names_of_regions_are_the_libraries_first_alias() -> None:
    import holidays

    aliases = holidays.country_holidays("AT").subdivisions_aliases
    first: dict[str, str] = {}
    for name, code in aliases.items():
        first.setdefault(code, name)
    assert reference.subdivision_names("AT") == first


def _loaded(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_checking_and_rendering_import_neither_holidays_nor_the_cache() -> None:
    """Naming a region in a contract, or checking that it exists, reads the shipped table only."""
    code = (
        "import sys\n"
        "from sla.cli import main\n"
        "for args in (['check', 'examples/managed.sla'], ['render', 'examples/managed.sla', '--to', 'md', '-o', '-']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('LOADED', *sorted({m.split('.')[0] for m in sys.modules} & {'holidays', 'numpy', 'typst'}))\n"
    )
    out = _loaded(code)
    assert out[out.index("LOADED") :] == ["LOADED"]
