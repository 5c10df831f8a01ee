"""PDF: page text, what covers it, annotations, forms, metadata, bookmarks, attachments and
the text of earlier revisions that an incremental update "removed" but left in the file.

Text that a reader of the rendered page cannot see (under a filled box drawn over it,
in render mode 3, white on white, under a redaction mark never applied) is kept out of
the page's visible text and reported as hidden, with its page and position.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from ..errors import ExtractionError, LimitExceeded
from ..model import Document, Problem, Segment
from .context import ExtractContext
from .pdf_budget import Budget
from .pdf_fonts import FontCheck
from .pdf_geometry import Box, Cover
from .pdf_pdfium import PdfiumError, appearance_texts, open_document, page_count, plain_text, read_page
from .pdf_repeats import drop_repeats
from .pdf_warnings import inflate_failures
from .xmlsafe import local_name, parse_xml

_EOF = re.compile(rb"%%EOF")
_STARTXREF = re.compile(rb"startxref\s+\d+(?:\s*%%EOF)?")
_AFTER_ALL_CONTENT = 10**12  # annotations are painted over every content-stream operator
_DARK = 0.35
_INFO_NAMES = {
    "/Author": "author",
    "/Title": "title",
    "/Subject": "subject",
    "/Keywords": "keywords",
    "/Creator": "creator application",
    "/Producer": "producer",
}
_XMP_SKIPPED = {"CreateDate", "ModifyDate", "MetadataDate", "DocumentID", "InstanceID", "format", "Trapped"}
_ANNOT_WORDS = {
    "/Text": "sticky note",
    "/FreeText": "text annotation",
    "/Highlight": "highlight note",
    "/Underline": "underline note",
    "/StrikeOut": "strike-out note",
    "/Stamp": "stamp",
    "/Ink": "ink note",
}
_READ_ERRORS = (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, IndexError)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _text(obj: Any) -> str | None:
    """A text string's value; names (/False, /Yes) are not text a person wrote. A string pypdf
    could not decode (UTF-16 with a stray odd byte) comes as bytes: decoded leniently."""
    obj = _resolve(obj)
    if isinstance(obj, NameObject):
        return None
    if isinstance(obj, bytes):
        obj = lenient_text(obj)
    if not isinstance(obj, str):
        return None
    return str(obj) if str(obj).strip() else None


def lenient_text(data: bytes) -> str:
    """A PDF text string as well as it can be read: UTF-16 by its byte-order mark (an odd
    trailing byte dropped), otherwise UTF-8 with what does not decode replaced (pypdf hands over
    bytes only for what PDFDocEncoding could not decode)."""
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        body = data[2:]
        body = body[: len(body) - len(body) % 2]
        return body.decode("utf-16-be" if data[:1] == b"\xfe" else "utf-16-le", errors="replace")
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def _as_text(value: str | bytes) -> str:
    """A name or text pypdf may hand over as bytes (a string it could not decode): as text."""
    return lenient_text(value) if isinstance(value, bytes) else str(value)


def _box(rect: Any) -> Box | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in _resolve(rect))
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _luminance(color: Any) -> float | None:
    try:
        values = [float(v) for v in _resolve(color)]
    except (TypeError, ValueError):
        return None
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return 0.299 * values[0] + 0.587 * values[1] + 0.114 * values[2]
    if len(values) == 4:
        c, m, y, k = values
        return 0.299 * (1 - c) * (1 - k) + 0.587 * (1 - m) * (1 - k) + 0.114 * (1 - y) * (1 - k)
    return None


def open_pdf(data: bytes, name: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except LimitReachedError as e:
        raise ExtractionError("limit", f"{name} is too large to read ({str(e)[:120]})") from e
    except _READ_ERRORS as e:
        raise ExtractionError("corrupt", f"{name} is not a readable PDF ({str(e)[:120]})") from e
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # an owner password alone still lets anyone read it
        except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError) as e:
            raise ExtractionError("encrypted", f"{name} is encrypted in a way that cannot be opened") from e
        if not opened:
            raise ExtractionError("encrypted", f"{name} is password-protected: not scanned")
    return reader


def _truncation(data: bytes) -> str | None:
    ends = [m.end() for m in _EOF.finditer(data)]
    if not ends:
        return "the file is truncated (it has no end-of-file marker): pages or parts may be missing"
    tail = data[ends[-1] :]
    if b" obj" in tail or b"xref" in tail or len(tail.strip()) > 4096:
        return "the file ends in an incomplete update: the latest changes may be missing"
    return None


class _Reader:
    """Collects the segments, nested documents and problems of one PDF."""

    def __init__(self, reader: PdfReader, name: str, ctx: ExtractContext) -> None:
        self.reader = reader
        self.name = name
        self.ctx = ctx
        self.segments: list[Segment] = []
        self.children: list[Document] = []
        self.problems: list[Problem] = []
        self.fonts = FontCheck()
        self.off_layers = _off_layers(reader)
        self.appearances = False  # the page being read has annotations drawn by appearance streams
        self.known_values: set[str] = set()  # its annotations' notes and values, normalised
        self.needs_ocr: list[int] = []  # pages whose text only OCR can read

    def emit(self, text: str, location: str, kind: str, *, hidden: bool, at: int | None = None, **extra: Any) -> None:
        """Add a segment (at index ``at`` when given: a page's text goes before its notes)."""
        text = _as_text(text).strip()
        if text:
            self.ctx.count_text(len(text))
            segment = Segment(text=text, location=location, kind=kind, hidden=hidden, **extra)
            self.segments.insert(len(self.segments) if at is None else at, segment)

    def problem(self, cause: str, message: str) -> None:
        self.problems.append(Problem(self.name, cause, message))

    # -- pages ----------------------------------------------------------------------

    def page(self, number: int, page: PageObject, layer: Any) -> None:
        start = len(self.segments)
        covers = self.annotations(number, page)
        try:
            check = self.fonts.page_unmappable(page)
            shown = read_page(layer, number - 1, covers, check_glyphs=check, off_layers=self.off_layers)
        except PdfiumError as e:
            self.problem("corrupt", f"page {number} could not be read ({e})")
            return
        if shown.needs_ocr:
            self.needs_ocr.append(number)
        read_by_ocr = shown.needs_ocr and self.ocr(number, layer)
        if shown.unmeasured:
            self.problem(
                "limit",
                f"page {number} has too many characters to tell hidden text from visible: all read as visible",
            )
        if shown.lost and not shown.undecodable:  # a font that maps to no text is a problem already
            self.problem("corrupt", f"page {number}: {shown.lost} characters drawn were lost in reading its text")
        if shown.undecodable and not read_by_ocr:
            self.problem(
                "undecodable",
                f"page {number}: {shown.undecodable} characters are drawn in a font that maps them to no text "
                "(needs OCR): not scanned",
            )
        visible = shown.visible
        if not visible.strip() and shown.images and not shown.glyphs and not read_by_ocr:
            self.problem("no-text-layer", f"page {number} has no text layer (a scan?): not scanned")
        self.emit(visible, f"page {number}", "body", hidden=False, page=number, at=start)
        for run in shown.runs:
            if run.why is None:
                continue
            self.emit(
                run.text,
                f"page {number}, {run.why} at ({run.origin[0]}, {run.origin[1]})",
                run.kind,
                hidden=True,
                page=number,
                bbox=run.box,
            )
        if self.appearances:
            self.appearance_text(number, layer)

    def ocr(self, number: int, layer: Any) -> bool:
        """OCR the page (extract/pdf_ocr.py); True when its text stands for the missing layer."""
        from .pdf_ocr import ocr_pdf_page

        found, problems, read = ocr_pdf_page(layer, number - 1, self.name, self.ctx)
        self.segments.extend(found)
        self.problems.extend(problems)
        return read

    def appearance_text(self, number: int, layer: Any) -> None:
        """What annotations and form widgets show through their appearance streams, where it
        says more than their /Contents or /V (a stamp with no note, a field with no value)."""
        try:
            texts = appearance_texts(layer, number - 1)
        except PdfiumError as e:
            self.problem("corrupt", f"page {number}: the appearance of its annotations could not be read ({e})")
            return
        for index, text in enumerate(texts, 1):
            if _norm(text) not in self.known_values:
                self.emit(text, f"page {number}, appearance of annotation {index}", "annotation", hidden=False,
                          page=number)

    def annotations(self, number: int, page: DictionaryObject) -> list[Cover]:
        covers: list[Cover] = []
        self.appearances = False
        self.known_values = set()
        annots = _resolve(page.get("/Annots"))
        if not isinstance(annots, ArrayObject):
            return covers
        for index, ref in enumerate(annots, 1):
            annot = _resolve(ref)
            if not isinstance(annot, DictionaryObject):
                continue
            subtype = str(annot.get("/Subtype", ""))
            box = _box(annot.get("/Rect"))
            at = f" at ({round(box[0])}, {round(box[1])})" if box else ""
            author = _text(annot.get("/T"))
            date = _text(annot.get("/M"))
            contents = _text(annot.get("/Contents"))
            if subtype not in ("/Link", "/Popup") and "/AP" in annot:
                self.appearances = True
            parent = _resolve(annot.get("/Parent"))
            parent_value = _text(parent.get("/V")) if isinstance(parent, DictionaryObject) else None
            for known in (contents, _text(annot.get("/V")), parent_value):
                if known:
                    self.known_values.add(_norm(known))
            if subtype in ("/Widget", "/Popup"):
                continue  # form fields are read from the form; popups repeat their parent
            if subtype == "/Link":
                action = _resolve(annot.get("/A"))
                uri = _text(action.get("/URI")) if isinstance(action, DictionaryObject) else None
                if uri:
                    self.emit(uri, f"page {number}, link address", "annotation", hidden=True, page=number)
                continue
            if subtype == "/Redact":
                if box:
                    covers.append(Cover(box, _AFTER_ALL_CONTENT, "a redaction mark that was never applied"))
                for key, what in (("/OverlayText", "overlay text"), ("/Contents", "note")):
                    value = _text(annot.get(key))
                    if value:
                        self.emit(
                            value,
                            f"page {number}, unapplied redaction mark{at}, {what}",
                            "annotation",
                            hidden=True,
                            page=number,
                            bbox=box,
                            author=author,
                            date=date,
                        )
                continue
            if subtype in ("/Square", "/Polygon", "/Circle"):
                fill = _luminance(annot.get("/IC"))
                if box and fill is not None and fill <= _DARK:
                    covers.append(Cover(box, _AFTER_ALL_CONTENT, "a black box drawn as an annotation", fill))
            if subtype == "/FileAttachment":
                self.file_spec(annot.get("/FS"), f"page {number}, attached file")
            if contents:
                word = _ANNOT_WORDS.get(subtype, subtype.lstrip("/").lower() or "annotation")
                self.emit(
                    contents,
                    f"page {number}, {word} {index}{at}",
                    "annotation",
                    hidden=subtype != "/FreeText",
                    page=number,
                    bbox=box,
                    author=author,
                    date=date,
                )
        return covers

    # -- document-wide parts --------------------------------------------------------

    def form_fields(self) -> None:
        fields = self.reader.get_fields() or {}
        for field_name, field in fields.items():
            value = _resolve(field.get("/V"))
            if isinstance(value, ArrayObject):
                text = "\n".join(t for t in (_text(v) for v in value) if t)
            else:
                text = _text(value) or ""
            self.emit(text, f"form field {field_name!r}", "form-field", hidden=False, field=field_name)

    def info(self) -> None:
        for label, text in _info_items(self.reader):
            self.emit(text, f"document property: {label}", "metadata", hidden=True, field=label)

    def xmp(self) -> None:
        root = _resolve(self.reader.trailer.get("/Root"))
        stream = _resolve(root.get("/Metadata")) if isinstance(root, DictionaryObject) else None
        if stream is None or not hasattr(stream, "get_data"):
            return
        try:
            tree = parse_xml(stream.get_data(), "XMP metadata")
        except ExtractionError as e:
            self.problem(e.cause, str(e))
            return
        for el in tree.iter():
            name = local_name(el)
            if name in _XMP_SKIPPED or not el.text or not el.text.strip() or len(el):
                continue
            owner = el.getparent()
            while owner is not None and local_name(owner) in ("li", "Seq", "Bag", "Alt"):
                owner = owner.getparent()
            label = local_name(owner) if name == "li" and owner is not None else name
            self.emit(el.text, f"XMP metadata: {label}", "metadata", hidden=True, field=label)

    def outline(self) -> None:
        titles = list(_outline_titles(self.reader.outline))
        for number, title in enumerate(titles, 1):
            self.emit(title, f"bookmark {number}", "outline", hidden=True)

    def attachments(self) -> None:
        for file_name, contents in self.reader.attachments.items():
            for blob in contents:
                self.nested(blob, file_name, "embedded file")

    def file_spec(self, spec: Any, where: str) -> None:
        spec = _resolve(spec)
        if not isinstance(spec, DictionaryObject):
            return
        file_name = _text(spec.get("/UF")) or _text(spec.get("/F")) or "attached file"
        embedded = _resolve(spec.get("/EF"))
        stream = _resolve(embedded.get("/F")) if isinstance(embedded, DictionaryObject) else None
        if stream is not None and hasattr(stream, "get_data"):
            self.nested(stream.get_data(), file_name, where)

    def nested(self, blob: bytes, file_name: str, where: str) -> None:
        extract = self.ctx.reader().extract  # passed down: the registry imports this module

        file_name = _as_text(file_name)
        self.ctx.count_part()
        self.emit(file_name, f"{where} name", "file-name", hidden=True)
        self.children.append(extract(blob, file_name, self.ctx.nested()))

    def guarded(self, what: str, step: Any) -> None:
        """Run one document-wide step; a damaged part is a problem, the rest is still read."""
        try:
            with inflate_failures() as failed:
                step()
            if failed:
                self.problem("corrupt", f"{what}: a compressed stream is damaged and could not be inflated")
        except LimitExceeded:
            raise
        except ExtractionError as e:
            self.problem(e.cause, f"{what}: {e}")
        except LimitReachedError as e:
            self.problem("limit", f"{what} too large to read ({str(e)[:120]})")
        except (*_READ_ERRORS, RecursionError) as e:
            self.problem("corrupt", f"{what} could not be read ({type(e).__name__})")


def _off_layers(reader: PdfReader) -> frozenset[str]:
    """Names of the optional-content groups (layers) the document shows switched off."""
    try:
        root = _resolve(reader.trailer.get("/Root"))
        props = _resolve(root.get("/OCProperties")) if isinstance(root, DictionaryObject) else None
        default = _resolve(props.get("/D")) if isinstance(props, DictionaryObject) else None
        off = _resolve(default.get("/OFF")) if isinstance(default, DictionaryObject) else None
        if not isinstance(off, ArrayObject):
            return frozenset()
        names = (_text(_resolve(g).get("/Name")) for g in off if isinstance(_resolve(g), DictionaryObject))
        return frozenset(n for n in names if n)
    except _READ_ERRORS:
        return frozenset()


def _info_items(reader: PdfReader) -> Iterator[tuple[str, str]]:
    """(label, text) of the document information dictionary, dates left out."""
    for key, value in (reader.metadata or {}).items():
        text = _text(value)
        if text and str(key) not in ("/CreationDate", "/ModDate"):
            yield _INFO_NAMES.get(str(key), str(key).lstrip("/")), text


def _outline_titles(items: Any, depth: int = 0) -> Iterator[str]:
    if depth > 50:
        return
    for item in items or []:
        if isinstance(item, list):
            yield from _outline_titles(item, depth + 1)
        else:
            title = getattr(item, "title", None)
            if title:
                yield str(title)


def _page_count(reader: PdfReader, ctx: ExtractContext) -> int:
    count = len(reader.pages)
    if count > ctx.limits.max_pages:
        raise LimitExceeded("max_pages", f"{count} pages is more than the {ctx.limits.max_pages} allowed")
    return count


def _norm(text: str) -> str:
    return " ".join(text.split())


def _revision_ends(data: bytes) -> list[int]:
    """Where each revision of the file ends: after every ``startxref`` offset (and its
    ``%%EOF`` when present). An update whose ``%%EOF`` marker was altered is still found."""
    ends: list[int] = []
    for m in _STARTXREF.finditer(data):
        ends.append(m.end())
    for m in _EOF.finditer(data):
        if not any(0 <= m.end() - e <= 16 for e in ends):
            ends.append(m.end())
    ends.sort()
    if b"/Linearized" in data[:2048] and ends:
        ends = ends[1:]  # the first section of a linearized file is not a revision
    return ends


def _earlier_revisions(data: bytes, latest: _Reader, ctx: ExtractContext) -> None:
    """Text an incremental update took out of the rendered file but left in its bytes."""
    ends = _revision_ends(data)
    if len(ends) < 2:
        return
    now = _norm(" ".join(s.text for s in latest.segments))
    total = len(ends)
    reported: set[str] = set()
    for revision, end in enumerate(ends[:-1], 1):
        try:
            earlier = data[:end] if data[:end].rstrip().endswith(b"%%EOF") else data[:end] + b"\n%%EOF\n"
            old = open_pdf(earlier, latest.name)
            count = _page_count(old, ctx)
            with open_document(earlier) as layer:
                for number in range(count):
                    gone = []
                    for line in plain_text(layer, number).splitlines():
                        norm = _norm(line)
                        if norm and norm not in now and norm not in reported:
                            reported.add(norm)
                            gone.append(line)
                    latest.emit(
                        "\n".join(gone),
                        f"earlier version (revision {revision} of {total}), page {number + 1}",
                        "earlier-revision",
                        hidden=True,
                        page=number + 1,
                    )
            for label, text in _info_items(old):
                if _norm(text) not in now and _norm(text) not in reported:
                    reported.add(_norm(text))
                    latest.emit(
                        text,
                        f"earlier version (revision {revision} of {total}), document property: {label}",
                        "earlier-revision",
                        hidden=True,
                        field=label,
                    )
        except LimitExceeded:
            raise
        except (ExtractionError, PdfiumError, LimitReachedError, *_READ_ERRORS) as e:
            latest.problem("corrupt", f"earlier revision {revision} of {total} could not be read ({type(e).__name__})")


def extract_pdf(data: bytes, name: str, ctx: ExtractContext) -> Document:
    reader = open_pdf(data, name)
    try:
        count = _page_count(reader, ctx)
    except _READ_ERRORS as e:
        raise ExtractionError("corrupt", f"{name}: the page tree cannot be read ({type(e).__name__})") from e
    out = _Reader(reader, name, ctx)
    truncated = _truncation(data)
    if truncated:
        out.problem("corrupt", truncated)
    try:
        with open_document(data) as layer:
            _pages(out, reader, layer, count)
    except PdfiumError as e:
        out.problem("corrupt", f"the pages could not be read ({e})")
    _read_repeats_once(out)
    out.guarded("form fields", out.form_fields)
    out.guarded("document properties", out.info)
    out.guarded("XMP metadata", out.xmp)
    out.guarded("bookmarks", out.outline)
    out.guarded("embedded files", out.attachments)
    _earlier_revisions(data, out, ctx)
    return Document(
        name=name,
        media_type="application/pdf",
        segments=tuple(out.segments),
        children=tuple(out.children),
        problems=tuple(out.problems),
    )


def _read_repeats_once(out: _Reader) -> None:
    """Page headers and footers repeated word for word stay only on the first page they are on."""
    at = [i for i, s in enumerate(out.segments) if s.kind == "body" and not s.hidden and s.location == f"page {s.page}"]
    texts = drop_repeats([out.segments[i].text for i in at])
    for i, text in zip(at, texts, strict=True):
        out.segments[i] = replace(out.segments[i], text=text.strip())
    out.segments = [s for s in out.segments if s.text]


def _pages(out: _Reader, reader: PdfReader, layer: Any, count: int) -> None:
    if page_count(layer) != count:
        out.problem("corrupt", f"the page tree is damaged: {page_count(layer)} pages found where {count} are listed")
    budget = Budget()
    for number in range(1, count + 1):
        out.ctx.count_part()
        try:
            page = reader.pages[number - 1]
            load = budget.page(page)
            if load.damaged:  # the page's text may be missing
                out.problem("corrupt", f"page {number}: a content stream is damaged and could not be inflated")
            too_much = load.over()
            if too_much:
                out.problem("limit", f"page {number} is not read: {too_much}")
                continue
            out.page(number, page, layer)
        except LimitExceeded:
            raise
        except LimitReachedError as e:  # pypdf's own guard against oversized streams and loops
            out.problem("limit", f"page {number} is too large to read ({str(e)[:120]})")
        except (*_READ_ERRORS, RecursionError) as e:
            out.problem("corrupt", f"page {number} could not be read ({type(e).__name__})")


def pages_needing_ocr(data: bytes, name: str = "document.pdf") -> list[int]:
    """The pages (from 1) whose text only OCR can read: drawn in a font that maps its glyphs
    to no character, or a scan with no text layer. The hook for OCR."""
    reader = open_pdf(data, name)
    fonts = FontCheck()
    out = []
    with open_document(data) as layer:
        for index in range(page_count(layer)):
            check = index < len(reader.pages) and fonts.page_unmappable(reader.pages[index])
            if read_page(layer, index, check_glyphs=check).needs_ocr:
                out.append(index + 1)
    return out
