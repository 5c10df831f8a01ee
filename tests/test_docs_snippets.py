"""Every ```python and ```sh block of README.md and docs/*.md runs, offline, against the samples.

Each file's blocks run in order in a sandbox folder that links to everything at the top of
the repository (so ``samples/...`` and ``.venv/bin/...`` resolve as from the repository root)
while files the snippets write land in the sandbox. A shell command may exit with a decision
(0, 10, 20, 30) when it is a ``disclosureguard`` command, with N when its comment says
``exit N``, and with 0 otherwise.

The snippets run in this process: a ``disclosureguard`` command line (alone, fed by ``echo``
or sent to ``/dev/null``) through click's CliRunner, a Python block as a script, both sharing
the session's loaded language model; a new process per snippet would add only the
interpreter's start and the model's load (seconds each). Every other shell line (pipes into
``grep``, commands the shell must find) runs in bash. While a snippet runs, the network is
closed: a connection or a name lookup from this process fails, and proxies to a dead port
stand in the environment for the processes it starts. The process itself (its exit status as
the shell sees it, a scan with no network interface at all, a clean stderr) is tested on the
installed command in test_cli_scan.py and test_leak_input_names.py.
"""

from __future__ import annotations

import io
import os
import re
import runpy
import shlex
import socket
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from cli_run import run_cli
from docs_blocks import ROOT, RUN, Block, blocks, doc_files, shell_commands

