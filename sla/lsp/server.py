"""The language server over stdio (pygls): documents in, diagnostics out, and one handler per
feature, each a thin call into the module of its concern."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..diagnostics import Span
from .convert import Lines, diagnostic
from .session import Session, key

logger = logging.getLogger(__name__)

#: How long the text must rest after a change before it is checked again (seconds). Checking
#: a 1,000-line agreement takes about 40 ms, so a pause in typing is answered within 100 ms.
#: Fast typing needs no longer wait: while a check runs, the changes that arrive meanwhile
#: reset the timer, and only the last of them is checked.
DEBOUNCE = 0.02

F = TypeVar("F", bound=Callable[..., Any])


class SlaServer(LanguageServer):
    """The `sla` language server: a session of open documents and folders, and the checks
    waiting to run."""

    def __init__(self) -> None:
        super().__init__("sla", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.session = Session()
        self.uris: dict[str, str] = {}  # file -> the URI the client named it by
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.published: dict[str, set[str]] = {}  # file -> the files its last check published
        self.debounce = DEBOUNCE
        #: The moment hovers count deadlines from; None for the clock's (a test sets it).
        self.now: datetime | None = None

    # -- files and URIs -----------------------------------------------------------------------

    def path(self, uri: str) -> str:
        """The file a URI names (a document without one, such as an unsaved buffer, is named as
        if it were in the current folder)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            path = os.path.join(os.getcwd(), uri.rsplit("/", 1)[-1].replace(":", "-") or "untitled.sla")
        found = key(path)
        self.uris.setdefault(found, uri)
        return found

    def uri(self, path: str) -> str:
        return self.uris.get(path) or from_fs_path(path) or path

    def lines(self, path: str) -> Lines:
        """The lines of a file as the client sees them: its open document, else the disk."""
        analysis = self.session.analysis(path)
        return Lines(analysis.text if analysis else "", str(self.workspace.position_encoding or "utf-16"))

    # -- diagnostics --------------------------------------------------------------------------

    def schedule(self, path: str, delay: float | None = None) -> None:
        """Check a file (and the files importing it) once its text has rested for `delay`."""
        waiting = self.pending.pop(path, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self.pending[path] = loop.call_later(self.debounce if delay is None else delay, self.check, path)

    def check(self, path: str) -> None:
        self.pending.pop(path, None)
        if path not in self.session.documents:
            return
        try:
            self.publish(path)
            for importer in self.session.importers(path):
                self.publish(importer)
        except Exception:  # a bug of ours: say so in the client's log, keep serving
            logger.exception("checking %s failed", path)
            self.window_log_message(
                types.LogMessageParams(
                    types.MessageType.Error, f"sla: checking {path} failed; see the server log"
                )
            )

    def publish(self, path: str) -> None:
        """Publish the diagnostics of a file and of the files it imports; clear those of files
        its last check published for and this one did not."""
        found = self.session.diagnose(path)
        before = self.published.get(path, set())
        self.published[path] = set(found)
        for gone in before - set(found):
            self.withdraw(gone)
        for file, diagnostics in found.items():
            if file != path and file in self.session.documents:
                continue  # an open document publishes its own, from its own check
            lines = self.lines(file)
            doc = self.session.documents.get(file)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=self.uri(file),
                    diagnostics=[diagnostic(d, lines, self.uri(file)) for d in diagnostics],
                    version=doc.version if doc is not None else None,
                )
            )

    def withdraw(self, file: str) -> None:
        """Clear a file's diagnostics that no check publishes any more: unless it is open (it
        publishes its own) or another open document imports it (its check publishes them)."""
        if file in self.session.documents:
            return
        others = [p for p, files in self.published.items() if file in files and p in self.session.documents]
        if others:
            self.schedule(others[0], delay=0)  # its view of the file stands: say it again
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(self.uri(file), []))

    # -- requests -----------------------------------------------------------------------------

    def at(self, document: types.TextDocumentIdentifier, position: types.Position) -> tuple[str, int, int]:
        """The file and the 1-based line and column of a request's position."""
        path = self.path(document.uri)
        line, column = self.lines(path).point(position)
        return path, line, column


server = SlaServer()


def _guarded(default: object) -> Callable[[F], F]:
    """A request handler that answers `default` (and logs why) rather than fail the request on
    a bug of ours."""

    def wrap(handler: F) -> F:
        @functools.wraps(handler)
        def guarded(ls: SlaServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except Exception:
                logger.exception("%s failed", handler.__name__)
                return default

        return cast(F, guarded)

    return wrap


@server.feature(types.INITIALIZE)
def initialize(ls: SlaServer, params: types.InitializeParams) -> None:
    folders = [to_fs_path(f.uri) for f in params.workspace_folders or []]
    if not folders and params.root_uri:
        folders = [to_fs_path(params.root_uri)]
    ls.session = Session(f for f in folders if f)
    options = params.initialization_options
    if isinstance(options, dict):
        if isinstance(options.get("debounce"), (int, float)):
            ls.debounce = max(0.0, float(options["debounce"]) / 1000)
        if isinstance(options.get("now"), str):
            ls.now = datetime.fromisoformat(options["now"])


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: SlaServer, params: types.DidOpenTextDocumentParams) -> None:
    path = ls.path(params.text_document.uri)
    ls.session.open(path, params.text_document.text, params.text_document.version)
    ls.schedule(path, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: SlaServer, params: types.DidChangeTextDocumentParams) -> None:
    path = ls.path(params.text_document.uri)
    document = ls.workspace.get_text_document(params.text_document.uri)
    ls.session.open(path, document.source, params.text_document.version)
    ls.schedule(path)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: SlaServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(ls.path(params.text_document.uri), delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: SlaServer, params: types.DidCloseTextDocumentParams) -> None:
    path = ls.path(params.text_document.uri)
    waiting = ls.pending.pop(path, None)
    if waiting is not None:
        waiting.cancel()
    ls.session.close(path)
    for file in ls.published.pop(path, {path}):
        ls.withdraw(file)
    for importer in ls.session.importers(path):  # they read the disk again
        if importer in ls.session.documents:
            ls.schedule(importer, delay=0)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_guarded([])
