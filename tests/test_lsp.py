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
            # hovers count deadlines from this moment rather than the clock's: a Wednesday
            initialization_options={"now": "2027-01-13T10:00:00+01:00"},
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


Seen = tuple[str, str, str | None, int, int, int, int, str]


def expected(diagnostics: list[Diagnostic], path: Path) -> list[Seen]:
    """`sla check`'s diagnostics of one file, as the server should publish them."""
    return [
        (
            d.code,
            d.message,
            d.hint,
            d.span.line - 1,
            d.span.column - 1,
            d.span.end_line - 1,
            d.span.end_column - 1,
            d.severity,
        )
        for d in diagnostics
        if d.span is not None and Path(d.span.file or "").resolve() == path.resolve()
    ]


def hint(d: types.Diagnostic) -> str | None:
    """The hint of a published diagnostic: in its related information, and the same in `data`."""
    said = [r.message.removeprefix("hint: ") for r in d.related_information or []]
    data = d.data.get("hint") if isinstance(d.data, dict) else None
    assert said == ([data] if data else []), (said, data)
    if said:
        assert [r.location.range for r in d.related_information or []] == [d.range]
    return data


def published(diagnostics: list[types.Diagnostic]) -> list[Seen]:
    severity = {types.DiagnosticSeverity.Error: "error", types.DiagnosticSeverity.Warning: "warning"}
    return [
        (
            str(d.code),
            d.message,
            hint(d),
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
    assert [(d.range.start.line, d.message, hint(d)) for d in later] == [
        (148, "unknown calendar 'ofice'", "did you mean 'office'?")
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
    assert hint(got[0]) == "did you mean 'currency'?"
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


async def test_closing_one_of_two_files_keeps_the_diagnostics_of_an_import_they_share(
    client: LanguageClient, folder: Path
) -> None:
    shared = copied(
        folder, "shared-hours.sla", 'calendar office { timezone "Europe/Viena"; hours mon-fri 08:00-17:00 }\n'
    )
    body = 'import "shared-hours.sla"\n' + (DATA / "valid" / "minimal.sla").read_text(encoding="utf-8")
    first, second = copied(folder, "first-user.sla", body), copied(folder, "second-user.sla", body)
    await opened(client, first)
    assert await diagnosed(client, shared) != []  # the unknown zone, published for the import
    await opened(client, second)
    client.diagnostics.pop(shared.as_uri(), None)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(first.as_uri()))
    )
    # second-user.sla still imports it: its diagnostics are said again, not cleared
    assert [d.code for d in await diagnosed(client, shared)] == [d.code for d in check(shared)]
    client.diagnostics.pop(shared.as_uri(), None)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(second.as_uri()))
    )
    # no open file imports it any more: cleared (after any check still on its way)
    await asyncio.wait_for(_until_cleared(client, shared), TIMEOUT)


async def _until_cleared(client: LanguageClient, path: Path) -> None:
    while client.diagnostics.get(path.as_uri(), [None]):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


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


# ------------------------------------------------------------------------------------ names


