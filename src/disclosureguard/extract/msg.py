"""Outlook messages (.msg, MS-OXMSG): headers, bodies, recipients and attachments, recursively.

A .msg is an OLE2 compound file of MAPI properties, read here with olefile (BSD): each
string property is a ``__substg1.0_IIIITTTT`` stream, fixed-size ones sit in the
``__properties_version1.0`` stream. Recipients and attachments are storages of their own;
an attached message is a storage holding a whole message again. The compressed RTF body is
decoded with compressed-rtf (MIT) and read by the RTF reader (which also unwraps the HTML
Outlook encapsulates in RTF). extract-msg was not used: it is GPL-3.0.

Every string property of the message is read: the known ones where a reader sees them, the
others (named properties included) as hidden metadata, so no text is left out unseen.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from email.parser import HeaderParser
from email.policy import compat32

import olefile

from ..errors import ExtractionError, LimitExceeded
from ..model import Document, Envelope, Problem, Segment
from .context import ExtractContext
from .email import _decode_raw_header
from .html import html_to_text
from .text import decode_text, text_segments

MEDIA_TYPE = "application/vnd.ms-outlook"
_SUBSTG = "__substg1.0_"
_PROPS = "__properties_version1.0"
_STRING8, _UNICODE, _BINARY = 0x001E, 0x001F, 0x0102
_TO, _CC, _BCC = 1, 2, 3
_EMBEDDED = "__substg1.0_3701000D"
# Properties a reader sees, by id: (location, segment kind, header field).
_HEADERS = {
    0x0037: ("email header Subject", "Subject"),
    0x0E04: ("email header To", "To"),
    0x0E03: ("email header Cc", "Cc"),
    0x0E02: ("email header Bcc", "Bcc"),
    0x0C1A: ("email header From", "From"),
    0x0042: ("email header From (sent on behalf of)", "From"),
}
# Read elsewhere (bodies, addresses of the envelope) or duplicates of a header above.
_READ_ELSEWHERE = {0x1000, 0x1009, 0x1013, 0x007D, 0x0E1D, 0x0070, 0x001A}
_NOISE = {0x0064, 0x0C1E, 0x0065, 0x0C1F, 0x5D01, 0x5D02, 0x0075, 0x0076, 0x3FFA, 0x1035, 0x0071, 0x3001, 0x3003,
          0x39FE, 0x3002, 0x0FFF, 0x300B, 0x5FF6, 0x5FF7}
_ADDRESS_PROPS = (0x39FE, 0x5D01, 0x3003, 0x0C1F, 0x0065)


def looks_like_msg(root_names: set[str]) -> bool:
    return any(n.startswith(_SUBSTG) for n in root_names) and _PROPS in root_names


def _directory(ole: olefile.OleFileIO) -> dict[tuple[str, ...], dict[str, bool]]:
    """Each storage's entries: name -> whether it is a storage."""
    tree: dict[tuple[str, ...], dict[str, bool]] = {}
    for entry in ole.listdir(streams=True, storages=True):
        tree.setdefault(tuple(entry[:-1]), {})[entry[-1]] = ole.get_type(entry) == olefile.STGTY_STORAGE
    return tree


class _Storage:
    """One property storage: the message, a recipient, an attachment or an attached message."""

    def __init__(self, ole: olefile.OleFileIO, path: list[str], header_size: int, ctx: ExtractContext,
                 tree: dict[tuple[str, ...], dict[str, bool]] | None = None) -> None:
        self.ole = ole
        self.path = path
        self.header_size = header_size
        self.ctx = ctx
        # The whole directory, listed once per file: listing it per storage would cost the
        # square of the number of attachments.
        self.tree = tree if tree is not None else _directory(ole)
        self.children: dict[str, bool] = self.tree.get(tuple(path), {})  # name -> is a storage

    def stream(self, name: str) -> bytes | None:
        if self.children.get(name) is False:
            size = self.ole.get_size([*self.path, name])
            self.ctx.count_decompressed(size)
            return bytes(self.ole.openstream([*self.path, name]).read())
        return None

    def strings(self) -> Iterator[tuple[int, str]]:
        """(property id, value) of every string property."""
        for name, is_storage in sorted(self.children.items()):
            if is_storage or not name.startswith(_SUBSTG) or len(name) != len(_SUBSTG) + 8:
                continue
            try:
                prop, kind = int(name[-8:-4], 16), int(name[-4:], 16)
            except ValueError:
                continue
            if kind not in (_STRING8, _UNICODE):
                continue
            raw = self.stream(name) or b""
            text = raw.decode("utf-16-le", "replace") if kind == _UNICODE else decode_text(raw)
            yield prop, text.rstrip("\x00")

    def string(self, prop: int) -> str | None:
        for kind, codec in ((_UNICODE, "utf-16-le"), (_STRING8, "")):
            raw = self.stream(f"{_SUBSTG}{prop:04X}{kind:04X}")
            if raw is not None:
                text = raw.decode(codec, "replace") if codec else decode_text(raw)
                return text.rstrip("\x00")
        return None

    def binary(self, prop: int) -> bytes | None:
        return self.stream(f"{_SUBSTG}{prop:04X}{_BINARY:04X}")

    def long(self, prop: int) -> int | None:
        raw = self.stream(_PROPS)
        if raw is None:
            return None
        for at in range(self.header_size, len(raw) - 15, 16):
            kind, pid = struct.unpack_from("<HH", raw, at)
            if pid == prop and kind == 0x0003:
                return int(struct.unpack_from("<i", raw, at + 8)[0])
        return None

    def substorages(self, prefix: str) -> list[_Storage]:
        return [
            _Storage(self.ole, [*self.path, name], 8, self.ctx, self.tree)
            for name, is_storage in sorted(self.children.items())
            if is_storage and name.startswith(prefix)
        ]


