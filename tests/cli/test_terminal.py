"""Terminal output (sla/cli/terminal.py): one width rule, one table style, and text from an
agreement printed as it is: never read as markup, its control characters shown, not obeyed."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from sla.cli import terminal
from tests.cli import run
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"

#: A title as written in a .sla file, and as it must be printed.
TITLES = {
    "markup": ("Acme [/bold] [red]Support", "Acme [/bold] [red]Support"),
    "escape": ("Acme \\u001b]0;pwned\\u0007 Support\\u001b[2J", "Acme \\x1b]0;pwned\\x07 Support\\x1b[2J"),
}


def _retitle(source: str, kind: str, title: str, with_id: bool = False) -> str:
    """The example `source` with its document's title (and id) replaced."""
    text = (EXAMPLES / source).read_text(encoding="utf-8")
    start = text.index(f'\n{kind} "') + len(kind) + 3
    text = text[:start] + title + text[text.index('"', start) :]
    if with_id:  # compare and evaluate name an offer by its id
        start = text.index('\n  id "') + 7
        text = text[:start] + title + text[text.index('"', start) :]
    return text


@pytest.fixture(params=sorted(TITLES))
def hostile(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A folder of examples whose titles, ids and profile hold markup or escape sequences; the
    text each must print as."""
    written, shown = TITLES[request.param]
    (tmp_path / "calendars.sla").write_text((EXAMPLES / "calendars.sla").read_text(encoding="utf-8"))
    (tmp_path / "worklog.csv").write_text((EXAMPLES / "worklog.csv").read_text(encoding="utf-8"))
    (tmp_path / "managed.sla").write_text(_retitle("managed.sla", "agreement", written, with_id=True))
    (tmp_path / "offer.sla").write_text(
        _retitle("offer-break-fix.sla", "agreement", written + " 2", with_id=True)
    )
    (tmp_path / "break-fix.sla").write_text(_retitle("break-fix.sla", "agreement", written, with_id=True))
    (tmp_path / "profile.sla").write_text(_retitle("profile.sla", "profile", written))
    requirements = _retitle("requirements.sla", "requirements", written)
    (tmp_path / "requirements.sla").write_text(
        requirements.replace('"Kessler 2027 expected workload"', f'"{written}"')
    )
    monkeypatch.chdir(tmp_path)
    return shown


@pytest.mark.parametrize(
    "args",
    [
        ["price", "managed.sla"],
        ["bill", "break-fix.sla", "worklog.csv"],
        ["estimate", "managed.sla", "--profile", "profile.sla", "--years", "20"],
        ["compare", "managed.sla", "offer.sla", "--profile", "profile.sla", "--years", "20"],
        ["evaluate", "requirements.sla", "managed.sla", "offer.sla"],
    ],
    ids=lambda args: args[0],
)
def test_agreement_text_prints_as_it_is(hostile: str, args: list[str]) -> None:
    code, out, err = run(*args)
    assert (code, err) == (0, "")
    assert hostile in out
    assert "\x1b" not in out and "\x07" not in out


def test_visible_writes_out_control_characters_but_tab_and_newline() -> None:
    assert terminal.visible("a\x1b[2Jb\tc\nd\x00\x7f\x9b\r") == "a\\x1b[2Jb\tc\nd\\x00\\x7f\\x9b\\x0d"
    assert terminal.visible("Präzision [bold] €") == "Präzision [bold] €"


def test_the_console_reads_no_markup_and_shows_controls() -> None:
    screen = terminal.console(record=True)
    screen.print("[bold]x[/bold] :thumbs_up: \x1b]0;t\x07")
    table = terminal.table("name", "amount", right=("amount",))
    table.add_row("[/red]\x1b[31m", "1")
    screen.print(table)
    assert terminal.recorded(screen) == (
        "[bold]x[/bold] :thumbs_up: \\x1b]0;t\\x07\nname            amount\n[/red]\\x1b[31m       1\n"
    )


def test_width_is_fixed_off_a_terminal_and_the_terminal_s_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "123")
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert terminal.console().width == terminal.WIDTH
    assert terminal.console(record=True).width == terminal.WIDTH
    monkeypatch.setattr("sys.stdout", Tty())
    assert terminal.console().width == 123


def test_piped_output_does_not_depend_on_the_environment() -> None:
    path = str(EXAMPLES / "managed.sla")
    narrow, wide = run("price", path, env={"COLUMNS": "40"}), run("price", path, env={"COLUMNS": "300"})
    assert narrow == wide
    assert max(len(line) for line in narrow[1].splitlines()) > 80  # whole lines, not folded to 80 columns


def test_one_table_style() -> None:
    table = terminal.table("what", "amount", right=("amount",), header=False, title="t")
    assert table.box is None and table.header_style == "bold" and not table.show_header
    assert [c.justify for c in table.columns] == ["left", "right"]
    assert {c.overflow for c in table.columns} == {"fold"}


def test_a_progress_bar_only_for_a_long_job_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sla.cli.terminal import PROGRESS_FROM, progress

    with progress(PROGRESS_FROM, "simulating years") as advance:  # stderr is no terminal here
        advance(PROGRESS_FROM)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress(PROGRESS_FROM - 1, "simulating years") as advance:  # too short to draw
        advance(PROGRESS_FROM - 1)
    assert capsys.readouterr().err == ""
    with progress(PROGRESS_FROM, "simulating years") as advance:
        advance(PROGRESS_FROM)
    assert "simulating years" in capsys.readouterr().err
