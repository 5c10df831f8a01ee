"""Pictures (PNG, JPEG, TIFF including multi-page fax TIFF, GIF, BMP, WebP, AVIF): their text by
OCR, and what they say about themselves (EXIF and PNG text chunks) as metadata.

HEIC/HEIF (an iPhone's photos) is recognised but not read: the decoders for it (libheif with
libde265, in pillow-heif's wheels beside the GPL x265) are copyleft and HEVC is patent-encumbered,
so no kept library reads it here. Such a picture is an ``unsupported`` problem, never an allow.

Also the shared way other extractors read a picture they hold (an image inside a DOCX, a
slide or a sheet): :func:`picture_document` turns its bytes into a nested Document.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from ..model import Document, Problem, Segment
from .context import ExtractContext
from .format import Format
from .ocr import ocr_picture

MAX_PIXELS = 60_000_000  # a page at 600 dpi is 35 M: more is a decompression bomb, not a scan
MAX_FRAMES = 500

_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
    b"BM": "image/bmp",
}
_TEXT_EXIF = {270: "description", 315: "artist", 33432: "copyright", 40091: "title", 40092: "comment",
              40093: "author", 40094: "keywords", 40095: "subject", 37510: "user comment"}


# ISO base media file brands (the "ftyp" box) of HEIF pictures coded in HEVC, and of AVIF ones.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def _brands(data: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO base media file ("ftyp" box first), or none."""
    if data[4:8] != b"ftyp":
        return set()
    size = min(int.from_bytes(data[:4], "big"), 256, len(data))
    return {data[8:12], *(data[i:i + 4] for i in range(16, size - 3, 4))}


def media_type_of(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    brands = _brands(data)
    if brands & _AVIF_BRANDS:
        return "image/avif"  # Pillow reads AVIF itself
    if brands & _HEIC_BRANDS:
        return "image/heic"
    for magic, media_type in _SIGNATURES.items():
        if data.startswith(magic):
            return media_type
    return None


def _looks_like_image(data: bytes) -> bool:
    kind = media_type_of(data)
    # "BM" alone starts plenty of text: a bitmap also has its header size where BMPs keep it
    if kind == "image/heic":
        return False  # its own format below: recognised, not decoded
    return kind is not None and (kind != "image/bmp" or (len(data) > 18 and data[14] in (12, 40, 56, 108, 124)))


def _looks_like_heic(data: bytes) -> bool:
    return media_type_of(data) == "image/heic"


def extract_heic(data: bytes, name: str, ctx: ExtractContext) -> Document:
    """A HEIC picture, recognised so that it is named for what it is, but not read (see above)."""
    why = ("a HEIC/HEIF picture (an iPhone photo?): no decoder for it is installed, so any text it shows "
           "is not read: not scanned (send it as JPEG or PNG)")
    return Document(name=name, media_type="image/heic", problems=(Problem(name, "unsupported", why),))


def extract_image(data: bytes, name: str, ctx: ExtractContext) -> Document:
    media_type = media_type_of(data) or "image/unknown"
    segments: list[Segment] = []
    problems: list[Problem] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's warnings can quote chunk text
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                problems.append(Problem(name, "limit", f"the picture is {image.width}x{image.height} pixels, more "
                                        f"than {MAX_PIXELS} pixels: not read"))
                return Document(name=name, media_type=media_type, problems=tuple(problems))
            segments.extend(_metadata(image))
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_FRAMES:
                problems.append(Problem(name, "limit", f"{frames} pages: only the first {MAX_FRAMES} are read"))
            many = frames > 1 and media_type == "image/tiff"  # pages of a fax; a GIF's frames are animation
            for index in range(min(frames, MAX_FRAMES) if many else 1):
                ctx.count_part()
                image.seek(index)
                image.load()
                where = f"page {index + 1}" if many else "picture"
                outcome = ocr_picture(image.copy(), ctx, name, where, page_number=index + 1 if many else None)
                for seg in outcome.segments:
                    ctx.count_text(len(seg.text))
                segments.extend(outcome.segments)
                problems.extend(outcome.problems)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as e:
        problems.append(Problem(name, "corrupt", f"the picture could not be decoded ({type(e).__name__})"))
    except Image.DecompressionBombError:
        problems.append(Problem(name, "limit", "the picture is too large to decode"))
    return Document(name=name, media_type=media_type, segments=tuple(segments), problems=tuple(problems))


def _metadata(image: Image.Image) -> list[Segment]:
    out = []
    try:
        exif = image.getexif()
    except (OSError, ValueError, SyntaxError):
        exif = {}  # type: ignore[assignment]
    for tag, label in _TEXT_EXIF.items():
        value = exif.get(tag)
        if isinstance(value, bytes):
            value = value.decode("utf-16-le" if tag >= 40091 else "utf-8", errors="replace").strip("\x00 ")
        if isinstance(value, str) and value.strip():
            out.append(Segment(text=value.strip(), location=f"picture metadata ({label})", kind="metadata",
                               hidden=True, field=label))
    for value in getattr(image, "text", {}).values() if image.format == "PNG" else ():
        if isinstance(value, str) and value.strip():
            out.append(Segment(text=value.strip(), location="picture metadata (text chunk)", kind="metadata",
                               hidden=True, field="text chunk"))
    return out


def picture_document(data: bytes, member: str, ctx: ExtractContext) -> Document | None:
    """A picture held inside another document, read as a nested Document; None when the bytes
    are no picture this module reads (EMF/WMF and SVG are drawings, not scans)."""
    if _looks_like_heic(data):
        return extract_heic(data, member, ctx.nested())
    if not _looks_like_image(data):
        return None
    return extract_image(data, member, ctx.nested())


FORMATS: list[Format] = [
    Format(
        name="image",
        extensions=(".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".gif", ".bmp", ".webp", ".avif"),
        media_types=("image/png", "image/jpeg", "image/pjpeg", "image/tiff", "image/gif", "image/bmp",
                     "image/webp", "image/avif"),
        sniff=_looks_like_image,
        extract=extract_image,
    ),
    Format(
        name="heic",
        extensions=(".heic", ".heif", ".hif"),
        media_types=("image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"),
        sniff=_looks_like_heic,
        extract=extract_heic,
    ),
]


def media_pictures(parts: dict[str, bytes] | list[tuple[str, bytes]], folder: str,
                   ctx: ExtractContext) -> list[Document]:
    """The pictures of an Office package's media folder (word/media/, ppt/media/, xl/media/),
    each read by OCR as a nested Document named "picture N" (never the part's own file name).
    A picture that does not decode is left out: Office shows a broken-picture mark in its place,
    so no text of it reaches a reader (its bytes are not a format anything reads as text)."""
    items = parts.items() if isinstance(parts, dict) else parts
    out: list[Document] = []
    for part, blob in sorted(items):
        if part.startswith(folder):
            child = picture_document(blob, f"picture {len(out) + 1}", ctx)
            if child is not None and not (not child.segments and child.problems
                                          and all(p.cause == "corrupt" for p in child.problems)):
                out.append(child)
    return out
