"""OCR through Tesseract: the words of a picture of a page, with their boxes and confidence,
and an honest account of pages it could not read well.

Tesseract runs in engine processes of its own (:mod:`.ocr_reader`), so a page that takes too
long is killed at the per-page time limit and becomes a problem (its CPU time is capped by the
kernel too); the whole scan is also inside the killable worker.
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from PIL import Image, ImageChops, ImageOps

from ..model import Problem, Segment
from .context import ExtractContext
from .ocr_reader import OcrUnavailable, read_tsv

# One Tesseract thread per page: batch and the milter's pool already run one scan per core,
# and OpenMP threads fighting over two cores made pages slower, not faster.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LOW_WORD = 60.0  # a word below this confidence (0-100) is doubtful
LOW_PAGE_MEAN = 75.0  # a page whose mean word confidence is below this is not read reliably
LOW_PAGE_SHARE = 0.35  # ... or whose share of doubtful words is above this
MIN_SIDE = 24  # pixels: smaller than this holds no legible text (icons, spacer and tracking pixels)
MIN_TEXT_SIDE = 120  # pixels: ink in an image smaller than this cannot be read reliably
INK_SHARE = 0.004  # share of dark pixels above which a picture holds marks someone made
PAGE_SIDE = 600  # pixels: a smaller picture with fewer than FEW_WORDS words is a logo or icon, not a page
FEW_WORDS = 5
SPECKLE = 0.005  # share of pixels a median changes above which a picture is filtered (clean
# scans 0.0004, dithered faxes 0.003, the degraded bench pages 0.011)
SPECKLE_BANDS = 8
TARGET_WIDTH = 2000  # pixels: small pictures are scaled up towards this before OCR (x-height)


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-100, Tesseract's
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels of the image read
    paragraph: tuple[int, int, int]  # Tesseract's block, paragraph and line numbers


@dataclass(frozen=True)
class PageOcr:
    words: tuple[Word, ...]
    width: int
    height: int
    scale: float  # pixels of the image read per pixel (or point) of the original
    ink: float  # share of dark pixels
    low: str | None  # why the page is not read reliably, or None

    @property
    def mean_confidence(self) -> float:
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0

    def paragraphs(self) -> list[tuple[str, tuple[float, float, float, float], float]]:
        """(text, box in original units, mean confidence) of each paragraph, lines joined by newlines."""
        groups: dict[tuple[int, int], list[Word]] = {}
        for w in self.words:
            groups.setdefault(w.paragraph[:2], []).append(w)
        out = []
        for words in groups.values():
            lines: dict[int, list[str]] = {}
            for w in words:
                lines.setdefault(w.paragraph[2], []).append(w.text)
            text = "\n".join(" ".join(ws) for ws in lines.values())
            s = self.scale
            box = (min(w.box[0] for w in words) / s, min(w.box[1] for w in words) / s,
                   max(w.box[2] for w in words) / s, max(w.box[3] for w in words) / s)
            out.append((text, box, sum(w.confidence for w in words) / len(words)))
        return out


def available() -> bool:
    return shutil.which("tesseract") is not None


def prepare(image: Image.Image) -> tuple[Image.Image, float]:
    """A greyscale copy fit for Tesseract, and the scale applied: EXIF rotation undone, alpha on
    white, small pictures enlarged (Tesseract reads text best at 20-30 pixels a capital)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    grey = image.convert("L")
    scale = 1.0
    if grey.width < TARGET_WIDTH / 2:
        scale = min(4.0, TARGET_WIDTH / 2 / max(grey.width, 1))
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    # A 3x3 median takes out scanner speckle (on the degraded bench pages mean confidence went
    # from 71 to 92) but thins the strokes of clean faxes and photos (their postcode recall fell
    # from 1.00 to 0.62 and 0.88): only a speckled picture is filtered. The median of a whole
    # 300 dpi page costs a third of a second, as much as a quarter of Tesseract's own time, so
    # speckle is judged on sample bands and the page is filtered only when it needs it.
    if speckle(grey) > SPECKLE:
        grey = median3(grey)
    return grey, scale


