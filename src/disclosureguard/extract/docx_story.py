"""Walking one WordprocessingML story (body, header, comment, text box...) into segments.

Every run is sorted into what a reader sees and what they do not: tracked deletions,
hidden (w:vanish), white-on-white and tiny text go to their own hidden segments, so the
visible text of a paragraph is exactly what Word renders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..model import Segment
from .context import ExtractContext

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
V = "{urn:schemas-microsoft-com:vml}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

_OFF = ("0", "false", "off", "none")
_TINY_HALF_POINTS = 4  # text under 2 pt cannot be read in print or on screen
_WHITE_THEME_COLORS = ("background1", "light1")
_NO_BACKGROUND = (None, "", "auto", "none", "white", "FFFFFF", "ffffff")


def _on(el: etree._Element | None) -> bool | None:
    """A WordprocessingML toggle property: None when absent."""
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in _OFF


def _is_white(color: str | None) -> bool:
    if not color or len(color) != 6:
        return False
    try:
        return all(int(color[i : i + 2], 16) >= 0xF0 for i in (0, 2, 4))
    except ValueError:
        return False


@dataclass
class RunLook:
    """The run properties that decide whether text can be seen."""

    vanish: bool | None = None
    color: str | None = None
    size: int | None = None  # half-points
    background: str | None = None  # highlight or shading fill

    def over(self, base: RunLook) -> RunLook:
        """These properties, with ``base`` filling in what they leave unset."""
        return RunLook(
            vanish=self.vanish if self.vanish is not None else base.vanish,
            color=self.color if self.color is not None else base.color,
            size=self.size if self.size is not None else base.size,
            background=self.background if self.background is not None else base.background,
        )

    @classmethod
    def of(cls, rpr: etree._Element | None) -> RunLook:
        if rpr is None:
            return cls()
        first: dict[str, etree._Element] = {}  # the first child of each tag, as find() would give
        for child in rpr:
            if child.tag in _LOOK_TAGS:
                first.setdefault(child.tag, child)
        look = cls(vanish=_on(first.get(W + "vanish")))
        color = first.get(W + "color")
        if color is not None:
            theme = color.get(W + "themeColor")
            look.color = "FFFFFF" if theme in _WHITE_THEME_COLORS else color.get(W + "val")
        size = first.get(W + "sz")
        if size is not None:
            try:
                look.size = int(size.get(W + "val", ""))
            except ValueError:
                look.size = None
        highlight = first.get(W + "highlight")
        shading = first.get(W + "shd")
        if highlight is not None and highlight.get(W + "val") not in _NO_BACKGROUND:
            look.background = highlight.get(W + "val")
        elif shading is not None and shading.get(W + "fill") not in _NO_BACKGROUND:
            look.background = shading.get(W + "fill")
        return look

    def hidden_reason(self, dark_background: bool) -> str | None:
        if self.vanish:
            return "hidden text"
        if self.size is not None and self.size < _TINY_HALF_POINTS:
            return "tiny text"
        if _is_white(self.color) and self.background is None and not dark_background:
            return "white text"
        return None


_NO_LOOK = RunLook()
_LOOK_TAGS = frozenset(W + t for t in ("vanish", "color", "sz", "highlight", "shd"))


class Styles:
    """Run properties inherited from styles.xml (document defaults, then style chains).

    Each style's own properties are read when it is built and no element is kept, so one
    ``Styles`` can stand for every document made from the same styles part (``for_part``)."""

    def __init__(self, root: etree._Element | None) -> None:
        self._own: dict[str, RunLook] = {}
        self._based_on: dict[str, str] = {}
        self._cache: dict[str, RunLook] = {}
        self.defaults = RunLook()
        if root is None:
            return
        default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = RunLook.of(default)
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId")
            if not sid:
                continue
            self._own[sid] = RunLook.of(style.find(W + "rPr"))
            based = style.find(W + "basedOn")
            if based is not None and based.get(W + "val"):
                self._based_on[sid] = based.get(W + "val", "")

    def look(self, style_id: str | None) -> RunLook:
        if not style_id:
            return RunLook()
        if style_id not in self._cache:
            chain: list[str] = []
            sid: str | None = style_id
            while sid and sid not in chain and len(chain) < 32:  # basedOn loops exist in the wild
                chain.append(sid)
                sid = self._based_on.get(sid)
            look = RunLook()
            for sid in chain:
                look = look.over(self._own.get(sid, _NO_LOOK))
            self._cache[style_id] = look
        return self._cache[style_id]


@dataclass
class _Paragraph:
    """What one paragraph yields while its runs are walked."""

    location: str
    style: str | None
    dark_background: bool
    visible: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)  # (reason, text)
    field_codes: list[str] = field(default_factory=list)


@dataclass
class _Change:
    kind: str  # tracked-deletion or tracked-insertion
    label: str
    author: str | None
    date: str | None
    text: list[str] = field(default_factory=list)


def _style_id(el: etree._Element | None, tag: str) -> str | None:
    if el is None:
        return None
    found = el.find(tag)
    return found.get(W + "val") if found is not None else None


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def symbol_char(code: str | None) -> str:
    """The character of a w:sym: symbol fonts put their glyphs at U+F000 + the code."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        value -= 0xF000
    try:
        return chr(value) if value >= 0x20 else ""
    except (ValueError, OverflowError):
        return ""


