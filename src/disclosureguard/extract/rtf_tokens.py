"""RTF tokens: groups, control words, control symbols, text and binary runs.

One linear pass over the bytes, no recursion and no backtracking, so a hostile file costs
time in proportion to its size. Every token keeps its byte span, so the redactor can cut
exactly the bytes that spell a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

OPEN, CLOSE, WORD, SYMBOL, TEXT, HEX, BIN = "open", "close", "word", "symbol", "text", "hex", "bin"

_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset(b"0123456789")
_HEXDIGITS = frozenset(b"0123456789abcdefABCDEF")
_SPECIAL = frozenset(b"\\{}\r\n")
# The spec bounds a control word at 32 letters and a parameter at 10 digits; beyond that the
# bytes are not a control word a reader would honour, and a long run must not cost more.
_MAX_WORD = 32
_MAX_PARAM = 10


@dataclass(frozen=True)
class Token:
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
            j = i
            while j < n and data[j] not in _SPECIAL:
                j += 1
            yield Token(TEXT, i, j, data=data[i:j])
            i = j


def _control(data: bytes, i: int) -> Token:
    n = len(data)
    j = i + 1
    if j >= n:
        return Token(SYMBOL, i, n, name="")
    c = data[j]
    if c in _LETTERS:
        k = j
        while k < n and data[k] in _LETTERS and k - j < _MAX_WORD:
            k += 1
        name = data[j:k].decode("ascii")
        param: int | None = None
        m = k
        if m < n and data[m] == 0x2D and m + 1 < n and data[m + 1] in _DIGITS:  # a negative parameter
            m += 1
        d = m
        while d < n and data[d] in _DIGITS and d - m < _MAX_PARAM:
            d += 1
        if d > m:
            param = int(data[k:d])
            m = d
        else:
            m = k
        if m < n and data[m] == 0x20:  # the delimiting space belongs to the control word
            m += 1
        return Token(WORD, i, m, name=name, param=param)
    if c == 0x27:  # \'hh
        h = data[j + 1 : j + 3]
        if len(h) == 2 and all(b in _HEXDIGITS for b in h):
            return Token(HEX, i, j + 3, name="'", data=bytes([int(h, 16)]))
        return Token(SYMBOL, i, min(n, j + 1), name="'")
    if c in (0x0D, 0x0A):  # a backslash before a line break is a paragraph mark
        return Token(WORD, i, j + 1, name="par")
    return Token(SYMBOL, i, j + 1, name=chr(c))
