"""OpenDocument (odt, ods, odp): values replaced inside paragraphs (also across spans), and
what a reader does not see taken out: tracked changes, annotations, hidden text and
sections, personal metadata, user fields, and the thumbnail (a picture of page one).

The parts are edited as XML with lxml and zipped again with the ``mimetype`` member first
and stored, as the format requires.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..extract.context import ExtractContext
from ..extract.odf import DC, DRAW, META, OFFICE, TABLE, TEXT, hidden_styles
from ..extract.ooxml_package import Package
from ..extract.sheets import CELL_SEPARATOR
from ..extract.xmlsafe import parse_xml
from .text import Operators
from .values import ValueMatcher

CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_PARAGRAPHS = (TEXT + "p", TEXT + "h")
_NESTED = (OFFICE + "annotation", TEXT + "note", DRAW + "frame", DRAW + "custom-shape")
_DROPPED_ELEMENTS = (
    TEXT + "tracked-changes", TEXT + "change", TEXT + "change-start", TEXT + "change-end",
    OFFICE + "annotation", OFFICE + "annotation-end", TEXT + "hidden-text", TEXT + "hidden-paragraph",
    TEXT + "user-field-decls", TEXT + "variable-decls",
)
_PERSONAL_META = (META + "initial-creator", DC + "creator", META + "printed-by", META + "user-defined",
                  META + "template")
_VALUE_ATTRIBUTES = (OFFICE + "value", OFFICE + "date-value", OFFICE + "time-value", OFFICE + "string-value",
                     OFFICE + "boolean-value")
_DROPPED_PARTS = ("Thumbnails/",)


def _slots(el: etree._Element, out: list[tuple[etree._Element, str]]) -> None:
    """The text slots of a paragraph in reading order: (element, "text" or "tail")."""
    out.append((el, "text"))
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NESTED:
            _slots(child, out)
        out.append((child, "tail"))


def _get(slot: tuple[etree._Element, str]) -> str:
    el, which = slot
    return (el.text if which == "text" else el.tail) or ""


def _set(slot: tuple[etree._Element, str], value: str) -> None:
    el, which = slot
    if which == "text":
        el.text = value
    else:
        el.tail = value


def replace_in_paragraph(p: etree._Element, matcher: ValueMatcher, operators: Operators) -> int:
    """Replace every value in the paragraph's text, also where spans split it."""
    slots: list[tuple[etree._Element, str] | str] = []
    _slots(p, slots)  # type: ignore[arg-type]
    return replace_in_slots(slots, matcher, operators)


def _row_slots(row: etree._Element) -> list[tuple[etree._Element, str] | str]:
    """A spreadsheet row's text slots, cells joined with ", " as the extractor reads them."""
    out: list[tuple[etree._Element, str] | str] = []
    for cell in row.iter(TABLE + "table-cell"):
        paragraphs = list(cell.iter(*_PARAGRAPHS))
        if not paragraphs:
            continue
        if out:
            out.append(CELL_SEPARATOR)
        for n, p in enumerate(paragraphs):
            if n:
                out.append("\n")
            _slots(p, out)  # type: ignore[arg-type]
    return out


def replace_in_slots(
    slots: list[tuple[etree._Element, str] | str], matcher: ValueMatcher, operators: Operators
) -> int:
    """Replace values in text spread over slots; a plain string is a separator that is read
    between them but stands in no element."""
    texts = [s if isinstance(s, str) else _get(s) for s in slots]
    joined = "".join(texts)
    matches = matcher.find(joined)
    if not matches:
        return 0
    starts = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t)
    for m in sorted(matches, key=lambda m: -m.start):
        replacement = operators.replacement(m.target.entity_type, joined[m.start : m.end])
        first = True
        for i, (slot, start) in enumerate(zip(slots, starts, strict=True)):
            text = texts[i]
            end = start + len(text)
            if end <= m.start or start >= m.end:
                continue
            lo, hi = max(m.start - start, 0), min(m.end - start, len(text))
            if isinstance(slot, str):
                continue  # a separator: the replacement goes in the next real slot if none yet
            texts[i] = text[:lo] + (replacement if first else "") + text[hi:]
            first = False
            _set(slot, texts[i])
    return len(matches)


