"""Independent checks that a redacted copy holds none of the removed values.

Nothing is written unless every check passes. The checks do not trust the redactor's
own bookkeeping: they read the output again, with the extraction registry and with
other tools (every XML part of a DOCX, pypdf's text and every decompressed stream of a
PDF, every part of an email), and search the raw bytes in the common encodings.
"""

from __future__ import annotations

import email
import io
import re
import zipfile
from dataclasses import dataclass
from email import policy
from email.message import Message

import pikepdf
from lxml import etree
from pypdf import PdfReader

from ..extract import extract
from ..extract.formats import sniff_format
from ..masking import place_words
from ..model import ADDRESSING_FIELDS
from .errors import RedactionError
from .values import Target, ValueMatcher

# Each encoding with what may not stand either side of a value: an ASCII letter or digit
# (so "Mark" is not found in "bookmark"), as that encoding writes it.
_ENCODINGS = (
    ("utf-8", rb"(?<![A-Za-z0-9])", rb"(?![A-Za-z0-9])"),
    ("utf-16-le", rb"(?<![A-Za-z0-9]\x00)", rb"(?![A-Za-z0-9]\x00)"),
    ("utf-16-be", rb"(?<!\x00[A-Za-z0-9])", rb"(?!\x00[A-Za-z0-9])"),
)
# Binary parts that cannot hold text a reader or a text tool would find: images and fonts.
_BINARY_PARTS = ("word/media/", "word/fonts/", "docProps/thumbnail", "xl/media/", "Pictures/", "mimetype")
_FONT_FILE_SUBTYPES = ("/Type1C", "/CIDFontType0C", "/OpenType")
_MAX_SHOWN = 6


@dataclass(frozen=True)
class Leak:
    """A removed value still present: its type, where, and which check found it (never the value)."""

    entity_type: str
    where: str
    check: str

    def describe(self) -> str:
        return f"{self.entity_type} in {self.where} ({self.check})"


class VerificationFailed(RedactionError):
    def __init__(self, name: str, leaks: list[Leak]) -> None:
        self.leaks = leaks
        shown = "; ".join(leak.describe() for leak in leaks[:_MAX_SHOWN])
        more = f" and {len(leaks) - _MAX_SHOWN} more" if len(leaks) > _MAX_SHOWN else ""
        super().__init__(
            f"{name}: the redacted copy still holds removed data: {shown}{more}. Nothing was written."
        )


