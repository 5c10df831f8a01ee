"""`disclosureguard history`: the per-case recipient history of the new-recipient rule."""

from __future__ import annotations

import click

from ..errors import DisclosureGuardError
from .options import fail

HISTORY_HELP = ("Recipient history file (keyed hashes, 0600) for the new-recipient rule: learnt from these "
                "decisions; its key is DISCLOSUREGUARD_INDEX_KEY or FILE.key.")


@click.group()
def history() -> None:
    """Inspect the recipient history of the new-recipient rule, or forget an address."""


@history.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def show(path: str) -> None:
    """Per case: how many distinct addresses and messages the history holds (no address is
    stored in clear, so none can be listed).

    \b
    Example:
      disclosureguard history show /var/lib/disclosureguard/recipients.json"""
    from ..recipient_history import RecipientHistory

    try:
        h = RecipientHistory(path)
        counts = h.counts()
        started = h.started()
    except DisclosureGuardError as e:
        fail(str(e))
    click.echo(f"recipient history {path}: learning since {started.isoformat() if started else 'never'}, "
               f"{len(counts)} case(s)")
    for case, (addresses, messages) in counts.items():
        click.echo(f"  {case}  {addresses} address(es), {messages} message(s)")


@history.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.argument("address")
@click.option("--case", default=None, help="Forget it for this case only (default: every case).")
def forget(path: str, address: str, case: str | None) -> None:
    """Forget ADDRESS: the next message about the case to it is new again.

    \b
    Example:
      disclosureguard history forget recipients.json old.address@example.com --case CSC-2021-004512"""
    from ..recipient_history import RecipientHistory

    try:
        removed = RecipientHistory(path).forget(address, case)
    except DisclosureGuardError as e:
        fail(str(e))
    click.echo(f"forgot the address in {removed} case(s)")
