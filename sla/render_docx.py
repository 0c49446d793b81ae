"""Contracts as Word documents: the contract view written with python-docx, byte for byte the same.

Headings are Word's own heading styles (so the navigation pane and a table of contents work),
tables are Word tables whose header row repeats on each page, and the footer numbers the pages
with PAGE and NUMPAGES fields. Text from the agreement is only ever the text of a run: Word has
no markup to inject, and each control character is written out (`\\x1b`) as on a terminal, since
XML cannot hold most of them. The package is made deterministic afterwards: fixed dates in the
core properties and in the zip, and the parts in the order python-docx writes them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .words import visible

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    from .render import Contract, Detail, PriceLineView

#: The date of every part and of the core properties: the epoch Typst's clock is fixed at too,
#: so rendering twice gives the same bytes. (A zip cannot date anything before 1980.)
FIXED_DATE = datetime(1970, 1, 1, tzinfo=UTC)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_ACCENT = "1F4E79"
_MUTED = "5B6570"
_BAND = "F2F4F7"
_RULE = "C9D0D8"
#: A4, and the text width between margins of 20 mm, in EMU (914,400 to the inch).
_MM = 36000
_PAGE = (210 * _MM, 297 * _MM)
_MARGIN = 20 * _MM
_TEXT_WIDTH = _PAGE[0] - 2 * _MARGIN

# XML 1.0 holds no C0 control but tab, newline and carriage return, no surrogate and neither
# U+FFFE nor U+FFFF; `visible` writes out the controls, these are the rest.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def text(value: str | None) -> str:
    """Agreement text as a run shows it: controls written out, line breaks as spaces."""
    if not value:
        return ""
    shown = visible(value).replace("\t", " ").replace("\n", " ")
    return _NOT_XML.sub(lambda found: f"\\u{ord(found.group()):04x}", shown)


def write(contract: Contract, labels: dict[str, str]) -> bytes:
    """The contract as the bytes of a .docx file."""
    import docx

    doc = docx.Document()
    writer = Writer(doc, contract, labels)
    writer.document()
    return saved(doc)


def saved(doc: Document) -> bytes:
    """A document's bytes, the same each time (`fixed`)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return fixed(buffer.getvalue())


# ------------------------------------------------------------------------------------- package


def fixed(data: bytes) -> bytes:
    """The package with every part dated `_ZIP_DATE` and nothing of the machine that wrote it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename), compresslevel=9)
    return out.getvalue()


def properties(doc: Document, contract: Contract, labels: dict[str, str]) -> None:
    """Core properties from the agreement, dated FIXED_DATE; no trace of a template's author."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    core = doc.core_properties
    core.title = text(contract.title)[:255]
    core.subject = labels["document"]
    core.author = text("; ".join(p.name for p in contract.parties))[:255]
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = text(contract.reference)[:255]
    core.identifier = text(contract.id)[:255]
    core.language = contract.lang
    core.category = ""
    core.revision = 1
    core.created = FIXED_DATE.replace(tzinfo=None)
    core.modified = FIXED_DATE.replace(tzinfo=None)
    core.last_printed = FIXED_DATE.replace(tzinfo=None)
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        # The template's picture of an empty page and its "Microsoft Macintosh Word" statistics.
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            del package.rels[rel_id]


