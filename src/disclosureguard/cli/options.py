"""Options shared by the commands that build a Scanner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..errors import DisclosureGuardError
from ..judge import ScannerConfig
from ..limits import Limits, parse_limits
from ..spacy_model import DEFAULT_MODEL
from . import exit_codes

if TYPE_CHECKING:
    from ..scan_service import ScanService


def scanner_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--cases", "cases_dir", type=click.Path(), default=None,
                     help="A folder of case files, or a built index."),
        click.option("--case", "case_files", type=click.Path(), multiple=True, help="A case file (repeatable)."),
        click.option("--policy", "policy", type=click.Path(), default=None,
                     help="Policy YAML (default: the shipped policy)."),
        click.option("--model", default=None, metavar="NAME",
                     help="spaCy pipeline to load (default: the bundled small English one)."),
        click.option("--no-model", is_flag=True,
                     help="Run without the spaCy model: patterns and case context only (degraded, faster)."),
        click.option("--limit", "limit_settings", multiple=True, metavar="NAME=VALUE",
                     help="Change a per-document limit (repeatable), e.g. --limit max_pages=500 or "
                          "--limit max_bytes=50M (sizes in bytes or with a K, M, G suffix). Names: "
                          + ", ".join(n for n in Limits.names() if n != "time_limit") + "."),
        click.option("--no-ocr", is_flag=True, expose_value=False, callback=_no_ocr,
                     help="Do not OCR scans and pictures: they stay unscannable (same as --limit ocr_max_pages=0)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def time_limit_option(default: str, isolates: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--time-limit SECONDS``: the one spelling of Limits.time_limit on every command."""
    extra = " Given, each scan runs in a worker process that is killed at the limit." if isolates else ""
    return click.option("--time-limit", "time_limit", type=click.FloatRange(min=0, min_open=True), default=None,
                        metavar="SECONDS",
                        help=f"Longest scan of one document, in seconds (default {default}); past it the "
                             f"verdict is a timeout error, never allow.{extra}")


def to_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--to ADDRESS``: RFC 5322 addresses, with or without a display name; commas separate several."""
    return click.option("--to", "to", multiple=True, metavar="ADDRESS", callback=_check_addresses,
                        help="A recipient (repeatable; commas separate several): name@domain or "
                             "'Name <name@domain>'. Overrides an email's own.")(f)


def _check_addresses(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    from ..addresses import AddressError, parse_addresses

    try:
        return tuple(parse_addresses(values))
    except AddressError as e:
        usage_error(f"--to: {e}")


def usage_error(message: str) -> NoReturn:
    """A bad command line: one line, exit 2."""
    fail(message, exit_codes.USAGE)


def _no_ocr(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["disclosureguard.no_ocr"] = True  # read by limits_option (issue 17)


def limits_option(settings: tuple[str, ...], base: Limits | None = None) -> Limits:
    """The --limit settings (and --no-ocr) as Limits; a bad one is a usage error."""
    try:
        limits = parse_limits(settings, base)
    except ValueError as e:
        usage_error(f"--limit: {e}")
    current = click.get_current_context(silent=True)
    if current is not None and current.meta.get("disclosureguard.no_ocr"):
        limits = replace(limits, ocr_max_pages=0)
    return limits


def scanner_config(
    cases_dir: str | None,
    case_files: tuple[str, ...],
    policy: str | None,
    model: str | None,
    no_model: bool,
    limit_settings: tuple[str, ...] = (),
    *,
    time_limit: float | None = None,
    history: str | None = None,
) -> ScannerConfig:
    """The scanner configuration every command builds from :func:`scanner_options` (and, where the
    command has them, ``--time-limit`` and ``--recipient-history``)."""
    limits = limits_option(limit_settings)
    if time_limit is not None:
        limits = replace(limits, time_limit=time_limit)
    return ScannerConfig(
        cases=tuple(p for p in (cases_dir, *case_files) if p),
        policy=policy,
        model=None if no_model else (model or DEFAULT_MODEL),
        limits=limits,
        history=history,
    )


def open_scanner(config: ScannerConfig, *, isolated: bool = False) -> ScanService:
    """The scanner for a command: in this process, or (``isolated``) in a worker process killed
    at ``config.limits.time_limit``. A configuration that does not load is a failure (exit 3)."""
    if isolated:
        from ..pool_isolated import IsolatedScanner

        try:
            return IsolatedScanner(config)
        except (DisclosureGuardError, RuntimeError) as e:  # RuntimeError: the worker could not start
            fail(str(e))
    from ..scanner import Scanner  # late: loading it imports spaCy

    try:
        return Scanner.from_config(config)
    except DisclosureGuardError as e:
        fail(str(e))


def fail(message: str, code: int = exit_codes.FAILURE) -> NoReturn:
    click.echo(f"disclosureguard: {message}", err=True)
    raise SystemExit(code)
