"""Carrying a redacted copy back from a scanning worker.

When a task asks for one and its verdict is ``redact``, the worker redacts the findings behind
that decision and sends the verified copy back with the verdict, inside the same time limit. A
copy that cannot be made or verified comes back as an error, never as the unredacted bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Analysis


@dataclass(frozen=True)
class Redaction:
    """A redacted copy made in a worker: its bytes and what was removed, or why it could not
    be made (``data`` is then ``None`` and ``error`` names the cause, never a value)."""

    data: bytes | None
    removed: tuple[tuple[str, str, str], ...] = ()  # (entity type, location, rule): never a value
    format: str = ""
    notes: tuple[str, ...] = ()
    error: str | None = None


def redact_copy(analysis: Analysis) -> Redaction:
    """The verified redacted copy of what ``analysis`` scanned, or the reason there is none."""
    from .redact import redact_analysis  # late: scan-only workers never load the redactors

    try:
        result = redact_analysis(analysis)
    except Exception as e:
        # RedactionError, VerificationFailed (a removed value was still there) or a redactor bug.
        # The type only: an exception's text can quote the document.
        return Redaction(None, error=f"could not redact ({type(e).__name__})")
    removed = tuple((r.entity_type, r.location, r.rule) for r in result.removed)
    return Redaction(result.data, removed, result.format, tuple(result.notes))
