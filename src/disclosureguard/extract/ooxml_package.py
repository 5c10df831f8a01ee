"""An Office Open XML or OpenDocument package read once under the limits, for the
spreadsheet, slide and OpenDocument extractors.

Every member is inflated through the zip checks and every XML member is checked for a
DTD before any library sees the bytes. The extractor marks the parts it has read; what is
left is the closed world's remainder: the text of any other XML part becomes a hidden
segment, an embedded file becomes a nested document, and a binary part that is neither
an image nor known to hold no text is a problem, so nothing is left unread in silence.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable

from lxml import etree

from ..errors import ExtractionError
from ..model import Document, Problem, Segment
from .context import ExtractContext
from .xmlsafe import check_no_dtd, local_name, parse_xml
from .zipsafe import check_declared, open_zip, read_member

RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".wdp", ".jfif")
# Attributes that carry names of people or free text in parts no extractor reads whole.
_TEXT_ATTRIBUTES = frozenset({"displayName", "author", "title", "descr", "caption", "name", "userId", "string"})


class Package:
    def __init__(self, data: bytes, name: str, ctx: ExtractContext) -> None:
        self.name = name
        self.ctx = ctx
        try:
            self.zip = open_zip(data, name)
            self.infos = {i.filename: i for i in check_declared(self.zip, name, ctx) if not i.filename.endswith("/")}
            self.blobs: dict[str, bytes] = {part: read_member(self.zip, info, ctx) for part, info in self.infos.items()}
        except (zipfile.BadZipFile, EOFError) as e:
            raise ExtractionError("corrupt", f"{name} is damaged ({e})") from e
        for part, blob in self.blobs.items():
            if part.lower().endswith(_XML_SUFFIXES):
                check_no_dtd(blob, part)
        self.read_parts: set[str] = set()
        self._parsed: dict[str, etree._Element] = {}

    def has(self, part: str) -> bool:
        return part in self.blobs

    def parse(self, part: str) -> etree._Element | None:
        """The parsed part (None when absent), marked as read."""
        if part not in self.blobs:
            return None
        self.read_parts.add(part)
        if part not in self._parsed:
            self._parsed[part] = parse_xml(self.blobs[part], part)
        return self._parsed[part]

    def mark_read(self, *parts: str) -> None:
        self.read_parts.update(p for p in parts if p in self.blobs)

    def rels(self, part: str) -> list[tuple[str, str, str, bool]]:
        """(id, type, target part or URL, external) of the relationships of ``part``."""
        return relationships(self.parse, part)

    def external_links(self) -> list[Segment]:
        """Every external relationship target (hyperlinks, linked files) as hidden link text."""
        out: list[Segment] = []
        for rels_part in sorted(p for p in self.blobs if p.endswith(".rels")):
            folder, base = posixpath.split(rels_part)
            owner = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            for _, rtype, target, external in self.rels(owner):
                if external and target.strip():
                    what = rtype.rsplit("/", 1)[-1]
                    label = "link address" if what == "hyperlink" else f"linked {what} address"
                    self.ctx.count_text(len(target))
                    out.append(Segment(text=target, location=f"{label} ({owner})", kind="link", hidden=True))
        return out

    def remainder(
        self, *, no_text: tuple[str, ...] = (), embedded: tuple[str, ...] = ()
    ) -> tuple[list[Segment], list[Document], list[Problem]]:
        """The closed world's remainder. ``no_text`` are part prefixes known to hold no text
        (printer settings); ``embedded`` are folders whose files are documents of their own."""
        extract = self.ctx.reader().extract  # passed down: the registry imports the format modules

        segments: list[Segment] = []
        children: list[Document] = []
        problems: list[Problem] = []
        for part in sorted(self.blobs):
            if part in self.read_parts or part.startswith(no_text):
                continue
            lower = part.lower()
            blob = self.blobs[part]
            if lower.endswith(_XML_SUFFIXES):
                text = xml_text(self.parse(part))
                if text:
                    self.ctx.count_text(len(text))
                    segments.append(Segment(text=text, location=f"other package part {part}", kind="metadata",
                                            hidden=True))
            elif lower.endswith(_IMAGE_SUFFIXES) or not blob:
                continue  # pictures are for the OCR stage, not a reason to block
            elif part.startswith(embedded):
                children.append(extract(blob, f"embedded {posixpath.basename(part)}", self.ctx.nested()))
            elif lower.endswith(".bin") and "vbaproject" in lower:
                from .vba import vba_segments

                vba_text, vba_problems = vba_segments(blob, part, self.ctx)
                segments.extend(vba_text)
                problems.extend(Problem(f"{self.name}: {p.part}", p.cause, p.message) for p in vba_problems)
            else:
                child = extract(blob, f"package part {part}", self.ctx.nested())
                children.append(child)
        return segments, children, problems


def xml_text(root: etree._Element | None) -> str:
    """Every text node and every text-bearing attribute of an XML tree, one per line."""
    if root is None:
        return ""
    lines: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and el.text.strip():
            lines.append(el.text.strip())
        for key, value in el.attrib.items():
            if key.rsplit("}", 1)[-1] in _TEXT_ATTRIBUTES and value.strip():
                lines.append(value.strip())
        if el.tail and el.tail.strip():
            lines.append(el.tail.strip())
    return "\n".join(lines)


__all__ = ["Package", "local_name", "xml_text"]


def relationships(parse: Callable[[str], etree._Element | None], part: str) -> list[tuple[str, str, str, bool]]:
    """(id, type, target part or URL, external) of the relationships of ``part``, read through ``parse``."""
    folder, base = posixpath.split(part)
    root = parse(posixpath.join(folder, "_rels", base + ".rels"))
    if root is None:
        return []
    out = []
    for rel in root.iter(RELS_NS + "Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode", "") == "External"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            target = posixpath.normpath(target)
        out.append((rel.get("Id", ""), rel.get("Type", ""), target, external))
    return out
