"""Which redactor handles which format (by content, as the extraction registry decides)."""

from __future__ import annotations

from .errors import RedactionError
from .kinds import SUPPORTED, format_of
from .text import Operators, redact_text_file
from .values import ValueMatcher

__all__ = ["SUPPORTED", "format_of", "redact_bytes"]


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

        out, notes = redact_email(data, matcher, operators, hidden, redact_part=redact_bytes)
        return fmt, out, notes
    if fmt == "docx":
        from .docx import redact_docx

        out, report = redact_docx(data, matcher, operators, hidden)
        return fmt, out, report.notes
    if fmt in ("image", "pdf"):
        from .image import redact_scan  # pictures, and PDFs whose every page is a scan

        scanned = redact_scan(fmt, data, name, matcher)
        if scanned is not None:
            return fmt, *scanned
    if fmt == "pdf":
        from .pdf import redact_pdf

        out, notes = redact_pdf(data, matcher, hidden)
        return fmt, out, notes
    if fmt == "rtf":
        from .rtf import redact_rtf

        out, notes = redact_rtf(data, matcher, operators, hidden)
        return fmt, out, notes
    if fmt in ("xlsx", "odf", "csv", "xls", "pptx"):
        from .office import redact_office

        out, notes = redact_office(fmt, data, name, matcher, operators, hidden)
        return fmt, out, notes
    if fmt in _REFUSED:
        raise RedactionError(f"{name}: cannot redact {_REFUSED[fmt]}")
    what = fmt or "unrecognised"
    raise RedactionError(f"{name}: cannot redact {what} files (text, email, DOCX and PDF can be redacted)")


# Formats read but not written, and why (the sender can save the content in a writable format).
_REFUSED = {
    "msg": "Outlook .msg files (no writer for them): save the message as .eml, or its attachments as .docx",
    "tnef": "winmail.dat (TNEF) files (no writer for them): send the message in HTML or plain text",
    "doc": "Word 97-2003 .doc files (read through a conversion): save it as .docx and redact that",
    "ppt": "PowerPoint 97-2003 .ppt files (read through a conversion): save it as .pptx",
}
