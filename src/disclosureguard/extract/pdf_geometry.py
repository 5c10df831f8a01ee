"""Where text stands on a PDF page, and whether anything covers it.

pypdf calls ``before`` for every content-stream operator and ``text`` for every piece of
text it assembles. From the operators we keep only what decides visibility — fill
colour, text render mode, filled shapes and images with their bounding boxes and their
drawing order — so a page costs a few comparisons per operator and no per-character
work. Text is then sorted: covered by a shape or image painted after it ("under a black
box"), drawn invisibly (render mode 3 or 7), white on a white page, or visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in page space (points, origin bottom left)

_FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_END_PATH_OPS = {b"n", b"S", b"s"}
_SHOW_OPS = {b"Tj", b"TJ", b"'", b'"'}
_INVISIBLE_MODES = (3, 7)
_WHITE = 0.95  # luminance at or above which text on a white page cannot be seen
_DARK = 0.35  # luminance at or below which a shape is a "black box"
_COVERED = 0.5  # share of the text's box a shape must cover to hide it


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


def _luminance(values: list[float]) -> float | None:
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
    box: Box
    order: int
    invisible: bool
    luminance: float | None
    origin: tuple[int, int] = (0, 0)  # where the text starts, on its baseline


@dataclass
class PageTracker:
    """The visitor pair handed to ``PageObject.extract_text``."""

    image_names: frozenset[str] = frozenset()
    chunks: list[Chunk] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    suspicious: bool = False  # anything that can hide text was drawn
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
            if invisible or (self._fill is not None and self._fill >= _WHITE):
                self.suspicious = True
            self._pending.append((self._order, invisible, self._fill))
        elif op == b"q":
            self._stack.append((self._fill, self._mode))
        elif op == b"Q":
            if self._stack:
                self._fill, self._mode = self._stack.pop()
        elif op in (b"g", b"rg", b"k", b"sc", b"scn"):
            self._fill = _luminance(_numbers(args))
        elif op == b"cs":
            self._fill = 0.0  # a new colour space starts at its initial colour: black
        elif op == b"Tr":
            nums = _numbers(args)
            self._mode = int(nums[0]) if nums else 0
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
        x, y = m[4], m[5]
        size = abs(font_size * math.hypot(m[2], m[3])) or abs(font_size) or 10.0
        longest = max((len(line) for line in text.split("\n")), default=0)
        width = longest * size * 0.5
        order = pending[0][0] if pending else self._order
        invisible = bool(pending) and all(p[1] for p in pending)
        lums = [p[2] for p in pending if p[2] is not None]
        luminance = min(lums) if lums else self._fill
        box = (x, y - 0.2 * size, x + width, y + 0.8 * size)
        self.chunks.append(Chunk(text, box, order, invisible, luminance, (round(x), round(y))))


def _overlap(a: Box, b: Box) -> float:
    """The share of box ``a`` that box ``b`` covers."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    area = max((a[2] - a[0]) * (a[3] - a[1]), 1e-6)
    return (w * h) / area


@dataclass(frozen=True)
class Placed:
    """A chunk with its verdict: ``why`` is None for visible text."""

    chunk: Chunk
    why: str | None  # e.g. "under a black box", "invisible text (render mode 3)", "white text"
    kind: str  # body, under-box, invisible-text


def classify(chunks: list[Chunk], covers: list[Cover], images: list[Box]) -> list[Placed]:
    out: list[Placed] = []
    for chunk in chunks:
        if not chunk.text.strip():
            out.append(Placed(chunk, None, "body"))
            continue
        covering = next((c for c in covers if c.order > chunk.order and _overlap(chunk.box, c.box) >= _COVERED), None)
        if chunk.invisible:
            if any(_overlap(chunk.box, img) >= _COVERED for img in images):
                # the OCR layer of a scan: the image shows the same words
                out.append(Placed(chunk, None, "body"))
            else:
                out.append(Placed(chunk, "invisible text (render mode 3)", "invisible-text"))
        elif covering is not None:
            out.append(Placed(chunk, f"under {covering.what}", "under-box"))
        elif chunk.luminance is not None and chunk.luminance >= _WHITE and not _on_dark(chunk, covers):
            out.append(Placed(chunk, "white text", "invisible-text"))
        elif chunk.luminance is not None and _same_colour_behind(chunk, covers):
            out.append(Placed(chunk, "text the colour of the shape behind it", "invisible-text"))
        else:
            out.append(Placed(chunk, None, "body"))
    return out


def _on_dark(chunk: Chunk, covers: list[Cover]) -> bool:
    return any(
        c.order < chunk.order and c.luminance is not None and c.luminance < 0.6
        and _overlap(chunk.box, c.box) >= _COVERED
        for c in covers
    )


def _same_colour_behind(chunk: Chunk, covers: list[Cover]) -> bool:
    behind = [c for c in covers if c.order < chunk.order and _overlap(chunk.box, c.box) >= _COVERED]
    if not behind or chunk.luminance is None:
        return False
    top = max(behind, key=lambda c: c.order)
    return top.luminance is not None and abs(top.luminance - chunk.luminance) < 0.05
