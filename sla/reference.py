"""Reference data from maintained libraries: currencies (Babel), holiday regions (holidays), zones.

Importing `holidays` and Babel costs more than the rest of `sla check` together, so sla ships the
lists they give as a small table (`sla/reference_tables.json`), made from named versions of both
libraries. When those versions are the ones installed, the table is all that is read. Otherwise
the lists are computed from the installed libraries and kept in a small JSON file in sla's cache
folder, keyed by where those libraries are installed and when they were last changed; an upgrade
of either makes the cache miss. Anyone may have written that file: it is read only if it is a
small regular file (never through a link, never a FIFO or a device) and used only if it holds
lists of the expected kinds; otherwise the lists are computed again and the file rewritten.

After upgrading holidays or Babel, run

    python -m sla.reference --regenerate

(tests/test_reference.py fails until the shipped table matches the installed libraries again).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .resources import cache_folder, generated_file_main, read_plain_file, shipped

_TABLES = "reference_tables.json"
_FORMAT = "sla-reference/1"
_LIBRARIES = ("holidays", "babel")
_CACHE_LIMIT = 1024 * 1024  # the lists take about 70 kB
# ISO 4217 minor units are 0 to 4; a larger count from a tampered cache would make every
# rounding of money work with absurdly long numbers.
_MAX_MINOR_DIGITS = 6
# A longer name is not compared with the known ones: none could be close, and difflib would
# index every character of a name that fills a 10 MiB file.
_SUGGEST_LIMIT = 64
_KEYS = {"currencies", "countries", "subdivisions", "aliases", "names"}


def _cache_path() -> str | None:
    stamps = []
    for package in _LIBRARIES:
        spec = find_spec(package)
        if spec is None or spec.origin is None:
            return None
        stamps.append(f"{os.path.dirname(spec.origin)}:{os.stat(spec.origin).st_mtime_ns}")
    digest = hashlib.sha1("|".join(stamps).encode()).hexdigest()[:16]
    return str(cache_folder() / f"reference-{digest}.json")


def tables_path() -> Path:
    """The reference table shipped inside the package."""
    return shipped(_TABLES)


def _installed(package: str, version: str) -> bool:
    """Whether `version` of `package` is the one installed, from the name of its metadata folder
    beside it (`holidays-0.109.dist-info`): a look at one folder, where asking
    `importlib.metadata` reads every installed distribution."""
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        return False
    return os.path.isdir(
        os.path.join(os.path.dirname(os.path.dirname(spec.origin)), f"{package}-{version}.dist-info")
    )


def _shipped() -> dict[str, Any] | None:
    """The shipped table when it was made from the installed versions of both libraries."""
    raw = read_plain_file(tables_path(), _CACHE_LIMIT)
    if raw is None:
        return None
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if type(doc) is not dict or doc.get("format") != _FORMAT or type(doc.get("versions")) is not dict:
        return None
    versions = doc["versions"]
    if not all(type(versions.get(p)) is str and _installed(p, versions[p]) for p in _LIBRARIES):
        return None
    return _valid(doc.get("data"))


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    table = _shipped()
    if table is not None:
        return table
    path = _cache_path()
    if path:
        raw = read_plain_file(path, _CACHE_LIMIT)
        cached = _checked(raw) if raw is not None else None
        if cached is not None:
            return cached
    data = _compute()
    if path:
        from .files import write_atomic

        try:
            write_atomic(path, json.dumps(data, sort_keys=True))
        except OSError:
            pass  # a read-only home: compute again next time
    return data


def _checked(raw: bytes) -> dict[str, Any] | None:
    """The cached lists if they have the shape `_compute` gives them, else None."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (or not UTF-8), or nested beyond reason
        return None
    return _valid(data)


def _valid(data: Any) -> dict[str, Any] | None:
    """The data if it has the shape `_compute` gives it, else None."""

    def strings(value: object) -> bool:
        return type(value) is list and all(type(item) is str for item in value)

    if type(data) is not dict or data.keys() != _KEYS:
        return None
    currencies, countries, subdivisions = data["currencies"], data["countries"], data["subdivisions"]
    if type(currencies) is not dict or not all(
        type(digits) is int and 0 <= digits <= _MAX_MINOR_DIGITS for digits in currencies.values()
    ):
        return None
    if not strings(countries) or type(subdivisions) is not dict:
        return None
    if not all(strings(names) for names in subdivisions.values()):
        return None
    for key in ("aliases", "names"):
        if type(data[key]) is not dict or not all(
            type(names) is dict and all(type(k) is str and type(v) is str for k, v in names.items())
            for names in data[key].values()
        ):
            return None
    return data


