"""Rendering: golden Markdown and HTML, PDF text, injection in every format, the template
sandbox, locales, determinism, and `sla render` on batches of files."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner

import sla
from sla import model as m
from sla.cli import main
from sla.cli.render import _progress
from sla.diagnostics import SlaError
from sla.render import FORMATS, contract_view, languages, markdown_text, render, renderers_path, typst_string
from tests.conftest import DATA, ROOT, golden

GOLDEN = DATA / "render"
EXAMPLES = ("managed", "break-fix", "block-hours", "managed-plus-tm")


@cache
def example(name: str) -> m.Agreement:
    (agreement,) = sla.load(ROOT / "examples" / f"{name}.sla").agreements
    return agreement


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of spaces and line breaks made one space (no-break
    spaces, as in "1.234,56\xa0€", stay)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return _spaced(" ".join(page.extract_text() for page in reader.pages))


def _spaced(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- golden Markdown and HTML ------------------------------------------------------------------


#: Every example that holds an agreement, each golden in English and German.
EVERY = sorted(p.stem for p in (ROOT / "examples").glob("*.sla") if sla.load(p).agreements)


@pytest.mark.parametrize("locale", ["en", "de"])
@pytest.mark.parametrize("to", ["md", "html"])
@pytest.mark.parametrize("name", EVERY)
def test_golden(name: str, to: str, locale: str) -> None:
    actual = render(example(name), to, locale)
    assert isinstance(actual, str)
    suffix = "" if locale == "en" else f".{locale}"
    assert actual == golden(GOLDEN / f"{name}{suffix}.{to}", actual)


def test_the_module_renders_when_called() -> None:
    import sla.render as module

    assert module(example("break-fix"), "md") == render(example("break-fix"), "md")  # type: ignore[operator]


def test_golden_files_exist() -> None:
    assert sorted(GOLDEN.glob("*.md")) and sorted(GOLDEN.glob("*.html"))
    assert set(EXAMPLES) <= set(EVERY) and len(EVERY) >= 7


def test_builtin_templates_ship_beside_the_package() -> None:
    folder = renderers_path()
    for fmt in FORMATS.values():
        if fmt.template is not None:  # DOCX is written without one
            assert fmt.folder is not None and (folder / fmt.folder / fmt.template).is_file()
    assert set(languages()) >= {"en", "de"}


def test_the_built_in_templates_python_is_shipped_and_current() -> None:
    """Fails after a change to a built-in template or its environment, or an upgrade of Jinja:
    run `python -m sla.templates --regenerate`."""
    from sla import templates
    from sla.render import compiled_ahead

    for env, folder, name in compiled_ahead():
        shipped = templates.compiled_path(folder, name).read_text(encoding="utf-8")
        assert shipped == templates.compiled_text(env, name), (
            "stale: run python -m sla.templates --regenerate"
        )


def test_the_shipped_python_renders_what_jinja_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    from sla import templates
    from sla.render import _environment, compiled_ahead

    agreement = example("managed-plus-tm")
    for env, _, name in compiled_ahead():
        assert env.loader is not None and env.bytecode_cache is not None
        source, filename, _ = env.loader.get_source(env, name)
        checksum = env.bytecode_cache.get_source_checksum(source)
        code = templates._compiled_code(env, name, filename, checksum)
        assert code is not None and code.co_filename == filename  # errors point at the template
        assert templates._compiled_code(env, name, filename, "0" * 40) is None  # another text
    shipped = {to: render(agreement, to, "de") for to in ("md", "html", "typst")}
    monkeypatch.setattr(templates, "_compiled_code", lambda *args: None)
    _environment.cache_clear()
    try:
        assert {to: render(agreement, to, "de") for to in ("md", "html", "typst")} == shipped
    finally:
        _environment.cache_clear()


def test_a_custom_template_is_compiled_not_taken_from_the_shipped_python(tmp_path: Path) -> None:
    (tmp_path / "contract.md.j2").write_text(
        (renderers_path() / "md" / "contract.md.j2").read_text(encoding="utf-8") + "Custom.\n",
        encoding="utf-8",
    )
    text = render(example("managed"), "md", template_dir=tmp_path)
    assert isinstance(text, str) and text.endswith("Custom.\n")


def test_regenerating_the_shipped_python_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sla import templates

    monkeypatch.setattr(templates, "renderers_path", lambda: tmp_path)
    assert templates._main(["--check"]) == 1
    assert templates._main(["--regenerate"]) == 0
    assert templates._main(["--check"]) == 0
    assert sorted(p.name for p in tmp_path.rglob("*.py")) == [
        "contract.html.py",
        "contract.md.py",
        "contract.typ.py",
    ]
    assert templates._main([]) == 2


def test_every_language_has_every_string() -> None:
    def keys(data: object, prefix: str = "") -> set[str]:
        if isinstance(data, dict):
            return {k for key, value in data.items() for k in keys(value, f"{prefix}{key}.")}
        return {prefix}

    english = keys(json.loads((renderers_path() / "locales" / "en.json").read_text(encoding="utf-8")))
    for language in languages():
        path = renderers_path() / "locales" / f"{language}.json"
        found = keys(json.loads(path.read_text(encoding="utf-8")))
        # Regions are names that differ from the holidays library's; each language has its own.
        assert {k for k in found ^ english if not k.startswith("regions.")} == set(), language


# --- content in words --------------------------------------------------------------------------


def test_service_hours_in_words() -> None:
    agreement = sla.loads(
        'agreement "A" {\n provider "P"; customer "C"; model managed; currency EUR; start 2027-01-01; '
        "term 36 months\n renewal 12 months notice 90 days\n"
        ' calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00; holidays DE-BY }\n'
        " service desk { quantity 10 users }\n priority P1 { response 30m; resolution 4h on office }\n"
        " fees { recurring desk 1234.56 monthly }\n}\n"
    ).agreements[0]
    en, de = contract_view(agreement, "en"), contract_view(agreement, "de")
    assert en.calendars[0].summary == (
        "Monday to Friday, 08:00-18:00 Europe/Berlin time, except public holidays in Bavaria"
    )
    assert de.calendars[0].summary == (
        "Montag bis Freitag, 08:00-18:00 Uhr (Zeitzone Europe/Berlin), "
        "außer an gesetzlichen Feiertagen in Bayern"
    )
    assert en.term_text == (
        "The agreement runs for 36 months, renewing for 12 months unless notice is given "
        "90 days before the end of the term. It starts on January 1, 2027, and its term "
        "ends on December 31, 2029."
    )
    assert de.term_text == (
        "Die Vereinbarung läuft 36 Monate; sie verlängert sich um jeweils 12 Monate, wenn "
        "nicht 90 Tage vor ihrem Ablauf gekündigt wird. Sie beginnt am 1. Januar 2027, und "
        "ihre Laufzeit endet am 31. Dezember 2029."
    )
    p1 = en.priorities[0]
    assert p1.resolution is not None and p1.resolution.summary == "4 business hours"
    assert p1.response is not None and p1.response.summary == "30 business minutes on the service's calendar"
    assert en.price is not None and en.price.first_month == "€1,234.56"
    assert de.price is not None and de.price.first_month == "1.234,56\xa0€"


def test_durations_on_24x7_calendars_are_elapsed_time() -> None:
    p1 = contract_view(example("managed")).priorities[0]
    assert p1.response is not None and p1.response.summary == "30 minutes, around the clock"
    assert p1.updates is not None and p1.updates.summary == "every hour, around the clock"


def test_break_fix_reads_as_a_rate_card() -> None:
    view = contract_view(example("break-fix"))
    assert [s.key for s in view.sections][:4] == ["parties", "term", "rates", "priorities"]
    assert view.section["rates"].title == "Rate card" and view.price is None
    assert view.rates[0].minimum == "30 minutes remote and 1 hour on site"
    assert view.priorities[0].response is not None
    assert view.priorities[0].response.summary == "2 business hours on the service's calendar, best effort"


# --- PDF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def managed_pdf() -> bytes:
    data = render(example("managed"), "pdf")
    assert isinstance(data, bytes)
    return data


def test_pdf_holds_the_key_clauses(managed_pdf: bytes) -> None:
    text = pdf_text(managed_pdf)
    for clause in [
        "Kessler Präzisionstechnik Managed IT Services",
        "MSA-2027-031, version 1.2",  # the running header
        "Page 1 of 5",
        "Contents",
        "Alpenwerk IT Services GmbH",
        "36 months, renewing for 12 months unless notice is given 90 days before the end of the term",
        "It starts on April 1, 2027, and its term ends on March 31, 2030.",
        "Monday to Friday, 08:00-12:30 and 13:15-17:30",
        "except public holidays in Bavaria",
        "30 minutes, around the clock",
        "99.9% per calendar month",
        "every Sunday, 02:00-06:00 (Europe/Berlin time)",
        "The credits for one month are capped at 25% of the total monthly fee.",
        "Credits must be claimed within 30 days.",
        "€4,800.00",
        "€113,622.00",
        "€355,458.60",
        "€165.00 per hour",
        "1.75×",
        "Invoices are payable within 30 days",
        "For the customer",
    ]:
        assert clause in text, clause


def test_pdf_is_byte_identical_and_dated_only_when_archival(managed_pdf: bytes) -> None:
    assert render(example("managed"), "pdf") == managed_pdf
    reader = pypdf.PdfReader(io.BytesIO(managed_pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Kessler Präzisionstechnik Managed IT Services"
    # PDF/A needs a date to attach files: Typst's fixed clock, 1970-01-01.
    assert reader.metadata["/CreationDate"] == "D:19700101000000Z"
    plain = render(example("managed"), "pdf", archive=False)
    assert isinstance(plain, bytes) and plain == render(example("managed"), "pdf", archive=False)
    metadata = pypdf.PdfReader(io.BytesIO(plain)).metadata
    assert metadata is not None and "/CreationDate" not in metadata and b"CreateDate" not in plain


def _fonts(data: bytes) -> set[str]:
    """The base names of the fonts a PDF embeds."""
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"].get_object()
        fonts = resources.get("/Font")
        for ref in (fonts.get_object() if fonts is not None else {}).values():
            font = ref.get_object()
            found.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                assert "/FontFile3" in descendant.get_object()["/FontDescriptor"].get_object()  # embedded
    return found


def test_pdfs_embed_subsets_of_the_fonts_built_into_typst_only() -> None:
    """No system font: the same PDF on any machine. Each font is embedded as the subset of the
    glyphs used (the six letters and + before its name)."""
    for name in EXAMPLES:
        for locale in ("en", "de"):
            data = render(example(name), "pdf", locale)
            assert isinstance(data, bytes)
            fonts = _fonts(data)
            assert {re.sub(r"^/[A-Z]{6}\+", "/", f) for f in fonts} <= {
                "/LibertinusSerif-Regular-Identity-H",
                "/LibertinusSerif-Bold-Identity-H",
                "/LibertinusSerif-Italic-Identity-H",
                "/LibertinusSerif-BoldItalic-Identity-H",
            }, fonts
            assert all(re.match(r"/[A-Z]{6}\+", f) for f in fonts)


def test_pdf_is_byte_identical_in_another_process(tmp_path: Path, managed_pdf: bytes) -> None:
    """What a fresh process writes (its own compiler, fonts loaded anew) is what this one made."""
    target = tmp_path / "managed.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "sla", "render", str(ROOT / "examples" / "managed.sla"), "--to", "pdf"]
        + ["-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == managed_pdf


def test_one_typst_compiler_per_process_and_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every contract of a process (of each worker of a batch) is compiled by one compiler, whose
    fonts and standard library are loaded once; another thread has its own."""
    import threading

    from sla.render import _compiler, _new_compiler

    made: list[str] = []

    def counted(folder: str) -> object:
        made.append(folder)
        return _new_compiler(folder)

    monkeypatch.setattr("sla.render._new_compiler", counted)
    for name in ("managed", "break-fix", "block-hours"):
        render(example(name), "pdf")
    assert len(made) <= 1  # none when an earlier test made this thread's
    mine = _compiler()
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(_compiler()))
    thread.start()
    thread.join()
    assert _compiler() is mine and theirs[0] is not mine and len(made) <= 2


