"""PDF: values removed from the page content streams themselves, a black box drawn where
they stood, and everything else that could hold them dropped (annotations, forms, metadata,
document info, embedded files, thumbnails, earlier revisions).

Each content stream (pages and the form XObjects they use) is parsed with pikepdf and
interpreted just far enough to know which glyph each text-showing operator draws and
where. The glyphs of a value are taken out of the operator's strings and replaced by an
equal kerning adjustment, so the rest of the line keeps its place. The file is then saved
afresh (no incremental update; objects nothing refers to are not written), so text an
earlier revision held does not survive either.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from pypdf import PdfReader

from .errors import RedactionError
from .pdf_fonts import FontInfo, font_info
from .values import ValueMatcher

_SPACE_ADJUST = -200  # a TJ gap this wide (thousandths of an em) is a space between words
_STRING_REPLACEMENT = "[REDACTED]"
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SHOW_OPS = ("Tj", "TJ", "'", '"')


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """a × b for PDF's row-vector matrices."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


@dataclass
class _TextState:
    font: FontInfo | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0

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


@dataclass
class _Stream:
    """What one content stream shows, as glyphs, and the text those glyphs make."""

    glyphs: list[_Glyph] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)  # for each character of text, its glyph (-1: a gap)
    undecodable_ops: set[int] = field(default_factory=set)
    op_state: dict[int, _TextState] = field(default_factory=dict)

    def gap(self, sep: str) -> None:
        if self.text and self.text[-1] not in ("\n", " "):
            self.text.append(sep)
            self.owner.append(-1)


class _Fonts:
    def __init__(self) -> None:
        self._cache: dict[tuple[int, int], FontInfo] = {}

    def get(self, resources: pikepdf.Object, name: pikepdf.Name) -> FontInfo:
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
        if font is None:
            return FontInfo(decodable=False)
        key = font.objgen if font.is_indirect else (id(font), 0)
        if key not in self._cache:
            self._cache[key] = font_info(font)
        return self._cache[key]


def _read(instructions: list, resources: pikepdf.Object, fonts: _Fonts) -> _Stream:
    out = _Stream()
    ts = _TextState()
    stack: list[_TextState] = []
    tm: Matrix = _IDENTITY
    tlm: Matrix = _IDENTITY

    def show(op_index: int, item: int, raw: bytes) -> None:
        nonlocal tm
        font = ts.font or FontInfo(decodable=False)
        out.op_state[op_index] = ts.copy()
        for k, code in enumerate(font.codes(raw)):
            w0 = font.width(code)
            spacing = ts.char_spacing + (ts.word_spacing if font.code_len == 1 and code == b" " else 0.0)
            advance = (w0 * ts.size + spacing) * ts.scale
            text = font.text(code) if font.decodable else None
            out.glyphs.append(
                _Glyph(op_index, item, k, text, tm, advance,
                       ts.rise + font.descent * ts.size, ts.rise + font.ascent * ts.size)
            )
            if text is None:
                out.undecodable_ops.add(op_index)
            for _ in text or "":
                out.owner.append(len(out.glyphs) - 1)
            out.text.append(text or "")
            tm = _mul((1, 0, 0, 1, advance, 0), tm)

    def next_line(tx: float, ty: float) -> None:
        nonlocal tm, tlm
        tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
        tm = tlm
        out.gap("\n")

    for index, (operands, operator) in enumerate(instructions):
        op = str(operator)
        if op == "q":
            stack.append(ts.copy())
        elif op == "Q":
            ts = stack.pop() if stack else _TextState()
        elif op == "BT":
            tm = tlm = _IDENTITY
            out.gap("\n")
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
            tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
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
                    tm = _mul((1, 0, 0, 1, -adjust / 1000 * ts.size * ts.scale, 0), tm)
                    if adjust <= _SPACE_ADJUST:
                        out.gap(" ")
    return out


def _box(glyphs: list[_Glyph]) -> list[tuple[float, float]]:
    """The four corners, in the stream's user space, of a run of glyphs on one line."""
    first = glyphs[0]
    width = sum(g.advance for g in glyphs)
    low, high = min(g.low for g in glyphs), max(g.high for g in glyphs)
    return [_apply(first.start, x, y) for x, y in ((0, low), (width, low), (width, high), (0, high))]


def _box_ops(corners: list[tuple[float, float]]) -> list[tuple[list, pikepdf.Operator]]:
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


