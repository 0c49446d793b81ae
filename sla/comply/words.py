"""The compliance report for people: durations, instants, minutes and money in words, and the
report as one self-contained HTML page or a PDF document (renderers/compliance, rendered
sandboxed)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..diagnostics import SlaError
from .report import Availability, CreditLine, PeriodReport, Report, RollingCap, TargetStats

if TYPE_CHECKING:
    from typst import PDFStandard

    from ..words import Words


def duration(us: int | None) -> str:
    """Business or wall time for people: hours and minutes (a business day has no fixed length),
    seconds when there are any."""
    if us is None:
        return "-"
    sign = "-" if us < 0 else ""
    seconds = abs(us) // 1_000_000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{seconds}s" if seconds else ""]
    return sign + ("".join(parts) or "0m")


def money_text(amount: Any, currency: str | None) -> str:
    from ..words import money

    return f"{amount:,f}" if currency is None else money(amount, currency)


def when(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M") + instant.strftime(" %Z").rstrip()


def unmeasured(stats: Any) -> str:
    why = "" if stats.reason and stats.reason in stats.target else f": {stats.reason}"
    return f"{stats.target} (not measured{why})"


def minutes(us: int) -> str:
    whole, rest = divmod(us, 60_000_000)
    return f"{whole:,}" if not rest else f"{us / 60_000_000:,.3f}"


#: How each `clock { priority ... }` rule is said in a report.
PRIORITY_RULES = {
    "initial": "tickets are measured at the priority they were opened with (clock: priority initial)",
    "final": "tickets are measured at the last priority they had (clock: priority final)",
    "highest": "tickets are measured at the most urgent priority they ever had (clock: priority highest)",
}


def priority_rule(rule: str) -> str:
    return PRIORITY_RULES.get(rule, f"tickets are measured at priority rule {rule!r}")


def rolling_text(r: RollingCap, currency: str | None) -> str:
    """The rolling cap of a month in one sentence."""
    text = (
        f"rolling cap {r.percent}% of the fees of {r.first} to {r.last} ({money_text(r.fees, currency)})"
        f" = {money_text(r.allowance, currency)}; owed in the {r.months - 1} months before: "
        f"{money_text(r.earlier, currency)}; left {money_text(r.left, currency)}"
    )
    if r.applied:
        text += f" (applied: {money_text(r.before, currency)} cut to {money_text(r.left, currency)})"
    return text


def uncounted_text(r: RollingCap) -> list[str]:
    """The months of a rolling cap's window that count as no fee and no credit, and why."""
    return [
        f"  {first} counts as no fee and no credit: {why}"
        if first == last
        else f"  {first} to {last} count as no fee and no credit: {why}"
        for first, last, why in r.uncounted
    ]


def report_html(report: Report) -> str:
    """A self-contained HTML page (inline CSS, every value escaped), from renderers/compliance."""
    from ..templates import environment, renderers_path

    env = environment(renderers_path() / "compliance", autoescape=True, keep_trailing_newline=False)
    return env.get_template("report.html.j2").render(
        r=report,
        duration=duration,
        when=when,
        minutes=minutes,
        unmeasured=unmeasured,
        money=lambda amount: money_text(amount, report.currency),
        priority_rule=priority_rule,
        rolling=lambda r: rolling_text(r, report.currency),
        uncounted=uncounted_text,
    )


# ------------------------------------------------------------------------------------- PDF

#: How many breaches (and missed updates) a month lists in the PDF; the JSON report has all.
PDF_SHOWN = 1000

#: The standards of the report's PDF, as for a contract: PDF/A-3a and PDF/UA-1 (tagged).
PDF_STANDARDS: tuple[PDFStandard, ...] = ("a-3a", "ua-1")