def test_pdf_tables_repeat_their_header_on_every_page() -> None:
    priorities = "\n".join(
        f' priority P{i} "Priority number {i}" {{ response 1h; resolution 8h }}' for i in range(1, 81)
    )
    (agreement,) = sla.loads(
        'agreement "Long" {\n provider "P"; customer "C"; model managed; currency EUR; start 2027-01-01\n'
        ' term 12 months\n calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00 }\n'
        f" service desk {{ quantity 1 users }}\n{priorities}\n"
        " fees { recurring desk 1.00 per user monthly }\n}\n"
    ).agreements
    data = render(agreement, "pdf")
    assert isinstance(data, bytes)
    pages = [_spaced(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    holding = [page for page in pages if "Priority number" in page]
    assert len(holding) >= 3
    assert all("Priority Description Response Resolution Updates" in page for page in holding)
    assert sum(page.count("Priority number") for page in holding) == 80  # no row split or lost


def test_text_formats_are_deterministic() -> None:
    for to in ("md", "html", "typst"):
        assert render(example("block-hours"), to, "de") == render(example("block-hours"), to, "de")


def test_pdf_in_german() -> None:
    data = render(example("block-hours"), "pdf", locale="de")
    assert isinstance(data, bytes)
    text = pdf_text(data)
    assert "Seite 1 von" in text and "Vorausbezahlte Stunden" in text
    assert "20 Stunden 1.900,00\xa0£ monatlich Consultant werden 3 Monate übertragen" in text


# --- locales -------------------------------------------------------------------------------------


def test_german_money_dates_numbers_and_labels() -> None:
    md = render(example("managed"), "md", locale="de")
    assert isinstance(md, str)
    assert "355.458,60\xa0€" in md and "€" not in md.replace("\xa0€", "")
    assert "1. April 2027" in md and "99,9\xa0% je Kalendermonat" in md
    assert "## 1. Vertragsparteien" in md and "außer an gesetzlichen Feiertagen in Bayern" in md
    page = render(example("managed"), "html", locale="de_AT")
    assert isinstance(page, str) and '<html lang="de-AT">' in page


def test_other_locales_format_numbers_with_english_words() -> None:
    md = render(example("managed"), "md", locale="fr")
    assert isinstance(md, str)
    assert "## 1. Parties" in md and "355\u202f458,60\xa0€" in md


def test_a_locale_of_a_region_by_number_renders_a_pdf() -> None:
    # es_419 (Latin America): Typst takes two-letter regions only, so the region is left out
    pdf = render(example("break-fix"), "pdf", locale="es_419")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    assert "Parties" in pdf_text(pdf)


def test_unknown_locale() -> None:
    with pytest.raises(ValueError, match="unknown locale 'xx'"):
        render(example("managed"), "md", locale="xx")
    code, _, err = run("render", str(ROOT / "examples" / "managed.sla"), "--locale", "xx")
    assert code == 2 and "unknown locale 'xx'" in err


# --- injection -----------------------------------------------------------------------------------

EVIL = {
    "title": '<script>alert(1)</script> #set page(fill: red) [x] \\ "q" $x^2$ @ref {{ 7*7 }} *b* _i_ ~s~',
    "id": "ID-#1 <b>",
    "version": '1.0 ]) #panic("boom")',
    "provider": "P <img src=x onerror=alert(1)>",
    "customer": "- list | cell",
    "law": '#import "@preview/cetz:0.2.2": * {% raw %}',
    "service": "Desk <u>x</u> [link](http://evil.example) `code`",
    "include": '#strong[bold] \\u{41} \\" end',
    "exclude": "{{ contract.__class__ }} <!-- c -->",
    "priority": "$$ math $$ &amp; :smile: @octocat",
    "status": "Waiting | on > customer",
}


def _sla_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def evil() -> m.Agreement:
    s = {k: _sla_string(v) for k, v in EVIL.items()}
    text = (
        f"agreement {s['title']} {{\n id {s['id']}; version {s['version']}\n"
        f' provider {s["provider"]} {{ website "javascript:alert(1)" }}\n customer {s["customer"]}\n'
        " model managed; currency EUR; start 2027-01-01; term 12 months\n"
        f" governing_law {s['law']}\n"
        ' calendar office { timezone "Europe/Berlin"; hours mon-fri 08:00-18:00 }\n'
        f" service desk {s['service']} {{ quantity 3 users\n  includes {s['include']}\n"
        f"  excludes {s['exclude']}\n }}\n"
        f" priority P1 {s['priority']} {{ response 1h }}\n clock {{ pause when {s['status']} }}\n"
        " fees { recurring desk 1.00 per user monthly }\n}\n"
    )
    (agreement,) = sla.loads(text).agreements
    assert agreement.title == EVIL["title"] and agreement.fees is not None
    return agreement


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html_text(page: str) -> tuple[_Text, str]:
    parser = _Text()
    parser.feed(page)
    return parser, _spaced("".join(parser.text))


def test_injection_html(evil: m.Agreement) -> None:
    page = render(evil, "html")
    assert isinstance(page, str)
    parser, text = _html_text(page)
    assert not {"script", "img", "u", "b"} & set(parser.tags)
    assert not any(h.startswith("javascript") for h in parser.hrefs)
    for value in EVIL.values():
        assert value in text, value


def test_injection_markdown(evil: m.Agreement) -> None:
    from markdown_it import MarkdownIt  # rich's Markdown parser: CommonMark with GFM tables

    source = render(evil, "md")
    assert isinstance(source, str)
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)
    parser, text = _html_text(page)
    assert set(parser.tags) <= {
        "h1",
        "h2",
        "h3",
        "p",
        "ul",
        "li",
        "strong",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    for value in EVIL.values():
        assert value in text, value


def test_injection_typst_source_holds_text_only_in_string_literals(evil: m.Agreement) -> None:
    source = render(evil, "typst")
    assert isinstance(source, str)
    outside = re.sub(r'"(?:[^"\\]|\\.)*"', '""', source)
    for marker in ("<script>", "@preview", "panic", "fill: red", "$x^2$", "@octocat", "strong[bold]", "<img"):
        assert marker not in outside, marker
    assert typst_string(EVIL["title"]) in source


def test_injection_pdf(evil: m.Agreement) -> None:
    data = render(evil, "pdf")
    assert isinstance(data, bytes)
    text = pdf_text(data)
    for value in EVIL.values():
        assert _spaced(value) in text, value
    assert "49" not in text.replace("2049", "")


def test_typst_string_escapes() -> None:
    assert typst_string('a "b" \\ c\nd\te\x00') == '"a \\"b\\" \\\\ c\\nd\\te\\u{0}"'
    assert typst_string("#[]$@<>*_`{}") == '"#[]$@<>*_`{}"'


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("1.2", "1.2"),
        ("a | b", "a \\| b"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("line\nbreak", "line break"),
        ("08:00-18:00", "08:00-18:00"),
        ("&amp; & x", "\\&amp; & x"),
        ("a@b.example", "a\\@\u2060b.example"),
        ("mailto:a.b+c@b.example", "mailto:a.b+c\\@\u2060b.example"),
        ("@octocat, a @ b, foo@", "\\@octocat, a \\@ b, foo\\@"),
        ("https://evil.example/x", "https\\://evil.example/x"),
        ("FTP://x.example", "FTP\\://x.example"),
        ("www.evil.example, WWW.X.EXAMPLE", "www\\.evil.example, WWW\\.X.EXAMPLE"),
        ("---", "\\---"),
        ("- ---", "\\- ---"),
        ("===", "\\==="),
        ("-5 %", "-5 %"),
        ("+44 113 496 0820", "+44 113 496 0820"),
    ],
)
def test_markdown_escapes(text: str, escaped: str) -> None:
    assert markdown_text(text) == escaped


GITHUB_LINKS = (
    "see https://evil.example/x, ftp://evil.example, www.evil.example and WWW.evil.example",
    "mail a.b+c@evil.example, mailto:x@evil.example or xmpp:x@evil.example/r",
)


def test_markdown_shows_addresses_and_rules_as_text_on_github() -> None:
    """GitHub (cmark-gfm) links bare URLs, www. hosts and e-mail addresses, and reads a `---`
    item as a rule: the escaped text is none of these, in a list item, a paragraph or a cell."""
    cmarkgfm = pytest.importorskip("cmarkgfm")
    for text in (*GITHUB_LINKS, "---", "- ---", "==="):
        value = markdown_text(text)
        source = f"- {value}\n\nparagraph\n{value}\n\n| a |\n|---|\n| {value} |\n"
        page = cmarkgfm.github_flavored_markdown_to_html(source)
        assert "<a " not in page and "<hr" not in page and "<h1" not in page, text
        _, shown = _html_text(page)
        assert shown.replace("\u2060", "").count(_spaced(text)) == 3, text
    for name in EXAMPLES:
        page = cmarkgfm.github_flavored_markdown_to_html(str(render(example(name), "md")))
        assert "<a " not in page and "<hr" not in page


# --- the template sandbox ------------------------------------------------------------------------


def _template(tmp_path: Path, body: str, name: str = "contract.md.j2") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__'"),
        ("{{ contract.section.clear() }}", "unsafe"),
        ("{{ contract.__class__.__init__.__globals__ }}", "unsafe"),
    ],
)
def test_sandbox_keeps_python_out_of_reach(tmp_path: Path, body: str, message: str) -> None:
    folder = _template(tmp_path, "{{ contract.title }}\n" + body + "\n")
    with pytest.raises(SlaError) as caught:
        render(example("break-fix"), "md", template_dir=folder)
    (d,) = caught.value.diagnostics
    assert d.code == "SLA401" and message in d.message
    assert d.span is not None and d.span.line == 2 and d.span.file == str(folder / "contract.md.j2")


