"""`sla lsp` end to end: a real client (pytest-lsp) talks to the server over stdio.

One server serves the whole module, in a copy of examples/ that is its workspace folder; each
test opens its own documents."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from sla.api import check
from sla.diagnostics import Diagnostic
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.asyncio(loop_scope="module")

INVALID = DATA / "invalid"
#: Long enough for a cold server on a slow machine; a test that waits this long has failed.
TIMEOUT = 30


def _server(*command: str, cache: Path) -> ClientServerConfig:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    return ClientServerConfig(server_command=[sys.executable, *command], server_env=env)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of examples/ for the server to work in."""
    target = tmp_path_factory.mktemp("lsp") / "examples"
    shutil.copytree(ROOT / "examples", target)
    return target


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LanguageClient]:
    config = _server("-m", "sla.lsp", cache=tmp_path_factory.getbasetemp() / "cache")
    lsp = await config.start()
    assert isinstance(lsp, LanguageClient)
    await lsp.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="examples")],
        )
    )
    yield lsp
    await lsp.shutdown_session()
    await lsp.stop()


async def diagnosed(client: LanguageClient, path: Path) -> list[types.Diagnostic]:
    """The diagnostics next published for a file."""
    uri = path.as_uri()

    async def wait() -> list[types.Diagnostic]:
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), TIMEOUT)


async def opened(client: LanguageClient, path: Path, text: str | None = None) -> list[types.Diagnostic]:
    """Open a file (with `text`, else as it is on disk) and wait for its diagnostics."""
    client.diagnostics.pop(path.as_uri(), None)
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(path.as_uri(), "sla", 1, text))
    )
    return await diagnosed(client, path)


async def changed(
    client: LanguageClient, path: Path, version: int, text: str, at: types.Range | None = None
) -> list[types.Diagnostic]:
    """Change an open document (the whole text, or `at` a range) and wait for its diagnostics."""
    client.diagnostics.pop(path.as_uri(), None)
    change: types.TextDocumentContentChangeEvent = (
        types.TextDocumentContentChangePartial(range=at, text=text)
        if at is not None
        else types.TextDocumentContentChangeWholeDocument(text=text)
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=path.as_uri()), [change]
        )
    )
    return await diagnosed(client, path)


def expected(diagnostics: list[Diagnostic], path: Path) -> list[tuple[str, str, int, int, int, int, str]]:
    """`sla check`'s diagnostics of one file, as the server should publish them."""
    return [
        (
            d.code,
            d.message + (f" (hint: {d.hint})" if d.hint else ""),
            d.span.line - 1,
            d.span.column - 1,
            d.span.end_line - 1,
            d.span.end_column - 1,
            d.severity,
        )
        for d in diagnostics
        if d.span is not None and Path(d.span.file or "").resolve() == path.resolve()
    ]


def published(diagnostics: list[types.Diagnostic]) -> list[tuple[str, str, int, int, int, int, str]]:
    severity = {types.DiagnosticSeverity.Error: "error", types.DiagnosticSeverity.Warning: "warning"}
    return [
        (
            str(d.code),
            d.message,
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            severity[d.severity or types.DiagnosticSeverity.Error],
        )
        for d in diagnostics
    ]


def copied(folder: Path, name: str, text: str | None = None, source: Path = INVALID) -> Path:
    target = folder / name
    target.write_text((source / name).read_text(encoding="utf-8") if text is None else text, encoding="utf-8")
    return target


# ------------------------------------------------------------------------------------ diagnostics


@pytest.mark.parametrize(
    "name",
    [
        "names-undefined-calendar.sla",
        "ref-unknown-timezone.sla",
        "warn-missing-statements.sla",
        "syntax-unknown-statement.sla",
        "syntax-unclosed-block.sla",
        "value-invalid-date.sla",
        "import-missing.sla",
    ],
)
async def test_diagnostics_are_those_of_sla_check(client: LanguageClient, folder: Path, name: str) -> None:
    path = copied(folder, name)
    got = published(await opened(client, path))
    assert got == expected(check(path), path)
    assert got  # each of these files has something to say


async def test_a_clean_example_has_no_diagnostics_and_its_imports_are_followed(
    client: LanguageClient, folder: Path
) -> None:
    # managed.sla counts on the calendars of calendars.sla: without the import, SLA102
    assert await opened(client, folder / "managed.sla") == []