# ------------------------------------------------------------------------------------- XML


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) whose result Word works out; `shown` until it does."""
    run = paragraph.add_run()
    run._r.append(_element("w:fldChar", fldCharType="begin"))
    code = paragraph.add_run()
    instr = _element("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    code._r.append(instr)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", val="clear", color="auto", fill=fill))


def _row_flags(table: Table) -> None:
    """The first row repeats on every page; no row is split between two pages."""
    for i, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(_element("w:cantSplit"))
        if i == 0:
            properties.append(_element("w:tblHeader"))


def _borders(table: Table) -> None:
    borders = _element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{side}", val="single", sz="4", space="0", color=_RULE))
    table._tbl.tblPr.append(borders)


# ------------------------------------------------------------------------------------- the document


class Writer:
    """Writes a document in the contract's Word style: `start` sets up styles, the A4 page with
    its "Page N of M" footer and the fixed core properties; then headings, paragraphs and tables.
    The compliance report's Word document is written with it too (sla.comply.words)."""

    def __init__(self, doc: Document, contract: Contract, labels: dict[str, str]) -> None:
        self.doc = doc
        self.contract = contract
        self.labels = labels

    # --- page, styles, properties

    def start(self) -> None:
        """Styles, page and properties: what every document written with it begins with."""
        self.styles()
        self.page()
        properties(self.doc, self.contract, self.labels)

    def document(self) -> None:
        self.start()
        self.title()
        self.contents()
        for section in self.contract.sections:
            self.heading(f"{section.number}. {section.title}", 1)
            if section.key == "clause":
                for paragraph in section.paragraphs:
                    self.paragraph(paragraph)
            else:
                getattr(self, f"section_{section.key}")()

    def styles(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.1
        language = normal.element.get_or_add_rPr()
        language.append(_element("w:lang", val=self.contract.lang, eastAsia=self.contract.lang))
        for name, size, before in (("Heading 1", 14, 16), ("Heading 2", 11.5, 10)):
            style = styles[name]
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor.from_string(_ACCENT if name == "Heading 1" else "1D232B")
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        title = styles["Title"]
        title.font.size = Pt(22)
        title.font.color.rgb = RGBColor.from_string(_ACCENT)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    def page(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
        from docx.shared import Emu, Pt

        section = self.doc.sections[0]
        section.page_width, section.page_height = Emu(_PAGE[0]), Emu(_PAGE[1])
        section.left_margin = section.right_margin = Emu(_MARGIN)
        section.top_margin, section.bottom_margin = Emu(24 * _MM), Emu(20 * _MM)
        section.header_distance = section.footer_distance = Emu(10 * _MM)
        header = section.header.paragraphs[0]
        tabs = self.doc.styles["Header"].paragraph_format.tab_stops
        tabs.clear_all()  # the template's, for a US Letter page
        tabs.add_tab_stop(Emu(_TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        self.muted(header.add_run(text(self.contract.reference)), Pt(8))
        header.add_run("\t")
        self.muted(header.add_run(text(self.contract.title)), Pt(8))
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{self.labels['page']} ")
        _field(footer, "PAGE", "1")
        footer.add_run(f" {self.labels['of']} ")
        _field(footer, "NUMPAGES", "1")
        for run in footer.runs:
            self.muted(run, Pt(8))

    @staticmethod
    def muted(run: Any, size: Any = None) -> Any:
        from docx.shared import RGBColor

        run.font.color.rgb = RGBColor.from_string(_MUTED)
        if size is not None:
            run.font.size = size
        return run

    # --- building blocks

    def heading(self, words: str, level: int) -> Paragraph:
        paragraph: Paragraph = self.doc.add_heading(text(words), level)
        return paragraph

    def paragraph(self, words: str | None, note: bool = False) -> Paragraph:
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text(words))
        if note:
            self.muted(run, Pt(9))
        return paragraph

    def details(self, pairs: Sequence[Detail | tuple[str, str | None]]) -> None:
        """Label and value pairs, one paragraph each: "Label: value" with the label in bold."""
        for pair in pairs:
            label, value = (pair.label, pair.value) if not isinstance(pair, tuple) else pair
            if value is None:
                continue
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(f"{text(label)}:" + (" " if value else "")).bold = True
            if value:
                paragraph.add_run(text(value))
            else:
                paragraph.paragraph_format.keep_with_next = True  # a label above its list

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.doc.add_paragraph(text(item), style="List Bullet")

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str | None]],
        right: Sequence[int] = (),
        total: tuple[str, ...] | None = None,
        strong: Callable[[int], bool] = lambda _: False,
        first_bold: bool = False,
        widths: Sequence[float] = (),
    ) -> Table:
        """A Word table across the text width, its columns in proportion to `widths` (equal
        without): a shaded header row that repeats on each page, the columns numbered in `right`
        right-aligned, rows with `strong(i)` in bold, and an optional shaded total row (its first
        cell spanning every column but those it fills)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Emu, Pt

        count = len(rows) + 1 + (1 if total else 0)
        table: Table = self.doc.add_table(rows=count, cols=len(head))
        table.autofit = False
        _borders(table)
        weights = list(widths) or [1.0] * len(head)
        for column, weight in zip(table.columns, weights):
            width = Emu(int(_TEXT_WIDTH * weight / sum(weights)))
            column.width = width
            for cell in column.cells:
                cell.width = width

        def fill(cell: _Cell, value: str | None, column: int, bold: bool) -> None:
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = 0
            if column in right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(text(value))
            run.bold = bold or None
            run.font.size = Pt(9)

        for column, label in enumerate(head):
            cell = table.rows[0].cells[column]
            fill(cell, label, column, True)
            _shade(cell, _BAND)
        for i, row in enumerate(rows):
            for column, value in enumerate(row):
                fill(
                    table.rows[i + 1].cells[column], value, column, strong(i) or (first_bold and column == 0)
                )
        if total:
            cells = table.rows[-1].cells
            span = len(head) - len(total) + 1
            merged = cells[0].merge(cells[span - 1]) if span > 1 else cells[0]
            fill(merged, total[0], 0, True)
            _shade(merged, _BAND)
            for k, value in enumerate(total[1:]):
                column = span + k
                fill(cells[column], value, column, True)
                _shade(cells[column], _BAND)
        _row_flags(table)
        self.doc.add_paragraph().paragraph_format.space_after = 0
        return table

    # --- the title and the contents

    def title(self) -> None:
        from docx.shared import Pt

        self.muted(self.doc.add_paragraph().add_run(self.labels["document"]), Pt(9))
        self.doc.add_heading(text(self.contract.title), 0)
        self.muted(self.doc.add_paragraph().add_run(text(self.contract.reference)), Pt(10))

    def contents(self) -> None:
        """A TOC field holding the section headings until Word updates it (with page numbers)."""
        self.doc.add_paragraph(self.labels["contents"], style="TOC Heading")
        entries = [f"{s.number}. {s.title}" for s in self.contract.sections]
        for i, entry in enumerate(entries):
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.space_after = 0
            if i == 0:
                paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="begin"))
                code = paragraph.add_run()
                instr = _element("w:instrText")
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.text = ' TOC \\o "1-1" \\h \\z \\u '
                code._r.append(instr)
                paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="separate"))
            paragraph.add_run(text(entry))
            if i == len(entries) - 1:
                paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))

    # --- the sections, in the order of the built-in templates

    def section_parties(self) -> None:
        c, labels = self.contract, self.labels
        rows: list[list[str | None]] = [[labels["name"], *(p.name for p in c.parties)]]
        for key in ("contact", "address", "email", "phone", "website"):
            if any(getattr(p, key) for p in c.parties):
                rows.append([labels[key], *(getattr(p, key) or "" for p in c.parties)])
        widths = (1.0, *(2.0 for _ in c.parties))
        self.table(
            ["", *(p.role for p in c.parties)], rows, first_bold=True, strong=lambda i: i == 0, widths=widths
        )
        self.details(c.details)

    def section_term(self) -> None:
        c, labels = self.contract, self.labels
        if c.term_text:
            self.paragraph(c.term_text)
        self.details(
            [
                (labels["start"], c.start),
                (labels["end"], c.end),
                (labels["term"], c.term),
                (labels["renewal"], c.renewal),
            ]
        )

    def section_services(self) -> None:
        labels = self.labels
        for service in self.contract.services:
            self.heading(service.title, 2)
            hours = f"{labels['hours']} ({service.calendar})"
            self.details(
                [
                    (labels["quantity"], service.quantity),
                    (hours, service.hours),
                    (labels["availability"], service.availability),
                ]
            )
            for key, items in (("includes", service.includes), ("excludes", service.excludes)):
                if items:
                    self.details([(labels[key], "")])
                    self.bullets(items)

    def section_hours(self) -> None:
        rows = [[cal.name, cal.summary] for cal in self.contract.calendars]
        self.table([self.labels["calendar"], self.labels["hours"]], rows, first_bold=True, widths=(1, 4))

    def section_priorities(self) -> None:
        c, labels = self.contract, self.labels
        if c.priorities:
            none = labels["none"]
            rows = [
                [
                    p.name,
                    p.title,
                    p.response.summary if p.response else none,
                    p.resolution.summary if p.resolution else none,
                    p.updates.summary if p.updates else none,
                ]
                for p in c.priorities
            ]
            head = ["priority", "description", "response", "resolution", "updates"]
            self.table([labels[k] for k in head], rows, first_bold=True, widths=(0.6, 1.6, 1.3, 1.3, 1.3))
            self.paragraph(c.targets_note, note=True)
        if c.clock:
            self.paragraph(c.clock)

    def section_availability(self) -> None:
        c, labels = self.contract, self.labels
        rows = [[a.service, a.target, a.measured] for a in c.availability]
        head = [labels["service"], labels["target"], labels["measured"]]
        self.table(head, rows, first_bold=True, widths=(1.3, 1, 1.6))
        self.paragraph(c.availability_note, note=True)

    def section_maintenance(self) -> None:
        labels, none = self.labels, self.labels["none"]
        rows = [[w.window, w.calendar or none, w.notice or none] for w in self.contract.maintenance]
        self.table([labels["window"], labels["calendar"], labels["notice"]], rows, widths=(2.5, 1, 1))

    def section_credits(self) -> None:
        credits, labels = self.contract.credits, self.labels
        assert credits is not None
        if credits.tiers:
            rows = [[t.below, t.credit, t.applies_to] for t in credits.tiers]
            head = [labels["below"], labels["credit"], labels["applies_to"]]
            self.table(head, rows, right=(0,), widths=(1, 1.6, 1.6))
        if credits.breaches:
            rows = [[b.target, b.credit] for b in credits.breaches]
            self.table([labels["missed_target"], labels["credit"]], rows, right=(1,), widths=(2.5, 1))
        for sentence in (credits.rule, credits.cap, credits.claim):
            if sentence:
                self.paragraph(sentence)

    def section_fees(self) -> None:
        c, labels, none = self.contract, self.labels, self.labels["none"]
        price = c.price
        if price and price.recurring:
            self.heading(labels["recurring_fees"], 2)
            head = [labels[k] for k in ("service", "quantity", "unit_price", "billed", "per_invoice")]
            rows = [
                [f.service, f.quantity or none, f.unit_price, f.frequency, f.per_invoice]
                for f in price.recurring
            ]
            self.table(head, rows, right=(1, 4), widths=(1.8, 1.3, 1.5, 1.2, 1.1))
            for fee in price.recurring:
                if not fee.tiers:
                    continue
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.keep_with_next = True
                paragraph.add_run(f"{text(fee.tiers_title)}. ").bold = True
                paragraph.add_run(text(fee.tiers_rule))
                band_rows = [[b.units, b.price, b.count or none, b.amount or none] for b in fee.bands]
                volume = fee.tiers == "volume"
                self.table(
                    [fee.band_header or "", fee.price_header or "", labels["units_priced"], labels["amount"]],
                    band_rows,
                    right=(1, 2, 3),
                    widths=(1.6, 1.1, 1, 1.1),
                    total=(labels["per_invoice"], fee.total_count or "", fee.per_invoice),
                    strong=lambda i, fee=fee, volume=volume: volume and fee.bands[i].applies,  # type: ignore[misc]
                )
            if price.increase:
                self.paragraph(price.increase)
        if price and price.one_time:
            self.heading(labels["one_time_fees"], 2)
            self.lines(price.one_time, (labels["one_time_total"], price.one_time_total))
        if price:
            for year in price.years:
                self.heading(year.title, 2)
                self.lines(year.lines, (year.total_label, year.total))
            self.details(
                [(labels["first_month"], price.first_month), (labels["term_total"], price.term_total)]
            )
            if price.increase and not price.recurring:
                self.paragraph(price.increase)
        if c.blocks:
            self.heading(labels["prepaid_hours"], 2)
            head = ["block", "price", "billed", "drawn_by", "unused_hours", "beyond_block"]
            rows = [[b.hours, b.price, b.frequency, b.drawn_by, b.unused, b.beyond] for b in c.blocks]
            widths = (1.1, 1.0, 1.2, 1.1, 1.3, 1.6)
            self.table([labels[k] for k in head], rows, right=(1,), first_bold=True, widths=widths)
            rows = [[d.when, d.hours] for d in c.block_draws]
            self.table([labels["multiplier"], labels["hours_drawn"]], rows, right=(1,), widths=(3, 1.4))
            self.paragraph(c.blocks_note, note=True)

    def lines(self, lines: Sequence[PriceLineView], total: tuple[str, str]) -> None:
        labels = self.labels
        head = [labels["item"], labels["invoices"], labels["per_invoice"], labels["amount"]]
        rows = [[x.description, x.quantity, x.unit_price, x.amount] for x in lines]
        self.table(head, rows, right=(1, 2, 3), total=total, widths=(2.8, 1.0, 1.1, 1.1))

    def section_rates(self) -> None:
        c, labels, none = self.contract, self.labels, self.labels["none"]
        if c.rates:
            rows = [[r.role, r.rate, r.increment or none, r.minimum or none] for r in c.rates]
            head = [labels[k] for k in ("role", "rate", "increment", "minimum")]
            self.table(head, rows, right=(1,), first_bold=True, widths=(1, 1.2, 1.1, 2))
        if c.multipliers:
            rows = [[x.when, x.factor] for x in c.multipliers]
            self.table([labels["multiplier"], labels["factor"]], rows, right=(1,), widths=(3, 0.8))
        if c.charges:
            self.details([(labels["charges"], "")])
            self.details(c.charges)
        if c.rates_note:
            self.paragraph(c.rates_note, note=True)

    def section_payment(self) -> None:
        self.paragraph(self.contract.payment)

    def section_signatures(self) -> None:
        """A signature table: a column for each party, a tall empty row to sign in for each line."""
        from docx.enum.table import WD_ROW_HEIGHT_RULE
        from docx.shared import Pt

        c, labels = self.contract, self.labels
        lines = [labels[k] for k in ("signature", "name", "position", "place_date")]
        rows: list[list[str | None]] = [["", *(p.name for p in c.parties)]]
        rows += [[line, *("" for _ in c.parties)] for line in lines]
        head = ["", *(p.signs_as for p in c.parties)]
        widths = (1.0, *(2.0 for _ in c.parties))
        table = self.table(head, rows, first_bold=True, strong=lambda i: i == 0, widths=widths)
        for row in table.rows[2:]:
            row.height = Pt(30)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


__all__ = ["FIXED_DATE", "Writer", "fixed", "properties", "saved", "text", "write"]
