"""The desk's settings, checked once at start."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..errors import DisclosureGuardError
from .auth import LoginPolicy


class DeskConfigError(DisclosureGuardError):
    """A setting that would make the desk unsafe or unusable; the message names it."""


@dataclass(frozen=True)
class DeskConfig:
    store: str
    audit_log: str
    host: str = "127.0.0.1"
    port: int = 8895
    postfix_config: str | None = None  # the -c CONFIG_DIR of the Postfix the milter guards
    command_prefix: str = ""  # e.g. "sudo -n" for postsuper/postcat run by a narrow sudo rule
    notice_relay: str | None = None  # HOST:PORT of an SMTP listener without the milter
    notice_from: str = "disclosureguard@localhost"
    tls_cert: str | None = None
    tls_key: str | None = None
    allow_insecure_bind: bool = False  # serve plain HTTP on a non-loopback address (behind a TLS proxy)
    trusted_header: str | None = None  # e.g. X-Remote-User set by a single-sign-on reverse proxy
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    login: LoginPolicy = field(default_factory=LoginPolicy)
    session_hours: float = 8.0

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert and self.tls_key)

    def check(self) -> None:
        if bool(self.tls_cert) != bool(self.tls_key):
            raise DeskConfigError("--tls-cert and --tls-key go together")
        if not is_loopback(self.host) and not self.tls and not self.allow_insecure_bind:
            raise DeskConfigError(
                f"refusing to serve on {self.host}, which is not a loopback address, without TLS: give "
                "--tls-cert and --tls-key, or --allow-insecure-bind when a TLS reverse proxy is in front")
        if not 0 < self.port < 65536:
            raise DeskConfigError(f"--port must be 1-65535; got {self.port}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
