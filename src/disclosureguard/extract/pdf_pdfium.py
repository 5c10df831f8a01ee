"""A PDF page's text and what could hide it, read through PDFium (pypdfium2).

PDFium parses content streams in C++: a page's text comes back in one call. What can hide
text is decided first per page object (PDFium makes one text object per text-showing run
of one colour and render mode, and one object per filled path and image, in drawing
order), so a page with nothing suspicious costs one text call and one walk over its
objects. Only the characters of a text object that is invisible, white, off the page, the
colour of what is behind it, or painted over by something later, are measured one by one
(the others stand for their object's box) and sorted by :func:`pdf_geometry.classify`.
Measuring costs some tens of µs a character in Python: a page with more than
MAX_MEASURED_CHARS of them to measure is a ``limit`` problem, so no page costs more than a
second or two here (a page of 140,000 characters all to measure took 16 s on a loaded machine).

PDFium is not thread-safe: every call into it holds one process-wide lock.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .pdf_geometry import (
    DARK,
    INVISIBLE_MODES,
    WHITE,
    Box,
    Cover,
    Glyph,
    Placed,
    Point,
    classify,
    intersects,
    luminance,
    overlap,
)

LOCK = threading.RLock()
MAX_PAGE_CHARS = 200_000  # characters of one page whose text objects are looked up (~1 s)
MAX_MEASURED_CHARS = 50_000  # characters of one page measured one by one (~1 s); past either, a problem
_SAME_COLOUR = 0.05


class PdfiumError(Exception):
    """PDFium could not open or read the file (the message names no input value)."""


@dataclass(frozen=True)
class _TextObject:
    order: int
    invisible: bool
    luminance: float | None
    box: Box
    layer_off: bool = False


@dataclass
class _Objects:
    texts: dict[int, _TextObject] = field(default_factory=dict)
    covers: list[Cover] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    count: int = 0


@dataclass(frozen=True)
class PageText:
    """What one page shows and hides."""

    runs: tuple[Placed, ...]  # in reading order; ``why`` None for visible text
    images: int  # image objects drawn (a page of images and no text is a scan)
    undecodable: int  # glyphs whose font gives no character (Type3 private names, no ToUnicode)
    glyphs: int  # characters drawn (not counting spaces PDFium inserted)
    unmeasured: bool = False  # something could hide text, but the page had too many characters to measure
    lost: int = 0  # characters PDFium counted that are in none of the runs (must stay 0)

    @property
    def visible(self) -> str:
        return "".join(r.text for r in self.runs if r.why is None)

    @property
    def needs_ocr(self) -> bool:
        """True when the page's text cannot be read from its text layer: only OCR can read it."""
        return self.undecodable > 0 or (self.glyphs == 0 and self.images > 0)


@contextmanager
def open_document(data: bytes, password: str | None = None) -> Iterator[Any]:
    """The PDFium document for ``data``, closed on leaving; the lock is held throughout."""
    with LOCK:
        try:
            doc = pdfium.PdfDocument(data, password=password)
        except pdfium.PdfiumError as e:
            raise PdfiumError(_reason(e)) from None
        try:
            yield doc
        finally:
            doc.close()


def _reason(e: Exception) -> str:
    text = str(e)
    # PDFium's messages are fixed phrases ("Incorrect password error", "Data format error")
    return text.split("(")[0].strip()[:80] or type(e).__name__


def _rgba(obj: Any) -> tuple[float | None, int]:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None, 255
    return luminance((r.value / 255, g.value / 255, b.value / 255)), a.value


def _bounds(obj: Any) -> Box | None:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    return (left.value, bottom.value, right.value, top.value)


def _address(obj: Any) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


# FPDFText_GetTextObject returning the object's address as a plain int: a character's owner is
# looked up for every character of a page, and casting each returned pointer costs ten times the call.
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    _address(raw.FPDFText_GetTextObject)
)


