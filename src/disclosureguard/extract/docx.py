"""Word documents (.docx, .docm, .dotx, .dotm): every word, including the ones nobody sees.

The package is read as XML directly, with one safe parser (no DTD, no entities, no
network), after the zip has passed the size and ratio checks. python-docx is not used to
read untrusted packages: it would parse and inflate every part a second time, and it
has no API for most of what matters here (tracked changes, hidden runs, text boxes,
comments' authors, footnotes, custom properties).
"""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

from ..errors import ExtractionError
from ..model import Document, Problem, Segment
from .context import ExtractContext
from .docx_audit import collect_other_text, count_check, quiet_part
from .docx_story import StoryWalker, Styles, W, is_statistic
from .format import Format
from .ole2 import looks_like_ole2
from .ooxml_package import relationships
from .part_memo import PartMemo
from .xmlsafe import check_no_dtd, local_name, parse_xml
from .zipsafe import check_declared, looks_like_zip, open_zip, read_member, zip_names

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Core properties by their XML name, with the words a person would use.
_CORE_NAMES = {
    "creator": "author",
    "lastModifiedBy": "last modified by",
    "title": "title",
    "subject": "subject",
    "keywords": "keywords",
    "description": "comments",
    "category": "category",
    "contentStatus": "status",
    "identifier": "identifier",
    "language": "language",
    "version": "version",
}
_APP_NAMES = {"Company": "company", "Manager": "manager", "Template": "template", "HyperlinkBase": "hyperlink base"}
# Property names a label may repeat; any other element name is the sender's text.
_KNOWN_PROPERTY_NAMES = {
    "created", "modified", "lastPrinted", "revision", "Application", "AppVersion", "DocSecurity", "Pages",
    "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs", "TotalTime", "ScaleCrop",
    "LinksUpToDate", "SharedDoc", "HyperlinksChanged", "Notes", "HiddenSlides", "MMClips", "PresentationFormat",
    "DigSig",
}
_HIDDEN_NOTE_TYPES = ("separator", "continuationSeparator", "continuationNotice")


def _looks_like_docx(data: bytes) -> bool:
    names = zip_names(data)
    if names is None:
        # A damaged package whose central directory is gone still names its parts in the
        # local headers; it should be reported as a damaged Word file, not as a zip.
        return looks_like_zip(data) and b"[Content_Types].xml" in data[:4096] and b"word/" in data
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


class _Package:
    """The XML parts of one package, read once under the limits, parsed on demand."""

    def __init__(self, data: bytes, name: str, ctx: ExtractContext) -> None:
        self.name = name
        self.ctx = ctx
        self.zip = open_zip(data, name)
        self.infos = {i.filename: i for i in check_declared(self.zip, name, ctx) if not i.filename.endswith("/")}
        self.xml: dict[str, bytes] = {}
        # Every XML part is checked for a DTD before any is parsed, so an unsafe part
        # makes the whole package a problem even if nothing would have read that part.
        for part, info in self.infos.items():
            if part.lower().endswith((".xml", ".rels")):
                blob = read_member(self.zip, info, ctx)
                check_no_dtd(blob, part)
                self.xml[part] = blob
        self._parsed: dict[str, etree._Element] = {}

    def parse(self, part: str) -> etree._Element | None:
        if part not in self.xml:
            return None
        if part not in self._parsed:
            self._parsed[part] = parse_xml(self.xml[part], part)
        return self._parsed[part]

    def parsed(self, part: str) -> bool:
        return part in self._parsed

    def rels(self, part: str) -> list[tuple[str, str, str, bool]]:
        """(id, type, target part or URL, external) of the relationships of ``part``."""
        return relationships(self.parse, part)

    def read(self, part: str) -> bytes:
        return read_member(self.zip, self.infos[part], self.ctx)


def _by_type(rels: list[tuple[str, str, str, bool]], suffix: str) -> list[str]:
    return [target for _, rtype, target, external in rels if rtype.endswith(suffix) and not external]