def ident(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(path.as_uri())


def where(path: Path, line: int, word: str, nth: int = 0) -> types.Position:
    """The position inside the `nth` `word` on a 1-based line of a file."""
    text = path.read_text(encoding="utf-8").split("\n")[line - 1]
    column = -1
    for _ in range(nth + 1):
        column = text.index(word, column + 1)
    return types.Position(line - 1, column + 1)


def spot(location: types.Location | types.LocationLink) -> tuple[str, int, int, int]:
    assert isinstance(location, types.Location)
    r = location.range
    return (
        Path(location.uri.removeprefix("file://")).name,
        r.start.line + 1,
        r.start.character + 1,
        r.end.character + 1,
    )


async def definition_of(
    client: LanguageClient, path: Path, position: types.Position
) -> tuple[str, int, int, int]:
    found = await client.text_document_definition_async(types.DefinitionParams(ident(path), position))
    assert isinstance(found, types.Location), found
    return spot(found)


async def test_go_to_definition(client: LanguageClient, folder: Path) -> None:
    managed, block = folder / "managed.sla", folder / "block-hours.sla"
    await opened(client, managed)
    # a shared calendar, in the file imported
    assert await definition_of(client, managed, where(managed, 44, "office")) == ("calendars.sla", 9, 10, 16)
    assert await definition_of(client, managed, where(managed, 80, "always")) == ("calendars.sla", 20, 10, 16)
    # the agreement's own calendar, a service, a priority
    assert await definition_of(client, managed, where(managed, 74, "plant")) == ("managed.sla", 34, 12, 17)
    assert await definition_of(client, managed, where(managed, 129, "helpdesk")) == (
        "managed.sla",
        42,
        11,
        19,
    )
    assert await definition_of(client, managed, where(managed, 120, "P1")) == ("managed.sla", 84, 12, 14)
    # the file an import names
    assert await definition_of(client, managed, where(managed, 6, "calendars")) == ("calendars.sla", 1, 1, 1)
    # a role
    await opened(client, block)
    line = next(i for i, x in enumerate(block.read_text().split("\n"), 1) if "overage" in x and "block" in x)
    role = block.read_text().split("\n")[line - 1].split("overage ")[1].split()[0]
    found = await definition_of(client, block, where(block, line, role))
    assert found[0] == "block-hours.sla" and f"rate {role} " in block.read_text().split("\n")[found[1] - 1]
    # nothing at a keyword
    assert (
        await client.text_document_definition_async(
            types.DefinitionParams(ident(managed), where(managed, 44, "calendar"))
        )
        is None
    )


async def test_references_across_the_folder(client: LanguageClient, folder: Path) -> None:
    calendars = folder / "calendars.sla"
    await opened(client, calendars)
    found = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=ident(calendars),
            position=where(calendars, 9, "office"),
        )
    )
    examples = {p.name for p in (ROOT / "examples").glob("*.sla")}  # other tests open copies of their own
    got = sorted((spot(x)[0], spot(x)[1]) for x in found or [] if spot(x)[0] in examples)
    # break-fix.sla has an `office` calendar of its own: its references are not these
    assert got == [
        ("calendars.sla", 9),
        ("managed-revised.sla", 45),
        ("managed-revised.sla", 62),
        ("managed-revised.sla", 151),
        ("managed.sla", 44),
        ("managed.sla", 68),
        ("managed.sla", 149),
    ]
    managed = folder / "managed.sla"
    imports = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=ident(managed),
            position=where(managed, 6, "calendars"),
        )
    )
    assert sorted(spot(x)[0] for x in imports or [] if spot(x)[0] in examples) == [
        "managed-revised.sla",
        "managed.sla",
    ]


async def test_rename_across_the_folder(client: LanguageClient, folder: Path) -> None:
    from sla.api import check as check_paths

    managed = folder / "managed.sla"
    await opened(client, managed)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(ident(managed), where(managed, 68, "office"))
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "office"
    edit = await client.text_document_rename_async(
        types.RenameParams(ident(managed), where(managed, 68, "office"), "desk")
    )
    assert edit is not None and edit.changes is not None
    examples = {p.name for p in (ROOT / "examples").glob("*.sla")}  # other tests open copies of their own
    assert sorted(n for uri in edit.changes if (n := Path(uri.removeprefix("file://")).name) in examples) == [
        "calendars.sla",
        "managed-revised.sla",
        "managed.sla",
    ]
    # applied to a copy of the folder, the files check as cleanly as before
    copy = folder.parent / "renamed"
    shutil.copytree(folder, copy, dirs_exist_ok=True)
    for uri, edits in edit.changes.items():
        target = copy / Path(uri.removeprefix("file://")).name
        if target.name not in examples:
            continue
        lines = target.read_text(encoding="utf-8").split("\n")
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            line = lines[e.range.start.line]
            lines[e.range.start.line] = (
                line[: e.range.start.character] + e.new_text + line[e.range.end.character :]
            )
        target.write_text("\n".join(lines), encoding="utf-8")
    assert "calendar desk {" in (copy / "calendars.sla").read_text()
    assert check_paths([copy / "managed.sla", copy / "managed-revised.sla"]) == []


@pytest.mark.parametrize(
    ("line", "word", "new", "message"),
    [
        (68, "office", "extended", "a calendar named 'extended' is already defined"),
        (74, "plant", "office", "a calendar named 'office' is already defined in calendars.sla"),
        (
            68,
            "office",
            "2desk",
            "'2desk' is not a name: use letters, digits, '_' and '-', starting with a letter",
        ),
        (129, "helpdesk", "servers", "a service named 'servers' is already defined"),
        (6, "calendars", "x", "an import names a file: rename the file, then the import"),
    ],
)
async def test_a_rename_that_cannot_be_made_says_why(
    client: LanguageClient, folder: Path, line: int, word: str, new: str, message: str
) -> None:
    from pygls.exceptions import JsonRpcException

    managed = folder / "managed.sla"
    await opened(client, managed)
    with pytest.raises(JsonRpcException) as raised:
        await client.text_document_rename_async(
            types.RenameParams(ident(managed), where(managed, line, word), new)
        )
    assert raised.value.message == message


