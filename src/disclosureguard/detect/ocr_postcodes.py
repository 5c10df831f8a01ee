"""Postcodes as OCR misreads them, put back by the shape of a postcode.

A postcode's every position is either a letter or a digit (outward A9, A99, AA9, AA99, A9A or
AA9A; inward 9AA), so a character OCR read as the wrong kind can be put back by its place:
``S`` where the inward digit stands is a 5, ``0`` where a letter stands is an O. And Tesseract
reads a capital whose small letter has the same shape (C O S U V W X Z) as the small letter:
``Ex3 6BF``. Only OCR text is repaired (typed text means what it says), one character for
one, so offsets into the text do not move.

A token is repaired only when it already looks mostly like a postcode: it starts with a
letter, holds a capital, has a real digit in its outward code, at most two letters and digits exchanged, and no other
small letters; words and numbers of ordinary text ("to 10am", "A4 1st", "SOLO 1st") are left
alone. The recognisers still decide what the repaired text is.
"""

from __future__ import annotations

import regex

_CANDIDATE = regex.compile(r"(?<![A-Za-z0-9|])([A-Za-z0-9|]{2,4})([ \t]?)([A-Za-z0-9|]{3})(?![A-Za-z0-9|])")
# The letters each place may hold (Royal Mail's rules, as the recogniser's pattern has them);
# "9" is a digit.
_FIRST, _SECOND = "ABCDEFGHIJKLMNOPRSTUWYZ", "ABCDEFGHKLMNOPQRSTUVWXY"
_THIRD, _FOURTH, _INWARD_LETTER = "ABCDEFGHJKPSTUW", "ABEHMNPRVWXY", "ABDEFGHJLNPQRSTUWXYZ"
_OUTWARD: tuple[tuple[str, ...], ...] = (
    (_FIRST, "9"), (_FIRST, "9", "9"), (_FIRST, _SECOND, "9"), (_FIRST, _SECOND, "9", "9"),
    (_FIRST, "9", _THIRD), (_FIRST, _SECOND, "9", _FOURTH))
_INWARD = ("9", _INWARD_LETTER, _INWARD_LETTER)
# small letters whose capital is the same shape, bigger: OCR mixes their cases
_SAME_SHAPE = frozenset("cosuvwxz")
_AS_DIGIT = {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1", "S": "5",
             "s": "5", "Z": "2", "z": "2", "B": "8", "G": "6", "b": "6", "g": "9", "q": "9", "T": "7"}
_AS_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}
MAX_EXCHANGED = 2


def repair_postcodes(text: str) -> str:
    """``text`` with postcode-shaped tokens OCR misread put back; the same length."""
    if not any(c.isdigit() for c in text):
        return text
    return _CANDIDATE.sub(_repair, text)


def _repair(m: regex.Match[str]) -> str:
    outward, gap, inward = m.group(1), m.group(2), m.group(3)
    token = outward + inward
    if not (outward[0].isalpha() and any(c.isupper() for c in token) and any(c.isdigit() for c in outward)):
        return m.group()  # a postcode starts with a letter; "12 3AB" is a number and more
    best: tuple[int, str] | None = None
    for shape in _OUTWARD:
        if len(shape) != len(outward):
            continue
        fixed = _as_shape(outward + inward, shape + _INWARD)
        if fixed is not None and (best is None or fixed[0] < best[0]):
            best = fixed
    if best is None or best[0] > MAX_EXCHANGED:
        return m.group()
    return best[1][: len(outward)] + gap + best[1][len(outward):]


def _as_shape(chars: str, shape: tuple[str, ...]) -> tuple[int, str] | None:
    """(letters and digits exchanged, the characters in ``shape``), or None if they cannot be."""
    out = []
    exchanged = 0
    for c, kind in zip(chars, shape, strict=True):
        if kind == "9":
            if c.isdigit():
                out.append(c)
            elif c in _AS_DIGIT:
                out.append(_AS_DIGIT[c])
                exchanged += 1
            else:
                return None
        elif "A" <= c <= "Z" or c in _SAME_SHAPE:  # a small one: the same letter in the wrong case
            out.append(c.upper())
        elif c in _AS_LETTER:
            out.append(_AS_LETTER[c])
            exchanged += 1
        else:
            return None
        if kind != "9" and out[-1] not in kind:
            return None  # no postcode has this letter here
    return exchanged, "".join(out)
