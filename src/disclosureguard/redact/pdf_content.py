"""Reading and rewriting one PDF content stream: which glyph each text-showing operator
draws, where, and as what text; and the same stream again without the glyphs of the values,
with a black box where they stood.

Text state (font, size, spacing, scaling, rise, text and line matrices, the CTM, q/Q) is
tracked just far enough to place every glyph, with the package's one transform
(extract/pdf_geometry.Matrix): a glyph's place on the page is what the page layer (PDFium)
measures, and redact/pdf.py checks every removed glyph against it. Removed glyphs leave a
gap of their exact width: the kept text after a gap starts a new text object at its
original position, so renderers and text extractors alike put it where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

from ..extract.pdf_geometry import IDENTITY, Matrix, Point
from .pdf_fonts import FontInfo, font_info
from .values import ValueMatcher

_SPACE_ADJUST = -200  # a TJ gap this wide (thousandths of an em) is a space between words
_SHOW_OPS = ("Tj", "TJ", "'", '"')


@dataclass
class _TextState:
    """The part of the graphics state that places glyphs (the CTM included: q/Q save it)."""

    font: FontInfo | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    ctm: Matrix = IDENTITY

    def copy(self) -> _TextState:
        return _TextState(**self.__dict__)


@dataclass
class _Glyph:
    op: int  # index of the operator in the stream
    item: int  # index of the string in the operator's operands (TJ array items)
    code_index: int
    text: str | None
    start: Matrix  # the text matrix at the glyph's origin
    advance: float  # text-space advance, horizontal scaling included
    low: float  # bottom and top of the glyph box in text space
    high: float
    ctm: Matrix = IDENTITY  # user space to the page (to the form's space in a form XObject)
    rise: float = 0.0
    size: float = 0.0

    def origin(self) -> Point:
        """Where the glyph stands on its baseline, in page space (form space in a form)."""
        return self.start.then(self.ctm).apply(0.0, self.rise)

    def height(self) -> float:
        """The font size as drawn on the page: how near another reader's origin must be."""
        return abs(self.size) * self.start.then(self.ctm).scale()


@dataclass
class ShownText:
    """What one content stream shows, as glyphs, and the text those glyphs make."""

    glyphs: list[_Glyph] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)  # for each character of text, its glyph (-1: a gap)
    undecodable_ops: set[int] = field(default_factory=set)
    op_state: dict[int, _TextState] = field(default_factory=dict)
    text_object: dict[int, int] = field(default_factory=dict)  # show operator -> its BT operator
    line_matrix: dict[int, Matrix] = field(default_factory=dict)  # the text line matrix at a show operator
    end_matrix: dict[int, Matrix] = field(default_factory=dict)  # the text matrix after it

    def gap(self, sep: str) -> None:
        if self.text and self.text[-1] not in ("\n", " "):
            self.text.append(sep)
            self.owner.append(-1)


class Fonts:
    def __init__(self) -> None:
        self._cache: dict[tuple[int, int], FontInfo] = {}

    def get(self, resources: pikepdf.Object, name: pikepdf.Name) -> FontInfo:
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
        if font is None:
            return FontInfo(decodable=False)
        if not font.is_indirect:  # a direct font has no identity to cache it by
            return font_info(font)
        if font.objgen not in self._cache:
            self._cache[font.objgen] = font_info(font)
        return self._cache[font.objgen]


