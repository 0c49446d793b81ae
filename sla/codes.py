"""Every diagnostic code sla gives, with its severity and meaning: one table.

Codes by stage: SLA0xx reading and parsing, SLA1xx the semantic checks (each a rule in
`sla.checks`, which registers its own code, severity and summary), SLA2xx money (pricing,
billing and the cost model), SLA3xx the inputs of `sla comply`, SLA4xx rendering, SLA5xx
procurement. A diagnostic outside the checks is made with `diagnostic` or `error`, which refuse
a code that is not in this table, so adding a code touches one place.
"""

from __future__ import annotations

from typing import NamedTuple

from .diagnostics import Diagnostic, Severity, SlaError, Span


class Code(NamedTuple):  # not a dataclass, whose making costs every start a third of a millisecond
    code: str
    severity: Severity
    summary: str


def _table(*rows: tuple[str, Severity, str]) -> dict[str, Code]:
    return {code: Code(code, severity, summary) for code, severity, summary in rows}


#: The codes that are not semantic checks; `sla.checks.all_codes()` adds the checks' rules.
CODES: dict[str, Code] = _table(
    ("SLA001", "error", "The text does not follow the grammar."),
    ("SLA002", "error", "A block is still open at the end of the file."),
    ("SLA003", "error", "An unknown word where a statement or keyword was expected."),
    (
        "SLA004",
        "error",
        (
            "A value is malformed or beyond its bounds: a number, date, time, duration, period, "
            "weekday, currency code or string."
        ),
    ),
    ("SLA005", "error", "A statement is given twice where it may appear once."),
    ("SLA006", "error", "The file is larger than the size limit."),
    ("SLA007", "error", "The file is not UTF-8 text."),
    ("SLA008", "error", "The file cannot be read."),
    ("SLA009", "error", "An import is missing, leaves its folder, or forms a cycle."),
    ("SLA010", "error", "A file holds no document of the kind asked for, or none by the name given."),
    ("SLA011", "error", "A file holds several documents of the kind asked for, and none was chosen."),
    ("SLA020", "error", "A model cannot be read from JSON or written as .sla text."),
    ("SLA030", "error", "A deadline or business time runs beyond the years sla counts, 0002 to 9998."),
    ("SLA131", "warning", "The file holds nothing."),
    ("SLA201", "error", "The agreement states no currency, so it cannot be priced, billed or costed."),
    ("SLA202", "error", "The term cannot be quoted: it is missing, not in months or years, or empty."),
    ("SLA203", "error", "The agreement has no fee or rate to quote."),
    (
        "SLA204",
        "error",
        (
            "A fee cannot be priced: a foreign currency, no unit or quantity, or tiers that "
            "do not hold the quantity."
        ),
    ),
    ("SLA205", "error", "The agreement has no rate to bill work at."),
    ("SLA210", "error", "The worklog cannot be read: not CSV text, empty, or without a required column."),
    ("SLA220", "error", "The profile counts incidents of a priority the agreement does not have."),
    (
        "SLA221",
        "error",
        (
            "The profile counts a unit the agreement neither counts nor prices (a warning "
            "when no unit of the agreement is close to it)."
        ),
    ),
    ("SLA222", "error", "The profile has incidents of a priority but no effort for them."),
    ("SLA223", "error", "The profile's travel distance is in another unit than the agreement charges."),
    ("SLA224", "error", "An amount of the profile is in another currency than the agreement."),
    (
        "SLA225",
        "error",
        "The profile is beyond what the cost model simulates: over 10,000 incidents a month, or amounts too large to add up exactly.",
    ),
    ("SLA301", "error", "An export, events, outages or mapping file cannot be read."),
    ("SLA302", "error", "An export is not CSV text in its encoding."),
    ("SLA303", "error", "An export is empty: it has no header row."),
    ("SLA304", "error", "An export has no column for a field the measurement needs."),
    ("SLA305", "error", "A column mapping is wrong: an unknown field, setting, time zone or encoding."),
    ("SLA306", "error", "The --period of a report is not a month, a quarter or a year."),
    (
        "SLA401",
        "error",
        "A template cannot be used: a syntax error, an undefined name, or a refused operation.",
    ),
    ("SLA402", "error", "Typst could not compile the contract."),
    ("SLA403", "error", "A template is missing from the template folder."),
    ("SLA501", "error", "Offers, or a requirement's amount, are in different currencies."),
)


def diagnostic(
    code: str,
    message: str,
    span: Span | None = None,
    hint: str | None = None,
    severity: Severity | None = None,
) -> Diagnostic:
    """A diagnostic of a code from the table, at its default severity unless one is given."""
    return Diagnostic(code, severity or CODES[code].severity, message, span, hint)


def error(code: str, message: str, span: Span | None = None, hint: str | None = None) -> SlaError:
    """The exception for one error of a code from the table."""
    return SlaError([diagnostic(code, message, span, hint, "error")])


#: SLA201 in one sentence, wherever an agreement without a currency is priced, billed or costed.
NO_CURRENCY = "the agreement states no currency"


def no_currency(span: Span | None) -> Diagnostic:
    return diagnostic("SLA201", NO_CURRENCY, span, "add `currency EUR` (an ISO 4217 code)")


__all__ = ["CODES", "Code", "diagnostic", "error", "no_currency"]