def median3(grey: Image.Image) -> Image.Image:
    """A 3x3 median filter: Pillow's MedianFilter(3) (the same pixels, but for the picture's
    outermost rows and columns, which meet the opposite edge) in less than half its time.

    MedianFilter(3) cost 0.7 s on a degraded 300 dpi page, as much as Tesseract's reading of
    it; this costs 0.3 s. Each pixel's nine neighbours go through the 19 compare-and-swap
    steps of a median-of-9 sorting network (N. Devillard, "Fast median search", opt_med9),
    done on whole pictures with ImageChops.darker and lighter (per-pixel min and max, in C)."""
    p = [ImageChops.offset(grey, dx, dy) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    for a, b in _MEDIAN_OF_9:
        p[a], p[b] = ImageChops.darker(p[a], p[b]), ImageChops.lighter(p[a], p[b])
    return p[4]


_MEDIAN_OF_9 = ((1, 2), (4, 5), (7, 8), (0, 1), (3, 4), (6, 7), (1, 2), (4, 5), (7, 8), (0, 3), (5, 8), (4, 7),
                (3, 6), (1, 4), (2, 5), (4, 7), (4, 2), (6, 4), (4, 2))


def speckle(grey: Image.Image, bands: int = SPECKLE_BANDS) -> float:
    """The share of pixels a median filter changes by more than half the grey scale, over
    ``bands`` full-width bands spread down the picture (an eighth of it in all)."""
    height = max(3, grey.height // (bands * 8))
    changed = total = 0
    for i in range(bands):
        top = min(grey.height - height, (2 * i + 1) * grey.height // (2 * bands))
        band = grey.crop((0, max(0, top), grey.width, max(0, top) + height))
        smooth = median3(band)
        # the band's own edge rows and columns compare a median over its other edge: left out
        diff = ImageChops.difference(band, smooth).crop((1, 1, band.width - 1, band.height - 1))
        changed += diff.point(lambda v: 255 if v > 128 else 0).histogram()[255]
        total += diff.width * diff.height
    return changed / max(1, total)


def ink_share(grey: Image.Image) -> float:
    small = grey.copy()
    small.thumbnail((600, 600))
    histogram = small.histogram()
    dark = sum(histogram[:128])
    return dark / max(1, small.width * small.height)


def read_image(image: Image.Image, timeout: float, *, scale: float = 1.0) -> PageOcr:
    """OCR one picture of a page. ``scale`` is the pixels per original unit already applied
    (a PDF page rendered at 300 dpi: 300/72). Raises OcrUnavailable or TimeoutError."""
    if not available():
        raise OcrUnavailable("Tesseract is not installed (scripts/system-deps installs it)")
    if min(image.size) < MIN_SIDE:
        return PageOcr((), image.width, image.height, scale, 0.0, None)
    grey, enlarged = prepare(image)
    ink = ink_share(grey)
    data = _tesseract_tsv(grey, timeout)
    words = []
    for i, text in enumerate(data["text"]):
        text = word_text(str(text))
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        box = (left, top, left + int(data["width"][i]), top + int(data["height"][i]))
        words.append(Word(text, conf, box, (int(data["block_num"][i]), int(data["par_num"][i]),
                                            int(data["line_num"][i]))))
    page = PageOcr(tuple(words), grey.width, grey.height, scale * enlarged, ink, None)
    return replace(page, low=_why_low(page, image.size))


# A bracket inside a word, between letters or digits, is a piece of a glyph Tesseract read as
# a character of its own (a serif or the descender of a J: "2F]J" for "2FJ"); typed words do
# not hold one there. "|" is left: it stands for l, I or 1, which the normalisation reads.
_FRAGMENT = re.compile(r"(?<=[^\W_])[\[\]{}](?=[^\W_])")


def word_text(read: str) -> str:
    """A word as Tesseract read it, without glyph fragments inside it."""
    return _FRAGMENT.sub("", read.strip())


def _tesseract_tsv(grey: Image.Image, timeout: float) -> dict[str, list[Any]]:
    """Tesseract's words (TSV columns, parsed by pytesseract) of a greyscale picture, read by
    this reader thread's engine process (:mod:`.ocr_reader`)."""
    import pytesseract

    parsed: dict[str, list[Any]] = pytesseract.pytesseract.file_to_dict(read_tsv(grey, timeout), "\t", -1)
    return parsed if "text" in parsed else {"text": []}


def _why_low(page: PageOcr, original: tuple[int, int]) -> str | None:
    """Why OCR of this page cannot be trusted to have read what is on it, or None."""
    words = [w for w in page.words if any(c.isalnum() for c in w.text)]
    if max(original) < PAGE_SIDE and len(words) < FEW_WORDS:
        return None  # a logo, an icon or a signature image: not a page of text OCR failed to read
    if not words:
        if page.ink > INK_SHARE:
            return "it holds marks but OCR read no words (handwriting, a drawing or a poor scan?)"
        return None  # a blank page or a picture with nothing on it
    if min(original) < MIN_TEXT_SIDE:
        return f"the picture is too small to read reliably ({original[0]}x{original[1]} pixels)"
    mean = sum(w.confidence for w in words) / len(words)
    doubtful = sum(1 for w in words if w.confidence < LOW_WORD) / len(words)
    if mean < LOW_PAGE_MEAN or doubtful > LOW_PAGE_SHARE:
        return (f"OCR confidence is low (mean {mean:.0f} of 100, {doubtful:.0%} of words doubtful: "
                "handwriting, a poor scan or a photo?)")
    return None


def segments(page: PageOcr, where: str, *, page_number: int | None = None) -> list[Segment]:
    """The page's OCR text as one segment, paragraphs apart by blank lines, flagged ``ocr``: one
    segment like a PDF page's text layer, so an address block split over paragraphs by
    Tesseract's layout analysis is still read as one address."""
    paragraphs = [p for p in page.paragraphs() if p[0].strip()]
    if not paragraphs:
        return []
    words = sum(len(p[0].split()) for p in paragraphs)
    confidence = sum(p[2] * len(p[0].split()) for p in paragraphs) / max(1, words)
    box = (min(p[1][0] for p in paragraphs), min(p[1][1] for p in paragraphs),
           max(p[1][2] for p in paragraphs), max(p[1][3] for p in paragraphs))
    return [Segment(
        text="\n\n".join(p[0] for p in paragraphs),
        location=f"{where} (read by OCR)",
        kind="body",
        page=page_number,
        bbox=(round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1)),
        ocr=True,
        confidence=round(confidence, 1),
    )]


@dataclass
class Outcome:
    """What OCR of one picture adds to a document."""

    segments: list[Segment]
    problems: list[Problem]
    read: bool  # OCR ran and its text can stand for the picture's


def reserve(ctx: ExtractContext, part: str, where: str) -> Outcome | None:
    """Count one picture against the document's OCR budget; the Outcome that stands for it
    instead when OCR is off or the document is past ``ocr_max_pages``, else None."""
    limits = ctx.limits
    if limits.ocr_max_pages <= 0:
        off = Problem(part, "no-text-layer", f"{where} is a picture of text and OCR is off: not scanned")
        return Outcome([], [off], False)
    if ctx.budget.ocr_pages >= limits.ocr_max_pages:
        return Outcome([], [Problem(part, "limit", f"{where} is not read: more than ocr_max_pages="
                                    f"{limits.ocr_max_pages} pictures need OCR in this document")], False)
    ctx.budget.ocr_pages += 1
    return None


def start_reading(image: Image.Image, ctx: ExtractContext, *, scale: float = 1.0) -> Future[PageOcr]:
    """OCR of one picture started on a reader thread (Tesseract is a subprocess: the thread
    only waits), so the next page can be rendered and read while this one is."""
    return _readers().submit(read_image, image, ctx.limits.ocr_page_time_limit, scale=scale)


def finish(reading: Future[PageOcr], ctx: ExtractContext, part: str, where: str, *,
           page_number: int | None = None) -> Outcome:
    """The Outcome of a started reading. Every way it can fail is a problem naming ``where``
    (never the picture's text): too slow, no Tesseract, or read with low confidence (its text
    is still kept and scanned)."""
    limit = ctx.limits.ocr_page_time_limit
    try:
        page = reading.result()
    except TimeoutError:
        return Outcome([], [Problem(part, "timeout", f"{where}: OCR took longer than ocr_page_time_limit="
                                    f"{limit:g} s: not scanned")], False)
    except OcrUnavailable as e:
        return Outcome([], [Problem(part, "unsupported", f"{where} needs OCR: {e}")], False)
    found = segments(page, where, page_number=page_number)  # the caller counts their text
    problems = [Problem(part, "low-confidence", f"{where}: {page.low}")] if page.low else []
    return Outcome(found, problems, True)


def ocr_picture(image: Image.Image, ctx: ExtractContext, part: str, where: str, *,
                page_number: int | None = None, scale: float = 1.0) -> Outcome:
    """OCR one picture within the document's budget (see :func:`reserve` and :func:`finish`)."""
    refused = reserve(ctx, part, where)
    if refused is not None:
        return refused
    return finish(start_reading(image, ctx, scale=scale), ctx, part, where, page_number=page_number)


# Readers: threads that wait on Tesseract subprocesses. Two, so that one page is read ahead
# while the current one is (extract/pdf_ocr.py); made per process, since a forked child
# inherits an executor whose threads did not come with it.
READERS = 2
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _readers() -> ThreadPoolExecutor:
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="ocr"))
    return _pool[1]