def _main_part(pkg: _Package) -> str:
    for target in _by_type(pkg.rels(""), "/officeDocument"):
        if target in pkg.xml:
            return target
    if "word/document.xml" in pkg.xml:
        return "word/document.xml"
    raise ExtractionError("corrupt", f"{pkg.name}: no main document part")


def _section_parts(
    pkg: _Package, walker: StoryWalker, body: etree._Element, rel_targets: dict[str, str], even_and_odd: bool
) -> set[str]:
    seen: set[str] = set()
    # Section properties close each section: in the last paragraph of the section, and
    # the body's own for the last one. Others (inside w:sectPrChange) are history.
    sections = [s for s in body.iter(W + "sectPr") if s.getparent() is body or s.getparent().tag == W + "pPr"]
    for number, sect in enumerate(sections, 1):
        title_page = sect.find(W + "titlePg")
        first_shown = title_page is not None and title_page.get(W + "val", "true").lower() not in ("0", "false")
        for ref in sect:
            if ref.tag not in (W + "headerReference", W + "footerReference"):
                continue
            what = "header" if ref.tag == W + "headerReference" else "footer"
            variant = ref.get(W + "type", "default")
            target = rel_targets.get(ref.get(R_ID, ""))
            if target is None or target in seen:
                continue
            seen.add(target)
            root = pkg.parse(target)
            if root is None:
                continue
            label, shown = f"section {number}", True
            if variant == "first":
                label, shown = f"section {number}, first page", first_shown
            elif variant == "even":
                label, shown = f"section {number}, even pages", even_and_odd
            walker.story(root, f"{what} ({label})", what, hidden=not shown)
    return seen


def _notes(pkg: _Package, walker: StoryWalker, part: str, tag: str, kind: str) -> None:
    root = pkg.parse(part)
    if root is None:
        return
    number = 0
    for note in root.iter(W + tag):
        if note.get(W + "type") in _HIDDEN_NOTE_TYPES:
            # the separator line above the notes: Word draws it, but text put there is
            # still in the file (and shown by some readers)
            walker.story(note, f"{kind} separator", "hidden-text", hidden=True)
            continue
        number += 1
        walker.story(note, f"{kind} {number}", kind)


def _comments(pkg: _Package, walker: StoryWalker, part: str) -> None:
    root = pkg.parse(part)
    if root is None:
        return
    for number, comment in enumerate(root.iter(W + "comment"), 1):
        author = comment.get(W + "author") or comment.get(W + "initials") or None
        walker.story(
            comment, f"comment {number}", "comment", hidden=True, author=author, date=comment.get(W + "date") or None
        )


def _properties(pkg: _Package, walker: StoryWalker) -> None:
    package_rels = pkg.rels("")
    core = (_by_type(package_rels, "/core-properties") or ["docProps/core.xml"])[0]
    app = (_by_type(package_rels, "/extended-properties") or ["docProps/app.xml"])[0]
    custom = (_by_type(package_rels, "/custom-properties") or ["docProps/custom.xml"])[0]
    root = pkg.parse(core)
    if root is not None:
        for el in root:
            name = local_name(el)
            # the others (created, modified, revision...) are read too: nothing is left unread
            label = _CORE_NAMES.get(name) or (name if name in _KNOWN_PROPERTY_NAMES else "other property")
            if el.text and not is_statistic(el):
                walker.emit(el.text, f"document property: {label}", "metadata", hidden=True, field_name=label)
            walker.consume_tree(el)
    root = pkg.parse(app)
    if root is not None:
        for el in root:
            name = local_name(el)
            if name in _APP_NAMES:
                label = _APP_NAMES[name]
                walker.emit(
                    " ".join(el.itertext()), f"document property: {label}", "metadata", hidden=True, field_name=label
                )
                walker.consume_tree(el)
            elif name in ("TitlesOfParts", "HeadingPairs"):
                label = "titles of parts" if name == "TitlesOfParts" else "heading pairs"
                walker.emit(
                    "\n".join(t for t in el.itertext() if t.strip()),
                    f"document property: {label}",
                    "metadata",
                    hidden=True,
                    field_name=label,
                )
                walker.consume_tree(el)
            else:  # the application's name, and counters that do not look like counters
                label = name if name in _KNOWN_PROPERTY_NAMES else "other property"
                if not is_statistic(el):
                    text = " ".join(t.strip() for t in el.itertext() if t.strip())
                    walker.emit(text, f"document property: {label}", "metadata", hidden=True, field_name=label)
                walker.consume_tree(el)
    root = pkg.parse(custom)
    if root is not None:
        for prop in root:
            name = prop.get("name") or local_name(prop)
            value = " ".join(t for t in prop.itertext() if t.strip())
            walker.emit(value, f"custom property: {name}", "metadata", hidden=True, field_name=name)
            walker.emit(name, f"custom property name: {name}", "metadata", hidden=True, field_name=name)
            walker.consume_tree(prop)


