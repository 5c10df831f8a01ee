"""DOCX: values replaced inside runs (also across run boundaries) keeping formatting, and
what a reader does not see taken out: comments, tracked changes (insertions accepted,
deletions dropped), hidden text, personal metadata, custom properties and the thumbnail.

The package is edited as XML with lxml, part by part, and zipped again; python-docx is
not used because it has no API for most of these (tracked changes, comments' anchors,
hidden runs, custom properties).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..extract.context import ExtractContext
from ..extract.docx_story import MC, RunLook, Styles, W, is_dark
from ..extract.xmlsafe import parse_xml
from ..extract.zipsafe import check_declared, open_zip, read_member
from .text import Operators
from .values import ValueMatcher

RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"

# Relationship types whose parts go: comments and who wrote them, custom properties, the thumbnail.
_DROPPED_REL_TYPES = (
    "/comments",
    "/commentsExtended",
    "/commentsIds",
    "/commentsExtensible",
    "/people",
    "/custom-properties",
    "/thumbnail",
)
_DROPPED_NAMES = (
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/commentsIds.xml",
    "word/commentsExtensible.xml",
    "word/people.xml",
    "docProps/custom.xml",
)
# Revision marks whose current state is kept and whose record goes.
_CHANGE_RECORDS = tuple(
    W + t
    for t in (
        "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "tblGridChange",
        "trPrChange", "tcPrChange", "numberingChange", "moveFromRangeStart", "moveFromRangeEnd",
        "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
        "customXmlDelRangeStart", "customXmlDelRangeEnd", "cellIns", "delText", "delInstrText",
    )
)
_COMMENT_MARKS = (W + "commentRangeStart", W + "commentRangeEnd")
_PERSONAL_CORE = (DC + "creator", CP + "lastModifiedBy")
_PERSONAL_APP = (EP + "Company", EP + "Manager")
_TEXT_PIECES = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


@dataclass
class DocxReport:
    replaced: int = 0
    notes: list[str] = field(default_factory=list)
    comments: int = 0
    insertions: int = 0
    deletions: int = 0
    hidden_runs: int = 0


def redact_docx(
    data: bytes, matcher: ValueMatcher, operators: Operators, hidden: ValueMatcher | None = None
) -> tuple[bytes, DocxReport]:
    """``matcher``'s values go everywhere; ``hidden``'s only from what a reader does not see
    (properties, field codes, alt text...), never from the visible text of runs."""
    hidden = hidden or ValueMatcher([])
    ctx = ExtractContext()
    zin = open_zip(data, "document")
    infos = [i for i in check_declared(zin, "document", ctx) if not i.filename.endswith("/")]
    parts = {i.filename: read_member(zin, i, ctx) for i in infos}
    report = DocxReport()
    dropped = _parts_to_drop(parts)
    styles = Styles(_parse(parts.get("word/styles.xml"), "word/styles.xml"))
    out: dict[str, bytes] = {}
    for name, blob in parts.items():
        if name in dropped:
            continue
        lower = name.lower()
        if lower == "[content_types].xml":
            out[name] = _content_types(blob, dropped)
        elif lower.endswith(".rels"):
            # a link's address is not what a reader sees: values flagged only there go too
            out[name] = _rels(blob, name, dropped, ValueMatcher([*matcher.targets, *hidden.targets]), report)
        elif lower.endswith(".xml"):
            root = parse_xml(blob, name)
            if name.startswith("word/"):
                _clean_story_part(root, styles, report)
                _replace_in_paragraphs(root, matcher, operators, report)
            if name == "docProps/core.xml":
                _clear(root, _PERSONAL_CORE)
            elif name == "docProps/app.xml":
                _clear(root, _PERSONAL_APP)
            elif name == "word/settings.xml":
                for el in root.findall(W + "docVars"):
                    root.remove(el)
            _replace_everywhere(root, matcher, operators, report)
            _replace_everywhere(root, hidden, operators, report, keep_run_text=True)
            out[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        else:
            out[name] = blob
    if dropped:
        report.notes.append(f"removed from the package: {', '.join(sorted(dropped))}")
    for what, n in (("comment anchors", report.comments), ("tracked insertions accepted", report.insertions),
                    ("tracked deletions dropped", report.deletions), ("hidden runs removed", report.hidden_runs)):
        if n:
            report.notes.append(f"{n} {what}")
    return _zip(out, [i.filename for i in infos]), report


def _parse(blob: bytes | None, name: str) -> etree._Element | None:
    return parse_xml(blob, name) if blob is not None else None


def _parts_to_drop(parts: dict[str, bytes]) -> set[str]:
    dropped = {n for n in _DROPPED_NAMES if n in parts}
    for name, blob in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for rel in parse_xml(blob, name).iter(RELS_NS + "Relationship"):
            if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith(_DROPPED_REL_TYPES):
                continue
            target = rel.get("Target", "")
            if _resolve(folder, target) in parts:
                dropped.add(_resolve(folder, target))
    return dropped


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _content_types(blob: bytes, dropped: set[str]) -> bytes:
    root = parse_xml(blob, "[Content_Types].xml")
    for el in list(root.iter(CT_NS + "Override")):
        if el.get("PartName", "").lstrip("/") in dropped:
            el.getparent().remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels(blob: bytes, name: str, dropped: set[str], matcher: ValueMatcher, report: DocxReport) -> bytes:
    root = parse_xml(blob, name)
    folder = posixpath.dirname(posixpath.dirname(name))
    for rel in list(root.iter(RELS_NS + "Relationship")):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external and _resolve(folder, target) in dropped:
            rel.getparent().remove(rel)
        elif external and matcher.search(target):
            # a mailto: or web link naming a value: the link goes, the (redacted) text stays
            rel.set("Target", "about:blank")
            report.replaced += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clear(root: etree._Element, tags: tuple[str, ...]) -> None:
    for el in root:
        if el.tag in tags:
            el.text = None
            for child in list(el):
                el.remove(child)


# -- hidden content ----------------------------------------------------------------------


def _unwrap(el: etree._Element) -> None:
    """Put an element's children where it stood (accepting an insertion)."""
    parent = el.getparent()
    index = parent.index(el)
    for child in reversed(list(el)):
        parent.insert(index, child)
    _remove(el)