class Verifier:
    """``targets`` must be found nowhere; ``hidden_targets`` nowhere a reader does not see."""

    def __init__(self, targets: list[Target], hidden_targets: list[Target] | None = None) -> None:
        self.targets = targets
        self.matcher = ValueMatcher(targets)
        self.hidden_matcher = ValueMatcher(hidden_targets or [])
        self.needles = _needles(targets)
        self.checks: list[str] = []

    def verify(self, data: bytes, name: str, fmt: str) -> list[str]:
        """Run every check for this format; raise :class:`VerificationFailed` on any leak."""
        leaks = self.leaks(data, name, fmt)
        if leaks:
            raise VerificationFailed(name, leaks)
        return sorted(set(self.checks))

    def leaks(self, data: bytes, name: str, fmt: str, prefix: str = "") -> list[Leak]:
        found = self._extracted(data, name, fmt, prefix)
        if fmt == "email":
            found += self._email(data, name, prefix)
        else:
            found += self._raw(data, f"{prefix}the file's bytes")
        if fmt in ("docx", "xlsx", "odf"):  # zip packages of XML parts: every part is read
            found += self._docx(data, prefix)
        elif fmt == "pdf":
            found += self._pdf(data, prefix)
        return found

    # -- checks ------------------------------------------------------------------------

    def _extracted(self, data: bytes, name: str, fmt: str, prefix: str) -> list[Leak]:
        self.checks.append("re-extracted text (extraction registry)")
        doc = extract(data, name)
        found = [
            Leak("unreadable", f"{prefix}{p.part}", f"could not be read back: {p.cause}") for p in doc.all_problems()
        ]
        for seg in doc.all_segments():
            if fmt == "email" and seg.kind == "email-header" and (seg.field or "") in ADDRESSING_FIELDS:
                continue  # addressing headers are kept on purpose
            m = self.matcher.search(seg.text) or (self.hidden_matcher.search(seg.text) if seg.hidden else None)
            if m:
                found.append(Leak(m.target.entity_type, prefix + place_words(seg.place), "re-extracted text"))
        return found

    def _raw(self, data: bytes, where: str) -> list[Leak]:
        self.checks.append("raw bytes in UTF-8, UTF-16-LE and UTF-16-BE")
        return [Leak(target.entity_type, where, "raw byte search") for target, pattern in self.needles
                if pattern.search(data)]

    def _docx(self, data: bytes, prefix: str) -> list[Leak]:
        self.checks.append("every part of the package")
        found: list[Leak] = []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if info.filename.startswith(_BINARY_PARTS):
                    continue
                blob = zf.read(info)
                where = f"{prefix}package part {info.filename}"
                if info.filename.lower().endswith((".xml", ".rels")):
                    found += self._xml(blob, where)
                else:
                    found += self._raw(blob, where)
        return found

    def _xml(self, blob: bytes, where: str) -> list[Leak]:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError:
            return [Leak("unreadable", where, "XML that does not parse")]
        texts = [t for t in root.itertext()]
        attributes = [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
        # Joined with nothing: a value split across runs; with spaces: values side by side.
        for text in ("".join(texts), " ".join(texts), "\n".join(attributes)):
            m = self.matcher.search(text)
            if m:
                return [Leak(m.target.entity_type, where, "XML text and attributes")]
        return self._raw(blob, where)

    def _pdf(self, data: bytes, prefix: str) -> list[Leak]:
        self.checks.append("pypdf text of every page")
        self.checks.append("every decompressed PDF stream and string")
        found: list[Leak] = []
        reader = PdfReader(io.BytesIO(data))
        for number, page in enumerate(reader.pages, 1):
            m = self.matcher.search(page.extract_text() or "")
            if m:
                found.append(Leak(m.target.entity_type, f"{prefix}page {number}", "pypdf text extraction"))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and not _is_image_or_font(obj):
                    try:
                        raw = obj.read_bytes()
                    except pikepdf.PdfError:
                        found.append(Leak("unreadable", f"{prefix}PDF object {obj.objgen}", "stream not decodable"))
                        continue
                    found += self._raw(raw, f"{prefix}PDF stream {obj.objgen}")
                for text in _strings(obj):
                    m = self.matcher.search(text)
                    if m:
                        found.append(Leak(m.target.entity_type, f"{prefix}PDF object {obj.objgen}", "PDF string"))
                        break
        return found

    def _email(self, data: bytes, name: str, prefix: str) -> list[Leak]:
        self.checks.append("every part and header of the email")
        msg = email.message_from_bytes(data, policy=policy.default)
        return self._message(msg, prefix)

    def _message(self, msg: Message, prefix: str) -> list[Leak]:
        found: list[Leak] = []
        for part in msg.walk():
            for header, value in part.items():
                if header.lower() in ADDRESSING_FIELDS:
                    continue
                m = self.matcher.search(str(value))
                if m:
                    found.append(Leak(m.target.entity_type, f"{prefix}email header {header}", "email headers"))
            if part.is_multipart():
                continue
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload()
                for sub in inner if isinstance(inner, list) else []:
                    if isinstance(sub, Message):
                        found += self._message(sub, f"{prefix}attached message, ")
                continue
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            label = part.get_filename() or part.get_content_type()
            where = f"{prefix}email part {label}"
            if part.get_content_maintype() == "text":
                charset = part.get_content_charset() or "utf-8"
                try:
                    text = payload.decode(charset, errors="replace")
                except LookupError:
                    text = payload.decode("utf-8", errors="replace")
                m = self.matcher.search(text)
                if m:
                    found.append(Leak(m.target.entity_type, where, "email part text"))
                found += self._raw(payload, where)
                continue
            fmt = sniff_format(payload, part.get_filename() or "", part.get_content_type())
            if fmt is not None and fmt.name in ("docx", "pdf"):
                found += self.leaks(payload, part.get_filename() or label, fmt.name, f"{where}, ")
            else:
                found += self._raw(payload, where)
        return found


def _needles(targets: list[Target]) -> list[tuple[Target, re.Pattern[bytes]]]:
    """One bytes pattern per value: the value as found, lower, upper and title case, in each
    encoding, not inside a longer word."""
    out = []
    for t in ValueMatcher(targets).targets:
        value = t.value.strip()
        forms = {value, value.lower(), value.upper(), value.title()}
        alternatives = [
            before + re.escape(form.encode(encoding)) + after
            for form in sorted(forms)
            for encoding, before, after in _ENCODINGS
        ]
        out.append((t, re.compile(b"|".join(alternatives))))
    return out


def _is_image_or_font(stream: pikepdf.Object) -> bool:
    if stream.get("/Subtype") == pikepdf.Name.Image:
        return True
    return "/Length1" in stream or str(stream.get("/Subtype", "")) in _FONT_FILE_SUBTYPES


def _strings(obj: object, depth: int = 0) -> list[str]:
    """The text of every string directly in a PDF object (dictionaries and arrays, not followed
    through references: every object is visited on its own)."""
    if depth > 8:
        return []
    if isinstance(obj, pikepdf.String):
        return [str(obj)]
    out: list[str] = []
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in list(obj.keys()):
            value = obj.get(key)
            if value is not None and not (isinstance(value, pikepdf.Object) and value.is_indirect):
                out += _strings(value, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            if not (isinstance(value, pikepdf.Object) and value.is_indirect):
                out += _strings(value, depth + 1)
    return out