def _mark_layer(mark: Any) -> str | None:
    """The layer name of an /OC marked-content mark (PDFium gives the OCG's entries as params)."""
    buffer = ctypes.create_string_buffer(512)
    length = ctypes.c_ulong()
    as_wide = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    if not raw.FPDFPageObjMark_GetName(mark, as_wide, 512, length) or length.value < 2:
        return None
    if buffer.raw[: length.value - 2].decode("utf-16-le", errors="replace") != "OC":
        return None
    if not raw.FPDFPageObjMark_GetParamStringValue(mark, b"Name", as_wide, 512, length) or length.value < 2:
        return ""
    return buffer.raw[: length.value - 2].decode("utf-16-le", errors="replace")


def _in_layer_off(obj: Any, off_layers: frozenset[str]) -> bool:
    for m in range(raw.FPDFPageObj_CountMarks(obj)):
        layer = _mark_layer(raw.FPDFPageObj_GetMark(obj, m))
        if layer is not None and layer in off_layers:
            return True
    return False


def _walk(count: int, get: Any, out: _Objects, depth: int, off_layers: frozenset[str] = frozenset(),
          parent_off: bool = False) -> None:
    for i in range(count):
        obj = get(i)
        if not obj:
            continue
        out.count += 1
        order = out.count
        kind = raw.FPDFPageObj_GetType(obj)
        off = parent_off or (bool(off_layers) and _in_layer_off(obj, off_layers))
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            box = _bounds(obj)
            lum, alpha = _rgba(obj)
            mode = raw.FPDFTextObj_GetTextRenderMode(obj)
            invisible = mode in INVISIBLE_MODES or alpha == 0
            out.texts[_address(obj)] = _TextObject(order, invisible, lum, box or (0.0, 0.0, 0.0, 0.0), off)
        elif off:
            continue  # a shape or image in a switched-off layer is not drawn: it hides nothing
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            raw.FPDFPath_GetDrawMode(obj, fill, stroke)
            lum, alpha = _rgba(obj)
            box = _bounds(obj)
            if fill.value and alpha > 0 and box is not None and box[2] > box[0] and box[3] > box[1]:
                what = "a black box" if lum is not None and lum <= DARK else "a filled shape"
                out.covers.append(Cover(box, order, what, lum))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            box = _bounds(obj)
            if box is not None:
                out.images.append(box)
                out.covers.append(Cover(box, order, "an image"))
        elif kind == raw.FPDF_PAGEOBJ_SHADING:
            box = _bounds(obj)
            if box is not None:
                out.covers.append(Cover(box, order, "a shaded area"))
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 32:
            form = obj
            _walk(
                raw.FPDFFormObj_CountObjects(form),
                lambda k, f=form: raw.FPDFFormObj_GetObject(f, k),
                out,
                depth + 1,
                off_layers,
                off,
            )


def _could_hide(text: _TextObject, covers: Sequence[Cover], page: Box) -> bool:
    """Whether some of a text object's characters could be hidden: only theirs are measured."""
    box = text.box
    if text.invisible or text.layer_off or (text.luminance is not None and text.luminance >= WHITE):
        return True
    if box[0] < page[0] or box[1] < page[1] or box[2] > page[2] or box[3] > page[3]:
        return True
    for cover in covers:
        if cover.order > text.order:
            if intersects(box, cover.box):
                return True
        elif (
            cover.luminance is not None
            and text.luminance is not None
            and abs(cover.luminance - text.luminance) < _SAME_COLOUR
            and overlap(box, cover.box) > 0
        ):
            return True
    return False


def _crop_box(page: Any) -> Box:
    try:
        box = page.get_cropbox()
    except pdfium.PdfiumError:
        box = page.get_mediabox()
    x0, y0, x1, y1 = (float(v) for v in box)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _all_text(textpage: Any, n: int) -> str:
    if n <= 0:
        return ""
    buffer = ctypes.create_string_buffer((n + 1) * 2)
    got = raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    return buffer.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")


def _owners(textpage: Any, n: int, objects: _Objects) -> list[_TextObject | None]:
    """The text object that drew each character (None for what PDFium inserted)."""
    texts = objects.texts
    return [texts.get(_text_object_address(textpage, i) or 0) for i in range(n)]


