"""The public API: load, parse and check agreements; dump them as JSON, YAML or .sla text; and one function
for each job of the command line (price, bill, estimate, compare, comply, evaluate, diff), taking
models or the paths of .sla files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

from . import codes
from . import model as m
from .checks import check_calendars, check_document
from .codes import diagnostic
from .diagnostics import Diagnostic, SlaError, Span, did_you_mean, sort_key
from .loader import Workspace, no_collection, parse

if TYPE_CHECKING:
    from .billing import Bill
    from .compare import Comparison
    from .comply import Mapping as ComplyMapping
    from .comply import Report
    from .costs import Estimate
    from .diff import Diff
    from .evaluate import Evaluation
    from .pricing import Quote


def check_workspace(ws: Workspace) -> list[Diagnostic]:
    with no_collection():  # the checks walk the models and make no cycles
        return _checked(ws)


def _checked(ws: Workspace) -> list[Diagnostic]:
    found = list(ws.diagnostics)
    for path, file in ws.files.items():
        found += check_calendars(file.calendars)
        resolved = ws.resolve(file)
        for doc in resolved.documents:
            found += check_document(doc, home=path)
            if isinstance(doc, m.Requirements):
                own = tuple(c for c in doc.calendars if c.span and c.span.file == path)
                found += check_calendars(own)
        if not (file.documents or file.calendars or file.imports):
            found.append(
                diagnostic(
                    "SLA131",
                    "the file holds no agreement, profile, requirements or calendar",
                    file.span,
                    "run `sla init` for a starter agreement",
                )
            )
    unique = {(d.code, d.message, d.span): d for d in found}
    return sorted(unique.values(), key=sort_key)


def check(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Diagnostic]:
    """Every diagnostic for the given files and what they import; never raises for bad input: a
    path that cannot be read, or that no file can have (a NUL in it), is a diagnostic too. Only
    something that is no path at all (a number, bytes) is a TypeError."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif isinstance(paths, (bytes, bytearray)) or not isinstance(paths, Iterable):
        raise TypeError(f"expected the path of a .sla file, or a list of them, not {type(paths).__name__}")
    ws = Workspace()
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"expected the path of a .sla file, not {type(path).__name__}")
        ws.add(path)
    return check_workspace(ws)


def check_text(text: str, path: str | None = None) -> list[Diagnostic]:
    ws = Workspace()
    ws.add(path or "<string>", text)
    return check_workspace(ws)


def _load(ws: Workspace, path: str | os.PathLike[str]) -> m.SlaFile:
    diagnostics = check_workspace(ws)
    if any(d.is_error for d in diagnostics):
        raise SlaError(diagnostics)
    return ws.resolve(ws.file(path))


def load(path: str | os.PathLike[str]) -> m.SlaFile:
    """Load a .sla file and what it imports, resolve shared calendars, and check everything;
    raises SlaError with every diagnostic when there is an error."""
    ws = Workspace()
    ws.add(path)
    return _load(ws, path)


def loads(text: str, path: str | None = None) -> m.SlaFile:
    """Like load, from text (imports are relative to `path`, else to the current folder)."""
    ws = Workspace()
    key = path or "<string>"
    ws.add(key, text)
    return _load(ws, key)


def dump_data(file: m.SlaFile, *, spans: bool = False) -> dict[str, Any]:
    return file.model_dump(mode="json", context={"spans": spans})


def dumps(file: m.SlaFile, to: Literal["json", "yaml", "sla"] = "json", *, spans: bool = False) -> str:
    """The model as JSON (money as strings, durations as "1h30m"), YAML of the same data, or
    .sla text in the canonical layout (`sla.writer.write`; `spans` is for JSON and YAML only)."""
    if to == "sla":
        from .writer import write

        return write(file)
    if to == "yaml":
        import yaml

        return str(yaml.safe_dump(dump_data(file, spans=spans), sort_keys=False, allow_unicode=True))
    from .jsonout import to_json

    return to_json(dump_data(file, spans=spans))


def loads_json(text: str) -> m.SlaFile:
    """A model back from `dumps(..., to="json")`; raises SlaError if the JSON is not one."""
    from pydantic import ValidationError

    try:
        return m.SlaFile.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise codes.error("SLA020", f"not an sla model: {first['msg']} at {where or 'the top'}") from None


# ------------------------------------------------------------------------------------- documents

