"""Redaction of scans: black boxes painted into the pixels over the words OCR read, written as a
new picture or an image-only PDF made from those pixels alone (no text layer, no metadata, none
of the original image data), then read again by OCR to prove the values are gone.

Values are matched on OCR text folded for the letters OCR mistakes for digits (O/0, l/1, S/5,
B/8), on both sides, so a value OCR half-misread is still found and painted over.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw

from ..extract.ocr import PageOcr, Word, read_image
from ..extract.pdf_ocr import RENDER_DPI, render_page
from ..extract.pdf_pdfium import open_document, read_page
from .errors import RedactionError
from .values import Target, ValueMatcher
from .verify import Leak, VerificationFailed

_FOLD = str.maketrans({"o": "0", "q": "0", "d": "0", "i": "1", "l": "1", "|": "1", "!": "1", "s": "5", "b": "8",
                       "z": "2", "g": "6"})
_PAD = 0.2  # of a word's height, around each box: anti-aliased edges and ascenders go too
_OCR_TIME = 120.0  # seconds a page may take here: redaction is asked for, not on the mail path
_WRITABLE = {"PNG": "PNG", "JPEG": "JPEG", "TIFF": "TIFF", "BMP": "BMP", "GIF": "PNG", "WEBP": "PNG"}


def fold(text: str) -> str:
    """Lower case with OCR's look-alikes as one, length-preserving: offsets in the folded text
    are offsets in the original."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).translate(_FOLD)


def folded_matcher(matcher: ValueMatcher) -> ValueMatcher:
    return ValueMatcher([Target(fold(t.value), t.entity_type) for t in matcher.targets])


def _runs(page: PageOcr) -> Iterator[tuple[str, list[tuple[int, int, Word]]]]:
    """Each paragraph's text (lines joined by a space: a value can wrap) with each word's span."""
    groups: dict[tuple[int, int], list[Word]] = {}
    for w in page.words:
        groups.setdefault(w.paragraph[:2], []).append(w)
    for words in groups.values():
        text, spans = "", []
        for w in words:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(w.text), w))
            text += w.text
        yield text, spans


def boxes_to_paint(page: PageOcr, matcher: ValueMatcher) -> tuple[list[tuple[int, int, int, int]], set[str]]:
    """Boxes (pixels of the original picture) over every word a target falls in, and the
    entity types painted."""
    boxes, types = [], set()
    for text, spans in _runs(page):
        for m in matcher.finditer(fold(text)):
            types.add(m.target.entity_type)
            lines: dict[tuple[int, int, int], list[Word]] = {}
            for start, end, w in spans:
                if start < m.end and end > m.start:
                    lines.setdefault(w.paragraph, []).append(w)
            for words in lines.values():  # one bar per line of the value, as a redactor draws it
                x0, y0 = min(w.box[0] for w in words), min(w.box[1] for w in words)
                x1, y1 = max(w.box[2] for w in words), max(w.box[3] for w in words)
                pad, s = (y1 - y0) * _PAD, page.scale
                boxes.append((int((x0 - pad) / s), int((y0 - pad) / s), int((x1 + pad) / s) + 1,
                              int((y1 + pad) / s) + 1))
    return boxes, types


def paint(picture: Image.Image, matcher: ValueMatcher, scale: float = 1.0) -> tuple[Image.Image, int, set[str]]:
    """A new picture (pixels only) with every target painted over; the number of boxes."""
    page = read_image(picture, _OCR_TIME, scale=scale)
    boxes, types = boxes_to_paint(page, matcher)
    mode = "1" if picture.mode == "1" else ("L" if picture.mode in ("L", "LA", "I", "I;16") else "RGB")
    out = Image.new(mode, picture.size, "white")
    out.paste(picture.convert(mode))
    draw = ImageDraw.Draw(out)
    for box in boxes:
        draw.rectangle(box, fill="black")
    return out, len(boxes), types


