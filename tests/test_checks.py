"""Every check's failing example, taken from its docstring, is run: put into a clean base document
it makes that check report its code. The diagnostics table of docs/language.md matches the code."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sla import model as m
from sla.api import check_workspace
from sla.checks import RULES, Rule
from sla.codes import CODES as PARSE_CODES
from sla.diagnostics import Diagnostic
from sla.loader import Workspace
from sla.report import rule_descriptions

ROOT = Path(__file__).parent.parent
Document = m.Agreement | m.Profile | m.Requirements


@dataclass
class Block:
    """A block of a base document: its header and its statements, some of them blocks."""

    header: str
    body: list[str | Block] = field(default_factory=list)

    def text(self, indent: str = "") -> str:
        inner = indent + "  "
        lines = [s.text(inner) if isinstance(s, Block) else f"{inner}{s}\n" for s in self.body]
        return f"{indent}{self.header} {{\n{''.join(lines)}{indent}}}\n"


# The base documents: valid and clean (see test_base_documents_are_clean), one per kind of document
# a check applies to. A failing example names its block by kind and name: `in agreement:`,
# `in calendar office:`, `in service helpdesk:`, `in priority P1:`, `in credits:`, `in fees:`,
# `in profile:`, `in requirements:`; `in file:` is the whole file instead of the base, and
# `in imported file:` a second file, which the base then imports.


def _agreement() -> Block:
    return Block(
        'agreement "Base"',
        [
            'provider "Provider"',
            'customer "Customer"',
            "model managed",
            "currency EUR",
            "start 2027-01-01",
            "term 36 months",
            Block("calendar office", ['timezone "Europe/Berlin"', "hours mon-fri 09:00-17:00"]),
            Block("service helpdesk", ["quantity 10 users"]),
            Block("priority P1", ["response 1h", "resolution 4h"]),
            Block("credits", ["availability below 99.5% credit 10%"]),
            Block("fees", ["recurring helpdesk 45.00 per user monthly"]),
        ],
    )


def _profile() -> Block:
    return Block(
        'profile "Base"',
        ["units { users 10 }", "incidents monthly { P1 1 }", "effort { P1 1h }", "onsite 10%"],
    )


def _requirements() -> Block:
    return Block('requirements "Base"', ["term <= 36 months"])


BASES: dict[type, Callable[[], Block]] = {
    m.Agreement: _agreement,
    m.Profile: _profile,
    m.Requirements: _requirements,
}

#: Statements that define a named thing: their kind and name together say which one they are.
NAMED = {"calendar", "service", "priority", "rate", "recurring", "once", "multiplier"}

#: An example line of a docstring, as inspect.cleandoc leaves it: indented by four spaces.
EXAMPLE_LINE = re.compile(r"    in (?P<where>[a-z]+(?: [A-Za-z0-9_]+)?): (?P<text>\S.*)")


def _key(statement: str | Block) -> str:
    """What a statement is about: its keyword, and the name too for the statements in NAMED."""
    words = (statement.header if isinstance(statement, Block) else statement).split()
    return " ".join(words[:2] if words[0] in NAMED else words[:1])


def _statements(text: str) -> list[str]:
    """One example line split at each `;` outside blocks and strings."""
    parts: list[str] = []
    depth, quoted, escaped, start = 0, False, False, 0
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif quoted:
            escaped, quoted = ch == "\\", ch != '"'
        elif ch == '"':
            quoted = True
        elif ch in "{}":
            depth += 1 if ch == "{" else -1
        elif ch == ";" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    return [p for p in [*parts, text[start:].strip()] if p]


def _find(block: Block, where: str) -> Block | None:
    if _key(block) == where:
        return block
    for statement in block.body:
        if isinstance(statement, Block) and (found := _find(statement, where)) is not None:
            return found
    return None


def example(r: Rule) -> list[tuple[str, str]]:
    """The places and statements of a check's failing example, from its docstring."""
    name = f"{r.code} ({r.check.__name__})"
    doc = inspect.cleandoc(r.check.__doc__ or "")
    _, found, after = doc.partition("\nFailing example: ")
    assert found, f"{name}: the docstring has no `Failing example: ...` line"
    lines = [line for line in after.splitlines()[1:] if line.strip()]
    assert lines, f"{name}: no `in BLOCK: STATEMENTS` lines after the failing example, so it cannot run"
    matched = [EXAMPLE_LINE.fullmatch(line) for line in lines]
    bad = [line for line, mo in zip(lines, matched) if mo is None]
    assert not bad, f"{name}: not an `in BLOCK: STATEMENTS` line: {bad}"
    return [(mo["where"], mo["text"]) for mo in matched if mo is not None]


