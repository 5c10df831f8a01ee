"""Plain text: detect the encoding, never fail on bytes that are not UTF-8."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..model import Document, Problem, Segment
from .context import ExtractContext
from .format import Format

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Inline OpenPGP armour: the text between the markers is ciphertext nobody can scan.
PGP_ARMOUR = re.compile(r"-----BEGIN PGP (?:MESSAGE|ENCRYPTED MESSAGE)(?:, PART \d+(?:/\d+)?)?-----")
# Signatures of binary content that plain text must never claim, whatever the name says.
_BINARY_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 compound file (Office 97-2003 or encrypted Office)"),
    (b"PK\x03\x04", "a zip package"),
    (b"PK\x05\x06", "a zip package"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", None),  # too short to trust alone: checked below
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)


def binary_kind(data: bytes) -> str | None:
    """What binary content ``data`` is by its first bytes, or None when nothing says so."""
    head = data[:16]
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic) and kind is not None:
            return kind
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    bmp_header_sizes = (12, 40, 52, 56, 108, 124)
    if head.startswith(b"BM") and len(data) > 26 and data[14] in bmp_header_sizes and data[15:18] == b"\0\0\0":
        return "a BMP image"
    if len(data) > 12 and data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return "a HEIF image"
    return None


def unicode_by_bytes(data: bytes) -> str | None:
    """The UTF-16/32 encoding the bytes themselves show (a BOM, or NULs in every other byte)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    # Latin text in UTF-16: one byte of each pair is NUL almost always, the other almost never.
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


# Windows' own names for UTF-16 (code pages 1200 and 1201), which Windows mail software declares
# and Python's codecs do not know: UTF-16 under another name is no disagreement.
_WINDOWS_UTF16 = frozenset({"unicode", "unicodefffe", "ucs-2", "ucs2", "iso-10646-ucs-2", "csunicode"})


def _codec_family(charset: str | None) -> str | None:
    if charset and charset.strip().lower() in _WINDOWS_UTF16:
        return "utf-16"
    try:
        name = codecs.lookup(charset).name if charset else None
    except LookupError:
        return None
    return name[:6] if name and name.startswith(("utf-16", "utf-32")) else name


def decode_declared(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with a declared charset unless the bytes say otherwise.

    Returns the text and, when a declaration was overruled, a sentence saying so.
    """
    shown = unicode_by_bytes(data)
    wide = _codec_family(shown) in ("utf-16", "utf-32")
    if shown is not None and wide and _codec_family(charset) != _codec_family(shown):
        label = shown.upper()
        # the declared name is not repeated: it is the sender's text
        note = f"the declared charset disagrees with the bytes, which are {label}: read as {label}" if charset else None
        return data.decode(shown, errors="replace"), note
    if charset:
        try:
            return data.decode(charset, errors="replace"), None
        except (LookupError, ValueError):  # unknown, or a codec that is not a text charset (idna)
            pass
    return decode_text(data), None


def decode_text(data: bytes) -> str:
    """Best-effort decoding: BOM or UTF-16 pattern, then UTF-8, then a detected charset, then cp1252."""
    shown = unicode_by_bytes(data)
    if shown is not None:
        return data.decode(shown, errors="replace")
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
    return [Segment(text=t, location=f"{where}, paragraph {n}", kind=kind, paragraph=n) for n, t in paragraphs(text)]


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return True
    if binary_kind(sample) is not None:
        return False
    if unicode_by_bytes(sample) is not None:
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) < 0.05


def armour_problems(text: str, part: str) -> list[Problem]:
    """A problem for inline PGP armour: the ciphertext in it cannot be scanned."""
    if PGP_ARMOUR.search(text):
        return [Problem(part, "encrypted", "holds a PGP-encrypted message: its content cannot be scanned")]
    return []


def extract_text(data: bytes, name: str, ctx: ExtractContext) -> Document:
    text = decode_text(data)
    return Document(
        name=name,
        media_type="text/plain",
        segments=tuple(text_segments(text, "body", ctx)),
        problems=tuple(armour_problems(text, name)),
    )


FORMAT = Format(
    name="text",
    extensions=(".txt", ".text", ".md", ".log"),
    media_types=("text/plain", "text/markdown"),
    sniff=_looks_like_text,
    extract=extract_text,
    compatible=("email",),
)
