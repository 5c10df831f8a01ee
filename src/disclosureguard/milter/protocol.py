"""The Sendmail milter protocol (version 6), as Postfix and Sendmail speak it.

A packet is a 4-byte big-endian length, then one command or response byte, then data;
the length counts the byte and the data. This module only frames, parses and encodes
packets: no sockets, no policy. Anything that does not fit the protocol raises
:class:`ProtocolError`, which closes that one connection.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

VERSION = 6
# A body chunk is at most 65535 bytes (MILTER_CHUNK_SIZE); headers and macros are far smaller.
# Anything longer is not a milter packet.
MAX_PACKET = 1 << 20
MAX_BODY_CHUNK = 65535  # the most body one SMFIR_REPLBODY may carry (Sendmail's MILTER_CHUNK_SIZE)

# Commands from the MTA (SMFIC_*).
ABORT = b"A"
BODY = b"B"
CONNECT = b"C"
MACRO = b"D"
BODYEOB = b"E"
HELO = b"H"
QUIT_NC = b"K"
HEADER = b"L"
MAIL = b"M"
EOH = b"N"
OPTNEG = b"O"
QUIT = b"Q"
RCPT = b"R"
DATA = b"T"
UNKNOWN = b"U"

# Responses to the MTA (SMFIR_*).
ADDHEADER = b"h"
CHGHEADER = b"m"
ACCEPT = b"a"
REPLBODY = b"b"
CONTINUE = b"c"
DISCARD = b"d"
PROGRESS = b"p"
QUARANTINE = b"q"
REJECT = b"r"
TEMPFAIL = b"t"
REPLYCODE = b"y"

# Actions the filter may take (SMFIF_*), asked for at negotiation.
SMFIF_ADDHDRS = 0x01
SMFIF_CHGBODY = 0x02
SMFIF_CHGHDRS = 0x10
SMFIF_QUARANTINE = 0x20

# Protocol steps the filter does not need (SMFIP_*).
SMFIP_NOCONNECT = 0x01
SMFIP_NOHELO = 0x02
SMFIP_NOUNKNOWN = 0x100
SMFIP_NODATA = 0x200
SMFIP_HDR_LEADSPC = 0x100000

# Commands that get no reply: macros, abort and the two quits.
NO_REPLY = frozenset({MACRO, ABORT, QUIT, QUIT_NC})


class ProtocolError(Exception):
    """The peer sent something that is not the milter protocol: close this connection."""


@dataclass(frozen=True)
class Packet:
    command: bytes
    data: bytes


async def read_packet(reader: asyncio.StreamReader) -> Packet | None:
    """The next packet, or ``None`` when the MTA closed the connection between packets."""
    try:
        head = await reader.readexactly(4)
    except asyncio.IncompleteReadError as e:
        if e.partial:
            raise ProtocolError("connection closed inside a packet length") from None
        return None
    (length,) = struct.unpack("!I", head)
    if length < 1 or length > MAX_PACKET:
        raise ProtocolError(f"packet length {length} out of range")
    try:
        body = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        raise ProtocolError("connection closed inside a packet") from None
    return Packet(body[:1], body[1:])


def encode(response: bytes, data: bytes = b"") -> bytes:
    return struct.pack("!I", len(data) + 1) + response + data


def split_strings(data: bytes) -> list[bytes]:
    """NUL-terminated strings; a missing final NUL is a protocol error."""
    if not data.endswith(b"\0"):
        raise ProtocolError("string argument not NUL-terminated")
    return data[:-1].split(b"\0")


@dataclass(frozen=True)
class Negotiation:
    version: int
    actions: int
    protocol: int


def parse_optneg(data: bytes) -> Negotiation:
    if len(data) < 12:
        raise ProtocolError("option negotiation shorter than 12 bytes")
    version, actions, protocol = struct.unpack("!III", data[:12])
    return Negotiation(version, actions, protocol)


def optneg_reply(offered: Negotiation, want_actions: int, skip_steps: int) -> tuple[bytes, int]:
    """The negotiation answer and the protocol flags agreed.

    We ask only for actions and skips the MTA offered; asking for more makes Postfix drop the
    filter. Version 6 is what Postfix (``milter_protocol = 6``) and Sendmail 8.14+ speak.
    """
    if offered.version < 2:
        raise ProtocolError(f"milter protocol version {offered.version} is too old")
    actions = want_actions & offered.actions
    if actions != want_actions:
        missing = want_actions & ~offered.actions
        raise ProtocolError(f"the MTA does not offer the actions this filter needs (flags {missing:#x})")
    protocol = skip_steps & offered.protocol
    version = min(VERSION, offered.version)
    return encode(OPTNEG, struct.pack("!III", version, actions, protocol)), protocol


def parse_macros(data: bytes) -> dict[str, str]:
    """A macro packet: the command it belongs to, then name/value pairs."""
    if not data:
        raise ProtocolError("empty macro packet")
    parts = split_strings(data[1:]) if len(data) > 1 else []
    out: dict[str, str] = {}
    for i in range(0, len(parts) - 1, 2):
        out[parts[i].decode("utf-8", "replace").strip("{}")] = parts[i + 1].decode("utf-8", "replace")
    return out


def parse_address(data: bytes) -> str:
    """The address of MAIL FROM / RCPT TO (ESMTP arguments follow it and are ignored)."""
    parts = split_strings(data)
    return bare_address(parts[0].decode("utf-8", "replace"))


def bare_address(value: str) -> str:
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    return value.strip().lower()


def parse_header(data: bytes) -> tuple[bytes, bytes]:
    parts = split_strings(data)
    if len(parts) != 2:
        raise ProtocolError("header packet without exactly a name and a value")
    return parts[0], parts[1]


def reply_code(code: int, lines: list[str]) -> bytes:
    """SMFIR_REPLYCODE with a (possibly multi-line) reply; ``lines`` start with the enhanced code.

    Postfix takes '%' in milter replies as a format character in some versions, and SMTP
    replies are ASCII: both are kept out.
    """
    if not 400 <= code <= 599:
        raise ValueError(f"reply code {code} is not a 4xx or 5xx")
    clean = [_smtp_safe(line) for line in lines] or [""]
    text = "\r\n".join(
        f"{code}{'-' if i < len(clean) - 1 else ' '}{line}" for i, line in enumerate(clean)
    )
    return encode(REPLYCODE, text.encode("ascii") + b"\0")


def _smtp_safe(line: str) -> str:
    out = "".join(ch if 32 <= ord(ch) < 127 and ch != "%" else "?" for ch in line)
    return out[:500]


def add_header(name: str, value: str) -> bytes:
    return encode(ADDHEADER, name.encode("ascii") + b"\0" + _smtp_safe(value).encode("ascii") + b"\0")


def quarantine(reason: str) -> bytes:
    return encode(QUARANTINE, _smtp_safe(reason).encode("ascii") + b"\0")


def change_header(name: bytes, index: int, value: bytes) -> bytes:
    """SMFIR_CHGHEADER: set the ``index``-th (1-based) header called ``name``; an empty value deletes it."""
    if index < 1:
        raise ValueError(f"header index {index} is not 1 or more")
    if b"\0" in name + value:
        raise ValueError("a header name or value holds a NUL byte")
    return encode(CHGHEADER, struct.pack("!I", index) + name + b"\0" + value + b"\0")


def add_raw_header(name: bytes, value: bytes) -> bytes:
    """SMFIR_ADDHEADER with a value taken as it is (a redacted copy's header, already MIME-encoded)."""
    if b"\0" in name + value:
        raise ValueError("a header name or value holds a NUL byte")
    return encode(ADDHEADER, name + b"\0" + value + b"\0")


def replace_body(body: bytes) -> list[bytes]:
    """SMFIR_REPLBODY packets carrying ``body``, at most MAX_BODY_CHUNK bytes each; the MTA
    joins them. An empty body is one empty packet (the body is replaced by nothing)."""
    if not body:
        return [encode(REPLBODY)]
    return [encode(REPLBODY, body[i:i + MAX_BODY_CHUNK]) for i in range(0, len(body), MAX_BODY_CHUNK)]