def build(kind: type, places: list[tuple[str, str]]) -> tuple[str, str | None]:
    """The text of the file holding a failing example, and of the file it imports, if any."""
    base = BASES[kind]()
    whole = [text for where, text in places if where == "file"]
    imported = [text for where, text in places if where == "imported file"]
    for where, text in places:
        if where in ("file", "imported file"):
            continue
        assert not whole, "an example given `in file:` is the whole file: it has no other block"
        block = _find(base, where)
        assert block is not None, f"the base {kind.__name__.lower()} has no block {where!r}"
        new = _statements(text)
        replaced = {_key(s) for s in new}
        block.body = [s for s in block.body if _key(s) not in replaced] + list(new)
    main = "\n".join(whole) + "\n" if whole else base.text()
    if imported:
        return 'import "shared.sla"\n' + main, "\n".join(imported) + "\n"
    return main, None


@dataclass
class Checked:
    path: str
    diagnostics: list[Diagnostic]
    documents: tuple[Document, ...]

    def found_by(self, r: Rule) -> list[str]:
        """The messages of one check for this file, kept as check_document keeps them."""
        return [
            message
            for doc in self.documents
            if isinstance(doc, r.applies_to)
            for message, span, _ in r.check(doc)
            if span is None or span.file in (self.path, None)
        ]


def run(folder: Path, main: str, imported: str | None = None) -> Checked:
    path = folder / "case.sla"
    path.write_text(main, encoding="utf-8")
    if imported is not None:
        (folder / "shared.sla").write_text(imported, encoding="utf-8")
    ws = Workspace()
    ws.add(path)
    diagnostics = check_workspace(ws)
    file = ws.files.get(str(path))
    return Checked(str(path), diagnostics, ws.resolve(file).documents if file else ())


def _id(r: Rule) -> str:
    return f"{r.code}-{r.check.__name__}"


# --- the registry ---------------------------------------------------------------------------------


def test_the_registry_holds_each_check_once_under_its_own_code() -> None:
    assert len(RULES) >= 30
    assert all(re.fullmatch(r"SLA1\d\d", r.code) for r in RULES)
    assert len({r.check for r in RULES}) == len(RULES)
    # A code is one mistake: one check per kind of document, one severity, no parse code's number
    pairs = [(r.code, r.applies_to) for r in RULES]
    assert len(set(pairs)) == len(pairs), sorted(p for p in pairs if pairs.count(p) > 1)
    assert all(kind in BASES for _, kind in pairs)
    severities = {r.code: {s.severity for s in RULES if s.code == r.code} for r in RULES}
    assert all(len(s) == 1 for s in severities.values()), severities
    assert not {r.code for r in RULES} & set(PARSE_CODES)


# --- the failing examples -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(BASES), ids=lambda k: k.__name__)
def test_base_documents_are_clean(kind: type, tmp_path: Path) -> None:
    checked = run(tmp_path, BASES[kind]().text())
    assert checked.diagnostics == []
    assert [type(d) for d in checked.documents] == [kind]


