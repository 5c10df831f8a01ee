"""The `disclosureguard` command."""

from __future__ import annotations

import os
import sys

import click

from . import exit_codes
from .audit import audit
from .batch import batch
from .desk import desk
from .history import history
from .index import index
from .milter import milter
from .policy import policy
from .redact import redact
from .scan import scan


@click.group(epilog=exit_codes.HELP)
@click.version_option(package_name="disclosureguard")
def cli() -> None:
    """Stop children's and families' data reaching people not entitled to it.

    Scan letters, reports and emails before they go; redact them; guard a mail gateway;
    sweep archives of what was already sent."""


cli.add_command(scan)
cli.add_command(milter)
cli.add_command(audit)
cli.add_command(redact)
cli.add_command(batch)
cli.add_command(desk)
cli.add_command(index)
cli.add_command(policy)
cli.add_command(history)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="disclosureguard", standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else exit_codes.FAILURE
    except KeyboardInterrupt:
        click.echo("disclosureguard: interrupted", err=True)
        return 130
    except Exception as e:  # a bug of ours: one clear line, the traceback only on request
        if os.environ.get("DISCLOSUREGUARD_DEBUG"):
            raise
        click.echo(f"disclosureguard: internal error ({type(e).__name__}: {e}); "
                   "set DISCLOSUREGUARD_DEBUG=1 for the traceback", err=True)
        return exit_codes.FAILURE
    return exit_codes.ALLOW


if __name__ == "__main__":
    sys.exit(main())