def document_symbol(ls: SlaServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    from .outline import symbols

    path = ls.path(params.text_document.uri)
    analysis = ls.session.analysis(path)
    return symbols(analysis.index.outline, ls.lines(path)) if analysis else []


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
@_guarded(None)
def formatting(ls: SlaServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    from ..diagnostics import SlaError
    from ..fmt import format_text

    path = ls.path(params.text_document.uri)
    doc = ls.session.documents.get(path)
    if doc is None:
        return None
    try:
        formatted = format_text(doc.text, path)
    except SlaError:  # a text that does not parse is left as it is, as `sla fmt` leaves it
        return None
    if formatted == doc.text:
        return []
    lines = ls.lines(path)
    end = lines.position(len(lines.lines), len(lines.lines[-1]) + 1)
    return [types.TextEdit(types.Range(types.Position(0, 0), end), formatted)]


def _location(ls: SlaServer, path: str, span: Span) -> types.Location:
    return types.Location(ls.uri(path), ls.lines(path).range(span))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@_guarded(None)
def definition(ls: SlaServer, params: types.DefinitionParams) -> types.Location | None:
    from .navigate import definition, name_at

    place = name_at(ls.session, *ls.at(params.text_document, params.position))
    found = definition(ls.session, place) if place else None
    return _location(ls, found.path, found.name.span) if found else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@_guarded([])
def references(ls: SlaServer, params: types.ReferenceParams) -> list[types.Location]:
    from .navigate import name_at, references

    place = name_at(ls.session, *ls.at(params.text_document, params.position))
    if place is None:
        return []
    found = references(ls.session, place, params.context.include_declaration)
    return [_location(ls, p.path, p.name.span) for p in found]


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: SlaServer, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
    from pygls.exceptions import JsonRpcException

    from .navigate import RenameError, name_at, prepare

    place = name_at(ls.session, *ls.at(params.text_document, params.position))
    if place is None:
        return None
    try:
        prepare(ls.session, place)
    except RenameError as exc:
        raise JsonRpcException(str(exc), code=types.LSPErrorCodes.RequestFailed) from None
    return types.PrepareRenamePlaceholder(ls.lines(place.path).range(place.name.span), place.name.name)


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: SlaServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    from pygls.exceptions import JsonRpcException

    from .navigate import RenameError, name_at, rename

    place = name_at(ls.session, *ls.at(params.text_document, params.position))
    if place is None:
        return None
    try:
        edits = rename(ls.session, place, params.new_name)
    except RenameError as exc:
        raise JsonRpcException(str(exc), code=types.LSPErrorCodes.RequestFailed) from None
    changes = {
        ls.uri(path): [types.TextEdit(ls.lines(path).range(span), text) for span, text in found]
        for path, found in edits.items()
    }
    return types.WorkspaceEdit(changes=changes)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@_guarded(None)
def hover(ls: SlaServer, params: types.HoverParams) -> types.Hover | None:
    from .hover import hover

    path, line, column = ls.at(params.text_document, params.position)
    found = hover(ls.session, path, line, column, ls.now)
    if found is None:
        return None
    text, span = found
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), ls.lines(path).range(span))


_ITEM_KINDS = {
    "keyword": types.CompletionItemKind.Keyword,
    "calendar": types.CompletionItemKind.Reference,
    "service": types.CompletionItemKind.Class,
    "priority": types.CompletionItemKind.EnumMember,
    "role": types.CompletionItemKind.Field,
    "timezone": types.CompletionItemKind.Value,
    "region": types.CompletionItemKind.Value,
    "currency": types.CompletionItemKind.Unit,
    "value": types.CompletionItemKind.Value,
}


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"']))
@_guarded(None)
def completion(ls: SlaServer, params: types.CompletionParams) -> types.CompletionList | None:
    from .complete import complete

    path, line, column = ls.at(params.text_document, params.position)
    items, replace, more = complete(ls.session, path, line, column)
    where = ls.lines(path).range(replace)
    return types.CompletionList(
        is_incomplete=more,
        items=[
            types.CompletionItem(
                label=item.label,
                kind=_ITEM_KINDS.get(item.kind),
                detail=item.detail or (item.kind if item.kind != "keyword" else None),
                text_edit=types.TextEdit(where, item.label),
            )
            for item in items
        ],
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
@_guarded([])
def code_action(ls: SlaServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    from .actions import fixes

    path = ls.path(params.text_document.uri)
    analysis = ls.session.analysis(path)
    if analysis is None:
        return []
    lines = ls.lines(path)
    found = []
    for d in params.context.diagnostics:
        if d.source != "sla":
            continue
        hint = d.data.get("hint") if isinstance(d.data, dict) else None
        if not isinstance(hint, str):  # a client that did not keep `data`: the related information
            said = [r.message for r in d.related_information or [] if r.message.startswith("hint: ")]
            hint = said[0].removeprefix("hint: ") if said else ""
        message = d.message
        for number, (title, span, text) in enumerate(
            fixes(analysis.text, lines.span(d.range), message, hint)
        ):
            edit = types.TextEdit(lines.range(span), text)
            found.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[d],
                    is_preferred=number == 0,
                    edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
                )
            )
    return found


def main() -> None:
    """Serve over stdio until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="sla lsp: %(levelname)s %(name)s: %(message)s")
    server.start_io()
