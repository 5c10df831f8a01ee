"""The CLI reference (docs/cli.md), generated from the click command tree.

Generated rather than written so that it can list no command or option that does not exist,
and miss none that does: ``python -m disclosureguard.cli.reference --write docs/cli.md``
rewrites it, and a test fails when the file and the tree disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .main import cli

WIDTH = 88

INTRO = """\
# The command line

<!-- Generated from the click commands by `python -m disclosureguard.cli.reference --write docs/cli.md`;
     do not edit by hand: tests/test_cli_reference.py fails when this file and the commands disagree. -->

`disclosureguard COMMAND --help` prints the same text as below.

- **Recipients** of `scan` and `redact`: `--to` (repeatable; commas separate several; RFC 5322
  addresses with or without a display name, `'Mark Jones <mjones@example.net>'`) if given;
  otherwise an email's own To, Cc and Bcc; otherwise, for a letter, the addressee read from
  the letter and matched to a case person. A `--to` that is not an address (`Mark Jones`,
  `mjones`, `mjones@@example.net`, an empty string) is a usage error: exit 2, one line naming it.
- **What is scanned.** A path is a document, an `.eml` message, a folder (every file under
  it), or `-` for a message on standard input; `--text FILE|-` scans the text of FILE (or of
  standard input) as a plain-text document. A folder with no file to scan, or a path that is
  not there, is a failure (exit 3, one line), never an allow.
- **Exit status**: `0` allow, `10` warn, `20` redact, `30` block (the strictest over all
  paths); `2` a usage error; `3` a file, policy or case file that could not be read. A failure
  never exits 0 and never shares a code with a decision. `redact`, `milter`, `index`,
  `policy` and `audit` have their own, in their help.
- **Settings** have one name and one unit: sizes are bytes or a number with a binary suffix
  (`--limit max_bytes=50M`, `--memory-limit 2G`), and the time limit is `--time-limit SECONDS`
  wherever it applies (`scan`, `batch`, `milter`). Renamed in this version:
  `--max-message-size` → `--max-message-bytes`; `--limit time_limit=N` → `--time-limit N`;
  `--memory-limit` now takes bytes or a size, not MiB. The old spellings are refused with a
  message naming the new one.
"""


def _walk(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], (*path, name))


def commands() -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command of the tree with its path (``("disclosureguard", "index", "build")``)."""
    return list(_walk(cli, ("disclosureguard",)))


def help_text(path: tuple[str, ...], command: click.Command) -> str:
    parent: click.Context | None = None
    for name in path[:-1]:
        parent = click.Context(cli if parent is None else parent.command, info_name=name, parent=parent,
                               terminal_width=WIDTH, max_content_width=WIDTH)
    ctx = click.Context(command, info_name=path[-1], parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(ctx).rstrip()


def reference() -> str:
    parts = [INTRO]
    for path, command in commands():
        if len(path) == 1:
            continue
        parts.append(f"\n## {' '.join(path)}\n\n```text\n{help_text(path, command)}\n```\n")
    return "".join(parts)


def main(argv: list[str]) -> int:
    text = reference()
    if argv[:1] == ["--write"] and len(argv) == 2:
        Path(argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