def _address(storage: _Storage) -> str | None:
    for prop in _ADDRESS_PROPS:
        value = (storage.string(prop) or "").strip().lower()
        if "@" in value and " " not in value:
            return value
    return None


def _header_segments(storage: _Storage, ctx: ExtractContext) -> tuple[list[Segment], str | None]:
    """The header segments, and the message id from the transport headers when there are some."""
    segments = property_segments(storage.strings(), ctx)
    message_id = None
    transport = storage.string(0x007D)
    if transport:
        # compat32 keeps each header as its raw text: the default policy's structured parsers
        # raise (IndexError...) on malformed headers; encoded words are decoded leniently.
        headers = HeaderParser(policy=compat32).parsestr(transport, headersonly=True)
        for name in ("From", "To", "Cc", "Reply-To", "Subject"):
            for raw in headers.get_all(name, []):
                value = _decode_raw_header(str(raw))
                ctx.count_text(len(value))
                segments.append(Segment(text=value, location=f"email header {name} (internet headers)",
                                        kind="email-header", field=name.lower()))
        message_id = str(headers.get("Message-ID", "")).strip() or None
    return segments, message_id


def property_segments(strings: Iterable[tuple[int, str]], ctx: ExtractContext) -> list[Segment]:
    """Segments for a message's string properties: headers where known, hidden metadata otherwise."""
    segments: list[Segment] = []
    for prop, text in strings:
        if not text.strip() or prop in _READ_ELSEWHERE:
            continue
        ctx.count_text(len(text))
        if prop in _HEADERS:
            where, header = _HEADERS[prop]
            segments.append(Segment(text=text, location=where, kind="email-header", field=header.lower()))
        elif prop not in _NOISE:
            label = f"message property 0x{prop:04X}" + (" (named)" if prop >= 0x8000 else "")
            segments.append(Segment(text=text, location=label, kind="metadata", hidden=True, field=label))
    return segments


def _bodies(storage: _Storage, name: str, ctx: ExtractContext) -> tuple[list[Segment], list[Document], list[Problem]]:
    raw_html = storage.binary(0x1013)
    html = decode_text(raw_html) if raw_html is not None else storage.string(0x1013)
    return body_segments(storage.string(0x1000), html, storage.binary(0x1009), name, ctx)


def body_segments(body: str | None, html: str | None, compressed_rtf: bytes | None, name: str,
                  ctx: ExtractContext) -> tuple[list[Segment], list[Document], list[Problem]]:
    """The plain, HTML and compressed RTF bodies of a MAPI message (.msg or winmail.dat)."""
    segments: list[Segment] = []
    children: list[Document] = []
    problems: list[Problem] = []
    if body:
        segments.extend(text_segments(body, "email body", ctx))
    if html:
        visible, hidden = html_to_text(html)
        segments.extend(text_segments(visible, "email body (HTML)", ctx))
        for seg in text_segments(hidden, "email body (HTML), hidden text", ctx, kind="hidden-text"):
            segments.append(Segment(text=seg.text, location=seg.location, kind="hidden-text", hidden=True))
    if compressed_rtf:
        from .rtf import document_from_content
        from .rtf_reader import read_rtf

        try:
            rtf = _decompress_rtf(compressed_rtf, ctx)
        except ExtractionError as e:
            problems.append(Problem(f"{name}, RTF body", e.cause, str(e)))
        else:
            inner = document_from_content(read_rtf(rtf), name, ctx)
            for seg in inner.segments:
                segments.append(Segment(text=seg.text, location=f"email body (RTF), {seg.location}", kind=seg.kind,
                                        hidden=seg.hidden, field=seg.field))
            children.extend(inner.children)
            problems.extend(inner.problems)
    return segments, children, problems


