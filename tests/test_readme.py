"""The README and docs/ stand alone: the Quick start, every command documented and every
documented command and option real (both directions), and no pointer outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from disclosureguard.cli.main import cli
from disclosureguard.cli.reference import commands, reference
from docs_blocks import ROOT, doc_files, invocations

README = (ROOT / "README.md").read_text()


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quick start\s+```sh\n(.*?)```", README, re.S)
    assert block is not None
    commands_ = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands_ == ["scripts/demo", "scripts/test"]
    assert "scripts/test" in (ROOT / ".ci/run").read_text()
    for script in commands_:
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"


def test_the_readme_has_quick_start_what_it_does_the_four_ways_in_then_reference():
    headings = re.findall(r"(?m)^##+ (.+)$", README)
    order = ["Quick start", "What it does", "Four ways in", "The library", "The command line", "The mail hook",
             "The batch sweep", "Reference"]
    assert [h for h in headings if h in order] == order


def test_the_cli_reference_is_generated_from_the_commands():
    """Registered → documented: docs/cli.md is exactly what the command tree generates."""
    assert (ROOT / "docs/cli.md").read_text() == reference(), (
        "docs/cli.md is stale: run .venv/bin/python -m disclosureguard.cli.reference --write docs/cli.md")


def test_every_command_has_help_with_an_example_or_is_a_group():
    for path, command in commands():
        assert command.help, " ".join(path)
        if not isinstance(command, click.Group) and path[1] in ("scan", "index", "policy", "batch", "milter"):
            assert "Example" in (command.help or "") + (command.epilog or ""), " ".join(path)


def _resolve(tokens: list[str]) -> tuple[click.Command, list[str], list[str]]:
    command: click.Command = cli
    names = ["disclosureguard"]
    rest = list(tokens)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.commands.get(rest[0])
        if sub is None:
            break
        names.append(rest.pop(0))
        command = sub
    return command, names, rest


def _options(command: click.Command) -> set[str]:
    opts = {"--help"}
    for param in command.params:
        if getattr(param, "hidden", False):  # an old spelling kept only to name the new one
            continue
        opts.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
    return opts


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_documented_command_and_option_exists(path: Path):
    """Documented → registered: each ``disclosureguard ...`` written in the docs runs that command."""
    wrong = []
    for line, tokens in invocations(path):
        command, names, rest = _resolve(tokens)
        if isinstance(command, click.Group) and rest and re.fullmatch(r"[a-z][a-z-]*", rest[0]):
            wrong.append(f"{line}: no command {' '.join(names)} {rest[0]}")
            continue
        for token in rest:
            if token.startswith("--") and token.split("=")[0] not in _options(command):
                wrong.append(f"{line}: {' '.join(names)} has no option {token.split('=')[0]}")
    assert wrong == []


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_point_only_inside_the_repository(path: Path):
    text = path.read_text()
    assert "shared/spec" not in text
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (path.parent / target).exists(), f"{path.name}: link to missing {target}"


def test_index_build_is_documented_where_cases_are():
    assert "disclosureguard index build" in (ROOT / "docs/case-file.md").read_text()
    assert "index build CASES... -o INDEX" in (ROOT / "docs/case-file.md").read_text()