# ------------------------------------------------------------------------------------ hover


async def hovered(client: LanguageClient, path: Path, line: int, word: str) -> str | None:
    found = await client.text_document_hover_async(types.HoverParams(ident(path), where(path, line, word)))
    if found is None:
        return None
    assert isinstance(found.contents, types.MarkupContent)
    return found.contents.value


async def test_hover_on_a_target_gives_its_deadlines(client: LanguageClient, folder: Path) -> None:
    managed = folder / "managed.sla"
    await opened(client, managed)
    assert await hovered(client, managed, 85, "30m") == (
        "**Response target of P1**: 30 minutes on calendar `always`.\n\n"
        "Counted on `always` (24x7, elapsed time, Europe/Berlin):\n\n"
        "- started now (Wednesday, January 13, 2027, 10:00 CET): due Wednesday, January 13, 2027, 10:30 CET\n"
        "- started on Friday at 16:00 (Friday, January 15, 2027, 16:00 CET): due Friday, January 15, 2027, 16:30 CET"
    )
    # 4 business hours on the plant calendar (open until midnight on weekdays)
    text = await hovered(client, managed, 96, "4h")
    assert text is not None
    assert text.startswith(
        "**Response target of P3**: 4 business hours on the calendar of the ticket's service"
    )
    assert "due Friday, January 15, 2027, 20:00 CET" in text
    assert (
        await hovered(client, managed, 101, "best_effort")
        == "**Resolution target of P4**: best effort, no deadline."
    )


async def test_hover_on_a_fee_gives_its_monthly_amount(client: LanguageClient, folder: Path) -> None:
    managed = folder / "managed.sla"
    await opened(client, managed)
    assert await hovered(client, managed, 130, "42.00") == (
        "**recurring helpdesk**: €5,390.00 a month in the first contract year.\n\n"
        "140 users x 38.50 (volume tier 101-200) = 5,390.00; 12 monthly invoices of 5,390.00."
    )
    assert await hovered(client, managed, 143, "onboarding") == (
        "**once onboarding**: €4,800.00 once, billed in the first contract year."
    )


async def test_hover_on_a_holiday_region_gives_its_next_holidays(
    client: LanguageClient, folder: Path
) -> None:
    calendars = folder / "calendars.sla"
    await opened(client, calendars)
    assert await hovered(client, calendars, 13, "DE-BY") == (
        "**DE-BY**: public holidays of Germany, BY (from the holidays library). The next:\n\n"
        "- Friday, March 26, 2027: Good Friday\n"
        "- Monday, March 29, 2027: Easter Monday\n"
        "- Saturday, May 1, 2027: Labor Day\n"
        "- Thursday, May 6, 2027: Ascension Day\n"
        "- Monday, May 17, 2027: Pentecost Monday"
    )
    assert await hovered(client, calendars, 10, "timezone") is None


# ------------------------------------------------------------------------------------ completion


async def completed(client: LanguageClient, path: Path, text: str) -> list[str]:
    """The completion labels where `|` is in `text` (the document's new text)."""
    at = text.index("|")
    text = text.replace("|", "", 1)
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    await opened(client, path, text)
    found = await client.text_document_completion_async(
        types.CompletionParams(ident(path), types.Position(line, column))
    )
    assert isinstance(found, types.CompletionList)
    return [item.label for item in found.items]


