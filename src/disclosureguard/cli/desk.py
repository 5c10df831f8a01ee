"""`disclosureguard desk`: the review desk for held mail and sweep findings (docs/desk.md)."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from typing import TYPE_CHECKING

import click

from ..errors import DisclosureGuardError
from . import exit_codes
from .options import fail

if TYPE_CHECKING:
    from ..desk.store import Store

STORE_HELP = "The desk's SQLite file (created 0600; the milter's desk_store setting names the same file)."


def _store(path: str) -> Store:
    from ..desk.store import Store

    try:
        return Store(path)
    except Exception as e:  # sqlite3.Error or OSError: one clear line naming the file
        fail(f"{path}: the desk store cannot be opened ({type(e).__name__}: {e})")


@click.group()
def desk() -> None:
    """The review desk: reviewers decide held mail and mark sweep findings in a browser.

    \b
    Example:
      disclosureguard desk user add alice --role admin --store /var/lib/disclosureguard/desk.sqlite
      disclosureguard desk serve --store /var/lib/disclosureguard/desk.sqlite \\
          --audit-log /var/log/disclosureguard/audit.jsonl --postfix-config /etc/postfix \\
          --notice-relay 127.0.0.1:10026 --notice-from ig@gov.je
    """


@desk.command(epilog="Exit status: 0 after a clean stop; 3 when a setting is unsafe or the store cannot be opened.")
@click.option("--store", required=True, type=click.Path(), help=STORE_HELP)
@click.option("--audit-log", required=True, type=click.Path(), help="The hash-chained audit log (the milter's).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on; a non-loopback one needs TLS or --allow-insecure-bind.")
@click.option("--port", default=8895, show_default=True, type=int)
@click.option("--postfix-config", type=click.Path(), default=None,
              help="Postfix configuration folder (postsuper -c DIR); default Postfix's own.")
@click.option("--command-prefix", default="", metavar="WORDS",
              help="Run postsuper/postqueue/postcat through this, e.g. 'sudo -n' with a narrow sudo rule.")
@click.option("--notice-relay", default=None, metavar="HOST:PORT",
              help="SMTP listener without the milter for notices to senders and partial releases.")
@click.option("--notice-from", default="disclosureguard@localhost", show_default=True,
              help="From: of the notices.")
@click.option("--tls-cert", type=click.Path(exists=True), default=None)
@click.option("--tls-key", type=click.Path(exists=True), default=None)
@click.option("--allow-insecure-bind", is_flag=True,
              help="Serve plain HTTP on a non-loopback address (only behind a TLS reverse proxy).")
@click.option("--trusted-header", default=None, metavar="NAME",
              help="Single sign-on: take the user name from this header when the request comes from a "
                   "--trusted-proxy (e.g. X-Remote-User). The name must be a desk account.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, default=("127.0.0.1", "::1"), show_default=True,
              help="Address of the reverse proxy allowed to set --trusted-header (repeatable).")
@click.option("--login-failures", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Wrong passwords before the name is locked.")
@click.option("--lock-minutes", default=15.0, show_default=True, type=click.FloatRange(0.01, 24 * 60))
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True)
def serve(store: str, audit_log: str, host: str, port: int, postfix_config: str | None, command_prefix: str,
          notice_relay: str | None, notice_from: str, tls_cert: str | None, tls_key: str | None,
          allow_insecure_bind: bool, trusted_header: str | None, trusted_proxies: tuple[str, ...],
          login_failures: int, lock_minutes: float, log_level: str) -> None:
    """Serve the desk (uvicorn; no access log, so no URL or query reaches a log)."""
    import uvicorn

    from ..desk.app import create_app
    from ..desk.auth import LoginPolicy
    from ..desk.settings import DeskConfig

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = DeskConfig(store=store, audit_log=audit_log, host=host, port=port, postfix_config=postfix_config,
                        command_prefix=command_prefix, notice_relay=notice_relay, notice_from=notice_from,
                        tls_cert=tls_cert, tls_key=tls_key, allow_insecure_bind=allow_insecure_bind,
                        trusted_header=trusted_header, trusted_proxies=trusted_proxies,
                        login=LoginPolicy(failures=login_failures, lock_for=lock_minutes * 60))
    try:
        app = create_app(config)
    except (DisclosureGuardError, ValueError, OSError) as e:
        fail(str(e))
    uvicorn.run(app, host=host, port=port, access_log=False, server_header=False, proxy_headers=False,
                ssl_certfile=tls_cert, ssl_keyfile=tls_key, log_level=log_level)
    raise SystemExit(exit_codes.ALLOW)


@desk.group()
def user() -> None:
    """Reviewer accounts."""


@user.command("add", epilog="The password is read from the terminal, or from standard input with "
              "--password-stdin.\n\nExample:\n\n  disclosureguard desk user add alice --role admin --store desk.sqlite")
@click.argument("name")
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option("--store", required=True, type=click.Path(), help=STORE_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def user_add(name: str, role: str, store: str, password_stdin: bool) -> None:
    """Add a reviewer or admin (or set a new password for one); the password is hashed with argon2."""
    from ..desk.auth import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            fail("the passwords differ")
    try:
        add_user(_store(store), name, password, role)
    except ValueError as e:
        fail(str(e))
    click.echo(f"{name}: {role} account saved")


@desk.command("import", epilog="Example:\n\n  disclosureguard desk import sweep-2026-11/ --store desk.sqlite")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--store", required=True, type=click.Path(), help=STORE_HELP)
@click.option("--by", default=None, help="Who imports it (default: the login name).")
def import_sweep(outdir: str, store: str, by: str | None) -> None:
    """Load a `disclosureguard batch` output folder's findings for reviewers to mark."""
    from ..desk.sweeps import read_records

    try:
        records = read_records(outdir)
    except DisclosureGuardError as e:
        fail(str(e))
    sweep_id, count = _store(store).add_sweep(os.path.abspath(outdir), by or getpass.getuser(), records)
    click.echo(f"sweep {sweep_id}: {len(records)} record(s), {count} finding(s) to review")


@desk.command(epilog="Example:\n\n  disclosureguard desk report --store desk.sqlite --format json")
@click.option("--store", required=True, type=click.Path(), help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def report(store: str, fmt: str) -> None:
    """Which rules and recognisers raise most false alarms, per week, from reviewers' marks."""
    import json

    from ..desk.report import as_text
    from ..desk.report import report as make_report

    summary = make_report(_store(store))
    click.echo(json.dumps(summary, indent=2) if fmt == "json" else as_text(summary), nl=fmt == "json")


@desk.command("export-false-alarms",
              epilog="Example:\n\n  disclosureguard desk export-false-alarms --store desk.sqlite > near-misses.jsonl")
@click.option("--store", required=True, type=click.Path(), help=STORE_HELP)
def export_false_alarms(store: str) -> None:
    """False-alarm examples as JSON lines, every value masked, for the accuracy harness."""
    from ..desk.report import false_alarm_examples

    for line in false_alarm_examples(_store(store)):
        click.echo(line, nl=False)
