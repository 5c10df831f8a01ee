"""Which formats can be redacted, known by content as the extraction registry knows them.

Its own module so that a redactor of containers (email) can ask without importing the
dispatcher that calls it back.
"""

from __future__ import annotations

from ..extract.formats import sniff_format

SUPPORTED = ("text", "email", "docx", "pdf", "xlsx", "odf", "csv", "rtf", "image")


def format_of(data: bytes, name: str, media_type: str | None = None) -> str | None:
    fmt = sniff_format(data, name, media_type)
    return fmt.name if fmt is not None else None
