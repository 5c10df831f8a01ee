"""Where text stands on a PDF page, and whether anything covers it.

pypdf calls ``before`` for every content-stream operator and ``text`` for every piece of
text it assembles. From the operators we keep only what decides visibility — fill
colour, text render mode, filled shapes and images with their bounding boxes and their
drawing order — so a page costs a few comparisons per operator. Text is then sorted:
covered by a shape or image painted after it ("under a black box"), drawn invisibly
(render mode 3 or 7), white on a white page, or visible. Only a piece of text that a
shape partly covers is measured character by character, to tell which words are under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

_PypdfFont: Any
try:  # pypdf's font metrics give exact character widths; without them widths are estimated
    from pypdf.generic._font import Font as _PypdfFont
except ImportError:  # pragma: no cover - only with a pypdf that moved the class
    _PypdfFont = None

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in page space (points, origin bottom left)

_FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_END_PATH_OPS = {b"n", b"S", b"s"}
_SHOW_OPS = {b"Tj", b"TJ", b"'", b'"'}
_COLOUR_OPS = {b"g", b"rg", b"k", b"sc", b"scn"}
_INVISIBLE_MODES = (3, 7)
_WHITE = 0.95  # luminance at or above which text on a white page cannot be seen
_DARK = 0.35  # luminance at or below which a shape is a "black box"
_COVERED = 0.5  # share of a glyph's height (and of a word's letters) a shape must cover to hide it
_AVERAGE_WIDTH = 0.5  # estimated glyph width in em when the font's metrics are not known


def _mult(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _numbers(args: list[Any]) -> list[float]:
    out = []
    for a in args:
        try:
            out.append(float(a))
        except (TypeError, ValueError):
            continue
    return out


def luminance(values: list[float]) -> float | None:
    """0 for black, 1 for white, from a gray, RGB or CMYK colour."""
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(values) == 4:
        c, m, y, k = values
        return 0.299 * (1 - c) * (1 - k) + 0.587 * (1 - m) * (1 - k) + 0.114 * (1 - y) * (1 - k)
    return None


@dataclass(frozen=True)
class Cover:
    box: Box
    order: int  # drawing order; annotations are painted after all page content
    what: str  # "a black box", "an image", "a redaction mark that was never applied"...
    luminance: float | None = None


@dataclass
class Chunk:
    text: str
    x: float  # where the text starts, on its baseline
    y: float
    em: float  # font size along the line, in page units
    height: float  # font size across the line, in page units
    order: int
    invisible: bool
    luminance: float | None
    font: Any = None  # the font resource dictionary

    @property
    def box(self) -> Box:
        longest = max((len(line) for line in self.text.split("\n")), default=0)
        return (
            self.x,
            self.y - 0.2 * self.height,
            self.x + longest * self.em * _AVERAGE_WIDTH,
            self.y + 0.8 * self.height,
        )

    @property
    def origin(self) -> tuple[int, int]:
        return (round(self.x), round(self.y))


def _hidden_state(mode: int, fill: float | None) -> bool:
    return mode in _INVISIBLE_MODES or (fill is not None and fill >= _WHITE)


@dataclass
class PageTracker:
    """The visitor pair handed to ``PageObject.extract_text``."""

    image_names: frozenset[str] = frozenset()
    chunks: list[Chunk] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    suspicious: bool = False  # anything that can hide text was drawn
    mixed: bool = False  # visible and hidden text were joined into one piece: split and read again
    _order: int = 0
    _fill: float | None = 0.0
    _mode: int = 0
    _stack: list[tuple[float | None, int]] = field(default_factory=list)
    _path: list[tuple[float, float]] = field(default_factory=list)
    _pending: list[tuple[int, bool, float | None]] = field(default_factory=list)

    def before(self, op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        self._order += 1
        if op in _SHOW_OPS:
            invisible = self._mode in _INVISIBLE_MODES
            if _hidden_state(self._mode, self._fill):
                self.suspicious = True
            self._pending.append((self._order, invisible, self._fill))
        elif op == b"q":
            self._stack.append((self._fill, self._mode))
        elif op == b"Q":
            if self._stack:
                self._fill, self._mode = self._stack.pop()
        elif op in _COLOUR_OPS or op == b"cs" or op == b"Tr":
            was_hidden = _hidden_state(self._mode, self._fill)
            if op == b"Tr":
                nums = _numbers(args)
                self._mode = int(nums[0]) if nums else 0
            else:
                # a new colour space starts at its initial colour: black
                self._fill = 0.0 if op == b"cs" else luminance(_numbers(args))
            if self._pending and was_hidden != _hidden_state(self._mode, self._fill):
                self.mixed = True
        elif op == b"re":
            nums = _numbers(args)
            if len(nums) == 4:
                x, y, w, h = nums
                self._path.extend(_apply(cm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))
        elif op in (b"m", b"l", b"c", b"v", b"y"):
            nums = _numbers(args)
            self._path.extend(_apply(cm, nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2))
        elif op in _FILL_OPS:
            if len(self._path) >= 3:
                xs = [p[0] for p in self._path]
                ys = [p[1] for p in self._path]
                dark = self._fill is not None and self._fill <= _DARK
                what = "a black box" if dark else "a filled shape"
                self.covers.append(Cover((min(xs), min(ys), max(xs), max(ys)), self._order, what, self._fill))
                self.suspicious = True
            self._path = []
        elif op in _END_PATH_OPS:
            self._path = []
        elif op == b"Do" and args and str(args[0]) in self.image_names:
            corners = [_apply(cm, px, py) for px, py in ((0, 0), (1, 0), (0, 1), (1, 1))]
            xs = [p[0] for p in corners]
            ys = [p[1] for p in corners]
            box = (min(xs), min(ys), max(xs), max(ys))
            self.images.append(box)
            self.covers.append(Cover(box, self._order, "an image"))
            self.suspicious = True

    def text(self, text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        if not text:
            return
        pending, self._pending = self._pending, []
        m = _mult(tm, cm)
        size = abs(font_size) or 10.0
        em = size * (math.hypot(m[0], m[1]) or 1.0)
        height = size * (math.hypot(m[2], m[3]) or 1.0)
        order = pending[0][0] if pending else self._order
        invisible = bool(pending) and all(p[1] for p in pending)
        lums = [p[2] for p in pending if p[2] is not None]
        lum = min(lums) if lums else self._fill
        self.chunks.append(Chunk(text, m[4], m[5], em, height, order, invisible, lum, font))


def split_marks() -> list[tuple[list[Any], bytes]]:
    """An identity ``cm``: pypdf ends the current piece of text at it and changes nothing else."""
    return [([1, 0, 0, 1, 0, 0], b"cm")]


def needs_split_before(op: bytes) -> bool:
    return op in _COLOUR_OPS or op in (b"cs", b"Tr")


# -- sorting text into visible and hidden ------------------------------------------


@dataclass(frozen=True)
class Placed:
    """A piece of text with its verdict: ``why`` is None for visible text."""

    text: str
    why: str | None  # e.g. "under a black box", "invisible text (render mode 3)", "white text"
    kind: str  # body, under-box, invisible-text
    box: Box
    origin: tuple[int, int]


class _Widths:
    """Character advances of the fonts met on one page, in em."""

    def __init__(self) -> None:
        self._fonts: dict[int, Any] = {}

    def of(self, chunk: Chunk) -> list[float]:
        font = self._font(chunk.font)
        if font is None:
            return [_AVERAGE_WIDTH] * len(chunk.text)
        widths = font.character_widths
        default = widths.get("default", 500) or 500
        return [(widths.get(ch, default) or default) / 1000.0 for ch in chunk.text]

    def _font(self, resource: Any) -> Any:
        if resource is None or _PypdfFont is None:
            return None
        key = id(resource)
        if key not in self._fonts:
            try:
                self._fonts[key] = _PypdfFont.from_font_resource(resource)
            except Exception:  # a damaged font dictionary: fall back to estimated widths
                self._fonts[key] = None
        return self._fonts[key]


def _vertical_share(chunk: Chunk, box: Box) -> float:
    y0, y1 = chunk.y - 0.2 * chunk.height, chunk.y + 0.8 * chunk.height
    overlap = min(y1, box[3]) - max(y0, box[1])
    return overlap / max(y1 - y0, 1e-6) if overlap > 0 else 0.0


def _overlap(a: Box, b: Box) -> float:
    """The share of box ``a`` that box ``b`` covers."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return (w * h) / max((a[2] - a[0]) * (a[3] - a[1]), 1e-6)


