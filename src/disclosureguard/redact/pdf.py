"""PDF: values removed from the page content streams themselves, a black box drawn where
they stood, and everything else that could hold them dropped (annotations, forms, metadata,
document info, embedded files, thumbnails, earlier revisions).

Each content stream (pages and the form XObjects they use) is rewritten without the
glyphs of the values (see pdf_content). The file is then saved afresh (no incremental
update; objects nothing refers to are not written), so text an earlier revision held does
not survive either.

Before anything is written, every removed glyph is looked for where the page layer that
extraction reads through (PDFium) measures a character of the same text: the redactor and
the extractor share one geometry model (extract/pdf_geometry.py), and a disagreement means
the box would not stand where the value was, so it is an error, never a silent miss.
"""

from __future__ import annotations

import io

import pikepdf
from pypdf import PdfReader

from ..extract.pdf_geometry import Point, unconfirmed
from ..extract.pdf_pdfium import PdfiumError, char_origins, open_document
from .errors import RedactionError
from .pdf_content import Fonts, read_stream, redact_instructions
from .values import ValueMatcher

_STRING_REPLACEMENT = "[REDACTED]"


class _Redactor:
    def __init__(self, pdf: pikepdf.Pdf, matcher: ValueMatcher) -> None:
        self.pdf = pdf
        self.matcher = matcher
        self.fonts = Fonts()
        self.done: set[tuple[int, int]] = set()
        self.removed_glyphs = 0
        self.dropped_ops = 0
        self.scrubbed_properties = 0
        self.placed: dict[int, list[tuple[str, Point, float]]] = {}  # page index -> removed glyphs, page space

    def page(self, index: int, page: pikepdf.Page, drop_undecodable: bool) -> None:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        instructions = list(pikepdf.parse_content_stream(page.obj))
        result = self._stream(instructions, resources, drop_undecodable, self.placed.setdefault(index, []))
        if result is not None:
            page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(result))
        self._forms(resources, drop_undecodable)

    def _stream(self, instructions: list, resources: pikepdf.Object, drop_undecodable: bool,
                placed: list[tuple[str, Point, float]] | None = None) -> list | None:
        """The stream without the values (None when unchanged); ``placed`` (for a page's own
        content, whose user space is page space) gets where each removed glyph stood."""
        # Marked-content properties can carry text of their own (/ActualText, /Alt, /E).
        properties = sum(
            _scrub_strings(operands[1], self.matcher)
            for operands, operator in instructions
            if str(operator) in ("BDC", "DP") and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
        )
        self.scrubbed_properties += properties
        stream = read_stream(instructions, resources, self.fonts)
        result = redact_instructions(instructions, stream, self.matcher, drop_undecodable)
        self.removed_glyphs += result.removed_glyphs
        self.dropped_ops += result.dropped_ops
        if placed is not None:
            placed.extend(result.removed)
        if result.instructions is not instructions or properties:
            return result.instructions
        return None

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


def _check_places(data: bytes, placed: dict[int, list[tuple[str, Point, float]]]) -> None:
    """Every removed glyph must stand where the page layer reads a character of the same text."""
    pages = {index: glyphs for index, glyphs in placed.items() if glyphs}
    if not pages:
        return
    try:
        with open_document(data) as doc:
            missing = {index + 1: unconfirmed(glyphs, *char_origins(doc, index)) for index, glyphs in pages.items()}
    except PdfiumError as e:
        raise RedactionError(f"the PDF's pages cannot be measured to place the redactions ({e})") from None
    wrong = {number: n for number, n in missing.items() if n}
    if wrong:
        which = ", ".join(f"page {number} ({n})" for number, n in sorted(wrong.items()))
        raise RedactionError(
            f"the redactor and the page reader disagree where characters of the values stand on {which}: "
            "the black boxes could not be placed, so nothing was redacted"
        )


def _pages_with_values(data: bytes, matcher: ValueMatcher) -> set[int]:
    """Pages whose text (as pypdf reads it, with its own font handling) holds a value."""
    reader = PdfReader(io.BytesIO(data))
    return {n for n, page in enumerate(reader.pages) if matcher.search(page.extract_text() or "")}