def test_sandbox_from_the_command_line(tmp_path: Path) -> None:
    folder = _template(tmp_path, "{{ ''.__class__.__mro__ }}\n")
    code, out, err = run("render", str(ROOT / "examples" / "break-fix.sla"), "--template", str(folder))
    assert code == 1 and out == ""
    assert "SLA401" in err and "unsafe" in err and "Traceback" not in err
    assert "rendered 0, failed 1" in err


def test_undefined_values_are_errors(tmp_path: Path) -> None:
    folder = _template(tmp_path, "{{ contract.title }} {{ contract.no_such_field }}\n")
    with pytest.raises(SlaError, match="undefined value: 'sla.render.Contract object' has no attribute"):
        render(example("break-fix"), "md", template_dir=folder)


def test_custom_template_sees_the_documented_context(tmp_path: Path) -> None:
    body = (
        "{{ contract.title }}|{{ contract.reference }}|{{ labels.section_parties }}|{{ locale }}|"
        "{{ format }}|{% for s in contract.sections %}{{ s.number }}{{ s.key }} {% endfor %}\n"
    )
    folder = _template(tmp_path, body, "contract.html.j2")
    page = render(example("block-hours"), "html", locale="de", template_dir=folder)
    assert page == (
        "Marlow Bennett Architects Support Retainer|RET-2027-007, Version 2.0|Vertragsparteien|"
        "de|html|1parties 2term 3services 4hours 5priorities 6maintenance 7fees 8rates 9payment "
        "10signatures "
    )


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    folder = _template(tmp_path, "ok\n{% if %}\n")
    with pytest.raises(SlaError) as caught:
        render(example("break-fix"), "md", template_dir=folder)
    (d,) = caught.value.diagnostics
    assert d.code == "SLA401" and d.span is not None and d.span.line == 2
    code, _, err = run("render", str(ROOT / "examples" / "break-fix.sla"), "--template", str(folder))
    assert code == 1 and "contract.md.j2:2:1: error SLA401: the template does not parse" in err