def _covered_words(chunk: Chunk, covers: list[Cover], widths: _Widths) -> list[Cover | None]:
    """For each character, the shape over it (by whole words), or None."""
    advances = widths.of(chunk)
    starts = []
    x = chunk.x
    for advance in advances:
        starts.append(x)
        x += advance * chunk.em
    per_char: list[Cover | None] = []
    for i, start in enumerate(starts):
        centre = start + advances[i] * chunk.em / 2
        per_char.append(next((c for c in covers if c.box[0] <= centre <= c.box[2]), None))
    # snap to words: a word is under a shape when most of its letters are
    out = list(per_char)
    i = 0
    text = chunk.text
    while i < len(text):
        if text[i].isspace():
            out[i] = None
            i += 1
            continue
        j = i
        while j < len(text) and not text[j].isspace():
            j += 1
        hits = [c for c in per_char[i:j] if c is not None]
        cover = hits[0] if len(hits) * 2 >= (j - i) else None
        for k in range(i, j):
            out[k] = cover
        i = j
    return out


def _place_run_on(chunks: list[Chunk], widths: _Widths) -> None:
    """pypdf reports a piece that follows another on the same line (after a font or colour
    change) at the start of the line: move it to where the previous piece ends."""
    previous: Chunk | None = None
    reported: tuple[float, float] | None = None
    for chunk in chunks:
        here = (chunk.x, chunk.y)
        if previous is not None and here == reported and previous.text and "\n" not in previous.text:
            chunk.x = previous.x + sum(widths.of(previous)) * previous.em
        previous, reported = chunk, here


