"""Recipient addresses as a person types them: RFC 5322, with or without a display name.

``"Mark Jones <mjones@example.net>, dsl@stmarys.sch.je"`` is two recipients. Anything that
is not an address (``Mark Jones``, ``mjones``, ``mjones@@example.net``, an empty string) is
refused, because scanning for the wrong recipient hides the real reason a message may not go.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.headerregistry import AddressHeader, HeaderRegistry
from typing import Any

_REGISTRY = HeaderRegistry()


class AddressError(ValueError):
    """One value is not an email address; ``value`` is the value as given."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"{value!r} is not an email address (expected name@domain or Name <name@domain>)")


def parse_addresses(values: Iterable[str]) -> list[str]:
    """The bare addresses (``name@domain``) of every value; a comma-separated value is several."""
    out: list[str] = []
    for value in values:
        out.extend(_parse_one(value))
    return out


def _parse_one(value: str) -> list[str]:
    if not value.strip():
        raise AddressError(value)
    try:
        header: Any = _REGISTRY("to", value)
    except (ValueError, IndexError, TypeError):
        raise AddressError(value) from None
    addresses = list(header.addresses) if isinstance(header, AddressHeader) else []
    if header.defects or not addresses:
        raise AddressError(value)
    out = []
    for address in addresses:
        if not address.username or not address.domain or " " in address.addr_spec:
            raise AddressError(value)
        out.append(address.addr_spec)
    return out