def test_pdf_templates_may_not_name_packages(tmp_path: Path) -> None:
    body = '#import "@preview/cetz:0.2.2": canvas\n{{ contract.title }}\n'
    folder = _template(tmp_path, body, "contract.typ.j2")
    with pytest.raises(SlaError, match="may not use the package '@preview/cetz:'") as caught:
        render(example("break-fix"), "pdf", template_dir=folder)
    assert caught.value.diagnostics[0].span is not None and caught.value.diagnostics[0].span.line == 1


def test_typst_errors_are_diagnostics(tmp_path: Path) -> None:
    folder = _template(tmp_path, "#let x = (\n", "contract.typ.j2")
    with pytest.raises(SlaError) as caught:
        render(example("break-fix"), "pdf", template_dir=folder)
    assert caught.value.diagnostics[0].code == "SLA402"


def test_custom_typst_template_writes_values_as_literals(tmp_path: Path) -> None:
    folder = _template(tmp_path, "#{{ contract.title }} #{{ contract.price }}\n", "contract.typ.j2")
    with pytest.raises(SlaError, match="a PriceView cannot be written into Typst source"):
        render(example("managed"), "typst", template_dir=folder)
    body = (
        "#{{ contract.title }} #{{ contract.services | length }} #{{ contract.id is none }} "
        "#{{ [1.5, none] }}"
    )
    folder = _template(tmp_path / "second", body, "contract.typ.j2")
    source = render(example("managed"), "typst", template_dir=folder)
    assert source == '#"Kessler Präzisionstechnik Managed IT Services" #5 #false #(1.5, none, )'