async def test_a_syntax_error_in_the_middle_leaves_the_rest_read(
    client: LanguageClient, folder: Path
) -> None:
    text = (ROOT / "examples" / "managed.sla").read_text(encoding="utf-8")
    text = text.replace("response 1h on extended", "resposne 1h on extended")  # line 91
    text = text.replace(
        "multiplier after_hours 1.5x outside office", "multiplier after_hours 1.5x outside ofice"
    )
    path = folder / "broken-middle.sla"
    path.write_text(text, encoding="utf-8")
    got = await opened(client, path)
    first = expected(check(path), path)
    assert len(first) == 1 and first[0][0] == "SLA003"  # sla check stops at the syntax error
    assert published(got)[0] == first[0]
    later = [d for d in got if d.code == "SLA102"]  # but the rest is still checked
    assert [(d.range.start.line, d.message) for d in later] == [
        (148, "unknown calendar 'ofice' (hint: did you mean 'office'?)")
    ]
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(path.as_uri()))
    )
    assert symbols is not None
    [agreement] = [
        s for s in symbols if isinstance(s, types.DocumentSymbol) and s.kind == types.SymbolKind.Module
    ]
    names = [c.name for c in agreement.children or []]
    assert names[-6:] == ["P2", "P3", "P4", "clock", "credits", "fees"]


async def test_an_edit_is_checked_again(client: LanguageClient, folder: Path) -> None:
    path = copied(folder, "ok.sla", (DATA / "valid" / "minimal.sla").read_text(encoding="utf-8"))
    assert await opened(client, path) == []
    text = path.read_text(encoding="utf-8")
    line = text.split("\n").index(next(x for x in text.split("\n") if "currency" in x))
    column = text.split("\n")[line].index("currency")
    at = types.Range(types.Position(line, column), types.Position(line, column + len("currency")))
    got = await changed(client, path, 2, "curency", at)
    assert [d.code for d in got] == ["SLA003"]
    assert "did you mean 'currency'?" in got[0].message
    assert await changed(client, path, 3, text) == []


async def test_files_that_import_the_edited_one_are_checked_again(
    client: LanguageClient, folder: Path
) -> None:
    calendars, managed = folder / "calendars.sla", folder / "managed.sla"
    assert await opened(client, managed) == []
    client.diagnostics.pop(managed.as_uri(), None)
    await opened(client, calendars)
    assert await diagnosed(client, managed) == []  # checked again: it imports calendars.sla
    text = calendars.read_text(encoding="utf-8")
    client.diagnostics.pop(managed.as_uri(), None)
    await changed(client, calendars, 2, text.replace("calendar office {", "calendar desk {"))
    got = await diagnosed(client, managed)  # not open in this test's edit, but it imports the file
    assert {d.code for d in got} == {"SLA102"}
    assert all("unknown calendar 'office'" in d.message for d in got)
    client.diagnostics.pop(managed.as_uri(), None)
    await changed(client, calendars, 3, text)
    assert await diagnosed(client, managed) == []


# ------------------------------------------------------------------------------------ outline, format


async def test_outline(client: LanguageClient, folder: Path) -> None:
    path = folder / "calendars.sla"
    await opened(client, path)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(path.as_uri()))
    )
    assert symbols is not None
    assert [(s.name, s.kind) for s in symbols if isinstance(s, types.DocumentSymbol)] == [
        ("office", types.SymbolKind.Event),
        ("always", types.SymbolKind.Event),
        ("extended", types.SymbolKind.Event),
    ]


async def test_formatting_gives_the_layout_of_sla_fmt(client: LanguageClient, folder: Path) -> None:
    from sla.fmt import format_text

    messy = (DATA / "valid" / "comments-and-layout.sla").read_text(encoding="utf-8")
    path = copied(folder, "messy.sla", messy)
    await opened(client, path)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(types.TextDocumentIdentifier(path.as_uri()), options)
    )
    assert edits is not None and len(edits) == 1
    assert edits[0].range.start == types.Position(0, 0)
    assert edits[0].new_text == format_text(messy)
    broken = copied(folder, "broken-format.sla", 'agreement "x" {\n  term 36\n}\n')
    await opened(client, broken)
    assert (
        await client.text_document_formatting_async(
            types.DocumentFormattingParams(types.TextDocumentIdentifier(broken.as_uri()), options)
        )
        is None
    )


# ------------------------------------------------------------------------------------ the command


async def test_sla_lsp_is_the_same_server(folder: Path, tmp_path: Path) -> None:
    lsp = await _server("-m", "sla", "lsp", cache=tmp_path / "cache").start()
    assert isinstance(lsp, LanguageClient)
    try:
        result = await lsp.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
        assert result.server_info is not None and result.server_info.name == "sla"
        assert await opened(lsp, copied(folder, "names-undefined-calendar.sla")) != []
        await lsp.shutdown_session()
    finally:
        await lsp.stop()