def _custom_xml(pkg: _Package, walker: StoryWalker) -> None:
    """Data stores bound to content controls (SharePoint and case-system fields)."""
    for part in sorted(pkg.xml):
        folder, base = posixpath.split(part)
        if folder == "customXml" and base.startswith("item") and not base.startswith("itemProps"):
            root = pkg.parse(part)
            if root is not None:
                # a data store's attributes are data too (<child name="..." nhs="..."/>)
                values = [v.strip() for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
                texts = [t.strip() for t in root.itertext() if t.strip()] + [v for v in values if v]
                walker.emit("\n".join(texts), f"custom XML data ({part})", "metadata", hidden=True)
                walker.consume_tree(root, attributes=True)


def _charts_and_diagrams(pkg: _Package, walker: StoryWalker) -> None:
    for part in sorted(pkg.xml):
        folder, base = posixpath.split(part)
        if folder == "word/charts" and base.startswith("chart"):
            where = f"chart {base[5:-4] or '1'}"
        elif folder == "word/diagrams" and base.startswith("data"):
            where = f"diagram {base[4:-4] or '1'}"
        else:
            continue
        root = pkg.parse(part)
        if root is None:
            continue
        read = [el for el in root.iter() if local_name(el) in ("t", "v") and el.text and el.text.strip()]
        walker.emit("\n".join((el.text or "").strip() for el in read), where, "body")
        for el in read:
            walker.consume(el)


def _links(pkg: _Package, walker: StoryWalker) -> None:
    """External targets: hyperlink addresses (mailto: too), templates, linked files."""
    for rels_part in sorted(p for p in pkg.xml if p.endswith(".rels")):
        folder, base = posixpath.split(rels_part)
        owner = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
        where = _owner_label(owner)
        for _, rtype, target, external in pkg.rels(owner):
            if external and target.strip():
                what = rtype.rsplit("/", 1)[-1]
                label = "link address" if what == "hyperlink" else f"linked {what} address"
                walker.emit(target, f"{label} ({where})", "link", hidden=True)


def _owner_label(part: str) -> str:
    base = posixpath.basename(part)
    for prefix, label in (
        ("document", "body"),
        ("header", "header"),
        ("footer", "footer"),
        ("footnotes", "footnotes"),
        ("endnotes", "endnotes"),
        ("comments", "comments"),
        ("settings", "document settings"),
    ):
        if base.startswith(prefix):
            return label
    return part


def _embedded(pkg: _Package, ctx: ExtractContext) -> list[Document]:
    """Embedded files and imported chunks, each read as a document of its own."""
    extract = ctx.reader().extract  # passed down: the registry imports this module

    targets: dict[str, None] = {}
    for rels_part in sorted(p for p in pkg.xml if p.endswith(".rels")):
        folder, base = posixpath.split(rels_part)
        owner = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
        for _, rtype, target, external in pkg.rels(owner):
            if not external and rtype.rsplit("/", 1)[-1] in ("package", "oleObject", "aFChunk"):
                targets.setdefault(target, None)
    for part in sorted(pkg.infos):
        if part.startswith("word/embeddings/"):
            targets.setdefault(part, None)
    children = []
    for part in targets:
        if part not in pkg.infos:
            continue
        data = pkg.read(part)
        children.append(extract(data, f"embedded {posixpath.basename(part)}", ctx.nested()))
    children.extend(_other_parts(pkg, ctx, set(targets)))
    from .image import media_pictures  # OCR of the pictures

    media = [(part, pkg.read(part)) for part in pkg.infos if part.startswith("word/media/")]
    children.extend(media_pictures(media, "word/media/", ctx))
    return children


# Binary parts Word keeps for itself: pictures (OCR is the images' business), fonts, printer
# settings, thumbnails, the macro project.
_OWN_BINARY_FOLDERS = ("word/media/", "word/fonts/", "docProps/thumbnail")
_OWN_BINARY_NAMES = ("vbaProject.bin", "vbaData.xml")  # the macro project is read by _macros


def _macros(pkg: _Package, ctx: ExtractContext) -> tuple[list[Segment], list[Problem]]:
    """The VBA source of the macro project (a .docm), as hidden text."""
    from .vba import vba_segments

    segments: list[Segment] = []
    problems: list[Problem] = []
    for part in sorted(pkg.infos):
        if posixpath.basename(part).lower() == "vbaproject.bin":
            found, failed = vba_segments(pkg.read(part), part, ctx)
            segments += found
            problems += [Problem(f"{pkg.name}: {p.part}", p.cause, p.message) for p in failed]
    return segments, problems


def _other_parts(pkg: _Package, ctx: ExtractContext, read: set[str]) -> list[Document]:
    """Parts that are neither XML nor embedded objects (a text file dropped into the zip):
    read as documents of their own when their bytes are a format we read."""
    reader = ctx.reader()  # passed down: the registry imports this module

    children: list[Document] = []
    for part in sorted(pkg.infos):
        if part in read or part in pkg.xml or part.startswith(_OWN_BINARY_FOLDERS):
            continue
        if posixpath.basename(part) in _OWN_BINARY_NAMES or "printerSettings" in part:
            continue
        data = pkg.read(part)
        if not reader.recognises(data):
            continue  # an image or other binary with no text we could read
        children.append(reader.extract(data, f"package part {len(children) + 1}", ctx.nested()))
    return children


def extract_docx(data: bytes, name: str, ctx: ExtractContext) -> Document:
    if looks_like_ole2(data):  # an encrypted .docx is an OLE2 file; the registry may hand it here
        from .ole2 import extract_ole2

        return extract_ole2(data, name, ctx)
    try:
        pkg = _Package(data, name, ctx)
    except (zipfile.BadZipFile, EOFError) as e:
        raise ExtractionError("corrupt", f"{name} is damaged ({e})") from e
    main = _main_part(pkg)
    document = pkg.parse(main)
    body = document.find(W + "body") if document is not None else None
    if body is None:
        raise ExtractionError("corrupt", f"{name}: the main document part has no body")
    main_rels = pkg.rels(main)
    rel_targets = {rid: target for rid, _, target, external in main_rels if not external}
    styles = _styles(pkg, next(iter(_by_type(main_rels, "/styles")), ""))
    settings = pkg.parse(next(iter(_by_type(main_rels, "/settings")), ""))
    even_and_odd = False
    if settings is not None:
        flag = settings.find(W + "evenAndOddHeaders")
        even_and_odd = flag is not None and flag.get(W + "val", "true").lower() not in ("0", "false")

    walker = StoryWalker(styles, ctx)
    walker.story(body, "body", "body", per_paragraph=True, table_prefix="", table_kind="table")
    seen = _section_parts(pkg, walker, body, rel_targets, even_and_odd)
    for suffix, what in (("/header", "header"), ("/footer", "footer")):
        for target in _by_type(main_rels, suffix):
            root = pkg.parse(target) if target not in seen else None
            if root is not None:
                walker.story(root, f"{what} (not used by any section)", what, hidden=True)
    for target in _by_type(main_rels, "/footnotes"):
        _notes(pkg, walker, target, "footnote", "footnote")
    for target in _by_type(main_rels, "/endnotes"):
        _notes(pkg, walker, target, "endnote", "endnote")
    for target in _by_type(main_rels, "/comments"):
        _comments(pkg, walker, target)
    for target in _by_type(main_rels, "/glossaryDocument"):
        root = pkg.parse(target)
        glossary_body = root.find(f"{W}docParts") if root is not None else None
        if glossary_body is not None:
            for part_no, doc_part in enumerate(glossary_body.iter(W + "docPartBody"), 1):
                walker.story(doc_part, f"building block {part_no} (not shown)", "hidden-text", hidden=True)
    if settings is not None:
        _document_variables(settings, walker)
    problems: list[Problem] = []
    parts = _all_xml_parts(pkg, problems)
    _unreferenced_stories(parts, walker)
    _charts_and_diagrams(pkg, walker)
    _properties(pkg, walker)
    _custom_xml(pkg, walker)
    package_chars = collect_other_text(parts, walker, pkg.xml)
    problems.extend(count_check(name, package_chars, walker))
    _links(pkg, walker)
    children = _embedded(pkg, ctx)
    macro_text, macro_problems = _macros(pkg, ctx)
    problems.extend(macro_problems)
    return Document(
        name=name,
        media_type=MEDIA_TYPE,
        segments=(*walker.segments, *macro_text),
        children=tuple(children),
        problems=tuple(problems),
    )


# Styles by their part's bytes (part_memo.py): python-docx's template's tree is 18,000 elements.
STYLES_KEPT = 16
STYLES: PartMemo[Styles] = PartMemo(STYLES_KEPT)


def _styles(pkg: _Package, part: str) -> Styles:
    source = pkg.xml.get(part)
    if source is None:
        return Styles(None)
    # parsed on first sight: its text, if any, is then read by the closed-world pass
    styles = STYLES.made(source, lambda: Styles(pkg.parse(part)))
    assert styles is not None  # make() always makes one
    return styles


def _document_variables(settings: etree._Element, walker: StoryWalker) -> None:
    """w:docVar: named values a template or macro stores in settings.xml, never shown."""
    for number, var in enumerate(settings.iter(W + "docVar"), 1):
        text = "\n".join(v for v in (var.get(W + "name"), var.get(W + "val")) if v and v.strip())
        walker.emit(text, f"document variable {number}", "metadata", hidden=True)
        walker.consume(var, W + "name")
        walker.consume(var, W + "val")


_STORY_ROOTS = {W + "hdr": "header", W + "ftr": "footer"}


def _unreferenced_stories(parts: dict[str, etree._Element], walker: StoryWalker) -> None:
    """Headers and footers that no relationship names (word/header9.xml): read, hidden."""
    for part, root in parts.items():
        if root.tag not in _STORY_ROOTS:
            continue
        if any(id(el) in walker.consumed for el in root.iter(W + "t")):
            continue  # read already, through a section or the main part's relationships
        walker.story(root, f"{_STORY_ROOTS[root.tag]} in a part nothing refers to ({part})", "hidden-text", hidden=True)


def _all_xml_parts(pkg: _Package, problems: list[Problem]) -> dict[str, etree._Element]:
    parts: dict[str, etree._Element] = {}
    for part in sorted(pkg.xml):
        if part.endswith(".rels") or part == "[Content_Types].xml":
            continue
        try:
            if not pkg.parsed(part) and quiet_part(pkg.xml[part], part):
                continue  # damage is still reported (quiet_part raises); no tree is built
            root = pkg.parse(part)
        except ExtractionError as e:
            problems.append(Problem(pkg.name, e.cause, f"a part of the package could not be read: {e}"))
            continue
        if root is not None:
            parts[part] = root
    return parts


FORMAT = Format(
    name="docx",
    extensions=(".docx", ".docm", ".dotx", ".dotm"),
    media_types=(
        MEDIA_TYPE,
        "application/vnd.ms-word.document.macroenabled.12",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
        "application/vnd.ms-word.template.macroenabled.12",
    ),
    sniff=_looks_like_docx,
    extract=extract_docx,
    # an encrypted .docx is an OLE2 compound file: the name is right, the content explains
    compatible=("ole2",),
)

FORMATS: list[Format] = [FORMAT]