def _replace_everywhere(root: etree._Element, matcher: ValueMatcher, operators: Operators) -> int:
    """Every other text node and attribute that holds a value (cell values, alt text, fields)."""
    changed = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for which in ("text", "tail"):
            value = el.text if which == "text" else el.tail
            if value and matcher.search(value):
                _set((el, which), operators.apply(value, matcher.find(value)))
                changed += 1
        for key, value in list(el.attrib.items()):
            if key in _VALUE_ATTRIBUTES or not matcher.search(value):
                continue
            el.set(key, operators.apply(value, matcher.find(value)))
            changed += 1
    return changed


def _cells(root: etree._Element, matcher: ValueMatcher) -> int:
    """Spreadsheet cells whose value (a number, a date) holds a removed value become text cells."""
    changed = 0
    for cell in root.iter(TABLE + "table-cell"):
        shown = "\n".join("".join(p.itertext()) for p in cell.iter(*_PARAGRAPHS))
        values = [cell.get(a, "") for a in _VALUE_ATTRIBUTES]
        if matcher.search(shown) or any(v and matcher.search(v) for v in values):
            for attr in _VALUE_ATTRIBUTES:
                cell.attrib.pop(attr, None)
            cell.set(OFFICE + "value-type", "string")
            if cell.get(CALCEXT + "value-type") is not None:
                cell.set(CALCEXT + "value-type", "string")
            changed += 1
    return changed


def _drop_hidden(root: etree._Element, hidden_styles: set[str]) -> int:
    removed = 0
    doomed = [el for el in root.iter(*_DROPPED_ELEMENTS)]
    doomed += [el for el in root.iter(TEXT + "span") if el.get(TEXT + "style-name", "") in hidden_styles]
    doomed += [el for el in root.iter(TEXT + "section") if el.get(TEXT + "display") == "none"]
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # keep the text that follows the removed element
        if el.tail:
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
        removed += 1
    return removed


def _meta(root: etree._Element) -> None:
    for el in list(root.iter(*_PERSONAL_META)):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _manifest(blob: bytes, dropped: set[str]) -> bytes:
    root = parse_xml(blob, "META-INF/manifest.xml")
    for entry in list(root):
        if entry.get(MANIFEST + "full-path", "") in dropped:
            root.remove(entry)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def redact_odf(
    data: bytes, matcher: ValueMatcher, operators: Operators, hidden: ValueMatcher | None = None
) -> tuple[bytes, list[str]]:
    pkg = Package(data, "document", ExtractContext())
    content = pkg.parse("content.xml")
    styles = pkg.parse("styles.xml")
    text_hidden, _ = hidden_styles(content, styles)
    both = ValueMatcher([*matcher.targets, *(hidden.targets if hidden else [])])
    notes: list[str] = []
    replaced = removed = 0
    out_parts: dict[str, bytes] = {}
    dropped = {p for p in pkg.blobs if p.startswith(_DROPPED_PARTS)}
    for part, blob in pkg.blobs.items():
        if part in dropped:
            continue
        if part in ("content.xml", "styles.xml", "meta.xml"):
            root = pkg.parse(part)
            if root is None:
                continue
            if part == "meta.xml":
                _meta(root)
                replaced += _replace_everywhere(root, both, operators)
            else:
                removed += _drop_hidden(root, text_hidden)
                replaced += _cells(root, matcher)
                # rows first: a value written across cells is only whole there
                for row in root.iter(TABLE + "table-row"):
                    replaced += replace_in_slots(_row_slots(row), matcher, operators)
                for p in root.iter(*_PARAGRAPHS):
                    replaced += replace_in_paragraph(p, matcher, operators)
                replaced += _replace_everywhere(root, matcher, operators)
                for el in root.iter(DRAW + "frame"):  # alt text is not what a reader sees
                    for desc in el:
                        if isinstance(desc.tag, str) and desc.tag.rsplit("}", 1)[-1] in ("title", "desc"):
                            replaced += _replace_everywhere(desc, both, operators)
            out_parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        elif part == "META-INF/manifest.xml":
            out_parts[part] = _manifest(blob, dropped)
        else:
            out_parts[part] = blob
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        if "mimetype" in out_parts:
            zf.writestr(zipfile.ZipInfo("mimetype"), out_parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for part, blob in out_parts.items():
            zf.writestr(part, blob)
    if dropped:
        notes.append(f"removed from the package: {', '.join(sorted(dropped))}")
    if removed:
        notes.append(f"tracked changes, annotations and hidden text removed: {removed}")
    notes.append("personal metadata (author, last modified by, custom properties) removed")
    if replaced:
        notes.append(f"places redacted: {replaced}")
    return buffer.getvalue(), notes
