"""Where text stands on a PDF page, and whether anything hides it: the one geometry model.

Plain geometry with no PDF library in it, so the rules are small named predicates that
can be tested alone. :class:`Matrix` is the only transform code in the package: the
redactor's content interpreter (redact/pdf_content.py) places its glyphs with it, in the
same page space as the page layer's, so the two can be compared glyph by glyph.

The page layer (pdf_pdfium.py) measures every character (its box, its baseline origin, the
text object that drew it) and every object that can hide text (filled shapes, images,
annotations, each with its drawing order); :func:`classify` then says, character by
character, why a reader of the rendered page cannot see it: under a shape or image painted
after it ("under a black box"), drawn invisibly (render mode 3 or 7), white on a white
page, the colour of the shape behind it, or outside the page. Verdicts are snapped to
whole words, so a box over most of a word hides the word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in page space (points, origin bottom left)
Point = tuple[float, float]

INVISIBLE_MODES = (3, 7)
WHITE = 0.95  # luminance at or above which text on a white page cannot be seen
DARK = 0.35  # luminance at or below which a shape is a "black box"
COVERED = 0.5  # share of a glyph's height (and of a word's letters) a shape must cover to hide it
_SAME_COLOUR = 0.05
_DARK_ENOUGH_BEHIND = 0.6  # a shape behind white text at or below this makes it readable


def luminance(values: Sequence[float]) -> float | None:
    """0 for black, 1 for white, from a gray, RGB or CMYK colour (components 0..1)."""
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(values) == 4:
        c, m, y, k = values
        return 0.299 * (1 - c) * (1 - k) + 0.587 * (1 - m) * (1 - k) + 0.114 * (1 - y) * (1 - k)
    return None


@dataclass(frozen=True, slots=True)
class Matrix:
    """A PDF transform ``[a b c d e f]``; points are row vectors, so ``p' = p × M``."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    @classmethod
    def of(cls, values: Sequence[float]) -> Matrix:
        """From the six operands of ``cm`` or ``Tm`` (or a /Matrix array)."""
        a, b, c, d, e, f = (float(v) for v in values)
        return cls(a, b, c, d, e, f)

    @classmethod
    def translation(cls, tx: float, ty: float) -> Matrix:
        return cls(1.0, 0.0, 0.0, 1.0, tx, ty)

    def then(self, other: Matrix) -> Matrix:
        """``self × other``: this transform first, then ``other`` (PDF's ``Tm × CTM``)."""
        return Matrix(
            self.a * other.a + self.b * other.c,
            self.a * other.b + self.b * other.d,
            self.c * other.a + self.d * other.c,
            self.c * other.b + self.d * other.d,
            self.e * other.a + self.f * other.c + other.e,
            self.e * other.b + self.f * other.d + other.f,
        )

    def apply(self, x: float, y: float) -> Point:
        return (x * self.a + y * self.c + self.e, x * self.b + y * self.d + self.f)

    def corners(self, box: Box) -> list[Point]:
        """The four corners of ``box`` transformed, counter-clockwise from its bottom left."""
        x0, y0, x1, y1 = box
        return [self.apply(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]

    def bounds(self, box: Box) -> Box:
        """The upright box that holds ``box`` transformed."""
        points = self.corners(box)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))

    def values(self) -> tuple[float, float, float, float, float, float]:
        return (self.a, self.b, self.c, self.d, self.e, self.f)

    def scale(self) -> float:
        """How much the transform enlarges lengths along its vertical axis (a font size's)."""
        return float((self.c * self.c + self.d * self.d) ** 0.5)


IDENTITY = Matrix()


@dataclass(frozen=True)
class Cover:
    box: Box
    order: int  # drawing order; annotations are painted after all page content
    what: str  # "a black box", "an image", "a redaction mark that was never applied"...
    luminance: float | None = None


@dataclass(frozen=True)
class Glyph:
    """One character of a page's text, as the page layer measured it."""

    char: str
    box: Box  # the character's advance box (font size high), page space
    origin: tuple[float, float]  # on its baseline
    order: int  # drawing order of its text object; -1 for a space or line break the layer inserted
    invisible: bool = False  # render mode 3 or 7, or fully transparent
    luminance: float | None = 0.0
    layer_off: bool = False  # in an optional-content group (layer) that is switched off
    plain: bool = False  # its text object was judged whole: nothing can hide it (box is the object's)


@dataclass(frozen=True)
class Placed:
    """A run of text with its verdict: ``why`` is None for visible text."""

    text: str
    why: str | None  # e.g. "under a black box", "invisible text (render mode 3)", "white text"
    kind: str  # body, under-box, invisible-text
    box: Box
    origin: tuple[int, int]


