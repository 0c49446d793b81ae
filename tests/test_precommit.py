"""The pre-commit hooks of .pre-commit-hooks.yaml, tried with `pre-commit try-repo` on a scratch
repository: offline (the hooks run the `sla` already installed: here this checkout's, by a
stand-in `sla` first on PATH), and each hook on the .sla files only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def scratch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository holding a broken agreement, a messy one and a text file, and the
    environment to run pre-commit in: this checkout's `sla` first on PATH, and pre-commit's
    cache inside the test's folder."""
    if shutil.which("git") is None:
        pytest.skip("git is needed to try the hooks; it is not installed")
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if inside.stdout.strip() != "true":
        pytest.skip("pre-commit try-repo needs the repository's git checkout, not an unpacked copy")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    sla = bin_ / "sla"
    sla.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m sla "$@"\n', encoding="utf-8")
    sla.chmod(0o755)
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "bad.sla").write_text(
        (DATA / "invalid" / "names-undefined-calendar.sla").read_text(), encoding="utf-8"
    )
    (repo / "messy.sla").write_text('agreement "x" { id "1" }\n', encoding="utf-8")
    (repo / "notes.txt").write_text("calendar ofice { }\n", encoding="utf-8")  # not .sla: left alone
    _git("add", ".", cwd=repo)
    env = {
        **os.environ,
        "PATH": f"{bin_}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "PRE_COMMIT_COLOR": "never",
        # no network: were the hooks to install anything, this would make them fail
        "PIP_NO_INDEX": "1",
        "npm_config_offline": "true",
    }
    return repo, env


def _try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_manifest_is_valid() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = HOOKS.read_text(encoding="utf-8")
    assert "- id: sla-check" in text and "- id: sla-fmt" in text
    assert text.count(r"files: \.sla$") == 2


def test_try_repo_checks_and_formats_the_sla_files(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    done = _try_repo(repo, env)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    check, _, fmt = out.partition("sla fmt..")
    assert "sla check....." in check and "Failed" in check
    assert "bad.sla:5:18: error SLA102: unknown calendar 'ofice'" in check
    assert "notes.txt" not in out
    assert "files were modified by this hook" in fmt
    assert (repo / "messy.sla").read_text(encoding="utf-8") == 'agreement "x" {\n  id "1"\n}\n'
    assert (repo / "notes.txt").read_text(encoding="utf-8") == "calendar ofice { }\n"

    # fixed and formatted, both hooks pass
    (repo / "bad.sla").write_text((repo / "bad.sla").read_text().replace("ofice", "office"), encoding="utf-8")
    _git("add", ".", cwd=repo)
    again = _try_repo(repo, env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("Passed") == 2


# ------------------------------------------------------------------------------------ the workflow

WORKFLOW = ROOT / "docs" / "sla-review.yml"


def _steps(job: str) -> list[dict[str, object]]:
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, object]] = workflow["jobs"][job]["steps"]
    return steps


def test_the_workflow_uploads_sarif_to_code_scanning() -> None:
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    check = workflow["jobs"]["check"]
    assert check["permissions"]["security-events"] == "write"
    runs = " ".join(str(step.get("run", "")) for step in check["steps"])
    assert "sla check --format sarif . > sla.sarif" in runs
    [upload] = [
        s for s in check["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    ]
    assert upload["with"]["sarif_file"] == "sla.sarif" and upload["if"] == "always()"


def test_the_workflow_fails_a_pull_request_that_makes_an_agreement_worse(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The diff job's script, run as the runner runs it (bash -e), on a branch of a scratch
    repository: a worse change to an agreement fails it; a shared calendar is not compared."""
    repo, env = scratch
    [step] = [s for s in _steps("diff") if "sla diff" in str(s.get("run", ""))]
    script = str(step["run"])
    for name in ("managed.sla", "calendars.sla"):
        shutil.copy(ROOT / "examples" / name, repo / name)
    _git("add", ".", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base", cwd=repo)
    _git("branch", "-M", "main", cwd=repo)
    _git("checkout", "-qb", "change", cwd=repo)
    revised = (ROOT / "examples" / "managed-revised.sla").read_text(encoding="utf-8")
    (repo / "managed.sla").write_text(revised, encoding="utf-8")  # a lower credit cap: worse
    calendars = (repo / "calendars.sla").read_text(encoding="utf-8")
    (repo / "calendars.sla").write_text(calendars.replace("hours sat 09:00-12:00", "hours sat 09:00-13:00"))
    _git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "change", cwd=repo)

    def run_step(runner_temp: Path) -> subprocess.CompletedProcess[str]:
        runner_temp.mkdir()
        return subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=repo,
            env={**env, "BASE": "main", "RUNNER_TEMP": str(runner_temp)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    done = run_step(tmp_path / "runner1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "::group::sla diff managed.sla" in done.stdout
    assert re.search(r"^worse +credit cap", done.stdout, re.MULTILINE)
    assert "calendars.sla" not in done.stdout

    # a change only for the better passes
    _git("worktree", "prune", cwd=repo)
    better = (ROOT / "examples" / "managed.sla").read_text(encoding="utf-8").replace("cap 25%", "cap 30%")
    (repo / "managed.sla").write_text(better, encoding="utf-8")
    _git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "better", cwd=repo)
    done = run_step(tmp_path / "runner2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^better +credit cap", done.stdout, re.MULTILINE)
