"""Every ```python and ```sh block of README.md and docs/*.md runs, offline, against the samples.

Each file's blocks run in order in a sandbox folder that links to everything at the top of
the repository (so ``samples/...`` and ``.venv/bin/...`` resolve as from the repository root)
while files the snippets write land in the sandbox. The network is closed by proxies to a dead
port: a snippet that downloads a model fails, as does one naming a command that does not exist.
A shell command may exit with a decision (0, 10, 20, 30) when it is a ``disclosureguard``
command, with N when its comment says ``exit N``, and with 0 otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from docs_blocks import ROOT, RUN, Block, blocks, doc_files, shell_commands

QUICK_START = "scripts/demo\nscripts/test\n"  # checked by test_readme; running it here would recurse
DECISIONS = {0, 10, 20, 30}
DEAD = "http://127.0.0.1:9"


def _runnable(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang in RUN and b.code != QUICK_START]


FILES = [p for p in doc_files() if _runnable(p)]


def _sandbox(tmp: Path) -> Path:
    for entry in ROOT.iterdir():
        if entry.name not in (".git",):
            (tmp / entry.name).symlink_to(entry)
    return tmp


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(PATH=f"{ROOT / '.venv/bin'}:{env.get('PATH', '')}", HTTP_PROXY=DEAD, HTTPS_PROXY=DEAD,
               http_proxy=DEAD, https_proxy=DEAD, ALL_PROXY=DEAD, NO_PROXY="", no_proxy="", PIP_NO_INDEX="1",
               UV_OFFLINE="1", HF_HUB_OFFLINE="1")
    env.pop("DISCLOSUREGUARD_INDEX_KEY", None)
    return env


def _expected(command: str) -> set[int]:
    m = re.search(r"#.*\bexit (\d+)", command)
    if m:
        return {int(m.group(1))}
    first = command.split()[0]
    return DECISIONS if first.endswith("disclosureguard") else {0}


def _run_block(block: Block, cwd: Path) -> list[str]:
    failures = []
    if block.lang == "python":
        script = cwd / f"snippet_{block.line}.py"
        script.write_text(block.code)
        p = subprocess.run([str(ROOT / ".venv/bin/python"), str(script)], cwd=cwd, env=_env(), capture_output=True,
                           text=True, timeout=600)
        if p.returncode != 0 or "Traceback" in p.stderr:
            failures.append(f"{block.where}: python exited {p.returncode}: {p.stderr[-2000:]}")
        return failures
    for command in shell_commands(block.code):
        p = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=_env(), capture_output=True,
                           text=True, timeout=600)
        if p.returncode not in _expected(command) or "command not found" in p.stderr or "Traceback" in p.stderr:
            failures.append(f"{block.where}: `{command}` exited {p.returncode}: {p.stderr[-2000:]}")
    return failures


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_python_and_shell_snippet_runs_offline(path: Path, tmp_path: Path):
    cwd = _sandbox(tmp_path)
    failures = [f for block in _runnable(path) for f in _run_block(block, cwd)]
    assert failures == []


def test_the_snippet_runner_fails_a_missing_command_and_a_download(tmp_path: Path):
    """The runner itself can fail: a command that is not there, and a snippet that reaches the network."""
    cwd = _sandbox(tmp_path)
    missing = Block(ROOT / "README.md", 1, "sh", "disclosureguard-nonexistent scan x\n")
    download = Block(ROOT / "README.md", 2, "python",
                     "import urllib.request\nurllib.request.urlopen('https://pypi.org/simple/', timeout=5)\n")
    assert len(_run_block(missing, cwd)) == 1
    assert len(_run_block(download, cwd)) == 1


def test_policy_examples_in_the_docs_are_valid_policies():
    from disclosureguard.policy import parse_policy

    examples = [b for b in blocks(ROOT / "docs/policy.md") if b.lang == "yaml" and "organisation:" in b.code]
    assert examples
    for block in examples:
        parse_policy(block.code, block.where)