@pytest.mark.parametrize("r", RULES, ids=_id)
def test_failing_example_fails(r: Rule, tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    base = run(tmp_path / "base", BASES[r.applies_to]().text())
    assert r.code not in [d.code for d in base.diagnostics] and not base.found_by(r)

    main, imported = build(r.applies_to, example(r))
    checked = run(tmp_path, main, imported)
    shown = "\n".join(str(d) for d in checked.diagnostics) or "nothing"
    assert r.code in [d.code for d in checked.diagnostics], f"{r.code} not reported for\n{main}but:\n{shown}"
    # several checks share a code (one per kind of document): this one must be the one reporting
    assert checked.found_by(r), f"{_id(r)} reports nothing for\n{main}\n(the code came from another check)"


def test_an_example_replaces_the_statement_it_restates() -> None:
    main, imported = build(
        m.Agreement,
        [
            ("calendar office", 'timezone "Europe/Berln"'),
            ("agreement", "priority P1 { response 1h }; priority P2 { response 30m }"),
            ("fees", "rate engineer 120.00 per hour"),
        ],
    )
    assert imported is None
    assert main.count("timezone") == 1 and 'timezone "Europe/Berln"' in main
    assert "resolution 4h" not in main and main.index("priority P1 {") < main.index("priority P2 {")
    assert "recurring helpdesk" in main and "rate engineer" in main
    assert _statements('a "x;\\"}"; b { c; d }; ') == ['a "x;\\"}"', "b { c; d }"]


# --- docs/language.md -----------------------------------------------------------------------------


def _docs_table() -> dict[str, tuple[str, str, str]]:
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = text.split("\n## 7. Diagnostics\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (SLA\d{3}) \| (\w+) \| (.*) \| (.*) \|$", section, flags=re.MULTILINE)
    table = {code: (severity, meaning, failing) for code, severity, meaning, failing in rows}
    assert len(table) == len(rows), "a code has two rows"
    return table


def test_the_diagnostics_table_lists_every_code_and_only_those() -> None:
    table, codes = _docs_table(), rule_descriptions()
    assert sorted(set(table) - set(codes)) == [], "in docs/language.md but in no check or parse code"
    assert sorted(set(codes) - set(table)) == [], "in the code but missing from docs/language.md"
    for code, (severity, summary) in codes.items():
        assert table[code][0] == severity, code
        assert table[code][1].startswith(summary), code


def test_the_diagnostics_table_shows_each_check_and_its_failing_example() -> None:
    table = _docs_table()
    for code in dict.fromkeys(r.code for r in RULES):
        rules = [r for r in RULES if r.code == code]
        prose = [inspect.cleandoc(r.check.__doc__ or "").partition("\nFailing example: ")[2] for r in rules]
        assert table[code][1] == " ".join(r.summary for r in rules), code
        assert table[code][2] == "; ".join(p.splitlines()[0].removesuffix(".") for p in prose), code


def test_holiday_subdivision_aliases_are_accepted_and_a_refusal_lists_the_subdivisions() -> None:
    """`AT-9`, `AT-W` and `AT-Wien` are Vienna, as the holidays library has them; a refused
    subdivision's hint names every subdivision of the country (it was empty for Austria)."""
    import sla as api

    def diagnostics(region: str) -> list[tuple[str, str | None]]:
        text = f'agreement "V" {{ calendar c {{ timezone "Europe/Vienna"; hours mon-fri 08:00-17:00; holidays "{region}" }} }}'
        return [(d.message, d.hint) for d in api.check_text(text) if d.code == "SLA104"]

    assert diagnostics("AT-9") == diagnostics("AT-W") == diagnostics("AT-Wien") == []
    assert diagnostics("PL-Mazowieckie") == []
    ((message, hint),) = diagnostics("AT-XX")
    assert message == "unknown subdivision 'XX' of AT"
    assert hint is not None and hint.startswith("one of: 1 (Burgenland), 2 (Kärnten)") and "9 (Wien)" in hint


def test_a_one_off_window_in_any_year_counts_against_the_availability_it_leaves(tmp_path: Path) -> None:
    # a 20-hour window on one day of March 2031 is 2.7% of the month: 99.9% cannot be reached
    text = (
        BASES[m.Agreement]()
        .text()
        .replace("    quantity 10 users\n", "    quantity 10 users\n    availability 99.9% monthly\n", 1)
        .replace("  priority", "  maintenance once 2031-03-13 02:00-22:00\n  priority", 1)
    )
    codes = [d.code for d in run(tmp_path, text).diagnostics]
    assert "SLA116" in codes, codes