def _remove(el: etree._Element) -> None:
    """Remove an element, keeping its tail text (whitespace in WordprocessingML)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _clean_story_part(root: etree._Element, styles: Styles, report: DocxReport) -> None:
    # Paragraph marks and table rows marked deleted: merge or drop, as accepting would.
    for p in list(root.iter(W + "p")):
        mark = p.find(f"{W}pPr/{W}rPr/{W}del")
        if mark is not None:
            _merge_with_next(p)
    for tr in list(root.iter(W + "tr")):
        if tr.find(f"{W}trPr/{W}del") is not None and tr.getparent() is not None:
            _remove(tr)
            report.deletions += 1
    # Revision markers inside property elements (rPr/ins, rPr/del, trPr/ins...).
    for el in list(root.iter(W + "ins", W + "del", W + "moveFrom", W + "moveTo")):
        parent = el.getparent()
        if parent is not None and parent.tag in (W + "rPr", W + "trPr", W + "tcPr", W + "pPr"):
            _remove(el)
    for el in list(root.iter(W + "del", W + "moveFrom")):
        if el.getparent() is not None:
            _remove(el)
            report.deletions += 1
    for el in list(root.iter(W + "ins", W + "moveTo")):
        if el.getparent() is not None:
            _unwrap(el)
            report.insertions += 1
    for el in list(root.iter(*_CHANGE_RECORDS)):
        if el.getparent() is not None:
            _remove(el)
    # Comments: the anchors and the reference runs (the comments part itself is dropped).
    for el in list(root.iter(*_COMMENT_MARKS)):
        _remove(el)
        report.comments += 1
    for ref in list(root.iter(W + "commentReference")):
        run = ref.getparent()
        if run is not None and run.tag == W + "r" and all(c.tag in (W + "rPr", W + "commentReference") for c in run):
            _remove(run)
        else:
            _remove(ref)
    # Hidden runs: vanish, white on white, tiny, as the extractor judges them.
    for r in list(root.iter(W + "r")):
        if r.getparent() is None:
            continue
        p = next(r.iterancestors(W + "p"), None)
        ppr = p.find(W + "pPr") if p is not None else None
        rpr = r.find(W + "rPr")
        look = RunLook.of(rpr).over(styles.look(_val(rpr, W + "rStyle")))
        look = look.over(styles.look(_val(ppr, W + "pStyle"))).over(styles.defaults)
        if look.hidden_reason(_dark_behind(r, ppr)) is not None:
            _remove(r)
            report.hidden_runs += 1


def _merge_with_next(p: etree._Element) -> None:
    """Accept a deleted paragraph mark: the next paragraph's content joins this one."""
    nxt = p.getnext()
    if nxt is None or nxt.tag != W + "p":
        return
    for child in list(nxt):
        if child.tag != W + "pPr":
            p.append(child)
    _remove(nxt)


