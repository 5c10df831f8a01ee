"""RTF tokens: groups, control words, control symbols, text and binary runs.

One linear pass over the bytes, no recursion and no backtracking, so a hostile file costs
time in proportion to its size. Every token keeps its byte span, so the redactor can cut
exactly the bytes that spell a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

OPEN, CLOSE, WORD, SYMBOL, TEXT, HEX, BIN = "open", "close", "word", "symbol", "text", "hex", "bin"

# The spec bounds a control word at 32 letters and a parameter at 10 digits; beyond that the
# bytes are not a control word a reader would honour, and a long run must not cost more. The
# quantifiers are bounded and nothing nests, so each match is linear.
_CONTROL_WORD = re.compile(rb"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?")
_HEX = re.compile(rb"\\'([0-9a-fA-F]{2})")
_TEXT = re.compile(rb"[^\\{}\r\n]+")


class Token(NamedTuple):
    kind: str
    start: int
    end: int
    name: str = ""  # the control word or symbol
    param: int | None = None
    data: bytes = b""  # text bytes, the byte of a \'hh escape, or a \bin run


def tokens(data: bytes) -> Iterator[Token]:
    """Every token of ``data`` in order. Line breaks in the source are not text (the spec)."""
    n = len(data)
    i = 0
    while i < n:
        c = data[i]
        if c == 0x7B:  # {
            yield Token(OPEN, i, i + 1)
            i += 1
        elif c == 0x7D:  # }
            yield Token(CLOSE, i, i + 1)
            i += 1
        elif c == 0x5C:  # backslash
            token = _control(data, i)
            if token.kind == WORD and token.name == "bin" and token.param and token.param > 0:
                end = min(n, token.end + token.param)
                yield token
                yield Token(BIN, token.end, end, data=data[token.end : end])
                i = end
            else:
                yield token
                i = token.end
        elif c in (0x0D, 0x0A):
            i += 1
        else:
            m = _TEXT.match(data, i)
            j = m.end() if m else i + 1
            yield Token(TEXT, i, j, data=data[i:j])
            i = j


def _control(data: bytes, i: int) -> Token:
    m = _CONTROL_WORD.match(data, i)
    if m:
        param = m.group(2)
        return Token(WORD, i, m.end(), name=m.group(1).decode("ascii"), param=int(param) if param else None)
    n = len(data)
    j = i + 1
    if j >= n:
        return Token(SYMBOL, i, n, name="")
    c = data[j]
    if c == 0x27:  # \'hh
        h = _HEX.match(data, i)
        if h:
            return Token(HEX, i, h.end(), name="'", data=bytes([int(h.group(1), 16)]))
        return Token(SYMBOL, i, j + 1, name="'")
    if c in (0x0D, 0x0A):  # a backslash before a line break is a paragraph mark
        return Token(WORD, i, j + 1, name="par")
    return Token(SYMBOL, i, j + 1, name=chr(c))