# --- sla render ----------------------------------------------------------------------------------

EXAMPLE = ROOT / "examples"


def test_one_agreement_is_printed() -> None:
    code, out, err = run("render", str(EXAMPLE / "managed.sla"), "--to", "md")
    assert code == 0 and err == ""
    assert out == render(example("managed"), "md")


def test_one_agreement_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "contract.html"
    code, _, err = run("render", str(EXAMPLE / "break-fix.sla"), "--to", "html", "-o", str(target))
    assert code == 0 and "rendered 1, failed 0" in err
    assert target.read_text(encoding="utf-8") == render(example("break-fix"), "html")


def test_pdf_beside_its_source_and_to_stdout(tmp_path: Path) -> None:
    source = tmp_path / "retainer.sla"
    shutil.copy(EXAMPLE / "block-hours.sla", source)
    code, _, _ = run("render", str(source), "--to", "pdf")
    assert code == 0
    written = (tmp_path / "retainer.pdf").read_bytes()
    assert written == render(example("block-hours"), "pdf")
    result = CliRunner().invoke(main, ["render", str(source), "--to", "pdf", "-o", "-"])
    assert result.exit_code == 0 and result.stdout_bytes == written


def test_several_agreements_in_one_file(tmp_path: Path) -> None:
    text = (EXAMPLE / "break-fix.sla").read_text(encoding="utf-8")
    second = text.replace('"BF-2027-0112"', '"BF-2027-0113"').replace("Family Dental Pay", "Pay")
    (tmp_path / "two.sla").write_text(text + "\n" + second, encoding="utf-8")
    code, out, err = run("render", str(tmp_path / "two.sla"), "--to", "md")
    assert code == 0 and out == "" and "rendered 2, failed 0" in err
    assert (tmp_path / "two-BF-2027-0112.md").is_file() and (tmp_path / "two-BF-2027-0113.md").is_file()
    code, _, err = run("render", str(tmp_path / "two.sla"), "-o", str(tmp_path / "one.md"))
    assert code == 1 and "holds 2 agreements; give -o a folder" in err


