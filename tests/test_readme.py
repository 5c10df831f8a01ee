"""The README documents what a person runs: the two Quick start commands and every CLI command."""

from __future__ import annotations

import re
from pathlib import Path

import click

from disclosureguard.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "disclosureguard") -> list[str]:
    out = []
    for name, command in group.commands.items():
        out.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix} {name}"))
    return out


def test_every_command_is_documented_in_the_readme():
    missing = [c for c in _commands(cli) if c not in README]
    assert missing == []


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quick start\s+```sh\n(.*?)```", README, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["scripts/demo", "scripts/test"]
    assert "scripts/test" in (ROOT / ".ci/run").read_text()
    for script in commands:
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
