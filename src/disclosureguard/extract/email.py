"""Email (.eml): headers, text and HTML bodies, and every attachment, recursively."""

from __future__ import annotations

import email
import email.errors
import email.parser
import re
from collections.abc import Iterator
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.utils import getaddresses

from ..model import Document, Envelope, Problem, Segment
from .context import ExtractContext
from .format import Format
from .html import html_segments
from .text import armour_problems, decode_declared, text_segments

SCANNED_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject")
_HEADER_START = re.compile(
    rb"^(?:From |Return-Path|Received|From|To|Cc|Subject|Date|Message-ID|MIME-Version|Content-Type|"
    rb"X-[\w-]+|Delivered-To|Reply-To|Sender|DKIM-Signature|Authentication-Results)\s*:?",
    re.I,
)
# Header defects that lose nothing a reader sees; every other defect means a part may be unread.
_HARMLESS_DEFECTS = (email.errors.ObsoleteHeaderDefect,)


def _looks_like_email(data: bytes) -> bool:
    head = data[:4096].lstrip()
    if not _HEADER_START.match(head):
        return False
    header_block = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    lines = [ln for ln in header_block.splitlines() if ln and not ln[:1].isspace()]
    headerish = sum(1 for ln in lines if re.match(rb"^[!-9;-~]+:", ln))
    return len(lines) > 0 and headerish >= max(2, int(len(lines) * 0.8))


def _header_values(msg: Message, header: str) -> tuple[list[str], bool]:
    """The values of ``header``, and whether the email package could parse them.

    Its header parser raises (AttributeError, IndexError, TypeError...) on some malformed
    headers. Rather than lose the whole message, such a header is read from its raw text
    with the lenient RFC 2047 decoder; the caller reports it, since an encoded word the
    lenient decoder cannot read would stay encoded.
    """
    try:
        return [str(v) for v in msg.get_all(header, [])], True
    except Exception:  # the stdlib's own parser bug on hostile input: read the raw text instead
        raw = [v for k, v in msg.raw_items() if k.lower() == header.lower()]
        return [_decode_raw_header(str(v)) for v in raw], False


def _decode_raw_header(value: str) -> str:
    try:  # bytes that were not UTF-8 stand as escapes in raw header text: make them characters
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, MessageError):  # e.g. CharsetError: an encoded word's charset is bogus
        return value


def _addresses(msg: Message, header: str, values: list[str] | None = None) -> tuple[str, ...]:
    if values is None:
        values, _ = _header_values(msg, header)
    out: dict[str, None] = {}
    for _name, addr in getaddresses(values):
        addr = addr.strip().lower()
        if "@" in addr:
            out.setdefault(addr, None)
    return tuple(out)


def _defects(msg: Message, part: str) -> list[Problem]:
    found = []
    for d in getattr(msg, "defects", []):
        if isinstance(d, _HARMLESS_DEFECTS):
            continue
        found.append(Problem(part, "malformed", f"malformed MIME: {type(d).__name__}"))
    return found