def report_pdf(report: Report, locale: str = "en") -> bytes:
    """The report as a PDF document for the customer, typeset by Typst from
    renderers/compliance/report.typ.j2 (every value a Typst string literal), in the words of
    `locale` (en, de; any other language has English words with its own numbers and dates).
    Archival (PDF/A-3a, PDF/UA-1) unless a character of the data has no glyph in the built-in
    fonts; then a plain PDF. Raises ValueError for an unknown locale."""
    from ..render import compile_typst
    from ..templates import environment, renderers_path
    from ..words import Words

    w = Words(locale)
    folder = renderers_path() / "compliance"
    env = environment(folder, finalize=_typst)
    source = env.get_template("report.typ.j2").render(r=_pdf_view(report, w, _report_words(w)))
    try:
        return compile_typst(source, PDF_STANDARDS)
    except SlaError as exc:
        if not any("could not be displayed with font" in d.message for d in exc.diagnostics):
            raise
    return compile_typst(source)  # a character PDF/A cannot show is left out, as in a contract


def report_docx(report: Report, locale: str = "en") -> bytes:
    """The report as a Word document: the same words and tables as the PDF, written with the
    contract's Word writer (Word's heading styles, header rows that repeat, page numbers, fixed
    dates); the months' share of targets met is a table rather than a chart. Raises ValueError
    for an unknown locale."""
    from types import SimpleNamespace

    import docx

    from ..render_docx import Writer, saved
    from ..words import Words

    w = Words(locale)
    t = _report_words(w)
    view = _pdf_view(report, w, t)
    doc = docx.Document()
    about: Any = SimpleNamespace(
        title=view["title"],
        reference=view["reference"],
        id=view["reference"],
        lang=w.locale.replace("_", "-"),
        parties=(),
    )
    labels = {"page": t["page"], "of": t["of"], "document": t["document"]}
    writer = Writer(doc, about, labels)
    writer.start()
    wide = _landscape(doc)

    def table(*args: Any, **named: Any) -> None:
        made = writer.table(*args, **named)
        for column in made.columns:  # the writer's widths are for a portrait page
            column.width = int(column.width * wide)
            for cell in column.cells:
                cell.width = int(cell.width * wide)

    writer.paragraph(t["document"], note=True)
    writer.heading(view["title"], 0)
    details = [(t["agreement_id"], view["reference"] or None), (t["period"], view["span"])]
    writer.details([*details, (t["mapping"], view["mapping"])])
    if view["rule"]:
        writer.paragraph(view["rule"], note=True)
    if view["chart"]:
        writer.heading(t["overview"], 1)
        table((t["period"], t["chart_title"]), [(c["label"], c["text"]) for c in view["chart"]], right=(1,))
        writer.paragraph(t["chart_note"], note=True)
    if not view["periods"]:
        writer.paragraph(t["no_period"])
    for p in view["periods"]:
        writer.heading(p["title"], 1)
        writer.paragraph(p["range"], note=True)
        writer.heading(t["targets"], 2)
        head = [
            t[k] for k in ("priority", "target", "agreed", "count", "met", "breached", "open", "attainment")
        ]
        table(
            [*head, t["median"], t["p90"]],
            p["targets"],
            right=range(3, 10),
            widths=(1, 1.4, 2.4, 1, 1, 1, 1, 1.2, 1, 1),
        )
        writer.heading(t["breaches"], 2)
        late = (t["late_business"], t["late_wall"])
        if p["breaches"]:
            head = [t[k] for k in ("ticket", "priority", "target", "calendar", "deadline", "at")]
            table([*head, *late], p["breaches"], right=(6, 7), widths=(1.2, 1, 1.2, 1.2, 1.8, 1.8, 1.3, 1.3))
        else:
            writer.paragraph(t["no_breaches"])
        if p["breaches_more"]:
            writer.paragraph(p["breaches_more"], note=True)
        if p["missed_updates"]:
            writer.heading(t["missed_updates"], 2)
            head = [t[k] for k in ("ticket", "priority", "calendar", "since", "deadline", "at")]
            table(
                [*head, *late],
                p["missed_updates"],
                right=(6, 7),
                widths=(1.2, 1, 1.2, 1.8, 1.8, 1.8, 1.3, 1.3),
            )
            if p["missed_more"]:
                writer.paragraph(p["missed_more"], note=True)
        if p["availability"]:
            writer.heading(t["availability"], 2)
            keys = (
                "service",
                "target",
                "measured_over",
                "minutes",
                "excluded",
                "downtime",
                "measured",
                "met",
            )
            table(
                [t[k] for k in keys],
                [av["cells"] for av in p["availability"]],
                right=(1, 3, 4, 5, 6),
                widths=(1.2, 0.9, 2, 1, 1.2, 1, 1.4, 1.1),
            )
            if p["exclusions"]:
                writer.paragraph(t["exclusions"]).runs[0].bold = True
                columns = ("service", "from", "to", "reason", "minutes", "removed")
                table([t[k] for k in columns], p["exclusions"], right=(4, 5), widths=(1, 1.6, 1.6, 3, 1, 1))
        writer.heading(t["credits"], 2)
        c = p["credits"]
        if c is None:
            writer.paragraph(t["no_credits"])
            continue
        rows = [*c["lines"], ["", "", t["total_before_cap"], c["total"]]]
        if c["cap"]:
            rows.append(["", "", c["cap"], c["cap_amount"]])
        if c["rolling"]:
            rows.append(["", "", c["rolling"], c["rolling_left"]])
        table(
            (t["credit"], t["for"], t["why"], t["amount"]),
            rows,
            right=(3,),
            total=(t["owed"], c["owed"]),
            widths=(1.2, 1, 5, 1.2),
        )
        if c["understated"]:
            writer.paragraph(t["understated"])
    writer.heading(t["rows"], 1)
    writer.paragraph(view["rows"])
    file_columns = ("file", "kind", "read", "used", "unusable")
    table([t[k] for k in file_columns], view["files"], right=(2, 3, 4), widths=(4, 1.2, 1, 1, 1.2))
    if view["unusable"]:
        writer.paragraph("")
        table((t["file"], t["line"], t["reason"]), view["unusable"], right=(1,), widths=(3, 0.7, 5))
    else:
        writer.paragraph(t["all_rows_used"])
    return saved(doc)