def _decompress_rtf(data: bytes, ctx: ExtractContext) -> bytes:
    from compressed_rtf import decompress  # type: ignore[import-untyped]

    if len(data) < 16:
        raise ExtractionError("corrupt", "the compressed RTF body is cut short")
    declared = int(struct.unpack_from("<I", data, 4)[0])
    # LZFu writes at most 17 bytes per 2-byte reference (plus a flag byte per 8 tokens): the
    # output can be ~9 times the input whatever the header declares, so the budget is checked
    # against that bound before decompressing, and against what came out after.
    budget = ctx.limits.max_decompressed_bytes - ctx.budget.decompressed_bytes
    if declared > budget or len(data) * 9 > budget:  # refused without spending the budget the rest needs
        raise LimitExceeded("max_decompressed_bytes", f"the compressed RTF body could inflate to more than the "
                            f"{budget} bytes left of max_decompressed_bytes")
    try:
        out = bytes(decompress(data))
    except Exception as e:  # the library raises bare Exceptions for a bad header or CRC
        raise ExtractionError("corrupt", f"the compressed RTF body could not be decoded ({type(e).__name__})") from e
    ctx.count_decompressed(len(out))
    return out


def _recipients(storage: _Storage) -> tuple[list[str], list[str], list[str]]:
    to: list[str] = []
    cc: list[str] = []
    bcc: list[str] = []
    for recipient in storage.substorages("__recip_version1.0_"):
        address = _address(recipient)
        if address is None:
            continue
        kind = recipient.long(0x0C15)
        (cc if kind == _CC else bcc if kind == _BCC else to).append(address)
    return to, cc, bcc


def _recipient_segments(storage: _Storage, ctx: ExtractContext) -> list[Segment]:
    """Recipients' names and addresses as the headers show them."""
    out: list[Segment] = []
    for number, recipient in enumerate(storage.substorages("__recip_version1.0_"), 1):
        kind = recipient.long(0x0C15)
        header = "Cc" if kind == _CC else "Bcc" if kind == _BCC else "To"
        seen: set[str] = set()
        for prop, text in recipient.strings():
            if text.strip() and prop in (0x3001, 0x39FE, 0x3003, 0x5FF6) and text not in seen:
                seen.add(text)
                ctx.count_text(len(text))
                out.append(Segment(text=text, location=f"email header {header} (recipient {number})",
                                   kind="email-header", field=header.lower()))
    return out


def _attachments(storage: _Storage, name: str, ctx: ExtractContext) -> tuple[
        list[Segment], list[Document], list[Problem]]:
    extract = ctx.reader().extract  # passed down: the registry imports this module

    segments: list[Segment] = []
    children: list[Document] = []
    problems: list[Problem] = []
    for number, attachment in enumerate(storage.substorages("__attach_version1.0_"), 1):
        ctx.count_part()
        filename = attachment.string(0x3707) or attachment.string(0x3704) or attachment.string(0x3001)
        label = filename or f"attachment {number}"
        if filename:
            segments.append(Segment(text=filename, location=f"attachment name {number}", kind="file-name"))
        method = attachment.long(0x3705)
        if attachment.children.get(_EMBEDDED) is True:
            inner = _Storage(attachment.ole, [*attachment.path, _EMBEDDED], 24, ctx, attachment.tree)
            if looks_like_msg(set(inner.children)):
                children.append(read_message(inner, label, ctx.nested()))
            else:  # an OLE object (method 6): a compound file of its own, kept inside this one
                problems.append(Problem(label, "unsupported", "an embedded OLE object attachment: not scanned"))
            continue
        data = attachment.binary(0x3701)
        if data is None:
            path = attachment.string(0x3708) or attachment.string(0x370D)
            if method in (2, 3, 4, 7) or path:
                segments.append(Segment(text=path or label, location=f"attachment {number} (linked, not inside)",
                                        kind="file-name"))
            else:
                problems.append(Problem(label, "corrupt", "the attachment has no data"))
            continue
        mime = attachment.string(0x370E)
        children.append(extract(data, label, ctx.nested(), media_type=mime or None))
    return segments, children, problems


def read_message(storage: _Storage, name: str, ctx: ExtractContext) -> Document:
    segments, message_id = _header_segments(storage, ctx)
    segments.extend(_recipient_segments(storage, ctx))
    body_segments, children, problems = _bodies(storage, name, ctx)
    segments.extend(body_segments)
    attachment_segments, attached, attachment_problems = _attachments(storage, name, ctx)
    segments.extend(attachment_segments)
    to, cc, bcc = _recipients(storage)
    envelope = Envelope(sender=_address(storage), to=tuple(to), cc=tuple(cc), bcc=tuple(bcc),
                        message_id=message_id)
    return Document(
        name=name,
        media_type=MEDIA_TYPE,
        segments=tuple(segments),
        children=(*children, *attached),
        problems=(*problems, *attachment_problems),
        envelope=envelope,
    )


def extract_msg(ole: olefile.OleFileIO, name: str, ctx: ExtractContext) -> Document:
    return read_message(_Storage(ole, [], 32, ctx), name, ctx)
