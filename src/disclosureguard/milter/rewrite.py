"""A redacted copy of a message turned into the edits a milter can make: header changes and a new body.

The MTA keeps its own copy of the message; a milter can only change headers one by one
(SMFIR_CHGHEADER, SMFIR_ADDHEADER) and replace the whole body (SMFIR_REPLBODY). So the
redacted copy is compared with the message as the MTA has it: every top-level header the
redactor may change (the Subject and other free-text headers, and the MIME headers that
say how the new body is built, its boundary included) is set to the copy's value, and the
body is the copy's body. Any other header must read the same in both (the redactor leaves
the addressing and trace headers alone; re-serialising may refold or re-encode them, which
changes nothing a reader sees). If one does not, the copy cannot be carried out faithfully
and :class:`RewriteError` is raised: the message is then refused, never half-redacted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header

# Headers the email redactor may set on the top-level message: its free-text headers and
# the MIME headers that set_content() rewrites.
REWRITABLE = frozenset({
    "subject", "comments", "keywords", "thread-topic", "content-description",
    "mime-version", "content-type", "content-transfer-encoding", "content-disposition", "content-id",
})
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_LINE_END = re.compile(rb"\r?\n")


class RewriteError(Exception):
    """The redacted copy cannot be expressed as milter edits of the message."""


@dataclass(frozen=True)
class HeaderEdit:
    """One header edit. ``index`` is the 1-based occurrence among headers of that name
    (SMFIR_CHGHEADER; an empty ``value`` deletes it); 0 adds a new header (SMFIR_ADDHEADER)."""

    name: bytes
    index: int
    value: bytes


@dataclass(frozen=True)
class Rewrite:
    """The edits that turn the message into its redacted copy, and what the copy removed."""

    headers: tuple[HeaderEdit, ...]
    body: bytes  # CRLF line ends, as the milter protocol carries a body
    removed: tuple[tuple[str, str, str], ...] = ()  # (entity type, location, rule): never a value

    def summary(self) -> str:
        """For the X-DisclosureGuard-Redacted header: how many values of which types, no values."""
        types = sorted({t for t, _, _ in self.removed})
        return f"{len(self.removed)} value(s) removed: {', '.join(types) or 'none'}"


def split_message(data: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The unfolded (name, value) headers and the body (after the first empty line)."""
    end, body_start = _header_end(data)
    return list(_headers(data[:end])), data[body_start:]


def read_headers(data: bytes) -> list[tuple[bytes, bytes]]:
    """The unfolded (name, value) headers only (the body is not copied)."""
    return list(_headers(data[:_header_end(data)[0]]))


def _header_end(data: bytes) -> tuple[int, int]:
    """Where the header block ends and where the body starts."""
    for blank in (b"\r\n", b"\n"):
        if data.startswith(blank):
            return 0, len(blank)
    m = _BLANK_LINE.search(data)
    return (m.start(), m.end()) if m else (len(data), len(data))


def _headers(head: bytes) -> Iterator[tuple[bytes, bytes]]:
    name: bytes | None = None
    value = b""
    if not head:
        return
    for line in _LINE_END.split(head):
        if line[:1] in (b" ", b"\t") and name is not None:
            value += line  # unfolding removes only the line break
            continue
        if name is not None:
            yield name, value
        field_name, colon, rest = line.partition(b":")
        if not colon or not field_name.strip():
            raise RewriteError("a header line without a field name")
        name, value = field_name.strip(), rest.lstrip(b" \t")
    if name is not None:
        yield name, value


def _reads_as(value: bytes) -> str:
    """What a reader sees: encoded words decoded, folding and runs of spaces collapsed."""
    text = value.decode("utf-8", "surrogateescape")
    with contextlib.suppress(LookupError, UnicodeError, ValueError):  # undecodable: compare as written
        text = str(make_header(decode_header(text)))
    return " ".join(text.split())


_STANDARD_HEADERS = frozenset({
    "from", "to", "cc", "bcc", "reply-to", "sender", "date", "message-id", "in-reply-to", "references",
    "received", "return-path",
})


def _known_header(key: bytes) -> str:
    name = key.decode("ascii", "replace")
    return f"the {name} header" if name in _STANDARD_HEADERS else "a header of the sender's own naming"


def _by_name(headers: list[tuple[bytes, bytes]]) -> dict[bytes, list[tuple[bytes, bytes]]]:
    out: dict[bytes, list[tuple[bytes, bytes]]] = {}
    for name, value in headers:
        out.setdefault(name.lower(), []).append((name, value))
    return out


def plan_rewrite(original: bytes, redacted: bytes, removed: tuple[tuple[str, str, str], ...] = ()) -> Rewrite:
    """The edits from ``original`` (the message as the MTA has it; only its header block is
    read) to ``redacted`` (the verified copy)."""
    old_headers = read_headers(original)
    new_headers, body = split_message(redacted)
    old, new = _by_name(old_headers), _by_name(new_headers)
    changes: list[HeaderEdit] = []
    deletions: list[HeaderEdit] = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key, []), new.get(key, [])
        same = len(before) == len(after) and all(
            _reads_as(b) == _reads_as(a) for (_, b), (_, a) in zip(before, after, strict=True))
        if same:
            continue
        if key.decode("ascii", "replace") not in REWRITABLE:
            # A header name is the sender's text (X-Lily-Smith-9434765919): the log line names
            # only the headers every message has.
            raise RewriteError(f"the redacted copy changes {_known_header(key)}, which the gateway does not rewrite")
        for i, (name, value) in enumerate(after):
            if b"\0" in value or b"\r" in value or b"\n" in value:
                raise RewriteError(f"the redacted copy's {name.decode('ascii', 'replace')} header cannot be sent")
            if i < len(before):
                if _reads_as(before[i][1]) != _reads_as(value):
                    changes.append(HeaderEdit(before[i][0], i + 1, value))
            else:
                changes.append(HeaderEdit(name, 0, value))
        # Highest occurrence first, so deleting one does not renumber the next.
        deletions += [HeaderEdit(before[i][0], i + 1, b"") for i in range(len(before) - 1, len(after) - 1, -1)]
    return Rewrite(tuple(changes + deletions), _crlf(body), removed)


def _crlf(body: bytes) -> bytes:
    return _LINE_END.sub(b"\r\n", body)
