"""Options shared by the commands that build a Scanner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..errors import DisclosureGuardError
from ..limits import Limits, parse_limits
from . import exit_codes

if TYPE_CHECKING:
    from ..pool import IsolatedScanner
    from ..scanner import Scanner


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
                     help="Change a per-document limit (repeatable), e.g. --limit max_pages=500. Names: "
                          + ", ".join(Limits.names()) + ". With time_limit, each scan runs in a worker process "
                          "that is killed at the limit (the milter and batch always do)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def limits_option(settings: tuple[str, ...], base: Limits | None = None) -> Limits:
    """The --limit settings as Limits; a bad one is a usage error."""
    try:
        return parse_limits(settings, base)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--limit") from None


def build_isolated_scanner(
    cases_dir: str | None,
    case_files: tuple[str, ...],
    policy: str | None,
    model: str | None,
    no_model: bool,
    limit_settings: tuple[str, ...],
) -> IsolatedScanner:
    """A scanner whose every scan runs in a worker process killed at the time limit."""
    from ..judge import ScannerConfig
    from ..pool import IsolatedScanner
    from ..scanner import DEFAULT_MODEL

    config = ScannerConfig(
        cases=tuple(p for p in (cases_dir, *case_files) if p),
        policy=policy,
        model=None if no_model else (model or DEFAULT_MODEL),
        limits=limits_option(limit_settings),
    )
    try:
        return IsolatedScanner(config)
    except (DisclosureGuardError, RuntimeError) as e:
        fail(str(e))


def sets_time_limit(limit_settings: tuple[str, ...]) -> bool:
    return any(s.partition("=")[0].strip() == "time_limit" for s in limit_settings)


def build_scanner(
    cases_dir: str | None,
    case_files: tuple[str, ...],
    policy: str | None,
    model: str | None,
    no_model: bool,
    limit_settings: tuple[str, ...] = (),
) -> Scanner:
    from ..scanner import DEFAULT_MODEL, Scanner  # late: loading it imports spaCy

    sources: list[str] = [*([cases_dir] if cases_dir else []), *case_files]
    limits = limits_option(limit_settings)
    try:
        return Scanner(
            cases=sources or None,
            policy=policy,
            model=None if no_model else (model or DEFAULT_MODEL),
            limits=limits,
        )
    except DisclosureGuardError as e:
        fail(str(e))


def fail(message: str, code: int = exit_codes.FAILURE) -> NoReturn:
    click.echo(f"disclosureguard: {message}", err=True)
    raise SystemExit(code)
