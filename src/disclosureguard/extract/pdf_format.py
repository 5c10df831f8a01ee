"""PDF as a format of the registry: recognised by its header, read by pdf.py.

Declared here, apart from the reader, so that choosing a format imports neither pypdf nor
PDFium: a scan with no PDF in it never loads them (start-up of a one-letter scan).
"""

from __future__ import annotations

from ..model import Document
from .context import ExtractContext
from .format import Format


def looks_like_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _extract_pdf(data: bytes, name: str, ctx: ExtractContext) -> Document:
    from .pdf import extract_pdf  # late: pypdf and PDFium are loaded with the first PDF read

    return extract_pdf(data, name, ctx)


FORMATS: list[Format] = [
    Format(
        name="pdf",
        extensions=(".pdf",),
        media_types=("application/pdf", "application/x-pdf"),
        sniff=looks_like_pdf,
        extract=_extract_pdf,
    )
]
