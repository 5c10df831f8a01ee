"""The redaction errors: both mean nothing was written."""

from __future__ import annotations

from ..errors import DisclosureGuardError


class RedactionError(DisclosureGuardError):
    """A document that cannot be redacted (unsupported format, unreadable part)."""
