"""RTF: values cut out of the bytes that spell them; hidden content and metadata removed.

The RTF reader gives every piece of text with the byte span that spells it, so a value
split by Word's ``{\\insrsid}`` groups or written as ``\\'hh`` escapes is found across its
pieces and each piece's bytes are cut (the formatting groups around them stay). Groups no
reader sees are removed whole: comments and their authors, document information, user
properties and variables, index entries, embedded objects (their data cannot be checked),
and destinations the reader does not know. Hidden (``\\v``) text and tracked deletions are
cut too. The verifier then reads the copy again from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extract.rtf_reader import VISIBLE, Piece, known_destination, read_rtf
from ..extract.rtf_tokens import CLOSE, OPEN, SYMBOL, WORD, tokens
from .errors import RedactionError
from .text import Operators
from .values import ValueMatcher

# Destinations removed whole, with what the note calls them.
_REMOVED_GROUPS = {
    "annotation": "comments", "atnid": "comments", "atnauthor": "comments", "atndate": "comments",
    "atnref": "comments", "info": "document properties", "userprops": "document properties",
    "docvar": "document properties", "xe": "index entries", "tc": "index entries", "txe": "index entries",
    "object": "embedded objects", "bkmkstart": "bookmarks", "bkmkend": "bookmarks",
    "revtbl": "the list of reviewers",
}
@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    replacement: bytes = b""


def _escape(text: str) -> bytes:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
            out.append(f"\\u{code}?")
    return "".join(out).encode("ascii")


def _removed_groups(data: bytes) -> tuple[list[_Edit], set[str]]:
    """Byte spans of the groups no reader sees, and what they were."""
    edits: list[_Edit] = []
    what: set[str] = set()
    stack: list[tuple[int, str | None]] = []  # (group start, why removed)
    at_start = starred = False
    for token in tokens(data):
        if token.kind == OPEN:
            stack.append((token.start, None))
            at_start, starred = True, False
            continue
        if token.kind == CLOSE:
            if stack:
                start, why = stack.pop()
                if why is not None and not any(w is not None for _, w in stack):
                    # an empty group, not nothing: a control word before it must not run into what follows
                    edits.append(_Edit(start, token.end, b"{}"))
                    what.add(why)
            at_start = starred = False
            continue
        if at_start and token.kind == SYMBOL and token.name == "*":
            starred = True
            continue
        if at_start and token.kind == WORD and stack:
            why = _REMOVED_GROUPS.get(token.name)
            if why is None and starred and not known_destination(token.name):
                why = "unrecognised destinations"
            if why is not None:
                stack[-1] = (stack[-1][0], why)
        at_start = starred = False
    if stack:
        raise RedactionError("the RTF file's groups are not closed: it cannot be redacted safely")
    return edits, what


def _inside(piece: Piece, removed: list[_Edit]) -> bool:
    return any(e.start <= piece.start and piece.end <= e.end for e in removed)


def _value_edits(pieces: list[Piece], matcher: ValueMatcher, operators: Operators) -> list[_Edit]:
    """Cut every value found in one paragraph's text from the pieces that spell it."""
    text = "".join(p.text for p in pieces)
    offsets: list[int] = []
    at = 0
    for p in pieces:
        offsets.append(at)
        at += len(p.text)
    edits: list[_Edit] = []
    for m in matcher.finditer(text):
        replacement = _escape(operators.replacement(m.target.entity_type, text[m.start : m.end]))
        first = True
        for piece, begin in zip(pieces, offsets, strict=True):
            end = begin + len(piece.text)
            if end <= m.start or begin >= m.end:
                continue
            lo, hi = max(m.start, begin) - begin, min(m.end, end) - begin
            one_to_one = piece.end - piece.start == len(piece.text)
            span = (piece.start + lo, piece.start + hi) if one_to_one else (piece.start, piece.end)
            edits.append(_Edit(span[0], span[1], replacement if first else b""))
            first = False
    return edits


def _apply(data: bytes, edits: list[_Edit]) -> bytes:
    out: list[bytes] = []
    last = 0
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if e.start < last:  # inside an edit already made (a removed group): nothing more to do
            continue
        out.append(data[last : e.start])
        out.append(e.replacement)
        last = e.end
    out.append(data[last:])
    return b"".join(out)


def redact_rtf(data: bytes, matcher: ValueMatcher, operators: Operators,
               hidden: ValueMatcher | None = None) -> tuple[bytes, list[str]]:
    """The redacted RTF and notes on what else was removed. ``hidden`` values go with the
    hidden text, which is removed whole."""
    content = read_rtf(data)
    if content.html is not None:
        raise RedactionError("RTF that wraps an HTML message (\\fromhtml) cannot be redacted")
    removed, what = _removed_groups(data)
    edits = list(removed)
    hidden_cut = False
    for part in content.parts:
        for paragraph in part.paragraphs:
            kept = [p for p in paragraph if not _inside(p, removed)]
            for piece in kept:
                if piece.flag != VISIBLE:
                    edits.append(_Edit(piece.start, piece.end))
                    hidden_cut = True
            visible = [p for p in kept if p.flag == VISIBLE]
            edits.extend(_value_edits(visible, matcher, operators))
    notes = [f"removed {w}" for w in sorted(what)]
    if hidden_cut:
        notes.append("removed hidden text and tracked deletions")
    return _apply(data, edits), notes
