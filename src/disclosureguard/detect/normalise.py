"""Evasion-resistant text: a normalised copy of a text, and a map back to the original.

Recognisers run on the normalised copy so that NFKC look-alikes (full-width digits,
ligatures), zero-width characters, other scripts' digits and Cyrillic/Greek letters that
look Latin cannot hide an identifier. Every finding must still point at the text as it
stands in the document, so the copy carries an offset map back to the original.

The map is stored as breakpoints, not one integer per character: almost every character
maps one to one, and a 50 MB text must not need a 400 MB index.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

import regex

from .ocr_postcodes import repair_postcodes

# Characters that render as nothing; an attacker can put them inside an identifier.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

# Letters of other scripts that look like Latin capitals (and a few lower case): one to one.
_CONFUSABLE = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
    # Dashes and spaces that NFKC leaves alone
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ",
}  # fmt: skip

# A run of digits where some letters stand for digits: "943 476 59l9", "O7700 9OO123". The run
# must hold at least four real digits and not touch other letters, so words are left alone.
_DIGIT_RUN = regex.compile(r"(?<![A-Za-z])[\dOoIl|](?:[ \-]?[\dOoIl|])+(?![A-Za-z])")
_SEPARATED = regex.compile(r"[^ \-]+")
_HAS_DIGIT = regex.compile(r"\d")
_LOOKALIKE_TABLE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class Normalised:
    """A normalised text and the way back to offsets in the original."""

    text: str
    original_length: int
    # Breakpoints: from norm index _norm[k] on, norm index n maps to _orig[k] + (n - _norm[k]),
    # unless _locked[k], where every norm index up to the next breakpoint maps to _orig[k].
    _norm: tuple[int, ...] = ()
    _orig: tuple[int, ...] = ()
    _locked: tuple[bool, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the original text."""
        if not self._norm:
            return start, end
        o_start = self._point(start)
        o_end = self._point(end - 1) + 1 if end > start else o_start
        return o_start, min(o_end, self.original_length)

    def _point(self, n: int) -> int:
        k = bisect_right(self._norm, n) - 1
        if k < 0:
            return n
        if self._locked[k]:
            return self._orig[k]
        return self._orig[k] + (n - self._norm[k])


def _map_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    if ch in _CONFUSABLE:
        return _CONFUSABLE[ch]
    out = unicodedata.normalize("NFKC", ch)
    if len(out) == 1 and not out.isascii():
        # Digits of other scripts (Arabic-Indic, Devanagari...) become ASCII digits.
        value = unicodedata.decimal(out, None)
        if value is not None:
            return str(value)
        out = _CONFUSABLE.get(out, out)
    return "".join(c for c in out if c not in _INVISIBLE)


def normalise(text: str, *, ocr: bool = False) -> Normalised:
    """NFKC, invisible characters removed, look-alike letters and digits mapped; for text
    read by OCR (``ocr``), also postcodes OCR misread put back by their shape.

    ASCII text only gets the look-alike passes, which are one to one, so its map is the
    identity and costs nothing.
    """
    if text.isascii():
        return Normalised(_fix_lookalikes(text, ocr), len(text))
    parts: list[str] = []
    norm_pts: list[int] = []
    orig_pts: list[int] = []
    locked: list[bool] = []
    n_pos = 0  # length of the normalised text built so far
    o_pos = 0  # next original index not yet copied
    state: tuple[int, bool] = (0, False)  # (n_pos - o_pos, locked) of the stretch in progress

    def mark(locked_here: bool) -> None:
        nonlocal state
        if (n_pos - o_pos, locked_here) != state or locked_here:
            norm_pts.append(n_pos)
            orig_pts.append(o_pos)
            locked.append(locked_here)
            state = (n_pos - o_pos, locked_here)

    for m in _NON_ASCII.finditer(text):
        if m.start() > o_pos:
            parts.append(text[o_pos : m.start()])
            n_pos += m.start() - o_pos
            o_pos = m.start()
        for ch in m.group():
            out = _map_char(ch)
            if len(out) > 1:
                mark(True)  # one character became several: all of them map back to it
            parts.append(out)
            n_pos += len(out)
            o_pos += 1
            if len(out) != 1:
                mark(False)  # a new one-to-one stretch starts after a deletion or expansion
    parts.append(text[o_pos:])
    joined = _fix_lookalikes("".join(parts), ocr)
    return Normalised(joined, len(text), tuple(norm_pts), tuple(orig_pts), tuple(locked))


def _fix_lookalikes(text: str, ocr: bool) -> str:
    text = _fix_digit_lookalikes(text)
    return repair_postcodes(text) if ocr else text  # one to one: the map stays as it is


def _fix_digit_lookalikes(text: str) -> str:
    if not any(c in text for c in "OoIl|"):
        return text
    return _DIGIT_RUN.sub(_fix_run, text)


def _fix_run(m: regex.Match[str]) -> str:
    run = m.group()
    if sum(c.isdigit() for c in run) < 4 or run.isdigit():
        return run
    # Only a group that also holds a real digit changes: a lone "I" or "l" stays a word.
    return _SEPARATED.sub(_fix_group, run)


def _fix_group(g: regex.Match[str]) -> str:
    group = g.group()
    return group.translate(_LOOKALIKE_TABLE) if _HAS_DIGIT.search(group) else group