def still_read(picture: Image.Image, matcher: ValueMatcher, scale: float = 1.0) -> set[str]:
    """The entity types OCR still reads in a redacted picture (folded as when painting)."""
    return boxes_to_paint(read_image(picture, _OCR_TIME, scale=scale), matcher)[1]


def redact_scan(fmt: str, data: bytes, name: str, matcher: ValueMatcher) -> tuple[bytes, list[str]] | None:
    """The redacted copy of a picture or an image-only PDF; None for a PDF with a text layer
    (the PDF redactor's business)."""
    folded = folded_matcher(matcher)
    if fmt == "image":
        return _picture(data, name, folded)
    with open_document(data) as layer:
        count = len(layer)
        if not count or not all(_image_only(layer, i) for i in range(count)):
            return None  # text pages: the PDF redactor; a scanned page among them fails its verifier
        # in colour: a colour scan (a stamp, a signature in blue, tinted paper) stays one when redacted
        pages = [(_grey_if_grey(picture), scale, height)
                 for picture, scale, height in (render_page(layer, i, grayscale=False) for i in range(count))]
    painted, notes, leaks = [], [], []
    for number, (picture, _scale, _height) in enumerate(pages, 1):
        out, n, _types = paint(picture, folded)
        painted.append(out)
        if n:
            notes.append(f"page {number}: {n} box(es) painted over in the pixels")
        leaks += [Leak(t, f"page {number}", "OCR of the redacted page") for t in sorted(still_read(out, folded))]
    if leaks:
        raise VerificationFailed(name, leaks)
    buffer = io.BytesIO()
    first, *rest = painted
    first.save(buffer, format="PDF", resolution=RENDER_DPI, save_all=True, append_images=rest)
    notes.append(f"written as an image-only PDF at {RENDER_DPI} dpi from the painted pixels: no text layer, "
                 "no metadata and none of the original's objects")
    return buffer.getvalue(), notes


def _grey_if_grey(picture: Image.Image) -> Image.Image:
    """The picture as greyscale when it has no colour (a third of the size written), else as it is."""
    rgb = picture.convert("RGB")
    red, green, blue = rgb.split()
    if ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(red, blue).getbbox() is None:
        return red
    return rgb


def _image_only(layer: Any, index: int) -> bool:
    shown = read_page(layer, index)
    return shown.glyphs == 0 and shown.images > 0


def _picture(data: bytes, name: str, folded: ValueMatcher) -> tuple[bytes, list[str]]:
    try:
        source = Image.open(io.BytesIO(data))
        kind = source.format or "PNG"
        frames = getattr(source, "n_frames", 1) if kind == "TIFF" else 1
        pictures = []
        for index in range(frames):
            source.seek(index)
            source.load()
            pictures.append(source.copy())
    except (OSError, ValueError, SyntaxError, EOFError, pdfium.PdfiumError) as e:
        raise RedactionError(f"{name}: the picture could not be decoded ({type(e).__name__})") from None
    painted, notes, leaks = [], [], []
    for index, picture in enumerate(pictures, 1):
        out, n, _types = paint(picture, folded)
        painted.append(out)
        where = f"page {index}" if frames > 1 else "the picture"
        if n:
            notes.append(f"{where}: {n} box(es) painted over in the pixels")
        leaks += [Leak(t, where, "OCR of the redacted picture") for t in sorted(still_read(out, folded))]
    if leaks:
        raise VerificationFailed(name, leaks)
    fmt = _WRITABLE.get(kind, "PNG")
    buffer = io.BytesIO()
    options: dict[str, Any] = {"format": fmt}
    if fmt == "JPEG":
        options["quality"] = 90
    if fmt == "TIFF":
        options["compression"] = "group4" if painted[0].mode == "1" else "tiff_lzw"
        options.update(save_all=True, append_images=painted[1:])
    painted[0].save(buffer, **options)
    notes.append(f"written as a new {fmt} from the painted pixels: no metadata and none of the original's data")
    return buffer.getvalue(), notes