def _rewrite_show(operands: list, operator: str, removed: set[tuple[int, int]], glyphs: list[_Glyph],
                  state: _TextState) -> list[tuple[list, pikepdf.Operator]]:
    """The operator again, as TJ, with the removed glyphs replaced by equal kerning."""
    font = state.font or FontInfo(decodable=False)
    strings = list(operands[0]) if operator == "TJ" else [operands[-1]]
    advances = {(g.item, g.code_index): g.advance for g in glyphs}
    unit = state.size * state.scale
    array: list = []
    for item, element in enumerate(strings):
        item_key = item if operator == "TJ" else (2 if operator == '"' else 0)
        if not isinstance(element, pikepdf.String):
            array.append(element)
            continue
        kept = b""
        gap = 0.0
        for k, code in enumerate(font.codes(bytes(element))):
            if (item_key, k) in removed:
                if kept:
                    array.append(pikepdf.String(kept))
                    kept = b""
                gap += advances.get((item_key, k), 0.0)
            else:
                if gap:
                    array.append(-gap * 1000 / unit if unit else 0)
                    gap = 0.0
                kept += code
        if kept:
            array.append(pikepdf.String(kept))
        if gap:
            array.append(-gap * 1000 / unit if unit else 0)
    out: list[tuple[list, pikepdf.Operator]] = []
    if operator == '"':
        out += [([operands[0]], pikepdf.Operator("Tw")), ([operands[1]], pikepdf.Operator("Tc"))]
    if operator in ("'", '"'):
        out.append(([], pikepdf.Operator("T*")))
    out.append(([pikepdf.Array(array)], pikepdf.Operator("TJ")))
    return out


@dataclass
class _StreamResult:
    instructions: list
    removed_glyphs: int = 0
    dropped_ops: int = 0


def _redact_instructions(instructions: list, stream: _Stream, matcher: ValueMatcher,
                         drop_undecodable: bool) -> _StreamResult:
    text = "".join(stream.text)
    remove: set[int] = set()
    for m in matcher.finditer(text):
        remove.update(g for g in stream.owner[m.start : m.end] if g >= 0)
    by_op: dict[int, list[int]] = {}
    for g in sorted(remove):
        by_op.setdefault(stream.glyphs[g].op, []).append(g)
    dropped = stream.undecodable_ops if drop_undecodable else set()
    if not by_op and not dropped:
        return _StreamResult(instructions)
    glyphs_of_op: dict[int, list[_Glyph]] = {}
    for g in stream.glyphs:
        glyphs_of_op.setdefault(g.op, []).append(g)
    result = _StreamResult([], removed_glyphs=len(remove), dropped_ops=len(dropped))
    pending: list[list[tuple[float, float]]] = []
    for index, (operands, operator) in enumerate(instructions):
        op = str(operator)
        if index in dropped and op in _SHOW_OPS:
            pending += [_box([g]) for g in glyphs_of_op.get(index, []) if g.advance]
            if op in ("'", '"'):
                if op == '"':
                    result.instructions += [([operands[0]], pikepdf.Operator("Tw")),
                                            ([operands[1]], pikepdf.Operator("Tc"))]
                result.instructions.append(([], pikepdf.Operator("T*")))
            continue
        if index in by_op:
            removed = {(stream.glyphs[g].item, stream.glyphs[g].code_index) for g in by_op[index]}
            result.instructions += _rewrite_show(list(operands), op, removed, glyphs_of_op[index],
                                                 stream.op_state[index])
            run: list[_Glyph] = []
            for g in by_op[index]:
                glyph = stream.glyphs[g]
                if run and stream.glyphs.index(run[-1]) != g - 1:
                    pending.append(_box(run))
                    run = []
                run.append(glyph)
            if run:
                pending.append(_box(run))
            continue
        result.instructions.append((operands, operator))
        if op == "ET" and pending:
            for corners in pending:
                result.instructions += _box_ops(corners)
            pending = []
    for corners in pending:
        result.instructions += _box_ops(corners)
    return result


class _Redactor:
    def __init__(self, pdf: pikepdf.Pdf, matcher: ValueMatcher) -> None:
        self.pdf = pdf
        self.matcher = matcher
        self.fonts = _Fonts()
        self.done: set[tuple[int, int]] = set()
        self.removed_glyphs = 0
        self.dropped_ops = 0

    def page(self, page: pikepdf.Page, drop_undecodable: bool) -> None:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        instructions = list(pikepdf.parse_content_stream(page.obj))
        result = self._stream(instructions, resources, drop_undecodable)
        if result is not None:
            page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(result))
        self._forms(resources, drop_undecodable)

    def _stream(self, instructions: list, resources: pikepdf.Object, drop_undecodable: bool) -> list | None:
        stream = _read(instructions, resources, self.fonts)
        result = _redact_instructions(instructions, stream, self.matcher, drop_undecodable)
        self.removed_glyphs += result.removed_glyphs
        self.dropped_ops += result.dropped_ops
        return result.instructions if result.instructions is not instructions else None

    def _forms(self, resources: pikepdf.Object, drop_undecodable: bool, depth: int = 0) -> None:
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary) or depth > 12:
            return
        for key in list(xobjects.keys()):
            form = xobjects[key]
            if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != pikepdf.Name.Form:
                continue
            if form.is_indirect:
                if form.objgen in self.done:
                    continue
                self.done.add(form.objgen)
            form_resources = form.get("/Resources", resources)
            result = self._stream(list(pikepdf.parse_content_stream(form)), form_resources, drop_undecodable)
            if result is not None:
                form.write(pikepdf.unparse_content_stream(result))
            self._forms(form_resources, drop_undecodable, depth + 1)


