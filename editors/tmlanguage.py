"""Writes editors/sla.tmLanguage.json, the TextMate grammar that colours .sla files, from the
keywords of grammar/sla.lark:

    python editors/tmlanguage.py            # write it
    python editors/tmlanguage.py --check    # exit 1 when it is not what the grammar gives

A TextMate grammar reads a line at a time with regular expressions and knows no parser state,
so it colours each keyword wherever it stands (sla reserves a keyword only where the grammar
takes it: a role may be called `onsite`). An amount is coloured as money where the language
puts money - after `recurring NAME`, `rate NAME`, `once NAME`, `credit`, `callout`, `travel`,
`downtime_cost`, `materials`, `block ... for`, in a tier, after a comparison, or after a
currency code - and as a plain number elsewhere (a quantity, a count of months, a weight).
tests/test_editors.py tokenizes every example with vscode-textmate and holds each token's
colour to what sla's own lexer and parser make of it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRAMMAR = HERE.parent / "grammar" / "sla.lark"
TARGET = HERE / "sla.tmLanguage.json"

#: Keywords that declare something named (`calendar office {`).
DECLARATIONS = ("agreement", "profile", "requirements", "calendar", "service", "priority")
#: Keywords that stand for a value rather than begin a statement or clause.
VALUES = (
    "monthly",
    "quarterly",
    "yearly",
    "volume",
    "graduated",
    "remote",
    "onsite",
    "first",
    "second",
    "third",
    "fourth",
    "last",
    "weekends",
    "best_effort",
    "none",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MODELS = ("managed", "break_fix", "block_hours")

# A name as the grammar's NAME, and the edges of one: a name may hold `-`, so `on-call` is one
# name, not the keyword `on`.
NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
BEFORE, AFTER = r"(?<![A-Za-z0-9_-])", r"(?![A-Za-z0-9_-])"
NUMBER = r"[0-9]+(?:\.[0-9]+)?"
AMOUNT = rf"(?:([A-Z]{{3}})\s+)?({NUMBER})(?![0-9.%xwdhm:+-])"


def keywords(grammar: str) -> list[str]:
    """Every word the grammar writes as a literal: its keywords."""
    return sorted(set(re.findall(r'"([a-z_][a-z0-9_]*)"', grammar)))


def _words(words: list[str] | tuple[str, ...]) -> str:
    return BEFORE + "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")" + AFTER


def _money(before: str, names: dict[str, str]) -> dict[str, object]:
    """A rule colouring the amount after `before` (a regex with its own groups, scoped by
    `names`: group number -> scope) as money, and its currency code."""
    groups = len(re.findall(r"(?<!\\)\((?!\?)", before))
    captures = {str(k): {"name": v} for k, v in names.items()}
    captures[str(groups + 1)] = {"name": "constant.other.currency.sla"}
    captures[str(groups + 2)] = {"name": "constant.numeric.money.sla"}
    return {"match": before + AMOUNT, "captures": captures}


def grammar(text: str) -> dict[str, object]:
    words = keywords(text)
    unknown = set(DECLARATIONS + VALUES) - set(words)
    if unknown:
        raise SystemExit(f"not keywords of the grammar any more: {sorted(unknown)}")
    other = [w for w in words if w not in DECLARATIONS and w not in VALUES and w != "import"]
    keyword = "keyword.other.sla"
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "SLA",
        "scopeName": "source.sla",
        "fileTypes": ["sla"],
        "patterns": [
            {"include": "#comment"},
            {"include": "#string"},
            {"include": "#money"},
            {"include": "#date"},
            {"include": "#time"},
            {"include": "#percentage"},
            {"include": "#multiplier"},
            {"include": "#duration"},
            {"include": "#number"},
            {"include": "#definition"},
            {"include": "#keyword"},
            {"include": "#constant"},
            {"include": "#punctuation"},
        ],
        "repository": {
            "comment": {
                "match": "(#).*$",
                "name": "comment.line.number-sign.sla",
                "captures": {"1": {"name": "punctuation.definition.comment.sla"}},
            },
            "string": {
                "name": "string.quoted.double.sla",
                "begin": '"',
                "beginCaptures": {"0": {"name": "punctuation.definition.string.begin.sla"}},
                "end": '"|$',  # a string ends on its line
                "endCaptures": {"0": {"name": "punctuation.definition.string.end.sla"}},
                "patterns": [{"match": r"\\.", "name": "constant.character.escape.sla"}],
            },
            "money": {
                "patterns": [
                    _money(
                        rf"{BEFORE}(recurring|once|rate)\s+({NAME})\s+",
                        {1: keyword, 2: "variable.other.name.sla"},
                    ),
                    _money(  # with a title: `once onboarding "Onboarding" 2500.00`
                        rf'{BEFORE}(once|rate)\s+({NAME})\s+("(?:[^"\\]|\\.)*")\s+',
                        {1: keyword, 2: "variable.other.name.sla", 3: "string.quoted.double.sla"},
                    ),
                    _money(rf"{BEFORE}(credit|callout|downtime_cost|materials|for)\s+", {1: keyword}),
                    {
                        "match": rf"{BEFORE}(travel)\s+(?:([A-Z]{{3}})\s+)?({NUMBER})(?=\s+per{AFTER})",
                        "captures": {
                            "1": {"name": keyword},
                            "2": {"name": "constant.other.currency.sla"},
                            "3": {"name": "constant.numeric.money.sla"},
                        },
                    },
                    _money(
                        r"(?<![0-9])([0-9]+-[0-9]+|[0-9]+\+)\s*(:)\s*",
                        {1: "constant.numeric.range.sla", 2: "punctuation.separator.key-value.sla"},
                    ),
                    {
                        "match": rf"(<=|>=|==|<|>)\s*(?:([A-Z]{{3}})\s+)?({NUMBER})(?![0-9.%xwdhm:+-])(?!\s+{NAME})",
                        "captures": {
                            "1": {"name": "keyword.operator.comparison.sla"},
                            "2": {"name": "constant.other.currency.sla"},
                            "3": {"name": "constant.numeric.money.sla"},
                        },
                    },
                    {
                        "match": rf"{BEFORE}([A-Z]{{3}})\s+({NUMBER})(?![0-9.%xwdhm:+-])",
                        "captures": {
                            "1": {"name": "constant.other.currency.sla"},
                            "2": {"name": "constant.numeric.money.sla"},
                        },
                    },
                ]
            },
            "date": {
                "patterns": [
                    {
                        "match": r"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])",
                        "name": "constant.numeric.date.sla",
                    },
                    {"match": r"\.\.", "name": "keyword.operator.range.sla"},
                ]
            },
            "time": {
                "patterns": [
                    {
                        "match": r"(?<![0-9])[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}(?![0-9])",
                        "name": "constant.numeric.time.sla",
                    },
                    {"match": BEFORE + "24x7" + AFTER, "name": "constant.language.always.sla"},
                ]
            },
            "percentage": {
                "match": rf"(?<![0-9.]){NUMBER}%",
                "name": "constant.numeric.percentage.sla",
            },
            "multiplier": {
                "match": rf"(?<![0-9.]){NUMBER}x{AFTER}",
                "name": "constant.numeric.multiplier.sla",
            },
            "duration": {
                "match": rf"(?<![0-9.])[0-9]+[wdhm](?:[0-9]+[wdhm])*{AFTER}",
                "name": "constant.numeric.duration.sla",
            },
            "number": {
                "patterns": [
                    {
                        "match": r"(?<![0-9])(?:[0-9]+-[0-9]+|[0-9]+\+)(?=\s*:)",
                        "name": "constant.numeric.range.sla",
                    },
                    {"match": rf"(?<![0-9.A-Za-z_]){NUMBER}(?![0-9.])", "name": "constant.numeric.sla"},
                ]
            },
            "definition": {
                "match": rf"{BEFORE}(calendar|service|priority)\s+({NAME})(?=\s*(?:\"(?:[^\"\\\\]|\\\\.)*\"\s*)?\{{)",
                "captures": {"1": {"name": "storage.type.sla"}, "2": {"name": "entity.name.type.sla"}},
            },
            "keyword": {
                "patterns": [
                    {"match": BEFORE + "import" + AFTER, "name": "keyword.control.import.sla"},
                    {"match": _words(DECLARATIONS), "name": "storage.type.sla"},
                    {"match": _words(VALUES), "name": "constant.language.sla"},
                    {"match": _words(other), "name": keyword},
                    {"match": "<=|>=|==|<|>", "name": "keyword.operator.comparison.sla"},
                ]
            },
            "constant": {
                "patterns": [
                    {
                        "match": BEFORE + f"(?:{'|'.join(WEEKDAYS)})(?:-(?:{'|'.join(WEEKDAYS)}))?" + AFTER,
                        "name": "constant.language.weekday.sla",
                    },
                    {"match": _words(MODELS), "name": "constant.language.model.sla"},
                ]
            },
            "punctuation": {
                "patterns": [
                    {"match": r"\{", "name": "punctuation.section.block.begin.sla"},
                    {"match": r"\}", "name": "punctuation.section.block.end.sla"},
                    {"match": ";", "name": "punctuation.terminator.statement.sla"},
                    {"match": ",", "name": "punctuation.separator.comma.sla"},
                ]
            },
        },
    }


def text() -> str:
    return json.dumps(grammar(GRAMMAR.read_text(encoding="utf-8")), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if argv not in ([], ["--check"]):
        print("usage: python editors/tmlanguage.py [--check]", file=sys.stderr)
        return 2
    made = text()
    if argv == ["--check"]:
        current = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == made
        print(f"{TARGET}: {'current' if current else 'stale: run python editors/tmlanguage.py'}")
        return 0 if current else 1
    TARGET.write_text(made, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