def _glyphs(textpage: Any, text: str, owners: Sequence[_TextObject | None], measure: set[int]) -> list[Glyph]:
    """Each character as a glyph: measured one by one when its object is in ``measure``
    (addresses of objects that could hide text); otherwise standing for its object's box."""
    n = len(owners)
    aligned = len(text) == n
    rect = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    out: list[Glyph] = []
    none_box = (0.0, 0.0, 0.0, 0.0)
    for i, owner in enumerate(owners):
        char = text[i] if aligned else chr(raw.FPDFText_GetUnicode(textpage, i) or 0xFFFD)
        if owner is None:
            out.append(Glyph(char, none_box, (0.0, 0.0), -1))
            continue
        if id(owner) not in measure:
            box = owner.box
            out.append(Glyph(char, box, (box[0], box[1]), owner.order, plain=True))
            continue
        raw.FPDFText_GetLooseCharBox(textpage, i, rect)
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        box = (
            min(rect.left, rect.right),
            min(rect.bottom, rect.top),
            max(rect.left, rect.right),
            max(rect.bottom, rect.top),
        )
        out.append(
            Glyph(char, box, (x.value, y.value), owner.order, owner.invisible, owner.luminance, owner.layer_off)
        )
    return out


_RAW_CODES = re.compile(r"[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f]")


def _raw_codes(text: str) -> int:
    """Characters that are control codes: PDFium hands over a glyph's code as the character
    when it finds no mapping it uses (a Type3 font even with standard glyph names). U+0002
    is left out: it is how PDFium marks a hyphen at a line end."""
    return len(_RAW_CODES.findall(text)) if not text.isprintable() else 0


def _undecodable(textpage: Any, n: int) -> int:
    """Glyphs PDFium could not map to a character (asked only of pages with such a font)."""
    return sum(1 for i in range(n) if raw.FPDFText_HasUnicodeMapError(textpage, i) == 1)


def read_page(
    doc: Any,
    index: int,
    extra_covers: Sequence[Cover] = (),
    *,
    check_glyphs: bool = False,
    off_layers: frozenset[str] = frozenset(),
) -> PageText:
    """Page ``index`` (from 0): its runs of visible and hidden text. ``extra_covers`` are shapes
    painted over the page content (annotations); ``check_glyphs`` counts the glyphs that map
    to no character (for a page that uses a font without a way to map them); text in one of
    ``off_layers`` (names of optional-content groups switched off) is hidden."""
    with LOCK, _open_page(doc, index) as page:
        objects = _Objects()
        _walk(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k), objects, 0, off_layers)
        covers = [*objects.covers, *extra_covers]
        crop = _crop_box(page)
        textpage = page.get_textpage()
        try:
            n = raw.FPDFText_CountChars(textpage.raw)
            text = _all_text(textpage.raw, n)
            undecodable = max(_undecodable(textpage.raw, n) if check_glyphs else 0, _raw_codes(text))
            drawn = sum(1 for c in text if not c.isspace())
            runs, unmeasured = _runs(textpage.raw, n, text, objects, covers, crop)
            lost = _lost(n, text, drawn, runs)
        finally:
            textpage.close()
    return PageText(runs, len(objects.images), undecodable, drawn, unmeasured, lost)


def _lost(n: int, text: str, drawn: int, runs: Sequence[Placed]) -> int:
    """The per-page check that no glyph is dropped: every character PDFium counted must be in
    its text, and every one that is not a space in exactly one run (visible or hidden)."""
    kept = sum(1 for run in runs for c in run.text if not c.isspace())
    units = len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2  # PDFium counts UTF-16 units
    return max(n - units, 0) + abs(drawn - kept)


def _runs(textpage: Any, n: int, text: str, objects: _Objects, covers: Sequence[Cover],
          crop: Box) -> tuple[tuple[Placed, ...], bool]:
    """The page's runs of visible and hidden text, and whether it was too much to measure."""
    measure = {id(t) for t in objects.texts.values() if _could_hide(t, covers, crop)}
    whole = (Placed(_clean(text), None, "body", crop, (0, 0)),)
    if not measure:
        return whole, False
    if n > MAX_PAGE_CHARS:
        return whole, True
    owners = _owners(textpage, n, objects)
    if sum(1 for o in owners if o is not None and id(o) in measure) > MAX_MEASURED_CHARS:
        return whole, True
    glyphs = _glyphs(textpage, text, owners, measure)
    runs = tuple(
        Placed(_clean(p.text), p.why, p.kind, p.box, p.origin) for p in classify(glyphs, covers, objects.images, crop)
    )
    return runs, False


