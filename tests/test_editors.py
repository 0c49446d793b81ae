"""The editor pieces: the TextMate grammar (editors/sla.tmLanguage.json), made from the grammar's
keywords and tested by tokenizing every example with vscode-textmate and vscode-oniguruma under
node, and the VS Code extension in editors/vscode/."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sla.parser import comments, get_parser, parse_tree
from tests.conftest import ROOT

EDITORS = ROOT / "editors"
EXAMPLES = sorted((ROOT / "examples").glob("*.sla"))


def _generator() -> ModuleType:
    return _editor_module("tmlanguage")


def test_the_grammar_is_made_from_the_keywords_of_the_language() -> None:
    tm = _generator()
    assert (EDITORS / "sla.tmLanguage.json").read_text(encoding="utf-8") == tm.text(), (
        "editors/sla.tmLanguage.json is stale: run python editors/tmlanguage.py"
    )
    lexer_keywords = set(get_parser().parser.lexer.keywords)
    assert set(tm.keywords(tm.GRAMMAR.read_text(encoding="utf-8"))) == lexer_keywords
    # the names the grammar colours as values are the language's
    from typing import get_args

    from sla.model import ServiceModel
    from sla.values import WEEKDAYS

    assert tuple(tm.WEEKDAYS) == WEEKDAYS and tuple(tm.MODELS) == get_args(ServiceModel)


# ------------------------------------------------------------------------------------ tokenizing


def _editor_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EDITORS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# editors/preview.py reads XDG_CACHE_HOME when it is loaded, before the tests point it at a
# folder of their own: node's packages are installed once, outside the repository.
PREVIEW = _editor_module("preview")


@cache
def _tokenized() -> dict[str, list[tuple[int, int, int, list[str]]]]:
    """Every example tokenized by vscode-textmate; skips, saying why, where node or npm is
    missing or the npm registry cannot be reached."""
    try:
        found: dict[str, list[tuple[int, int, int, list[str]]]] = PREVIEW.tokenize(EXAMPLES)
    except PREVIEW.NoNode as exc:
        pytest.skip(str(exc))
    return found


class Scopes:
    """The TextMate scopes of each character of one file."""

    def __init__(self, tokens: list[tuple[int, int, int, list[str]]]) -> None:
        self.at: dict[tuple[int, int], list[str]] = {}
        for line, start, end, scopes in tokens:
            for column in range(start + 1, end + 1):
                self.at[line, column] = scopes

    def of(self, line: int, column: int, end_column: int) -> list[list[str]]:
        return [self.at.get((line, c), []) for c in range(column, end_column)]

    def has(self, line: int, column: int, end_column: int, scope: str) -> bool:
        return all(scope in s for s in self.of(line, column, end_column))


def _expected_keyword_scope(word: str) -> str:
    tm = _generator()
    if word == "import":
        return "keyword.control.import.sla"
    if word in tm.DECLARATIONS:
        return "storage.type.sla"
    if word in tm.VALUES:
        return "constant.language.sla"
    return "keyword.other.sla"


_SCOPES = {
    "STRING": "string.quoted.double.sla",
    "DURATION": "constant.numeric.duration.sla",
    "PERCENT": "constant.numeric.percentage.sla",
    "DATE": "constant.numeric.date.sla",
    "SPAN": "constant.numeric.time.sla",
    "MULTIPLIER": "constant.numeric.multiplier.sla",
}


def _money_numbers(tree: Any) -> set[tuple[int, int]]:
    """Where each amount of money starts: the NUMBER of every `money` rule."""
    from lark import Token

    found = set()
    for node in tree.iter_subtrees():
        if node.data == "money":
            for child in node.children:
                if isinstance(child, Token) and child.type == "NUMBER":
                    found.add((child.line, child.column))
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_token_of_every_example_is_coloured_as_sla_reads_it(path: Path) -> None:
    """Keywords, strings, durations, money, percentages, dates (and times, multipliers, plain
    numbers), and comments: each token as sla's own lexer and parser make it."""
    scopes = Scopes(_tokenized()[path.name])
    text = path.read_text(encoding="utf-8")
    money = _money_numbers(parse_tree(text))
    keywords = get_parser().parser.lexer.keywords
    parser = get_parser().parse_interactive(text)
    wrong = []
    checked: dict[str, int] = {}
    for token in parser.iter_parse():
        kind = token.type
        if kind in _SCOPES:
            want = _SCOPES[kind]
        elif kind == "NUMBER":
            want = (
                "constant.numeric.money.sla"
                if (token.line, token.column) in money
                else "constant.numeric.sla"
            )
        elif token.value in keywords and keywords[token.value] == kind:
            want = _expected_keyword_scope(token.value)
            kind = "keyword"
        elif kind == "NAME" and token.value not in keywords:
            got = scopes.of(token.line, token.column, token.end_column)
            if any(s.startswith("keyword.") for scope in got for s in scope):
                wrong.append(
                    f"{token.line}:{token.column} name {token.value!r} coloured as a keyword: {got[0]}"
                )
            continue
        else:
            continue
        checked[kind] = checked.get(kind, 0) + 1
        if not scopes.has(token.line, token.column, token.end_column, want):
            got = scopes.of(token.line, token.column, token.end_column)
            wrong.append(f"{token.line}:{token.column} {kind} {token.value!r}: want {want}, got {got}")
        plain = kind == "NUMBER" and want == "constant.numeric.sla"
        if plain and scopes.has(token.line, token.column, token.end_column, "constant.numeric.money.sla"):
            wrong.append(f"{token.line}:{token.column} number {token.value!r} coloured as money")
    for line, column, body in comments(text):
        checked["comment"] = checked.get("comment", 0) + 1
        if not scopes.has(line, column, column + len(body), "comment.line.number-sign.sla"):
            wrong.append(f"{line}:{column} comment not coloured as one")
    assert wrong == []
    assert checked.get("keyword", 0) > 5 and checked.get("STRING", 0) > 0