def _val(el: etree._Element | None, tag: str) -> str | None:
    if el is None:
        return None
    found = el.find(tag)
    return found.get(W + "val") if found is not None else None


def _dark_behind(r: etree._Element, ppr: etree._Element | None) -> bool:
    fills = []
    if ppr is not None and ppr.find(W + "shd") is not None:
        fills.append(ppr.find(W + "shd").get(W + "fill"))
    tc = next(r.iterancestors(W + "tc"), None)
    if tc is not None and tc.find(f"{W}tcPr/{W}shd") is not None:
        fills.append(tc.find(f"{W}tcPr/{W}shd").get(W + "fill"))
    return any(is_dark(f) for f in fills)


# -- values ------------------------------------------------------------------------------


def _pieces(p: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """The text of one paragraph in order: w:t elements (editable) and tabs or breaks
    (separators), not descending into paragraphs nested in it (text boxes)."""
    out: list[tuple[etree._Element | None, str]] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "p" or tag == MC + "Fallback":
                continue
            if tag == W + "t":
                out.append((child, child.text or ""))
            elif tag in _TEXT_PIECES:
                out.append((None, _TEXT_PIECES[tag]))
            elif isinstance(tag, str):
                walk(child)

    walk(p)
    return out


def _replace_in_paragraphs(
    root: etree._Element, matcher: ValueMatcher, operators: Operators, report: DocxReport
) -> None:
    for p in root.iter(W + "p"):
        pieces = _pieces(p)
        text = "".join(t for _, t in pieces)
        matches = matcher.find(text)
        if not matches:
            continue
        edits: dict[int, list[tuple[int, int, str]]] = {}
        starts = []
        offset = 0
        for _, t in pieces:
            starts.append(offset)
            offset += len(t)
        for m in matches:
            replacement = operators.replacement(m.target.entity_type, text[m.start : m.end])
            placed = False
            for n, (el, t) in enumerate(pieces):
                lo, hi = max(m.start, starts[n]), min(m.end, starts[n] + len(t))
                if el is None or lo >= hi:
                    continue
                edits.setdefault(n, []).append((lo - starts[n], hi - starts[n], "" if placed else replacement))
                placed = True
            report.replaced += 1
        for n, spans in edits.items():
            el = pieces[n][0]
            assert el is not None
            value = el.text or ""
            for lo, hi, new in sorted(spans, reverse=True):
                value = value[:lo] + new + value[hi:]
            el.text = value
            el.set(XML_SPACE, "preserve")


def _replace_everywhere(
    root: etree._Element,
    matcher: ValueMatcher,
    operators: Operators,
    report: DocxReport,
    *,
    keep_run_text: bool = False,
) -> None:
    """Any value left in a text node or attribute (field codes, alt text, properties, custom XML).
    ``keep_run_text`` leaves the text of runs (w:t), which is what a reader sees, alone."""
    if not matcher:
        return

    def sub(text: str) -> str:
        def one(m, matched: str) -> str:  # type: ignore[no-untyped-def]
            report.replaced += 1
            return operators.replacement(m.target.entity_type, matched)

        return matcher.replace(text, one)

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and not (keep_run_text and el.tag == W + "t") and matcher.search(el.text):
            el.text = sub(el.text)
        if el.tail and matcher.search(el.tail):
            el.tail = sub(el.tail)
        for key, value in el.attrib.items():
            if matcher.search(value):
                el.set(key, sub(value))


def _zip(parts: dict[str, bytes], order: list[str]) -> bytes:
    buf = io.BytesIO()
    names = [n for n in order if n in parts]
    names.sort(key=lambda n: n != "[Content_Types].xml")  # first, as Office writes it
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, parts[name])
    return buf.getvalue()