def read_stream(instructions: list, resources: pikepdf.Object, fonts: Fonts) -> ShownText:
    out = ShownText()
    ts = _TextState()
    stack: list[_TextState] = []
    tm: Matrix = IDENTITY
    tlm: Matrix = IDENTITY
    bt = -1

    def show(op_index: int, item: int, raw: bytes) -> None:
        nonlocal tm
        font = ts.font or FontInfo(decodable=False)
        out.op_state[op_index] = ts.copy()
        out.text_object[op_index] = bt if bt >= 0 else op_index
        for k, code in enumerate(font.codes(raw)):
            w0 = font.width(code)
            spacing = ts.char_spacing + (ts.word_spacing if font.code_len == 1 and code == b" " else 0.0)
            advance = (w0 * ts.size + spacing) * ts.scale
            text = font.text(code) if font.decodable else None
            out.glyphs.append(
                _Glyph(op_index, item, k, text, tm, advance,
                       ts.rise + font.descent * ts.size, ts.rise + font.ascent * ts.size, ts.ctm, ts.rise, ts.size)
            )
            if text is None:
                out.undecodable_ops.add(op_index)
            for _ in text or "":
                out.owner.append(len(out.glyphs) - 1)
            out.text.append(text or "")
            tm = Matrix.translation(advance, 0).then(tm)

    def next_line(tx: float, ty: float) -> None:
        nonlocal tm, tlm
        tlm = Matrix.translation(tx, ty).then(tlm)
        tm = tlm
        out.gap("\n")

    for index, (operands, operator) in enumerate(instructions):
        op = str(operator)
        if op == "q":
            stack.append(ts.copy())
        elif op == "Q":
            ts = stack.pop() if stack else _TextState()
        elif op == "cm" and len(operands) == 6:
            ts.ctm = Matrix.of(operands).then(ts.ctm)
        elif op == "BT":
            tm = tlm = IDENTITY
            bt = index
            out.gap("\n")
        elif op == "ET":
            bt = -1
        elif op == "Tf" and len(operands) == 2:
            ts.font = fonts.get(resources, operands[0])
            ts.size = float(operands[1])
        elif op == "Tc" and operands:
            ts.char_spacing = float(operands[0])
        elif op == "Tw" and operands:
            ts.word_spacing = float(operands[0])
        elif op == "Tz" and operands:
            ts.scale = float(operands[0]) / 100
        elif op == "TL" and operands:
            ts.leading = float(operands[0])
        elif op == "Ts" and operands:
            ts.rise = float(operands[0])
        elif op == "Td" and len(operands) == 2:
            next_line(float(operands[0]), float(operands[1]))
        elif op == "TD" and len(operands) == 2:
            ts.leading = -float(operands[1])
            next_line(float(operands[0]), float(operands[1]))
        elif op == "Tm" and len(operands) == 6:
            tm = tlm = Matrix.of(operands)
            out.gap("\n")
        elif op == "T*":
            next_line(0, -ts.leading)
        elif op == "Tj" and operands:
            show(index, 0, bytes(operands[0]))
        elif op == "'" and operands:
            next_line(0, -ts.leading)
            show(index, 0, bytes(operands[0]))
        elif op == '"' and len(operands) == 3:
            ts.word_spacing, ts.char_spacing = float(operands[0]), float(operands[1])
            next_line(0, -ts.leading)
            show(index, 2, bytes(operands[2]))
        elif op == "TJ" and operands:
            for item, element in enumerate(operands[0]):
                if isinstance(element, pikepdf.String):
                    show(index, item, bytes(element))
                else:
                    adjust = float(element)
                    tm = Matrix.translation(-adjust / 1000 * ts.size * ts.scale, 0).then(tm)
                    if adjust <= _SPACE_ADJUST:
                        out.gap(" ")
        if op in _SHOW_OPS:
            out.line_matrix[index] = tlm
            out.end_matrix[index] = tm
    return out


def _box(glyphs: list[_Glyph]) -> list[Point]:
    """The four corners, in the stream's user space, of a run of glyphs on one line."""
    width = sum(g.advance for g in glyphs)
    low, high = min(g.low for g in glyphs), max(g.high for g in glyphs)
    return glyphs[0].start.corners((0.0, low, width, high))


def _box_ops(corners: list[Point]) -> list[tuple[list, pikepdf.Operator]]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners
    return [
        ([], pikepdf.Operator("q")),
        ([0, 0, 0], pikepdf.Operator("rg")),
        ([x0, y0], pikepdf.Operator("m")),
        ([x1, y1], pikepdf.Operator("l")),
        ([x2, y2], pikepdf.Operator("l")),
        ([x3, y3], pikepdf.Operator("l")),
        ([], pikepdf.Operator("h")),
        ([], pikepdf.Operator("f")),
        ([], pikepdf.Operator("Q")),
    ]


def _line_offset(line: Matrix, end: Matrix) -> float:
    """How far along its line (in text space) ``end`` stands from the line's start."""
    norm = line.a * line.a + line.b * line.b
    return ((end.e - line.e) * line.a + (end.f - line.f) * line.b) / norm if norm else 0.0