#: What names an agreement (or a profile, or requirements): the model itself, a loaded file, or
#: the path of a .sla file to load.
AgreementSource: TypeAlias = "m.Agreement | m.SlaFile | str | os.PathLike[str]"
#: A profile, a file holding it, or (a string that is no file's path) a profile's title.
ProfileSource: TypeAlias = "m.Profile | m.SlaFile | str | os.PathLike[str]"
RequirementsSource: TypeAlias = "m.Requirements | m.SlaFile | str | os.PathLike[str]"

D = TypeVar("D", m.Agreement, m.Profile, m.Requirements)

#: The SlaError codes of choosing a document: none there (or none by that name), or several.
NO_SUCH_DOCUMENT, SEVERAL_DOCUMENTS = "SLA010", "SLA011"
#: How a kind of document is named: one, several, none.
_NOUNS: dict[type, tuple[str, str, str]] = {
    m.Agreement: ("agreement", "agreements", "no agreement"),
    m.Profile: ("profile", "profiles", "no profile"),
    m.Requirements: ("requirements document", "requirements documents", "no requirements documents"),
}


def _name(d: m.Agreement | m.Profile | m.Requirements) -> str:
    return (d.id if isinstance(d, m.Agreement) else None) or d.title


def _at(source: m.Node) -> Span | None:
    """Where a choice among documents is made: the start of the file, or the model given."""
    if isinstance(source, m.SlaFile):
        return Span(file=source.path, line=1, column=1, end_line=1, end_column=2) if source.path else None
    return source.span


def _reach(source: Any) -> tuple[Any, list[m.SlaFile]]:
    """A model or loaded file as it is, or the checked file at a path; and every file reached
    (the file and what it imports, transitively). Raises SlaError for a path that cannot be
    loaded."""
    if isinstance(source, m.SlaFile):
        return source, [source]
    if isinstance(source, (m.Agreement, m.Profile, m.Requirements)):
        return source, []
    if isinstance(source, (str, os.PathLike)):
        ws = Workspace()
        ws.add(source)
        return _load(ws, str(Path(source))), list(ws.files.values())
    raise TypeError(f"expected a model, an SlaFile or the path of a .sla file, not {type(source).__name__}")


def document(source: D | m.SlaFile | str | os.PathLike[str], kind: type[D], wanted: str | None = None) -> D:
    """The one document of `kind` that `source` is or holds: a model is itself; a file (loaded,
    or the path of one to load) gives its only one, or the one whose id or title is `wanted`.

    Raises SlaError: the file's diagnostics when it cannot be loaded; SLA010 when it holds no
    such document (or none by that name); SLA011 when it holds several and none is named."""
    loaded = _reach(source)[0]
    if isinstance(loaded, m.SlaFile):
        where = loaded.path or "<string>"
        found = [d for d in loaded.documents if isinstance(d, kind)]
    elif isinstance(loaded, kind):
        where = loaded.span.file if loaded.span and loaded.span.file else "the model given"
        found = [loaded]
    else:
        raise TypeError(f"expected {_NOUNS[kind][0]}, not {type(loaded).__name__}")
    one, several, none = _NOUNS[kind]
    span = _at(loaded)
    if wanted is not None:
        chosen = [d for d in found if wanted in (_name(d), d.title)]
        if not chosen:
            names = ", ".join(repr(_name(d)) for d in found) or "none"
            raise codes.error(NO_SUCH_DOCUMENT, f"no {one} {wanted!r} in {where}", span, f"it holds {names}")
        return chosen[0]
    if not found:
        raise codes.error(NO_SUCH_DOCUMENT, f"{where} holds {none}", span)
    if len(found) > 1:
        how = "its id or title" if kind is m.Agreement else "its title"
        raise codes.error(
            SEVERAL_DOCUMENTS, f"{where} holds {len(found)} {several}", span, f"choose one by {how}"
        )
    return found[0]


def pick_agreement(file: AgreementSource, wanted: str | None = None) -> m.Agreement:
    """The one agreement of a file, or the one whose id or title is `wanted` (see `document`)."""
    return document(file, m.Agreement, wanted)


def agreements_in(source: AgreementSource) -> list[m.Agreement]:
    """Every agreement of a file (or the one given); SlaError SLA010 when it holds none."""
    loaded = _reach(source)[0]
    if isinstance(loaded, m.Agreement):
        return [loaded]
    if not isinstance(loaded, m.SlaFile):
        raise TypeError(f"expected an agreement, not {type(loaded).__name__}")
    if not loaded.agreements:
        raise codes.error(NO_SUCH_DOCUMENT, f"{loaded.path or '<string>'} holds no agreement", _at(loaded))
    return loaded.agreements


