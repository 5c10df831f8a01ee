"""PowerPoint decks (.pptx, .pptm, .ppsx, .potx): slides, notes, comments, alt text.

The parts are read as XML with lxml through :mod:`ooxml_package` (python-pptx would
parse the package a second time and has no API for comments or hidden slides). Each shape's
text body is one segment, its paragraphs on their own lines. Hidden slides and hidden
shapes, speaker notes, comments (legacy and modern) and alt text are hidden segments;
charts and SmartArt are read; embedded files are nested documents; every other part with
text is collected by the closed world's remainder.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from ..errors import ExtractionError
from ..model import Document, Segment
from .context import ExtractContext
from .format import Format
from .image import media_pictures
from .ole2 import looks_like_ole2
from .ooxml_package import Package
from .xmlsafe import local_name
from .zipsafe import looks_like_zip, zip_names

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_CORE = {"creator": "author", "lastModifiedBy": "last modified by", "title": "title", "subject": "subject",
         "keywords": "keywords", "description": "comments", "category": "category"}
_APP = {"Company": "company", "Manager": "manager"}
_TEMPLATE_FOLDERS = {"ppt/slideLayouts": "slide layout", "ppt/slideMasters": "slide master",
                     "ppt/notesMasters": "notes master", "ppt/handoutMasters": "handout master"}
_NO_TEXT = ("ppt/theme/", "ppt/printerSettings/", "docProps/thumbnail", "ppt/media/", "ppt/presProps.xml",
            "ppt/viewProps.xml", "ppt/tableStyles.xml", "[Content_Types].xml", "ppt/fonts/")


def looks_like_pptx(data: bytes) -> bool:
    names = zip_names(data)
    if names is None:
        return looks_like_zip(data) and b"[Content_Types].xml" in data[:4096] and b"ppt/" in data
    return "[Content_Types].xml" in names and any(n.startswith("ppt/") for n in names)


def paragraph_text(p: etree._Element) -> str:
    pieces: list[str] = []
    for el in p.iter(A + "t", A + "br", A + "tab"):
        if el.tag == A + "t":
            pieces.append(el.text or "")
        elif el.tag == A + "br":
            pieces.append("\n")
        else:
            pieces.append("\t")
    return "".join(pieces)


class _Deck:
    def __init__(self, pkg: Package, ctx: ExtractContext) -> None:
        self.pkg = pkg
        self.ctx = ctx
        self.segments: list[Segment] = []

    def add(self, text: str, location: str, kind: str, *, hidden: bool = False, author: str | None = None,
            date: str | None = None, field_name: str | None = None) -> None:
        text = text.strip()
        if text:
            self.ctx.count_text(len(text))
            self.segments.append(Segment(text=text, location=location, kind=kind, hidden=hidden, author=author,
                                         date=date, field=field_name))

    def shapes(self, root: etree._Element, where: str, kind: str, hidden: bool) -> None:
        """Each text body of a slide (shapes, table cells) and the alt text of every object."""
        for number, body in enumerate(root.iter(P + "txBody", A + "txBody"), 1):
            shape_hidden = hidden or _shape_hidden(body)
            text = "\n".join(paragraph_text(p) for p in body.iter(A + "p"))
            self.add(text, f"{where}, text {number}" + (" (hidden shape)" if shape_hidden and not hidden else ""),
                     kind, hidden=shape_hidden)
        for props in root.iter(P + "cNvPr"):
            for attr in ("descr", "title"):
                value = props.get(attr)
                if value:
                    self.add(value, f"{where}, alt text of {props.get('name', 'an object')}", "alt-text", hidden=True)

    def comments(self, part: str, where: str, authors: dict[str, str]) -> None:
        root = self.pkg.parse(part)
        if root is None:
            return
        for number, cm in enumerate((el for el in root.iter() if local_name(el) == "cm"), 1):
            texts = [el.text for el in cm.iter() if local_name(el) in ("text", "t") and el.text]
            author = authors.get(cm.get("authorId", ""))
            self.add("\n".join(texts), f"{where}, comment {number}", "comment", hidden=True, author=author,
                     date=cm.get("dt") or cm.get("created"))


def _shape_hidden(body: etree._Element) -> bool:
    shape = body.getparent()
    while shape is not None and local_name(shape) not in ("sp", "graphicFrame", "cxnSp", "grpSp", "pic"):
        shape = shape.getparent()
    if shape is None:
        return False
    return any(props.get("hidden") in ("1", "true") for props in shape.iter(P + "cNvPr"))


def _authors(pkg: Package) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
        root = pkg.parse(part)
        if root is None:
            continue
        for el in root:
            if isinstance(el.tag, str) and el.get("id") is not None:
                out[el.get("id", "")] = el.get("name", "") or el.get("initials", "")
    return out


def _properties(pkg: Package, deck: _Deck) -> None:
    for part, names in (("docProps/core.xml", _CORE), ("docProps/app.xml", _APP)):
        root = pkg.parse(part)
        if root is None:
            continue
        for el in root:
            name = local_name(el)
            if name in names and el.text:
                deck.add(el.text, f"document property: {names[name]}", "metadata", hidden=True,
                         field_name=names[name])
    custom = pkg.parse("docProps/custom.xml")
    if custom is not None:
        for prop in custom:
            value = " ".join(t for t in prop.itertext() if t.strip())
            deck.add(f"{prop.get('name', '')}: {value}", f"custom property: {prop.get('name', '')}", "metadata",
                     hidden=True)


def _slides(pkg: Package) -> list[str]:
    """The slide parts in the order the presentation lists them."""
    presentation = "ppt/presentation.xml"
    root = pkg.parse(presentation)
    if root is None:
        raise ExtractionError("corrupt", f"{pkg.name}: no presentation part")
    targets = {rid: target for rid, _, target, external in pkg.rels(presentation) if not external}
    ordered = [targets[el.get(R_ID, "")] for el in root.iter(P + "sldId") if el.get(R_ID, "") in targets]
    listed = set(ordered)
    # a slide part no list names is not shown, but it is in the file
    ordered += sorted(p for p in pkg.blobs if p.startswith("ppt/slides/slide") and p.endswith(".xml")
                      and p not in listed)
    return [p for p in ordered if pkg.has(p)]


def extract_pptx(data: bytes, name: str, ctx: ExtractContext) -> Document:
    if looks_like_ole2(data):
        from .ole2 import extract_ole2

        return extract_ole2(data, name, ctx)
    pkg = Package(data, name, ctx)
    deck = _Deck(pkg, ctx)
    authors = _authors(pkg)
    slides = _slides(pkg)
    for number, part in enumerate(slides, 1):
        root = pkg.parse(part)
        if root is None:
            continue
        hidden = root.get("show") in ("0", "false")
        where = f"slide {number}" + (" (hidden slide)" if hidden else "")
        deck.shapes(root, where, "body", hidden)
        for _, rtype, target, external in pkg.rels(part):
            if external:
                continue
            what = rtype.rsplit("/", 1)[-1]
            if what == "notesSlide" and pkg.has(target):
                notes = pkg.parse(target)
                if notes is not None:
                    # PowerPoint shows the notes pane under every slide it opens: notes are read
                    # by whoever opens the file (hidden only with their slide)
                    deck.shapes(notes, f"{where}, notes", "notes", hidden)
            elif what in ("comments", "modernComment") and pkg.has(target):
                deck.comments(target, where, authors)
    for part in sorted(pkg.blobs):
        folder, base = posixpath.split(part)
        if folder in _TEMPLATE_FOLDERS and base.endswith(".xml"):
            # text on a master or layout shows behind slides that use it; its prompts never do
            root = pkg.parse(part)
            if root is not None:
                deck.shapes(root, f"{_TEMPLATE_FOLDERS[folder]} {base[:-4]}", "template", True)
        elif (folder == "ppt/charts" and base.startswith("chart")) or (folder == "ppt/diagrams"
                                                                      and base.startswith("data")):
            root = pkg.parse(part)
            texts = [el.text.strip() for el in root.iter() if local_name(el) in ("t", "v") and el.text
                     and el.text.strip()] if root is not None else []
            deck.add("\n".join(texts), f"{'chart' if 'chart' in folder else 'diagram'} {base}", "body")
        elif folder == "ppt/comments" and part not in pkg.read_parts:
            deck.comments(part, "unattached", authors)
    _properties(pkg, deck)
    pkg.mark_read("ppt/presentation.xml", *(p for p in pkg.blobs if p.endswith(".rels")))
    segments, children, problems = pkg.remainder(no_text=_NO_TEXT, embedded=("ppt/embeddings/",))
    children += media_pictures(pkg.blobs, "ppt/media/", pkg.ctx)  # OCR of the pictures (extract/image.py)
    return Document(name=name, media_type=MEDIA_TYPE, segments=tuple(deck.segments + segments
                                                                       + pkg.external_links()),
                    children=tuple(children), problems=tuple(problems))


FORMAT = Format(
    name="pptx",
    extensions=(".pptx", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm"),
    media_types=(
        MEDIA_TYPE,
        "application/vnd.ms-powerpoint.presentation.macroenabled.12",
        "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
        "application/vnd.openxmlformats-officedocument.presentationml.template",
    ),
    sniff=looks_like_pptx,
    extract=extract_pptx,
    compatible=("ole2",),
)

FORMATS: list[Format] = [FORMAT]
