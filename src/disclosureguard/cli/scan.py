"""`disclosureguard scan`: a verdict for each document or message."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import DisclosureGuardError
from ..model import Action
from ..render import render_text
from . import exit_codes
from .options import build_isolated_scanner, build_scanner, scanner_options, sets_time_limit

if TYPE_CHECKING:
    from ..pool import IsolatedScanner
    from ..scanner import Scanner


@click.command(
    epilog=exit_codes.HELP
    + "\n\nExamples:\n\n  disclosureguard scan letter.docx --to mjones@example.net --cases cases/\n\n"
    "  disclosureguard scan samples/emails/*.eml --format jsonl\n\n  cat message.eml | disclosureguard scan -",
)
@click.argument("paths", nargs=-1, required=True)
@click.option("--to", "to", multiple=True, metavar="ADDRESS",
              help="A recipient (repeatable). Overrides an email's own.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
    help="text for a person; json for one verdict; jsonl for one verdict per line.",
)
@scanner_options
def scan(paths: tuple[str, ...], to: tuple[str, ...], fmt: str, cases_dir: str | None, case_files: tuple[str, ...],
         policy: str | None, model: str | None, no_model: bool,
         limit_settings: tuple[str, ...] = ()) -> None:
    """Scan PATHS (documents or .eml messages; - reads a message from stdin) and say, per
    recipient, whether it may go: allow, warn, redact or block, and why."""
    options = (cases_dir, case_files, policy, model, no_model, limit_settings)
    scanner = build_isolated_scanner(*options) if sets_time_limit(limit_settings) else build_scanner(*options)
    try:
        _scan_paths(scanner, paths, to, fmt)
    finally:
        if hasattr(scanner, "close"):
            scanner.close()


def _scan_paths(scanner: Scanner | IsolatedScanner, paths: tuple[str, ...], to: tuple[str, ...], fmt: str) -> None:
    if fmt == "json" and len(paths) > 1:
        fmt = "jsonl"
    worst = Action.ALLOW
    failed = False
    for n, path in enumerate(_expand(paths)):
        try:
            if path == "-":
                verdict = scanner.scan(sys.stdin.buffer.read(), list(to) or None, name="<stdin>")
            else:
                verdict = scanner.scan(path, list(to) or None)
        except DisclosureGuardError as e:
            click.echo(f"disclosureguard: {e}", err=True)
            failed = True
            continue
        worst = max(worst, verdict.decision)
        if fmt == "text":
            click.echo(("\n" if n else "") + render_text(verdict))
        elif fmt == "json":
            click.echo(json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False))
    raise SystemExit(exit_codes.FAILURE if failed else exit_codes.FOR_ACTION[worst])


def _expand(paths: tuple[str, ...]) -> Iterator[str]:
    """Paths as given; a folder stands for every file under it, in name order."""
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            yield from (str(f) for f in sorted(p.rglob("*")) if f.is_file() and not f.name.startswith("."))
        else:
            yield path
