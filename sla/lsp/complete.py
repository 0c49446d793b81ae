"""What may be written at the cursor: the keywords the LALR parser accepts in its state there,
and where a name or value goes, the names defined (calendars, services, priorities, roles), time
zones, holiday regions, currencies, service models and weekdays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Span

if TYPE_CHECKING:
    from .recover import InteractiveParser
    from .session import Session
    from .symbols import Symbol

#: The most items given at once (the client filters them further as more is typed).
MAX_ITEMS = 400

_WORD_BEFORE = re.compile(r"[A-Za-z0-9_/+-]*\Z")
# What a NAME stands for after each keyword (the keyword read last).
_NAME_AFTER = {
    "on": "calendar",
    "outside": "calendar",
    "calendar": "calendar",  # a service's; the agreement's `calendar NAME {` defines one
    "recurring": "service",
    "missed": "priority",
    "overage": "role",
    "model": "model",
    "currency": "currency",
    "holidays": "region",
    "hours": "weekday",
    "weekly": "weekday",
    "first": "weekday",
    "second": "weekday",
    "third": "weekday",
    "fourth": "weekday",
    "last": "weekday",
}
# Ranges of weekdays offered besides the days themselves.
_WEEK_RANGES = ("mon-fri", "mon-sat", "sat-sun")


@dataclass(frozen=True)
class Item:
    """One completion: the text shown and written, what it is, and a word about it."""

    label: str
    kind: str  # keyword, calendar, service, priority, role, timezone, region, currency, value
    detail: str | None = None


def complete(session: Session, path: str, line: int, column: int) -> tuple[list[Item], Span, bool]:
    """The completions at a position that begin with what is typed there, the stretch they
    replace (the word being typed, or the string the cursor is in, with its quotes), and
    whether there were more than MAX_ITEMS of them (then only the first are given)."""
    from .recover import parser_after

    analysis = session.analysis(path)
    text = analysis.text if analysis and not analysis.too_big else ""
    lines = text.split("\n")
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    before = current[: column - 1]
    quote = _open_quote(before)
    if quote is not None:
        start = quote
        end = column + (1 if current[column - 1 : column] == '"' else 0)
    else:
        start = column - len(_WORD_BEFORE.search(before).group())  # type: ignore[union-attr]  # matches always
        end = column
    replace = Span(file=path, line=line, column=start, end_line=line, end_column=end)
    prefix = "\n".join([*lines[: line - 1], current[: start - 1]])
    read = parser_after(prefix)
    if read is None:
        return [], replace, False
    ip, _ = read
    accepted = _accepted(ip)
    items: list[Item] = []
    if quote is None:
        items += [Item(word, "keyword") for word in _keywords(accepted)]
    last = _last_word(prefix)
    if "NAME" in accepted and quote is None:
        what = _NAME_AFTER.get(last or "")
        if what == "calendar" and _defines(ip):
            what = None  # `calendar NAME {`: a new name
        if "NUMBER" in accepted and what is None:
            what = "currency"  # an amount, perhaps with its code
        if last == "for":
            what = "service" if _after_a_percentage(prefix) else "currency"
        items += _values(session, path, line, what)
    if "STRING" in accepted and (quote is not None or "NAME" not in accepted):
        if last == "timezone":
            items += _strings(_timezones(), "timezone")
        elif last == "holidays":
            items += _strings(_regions(), "region")
    typed = current[start - 1 : column - 1].lstrip('"').lower()
    items = [i for i in items if i.label.lstrip('"').lower().startswith(typed)]
    return items[:MAX_ITEMS], replace, len(items) > MAX_ITEMS


def _open_quote(before: str) -> int | None:
    """The 1-based column of the quote of a string the cursor is in, or None."""
    inside, at = False, -1
    i = 0
    while i < len(before):
        char = before[i]
        if char == "#" and not inside:
            return None
        if char == "\\" and inside:
            i += 2
            continue
        if char == '"':
            inside, at = not inside, i
        i += 1
    return at + 1 if inside else None


def _accepted(ip: InteractiveParser) -> set[str]:
    try:
        found: set[str] = ip.accepts()
    except Exception:  # noqa: BLE001 - lark's trial feeds may refuse in more than one way
        found = {t for t in ip.choices() if t.isupper()}
    return found


def _keywords(accepted: set[str]) -> list[str]:
    from ..parser import get_parser

    words: dict[str, str] = get_parser().parser.lexer.keywords
    return sorted(word for word, terminal in words.items() if terminal in accepted)


def _defines(ip: InteractiveParser) -> bool:
    """Whether a name written here would be followed by `{`: a definition, not a reference."""
    from lark import Token

    trial = ip.copy(deepcopy_values=False)
    try:
        trial.feed_token(Token("NAME", "x"))
    except Exception:  # noqa: BLE001 - refused: not a definition
        return False
    return "LBRACE" in trial.choices()


def _last_word(prefix: str) -> str | None:
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", prefix[-400:])
    return words[-1] if words else None


def _after_a_percentage(prefix: str) -> bool:
    """`credit 5% for`: a service follows (after `block 20h for`, an amount)."""
    return re.search(r"[0-9.]+%\s+for\s*\Z", prefix[-400:]) is not None


def _values(session: Session, path: str, line: int, what: str | None) -> list[Item]:
    if what in ("calendar", "service", "priority", "role"):
        return [Item(name, what, detail) for name, detail in _names(session, path, line, what)]
    if what == "model":
        from typing import get_args

        from ..model import ServiceModel

        return [Item(v, "value", "service model") for v in get_args(ServiceModel)]
    if what == "weekday":
        from ..values import WEEKDAYS

        return [Item(v, "value", "weekdays") for v in (*WEEKDAYS, *_WEEK_RANGES)]
    if what == "currency":
        return [Item(code, "currency") for code in _currencies()]
    if what == "region":
        return [Item(region, "region") for region in _regions()]
    return []


def _names(session: Session, path: str, line: int, kind: str) -> list[tuple[str, str | None]]:
    """The names of a kind defined where the cursor is: the agreement's own; for calendars,
    then those at the top of the file and those of the files it imports."""
    from .navigate import imported_files

    analysis = session.analysis(path)
    if analysis is None:
        return []
    document = _document_at(analysis.index.outline, line)
    names = analysis.index.names
    found: dict[str, str | None] = {}
    for n in names:
        if n.defines and n.kind == kind and n.document == document:
            found.setdefault(n.name, None)
    if kind == "calendar":
        for n in names:
            if n.defines and n.kind == "calendar" and n.document is None:
                found.setdefault(n.name, None)
        for imported in imported_files(session, path):
            other = session.analysis(imported)
            for n in other.index.names if other else []:
                if n.defines and n.kind == "calendar" and n.document is None:
                    found.setdefault(n.name, f"from {imported.rsplit('/', 1)[-1]}")
    return list(found.items())


def _document_at(outline: list[Symbol], line: int) -> int | None:
    number = 0
    for entry in outline:
        if entry.kind in ("agreement", "profile", "requirements"):
            if entry.span.line <= line <= entry.span.end_line:
                return number
            number += 1
    return None


def _strings(values: list[str], kind: str) -> list[Item]:
    return [Item(f'"{v}"', kind) for v in values]


def _timezones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def _regions() -> list[str]:
    from ..reference import holiday_regions

    return holiday_regions()


def _currencies() -> list[str]:
    from ..reference import currencies

    return sorted(currencies())