def _reachable(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """The indirect objects the saved file will hold: those reachable from the trailer."""
    seen: set[tuple[int, int]] = set()
    found: list[pikepdf.Object] = []
    todo: list[pikepdf.Object] = [pdf.trailer]
    while todo:
        obj = todo.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            children = [obj.get(k) for k in list(obj.keys())]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        for child in children:
            if not isinstance(child, pikepdf.Object):
                continue
            if child.is_indirect:
                if child.objgen in seen:
                    continue
                seen.add(child.objgen)
                found.append(child)
            todo.append(child)
    return found


def _scrub_strings(obj: pikepdf.Object, matcher: ValueMatcher, depth: int = 0) -> int:
    """Replace values in strings held by dictionaries and arrays (bookmarks, structure-tree
    alternate text, form values): whatever survived the removals above."""
    if depth > 10:
        return 0
    count = 0
    items: list[tuple[str | int, pikepdf.Object | None]]
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


def _strip(pdf: pikepdf.Pdf, notes: list[str]) -> None:
    """Drop what can hold a value outside the page text: annotations, forms, metadata,
    document information, embedded and associated files, thumbnails, scripts."""
    annotations = 0
    for page in pdf.pages:
        for key in ("/Annots", "/Metadata", "/PieceInfo", "/Thumb", "/AF"):
            if key in page.obj:
                if key == "/Annots":
                    annotations += len(page.obj.Annots)
                del page.obj[key]
    if annotations:
        notes.append(f"{annotations} annotations removed")
    root = pdf.Root
    for key, label in (("/AcroForm", "form fields"), ("/Metadata", "XMP metadata"), ("/PieceInfo", "application data"),
                       ("/AF", "associated files"), ("/OpenAction", None), ("/AA", None)):
        if key in root:
            del root[key]
            if label:
                notes.append(f"{label} removed")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, label in (("/EmbeddedFiles", "embedded files"), ("/JavaScript", "scripts")):
            if key in names:
                del names[key]
                notes.append(f"{label} removed")
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
        notes.append("document information (author, title...) removed")


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # A fresh file: no incremental update, only the objects still referred to, object
    # streams regenerated, so nothing of an earlier revision survives.
    pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             encryption=False, linearize=False)
    return out.getvalue()


def redact_pdf(data: bytes, matcher: ValueMatcher, hidden: ValueMatcher | None = None) -> tuple[bytes, list[str]]:
    notes: list[str] = []
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as e:
        raise RedactionError("the PDF is encrypted: it cannot be redacted") from e
    except pikepdf.PdfError as e:
        raise RedactionError(f"the PDF cannot be opened for redaction ({e})") from e
    with pdf:
        redactor = _Redactor(pdf, matcher)
        for index, page in enumerate(pdf.pages):
            redactor.page(index, page, drop_undecodable=False)
        # Pages where pypdf (with its own font handling) still reads a value hold it in a
        # font this redactor cannot map to characters: all text in such fonts goes there.
        still = _pages_with_values(_saved(pdf), matcher) if matcher else set()
        fallback_pages = []
        for number, page in enumerate(pdf.pages):
            if number in still:
                before = redactor.dropped_ops
                redactor.done.clear()
                redactor.page(number, page, drop_undecodable=True)
                if redactor.dropped_ops > before:
                    fallback_pages.append(number + 1)
        _check_places(data, redactor.placed)
        notes.append(f"{redactor.removed_glyphs} characters removed from the page content")
        if redactor.scrubbed_properties:
            notes.append(f"{redactor.scrubbed_properties} marked-content texts (/ActualText, /Alt) redacted")
        if fallback_pages:
            which = ("page " if len(fallback_pages) == 1 else "pages ") + ", ".join(map(str, fallback_pages))
            notes.append(
                f"{which}: all text in fonts that cannot be mapped to characters was removed, "
                "since where the value stood in it cannot be known"
            )
        _strip(pdf, notes)
        # Strings are never page text (that is in content streams): values flagged only where
        # a reader does not see them go from here too.
        strings = ValueMatcher([*matcher.targets, *(hidden.targets if hidden else [])])
        scrubbed = sum(_scrub_strings(obj, strings) for obj in _reachable(pdf)) if strings else 0
        if scrubbed:
            notes.append(f"{scrubbed} strings outside the page text (bookmarks, tags) redacted")
        return _saved(pdf), notes