def _decode_part(part: Message) -> tuple[str, str | None]:
    """The text of a body part, and a note when its declared charset was overruled."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return "", None
    try:
        charset = part.get_content_charset()
    except Exception:  # the stdlib's parser on a hostile parameter: the bytes decide
        charset = None
    return decode_declared(raw, charset)


def _declared_charset_note(part: Message, payload: bytes) -> str | None:
    """For a text attachment that declares a charset: a note when its bytes say otherwise (the
    attachment is read by its bytes, as a body part is; the disagreement is reported the same way)."""
    if part.get_content_maintype() != "text":
        return None
    try:
        charset = part.get_content_charset()
    except Exception:  # the stdlib's parser on a hostile parameter: nothing declared to check
        return None
    return decode_declared(payload, charset)[1] if charset else None


# Parts that are ciphertext: nothing in them can be read, so the message cannot be scanned.
_ENCRYPTED_MULTIPART = "multipart/encrypted"
_ENCRYPTED_LEAVES = {
    "application/pgp-encrypted": "a PGP/MIME encrypted part",
    "application/pkcs7-mime": "an S/MIME part",
    "application/x-pkcs7-mime": "an S/MIME part",
}


def _encrypted(part: Message, label: str) -> Problem | None:
    ctype = part.get_content_type()
    if ctype == _ENCRYPTED_MULTIPART:
        return Problem(label, "encrypted", "an encrypted message (multipart/encrypted): its content cannot be scanned")
    if ctype in _ENCRYPTED_LEAVES:
        smime_type = str(part.get_param("smime-type", "") or "").lower()
        if smime_type in ("signed-data", "certs-only"):
            return Problem(label, "unsupported", "S/MIME opaque-signed content: not scanned")
        return Problem(label, "encrypted", f"{_ENCRYPTED_LEAVES[ctype]}: its content cannot be scanned")
    return None


def _filename(part: Message, n: int) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    return str(name) if name else None


def _leaves(msg: Message, name: str, ctx: ExtractContext, problems: list[Problem]) -> Iterator[Message]:
    """Every leaf part of a message; an attached message is a leaf (it is read as a child)."""
    stack = [msg]
    while stack:
        part = stack.pop()
        if part.get_content_type() == "message/rfc822" and part is not msg:
            ctx.count_part()
            yield part
        elif part.get_content_type() == _ENCRYPTED_MULTIPART:
            # its parts are a version stamp and the ciphertext: reported, not read as text
            if part is not msg:
                ctx.count_part()
            problem = _encrypted(part, name)
            if problem is not None:
                problems.append(problem)
        elif part.is_multipart():
            if part is not msg:
                ctx.count_part()
                problems.extend(_defects(part, name))
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(reversed([m for m in payload if isinstance(m, Message)]))
        else:
            ctx.count_part()
            yield part


def _read(msg: Message, name: str, ctx: ExtractContext) -> Document:
    segments: list[Segment] = []
    children: list[Document] = []
    problems: list[Problem] = _defects(msg, name)
    read: dict[str, list[str]] = {}  # the values of each scanned header, for the envelope too
    for header in SCANNED_HEADERS:
        values, parsed = _header_values(msg, header)
        read[header] = values
        if not parsed:
            problems.append(Problem(name, "malformed", f"the {header} header is malformed: read as raw text"))
        for value in values:
            if value.strip():
                ctx.count_text(len(value))
                segments.append(
                    Segment(text=value, location=f"email header {header}", kind="email-header", field=header.lower())
                )
    attachment_no = 0
    body_no = 0
    for part in _leaves(msg, name, ctx, problems):
        if part is not msg:
            problems.extend(_defects(part, name))
        ctype = part.get_content_type()
        filename = _filename(part, attachment_no)
        disposition = (part.get_content_disposition() or "").lower()
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and filename is None:
            body_no += 1
            text, charset_note = _decode_part(part)
            where = "email body" if body_no == 1 else f"email body part {body_no}"
            if charset_note:
                problems.append(Problem(name, "charset-mismatch", f"{where}: {charset_note}"))
            problems.extend(armour_problems(text, name))
            if ctype == "text/html":
                segments.extend(html_segments(text, f"{where} (HTML)", ctx))
            else:
                segments.extend(text_segments(text, where, ctx))
            continue
        attachment_no += 1
        label = filename or f"attachment {attachment_no} ({ctype})"
        if filename:
            segments.append(Segment(text=filename, location=f"attachment name {attachment_no}", kind="file-name"))
        encrypted = _encrypted(part, label)
        if encrypted is not None:
            problems.append(encrypted)
            continue
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner_msg = inner[0] if isinstance(inner, list) and inner else None
            if isinstance(inner_msg, Message):
                children.append(_read(inner_msg, label, ctx.nested()))
                continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            problems.append(Problem(label, "corrupt", "attachment body could not be decoded"))
            continue
        charset_note = _declared_charset_note(part, payload)
        if charset_note:
            problems.append(Problem(label, "charset-mismatch", f"attachment {attachment_no}: {charset_note}"))
        extract = ctx.reader().extract  # passed down: the registry imports this module

        children.append(extract(payload, label, ctx.nested(), media_type=ctype))
    envelope = Envelope(
        sender=(_addresses(msg, "From", read["From"]) or (None,))[0],
        to=_addresses(msg, "To", read["To"]),
        cc=_addresses(msg, "Cc", read["Cc"]),
        bcc=_addresses(msg, "Bcc", read["Bcc"]),
        message_id=str(msg.get("Message-ID", "")).strip() or None,
    )
    return Document(
        name=name,
        media_type="message/rfc822",
        segments=tuple(segments),
        children=tuple(children),
        problems=tuple(problems),
        envelope=envelope,
    )


class _HeadersParsedOnce(HeaderRegistry):
    """The default policy's header objects, each parsed once per message.

    With ``policy.default`` every read of a header (a part's Content-Type is read by
    get_content_type, get_content_charset, get_filename, get_payload...) parses it again in
    pure Python and builds a new header class: about a tenth of a short letter's scan. A header
    object is an immutable ``str`` with its parse attached, so the one for the same name and
    value serves every read. One per message: nothing is kept between messages."""

    def __init__(self) -> None:
        super().__init__()
        self._parsed: dict[tuple[str, str], BaseHeader] = {}

    def __call__(self, name: str, value: str) -> BaseHeader:
        header = self._parsed.get((name, value))
        if header is None:
            header = self._parsed[(name, value)] = super().__call__(name, value)
        return header


def parse_message(data: bytes) -> EmailMessage:
    parsing = policy.default.clone(header_factory=_HeadersParsedOnce())
    return email.message_from_bytes(data, policy=parsing)  # type: ignore[return-value]


def extract_email(data: bytes, name: str, ctx: ExtractContext) -> Document:
    return _read(parse_message(data), name, ctx)


FORMAT = Format(
    name="email",
    extensions=(".eml", ".msg.eml"),
    media_types=("message/rfc822",),
    sniff=_looks_like_email,
    extract=extract_email,
    compatible=("text",),
)


def parse_headers_only(data: bytes, max_header_bytes: int = 256 * 1024) -> Envelope | None:
    """The envelope of a message from its headers alone, or None if it does not look like one."""
    if not _looks_like_email(data):
        return None
    msg = email.parser.BytesHeaderParser(policy=policy.default).parsebytes(data[:max_header_bytes])
    return Envelope(
        sender=(_addresses(msg, "From") or (None,))[0],
        to=_addresses(msg, "To"),
        cc=_addresses(msg, "Cc"),
        bcc=_addresses(msg, "Bcc"),
        message_id=str(msg.get("Message-ID", "")).strip() or None,
    )