def profiles_in(files: Iterable[m.SlaFile]) -> list[m.Profile]:
    """The profiles of the files, each once, in order."""
    return list(dict.fromkeys(p for f in files for p in f.profiles))


def pick_profile(
    ref: ProfileSource, near: Iterable[m.SlaFile] = (), *, load: Callable[[str], Any] | None = None
) -> m.Profile:
    """A workload profile: the model itself; the only profile of a file (loaded, or the path of a
    .sla file, read with `load` when given); else the profile titled `ref` among those of the
    files `near` (such as the offers' files). Raises SlaError: SLA010 when there is no such file
    or profile, SLA011 when a file holds several (give one's title instead)."""
    if isinstance(ref, str) and Path(ref).is_file() and load is not None:
        ref = load(ref)
    if not isinstance(ref, str) or Path(ref).is_file():
        return document(ref, m.Profile)
    candidates = profiles_in(near)
    for p in candidates:
        if p.title == ref:
            return p
    hint = did_you_mean(ref, [p.title for p in candidates]) if candidates else None
    raise codes.error(NO_SUCH_DOCUMENT, f"no file or profile named {ref!r}", None, hint)


def _sources(sources: Iterable[Any], what: str) -> list[Any]:
    """A list of sources; one source alone (a path is a string, and so a sequence) is a mistake."""
    if isinstance(sources, (str, os.PathLike, m.Node)):
        raise TypeError(f"give a list of {what}, not one")
    return list(sources)


# ------------------------------------------------------------------------------------- jobs


def price(source: AgreementSource, *, agreement: str | None = None) -> Quote:
    """Quote an agreement (`sla price`): one-time fees, the first month, each contract year and
    the term. `source` is an Agreement, a loaded file or a .sla file's path; `agreement` picks
    one of several by id or title. Raises SlaError when the agreement cannot be priced."""
    from .pricing import quote

    return quote(document(source, m.Agreement, agreement))


def bill(
    source: AgreementSource,
    worklog: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    agreement: str | None = None,
    decimal: str = ".",
) -> Bill:
    """Bill a worklog by an agreement's rates, multipliers and block hours (`sla bill`).

    `worklog` is the path of a CSV file; give its content as `text=` instead. Rows that cannot be
    billed are listed in the bill's `problems`; a worklog that cannot be read at all raises
    SlaError (SLA006 to SLA008 for the file, SLA210 for its CSV). `decimal` is the worklog's
    decimal mark, "." or "," (then "." groups thousands: 1.234,50)."""
    from .billing import bill as make_bill

    if (worklog is None) == (text is None):
        raise TypeError("give the worklog's path or its text=, one of them")
    chosen = document(source, m.Agreement, agreement)
    if text is None:
        assert worklog is not None
        text = read_text(worklog)
    return make_bill(chosen, text, decimal=decimal)


def read_text(path: str | os.PathLike[str]) -> str:
    """A text file (a .sla file, a worklog) as UTF-8 with `\\n` line ends; raises SlaError when it
    is too big (SLA006), not UTF-8 (SLA007) or cannot be read (SLA008)."""
    from .loader import read_text as read

    return read(path)