def overlap(a: Box, b: Box) -> float:
    """The share of box ``a`` that box ``b`` covers."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return (w * h) / max((a[2] - a[0]) * (a[3] - a[1]), 1e-6)


def intersects(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def vertical_share(glyph: Box, box: Box) -> float:
    span = min(glyph[3], box[3]) - max(glyph[1], box[1])
    return span / max(glyph[3] - glyph[1], 1e-6) if span > 0 else 0.0


def _covering(glyph: Glyph, later: Sequence[Cover]) -> Cover | None:
    """The first shape painted after the glyph that covers its centre and most of its height."""
    centre = (glyph.box[0] + glyph.box[2]) / 2
    for cover in later:
        if cover.box[0] <= centre <= cover.box[2] and vertical_share(glyph.box, cover.box) >= COVERED:
            return cover
    return None


def _colour_verdict(glyph: Glyph, behind: Sequence[Cover]) -> str | None:
    """White on the white page, or the colour of the topmost shape behind it."""
    lum = glyph.luminance
    if lum is None:
        return None
    under = [c for c in behind if c.order < glyph.order and overlap(glyph.box, c.box) >= COVERED]
    top = max(under, key=lambda c: c.order) if under else None
    if lum >= WHITE and not (top and top.luminance is not None and top.luminance < _DARK_ENOUGH_BEHIND):
        return "white text"
    if top is not None and top.luminance is not None and abs(top.luminance - lum) < _SAME_COLOUR:
        return "text the colour of the shape behind it"
    return None


def off_page(glyph: Glyph, page: Box) -> bool:
    """True when the glyph's centre lies outside the visible page (the crop box)."""
    cx = (glyph.box[0] + glyph.box[2]) / 2
    cy = (glyph.box[1] + glyph.box[3]) / 2
    return not (page[0] <= cx <= page[2] and page[1] <= cy <= page[3])


def _verdicts(glyphs: Sequence[Glyph], covers: Sequence[Cover], images: Sequence[Box], page: Box) -> list[str | None]:
    """Why each glyph cannot be seen (None: it can); spaces the layer inserted stay None."""
    out: list[str | None] = []
    for glyph in glyphs:
        if glyph.order < 0 or glyph.plain or glyph.char.isspace():
            out.append(None)
            continue
        if glyph.layer_off:
            out.append("text in a layer that is switched off")
            continue
        if off_page(glyph, page):
            out.append("text outside the page")
            continue
        if glyph.invisible:
            # the OCR layer of a scan: the image shows the same words
            ocr = any(overlap(glyph.box, img) >= COVERED for img in images)
            out.append(None if ocr else "invisible text (render mode 3)")
            continue
        later = [c for c in covers if c.order > glyph.order]
        cover = _covering(glyph, later) if later else None
        if cover is not None:
            out.append(f"under {cover.what}")
            continue
        out.append(_colour_verdict(glyph, covers))
    return out


def _snap_to_words(glyphs: Sequence[Glyph], marks: list[str | None]) -> list[str | None]:
    """A word is under a shape when most of its letters are; a space between two hidden
    pieces of the same kind belongs with them."""
    out = list(marks)
    n = len(glyphs)
    i = 0
    while i < n:
        if glyphs[i].char.isspace():
            i += 1
            continue
        j = i
        while j < n and not glyphs[j].char.isspace():
            j += 1
        covered = [m for m in marks[i:j] if m is not None and m.startswith("under ")]
        if covered:
            verdict = covered[0] if len(covered) * 2 >= (j - i) else None
            for k in range(i, j):
                if out[k] is None or out[k].startswith("under "):  # type: ignore[union-attr]
                    out[k] = verdict
        i = j
    i = 0
    while i < n:
        if not glyphs[i].char.isspace():
            i += 1
            continue
        j = i
        while j < n and glyphs[j].char.isspace():
            j += 1
        if i > 0 and j < n and out[i - 1] is not None and out[i - 1] == out[j] and "\n" not in _chars(glyphs, i, j):
            for k in range(i, j):
                out[k] = out[i - 1]
        i = j
    return out


CONFIRM = 0.35  # share of the drawn font size two readers' origins of one glyph may differ by


def unconfirmed(placed: Sequence[tuple[str, Point, float]], measured: Sequence[tuple[str, Point]],
                objects: Sequence[Box] = ()) -> int:
    """How many ``placed`` glyphs (text, baseline origin, drawn font size) stand where no
    ``measured`` character of the same text stands, nor inside any of the text ``objects``
    measured (a span whose /ActualText replaces its characters is measured only as a whole):
    where two readers of a page disagree."""
    at: dict[str, list[Point]] = {}
    for char, point in measured:
        at.setdefault(char, []).append(point)
    missing = 0
    for text, (x, y), size in placed:
        near = max(size * CONFIRM, 0.5)
        if any(abs(x - px) <= near and abs(y - py) <= near for px, py in at.get(text[:1], ())):
            continue
        if not any(o[0] - near <= x <= o[2] + near and o[1] - near <= y <= o[3] + near for o in objects):
            missing += 1
    return missing


def _chars(glyphs: Sequence[Glyph], i: int, j: int) -> str:
    return "".join(g.char for g in glyphs[i:j])


def _kind(why: str) -> str:
    """under-box for text under a shape; invisible-text for every other way of not being seen."""
    return "under-box" if why.startswith("under ") else "invisible-text"


def classify(glyphs: Sequence[Glyph], covers: Sequence[Cover], images: Sequence[Box], page: Box) -> list[Placed]:
    """The page's text cut into runs: visible ones (``why`` None) and hidden ones, in order."""
    marks = _snap_to_words(glyphs, _verdicts(glyphs, covers, images, page))
    out: list[Placed] = []
    start = 0
    for end in range(1, len(glyphs) + 1):
        if end < len(glyphs) and marks[end] == marks[start]:
            continue
        run = glyphs[start:end]
        why = marks[start]
        measured = [g for g in run if g.order >= 0] or list(run)
        box = (
            min(g.box[0] for g in measured),
            min(g.box[1] for g in measured),
            max(g.box[2] for g in measured),
            max(g.box[3] for g in measured),
        )
        first = measured[0].origin
        origin = (round(first[0]), round(first[1]))
        out.append(Placed("".join(g.char for g in run), why, "body" if why is None else _kind(why), box, origin))
        start = end
    return out