QUICK_START = "scripts/demo\nscripts/test\n"  # checked by test_readme; running it here would recurse
DECISIONS = {0, 10, 20, 30}
DEAD = "http://127.0.0.1:9"
OFFLINE_ENV = {"HTTP_PROXY": DEAD, "HTTPS_PROXY": DEAD, "http_proxy": DEAD, "https_proxy": DEAD, "ALL_PROXY": DEAD,
               "NO_PROXY": "", "no_proxy": "", "PIP_NO_INDEX": "1", "UV_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
COMMANDS = ("disclosureguard", ".venv/bin/disclosureguard")
SHELL = {"|", "||", "&&", ";", "&", ">", ">>", "<", "2>", "2>&1", "&>"}


def _runnable(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang in RUN and b.code != QUICK_START]


FILES = [p for p in doc_files() if _runnable(p)]


# --- the network, closed while a snippet runs in this process -------------------------------

_closed = False
_LOCAL = {"localhost", "127.0.0.1", "::1", None}


def _refuse_the_network(event: str, args: tuple[Any, ...]) -> None:
    if not _closed:
        return
    if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        raise OSError(f"the network is closed to documentation snippets (connect to {args[1]!r})")
    if event == "socket.getaddrinfo" and args[0] not in _LOCAL:
        raise OSError(f"the network is closed to documentation snippets (lookup of {args[0]!r})")


sys.addaudithook(_refuse_the_network)  # an audit hook cannot be removed: it only acts while _closed


@contextmanager
def _offline() -> Iterator[None]:
    global _closed
    _closed = True
    try:
        yield
    finally:
        _closed = False


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder linking to the repository's top level, made the working folder, with the
    environment of an offline machine (inherited by any process a snippet starts)."""
    for entry in ROOT.iterdir():
        if entry.name not in (".git",):
            (tmp_path / entry.name).symlink_to(entry)
    monkeypatch.chdir(tmp_path)
    for name, value in OFFLINE_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PATH", f"{ROOT / '.venv/bin'}:{os.environ.get('PATH', '')}")
    monkeypatch.delenv("DISCLOSUREGUARD_INDEX_KEY", raising=False)
    return tmp_path


# --- running one block ----------------------------------------------------------------------

def _expected(command: str) -> set[int]:
    m = re.search(r"#.*\bexit (\d+)", command)
    if m:
        return {int(m.group(1))}
    first = command.split()[0]
    return DECISIONS if first.endswith("disclosureguard") else {0}


def cli_line(command: str) -> tuple[list[str], str | None] | None:
    """The arguments and standard input of ``[echo WORDS |] disclosureguard ARGS [> /dev/null]``,
    or None for any other shell line (bash runs those)."""
    try:
        tokens = shlex.split(command, comments=True)
    except ValueError:
        return None
    stdin = None
    if tokens[:1] == ["echo"] and tokens.count("|") == 1:
        bar = tokens.index("|")
        stdin, tokens = " ".join(tokens[1:bar]) + "\n", tokens[bar + 1:]
    if tokens[-2:] == [">", "/dev/null"]:
        tokens = tokens[:-2]
    if not tokens or tokens[0] not in COMMANDS or any(t in SHELL or "$" in t or "*" in t for t in tokens):
        return None
    return tokens[1:], stdin


def _run_command_here(command: str, args: list[str], stdin: str | None) -> str | None:
    try:
        ran = run_cli(*args, stdin=stdin)
    except Exception:
        return f"`{command}` raised: {traceback.format_exc()[-2000:]}"
    if ran.returncode not in _expected(command) or "Traceback" in ran.stderr:
        return f"`{command}` exited {ran.returncode}: {ran.stderr[-2000:]}"
    return None


def _run_command_in_bash(command: str, cwd: Path) -> str | None:
    p = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True,
                       timeout=600)
    if p.returncode not in _expected(command) or "command not found" in p.stderr or "Traceback" in p.stderr:
        return f"`{command}` exited {p.returncode}: {p.stderr[-2000:]}"
    return None


def _run_python_here(script: Path) -> str | None:
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            runpy.run_path(str(script), run_name="__main__")
    except SystemExit as e:
        if e.code not in (0, None):
            return f"python exited {e.code}: {err.getvalue()[-2000:]}"
    except Exception:
        return f"python raised: {traceback.format_exc()[-2000:]}"
    if "Traceback" in err.getvalue():
        return f"python printed a Traceback: {err.getvalue()[-2000:]}"
    return None


def _run_block(block: Block, cwd: Path) -> list[str]:
    """The failures of one block, run in ``cwd`` (the working folder) with the network closed."""
    failures: list[str | None] = []
    if block.lang == "python":
        script = cwd / f"snippet_{block.line}.py"
        script.write_text(block.code)
        with _offline():
            failures.append(_run_python_here(script))
    else:
        for command in shell_commands(block.code):
            line = cli_line(command)
            if line is None:
                failures.append(_run_command_in_bash(command, cwd))
                continue
            with _offline():
                failures.append(_run_command_here(command, *line))
    return [f"{block.where}: {f}" for f in failures if f is not None]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_python_and_shell_snippet_runs_offline(path: Path, sandbox: Path):
    failures = [f for block in _runnable(path) for f in _run_block(block, sandbox)]
    assert failures == []


def test_the_snippet_runner_fails_a_missing_command_a_download_and_a_failing_command(sandbox: Path):
    """The runner itself can fail: a command that is not there, a snippet that reaches the
    network (through the proxies or around them), and a command exiting with no decision."""
    missing = Block(ROOT / "README.md", 1, "sh", "disclosureguard-nonexistent scan x\n")
    download = Block(ROOT / "README.md", 2, "python",
                     "import urllib.request\nurllib.request.urlopen('https://pypi.org/simple/', timeout=5)\n")
    direct = Block(ROOT / "README.md", 3, "python",
                   "import socket\nsocket.create_connection(('93.184.215.14', 443), timeout=5)\n")
    failing = Block(ROOT / "README.md", 4, "sh", "disclosureguard scan no-such-file.txt --no-model\n")
    wrong_exit = Block(ROOT / "README.md", 5, "sh", "disclosureguard policy check samples/policy.yaml  # exit 30\n")
    for block in (missing, failing, wrong_exit):
        assert len(_run_block(block, sandbox)) == 1, block.code
    for block in (download, direct):  # refused here, not merely unreachable from this machine
        failures = _run_block(block, sandbox)
        assert len(failures) == 1 and "the network is closed" in failures[0], failures


def test_a_documented_command_line_is_run_here_and_a_shell_pipeline_in_bash():
    assert cli_line('echo "a long password" | disclosureguard desk user add alice --password-stdin') == (
        ["desk", "user", "add", "alice", "--password-stdin"], "a long password\n")
    assert cli_line(".venv/bin/disclosureguard scan x.rtf --no-model   # exit 30") == (["scan", "x.rtf", "--no-model"],
                                                                                        None)
    assert cli_line("disclosureguard batch letters --out sweep > /dev/null") == (["batch", "letters", "--out", "sweep"],
                                                                                None)
    assert cli_line('pdftotext report.pdf - | grep -c "Seaview Terrace"') is None
    assert cli_line("disclosureguard scan letters/*.txt") is None
    assert cli_line("disclosureguard scan x.txt | tee out.txt") is None


def test_policy_examples_in_the_docs_are_valid_policies():
    from disclosureguard.policy import parse_policy

    examples = [b for b in blocks(ROOT / "docs/policy.md") if b.lang == "yaml" and "organisation:" in b.code]
    assert examples
    for block in examples:
        parse_policy(block.code, block.where)