def classify(chunks: list[Chunk], covers: list[Cover], images: list[Box]) -> list[Placed]:
    widths = _Widths()
    _place_run_on(chunks, widths)
    out: list[Placed] = []
    for chunk in chunks:
        box = chunk.box
        if not chunk.text.strip():
            out.append(Placed(chunk.text, None, "body", box, chunk.origin))
            continue
        if chunk.invisible:
            if any(_overlap(box, img) >= _COVERED for img in images):
                # the OCR layer of a scan: the image shows the same words
                out.append(Placed(chunk.text, None, "body", box, chunk.origin))
            else:
                out.append(Placed(chunk.text, "invisible text (render mode 3)", "invisible-text", box, chunk.origin))
            continue
        later = [
            c
            for c in covers
            if c.order > chunk.order
            and _vertical_share(chunk, c.box) >= _COVERED
            and c.box[0] < box[2] + 2 * chunk.em
            and c.box[2] > box[0]
        ]
        if later and "\n" not in chunk.text.rstrip("\n"):
            out.extend(_split_under(chunk, later, widths, covers))
        else:
            out.append(_visible_or_not(chunk, chunk.text, box, chunk.origin, covers))
    return out


def _split_under(chunk: Chunk, later: list[Cover], widths: _Widths, covers: list[Cover]) -> list[Placed]:
    """Cut a piece of text into the words shapes painted after it cover, and the rest."""
    marks = _covered_words(chunk, later, widths)
    advances = widths.of(chunk)
    pieces: list[Placed] = []
    start = 0
    x = chunk.x
    for end in range(1, len(chunk.text) + 1):
        if end < len(chunk.text) and marks[end] is marks[start]:
            continue
        text = chunk.text[start:end]
        width = sum(advances[start:end]) * chunk.em
        box = (x, chunk.y - 0.2 * chunk.height, x + width, chunk.y + 0.8 * chunk.height)
        origin = (round(x), round(chunk.y))
        cover = marks[start]
        if cover is not None:
            pieces.append(Placed(text, f"under {cover.what}", "under-box", box, origin))
        else:
            pieces.append(_visible_or_not(chunk, text, box, origin, covers))
        x += width
        start = end
    # a space between two covered words belongs with them
    merged: list[Placed] = []
    for piece in pieces:
        if merged and piece.why is None and not piece.text.strip() and merged[-1].why:
            merged[-1] = Placed(
                merged[-1].text + piece.text, merged[-1].why, merged[-1].kind, merged[-1].box, merged[-1].origin
            )
        else:
            merged.append(piece)
    return merged


def _visible_or_not(chunk: Chunk, text: str, box: Box, origin: tuple[int, int], covers: list[Cover]) -> Placed:
    behind = [c for c in covers if c.order < chunk.order and _overlap(box, c.box) >= _COVERED]
    top = max(behind, key=lambda c: c.order) if behind else None
    lum = chunk.luminance
    if lum is not None and lum >= _WHITE and not (top and top.luminance is not None and top.luminance < 0.6):
        return Placed(text, "white text", "invisible-text", box, origin)
    if lum is not None and top is not None and top.luminance is not None and abs(top.luminance - lum) < 0.05:
        return Placed(text, "text the colour of the shape behind it", "invisible-text", box, origin)
    return Placed(text, None, "body", box, origin)