def test_the_examples_hold_every_kind_of_token_the_test_checks() -> None:
    """So that the test above checks each kind somewhere (money, dates, comments, ...)."""
    seen: set[str] = set()
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        seen |= {t.type for t in get_parser().parse_interactive(text).iter_parse()}
        if _money_numbers(parse_tree(text)):
            seen.add("money")
        if comments(text):
            seen.add("comment")
    assert {
        "STRING",
        "DURATION",
        "PERCENT",
        "DATE",
        "SPAN",
        "MULTIPLIER",
        "NUMBER",
        "money",
        "comment",
    } <= seen


# ------------------------------------------------------------------------------------ VS Code

VSCODE = EDITORS / "vscode"


def test_the_extension_uses_the_grammar_and_starts_sla_lsp() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    [language] = manifest["contributes"]["languages"]
    assert (language["id"], language["extensions"]) == ("sla", [".sla"])
    assert (VSCODE / language["configuration"]).is_file()
    [grammar] = manifest["contributes"]["grammars"]
    assert grammar == {"language": "sla", "scopeName": "source.sla", "path": "./syntaxes/sla.tmLanguage.json"}
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["sla.server.command"]["default"] == "sla"
    assert settings["sla.server.args"]["default"] == ["lsp"]
    assert manifest["main"] == "./extension.js" and "onLanguage:sla" in manifest["activationEvents"]
    configuration = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"}
    assert "syntaxes/sla.tmLanguage.json" in (VSCODE / "package.sh").read_text(encoding="utf-8")


_STUBS = {
    "vscode/index.js": """
exports.workspace = { getConfiguration: () => ({ get: (key, fallback) => fallback }) };
exports.window = { showErrorMessage: (m) => console.log('ERROR ' + m) };
""",
    "vscode-languageclient/node.js": """
exports.LanguageClient = class {
  constructor(id, name, server, client) {
    console.log(JSON.stringify({ id, name, server, selector: client.documentSelector }));
  }
  start() { return Promise.resolve(); }
  stop() { return Promise.resolve(); }
};
""",
}


def test_the_extension_starts_sla_lsp_over_stdio(tmp_path: Path) -> None:
    """extension.js with stand-ins for `vscode` and `vscode-languageclient`: what it starts."""
    if shutil.which("node") is None:
        pytest.skip("node is needed to load the extension; it is not installed")
    for name, code in _STUBS.items():
        (tmp_path / "node_modules" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "node_modules" / name).write_text(code, encoding="utf-8")
    shutil.copy(VSCODE / "extension.js", tmp_path / "extension.js")
    run = "require('./extension.js').activate({ subscriptions: [] })"
    done = subprocess.run(
        ["node", "-e", run], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout)
    assert started["server"] == {"command": "sla", "args": ["lsp"]}  # no transport: stdio, no --stdio
    assert {"scheme": "file", "language": "sla"} in started["selector"]


@pytest.mark.slow
def test_package_sh_builds_a_vsix(tmp_path: Path) -> None:
    """editors/vscode/package.sh stages the extension with the grammar and packages it with vsce
    (marked slow: npm fetches vsce and the language client the first time)."""
    import zipfile

    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to build the .vsix; they are not installed")
    out = tmp_path / "sla.vsix"
    done = subprocess.run(
        ["bash", str(VSCODE / "package.sh"), str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"npm could not fetch what the .vsix needs (offline?): {last}")
    with zipfile.ZipFile(out) as vsix:
        names = set(vsix.namelist())
        assert {"extension/package.json", "extension/extension.js"} <= names
        assert "extension/node_modules/vscode-languageclient/package.json" in names
        grammar = vsix.read("extension/syntaxes/sla.tmLanguage.json").decode("utf-8")
    assert grammar == (EDITORS / "sla.tmLanguage.json").read_text(encoding="utf-8")
    assert not (VSCODE / "node_modules").exists()  # nothing was installed in the repository