def _landscape(doc: Any) -> float:
    """Turn the page of a Word document to A4 landscape, the header's right tab to its new right
    margin; how much wider the text is than on the portrait page."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_TAB_ALIGNMENT

    section = doc.sections[0]
    before = section.page_width - section.left_margin - section.right_margin
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    after = section.page_width - section.left_margin - section.right_margin
    tabs = doc.styles["Header"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(after, WD_TAB_ALIGNMENT.RIGHT)
    return float(after / before)


def _typst(value: Any) -> str:
    """Every printed value as Typst source (a string literal for text), as in a contract."""
    from jinja2 import Undefined

    from ..render import typst_value

    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises here, naming what is missing
    return typst_value(value)


def _report_words(w: Words) -> dict[str, Any]:
    """The report's fixed text in the language of `w`, else English."""
    import json

    from ..templates import renderers_path

    folder = renderers_path() / "compliance"
    path = folder / f"{w.babel.language}.json"
    if not path.is_file():
        path = folder / "en.json"
    with open(path, encoding="utf-8") as fh:
        words: dict[str, Any] = json.load(fh)
    return words


def _pdf_view(report: Report, w: Words, t: dict[str, Any]) -> dict[str, Any]:
    """What report.typ.j2 sees: every value already in words, so the template only lays out."""
    from babel.dates import format_date

    def money(amount: Decimal) -> str:
        return w.money(amount, report.currency) if report.currency else w.number(amount)

    def percent(value: Decimal | None) -> str:
        return "-" if value is None else w.percent(value)

    def count(n: int | None) -> str:
        return "-" if n is None else w.number(n)

    def mins(us: int) -> str:
        whole, rest = divmod(us, 60_000_000)
        return (
            w.number(whole) if not rest else w.number((Decimal(us) / 60_000_000).quantize(Decimal("0.001")))
        )

    def at(instant: datetime, still_open: bool) -> str:
        return when(instant) + (f" ({t['still_open']})" if still_open else "")

    def more(n: int) -> str | None:
        return str(t["more"]).format(n=w.number(n - PDF_SHOWN)) if n > PDF_SHOWN else None

    def target_rows(p: PeriodReport) -> list[list[str]]:
        rows = []
        for s in p.priorities:
            kinds: list[tuple[str, TargetStats | None]] = [
                ("response", s.response),
                ("resolution", s.resolution),
                ("updates", s.updates),
            ]
            for kind, stats in kinds:
                if stats is None:
                    continue
                agreed = stats.target if stats.measured else f"{stats.target} ({t['not_measured']})"
                rows.append(
                    [
                        s.priority,
                        t[kind],
                        agreed,
                        count(stats.count),
                        count(stats.met),
                        count(stats.breached),
                        count(stats.open),
                        percent(stats.attainment),
                        duration(stats.median),
                        duration(stats.p90),
                    ]
                )
        return rows

    def availability_row(av: Availability) -> dict[str, Any]:
        over = av.period + (f" ({t['to_date']})" if not av.complete else "")
        if av.during:
            over += " " + str(t["during"]).format(calendar=av.during)
        measured = av.not_measured is None
        return {
            "cells": [
                av.service,
                percent(av.target),
                over,
                mins(av.period_us) if measured else "-",
                mins(av.excluded_us) if measured else "-",
                mins(av.downtime_us) if measured else "-",
                percent(av.measured) if measured else f"{t['not_measured']}: {av.not_measured}",
                "-" if av.met is None else t["yes"] if av.met else t["no"],
            ],
            "met": av.met,
            "measured": measured,
        }

    def credit_row(line: CreditLine, p: PeriodReport) -> list[str]:
        if line.amount is None:
            why = line.not_computable or line.detail
            return [t["credit_kinds"].get(line.kind, line.kind), line.subject, why, t["not_computable"]]
        if line.kind == "availability" and line.percent is not None:
            measured = next((a.measured for a in p.availability if a.service == line.subject), None)
            why = str(t["credit_availability"]).format(
                measured=percent(measured), percent=percent(line.percent), base=money(line.base)
            )
        elif line.count is not None:
            why = str(t["credit_count"]).format(count=w.number(line.count), base=money(line.base))
        else:
            why = line.detail
        return [t["credit_kinds"].get(line.kind, line.kind), line.subject, why, money(line.amount)]

    def credits(p: PeriodReport) -> dict[str, Any] | None:
        c = p.credits
        if not c.lines and c.cap is None and c.rolling is None:
            return None
        cap = None
        if c.cap is not None and c.cap_percent is not None and c.monthly_fee is not None:
            cap = str(t["cap"]).format(percent=percent(c.cap_percent), fee=money(c.monthly_fee))
            cap += f" ({t['applied']})" if c.capped else ""
        rolling = None
        if c.rolling is not None:
            r = c.rolling
            rolling = str(t["rolling_cap"]).format(
                percent=percent(r.percent),
                first=r.first,
                last=r.last,
                fees=money(r.fees),
                earlier=money(r.earlier),
            )
            if r.applied:
                rolling += "; " + str(t["rolling_applied"]).format(before=money(r.before), left=money(r.left))
            for first, last, why in r.uncounted:
                months = first if first == last else f"{first} – {last}"
                rolling += ". " + str(t["uncounted"]).format(months=months, why=why)
        return {
            "lines": [credit_row(line, p) for line in c.lines],
            "total": money(c.total_before_cap),
            "cap": cap,
            "cap_amount": None if c.cap is None else money(c.cap),
            "rolling": rolling,
            "rolling_left": None if c.rolling is None else money(c.rolling.left),
            "owed": money(c.owed),
            "understated": c.understated,
        }

    periods = []
    for p in report.periods:
        month = str(format_date(p.start, "LLLL y", locale=w.babel))
        breaches = p.breaches[:PDF_SHOWN]
        missed = (p.missed_updates or [])[:PDF_SHOWN]
        periods.append(
            {
                "title": f"{month} ({p.period})",
                "range": f"{w.date(p.start)} – {w.date(p.end)}",
                "targets": target_rows(p),
                "breaches": [
                    [
                        b.ticket,
                        b.priority,
                        t.get(b.target, b.target),
                        b.calendar,
                        when(b.deadline),
                        at(b.at, b.open),
                        duration(b.late_business),
                        duration(b.late_wall),
                    ]
                    for b in breaches
                ],
                "breaches_more": more(len(p.breaches)),
                "missed_updates": None
                if p.missed_updates is None
                else [
                    [
                        u.ticket,
                        u.priority,
                        u.calendar,
                        when(u.since),
                        when(u.deadline),
                        at(u.at, u.open),
                        duration(u.late_business),
                        duration(u.late_wall),
                    ]
                    for u in missed
                ],
                "missed_more": more(len(p.missed_updates or ())),
                "availability": [availability_row(av) for av in p.availability],
                "exclusions": [
                    [
                        av.service,
                        when(x.start),
                        when(x.end),
                        x.reason or "-",
                        mins(x.own_us),
                        mins(x.removed_us),
                    ]
                    for av in p.availability
                    for x in av.exclusions or ()
                ],
                "credits": credits(p),
            }
        )
    chart = None
    if len(report.periods) > 1:
        chart = []
        for p in report.periods:
            met = sum(s.met or 0 for q in p.priorities for s in _measured(q))
            settled = met + sum(s.breached or 0 for q in p.priorities for s in _measured(q))
            share = None if not settled else (Decimal(100) * met / settled).quantize(Decimal("0.1"))
            chart.append(
                {
                    "label": str(format_date(p.start, "MMM y", locale=w.babel)),
                    "value": share,
                    "text": t["chart_none"] if share is None else percent(share),
                }
            )
    if report.periods:
        first, last = report.periods[0], report.periods[-1]
        span = f"{w.date(first.start)} – {w.date(last.end)}"
    else:
        span = "-"
    return {
        "t": t,
        "title": report.agreement_title,
        "reference": report.agreement_id or "",
        "language": w.babel.language,
        # Typst knows regions by two letters only (not `419`, Latin America)
        "region": territory if len(territory := w.babel.territory or "") == 2 else None,
        "span": span,
        "mapping": None if report.mapping == "default" else report.mapping,
        "rule": None if report.priority_rule is None else t["rules"].get(report.priority_rule),
        "periods": periods,
        "chart": chart,
        "scale": [(level, w.percent(Decimal(level))) for level in (0, 50, 100)],
        "rows": str(t["rows_summary"]).format(
            read=w.number(report.read), used=w.number(report.used), unusable=w.number(len(report.unusable))
        ),
        "files": [
            [f.file, t["kinds"].get(f.kind, f.kind), w.number(f.read), w.number(f.used), w.number(f.unusable)]
            for f in report.files
        ],
        "unusable": [[u.file, w.number(u.row), u.reason] for u in report.unusable],
    }


def _measured(q: Any) -> list[TargetStats]:
    """The measured targets of a priority's month: response, resolution and updates."""
    return [s for s in (q.response, q.resolution, q.updates) if s is not None and s.measured]


__all__ = [
    "PRIORITY_RULES",
    "duration",
    "minutes",
    "money_text",
    "priority_rule",
    "report_docx",
    "report_html",
    "report_pdf",
    "rolling_text",
    "uncounted_text",
    "unmeasured",
    "when",
]