def estimate(
    source: AgreementSource,
    profile: ProfileSource,
    *,
    agreement: str | None = None,
    years: int = 10_000,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Estimate:
    """The expected cost and downtime of an agreement under a workload profile, and their spread
    over `years` simulated years (`sla estimate`). `profile` is a Profile, a file holding one, or
    a profile's title among the profiles of the agreement's file. Raises SlaError when the
    profile does not fit the agreement (SLA220 to SLA224) or is beyond the model (SLA225)."""
    from .costs import estimate as run

    loaded, _ = _reach(source)
    chosen_profile = pick_profile(profile, [loaded] if isinstance(loaded, m.SlaFile) else [])
    return run(
        document(loaded, m.Agreement, agreement), chosen_profile, years=years, seed=seed, progress=progress
    )


def compare(
    sources: Iterable[AgreementSource],
    profile: ProfileSource,
    *,
    years: int = 10_000,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """Agreements side by side under one workload profile, on one simulated workload (`sla
    compare`); each source holds one agreement. Raises SlaError when the profile does not fit an
    agreement, or (SLA501) when they are in different currencies; ValueError for fewer than two."""
    from .compare import compare as run
    from .compare import cost_models

    given = _sources(sources, "agreements")
    if len(given) < 2:
        raise ValueError("give at least two agreements to compare")
    loaded = [_reach(s)[0] for s in given]
    chosen_profile = pick_profile(profile, [f for f in loaded if isinstance(f, m.SlaFile)])
    agreements = [document(f, m.Agreement) for f in loaded]
    return run(cost_models(agreements, chosen_profile), years=years, seed=seed, progress=progress)


def evaluate(
    requirements: RequirementsSource,
    offers: Iterable[AgreementSource],
    *,
    profile: ProfileSource | None = None,
    profiles: Iterable[m.Profile] = (),
) -> Evaluation:
    """Offers against procurement requirements (`sla evaluate`): a verdict per requirement,
    eligibility, score and ranking. Every agreement of each offer file counts. A cost requirement
    `with profile "T"` finds T among the profiles of the files loaded (and what they import) and
    `profiles`; `profile` (a Profile, a file, or a title) costs the rest. Raises SlaError (SLA501)
    when offers or amounts are in different currencies."""
    from .evaluate import evaluate as run

    loaded, near = _reach(requirements)
    chosen = document(loaded, m.Requirements)
    agreements = []
    for offer in _sources(offers, "offers"):
        file, reached = _reach(offer)
        agreements.extend(agreements_in(file))
        near.extend(reached)
    known = list(dict.fromkeys([*profiles_in(near), *profiles]))
    costed = pick_profile(profile, near) if profile is not None else None
    return run(chosen, agreements, known, costed)


def diff(old: AgreementSource, new: AgreementSource) -> Diff:
    """Two versions of an agreement compared by meaning (`sla diff`): each change with its old
    and new value and whether it is better or worse for the customer. Files holding several
    agreements are paired by id or title."""
    from .diff import diff_versions

    old_file, new_file = _reach(old)[0], _reach(new)[0]
    return diff_versions(agreements_in(old_file), agreements_in(new_file), _label(old), _label(new))


def _label(source: Any) -> str:
    """What a diff calls a version: the path given, else the file's."""
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    if isinstance(source, m.SlaFile):
        return source.path or "<string>"
    return source.span.file if source.span and source.span.file else _name(source)


@dataclass(frozen=True)
class Compliance:
    """A compliance report (`sla.comply.Report`) and its data: `to_dict` is what `sla comply
    --json` prints."""

    report: Report

    def to_dict(self) -> dict[str, Any]:
        from .comply import to_dict

        return to_dict(self.report)


def comply(
    source: AgreementSource,
    tickets: str | os.PathLike[str] | None = None,
    *,
    agreement: str | None = None,
    events: str | os.PathLike[str] | None = None,
    outages: str | os.PathLike[str] | None = None,
    mapping: str | Iterable[str] | ComplyMapping | None = None,
    period: str | None = None,
    progress: Callable[[int], None] | None = None,
    exclusions: str | os.PathLike[str] | None = None,
    events_log: str | os.PathLike[str] | None = None,
) -> Compliance:
    """Service desk exports (CSV files) measured against an agreement, month by month (`sla
    comply`). `mapping` is a ready mapping's name, a mapping .toml file, FIELD=COLUMN,... (or a
    list of them) or a loaded Mapping; `period` a month, quarter or year; `progress` is told how
    many bytes of the tickets file (or the event log) are read; `exclusions` is a CSV of periods
    both parties agreed to leave out of availability (service, start, end, reason);
    `events_log`, a CSV of one row per update of a ticket (`sla comply --events-log`), stands
    for `tickets` and `events` (ValueError when given with either). Raises SlaError (the comply
    module's InputError) for a file, mapping or period that cannot be used at all."""
    from .comply import Mapping, load_mapping
    from .comply import comply as measure

    chosen = document(source, m.Agreement, agreement)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping([mapping] if isinstance(mapping, str) else list(mapping or ()))
    report = measure(
        chosen,
        os.fspath(tickets) if tickets is not None else None,
        events_log=os.fspath(events_log) if events_log is not None else None,
        events=os.fspath(events) if events else None,
        outages=os.fspath(outages) if outages else None,
        mapping=mapping,
        period=period,
        progress=progress,
        exclusions=os.fspath(exclusions) if exclusions else None,
    )
    return Compliance(report)


__all__ = [
    "AgreementSource",
    "Compliance",
    "ProfileSource",
    "RequirementsSource",
    "agreements_in",
    "bill",
    "check",
    "check_text",
    "check_workspace",
    "compare",
    "comply",
    "diff",
    "document",
    "dump_data",
    "dumps",
    "estimate",
    "evaluate",
    "load",
    "loads",
    "loads_json",
    "parse",
    "pick_agreement",
    "pick_profile",
    "price",
    "profiles_in",
    "read_text",
]