BROKEN = 'agreement "Broken" {\n  provider "P"\n  currency EURO\n}\n'
UNPRICED = (
    'agreement "No term" {\n provider "P"; customer "C"; model break_fix\n currency EUR; '
    "start 2027-01-01\n fees { rate engineer 100.00 per hour }\n}\n"
)


def test_batch_reports_a_broken_file_and_renders_the_rest(tmp_path: Path) -> None:
    src = tmp_path / "contracts"
    (src / "team").mkdir(parents=True)
    for name in ("managed", "break-fix", "calendars"):
        shutil.copy(EXAMPLE / f"{name}.sla", src / f"{name}.sla")
    shutil.copy(EXAMPLE / "block-hours.sla", src / "team" / "block-hours.sla")
    (src / "broken.sla").write_text(BROKEN, encoding="utf-8")
    (src / "unpriced.sla").write_text(UNPRICED, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run("render", str(src), "--to", "html", "-o", str(out), "--jobs", "2")
    assert code == 1 and stdout == ""
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "break-fix.html",
        "managed.html",
        "team",
        "team/block-hours.html",
    ]
    assert f"{src / 'broken.sla'}: line 3, column 12: error SLA004" in err
    assert f"{src / 'unpriced.sla'}: line 1, column 1: error SLA202: the agreement states no term" in err
    assert f"{src / 'calendars.sla'}: holds no agreement; skipped" in err
    assert err.rstrip().endswith("rendered 3, failed 2, skipped 1")
    assert "Traceback" not in err
    assert (out / "managed.html").read_text(encoding="utf-8") == render(example("managed"), "html")


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, drawn in ((io.StringIO(), False), (Terminal(), True)):
        monkeypatch.setattr(sys, "stderr", stream)
        with _progress(3) as (advance, report):
            advance()
            report("a.sla: error SLA004: [not markup]")
            advance()
            advance()
        text = stream.getvalue()
        assert "a.sla: error SLA004: [not markup]" in text
        assert ("rendering" in text) is drawn


