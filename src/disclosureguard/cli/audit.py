"""`disclosureguard audit verify`: check that an audit log's hash chain is unbroken."""

from __future__ import annotations

import click

from ..audit import verify as verify_log
from . import exit_codes


@click.group()
def audit() -> None:
    """Work with the hash-chained audit log."""


@audit.command(epilog="Exit status: 0 the chain is sound; 1 it is broken (the first bad line is named); "
                      "3 the file cannot be read.\n\nExample:\n\n  disclosureguard audit verify audit.jsonl")
@click.argument("path", type=click.Path())
def verify(path: str) -> None:
    """Check every record of the audit log at PATH chains to the one before it."""
    result = verify_log(path)
    if result.ok:
        click.echo(f"{path}: ok, {result.records} record(s), chain unbroken")
        raise SystemExit(exit_codes.ALLOW)
    if result.line is None:
        click.echo(f"disclosureguard: {result.message}", err=True)
        raise SystemExit(exit_codes.FAILURE)
    click.echo(f"{path}: line {result.line}: chain broken: {result.message} "
               f"({result.records} record(s) before it are sound)", err=True)
    raise SystemExit(1)
