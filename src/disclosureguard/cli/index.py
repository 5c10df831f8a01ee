"""`disclosureguard index build`: a case index of keyed hashes, for a mail gateway host."""

from __future__ import annotations

import click

from ..cases.index_file import KEY_ENV, build_index
from ..errors import DisclosureGuardError
from . import exit_codes


@click.group()
def index() -> None:
    """Build the case index: every known value stored as a keyed hash, never in clear."""


@index.command("build")
@click.argument("cases", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="Where to write the index."
)
def build(cases: tuple[str, ...], output: str) -> None:
    """Validate every case file under CASES (folders of case files, or case files) and write
    the index to OUTPUT. One bad case file stops the build: an index is never half-built.

    Values (names, addresses, phones, emails, identifiers, dates of birth) are stored only as
    HMAC-SHA256 under a key; case references, person ids, roles, withhold rules and one display
    name per person (first name and surname) are kept in clear for verdicts and messages.
    The key comes from the environment variable DISCLOSUREGUARD_INDEX_KEY, else from OUTPUT.key
    (created on the first build, mode 0600, and reused). Both files are written with mode 0600.

    \b
    Example:
        disclosureguard index build samples/cases -o /tmp/cases.idx
        disclosureguard scan samples/letters/letter-to-father.txt --cases /tmp/cases.idx
    """
    try:
        report = build_index(list(cases), output)
    except DisclosureGuardError as e:
        click.echo(f"disclosureguard: {e}", err=True)
        raise SystemExit(exit_codes.FAILURE) from None
    except OSError as e:
        click.echo(f"disclosureguard: could not write {output}: {e.strerror or e}", err=True)
        raise SystemExit(exit_codes.FAILURE) from None
    key_note = f"key in {report.key_path}" if report.key_path else f"key from {KEY_ENV}"
    click.echo(
        f"Built {report.path}: {report.cases} cases, {report.members} people and contacts, "
        f"{report.values} keyed hashes, {report.bytes} bytes; {key_note}."
    )