def test_batch_lines_show_control_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    with _progress(3) as (_, report):
        report("a\x1b]0;pwned\x07.sla: error SLA004: \x9b2J")
    assert stream.getvalue() == "a\\x1b]0;pwned\\x07.sla: error SLA004: \\x9b2J\n"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    managed, other = str(EXAMPLE / "managed.sla"), str(EXAMPLE / "break-fix.sla")
    assert run("render", managed, "--to", "rtf")[0] == 2
    assert run("render", str(tmp_path / "missing.sla"))[0] == 2
    assert run("render", managed, "--jobs", "0")[0] == 2
    code, _, err = run("render", managed, "--template", str(tmp_path))
    assert code == 2 and "holds no contract.md.j2" in err
    code, _, err = run("render", managed, "--template", str(tmp_path / "nowhere"))
    assert code == 2 and "no such folder" in err
    code, _, err = run("render", managed, other, "-o", "-")
    assert code == 2 and "give -o a folder" in err
    (tmp_path / "file.txt").write_text("x")
    code, _, err = run("render", managed, other, "-o", str(tmp_path / "file.txt"))
    assert code == 2 and "is a file" in err


def test_the_command_gives_the_garbage_collector_back_as_it_was(tmp_path: Path) -> None:
    """sla render freezes what it loads (see `_kept_for_good`); a caller that goes on after the
    command, as these tests do, gets its collector back enabled and unfrozen, even on an error."""
    import gc

    frozen = gc.get_freeze_count()
    assert run("render", str(EXAMPLE / "managed.sla"), "--to", "md")[0] == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    (tmp_path / "contract.md.j2").write_text("{% if %}\n", encoding="utf-8")
    assert run("render", str(EXAMPLE / "managed.sla"), "--template", str(tmp_path))[0] == 1
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_same_names_from_two_folders_are_refused(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(EXAMPLE / "break-fix.sla", tmp_path / sub / "x.sla")
    code, _, err = run(
        "render", str(tmp_path / "a" / "x.sla"), str(tmp_path / "b" / "x.sla"), "-o", str(tmp_path / "o")
    )
    assert code == 2 and "would both be written to" in err


# --- the benchmark -------------------------------------------------------------------------------


def test_benchmark_runs_without_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # as when the script runs: its folder first
    spec = importlib.util.spec_from_file_location("bench_render", ROOT / "bench" / "render.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(bench, "weasyprint_module", lambda: None)
    result = bench.bench(1)
    assert set(result["contracts"]) == set(EXAMPLES) and "aims" not in result
    assert all(c["typst"]["best"] > 0 and c["pdf_bytes"] > 10_000 for c in result["contracts"].values())
    assert "WeasyPrint not installed" in bench.table(result)
