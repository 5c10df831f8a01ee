"""`disclosureguard policy check`: the rules a policy file puts in force, and where each comes from."""

from __future__ import annotations

import click

from ..errors import PolicyError
from . import exit_codes
from .options import fail


@click.group()
def policy() -> None:
    """Check a policy file before it is used."""


@policy.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def check(file: str) -> None:
    """Validate the policy FILE and print the rules in force: id, action, and where the rule
    comes from (default, or FILE when the file adds or changes it), then the default rules the
    file switches off.

    \b
    Example:
        disclosureguard policy check samples/policy.yaml

    Exit status: 0 a valid policy; 3 a policy that cannot be read or does not fit the schema."""
    from ..policy import load_policy

    try:
        loaded = load_policy(file)
    except PolicyError as e:
        fail(str(e))
    width = max((len(r.id) for r in (*loaded.rules, *loaded.disabled)), default=4)
    click.echo(f"policy {loaded.source}: {len(loaded.rules)} rules in force")
    for rule in loaded.rules:
        click.echo(f"  {rule.id:<{width}}  {rule.action.label:<6}  {rule.origin}")
    for rule in loaded.disabled:
        click.echo(f"  {rule.id:<{width}}  {'off':<6}  switched off by {loaded.source} (default: {rule.action})")
    raise SystemExit(exit_codes.ALLOW)
