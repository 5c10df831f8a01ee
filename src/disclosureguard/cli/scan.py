"""`disclosureguard scan`: a verdict for each document or message."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import DisclosureGuardError
from ..masking import path_words
from ..model import Action, Verdict
from ..render import render_text
from ..source import looks_like_path
from . import exit_codes
from .history import HISTORY_HELP
from .options import (
    fail,
    open_scanner,
    scanner_config,
    scanner_options,
    time_limit_option,
    to_option,
    usage_error,
)

if TYPE_CHECKING:
    from ..scan_service import ScanService


@click.command(
    epilog=exit_codes.HELP
    + "\n\n\b\nExamples:\n"
    "  disclosureguard scan samples/letters/letter-to-father.txt --cases samples/cases\n"
    "  disclosureguard scan letter.docx --to 'Mark Jones <mjones@example.net>' --cases cases/\n"
    "  disclosureguard scan samples/emails --format jsonl\n"
    "  cat message.eml | disclosureguard scan -\n"
    "  echo 'Sarah now lives at 8 Seaview Terrace' | disclosureguard scan --text - --to mjones@example.net",
)
@click.argument("paths", nargs=-1)
@to_option
@click.option("--text", "text_source", default=None, metavar="FILE|-",
              help="Scan the text of FILE (or of standard input, -) as a plain-text document, whatever its name.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
    help="text for a person; json for one verdict; jsonl for one verdict per line.",
)
@click.option("--recipient-history", "recipient_history", type=click.Path(dir_okay=False), default=None,
              metavar="FILE", help=HISTORY_HELP)
@scanner_options
@time_limit_option("none: scans run in this process", isolates=True)
def scan(paths: tuple[str, ...], to: tuple[str, ...], text_source: str | None, fmt: str, cases_dir: str | None,
         case_files: tuple[str, ...], policy: str | None, model: str | None, no_model: bool,
         limit_settings: tuple[str, ...] = (), time_limit: float | None = None,
         recipient_history: str | None = None) -> None:
    """Scan PATHS (documents, .eml messages, folders; - reads a message from stdin) and say,
    per recipient, whether it may go: allow, warn, redact or block, and why.

    A folder stands for every file under it; a folder with no file, or a path that is not
    there, is an error (exit 3), never an allow."""
    if not paths and text_source is None:
        usage_error("scan: give PATHS to scan, or --text FILE|-")
    if paths and text_source is not None:
        usage_error("scan: give PATHS or --text, not both")
    if recipient_history and time_limit:
        usage_error("scan: --recipient-history learns in this process; leave out --time-limit")
    config = scanner_config(cases_dir, case_files, policy, model, no_model, limit_settings,
                            time_limit=time_limit, history=recipient_history)
    scanner = open_scanner(config, isolated=time_limit is not None)
    try:
        if text_source is not None:
            _scan_text(scanner, text_source, to, fmt)
        _scan_paths(scanner, paths, to, fmt)
    finally:
        scanner.close()


def _scan_text(scanner: ScanService, source: str, to: tuple[str, ...], fmt: str) -> None:
    if source == "-":
        data, name = sys.stdin.buffer.read(), "<stdin>"
    else:
        try:
            data, name = Path(source).read_bytes(), source
        except OSError as e:
            fail(f"{source}: cannot be read ({e.strerror or type(e).__name__})")
    from ..scanner import text_name

    text = data.decode("utf-8", errors="replace")  # a bad byte is one odd character, not a lost document
    verdict = scanner.scan(text.encode("utf-8"), list(to) or None, name=text_name(name), media_type="text/plain")
    _print(verdict, fmt, 0)
    raise SystemExit(exit_codes.FOR_ACTION[verdict.decision])


def _scan_paths(scanner: ScanService, paths: tuple[str, ...], to: tuple[str, ...], fmt: str) -> None:
    if fmt == "json" and len(paths) > 1:
        fmt = "jsonl"
    worst = Action.ALLOW
    failed = False
    for n, (path, empty_folder) in enumerate(_expand(paths)):
        if empty_folder:
            click.echo(f"disclosureguard: {path_words(path)}: a folder with no file to scan", err=True)
            failed = True
            continue
        try:
            if path == "-":
                verdict = scanner.scan(sys.stdin.buffer.read(), list(to) or None, name="<stdin>")
            elif not looks_like_path(path):  # text typed where a path goes: never repeat it
                click.echo(f"disclosureguard: a path that is not there ({len(path)} characters); "
                           "to scan text, use --text FILE or --text -", err=True)
                failed = True
                continue
            else:
                verdict = scanner.scan(path, list(to) or None)
        except DisclosureGuardError as e:
            click.echo(f"disclosureguard: {e}", err=True)
            failed = True
            continue
        worst = max(worst, verdict.decision)
        _print(verdict, fmt, n)
    raise SystemExit(exit_codes.FAILURE if failed else exit_codes.FOR_ACTION[worst])


def _print(verdict: Verdict, fmt: str, n: int) -> None:
    if fmt == "text":
        click.echo(("\n" if n else "") + render_text(verdict))
    elif fmt == "json":
        click.echo(json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False))


def _expand(paths: tuple[str, ...]) -> Iterator[tuple[str, bool]]:
    """(path, is an empty folder): paths as given; a folder stands for every file under it,
    in name order, and a folder with no file stands for itself, to be reported."""
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            files = [str(f) for f in sorted(p.rglob("*")) if f.is_file() and not f.name.startswith(".")]
            yield from ((f, False) for f in files) if files else [(path, True)]
        else:
            yield path, False
