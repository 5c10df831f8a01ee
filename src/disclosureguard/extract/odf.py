"""OpenDocument (.odt, .ods, .odp and their templates): text, tables and slides.

content.xml, styles.xml and meta.xml are read with lxml (odfpy adds nothing a reader of
untrusted files needs and parses the package again). A paragraph's text is gathered from
all its spans, so a value split by a bold span is one string; spans whose style says
``text:display="none"`` go to a hidden segment. Tracked deletions, annotations, notes,
alt text, hidden sheets, rows, columns and slides are hidden segments. The pictures in
Pictures/ are read by OCR, each a nested "picture N" (extract/image.py); the
"Thumbnails/thumbnail.png" preview only repeats the first page, so it is not read. Any text
left over in content.xml that no rule here took is collected too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..errors import ExtractionError
from ..model import Document, Segment
from .context import ExtractContext
from .format import Format
from .image import media_pictures
from .ooxml_package import Package
from .sheets import SheetText
from .xmlsafe import local_name
from .zipsafe import looks_like_zip, zip_names

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"

MEDIA_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "ott",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ots",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.presentation-template": "otp",
}
_PARAGRAPHS = (TEXT + "p", TEXT + "h")
# Elements inside a paragraph whose text stands somewhere else (read on their own).
_NESTED = (OFFICE + "annotation", TEXT + "note", DRAW + "frame", DRAW + "custom-shape", TEXT + "tracked-changes")
_META_FIELDS = {"title": "title", "description": "comments", "subject": "subject", "keyword": "keywords",
                "initial-creator": "author", "creator": "last modified by", "printed-by": "printed by",
                "language": None, "generator": None, "creation-date": None, "date": None, "print-date": None,
                "editing-cycles": None, "editing-duration": None, "document-statistic": None, "template": None,
                "hyperlink-behaviour": None, "auto-reload": None}
# ObjectReplacements/ holds preview pictures of embedded objects (metafiles without a suffix).
_NO_TEXT = ("Thumbnails/", "META-INF/", "Configurations2/", "settings.xml", "manifest.rdf", "Pictures/",
            "layout-cache", "ObjectReplacements/")
_MAX_REPEAT_ROWS = 1000


def odf_mimetype(data: bytes) -> str | None:
    """The ``mimetype`` member that opens every OpenDocument package (stored, first)."""
    if not looks_like_zip(data) or data[26:28] != b"\x08\x00" or data[30:38] != b"mimetype":
        names = zip_names(data)
        if names is None or "mimetype" not in names or "content.xml" not in names:
            return None
    start = data.find(b"application/vnd.oasis.opendocument.", 0, 200)
    if start < 0:
        return None
    end = start
    while end < min(len(data), start + 80) and 32 < data[end] < 127 and data[end : end + 2] != b"PK":
        end += 1
    return data[start:end].decode("ascii", errors="replace")


def looks_like_odf(data: bytes) -> bool:
    kind = odf_mimetype(data)
    return kind is not None and kind.split(";")[0] in MEDIA_TYPES


def hidden_styles(*roots: etree._Element | None) -> tuple[set[str], set[str]]:
    """(styles that hide text, table/row/page styles that hide what they apply to)."""
    text_hidden: set[str] = set()
    block_hidden: set[str] = set()
    for root in roots:
        if root is None:
            continue
        for style in root.iter(STYLE + "style"):
            name = style.get(STYLE + "name", "")
            props = style.find(STYLE + "text-properties")
            if props is not None and props.get(TEXT + "display") in ("none", "condition"):
                text_hidden.add(name)
            table = style.find(STYLE + "table-properties")
            if table is not None and table.get(TABLE + "display") == "false":
                block_hidden.add(name)
            page = style.find(STYLE + "drawing-page-properties")
            if page is not None and page.get(PRESENTATION + "visibility") == "hidden":
                block_hidden.add(name)
    return text_hidden, block_hidden


@dataclass
class _Walk:
    ctx: ExtractContext
    hidden_styles: set[str]
    segments: list[Segment] = field(default_factory=list)
    consumed: set[etree._Element] = field(default_factory=set)

    def add(self, text: str, location: str, kind: str, *, hidden: bool = False, author: str | None = None,
            date: str | None = None) -> None:
        text = text.strip()
        if text:
            self.ctx.count_text(len(text))
            self.segments.append(Segment(text=text, location=location, kind=kind, hidden=hidden, author=author,
                                         date=date))

    def paragraph(self, p: etree._Element) -> tuple[str, str]:
        """(visible text, hidden text) of one paragraph, spans joined without a gap."""
        shown: list[str] = []
        unseen: list[str] = []
        self.consumed.add(p)
        self._collect(p, shown, unseen, p.get(TEXT + "style-name", "") in self.hidden_styles)
        if any(el.get(TEXT + "is-hidden") == "true" for el in p.iter(TEXT + "hidden-paragraph")):
            return "", "".join(shown) + "".join(unseen)
        return "".join(shown), "".join(unseen)

    def _collect(self, el: etree._Element, shown: list[str], unseen: list[str], hidden: bool) -> None:
        out = unseen if hidden else shown
        if el.text:
            out.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail:
                    out.append(child.tail)
                continue
            self.consumed.add(child)
            tag = child.tag
            if tag in _NESTED:
                pass
            elif tag == TEXT + "s":
                out.append(" " * min(_int(child.get(TEXT + "c"), 1), 100))
            elif tag == TEXT + "tab":
                out.append("\t")
            elif tag == TEXT + "line-break":
                out.append("\n")
            elif tag == TEXT + "hidden-text":
                unseen.append(" " + (child.get(TEXT + "string-value") or "") + " ")
                self._collect(child, shown, unseen, True)
            else:
                child_hidden = hidden or child.get(TEXT + "style-name", "") in self.hidden_styles
                self._collect(child, shown, unseen, child_hidden)
            if child.tail:
                out.append(child.tail)

    def emit_paragraph(self, p: etree._Element, where: str, kind: str, *, hidden: bool = False,
                       author: str | None = None, date: str | None = None) -> None:
        shown, unseen = self.paragraph(p)
        self.add(shown, where, kind, hidden=hidden, author=author, date=date)
        self.add(unseen, f"{where} (hidden text)", "hidden-text", hidden=True, author=author, date=date)


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value or default), 0)
    except ValueError:
        return default


def _change_info(el: etree._Element) -> tuple[str | None, str | None]:
    info = el.find(OFFICE + "change-info")
    if info is None:
        return None, None
    creator, date = info.find(DC + "creator"), info.find(DC + "date")
    return (creator.text if creator is not None else None), (date.text if date is not None else None)


def _place(p: etree._Element, root: etree._Element) -> tuple[str, str, bool, str | None, str | None] | None:
    """(location prefix, kind, hidden, author, date) from a paragraph's nearest telling ancestor,
    or None when it stands where another reader takes it (a spreadsheet cell)."""
    el = p.getparent()
    fallback = ("paragraph", "body", False, None, None)
    while el is not None and el is not root:
        tag = el.tag
        if tag == OFFICE + "annotation":
            creator, date = el.find(DC + "creator"), el.find(DC + "date")
            return ("annotation", "comment", True, creator.text if creator is not None else None,
                    date.text if date is not None else None)
        if tag == TEXT + "deletion":
            author, date = _change_info(el)
            return "tracked deletion", "tracked-deletion", True, author, date
        if tag == TEXT + "note":
            note_class = el.get(TEXT + "note-class", "footnote")
            return note_class, note_class, False, None, None
        if tag == PRESENTATION + "notes":
            return "speaker notes", "notes", False, None, None
        if tag in (DRAW + "text-box", DRAW + "custom-shape") and fallback[0] == "paragraph":
            fallback = ("text box", "textbox", False, None, None)  # unless inside notes or a comment
        if tag == TABLE + "table-cell" and _in_spreadsheet(el):
            return None
        if tag in (TEXT + "section",) and el.get(TEXT + "display") == "none":
            return "hidden section", "hidden-text", True, None, None
        el = el.getparent()
    return fallback


def _in_spreadsheet(el: etree._Element) -> bool:
    while el is not None:
        if el.tag == OFFICE + "spreadsheet":
            return True
        el = el.getparent()
    return False


def _story(walk: _Walk, container: etree._Element, prefix: str, *, hidden: bool = False,
           default_kind: str = "body") -> None:
    """Every paragraph under ``container`` in document order, placed by its ancestors."""
    counts: dict[str, int] = {}
    for p in container.iter(*_PARAGRAPHS):
        place = _place(p, container)
        if place is None:
            continue
        label, kind, place_hidden, author, date = place
        kind = default_kind if kind == "body" else kind
        counts[label] = counts.get(label, 0) + 1
        where = f"{prefix}{label} {counts[label]}"
        walk.emit_paragraph(p, where, kind, hidden=hidden or place_hidden, author=author, date=date)
    for el in container.iter(SVG + "title", SVG + "desc"):
        walk.consumed.add(el)
        walk.add(el.text or "", f"{prefix}alt text", "alt-text", hidden=True)
    for el in container.iter(TEXT + "user-field-decl", TEXT + "variable-decl", TEXT + "user-field-get"):
        walk.add(el.get(OFFICE + "string-value") or "", f"{prefix}field {el.get(TEXT + 'name', '')}", "metadata",
                 hidden=True)


def _spreadsheet(walk: _Walk, body: etree._Element, block_hidden: set[str], out: SheetText) -> None:
    for number, table in enumerate(body.iter(TABLE + "table"), 1):
        name = table.get(TABLE + "name", f"Sheet{number}")
        state = "hidden" if table.get(TABLE + "style-name", "") in block_hidden else None
        out.sheet_name(number, name, state)
        hidden_cols: set[int] = set()
        col = 1
        for column in table.iter(TABLE + "table-column"):
            repeat = min(_int(column.get(TABLE + "number-columns-repeated"), 1), 16384)
            if column.get(TABLE + "visibility", "visible") != "visible":
                hidden_cols.update(range(col, col + repeat))
            col += repeat
        row_number = 0
        for row in table.iter(TABLE + "table-row"):
            repeat = _int(row.get(TABLE + "number-rows-repeated"), 1)
            row_hidden = row.get(TABLE + "visibility", "visible") != "visible"
            cells: list[tuple[int, str, bool]] = []
            col = 1
            for cell in row:
                if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                    continue
                walk.consumed.add(cell)
                texts = []
                for p in cell.iterchildren(*_PARAGRAPHS):
                    shown, unseen = walk.paragraph(p)
                    texts.append(shown)
                    walk.add(unseen, f"sheet '{name}', row {row_number + 1} (hidden text)", "hidden-text",
                             hidden=True)
                text = "\n".join(t for t in texts if t.strip())
                if text:
                    cells.append((col, text, col in hidden_cols))
                col += min(_int(cell.get(TABLE + "number-columns-repeated"), 1), 16384)
            row_number += 1
            if cells:
                out.row(name, state, row_number, cells, row_hidden=row_hidden)
                # a repeated row with text shows that text on every row: once is enough to find it
            row_number += min(repeat, 1_048_576) - 1
    for rng in body.iter(TABLE + "named-range", TABLE + "named-expression"):
        walk.add(f"{rng.get(TABLE + 'name', '')}: {rng.get(TABLE + 'cell-range-address') or ''}", "defined name",
                 "metadata", hidden=True)


def _presentation(walk: _Walk, body: etree._Element, block_hidden: set[str]) -> None:
    for number, page in enumerate(body.iter(DRAW + "page"), 1):
        hidden = page.get(DRAW + "style-name", "") in block_hidden
        label = f"slide {number}" + (" (hidden slide)" if hidden else "")
        walk.add(page.get(DRAW + "name", ""), f"{label}, name", "metadata", hidden=True)
        _story(walk, page, f"{label}, ", hidden=hidden)


def _tracked_changes(walk: _Walk, body: etree._Element) -> None:
    for region in body.iter(TEXT + "changed-region"):
        walk.consumed.add(region)
        for change in region:
            author, _ = _change_info(change)
            if change.tag == TEXT + "insertion" and author:
                walk.add(author, "tracked insertion author", "metadata", hidden=True)
            elif change.tag == TEXT + "format-change" and author:
                walk.add(author, "tracked format change author", "metadata", hidden=True)


def _meta(walk: _Walk, root: etree._Element | None) -> None:
    if root is None:
        return
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = local_name(el)
        if name == "user-defined":
            key = el.get(META + "name", "")
            walk.add(f"{key}: {el.text or ''}", f"custom property: {key}", "metadata", hidden=True)
        elif name in _META_FIELDS and _META_FIELDS[name] and el.text:
            walk.add(el.text, f"document property: {_META_FIELDS[name]}", "metadata", hidden=True)
        elif name not in _META_FIELDS and el.text and el.text.strip() and name not in ("meta", "document-meta"):
            walk.add(el.text, f"document property: {name}", "metadata", hidden=True)


def _styles_part(walk: _Walk, root: etree._Element | None) -> None:
    """Page headers and footers of the master pages."""
    if root is None:
        return
    for page in root.iter(STYLE + "master-page"):
        name = page.get(STYLE + "display-name") or page.get(STYLE + "name", "")
        for part in page:
            what = local_name(part)
            if what.startswith(("header", "footer")):
                kind = "footer" if what.startswith("footer") else "header"
                hidden = part.get(STYLE + "display") == "false"
                _story(walk, part, f"{what.replace('-', ' ')} ({name}), ", hidden=hidden, default_kind=kind)
                for p in part.iter(*_PARAGRAPHS):
                    walk.consumed.add(p)
        for p in page.iter(*_PARAGRAPHS):
            if p not in walk.consumed:
                walk.emit_paragraph(p, f"master page {name}", "header", hidden=True)


def _leftover(walk: _Walk, root: etree._Element, part: str) -> None:
    """Text no rule above took (the closed world): kept as hidden text of the part."""
    skip = (DC + "creator", DC + "date")
    lines: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in skip:
            continue
        inside = el
        taken = False
        while inside is not None:
            if inside in walk.consumed:
                taken = True
                break
            inside = inside.getparent()
        if taken:
            continue
        if el.text and el.text.strip():
            lines.append(el.text.strip())
        if el.tail and el.tail.strip() and (el.getparent() is None or el.getparent() not in walk.consumed):
            lines.append(el.tail.strip())
    walk.add("\n".join(lines), f"other text in {part}", "metadata", hidden=True)


def extract_odf(data: bytes, name: str, ctx: ExtractContext) -> Document:
    mimetype = (odf_mimetype(data) or "").split(";")[0]
    pkg = Package(data, name, ctx)
    content = pkg.parse("content.xml")
    if content is None:
        raise ExtractionError("corrupt", f"{name}: an OpenDocument package without content.xml")
    styles = pkg.parse("styles.xml")
    text_hidden, block_hidden = hidden_styles(content, styles)
    walk = _Walk(ctx, text_hidden)
    body = content.find(OFFICE + "body")
    out = SheetText(ctx)
    if body is not None:
        for kind in body:
            tag = kind.tag
            if tag == OFFICE + "spreadsheet":
                _spreadsheet(walk, kind, block_hidden, out)
                _story(walk, kind, "")
            elif tag == OFFICE + "presentation":
                _presentation(walk, kind, block_hidden)
            else:
                _tracked_changes(walk, kind)
                _story(walk, kind, "")
    _styles_part(walk, styles)
    _meta(walk, pkg.parse("meta.xml"))
    _leftover(walk, content, "content.xml")
    pkg.mark_read("mimetype", "content.xml", "styles.xml", "meta.xml")
    segments, children, problems = pkg.remainder(no_text=_NO_TEXT, embedded=("Object ",))
    children += media_pictures(pkg.blobs, "Pictures/", ctx)  # OCR of the pictures, as for DOCX/PPTX/XLSX
    media_type = mimetype if mimetype in MEDIA_TYPES else "application/vnd.oasis.opendocument.text"
    spreadsheet_rows = out.segments
    all_segments = [*spreadsheet_rows, *walk.segments, *segments, *pkg.external_links()]
    return Document(name=name, media_type=media_type, segments=tuple(all_segments), children=tuple(children),
                    problems=tuple(problems))


FORMAT = Format(
    name="odf",
    extensions=(".odt", ".ott", ".ods", ".ots", ".odp", ".otp"),
    media_types=tuple(MEDIA_TYPES),
    sniff=looks_like_odf,
    extract=extract_odf,
)

FORMATS: list[Format] = [FORMAT]
