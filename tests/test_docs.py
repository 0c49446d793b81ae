"""Every code block of README.md and docs/ marked runnable (```sh runnable, ```python runnable)
runs as written from the repository root, with the installed `sla` on the PATH."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
_BLOCK = re.compile(r"^```(sh|python) runnable\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str, str]]:
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            line = text[: match.start()].count("\n") + 1
            found.append((f"{doc.relative_to(ROOT)}:{line}", match[1], match[2]))
    return found


def test_the_readme_has_runnable_blocks() -> None:
    assert {where.split(":")[0] for where, _, _ in _blocks()} >= {"README.md"}
    assert {language for _, language, _ in _blocks()} == {"sh", "python"}


@pytest.mark.parametrize(("where", "language", "code"), _blocks(), ids=[b[0] for b in _blocks()])
def test_a_runnable_block_runs(where: str, language: str, code: str) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, "-c", code] if language == "python" else ["bash", "-e", "-c", code]
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    # `sla evaluate` exits 1 when no offer is eligible and `sla comply` with unusable rows: the
    # examples are chosen so that every command here succeeds
    assert done.returncode == 0, f"{where}: {done.stderr[-2000:]}"