# Attributes whose value is text a person wrote (alt text, titles, WordArt, tooltips).
DRAWING_TEXT_ATTRIBUTES = ("descr", "title", "alt")


# Text nodes that are layout, not words: image offsets and sizes, alignment keywords.
LAYOUT_ELEMENTS = {"posOffset", "align", "pctWidth", "pctHeight", "pctPosHOffset", "pctPosVOffset"}
# docProps/app.xml counters and flags: numbers the application keeps, not text. Only a value
# that looks like one is taken as such; anything else in them is read as text.
STATISTIC_ELEMENTS = {
    "Pages", "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs", "TotalTime", "DocSecurity",
    "ScaleCrop", "LinksUpToDate", "SharedDoc", "HyperlinksChanged", "AppVersion", "Notes", "HiddenSlides",
    "MMClips", "revision",
}
STATISTIC_VALUE = re.compile(r"\d{1,9}(?:\.\d{1,6})?|true|false|0|1")


def is_statistic(el: etree._Element) -> bool:
    return local(el.tag) in STATISTIC_ELEMENTS and STATISTIC_VALUE.fullmatch((el.text or "").strip()) is not None


def squeezed_text(el: etree._Element) -> str:
    """All text and alt text under ``el`` without whitespace, to compare two renderings."""
    parts = []
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text and local(node.tag) not in LAYOUT_ELEMENTS:
            parts.append(node.text)
        parts.extend(v for k, v in node.attrib.items() if local(k) in (*DRAWING_TEXT_ATTRIBUTES, "string"))
    return "".join("".join(parts).split())


def _without_fallback(el: etree._Element) -> Iterator[etree._Element]:
    """Descendants, skipping mc:Fallback copies and the inside of text boxes."""
    for child in el:
        if child.tag == MC + "Fallback":
            continue
        yield child
        if child.tag != W + "txbxContent":
            yield from _without_fallback(child)


def is_dark(fill: str | None) -> bool:
    """A Word shading colour (RRGGBB) dark enough that white text on it is legible."""
    if not fill or len(fill) != 6:
        return False
    try:
        r, g, b = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


