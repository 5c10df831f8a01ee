"""Comma-separated values (.csv): one segment per row, cells joined with ", ".

Chosen by name only (any text passes a CSV sniff). The dialect (comma, semicolon, tab)
is sniffed from the first lines; quoted cells with line breaks stay one cell.
"""

from __future__ import annotations

import csv
import io

from ..errors import ExtractionError
from ..model import Document
from .context import ExtractContext
from .format import Format
from .sheets import SheetText
from .text import decode_text

_MAX_FIELD = 10 * 1024 * 1024


def looks_like_csv(data: bytes) -> bool:
    """Text with no NUL bytes in its first 8 KB (the name has already said it is a CSV)."""
    return b"\x00" not in data[:8192] or data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def extract_csv(data: bytes, name: str, ctx: ExtractContext) -> Document:
    text = decode_text(data).replace("\x00", " ")
    out = SheetText(ctx)
    csv.field_size_limit(_MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:8192]))
    try:
        for number, row in enumerate(reader, 1):
            cells = [(c, cell, False) for c, cell in enumerate(row, 1) if cell.strip()]
            if cells:
                out.row(None, None, number, cells)
    except csv.Error as e:
        raise ExtractionError("corrupt", f"{name}: not readable as CSV ({str(e)[:80]})") from e
    return Document(name=name, media_type="text/csv", segments=tuple(out.segments))


FORMAT = Format(
    name="csv",
    extensions=(".csv",),
    media_types=("text/csv",),
    sniff=looks_like_csv,
    extract=extract_csv,
    compatible=("text", "email"),
)

FORMATS: list[Format] = [FORMAT]
