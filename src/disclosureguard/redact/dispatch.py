"""Which redactor handles which format (by content, as the extraction registry decides)."""

from __future__ import annotations

from ..extract.formats import sniff_format
from .errors import RedactionError
from .text import Operators, redact_text_file
from .values import ValueMatcher

SUPPORTED = ("text", "email", "docx", "pdf")


def format_of(data: bytes, name: str, media_type: str | None = None) -> str | None:
    fmt = sniff_format(data, name, media_type)
    return fmt.name if fmt is not None else None


def redact_bytes(
    data: bytes,
    name: str,
    matcher: ValueMatcher,
    operators: Operators,
    media_type: str | None = None,
    *,
    hidden: ValueMatcher | None = None,
) -> tuple[str, bytes, list[str]]:
    """(format name, redacted bytes, notes) for one file. ``matcher`` finds the values to
    remove everywhere; ``hidden`` those to remove only from what a reader does not see."""
    hidden = hidden or ValueMatcher([])
    fmt = format_of(data, name, media_type)
    if fmt == "text":
        out, _ = redact_text_file(data, matcher, operators)
        return fmt, out, []
    if fmt == "email":
        from .email import redact_email

        out, notes = redact_email(data, matcher, operators, hidden)
        return fmt, out, notes
    if fmt == "docx":
        from .docx import redact_docx

        out, report = redact_docx(data, matcher, operators, hidden)
        return fmt, out, report.notes
    if fmt == "pdf":
        from .pdf import redact_pdf

        out, notes = redact_pdf(data, matcher, hidden)
        return fmt, out, notes
    what = fmt or "unrecognised"
    raise RedactionError(f"{name}: cannot redact {what} files (text, email, DOCX and PDF can be redacted)")
