"""The mail hook's settings: where it listens, what each decision does, and its limits.

Settings come from a small YAML file (``--config``) and command-line flags; a flag wins
over the file. Every value is checked here so a typo stops the service at start (or
leaves the old settings running on reload) instead of changing what is let through.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..judge import ScannerConfig
from ..limits import parse_size

ON_BLOCK = ("reject", "hold")
ON_REDACT = ("redact", "reject", "hold")
ON_WARN = ("headers", "reject")
ON_FAILURE = ("tempfail", "hold")


@dataclass(frozen=True)
class Listen:
    family: str  # inet | inet6 | unix
    host: str = ""
    port: int = 0
    path: str = ""

    def __str__(self) -> str:
        return f"unix:{self.path}" if self.family == "unix" else f"{self.family}:{self.host}:{self.port}"


@dataclass(frozen=True)
class MilterConfig:
    listen: Listen = field(default_factory=lambda: Listen("inet", "127.0.0.1", 8894))
    on_block: str = "reject"  # reject with 550 5.7.1, or hold for a reviewer
    # redact: pass a verified redacted copy on (refused when none can be made); reject; or hold
    on_redact: str = "redact"
    on_warn: str = "headers"  # accept with X-DisclosureGuard-* headers, or reject unless overridden
    on_failure: str = "tempfail"  # scanner error, time limit, oversize: 4xx tempfail or hold
    time_limit: float = 30.0  # seconds for one message's scan
    max_message_bytes: int = 50 * 1024 * 1024
    max_buffered_bytes: int = 512 * 1024 * 1024  # all messages held at once; past it new ones tempfail
    workers: int = 2
    memory_limit: int | None = 2 * 1024 * 1024 * 1024  # address space per scanning worker
    audit_log: str | None = None
    config_file: str | None = None  # read again on SIGHUP
    # The review desk (docs/desk.md): where a hold is recorded, and how senders are told.
    desk_store: str | None = None  # the desk's SQLite file; a hold that cannot be recorded tempfails
    notice_relay: str | None = None  # HOST:PORT of an SMTP listener without this milter
    notice_from: str = "disclosureguard@localhost"
    notify_on_warn: bool = False  # also tell the sender when a warned message goes on
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    ocr: bool = True  # false: scans and pictures are not read by OCR (as --no-ocr): they stay unscannable
    # The scanner settings from the command line, before the file's: a reload applies the file to these
    # again, so a file that turned OCR off and then on again restores the command line's OCR limits.
    given_scanner: ScannerConfig | None = field(default=None, compare=False, repr=False)


# Old spellings: refused with the new name, never ignored.
RENAMED = {"max_message_size": "max_message_bytes", "max_buffered_size": "max_buffered_bytes"}
FILE_KEYS = ("listen", "on_block", "on_redact", "on_warn", "on_failure", "time_limit", "max_message_bytes",
             "max_buffered_bytes", "workers", "memory_limit", "audit_log",
             "desk_store", "notice_relay", "notice_from", "notify_on_warn", "ocr")


def parse_listen(value: str) -> Listen:
    """``inet:HOST:PORT``, ``inet:PORT@HOST`` (Sendmail's form), ``inet6:...`` or ``unix:/path``."""
    family, _, rest = value.partition(":")
    family = family.lower()
    if family in ("unix", "local") and rest:
        return Listen("unix", path=rest)
    if family in ("inet", "inet6") and rest:
        if "@" in rest:
            port_s, _, host = rest.partition("@")
        else:
            host, _, port_s = rest.rpartition(":")
        host = host.strip("[]") or ("127.0.0.1" if family == "inet" else "::1")
        if port_s.isdigit() and 0 < int(port_s) < 65536:
            return Listen(family, host=host, port=int(port_s))
    raise ConfigError("--listen", "", f"expected inet:HOST:PORT, inet:PORT@HOST or unix:/path; got {value!r}")


def _choice(source: str, key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(source, key, f"one of {', '.join(allowed)}; got {value!r}")
    return str(value)


def _number(source: str, key: str, value: Any, minimum: float, integer: bool) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        raise ConfigError(source, key, f"{'a whole number' if integer else 'a number'}; got {value!r}")
    if value < minimum:
        raise ConfigError(source, key, f"at least {minimum}; got {value!r}")
    return value


def _relay(source: str, key: str, value: Any) -> str:
    host, _, port = str(value).rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(source, key, f"HOST:PORT of an SMTP listener; got {value!r}")
    return str(value)


def _size(source: str, key: str, value: Any, minimum: int) -> int:
    """Bytes, from a whole number of bytes or a size with a suffix (50M, 2G): one unit everywhere."""
    try:
        size = parse_size(value)
    except ValueError:
        raise ConfigError(source, key, f"a size in bytes or with a suffix (512M, 2G); got {value!r}") from None
    if size < minimum:
        hint = " (a bare number is bytes: write 2048M for 2048 MiB)" if key == "memory_limit" else ""
        raise ConfigError(source, key, f"at least {minimum:,} bytes; got {value!r}{hint}")
    return size


def read_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The settings in a YAML file, checked; unknown keys are an error (a typo must not pass)."""
    source = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise ConfigError(source, "", f"a readable file ({e.strerror or type(e).__name__})") from None
    except yaml.YAMLError as e:
        raise ConfigError(source, "", f"valid YAML ({e})") from None
    if not isinstance(data, dict):
        raise ConfigError(source, "", "a mapping of settings")
    for old, new in RENAMED.items():
        if old in data:
            raise ConfigError(source, old, f"is now {new!r}")
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        raise ConfigError(source, unknown[0], f"one of the settings {', '.join(FILE_KEYS)}")
    return data


def build(settings: dict[str, Any], scanner: ScannerConfig, source: str = "settings",
          config_file: str | None = None) -> MilterConfig:
    """A checked MilterConfig from plain settings (file values merged with flags)."""
    cfg = MilterConfig(scanner=scanner, config_file=config_file)
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if value is None:
            continue
        if key == "listen":
            values[key] = parse_listen(str(value))
        elif key == "on_block":
            values[key] = _choice(source, key, value, ON_BLOCK)
        elif key == "on_redact":
            values[key] = _choice(source, key, value, ON_REDACT)
        elif key == "on_warn":
            values[key] = _choice(source, key, value, ON_WARN)
        elif key == "on_failure":
            values[key] = _choice(source, key, value, ON_FAILURE)
        elif key == "time_limit":
            values[key] = float(_number(source, key, value, 0.001, False))
        elif key in ("max_message_bytes", "max_buffered_bytes"):
            values[key] = _size(source, key, value, 1)
        elif key == "workers":
            values[key] = _number(source, key, value, 1, True)
        elif key == "memory_limit":
            values[key] = _size(source, key, value, 64 * 1024 * 1024) if value not in (0, "0") else None
        elif key in ("audit_log", "desk_store", "notice_from"):
            values[key] = str(value)
        elif key == "notice_relay":
            values[key] = _relay(source, key, value)
        elif key in ("notify_on_warn", "ocr"):
            if not isinstance(value, bool):
                raise ConfigError(source, key, f"true or false; got {value!r}")
            values[key] = value
        else:
            raise ConfigError(source, key, f"one of the settings {', '.join(FILE_KEYS)}")
    known = {f.name for f in fields(MilterConfig)}
    cfg = replace(cfg, given_scanner=scanner, **{k: v for k, v in values.items() if k in known})
    if not cfg.ocr:  # the same switch as --no-ocr: no page or picture is read by OCR
        cfg = replace(cfg, scanner=replace(scanner, limits=replace(scanner.limits, ocr_max_pages=0)))
    return cfg