def _compute() -> dict[str, Any]:
    import holidays
    from babel.numbers import get_currency_precision, list_currencies

    supported = holidays.list_supported_countries()
    aliases: dict[str, dict[str, str]] = {}
    names: dict[str, dict[str, str]] = {}
    for code, subdivs in supported.items():
        if subdivs:
            found = getattr(holidays.country_holidays(code).__class__, "subdivisions_aliases", None) or {}
            aliases[code] = {str(alias): str(sub) for alias, sub in found.items()}
            # A subdivision's name is its first alias (the library lists the name in the
            # country's own language first): kept apart, since JSON keys come back sorted.
            named: dict[str, str] = {}
            for alias, sub in aliases[code].items():
                named.setdefault(sub, alias)
            names[code] = named
    return {
        "currencies": {code: get_currency_precision(code) for code in sorted(list_currencies())},
        "countries": sorted(supported),
        "subdivisions": {code: sorted(subdivs) for code, subdivs in supported.items()},
        "aliases": aliases,
        "names": names,
    }


def currencies() -> dict[str, int]:
    """ISO 4217 currency codes Babel knows, each with its number of minor-unit digits."""
    return _data()["currencies"]  # type: ignore[no-any-return]


def minor_digits(currency: str) -> int:
    return currencies().get(currency, 2)


def subdivision_names(country: str) -> dict[str, str]:
    """Subdivision code -> name for a country, as the holidays library names them (in the
    country's own language: BY -> Bayern); empty for a country without subdivisions."""
    return dict(_data()["names"].get(country, {}))


def holiday_region_problem(region: str) -> tuple[str, str | None] | None:
    """None if `holidays` has the region (DE, DE-BY, US-CA); else a message and a hint."""
    data = _data()
    country, _, subdivision = region.partition("-")
    if country not in data["countries"]:
        hint = _suggest(country, data["countries"]) or "use an ISO 3166 country code such as DE or US"
        return f"unknown holiday country {country!r}", hint
    if subdivision:
        known = data["subdivisions"].get(country, [])
        aliases: dict[str, str] = data["aliases"].get(country, {})
        if subdivision not in known and subdivision not in aliases:
            if not known:
                return f"the holidays library has no subdivisions for {country}", f"write {country} alone"
            return (
                f"unknown subdivision {subdivision!r} of {country}",
                _suggest(subdivision, [*known, *aliases]) or "one of: " + _subdivisions(known, aliases),
            )
    return None


def holiday_regions() -> list[str]:
    """Every region the holidays library has, sorted: countries (DE) and subdivisions (DE-BY)."""
    data = _data()
    subdivisions: dict[str, list[str]] = data["subdivisions"]
    countries: list[str] = data["countries"]
    return sorted([*countries, *(f"{c}-{s}" for c in countries for s in subdivisions.get(c, []))])


def _subdivisions(known: list[str], aliases: dict[str, str]) -> str:
    """A country's subdivisions with a name for each where the library gives one: 1 (Burgenland)."""
    named: dict[str, str] = {}
    for alias, code in aliases.items():
        if len(alias) > len(named.get(code, "")) and alias != code:
            named[code] = alias
    shown = [f"{k} ({named[k]})" if k in named else k for k in known[:24]]
    return ", ".join(shown) + (f" and {len(known) - 24} more" if len(known) > 24 else "")


def timezone_problem(name: str) -> str | None:
    """None if the IANA zone exists; else a hint naming the closest zones."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    from zoneinfo import available_timezones

    return _suggest(name, sorted(available_timezones())) or "use an IANA name such as Europe/Berlin"


def _suggest(name: str, known: list[str]) -> str | None:
    from .diagnostics import did_you_mean

    return did_you_mean(name, known) if len(name) <= _SUGGEST_LIMIT else None


def tables_text() -> str:
    """The shipped table as it should be for the installed holidays and Babel."""
    from importlib.metadata import version

    doc = {
        "format": _FORMAT,
        "versions": {package: version(package) for package in _LIBRARIES},
        "data": _compute(),
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def _main(argv: list[str]) -> int:
    return generated_file_main(argv, "sla.reference", tables_path(), tables_text)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