def _pages_with_values(data: bytes, matcher: ValueMatcher) -> set[int]:
    """Pages whose text (as pypdf reads it, with its own font handling) holds a value."""
    reader = PdfReader(io.BytesIO(data))
    return {n for n, page in enumerate(reader.pages) if matcher.search(page.extract_text() or "")}


def _scrub_strings(obj: pikepdf.Object, matcher: ValueMatcher, depth: int = 0) -> int:
    """Replace values in strings held by dictionaries and arrays (bookmarks, structure-tree
    alternate text, form values): whatever survived the removals above."""
    if depth > 10:
        return 0
    count = 0
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        items = [(k, obj.get(k)) for k in list(obj.keys())]
    elif isinstance(obj, pikepdf.Array):
        items = list(enumerate(obj))
    else:
        return 0
    for key, value in items:
        if isinstance(value, pikepdf.String):
            text = str(value)
            if matcher.search(text):
                obj[key] = pikepdf.String(matcher.replace(text, lambda m, s: _STRING_REPLACEMENT))
                count += 1
        elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
            count += _scrub_strings(value, matcher, depth + 1)
    return count


def redact_pdf(data: bytes, matcher: ValueMatcher) -> tuple[bytes, list[str]]:
    notes: list[str] = []
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as e:
        raise RedactionError("the PDF is encrypted: it cannot be redacted") from e
    except pikepdf.PdfError as e:
        raise RedactionError(f"the PDF cannot be opened for redaction ({e})") from e
    with pdf:
        with_values = _pages_with_values(data, matcher) if matcher else set()
        redactor = _Redactor(pdf, matcher)
        fallback_pages = []
        for number, page in enumerate(pdf.pages):
            redactor.page(page, drop_undecodable=False)
        # A second pass for pages whose text is in fonts that cannot be mapped to characters:
        # all of that text goes, since where the value stands in it cannot be known.
        after = io.BytesIO()
        pdf.save(after)
        still = _pages_with_values(after.getvalue(), matcher) if matcher else set()
        for number, page in enumerate(pdf.pages):
            if number in still or number in with_values and redactor_has_undecodable(page, redactor):
                before = redactor.dropped_ops
                redactor.done.clear()
                redactor.page(page, drop_undecodable=True)
                if redactor.dropped_ops > before:
                    fallback_pages.append(number + 1)
        if fallback_pages:
            notes.append(
                "pages " + ", ".join(map(str, fallback_pages)) + ": text in fonts that cannot be mapped to "
                "characters was removed entirely"
            )
        annotations = 0
        for page in pdf.pages:
            for key in ("/Annots", "/Metadata", "/PieceInfo", "/Thumb"):
                if key in page.obj:
                    if key == "/Annots":
                        annotations += len(page.obj.Annots)
                    del page.obj[key]
        if annotations:
            notes.append(f"{annotations} annotations removed")
        root = pdf.Root
        for key, label in (("/AcroForm", "form fields"), ("/Metadata", "XMP metadata"),
                           ("/PieceInfo", "application data"), ("/OpenAction", None), ("/AA", None)):
            if key in root:
                del root[key]
                if label:
                    notes.append(f"{label} removed")
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            for key in ("/EmbeddedFiles", "/JavaScript"):
                if key in names:
                    del names[key]
                    notes.append("embedded files removed" if key == "/EmbeddedFiles" else "scripts removed")
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
            notes.append("document information (author, title...) removed")
        scrubbed = sum(_scrub_strings(obj, matcher) for obj in pdf.objects) if matcher else 0
        if scrubbed:
            notes.append(f"{scrubbed} strings outside the page text (bookmarks, tags) redacted")
        notes.insert(0, f"{redactor.removed_glyphs} characters removed from page content")
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            encryption=False,
            linearize=False,
        )
    return out.getvalue(), notes


def redactor_has_undecodable(page: pikepdf.Page, redactor: _Redactor) -> bool:
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    stream = _read(list(pikepdf.parse_content_stream(page.obj)), resources, redactor.fonts)
    return bool(stream.undecodable_ops)
