"""TNEF (winmail.dat, application/ms-tnef): Outlook's rich-text wrapping of a message.

A TNEF stream is a signature and a flat list of attributes (MS-OXTNEF): the subject, the
sender, a plain body, a block of MAPI properties (the compressed RTF body, the HTML body,
every other property), the recipient table, and per attachment its title, data and MAPI
properties (an attached message is itself a TNEF stream). The format is small and fully
specified, so it is read here with bounds checks on every length rather than through
tnefparse (LGPL, and it drops the properties it does not name).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from ..errors import ExtractionError
from ..model import Document, Envelope, Problem, Segment
from .context import ExtractContext
from .format import Format
from .msg import _READ_ELSEWHERE, body_segments, property_segments
from .text import decode_text

SIGNATURE = b"\x78\x9f\x3e\x22"
MEDIA_TYPE = "application/ms-tnef"
_MESSAGE_LEVEL, _ATTACHMENT_LEVEL = 1, 2
# attribute ids (low word of the attribute tag)
_SUBJECT, _FROM, _BODY, _MESSAGE_ID = 0x8004, 0x8000, 0x800C, 0x8009
_MAPI_PROPS, _RECIPIENTS, _ATTACH_START, _ATTACH_TITLE, _ATTACH_DATA, _ATTACH_PROPS = (
    0x9003, 0x9004, 0x9002, 0x8010, 0x800F, 0x9005)
_FIXED = {0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4, 0x000B: 4, 0x0014: 8,
          0x0040: 8, 0x0048: 16, 0x0001: 0}
_VARIABLE = (0x001E, 0x001F, 0x0102, 0x000D)
_MAX_VALUES = 100_000


@dataclass
class _Attachment:
    title: str | None = None
    data: bytes | None = None
    props: dict[int, Any] = field(default_factory=dict)


def looks_like_tnef(data: bytes) -> bool:
    return data[:4] == SIGNATURE


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise ExtractionError("corrupt", "a TNEF length points past the end of the data")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def u16(self) -> int:
        return int(struct.unpack("<H", self.take(2))[0])

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def padded(self, n: int) -> bytes:
        out = self.take(n)
        self.at = min(len(self.data), self.at + (-n % 4))  # values are padded to four bytes
        return out


def read_mapi_props(data: bytes) -> dict[int, Any]:
    """A TNEF MAPI property block: property id to value (str, bytes, int or a list)."""
    return _read_props(_Cursor(data))


def _read_props(c: _Cursor) -> dict[int, Any]:
    count = c.u32()
    if count > _MAX_VALUES:
        raise ExtractionError("corrupt", "a TNEF property block claims too many properties")
    props: dict[int, Any] = {}
    for _ in range(count):
        kind, prop = c.u16(), c.u16()
        if prop >= 0x8000:  # named property: a GUID, then a number or a name
            c.take(16)
            if c.u32() == 0:
                c.u32()
            else:
                c.padded(c.u32())
        multi = bool(kind & 0x1000)
        base = kind & ~0x1000
        values: list[Any] = []
        if base in _VARIABLE:
            for _ in range(c.u32()):
                raw = c.padded(c.u32())
                values.append(_decode(base, raw))
        elif base in _FIXED:
            for _ in range(c.u32() if multi else 1):
                raw = c.take(_FIXED[base])
                values.append(int.from_bytes(raw[:4], "little", signed=True) if base in (0x0002, 0x0003, 0x000B)
                              else raw)
        else:
            raise ExtractionError("corrupt", f"unknown TNEF property type 0x{base:04X}")
        if len(values) > _MAX_VALUES:
            raise ExtractionError("corrupt", "a TNEF property holds too many values")
        props[prop] = values if multi else (values[0] if values else None)
        props.setdefault(-1, {})[prop] = base  # the types, for telling strings from binary
    return props


def _decode(kind: int, raw: bytes) -> Any:
    if kind == 0x001F:
        return raw.decode("utf-16-le", "replace").rstrip("\x00")
    if kind == 0x001E:
        return decode_text(raw.rstrip(b"\x00"))
    return raw


def _strings(props: dict[int, Any]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for prop, value in props.items():
        if prop < 0:
            continue
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                out.append((prop, v))
    return out


def _from(raw: bytes) -> tuple[str, str]:
    """attFrom: a TRP record with a display name and an address."""
    c = _Cursor(raw)
    c.take(4)
    name_len, address_len = c.u16(), c.u16()
    name = c.take(name_len).split(b"\0", 1)[0]
    address = c.take(address_len).split(b"\0", 1)[0]
    return decode_text(name), decode_text(address)


def _recipients(data: bytes) -> list[dict[int, Any]]:
    c = _Cursor(data)
    rows = c.u32()
    if rows > _MAX_VALUES:
        raise ExtractionError("corrupt", "a TNEF recipient table claims too many rows")
    return [_read_props(c) for _ in range(rows)]


def _address(props: dict[int, Any]) -> str | None:
    for prop in (0x39FE, 0x5D01, 0x3003, 0x0C1F, 0x0065):
        value = props.get(prop)
        if isinstance(value, str) and "@" in value and " " not in value.strip():
            return value.strip().lower()
    return None


def extract_tnef(data: bytes, name: str, ctx: ExtractContext) -> Document:
    extract = ctx.reader().extract  # passed down: the registry imports this module

    c = _Cursor(data)
    c.take(6)  # signature and key
    segments: list[Segment] = []
    problems: list[Problem] = []
    children: list[Document] = []
    message: dict[int, Any] = {}
    recipients: list[dict[int, Any]] = []
    attachments: list[_Attachment] = []
    plain_body: str | None = None
    sender: str | None = None
    while c.at < len(data):
        level = c.take(1)[0]
        tag = c.u32()
        raw = c.take(c.u32())
        c.u16()  # checksum
        ctx.count_part()
        attr = tag & 0xFFFF
        if level not in (_MESSAGE_LEVEL, _ATTACHMENT_LEVEL):
            raise ExtractionError("corrupt", f"{name}: a TNEF attribute has an unknown level {level}")
        if attr == _ATTACH_START:
            attachments.append(_Attachment())
        elif level == _ATTACHMENT_LEVEL:
            if not attachments:
                attachments.append(_Attachment())
            if attr == _ATTACH_TITLE:
                attachments[-1].title = decode_text(raw.rstrip(b"\x00")) or None
            elif attr == _ATTACH_DATA:
                attachments[-1].data = raw
            elif attr == _ATTACH_PROPS:
                attachments[-1].props = read_mapi_props(raw)
        elif attr == _SUBJECT:
            message.setdefault(0x0037, decode_text(raw.rstrip(b"\x00")))
        elif attr == _BODY:
            plain_body = decode_text(raw.rstrip(b"\x00"))
        elif attr == _FROM:
            display, from_address = _from(raw)
            message.setdefault(0x0C1A, display)
            if "@" in from_address:
                sender = from_address.strip().lower()
        elif attr == _MAPI_PROPS:
            message.update(read_mapi_props(raw))
        elif attr == _RECIPIENTS:
            recipients = _recipients(raw)
    segments.extend(property_segments(_strings(message), ctx))
    body = message.get(0x1000) if isinstance(message.get(0x1000), str) else plain_body
    html_value = message.get(0x1013)
    html = decode_text(html_value) if isinstance(html_value, bytes) else html_value
    rtf = message.get(0x1009) if isinstance(message.get(0x1009), bytes) else None
    body_segs, body_children, body_problems = body_segments(body, html, rtf, name, ctx)
    segments.extend(body_segs)
    children.extend(body_children)
    problems.extend(body_problems)
    to: list[str] = []
    cc: list[str] = []
    bcc: list[str] = []
    for number, row in enumerate(recipients, 1):
        kind = row.get(0x0C15)
        header = "Cc" if kind == 2 else "Bcc" if kind == 3 else "To"
        seen: set[str] = set()
        for prop in (0x3001, 0x39FE, 0x3003):
            value = row.get(prop)
            if isinstance(value, str) and value.strip() and value not in seen:
                seen.add(value)
                ctx.count_text(len(value))
                segments.append(Segment(text=value, location=f"email header {header} (recipient {number})",
                                        kind="email-header", field=header.lower()))
        row_address = _address(row)
        if row_address:
            (cc if kind == 2 else bcc if kind == 3 else to).append(row_address)
    for number, attachment in enumerate(attachments, 1):
        props = attachment.props
        filename = next((v for v in (props.get(0x3707), props.get(0x3704), attachment.title)
                         if isinstance(v, str) and v.strip()), None)
        label = filename or f"attachment {number}"
        if filename:
            segments.append(Segment(text=filename, location=f"attachment name {number}", kind="file-name"))
        extra = [(p, v) for p, v in _strings(props) if p not in (0x3707, 0x3704) and p not in _READ_ELSEWHERE]
        for seg in property_segments(extra, ctx):
            segments.append(Segment(text=seg.text, location=f"attachment {number}, {seg.location}", kind=seg.kind,
                                    hidden=seg.hidden, field=seg.field))
        embedded = props.get(0x3701)
        content = attachment.data
        if isinstance(embedded, bytes) and props.get(-1, {}).get(0x3701) == 0x000D and len(embedded) > 16:
            content = embedded[16:]  # an attached message: a GUID, then a TNEF stream of its own
        if content is None:
            problems.append(Problem(label, "corrupt", "the attachment has no data"))
            continue
        mime = props.get(0x370E)
        children.append(extract(content, label, ctx.nested(), media_type=mime if isinstance(mime, str) else None))
    envelope = Envelope(sender=_address(message) or sender, to=tuple(to), cc=tuple(cc), bcc=tuple(bcc))
    return Document(name=name, media_type=MEDIA_TYPE, segments=tuple(segments), children=tuple(children),
                    problems=tuple(problems), envelope=envelope)


FORMAT = Format(
    name="tnef",
    extensions=(".tnef",),  # not .dat: any data file is named so; winmail.dat is known by its content
    media_types=(MEDIA_TYPE, "application/vnd.ms-tnef"),
    sniff=looks_like_tnef,
    extract=extract_tnef,
)
FORMATS: list[Format] = [FORMAT]