class StoryWalker:
    """Turns the stories of one .docx into segments, appended to ``segments``."""

    def __init__(self, styles: Styles, ctx: ExtractContext) -> None:
        self.styles = styles
        self.ctx = ctx
        self.segments: list[Segment] = []
        self.text_boxes = 0
        # What has been read, for the closed-world check (docx_audit): lxml keeps one
        # proxy per node while a reference lives, so holding them keeps id() stable.
        self.consumed: dict[int, etree._Element] = {}
        self.consumed_attributes: set[tuple[int, str]] = set()
        self.duplicate_chars = 0  # text read once already (a Fallback equal to its Choice)

    def consume(self, el: etree._Element, attribute: str | None = None) -> None:
        self.consumed[id(el)] = el
        if attribute is not None:
            self.consumed_attributes.add((id(el), attribute))

    def consume_tree(self, el: etree._Element, *, attributes: bool = False) -> None:
        for node in el.iter():
            self.consumed[id(node)] = node
            if attributes:
                self.consumed_attributes.update((id(node), a) for a in node.attrib)

    # -- output ---------------------------------------------------------------------

    def emit(
        self,
        text: str,
        location: str,
        kind: str,
        *,
        hidden: bool = False,
        author: str | None = None,
        date: str | None = None,
        field_name: str | None = None,
        at: int | None = None,
        paragraph: int | None = None,
    ) -> None:
        """Add a segment (at index ``at`` when given, so a paragraph precedes its side notes)."""
        text = text.strip()
        if not text:
            return
        self.ctx.count_text(len(text))
        segment = Segment(
            text=text, location=location, kind=kind, hidden=hidden, author=author, date=date, field=field_name,
            paragraph=paragraph,
        )
        self.segments.insert(len(self.segments) if at is None else at, segment)

    # -- blocks ---------------------------------------------------------------------

    def story(
        self,
        container: etree._Element,
        where: str,
        kind: str,
        *,
        per_paragraph: bool = False,
        hidden: bool = False,
        author: str | None = None,
        date: str | None = None,
        table_prefix: str | None = None,
        table_kind: str | None = None,
        dark_background: bool = False,
    ) -> None:
        """Read a story. ``per_paragraph`` gives "where, paragraph N" segments (the body);
        otherwise the story's paragraphs make one segment named ``where``."""
        joined: list[str] = []
        paragraphs = 0
        tables = 0
        prefix = f"{where}, " if table_prefix is None else table_prefix
        for block in self._blocks(container):
            if block.tag == W + "p":
                location = f"{where}, paragraph {paragraphs + 1}" if per_paragraph else where
                before = len(self.segments)
                text = self._paragraph(block, location, dark_background)
                if per_paragraph:
                    if text.strip() or len(self.segments) > before:
                        paragraphs += 1
                    self.emit(text, location, kind, hidden=hidden, author=author, date=date, at=before,
                              paragraph=paragraphs or None)
                elif text.strip():
                    joined.append(text)
            elif block.tag == W + "tbl":
                tables += 1
                self._table(block, f"{prefix}table {tables}", table_kind or kind, hidden=hidden)
        if joined:
            self.emit("\n".join(joined), where, kind, hidden=hidden, author=author, date=date)

    def _blocks(self, el: etree._Element) -> Iterator[etree._Element]:
        for child in el:
            tag = child.tag
            if tag in (W + "p", W + "tbl"):
                yield child
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from self._blocks(content)
            elif tag in (W + "customXml", W + "ins", W + "moveTo"):
                yield from self._blocks(child)
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is not None:
                    yield from self._blocks(choice)
                self._fallback(child, "alternative content")

    def _table(self, tbl: etree._Element, where: str, kind: str, *, hidden: bool) -> None:
        rows = list(self._within(tbl, W + "tr"))
        for r, row in enumerate(rows, 1):
            cells = list(self._within(row, W + "tc"))
            for c, cell in enumerate(cells, 1):
                shading = cell.find(f"{W}tcPr/{W}shd")
                dark = is_dark(shading.get(W + "fill")) if shading is not None else False
                cell_where = f"{where}, row {r}, cell {c}"
                self.story(cell, cell_where, kind, hidden=hidden, table_prefix=f"{cell_where}, ", dark_background=dark)

    def _within(self, parent: etree._Element, tag: str) -> Iterator[etree._Element]:
        """The ``tag`` children of a table or row (``w:tr``, ``w:tc``), also those a content
        control or custom XML element wraps, at any depth."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag in (W + "sdt", W + "customXml"):
                content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
                if content is not None:
                    yield from self._within(content, tag)

    # -- runs -----------------------------------------------------------------------

    def _paragraph(self, p: etree._Element, location: str, dark_background: bool) -> str:
        ppr = p.find(W + "pPr")
        shading = ppr.find(W + "shd") if ppr is not None else None
        dark = dark_background or (shading is not None and is_dark(shading.get(W + "fill")))
        para = _Paragraph(location=location, style=_style_id(ppr, W + "pStyle"), dark_background=dark)
        self._inline(p, para, None)
        groups: list[tuple[str, list[str]]] = []
        for reason, text in para.hidden:
            if groups and groups[-1][0] == reason:
                groups[-1][1].append(text)
            else:
                groups.append((reason, [text]))
        for reason, texts in groups:
            self.emit("".join(texts), f"{location}, {reason}", "hidden-text", hidden=True)
        codes = " ".join(c.strip() for c in para.field_codes if c.strip())
        self.emit(codes, f"{location}, field code", "field", hidden=True)
        return "".join(para.visible)

    def _inline(self, el: etree._Element, para: _Paragraph, change: _Change | None) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self._run(child, para, change)
            elif tag in (W + "del", W + "moveFrom"):
                label = "tracked deletion" if tag == W + "del" else "tracked move (moved away from here)"
                inner = _Change("tracked-deletion", label, child.get(W + "author"), child.get(W + "date"))
                self._inline(child, para, inner)
                self._emit_change(inner, para)
            elif tag in (W + "ins", W + "moveTo"):
                if change is not None and change.kind == "tracked-deletion":
                    self._inline(child, para, change)  # inserted then deleted: gone from the page
                    continue
                label = "tracked insertion" if tag == W + "ins" else "tracked move (moved here)"
                inner = _Change("tracked-insertion", label, child.get(W + "author"), child.get(W + "date"))
                self._inline(child, para, inner)
                self._emit_change(inner, para)
            elif tag == W + "fldSimple":
                para.field_codes.append(child.get(W + "instr", ""))
                self._inline(child, para, change)
            elif tag in (W + "pPr", W + "rPr"):
                continue
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is not None:
                    self._inline(choice, para, change)
                self._fallback(child, para.location)
            elif tag == M + "r":
                self._math_run(child, para, change)
            elif isinstance(tag, str):
                # hyperlink, smartTag, sdt/sdtContent, customXml, bdo, dir, math...: containers of runs
                self._inline(child, para, change)

    def _emit_change(self, change: _Change, para: _Paragraph) -> None:
        self.emit(
            "".join(change.text),
            f"{para.location}, {change.label}",
            change.kind,
            hidden=change.kind == "tracked-deletion",
            author=change.author,
            date=change.date,
        )

    def _run(self, r: etree._Element, para: _Paragraph, change: _Change | None) -> None:
        rpr = r.find(W + "rPr")
        look = RunLook.of(rpr).over(self.styles.look(_style_id(rpr, W + "rStyle")))
        look = look.over(self.styles.look(para.style)).over(self.styles.defaults)
        reason = look.hidden_reason(para.dark_background)
        for child in r:
            tag = child.tag
            if tag in (W + "t", W + "delText"):
                text = child.text or ""
                self.consume(child)
            elif tag == W + "tab":
                text = "\t"
            elif tag in (W + "br", W + "cr"):
                text = "\n"
            elif tag == W + "noBreakHyphen":
                text = "-"
            elif tag == W + "sym":
                text = symbol_char(child.get(W + "char"))
                self.consume(child, W + "char")
            elif tag in (W + "instrText", W + "delInstrText"):
                para.field_codes.append(child.text or "")
                self.consume(child)
                continue
            elif tag in (W + "drawing", W + "pict", W + "object", MC + "AlternateContent"):
                self._drawing(child, para.location)
                continue
            else:
                continue
            self._place(text, reason, para, change)

    def _place(self, text: str, reason: str | None, para: _Paragraph, change: _Change | None) -> None:
        if change is not None and change.kind == "tracked-deletion":
            change.text.append(text)
        elif reason is not None:
            para.hidden.append((reason, text))
        else:
            para.visible.append(text)
            if change is not None:
                change.text.append(text)

    def _math_run(self, r: etree._Element, para: _Paragraph, change: _Change | None) -> None:
        """A run of Office Math: its m:t text is rendered like any other (w:rPr may hide it)."""
        rpr = r.find(W + "rPr")
        look = RunLook.of(rpr).over(self.styles.look(para.style)).over(self.styles.defaults)
        reason = look.hidden_reason(para.dark_background)
        for child in r:
            if child.tag == M + "t":
                self.consume(child)
                self._place(child.text or "", reason, para, change)
            elif child.tag in (W + "ins", W + "del"):
                self._inline(child, para, change)

    def _fallback(self, alternate: etree._Element, location: str) -> None:
        """mc:Fallback: the same content for older readers, or different text altogether.

        A Fallback that says what its Choice says has been read; one that says something
        else is read as hidden text, since which of the two a reader sees depends on the
        program that opens the file.
        """
        choice = alternate.find(MC + "Choice")
        choice_text = squeezed_text(choice) if choice is not None else ""
        for fallback in alternate.iterfind(MC + "Fallback"):
            text = squeezed_text(fallback)
            if not text:
                self.consume_tree(fallback)
            elif text == choice_text:
                self.consume_tree(fallback)
                self.duplicate_chars += len(text)
            else:
                self._read_fallback(fallback, f"{location}, alternative content (Fallback)")

    def _read_fallback(self, fallback: etree._Element, where: str) -> None:
        if any(child.tag in (W + "p", W + "tbl", W + "sdt") for child in fallback):
            self.story(fallback, where, "hidden-text", hidden=True)
        else:
            para = _Paragraph(location=where, style=None, dark_background=False)
            self._inline(fallback, para, None)
            text = "".join(para.visible) + "".join(t for _, t in para.hidden)
            self.emit(text, where, "hidden-text", hidden=True)
        # whatever neither reading understood (an unknown element's text) is still read here
        rest = [n for n in fallback.iter() if id(n) not in self.consumed and n.text and n.text.strip()]
        self.emit(" ".join(n.text or "" for n in rest), where, "hidden-text", hidden=True)
        for node in rest:
            self.consume(node)

    def _drawing(self, el: etree._Element, location: str) -> None:
        """Alt text of images and shapes, and the stories of text boxes."""
        alternates = []
        said: set[str] = set()  # wp:docPr and pic:cNvPr usually repeat one description
        for node in [el, *_without_fallback(el)]:
            tag = node.tag
            name = local(tag)
            if tag == MC + "AlternateContent":
                alternates.append(node)
            if name in ("docPr", "cNvPr") or (isinstance(tag, str) and tag.startswith(V)):
                # wp:docPr, pic:cNvPr (the picture's own), wps:cNvPr and VML shapes all hold alt text
                for key, value in node.attrib.items():
                    what, text = local(key), value.strip()
                    if what in DRAWING_TEXT_ATTRIBUTES:
                        place, kind, hidden = "image alt text", "alt-text", True
                    elif what == "string" and name == "textpath":
                        place, kind, hidden = "WordArt", "text-box", False
                    elif what == "name" and name in ("docPr", "cNvPr"):
                        place, kind, hidden = "image name", "alt-text", True
                    else:
                        continue
                    self.consume(node, key)
                    if text in said:
                        self.duplicate_chars += len("".join(text.split()))
                        continue
                    said.add(text)
                    self.emit(text, f"{location}, {place}", kind, hidden=hidden)
            elif tag == W + "txbxContent":
                self.text_boxes += 1
                self.story(node, f"text box {self.text_boxes}", "text-box")
        for alternate in alternates:
            self._fallback(alternate, location)
