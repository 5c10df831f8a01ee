"""`disclosureguard milter`: the mail hook, a long-running milter for Postfix or Sendmail."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from ..errors import DisclosureGuardError
from . import exit_codes
from .history import HISTORY_HELP
from .options import fail, scanner_config, scanner_options, time_limit_option, usage_error


@click.command(
    epilog="Signals: SIGHUP reloads the case index, the policy and --config without dropping connections; "
    "SIGTERM stops after the messages under way.\n\nExit status: 0 after a clean stop; 3 when the "
    "configuration, case index or policy cannot be loaded.\n\nExample:\n\n\b\n"
    "  disclosureguard milter --listen inet:127.0.0.1:8894 \\\n"
    "      --cases /srv/cases --policy /etc/dg/policy.yaml \\\n"
    "      --audit-log /var/log/disclosureguard/audit.jsonl",
)
@click.option("--listen", default=None, metavar="SOCKET",
              help="inet:HOST:PORT, inet:PORT@HOST or unix:/path (default inet:127.0.0.1:8894).")
@click.option("--config", "config_file", type=click.Path(), default=None,
              help="YAML settings (on_block, on_warn, on_redact, on_failure, time_limit, ...); flags win.")
@click.option("--on-block", type=click.Choice(["reject", "hold"]), default=None,
              help="block: reject with 550 5.7.1 (default), or hold in the MTA's hold queue for a reviewer.")
@click.option("--on-redact", type=click.Choice(["redact", "reject", "hold"]), default=None,
              help="redact: pass on a verified redacted copy (default; refused with 550 5.7.1 when none can "
                   "be made), reject with 550 5.7.1, or hold for a reviewer.")
@click.option("--on-warn", type=click.Choice(["headers", "reject"]), default=None,
              help="warn: accept with X-DisclosureGuard-* headers (default), or reject unless the sender "
                   "overrides with a justification.")
@click.option("--on-failure", type=click.Choice(["tempfail", "hold"]), default=None,
              help="scanner error, time limit or oversize message: 451 4.7.0 tempfail (default) or hold.")
@time_limit_option("30")
@click.option("--max-message-bytes", "max_message_bytes", default=None, metavar="SIZE",
              help="Largest message buffered and scanned, in bytes or with a suffix (default 50M); larger "
                   "ones fail closed.")
@click.option("--max-message-size", "old_max_message_size", default=None, hidden=True, expose_value=True)
@click.option("--workers", type=int, default=None, help="Scanning processes (default 2).")
@click.option("--memory-limit", default=None, metavar="SIZE",
              help="Address space per scanning process, in bytes or with a suffix such as 2G (default 2G; "
                   "0 = none).")
@click.option("--audit-log", type=click.Path(), default=None, help="Hash-chained JSON-lines audit log.")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True)
@click.option("--recipient-history", "recipient_history", type=click.Path(dir_okay=False), default=None,
              metavar="FILE", help=HISTORY_HELP)
@scanner_options
def milter(listen: str | None, config_file: str | None, on_block: str | None, on_redact: str | None,
           on_warn: str | None, on_failure: str | None, time_limit: float | None, max_message_bytes: str | None,
           old_max_message_size: str | None, workers: int | None, memory_limit: str | None, audit_log: str | None,
           log_level: str, recipient_history: str | None,
           cases_dir: str | None, case_files: tuple[str, ...], policy: str | None, model: str | None,
           no_model: bool, limit_settings: tuple[str, ...] = ()) -> None:
    """Check every message an MTA is about to accept: block, hold, warn or pass it, per recipient."""
    from ..milter import config as settings
    from ..milter.service import MilterService

    if old_max_message_size is not None:
        usage_error("--max-message-size is now --max-message-bytes (bytes, or a size such as 50M)")
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    flags: dict[str, Any] = {
        "listen": listen, "on_block": on_block, "on_redact": on_redact, "on_warn": on_warn,
        "on_failure": on_failure, "time_limit": time_limit, "max_message_bytes": max_message_bytes,
        "workers": workers, "audit_log": audit_log,
        "memory_limit": memory_limit,
    }
    flags = {k: v for k, v in flags.items() if v is not None}
    history = str(Path(recipient_history).resolve()) if recipient_history else None  # the workers' cwd may differ
    scanner = scanner_config(cases_dir, case_files, policy, model, no_model, limit_settings, history=history)
    try:
        values = {**(settings.read_file(config_file) if config_file else {}), **flags}
        config = settings.build(values, scanner, config_file or "command line", config_file)
        service = MilterService(config, flags)
    except (DisclosureGuardError, RuntimeError) as e:
        fail(str(e))
    import asyncio  # late: only the mail hook runs an event loop, not every command

    try:
        asyncio.run(service.run())
    except OSError as e:
        fail(f"cannot listen on {config.listen}: {e.strerror or e}")
    raise SystemExit(exit_codes.ALLOW)
