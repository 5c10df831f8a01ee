"""OCR of PDF pages whose text only a reader of the picture can get: scans with no text layer,
and pages drawn in fonts that map their glyphs to no character.

The page is rendered through PDFium (already open, under its lock) and read by Tesseract.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from typing import Any
from weakref import WeakKeyDictionary

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..model import Problem, Segment
from .context import ExtractContext
from .ocr import PageOcr, finish, reserve, start_reading
from .pdf_pdfium import PdfiumError, read_page

# 300 dpi: the resolution scanners write and Tesseract is tuned for (capitals of 10-12 pt type
# 30-40 pixels high). bench/bench_ocr.py --dpi 200 measures the cheaper choice.
RENDER_DPI = 300
MAX_RENDER_PIXELS = 60_000_000  # a poster-sized page is rendered at a lower resolution


def render_page(layer: Any, index: int, dpi: int | None = None, *, grayscale: bool = True) -> tuple[Any, float, float]:
    """(picture, greyscale unless asked otherwise; pixels per point; page height in points) of one page."""
    dpi = dpi or RENDER_DPI
    page = layer[index]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        pixels = width * height * scale * scale
        if pixels > MAX_RENDER_PIXELS:
            scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=grayscale, may_draw_forms=True)
        return bitmap.to_pil(), scale, height
    finally:
        page.close()


# A page that is one picture at about this resolution is read from the picture itself: PDFium
# decodes it in 0.02 s where rendering the page costs 0.2 s (it decodes and then resamples),
# and Tesseract gets the scanner's own pixels. Other resolutions are rendered at RENDER_DPI.
NATIVE_DPI = (280, 320)
_FIT = 2.0  # points: how closely the picture must cover the page
_COLOUR_SPACES = frozenset({  # a stencil mask or a special colour space is left to rendering
    pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB, pdfium_c.FPDF_COLORSPACE_DEVICECMYK,
    pdfium_c.FPDF_COLORSPACE_CALGRAY, pdfium_c.FPDF_COLORSPACE_CALRGB, pdfium_c.FPDF_COLORSPACE_ICCBASED})


def page_picture(layer: Any, index: int) -> tuple[Any, float, float]:
    """(picture, pixels per point, page height in points) of a page to read by OCR: the page's
    own picture when the page is one picture covering it, upright, at about 300 dpi (a scan as
    a scanner writes it), else the page rendered (:func:`render_page`)."""
    native = _one_picture(layer, index)
    return native if native is not None else render_page(layer, index)


def _one_picture(layer: Any, index: int) -> tuple[Any, float, float] | None:
    page = layer[index]
    try:
        if page.get_rotation() % 360:
            return None
        objects = list(page.get_objects(max_depth=0))
        if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return None
        picture = objects[0]
        a, b, c, d, e, f = picture.get_matrix().get()
        left, bottom, right, top = page.get_cropbox()
        if b or c or max(abs(e - left), abs(f - bottom), abs(a - (right - left)), abs(d - (top - bottom))) > _FIT:
            return None
        width, height = picture.get_px_size()
        across, down = width / a * 72, height / d * 72
        if not (NATIVE_DPI[0] <= across <= NATIVE_DPI[1] and NATIVE_DPI[0] <= down <= NATIVE_DPI[1]):
            return None
        if picture.get_metadata().colorspace not in _COLOUR_SPACES:
            return None
        image = picture.get_bitmap(render=False).to_pil()
        if image.size != (width, height):
            return None
        return image, width / a, top - bottom
    except (pdfium.PdfiumError, OSError, ValueError):
        return None  # rendering will say what is wrong with it
    finally:
        page.close()


def ocr_pdf_page(layer: Any, index: int, name: str, ctx: ExtractContext) -> tuple[list[Segment], list[Problem], bool]:
    """The OCR text of page ``index`` (from 0) with boxes in PDF points (origin bottom left),
    its problems, and whether OCR read it (its text then stands for the page's missing layer).

    While Tesseract reads this page, the next page, when it is a scan too, is rendered and
    read on a second reader: a bundle of scanned pages takes about half the time on two
    free cores (the milter's default time limit is 30 s for a whole message)."""
    number = index + 1
    if ctx.limits.ocr_max_pages <= 0:  # OCR off: the page stays unscanned, as before OCR
        return [], [], False
    ahead = _AHEAD.setdefault(layer, {})
    started = ahead.pop(index, None)
    if started is None:
        refused = reserve(ctx, name, f"page {number}")
        if refused is not None:
            return [], refused.problems, False
        try:
            picture, scale, height = page_picture(layer, index)
        except (pdfium.PdfiumError, OSError, ValueError) as e:
            why = f"page {number} could not be rendered for OCR ({type(e).__name__})"
            return [], [Problem(name, "corrupt", why)], False
        started = (start_reading(picture, ctx, scale=scale), height)
    _read_ahead(layer, index + 1, ctx, ahead)
    reading, height = started
    outcome = finish(reading, ctx, name, f"page {number}", page_number=number)
    found = []
    for seg in outcome.segments:
        ctx.count_text(len(seg.text))
        if seg.bbox is not None:
            x0, top, x1, bottom = seg.bbox
            seg = replace(seg, bbox=(x0, round(height - bottom, 1), x1, round(height - top, 1)))
        found.append(seg)
    return found, outcome.problems, outcome.read


# Pages read ahead, per open document: page index to (its reading, page height in points).
_AHEAD: WeakKeyDictionary[Any, dict[int, tuple[Future[PageOcr], float]]] = WeakKeyDictionary()


def _read_ahead(layer: Any, index: int, ctx: ExtractContext, ahead: dict[int, tuple[Future[PageOcr], float]]) -> None:
    """Start reading page ``index`` when it is a scan (images, no characters) and the budget
    allows; a page that cannot be looked at or rendered is left for its own turn to report."""
    if index in ahead or index >= len(layer) or ctx.budget.ocr_pages >= ctx.limits.ocr_max_pages:
        return
    try:
        shown = read_page(layer, index)
        if shown.glyphs or not shown.images:
            return
        picture, scale, height = page_picture(layer, index)
    except (pdfium.PdfiumError, PdfiumError, OSError, ValueError):
        return
    ctx.budget.ocr_pages += 1
    ahead[index] = (start_reading(picture, ctx, scale=scale), height)
