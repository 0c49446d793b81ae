"""Colours .sla files as an editor does, with the TextMate grammar (editors/sla.tmLanguage.json)
and the tokenizer VS Code uses (vscode-textmate with vscode-oniguruma, under node), as HTML -
and, with headless Chromium, as a picture:

    python editors/preview.py examples/managed.sla --lines 1-60 --html out.html
    python editors/preview.py examples/managed.sla --lines 24-40,84-93,118-153 --png docs/editors-colouring.png

npm installs the two node packages once, into sla's test cache outside the repository
($XDG_CACHE_HOME/sla-tests/textmate); tests/test_editors.py tokenizes the examples the same way.
The colours are those of VS Code's Dark+ theme for the scopes the grammar gives.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRAMMAR = HERE / "sla.tmLanguage.json"
NODE_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sla-tests" / "textmate"
NODE_PACKAGES = ("vscode-textmate@9", "vscode-oniguruma@2")

TOKENIZE = r"""
const fs = require('fs');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const [grammarPath, ...files] = process.argv.slice(2);
(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.sla'
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar('source.sla');
  const out = {};
  for (const file of files) {
    let state = vsctm.INITIAL;
    const tokens = [];
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const result = grammar.tokenizeLine(line, state);
      for (const t of result.tokens) tokens.push([i + 1, t.startIndex, t.endIndex, t.scopes]);
      state = result.ruleStack;
    });
    out[file] = tokens;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""

Token = tuple[int, int, int, list[str]]


class NoNode(RuntimeError):
    """node or npm is missing, or npm could not install the packages: the reason in words."""


def node_packages() -> Path:
    """The folder where vscode-textmate and vscode-oniguruma are installed (by npm, once)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise NoNode("node and npm are needed to tokenize with vscode-textmate; they are not installed")
    modules = NODE_CACHE / "node_modules"
    if not all((modules / p.split("@")[0] / "package.json").is_file() for p in NODE_PACKAGES):
        NODE_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(NODE_CACHE),
                "--no-audit",
                "--no-fund",
                "--no-save",
                *NODE_PACKAGES,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise NoNode(f"npm could not install {' and '.join(NODE_PACKAGES)} (offline?): {last}")
    return NODE_CACHE


def tokenize(files: list[Path], grammar: Path = GRAMMAR) -> dict[str, list[Token]]:
    """Each file's tokens, by its name: (line, start, end, scopes), columns 0-based as in JS."""
    folder = node_packages()
    script = folder / "tokenize.js"
    script.write_text(TOKENIZE, encoding="utf-8")
    done = subprocess.run(
        ["node", str(script), str(grammar), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"tokenizing failed: {done.stderr}")
    found: dict[str, list[Token]] = {}
    for name, tokens in json.loads(done.stdout).items():
        found[Path(name).name] = [(t[0], t[1], t[2], list(t[3])) for t in tokens]
    return found


# VS Code's Dark+ colours for the scopes the grammar gives; the longest matching prefix wins.
THEME = {
    "comment": "#6A9955",
    "string": "#CE9178",
    "constant.character.escape": "#D7BA7D",
    "keyword": "#C586C0",
    "keyword.other": "#569CD6",
    "keyword.operator": "#D4D4D4",
    "storage.type": "#569CD6",
    "entity.name.type": "#4EC9B0",
    "variable.other": "#9CDCFE",
    "constant.language": "#569CD6",
    "constant.numeric": "#B5CEA8",
    "constant.numeric.money": "#E5C07B",
    "constant.other.currency": "#E5C07B",
    "constant.numeric.date": "#D16969",
    "constant.numeric.time": "#D16969",
    "constant.numeric.duration": "#4FC1FF",
}
BACKGROUND, FOREGROUND, GUTTER = "#1E1E1E", "#D4D4D4", "#858585"


def colour(scopes: list[str]) -> str | None:
    for scope in reversed(scopes):
        best = max((k for k in THEME if scope == k or scope.startswith(k + ".")), key=len, default=None)
        if best is not None:
            return THEME[best]
    return None


def to_html(path: Path, tokens: list[Token], ranges: list[tuple[int, int]]) -> str:
    """The lines of `ranges` (FIRST, LAST), coloured, as a page that looks like an editor's."""
    lines = path.read_text(encoding="utf-8").split("\n")
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        by_line.setdefault(token[0], []).append(token)
    rows = []
    for first, last in ranges:
        if rows:
            rows.append('<span class="n">   ⋮</span>')
        for number in range(first, min(last, len(lines)) + 1):
            text = lines[number - 1]
            spans = []
            for _, start, end, scopes in by_line.get(number, []):
                piece = html.escape(text[start:end])
                found = colour(scopes)
                spans.append(f'<span style="color:{found}">{piece}</span>' if found else piece)
            rows.append(f'<span class="n">{number:>4}</span>  {"".join(spans)}')
    body = "\n".join(rows)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(path.name)}</title>
<style>
body {{ margin: 0; background: {BACKGROUND}; }}
.tab {{ font: 13px system-ui, sans-serif; color: #FFFFFF; background: {BACKGROUND};
        padding: 8px 16px; border-bottom: 1px solid #333; }}
pre {{ margin: 0; padding: 10px 0; color: {FOREGROUND};
       font: 14px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }}
.n {{ color: {GUTTER}; }}
</style></head>
<body><div class="tab">{html.escape(path.name)}</div><pre>{body}</pre></body></html>
"""


def screenshot(page: Path, picture: Path, lines: int) -> None:
    browser = next(
        (shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )
    if browser is None:
        raise SystemExit("headless Chromium is needed for --png (apt-get install chromium)")
    height = 40 + 20 + int(lines * 14 * 1.45) + 8
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--window-size=1000,{height}",
            f"--screenshot={picture}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--lines", default="1-60", help="FIRST-LAST[,FIRST-LAST...] (default 1-60)")
    parser.add_argument("--html", type=Path, help="write the HTML here")
    parser.add_argument("--png", type=Path, help="write a screenshot here (headless Chromium)")
    args = parser.parse_args()
    ranges = []
    for part in args.lines.split(","):
        first, _, last = part.partition("-")
        ranges.append((int(first), int(last or first)))
    try:
        tokens = tokenize([args.file])[args.file.name]
    except NoNode as exc:
        raise SystemExit(str(exc)) from None
    page = to_html(args.file, tokens, ranges)
    if args.html:
        args.html.write_text(page, encoding="utf-8")
    if args.png:
        shown = sum(last - first + 1 for first, last in ranges) + len(ranges) - 1
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "page.html"
            target.write_text(page, encoding="utf-8")
            screenshot(target, args.png.resolve(), shown)
    if not args.html and not args.png:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