def _rewrite_show(operands: list, operator: str, removed: set[tuple[int, int]], glyphs: list[_Glyph],
                  state: _TextState, line: Matrix, end: Matrix) -> list[tuple[list, pikepdf.Operator]]:
    """The operator again without the removed glyphs.

    The kept text before the first gap is shown where it was; each kept piece after a gap
    starts a new text object placed exactly where its first glyph stood, so that every
    text extractor (not only a renderer) puts it in the right place; then the line and
    text matrices are restored for the operators that follow."""
    font = state.font or FontInfo(decodable=False)
    strings = list(operands[0]) if operator == "TJ" else [operands[-1]]
    glyph_at = {(g.item, g.code_index): g for g in glyphs}
    runs: list[tuple[Matrix | None, list]] = []
    items: list = []
    kept = b""
    start: Matrix | None = None
    in_gap = gap_seen = False

    def close_run() -> None:
        nonlocal items, kept
        if kept:
            items.append(pikepdf.String(kept))
            kept = b""
        if any(isinstance(i, pikepdf.String) for i in items):
            runs.append((start, items))
        items = []

    for item, element in enumerate(strings):
        item_key = item if operator == "TJ" else (2 if operator == '"' else 0)
        if not isinstance(element, pikepdf.String):
            if not in_gap:  # after a gap the next piece is placed absolutely: the offset is in its place
                if kept:
                    items.append(pikepdf.String(kept))
                    kept = b""
                items.append(element)
            continue
        for k, code in enumerate(font.codes(bytes(element))):
            if (item_key, k) in removed:
                if not in_gap:
                    close_run()
                    in_gap = gap_seen = True
            else:
                if in_gap:
                    in_gap = False
                    glyph = glyph_at.get((item_key, k))
                    start = glyph.start if glyph is not None else None
                kept += code
    close_run()
    out: list[tuple[list, pikepdf.Operator]] = []
    if operator == '"':
        out += [([operands[0]], pikepdf.Operator("Tw")), ([operands[1]], pikepdf.Operator("Tc"))]
    if operator in ("'", '"'):
        out.append(([], pikepdf.Operator("T*")))
    for run_start, run_items in runs:
        if run_start is not None:
            out += [([], pikepdf.Operator("ET")), ([], pikepdf.Operator("BT")),
                    (list(run_start.values()), pikepdf.Operator("Tm"))]
        out.append(([pikepdf.Array(run_items)], pikepdf.Operator("TJ")))
    if gap_seen:
        unit = state.size * state.scale
        offset = _line_offset(line, end)
        out.append((list(line.values()), pikepdf.Operator("Tm")))
        if unit and offset:
            out.append(([pikepdf.Array([-offset * 1000 / unit])], pikepdf.Operator("TJ")))
    return out


@dataclass
class StreamResult:
    instructions: list
    removed_glyphs: int = 0
    dropped_ops: int = 0
    removed: list[tuple[str, Point, float]] = field(default_factory=list)  # text, origin, drawn size of each



def redact_instructions(instructions: list, stream: ShownText, matcher: ValueMatcher,
                         drop_undecodable: bool) -> StreamResult:
    text = "".join(stream.text)
    remove: set[int] = set()
    for m in matcher.finditer(text):
        remove.update(g for g in stream.owner[m.start : m.end] if g >= 0)
    by_op: dict[int, list[int]] = {}
    for g in sorted(remove):
        by_op.setdefault(stream.glyphs[g].op, []).append(g)
    dropped = stream.undecodable_ops if drop_undecodable else set()
    if not by_op and not dropped:
        return StreamResult(instructions)
    glyphs_of_op: dict[int, list[_Glyph]] = {}
    for glyph in stream.glyphs:
        glyphs_of_op.setdefault(glyph.op, []).append(glyph)
    # Boxes are painted just before the text object that held the value: the removed glyphs
    # are gone, and any text next to a box is drawn over it, so nothing reads as hidden under it.
    boxes: dict[int, list[list[tuple[float, float]]]] = {}
    for index in dropped:
        boxes.setdefault(stream.text_object.get(index, index), []).extend(
            _box([g]) for g in glyphs_of_op.get(index, []) if g.advance
        )
    for index, gs in by_op.items():
        run: list[int] = []
        for g in [*gs, -1]:
            if run and (g < 0 or g != run[-1] + 1):
                boxes.setdefault(stream.text_object.get(index, index), []).append(
                    _box([stream.glyphs[i] for i in run])
                )
                run = []
            if g >= 0:
                run.append(g)
    result = StreamResult([], removed_glyphs=len(remove), dropped_ops=len(dropped))
    for g in sorted(remove):
        glyph = stream.glyphs[g]
        if glyph.text and not glyph.text.isspace():
            result.removed.append((glyph.text, glyph.origin(), glyph.height()))
    for index, (operands, operator) in enumerate(instructions):
        op = str(operator)
        for corners in boxes.get(index, []):
            result.instructions += _box_ops(corners)
        if index in dropped and op in _SHOW_OPS:
            if op in ("'", '"'):
                if op == '"':
                    result.instructions += [([operands[0]], pikepdf.Operator("Tw")),
                                            ([operands[1]], pikepdf.Operator("Tc"))]
                result.instructions.append(([], pikepdf.Operator("T*")))
            continue
        if index in by_op:
            removed = {(stream.glyphs[g].item, stream.glyphs[g].code_index) for g in by_op[index]}
            result.instructions += _rewrite_show(
                list(operands), op, removed, glyphs_of_op[index], stream.op_state[index],
                stream.line_matrix[index], stream.end_matrix[index],
            )
            continue
        result.instructions.append((operands, operator))
    return result