@pytest.mark.parametrize(
    ("old", "new", "labels"),
    [
        # keywords the parser takes where the cursor is
        ("    resolution 4h on always", "    |", ["resolution", "response", "updates"]),
        ("response 30m on always", "response 30m |", ["best_effort", "on"]),
        ('import "calendars.sla"', "|", ["agreement", "calendar", "import", "profile", "requirements"]),
        # names defined: calendars of the agreement and of the file imported, priorities, services
        ("response 30m on always", "response 30m on |", ["plant", "office", "always", "extended"]),
        ("response 30m on always", "response 30m on ex|", ["extended"]),
        ("response missed P1 credit", "response missed | credit", ["P1", "P2", "P3", "P4"]),
        ("credit 5% for network", "credit 5% for |", ["helpdesk", "servers", "network", "m365", "shopfloor"]),
        # values
        (
            'timezone "Europe/Berlin"',
            'timezone "Europe/Be|"',
            ['"Europe/Belfast"', '"Europe/Belgrade"', '"Europe/Berlin"'],
        ),
        ('holidays "DE-Augsburg"', "holidays DE-B|", ["DE-BB", "DE-BE", "DE-BW", "DE-BY"]),
        ("currency EUR", "currency EU|", ["EUR"]),
        ("model managed", "model |", ["managed", "break_fix", "block_hours"]),
        # a new calendar's name is the writer's to choose
        ("  calendar plant {", "  calendar |", []),
    ],
)
async def test_completion(
    client: LanguageClient, folder: Path, old: str, new: str, labels: list[str]
) -> None:
    text = (ROOT / "examples" / "managed.sla").read_text(encoding="utf-8")
    assert old in text
    assert await completed(client, folder / "completing.sla", text.replace(old, new, 1)) == labels


async def test_completion_after_a_syntax_error(client: LanguageClient, folder: Path) -> None:
    text = (ROOT / "examples" / "managed.sla").read_text(encoding="utf-8")
    text = text.replace("response 1h on extended", "resposne 1h on extended")
    got = await completed(
        client, folder / "completing.sla", text.replace("response missed P1", "response missed |")
    )
    assert got == ["P1", "P2", "P3", "P4"]


# ------------------------------------------------------------------------------------ quick fixes


async def test_a_did_you_mean_hint_is_a_quick_fix(client: LanguageClient, folder: Path) -> None:
    path = copied(folder, "ref-unknown-timezone.sla")
    [d] = await opened(client, path)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(ident(path), d.range, types.CodeActionContext(diagnostics=[d]))
    )
    assert actions is not None
    assert [(a.title, a.is_preferred) for a in actions if isinstance(a, types.CodeAction)] == [
        ("Change 'Europe/Berln' to 'Europe/Berlin'", True),
        ("Change 'Europe/Berln' to 'Europe/Belfast'", False),
        ("Change 'Europe/Berln' to 'Europe/Helsinki'", False),
    ]
    first = actions[0]
    assert isinstance(first, types.CodeAction) and first.edit is not None and first.edit.changes is not None
    [edit] = first.edit.changes[path.as_uri()]
    line = path.read_text(encoding="utf-8").split("\n")[edit.range.start.line]
    fixed = line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
    assert 'timezone "Europe/Berlin"' in fixed and "Berln" not in fixed


@pytest.mark.parametrize(
    ("name", "fixed", "clean"),
    [
        ("names-undefined-calendar.sla", "  service desk { calendar office }", True),
        ("syntax-unknown-statement.sla", "  currency EUR", False),  # the file states it twice
        ("value-bad-weekday.sla", None, True),
    ],
)
async def test_quick_fixes_write_what_was_meant(
    client: LanguageClient, folder: Path, name: str, fixed: str | None, clean: bool
) -> None:
    path = copied(folder, name)
    [d] = await opened(client, path)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(ident(path), d.range, types.CodeActionContext(diagnostics=[d]))
    )
    assert actions
    first = actions[0]
    assert isinstance(first, types.CodeAction) and first.edit is not None and first.edit.changes is not None
    [edit] = first.edit.changes[path.as_uri()]
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[edit.range.start.line]
    lines[edit.range.start.line] = (
        line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
    )
    if fixed is not None:
        assert lines[edit.range.start.line] == fixed
    path.write_text("\n".join(lines), encoding="utf-8")
    assert clean == (check(path) == [])


async def test_no_quick_fix_without_a_suggestion(client: LanguageClient, folder: Path) -> None:
    path = copied(folder, "names-undefined-priority.sla")
    [d] = await opened(client, path)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(ident(path), d.range, types.CodeActionContext(diagnostics=[d]))
    )
    assert not actions


async def test_a_quick_fix_for_a_client_that_keeps_no_data(client: LanguageClient, folder: Path) -> None:
    path = copied(folder, "names-undefined-calendar.sla")
    [d] = await opened(client, path)
    bare = types.Diagnostic(
        range=d.range,
        message=d.message,
        code=d.code,
        source=d.source,
        related_information=d.related_information,
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(ident(path), d.range, types.CodeActionContext(diagnostics=[bare]))
    )
    assert [a.title for a in actions or [] if isinstance(a, types.CodeAction)] == [
        "Change 'ofice' to 'office'"
    ]