def _clean(text: str) -> str:
    """PDFium's line breaks are CR LF; a hyphen it found at a line end comes as U+FFFE (U+0002)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-").replace("\x02", "-")



@contextmanager
def _open_page(doc: Any, index: int) -> Iterator[Any]:
    """Page ``index`` of ``doc``, closed after use; a page PDFium cannot load is a PdfiumError.
    The caller holds LOCK: PDFium is not thread-safe."""
    try:
        page = doc[index]
    except (pdfium.PdfiumError, IndexError) as e:
        raise PdfiumError(_reason(e)) from None
    try:
        yield page
    finally:
        page.close()

def page_count(doc: Any) -> int:
    with LOCK:
        return len(doc)


def plain_text(doc: Any, index: int) -> str:
    """All the text of page ``index``, seen or not (for comparing revisions)."""
    with LOCK, _open_page(doc, index) as page:
        textpage = page.get_textpage()
        try:
            n = raw.FPDFText_CountChars(textpage.raw)
            return _clean(_all_text(textpage.raw, n))
        finally:
            textpage.close()


def char_origins(doc: Any, index: int) -> tuple[list[tuple[str, Point]], list[Box]]:
    """Every character PDFium reads on page ``index`` with its baseline origin in page space
    (the spaces and line breaks it inserted left out), and the box of every text object of the
    page's own content: what redaction checks its glyphs against."""
    with LOCK, _open_page(doc, index) as page:
        objects = []
        for k in range(raw.FPDFPage_CountObjects(page)):
            obj = raw.FPDFPage_GetObject(page, k)
            box = _bounds(obj) if obj and raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_TEXT else None
            if box is not None:
                objects.append(box)
        textpage = page.get_textpage()
        try:
            x, y = ctypes.c_double(), ctypes.c_double()
            chars = []
            for i in range(raw.FPDFText_CountChars(textpage.raw)):
                if raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
                    continue
                raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
                chars.append((chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD), (x.value, y.value)))
            return chars, objects
        finally:
            textpage.close()


def appearance_texts(doc: Any, index: int) -> list[str]:
    """The text drawn by the appearance streams of page ``index``'s annotations and form
    widgets (a stamp with no /Contents, a field whose /V is empty but whose box shows text).

    PDFium flattens the annotations into the page (in this document only: call it after the
    page has been read), and the text objects of what was added are read one by one.
    """
    with LOCK:
        with _open_page(doc, index) as page:  # flattening shows only once the page is loaded again
            before = raw.FPDFPage_CountObjects(page)
            flattened = raw.FPDFPage_Flatten(page, raw.FLAT_NORMALDISPLAY)
        if flattened != raw.FLATTEN_SUCCESS:
            return []
        with _open_page(doc, index) as page:
            textpage = page.get_textpage()
            try:
                out: list[str] = []
                for k in range(before, raw.FPDFPage_CountObjects(page)):
                    pieces: list[str] = []
                    _texts_of(raw.FPDFPage_GetObject(page, k), textpage.raw, pieces, 0)
                    text = _clean("".join(pieces)).strip()
                    if text:
                        out.append(text)
                return out
            finally:
                textpage.close()


def _texts_of(obj: Any, textpage: Any, out: list[str], depth: int) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    if kind == raw.FPDF_PAGEOBJ_TEXT:
        size = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
        if size > 2:
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
            out.append(buffer.raw[: size - 2].decode("utf-16-le", errors="replace"))
            out.append(" ")
    elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 32:
        for k in range(raw.FPDFFormObj_CountObjects(obj)):
            _texts_of(raw.FPDFFormObj_GetObject(obj, k), textpage, out, depth + 1)
        out.append("\n")
