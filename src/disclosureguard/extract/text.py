"""Plain text: detect the encoding, never fail on bytes that are not UTF-8."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..model import Document, Segment
from .context import ExtractContext
from .formats import Format

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """Best-effort decoding: BOM, then UTF-8, then a detected charset, then cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Detection over a bounded prefix: it is slow on large inputs and the prefix decides.
    # Letters here are written on Windows in Western European: when Windows-1252 is among
    # the plausible encodings it wins over a statistically closer guess on a short text.
    candidates = [m.encoding for m in from_bytes(data[:65536])]
    encoding = "cp1252" if "cp1252" in candidates or not candidates else candidates[0]
    return data.decode(encoding, errors="replace")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Split text into (paragraph number, text) on blank lines, skipping empty ones."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[tuple[int, str]] = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        if chunk.strip():
            out.append((len(out) + 1, chunk.strip("\n")))
    return out


def text_segments(text: str, where: str, ctx: ExtractContext, *, kind: str = "body") -> list[Segment]:
    ctx.count_text(len(text))
    return [Segment(text=t, location=f"{where}, paragraph {n}", kind=kind) for n, t in paragraphs(text)]


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return True
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return True
    if b"\x00" in sample:
        # UTF-16 without a BOM is rare in letters; NUL bytes mean binary.
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) < 0.05


def extract_text(data: bytes, name: str, ctx: ExtractContext) -> Document:
    return Document(name=name, media_type="text/plain", segments=tuple(text_segments(decode_text(data), "body", ctx)))


FORMAT = Format(
    name="text",
    extensions=(".txt", ".text", ".md", ".csv", ".log"),
    media_types=("text/plain", "text/csv", "text/markdown"),
    sniff=_looks_like_text,
    extract=extract_text,
    compatible=("email",),
)
